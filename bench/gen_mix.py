#!/usr/bin/env python3
"""Generate the real-code mix azengage is measured on: about 87 MB of which 11.3 MB `.bicep`, 73.6 MB `.json`
and 1.9 MB `.tf`, shaped like the public repositories that make such a mix (Azure Verified Modules, quickstart
templates, azd Terraform templates).

    python3 bench/gen_mix.py OUT_DIR [--scale 1.0] [--seed 1]

The bytes are dominated by ARM templates as `bicep build` writes them: 2-space JSON, `metadata._generator`,
user-defined types under `definitions`, long parameter descriptions, `languageVersion` 2.0 symbolic
resources (or the classic array), `copy` loops and `condition`s, and every module inlined as a
`Microsoft.Resources/deployments` resource with an inner-scoped `template`, nested two or three deep (a
module's child modules and the shared private-endpoint module are inlined inside it). The layout follows the
sources:

- `avm/res/<provider>/<resource>/main.bicep` + its compiled `main.json`, child modules
  `<child>/main.bicep` + `main.json`, and `tests/e2e/*/main.test.bicep` calling the module;
- `quickstarts/<provider>/<name>/main.bicep` + the compiled `azuredeploy.json` and its
  `azuredeploy.parameters.json`, and older quickstarts written in JSON only;
- `terraform/<example>/{main,variables,outputs}.tf` calling local modules under `terraform/modules/`.

Output is deterministic for a seed; `--scale` multiplies every count.
"""

import argparse
import json
import os
import random

REGIONS = ["westeurope", "northeurope", "eastus", "eastus2", "swedencentral", "uksouth", "westus3"]

# (provider/resource, ARM type, api version, children (segment, child type suffix))
RESOURCES = [
    ("storage/storage-account", "Microsoft.Storage/storageAccounts", "2024-01-01",
     [("blob-service", "blobServices"), ("file-service", "fileServices"), ("queue-service", "queueServices"),
      ("table-service", "tableServices"), ("management-policy", "managementPolicies")]),
    ("key-vault/vault", "Microsoft.KeyVault/vaults", "2023-07-01",
     [("secret", "secrets"), ("key", "keys"), ("access-policy", "accessPolicies")]),
    ("web/site", "Microsoft.Web/sites", "2023-12-01",
     [("config", "config"), ("slot", "slots"), ("basic-publishing-credentials-policy", "basicPublishingCredentialsPolicies")]),
    ("document-db/database-account", "Microsoft.DocumentDB/databaseAccounts", "2024-11-15",
     [("sql-database", "sqlDatabases"), ("mongodb-database", "mongodbDatabases"), ("gremlin-database", "gremlinDatabases")]),
    ("network/virtual-network", "Microsoft.Network/virtualNetworks", "2024-05-01",
     [("subnet", "subnets"), ("virtual-network-peering", "virtualNetworkPeerings")]),
    ("container-registry/registry", "Microsoft.ContainerRegistry/registries", "2023-07-01",
     [("replication", "replications"), ("webhook", "webhooks"), ("scope-map", "scopeMaps")]),
    ("cognitive-services/account", "Microsoft.CognitiveServices/accounts", "2024-10-01",
     [("deployment", "deployments")]),
    ("sql/server", "Microsoft.Sql/servers", "2023-08-01-preview",
     [("database", "databases"), ("firewall-rule", "firewallRules"), ("elastic-pool", "elasticPools")]),
    ("operational-insights/workspace", "Microsoft.OperationalInsights/workspaces", "2023-09-01",
     [("data-source", "dataSources"), ("linked-service", "linkedServices"), ("table", "tables")]),
    ("app/managed-environment", "Microsoft.App/managedEnvironments", "2024-10-02-preview",
     [("storage", "storages"), ("certificate", "certificates")]),
    ("service-bus/namespace", "Microsoft.ServiceBus/namespaces", "2024-01-01",
     [("queue", "queues"), ("topic", "topics"), ("authorization-rule", "authorizationRules")]),
    ("cache/redis", "Microsoft.Cache/redis", "2024-03-01",
     [("firewall-rule", "firewallRules"), ("linked-servers", "linkedServers")]),
]

WORDS = ("resource deployment optional required name the of to for a is enabled when set value default "
         "identity network access policy setting retention days configuration private endpoint tags lock role "
         "assignment diagnostic workspace storage event hub category group metric log principal").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def definitions(rng, count):
    out = {}
    for i in range(count):
        props = {}
        for j in range(rng.randint(4, 12)):
            kind = rng.choice(["string", "bool", "int", "array", "object"])
            prop = {"type": kind, "metadata": {"description": "Optional. " + sentence(rng, rng.randint(8, 30))}}
            if rng.random() < 0.6:
                prop["nullable"] = True
            if kind == "string" and rng.random() < 0.3:
                prop["allowedValues"] = ["None", "Enabled", "Disabled", "AzureServices"]
            if kind == "array":
                prop["items"] = {"type": "object", "properties": {
                    "category": {"type": "string", "nullable": True, "metadata": {"description": sentence(rng, 12)}},
                    "enabled": {"type": "bool", "nullable": True, "metadata": {"description": sentence(rng, 10)}}}}
            props["prop%d" % j] = prop
        out["type%dType" % i] = {"type": "object", "properties": props,
                                 "metadata": {"__bicep_imported_from!": {"sourceTemplate": "br:mcr.microsoft.com/bicep/avm/utl/types/avm-common-types:0.5.1"},
                                              "description": sentence(rng, 14)}}
    return out


def parameters(rng, count):
    out = {
        "name": {"type": "string", "metadata": {"description": "Required. Name of the resource."}},
        "location": {"type": "string", "defaultValue": "[resourceGroup().location]",
                     "metadata": {"description": "Optional. Location for all resources."}},
        "tags": {"type": "object", "nullable": True, "metadata": {"description": "Optional. Tags of the resource."}},
        "enableTelemetry": {"type": "bool", "defaultValue": True, "metadata": {"description": "Optional. Enable/Disable usage telemetry for module."}},
        "privateEndpoints": {"type": "array", "nullable": True, "metadata": {"description": "Optional. Private endpoints."}},
    }
    for i in range(count):
        kind = rng.choice(["string", "bool", "int", "array", "object", "securestring"])
        p = {"type": kind, "metadata": {"description": "Optional. " + sentence(rng, rng.randint(10, 40))}}
        if kind == "bool":
            p["defaultValue"] = rng.random() < 0.5
        elif kind == "int":
            p["defaultValue"], p["minValue"], p["maxValue"] = 7, 1, 365
        elif kind == "string":
            p["defaultValue"] = rng.choice(["Enabled", "Disabled", "Standard", ""])
        out["setting%d" % i] = p
    return out


def properties(rng, depth=0):
    out = {}
    for i in range(rng.randint(3, 9)):
        r = rng.random()
        if r < 0.45:
            out["prop%d" % i] = "[parameters('setting%d')]" % rng.randint(0, 20)
        elif r < 0.6 and depth < 2:
            out["prop%d" % i] = properties(rng, depth + 1)
        elif r < 0.75:
            out["prop%d" % i] = "[if(not(empty(parameters('privateEndpoints'))), 'Disabled', coalesce(parameters('setting%d'), 'Enabled'))]" % rng.randint(0, 20)
        elif r < 0.85:
            out["prop%d" % i] = [{"name": "rule%d" % j, "value": "[format('{0}-{1}', parameters('name'), %d)]" % j} for j in range(rng.randint(1, 4))]
        else:
            out["prop%d" % i] = rng.choice([True, False, 30, "Standard_LRS"])
    return out


def extension_resources(rng, parent_symbol, parent_type, symbolic):
    """The lock, diagnostic settings and role assignments every AVM module writes."""
    scope = "[format('%s/{0}', parameters('name'))]" % parent_type
    res = [
        ("%s_lock" % parent_symbol, {"condition": "[and(not(empty(coalesce(parameters('lock'), createObject()))), not(equals(tryGet(parameters('lock'), 'kind'), 'None')))]",
                                      "type": "Microsoft.Authorization/locks", "apiVersion": "2020-05-01", "scope": scope,
                                      "name": "[coalesce(tryGet(parameters('lock'), 'name'), format('lock-{0}', parameters('name')))]",
                                      "properties": {"level": "[coalesce(tryGet(parameters('lock'), 'kind'), '')]", "notes": "[if(equals(tryGet(parameters('lock'), 'kind'), 'CanNotDelete'), 'Cannot delete resource or child resources.', 'Cannot delete or modify the resource or child resources.')]"}}),
        ("%s_diagnosticSettings" % parent_symbol, {"copy": {"name": "%s_diagnosticSettings" % parent_symbol, "count": "[length(coalesce(parameters('diagnosticSettings'), createArray()))]"},
                                                    "type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "2021-05-01-preview", "scope": scope,
                                                    "name": "[coalesce(tryGet(coalesce(parameters('diagnosticSettings'), createArray())[copyIndex()], 'name'), format('{0}-diagnosticSettings', parameters('name')))]",
                                                    "properties": {"workspaceId": "[tryGet(coalesce(parameters('diagnosticSettings'), createArray())[copyIndex()], 'workspaceResourceId')]",
                                                                   "logAnalyticsDestinationType": "[tryGet(coalesce(parameters('diagnosticSettings'), createArray())[copyIndex()], 'logAnalyticsDestinationType')]"}}),
        ("%s_roleAssignments" % parent_symbol, {"copy": {"name": "%s_roleAssignments" % parent_symbol, "count": "[length(coalesce(variables('formattedRoleAssignments'), createArray()))]"},
                                                 "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "scope": scope,
                                                 "name": "[coalesce(tryGet(coalesce(variables('formattedRoleAssignments'), createArray())[copyIndex()], 'name'), guid(parameters('name'), coalesce(variables('formattedRoleAssignments'), createArray())[copyIndex()].principalId))]",
                                                 "properties": {"roleDefinitionId": "[coalesce(variables('formattedRoleAssignments'), createArray())[copyIndex()].roleDefinitionId]",
                                                                "principalId": "[coalesce(variables('formattedRoleAssignments'), createArray())[copyIndex()].principalId]"}}),
    ]
    if not symbolic:
        for _, body in res:
            body["dependsOn"] = ["[resourceId('%s', parameters('name'))]" % parent_type]
    return res


def deployment(rng, symbol, inner, params, condition=None):
    body = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
            "name": "[format('{0}-%s', uniqueString(deployment().name, parameters('location')))]" % symbol,
            "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
                           "parameters": {k: {"value": v} for k, v in params.items()}, "template": inner}}
    if condition:
        body["condition"] = condition
    if rng.random() < 0.3:
        body["copy"] = {"name": symbol, "count": "[length(coalesce(parameters('privateEndpoints'), createArray()))]"}
    return body


def template(rng, arm_type, api, children, depth, symbolic, size):
    """A compiled module: the main resource, its extension resources, and inlined child modules."""
    t = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}
    if symbolic:
        t["languageVersion"] = "2.0"
    t["contentVersion"] = "1.0.0.0"
    t["metadata"] = {"_generator": {"name": "bicep", "version": "0.36.1.42791", "templateHash": str(rng.getrandbits(63))},
                     "name": arm_type.split("/")[-1], "description": "This module deploys a %s." % arm_type}
    if symbolic:
        t["definitions"] = definitions(rng, rng.randint(2, 6) * size)
    t["parameters"] = parameters(rng, rng.randint(10, 30) * size)
    t["variables"] = {"enableReferencedModulesTelemetry": False,
                      "builtInRoleNames": {"Contributor": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]",
                                           "Reader": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]"},
                      "formattedRoleAssignments": "[map(coalesce(parameters('roleAssignments'), createArray()), lambda('ra', union(lambdaVariables('ra'), createObject('roleDefinitionId', coalesce(tryGet(variables('builtInRoleNames'), lambdaVariables('ra').roleDefinitionIdOrName), lambdaVariables('ra').roleDefinitionIdOrName)))))]"}
    symbol = arm_type.split("/")[-1]
    resources = [("avmTelemetry", {"condition": "[parameters('enableTelemetry')]", "type": "Microsoft.Resources/deployments", "apiVersion": "2024-03-01",
                                    "name": "[format('46d3xbcp.res.%s.{0}', uniqueString(deployment().name, parameters('location')))]" % symbol,
                                    "properties": {"mode": "Incremental", "template": {"$schema": t["$schema"], "contentVersion": "1.0.0.0", "resources": [],
                                                                                        "outputs": {"telemetry": {"type": "String", "value": "For more information, see https://aka.ms/avm/TelemetryInfo"}}}}}),
                 (symbol, {"type": arm_type, "apiVersion": api, "name": "[parameters('name')]", "location": "[parameters('location')]",
                           "tags": "[parameters('tags')]", "kind": "[parameters('setting0')]",
                           "identity": "[variables('identity')]", "properties": properties(rng)})]
    resources += extension_resources(rng, symbol, arm_type, symbolic)
    if depth < 3:
        for seg, child in children[: rng.randint(1, max(1, len(children)))]:
            inner = template(rng, "%s/%s" % (arm_type, child), api, [], depth + 1, symbolic, 1)
            resources.append(("%s_%s" % (symbol, child), deployment(rng, seg, inner, {"name": "[parameters('name')]", "%sName" % symbol: "[parameters('name')]"},
                                                                   condition="[not(empty(parameters('%s')))]" % child if rng.random() < 0.5 else None)))
        if depth < 2 and rng.random() < 0.7:
            pe = template(rng, "Microsoft.Network/privateEndpoints", "2024-05-01",
                          [("private-dns-zone-group", "privateDnsZoneGroups")], depth + 1, symbolic, 1)
            resources.append(("%s_privateEndpoints" % symbol, deployment(rng, "privateEndpoint", pe, {"name": "[format('pep-{0}', parameters('name'))]", "location": "[parameters('location')]"})))
    if symbolic:
        t["resources"] = {k: v for k, v in resources}
    else:
        t["resources"] = [v for _, v in resources]
    t["outputs"] = {"resourceId": {"type": "string", "metadata": {"description": "The resource ID."},
                                   "value": "[resourceId('%s', parameters('name'))]" % arm_type},
                    "name": {"type": "string", "value": "[parameters('name')]"},
                    "location": {"type": "string", "value": "[reference('%s', '%s', 'full').location]" % (symbol, api)}}
    return t


def bicep_module(rng, arm_type, api, children, size):
    out = ["metadata name = '%s'\nmetadata description = 'This module deploys a %s.'\n\n" % (arm_type.split("/")[-1], arm_type)]
    out.append("@description('Required. Name of the resource.')\nparam name string\n\n@description('Optional. Location for all resources.')\nparam location string = resourceGroup().location\n\n")
    for i in range(rng.randint(10, 30) * size):
        out.append("@description('Optional. %s')\nparam setting%d %s = %s\n\n" % (sentence(rng, rng.randint(8, 30)), i, *rng.choice(
            [("bool", "false"), ("string", "'Enabled'"), ("int", "7"), ("object?", "null"), ("array", "[]")])))
    out.append("import { lockType, diagnosticSettingFullType, roleAssignmentType } from 'br/public:avm/utl/types/avm-common-types:0.5.1'\n\nparam lock lockType?\nparam diagnosticSettings diagnosticSettingFullType[]?\nparam roleAssignments roleAssignmentType[]?\nparam privateEndpoints array = []\nparam tags object?\nparam enableTelemetry bool = true\n\n")
    sym = arm_type.split("/")[-1]
    out.append("resource %s '%s@%s' = {\n  name: name\n  location: location\n  tags: tags\n  kind: setting0 ? 'StorageV2' : 'BlobStorage'\n  properties: {\n" % (sym, arm_type, api))
    for i in range(rng.randint(4, 12)):
        out.append("    prop%d: %s\n" % (i, rng.choice(["setting%d" % rng.randint(0, 9), "!empty(privateEndpoints) ? 'Disabled' : 'Enabled'", "'Standard'", "{\n      enabled: true\n      days: 7\n    }"])))
    out.append("  }\n}\n\n")
    out.append("resource %s_lock 'Microsoft.Authorization/locks@2020-05-01' = if (!empty(lock ?? {}) && lock.?kind != 'None') {\n  name: lock.?name ?? 'lock-${name}'\n  properties: {\n    level: lock.?kind ?? ''\n  }\n  scope: %s\n}\n\n" % (sym, sym))
    out.append("resource %s_diagnosticSettings 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = [\n  for (diagnosticSetting, index) in (diagnosticSettings ?? []): {\n    name: diagnosticSetting.?name ?? '${name}-diagnosticSettings'\n    properties: {\n      workspaceId: diagnosticSetting.?workspaceResourceId\n    }\n    scope: %s\n  }\n]\n\n" % (sym, sym))
    for seg, child in children:
        out.append("module %s_%s './%s/main.bicep' = if (!empty(%s)) {\n  name: '${uniqueString(deployment().name, location)}-%s'\n  params: {\n    %sName: %s.name\n    name: 'default'\n  }\n}\n\n" % (sym, child, seg, "setting1", seg, sym, sym))
    out.append("module %s_privateEndpoints 'br/public:avm/res/network/private-endpoint:0.11.0' = [\n  for (privateEndpoint, index) in (privateEndpoints ?? []): {\n    name: '${uniqueString(deployment().name, location)}-pe-${index}'\n    params: {\n      name: privateEndpoint.?name ?? 'pep-${last(split(%s.id, '/'))}-${index}'\n      location: privateEndpoint.?location ?? location\n    }\n  }\n]\n\n" % (sym, sym))
    out.append("@description('The resource ID.')\noutput resourceId string = %s.id\n\n@description('The name.')\noutput name string = %s.name\n\noutput location string = %s.location\n" % (sym, sym, sym))
    return "".join(out)


def test_bicep(rng, path):
    return ("targetScope = 'subscription'\n\nparam resourceGroupName string = 'dep-${namePrefix}-rg'\nparam resourceLocation string = deployment().location\nparam namePrefix string = '#_namePrefix_#'\n\n"
            "resource resourceGroup 'Microsoft.Resources/resourceGroups@2021-04-01' = {\n  name: resourceGroupName\n  location: resourceLocation\n}\n\n"
            "module testDeployment '../../../main.bicep' = {\n  scope: resourceGroup\n  name: '${uniqueString(deployment().name, resourceLocation)}-test'\n  params: {\n    name: '${namePrefix}%d'\n    location: resourceLocation\n  }\n}\n" % rng.randint(0, 999))


def tf_files(rng, example, modules):
    region = rng.choice(REGIONS)
    main = ['terraform {\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "~> 4.0"\n    }\n  }\n}\n\nprovider "azurerm" {\n  features {}\n}\n\n',
            'resource "azurerm_resource_group" "rg" {\n  name     = "rg-${var.environment_name}"\n  location = var.location\n  tags     = local.tags\n}\n\n',
            'locals {\n  tags = { azd-env-name = var.environment_name }\n  sha  = base64encode(sha256("${var.environment_name}${var.location}"))\n  resource_token = substr(replace(lower(local.sha), "[^A-Za-z0-9_]", ""), 0, 13)\n}\n\n']
    for m in modules:
        main.append('module "%s" {\n  source         = "../modules/%s"\n  location       = azurerm_resource_group.rg.location\n  rg_name        = azurerm_resource_group.rg.name\n  tags           = local.tags\n  resource_token = local.resource_token\n}\n\n' % (m, m))
    for i in range(rng.randint(2, 8)):
        main.append('resource "azurerm_role_assignment" "ra%d" {\n  scope                = azurerm_resource_group.rg.id\n  role_definition_name = "Reader"\n  principal_id         = var.principal_id\n}\n\n' % i)
    variables = 'variable "location" {\n  description = "The supported Azure location where the resource deployed"\n  type        = string\n  default     = "%s"\n}\n\nvariable "environment_name" {\n  description = "The name of the azd environment to be deployed"\n  type        = string\n}\n\nvariable "principal_id" {\n  type    = string\n  default = ""\n}\n' % region
    outputs = "".join('output "%s_id" {\n  value = module.%s.id\n}\n\n' % (m, m) for m in modules)
    return "".join(main), variables, outputs


TF_MODULES = {
    "storage": ('azurerm_storage_account', 'account_tier             = "Standard"\n  account_replication_type = "LRS"\n  min_tls_version          = "TLS1_2"'),
    "keyvault": ('azurerm_key_vault', 'tenant_id = data.azurerm_client_config.current.tenant_id\n  sku_name  = "standard"'),
    "appservice": ('azurerm_linux_web_app', 'service_plan_id = var.plan_id\n  https_only      = true\n  site_config {\n    always_on = true\n  }'),
    "cosmos": ('azurerm_cosmosdb_account', 'offer_type = "Standard"\n  kind       = "MongoDB"\n  consistency_policy {\n    consistency_level = "Session"\n  }\n  geo_location {\n    location          = var.location\n    failover_priority = 0\n  }'),
    "loganalytics": ('azurerm_log_analytics_workspace', 'sku               = "PerGB2018"\n  retention_in_days = 30'),
}


def tf_module(kind):
    rtype, body = TF_MODULES[kind]
    return ('data "azurerm_client_config" "current" {}\n\nresource "azurecaf_name" "name" {\n  name          = var.resource_token\n  resource_type = "%s"\n  random_length = 0\n  clean_input   = true\n}\n\n'
            'resource "%s" "main" {\n  name                = azurecaf_name.name.result\n  location            = var.location\n  resource_group_name = var.rg_name\n  tags                = var.tags\n  %s\n}\n\n'
            'variable "location" {\n  type = string\n}\n\nvariable "rg_name" {\n  type = string\n}\n\nvariable "tags" {\n  type = map(string)\n}\n\nvariable "resource_token" {\n  type = string\n}\n\nvariable "plan_id" {\n  type    = string\n  default = ""\n}\n\n'
            'output "id" {\n  value = %s.main.id\n}\n') % (rtype, rtype, body, rtype)


class Out:
    def __init__(self, root):
        self.root, self.bytes = root, {}

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        ext = os.path.splitext(rel)[1]
        n, b = self.bytes.get(ext, (0, 0))
        self.bytes[ext] = (n + 1, b + len(text.encode("utf-8")))

    def size(self, ext):
        return self.bytes.get(ext, (0, 0))[1]


def dump(t):
    return json.dumps(t, indent=2) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the targets (1.0: about 87 MB)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = Out(args.out)
    target_json, target_bicep, target_tf = 73.6e6 * args.scale, 11.3e6 * args.scale, 1.9e6 * args.scale
    n = 0
    # Verified modules: a module and its children, each as Bicep and its compiled copy.
    while out.size(".json") < 0.72 * target_json or out.size(".bicep") < 0.93 * target_bicep:
        path, arm_type, api, children = RESOURCES[n % len(RESOURCES)]
        base = "avm/res/%s-%d" % (path, n // len(RESOURCES))
        symbolic = rng.random() < 0.8
        size = rng.choice([1, 1, 2, 3, 6, 12])
        if out.size(".json") < 0.72 * target_json:
            out.write(base + "/main.json", dump(template(rng, arm_type, api, children, 0, symbolic, size)))
        out.write(base + "/main.bicep", bicep_module(rng, arm_type, api, children, size))
        for seg, child in children:
            out.write("%s/%s/main.bicep" % (base, seg), bicep_module(rng, "%s/%s" % (arm_type, child), api, [], 1))
            if out.size(".json") < 0.72 * target_json:
                out.write("%s/%s/main.json" % (base, seg), dump(template(rng, "%s/%s" % (arm_type, child), api, [], 2, symbolic, 1)))
        for case in ("defaults", "max", "waf-aligned"):
            out.write("%s/tests/e2e/%s/main.test.bicep" % (base, case), test_bicep(rng, base))
        n += 1
    # Quickstarts: compiled azuredeploy.json beside main.bicep, with a parameter file; older ones JSON only.
    q = 0
    while out.size(".json") < target_json:
        path, arm_type, api, children = RESOURCES[q % len(RESOURCES)]
        base = "quickstarts/%s-%d" % (path.replace("/", "-"), q)
        t = template(rng, arm_type, api, children, 1, rng.random() < 0.3, rng.choice([1, 2]))
        out.write(base + "/azuredeploy.json", dump(t))
        out.write(base + "/azuredeploy.parameters.json", dump({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "contentVersion": "1.0.0.0", "parameters": {"name": {"value": "qs%d" % q}, "location": {"value": rng.choice(REGIONS)}}}))
        if q % 3:
            out.write(base + "/main.bicep", bicep_module(rng, arm_type, api, [], 1))
        q += 1
    e = 0
    mods = sorted(TF_MODULES)
    for m in mods:
        out.write("terraform/modules/%s/main.tf" % m, tf_module(m))
    while out.size(".tf") < target_tf:
        main_tf, variables, outputs = tf_files(rng, e, rng.sample(mods, rng.randint(2, 5)))
        out.write("terraform/example-%04d/main.tf" % e, main_tf)
        out.write("terraform/example-%04d/variables.tf" % e, variables)
        out.write("terraform/example-%04d/outputs.tf" % e, outputs)
        e += 1
    for ext, (files, nbytes) in sorted(out.bytes.items()):
        print("%-7s %6d files %9.1f MB" % (ext, files, nbytes / 1e6))
    print("total   %6d files %9.1f MB" % (sum(v[0] for v in out.bytes.values()), sum(v[1] for v in out.bytes.values()) / 1e6))


if __name__ == "__main__":
    main()
