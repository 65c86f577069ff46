//! Shared helpers of the action's end-to-end tests: a git repository with a base and a head commit, event
//! payloads from `tests/fixtures/action/events/`, the injected environment, and a runner that checks that the
//! token appears in nothing the action wrote.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

pub mod fake;

use crate::github_support::*;
use azengage::action::ActionEnv;
use azengage::action::run::{RunOptions, RunResult, execute};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::{MockServer, Request};

pub const PR_COMMENTS: &str = "/repos/contoso/webshop/issues/42/comments";
pub const ISSUES: &str = "/repos/contoso/webshop/issues";

pub const BASE_TF: &str = r#"terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-webshop-prod"
  location = "westeurope"
}

resource "azurerm_storage_account" "assets" {
  name                     = "stwebshopassets"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
}
"#;

pub const HEAD_TF_ADDITION: &str = r#"
resource "azurerm_service_plan" "web" {
  name                = "asp-webshop-prod"
  resource_group_name = azurerm_resource_group.main.name
  location            = "northeurope"
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "storefront" {
  name                = "app-webshop-storefront"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_service_plan.web.location
  service_plan_id     = azurerm_service_plan.web.id

  site_config {}
}
"#;

pub const CONFIG: &str = "program:
  kind: founders-hub
  joined: 2026-06-01
  tier: 25k
  credits:
    total: 25000
    used: 9000
    expires: 2027-06-01
  review_lead_days: 45
";

/// A repository with a base and a head commit, and the runner's files around it.
pub struct Workspace {
    _dir: tempfile::TempDir,
    pub repo: PathBuf,
    pub base: String,
    pub head: String,
    pub summary: PathBuf,
    pub output: PathBuf,
    pub event: PathBuf,
}

pub fn git(repo: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Mona Lisa")
        .env("GIT_AUTHOR_EMAIL", "mona@contoso.example")
        .env("GIT_COMMITTER_NAME", "Mona Lisa")
        .env("GIT_COMMITTER_EMAIL", "mona@contoso.example")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Base: resource group and storage account (+ config). Head: adds an App Service in northeurope, or (when
/// `infra_change` is false) only edits the README.
pub fn workspace(infra_change: bool) -> Workspace {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("webshop");
    std::fs::create_dir_all(repo.join("infra")).expect("mkdir");
    std::fs::create_dir_all(repo.join(".github")).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"], "2026-10-05T09:00:00Z");
    std::fs::write(repo.join("infra/main.tf"), BASE_TF).expect("write");
    std::fs::write(repo.join(".github/azengage.yml"), CONFIG).expect("write");
    std::fs::write(repo.join("README.md"), "# webshop\n").expect("write");
    git(&repo, &["add", "-A"], "2026-10-05T09:00:00Z");
    git(
        &repo,
        &["commit", "-q", "-m", "infra: storage"],
        "2026-10-05T09:00:00Z",
    );
    let base = git(&repo, &["rev-parse", "HEAD"], "2026-10-05T09:00:00Z");
    if infra_change {
        std::fs::write(
            repo.join("infra/main.tf"),
            format!("{BASE_TF}{HEAD_TF_ADDITION}"),
        )
        .expect("write");
    } else {
        std::fs::write(repo.join("README.md"), "# webshop\n\nThe Contoso shop.\n").expect("write");
    }
    git(&repo, &["commit", "-qam", "change"], "2026-11-18T14:30:00Z");
    let head = git(&repo, &["rev-parse", "HEAD"], "2026-11-18T14:30:00Z");
    Workspace {
        summary: dir.path().join("step_summary.md"),
        output: dir.path().join("github_output"),
        event: dir.path().join("event.json"),
        _dir: dir,
        repo,
        base,
        head,
    }
}

/// Write `fixture` as the event payload, with the PR's commits replaced by `base`/`head` when given.
pub fn write_event(ws: &Workspace, fixture: &str, base: Option<&str>, head: Option<&str>) {
    let file = format!(
        "{}/tests/fixtures/action/events/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut payload: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("fixture")).expect("json");
    if let Some(pr) = payload.get_mut("pull_request") {
        if let Some(b) = base {
            pr["base"]["sha"] = json!(b);
        }
        if let Some(h) = head {
            pr["head"]["sha"] = json!(h);
        }
    }
    std::fs::write(&ws.event, payload.to_string()).expect("write event");
}

pub fn env(ws: &Workspace, event: &str, api: Option<&str>, extra: &[(&str, &str)]) -> ActionEnv {
    let mut vars: HashMap<String, String> = [
        ("GITHUB_EVENT_NAME", event),
        ("GITHUB_EVENT_PATH", ws.event.to_str().unwrap_or_default()),
        ("GITHUB_REPOSITORY", "contoso/webshop"),
        ("GITHUB_WORKSPACE", ws.repo.to_str().unwrap_or_default()),
        (
            "GITHUB_STEP_SUMMARY",
            ws.summary.to_str().unwrap_or_default(),
        ),
        ("GITHUB_OUTPUT", ws.output.to_str().unwrap_or_default()),
        ("GITHUB_RUN_ID", "11912345678"),
        ("INPUT_PATH", "."),
        ("INPUT_COMMENT", "on"),
        ("INPUT_MIN-SCORE", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if let Some(api) = api {
        vars.insert("GITHUB_API_URL".into(), api.into());
        vars.insert("INPUT_GITHUB-TOKEN".into(), TOKEN.into());
    }
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    ActionEnv::from_map(&vars).expect("valid inputs")
}

pub struct Ran {
    pub result: RunResult,
    pub stdout: String,
    pub stderr: String,
    pub summary: String,
    pub outputs: String,
}

/// Run the action off the test's runtime (it builds its own), as of `as_of`.
pub async fn run(ws: &Workspace, env: ActionEnv, as_of: &str) -> Ran {
    let as_of = as_of.parse().expect("date");
    let (result, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let opts = RunOptions {
            as_of: Some(as_of),
            retry: Some(fast_policy()),
        };
        let result = execute(env, &opts, &mut out, &mut err);
        (
            result,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    })
    .await
    .expect("run finishes");
    let ran = Ran {
        result,
        stdout,
        stderr,
        summary: std::fs::read_to_string(&ws.summary).unwrap_or_default(),
        outputs: std::fs::read_to_string(&ws.output).unwrap_or_default(),
    };
    for (what, text) in [
        ("stdout", &ran.stdout),
        ("stderr", &ran.stderr),
        ("summary", &ran.summary),
        ("outputs", &ran.outputs),
    ] {
        assert!(
            !text.contains(TOKEN) && !text.contains("16C7e42F292c"),
            "token in {what}: {text}"
        );
    }
    ran
}

/// The value of output `name` in the `$GITHUB_OUTPUT` heredoc format.
pub fn output(outputs: &str, name: &str) -> Option<String> {
    let mut lines = outputs.lines();
    while let Some(line) = lines.next() {
        if let Some(delim) = line.strip_prefix(&format!("{name}<<")) {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
            return Some(value.join("\n"));
        }
    }
    None
}

pub fn comment(id: u64, login: &str, kind: &str, body: &str) -> Value {
    json!({
        "url": format!("https://api.github.com/repos/contoso/webshop/issues/comments/{id}"),
        "html_url": format!("https://github.com/contoso/webshop/pull/42#issuecomment-{id}"),
        "issue_url": "https://api.github.com/repos/contoso/webshop/issues/42",
        "id": id, "node_id": format!("IC_kwDOLq1x5c6{id}"),
        "user": {"login": login, "id": 41898282, "type": kind, "site_admin": false},
        "created_at": "2026-11-20T09:01:30Z", "updated_at": "2026-11-20T09:01:30Z",
        "author_association": "NONE", "body": body,
        "reactions": {"total_count": 0, "+1": 0, "-1": 0}, "performed_via_github_app": null
    })
}

pub fn bot(id: u64, body: &str) -> Value {
    comment(id, "github-actions[bot]", "Bot", body)
}

pub fn body_of(request: &Request) -> String {
    serde_json::from_slice::<Value>(&request.body)
        .ok()
        .and_then(|v| v["body"].as_str().map(str::to_string))
        .unwrap_or_default()
}

pub async fn requests_to(server: &MockServer, verb: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == verb)
        .collect()
}

pub fn issue(number: u64, login: &str, kind: &str, body: &str) -> Value {
    json!({
        "url": format!("https://api.github.com/repos/contoso/webshop/issues/{number}"),
        "html_url": format!("https://github.com/contoso/webshop/issues/{number}"),
        "id": 2600000000u64 + number, "number": number, "title": "Azure engagement health report",
        "user": {"login": login, "id": 41898282, "type": kind}, "state": "open", "locked": false,
        "labels": [{"id": 208045946, "name": "azengage", "color": "0078d4", "default": false}],
        "assignee": null, "assignees": [], "milestone": null, "comments": 0,
        "created_at": "2026-09-07T06:20:11Z", "updated_at": "2026-11-16T06:21:40Z", "closed_at": null,
        "author_association": "NONE", "body": body, "state_reason": null
    })
}

pub async fn mount_no_deployments(server: &MockServer) {
    crate::fake_github::no_deployments().mount(server).await;
}
