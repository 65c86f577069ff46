#!/usr/bin/env python3
"""Generate a large FOCUS 1.0 cost export (Azure Cost Management "FOCUS cost" layout) for the benchmark.

Usage: gen_focus.py OUT.csv [ROWS]   (default 1,000,000 rows, about 600 MB)

Every column of Azure's FOCUS 1.0 export is written, with values of realistic length (GUID account ids,
full ARM resource ids, JSON tags and SKU details, meter names). Deterministic: the same ROWS give the same
file. The rows spread over 26 weeks, 12 services and 4 regions, with a few Purchase, Credit and Tax rows.
"""

import csv
import datetime as dt
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

# (ServiceName, ServiceCategory, x_ResourceType, ResourceType display, meter category, meter name, unit)
SERVICES = [
    ("Azure App Service", "Compute", "microsoft.web/sites", "App Service web app", "Azure App Service", "P1 v3 App", "1 Hour"),
    ("Azure App Service", "Compute", "microsoft.web/serverfarms", "App Service plan", "Azure App Service", "P1 v3 App", "1 Hour"),
    ("Azure Cosmos DB", "Databases", "microsoft.documentdb/databaseaccounts", "Azure Cosmos DB account", "Azure Cosmos DB", "100 RU/s", "100/Hour"),
    ("Storage Accounts", "Storage", "microsoft.storage/storageaccounts", "Storage account", "Storage", "Hot LRS Data Stored", "1 GB/Month"),
    ("Azure Monitor", "Management and Governance", "microsoft.operationalinsights/workspaces", "Log Analytics workspace", "Log Analytics", "Pay-as-you-go Data Ingestion", "1 GB"),
    ("Application Insights", "Management and Governance", "microsoft.insights/components", "Application Insights", "Application Insights", "Enterprise Overage Data", "1 GB"),
    ("Key Vault", "Security", "microsoft.keyvault/vaults", "Key vault", "Key Vault", "Standard Operations", "10K"),
    ("Azure Container Apps", "Compute", "microsoft.app/containerapps", "Container App", "Azure Container Apps", "Standard vCPU Active Usage", "1 Second"),
    ("Container Registry", "Containers", "microsoft.containerregistry/registries", "Container registry", "Container Registry", "Standard Registry Unit", "1/Day"),
    ("Azure Cache for Redis", "Databases", "microsoft.cache/redis", "Azure Cache for Redis", "Redis Cache", "C1 Cache Instance", "1 Hour"),
    ("Virtual Network", "Networking", "microsoft.network/publicipaddresses", "Public IP address", "Virtual Network", "Standard IPv4 Static Public IP", "1 Hour"),
    ("Azure Front Door Service", "Networking", "microsoft.cdn/profiles", "Front Door and CDN profile", "Azure Front Door Service", "Standard Base Fees", "1 Hour"),
]
REGIONS = [("westeurope", "West Europe", "EU West"), ("northeurope", "North Europe", "EU North"),
           ("swedencentral", "Sweden Central", "SE Central"), ("eastus2", "East US 2", "US East 2")]


def guid(rng):
    return "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                                          rng.getrandbits(16), rng.getrandbits(48))


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(20261120)
    sub = "0b7c4f1e-5a3d-4c2b-9e8f-1a2b3c4d5e6f"
    billing = "81234567"  # an EA enrollment number
    profile = "81234567"
    end = dt.date(2026, 11, 20)
    days = 26 * 7
    # A few hundred resources, each with a fixed service, region, group and id.
    resources = []
    for i in range(400):
        svc = SERVICES[i % len(SERVICES)]
        region = REGIONS[(i // len(SERVICES)) % len(REGIONS)]
        group = "rg-contoso-%s-%s" % (["prod", "staging", "dev"][i % 3], region[0])
        name = "%s-contoso-%03d" % (svc[2].split("/")[1][:10], i)
        provider, kind = svc[2].split("/")
        rid = "/subscriptions/%s/resourcegroups/%s/providers/%s/%s/%s" % (sub, group, provider, kind, name)
        resources.append((svc, region, group, name, rid, guid(rng), guid(rng)))
    with open(out, "w", newline="", encoding="utf-8") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for n in range(rows):
            svc, region, group, name, rid, meter_id, sku_id = resources[n % len(resources)]
            day = end - dt.timedelta(days=(n * 7919) % days)
            month_start = day.replace(day=1)
            next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
            qty = round(rng.uniform(0.01, 24.0), 6)
            price = round(rng.uniform(0.0001, 0.9), 10)
            cost = qty * price
            category = "Usage"
            r = rng.random()
            if r < 0.001:
                category = "Purchase"
            elif r < 0.002:
                category = "Credit"
                cost = -cost
            elif r < 0.003:
                category = "Tax"
            cls = "Correction" if rng.random() < 0.0005 else ""
            if cls:
                cost = -cost
            cost_s = ("%.10f" % cost).rstrip("0")
            row = {
                "BilledCost": cost_s, "BillingAccountId": billing, "BillingAccountName": "Contoso Ltd",
                "BillingAccountType": "Billing Account", "BillingCurrency": "EUR",
                "BillingPeriodEnd": next_month.isoformat() + "T00:00:00Z",
                "BillingPeriodStart": month_start.isoformat() + "T00:00:00Z",
                "ChargeCategory": category, "ChargeClass": cls,
                "ChargeDescription": "%s - %s" % (svc[5], svc[4]), "ChargeFrequency": "Usage-Based",
                "ChargePeriodEnd": (day + dt.timedelta(days=1)).isoformat() + "T00:00:00Z",
                "ChargePeriodStart": day.isoformat() + "T00:00:00Z",
                "ConsumedQuantity": repr(qty), "ConsumedUnit": svc[6].split(" ", 1)[-1],
                "ContractedUnitPrice": repr(price), "EffectiveCost": cost_s,
                "InvoiceIssuerName": "Microsoft", "ListUnitPrice": repr(price),
                "PricingCategory": "Standard", "PricingQuantity": repr(qty), "PricingUnit": svc[6],
                "ProviderName": "Microsoft", "PublisherName": "Microsoft", "RegionId": region[0],
                "RegionName": region[1], "ResourceId": rid, "ResourceName": name, "ResourceType": svc[3],
                "ServiceCategory": svc[1], "ServiceName": svc[0], "SkuId": sku_id[:12].upper(),
                "SkuPriceId": sku_id.upper()[:14] + "_" + meter_id[:8],
                "SubAccountId": "/subscriptions/" + sub, "SubAccountName": "contoso-prod",
                "SubAccountType": "Subscription",
                "Tags": '{"env":"%s"}' % group.split("-")[2],
                "x_AccountId": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "x_AccountName": "Contoso Admin",
                "x_AccountOwnerId": "admin@contoso.onmicrosoft.com",
                "x_BilledUnitPrice": repr(price), "x_BillingAccountId": billing,
                "x_BillingAccountName": "Contoso Ltd", "x_BillingExchangeRate": "1.0",
                "x_BillingProfileId": profile, "x_BillingProfileName": "Contoso Ltd",
                "x_EffectiveUnitPrice": repr(price), "x_InvoiceIssuerId": "Microsoft",
                "x_InvoiceSectionId": "HJK4-LMN5-PJA-PGB", "x_InvoiceSectionName": "Engineering",
                "x_PricingBlockSize": "1.0", "x_PricingCurrency": "EUR",
                "x_PricingSubcategory": "Standard", "x_PricingUnitDescription": svc[6],
                "x_PublisherCategory": "Cloud Provider", "x_PublisherId": "Microsoft",
                "x_ResourceGroupName": group, "x_ResourceType": svc[2],
                "x_SkuDescription": "%s %s" % (svc[4], svc[5]),
                "x_SkuIsCreditEligible": "true", "x_SkuMeterCategory": svc[4], "x_SkuMeterId": meter_id,
                "x_SkuMeterName": svc[5], "x_SkuMeterSubcategory": svc[4] + " " + svc[5].split(" ")[0],
                "x_SkuOfferId": "MS-AZR-0017G", "x_SkuPartNumber": "AAA-" + meter_id[:5].upper(),
                "x_SkuRegion": region[2], "x_SkuServiceFamily": svc[1], "x_SkuTier": "Standard",
            }
            w.writerow([row.get(h, "") for h in HEADER])


if __name__ == "__main__":
    main()
