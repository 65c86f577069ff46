//! The action's inputs and the runner's environment, read once at start.
//!
//! Docker actions receive inputs as `INPUT_<NAME>` with the name upper-cased and hyphens kept
//! (`INPUT_GITHUB-TOKEN`); an input set to the empty string counts as not given.

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
            scans: input("scans").map(PathBuf::from),
            event_name: get("GITHUB_EVENT_NAME").unwrap_or_default(),
            event_path: get("GITHUB_EVENT_PATH").map(PathBuf::from),
            repository: get("GITHUB_REPOSITORY"),
            workspace: get("GITHUB_WORKSPACE").map_or_else(|| PathBuf::from("."), PathBuf::from),
            api_url: get("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into()),
            server_url: get("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            step_summary: get("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            output: get("GITHUB_OUTPUT").map(PathBuf::from),
            run_id: get("GITHUB_RUN_ID"),
        })
    }

    /// The mode to run, `auto` resolved from the event name.
    pub fn effective_mode(&self) -> Mode {
        match self.mode {
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
}
