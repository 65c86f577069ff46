//! AZE011 `score-not-visible-yet`: fewer than 90 days since joining, so the program shows no score.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::assess::timeline;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE011",
    name: "score-not-visible-yet",
    severity: RuleSeverity::Note,
    title: "The program does not show an engagement score yet",
    what: "Fires while fewer than 90 days have passed since `program.joined`, and says on which date the score \
appears.",
    why: "Founders Hub shows the engagement score only from the fourth month. azengage's estimate is computed \
anyway (band `not_scored_yet`), so the first months can be used to build steady usage before anything is \
measured.",
    how: "Nothing to fix: use the time to set up the deploy workflow, monitoring and a steady cadence. The \
note disappears on the date it names.",
    example: r#"```yaml
# .github/azengage.yml
program:
  joined: 2026-06-01   # score visible from 2026-08-30
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let Some(from) = timeline::program_status(input).score_visible_from else {
        return Vec::new();
    };
    if input.as_of >= from {
        return Vec::new();
    }
    let days = timeline::days_between(input.as_of, from);
    let (file, line) = input.config.key_location("program.joined");
    vec![RULE.suggest(
        format!(
            "The program shows an engagement score from {from} (in {days} days, 90 days after joining); the \
             estimate here is shown meanwhile."
        ),
        file,
        line,
    )]
}
