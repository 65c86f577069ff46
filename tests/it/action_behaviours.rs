//! Comment behaviours, keys, `pr-number`, `skip-draft`, the PR outputs and a rejected token, end to end
//! against a *stateful* stand-in for GitHub (`action_support::fake`): each test runs the action several times
//! and checks what the runs leave on the pull request: which comments exist, which are minimized, which body
//! each holds, and the outputs of the last run.

use crate::action_support;

use action_support::fake::FakeGithub;
use action_support::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

/// The delta the comment states (`**Estimate: 47 → 54**` gives `+7`), as the `score-delta` output writes it.
fn delta_in(body: &str) -> String {
    let line = body
        .lines()
        .find(|l| l.starts_with("**Estimate: "))
        .unwrap_or_else(|| panic!("no estimate line: {body}"));
    let numbers: Vec<i64> = line
        .trim_start_matches("**Estimate: ")
        .split("**")
        .next()
        .unwrap()
        .split(" → ")
        .map(|n| n.trim().parse().unwrap())
        .collect();
    match numbers[1] - numbers[0] {
        0 => "0".to_string(),
        d => format!("{d:+}"),
    }
}

async fn stand_in() -> (MockServer, FakeGithub) {
    let server = MockServer::start().await;
    let fake = FakeGithub::new();
    Mock::given(any())
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    (server, fake)
}

fn pr_workspace() -> Workspace {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    ws
}

/// One PR run with `extra` inputs, as of `as_of` (a later date changes the body, so an edit is needed).
async fn pr_run(ws: &Workspace, server: &MockServer, extra: &[(&str, &str)], as_of: &str) -> Ran {
    let _ = std::fs::remove_file(&ws.output);
    let ran = run(
        ws,
        env(ws, "pull_request", Some(&server.uri()), extra),
        as_of,
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    ran
}

#[tokio::test(flavor = "multi_thread")]
async fn two_keys_keep_two_comments_and_each_run_edits_only_its_own() {
    let ws = pr_workspace();
    let (server, fake) = stand_in().await;
    let unkeyed = fake.seed(
        "<!-- azengage -->\n## An unkeyed report from an earlier set-up",
        true,
    );
    let person = fake.seed("<!-- azengage:api -->\nquoting the bot, as a person", false);
    let api = [("INPUT_COMMENT-KEY", "api")];
    let web = [("INPUT_COMMENT-KEY", "web")];
    let first = pr_run(&ws, &server, &api, "2026-11-20").await;
    pr_run(&ws, &server, &web, "2026-11-20").await;
    let api_id: u64 = output(&first.outputs, "comment-id")
        .unwrap()
        .parse()
        .unwrap();
    let before = fake.comments();
    // The api job runs again on a later day: only its comment changes.
    let again = pr_run(&ws, &server, &api, "2026-11-27").await;
    assert_eq!(
        output(&again.outputs, "comment-id"),
        Some(api_id.to_string())
    );
    let after = fake.comments();
    assert_eq!(after.len(), 4, "{after:#?}");
    let body = |list: &[action_support::fake::StoredComment], id: u64| {
        list.iter()
            .find(|c| c.id == id)
            .map(|c| c.body.clone())
            .unwrap()
    };
    let web_comment = after
        .iter()
        .find(|c| c.body.starts_with("<!-- azengage:web -->\n"))
        .expect("the web job's comment");
    assert_eq!(body(&before, web_comment.id), web_comment.body, "untouched");
    assert!(
        body(&after, api_id)
            .starts_with("<!-- azengage:api -->\n## What this pull request changes")
    );
    assert_ne!(
        body(&before, api_id),
        body(&after, api_id),
        "edited in place"
    );
    assert!(body(&after, api_id).contains("as of 2026-11-27"));
    for untouched in [unkeyed, person] {
        assert_eq!(body(&before, untouched), body(&after, untouched));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn new_leaves_every_comment_delete_and_new_leaves_one() {
    let ws = pr_workspace();
    let (server, fake) = stand_in().await;
    let new = [("INPUT_COMMENT-BEHAVIOR", "new")];
    pr_run(&ws, &server, &new, "2026-11-20").await;
    pr_run(&ws, &server, &new, "2026-11-20").await;
    let comments = fake.comments();
    assert_eq!(comments.len(), 2);
    assert!(
        comments
            .iter()
            .all(|c| !c.minimized && c.body.starts_with("<!-- azengage -->\n"))
    );

    let delete = [("INPUT_COMMENT-BEHAVIOR", "delete-and-new")];
    let ran = pr_run(&ws, &server, &delete, "2026-11-21").await;
    let left = fake.comments();
    assert_eq!(left.len(), 1, "{left:#?}");
    assert_eq!(
        output(&ran.outputs, "comment-id"),
        Some(left[0].id.to_string())
    );
    assert!(left[0].body.contains("as of 2026-11-21"));
    assert!(
        left[0].id > comments[1].id,
        "the new comment is the one kept"
    );
    assert!(
        ran.summary.contains("2 earlier comment(s) of ours deleted"),
        "{}",
        ran.summary
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hide_and_new_minimizes_every_earlier_comment_of_ours_only() {
    let ws = pr_workspace();
    let (server, fake) = stand_in().await;
    let other_key = fake.seed("<!-- azengage:web -->\n## the web job's report", true);
    let hide = [("INPUT_COMMENT-BEHAVIOR", "hide-and-new")];
    for day in ["2026-11-20", "2026-11-21", "2026-11-22"] {
        pr_run(&ws, &server, &hide, day).await;
    }
    let comments = fake.comments();
    let ours: Vec<_> = comments
        .iter()
        .filter(|c| c.body.starts_with("<!-- azengage -->\n"))
        .collect();
    assert_eq!(ours.len(), 3);
    assert_eq!(
        ours.iter().map(|c| c.minimized).collect::<Vec<_>>(),
        [true, true, false],
        "the newest stays visible"
    );
    assert!(ours[2].body.contains("as of 2026-11-22"));
    let web = comments.iter().find(|c| c.id == other_key).unwrap();
    assert!(!web.minimized, "another key's comment is not ours");
    let mutations: Vec<String> = requests_to(&server, "POST")
        .await
        .iter()
        .filter(|r| r.url.path() == "/graphql")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert!(!mutations.is_empty());
    for m in &mutations {
        assert!(
            m.contains("minimizeComment(input: {subjectId: \\\"IC_")
                && m.contains("classifier: OUTDATED"),
            "{m}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn outputs_carry_the_comment_id_infra_changed_and_the_delta() {
    let ws = pr_workspace();
    let (server, fake) = stand_in().await;
    let ran = pr_run(&ws, &server, &[], "2026-11-20").await;
    let id = fake.comments()[0].id;
    assert_eq!(output(&ran.outputs, "comment-id"), Some(id.to_string()));
    assert_eq!(
        output(&ran.outputs, "infra-changed").as_deref(),
        Some("true")
    );
    // The PR adds an App Service in a second region: the estimate rises, by what the comment says.
    let delta = output(&ran.outputs, "score-delta").unwrap();
    assert!(delta.starts_with('+'), "{delta}");
    assert_eq!(delta, delta_in(&fake.comments()[0].body));
    assert_eq!(output(&ran.outputs, "issue-number").as_deref(), Some(""));

    // No IaC change: nothing new is posted, our comment says so, and the outputs say false / 0.
    let quiet = workspace(false);
    write_event(
        &quiet,
        "pull_request_opened.json",
        Some(&quiet.base),
        Some(&quiet.head),
    );
    let ran = pr_run(&quiet, &server, &[], "2026-11-20").await;
    assert_eq!(
        output(&ran.outputs, "infra-changed").as_deref(),
        Some("false")
    );
    assert_eq!(output(&ran.outputs, "score-delta").as_deref(), Some("0"));
    let comments = fake.comments();
    assert_eq!(comments.len(), 1);
    assert_eq!(
        comments[0].body,
        "<!-- azengage -->\nNo infrastructure changes in this pull request.\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn workflow_run_comments_on_the_pr_named_by_pr_number() {
    let ws = workspace(true);
    write_event(&ws, "workflow_run_completed_fork.json", None, None);
    let (server, fake) = stand_in().await;
    fake.set_pull(&ws.base, &ws.head, false);
    let ran = run(
        &ws,
        env(
            &ws,
            "workflow_run",
            Some(&server.uri()),
            &[("INPUT_PR-NUMBER", "42")],
        ),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    let comments = fake.comments();
    assert_eq!(comments.len(), 1, "{}", ran.summary);
    assert!(
        comments[0]
            .body
            .contains("| added | `storefront` | `Microsoft.Web/sites` |"),
        "the change from the PR's commits: {}",
        comments[0].body
    );
    assert!(
        ran.summary.contains("mode `pr`, pull request #42"),
        "{}",
        ran.summary
    );
    assert_eq!(
        output(&ran.outputs, "score-delta"),
        Some(delta_in(&comments[0].body))
    );
    // Without pr-number the same event is a scan: a fork's run lists no pull request.
    let _ = std::fs::remove_file(&ws.output);
    let ran = run(
        &ws,
        env(&ws, "workflow_run", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(fake.comments().len(), 1);
    assert_eq!(output(&ran.outputs, "infra-changed").as_deref(), Some(""));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_same_repository_workflow_run_names_its_pr_in_the_payload() {
    let ws = workspace(true);
    write_event(&ws, "workflow_run_completed_fork.json", None, None);
    let text = std::fs::read_to_string(&ws.event).unwrap();
    let mut payload: serde_json::Value = serde_json::from_str(&text).unwrap();
    // GitHub lists the pull request (number and both commits) for branches of the same repository.
    payload["workflow_run"]["pull_requests"] = serde_json::json!([{
        "url": "https://api.github.com/repos/contoso/webshop/pulls/42", "id": 2211933001u64, "number": 42,
        "head": {"ref": "storefront", "sha": ws.head,
                 "repo": {"id": 771234567, "url": "https://api.github.com/repos/contoso/webshop", "name": "webshop"}},
        "base": {"ref": "main", "sha": ws.base,
                 "repo": {"id": 771234567, "url": "https://api.github.com/repos/contoso/webshop", "name": "webshop"}}
    }]);
    std::fs::write(&ws.event, payload.to_string()).unwrap();
    let (server, fake) = stand_in().await;
    let ran = run(
        &ws,
        env(&ws, "workflow_run", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(fake.comments().len(), 1, "{}", ran.summary);
    assert_eq!(
        ran.result.api_requests, 3,
        "list, create, re-list: the payload had the commits"
    );
    assert_eq!(
        output(&ran.outputs, "score-delta"),
        Some(delta_in(&fake.comments()[0].body))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_with_skip_draft_gets_summary_and_outputs_only() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let text = std::fs::read_to_string(&ws.event).unwrap();
    let mut payload: serde_json::Value = serde_json::from_str(&text).unwrap();
    payload["pull_request"]["draft"] = serde_json::json!(true);
    std::fs::write(&ws.event, payload.to_string()).unwrap();
    let (server, fake) = stand_in().await;
    let ran = pr_run(&ws, &server, &[("INPUT_SKIP-DRAFT", "true")], "2026-11-20").await;
    assert_eq!(ran.result.api_requests, 0);
    assert!(fake.comments().is_empty());
    assert!(
        ran.summary.contains("the pull request is a draft"),
        "{}",
        ran.summary
    );
    assert!(ran.summary.contains("## What this pull request changes"));
    assert_eq!(
        output(&ran.outputs, "infra-changed").as_deref(),
        Some("true")
    );
    assert_eq!(output(&ran.outputs, "comment-id").as_deref(), Some(""));
    // The same draft without skip-draft is commented on.
    pr_run(&ws, &server, &[], "2026-11-20").await;
    assert_eq!(fake.comments().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_token_exits_4_naming_the_token_not_the_fork_path() {
    let ws = pr_workspace();
    let (server, fake) = stand_in().await;
    fake.reject_token();
    let ran = run(
        &ws,
        env(&ws, "pull_request", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 4, "{}", ran.stderr);
    assert!(ran.stderr.contains("rejected the token"), "{}", ran.stderr);
    assert!(
        ran.summary.contains("rejected the token"),
        "{}",
        ran.summary
    );
    for text in [&ran.stderr, &ran.summary] {
        assert!(
            !text.contains("lacks permission") && !text.contains("fork"),
            "{text}"
        );
    }
    assert!(
        output(&ran.outputs, "score").is_some(),
        "outputs still written"
    );

    // On a schedule the first call (deployments) is refused: exit 4 as well, report never attempted.
    let ws = workspace(true);
    write_event(&ws, "schedule.json", None, None);
    let ran = run(
        &ws,
        env(&ws, "schedule", Some(&server.uri()), &[]),
        "2026-11-20",
    )
    .await;
    assert_eq!(ran.result.exit_code, 4, "{}", ran.stderr);
    assert!(ran.stderr.contains("rejected the token"), "{}", ran.stderr);
}
