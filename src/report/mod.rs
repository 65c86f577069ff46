//! Printers: each output format is a function over one data model (inventory, scan, diff), writing to any
//! `io::Write`. Nothing here decides anything; it only presents.

pub mod costs;
pub mod diff;
pub mod inventory;
pub mod style;

use serde::Serialize;
use std::io;

/// Pretty JSON followed by a newline.
pub fn write_json<T: Serialize>(out: &mut dyn io::Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}
