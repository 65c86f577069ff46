//! AZE009 `deprecated-service`: a resource type that is retired or deprecated is used.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::model::Resource;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE009",
    name: "deprecated-service",
    severity: RuleSeverity::Warning,
    title: "A retired or deprecated resource type is used",
    what: "Fires for each resource whose Terraform type the azurerm provider marks deprecated or has removed \
(`azurerm_app_service`, `azurerm_mysql_server`, ...), and for ARM types and kinds Microsoft has retired or is \
retiring (Cloud Services (classic), Azure Database for MySQL/PostgreSQL single server, Data Lake Storage Gen1, \
Data Lake Analytics, Time Series Insights, Machine Learning Studio (classic), Front Door (classic), \
general-purpose v1 storage accounts).",
    why: "Retired services stop working or cannot be created, so the deployment fails or the workload depends \
on something that is going away; a reviewer reads it as an unmaintained setup.",
    how: "Move to the successor the detail names (e.g. `azurerm_linux_web_app`, MySQL/PostgreSQL flexible \
server, `StorageV2`) and plan the data migration.",
    example: r#"```terraform
# before: removed from the azurerm provider
# resource "azurerm_app_service" "web" { ... }
resource "azurerm_linux_web_app" "web" {
  name                = "app-web"
  service_plan_id     = azurerm_service_plan.plan.id
  resource_group_name = azurerm_resource_group.rg.name
  location            = var.location
  site_config {}
}
```"#,
    check,
};

/// Retired or retiring ARM types (lower-case; a namespace when ending in `/`) and what replaces them.
const RETIRED_TYPES: [(&str, &str); 10] = [
    (
        "microsoft.machinelearning/workspaces",
        "Machine Learning Studio (classic) is retired; use Azure Machine Learning (Microsoft.MachineLearningServices/workspaces)",
    ),
    (
        "microsoft.network/frontdoors",
        "Azure Front Door (classic) is being retired; migrate to Azure Front Door Standard/Premium (Microsoft.Cdn/profiles)",
    ),
    (
        "microsoft.classiccompute/",
        "Cloud Services (classic) is retired; use Cloud Services (extended support), App Service or AKS",
    ),
    (
        "microsoft.classicstorage/",
        "classic storage accounts are retired; use Azure Resource Manager storage accounts",
    ),
    (
        "microsoft.classicnetwork/",
        "classic virtual networks are retired; use Azure Resource Manager virtual networks",
    ),
    (
        "microsoft.dbformysql/servers",
        "Azure Database for MySQL single server is retired; use flexible server (Microsoft.DBforMySQL/flexibleServers)",
    ),
    (
        "microsoft.dbforpostgresql/servers",
        "Azure Database for PostgreSQL single server is retired; use flexible server (Microsoft.DBforPostgreSQL/flexibleServers)",
    ),
    (
        "microsoft.datalakestore/",
        "Data Lake Storage Gen1 is retired; use a Storage Account with hierarchical namespace (Gen2)",
    ),
    (
        "microsoft.datalakeanalytics/",
        "Data Lake Analytics is retired; use Azure Synapse Analytics or Microsoft Fabric",
    ),
    (
        "microsoft.timeseriesinsights/",
        "Time Series Insights is retired; use Azure Data Explorer or Microsoft Fabric",
    ),
];

/// Retired ARM types that are only retired for one `kind`, with the replacement.
const RETIRED_KINDS: [(&str, &str, &str); 1] = [(
    "microsoft.storage/storageaccounts",
    "storage",
    "general-purpose v1 storage accounts (kind 'Storage') are being retired; upgrade to kind 'StorageV2'",
)];

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    input
        .inventory
        .resources
        .iter()
        .filter(|r| r.deployed && !r.existing)
        .filter_map(|r| {
            let why = terraform_reason(r).or_else(|| arm_reason(r))?;
            Some(RULE.suggest(
                format!("'{}' ({}): {why}", r.name, r.source_type),
                Some(r.file.clone()),
                Some(r.line),
            ))
        })
        .collect()
}

fn terraform_reason(r: &Resource) -> Option<String> {
    let t = crate::catalog::terraform_type(&r.source_type)?;
    if t.removed {
        Some("removed from the azurerm provider; move to its successor resource".to_string())
    } else if t.deprecated {
        // Notes read "...; doc: Front Door (classic) deprecated 2025-04-01": the part after `doc:` is the news.
        let note = t.note.rsplit("doc: ").next().unwrap_or(t.note).trim();
        let note = if note.is_empty() {
            "see the provider docs for the successor"
        } else {
            note
        };
        Some(format!("deprecated in the azurerm provider ({note})"))
    } else {
        None
    }
}

fn arm_reason(r: &Resource) -> Option<String> {
    let arm = r.arm_type.as_deref()?.to_ascii_lowercase();
    // A namespace entry (ending in `/`) covers every type in it; a type entry covers the type and its children.
    let covers = |t: &str| {
        if t.ends_with('/') {
            arm.starts_with(t)
        } else {
            arm == t
                || arm
                    .strip_prefix(t)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
    };
    if let Some((_, why)) = RETIRED_TYPES.iter().find(|(t, _)| covers(t)) {
        return Some((*why).to_string());
    }
    let kind = r.kind.as_deref()?.to_ascii_lowercase();
    RETIRED_KINDS
        .iter()
        .find(|(t, k, _)| arm == *t && kind == *k)
        .map(|(_, _, why)| (*why).to_string())
}
