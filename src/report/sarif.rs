//! `scan --format sarif`: SARIF 2.1.0, the format GitHub code scanning (and most editors) read.
//!
//! One run; `tool.driver` lists every rule that produced a result (plus any others the caller passes), each
//! with an absolute `helpUri` to its docs page; one result per suggestion. SARIF needs a location for every
//! result, so a suggestion about the repository as a whole (no file) points at
//! [`ScanReport::fallback_location`]: the config file when one was read, else the first IaC file, line 1.
//! The writer takes rule metadata as plain data ([`SarifRule`]) so it does not depend on the rule registry.
//! No `partialFingerprints` are written: titles carry day counts (`The review is in 65 days`), so a fingerprint
//! over them would open a new alert every day; GitHub's upload computes line-content fingerprints itself.

use crate::assess::{RuleSeverity, Suggestion};
use crate::scan::ScanReport;
use serde_json::{Value, json};
use std::io;

/// The schema URL written into `$schema`: the final OASIS 2.1.0 schema (errata 01).
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The project's home page (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/azengage/azengage";
/// Where rule docs live; a rule's page is `<RULE_DOCS_BASE><ID>.md`.
pub const RULE_DOCS_BASE: &str = "https://github.com/azengage/azengage/blob/main/docs/rules/";

/// What the SARIF writer needs to know about one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SarifRule {
    /// The rule's id (`AZE001`).
    pub id: String,
    /// The rule's name (`no-monitoring`).
    pub name: String,
    /// One-line summary (`shortDescription`).
    pub title: String,
    /// The rule's default severity (`defaultConfiguration.level`).
    pub default_level: RuleSeverity,
}

/// Writer settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SarifOptions {
    /// `tool.driver.version` (the crate version by default).
    pub tool_version: String,
    /// Prepended (with `/`) to every file path, so that paths relative to the scanned PATH become relative to
    /// the repository root, as GitHub code scanning expects; empty when PATH is the root.
    pub uri_prefix: String,
    /// Prepended to paths under `.github/` (the config and the workflows), which are relative to the project
    /// directory rather than to PATH; empty when that is the repository root.
    pub github_prefix: String,
}

impl Default for SarifOptions {
    fn default() -> Self {
        SarifOptions {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            uri_prefix: String::new(),
            github_prefix: String::new(),
        }
    }
}

impl SarifOptions {
    /// The prefix that makes `file` (as a suggestion names it) relative to the repository root.
    pub fn prefix_for(&self, file: &str) -> &str {
        if file.starts_with(".github/") {
            &self.github_prefix
        } else {
            &self.uri_prefix
        }
    }
}

/// The rules to describe: every rule `known` gives for the suggestions' ids, else one made from the first
/// suggestion of that rule (its title as the summary, its severity as the default level). Sorted by id.
pub fn rules_for(
    suggestions: &[Suggestion],
    known: &dyn Fn(&str) -> Option<SarifRule>,
) -> Vec<SarifRule> {
    let mut rules: Vec<SarifRule> = Vec::new();
    for s in suggestions {
        if rules.iter().any(|r| r.id == s.id) {
            continue;
        }
        rules.push(known(&s.id).unwrap_or_else(|| SarifRule {
            id: s.id.clone(),
            name: s.rule.clone(),
            title: s.title.clone(),
            default_level: s.severity,
        }));
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}

/// The SARIF log for `report`. `rules` should hold every rule a suggestion names (see [`rules_for`]); a
/// suggestion whose rule is missing is still reported, without `ruleIndex`.
pub fn to_sarif(report: &ScanReport, rules: &[SarifRule], opts: &SarifOptions) -> Value {
    let fallback = report.fallback_location();
    let results: Vec<Value> = report
        .suggestions
        .iter()
        .map(|s| result(s, rules, &fallback, opts))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "azengage",
                "version": opts.tool_version,
                "semanticVersion": opts.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules.iter().map(rule).collect::<Vec<_>>(),
            }},
            "invocations": [{ "executionSuccessful": true }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Write the SARIF log as pretty JSON followed by a newline.
pub fn write_sarif(
    out: &mut dyn io::Write,
    report: &ScanReport,
    rules: &[SarifRule],
    opts: &SarifOptions,
) -> io::Result<()> {
    super::write_json(out, &to_sarif(report, rules, opts))
}

/// The SARIF level of a severity.
pub fn level(severity: RuleSeverity) -> &'static str {
    match severity {
        RuleSeverity::Error => "error",
        RuleSeverity::Warning => "warning",
        RuleSeverity::Note => "note",
    }
}

/// The docs page of a rule, as an absolute URL.
pub fn help_uri(id: &str) -> String {
    format!("{RULE_DOCS_BASE}{}.md", percent_encode_path(id))
}

fn rule(r: &SarifRule) -> Value {
    let help = help_uri(&r.id);
    json!({
        "id": r.id,
        "name": pascal_case(&r.name),
        "shortDescription": { "text": ensure_sentence(&r.title) },
        "fullDescription": { "text": format!("{} ({}). See {help}", ensure_sentence(&r.title), r.name) },
        "helpUri": help,
        "help": { "text": format!("See {help}") },
        "defaultConfiguration": { "level": level(r.default_level) },
        "properties": { "tags": ["azure", "azengage"], "azengageName": r.name },
    })
}

fn result(s: &Suggestion, rules: &[SarifRule], fallback: &str, opts: &SarifOptions) -> Value {
    let file = s
        .file
        .as_deref()
        .filter(|f| !f.is_empty())
        .unwrap_or(fallback);
    let line = s.line.filter(|l| *l >= 1).unwrap_or(1);
    let text = if s.detail.trim().is_empty() {
        ensure_sentence(&s.title)
    } else {
        format!(
            "{} {}",
            ensure_sentence(&s.title),
            ensure_sentence(&s.detail)
        )
    };
    let mut value = json!({
        "ruleId": s.id,
        "level": level(s.severity),
        "message": { "text": plain_text(&text) },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": artifact_uri(opts.prefix_for(file), file) },
            "region": { "startLine": line },
        }}],
    });
    if let (Some(i), Some(obj)) = (
        rules.iter().position(|r| r.id == s.id),
        value.as_object_mut(),
    ) {
        obj.insert("ruleIndex".into(), json!(i));
    }
    value
}

/// A relative URI reference for `file`: `/`-separated, `./` dropped, characters outside RFC 3986's unreserved
/// set and `/` percent-encoded (a space in a path would otherwise make the URI invalid).
pub fn artifact_uri(prefix: &str, file: &str) -> String {
    let file = file.replace('\\', "/");
    let file = file.trim_start_matches("./");
    let prefix = prefix.replace('\\', "/");
    let prefix = prefix.trim_matches('/');
    let joined = if prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    };
    percent_encode_path(&joined)
}

fn percent_encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SARIF plain-text messages turn `[text](n)` into embedded links (§3.11.6); a literal bracket from a file is
/// written `\[` or `\]` so that a hostile title cannot make one.
fn plain_text(s: &str) -> String {
    s.replace('[', "\\[").replace(']', "\\]")
}

/// SARIF `name` is meant to be an identifier-like PascalCase string (`no-monitoring` → `NoMonitoring`).
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// SARIF messages should be sentences (the multitool warns otherwise): trimmed, ending in punctuation.
fn ensure_sentence(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() || t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(id: &str, rule: &str, severity: RuleSeverity) -> Suggestion {
        Suggestion {
            id: id.into(),
            rule: rule.into(),
            severity,
            title: format!("{rule} fired"),
            detail: String::new(),
            file: None,
            line: None,
        }
    }

    #[test]
    fn uris_are_relative_slash_separated_and_encoded() {
        assert_eq!(artifact_uri("", "infra/main.tf"), "infra/main.tf");
        assert_eq!(
            artifact_uri("", "./infra\\my app.bicep"),
            "infra/my%20app.bicep"
        );
        let opts = SarifOptions {
            uri_prefix: "svc/infra".into(),
            github_prefix: "svc".into(),
            ..SarifOptions::default()
        };
        assert_eq!(
            artifact_uri(opts.prefix_for("main.tf"), "main.tf"),
            "svc/infra/main.tf"
        );
        assert_eq!(
            artifact_uri(
                opts.prefix_for(".github/azengage.yml"),
                ".github/azengage.yml"
            ),
            "svc/.github/azengage.yml"
        );
        assert_eq!(artifact_uri("deploy/", "main.tf"), "deploy/main.tf");
        assert_eq!(artifact_uri(".", "main.tf"), "main.tf");
        assert_eq!(artifact_uri("", "é#?.tf"), "%C3%A9%23%3F.tf");
    }

    #[test]
    fn rules_come_from_the_lookup_or_from_the_suggestion() {
        let suggestions = vec![
            suggestion("AZE002", "single-region", RuleSeverity::Warning),
            suggestion("AZE001", "no-monitoring", RuleSeverity::Error),
            suggestion("AZE002", "single-region", RuleSeverity::Warning),
        ];
        let known = |id: &str| {
            (id == "AZE001").then(|| SarifRule {
                id: "AZE001".into(),
                name: "no-monitoring".into(),
                title: "No monitoring is declared".into(),
                default_level: RuleSeverity::Warning,
            })
        };
        let rules = rules_for(&suggestions, &known);
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].title, "No monitoring is declared");
        assert_eq!(rules[0].default_level, RuleSeverity::Warning);
        assert_eq!(rules[1].name, "single-region");
        assert_eq!(rules[1].title, "single-region fired");
    }

    #[test]
    fn brackets_cannot_make_embedded_links() {
        assert_eq!(plain_text("see [here](0)"), "see \\[here\\](0)");
    }

    #[test]
    fn names_and_messages_follow_sarif_conventions() {
        assert_eq!(pascal_case("no-key-vault"), "NoKeyVault");
        assert_eq!(ensure_sentence(" Add a Key Vault "), "Add a Key Vault.");
        assert_eq!(ensure_sentence("Why?"), "Why?");
        assert_eq!(
            help_uri("AZE001"),
            "https://github.com/azengage/azengage/blob/main/docs/rules/AZE001.md"
        );
    }
}
