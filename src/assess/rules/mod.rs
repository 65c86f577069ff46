//! The suggestion rules: one file per rule, each a [`RuleInfo`] with its id, fixed name, default severity,
//! title, documentation and a pure `check` function.
//!
//! The documentation lives here, next to the check, and `docs/rules/AZE0NN.md` is generated from it
//! ([`RuleInfo::markdown`]; a test compares the files and `UPDATE_DOCS=1` rewrites them), so the published
//! docs cannot drift from what the code does.

mod checklist_incomplete;
mod credits_underused;
mod deprecated_service;
mod evidence_missing;
mod hardcoded_region;
mod irregular_cadence;
mod no_deploy_workflow;
mod no_key_vault;
mod no_managed_data;
mod no_monitoring;
mod review_approaching;
mod score_not_visible_yet;
mod single_region;
mod spend_spike;
mod stale_infrastructure;
mod unknown_region;
mod unmanaged_resources;

use super::{AssessmentInput, RuleSeverity, Suggestion};
use crate::config::{Config, ConfigError};

/// One rule: what it is called, how serious it is by default, what it says, and how it checks.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable code, `AZE001`...
    pub id: &'static str,
    /// The contract's fixed name, `no-monitoring`...
    pub name: &'static str,
    /// Severity unless the config overrides it.
    pub severity: RuleSeverity,
    /// One line.
    pub title: &'static str,
    /// Docs section "What it checks".
    pub what: &'static str,
    /// Docs section "Why it matters for the review".
    pub why: &'static str,
    /// Docs section "How to fix".
    pub how: &'static str,
    /// Docs section "Example" (Markdown, usually a code block).
    pub example: &'static str,
    /// The check: a pure function of the input.
    pub check: fn(&AssessmentInput) -> Vec<Suggestion>,
}

impl RuleInfo {
    /// The docs page, relative to the repository root: `docs/rules/AZE001.md`.
    pub fn docs_path(&self) -> String {
        format!("docs/rules/{}.md", self.id)
    }

    /// The docs page's Markdown, generated from the fields above.
    pub fn markdown(&self) -> String {
        format!(
            "<!-- Generated from src/assess/rules/{file}.rs by `UPDATE_DOCS=1 cargo test --lib assess::rules`; \
             do not edit. -->\n\
             # {id} `{name}`\n\n\
             **{title}**\n\n\
             Default severity: `{severity}`. Disable with `rules: {{ disable: [{name}] }}` in \
             `.github/azengage.yml`, or change the severity with `rules: {{ severity: {{ {name}: {other} }} }}`.\n\n\
             ## What it checks\n\n{what}\n\n\
             ## Why it matters for the review\n\n{why}\n\n\
             ## How to fix\n\n{how}\n\n\
             ## Example\n\n{example}\n",
            file = self.name.replace('-', "_"),
            id = self.id,
            name = self.name,
            title = self.title,
            severity = severity_name(self.severity),
            other = if self.severity == RuleSeverity::Note {
                "warning"
            } else {
                "note"
            },
            what = self.what.trim(),
            why = self.why.trim(),
            how = self.how.trim(),
            example = self.example.trim(),
        )
    }

    /// A suggestion from this rule at its default severity.
    pub fn suggest(
        &self,
        detail: impl Into<String>,
        file: Option<String>,
        line: Option<u32>,
    ) -> Suggestion {
        Suggestion {
            id: self.id.to_string(),
            rule: self.name.to_string(),
            severity: self.severity,
            title: self.title.to_string(),
            detail: detail.into(),
            file,
            line,
        }
    }
}

/// `error`, `warning` or `note`.
pub fn severity_name(s: RuleSeverity) -> &'static str {
    s.as_str()
}

static RULES: [RuleInfo; 17] = [
    no_monitoring::RULE,
    single_region::RULE,
    unknown_region::RULE,
    no_managed_data::RULE,
    no_key_vault::RULE,
    stale_infrastructure::RULE,
    irregular_cadence::RULE,
    hardcoded_region::RULE,
    deprecated_service::RULE,
    review_approaching::RULE,
    score_not_visible_yet::RULE,
    credits_underused::RULE,
    checklist_incomplete::RULE,
    evidence_missing::RULE,
    no_deploy_workflow::RULE,
    spend_spike::RULE,
    unmanaged_resources::RULE,
];

/// Every rule, in id order.
pub fn rules() -> &'static [RuleInfo] {
    &RULES
}

/// A rule by id (`AZE001`, any case) or name (`no-monitoring`).
pub fn find(id_or_name: &str) -> Option<&'static RuleInfo> {
    RULES
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}

/// Check that every rule the config names in `rules.disable` and `rules.severity` exists (by name or id): a
/// misspelt name would silently keep a rule on. The config layer cannot know the rules, so the check lives
/// here and runs where the config is loaded for a scan; the error names the file, line and the valid rules.
pub fn check_config(config: &Config) -> Result<(), ConfigError> {
    let known = || {
        rules()
            .iter()
            .map(|r| format!("{} ({})", r.name, r.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = config.rules.disable.iter().find(|n| find(n).is_none()) {
        return Err(config.error_at(
            &["rules", "disable"],
            format!(
                "unknown rule '{name}' in rules.disable; valid rules: {}",
                known()
            ),
        ));
    }
    if let Some(name) = config.rules.severity.keys().find(|n| find(n).is_none()) {
        return Err(config.error_at(
            &["rules", "severity", name],
            format!(
                "unknown rule '{name}' in rules.severity; valid rules: {}",
                known()
            ),
        ));
    }
    Ok(())
}

/// `docs/rules/README.md`: a table of every rule linking to its page (generated like the pages).
pub fn index_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from src/assess/rules/ by `UPDATE_DOCS=1 cargo test --lib assess::rules`; do not \
         edit. -->\n# azengage rules\n\n\
         Every suggestion azengage makes comes from one of these rules. Disable a rule with \
         `rules: { disable: [NAME or ID] }` in `.github/azengage.yml`, or change its severity with \
         `rules: { severity: { NAME: error|warning|note } }`.\n\n\
         | id | name | default severity | title |\n|---|---|---|---|\n",
    );
    for r in rules() {
        out.push_str(&format!(
            "| [{id}]({id}.md) | `{name}` | {severity} | {title} |\n",
            id = r.id,
            name = r.name,
            severity = severity_name(r.severity),
            title = r.title,
        ));
    }
    out
}

/// The first deployed Azure resource in file/line order: where "add X next to your resources" points.
fn first_deployed(input: &AssessmentInput) -> (Option<String>, Option<u32>) {
    input
        .inventory
        .deployed()
        .min_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)))
        .map(|r| (Some(r.file.clone()), Some(r.line)))
        .unwrap_or((None, None))
}

/// Files that declare resources none of which is deployed (module libraries nothing uses, tests, samples):
/// what they say is no advice about the deployment.
fn undeployed_files<'a>(input: &'a AssessmentInput) -> std::collections::BTreeSet<&'a str> {
    let mut files: std::collections::BTreeMap<&str, bool> = std::collections::BTreeMap::new();
    for r in &input.inventory.resources {
        *files.entry(r.file.as_str()).or_default() |= r.deployed;
    }
    files
        .into_iter()
        .filter(|(_, deployed)| !deployed)
        .map(|(file, _)| file)
        .collect()
}

/// `true` when `arm_type` (any case) is one of `types`.
fn is_type(arm_type: Option<&str>, types: &[&str]) -> bool {
    arm_type.is_some_and(|t| types.iter().any(|x| t.eq_ignore_ascii_case(x)))
}

/// The region a location expression names when it is a literal (`"westeurope"`, `'westeurope'`, or a bare
/// name in ARM JSON), `None` for parameters, variables and expressions.
fn literal_region(expr: &str, file: &str) -> Option<&'static str> {
    literal_text(expr, file)
        .and_then(crate::catalog::region)
        .map(|r| r.name)
}

/// The text of a string literal location expression (quotes removed), `None` for anything else.
fn literal_text<'e>(expr: &'e str, file: &str) -> Option<&'e str> {
    let e = expr.trim();
    let quoted = ['"', '\'']
        .iter()
        .find_map(|q| e.strip_prefix(*q).and_then(|s| s.strip_suffix(*q)));
    let text = match quoted {
        Some(inner) => inner,
        None if file.ends_with(".json") && !e.starts_with('[') => e,
        None => return None,
    };
    let dynamic = text.contains("${") || text.contains('[') || text.contains('(');
    (!dynamic && !text.is_empty()).then_some(text)
}

#[cfg(test)]
mod cost_tests;
#[cfg(test)]
mod registry_tests;
#[cfg(test)]
mod tests;
