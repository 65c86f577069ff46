//! The one region resolver the parsers share: what a resolved `location` string names, and the
//! `unknown-region` diagnostic for one that names no region.

use crate::catalog;
use crate::model::{Diagnostic, DiagnosticCode, Severity};

/// What a resolved `location` string says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegionValue {
    /// A region, by its canonical name (`West Europe` → `westeurope`).
    Region(String),
    /// Not a region: the message says so, with the nearest region when one is close.
    NotARegion(String),
    /// Empty, or an azd placeholder left in the value (`${AZURE_LOCATION}`): filled in at deployment, not a
    /// misspelling.
    Later,
}

/// Resolve a location string against the region catalog.
pub(crate) fn resolve(value: &str) -> RegionValue {
    if let Some(region) = catalog::region(value) {
        return RegionValue::Region(region.name.to_string());
    }
    if value.trim().is_empty() || value.contains("${") {
        return RegionValue::Later;
    }
    RegionValue::NotARegion(catalog::not_a_region(value))
}

/// The `unknown-region` warning at `file:line:column`.
pub(crate) fn unknown_region(
    file: impl Into<String>,
    line: u32,
    column: u32,
    message: String,
) -> Diagnostic {
    Diagnostic::new(
        file,
        line,
        column,
        Severity::Warning,
        DiagnosticCode::UnknownRegion.as_str(),
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_misspellings_and_values_filled_in_later() {
        assert_eq!(
            resolve("West Europe"),
            RegionValue::Region("westeurope".into())
        );
        assert!(
            matches!(resolve("westeurop"), RegionValue::NotARegion(m) if m.contains("did you mean 'westeurope'"))
        );
        assert_eq!(resolve(" "), RegionValue::Later);
        assert_eq!(resolve("${AZURE_LOCATION}"), RegionValue::Later);
        let d = unknown_region("main.tf", 3, 14, "m".into());
        assert!(d.has_code(DiagnosticCode::UnknownRegion));
        assert_eq!(d.code, "unknown-region");
    }
}
