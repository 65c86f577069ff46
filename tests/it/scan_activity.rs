//! `scan` on real repositories: deployments inferred from pushes (no token), the empty-window rule, and the
//! services and regions each week touched as the commits of that week had them. Text and Markdown are
//! snapshot-tested.

use crate::git_support;

use assert_cmd::Command;
use azengage::pipeline::DeploymentsUnread;
use git_support::Repo;
use serde_json::{Value, json};

/// The azd workflow of the Azure-Samples templates.
const AZURE_DEV_YML: &str = r#"on:
  workflow_dispatch:
  push:
    # Run when commits are pushed to mainline branch (main or master)
    # Set this to the mainline branch you are using
    branches:
      - main
      - master

permissions:
  id-token: write
  contents: read

jobs:
  build:
    runs-on: ubuntu-latest
    env:
      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}
      AZURE_TENANT_ID: ${{ vars.AZURE_TENANT_ID }}
      AZURE_SUBSCRIPTION_ID: ${{ vars.AZURE_SUBSCRIPTION_ID }}
      AZURE_ENV_NAME: ${{ vars.AZURE_ENV_NAME }}
      AZURE_LOCATION: ${{ vars.AZURE_LOCATION }}
    steps:
      - name: Checkout
        uses: actions/checkout@v4
      - name: Install azd
        uses: Azure/setup-azd@v2
      - name: Log in with Azure (Federated Credentials)
        run: |
          azd auth login `
            --client-id "$Env:AZURE_CLIENT_ID" `
            --federated-credential-provider "github" `
            --tenant-id "$Env:AZURE_TENANT_ID"
        shell: pwsh
      - name: Provision Infrastructure
        run: azd provision --no-prompt
      - name: Deploy Application
        run: azd deploy --no-prompt
"#;

const AI_BICEP: &str = r#"param location string = 'swedencentral'

resource openai 'Microsoft.CognitiveServices/accounts@2023-05-01' = {
  name: 'oai-chat'
  location: location
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: 'oai-chat'
  }
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2023-04-15' = {
  name: 'cosmos-chat'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
      }
    ]
  }
}

resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: 'srch-chat'
  location: location
  sku: {
    name: 'basic'
  }
}
"#;

const WEB_BICEP: &str = r#"param location string = 'westus2'

resource plan 'Microsoft.Web/serverfarms@2022-03-01' = {
  name: 'plan-chat'
  location: location
  sku: {
    name: 'B1'
  }
}
"#;

fn azengage(repo: &Repo, args: &[&str]) -> String {
    let out = Command::cargo_bin("azengage")
        .unwrap()
        .current_dir(repo.path())
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .args(args)
        .arg("--color")
        .arg("never")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn scan_json(repo: &Repo, as_of: &str) -> Value {
    serde_json::from_str(&azengage(
        repo,
        &["scan", "--format", "json", "--as-of", as_of],
    ))
    .unwrap()
}

/// An azd project: AI services added in July, replaced by an App Service plan in September, then app-only
/// pushes to main every week (merged PRs among them) and an unmerged feature branch.
fn shipping_repo() -> Repo {
    let repo = Repo::new();
    repo.write(".github/workflows/azure-dev.yml", AZURE_DEV_YML);
    repo.write("infra/main.bicep", AI_BICEP);
    repo.write("src/app.py", "print('v0')\n");
    repo.commit("AI services", "2026-07-07 10:00:00 +0000");
    repo.write("infra/main.bicep", WEB_BICEP);
    repo.commit("Host on App Service instead", "2026-09-08 10:00:00 +0000");
    for (i, day) in [
        "2026-10-06",
        "2026-10-13",
        "2026-10-27",
        "2026-11-03",
        "2026-11-17",
    ]
    .iter()
    .enumerate()
    {
        repo.write_and_commit(
            "src/app.py",
            &format!("print('v{}')\n", i + 1),
            &format!("{day} 10:00:00 +0000"),
        );
    }
    repo.branch("feature/chat-history");
    repo.write_and_commit("src/history.py", "h = []\n", "2026-11-18 10:00:00 +0000");
    repo.write_and_commit("src/history.py", "h = [1]\n", "2026-11-19 10:00:00 +0000");
    repo.switch("main");
    repo.merge_no_ff("feature/chat-history", "2026-11-20 10:00:00 +0000");
    repo.branch("feature/unmerged");
    repo.write_and_commit("src/wip.py", "wip\n", "2026-11-21 10:00:00 +0000");
    repo.switch("main");
    repo
}

#[test]
fn pushes_that_trigger_the_deploy_workflow_count_as_deployments() {
    let repo = shipping_repo();
    let v = scan_json(&repo, "2026-11-24");
    let activity = &v["activity"];
    assert_eq!(activity["deployments_source"], "inferred");
    assert_eq!(
        activity["deployments_basis"],
        "inferred from pushes to main that trigger azure-dev.yml"
    );
    let weeks: Vec<(String, u64, u64)> = activity["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["iac_commits"].as_u64().unwrap() + w["deployments"].as_u64().unwrap() > 0)
        .map(|w| {
            (
                w["week_start"].as_str().unwrap().to_string(),
                w["iac_commits"].as_u64().unwrap(),
                w["deployments"].as_u64().unwrap(),
            )
        })
        .collect();
    let week = |d: &str, c: u64, n: u64| (d.to_string(), c, n);
    assert_eq!(
        weeks,
        vec![
            week("2026-07-06", 1, 1),
            week("2026-09-07", 1, 1),
            week("2026-10-05", 0, 1),
            week("2026-10-12", 0, 1),
            week("2026-10-26", 0, 1),
            week("2026-11-02", 0, 1),
            // The app push on Tuesday and the merge on Friday; not the PR's own commits, not the unmerged branch.
            week("2026-11-16", 0, 2),
        ]
    );
    let metrics = &activity["metrics"];
    assert_eq!(metrics["active_weeks_13"], 6);
    assert_eq!(metrics["weeks_since_last_activity"], 1);
    // Deployments keep the infrastructure from reading as stale.
    let rules: Vec<&str> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"stale-infrastructure"), "{rules:?}");
    let text = azengage(&repo, &["scan", "--as-of", "2026-11-24"]);
    let activity_text = section(&text, "Activity");
    insta::assert_snapshot!("scan_activity_inferred_text", activity_text);
    let md = azengage(
        &repo,
        &["scan", "--format", "markdown", "--as-of", "2026-11-24"],
    );
    let activity_md = section_md(&md, "### Activity");
    insta::assert_snapshot!("scan_activity_inferred_markdown", activity_md);
}

#[test]
fn services_and_regions_touched_are_read_at_each_commit() {
    let repo = shipping_repo();
    let v = scan_json(&repo, "2026-11-24");
    let weekly = v["activity"]["weekly"].as_array().unwrap();
    let at = |d: &str| weekly.iter().find(|w| w["week_start"] == d).unwrap();
    // July: the commit added OpenAI, Cosmos DB and AI Search in swedencentral, though today's file declares
    // only an App Service plan in westus2.
    assert_eq!(
        at("2026-07-06")["services_touched"],
        json!(["Azure AI Search", "Azure OpenAI", "Cosmos DB"])
    );
    assert_eq!(
        at("2026-07-06")["regions_touched"],
        json!(["swedencentral"])
    );
    assert_eq!(at("2026-09-07")["regions_touched"], json!(["westus2"]));
    assert!(at("2026-10-05").get("services_touched").is_none());
}

#[test]
fn an_empty_last_quarter_scores_no_consistency_and_says_so() {
    let repo = Repo::new();
    repo.write(".github/workflows/azure-dev.yml", AZURE_DEV_YML);
    repo.write("infra/main.bicep", WEB_BICEP);
    repo.commit("initial", "2025-04-08 10:00:00 +0000");
    let v = scan_json(&repo, "2026-11-24");
    assert_eq!(v["activity"]["metrics"]["active_weeks_13"], 0);
    assert_eq!(
        v["score"]["consistency"]["points"], 0.0,
        "{:#}",
        v["score"]["consistency"]
    );
    let text = azengage(&repo, &["scan", "--as-of", "2026-11-24"]);
    assert!(text.contains("no activity in the last 13 weeks"), "{text}");
    assert!(!text.contains("busiest week 2"), "{text}");
    let rules: Vec<&str> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"stale-infrastructure"), "{rules:?}");
}

#[test]
fn without_a_deploying_workflow_the_source_is_none() {
    let repo = Repo::new();
    repo.write("infra/main.bicep", WEB_BICEP);
    repo.commit("initial", "2026-11-10 10:00:00 +0000");
    let v = scan_json(&repo, "2026-11-24");
    assert_eq!(v["activity"]["deployments_source"], "none");
    let text = azengage(&repo, &["scan", "--as-of", "2026-11-24"]);
    assert!(
        text.contains("0 deployments, no workflow deploys to Azure"),
        "{text}"
    );
}

/// The lines of a text report's section, from its heading to the next blank line before a heading.
fn section(text: &str, heading: &str) -> String {
    let start = text.find(&format!("\n{heading}\n")).expect(heading) + 1;
    let rest = &text[start..];
    let end = rest[heading.len() + 1..]
        .find("\n\n")
        .map_or(rest.len(), |i| i + heading.len() + 1);
    rest[..end].to_string()
}

/// A Markdown section from its heading to the next heading.
fn section_md(md: &str, heading: &str) -> String {
    let start = md.find(heading).expect(heading);
    let rest = &md[start..];
    let end = rest[heading.len()..]
        .find("\n#")
        .map_or(rest.len(), |i| i + heading.len());
    rest[..end].to_string()
}

/// The GitHub API's answer, as the action's source gives it.
struct Runs(Result<Vec<jiff::civil::Date>, DeploymentsUnread>);

impl azengage::pipeline::DeploymentSource for Runs {
    fn deployment_dates(
        &self,
        _workflow_files: &[String],
        _since: jiff::civil::Date,
        _as_of: jiff::civil::Date,
    ) -> Result<Vec<jiff::civil::Date>, DeploymentsUnread> {
        self.0.clone()
    }
}

#[test]
fn runs_from_the_api_win_and_inference_is_the_fallback() {
    let repo = shipping_repo();
    let scan = |source: &Runs| {
        azengage::pipeline::scan(&azengage::pipeline::ScanParams {
            path: repo.path().to_path_buf(),
            config: None,
            as_of: jiff::civil::date(2026, 11, 24),
            since: None,
            costs: None,
            options: azengage::iac::ScanOptions::default(),
            deployments: Some(source),
        })
        .unwrap()
        .report
        .activity
    };
    let runs = scan(&Runs(Ok(vec![jiff::civil::date(2026, 11, 18)])));
    assert_eq!(runs.deployments_source, "runs");
    let total: u32 = runs.weekly.iter().map(|w| w.deployments).sum();
    assert_eq!(total, 1);
    let refused = scan(&Runs(Err(DeploymentsUnread::NotPermitted(
        "no permission to read actions".into(),
    ))));
    assert_eq!(refused.deployments_source, "inferred");
    let total: u32 = refused.weekly.iter().map(|w| w.deployments).sum();
    assert_eq!(total, 8);
}
