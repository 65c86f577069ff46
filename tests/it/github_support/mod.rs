//! Shared helpers of the GitHub integration tests: fixtures, GitHub-shaped answers, a client with short waits.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use azengage::github::{Client, GithubError, RepoSlug, RetryPolicy};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wiremock::{MockServer, ResponseTemplate};

/// Tests return errors instead of unwrapping.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A token shaped like a `GITHUB_TOKEN`.
pub const TOKEN: &str = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
/// The comments of PR 42.
pub const COMMENTS: &str = "/repos/contoso/webshop/issues/42/comments";
/// Where GitHub's `Link` headers point for later pages: the repository id form, not the owner/name form.
pub const COMMENTS_BY_ID: &str = "/repositories/771234567/issues/42/comments";

/// The text of `tests/fixtures/github/<name>`.
pub fn fixture(name: &str) -> String {
    let file = format!(
        "{}/tests/fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A JSON answer with the headers GitHub sends on every answer (request id, rate-limit quota left).
pub fn json_reply(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(body, "application/json; charset=utf-8")
        .insert_header("x-github-request-id", "C1A2:3B4C:5D6E7F:8A9B0C:6742F1A3")
        .insert_header("x-ratelimit-limit", "5000")
        .insert_header("x-ratelimit-remaining", "4987")
        .insert_header("x-ratelimit-reset", epoch_in(3000).as_str())
}

/// The Unix time `seconds` from now, as `x-ratelimit-reset` gives it.
pub fn epoch_in(seconds: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (now + seconds).to_string()
}

/// The contract's policy (4 tries) with millisecond backoff and a 5 s budget.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_tries: 4,
        total_budget: Duration::from_secs(5),
        base_delay: Duration::from_millis(5),
        request_timeout: Duration::from_secs(2),
    }
}

/// A client for `contoso/webshop` at `base` with [`TOKEN`] and [`fast_policy`].
pub fn client_for(base: &str) -> Result<Client, GithubError> {
    let repo =
        RepoSlug::parse("contoso/webshop").ok_or_else(|| GithubError::Setup("slug".into()))?;
    Ok(Client::new(base, Some(TOKEN.to_string()), repo)?.with_retry_policy(fast_policy()))
}

/// `Link` as GitHub sends it from comment page `page` of 3.
pub fn link(server: &MockServer, page: u32) -> String {
    let url = |n: u32| format!("<{}{COMMENTS_BY_ID}?per_page=100&page={n}>", server.uri());
    match page {
        1 => format!("{}; rel=\"next\", {}; rel=\"last\"", url(2), url(3)),
        _ => format!(
            "{}; rel=\"prev\", {}; rel=\"next\", {}; rel=\"last\", {}; rel=\"first\"",
            url(1),
            url(3),
            url(3),
            url(1)
        ),
    }
}

/// Neither the message nor the `Debug` form of `error` holds the token or a piece of it.
pub fn assert_no_token(error: &GithubError) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains("16C7e42F292c"), "token part leaked: {text}");
    }
}
