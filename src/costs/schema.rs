//! Telling the two export schemas apart by their header, and finding the columns azengage reads
//! (case-insensitively: MCA exports write camelCase).

/// Which export schema a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Schema {
    /// FOCUS cost exports (1.0, 1.0r2, 1.2-preview).
    Focus,
    /// "Cost and usage details" actual cost (EA, MCA, c360).
    ActualCost,
}

impl Schema {
    /// The contract's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Focus => "focus",
            Schema::ActualCost => "actual_cost",
        }
    }
}

/// Column positions of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The schema.
    pub schema: Schema,
    /// `ChargePeriodStart` / `Date`.
    pub date: usize,
    /// `BilledCost` / `CostInBillingCurrency` (or `Cost`).
    pub cost: usize,
    /// `BillingCurrency` / `BillingCurrencyCode`.
    pub currency: usize,
    /// `ChargeCategory` / `ChargeType`.
    pub charge: usize,
    /// `ChargeClass` (FOCUS).
    pub charge_class: Option<usize>,
    /// `ServiceName` (FOCUS).
    pub service_name: Option<usize>,
    /// `ServiceCategory` (FOCUS).
    pub service_category: Option<usize>,
    /// `RegionId` (FOCUS).
    pub region_id: Option<usize>,
    /// `RegionName` (FOCUS) / `ResourceLocation` (actual cost).
    pub region_name: Option<usize>,
    /// `ResourceId`.
    pub resource_id: Option<usize>,
    /// `x_ResourceType` / `ResourceType`.
    pub resource_type: Option<usize>,
    /// `MeterCategory` (actual cost).
    pub meter_category: Option<usize>,
}

/// A header that lacks a needed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingColumns {
    /// The schema the header looks like (FOCUS when it has `BilledCost` or `ChargePeriodStart`).
    pub schema: Schema,
    /// The needed columns it lacks.
    pub missing: Vec<&'static str>,
}

/// The four columns a schema cannot do without, or which of them the header lacks.
fn required(
    schema: Schema,
    needed: [(&'static str, Option<usize>); 4],
) -> Result<[usize; 4], MissingColumns> {
    let missing: Vec<_> = needed
        .iter()
        .filter(|(_, i)| i.is_none())
        .map(|(n, _)| *n)
        .collect();
    match needed.map(|(_, i)| i) {
        [Some(date), Some(cost), Some(currency), Some(charge)] => {
            Ok([date, cost, currency, charge])
        }
        _ => Err(MissingColumns { schema, missing }),
    }
}

/// Find the columns in a header row.
pub fn detect(header: &[String]) -> Result<Columns, MissingColumns> {
    let lower: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |name: &str| lower.iter().position(|h| h == &name.to_ascii_lowercase());
    let focus = find("BilledCost").is_some()
        || find("ChargePeriodStart").is_some()
        || find("ChargeCategory").is_some();
    if focus {
        let needed = [
            ("ChargePeriodStart", find("ChargePeriodStart")),
            ("BilledCost", find("BilledCost")),
            ("BillingCurrency", find("BillingCurrency")),
            ("ChargeCategory", find("ChargeCategory")),
        ];
        let [date, cost, currency, charge] = required(Schema::Focus, needed)?;
        return Ok(Columns {
            schema: Schema::Focus,
            date,
            cost,
            currency,
            charge,
            charge_class: find("ChargeClass"),
            service_name: find("ServiceName"),
            service_category: find("ServiceCategory"),
            region_id: find("RegionId"),
            region_name: find("RegionName"),
            resource_id: find("ResourceId"),
            resource_type: find("x_ResourceType"),
            meter_category: None,
        });
    }
    let cost = find("CostInBillingCurrency").or_else(|| find("Cost"));
    let currency = find("BillingCurrencyCode").or_else(|| find("BillingCurrency"));
    let needed = [
        ("Date", find("Date")),
        ("CostInBillingCurrency", cost),
        ("BillingCurrencyCode", currency),
        ("ChargeType", find("ChargeType")),
    ];
    let [date, cost, currency, charge] = required(Schema::ActualCost, needed)?;
    Ok(Columns {
        schema: Schema::ActualCost,
        date,
        cost,
        currency,
        charge,
        charge_class: None,
        service_name: None,
        service_category: None,
        region_id: None,
        region_name: find("ResourceLocation"),
        resource_id: find("ResourceId"),
        resource_type: find("ResourceType"),
        meter_category: find("MeterCategory"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &str) -> Vec<String> {
        cols.split(',').map(str::to_string).collect()
    }

    #[test]
    fn focus_and_actual_cost_headers() {
        let f = detect(&h("\u{feff}BilledCost,BillingCurrency,ChargeCategory,ChargeClass,ChargePeriodStart,RegionId,x_ResourceType")).unwrap();
        assert_eq!(
            (f.schema, f.cost, f.date, f.resource_type),
            (Schema::Focus, 0, 4, Some(6))
        );
        let mca = detect(&h(
            "date,costInBillingCurrency,billingCurrency,chargeType,meterCategory,resourceLocation",
        ))
        .unwrap();
        assert_eq!(
            (mca.schema, mca.currency, mca.region_name),
            (Schema::ActualCost, 2, Some(5))
        );
        let ea = detect(&h("Date,Cost,BillingCurrencyCode,ChargeType,ResourceId")).unwrap();
        assert_eq!(ea.cost, 1);
    }

    #[test]
    fn missing_columns_are_named() {
        let e = detect(&h("BilledCost,ChargePeriodStart")).unwrap_err();
        assert_eq!(e.missing, ["BillingCurrency", "ChargeCategory"]);
        let e = detect(&h("Date,Cost")).unwrap_err();
        assert_eq!(
            (e.schema, e.missing),
            (
                Schema::ActualCost,
                vec!["BillingCurrencyCode", "ChargeType"]
            )
        );
    }
}
