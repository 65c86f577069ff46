//! AZE001 `no-monitoring`: resources are deployed but nothing watches them.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion, first_deployed, is_type};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE001",
    name: "no-monitoring",
    severity: RuleSeverity::Warning,
    title: "No Log Analytics workspace, Application Insights or diagnostic settings",
    what: "Fires when the repository deploys Azure resources but declares no Log Analytics workspace \
(`Microsoft.OperationalInsights/workspaces`), no Application Insights component (`Microsoft.Insights/components`) \
and no diagnostic settings (`Microsoft.Insights/diagnosticSettings`, also as a child `.../providers/diagnosticSettings`).",
    why: "Monitoring is one of the services an engaged Azure workload uses, and it adds a service category \
(Management and Governance) to the breadth of the estimate. A workload without telemetry also looks like a \
prototype rather than something customers rely on.",
    how: "Declare a Log Analytics workspace and an Application Insights component connected to it, and send the \
main resources' logs there with diagnostic settings.",
    example: r#"```bicep
resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}
```"#,
    check,
};

const MONITORING_TYPES: [&str; 3] = [
    "Microsoft.OperationalInsights/workspaces",
    "Microsoft.Insights/components",
    "Microsoft.Insights/diagnosticSettings",
];

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    if input.inventory.deployed().next().is_none() {
        return Vec::new();
    }
    let monitored = input
        .inventory
        .resources
        .iter()
        .filter(|r| r.deployed)
        .any(|r| {
            is_type(r.arm_type.as_deref(), &MONITORING_TYPES)
                || r.arm_type
                    .as_deref()
                    .is_some_and(|t| t.to_ascii_lowercase().ends_with("/diagnosticsettings"))
        });
    if monitored {
        return Vec::new();
    }
    let (file, line) = first_deployed(input);
    vec![RULE.suggest(
        "No monitoring is declared: add a Log Analytics workspace and Application Insights, and diagnostic \
         settings on the main resources.",
        file,
        line,
    )]
}
