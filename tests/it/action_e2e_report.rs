//! `azengage action` on scheduled, dispatched and push runs, end to end (see `action_e2e.rs` for the set-up):
//! the health-report issue, a read-only token, no token at all, thresholds, SARIF and annotations.

use crate::{action_support, fake_github, github_support};

use action_support::*;
use github_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
    fake_github::label_exists().expect(1).mount(&server).await;
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
    fake_github::search_issues(open)
        .expect(1)
        .mount(&next)
        .await;
    fake_github::update_issue(61).expect(1).mount(&next).await;
    Mock::given(method("PATCH"))
        .and(path_regex("^/repos/contoso/webshop/issues/(5|64)$"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&next)
        .await;
    fake_github::never("POST").expect(0).mount(&next).await;
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

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_token_on_schedule_cannot_open_the_issue_and_exits_zero() {
    let ws = workspace(true);
    write_event(&ws, "schedule.json", None, None);
    let server = MockServer::start().await;
    mount_no_deployments(&server).await;
    fake_github::search_issues(json!([]))
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
    fake_github::server_error("POST", ISSUES, 500)
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

#[tokio::test(flavor = "multi_thread")]
async fn fail_on_input_overrides_the_config() {
    let ws = workspace(true);
    write_event(&ws, "push.json", None, None);
    let config = ws.repo.join(".github/azengage.yml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{text}fail_on: warning\n")).expect("write config");
    // No token: a scan run makes no request at all.
    let mut from_config = env(&ws, "push", None, &[]);
    from_config.token = None;
    let ran = run(&ws, from_config.clone(), "2026-11-20").await;
    assert_eq!(
        ran.result.exit_code, 1,
        "the config's fail_on: warning: {}",
        ran.stderr
    );
    let mut overridden = from_config;
    overridden.fail_on = Some("never".into());
    let ran = run(&ws, overridden, "2026-11-20").await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
}
