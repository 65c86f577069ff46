//! The sticky comment's race handling against a mock of the REST API, driven through
//! `azengage::action::comment::upsert` directly: a listing that lags behind our own create, duplicates left by
//! an earlier race, and a duplicate the other run deleted first (404).

use crate::{fake_github, github_support};

use azengage::action::CommentBehavior;
use azengage::action::comment::{CommentAction, Target, upsert};
use github_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

const LIST: &str = "/repos/contoso/webshop/issues/42/comments";
const TARGET: Target<'static> = Target {
    number: 42,
    marker: "<!-- azengage -->",
    behavior: CommentBehavior::Update,
};
const BODY: &str = "<!-- azengage -->\n## Azure engagement estimate\n\n54/100";

fn bot(id: u64, body: &str) -> Value {
    json!({"id": id, "body": body, "html_url": format!("https://github.com/contoso/webshop/pull/42#issuecomment-{id}"),
           "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
           "created_at": "2026-11-20T09:01:30Z", "author_association": "NONE", "performed_via_github_app": null})
}

async fn mount(server: &MockServer, verb: &str, at: &str, status: u16, body: Value, times: u64) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(json_reply(status, body.to_string()))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_lagging_listing_still_removes_our_duplicate() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json_reply(200, "[]".into()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // The re-list shows the other run's comment but not yet ours (8001).
    mount(
        &server,
        "GET",
        LIST,
        200,
        json!([bot(8000, "<!-- azengage -->\nother")]),
        1,
    )
    .await;
    mount(&server, "POST", LIST, 201, bot(8001, BODY), 1).await;
    mount(
        &server,
        "PATCH",
        "/repos/contoso/webshop/issues/comments/8000",
        200,
        bot(8000, BODY),
        1,
    )
    .await;
    fake_github::delete_comment(8001)
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri())?;
    let outcome = upsert(&client, TARGET, BODY, true).await?;
    assert_eq!(
        (outcome.action, outcome.id, outcome.duplicates_removed),
        (CommentAction::Updated, Some(8000), 1)
    );
    assert_eq!(client.requests(), 5);
    Ok(())
}

#[tokio::test]
async fn leftover_duplicates_are_cleaned_up_and_a_404_on_delete_is_fine() -> TestResult {
    let server = MockServer::start().await;
    let listed = json!([
        bot(8102, "<!-- azengage -->\nc"),
        bot(8100, BODY),
        bot(8101, "<!-- azengage -->\nb")
    ]);
    mount(&server, "GET", LIST, 200, listed, 1).await;
    mount(
        &server,
        "DELETE",
        "/repos/contoso/webshop/issues/comments/8101",
        404,
        json!({"message": "Not Found"}),
        1,
    )
    .await;
    fake_github::delete_comment(8102)
        .expect(1)
        .mount(&server)
        .await;
    fake_github::never("PATCH").expect(0).mount(&server).await;
    let client = client_for(&server.uri())?;
    let outcome = upsert(&client, TARGET, BODY, true).await?;
    // 8100 already says BODY: no edit; 8101 was gone already, 8102 is deleted.
    assert_eq!(
        (outcome.action, outcome.id, outcome.duplicates_removed),
        (CommentAction::Unchanged, Some(8100), 1)
    );
    Ok(())
}

#[tokio::test]
async fn without_create_nothing_is_posted() -> TestResult {
    let server = MockServer::start().await;
    mount(&server, "GET", LIST, 200, json!([]), 1).await;
    fake_github::never("POST").expect(0).mount(&server).await;
    let client = client_for(&server.uri())?;
    let outcome = upsert(&client, TARGET, BODY, false).await?;
    assert_eq!((outcome.action, outcome.id), (CommentAction::Skipped, None));
    Ok(())
}
