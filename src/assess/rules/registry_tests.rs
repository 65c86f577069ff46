//! The rule registry, `assess()` (disable, severity overrides, order), thresholds and the generated docs.

use super::tests::{Case, READY};
use super::*;
use crate::assess::test_support::input;
use crate::model::{Diagnostic, Severity};

#[test]
fn registry_has_the_contract_names_once_each() {
    let names: Vec<&str> = rules().iter().map(|r| r.name).collect();
    assert_eq!(
        names,
        [
            "no-monitoring",
            "single-region",
            "unknown-region",
            "no-managed-data",
            "no-key-vault",
            "stale-infrastructure",
            "irregular-cadence",
            "hardcoded-region",
            "deprecated-service",
            "review-approaching",
            "score-not-visible-yet",
            "credits-underused",
            "checklist-incomplete",
            "evidence-missing",
            "no-deploy-workflow",
            "spend-spike",
            "unmanaged-resources",
        ]
    );
    for (i, r) in rules().iter().enumerate() {
        assert_eq!(r.id, format!("AZE{:03}", i + 1));
        assert_eq!(find(r.id).map(|f| f.name), Some(r.name));
        assert_eq!(
            find(&r.id.to_ascii_lowercase()).map(|f| f.name),
            Some(r.name)
        );
        assert_eq!(find(r.name).map(|f| f.id), Some(r.id));
        assert!(
            !r.title.contains('\n') && !r.title.ends_with('.'),
            "{}",
            r.id
        );
        for section in [r.what, r.why, r.how, r.example] {
            assert!(
                section.trim().len() > 20,
                "{} has an empty docs section",
                r.id
            );
        }
    }
    assert!(find("AZE999").is_none() && find("no-such-rule").is_none());
}

#[test]
fn assess_applies_disable_and_severity_overrides_and_sorts() {
    let mut c = Case::healthy()
        .without("Microsoft.OperationalInsights/workspaces")
        .without("Microsoft.Insights/components")
        .without("Microsoft.KeyVault/vaults");
    c.inv.diagnostics.push(Diagnostic::new(
        "infra/z.bicep",
        2,
        1,
        Severity::Warning,
        "unknown-region",
        "bad",
    ));
    let run = |c: &Case| crate::assess::assess(&input(&c.inv, &c.act, &c.cfg, c.as_of)).suggestions;
    let ids: Vec<String> = run(&c).iter().map(|s| s.id.clone()).collect();
    // error first, then warnings by file and line
    assert_eq!(ids, ["AZE003", "AZE001", "AZE005"]);
    let c = c.config(&format!(
        "{READY}rules:\n  disable: [AZE003]\n  severity: {{ no-key-vault: error, AZE001: note }}\n"
    ));
    let found = run(&c);
    let got: Vec<_> = found
        .iter()
        .map(|s| (s.rule.as_str(), s.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("no-key-vault", RuleSeverity::Error),
            ("no-monitoring", RuleSeverity::Note)
        ]
    );
    let c = c.config(&format!(
        "{READY}rules:\n  disable: [no-monitoring, no-key-vault, unknown-region]\n"
    ));
    assert!(run(&c).is_empty());
}

#[test]
fn thresholds() {
    use crate::assess::threshold_failed;
    use crate::config::FailOn;
    let c = Case::healthy().without("Microsoft.KeyVault/vaults");
    let a = crate::assess::assess(&input(&c.inv, &c.act, &c.cfg, c.as_of));
    assert_eq!(a.suggestions.len(), 1);
    assert!(
        !threshold_failed(&a, None, None),
        "neither set: never fails"
    );
    assert!(threshold_failed(&a, Some(FailOn::Warning), None));
    assert!(threshold_failed(&a, Some(FailOn::Note), None));
    assert!(!threshold_failed(&a, Some(FailOn::Error), None));
    assert!(!threshold_failed(&a, Some(FailOn::Never), None));
    assert!(!threshold_failed(&a, None, Some(a.score.total)));
    assert!(threshold_failed(&a, None, Some(a.score.total + 1)));
}

/// `docs/rules/AZE0NN.md` is generated from the rules' text; `UPDATE_DOCS=1` rewrites it.
#[test]
fn rule_docs_are_generated_from_code() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut expected: Vec<(std::path::PathBuf, String)> = rules()
        .iter()
        .map(|r| (root.join(r.docs_path()), r.markdown()))
        .collect();
    expected.push((root.join("docs/rules/README.md"), index_markdown()));
    let mut stale = Vec::new();
    for (path, text) in expected {
        if update {
            std::fs::create_dir_all(root.join("docs/rules")).ok();
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (run `UPDATE_DOCS=1 cargo test --lib assess::rules`): {stale:?}"
    );
}

#[test]
fn markdown_has_the_fixed_sections() {
    let md = find("no-monitoring")
        .map(RuleInfo::markdown)
        .unwrap_or_default();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# AZE001 `no-monitoring`",
            "## What it checks",
            "## Why it matters for the review",
            "## How to fix",
            "## Example"
        ]
    );
    assert!(md.contains("Default severity: `warning`"));
}

/// Unknown rule names in the config are errors at their line (checked here: the config layer cannot know the
/// rules); ids in any case and names are accepted.
#[test]
fn unknown_rule_names_in_the_config_are_errors() {
    let parse = |text: &str| crate::config::Config::parse(".github/azengage.yml", text).unwrap();
    let ok = parse(
        "rules:\n  disable: [AZE008, no-monitoring, aze011]\n  severity: { AZE002: error }\n",
    );
    assert!(check_config(&ok).is_ok());
    let msg = check_config(&parse("rules:\n  disable: [hardcoded-regions]\n"))
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with(".github/azengage.yml:2:3: unknown rule 'hardcoded-regions' in rules.disable; valid rules: no-monitoring (AZE001)"), "{msg}");
    let msg = check_config(&parse("rules:\n  severity:\n    single-regions: error\n"))
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with(
            ".github/azengage.yml:3:5: unknown rule 'single-regions' in rules.severity"
        ),
        "{msg}"
    );
}
