//! `azengage action` end to end: a real git repository in a temp dir (base and head commits changing
//! `infra/main.tf`), real webhook payload shapes (`tests/fixtures/action/events/`), and wiremock standing in for
//! GitHub's REST API. Each test runs the action's entry (`execute`, the same code `azengage action` runs) with
//! an injected environment and checks what GitHub was sent, the exit code, the job summary and the outputs,
//! and that the token appears nowhere.

mod github_support;

use azengage::action::ActionEnv;
use azengage::action::run::{RunOptions, RunResult, execute};
use github_support::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::matchers::{body_partial_json, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PR_COMMENTS: &str = "/repos/contoso/webshop/issues/42/comments";
const ISSUES: &str = "/repos/contoso/webshop/issues";

const BASE_TF: &str = r#"terraform {
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

const HEAD_TF_ADDITION: &str = r#"
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

const CONFIG: &str = "program:
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
struct Workspace {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    base: String,
    head: String,
    summary: PathBuf,
    output: PathBuf,
    event: PathBuf,
}

fn git(repo: &Path, args: &[&str], date: &str) -> String {
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
fn workspace(infra_change: bool) -> Workspace {
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
fn write_event(ws: &Workspace, fixture: &str, base: Option<&str>, head: Option<&str>) {
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

fn env(ws: &Workspace, event: &str, api: Option<&str>, extra: &[(&str, &str)]) -> ActionEnv {
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

struct Ran {
    result: RunResult,
    stdout: String,
    stderr: String,
    summary: String,
    outputs: String,
}

/// Run the action off the test's runtime (it builds its own), as of `as_of`.
async fn run(ws: &Workspace, env: ActionEnv, as_of: &str) -> Ran {
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
fn output(outputs: &str, name: &str) -> Option<String> {
    let mut lines = outputs.lines();
    while let Some(line) = lines.next() {
        if let Some(delim) = line.strip_prefix(&format!("{name}<<")) {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
            return Some(value.join("\n"));
        }
    }
    None
}

fn comment(id: u64, login: &str, kind: &str, body: &str) -> Value {
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

fn bot(id: u64, body: &str) -> Value {
    comment(id, "github-actions[bot]", "Bot", body)
}

fn body_of(request: &Request) -> String {
    serde_json::from_slice::<Value>(&request.body)
        .ok()
        .and_then(|v| v["body"].as_str().map(str::to_string))
        .unwrap_or_default()
}

async fn requests_to(server: &MockServer, verb: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == verb)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn first_pr_run_creates_the_comment_within_the_request_budget() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .and(query_param("per_page", "100"))
        .respond_with(json_reply(
            200,
            json!([comment(7001, "mona", "User", "LGTM")]).to_string(),
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            201,
            bot(7002, "<!-- azengage -->\n").to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(ran.result.api_requests, 3, "list, create, re-list");
    assert!(ran.result.api_requests <= 5);
    let posted = body_of(&requests_to(&server, "POST").await[0]);
    // docs/action.md shows this body: `AZENGAGE_SAMPLE_COMMENT=/tmp/c.md cargo test --test action_e2e`.
    if let Ok(sample) = std::env::var("AZENGAGE_SAMPLE_COMMENT") {
        std::fs::write(sample, &posted).expect("sample written");
    }
    assert!(
        posted.starts_with("<!-- azengage -->\n## What this pull request changes"),
        "{posted}"
    );
    assert!(
        posted.contains("| added | `storefront` | `Microsoft.Web/sites` |"),
        "{posted}"
    );
    assert!(posted.contains("Regions: added northeurope."), "{posted}");
    assert!(posted.contains("## Azure engagement estimate"), "{posted}");
    assert!(posted.len() <= 65_536);
    assert_eq!(
        output(&ran.outputs, "report-url").as_deref(),
        Some("https://github.com/contoso/webshop/pull/42#issuecomment-7002")
    );
    let services = output(&ran.outputs, "services").unwrap_or_default();
    assert!(
        services.contains("App Service") && services.contains("Storage"),
        "{services}"
    );
    let mut regions: Vec<String> = output(&ran.outputs, "regions")
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    regions.sort();
    assert_eq!(regions, ["northeurope", "westeurope"]);
    assert_eq!(
        output(&ran.outputs, "review-date").as_deref(),
        Some("2027-04-17")
    );
    assert_eq!(
        output(&ran.outputs, "days-to-review").as_deref(),
        Some("148")
    );
    let score: u32 = output(&ran.outputs, "score")
        .and_then(|s| s.parse().ok())
        .expect("score");
    assert!(score <= 100);
    assert!(
        ran.summary.contains(
            "PR comment posted: https://github.com/contoso/webshop/pull/42#issuecomment-7002"
        ),
        "{}",
        ran.summary
    );
    assert!(ran.summary.contains("pull request #42"), "{}", ran.summary);
    // The PR title holds HTML and a mention: it is shown in a code span only.
    assert!(
        ran.summary
            .contains("`infra: add the App Service for the storefront <b>@contoso/infra</b>`")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn second_run_edits_our_comment_in_place() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    let existing = json!([
        comment(7001, "mona", "User", "LGTM"),
        bot(
            7002,
            "<!-- azengage -->\n## What this pull request changes\n\nstale"
        ),
    ]);
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, existing.to_string()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/7002"))
        .respond_with(json_reply(
            200,
            bot(7002, "<!-- azengage -->\n").to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(ran.result.api_requests, 2);
    let edited = body_of(&requests_to(&server, "PATCH").await[0]);
    assert!(
        edited.contains("`storefront`") && !edited.contains("stale"),
        "{edited}"
    );
    assert!(
        ran.summary.contains("PR comment updated"),
        "{}",
        ran.summary
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_race_between_two_runs_leaves_one_comment() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, "[]".into()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // The other run created 7100 between our listing and our create (7101).
    let both = json!([
        bot(7100, "<!-- azengage -->\nother run"),
        bot(7101, "<!-- azengage -->\nours")
    ]);
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, both.to_string()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            201,
            bot(7101, "<!-- azengage -->\nours").to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/7100"))
        .respond_with(json_reply(200, bot(7100, "x").to_string()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/contoso/webshop/issues/comments/7101"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert!(
        ran.summary.contains("#issuecomment-7100") && ran.summary.contains("1 duplicate"),
        "{}",
        ran.summary
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_write_from_a_fork_exits_zero_and_says_permission() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_synchronize_fork.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/issues/57/comments"))
        .respond_with(json_reply(200, "[]".into()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/issues/57/comments"))
        .respond_with(json_reply(
            403,
            json!({"message": "Resource not accessible by integration",
                   "documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
                   "status": "403"})
            .to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert!(
        ran.summary
            .contains("Could not post the comment: the token lacks permission (403)"),
        "{}",
        ran.summary
    );
    assert!(
        ran.summary.contains("## Azure engagement health report"),
        "the scan is in the summary"
    );
    assert_eq!(output(&ran.outputs, "report-url").as_deref(), Some(""));
    assert!(output(&ran.outputs, "score").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_502_is_retried_then_the_comment_is_posted() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>502 Bad Gateway</html>"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, "[]".into()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            201,
            bot(7200, "<!-- azengage -->\n").to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(ran.result.api_requests, 3, "the retry is not a new request");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_failure_after_retries_exits_4_and_still_writes_the_summary() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            500,
            json!({"message": "Server Error"}).to_string(),
        ))
        .expect(4)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 4);
    assert!(
        ran.stderr
            .contains("GET /repos/contoso/webshop/issues/42/comments")
            && ran.stderr.contains("500"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.summary.contains("GitHub API error") && ran.summary.contains("500"),
        "{}",
        ran.summary
    );
    assert!(output(&ran.outputs, "band").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn our_comment_on_page_three_is_found_and_edited_others_are_not_ours() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(
            json_reply(200, fixture("comments_page1.json"))
                .insert_header("link", link(&server, 1).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(COMMENTS_BY_ID))
        .and(query_param("page", "2"))
        .respond_with(
            json_reply(200, fixture("comments_page2.json"))
                .insert_header("link", link(&server, 2).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(COMMENTS_BY_ID))
        .and(query_param("page", "3"))
        .respond_with(json_reply(200, fixture("comments_page3.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/2410000205"))
        .respond_with(json_reply(200, fixture("comment_created.json")))
        .expect(1)
        .mount(&server)
        .await;
    // The user's quote (2410000151) and the other bot's comment (2410000004) are never touched.
    Mock::given(path_regex("^/repos/contoso/webshop/issues/comments/"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(ran.result.api_requests, 4, "three pages and one edit");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_infra_change_edits_our_comment_to_the_no_change_sentence() {
    let ws = workspace(false);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            200,
            json!([bot(7300, "<!-- azengage -->\nold report")]).to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/7300"))
        .and(body_partial_json(
            json!({"body": "<!-- azengage -->\nNo infrastructure changes in the latest commit.\n"}),
        ))
        .respond_with(json_reply(200, bot(7300, "x").to_string()))
        .expect(1)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);

    // Without a comment of ours, nothing is created.
    let quiet = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            200,
            json!([bot(7301, "Terraform plan: no changes")]).to_string(),
        ))
        .expect(1)
        .mount(&quiet)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&quiet)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&quiet.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(
        (ran.result.exit_code, ran.result.api_requests),
        (0, 1),
        "{}",
        ran.stderr
    );
    assert!(
        ran.summary
            .contains("No PR comment: the pull request changes no infrastructure file"),
        "{}",
        ran.summary
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn shallow_checkout_falls_back_to_the_file_list() {
    let ws = workspace(true);
    // The base commit is not in this clone, as with actions/checkout's default fetch-depth: 1.
    write_event(
        &ws,
        "pull_request_opened.json",
        Some("3f2a0c1b7e5d4a69c8b1f0e2d3c4b5a697887766"),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/pulls/42/files"))
        .respond_with(json_reply(
            200,
            json!([{"sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": "infra/main.tf", "status": "modified",
                    "additions": 17, "deletions": 0, "changes": 17, "patch": "@@ -27,0 +28,17 @@"},
                   {"sha": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293", "filename": "package.json", "status": "modified",
                    "additions": 1, "deletions": 1, "changes": 2}])
            .to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, "[]".into()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            201,
            bot(7400, "<!-- azengage -->\n").to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(ran.result.api_requests, 4, "files, list, create, re-list");
    let posted = body_of(&requests_to(&server, "POST").await[0]);
    assert!(
        posted.contains("Infrastructure file changed: `infra/main.tf`."),
        "{posted}"
    );
    assert!(ran.summary.contains("fetch-depth: 0"), "{}", ran.summary);
}

fn issue(number: u64, login: &str, kind: &str, body: &str) -> Value {
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

async fn mount_no_deployments(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/deployments"))
        .respond_with(json_reply(200, "[]".into()))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn report_issue_is_created_then_updated() {
    let ws = workspace(true);
    write_event(&ws, "schedule.json", None, None);
    let server = MockServer::start().await;
    mount_no_deployments(&server).await;
    Mock::given(method("GET"))
        .and(path(ISSUES))
        .and(query_param("labels", "azengage"))
        .respond_with(json_reply(200, "[]".into()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/labels"))
        .respond_with(json_reply(
            422,
            json!({"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]}).to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ISSUES))
        .and(body_partial_json(
            json!({"title": "Azure engagement health report", "labels": ["azengage", "infra"]}),
        ))
        .respond_with(json_reply(
            201,
            issue(61, "github-actions[bot]", "Bot", "<!-- azengage -->\n").to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // As of 2027-03-01 the review (2027-04-17) is 47 days away: reminders are due.
    let extra = [("INPUT_REPORT-LABELS", "infra")];
    let ran = run(
        &ws,
        env(&ws, "schedule", Some(&server.uri()), &extra),
        "2027-03-01",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    let created = requests_to(&server, "POST").await;
    let body = created
        .iter()
        .map(body_of)
        .find(|b| !b.is_empty())
        .unwrap_or_default();
    assert!(
        body.starts_with(
            "<!-- azengage -->\n> **Reminder:** the engagement review is on 2027-04-17 (in 47 days)"
        ),
        "{body}"
    );
    assert!(
        ran.summary
            .contains("Report issue opened (#61): https://github.com/contoso/webshop/issues/61"),
        "{}",
        ran.summary
    );
    assert_eq!(
        output(&ran.outputs, "report-url").as_deref(),
        Some("https://github.com/contoso/webshop/issues/61")
    );

    // Next week: a person's labelled issue without the marker (#5) and two of ours (#61, #64): #61 is updated.
    let ws2 = workspace(true);
    write_event(&ws2, "workflow_dispatch.json", None, None);
    let next = MockServer::start().await;
    mount_no_deployments(&next).await;
    let open = json!([
        issue(64, "github-actions[bot]", "Bot", "<!-- azengage -->\nnewer"),
        issue(61, "github-actions[bot]", "Bot", "<!-- azengage -->\nolder"),
        issue(5, "mona", "User", "Why does azengage flag our regions?"),
    ]);
    Mock::given(method("GET"))
        .and(path(ISSUES))
        .respond_with(json_reply(200, open.to_string()))
        .expect(1)
        .mount(&next)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/61"))
        .respond_with(json_reply(
            200,
            issue(61, "github-actions[bot]", "Bot", "x").to_string(),
        ))
        .expect(1)
        .mount(&next)
        .await;
    Mock::given(method("PATCH"))
        .and(path_regex("^/repos/contoso/webshop/issues/(5|64)$"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&next)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&next)
        .await;
    let ran = run(
        &ws2,
        env(&ws2, "workflow_dispatch", Some(&next.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert!(
        ran.summary.contains("Report issue updated (#61)"),
        "{}",
        ran.summary
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_no_request_is_made_and_everything_is_written() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    let mut e = env(
        &ws,
        "pull_request",
        None,
        &[("GITHUB_API_URL", &server.uri())],
    );
    e.token = None;
    let ran = run(&ws, e, "2026-11-20").await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(ran.result.api_requests, 0);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
    assert!(
        ran.summary
            .contains("Nothing posted: no GitHub token was given"),
        "{}",
        ran.summary
    );
    assert!(
        ran.summary.contains("**Engagement estimate:"),
        "{}",
        ran.summary
    );
    for name in [
        "score",
        "band",
        "review-date",
        "days-to-review",
        "services",
        "regions",
        "report-url",
        "sarif-file",
    ] {
        assert!(
            output(&ran.outputs, name).is_some(),
            "output {name} missing: {}",
            ran.outputs
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn push_scan_with_thresholds_sarif_and_annotations() {
    let ws = workspace(true);
    write_event(&ws, "push.json", None, None);
    let server = MockServer::start().await;
    mount_no_deployments(&server).await;
    let extra = [
        ("INPUT_MIN-SCORE", "100"),
        ("INPUT_SARIF-FILE", "results/azengage.sarif"),
        ("INPUT_FAIL-ON", "never"),
    ];
    let ran = run(
        &ws,
        env(&ws, "push", Some(&server.uri()), &extra),
        "2026-11-20",
    )
    .await;
    assert_eq!(
        ran.result.exit_code, 1,
        "min-score 100 is crossed: {}",
        ran.stderr
    );
    assert!(ran.stderr.contains("threshold crossed"), "{}", ran.stderr);
    assert!(
        ran.summary.contains("Nothing posted: mode `scan`"),
        "{}",
        ran.summary
    );
    assert_eq!(
        output(&ran.outputs, "sarif-file").as_deref(),
        Some("results/azengage.sarif")
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.repo.join("results/azengage.sarif")).expect("sarif written"),
    )
    .expect("sarif json");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    let annotations: Vec<&str> = ran.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), results.min(50), "{}", ran.stdout);
    assert!(
        annotations.iter().all(|a| a.starts_with("::error ")
            || a.starts_with("::warning ")
            || a.starts_with("::notice ")),
        "{annotations:?}"
    );
}

#[test]
fn bad_input_exits_2_naming_the_input() {
    let out = assert_cmd::Command::cargo_bin("azengage")
        .expect("binary")
        .arg("action")
        .env("INPUT_MODE", "deploy")
        .env("INPUT_GITHUB-TOKEN", TOKEN)
        .env("GITHUB_EVENT_NAME", "push")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("input 'mode' is 'deploy'"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn comment_off_makes_no_request_and_always_comments_without_iac_change() {
    let ws = workspace(false);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let server = MockServer::start().await;
    let ran = run(
        &ws,
        env(
            &ws,
            "pull_request",
            Some(&server.uri()),
            &[("INPUT_COMMENT", "off")],
        ),
        "2026-11-20",
    )
    .await;
    assert_eq!((ran.result.exit_code, ran.result.api_requests), (0, 0));
    assert!(
        ran.summary
            .contains("Nothing posted: the `comment` input is off"),
        "{}",
        ran.summary
    );

    // `comment-when: always`: the PR changes only the README, and the report is posted all the same.
    let always = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, "[]".into()))
        .expect(2)
        .mount(&always)
        .await;
    Mock::given(method("POST"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(
            201,
            bot(7500, "<!-- azengage -->\n").to_string(),
        ))
        .expect(1)
        .mount(&always)
        .await;
    let ran = run(
        &ws,
        env(
            &ws,
            "pull_request",
            Some(&always.uri()),
            &[("INPUT_COMMENT-WHEN", "always")],
        ),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    let posted = body_of(&requests_to(&always, "POST").await[0]);
    assert!(
        posted.contains("No infrastructure-as-code file changes between base and head."),
        "{posted}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_token_on_schedule_cannot_open_the_issue_and_exits_zero() {
    let ws = workspace(true);
    write_event(&ws, "schedule.json", None, None);
    let server = MockServer::start().await;
    mount_no_deployments(&server).await;
    Mock::given(method("GET"))
        .and(path(ISSUES))
        .respond_with(json_reply(200, "[]".into()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/labels"))
        .respond_with(json_reply(
            403,
            json!({"message": "Resource not accessible by integration", "status": "403"})
                .to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ISSUES))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let ran = run(
        &ws,
        env(&ws, "schedule", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert!(
        ran.summary
            .contains("Could not post the report issue: the token lacks permission (403)"),
        "{}",
        ran.summary
    );
}
