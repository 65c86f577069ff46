//! AZE017 `unmanaged-resources`: services billed in the Cost Management exports that the IaC does not declare.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE017",
    name: "unmanaged-resources",
    severity: RuleSeverity::Warning,
    title: "Billed services are not declared in the infrastructure code",
    what: "Only with Cost Management exports. Fires when `costs.billed_not_in_iac` is not empty: a service has a \
non-zero cost in the 28 days ending at the exports' last charge day, and no deployed resource in the IaC matches \
it, by ARM type or by service name (a declared `Microsoft.Web/sites` matches App Service billed on its plan). \
The suggestion names the services.",
    why: "Resources made by hand in the portal are invisible to the repository: they do not show in the \
breadth of the estimate, cannot be reviewed or reproduced, and drift. The review credits usage either way, but \
what the repository shows is what azengage (and a reviewer reading it) can vouch for.",
    how: "Import each resource into the IaC. Terraform: write the `resource` block and an `import { to = ..., \
id = \"/subscriptions/.../resourceGroups/.../providers/...\" }` block, then `terraform plan` until it shows no \
change. Bicep: export the resource group's template (`az group export` or the portal's *Export template*), \
`az bicep decompile` it, and move the resource into your Bicep files. If the resource is no longer needed, \
delete it instead.",
    example: r#"```hcl
# The Redis cache was created in the portal; bring it under Terraform:
import {
  to = azurerm_redis_cache.sessions
  id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.Cache/redis/contoso-sessions"
}

resource "azurerm_redis_cache" "sessions" {
  name                = "contoso-sessions"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let Some(costs) = input.costs else {
        return Vec::new();
    };
    let billed = &costs.billed_not_in_iac;
    let Some(last) = billed.last() else {
        return Vec::new();
    };
    let names = match billed.len() {
        1 => last.clone(),
        _ => format!(
            "{} and {last}",
            billed
                .get(..billed.len() - 1)
                .unwrap_or_default()
                .join(", ")
        ),
    };
    let (verb, them) = if billed.len() == 1 {
        ("is", "it")
    } else {
        ("are", "them")
    };
    vec![RULE.suggest(
        format!(
            "{names} {verb} billed in the last 28 days of the cost exports but not declared in the IaC: import \
             {them} into the infrastructure code (Terraform `import` blocks, or Bicep from an exported and \
             decompiled template), or delete what is no longer needed."
        ),
        None,
        None,
    )]
}
