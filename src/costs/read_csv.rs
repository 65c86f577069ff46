//! Streaming CSV (optionally gzip) exports: one record buffer reused for every row.

use super::FileSums;
use super::aggregate::Accumulator;
use super::rows;
use super::schema::detect;
use std::io::Read;
use std::path::Path;

/// Read one CSV or CSV.GZ file into its own sums.
pub fn read(path: &Path) -> Result<FileSums, super::FileError> {
    let file =
        std::fs::File::open(path).map_err(|e| super::FileError::Unreadable(e.to_string()))?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let input: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::with_capacity(1 << 16, file),
        ))
    } else {
        Box::new(file)
    };
    read_from(input)
}

/// Read CSV text from any reader.
pub fn read_from(input: impl Read) -> Result<FileSums, super::FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| super::FileError::Unreadable(e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let cols = detect(&header).map_err(super::FileError::Missing)?;
    let mut sums = FileSums {
        schema: cols.schema,
        acc: Accumulator::default(),
        bad_rows: Vec::new(),
    };
    let mut record = csv::StringRecord::new();
    let mut line = 1u64;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(super::FileError::Unreadable(format!(
                    "after line {line}: {e}"
                )));
            }
        }
        line = record.position().map_or(line + 1, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("");
        match rows::read(&cols, &cell) {
            Ok(Some(facts)) => sums.acc.add(&facts),
            Ok(None) => {}
            Err(e) => sums.note_bad_row(line, e.to_string()),
        }
    }
    Ok(sums)
}
