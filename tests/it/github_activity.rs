//! Deployment dates from GitHub (successful deploy-workflow runs and deployment statuses) against a local mock
//! of the REST API with answers shaped like GitHub's.

use crate::{fake_github, github_support};

use azengage::github::{
    Client, GithubError, RepoSlug, RetryPolicy, deployment_dates, deployment_dates_if_permitted,
};
use github_support::{TestResult, fixture};
use jiff::civil::{Date, date};
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RUNS: &str = "/repos/contoso/webshop/actions/workflows/azure-dev.yml/runs";

fn ok_json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json; charset=utf-8")
}

fn client_for(server: &MockServer) -> Result<Client, GithubError> {
    let repo =
        RepoSlug::parse("contoso/webshop").ok_or_else(|| GithubError::Setup("slug".into()))?;
    let policy = RetryPolicy {
        total_budget: Duration::from_secs(5),
        base_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    };
    Ok(
        Client::new(&server.uri(), Some("ghs_activityToken".into()), repo)?
            .with_retry_policy(policy),
    )
}

fn window() -> (Date, Date) {
    (date(2026, 8, 24), date(2026, 11, 20))
}

/// Runs of `azure-dev.yml` over two pages, a deleted `legacy.yml`, and four deployments: one made by a counted
/// run, one by an outside CI, one that failed, and one older than the window (never asked about).
async fn mount_repository(server: &MockServer) {
    let next = format!(
        "<{}/repositories/771234567/actions/workflows/81234567/runs?status=success&created=%3E%3D2026-08-24&per_page=100&page=2>; rel=\"next\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(RUNS))
        .and(query_param("status", "success"))
        .and(query_param("created", ">=2026-08-24"))
        .and(query_param("per_page", "100"))
        .respond_with(ok_json(fixture("runs_page1.json")).insert_header("link", next.as_str()))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/repositories/771234567/actions/workflows/81234567/runs",
        ))
        .and(query_param("page", "2"))
        .respond_with(ok_json(fixture("runs_page2.json")))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/actions/workflows/legacy.yml/runs"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow","status":"404"}"#,
            "application/json",
        ))
        .expect(1)
        .mount(server)
        .await;
    let older_page = format!(
        "<{}/repositories/771234567/deployments?per_page=100&page=2>; rel=\"next\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/repos/contoso/webshop/deployments"))
        .respond_with(
            ok_json(fixture("deployments.json")).insert_header("link", older_page.as_str()),
        )
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/771234567/deployments"))
        .respond_with(ok_json("[]".into()))
        .expect(0)
        .mount(server)
        .await;
    for (id, statuses, times) in [
        (3300000004u64, "statuses_run_deploy.json", 1u64),
        (3300000003, "statuses_external.json", 1),
        (3300000002, "statuses_failed.json", 1),
        (3300000001, "statuses_external.json", 0),
    ] {
        Mock::given(method("GET"))
            .and(path(format!(
                "/repos/contoso/webshop/deployments/{id}/statuses"
            )))
            .respond_with(ok_json(fixture(statuses)))
            .expect(times)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn dates_of_successful_runs_and_deployments_in_the_window() -> TestResult {
    let server = MockServer::start().await;
    mount_repository(&server).await;
    let client = client_for(&server)?;
    let (since, as_of) = window();
    let workflows = [
        ".github/workflows/azure-dev.yml".to_string(),
        ".github/workflows/legacy.yml".to_string(),
    ];
    let dates = deployment_dates(&client, &workflows, since, as_of).await?;
    // Runs on 10-26, 11-09, 11-16; the external deployment on 11-02. The 11-16 deployment is the run's own
    // (its status links to run 11800000003) and is not counted twice; the failed one is not counted.
    assert_eq!(
        dates,
        vec![
            date(2026, 10, 26),
            date(2026, 11, 2),
            date(2026, 11, 9),
            date(2026, 11, 16)
        ]
    );
    // 2 run pages + 1 unknown workflow + 1 deployments page + 3 status listings.
    assert_eq!(client.requests(), 7);
    Ok(())
}

#[tokio::test]
async fn as_of_cuts_off_later_dates() -> TestResult {
    let server = MockServer::start().await;
    mount_repository(&server).await;
    let client = client_for(&server)?;
    let workflows = ["azure-dev.yml".to_string(), "legacy.yml".to_string()];
    let dates =
        deployment_dates(&client, &workflows, date(2026, 8, 24), date(2026, 11, 10)).await?;
    assert_eq!(
        dates,
        vec![date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]
    );
    Ok(())
}

#[tokio::test]
async fn without_permission_the_source_is_skipped() -> TestResult {
    let server = MockServer::start().await;
    fake_github::forbidden("GET", RUNS)
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server)?;
    let (since, as_of) = window();
    let workflows = ["azure-dev.yml".to_string()];
    let error = deployment_dates(&client, &workflows, since, as_of)
        .await
        .err()
        .ok_or("expected 403")?;
    assert!(error.is_permission(), "{error:?}");
    assert_eq!(
        deployment_dates_if_permitted(&client, &workflows, since, as_of).await?,
        None
    );
    Ok(())
}

#[tokio::test]
async fn server_failures_are_not_mistaken_for_missing_permission() -> TestResult {
    let server = MockServer::start().await;
    fake_github::server_error("GET", "/repos/contoso/webshop/deployments", 500)
        .expect(4)
        .mount(&server)
        .await;
    let client = client_for(&server)?;
    let (since, as_of) = window();
    let result = deployment_dates_if_permitted(&client, &[], since, as_of).await;
    assert!(
        matches!(result, Err(GithubError::Api { status: 500, .. })),
        "{result:?}"
    );
    Ok(())
}
