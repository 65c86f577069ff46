//! The action's inputs and the runner's environment, read once at start.
//!
//! Docker actions receive inputs as `INPUT_<NAME>` with the name upper-cased and hyphens kept
//! (`INPUT_GITHUB-TOKEN`); an input set to the empty string counts as not given.

use crate::github::NetworkSettings;
use std::collections::HashMap;
use std::path::PathBuf;

/// Which job to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decide from the event: pull requests comment, schedule/workflow_dispatch report, anything else scans.
    Auto,
    /// Comment on the pull request.
    Pr,
    /// Upsert the health-report issue.
    Report,
    /// Summary, outputs and annotations only.
    Scan,
}

/// When to comment on a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentWhen {
    /// Only when the PR changes an IaC file (default).
    InfraChanged,
    /// On every run.
    Always,
}

/// What a PR run does with earlier comments of its own (input `comment-behavior`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentBehavior {
    /// One comment, edited in place (default).
    Update,
    /// A new comment on every run; earlier ones are left as they are.
    New,
    /// A new comment, then every earlier one of ours is minimized as outdated (GraphQL `minimizeComment`).
    HideAndNew,
    /// A new comment, then every earlier one of ours is deleted.
    DeleteAndNew,
}

impl CommentBehavior {
    /// The input's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentBehavior::Update => "update",
            CommentBehavior::New => "new",
            CommentBehavior::HideAndNew => "hide-and-new",
            CommentBehavior::DeleteAndNew => "delete-and-new",
        }
    }
}

/// A secret that never prints: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a token.
    pub fn new(s: String) -> Self {
        Secret(s)
    }
    /// The token, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Everything the action reads from its environment.
#[derive(Debug, Clone)]
pub struct ActionEnv {
    /// `path` input (default `.`), relative to the workspace.
    pub path: PathBuf,
    /// `config` input.
    pub config: Option<PathBuf>,
    /// `mode` input.
    pub mode: Mode,
    /// `github-token` input, else `GITHUB_TOKEN`.
    pub token: Option<Secret>,
    /// `comment` input (default on).
    pub comment: bool,
    /// `comment-when` input.
    pub comment_when: CommentWhen,
    /// `report-title` input.
    pub report_title: String,
    /// `report-labels` input, comma-separated; `azengage` is always among them.
    pub report_labels: Vec<String>,
    /// `fail-on` input.
    pub fail_on: Option<String>,
    /// `min-score` input.
    pub min_score: Option<u32>,
    /// `sarif-file` input.
    pub sarif_file: Option<PathBuf>,
    /// `costs` input: Cost Management exports.
    pub costs: Option<PathBuf>,
    /// `pack` input: write the escalation pack (default off).
    pub pack: bool,
    /// `RUNNER_TEMP`: where the escalation pack goes (else the system's temporary directory).
    pub runner_temp: Option<PathBuf>,
    /// `scans` input: a directory of `scan --format json` documents; the report becomes the account's.
    pub scans: Option<PathBuf>,
    /// `GITHUB_EVENT_NAME`.
    pub event_name: String,
    /// `GITHUB_EVENT_PATH`.
    pub event_path: Option<PathBuf>,
    /// `GITHUB_REPOSITORY` (`owner/name`).
    pub repository: Option<String>,
    /// `GITHUB_WORKSPACE` (default: the current directory).
    pub workspace: PathBuf,
    /// `GITHUB_API_URL` (default `https://api.github.com`).
    pub api_url: String,
    /// `GITHUB_SERVER_URL` (default `https://github.com`).
    pub server_url: String,
    /// `GITHUB_STEP_SUMMARY`.
    pub step_summary: Option<PathBuf>,
    /// `GITHUB_OUTPUT`.
    pub output: Option<PathBuf>,
    /// `GITHUB_RUN_ID`.
    pub run_id: Option<String>,
    /// `comment-behavior` input.
    pub comment_behavior: CommentBehavior,
    /// `comment-key` input: the marker becomes `<!-- azengage:KEY -->`.
    pub comment_key: Option<String>,
    /// `pr-number` input: the pull request to comment on (a `workflow_run` job names it).
    pub pr_number: Option<u64>,
    /// `skip-draft` input: on a draft pull request write the summary and outputs only.
    pub skip_draft: bool,
    /// `GITHUB_GRAPHQL_URL` (when not set, the client derives it from the API URL).
    pub graphql_url: Option<String>,
    /// Proxies and extra trusted roots (`HTTPS_PROXY`, `NO_PROXY`, `SSL_CERT_FILE`, ... in either case).
    pub network: NetworkSettings,
}

/// Whether `key` can sit in the marker `<!-- azengage:KEY -->`: 1 to 64 letters, digits, `.`, `_`, `-`, `/`.
fn valid_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
}

/// A bad input value: which input, what was given, what is valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("input '{name}' is '{value}'; valid values: {valid}")]
pub struct InputError {
    /// Input name.
    pub name: String,
    /// What was given.
    pub value: String,
    /// What is valid.
    pub valid: String,
}

impl ActionEnv {
    /// Read from the process environment. Variables whose name or value is not UTF-8 are skipped
    /// (`std::env::vars` would panic on them).
    pub fn from_process() -> Result<Self, InputError> {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        Self::from_map(&vars)
    }

    /// Read from a map of variables (tests pass their own).
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, InputError> {
        let get = |k: &str| {
            vars.get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let input = |name: &str| get(&format!("INPUT_{}", name.to_ascii_uppercase()));
        let bad = |name: &str, value: String, valid: &str| InputError {
            name: name.into(),
            value,
            valid: valid.into(),
        };
        let mode = match input("mode").as_deref() {
            None | Some("auto") => Mode::Auto,
            Some("pr") => Mode::Pr,
            Some("report") => Mode::Report,
            Some("scan") => Mode::Scan,
            Some(v) => return Err(bad("mode", v.into(), "auto, pr, report, scan")),
        };
        let comment = match input("comment")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("true" | "on" | "yes" | "1") => true,
            Some("false" | "off" | "no" | "0") => false,
            Some(v) => return Err(bad("comment", v.into(), "on, off (true, false)")),
        };
        let pack = match input("pack")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("false" | "off" | "no" | "0") => false,
            Some("true" | "on" | "yes" | "1") => true,
            Some(v) => return Err(bad("pack", v.into(), "true, false")),
        };
        let comment_when = match input("comment-when").as_deref() {
            None | Some("infra-changed") => CommentWhen::InfraChanged,
            Some("always") => CommentWhen::Always,
            Some(v) => return Err(bad("comment-when", v.into(), "infra-changed, always")),
        };
        let fail_on = match input("fail-on") {
            None => None,
            Some(v) if ["error", "warning", "note", "never"].contains(&v.as_str()) => Some(v),
            Some(v) => return Err(bad("fail-on", v, "error, warning, note, never")),
        };
        let min_score = match input("min-score") {
            None => None,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if n <= 100 => Some(n),
                _ => return Err(bad("min-score", v, "an integer from 0 to 100")),
            },
        };
        let comment_behavior = match input("comment-behavior").as_deref() {
            None | Some("update") => CommentBehavior::Update,
            Some("new") => CommentBehavior::New,
            Some("hide-and-new") => CommentBehavior::HideAndNew,
            Some("delete-and-new") => CommentBehavior::DeleteAndNew,
            Some(v) => {
                return Err(bad(
                    "comment-behavior",
                    v.into(),
                    "update, new, hide-and-new, delete-and-new",
                ));
            }
        };
        let comment_key = match input("comment-key") {
            None => None,
            Some(k) if valid_key(&k) => Some(k),
            Some(k) => {
                return Err(bad(
                    "comment-key",
                    k,
                    "1 to 64 letters, digits, '.', '_', '-' or '/'",
                ));
            }
        };
        let pr_number = match input("pr-number") {
            None => None,
            Some(v) => match v.trim_start_matches('#').parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(bad("pr-number", v, "a pull request number, e.g. 42")),
            },
        };
        let skip_draft = match input("skip-draft")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("false" | "off" | "no" | "0") => false,
            Some("true" | "on" | "yes" | "1") => true,
            Some(v) => return Err(bad("skip-draft", v.into(), "true, false")),
        };
        let either = |upper: &str| get(&upper.to_ascii_lowercase()).or_else(|| get(upper));
        let network = NetworkSettings {
            https_proxy: either("HTTPS_PROXY"),
            http_proxy: either("HTTP_PROXY"),
            all_proxy: either("ALL_PROXY"),
            no_proxy: either("NO_PROXY"),
            cert_file: get("SSL_CERT_FILE").map(PathBuf::from),
            cert_dir: get("SSL_CERT_DIR").map(PathBuf::from),
        };
        let mut report_labels: Vec<String> = input("report-labels")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if !report_labels.iter().any(|l| l == super::LABEL) {
            report_labels.insert(0, super::LABEL.to_string());
        }
        Ok(ActionEnv {
            path: input("path").map_or_else(|| PathBuf::from("."), PathBuf::from),
            config: input("config").map(PathBuf::from),
            mode,
            token: input("github-token")
                .or_else(|| get("GITHUB_TOKEN"))
                .map(Secret::new),
            comment,
            comment_when,
            report_title: input("report-title")
                .unwrap_or_else(|| "Azure engagement health report".into()),
            report_labels,
            fail_on,
            min_score,
            sarif_file: input("sarif-file").map(PathBuf::from),
            costs: input("costs").map(PathBuf::from),
            pack,
            runner_temp: get("RUNNER_TEMP").map(PathBuf::from),
            scans: input("scans").map(PathBuf::from),
            event_name: get("GITHUB_EVENT_NAME").unwrap_or_default(),
            event_path: get("GITHUB_EVENT_PATH").map(PathBuf::from),
            repository: get("GITHUB_REPOSITORY"),
            workspace: get("GITHUB_WORKSPACE").map_or_else(|| PathBuf::from("."), PathBuf::from),
            graphql_url: get("GITHUB_GRAPHQL_URL"),
            api_url: get("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into()),
            server_url: get("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            step_summary: get("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: get("GITHUB_OUTPUT").map(PathBuf::from),
            run_id: get("GITHUB_RUN_ID"),
            comment_behavior,
            comment_key,
            pr_number,
            skip_draft,
            network,
        })
    }

    /// The marker line that starts our comment and issue: `<!-- azengage -->`, or `<!-- azengage:KEY -->`.
    pub fn marker(&self) -> String {
        match &self.comment_key {
            Some(key) => format!("<!-- azengage:{key} -->"),
            None => super::MARKER.to_string(),
        }
    }

    /// The mode to run, `auto` resolved from the event name; a `pr-number` input means a PR run (a
    /// `workflow_run` job commenting on the pull request whose run produced its files).
    pub fn effective_mode(&self) -> Mode {
        match self.mode {
            Mode::Auto if self.pr_number.is_some() => Mode::Pr,
            Mode::Auto => match self.event_name.as_str() {
                "pull_request" | "pull_request_target" => Mode::Pr,
                "schedule" | "workflow_dispatch" => Mode::Report,
                _ => Mode::Scan,
            },
            m => m,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn hyphenated_inputs_and_empty_strings() {
        let e = ActionEnv::from_map(&env(&[
            ("INPUT_GITHUB-TOKEN", "ghs_secret"),
            ("INPUT_COMMENT-WHEN", "always"),
            ("INPUT_MIN-SCORE", ""),
            ("INPUT_REPORT-LABELS", "infra, azure"),
            ("GITHUB_EVENT_NAME", "pull_request_target"),
        ]))
        .unwrap();
        assert_eq!(e.token.as_ref().unwrap().expose(), "ghs_secret");
        assert_eq!(format!("{e:?}").matches("ghs_secret").count(), 0);
        assert_eq!(e.comment_when, CommentWhen::Always);
        assert_eq!(e.min_score, None);
        assert_eq!(e.report_labels, ["azengage", "infra", "azure"]);
        assert_eq!(e.effective_mode(), Mode::Pr);
    }

    #[test]
    fn github_token_fallback_and_bad_values() {
        let e = ActionEnv::from_map(&env(&[
            ("GITHUB_TOKEN", "t"),
            ("GITHUB_EVENT_NAME", "schedule"),
        ]))
        .unwrap();
        assert!(e.token.is_some());
        assert_eq!(e.effective_mode(), Mode::Report);
        let err = ActionEnv::from_map(&env(&[("INPUT_MODE", "deploy")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input 'mode' is 'deploy'; valid values: auto, pr, report, scan"
        );
        assert!(ActionEnv::from_map(&env(&[("INPUT_MIN-SCORE", "101")])).is_err());
    }

    #[test]
    fn comment_behaviour_key_pr_number_and_draft() {
        let e = ActionEnv::from_map(&env(&[
            ("INPUT_COMMENT-BEHAVIOR", "hide-and-new"),
            ("INPUT_COMMENT-KEY", "services/api"),
            ("INPUT_PR-NUMBER", "57"),
            ("INPUT_SKIP-DRAFT", "true"),
            ("GITHUB_EVENT_NAME", "workflow_run"),
        ]))
        .unwrap();
        assert_eq!(e.comment_behavior, CommentBehavior::HideAndNew);
        assert_eq!(e.marker(), "<!-- azengage:services/api -->");
        assert_eq!((e.pr_number, e.skip_draft), (Some(57), true));
        assert_eq!(e.effective_mode(), Mode::Pr);
        let plain = ActionEnv::from_map(&env(&[("INPUT_COMMENT-KEY", "")])).unwrap();
        assert_eq!(plain.marker(), "<!-- azengage -->");
        assert_eq!(plain.comment_behavior, CommentBehavior::Update);
        for (name, value) in [
            ("INPUT_COMMENT-KEY", "a -->b"),
            ("INPUT_COMMENT-KEY", "x\n::error::y"),
            ("INPUT_PR-NUMBER", "0"),
            ("INPUT_PR-NUMBER", "42abc"),
            ("INPUT_COMMENT-BEHAVIOR", "recreate"),
            ("INPUT_SKIP-DRAFT", "maybe"),
        ] {
            assert!(
                ActionEnv::from_map(&env(&[(name, value)])).is_err(),
                "{name}={value:?}"
            );
        }
    }

    #[test]
    fn graphql_url_and_network_variables() {
        let e = ActionEnv::from_map(&env(&[
            ("GITHUB_API_URL", "https://ghe.example/api/v3"),
            ("https_proxy", "http://proxy.corp:3128"),
            ("NO_PROXY", "localhost,.corp"),
            ("SSL_CERT_FILE", "/etc/corp/ca.pem"),
        ]))
        .unwrap();
        assert_eq!(e.graphql_url, None, "derived by the client");
        assert_eq!(
            e.network.https_proxy.as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(e.network.no_proxy.as_deref(), Some("localhost,.corp"));
        assert_eq!(e.network.cert_file, Some(PathBuf::from("/etc/corp/ca.pem")));
        let set = ActionEnv::from_map(&env(&[("GITHUB_GRAPHQL_URL", "http://stand-in/graphql")]))
            .unwrap();
        assert_eq!(set.graphql_url.as_deref(), Some("http://stand-in/graphql"));
    }

    #[test]
    fn pack_is_off_unless_asked_and_goes_to_runner_temp() {
        let e = ActionEnv::from_map(&env(&[("INPUT_PACK", "")])).unwrap();
        assert!(!e.pack);
        let e = ActionEnv::from_map(&env(&[("INPUT_PACK", "TRUE"), ("RUNNER_TEMP", "/tmp/r")]))
            .unwrap();
        assert!(e.pack);
        assert_eq!(e.runner_temp, Some(PathBuf::from("/tmp/r")));
        let err = ActionEnv::from_map(&env(&[("INPUT_PACK", "yes please")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input 'pack' is 'yes please'; valid values: true, false"
        );
    }
}
