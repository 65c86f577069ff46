//! Which deployment tool a `uses:` action is, read with its `with:` inputs.
//!
//! Matching is case-insensitive on `owner/repo` and ignores `@ref`, as GitHub resolves action names
//! case-insensitively. Inputs matter where they turn a deployment into a dry run (`deploymentMode: Validate`,
//! `operation: whatIf`), a deletion (`action: close`) or decide whether anything is pushed.

use super::tools::{self, ACR_PUSH, TERRAFORM};

/// `azure/arm-deploy`.
pub const ARM_DEPLOY: &str = "arm-deploy";
/// `azure/bicep-deploy`.
pub const BICEP_DEPLOY: &str = "bicep-deploy";
/// `azure/webapps-deploy`, `azure/webapps-container-deploy`.
pub const WEBAPPS_DEPLOY: &str = "webapps-deploy";
/// `azure/functions-action`, `azure/functions-container-action`.
pub const FUNCTIONS_ACTION: &str = "functions-action";
/// `Azure/static-web-apps-deploy`.
pub const STATIC_WEB_APPS_DEPLOY: &str = "static-web-apps-deploy";
/// `azure/container-apps-deploy-action`.
pub const CONTAINER_APPS_DEPLOY: &str = "container-apps-deploy";
/// `azure/aci-deploy`.
pub const ACI_DEPLOY: &str = "aci-deploy";
/// `azure/k8s-deploy`.
pub const K8S_DEPLOY: &str = "k8s-deploy";
/// `azure/sql-action`, `azure/mysql-action`, `azure/postgresql`.
pub const SQL_ACTION: &str = "sql-action";

/// An action's `with:` inputs, values as strings (GitHub `${{ env.X }}` already replaced where known).
pub type Inputs = Vec<(String, String)>;

/// The input `name` (case-insensitive, as GitHub matches input names).
pub fn input<'a>(inputs: &'a Inputs, name: &str) -> Option<&'a str> {
    inputs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// What a `uses:` reference names: `owner/repo` and the path inside it, lower-cased, `@ref` dropped.
pub fn action_name(uses: &str) -> (String, String) {
    let without_ref = uses
        .trim()
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut parts = without_ref.splitn(3, '/');
    let owner = parts.next().unwrap_or_default();
    let repo = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or_default();
    (format!("{owner}/{repo}"), path.to_string())
}

/// The tool a remote action deploys with, if it is one of the contract's set and does deploy.
pub fn action_tool(uses: &str, inputs: &Inputs) -> Option<&'static str> {
    let (repo, path) = action_name(uses);
    // The retired monorepo `Azure/k8s-actions/k8s-deploy@master` held what is now `azure/k8s-deploy`.
    let repo = match (repo.as_str(), path.split('/').next()) {
        ("azure/k8s-actions", Some(action)) if !action.is_empty() => format!("azure/{action}"),
        _ => repo,
    };
    let lower = |name: &str| input(inputs, name).map(|v| v.trim().to_ascii_lowercase());
    match repo.as_str() {
        "azure/arm-deploy" => {
            let validates = lower("deploymentMode").is_some_and(|m| m == "validate");
            let what_if = lower("additionalArguments").is_some_and(|a| a.contains("--what-if"));
            (!validates && !what_if).then_some(ARM_DEPLOY)
        }
        "azure/bicep-deploy" => {
            let op = lower("operation").unwrap_or_default();
            (!matches!(op.as_str(), "validate" | "whatif" | "what-if" | "delete"))
                .then_some(BICEP_DEPLOY)
        }
        "azure/webapps-deploy" | "azure/webapps-container-deploy" => Some(WEBAPPS_DEPLOY),
        "azure/functions-action" | "azure/functions-container-action" => Some(FUNCTIONS_ACTION),
        "azure/static-web-apps-deploy" => {
            (lower("action").as_deref() != Some("close")).then_some(STATIC_WEB_APPS_DEPLOY)
        }
        "azure/container-apps-deploy-action" => Some(CONTAINER_APPS_DEPLOY),
        "azure/aci-deploy" => Some(ACI_DEPLOY),
        "azure/k8s-deploy" => Some(K8S_DEPLOY),
        "azure/sql-action" | "azure/mysql-action" | "azure/postgresql" => Some(SQL_ACTION),
        "hashicorp/tfc-workflows-github" => path.contains("apply").then_some(TERRAFORM),
        "hashicorp/terraform-github-actions" => {
            (lower("tf_actions_subcommand").as_deref() == Some("apply")).then_some(TERRAFORM)
        }
        r if r.contains("build-push") => build_push(&repo, inputs).then_some(ACR_PUSH),
        _ => None,
    }
}

/// A build-push action pushes to ACR when it pushes at all and a tag or registry input names `*.azurecr.io`.
/// `docker/build-push-action` pushes only with `push: true` (or a registry output); others push by default.
fn build_push(repo: &str, inputs: &Inputs) -> bool {
    let value = |name: &str| input(inputs, name).map(|v| v.trim().to_ascii_lowercase());
    let pushes = if repo == "docker/build-push-action" {
        let push = value("push").is_some_and(|p| p != "false" && !p.is_empty());
        let output = value("outputs")
            .is_some_and(|o| o.contains("type=registry") || o.contains("push=true"));
        push || output
    } else {
        !["push", "pushimage"]
            .iter()
            .any(|n| value(n).as_deref() == Some("false"))
    };
    let targets = ["tags", "registry", "image", "images"]
        .iter()
        .filter_map(|n| input(inputs, n))
        .flat_map(|v| {
            v.split([',', '\n', ' '])
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .any(|t| tools::is_acr_reference(&t));
    pushes && targets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(pairs: &[(&str, &str)]) -> Inputs {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn matches_owner_and_repo_case_insensitively_ignoring_ref() {
        assert_eq!(
            action_tool("Azure/ARM-Deploy@v2", &inputs(&[])),
            Some(ARM_DEPLOY)
        );
        assert_eq!(
            action_tool(
                "azure/webapps-deploy@85270a1854658d167ab239bce43949edb336fa7c",
                &inputs(&[])
            ),
            Some(WEBAPPS_DEPLOY)
        );
        assert_eq!(
            action_tool(
                "Azure/static-web-apps-deploy@v1",
                &inputs(&[("action", "upload")])
            ),
            Some(STATIC_WEB_APPS_DEPLOY)
        );
    }

    #[test]
    fn every_named_action_maps_to_its_tool() {
        let cases = [
            ("azure/bicep-deploy@v2", BICEP_DEPLOY),
            ("azure/webapps-container-deploy@v1", WEBAPPS_DEPLOY),
            ("Azure/functions-action@v1", FUNCTIONS_ACTION),
            ("azure/functions-container-action@v1", FUNCTIONS_ACTION),
            (
                "azure/container-apps-deploy-action@v1",
                CONTAINER_APPS_DEPLOY,
            ),
            ("azure/aci-deploy@v1", ACI_DEPLOY),
            ("Azure/k8s-deploy@v5", K8S_DEPLOY),
            ("azure/sql-action@v2.3", SQL_ACTION),
            ("azure/mysql-action@v1", SQL_ACTION),
            ("azure/postgresql@v1", SQL_ACTION),
            (
                "hashicorp/tfc-workflows-github/actions/apply-run@v1.3.0",
                TERRAFORM,
            ),
            ("Azure/k8s-actions/k8s-deploy@master", K8S_DEPLOY),
        ];
        for (uses, tool) in cases {
            assert_eq!(action_tool(uses, &inputs(&[])), Some(tool), "{uses}");
        }
    }

    #[test]
    fn setup_login_and_other_actions_are_not_tools() {
        for uses in [
            "Azure/setup-azd@v2",
            "azure/login@v2",
            "hashicorp/setup-terraform@v3",
            "azure/setup-helm@v4",
            "azure/aks-set-context@v4",
            "azure/docker-login@v2",
            "actions/checkout@v4",
            "hashicorp/tfc-workflows-github/actions/upload-configuration@v1",
            "dflook/terraform-apply@v1",
        ] {
            assert_eq!(action_tool(uses, &inputs(&[])), None, "{uses}");
        }
    }

    #[test]
    fn dry_runs_and_deletions_through_inputs_are_not_deployments() {
        assert_eq!(
            action_tool(
                "azure/arm-deploy@v2",
                &inputs(&[("deploymentMode", "Validate")])
            ),
            None
        );
        assert_eq!(
            action_tool(
                "azure/arm-deploy@v2",
                &inputs(&[("additionalArguments", "--what-if")])
            ),
            None
        );
        assert_eq!(
            action_tool(
                "azure/arm-deploy@v2",
                &inputs(&[("deploymentMode", "Incremental")])
            ),
            Some(ARM_DEPLOY)
        );
        assert_eq!(
            action_tool("azure/bicep-deploy@v2", &inputs(&[("operation", "whatIf")])),
            None
        );
        assert_eq!(
            action_tool(
                "azure/bicep-deploy@v2",
                &inputs(&[("operation", "validate")])
            ),
            None
        );
        assert_eq!(
            action_tool("azure/bicep-deploy@v2", &inputs(&[("operation", "create")])),
            Some(BICEP_DEPLOY)
        );
        assert_eq!(
            action_tool(
                "Azure/static-web-apps-deploy@v1",
                &inputs(&[("action", "close")])
            ),
            None
        );
        let old = "hashicorp/terraform-github-actions@master";
        assert_eq!(
            action_tool(old, &inputs(&[("tf_actions_subcommand", "plan")])),
            None
        );
        assert_eq!(
            action_tool(old, &inputs(&[("tf_actions_subcommand", "apply")])),
            Some(TERRAFORM)
        );
    }

    #[test]
    fn build_push_counts_only_pushes_to_azure_container_registry() {
        let acr = inputs(&[
            ("push", "true"),
            ("tags", "contoso.azurecr.io/web:${{ github.sha }}"),
        ]);
        assert_eq!(
            action_tool("docker/build-push-action@v6", &acr),
            Some(ACR_PUSH)
        );
        let expr_push = inputs(&[
            ("push", "${{ github.event_name != 'pull_request' }}"),
            ("tags", "contoso.azurecr.io/web:1"),
        ]);
        assert_eq!(
            action_tool("docker/build-push-action@v6", &expr_push),
            Some(ACR_PUSH)
        );
        let no_push = inputs(&[("tags", "contoso.azurecr.io/web:latest")]);
        assert_eq!(action_tool("docker/build-push-action@v6", &no_push), None);
        let hub = inputs(&[
            ("push", "true"),
            ("tags", "contoso/web:latest\nghcr.io/contoso/web:latest"),
        ]);
        assert_eq!(action_tool("docker/build-push-action@v6", &hub), None);
        let other = inputs(&[("registry", "contoso.azurecr.io"), ("image", "web")]);
        assert_eq!(
            action_tool("mr-smithers-excellent/docker-build-push@v6", &other),
            Some(ACR_PUSH)
        );
    }
}
