//! Rule severities: shared vocabulary of the config (`rules.severity`, `fail_on`), the assessment, and every
//! printer (SARIF levels). A leaf module: it imports nothing from azengage, so any layer may use it.

#![warn(clippy::string_slice, clippy::indexing_slicing)]

use serde::{Deserialize, Serialize};

/// How serious a suggestion is (also its SARIF level). Ordered from most to least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    /// Must fix.
    Error,
    /// Should fix.
    Warning,
    /// Worth knowing.
    Note,
}

impl RuleSeverity {
    /// Every severity, most serious first.
    pub const ALL: [RuleSeverity; 3] = [
        RuleSeverity::Error,
        RuleSeverity::Warning,
        RuleSeverity::Note,
    ];

    /// `error`, `warning` or `note`, as the config and the JSON write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleSeverity::Error => "error",
            RuleSeverity::Warning => "warning",
            RuleSeverity::Note => "note",
        }
    }
}

impl std::fmt::Display for RuleSeverity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RuleSeverity;

    #[test]
    fn names_match_serde() {
        for s in RuleSeverity::ALL {
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::String(s.as_str().to_string()))
            );
            assert_eq!(s.to_string(), s.as_str());
        }
        assert!(RuleSeverity::Error < RuleSeverity::Note);
    }
}
