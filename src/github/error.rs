//! What can go wrong talking to GitHub, and the token wrapper that keeps the secret out of every message.
//!
//! Each error names the HTTP method, the API path and the status, so the action can print a message a user can
//! act on (contract: exit code 4 "names method, path and status"). None of them can hold the token: the token
//! lives only in [`Token`], whose `Debug` prints `***`, and text taken from response bodies is scrubbed of it.

use std::fmt;

/// A GitHub token. `Debug` prints `***`; there is no `Display`, so it cannot end up in a message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; an empty or blank string is no token at all (the contract: an empty input is not given).
    pub fn new(raw: String) -> Option<Token> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            None
        } else {
            Some(Token(trimmed.to_string()))
        }
    }

    /// The secret itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces every occurrence of the token in `text` with `***` (for text echoed back by a server).
    pub(crate) fn scrub(&self, text: &str) -> String {
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why a GitHub API call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GithubError {
    /// 401: GitHub rejected the token itself (wrong, expired or revoked). Never a permission question: the
    /// action fails with exit 4 so that the team learns the token must be replaced.
    #[error(
        "GitHub rejected the token: {method} {path} answered status 401 ({message}); the token is wrong, expired or \
         revoked: check the `github-token` input or the secret it comes from"
    )]
    TokenRejected {
        /// HTTP method, e.g. `GET`.
        method: String,
        /// API path below the base URL.
        path: String,
        /// GitHub's `message` field (`Bad credentials`), scrubbed of the token.
        message: String,
    },
    /// 403 (not a rate limit) or 404: the token lacks permission, or cannot see the resource.
    /// The action treats this as "could not post" (exit 0); the activity stage goes on without GitHub data.
    #[error(
        "GitHub API refused {method} {path} with status {status}: the token lacks permission for it (or cannot see it)"
    )]
    Permission {
        /// HTTP method, e.g. `POST`.
        method: String,
        /// API path below the base URL, e.g. `/repos/o/r/issues/5/comments`.
        path: String,
        /// HTTP status: 403 or 404.
        status: u16,
    },
    /// Any other error status, after retries where they apply (5xx, 429, rate limits). Exit code 4.
    #[error("GitHub API failed: {method} {path} answered status {status}: {message}")]
    Api {
        /// HTTP method.
        method: String,
        /// API path below the base URL.
        path: String,
        /// The last HTTP status received.
        status: u16,
        /// GitHub's `message` field (or the start of the body), scrubbed of the token.
        message: String,
    },
    /// No answer at all: connection refused, DNS, TLS, or the request timed out (after retries).
    #[error("GitHub API could not be reached: {method} {path}: {message}")]
    Network {
        /// HTTP method.
        method: String,
        /// API path below the base URL.
        path: String,
        /// What went wrong, scrubbed of the token.
        message: String,
    },
    /// A success answer whose body or `Link` header could not be understood.
    #[error("GitHub API answered {method} {path} with something azengage cannot read: {message}")]
    Response {
        /// HTTP method.
        method: String,
        /// API path below the base URL.
        path: String,
        /// What could not be read.
        message: String,
    },
    /// The client could not be set up (e.g. `GITHUB_API_URL` is not a URL).
    #[error("GitHub client setup failed: {0}")]
    Setup(String),
}

impl GithubError {
    /// `true` for [`GithubError::Permission`]: the caller should carry on without GitHub (exit 0 / no source).
    pub fn is_permission(&self) -> bool {
        matches!(self, GithubError::Permission { .. })
    }

    /// `true` for a 401: the token itself was refused (exit 4, whatever the caller was doing).
    pub fn is_token_rejected(&self) -> bool {
        matches!(self, GithubError::TokenRejected { .. })
    }

    /// The HTTP status, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            GithubError::Permission { status, .. } | GithubError::Api { status, .. } => {
                Some(*status)
            }
            GithubError::TokenRejected { .. } => Some(401),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_debug_is_masked_and_blank_tokens_are_none() {
        let token = Token::new("  ghs_abcdef123456  ".to_string());
        assert_eq!(format!("{token:?}"), "Some(***)");
        assert_eq!(token.as_ref().map(Token::expose), Some("ghs_abcdef123456"));
        assert!(Token::new("   ".to_string()).is_none());
        assert!(Token::new(String::new()).is_none());
    }

    #[test]
    fn scrub_removes_every_copy() {
        let Some(token) = Token::new("ghp_secret".to_string()) else {
            panic!("token expected");
        };
        assert_eq!(token.scrub("a ghp_secret b ghp_secret"), "a *** b ***");
    }

    #[test]
    fn display_names_method_path_and_status() {
        let err = GithubError::Permission {
            method: "POST".into(),
            path: "/repos/o/r/issues/3/comments".into(),
            status: 403,
        };
        let text = err.to_string();
        assert!(text.contains("POST /repos/o/r/issues/3/comments"), "{text}");
        assert!(
            text.contains("403") && text.contains("permission"),
            "{text}"
        );
        assert!(err.is_permission());
        assert_eq!(err.status(), Some(403));
    }
}
