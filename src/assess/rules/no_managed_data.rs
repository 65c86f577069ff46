//! AZE004 `no-managed-data`: no managed database, cache or storage service.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion, first_deployed};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE004",
    name: "no-managed-data",
    severity: RuleSeverity::Note,
    title: "No managed database, cache or storage service",
    what: "Fires when the repository deploys Azure resources but none of them is in the Databases or Storage \
service categories (Azure SQL, Cosmos DB, Azure Database for PostgreSQL/MySQL, Azure Cache for Redis, Storage \
Accounts, ...).",
    why: "A product keeps data somewhere. When it is not in a managed Azure data service, it is either outside \
Azure (which the review cannot see) or on a VM disk; either way the workload shows fewer services and no \
Data & AI solution area.",
    how: "Move the application's data to a managed service and declare it in the same IaC, e.g. Azure Database \
for PostgreSQL flexible server or Cosmos DB for operational data and a Storage Account for files.",
    example: r#"```terraform
resource "azurerm_postgresql_flexible_server" "db" {
  name                = "psql-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = var.location
  version             = "16"
  sku_name            = "B_Standard_B1ms"
}
```"#,
    check,
};

const DATA_CATEGORIES: [&str; 2] = ["Databases", "Storage"];

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    if input.inventory.deployed().next().is_none() {
        return Vec::new();
    }
    let has_data = input.inventory.billable().any(|r| {
        r.category
            .as_deref()
            .is_some_and(|c| DATA_CATEGORIES.contains(&c))
    });
    if has_data {
        return Vec::new();
    }
    let (file, line) = first_deployed(input);
    vec![RULE.suggest(
        "No managed database, cache or storage account is declared; declare where the application keeps its \
         data (Azure SQL, Cosmos DB, PostgreSQL flexible server, Redis, Storage).",
        file,
        line,
    )]
}
