//! Bicep and `.bicepparam` files: a tolerant parser of our own and the scan that turns its trees into
//! resources.
//!
//! - [`lexer`] and [`parser`] (with `declarations`, `expr` and `types`) build an [`ast::SourceFile`] from
//!   any text, never failing: problems become syntax errors with byte offsets, turned by the scan into
//!   `parse` diagnostics at file:line:column. Nesting is capped at [`MAX_DEPTH`].
//! - [`resolve`] evaluates the few expressions we need statically (locations, module parameters).
//! - [`analysis`] fingerprints declaration bodies (for `diff`) and spots secrets (for `no-key-vault`).
//! - `scan` walks declarations: resources (nested children included), local modules (followed transitively,
//!   each file parsed once, cycles and runaway chains cut with a warning), registry modules (resolved by
//!   name), and applies parameter files (`params`: `.bicepparam`, azd's `main.parameters.json`).
//!
//! Why our own parser: no maintained Rust crate parses Bicep, and the inventory must survive every file a
//! repository holds, including half-edited and newer-than-us syntax.

pub mod analysis;
pub mod ast;
mod declarations;
mod expr;
pub mod lexer;
mod lists;
mod params;
pub mod parser;
pub mod resolve;
mod scan;
mod types;

pub use parser::{MAX_DEPTH, parse};
pub use scan::DEPLOYMENTS;

use crate::iac::{Found, ScanOptions};
use std::path::PathBuf;

/// Scan the `.bicep` and `.bicepparam` files found by the walk (or given on the command line).
///
/// Every `.bicep` file is scanned with the values of the parameter file that applies to it (a `.bicepparam`
/// among `files` whose `using` names it, else `<stem>.bicepparam` or `<stem>.parameters.json` beside it).
/// With `opts.follow_modules`, local modules are followed (each resource reached that way gets `via_module`)
/// and registry modules are resolved by name; a resource reached several ways is listed once per declaring
/// file and line.
pub fn scan_files(files: &[PathBuf], opts: &ScanOptions) -> Found {
    let mut scanner = scan::Scanner::new(opts);
    scanner.run(files);
    scanner.finish()
}

#[cfg(test)]
mod parser_format_tests;
#[cfg(test)]
mod parser_tests;
