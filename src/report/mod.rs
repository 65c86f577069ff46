//! Printers: each output format is a function over one data model (inventory, scan, diff), writing to any
//! `io::Write`. Nothing here decides anything; it only presents.

pub mod account;
pub mod costs;
pub mod diff;
pub mod diff_markdown;
pub mod html;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod scan_text;
pub mod style;
pub mod text;
pub mod wording;

use serde::Serialize;
use std::io;

/// Pretty JSON followed by a newline.
pub fn write_json<T: Serialize>(out: &mut dyn io::Write, value: &T) -> io::Result<()> {
    // `From` keeps an I/O error's kind (a broken pipe stays one); `other` would hide it.
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

/// Minimal values for unit tests of the printers and of [`crate::scan`].
#[cfg(test)]
pub(crate) mod test_support {
    use crate::assess::{Assessment, Band, Component, ProgramStatus, Score, TimelineState};

    /// An empty component worth `max` points.
    pub fn component(max: f64) -> Component {
        Component {
            points: 0.0,
            max,
            factors: vec![],
        }
    }

    /// An assessment with a zero score, no program dates and no suggestions.
    pub fn assessment() -> Assessment {
        Assessment {
            score: Score {
                total: 0,
                band: Band::NeedsImprovement,
                breadth: component(40.0),
                consistency: component(40.0),
                readiness: component(20.0),
            },
            program: ProgramStatus {
                kind: None,
                tier: None,
                review_date: None,
                days_to_review: None,
                score_visible_from: None,
                credits_expire: None,
                consumed_percent: None,
                consumed_source: None,
                state: TimelineState::NotConfigured,
                reminders_due: vec![],
                solution_areas: vec![],
            },
            suggestions: vec![],
        }
    }
}
