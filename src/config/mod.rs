//! `.github/azengage.yml`: the program dates, checklist, evidence kit, scoring weights and rule settings.
//!
//! The model mirrors the contract's "Configuration" section key for key. Every key is optional; unknown keys,
//! bad values and contradictions are errors that name the file, line and column and list what is valid, because
//! a silently ignored typo (`credit:` for `credits:`) would skew the estimate without anyone noticing.

// Input from users' files reaches this module: no indexing or string slicing that could panic (CI denies
// warnings). The rest of `src/` is not yet held to this; see the CHANGELOG.
#![warn(clippy::string_slice, clippy::indexing_slicing)]

mod error;

pub use error::ConfigError;

use crate::severity::RuleSeverity;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the config file lives under the repository root.
pub const DEFAULT_PATH: &str = ".github/azengage.yml";

/// Days between the review and the credits' expiry when the config does not say.
pub const DEFAULT_REVIEW_LEAD_DAYS: u32 = 45;

/// The longest `pack.ask`, `pack.company` and `pack.contact` (characters): the pack prints on at most two A4
/// pages, so its words must fit beside every figure.
pub const PACK_ASK_MAX_CHARS: usize = 400;
/// See [`PACK_ASK_MAX_CHARS`].
pub const PACK_COMPANY_MAX_CHARS: usize = 80;
/// See [`PACK_ASK_MAX_CHARS`].
pub const PACK_CONTACT_MAX_CHARS: usize = 160;

/// Weeks without IaC change or deployment after which infrastructure counts as stale, when not configured.
pub const DEFAULT_STALE_WEEKS: u32 = 6;

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The credit program and its dates.
    #[serde(default)]
    pub program: Program,
    /// The Founders Hub profile checklist.
    #[serde(default)]
    pub checklist: Checklist,
    /// The evidence kit (funding, traction, press).
    #[serde(default)]
    pub evidence: Evidence,
    /// Score weights and thresholds.
    #[serde(default)]
    pub scoring: Scoring,
    /// Rules to disable and severity overrides.
    #[serde(default)]
    pub rules: RulesConfig,
    /// Fail (exit 1) when a suggestion of this severity or worse exists.
    pub fail_on: Option<FailOn>,
    /// Fail (exit 1) when the score is below this.
    pub min_score: Option<u32>,
    /// Which IaC paths to read.
    #[serde(default)]
    pub paths: Paths,
    /// Regions the team means to use.
    #[serde(default)]
    pub regions: Regions,
    /// Cost Management exports.
    #[serde(default)]
    pub costs: Costs,
    /// The escalation pack's words (`azengage pack`).
    #[serde(default)]
    pub pack: Pack,
    /// What is deployed: roots and environment values.
    #[serde(default)]
    pub deploy: Deploy,
    /// The file this was loaded from and its text (to point rules at a line); `None` for defaults.
    #[serde(skip)]
    pub source: Option<ConfigSource>,
}

/// The file a [`Config`] was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigSource {
    /// The path as it should be shown (`.github/azengage.yml` when found under a repository root).
    pub file: String,
    /// The file's text.
    pub text: String,
}

/// `program:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// `founders-hub` or `partner-program`.
    pub kind: Option<ProgramKind>,
    /// When the startup joined the program (the score appears 90 days later).
    pub joined: Option<Date>,
    /// The tier held now (`25k`).
    pub tier: Option<String>,
    /// Credit amounts and expiry.
    #[serde(default)]
    pub credits: Credits,
    /// Days before `credits.expires` that the review runs (default 45).
    pub review_lead_days: Option<u32>,
}

/// `program.kind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgramKind {
    /// Microsoft for Startups Founders Hub.
    FoundersHub,
    /// Microsoft Cloud Partner Program.
    PartnerProgram,
}

impl ProgramKind {
    /// The name as written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramKind::FoundersHub => "founders-hub",
            ProgramKind::PartnerProgram => "partner-program",
        }
    }
}

/// `program.credits:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credits {
    /// The credits granted (any currency unit, as long as `used` uses the same).
    pub total: Option<f64>,
    /// The credits consumed so far.
    pub used: Option<f64>,
    /// The share consumed, 0-100 (instead of `used`).
    pub consumed_percent: Option<f64>,
    /// When the credits expire.
    pub expires: Option<Date>,
}

impl Credits {
    /// The percentage consumed: `consumed_percent`, else `used ÷ total × 100`.
    pub fn consumed_percent(&self) -> Option<f64> {
        if let Some(p) = self.consumed_percent {
            return Some(p);
        }
        match (self.used, self.total) {
            (Some(used), Some(total)) if total > 0.0 => Some(used / total * 100.0),
            _ => None,
        }
    }
}

/// `checklist:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// The profile's email/domain is verified.
    pub verified_domain: Option<bool>,
    /// Team members added besides the founder.
    pub team_members: Option<u32>,
    /// A link to the demo video.
    pub demo_video: Option<String>,
}

/// `evidence:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// A link to or description of the funding.
    pub funding: Option<String>,
    /// Traction metrics.
    pub traction: Option<String>,
    /// Press links (a single string is accepted as a list of one).
    #[serde(default, deserialize_with = "one_or_many")]
    pub press: Vec<String>,
}

/// `scoring:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Component weights (missing ones keep their default).
    #[serde(default)]
    pub weights: Weights,
    /// Weeks without activity after which infrastructure is stale (default 6).
    pub stale_weeks: Option<u32>,
}

/// `scoring.weights:`. The total is scaled to 100, so only the ratios matter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Breadth of services, categories, solution areas and regions (default 40).
    pub breadth: f64,
    /// Steady activity over time (default 40).
    pub consistency: f64,
    /// Checklist, evidence and credits consumed (default 20).
    pub readiness: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            breadth: 40.0,
            consistency: 40.0,
            readiness: 20.0,
        }
    }
}

/// `rules:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule names or ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity overrides, by rule name or id.
    #[serde(default)]
    pub severity: BTreeMap<String, RuleSeverity>,
}

/// `fail_on` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on warnings or errors.
    Warning,
    /// Fail on any suggestion.
    Note,
    /// Never fail because of suggestions.
    Never,
}

impl std::str::FromStr for FailOn {
    type Err = String;

    /// Parse a `--fail-on` value; the error lists the choices.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FailOn::parse(s).ok_or_else(|| {
            format!(
                "invalid value '{s}' for --fail-on; valid choices: {}",
                FailOn::CHOICES.join(", ")
            )
        })
    }
}

impl FailOn {
    /// The choices, as written.
    pub const CHOICES: [&'static str; 4] = ["error", "warning", "note", "never"];

    /// Parse a `--fail-on` value.
    pub fn parse(s: &str) -> Option<FailOn> {
        match s {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "note" => Some(FailOn::Note),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }

    /// The least severe severity that fails, `None` for `never`.
    pub fn threshold(self) -> Option<RuleSeverity> {
        match self {
            FailOn::Error => Some(RuleSeverity::Error),
            FailOn::Warning => Some(RuleSeverity::Warning),
            FailOn::Note => Some(RuleSeverity::Note),
            FailOn::Never => None,
        }
    }
}

/// `paths:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    /// Glob patterns of IaC files to read.
    #[serde(default)]
    pub include: Vec<String>,
    /// Glob patterns of IaC files to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// `regions:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    /// Canonical region names the team means to use.
    #[serde(default)]
    pub expected: Vec<String>,
}

/// `costs:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// A file or directory of Cost Management exports.
    pub path: Option<String>,
}

/// `pack:`: what the escalation pack says that the scan cannot know.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// The page's heading (default: the repository name).
    pub company: Option<String>,
    /// Who the program manager should write to.
    pub contact: Option<String>,
    /// The closing "What we ask" paragraph (default: a request for a manual review with this evidence).
    pub ask: Option<String>,
}

/// `deploy:` (see the contract's "What is deployed").
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    /// Templates or directories (relative to the repository root) deployments start from; when set, the
    /// only roots.
    #[serde(default, deserialize_with = "one_or_many")]
    pub roots: Vec<String>,
    /// Values of `${VAR}` placeholders in azd parameter files when no deploy workflow sets them.
    #[serde(default)]
    pub env: BTreeMap<String, EnvValue>,
}

/// A `deploy.env` value: YAML may write it as a string, a number or a boolean (`USE_APIM: false`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum EnvValue {
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_yaml_ng::Number),
}

impl std::fmt::Display for EnvValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnvValue::Text(s) => f.write_str(s),
            EnvValue::Bool(b) => write!(f, "{b}"),
            EnvValue::Number(n) => write!(f, "{n}"),
        }
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

impl Config {
    /// Read and validate the file at `path`; errors name `path` as given.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::read(path, &crate::model::path_string(path))
    }

    /// Load `.github/azengage.yml` under `repo_root`; the defaults when the file does not exist.
    pub fn find(repo_root: &Path) -> Result<Config, ConfigError> {
        let path = repo_root.join(DEFAULT_PATH);
        if !path.exists() {
            return Ok(Config::default());
        }
        Config::read(&path, DEFAULT_PATH)
    }

    /// Read `path` (shown as `file`) as UTF-8, then parse it.
    fn read(path: &Path, file: &str) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| ConfigError::io(file, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::not_utf8(file, &e))?;
        Config::parse(file, &text)
    }

    /// Parse and validate config text; `file` names it in errors. A leading BOM (as Windows editors write
    /// it) is skipped.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(text).map_err(|e| ConfigError::from_yaml(file, &e))?;
        let mut config = if value.is_null() {
            Config::default()
        } else {
            serde_yaml_ng::from_str::<Config>(text).map_err(|e| ConfigError::from_yaml(file, &e))?
        };
        config.source = Some(ConfigSource {
            file: file.to_string(),
            text: text.to_string(),
        });
        config.validate()?;
        Ok(config)
    }

    /// `review_lead_days`, or its default.
    pub fn review_lead_days(&self) -> u32 {
        self.program
            .review_lead_days
            .unwrap_or(DEFAULT_REVIEW_LEAD_DAYS)
    }

    /// `scoring.stale_weeks`, or its default.
    pub fn stale_weeks(&self) -> u32 {
        self.scoring.stale_weeks.unwrap_or(DEFAULT_STALE_WEEKS)
    }

    /// The file and line of a dotted key (`program.credits.expires`) for pointing a suggestion at it; the
    /// nearest enclosing key written when the key itself is not. `(None, None)` without a config file.
    pub fn key_location(&self, dotted: &str) -> (Option<String>, Option<u32>) {
        match &self.source {
            None => (None, None),
            Some(src) => {
                let keys: Vec<&str> = dotted.split('.').collect();
                let line = error::key_position(&src.text, &keys).map(|(l, _)| l);
                (Some(src.file.clone()), line)
            }
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let err = |keys: &[&str], message: String| self.error_at(keys, message);
        let credits = &self.program.credits;
        if credits.used.is_some() && credits.consumed_percent.is_some() {
            return Err(err(
                &["program", "credits", "consumed_percent"],
                "give either program.credits.used or program.credits.consumed_percent, not both"
                    .to_string(),
            ));
        }
        for (key, value) in [
            ("total", credits.total),
            ("used", credits.used),
            ("consumed_percent", credits.consumed_percent),
        ] {
            if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                return Err(err(
                    &["program", "credits", key],
                    format!("program.credits.{key} must be a non-negative number"),
                ));
            }
        }
        if credits.used.is_some() && credits.total.is_none() {
            return Err(err(
                &["program", "credits", "used"],
                "program.credits.used needs program.credits.total to compute the share consumed"
                    .to_string(),
            ));
        }
        self.validate_weights()?;
        if let Some(score) = self.min_score.filter(|s| *s > 100) {
            return Err(err(
                &["min_score"],
                format!("min_score must be between 0 and 100, not {score}"),
            ));
        }
        self.validate_regions()?;
        self.validate_pack()?;
        self.validate_deploy()
    }

    fn validate_pack(&self) -> Result<(), ConfigError> {
        let p = &self.pack;
        for (key, value, max) in [
            ("company", &p.company, PACK_COMPANY_MAX_CHARS),
            ("contact", &p.contact, PACK_CONTACT_MAX_CHARS),
            ("ask", &p.ask, PACK_ASK_MAX_CHARS),
        ] {
            let chars = value.as_deref().map_or(0, |v| v.trim().chars().count());
            if chars > max {
                return Err(self.error_at(
                    &["pack", key],
                    format!(
                        "pack.{key} is {chars} characters; keep it to {max} so the pack still prints on two A4 pages"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn validate_deploy(&self) -> Result<(), ConfigError> {
        for root in &self.deploy.roots {
            let path = std::path::Path::new(root);
            if root.trim().is_empty() || path.is_absolute() {
                return Err(self.error_at(
                    &["deploy", "roots"],
                    format!(
                        "deploy.roots: '{root}' must be a path relative to the repository root"
                    ),
                ));
            }
        }
        for name in self.deploy.env.keys() {
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(self.error_at(
                    &["deploy", "env", name],
                    format!(
                        "deploy.env: '{name}' is not an environment variable name (letters, digits and _)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `deploy.env` as plain strings.
    pub fn deploy_env(&self) -> BTreeMap<String, String> {
        self.deploy
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect()
    }

    fn validate_weights(&self) -> Result<(), ConfigError> {
        let w = &self.scoring.weights;
        for (key, value) in [
            ("breadth", w.breadth),
            ("consistency", w.consistency),
            ("readiness", w.readiness),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(self.error_at(
                    &["scoring", "weights", key],
                    format!("scoring.weights.{key} must be a non-negative number, not {value}"),
                ));
            }
        }
        if w.breadth + w.consistency + w.readiness <= 0.0 {
            return Err(self.error_at(
                &["scoring", "weights"],
                "scoring.weights must not all be zero".to_string(),
            ));
        }
        Ok(())
    }

    fn validate_regions(&self) -> Result<(), ConfigError> {
        for name in &self.regions.expected {
            if crate::catalog::region(name).is_none() {
                return Err(self.error_at(
                    &["regions", "expected"],
                    format!("regions.expected: {}", crate::catalog::not_a_region(name)),
                ));
            }
        }
        Ok(())
    }

    /// An error about the key at `keys` (a path of mapping keys), at its line and column in the file; for
    /// checks made outside this module (rule names are checked by the assessment, which knows the rules).
    pub fn error_at(&self, keys: &[&str], message: String) -> ConfigError {
        let (file, text) = match &self.source {
            Some(src) => (src.file.as_str(), src.text.as_str()),
            None => (DEFAULT_PATH, ""),
        };
        let (line, column) = error::key_position(text, keys).unwrap_or((0, 0));
        ConfigError::Invalid {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

/// The commented starter file `azengage init` writes.
pub fn starter_config() -> &'static str {
    include_str!("starter.yml")
}

#[cfg(test)]
mod tests;
