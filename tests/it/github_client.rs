//! The GitHub client's transport against a local mock of the REST API (wiremock), with answers shaped like
//! GitHub's: pagination over `Link`, retries and their limits, rate-limit headers, permission errors, the
//! `User-Agent`, request counting, and the token never showing up in any message.

use crate::{fake_github, github_support};

use azengage::github::{Client, GithubError, RepoSlug, RetryPolicy};
use github_support::*;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::{
    body_partial_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn finds_our_comment_on_page_three() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .and(query_param("per_page", "100"))
        .and(query_param_is_missing("page"))
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

    let client = client_for(&server.uri())?;
    let comments = client.list_issue_comments(42).await?;
    assert_eq!(comments.len(), 207);
    let ours: Vec<_> = comments
        .iter()
        .filter(|c| {
            c.by_bot()
                && c.body
                    .as_deref()
                    .is_some_and(|b| b.starts_with("<!-- azengage -->"))
        })
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "only the bot's marker comment on page 3 is ours"
    );
    assert_eq!(ours.first().map(|c| c.id), Some(2410000205));
    assert_eq!(client.requests(), 3);
    assert_eq!(client.attempts(), 3);
    Ok(())
}

#[tokio::test]
async fn sends_user_agent_token_and_json_body() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(COMMENTS))
        .and(header("user-agent", "azengage/0.1.0"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/vnd.github+json"))
        .and(body_partial_json(
            json!({ "body": "<!-- azengage -->\nhello" }),
        ))
        .respond_with(json_reply(201, fixture("comment_created.json")))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let created = client
        .create_comment(42, "<!-- azengage -->\nhello")
        .await?;
    assert_eq!(created.id, 2410099999);
    assert!(created.by_bot());
    let requests = server.received_requests().await.unwrap_or_default();
    let agents: Vec<_> = requests
        .iter()
        .flat_map(|r| r.headers.get_all("user-agent").iter())
        .collect();
    assert_eq!(agents.len(), 1, "exactly one User-Agent value: {agents:?}");
    assert_eq!(client.requests(), 1);
    Ok(())
}

#[tokio::test]
async fn no_token_means_no_authorization_header() -> TestResult {
    let server = MockServer::start().await;
    fake_github::list_comments(json!([])).mount(&server).await;
    let repo = RepoSlug::parse("contoso/webshop").ok_or("slug")?;
    let client = Client::new(&server.uri(), Some("  ".into()), repo)?;
    assert!(client.list_issue_comments(42).await?.is_empty());
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_none())
    );
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("user-agent").is_some())
    );
    Ok(())
}

#[tokio::test]
async fn retries_a_502_then_succeeds() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/2410000205"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_string("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/contoso/webshop/issues/comments/2410000205"))
        .respond_with(json_reply(200, fixture("comment_created.json")))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let updated = client
        .update_comment(2410000205, "<!-- azengage -->\nnew")
        .await?;
    assert_eq!(updated.id, 2410099999);
    assert_eq!(
        (client.requests(), client.attempts()),
        (1, 2),
        "one request, two attempts"
    );
    Ok(())
}

#[tokio::test]
async fn gives_up_after_four_tries() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_reply(
            503,
            r#"{"message":"Service Unavailable"}"#.into(),
        ))
        .expect(4)
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let error = client
        .pull_request_files(42)
        .await
        .err()
        .ok_or("expected an error")?;
    match &error {
        GithubError::Api {
            method,
            path,
            status,
            message,
        } => {
            assert_eq!(
                (method.as_str(), path.as_str(), *status),
                ("GET", "/repos/contoso/webshop/pulls/42/files", 503)
            );
            assert_eq!(message, "Service Unavailable");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.contains("GET /repos/contoso/webshop/pulls/42/files") && text.contains("503"),
        "{text}"
    );
    assert!(!error.is_permission());
    assert_eq!((client.requests(), client.attempts()), (1, 4));
    assert_no_token(&error);
    Ok(())
}

#[tokio::test]
async fn honours_retry_after() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_reply(429, r#"{"message":"Too Many Requests"}"#.into())
                .insert_header("retry-after", "1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_reply(200, "[]".into()))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let started = Instant::now();
    client.list_issue_comments(42).await?;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 not honoured, waited {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
    assert_eq!(client.attempts(), 2);
    Ok(())
}

#[tokio::test]
async fn exhausted_rate_limit_waits_for_reset_when_within_budget() -> TestResult {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(403)
        .set_body_raw(
            r#"{"message":"API rate limit exceeded for installation ID 51234567.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}"#,
            "application/json; charset=utf-8",
        )
        .insert_header("x-ratelimit-limit", "1000")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-used", "1000")
        .insert_header("x-ratelimit-reset", epoch_in(2).as_str());
    Mock::given(method("GET"))
        .respond_with(limited)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_reply(200, "[]".into()))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let started = Instant::now();
    client.list_open_issues_with_label("azengage").await?;
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "reset not honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(client.attempts(), 2);
    Ok(())
}

#[tokio::test]
async fn rate_limit_reset_beyond_the_budget_fails_at_once() -> TestResult {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(403)
        .set_body_raw(
            r#"{"message":"API rate limit exceeded for installation ID 51234567."}"#,
            "application/json",
        )
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", epoch_in(3600).as_str());
    Mock::given(method("GET"))
        .respond_with(limited)
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let started = Instant::now();
    let error = client
        .list_issue_comments(42)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "slept although the reset is an hour away"
    );
    assert!(
        matches!(error, GithubError::Api { status: 403, .. }),
        "a rate limit is not a permission error: {error:?}"
    );
    assert!(
        error.to_string().contains("API rate limit exceeded"),
        "{error}"
    );
    Ok(())
}

#[tokio::test]
async fn secondary_rate_limit_is_retried_ignoring_reset_while_quota_remains() -> TestResult {
    let server = MockServer::start().await;
    let secondary = r#"{"documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID C1A2:3B4C:5D6E7F:8A9B0C:6742F1A3."}"#;
    Mock::given(method("POST"))
        .respond_with(json_reply(403, secondary.into()))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_reply(201, fixture("comment_created.json")))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let started = Instant::now();
    client.create_comment(42, "<!-- azengage -->").await?;
    // x-ratelimit-reset is 50 minutes away, but remaining is not 0: only the short backoff applies.
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!((client.requests(), client.attempts()), (1, 3));
    Ok(())
}

#[tokio::test]
async fn permission_answers_are_not_retried() -> TestResult {
    let server = MockServer::start().await;
    fake_github::unauthorized("GET", COMMENTS)
        .expect(1)
        .mount(&server)
        .await;
    fake_github::forbidden("POST", COMMENTS)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(json_reply(
            404,
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/issues/issues#update-an-issue","status":"404"}"#.into(),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let listing = client
        .list_issue_comments(42)
        .await
        .err()
        .ok_or("expected 401")?;
    let posting = client
        .create_comment(42, "x")
        .await
        .err()
        .ok_or("expected 403")?;
    let editing = client
        .update_issue_body(7, "x")
        .await
        .err()
        .ok_or("expected 404")?;
    // A 401 is the token itself refused: never the permission path (contract: exit 4, naming the token).
    assert!(
        !listing.is_permission() && listing.is_token_rejected(),
        "{listing:?}"
    );
    assert_eq!(listing.status(), Some(401));
    let text = listing.to_string();
    assert!(
        text.contains("GET /repos/contoso/webshop/issues/42/comments")
            && text.contains("rejected the token")
            && text.contains("Bad credentials")
            && !text.contains("permission"),
        "{text}"
    );
    assert_no_token(&listing);
    for (error, status, what) in [
        (
            &posting,
            403,
            "POST /repos/contoso/webshop/issues/42/comments",
        ),
        (&editing, 404, "PATCH /repos/contoso/webshop/issues/7"),
    ] {
        assert!(error.is_permission(), "{error:?}");
        assert_eq!(error.status(), Some(status));
        let text = error.to_string();
        assert!(
            text.contains(what)
                && text.contains(&status.to_string())
                && text.contains("permission"),
            "{text}"
        );
        assert_no_token(error);
    }
    assert_eq!(client.attempts(), 3);
    Ok(())
}

#[tokio::test]
async fn token_never_appears_even_when_the_server_echoes_it() -> TestResult {
    let server = MockServer::start().await;
    let echo = format!(
        r#"{{"message":"Validation Failed: token {TOKEN} is not allowed here","status":"422"}}"#
    );
    Mock::given(method("PATCH"))
        .respond_with(json_reply(422, echo))
        .mount(&server)
        .await;

    let client = client_for(&server.uri())?;
    let error = client
        .update_issue_body(7, "body")
        .await
        .err()
        .ok_or("expected 422")?;
    assert!(matches!(error, GithubError::Api { status: 422, .. }));
    assert!(
        error.to_string().contains("token *** is not allowed"),
        "{error}"
    );
    assert_no_token(&error);
    assert!(!format!("{client:?}").contains(TOKEN));
    Ok(())
}

#[tokio::test]
async fn unreachable_server_is_a_network_error_after_retries() -> TestResult {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}"))?;
    let error = client
        .create_issue("Azure engagement report", "body", &[])
        .await
        .err()
        .ok_or("expected error")?;
    assert!(
        matches!(&error, GithubError::Network { method, path, .. } if method == "POST" && path == "/repos/contoso/webshop/issues"),
        "{error:?}"
    );
    assert_eq!(client.attempts(), 4);
    assert_no_token(&error);
    Ok(())
}

#[tokio::test]
async fn slow_answers_time_out_per_attempt() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_reply(200, "[]".into()).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_tries: 2,
        request_timeout: Duration::from_millis(200),
        ..fast_policy()
    };
    let client = client_for(&server.uri())?.with_retry_policy(policy);
    let started = Instant::now();
    let error = client
        .list_issue_comments(42)
        .await
        .err()
        .ok_or("expected a timeout")?;
    assert!(
        matches!(&error, GithubError::Network { message, .. } if message.contains("no answer within")),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.attempts(), 2);
    Ok(())
}

#[tokio::test]
async fn a_next_page_on_another_host_is_not_followed() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_reply(200, "[]".into()).insert_header(
            "link",
            "<https://evil.example.com/steal?page=2>; rel=\"next\"",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri())?;
    let error = client
        .list_issue_comments(42)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(matches!(error, GithubError::Response { .. }), "{error:?}");
    Ok(())
}
