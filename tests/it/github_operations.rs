//! The GitHub operations the action uses (comments, the report issue and its label, a PR's files) against a
//! local mock of the REST API with answers shaped like GitHub's.

use crate::{fake_github, github_support};

use github_support::*;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer};

#[tokio::test]
async fn delete_treats_404_as_already_gone() -> TestResult {
    let server = MockServer::start().await;
    fake_github::delete_comment(2410000300)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/contoso/webshop/issues/comments/2410000301"))
        .respond_with(json_reply(
            404,
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/issues/comments#delete-an-issue-comment","status":"404"}"#.into(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/repos/contoso/webshop/issues/comments/2410000302"))
        .respond_with(json_reply(
            403,
            r#"{"message":"Resource not accessible by integration"}"#.into(),
        ))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    assert!(client.delete_comment(2410000300).await?);
    assert!(!client.delete_comment(2410000301).await?);
    let refused = client
        .delete_comment(2410000302)
        .await
        .err()
        .ok_or("expected 403")?;
    assert!(refused.is_permission());
    assert_eq!(client.requests(), 3);
    Ok(())
}

#[tokio::test]
async fn label_that_exists_is_fine() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/labels"))
        .and(body_partial_json(json!({ "name": "azengage", "color": "0e8a16" })))
        .respond_with(json_reply(
            422,
            r#"{"message":"Validation Failed","errors":[{"resource":"Label","code":"already_exists","field":"name"}],"documentation_url":"https://docs.github.com/rest/issues/labels#create-a-label","status":"422"}"#.into(),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/labels"))
        .respond_with(json_reply(
            201,
            r#"{"id":208045946,"node_id":"MDU6TGFiZWwyMDgwNDU5NDY=","url":"https://api.github.com/repos/contoso/webshop/labels/azengage","name":"azengage","description":"Azure engagement report","color":"0e8a16","default":false}"#.into(),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server.uri())?;
    assert!(
        !client
            .create_label("azengage", "0e8a16", "Azure engagement report")
            .await?
    );
    assert!(
        client
            .create_label("azengage", "0e8a16", "Azure engagement report")
            .await?
    );
    Ok(())
}

#[tokio::test]
async fn open_labelled_issues_leave_out_pull_requests() -> TestResult {
    let server = MockServer::start().await;
    let issues = json!([
        {"number": 31, "title": "Azure engagement report", "state": "open", "body": "<!-- azengage -->\nreport",
         "user": {"login": "github-actions[bot]", "type": "Bot"},
         "labels": [{"id": 208045946, "name": "azengage", "color": "0e8a16", "default": false}],
         "html_url": "https://github.com/contoso/webshop/issues/31", "pull_request": null},
        {"number": 30, "title": "infra: add redis", "state": "open", "body": null,
         "user": {"login": "mona", "type": "User"}, "labels": [{"name": "azengage"}],
         "pull_request": {"url": "https://api.github.com/repos/contoso/webshop/pulls/30", "merged_at": null}}
    ]);
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/issues"))
        .and(query_param("state", "open"))
        .and(query_param("labels", "azengage"))
        .and(query_param("per_page", "100"))
        .respond_with(json_reply(200, issues.to_string()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/contoso/webshop/issues"))
        .and(body_partial_json(
            json!({ "title": "Azure engagement report", "labels": ["azengage"] }),
        ))
        .respond_with(json_reply(
            201,
            issues.get(0).map(|v| v.to_string()).unwrap_or_default(),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let open = client.list_open_issues_with_label("azengage").await?;
    assert_eq!(open.iter().map(|i| i.number).collect::<Vec<_>>(), vec![31]);
    assert!(open.iter().all(|i| i.by_bot() && i.has_label("azengage")));
    let created = client
        .create_issue(
            "Azure engagement report",
            "<!-- azengage -->",
            &["azengage".into()],
        )
        .await?;
    assert_eq!(created.number, 31);
    Ok(())
}

#[tokio::test]
async fn enterprise_base_path_and_pull_request_files() -> TestResult {
    let server = MockServer::start().await;
    let files = json!([
        {"sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": "infra/main.bicep", "status": "modified",
         "additions": 12, "deletions": 2, "changes": 14,
         "blob_url": "https://ghe.contoso.com/contoso/webshop/blob/4f1c1a0/infra/main.bicep", "patch": "@@ -1,3 +1,13 @@"},
        {"sha": "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "filename": "infra/modules/redis.bicep", "status": "renamed",
         "previous_filename": "infra/modules/cache.bicep", "additions": 0, "deletions": 0, "changes": 0}
    ]);
    Mock::given(method("GET"))
        .and(path("/api/v3/repos/contoso/webshop/pulls/42/files"))
        .and(query_param("per_page", "100"))
        .respond_with(json_reply(200, files.to_string()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&format!("{}/api/v3/", server.uri()))?;
    let changed = client.pull_request_files(42).await?;
    let names: Vec<_> = changed
        .iter()
        .filter_map(|f| f.filename.as_deref())
        .collect();
    assert_eq!(names, ["infra/main.bicep", "infra/modules/redis.bicep"]);
    assert_eq!(
        changed.get(1).and_then(|f| f.previous_filename.as_deref()),
        Some("infra/modules/cache.bicep")
    );
    Ok(())
}

/// The contract's budget: a PR run with no prior comment and fewer than 100 comments takes at most 5 requests
/// (list, create, re-list, plus the PR's files).
#[tokio::test]
async fn first_pr_comment_fits_the_request_budget() -> TestResult {
    let server = MockServer::start().await;
    fake_github::list_comments(json!([]))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let listing = format!("[{}]", fixture("comment_created.json").trim());
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(json_reply(200, listing))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(COMMENTS))
        .respond_with(json_reply(201, fixture("comment_created.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/pulls/42/files"))
        .respond_with(json_reply(
            200,
            r#"[{"filename":"infra/main.bicep","status":"modified"}]"#.into(),
        ))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let changed = client.pull_request_files(42).await?;
    assert_eq!(changed.len(), 1);
    assert!(client.list_issue_comments(42).await?.is_empty());
    let created = client
        .create_comment(42, "<!-- azengage -->\nreport")
        .await?;
    let again = client.list_issue_comments(42).await?;
    assert_eq!(
        again.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![created.id]
    );
    assert_eq!(client.requests(), 4);
    Ok(())
}
