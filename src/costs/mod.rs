//! Real usage from Azure Cost Management exports (FOCUS or actual cost; CSV, gzip, Parquet): weekly spend,
//! credits consumed, the projection at the review date, and services billed but not declared (and the
//! reverse). Read offline, streaming, in parallel over files; sums are exact decimals.
//!
//! The formats, which rows count and the JSON are fixed in the contract's "Cost exports" section.

// Input from users' files reaches this module: no indexing or string slicing that could panic (CI denies
// warnings). The rest of `src/` is not yet held to this; see the CHANGELOG.
#![warn(clippy::string_slice, clippy::indexing_slicing)]

pub mod aggregate;
pub mod files;
pub mod read_csv;
pub mod read_parquet;
pub mod rows;
pub mod schema;

use crate::inventory::Inventory;
use crate::model::{Diagnostic, Severity, path_string};
use aggregate::Accumulator;
use jiff::civil::Date;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use schema::{MissingColumns, Schema};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The days before the last charge day that "recent" covers (projection pace, billed/declared matching).
pub const RECENT_DAYS: i64 = 28;

/// Services that cost nothing of their own: never reported as "declared but not billed".
const FREE_SERVICES: [&str; 10] = [
    "Azure Resource Manager",
    "Azure Role-Based Access Control",
    "Managed Identities",
    "Azure Policy",
    "Virtual Network",
    "Network Watcher",
    "Azure Lighthouse",
    "Cost Management",
    "Azure Advisor",
    "Azure Portal",
];

/// Sums of one file, before merging.
#[derive(Debug, Clone)]
pub struct FileSums {
    /// The file's schema.
    pub schema: Schema,
    /// Its sums.
    pub acc: Accumulator,
    /// Rows that could not be read: (line or row number, reason); only the first few are kept.
    pub bad_rows: Vec<(u64, String)>,
}

impl FileSums {
    fn note_bad_row(&mut self, at: u64, why: String) {
        if self.bad_rows.len() < 5 {
            self.bad_rows.push((at, why));
        }
    }
}

/// Why one file could not be used.
#[derive(Debug, Clone)]
pub enum FileError {
    /// It could not be read (truncated gzip, corrupt Parquet, I/O): a diagnostic, the rest is read.
    Unreadable(String),
    /// It lacks a needed column: an error for the whole run.
    Missing(MissingColumns),
}

/// Why the exports cannot be used at all.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CostError {
    /// A file lacks needed columns (exit 2).
    #[error("{file}: not a usable {schema} export: missing column{s} {missing}", s = if missing.contains(',') { "s" } else { "" })]
    MissingColumns {
        /// The file.
        file: String,
        /// `focus` or `actual_cost`.
        schema: &'static str,
        /// The columns, comma-separated.
        missing: String,
    },
    /// More than one billing currency (exit 2).
    #[error(
        "the exports mix billing currencies ({0}); export one billing account or currency at a time"
    )]
    MixedCurrencies(String),
    /// Nothing could be read (exit 3).
    #[error("no cost export could be read under {path}{why}")]
    NothingRead {
        /// The PATH.
        path: String,
        /// Why, when known.
        why: String,
    },
}

/// The contract's "Cost exports": a file missing a needed column and mixed currencies are configuration errors
/// (2); nothing readable at all is unreadable input (3).
impl crate::exit::ExitStatus for CostError {
    fn exit(&self) -> crate::exit::Exit {
        use crate::exit::Exit;
        match self {
            CostError::MissingColumns { .. } | CostError::MixedCurrencies(_) => Exit::Usage,
            CostError::NothingRead { .. } => Exit::Input,
        }
    }
}

/// Everything read from the exports, before it is set beside the inventory.
#[derive(Debug, Clone)]
pub struct CostData {
    /// Schema of the files (the first file's when they differ; a diagnostic says so).
    pub schema: Schema,
    /// Files read.
    pub files: usize,
    /// The merged sums.
    pub acc: Accumulator,
    /// Files that could not be read, rows that were skipped, runs not found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read every export under `path` (a file or a directory).
pub fn read(path: &Path) -> Result<CostData, CostError> {
    let (files, notes) = files::select(path);
    let mut diagnostics: Vec<Diagnostic> = notes
        .into_iter()
        .map(|n| Diagnostic::new(path_string(path), 0, 0, Severity::Warning, "costs", n))
        .collect();
    let results: Vec<(PathBuf, Result<FileSums, FileError>)> = files
        .par_iter()
        .map(|f| {
            let name = f.to_string_lossy().to_ascii_lowercase();
            let r = if name.ends_with(".parquet") {
                read_parquet::read(f)
            } else {
                read_csv::read(f)
            };
            (f.clone(), r)
        })
        .collect();
    let mut merged: Option<(Schema, Accumulator)> = None;
    let mut read_count = 0;
    for (file, result) in results {
        let file_name = path_string(&file);
        match result {
            Err(FileError::Missing(m)) => {
                return Err(CostError::MissingColumns {
                    file: file_name,
                    schema: m.schema.as_str(),
                    missing: m.missing.join(", "),
                });
            }
            Err(FileError::Unreadable(why)) => diagnostics.push(Diagnostic::new(
                file_name,
                0,
                0,
                Severity::Error,
                "costs",
                format!("cannot read this export, left out: {why}"),
            )),
            Ok(sums) => {
                read_count += 1;
                for (at, why) in &sums.bad_rows {
                    diagnostics.push(Diagnostic::new(
                        &file_name,
                        *at as u32,
                        0,
                        Severity::Warning,
                        "costs",
                        format!("row skipped: {why}"),
                    ));
                }
                match &mut merged {
                    None => merged = Some((sums.schema, sums.acc)),
                    Some((schema, acc)) => {
                        if *schema != sums.schema {
                            diagnostics.push(Diagnostic::new(&file_name, 0, 0, Severity::Warning, "costs",
                                format!("this is a {} export among {} exports: if both cover the same period, costs count twice", sums.schema.as_str(), schema.as_str())));
                        }
                        acc.merge(sums.acc);
                    }
                }
            }
        }
    }
    let Some((schema, acc)) = merged else {
        let why = if diagnostics.is_empty() {
            ": no CSV, CSV.GZ or Parquet file found".to_string()
        } else {
            String::new()
        };
        return Err(CostError::NothingRead {
            path: path_string(path),
            why,
        });
    };
    if acc.currencies.len() > 1 {
        return Err(CostError::MixedCurrencies(
            acc.currencies
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    Ok(CostData {
        schema,
        files: read_count,
        acc,
        diagnostics,
    })
}

/// An amount in the output: the exact sum rounded half away from zero to cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub Decimal);

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cents = self
            .0
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        s.serialize_f64(cents.to_f64().unwrap_or(0.0))
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cents = self
            .0
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        write!(f, "{cents:.2}")
    }
}

/// One week of spend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekCost {
    /// Monday.
    pub week_start: Date,
    /// Spend that week.
    pub cost: Money,
}

/// Spend of one service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceCost {
    /// Service name.
    pub name: String,
    /// FOCUS category.
    pub category: String,
    /// Spend.
    pub cost: Money,
}

/// Spend in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionCost {
    /// Canonical region.
    pub name: String,
    /// Spend.
    pub cost: Money,
}

/// The contract's `costs` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostsSummary {
    /// `focus` or `actual_cost`.
    pub schema: Schema,
    /// Files read.
    pub files: usize,
    /// Rows counted.
    pub rows: u64,
    /// Billing currency.
    pub currency: Option<String>,
    /// Earliest charge day counted.
    pub first_day: Option<Date>,
    /// Latest charge day counted.
    pub last_day: Option<Date>,
    /// Total spend.
    pub total: Money,
    /// Every ISO week from `first_day` to `last_day`, zero weeks included.
    pub weekly: Vec<WeekCost>,
    /// By service, most spent first.
    pub by_service: Vec<ServiceCost>,
    /// By region, most spent first.
    pub by_region: Vec<RegionCost>,
    /// `total ÷ credits.total × 100`.
    pub consumed_percent: Option<f64>,
    /// Where consumption stands on the review date at the pace of the last 28 days.
    pub projected_percent_at_review: Option<f64>,
    /// Services billed in the last 28 days that the IaC does not declare.
    pub billed_not_in_iac: Vec<String>,
    /// Declared services with no cost in the last 28 days.
    pub in_iac_not_billed: Vec<String>,
}

/// Set the exports beside the inventory and the program's credits.
pub fn summarize(
    data: &CostData,
    inventory: &Inventory,
    credits_total: Option<f64>,
    review_date: Option<Date>,
) -> CostsSummary {
    let acc = &data.acc;
    let total = acc.total();
    let first_day = acc.daily.keys().next().copied();
    let last_day = acc.daily.keys().next_back().copied();
    let weekly = weekly(acc, first_day, last_day);
    let mut by_service: Vec<ServiceCost> = acc
        .services
        .iter()
        .map(|(n, s)| ServiceCost {
            name: n.clone(),
            category: s.category.clone(),
            cost: Money(s.total),
        })
        .collect();
    by_service.sort_by(|a, b| b.cost.cmp(&a.cost).then_with(|| a.name.cmp(&b.name)));
    let mut by_region: Vec<RegionCost> = acc
        .regions
        .iter()
        .map(|(n, c)| RegionCost {
            name: n.clone(),
            cost: Money(*c),
        })
        .collect();
    by_region.sort_by(|a, b| b.cost.cmp(&a.cost).then_with(|| a.name.cmp(&b.name)));
    let credits = credits_total
        .filter(|c| *c > 0.0)
        .and_then(Decimal::from_f64_retain);
    let pct = |amount: Decimal| {
        credits.and_then(|c| (amount / c * Decimal::ONE_HUNDRED).round_dp(1).to_f64())
    };
    let projected = match (last_day, review_date) {
        (Some(last), Some(review)) => {
            let start = last
                .checked_sub(jiff::Span::new().days(RECENT_DAYS - 1))
                .unwrap_or(last);
            let recent: Decimal = acc.daily.range(start..=last).map(|(_, c)| *c).sum();
            let daily = recent / Decimal::from(RECENT_DAYS);
            let days_left = (review - last).get_days().max(0);
            pct(total + daily * Decimal::from(days_left))
        }
        _ => None,
    };
    let (billed_not_in_iac, in_iac_not_billed) = match last_day {
        Some(last) => match_inventory(acc, inventory, last),
        None => (vec![], vec![]),
    };
    CostsSummary {
        schema: data.schema,
        files: data.files,
        rows: acc.rows,
        currency: acc.currencies.iter().next().cloned(),
        first_day,
        last_day,
        total: Money(total),
        weekly,
        by_service,
        by_region,
        consumed_percent: pct(total),
        projected_percent_at_review: projected,
        billed_not_in_iac,
        in_iac_not_billed,
    }
}

fn weekly(acc: &Accumulator, first: Option<Date>, last: Option<Date>) -> Vec<WeekCost> {
    let (Some(first), Some(last)) = (first, last) else {
        return vec![];
    };
    let mut weeks: BTreeMap<Date, Decimal> = BTreeMap::new();
    let mut w = crate::history::week_start(first);
    while w <= last {
        weeks.insert(w, Decimal::ZERO);
        w = match w.checked_add(jiff::Span::new().days(7)) {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    for (d, c) in &acc.daily {
        *weeks.entry(crate::history::week_start(*d)).or_default() += *c;
    }
    weeks
        .into_iter()
        .map(|(week_start, c)| WeekCost {
            week_start,
            cost: Money(c),
        })
        .collect()
}

/// Billed services not declared, and declared services not billed, over the 28 days ending at `last`.
/// Matched by ARM type, then by service name.
fn match_inventory(acc: &Accumulator, inv: &Inventory, last: Date) -> (Vec<String>, Vec<String>) {
    let start = last
        .checked_sub(jiff::Span::new().days(RECENT_DAYS - 1))
        .unwrap_or(last);
    let recent =
        |daily: &BTreeMap<Date, Decimal>| daily.range(start..=last).any(|(_, c)| !c.is_zero());
    let declared_types: BTreeSet<String> = inv
        .deployed()
        .filter_map(|r| r.arm_type.as_deref())
        .map(str::to_ascii_lowercase)
        .collect();
    let declared_names: BTreeSet<&str> = inv
        .deployed()
        .filter_map(|r| r.service.as_deref())
        .collect();
    let billed: Vec<(&String, &aggregate::ServiceSums)> = acc
        .services
        .iter()
        .filter(|(_, s)| recent(&s.daily))
        .collect();
    let billed_types: BTreeSet<&String> = billed.iter().flat_map(|(_, s)| &s.arm_types).collect();
    let billed_names: BTreeSet<&str> = billed.iter().map(|(n, _)| n.as_str()).collect();
    let billed_not_in_iac = billed
        .iter()
        .filter(|(name, s)| {
            !s.arm_types.iter().any(|t| declared_types.contains(t))
                && !declared_names.contains(name.as_str())
        })
        .map(|(n, _)| (*n).clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut in_iac_not_billed: BTreeSet<String> = BTreeSet::new();
    for r in inv.deployed() {
        let (Some(t), Some(name)) = (r.arm_type.as_deref(), r.service.as_deref()) else {
            continue;
        };
        if FREE_SERVICES.contains(&name)
            || billed_names.contains(name)
            || billed_types.contains(&t.to_ascii_lowercase())
        {
            continue;
        }
        in_iac_not_billed.insert(name.to_string());
    }
    (billed_not_in_iac, in_iac_not_billed.into_iter().collect())
}
