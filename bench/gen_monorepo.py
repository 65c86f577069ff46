#!/usr/bin/env python3
"""Generate a realistic IaC monorepo for benchmarks: Terraform and Bicep, with modules, per-environment roots,
parameter files and a little non-IaC noise, written the way public Azure repositories write them.

    python3 bench/gen_monorepo.py OUT_DIR [--files 10000] [--seed 1]

Half of the IaC files are Terraform (`modules/<kind>/{main,variables,outputs}.tf` shared by many
`services/<svc>/envs/<env>/main.tf` roots that call them with `source = "../../../../modules/<kind>"`), half are
Bicep (`services/<svc>/infra/main.bicep` calling `./modules/*.bicep`, with a `main.bicepparam`). The output is
deterministic for a seed.
"""

import argparse
import os
import random

REGIONS = ["westeurope", "northeurope", "eastus2", "swedencentral", "uksouth", "francecentral"]
ENVS = ["dev", "staging", "prod"]

TF_MODULES = {
    "network": [
        ("azurerm_virtual_network", "vnet", 'address_space       = ["10.${var.index}.0.0/16"]'),
        ("azurerm_subnet", "app", 'virtual_network_name = azurerm_virtual_network.vnet.name\n  address_prefixes     = ["10.${var.index}.1.0/24"]'),
        ("azurerm_network_security_group", "nsg", ""),
    ],
    "webapp": [
        ("azurerm_service_plan", "plan", 'os_type  = "Linux"\n  sku_name = var.sku'),
        ("azurerm_linux_web_app", "app", "service_plan_id = azurerm_service_plan.plan.id\n  https_only      = true\n\n  site_config {\n    always_on = var.sku != \"F1\"\n    application_stack {\n      node_version = \"20-lts\"\n    }\n  }\n\n  app_settings = {\n    \"WEBSITE_RUN_FROM_PACKAGE\" = \"1\"\n    \"APPINSIGHTS_INSTRUMENTATIONKEY\" = var.insights_key\n  }"),
    ],
    "data": [
        ("azurerm_storage_account", "st", 'account_tier             = "Standard"\n  account_replication_type = var.environment == "prod" ? "GRS" : "LRS"\n  min_tls_version          = "TLS1_2"'),
        ("azurerm_key_vault", "kv", 'tenant_id = var.tenant_id\n  sku_name  = "standard"\n  purge_protection_enabled = true'),
        ("azurerm_postgresql_flexible_server", "pg", 'version    = "16"\n  sku_name   = "B_Standard_B1ms"\n  storage_mb = 32768'),
    ],
    "monitor": [
        ("azurerm_log_analytics_workspace", "law", 'sku               = "PerGB2018"\n  retention_in_days = 30'),
        ("azurerm_application_insights", "ai", 'workspace_id     = azurerm_log_analytics_workspace.law.id\n  application_type = "web"'),
    ],
}

BICEP_MODULES = {
    "storage": ("Microsoft.Storage/storageAccounts@2023-05-01", "kind: 'StorageV2'\n  sku: {\n    name: skuName\n  }\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n    supportsHttpsTrafficOnly: true\n    allowBlobPublicAccess: false\n  }"),
    "web": ("Microsoft.Web/sites@2023-12-01", "kind: 'app,linux'\n  properties: {\n    httpsOnly: true\n    siteConfig: {\n      linuxFxVersion: 'NODE|20-lts'\n      appSettings: [\n        {\n          name: 'WEBSITE_RUN_FROM_PACKAGE'\n          value: '1'\n        }\n      ]\n    }\n  }"),
    "cosmos": ("Microsoft.DocumentDB/databaseAccounts@2024-05-15", "kind: 'GlobalDocumentDB'\n  properties: {\n    databaseAccountOfferType: 'Standard'\n    locations: [\n      {\n        locationName: location\n        failoverPriority: 0\n      }\n    ]\n    consistencyPolicy: {\n      defaultConsistencyLevel: 'Session'\n    }\n  }"),
    "kv": ("Microsoft.KeyVault/vaults@2023-07-01", "properties: {\n    tenantId: subscription().tenantId\n    sku: {\n      family: 'A'\n      name: 'standard'\n    }\n    enableRbacAuthorization: true\n  }"),
    "acr": ("Microsoft.ContainerRegistry/registries@2023-07-01", "sku: {\n    name: skuName == 'Standard_LRS' ? 'Basic' : 'Standard'\n  }\n  properties: {\n    adminUserEnabled: false\n  }"),
}

TF_HEADER = """terraform {
  required_version = ">= 1.5"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.100"
    }
  }
}
"""


def tf_module_main(kind, rng):
    out = ["# Module %s: managed by the platform team.\n" % kind]
    for rtype, name, body in TF_MODULES[kind]:
        out.append('resource "%s" "%s" {\n  name                = "${var.prefix}-%s-${var.environment}"\n  location            = var.location\n  resource_group_name = var.resource_group_name\n' % (rtype, name, name))
        if body:
            out.append("  " + body + "\n")
        out.append("\n  tags = merge(var.tags, {\n    module = \"%s\"\n  })\n}\n\n" % kind)
    return "".join(out)


def tf_module_variables():
    names = [("prefix", "string", None), ("location", "string", None), ("resource_group_name", "string", None),
             ("environment", "string", '"dev"'), ("index", "number", "1"), ("sku", "string", '"B1"'),
             ("tenant_id", "string", '""'), ("insights_key", "string", '""'), ("tags", "map(string)", "{}")]
    out = []
    for name, typ, default in names:
        out.append('variable "%s" {\n  type        = %s\n  description = "The %s."\n' % (name, typ, name.replace("_", " ")))
        if default is not None:
            out.append("  default     = %s\n" % default)
        out.append("}\n\n")
    return "".join(out)


def tf_module_outputs(kind):
    out = []
    for rtype, name, _ in TF_MODULES[kind]:
        out.append('output "%s_id" {\n  value = %s.%s.id\n}\n\n' % (name, rtype, name))
    return "".join(out)


def tf_root(svc, env, kinds, rng):
    region = rng.choice(REGIONS)
    out = [TF_HEADER, '\nprovider "azurerm" {\n  features {}\n}\n\n']
    out.append('locals {\n  prefix   = "%s"\n  location = "%s"\n  tags = {\n    service     = "%s"\n    environment = "%s"\n    owner       = "team-%d"\n  }\n}\n\n' % (svc, region, svc, env, rng.randint(1, 40)))
    out.append('resource "azurerm_resource_group" "main" {\n  name     = "rg-${local.prefix}-%s"\n  location = local.location\n  tags     = local.tags\n}\n\n' % env)
    for i, kind in enumerate(kinds):
        out.append('module "%s" {\n  source              = "../../../../modules/%s"\n  prefix              = local.prefix\n  location            = local.location\n  resource_group_name = azurerm_resource_group.main.name\n  environment         = "%s"\n  index               = %d\n  tags                = local.tags\n}\n\n' % (kind, kind, env, i + 1))
    for i in range(rng.randint(0, 3)):
        out.append('resource "azurerm_role_assignment" "reader_%d" {\n  scope                = azurerm_resource_group.main.id\n  role_definition_name = "Reader"\n  principal_id         = var.reader_ids[%d]\n}\n\n' % (i, i))
    out.append('variable "reader_ids" {\n  type    = list(string)\n  default = []\n}\n')
    return "".join(out)


def bicep_module(kind):
    arm, body = BICEP_MODULES[kind]
    return ("@description('Name of the %s resource.')\nparam name string\n\n@description('Azure region.')\nparam location string = resourceGroup().location\n\n"
            "@allowed([\n  'Standard_LRS'\n  'Standard_GRS'\n])\nparam skuName string = 'Standard_LRS'\n\nparam tags object = {}\n\n"
            "resource res '%s' = {\n  name: name\n  location: location\n  tags: union(tags, {\n    module: '%s'\n  })\n  %s\n}\n\noutput id string = res.id\noutput name string = res.name\n") % (kind, arm, kind, body)


def bicep_main(svc, kinds, rng):
    out = ["targetScope = 'resourceGroup'\n\n@description('Environment name.')\nparam environmentName string\nparam location string = '%s'\n\nvar prefix = '%s-${environmentName}'\nvar tags = {\n  'azd-env-name': environmentName\n  service: '%s'\n}\n\n" % (rng.choice(REGIONS), svc, svc)]
    for kind in kinds:
        out.append("module %s './modules/%s.bicep' = {\n  name: '${prefix}-%s'\n  params: {\n    name: '${prefix}-%s'\n    location: location\n    tags: tags\n  }\n}\n\n" % (kind, kind, kind, kind))
    n = rng.randint(1, 3)
    out.append("resource plan 'Microsoft.Web/serverfarms@2023-12-01' = [for i in range(0, %d): {\n  name: '${prefix}-plan-${i}'\n  location: location\n  sku: {\n    name: environmentName == 'prod' ? 'P1v3' : 'B1'\n  }\n  properties: {\n    reserved: true\n  }\n}]\n\n" % n)
    out.append("output planIds array = [for i in range(0, %d): plan[i].id]\n" % n)
    return "".join(out)


def write(root, rel, text, stats):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    stats["files"] += 1
    stats["bytes"] += len(text.encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=10000, help="IaC files to write (about)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    stats = {"files": 0, "bytes": 0}
    for kind in TF_MODULES:
        write(args.out, "modules/%s/main.tf" % kind, tf_module_main(kind, rng), stats)
        write(args.out, "modules/%s/variables.tf" % kind, tf_module_variables(), stats)
        write(args.out, "modules/%s/outputs.tf" % kind, tf_module_outputs(kind), stats)
    svc = 0
    while stats["files"] < args.files:
        name = "svc%04d" % svc
        kinds = rng.sample(sorted(TF_MODULES), rng.randint(1, 3))
        if svc % 2 == 0:
            for env in ENVS:
                write(args.out, "services/%s/envs/%s/main.tf" % (name, env), tf_root(name, env, kinds, rng), stats)
            write(args.out, "services/%s/README.md" % name, "# %s\n\nDeployed with Terraform.\n" % name, {"files": 0, "bytes": 0})
        else:
            bkinds = rng.sample(sorted(BICEP_MODULES), rng.randint(1, 3))
            write(args.out, "services/%s/infra/main.bicep" % name, bicep_main(name, bkinds, rng), stats)
            write(args.out, "services/%s/infra/main.bicepparam" % name, "using './main.bicep'\n\nparam environmentName = 'prod'\nparam location = '%s'\n" % rng.choice(REGIONS), stats)
            for kind in bkinds:
                write(args.out, "services/%s/infra/modules/%s.bicep" % (name, kind), bicep_module(kind), stats)
            write(args.out, "services/%s/src/index.js" % name, "console.log('hello from %s');\n" % name, {"files": 0, "bytes": 0})
        svc += 1
    print("%d IaC files, %d bytes, %d services" % (stats["files"], stats["bytes"], svc))


if __name__ == "__main__":
    main()
