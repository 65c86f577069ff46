//! Cost Management exports end to end: both schemas, CSV, gzip and Parquet, manifests with duplicate runs,
//! and the bad inputs the contract names. Files are generated into temp dirs with the real column sets.

use azengage::costs::{self, CostError};
use azengage::inventory::{self, Inventory};
use azengage::model::Resource;
use std::io::Write;
use std::path::Path;

/// The FOCUS 1.0 cost export header, every column, as Cost Management writes it (order is not significant).
const FOCUS_1_0: &str = "BilledCost,BillingAccountId,BillingAccountName,BillingAccountType,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,CommitmentDiscountCategory,CommitmentDiscountId,CommitmentDiscountName,CommitmentDiscountStatus,CommitmentDiscountType,ConsumedQuantity,ConsumedUnit,ContractedCost,ContractedUnitPrice,EffectiveCost,InvoiceIssuerName,ListCost,ListUnitPrice,PricingCategory,PricingQuantity,PricingUnit,ProviderName,PublisherName,RegionId,RegionName,ResourceId,ResourceName,ResourceType,ServiceCategory,ServiceName,SkuId,SkuPriceId,SubAccountId,SubAccountName,SubAccountType,Tags,x_AccountId,x_AccountName,x_AccountOwnerId,x_BilledCostInUsd,x_BilledUnitPrice,x_BillingAccountId,x_BillingAccountName,x_BillingExchangeRate,x_BillingExchangeRateDate,x_BillingProfileId,x_BillingProfileName,x_ContractedCostInUsd,x_CostAllocationRuleName,x_CostCenter,x_CustomerId,x_CustomerName,x_EffectiveCostInUsd,x_EffectiveUnitPrice,x_InvoiceId,x_InvoiceIssuerId,x_InvoiceSectionId,x_InvoiceSectionName,x_ListCostInUsd,x_PartnerCreditApplied,x_PartnerCreditRate,x_PricingBlockSize,x_PricingCurrency,x_PricingSubcategory,x_PricingUnitDescription,x_PublisherCategory,x_PublisherId,x_ResellerId,x_ResellerName,x_ResourceGroupName,x_ResourceType,x_ServicePeriodEnd,x_ServicePeriodStart,x_SkuDescription,x_SkuDetails,x_SkuIsCreditEligible,x_SkuMeterCategory,x_SkuMeterId,x_SkuMeterName,x_SkuMeterSubcategory,x_SkuOfferId,x_SkuOrderId,x_SkuOrderName,x_SkuPartNumber,x_SkuRegion,x_SkuServiceFamily,x_SkuTerm,x_SkuTier";

/// A FOCUS row: (ChargePeriodStart, BilledCost, ChargeCategory, ChargeClass, ServiceName, ServiceCategory, RegionId, RegionName, ResourceId, x_ResourceType)
type FocusRow<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

const RG: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers";

fn focus_rows() -> Vec<FocusRow<'static>> {
    vec![
        (
            "2026-06-01T00:00:00Z",
            "10.0000000000000001",
            "Usage",
            "",
            "Azure App Service",
            "Web",
            "westeurope",
            "West Europe",
            "",
            "microsoft.web/sites",
        ),
        (
            "2026-06-01T00:00:00Z",
            "0.0000000000000049",
            "Usage",
            "",
            "Azure App Service",
            "Web",
            "westeurope",
            "West Europe",
            "",
            "microsoft.web/serverfarms",
        ),
        (
            "2026-06-02T00:00:00Z",
            "120.50",
            "Purchase",
            "",
            "Cosmos DB",
            "Databases",
            "",
            "North Europe",
            "",
            "microsoft.documentdb/databaseaccounts",
        ),
        (
            "2026-06-03T00:00:00Z",
            "-5.25",
            "Usage",
            "Correction",
            "Cosmos DB",
            "Databases",
            "northeurope",
            "North Europe",
            "",
            "microsoft.documentdb/databaseaccounts",
        ),
        (
            "2026-06-03T00:00:00Z",
            "-100",
            "Credit",
            "",
            "Azure App Service",
            "Web",
            "westeurope",
            "West Europe",
            "",
            "microsoft.web/sites",
        ),
        (
            "2026-06-03T00:00:00Z",
            "7.77",
            "Tax",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            "2026-06-04T00:00:00Z",
            "3.3333333333333333",
            "Adjustment",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),
        (
            "2026-06-20T00:00:00Z",
            "2.005",
            "Usage",
            "",
            "Storage Accounts",
            "Storage",
            "westeurope",
            "West Europe",
            "",
            "microsoft.storage/storageaccounts",
        ),
    ]
}

fn focus_csv(rows: &[FocusRow<'_>], currency: &str) -> String {
    let header: Vec<&str> = FOCUS_1_0.split(',').collect();
    let mut out = format!("\u{feff}{FOCUS_1_0}\n");
    for r in rows {
        let cells: Vec<String> = header
            .iter()
            .map(|h| match *h {
                "ChargePeriodStart" => r.0.into(),
                "BilledCost" => r.1.into(),
                "EffectiveCost" => "999".into(), // must never be summed
                "ChargeCategory" => r.2.into(),
                "ChargeClass" => r.3.into(),
                "ServiceName" => r.4.into(),
                "ServiceCategory" => r.5.into(),
                "RegionId" => r.6.into(),
                "RegionName" => r.7.into(),
                "ResourceId" => r.8.into(),
                "x_ResourceType" => r.9.into(),
                "BillingCurrency" => currency.into(),
                "x_SkuRegion" => "EU North".into(),
                "Tags" => "\"{\"\"env\"\": \"\"prod, eu\"\"}\"".into(),
                "ChargeDescription" => "\"line one\nline two, with comma\"".into(),
                _ => String::new(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn gzip(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

fn empty_inventory() -> Inventory {
    inventory::finish(vec![], vec![], Path::new("."))
}

#[test]
fn focus_csv_counts_usage_purchase_and_corrections_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("focus.csv");
    write(&file, &focus_csv(&focus_rows(), "USD"));
    let data = costs::read(&file).unwrap();
    assert!(data.diagnostics.is_empty(), "{:?}", data.diagnostics);
    let s = costs::summarize(&data, &empty_inventory(), Some(1000.0), None);
    let v = json(&s);
    // 10.0000000000000001 + 0.0000000000000049 + 120.50 - 5.25 + 2.005 = 127.255000000000005 → 127.26
    assert_eq!(v["total"], 127.26);
    assert_eq!(v["schema"], "focus");
    assert_eq!(v["rows"], 5);
    assert_eq!(v["currency"], "USD");
    assert_eq!(v["first_day"], "2026-06-01");
    assert_eq!(v["last_day"], "2026-06-20");
    let weeks: Vec<(String, f64)> = s
        .weekly
        .iter()
        .map(|w| (w.week_start.to_string(), json(&w.cost).as_f64().unwrap()))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-06-01".into(), 125.25),
            ("2026-06-08".into(), 0.0),
            ("2026-06-15".into(), 2.01)
        ]
    );
    assert_eq!(v["by_service"][0]["name"], "Cosmos DB");
    assert_eq!(v["by_service"][0]["cost"], 115.25);
    assert_eq!(v["by_service"][1]["cost"], 10.0);
    assert_eq!(
        v["by_region"][0],
        serde_json::json!({"name": "northeurope", "cost": 115.25})
    );
    assert_eq!(v["consumed_percent"], 12.7);
}

#[test]
fn gzip_and_parquet_give_the_same_sums_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let text = focus_csv(&focus_rows(), "EUR");
    std::fs::write(dir.path().join("a.csv.gz"), gzip(&text)).unwrap();
    let gz = costs::read(&dir.path().join("a.csv.gz")).unwrap();
    let pq_path = dir.path().join("a.parquet");
    write_parquet(&pq_path, &focus_rows());
    let pq = costs::read(&pq_path).unwrap();
    let csv_path = dir.path().join("a.csv");
    write(&csv_path, &text);
    let csv = costs::read(&csv_path).unwrap();
    let inv = empty_inventory();
    let sum = |d: &costs::CostData| {
        let mut v = json(&costs::summarize(d, &inv, None, None));
        v["files"] = 0.into();
        v["currency"] = serde_json::Value::Null;
        v
    };
    assert_eq!(sum(&gz), sum(&csv));
    assert_eq!(sum(&pq), sum(&csv));
}

/// Write the FOCUS rows as Parquet, as Azure does (strings and a DOUBLE-free exact decimal as string).
fn write_parquet(path: &Path, rows: &[FocusRow<'_>]) {
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;
    let cols = [
        "ChargePeriodStart",
        "BilledCost",
        "ChargeCategory",
        "ChargeClass",
        "ServiceName",
        "ServiceCategory",
        "RegionId",
        "RegionName",
        "ResourceId",
        "x_ResourceType",
        "BillingCurrency",
        "EffectiveCost",
    ];
    let schema = format!(
        "message schema {{ {} }}",
        cols.iter()
            .map(|c| format!("OPTIONAL BYTE_ARRAY {c} (UTF8);"))
            .collect::<String>()
    );
    let schema = Arc::new(parse_message_type(&schema).unwrap());
    let props = Arc::new(
        WriterProperties::builder()
            .set_max_row_group_row_count(Some(3))
            .build(),
    );
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
    for chunk in rows.chunks(3) {
        let mut group = writer.next_row_group().unwrap();
        for (i, _) in cols.iter().enumerate() {
            let values: Vec<ByteArray> = chunk
                .iter()
                .map(|r| {
                    let s = [
                        r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, "EUR", "999",
                    ][i];
                    ByteArray::from(s)
                })
                .collect();
            let defs = vec![1i16; values.len()];
            let mut col = group.next_column().unwrap().unwrap();
            col.typed::<ByteArrayType>()
                .write_batch(&values, Some(&defs), None)
                .unwrap();
            col.close().unwrap();
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
}

#[test]
fn actual_cost_ea_and_mca_headers() {
    let dir = tempfile::tempdir().unwrap();
    let ea = "Date,BillingCurrencyCode,CostInBillingCurrency,ChargeType,MeterCategory,ResourceLocation,ResourceId,PayGPrice\n\
        12/30/2026,USD,40.10,Usage,Azure App Service,EU West,RGID/Microsoft.Web/serverFarms/plan,1\n\
        01/02/2027,USD,-4.10,Refund,Azure App Service,WestEurope,RGID/Microsoft.Web/serverFarms/plan,1\n\
        01/03/2027,USD,12,UnusedReservation,Virtual Machines,West Europe,RGID/Microsoft.Compute/virtualMachines/vm,1\n\
        01/04/2027,USD,1.00,Usage,Bandwidth,,,1\n"
        .replace("RGID", RG);
    write(&dir.path().join("ea/usage.csv"), &ea);
    let mca = "date,billingCurrency,costInBillingCurrency,chargeType,meterCategory,resourceLocation,resourceId\n\
        2027-01-05,USD,2.50,Usage,Storage,westeurope,RGID/Microsoft.Storage/storageAccounts/st/blobServices/default\n"
        .replace("RGID", RG);
    write(&dir.path().join("mca/part_0_0001.csv"), &mca);
    let data = costs::read(dir.path()).unwrap();
    let s = costs::summarize(&data, &empty_inventory(), None, None);
    let v = json(&s);
    assert_eq!(v["schema"], "actual_cost");
    assert_eq!(v["files"], 2);
    assert_eq!(v["total"], 39.5);
    // The year boundary: 2026-12-28 is the Monday of the week holding 2027-01-01.
    let weeks: Vec<String> = s.weekly.iter().map(|w| w.week_start.to_string()).collect();
    assert_eq!(weeks, ["2026-12-28", "2027-01-04"]);
    let names: Vec<&str> = s.by_service.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        ["Azure App Service", "Storage Accounts", "Bandwidth"]
    );
    assert_eq!(
        v["by_region"],
        serde_json::json!([{"name": "westeurope", "cost": 38.5}])
    );
}

#[test]
fn duplicate_runs_of_a_month_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let rows = &focus_rows()[..1];
    for (run, submitted, cost) in [
        ("run-a", "2026-06-08T08:04:07Z", "10"),
        ("run-b", "2026-06-09T08:04:07Z", "11"),
    ] {
        let blob = format!("exports/focus/20260601-20260630/{run}/part_0_0001.csv");
        let mut r = rows.to_vec();
        r[0].1 = cost;
        write(&dir.path().join(&blob), &focus_csv(&r, "USD"));
        let manifest = serde_json::json!({
            "manifestVersion": "2024-04-01",
            "exportConfig": {"exportName": "focus", "resourceId": "/subscriptions/0/providers/Microsoft.CostManagement/exports/focus", "dataVersion": "1.0", "type": "FocusCost"},
            "runInfo": {"executionType": "Scheduled", "submittedTime": submitted, "runId": run, "startDate": "2026-06-01T00:00:00", "endDate": "2026-06-30T00:00:00"},
            "blobs": [{"blobName": blob, "byteCount": 100, "dataRowCount": 1}]
        });
        write(
            &dir.path().join(format!(
                "exports/focus/20260601-20260630/{run}/manifest.json"
            )),
            &manifest.to_string(),
        );
    }
    let data = costs::read(dir.path()).unwrap();
    assert_eq!(data.files, 1);
    assert_eq!(
        json(&costs::summarize(&data, &empty_inventory(), None, None))["total"],
        11.0
    );
}

#[test]
fn bad_inputs_are_errors_or_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    // Missing columns: an error naming the file and the columns.
    write(
        &dir.path().join("missing/x.csv"),
        "BilledCost,ChargePeriodStart\n1,2026-06-01\n",
    );
    let err = costs::read(&dir.path().join("missing")).unwrap_err();
    assert!(matches!(err, CostError::MissingColumns { .. }));
    assert!(
        err.to_string().contains("x.csv")
            && err.to_string().contains("BillingCurrency, ChargeCategory"),
        "{err}"
    );
    // Two currencies: an error naming them.
    write(
        &dir.path().join("fx/usd.csv"),
        &focus_csv(&focus_rows()[..1], "USD"),
    );
    write(
        &dir.path().join("fx/eur.csv"),
        &focus_csv(&focus_rows()[..1], "EUR"),
    );
    let err = costs::read(&dir.path().join("fx")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the exports mix billing currencies (EUR, USD); export one billing account or currency at a time"
    );
    // A truncated gzip and a corrupt Parquet footer: diagnostics, the good file is still read.
    let good = focus_csv(&focus_rows(), "USD");
    let gz = gzip(&good);
    std::fs::create_dir_all(dir.path().join("mixed")).unwrap();
    std::fs::write(dir.path().join("mixed/cut.csv.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(
        dir.path().join("mixed/broken.parquet"),
        b"PAR1 not really parquet PAR1",
    )
    .unwrap();
    write(&dir.path().join("mixed/good.csv"), &good);
    let data = costs::read(&dir.path().join("mixed")).unwrap();
    assert_eq!(data.files, 1);
    let files: Vec<&str> = data
        .diagnostics
        .iter()
        .map(|d| d.file.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(files, ["broken.parquet", "cut.csv.gz"]);
    // Nothing readable at all.
    std::fs::create_dir_all(dir.path().join("none")).unwrap();
    std::fs::write(dir.path().join("none/only.parquet"), b"garbage").unwrap();
    assert!(matches!(
        costs::read(&dir.path().join("none")),
        Err(CostError::NothingRead { .. })
    ));
}

#[test]
fn bills_beside_the_inventory_and_the_projection() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    let days: Vec<String> = (1..=28).map(|d| format!("2026-06-{d:02}")).collect();
    for d in &days {
        rows.push((
            d.as_str(),
            "10",
            "Usage",
            "",
            "Azure App Service",
            "Web",
            "westeurope",
            "",
            "",
            "microsoft.web/serverfarms",
        ));
        rows.push((
            d.as_str(),
            "1",
            "Usage",
            "",
            "Cosmos DB",
            "Databases",
            "westeurope",
            "",
            "",
            "microsoft.documentdb/databaseaccounts",
        ));
    }
    write(&dir.path().join("f.csv"), &focus_csv(&rows, "USD"));
    let data = costs::read(dir.path()).unwrap();
    let mut site = Resource::new("azurerm_linux_web_app", "api", "main.tf", 3);
    site.arm_type = Some("Microsoft.Web/sites".into());
    let mut redis = Resource::new("azurerm_redis_cache", "cache", "main.tf", 9);
    redis.arm_type = Some("Microsoft.Cache/redis".into());
    let mut rg = Resource::new("azurerm_resource_group", "rg", "main.tf", 1);
    rg.arm_type = Some("Microsoft.Resources/resourceGroups".into());
    let inv = inventory::finish(vec![site, redis, rg], vec![], Path::new("."));
    let review = jiff::civil::Date::new(2026, 7, 28).unwrap();
    let s = costs::summarize(&data, &inv, Some(1000.0), Some(review));
    assert_eq!(s.billed_not_in_iac, ["Cosmos DB"]);
    assert_eq!(s.in_iac_not_billed, ["Azure Cache for Redis"]);
    // 308 spent; 11 a day for the 30 days to the review → 638 of 1000.
    assert_eq!(s.consumed_percent, Some(30.8));
    assert_eq!(s.projected_percent_at_review, Some(63.8));
}

/// The committed example (`scripts/gen-example-costs.py`) read beside what `examples/bicep-startup/infra`
/// declares, then assessed: only the hand-made Redis cache is billed but not declared, credits consumed come
/// from the bill, and the steady spend raises no `spend-spike`.
#[test]
fn the_bicep_startup_example_export() {
    use azengage::assess::{AssessmentInput, FigureSource, assess};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = costs::read(&root.join("examples/bicep-startup/costs")).unwrap();
    assert!(data.diagnostics.is_empty(), "{:?}", data.diagnostics);
    // What main.bicep and its modules deploy (the resource group, Container Apps, ACR, Cosmos DB, monitoring,
    // Azure OpenAI from AVM, Key Vault from AVM).
    let declared = [
        ("Microsoft.Resources/resourceGroups", 30),
        ("Microsoft.App/managedEnvironments", 14),
        ("Microsoft.ContainerRegistry/registries", 23),
        ("Microsoft.App/containerApps", 31),
        ("Microsoft.DocumentDB/databaseAccounts", 14),
        ("Microsoft.OperationalInsights/workspaces", 8),
        ("Microsoft.Insights/components", 23),
        ("Microsoft.CognitiveServices/accounts", 69),
        ("Microsoft.KeyVault/vaults", 94),
    ];
    let resources = declared
        .iter()
        .map(|(t, line)| {
            let mut r = Resource::new(*t, "r", "infra/main.bicep", *line);
            r.arm_type = Some((*t).to_string());
            r.location = Some("francecentral".into());
            r
        })
        .collect();
    let inv = inventory::finish(resources, vec![], Path::new("."));
    let config = azengage::config::Config::parse(
        ".github/azengage.yml",
        &std::fs::read_to_string(root.join("examples/bicep-startup/.github/azengage.yml")).unwrap(),
    )
    .unwrap();
    let review = azengage::assess::timeline::review_date(&config);
    assert_eq!(review, jiff::civil::Date::new(2027, 5, 17).ok());
    let s = costs::summarize(&data, &inv, config.program.credits.total, review);
    assert_eq!(
        (s.currency.as_deref(), s.first_day, s.last_day),
        (
            Some("USD"),
            jiff::civil::Date::new(2026, 7, 4).ok(),
            jiff::civil::Date::new(2026, 11, 20).ok()
        )
    );
    assert_eq!(
        s.weekly.len(),
        21,
        "Saturday 2026-07-04 starts a partial first week"
    );
    assert_eq!(s.billed_not_in_iac, ["Azure Cache for Redis"]);
    assert!(s.in_iac_not_billed.is_empty(), "{:?}", s.in_iac_not_billed);
    assert_eq!(s.by_region.len(), 1);
    assert_eq!(s.by_region[0].name, "francecentral");
    let (consumed, projected) = (
        s.consumed_percent.unwrap(),
        s.projected_percent_at_review.unwrap(),
    );
    assert!((10.0..20.0).contains(&consumed), "{consumed}");
    assert!((30.0..50.0).contains(&projected), "{projected}");
    let activity = azengage::history::Activity::default();
    let a = assess(&AssessmentInput {
        inventory: &inv,
        activity: &activity,
        config: &config,
        as_of: jiff::civil::Date::new(2026, 11, 23).unwrap(),
        costs: Some(&s),
    });
    assert_eq!(a.program.consumed_source, Some(FigureSource::Costs));
    assert_eq!(a.program.consumed_percent, Some(consumed));
    let rules: Vec<&str> = a.suggestions.iter().map(|x| x.rule.as_str()).collect();
    assert!(rules.contains(&"unmanaged-resources"), "{rules:?}");
    assert!(rules.contains(&"credits-underused"), "{rules:?}");
    assert!(!rules.contains(&"spend-spike"), "{rules:?}");
}

/// `azengage costs` on the committed example prints the contract's `costs` object.
#[test]
fn costs_command_reads_the_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("azengage")
        .unwrap()
        .args(["costs", "--format", "json", "--credits-total", "25000"])
        .args(["--review-date", "2027-05-17"])
        .arg(root.join("examples/bicep-startup/costs"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "focus");
    assert_eq!(v["currency"], "USD");
    assert_eq!(
        v["rows"], 1041,
        "1046 rows, of which 5 monthly Credit rows do not count"
    );
    assert_eq!(v["by_region"][0]["name"], "francecentral");
    assert!(v["consumed_percent"].as_f64().is_some_and(|p| p > 10.0));
}

/// An export the parquet crate panics on (a damaged dictionary page the hostile campaign found) is an
/// unreadable file: exit 3 as for any export that cannot be read, and no panic message on stderr.
#[test]
fn a_damaged_parquet_export_exits_3_without_a_panic_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root.join("tests/fixtures/costs-hostile/parquet-damaged-dictionary-page.parquet"),
        dir.path().join("export.parquet"),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("azengage")
        .unwrap()
        .args(["costs", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no cost export could be read"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
