//! The action's `scans` input: in report mode the health-report issue becomes the account's, built from the
//! scan documents the account workflow's matrix jobs uploaded (here `tests/fixtures/account/scans/`: three
//! repositories, one with program settings of its own), not from the workspace.

use crate::{action_support, fake_github, github_support};

use action_support::*;
use github_support::*;
use serde_json::json;
use std::path::Path;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/account")
}

/// Copy the fixture scans into `scans/<owner>__<name>/` under the workspace, as download-artifact lays them out.
fn download_artifacts(ws: &Workspace) {
    for name in ["web", "api", "data"] {
        let dir = ws.repo.join(format!("scans/azengage-scan-contoso__{name}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::copy(
            fixtures().join(format!("scans/{name}.json")),
            dir.join(format!("contoso__{name}.json")),
        )
        .expect("copy");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn report_mode_with_scans_writes_the_accounts_issue() {
    let ws = workspace(false);
    download_artifacts(&ws);
    std::fs::copy(
        fixtures().join("account.yml"),
        ws.repo.join(".github/account.yml"),
    )
    .expect("config");
    write_event(&ws, "schedule.json", None, None);
    let server = MockServer::start().await;
    fake_github::search_issues(json!([]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/labels"))
        .respond_with(json_reply(201, json!({"name": "azengage"}).to_string()))
        .mount(&server)
        .await;
    fake_github::create_issue(7).expect(1).mount(&server).await;
    fake_github::server_error("GET", "/repos/contoso/webshop/deployments", 500)
        .expect(0)
        .mount(&server)
        .await;
    let extra = [
        ("INPUT_MODE", "report"),
        ("INPUT_SCANS", "scans"),
        ("INPUT_CONFIG", ".github/account.yml"),
    ];
    let ran = run(
        &ws,
        env(&ws, "schedule", Some(&server.uri()), &extra),
        "2026-11-25",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    let posted = requests_to(&server, "POST").await;
    let body = posted
        .iter()
        .map(body_of)
        .find(|b| !b.is_empty())
        .unwrap_or_default();
    assert!(
        body.starts_with("<!-- azengage -->\n"),
        "{body}\n{}\n{}",
        ran.stderr,
        ran.summary
    );
    assert!(body.contains("for an account of 3 repositories"), "{body}");
    assert!(body.contains("### Account: 3 repositories"), "{body}");
    for repo in ["contoso/api", "contoso/data", "contoso/web"] {
        assert!(body.contains(&format!("| `{repo}` |")), "{repo}: {body}");
    }
    assert!(
        body.contains("> **Note:** contoso/data has program settings of its own"),
        "{body}"
    );
    // The account's config: review 45 days before 2027-06-01.
    assert_eq!(
        output(&ran.outputs, "review-date").as_deref(),
        Some("2027-04-17")
    );
    let services = output(&ran.outputs, "services").unwrap_or_default();
    for s in [
        "Azure Container Apps",
        "Cosmos DB",
        "Azure DB for PostgreSQL",
    ] {
        assert!(services.contains(s), "{s}: {services}");
    }
    assert_eq!(
        output(&ran.outputs, "regions")
            .as_deref()
            .map(|r| r.split(',').count()),
        Some(3)
    );
    assert!(
        ran.summary.contains("### Account: 3 repositories"),
        "{}",
        ran.summary
    );
    // The workspace's own IaC (a storage account in westeurope) is not the account's.
    assert!(!services.contains("webshop"), "{services}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_among_the_scans_that_is_not_one_exits_2_and_the_summary_says_why() {
    let ws = workspace(false);
    download_artifacts(&ws);
    std::fs::write(
        ws.repo.join("scans/README.json"),
        json!({"hello": 1}).to_string(),
    )
    .expect("write");
    write_event(&ws, "schedule.json", None, None);
    let mut e = env(
        &ws,
        "schedule",
        None,
        &[("INPUT_MODE", "report"), ("INPUT_SCANS", "scans")],
    );
    e.token = None;
    let ran = run(&ws, e, "2026-11-25").await;
    assert_eq!(ran.result.exit_code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("README.json: not a `scan --format json` document"),
        "{}",
        ran.stderr
    );
    assert!(ran.summary.contains("README.json"), "{}", ran.summary);
}

#[tokio::test(flavor = "multi_thread")]
async fn scans_on_a_pull_request_is_a_usage_error() {
    let ws = workspace(true);
    download_artifacts(&ws);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let mut e = env(&ws, "pull_request", None, &[("INPUT_SCANS", "scans")]);
    e.token = None;
    let ran = run(&ws, e, "2026-11-25").await;
    assert_eq!(ran.result.exit_code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("mode: report"), "{}", ran.stderr);
}
