//! The one place azengage talks to GitHub's REST API (nothing else in the crate does network I/O).
//!
//! Used by the action (PR comment, report issue, the PR's changed files) and by the activity stage (successful
//! deploy runs and deployments, see [`activity::deployment_dates`]). The rules it keeps are the contract's
//! ("How the action behaves"): a `User-Agent` on every request, `per_page=100` and `Link: rel="next"` followed
//! to the end, retries for 5xx / 429 / rate-limit 403 only ([`RetryPolicy`]), and errors that name method,
//! path and status but never the token ([`GithubError`], [`Token`]).
//!
//! Transport: octocrab with its own HTTP service stack replaced by a plain hyper + rustls client
//! (`OctocrabBuilder::new_empty().with_service(..)`). octocrab's default stack always appends
//! `User-Agent: octocrab` (a second value next to ours) and would hide the headers retries need; with the bare
//! service we set every header ourselves and read `Retry-After`, `x-ratelimit-*` and `Link` directly. Below it,
//! [`net`] adds proxies (`HTTPS_PROXY`, `NO_PROXY`) and the operating system's and `SSL_CERT_FILE`'s roots.
//! GraphQL (only `minimizeComment`, for `comment-behavior: hide-and-new`) goes through the same transport.

pub mod activity;
mod error;
mod graphql;
pub mod net;
mod ops;
pub mod source;
mod transport;
mod types;

pub use crate::slug::RepoSlug;
pub use activity::{deployment_dates, deployment_dates_if_permitted};
pub use error::{GithubError, Token};
pub use net::NetworkSettings;
pub use transport::RetryPolicy;
pub use types::{
    Comment, Deployment, DeploymentStatus, Issue, Label, PullFile, PullRequestEnd, PullRequestInfo,
    RepoName, User, WorkflowRun,
};

use octocrab::{AuthState, Octocrab, OctocrabBuilder};
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// `GITHUB_API_URL`'s default.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// The `User-Agent` sent with every request: `azengage/<version>`.
pub fn user_agent() -> &'static str {
    concat!("azengage/", env!("CARGO_PKG_VERSION"))
}

/// A GitHub API client bound to one repository.
pub struct Client {
    /// Built on first use: octocrab spawns its worker on the tokio runtime current at that moment.
    octocrab: OnceLock<Octocrab>,
    /// The API base without a trailing slash, e.g. `https://api.github.com` or `https://ghe.example/api/v3`.
    base_url: String,
    /// `scheme://authority` of the base: `Link` targets elsewhere are not followed (they would get the token).
    origin: String,
    /// The GraphQL endpoint (`GITHUB_GRAPHQL_URL`).
    graphql_url: String,
    /// Proxies and trusted roots.
    network: NetworkSettings,
    /// TLS with the roots of `network`.
    tls: rustls::ClientConfig,
    token: Option<Token>,
    repo: RepoSlug,
    policy: RetryPolicy,
    /// Logical requests (retries not counted).
    requests: AtomicU64,
    /// HTTP attempts (retries counted).
    attempts: AtomicU64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("repo", &self.repo)
            .field("token", &self.token)
            .field("policy", &self.policy)
            .field("requests", &self.requests())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `repo` at `api_url` (`GITHUB_API_URL`). An empty or blank token counts as none (the client
    /// then sends unauthenticated requests; the action makes none at all). Fails ([`GithubError::Setup`], a
    /// configuration error) on a malformed URL or a token with characters no HTTP header can carry.
    pub fn new(
        api_url: &str,
        token: Option<String>,
        repo: RepoSlug,
    ) -> Result<Client, GithubError> {
        let base_url = api_url.trim().trim_end_matches('/').to_string();
        let uri: http::Uri = base_url
            .parse()
            .map_err(|_| GithubError::Setup(format!("GITHUB_API_URL `{base_url}` is not a URL")))?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(GithubError::Setup(format!(
                "GITHUB_API_URL `{base_url}` needs a scheme and a host"
            )));
        };
        if scheme != "https" && scheme != "http" {
            return Err(GithubError::Setup(format!(
                "GITHUB_API_URL `{base_url}` must be http(s)"
            )));
        }
        let origin = format!("{scheme}://{authority}");
        // `GITHUB_GRAPHQL_URL`'s default: GitHub Enterprise Server `https://HOST/api/v3` answers GraphQL at
        // `https://HOST/api/graphql`, github.com (and a stand-in) at the origin's `/graphql`.
        let graphql_url = match base_url.strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{origin}/graphql"),
        };
        let network = NetworkSettings::default();
        let tls = network.tls_config()?;
        let token = token.and_then(Token::new);
        if token
            .as_ref()
            .is_some_and(|t| http::HeaderValue::from_str(t.expose()).is_err())
        {
            return Err(GithubError::Setup(
                "the GitHub token holds characters that cannot be sent in an HTTP header".into(),
            ));
        }
        Ok(Client {
            octocrab: OnceLock::new(),
            base_url,
            origin,
            graphql_url,
            network,
            tls,
            token,
            repo,
            policy: RetryPolicy::default(),
            requests: AtomicU64::new(0),
            attempts: AtomicU64::new(0),
        })
    }

    /// The same client with another retry policy (tests shorten the waits).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Client {
        self.policy = policy;
        self
    }

    /// The same client reaching GitHub through `network`'s proxies and trusting its extra roots (the action
    /// and the CLI pass the environment's settings; without this call there is no proxy).
    pub fn with_network(mut self, network: NetworkSettings) -> Result<Client, GithubError> {
        self.tls = network.tls_config()?;
        self.network = network;
        self.octocrab = OnceLock::new();
        Ok(self)
    }

    /// The same client with another GraphQL endpoint (`GITHUB_GRAPHQL_URL`; default: derived from the API URL).
    pub fn with_graphql_url(mut self, url: &str) -> Client {
        self.graphql_url = url.trim().to_string();
        self
    }

    /// The repository this client works on.
    pub fn repo(&self) -> &RepoSlug {
        &self.repo
    }

    /// Whether a token was given.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Requests made so far, not counting retries (the contract's request budget counts these).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// HTTP attempts made so far, retries included.
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// `{base}/repos/{owner}/{name}{rest}`.
    fn repo_url(&self, rest: &str) -> String {
        format!("{}{}", self.base_url, self.repo_path(rest))
    }

    /// `/repos/{owner}/{name}{rest}` (for paginated listings, which add the base themselves).
    fn repo_path(&self, rest: &str) -> String {
        format!("/repos/{}/{}{rest}", self.repo.owner, self.repo.name)
    }

    fn octocrab(&self) -> &Octocrab {
        self.octocrab
            .get_or_init(|| build_octocrab(&self.network, self.tls.clone()))
    }
}

/// octocrab over a bare hyper client (HTTP/1, rustls with the bundled and system roots, proxies as `network`
/// says; plain http for local test servers).
fn build_octocrab(network: &NetworkSettings, tls: rustls::ClientConfig) -> Octocrab {
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(net::ProxyConnector::new(network));
    let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, octocrab::OctoBody>(connector);
    match OctocrabBuilder::new_empty()
        .with_service(http)
        .with_auth(AuthState::None)
        .build()
    {
        Ok(octocrab) => octocrab,
        Err(never) => match never {},
    }
}

/// Percent-encodes one path segment or query value (everything but RFC 3986 unreserved characters).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> RepoSlug {
        RepoSlug {
            owner: "octo".into(),
            name: "app".into(),
        }
    }

    #[test]
    fn new_checks_the_url_and_hides_the_token() -> Result<(), GithubError> {
        let client = Client::new(
            "https://ghe.example.com/api/v3/",
            Some("ghp_topsecret".into()),
            repo(),
        )?;
        assert_eq!(
            client.repo_url("/issues"),
            "https://ghe.example.com/api/v3/repos/octo/app/issues"
        );
        assert_eq!(client.origin, "https://ghe.example.com");
        assert_eq!(client.graphql_url, "https://ghe.example.com/api/graphql");
        assert_eq!(
            Client::new(DEFAULT_API_URL, None, repo())?.graphql_url,
            "https://api.github.com/graphql"
        );
        let debug = format!("{client:?}");
        assert!(
            !debug.contains("ghp_topsecret") && debug.contains("***"),
            "{debug}"
        );
        assert!(client.has_token());
        assert!(!Client::new(DEFAULT_API_URL, Some(String::new()), repo())?.has_token());
        let bad_token = Client::new(DEFAULT_API_URL, Some("ghp_x\nInjected: 1".into()), repo());
        assert!(
            matches!(&bad_token, Err(GithubError::Setup(m)) if !m.contains("ghp_x")),
            "{bad_token:?}"
        );
        for bad in [
            "",
            "api.github.com",
            "ftp://api.github.com",
            "https://exa mple.com",
        ] {
            assert!(
                matches!(Client::new(bad, None, repo()), Err(GithubError::Setup(_))),
                "{bad:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn client_can_be_shared_between_tasks() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Client>();
        shareable::<GithubError>();
    }

    #[test]
    fn encodes_path_segments_and_query_values() {
        assert_eq!(encode("azure-dev.yml"), "azure-dev.yml");
        assert_eq!(encode(">=2026-01-05"), "%3E%3D2026-01-05");
        assert_eq!(encode("needs review"), "needs%20review");
        assert_eq!(
            user_agent(),
            format!("azengage/{}", env!("CARGO_PKG_VERSION"))
        );
    }
}
