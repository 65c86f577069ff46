//! Seeds for the cost-export targets, shaped as Azure Cost Management writes them: the first rows of the
//! committed FOCUS example, EA and MCA "actual cost" CSVs, the same gzipped, Parquet files with string columns
//! and with typed ones (timestamps, decimals, dates, doubles), and export-run manifests.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// EA "Cost and usage details": US dates, `BillingCurrencyCode`, a refund, a reservation row that does not count.
const EA: &str = "Date,BillingCurrencyCode,CostInBillingCurrency,ChargeType,MeterCategory,ResourceLocation,ResourceId,PayGPrice\n\
12/30/2026,USD,40.10,Usage,Azure App Service,EU West,/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan,1\n\
01/02/2027,USD,-4.10,Refund,Azure App Service,WestEurope,/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan,1\n\
01/03/2027,USD,12,UnusedReservation,Virtual Machines,West Europe,/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm,1\n\
1/4/2027 12:00:00 AM,USD,1.5E-05,Usage,Bandwidth,,,1\n";

/// MCA: camelCase columns, ISO dates, CRLF line ends and a BOM.
const MCA: &str = "\u{feff}date,billingCurrency,costInBillingCurrency,chargeType,meterCategory,resourceLocation,resourceId\r\n\
2027-01-05,EUR,2.50,Usage,Storage,westeurope,/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default\r\n\
2027-01-06,EUR,\"1,000.00\",Usage,Storage,westeurope,\r\n";

/// FOCUS cells that once panicked the date parser, and other multi-byte text where digits belong.
const FOCUS_MULTIBYTE: &str = "ChargePeriodStart,BilledCost,BillingCurrency,ChargeCategory,ServiceName,RegionId\n\
2026-1é-01T00:00:00Z,1.00,USD,Usage,Azure App Service,westeurope\n\
２０２６-06-01,1.00,USD,Usage,Azure App Service,westeurope\n\
2026-06-01T00:00:00Z,１.00,USD,Usage,Azure App Service,westeurope\n\
2026-06-02T00:00:00Z,2.00,USD,Usage,Azure Cosmos DB,ｗｅｓｔｅｕｒｏｐｅ\n";

/// The first rows of the committed FOCUS example (a BOM, the full FOCUS 1.0 header).
fn focus_example() -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/bicep-startup/costs/fabrikam-dev-focus-20260704-20261120.csv");
    let text = std::fs::read_to_string(&file).expect("the FOCUS example export");
    let head: Vec<&str> = text.split_inclusive('\n').take(12).collect();
    head.concat().into_bytes()
}

/// CSV exports.
pub fn csv() -> Vec<Vec<u8>> {
    vec![
        focus_example(),
        EA.as_bytes().to_vec(),
        MCA.as_bytes().to_vec(),
        FOCUS_MULTIBYTE.as_bytes().to_vec(),
    ]
}

/// The CSV exports, gzipped as Cost Management writes `.csv.gz`.
pub fn csv_gz() -> Vec<Vec<u8>> {
    csv().iter().map(|text| gzip(text)).collect()
}

/// `bytes` gzipped.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory")
}

/// Parquet exports: every column a string, and typed columns.
pub fn parquet() -> Vec<Vec<u8>> {
    vec![
        parquet_of_csv(FOCUS_MULTIBYTE),
        parquet_of_csv(EA),
        typed_parquet(),
    ]
}

/// A Parquet file with the CSV's header as `OPTIONAL BYTE_ARRAY (UTF8)` columns and its rows as values (simple
/// CSV only: no quoted commas). Row groups of two rows.
pub fn parquet_of_csv(text: &str) -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType};
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let schema = format!(
        "message schema {{ {} }}",
        header
            .iter()
            .map(|c| format!("OPTIONAL BYTE_ARRAY {c} (UTF8);"))
            .collect::<String>()
    );
    write_parquet(&schema, rows.len(), |group, range| {
        for i in 0..header.len() {
            let values: Vec<ByteArray> = rows[range.clone()]
                .iter()
                .map(|r| ByteArray::from(r.get(i).copied().unwrap_or_default()))
                .collect();
            let defs = vec![1i16; values.len()];
            let mut col = group.next_column().expect("column").expect("column");
            col.typed::<ByteArrayType>()
                .write_batch(&values, Some(&defs), None)
                .expect("write column");
            col.close().expect("close column");
        }
    })
}

/// FOCUS with typed columns: `ChargePeriodStart` a UTC timestamp in microseconds, `BilledCost` an INT64
/// decimal with 6 places, `x_ServicePeriodEnd` a date, `EffectiveCost` a double (never summed).
fn typed_parquet() -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
    let schema = "message schema {
        REQUIRED INT64 ChargePeriodStart (TIMESTAMP(MICROS,true));
        REQUIRED INT64 BilledCost (DECIMAL(18,6));
        REQUIRED BYTE_ARRAY BillingCurrency (UTF8);
        REQUIRED BYTE_ARRAY ChargeCategory (UTF8);
        OPTIONAL BYTE_ARRAY ServiceName (UTF8);
        OPTIONAL BYTE_ARRAY RegionId (UTF8);
        OPTIONAL INT32 x_ServicePeriodEnd (DATE);
        OPTIONAL DOUBLE EffectiveCost;
    }";
    // 2026-06-01 and 2026-06-02 at midnight UTC, in microseconds since the epoch.
    let days = [20_605i64, 20_606, 20_606, 20_607];
    let strings = |values: &[&str]| values.iter().map(|s| ByteArray::from(*s)).collect();
    write_parquet(schema, days.len(), |group, range| {
        let n = range.len();
        let micros: Vec<i64> = days[range.clone()]
            .iter()
            .map(|d| d * 86_400_000_000)
            .collect();
        let cents: Vec<i64> = [10_500_000i64, -1_000_000, 49, 120_500_000][range.clone()].to_vec();
        let currency: Vec<ByteArray> = strings(&vec!["USD"; n]);
        let charge: Vec<ByteArray> = strings(&["Usage", "Usage", "Purchase", "Tax"][range.clone()]);
        let service: Vec<ByteArray> =
            strings(&["Azure App Service", "Azure App Service", "Storage", ""][range.clone()]);
        let region: Vec<ByteArray> = strings(&vec!["westeurope"; n]);
        let end: Vec<i32> = days[range.clone()].iter().map(|d| *d as i32 + 1).collect();
        let effective: Vec<f64> = vec![999.0; n];
        let required = None;
        let optional = vec![1i16; n];
        macro_rules! column {
            ($kind:ty, $values:expr, $defs:expr) => {{
                let mut col = group.next_column().expect("column").expect("column");
                col.typed::<$kind>()
                    .write_batch(&$values, $defs, None)
                    .expect("write column");
                col.close().expect("close column");
            }};
        }
        column!(Int64Type, micros, required);
        column!(Int64Type, cents, required);
        column!(ByteArrayType, currency, required);
        column!(ByteArrayType, charge, required);
        column!(ByteArrayType, service, Some(&optional[..]));
        column!(ByteArrayType, region, Some(&optional[..]));
        column!(Int32Type, end, Some(&optional[..]));
        column!(DoubleType, effective, Some(&optional[..]));
    })
}

/// A Parquet file of `rows` rows with `schema`, in row groups of two; `columns` writes one group's columns.
fn write_parquet(
    schema: &str,
    rows: usize,
    mut columns: impl FnMut(
        &mut parquet::file::writer::SerializedRowGroupWriter<'_, &mut Vec<u8>>,
        std::ops::Range<usize>,
    ),
) -> Vec<u8> {
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    let schema = Arc::new(parquet::schema::parser::parse_message_type(schema).expect("schema"));
    let props = Arc::new(WriterProperties::builder().build());
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, schema, props).expect("parquet writer");
    let mut start = 0;
    while start < rows {
        let end = (start + 2).min(rows);
        let mut group = writer.next_row_group().expect("row group");
        columns(&mut group, start..end);
        group.close().expect("close row group");
        start = end;
    }
    writer.close().expect("close parquet");
    out
}

/// Export-run manifests as Azure writes them beside each run's blobs; the blob is `part_0_0001.csv`.
pub fn manifests() -> Vec<Vec<u8>> {
    let full = serde_json::json!({
        "manifestVersion": "2024-04-01",
        "byteCount": 1160,
        "blobCount": 1,
        "dataRowCount": 4,
        "exportConfig": {
            "exportName": "focus-daily",
            "resourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.CostManagement/exports/focus-daily",
            "dataVersion": "1.0",
            "apiVersion": "2023-07-01-preview",
            "type": "FocusCost",
            "timeFrame": "MonthToDate",
            "granularity": "Daily"
        },
        "deliveryConfig": {
            "partitionData": true,
            "dataOverwriteBehavior": "CreateNewReport",
            "fileFormat": "Csv",
            "compressionMode": "None",
            "containerUri": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            "rootFolderPath": "exports"
        },
        "runInfo": {
            "executionType": "Scheduled",
            "submittedTime": "2026-06-08T08:04:07.9219216Z",
            "runId": "a1b2c3d4-0000-0000-0000-000000000000",
            "startDate": "2026-06-01T00:00:00",
            "endDate": "2026-06-30T00:00:00"
        },
        "blobs": [
            {"blobName": "exports/focus-daily/20260601-20260630/a1b2c3d4/part_0_0001.csv", "byteCount": 1160, "dataRowCount": 4}
        ]
    });
    let bare = serde_json::json!({"blobs": [{"blobName": "part_0_0001.csv"}]});
    vec![
        serde_json::to_vec_pretty(&full).expect("json"),
        serde_json::to_vec(&bare).expect("json"),
    ]
}

/// The blob a manifest seed lists.
pub fn manifest_blob() -> &'static [u8] {
    FOCUS_MULTIBYTE.as_bytes()
}
