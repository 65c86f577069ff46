//! AZE013 `checklist-incomplete`: a profile checklist item is missing or false.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::config::ProgramKind;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE013",
    name: "checklist-incomplete",
    severity: RuleSeverity::Warning,
    title: "The Founders Hub profile checklist is incomplete",
    what: "Fires when a checklist item in `.github/azengage.yml` is missing or not done: `verified_domain` is \
not `true`, `team_members` is below 1, or `demo_video` is not a non-empty link. Quiet for \
`program.kind: partner-program`.",
    why: "The engagement review reads the profile: a verified email or domain, at least one team member \
besides the founder, and a demo video. Each missing item lowers the estimate's readiness component.",
    how: "Complete the items in the Founders Hub portal, then record them in `.github/azengage.yml`.",
    example: r#"```yaml
checklist:
  verified_domain: true
  team_members: 2
  demo_video: https://example.com/demo
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    if input.config.program.kind == Some(ProgramKind::PartnerProgram) {
        return Vec::new();
    }
    let c = &input.config.checklist;
    let mut missing = Vec::new();
    if c.verified_domain != Some(true) {
        missing.push("verified_domain: true (verify the email/domain)");
    }
    if c.team_members.unwrap_or(0) < 1 {
        missing.push("team_members: 1 or more (add a team member)");
    }
    if c.demo_video.as_deref().is_none_or(|v| v.trim().is_empty()) {
        missing.push("demo_video: a link to the demo video");
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let (file, line) = input.config.key_location("checklist");
    vec![RULE.suggest(
        format!(
            "Missing from the profile checklist: {}.",
            missing.join("; ")
        ),
        file,
        line,
    )]
}
