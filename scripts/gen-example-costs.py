#!/usr/bin/env python3
"""Write examples/bicep-startup/costs/: a small, realistic FOCUS 1.0 cost export for the example app.

Usage: python3 scripts/gen-example-costs.py [OUT_DIR]   (default examples/bicep-startup/costs)

The export has the full header of Azure Cost Management's "FOCUS cost" export (version 1.0) and one row per
billed resource per day for the 20 weeks ending 2026-11-20: the services examples/bicep-startup/infra declares
(Container Apps, Container Registry, Cosmos DB, Log Analytics, Application Insights, Azure OpenAI, Key Vault)
in France Central, plus an Azure Cache for Redis that someone created in the portal in September (billed but
not declared: the `unmanaged-resources` rule), and the monthly Founders Hub credit rows (ChargeCategory
Credit: not consumption). Spend grows slowly from about 20 to 36 USD a day. Deterministic: the same script
writes the same bytes. Run it again after changing it, and commit the result.

Usage: python3 scripts/gen-example-costs.py --contoso OUT_DIR   writes the export of the Contoso demo repository
(scripts/make-demo-repo.sh, from examples/terraform-startup): its services in West Europe (Azure OpenAI in
Sweden Central), each billed from the week its commit added it, for the 29 weeks ending 2026-11-22.
scripts/make-example-pack.sh uses it for the sample escalation pack.
"""

import csv
import datetime as dt
import os
import random
import sys

HEADER = (
    "BilledCost,BillingAccountId,BillingAccountName,BillingAccountType,BillingCurrency,BillingPeriodEnd,"
    "BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,ChargePeriodEnd,"
    "ChargePeriodStart,CommitmentDiscountCategory,CommitmentDiscountId,CommitmentDiscountName,"
    "CommitmentDiscountStatus,CommitmentDiscountType,ConsumedQuantity,ConsumedUnit,ContractedCost,"
    "ContractedUnitPrice,EffectiveCost,InvoiceIssuerName,ListCost,ListUnitPrice,PricingCategory,"
    "PricingQuantity,PricingUnit,ProviderName,PublisherName,RegionId,RegionName,ResourceId,ResourceName,"
    "ResourceType,ServiceCategory,ServiceName,SkuId,SkuPriceId,SubAccountId,SubAccountName,SubAccountType,"
    "Tags,x_AccountId,x_AccountName,x_AccountOwnerId,x_BilledCostInUsd,x_BilledUnitPrice,x_BillingAccountId,"
    "x_BillingAccountName,x_BillingExchangeRate,x_BillingExchangeRateDate,x_BillingProfileId,"
    "x_BillingProfileName,x_ContractedCostInUsd,x_CostAllocationRuleName,x_CostCenter,x_CustomerId,"
    "x_CustomerName,x_EffectiveCostInUsd,x_EffectiveUnitPrice,x_InvoiceId,x_InvoiceIssuerId,"
    "x_InvoiceSectionId,x_InvoiceSectionName,x_ListCostInUsd,x_PartnerCreditApplied,x_PartnerCreditRate,"
    "x_PricingBlockSize,x_PricingCurrency,x_PricingSubcategory,x_PricingUnitDescription,x_PublisherCategory,"
    "x_PublisherId,x_ResellerId,x_ResellerName,x_ResourceGroupName,x_ResourceType,x_ServicePeriodEnd,"
    "x_ServicePeriodStart,x_SkuDescription,x_SkuDetails,x_SkuIsCreditEligible,x_SkuMeterCategory,"
    "x_SkuMeterId,x_SkuMeterName,x_SkuMeterSubcategory,x_SkuOfferId,x_SkuOrderId,x_SkuOrderName,"
    "x_SkuPartNumber,x_SkuRegion,x_SkuServiceFamily,x_SkuTerm,x_SkuTier"
).split(",")

SUBSCRIPTION = "3f2b8c41-7d6e-4a59-9c1b-2e8f0a4d6b73"
GROUP = "rg-fabrikam-dev"
BILLING = "9d1c5e27-4b8a-4f3e-a6d2-7c0e1b9f5a48:1e7a3c95_2019-05-31"
LAST_DAY = dt.date(2026, 11, 20)
DAYS = 20 * 7

# ServiceName and ServiceCategory as Microsoft's FOCUS service table names them (data/services.tsv).
# (name, x_ResourceType, ResourceType, ServiceName, ServiceCategory, meter category, meter name, unit,
#  USD per day at the start, USD per day at the end, first day billed)
RESOURCES = [
    ("ca-api-fabrikam-dev", "microsoft.app/containerapps", "Container App", "Azure Container Apps", "Compute",
     "Azure Container Apps", "Standard vCPU Active Usage", "1 Second", 6.10, 11.80, None),
    ("crfabrikamdev", "microsoft.containerregistry/registries", "Container registry", "Azure Container Registry",
     "Compute", "Container Registry", "Basic Registry Unit", "1/Day", 0.167, 0.167, None),
    ("cosmos-fabrikam-dev", "microsoft.documentdb/databaseaccounts", "Azure Cosmos DB account",
     "Cosmos DB", "Databases", "Azure Cosmos DB", "100 RU/s", "100/Hour", 5.76, 9.60, None),
    ("log-fabrikam-dev", "microsoft.operationalinsights/workspaces", "Log Analytics workspace", "Azure Monitor",
     "Management and Governance", "Log Analytics", "Analytics Logs Data Ingestion", "1 GB", 1.20, 3.10, None),
    ("appi-fabrikam-dev", "microsoft.insights/components", "Application Insights", "Azure Monitor",
     "Management and Governance", "Application Insights", "Enterprise Overage Data", "1 GB", 0.40, 0.90, None),
    ("oai-fabrikam-dev", "microsoft.cognitiveservices/accounts", "Azure AI Foundry", "Azure AI Services",
     "AI and Machine Learning", "Foundry Models", "gpt-4o-mini-0718-Inp-glbl Tokens", "1K", 5.90, 6.80, None),
    ("kv-fabrikam-dev", "microsoft.keyvault/vaults", "Key vault", "Key Vault", "Security", "Key Vault",
     "Standard Operations", "10K", 0.05, 0.08, None),
    ("redis-fabrikam-sessions", "microsoft.cache/redis", "Azure Cache for Redis", "Azure Cache for Redis",
     "Databases", "Redis Cache", "C1 Cache Instance", "1 Hour", 3.36, 3.36, dt.date(2026, 9, 21)),
]


def iso(d):
    return d.isoformat() + "T00:00:00Z"


def month_bounds(d):
    start = d.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def row(values):
    return [values.get(h, "") for h in HEADER]


def usage_row(res, day, cost, rng):
    name, arm_type, type_name, service, category, meter_cat, meter, unit = res[:8]
    start, end = month_bounds(day)
    provider, kind = arm_type.split("/")
    resource_id = "/subscriptions/%s/resourcegroups/%s/providers/%s/%s/%s" % (
        SUBSCRIPTION, GROUP, provider, kind, name)
    quantity = round(cost / 0.0213 if unit == "1 Second" else cost / 0.8, 6)
    price = round(cost / quantity, 10) if quantity else 0
    amount = "%.10f" % cost
    region_id, region_name, sku_region = REGION
    if name == "oai-contoso-prod":
        region_id, region_name, sku_region = "swedencentral", "Sweden Central", "SE Central"
    return row({
        "BilledCost": amount, "BillingAccountId": BILLING, "BillingAccountName": ACCOUNT,
        "BillingAccountType": "Billing Profile", "BillingCurrency": "USD",
        "BillingPeriodEnd": iso(end), "BillingPeriodStart": iso(start), "ChargeCategory": "Usage",
        "ChargeDescription": "%s - %s" % (meter, meter_cat), "ChargeFrequency": "Usage-Based",
        "ChargePeriodEnd": iso(day + dt.timedelta(days=1)), "ChargePeriodStart": iso(day),
        "ConsumedQuantity": repr(quantity), "ConsumedUnit": unit.split(" ", 1)[-1], "ContractedCost": amount,
        "ContractedUnitPrice": repr(price), "EffectiveCost": amount, "InvoiceIssuerName": "Microsoft",
        "ListCost": amount, "ListUnitPrice": repr(price), "PricingCategory": "Standard",
        "PricingQuantity": repr(quantity), "PricingUnit": unit, "ProviderName": "Microsoft",
        "PublisherName": "Microsoft", "RegionId": region_id, "RegionName": region_name,
        "ResourceId": resource_id, "ResourceName": name, "ResourceType": type_name,
        "ServiceCategory": category, "ServiceName": service,
        "SubAccountId": "/subscriptions/" + SUBSCRIPTION, "SubAccountName": "Microsoft Azure Sponsorship",
        "SubAccountType": "Subscription", "Tags": TAG,
        "x_BilledUnitPrice": repr(price), "x_BillingAccountId": BILLING,
        "x_BillingAccountName": ACCOUNT, "x_BillingExchangeRate": "1",
        "x_BillingProfileId": "QW7R-ZT4K-BG7-PGB", "x_BillingProfileName": ACCOUNT,
        "x_PricingCurrency": "USD",
        "x_ResourceGroupName": GROUP, "x_ResourceType": arm_type, "x_SkuIsCreditEligible": "true",
        "x_SkuMeterCategory": meter_cat, "x_SkuMeterId": "%08x-0000-4000-8000-%012x" % (
            rng.getrandbits(32), rng.getrandbits(48)),
        "x_SkuMeterName": meter, "x_SkuOfferId": "MS-AZR-0036P", "x_SkuRegion": sku_region,
        "x_SkuServiceFamily": category,
    })


def credit_row(month_start, amount):
    start, end = month_bounds(month_start)
    value = "%.2f" % -amount
    return row({
        "BilledCost": value, "BillingAccountId": BILLING, "BillingAccountName": ACCOUNT,
        "BillingAccountType": "Billing Profile", "BillingCurrency": "USD", "BillingPeriodEnd": iso(end),
        "BillingPeriodStart": iso(start), "ChargeCategory": "Credit",
        "ChargeDescription": "Azure Sponsorship credit", "ChargeFrequency": "One-Time",
        "ChargePeriodEnd": iso(end), "ChargePeriodStart": iso(start), "EffectiveCost": value,
        "InvoiceIssuerName": "Microsoft", "ProviderName": "Microsoft", "PublisherName": "Microsoft",
        "SubAccountId": "/subscriptions/" + SUBSCRIPTION, "SubAccountName": "Microsoft Azure Sponsorship",
        "SubAccountType": "Subscription", "x_BilledCostInUsd": value, "x_BillingAccountId": BILLING,
        "x_BillingAccountName": ACCOUNT, "x_PricingCurrency": "USD",
    })


# The Contoso demo (scripts/make-demo-repo.sh): what examples/terraform-startup declares, billed from the day the
# demo history adds it. Same columns as RESOURCES.
CONTOSO_RESOURCES = [
    ("plan-contoso-prod", "microsoft.web/serverfarms", "App Service plan", "Azure App Service", "Compute",
     "Azure App Service", "P1 v3 App", "1 Hour", 5.40, 3.00, None),
    ("log-contoso-prod", "microsoft.operationalinsights/workspaces", "Log Analytics workspace", "Azure Monitor",
     "Management and Governance", "Log Analytics", "Analytics Logs Data Ingestion", "1 GB", 0.60, 2.40, None),
    ("appi-contoso-prod", "microsoft.insights/components", "Application Insights", "Azure Monitor",
     "Management and Governance", "Application Insights", "Enterprise Overage Data", "1 GB", 0.20, 0.80, None),
    ("psql-contoso-prod", "microsoft.dbforpostgresql/flexibleservers", "Azure Database for PostgreSQL flexible server",
     "Azure Database for PostgreSQL", "Databases", "Azure Database for PostgreSQL", "vCore", "1 Hour", 8.30, 9.10,
     dt.date(2026, 6, 2)),
    ("redis-contoso-prod", "microsoft.cache/redis", "Azure Cache for Redis", "Azure Cache for Redis", "Databases",
     "Redis Cache", "C1 Cache Instance", "1 Hour", 3.36, 6.72, dt.date(2026, 6, 2)),
    ("func-contoso-prod", "microsoft.web/sites", "Function App", "Azure Functions", "Compute", "Functions",
     "Standard Execution Time", "1 GB Second", 0.40, 1.30, dt.date(2026, 6, 16)),
    ("stcontosoprod", "microsoft.storage/storageaccounts", "Storage account", "Storage Accounts", "Storage",
     "Storage", "Hot LRS Data Stored", "1 GB/Month", 0.30, 0.70, dt.date(2026, 6, 16)),
    ("oai-contoso-prod", "microsoft.cognitiveservices/accounts", "Azure AI Foundry", "Azure AI Services",
     "AI and Machine Learning", "Foundry Models", "gpt-4o-mini-0718-Inp-glbl Tokens", "1K", 4.00, 14.50,
     dt.date(2026, 6, 16)),
    ("kv-contoso-prod", "microsoft.keyvault/vaults", "Key vault", "Key Vault", "Security", "Key Vault",
     "Standard Operations", "10K", 0.03, 0.06, dt.date(2026, 6, 16)),
]


def use_contoso():
    """Switch the module's constants to the Contoso demo."""
    global SUBSCRIPTION, GROUP, BILLING, LAST_DAY, DAYS, RESOURCES, ACCOUNT, REGION, TAG, FILE_NAME
    SUBSCRIPTION = "8c6e0b52-1f3a-4d7e-b9c2-5a4f3e2d1c0b"
    GROUP = "rg-contoso-prod"
    BILLING = "5b7e2c91-3d4a-4e6f-8a1b-9c0d2e3f4a5b:2a8c4e61_2019-05-31"
    LAST_DAY = dt.date(2026, 11, 22)
    DAYS = 29 * 7
    RESOURCES = CONTOSO_RESOURCES
    ACCOUNT = "Contoso AI Ltd"
    REGION = ("westeurope", "West Europe", "EU West")
    TAG = '{"environment":"prod"}'
    FILE_NAME = "contoso-prod-focus-20260504-20261122.csv"


ACCOUNT = "Fabrikam Inc"
REGION = ("francecentral", "France Central", "FR Central")
TAG = '{"azd-env-name":"fabrikam-dev"}'
FILE_NAME = "fabrikam-dev-focus-20260704-20261120.csv"


def main():
    args = sys.argv[1:]
    if args[:1] == ["--contoso"]:
        use_contoso()
        args = args[1:]
    out_dir = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "examples", "bicep-startup", "costs")
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(2026_11_20)
    first = LAST_DAY - dt.timedelta(days=DAYS - 1)
    rows = []
    billed_by_month = {}
    for offset in range(DAYS):
        day = first + dt.timedelta(days=offset)
        progress = offset / (DAYS - 1)
        for res in RESOURCES:
            begin, end, since = res[8], res[9], res[10]
            if since is not None and day < since:
                continue
            weekend = 0.8 if day.weekday() >= 5 and res[1] != "microsoft.cache/redis" else 1.0
            cost = (begin + (end - begin) * progress) * weekend * rng.uniform(0.9, 1.1)
            rows.append(usage_row(res, day, cost, rng))
            key = day.replace(day=1)
            billed_by_month[key] = billed_by_month.get(key, 0.0) + cost
    for month, amount in sorted(billed_by_month.items()):
        rows.append(credit_row(month, round(amount, 2)))
    path = os.path.join(out_dir, FILE_NAME)
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print("wrote %s (%d rows)" % (path, len(rows)))


if __name__ == "__main__":
    main()
