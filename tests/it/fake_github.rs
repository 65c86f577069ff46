//! A small fake-GitHub builder over wiremock: one function per endpoint the action and the client use on the
//! fixture repository `contoso/webshop` (PR 42), each returning a `Mock` with GitHub's answer shape and headers
//! (`github_support::json_reply`). A test chains what it checks (`.expect(n)`) and mounts it:
//!
//! ```ignore
//! fake_github::list_comments(json!([comment(7001, "mona", "User", "LGTM")])).expect(2).mount(&server).await;
//! fake_github::create_comment(7002).expect(1).mount(&server).await;
//! ```
//!
//! Matchers a test cares about beyond the route (a query, a body, paging `Link` headers, as the workflow-run
//! listings in `github_activity.rs` need) stay written out in the test.

// Each test module uses a different subset of these.
#![allow(dead_code)]

use crate::action_support::{ISSUES, PR_COMMENTS, bot, issue};
use crate::github_support::json_reply;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// The repository's REST prefix.
pub const REPO: &str = "/repos/contoso/webshop";
/// The marker azengage puts first in everything it posts.
pub const MARKER: &str = "<!-- azengage -->\n";

/// `GET /repos/contoso/webshop/issues/42/comments`: the PR's comments, one page.
pub fn list_comments(comments: Value) -> Mock {
    Mock::given(method("GET"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(200, comments.to_string()))
}

/// `POST /repos/contoso/webshop/issues/42/comments`: 201 with the bot's new comment `id`.
pub fn create_comment(id: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path(PR_COMMENTS))
        .respond_with(json_reply(201, bot(id, MARKER).to_string()))
}

/// `DELETE /repos/contoso/webshop/issues/comments/{id}`: 204.
pub fn delete_comment(id: u64) -> Mock {
    Mock::given(method("DELETE"))
        .and(path(format!("{REPO}/issues/comments/{id}")))
        .respond_with(ResponseTemplate::new(204))
}

/// `PATCH /repos/contoso/webshop/issues/comments/{id}`: 200 with the edited comment.
pub fn update_comment(id: u64) -> Mock {
    Mock::given(method("PATCH"))
        .and(path(format!("{REPO}/issues/comments/{id}")))
        .respond_with(json_reply(200, bot(id, "x").to_string()))
}

/// `GET /repos/contoso/webshop/issues`: the open issues (the search for the report issue).
pub fn search_issues(issues: Value) -> Mock {
    Mock::given(method("GET"))
        .and(path(ISSUES))
        .respond_with(json_reply(200, issues.to_string()))
}

/// `POST /repos/contoso/webshop/issues`: 201 with the bot's new issue `number`.
pub fn create_issue(number: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path(ISSUES))
        .respond_with(json_reply(
            201,
            issue(number, "github-actions[bot]", "Bot", MARKER).to_string(),
        ))
}

/// `PATCH /repos/contoso/webshop/issues/{number}`: 200 with the edited issue.
pub fn update_issue(number: u64) -> Mock {
    Mock::given(method("PATCH"))
        .and(path(format!("{ISSUES}/{number}")))
        .respond_with(json_reply(
            200,
            issue(number, "github-actions[bot]", "Bot", "x").to_string(),
        ))
}

/// `POST /repos/contoso/webshop/labels`: 422 `already_exists`, what GitHub answers for a label it has.
pub fn label_exists() -> Mock {
    Mock::given(method("POST"))
        .and(path(format!("{REPO}/labels")))
        .respond_with(json_reply(
            422,
            json!({"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]})
                .to_string(),
        ))
}

/// `GET /repos/contoso/webshop/deployments`: the deployments in `deployments` (a JSON body).
pub fn deployments(deployments: String) -> Mock {
    Mock::given(method("GET"))
        .and(path(format!("{REPO}/deployments")))
        .respond_with(json_reply(200, deployments))
}

/// `GET /repos/contoso/webshop/deployments`: none.
pub fn no_deployments() -> Mock {
    deployments("[]".into())
}

/// `verb path` answered 401 Bad credentials, GitHub's body for a revoked or wrong token.
pub fn unauthorized(verb: &str, route: &str) -> Mock {
    Mock::given(method(verb)).and(path(route)).respond_with(json_reply(
        401,
        json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})
            .to_string(),
    ))
}

/// `verb path` answered 403 for a token without the permission (what a fork PR's read-only token gets).
pub fn forbidden(verb: &str, route: &str) -> Mock {
    Mock::given(method(verb)).and(path(route)).respond_with(json_reply(
        403,
        json!({"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest", "status": "403"})
            .to_string(),
    ))
}

/// `verb path` answered with server error `status` (500, 502, 503) and the body GitHub sends with it.
pub fn server_error(verb: &str, route: &str, status: u16) -> Mock {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(json_reply(
            status,
            json!({"message": "Server Error"}).to_string(),
        ))
}

/// Any `verb` request answered 500: mounted with `.expect(0)` to check that nothing of the kind is sent.
pub fn never(verb: &str) -> Mock {
    Mock::given(method(verb)).respond_with(ResponseTemplate::new(500))
}
