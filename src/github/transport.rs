//! One request, with retries, timeouts and error mapping; and pagination over `Link: rel="next"`.
//!
//! The retry rules are the contract's: 5xx, 429 and rate-limit 403s are retried with exponential backoff,
//! honouring `Retry-After` (seconds) and — only when `x-ratelimit-remaining` is `0` — `x-ratelimit-reset`;
//! at most [`RetryPolicy::max_tries`] tries within [`RetryPolicy::total_budget`]. A wait the budget cannot
//! cover is not slept through: the last answer is reported at once. Other 4xx are final.

use super::Client;
use super::error::GithubError;
use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT,
};
use http::{Method, StatusCode};
use octocrab::OctoBody;
use serde::de::DeserializeOwned;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Pages followed at most for one listing (10 000 items at `per_page=100`): a guard against a `Link` loop.
const MAX_PAGES: usize = 100;

/// How hard to try: tries, time budget, backoff base and per-attempt timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per request, the first included (contract: 4).
    pub max_tries: u32,
    /// Wall-clock budget per request, all tries and waits included (contract: 60 s).
    pub total_budget: Duration,
    /// First backoff wait; doubled on every further retry. Tests use milliseconds.
    pub base_delay: Duration,
    /// Timeout of one attempt (capped by what is left of the budget).
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_tries: 4,
            total_budget: Duration::from_secs(60),
            base_delay: Duration::from_secs(1),
            request_timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before try `attempt + 1` when no header says how long: `base_delay * 2^(attempt-1)`.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(16);
        self.base_delay.saturating_mul(factor)
    }
}

/// A final HTTP answer: status, headers and the body as text.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body (UTF-8).
    pub body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    }

    /// A primary (`x-ratelimit-remaining: 0`) or secondary ("rate limit" in the body) rate limit.
    fn is_rate_limited(&self) -> bool {
        self.header("x-ratelimit-remaining") == Some("0")
            || self.body.to_ascii_lowercase().contains("rate limit")
    }

    fn is_retryable(&self) -> bool {
        self.status == 429
            || (500..600).contains(&self.status)
            || (self.status == 403 && self.is_rate_limited())
    }

    /// How long the server asks us to wait: `Retry-After`, else the reset time of an exhausted rate limit.
    fn requested_wait(&self) -> Option<Duration> {
        if let Some(seconds) = self
            .header("retry-after")
            .and_then(|v| v.parse::<u64>().ok())
        {
            return Some(Duration::from_secs(seconds));
        }
        if self.header("x-ratelimit-remaining") != Some("0") {
            return None;
        }
        let reset = self.header("x-ratelimit-reset")?.parse::<u64>().ok()?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Some(Duration::from_secs(reset.saturating_sub(now)))
    }

    /// GitHub's `message` field, or the start of the body.
    fn message(&self) -> String {
        let from_json = serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| {
                v.get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            });
        let text = from_json.unwrap_or_else(|| self.body.chars().take(200).collect());
        if text.trim().is_empty() {
            StatusCode::from_u16(self.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("no message")
                .to_string()
        } else {
            text
        }
    }
}

/// Why one attempt got no answer; the text never holds the token.
#[derive(Debug, thiserror::Error)]
enum NoAnswer {
    /// The token cannot go in an `Authorization` header.
    #[error("the token holds characters that cannot be sent in an HTTP header")]
    TokenNotSendable,
    /// Building, sending or reading the exchange failed: the error and its sources on one line, scrubbed.
    #[error("{0}")]
    Transport(String),
}

/// The outcome of one attempt that did not end the request.
enum Failure {
    /// An answer that may be retried.
    Answer(Reply),
    /// No answer (connection, TLS, timeout).
    Network(String),
}

impl Client {
    /// Sends one request (retrying as the policy allows) and returns the final answer, whatever its status.
    /// `Err` only when no answer came at all.
    pub(crate) async fn execute(
        &self,
        method: &Method,
        url: &str,
        body: Option<&str>,
    ) -> Result<Reply, GithubError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let policy = self.policy;
        let deadline = Instant::now() + policy.total_budget;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            self.attempts.fetch_add(1, Ordering::Relaxed);
            let left = deadline.saturating_duration_since(Instant::now());
            let limit = policy.request_timeout.min(left);
            let failure = match tokio::time::timeout(limit, self.attempt_once(method, url, body))
                .await
            {
                Ok(Ok(reply)) if !reply.is_retryable() => return Ok(reply),
                Ok(Ok(reply)) => Failure::Answer(reply),
                Ok(Err(no_answer)) => Failure::Network(no_answer.to_string()),
                Err(_) => Failure::Network(format!("no answer within {} s", limit.as_secs_f32())),
            };
            let wait = match &failure {
                Failure::Answer(reply) => reply
                    .requested_wait()
                    .unwrap_or_else(|| policy.backoff(attempt)),
                Failure::Network(_) => policy.backoff(attempt),
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if attempt >= policy.max_tries || wait >= left {
                return match failure {
                    Failure::Answer(reply) => Ok(reply),
                    Failure::Network(message) => Err(GithubError::Network {
                        method: method.to_string(),
                        path: self.path_of(url),
                        message,
                    }),
                };
            }
            tracing::debug!(%method, path = %self.path_of(url), attempt, ?wait, "retrying GitHub request");
            tokio::time::sleep(wait).await;
        }
    }

    /// One HTTP exchange.
    async fn attempt_once(
        &self,
        method: &Method,
        url: &str,
        body: Option<&str>,
    ) -> Result<Reply, NoAnswer> {
        let octocrab = self.octocrab();
        let mut builder = http::Request::builder()
            .method(method.clone())
            .uri(url)
            .header(USER_AGENT, super::user_agent())
            .header(ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28");
        if let Some(token) = &self.token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                .map_err(|_| NoAnswer::TokenNotSendable)?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        let request = match body {
            Some(json) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(OctoBody::from(json.to_string())),
            None => builder.header(CONTENT_LENGTH, "0").body(OctoBody::empty()),
        }
        .map_err(|e| self.describe(&e))?;
        let response = octocrab
            .execute(request)
            .await
            .map_err(|e| self.describe(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = octocrab
            .body_to_string(response)
            .await
            .map_err(|e| self.describe(&e))?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// An error and its sources on one line, scrubbed of the token.
    fn describe(&self, error: &dyn std::error::Error) -> NoAnswer {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        NoAnswer::Transport(self.scrubbed(text))
    }

    /// `text` with the token replaced by `***`.
    pub(crate) fn scrubbed(&self, text: String) -> String {
        match &self.token {
            Some(token) => token.scrub(&text),
            None => text,
        }
    }

    /// Turns a final answer into `Ok` (2xx) or the matching error.
    pub(crate) fn check(
        &self,
        method: &Method,
        url: &str,
        reply: Reply,
    ) -> Result<Reply, GithubError> {
        let method = method.to_string();
        let path = self.path_of(url);
        match reply.status {
            200..=299 => Ok(reply),
            401 => Err(GithubError::TokenRejected {
                method,
                path,
                message: self.scrubbed(reply.message()),
            }),
            404 => Err(GithubError::Permission {
                method,
                path,
                status: reply.status,
            }),
            403 if !reply.is_rate_limited() => Err(GithubError::Permission {
                method,
                path,
                status: reply.status,
            }),
            status => Err(GithubError::Api {
                method,
                path,
                status,
                message: self.scrubbed(reply.message()),
            }),
        }
    }

    /// [`Client::execute`] then [`Client::check`].
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&str>,
    ) -> Result<Reply, GithubError> {
        let reply = self.execute(&method, url, body).await?;
        self.check(&method, url, reply)
    }

    /// Sends `body` as JSON and decodes the answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<T, GithubError> {
        let reply = self
            .send(method.clone(), url, Some(&body.to_string()))
            .await?;
        self.decode(&method, url, &reply.body)
    }

    /// Parses a JSON body, naming the request when it cannot.
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        method: &Method,
        url: &str,
        body: &str,
    ) -> Result<T, GithubError> {
        serde_json::from_str(body).map_err(|e| GithubError::Response {
            method: method.to_string(),
            path: self.path_of(url),
            message: format!("invalid JSON: {e}"),
        })
    }

    /// Every item of a paginated `GET`: `per_page=100`, following `Link: rel="next"` to the end. `envelope`
    /// names the array inside an object answer (`workflow_runs`); items that do not fit `T` are skipped.
    /// `stop_after` ends the walk after a page holding an item it accepts (the listing is sorted).
    pub(crate) async fn get_all<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        envelope: Option<&str>,
        stop_after: impl Fn(&T) -> bool,
    ) -> Result<Vec<T>, GithubError> {
        let separator = if path_and_query.contains('?') {
            '&'
        } else {
            '?'
        };
        let mut url = format!("{}{path_and_query}{separator}per_page=100", self.base_url);
        let mut items = Vec::new();
        for _ in 0..MAX_PAGES {
            let reply = self.send(Method::GET, &url, None).await?;
            let page: serde_json::Value = self.decode(&Method::GET, &url, &reply.body)?;
            let list = match envelope {
                Some(key) => page.get(key).cloned(),
                None => Some(page),
            };
            let Some(serde_json::Value::Array(list)) = list else {
                return Err(self.unreadable(&url, "expected a list"));
            };
            let before = items.len();
            items.extend(
                list.into_iter()
                    .filter_map(|item| serde_json::from_value::<T>(item).ok()),
            );
            let stop = items
                .get(before..)
                .is_some_and(|page| page.iter().any(&stop_after));
            match next_link(&reply.headers) {
                Some(next) if !stop => {
                    if !next.starts_with(&self.origin) {
                        return Err(self.unreadable(&url, "the next page is on another host"));
                    }
                    if next == url {
                        break;
                    }
                    url = next;
                }
                _ => break,
            }
        }
        Ok(items)
    }

    fn unreadable(&self, url: &str, message: &str) -> GithubError {
        GithubError::Response {
            method: "GET".into(),
            path: self.path_of(url),
            message: message.into(),
        }
    }

    /// The API path of `url` (below the base URL, without the query; the whole URL when elsewhere, such as a
    /// GraphQL endpoint on another path) for messages.
    pub(crate) fn path_of(&self, url: &str) -> String {
        let rest = url.strip_prefix(self.base_url.as_str()).unwrap_or(url);
        rest.split('?').next().unwrap_or(rest).to_string()
    }
}

/// The `rel="next"` target among all `Link` headers.
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("link")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(next_in_link_value)
}

/// Parses `<url>; rel="next", <url>; rel="last"` (URLs may hold commas, so split on `<`…`>`).
fn next_in_link_value(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after_open = rest.get(open + 1..)?;
        let close = after_open.find('>')?;
        let target = after_open.get(..close)?;
        let params_and_more = after_open.get(close + 1..)?;
        let params = params_and_more.split('<').next().unwrap_or("");
        let is_next = params.split(';').any(|param| {
            let Some((key, value)) = param.split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_end_matches(',')
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.trim().to_string());
        }
        rest = params_and_more;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_next_among_link_relations() {
        let value = "<https://api.github.com/repositories/1300192/issues/5/comments?per_page=100&page=2>; rel=\"next\", \
                     <https://api.github.com/repositories/1300192/issues/5/comments?per_page=100&page=3>; rel=\"last\"";
        assert_eq!(
            next_in_link_value(value).as_deref(),
            Some(
                "https://api.github.com/repositories/1300192/issues/5/comments?per_page=100&page=2"
            )
        );
        let last_page = "<https://api.github.com/x?page=1>; rel=\"prev\", <https://api.github.com/x?page=1>; rel=\"first\"";
        assert_eq!(next_in_link_value(last_page), None);
        let comma_in_url = "<https://api.github.com/issues?labels=a,b&page=2>; rel=\"next\"";
        assert_eq!(
            next_in_link_value(comma_in_url).as_deref(),
            Some("https://api.github.com/issues?labels=a,b&page=2")
        );
        assert_eq!(next_in_link_value("<broken; rel=\"next\""), None);
        assert_eq!(next_in_link_value(""), None);
    }

    #[test]
    fn backoff_doubles_from_the_base() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        };
        assert_eq!(policy.backoff(1), Duration::from_millis(10));
        assert_eq!(policy.backoff(2), Duration::from_millis(20));
        assert_eq!(policy.backoff(3), Duration::from_millis(40));
    }

    fn reply(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> Reply {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        Reply {
            status,
            headers: map,
            body: body.to_string(),
        }
    }

    #[test]
    fn classifies_answers_for_retry() {
        assert!(reply(502, &[], "").is_retryable());
        assert!(reply(429, &[], "").is_retryable());
        let secondary = r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}"#;
        assert!(reply(403, &[("x-ratelimit-remaining", "4990")], secondary).is_retryable());
        assert!(
            reply(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1")],
                "{}"
            )
            .is_retryable()
        );
        let forbidden = r#"{"message":"Resource not accessible by integration","status":"403"}"#;
        assert!(!reply(403, &[("x-ratelimit-remaining", "4999")], forbidden).is_retryable());
        assert!(!reply(404, &[], "").is_retryable());
        assert!(!reply(422, &[], "").is_retryable());
    }

    #[test]
    fn reset_header_counts_only_when_exhausted() {
        let not_exhausted = reply(
            502,
            &[
                ("x-ratelimit-remaining", "12"),
                ("x-ratelimit-reset", "99999999999"),
            ],
            "",
        );
        assert_eq!(not_exhausted.requested_wait(), None);
        let past_reset = reply(
            403,
            &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1")],
            "",
        );
        assert_eq!(past_reset.requested_wait(), Some(Duration::ZERO));
        let retry_after = reply(429, &[("retry-after", "3")], "");
        assert_eq!(retry_after.requested_wait(), Some(Duration::from_secs(3)));
        assert_eq!(
            reply(429, &[("retry-after", "soon")], "").requested_wait(),
            None
        );
    }

    #[test]
    fn message_prefers_the_json_field() {
        assert_eq!(
            reply(422, &[], r#"{"message":"Validation Failed"}"#).message(),
            "Validation Failed"
        );
        assert_eq!(reply(502, &[], "").message(), "Bad Gateway");
        assert_eq!(
            reply(500, &[], "upstream exploded").message(),
            "upstream exploded"
        );
    }
}
