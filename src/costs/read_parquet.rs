//! Parquet exports, read row group by row group with only the needed columns projected (no whole-file load).

use super::FileSums;
use super::aggregate::Accumulator;
use super::rows;
use super::schema::detect;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;
use std::path::Path;
use std::sync::Arc;

/// Read one Parquet file into its own sums. The parquet crate asserts on some damaged pages instead of
/// returning an error (the hostile-input campaign found `bit_util::read_num_bytes` panicking on a mutated
/// dictionary page): such a panic is caught ([`crate::caught`]) and the file is unreadable like any corrupt one.
pub fn read(path: &Path) -> Result<FileSums, super::FileError> {
    crate::caught::quietly(|| read_unguarded(path)).unwrap_or_else(|| {
        Err(super::FileError::Unreadable(
            "damaged Parquet data: the reader stopped on a corrupt page".into(),
        ))
    })
}

fn read_unguarded(path: &Path) -> Result<FileSums, super::FileError> {
    let unreadable = |e: &dyn std::fmt::Display| super::FileError::Unreadable(e.to_string());
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let reader = SerializedFileReader::new(file).map_err(|e| unreadable(&e))?;
    let schema = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema()
        .clone();
    let fields = schema.get_fields();
    let header: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
    let cols = detect(&header).map_err(super::FileError::Missing)?;
    // Project the columns azengage reads, in file order; `positions` maps a header index to its slot.
    let wanted: Vec<usize> = [
        Some(cols.date),
        Some(cols.cost),
        Some(cols.currency),
        Some(cols.charge),
        cols.charge_class,
        cols.service_name,
        cols.service_category,
        cols.region_id,
        cols.region_name,
        cols.resource_id,
        cols.resource_type,
        cols.meter_category,
    ]
    .into_iter()
    .flatten()
    .collect::<std::collections::BTreeSet<_>>()
    .into_iter()
    .collect();
    let projection = Type::group_type_builder(schema.name())
        .with_fields(
            wanted
                .iter()
                .filter_map(|&i| fields.get(i).map(Arc::clone))
                .collect(),
        )
        .build()
        .map_err(|e| unreadable(&e))?;
    let mut slot = vec![usize::MAX; header.len()];
    for (s, &i) in wanted.iter().enumerate() {
        if let Some(at) = slot.get_mut(i) {
            *at = s;
        }
    }
    let mut sums = FileSums {
        schema: cols.schema,
        acc: Accumulator::default(),
        bad_rows: Vec::new(),
    };
    let mut cells: Vec<String> = vec![String::new(); wanted.len()];
    let mut row_no = 0u64;
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).map_err(|e| unreadable(&e))?;
        let iter = group
            .get_row_iter(Some(projection.clone()))
            .map_err(|e| unreadable(&e))?;
        for row in iter {
            row_no += 1;
            let row = row.map_err(|e| unreadable(&e))?;
            for (s, (_, field)) in row.get_column_iter().enumerate() {
                if let Some(c) = cells.get_mut(s) {
                    c.clear();
                    write_field(c, field);
                }
            }
            let cell = |i: usize| {
                slot.get(i)
                    .and_then(|&s| cells.get(s))
                    .map_or("", String::as_str)
            };
            match rows::read(&cols, &cell) {
                Ok(Some(facts)) => sums.acc.add(&facts),
                Ok(None) => {}
                Err(e) => sums.note_bad_row(row_no, e.to_string()),
            }
        }
    }
    Ok(sums)
}

/// A Parquet value as the text a CSV export would hold (exact for decimals, ISO dates for dates/timestamps).
fn write_field(out: &mut String, field: &Field) {
    use std::fmt::Write;
    let date_of = |days: i64| {
        jiff::civil::Date::new(1970, 1, 1)
            .ok()
            .and_then(|e| e.checked_add(jiff::Span::new().days(days)).ok())
    };
    let _ = match field {
        Field::Null => Ok(()),
        Field::Str(s) => {
            out.push_str(s);
            Ok(())
        }
        Field::Decimal(d) => {
            let bytes = d.data();
            let mut v: i128 = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
                -1
            } else {
                0
            };
            for b in bytes.iter().take(16) {
                v = (v << 8) | i128::from(*b);
            }
            let dec = rust_decimal::Decimal::try_from_i128_with_scale(v, d.scale().max(0) as u32);
            match dec {
                Ok(dec) => write!(out, "{dec}"),
                Err(_) => write!(out, "invalid-decimal"),
            }
        }
        Field::Date(days) => match date_of(i64::from(*days)) {
            Some(d) => write!(out, "{d}"),
            None => Ok(()),
        },
        Field::TimestampMillis(ms) => match date_of(ms.div_euclid(86_400_000)) {
            Some(d) => write!(out, "{d}"),
            None => Ok(()),
        },
        Field::TimestampMicros(us) => match date_of(us.div_euclid(86_400_000_000)) {
            Some(d) => write!(out, "{d}"),
            None => Ok(()),
        },
        other => write!(out, "{other}"),
    };
}
