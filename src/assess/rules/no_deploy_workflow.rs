//! AZE015 `no-deploy-workflow`: no workflow deploys the infrastructure.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE015",
    name: "no-deploy-workflow",
    severity: RuleSeverity::Warning,
    title: "No workflow deploys the infrastructure",
    what: "Fires when the repository declares Azure resources but no workflow in `.github/workflows/` deploys \
to Azure (`azd`, `az deployment`, `azure/arm-deploy`, `terraform apply`, `azure/webapps-deploy`, ...).",
    why: "Deployments from a workflow give the steady, visible weekly activity the review looks for, and \
every run counts in the estimate's consistency component. Deploying by hand leaves no trace.",
    how: "Add a workflow that deploys on push to the main branch, signing in with OpenID Connect \
(`azure/login` with a federated credential) rather than a stored secret.",
    example: r#"```yaml
# .github/workflows/deploy.yml
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: azure/login@v2
        with:
          client-id: ${{ vars.AZURE_CLIENT_ID }}
          tenant-id: ${{ vars.AZURE_TENANT_ID }}
          subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
      - run: az deployment group create -g rg-app -f infra/main.bicep
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    if input.inventory.deployed().next().is_none() {
        return Vec::new();
    }
    let workflows = &input.activity.workflows;
    if workflows.iter().any(|w| w.deploys) {
        return Vec::new();
    }
    let detail = if workflows.is_empty() {
        "There is no workflow in .github/workflows/; add one that deploys the infrastructure on push to the \
         main branch."
            .to_string()
    } else {
        format!(
            "None of the {} workflows deploys to Azure; add a deploy step (az deployment, azd, terraform \
             apply, ...) on push to the main branch.",
            workflows.len()
        )
    };
    let file = workflows.first().map(|w| w.file.clone());
    let line = file.as_ref().map(|_| 1);
    vec![RULE.suggest(detail, file, line)]
}
