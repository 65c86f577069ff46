//! AZE014 `evidence-missing`: the evidence kit lacks funding, traction or press entries.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::config::ProgramKind;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE014",
    name: "evidence-missing",
    severity: RuleSeverity::Note,
    title: "The evidence kit lacks funding, traction or press",
    what: "Fires when `evidence.funding` or `evidence.traction` is empty, or `evidence.press` has no entry. \
Quiet for `program.kind: partner-program`.",
    why: "Higher credit tiers are backed by evidence that the startup is real and growing: funding, traction \
metrics and press. Each missing entry lowers the estimate's readiness component.",
    how: "Collect the links and figures and record them under `evidence:` so they are at hand for the review.",
    example: r#"```yaml
evidence:
  funding: https://example.com/funding-round
  traction: "1,200 monthly active users, +15% month over month"
  press: [https://example.com/article]
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    if input.config.program.kind == Some(ProgramKind::PartnerProgram) {
        return Vec::new();
    }
    let e = &input.config.evidence;
    let empty = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let mut missing = Vec::new();
    if empty(&e.funding) {
        missing.push("funding (a round announcement or investor letter)");
    }
    if empty(&e.traction) {
        missing.push("traction (users, revenue or growth figures)");
    }
    if e.press.iter().all(|p| p.trim().is_empty()) {
        missing.push("press (at least one article link)");
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let (file, line) = input.config.key_location("evidence");
    vec![RULE.suggest(
        format!("The evidence kit lacks {}.", missing.join(", ")),
        file,
        line,
    )]
}
