//! `azengage action` on pull requests, end to end: a real git repository in a temp dir (base and head commits
//! changing `infra/main.tf`), real webhook payload shapes (`tests/fixtures/action/events/`), and wiremock standing
//! in for GitHub's REST API. Each test runs the action's entry (`execute`, the code `azengage action` runs) with
//! an injected environment and checks what GitHub was sent, the request count, the exit code, the job summary
//! and the outputs, and that the token appears nowhere.

use crate::{action_support, fake_github, github_support};

use action_support::*;
use github_support::*;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
    fake_github::create_comment(7002)
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
    // The whole comment, reviewed as a snapshot; docs/action.md shows this snapshot (`docs_sample.rs`).
    insta::assert_snapshot!("pr_comment", posted);
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
    assert!(
        ran.summary.contains("## What this pull request changes")
            && ran.summary.contains("`storefront`"),
        "{}",
        ran.summary
    );
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
    fake_github::list_comments(existing)
        .expect(1)
        .mount(&server)
        .await;
    fake_github::update_comment(7002)
        .expect(1)
        .mount(&server)
        .await;
    fake_github::never("POST").expect(0).mount(&server).await;
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
    fake_github::list_comments(json!([]))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // The other run created 7100 between our listing and our create (7101).
    let both = json!([
        bot(7100, "<!-- azengage -->\nother run"),
        bot(7101, "<!-- azengage -->\nours")
    ]);
    fake_github::list_comments(both)
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
    fake_github::update_comment(7100)
        .expect(1)
        .mount(&server)
        .await;
    fake_github::delete_comment(7101)
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
        ran.summary.contains("#issuecomment-7100")
            && ran.summary.contains("1 earlier comment(s) of ours deleted"),
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
    fake_github::forbidden("POST", "/repos/contoso/webshop/issues/57/comments")
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
    fake_github::list_comments(json!([]))
        .expect(2)
        .mount(&server)
        .await;
    fake_github::create_comment(7200)
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
    fake_github::server_error("GET", PR_COMMENTS, 500)
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
    fake_github::never("POST").expect(0).mount(&server).await;
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
    fake_github::list_comments(json!([bot(7300, "<!-- azengage -->\nold report")]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/7300"))
        .and(body_partial_json(
            json!({"body": "<!-- azengage -->\nNo infrastructure changes in this pull request.\n"}),
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
    fake_github::list_comments(json!([bot(7301, "Terraform plan: no changes")]))
        .expect(1)
        .mount(&quiet)
        .await;
    fake_github::never("POST").expect(0).mount(&quiet).await;
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
    fake_github::list_comments(json!([]))
        .expect(2)
        .mount(&server)
        .await;
    fake_github::create_comment(7400)
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
    fake_github::list_comments(json!([]))
        .expect(2)
        .mount(&always)
        .await;
    fake_github::create_comment(7500)
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
