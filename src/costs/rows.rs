//! One export row → what it adds to the aggregates: which rows count (the contract's "Which rows count"), the
//! date, the exact amount, and the row's ARM type, service and region.

use super::schema::{Columns, Schema};
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a row could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// The date cell is not `YYYY-MM-DD[...]` nor `MM/DD/YYYY`.
    BadDate(String),
    /// The cost cell is not a number.
    BadCost(String),
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowError::BadDate(s) => write!(f, "'{s}' is not a date (YYYY-MM-DD or MM/DD/YYYY)"),
            RowError::BadCost(s) => write!(f, "'{s}' is not an amount"),
        }
    }
}

/// Whether a charge counts as consumption: `Usage` and `Purchase` (corrections with their sign); for actual cost
/// also `Refund`. `Credit`, `Tax`, `Adjustment` and everything else do not.
pub fn counts(schema: Schema, charge: &str) -> bool {
    let c = charge.trim();
    let is = |s: &str| c.eq_ignore_ascii_case(s);
    match schema {
        Schema::Focus => is("Usage") || is("Purchase"),
        Schema::ActualCost => is("Usage") || is("Purchase") || is("Refund"),
    }
}

/// Parse `2026-06-01`, `2026-06-01T00:00:00Z`, `2026-06-01 00:00:00`, `06/01/2026` or `6/1/2026 12:00:00 AM`:
/// the date as written, before any time of day (exports are in UTC).
pub fn parse_date(s: &str) -> Result<Date, RowError> {
    let s = s.trim();
    let bad = || RowError::BadDate(s.chars().take(40).collect());
    let day = s.split(['T', ' ']).next().unwrap_or_default();
    let format = if day.contains('/') {
        "%m/%d/%Y"
    } else {
        "%Y-%m-%d"
    };
    Date::strptime(format, day).map_err(|_| bad())
}

/// Parse an amount exactly (`12.3456789012345678`, `-0.5`, `1.2E-05`); an empty cell is 0.
pub fn parse_cost(s: &str) -> Result<Decimal, RowError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(Decimal::ZERO);
    }
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .map_err(|_| RowError::BadCost(s.chars().take(40).collect()))
}

/// The ARM type a `ResourceId` names: the namespace after the last `/providers/`, then every other segment
/// (`.../providers/Microsoft.Web/sites/app/slots/staging` → `Microsoft.Web/sites/slots`).
pub fn arm_type_from_resource_id(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    // ASCII lower-casing keeps byte offsets, so `at` is a boundary in `id` too.
    let rest = id.get(at + "/providers/".len()..)?;
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    let namespace = segments.next()?;
    let types: Vec<&str> = segments.step_by(2).collect();
    if types.is_empty() {
        return None;
    }
    Some(format!("{namespace}/{}", types.join("/")))
}

/// A row's cells as the aggregates need them.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFacts<'a> {
    /// Charge date (UTC).
    pub date: Date,
    /// Exact amount.
    pub cost: Decimal,
    /// Billing currency.
    pub currency: &'a str,
    /// The export's own service name, when it has one.
    pub service_name: Option<&'a str>,
    /// The export's own service category, when it has one.
    pub service_category: Option<&'a str>,
    /// ARM type (`x_ResourceType`/`ResourceType`, else from `ResourceId`), lower-case.
    pub arm_type: Option<String>,
    /// The row's region cell (not yet normalised).
    pub region: Option<&'a str>,
    /// `MeterCategory`.
    pub meter_category: Option<&'a str>,
}

/// Read a counted row; `Ok(None)` for rows that do not count.
pub fn read<'a>(
    cols: &Columns,
    cell: &impl Fn(usize) -> &'a str,
) -> Result<Option<RowFacts<'a>>, RowError> {
    if !counts(cols.schema, cell(cols.charge)) {
        return Ok(None);
    }
    let opt = |i: Option<usize>| i.map(cell).map(str::trim).filter(|s| !s.is_empty());
    let arm_type = opt(cols.resource_type)
        .map(str::to_ascii_lowercase)
        .or_else(|| {
            opt(cols.resource_id)
                .and_then(arm_type_from_resource_id)
                .map(|t| t.to_ascii_lowercase())
        });
    Ok(Some(RowFacts {
        date: parse_date(cell(cols.date))?,
        cost: parse_cost(cell(cols.cost))?,
        currency: cell(cols.currency).trim(),
        service_name: opt(cols.service_name),
        service_category: opt(cols.service_category),
        arm_type,
        region: opt(cols.region_id).or_else(|| opt(cols.region_name)),
        meter_category: opt(cols.meter_category),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms() {
        let d = Date::new(2026, 6, 1).unwrap();
        assert_eq!(parse_date("2026-06-01").unwrap(), d);
        assert_eq!(parse_date("2026-06-01T00:00:00Z").unwrap(), d);
        assert_eq!(parse_date("06/01/2026").unwrap(), d);
        assert_eq!(parse_date("6/1/2026 12:00:00 AM").unwrap(), d);
        assert_eq!(parse_date(" 2026-06-01 00:00:00 ").unwrap(), d);
        assert!(parse_date("13/45/2026").is_err());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("").is_err());
    }

    /// Multi-byte characters where digits belong are a bad date, never a panic (byte slicing did panic).
    #[test]
    fn multi_byte_dates_are_bad_dates() {
        for cell in [
            "2026-1é-01",
            "2026-é1-01",
            "2026-06-0é",
            "2026-06-01é",
            "é/01/2026",
            "06/01/202é",
            "２０２６-06-01",
            "2026—06—01",
            "2026-06-\u{301}1",
        ] {
            match parse_date(cell) {
                Err(RowError::BadDate(shown)) => assert_eq!(shown, cell.trim()),
                other => panic!("{cell:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn exact_amounts() {
        assert_eq!(parse_cost("").unwrap(), Decimal::ZERO);
        assert_eq!(
            parse_cost("0.0000000000000001").unwrap().to_string(),
            "0.0000000000000001"
        );
        assert_eq!(parse_cost("1.5E-05").unwrap().to_string(), "0.000015");
        assert!(parse_cost("abc").is_err());
    }

    #[test]
    fn arm_types_from_resource_ids() {
        let id =
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/staging";
        assert_eq!(
            arm_type_from_resource_id(id).as_deref(),
            Some("Microsoft.Web/sites/slots")
        );
        let ext = "/subscriptions/0/resourcegroups/rg/providers/microsoft.storage/storageaccounts/sa/providers/Microsoft.Insights/diagnosticSettings/d";
        assert_eq!(
            arm_type_from_resource_id(ext).as_deref(),
            Some("Microsoft.Insights/diagnosticSettings")
        );
        assert_eq!(
            arm_type_from_resource_id("/subscriptions/0/resourceGroups/rg"),
            None
        );
    }

    #[test]
    fn which_charges_count() {
        assert!(counts(Schema::Focus, "Usage") && counts(Schema::Focus, "purchase"));
        assert!(
            !counts(Schema::Focus, "Tax")
                && !counts(Schema::Focus, "Credit")
                && !counts(Schema::Focus, "Adjustment")
        );
        assert!(
            counts(Schema::ActualCost, "Refund")
                && !counts(Schema::ActualCost, "UnusedReservation")
        );
    }
}
