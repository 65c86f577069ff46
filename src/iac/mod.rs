//! Parsers for infrastructure-as-code: one module per language. Each turns files into [`Found`]: resources and
//! diagnostics, with `file` set to the real path string. They never panic and never stop at a bad file.

pub mod arm;
pub mod bicep;
pub mod format;
pub mod json;
pub mod source;
pub mod terraform;

use crate::model::{Diagnostic, Resource};

/// What a parser found: resources and diagnostics, in no particular order (the inventory stage sorts).
#[derive(Debug, Default, Clone)]
pub struct Found {
    /// Declared resources.
    pub resources: Vec<Resource>,
    /// Problems met on the way.
    pub diagnostics: Vec<Diagnostic>,
}

impl Found {
    /// Append everything from `other`.
    pub fn extend(&mut self, other: Found) {
        self.resources.extend(other.resources);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// How a scan behaves; one value is passed down to every parser.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Follow local modules (Terraform `source = "./x"`, Bicep `module m './x.bicep'`).
    pub follow_modules: bool,
    /// Files larger than this many bytes are skipped with a diagnostic.
    pub max_file_size: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            follow_modules: true,
            max_file_size: 5 * 1024 * 1024,
        }
    }
}
