//! Sums over counted rows, kept exact (`Decimal`) and bounded by the number of days, services, regions and ARM
//! types — never by the number of rows. Per-file accumulators merge, so files are read in parallel.

use super::rows::RowFacts;
use crate::catalog;
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Per-service sums.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceSums {
    /// FOCUS category.
    pub category: String,
    /// Total.
    pub total: Decimal,
    /// ARM types (lower-case) billed under this service.
    pub arm_types: BTreeSet<String>,
    /// Daily sums.
    pub daily: BTreeMap<Date, Decimal>,
}

/// The running sums of one or more files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accumulator {
    /// Counted rows.
    pub rows: u64,
    /// Currencies seen on counted rows.
    pub currencies: BTreeSet<String>,
    /// Daily totals.
    pub daily: BTreeMap<Date, Decimal>,
    /// By service name.
    pub services: HashMap<String, ServiceSums>,
    /// By canonical region.
    pub regions: HashMap<String, Decimal>,
    /// Daily sums by ARM type (lower-case), for matching against the inventory.
    pub arm_types: HashMap<String, BTreeMap<Date, Decimal>>,
}

impl Accumulator {
    /// Add one counted row.
    pub fn add(&mut self, row: &RowFacts<'_>) {
        self.rows += 1;
        if !row.currency.is_empty() && !self.currencies.contains(row.currency) {
            self.currencies.insert(row.currency.to_string());
        }
        *self.daily.entry(row.date).or_default() += row.cost;
        let (name, category) = service_of(row);
        let sums = self.services.entry(name).or_insert_with(|| ServiceSums {
            category,
            ..Default::default()
        });
        sums.total += row.cost;
        *sums.daily.entry(row.date).or_default() += row.cost;
        if let Some(t) = &row.arm_type {
            if !sums.arm_types.contains(t) {
                sums.arm_types.insert(t.clone());
            }
            *self
                .arm_types
                .entry(t.clone())
                .or_default()
                .entry(row.date)
                .or_default() += row.cost;
        }
        if let Some(region) = row.region.and_then(catalog::cost_region) {
            *self.regions.entry(region.to_string()).or_default() += row.cost;
        }
    }

    /// Fold another accumulator into this one.
    pub fn merge(&mut self, other: Accumulator) {
        self.rows += other.rows;
        self.currencies.extend(other.currencies);
        add_daily(&mut self.daily, other.daily);
        for (name, s) in other.services {
            let mine = self.services.entry(name).or_insert_with(|| ServiceSums {
                category: s.category.clone(),
                ..Default::default()
            });
            mine.total += s.total;
            mine.arm_types.extend(s.arm_types);
            add_daily(&mut mine.daily, s.daily);
        }
        for (r, c) in other.regions {
            *self.regions.entry(r).or_default() += c;
        }
        for (t, d) in other.arm_types {
            add_daily(self.arm_types.entry(t).or_default(), d);
        }
    }

    /// Sum of everything counted.
    pub fn total(&self) -> Decimal {
        self.daily.values().copied().sum()
    }
}

fn add_daily(into: &mut BTreeMap<Date, Decimal>, from: BTreeMap<Date, Decimal>) {
    for (d, c) in from {
        *into.entry(d).or_default() += c;
    }
}

/// A row's service: the export's `ServiceName`/`ServiceCategory`, else Microsoft's service table for its ARM
/// type, else `MeterCategory`.
fn service_of(row: &RowFacts<'_>) -> (String, String) {
    if let Some(name) = row.service_name {
        let category = row
            .service_category
            .map(str::to_string)
            .or_else(|| {
                row.arm_type
                    .as_deref()
                    .and_then(|t| catalog::service_for(t, None))
                    .map(|s| s.category.to_string())
            })
            .unwrap_or_else(|| "Other".into());
        return (name.to_string(), category);
    }
    if let Some(s) = row
        .arm_type
        .as_deref()
        .and_then(|t| catalog::service_for(t, None))
    {
        return (s.name.to_string(), s.category.to_string());
    }
    match row.meter_category {
        Some(m) => (m.to_string(), "Other".into()),
        None => ("Unassigned".into(), "Other".into()),
    }
}
