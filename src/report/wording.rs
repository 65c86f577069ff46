//! Shared wording: how bands, points, day counts and timeline states read, in every human format (text and
//! Markdown), so the terminal and the PR comment say the same thing the same way.

use crate::assess::{Band, SolutionAreaStatus, TimelineState};

/// How a band reads in a sentence.
pub fn band_label(band: Band) -> &'static str {
    match band {
        Band::NotScoredYet => "Not scored yet",
        Band::NeedsImprovement => "Needs improvement",
        Band::Moderate => "Moderate",
        Band::Strong => "Strong",
    }
}

/// Points with at most one decimal (`28`, `27.5`).
pub fn points(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// `1234567` → `1,234,567`: a run of digits with thousands separated.
pub fn thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `Infrastructure (Azure) (5), Security (none)`: how many services serve each solution area.
pub fn solution_areas(areas: &[SolutionAreaStatus], escape: fn(&str) -> String) -> String {
    areas
        .iter()
        .map(|a| match a.services.len() {
            0 => format!("{} (none)", escape(&a.name)),
            n => format!("{} ({n})", escape(&a.name)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `98 days left`, `today`, `passed 3 days ago`.
pub fn days_phrase(days: Option<i64>) -> String {
    match days {
        None => "no date".into(),
        Some(0) => "today".into(),
        Some(1) => "1 day left".into(),
        Some(d) if d > 0 => format!("{d} days left"),
        Some(-1) => "passed 1 day ago".into(),
        Some(d) => format!("passed {} days ago", d.unsigned_abs()),
    }
}

/// How a timeline state reads.
pub fn state_label(state: TimelineState) -> &'static str {
    match state {
        TimelineState::NotConfigured => "not configured",
        TimelineState::OnTrack => "on track",
        TimelineState::ReviewApproaching => "review approaching",
        TimelineState::ReviewOverdue => "review date passed",
        TimelineState::Expired => "credits expired",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_keep_at_most_one_decimal() {
        assert_eq!(points(28.0), "28");
        assert_eq!(points(27.46), "27.5");
        assert_eq!(points(0.04), "0");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands("1234567"), "1,234,567");
        assert_eq!(thousands("123"), "123");
        assert_eq!(thousands("1000"), "1,000");
        assert_eq!(thousands(""), "");
    }

    #[test]
    fn day_counts_read_naturally() {
        assert_eq!(days_phrase(Some(98)), "98 days left");
        assert_eq!(days_phrase(Some(1)), "1 day left");
        assert_eq!(days_phrase(Some(0)), "today");
        assert_eq!(days_phrase(Some(-1)), "passed 1 day ago");
        assert_eq!(days_phrase(Some(-30)), "passed 30 days ago");
        assert_eq!(days_phrase(None), "no date");
    }
}
