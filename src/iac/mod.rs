//! Parsers for infrastructure-as-code: one module per language. Each turns files into [`Found`]: resources and
//! diagnostics, with `file` set to the real path string. They never panic and never stop at a bad file.

pub mod arm;
pub mod bicep;
pub mod env;
pub mod format;
pub mod json;
pub mod plan;
pub(crate) mod region;
pub mod source;
pub mod terraform;

use crate::model::{Diagnostic, Resource};
pub use plan::{DeployPlan, ParamSet};

/// What a parser found: resources and diagnostics, in no particular order (the inventory stage sorts).
#[derive(Debug, Default, Clone)]
pub struct Found {
    /// Declared resources.
    pub resources: Vec<Resource>,
    /// Problems met on the way.
    pub diagnostics: Vec<Diagnostic>,
    /// Every scan unit a scan started at (a Bicep or ARM template, a Terraform directory), as the path
    /// string the resources' `scanned_from` uses.
    pub units: Vec<String>,
    /// Local module references met on the way: (calling file or Terraform directory, called file or
    /// directory), as path strings. The inventory stage finds the fallback roots from them.
    pub edges: Vec<(String, String)>,
    /// Parameter files applied to a scan unit: (unit, parameter file), as path strings.
    pub applied: Vec<(String, String)>,
}

impl Found {
    /// Append everything from `other`.
    pub fn extend(&mut self, other: Found) {
        self.resources.extend(other.resources);
        self.diagnostics.extend(other.diagnostics);
        self.units.extend(other.units);
        self.edges.extend(other.edges);
        self.applied.extend(other.applied);
    }

    /// Everything from `parts`, in order, each list built once at its final size: the scanners' resources are
    /// tens of megabytes, which growing a list part by part would copy again.
    pub fn concat(parts: Vec<Found>) -> Found {
        fn joined<T>(parts: &mut [Found], list: impl Fn(&mut Found) -> &mut Vec<T>) -> Vec<T> {
            let mut all = Vec::with_capacity(parts.iter_mut().map(|p| list(p).len()).sum());
            for part in parts {
                all.append(list(part));
            }
            all
        }
        let mut parts = parts;
        Found {
            resources: joined(&mut parts, |p| &mut p.resources),
            diagnostics: joined(&mut parts, |p| &mut p.diagnostics),
            units: joined(&mut parts, |p| &mut p.units),
            edges: joined(&mut parts, |p| &mut p.edges),
            applied: joined(&mut parts, |p| &mut p.applied),
        }
    }

    /// The same, with each diagnostic kept once (a file reached by several scan units reports once).
    pub(crate) fn without_repeated_diagnostics(mut self) -> Self {
        let mut seen = std::collections::HashSet::new();
        self.diagnostics.retain(|d| seen.insert(d.to_string()));
        self
    }
}

/// The `--max-file-size` default: files larger than this many bytes are skipped with a diagnostic.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// How a scan behaves; one value is passed down to every parser.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Follow local modules (Terraform `source = "./x"`, Bicep `module m './x.bicep'`).
    pub follow_modules: bool,
    /// Files larger than this many bytes are skipped with a diagnostic.
    pub max_file_size: u64,
    /// Which templates are deployed with which parameters, and the environment values (`${VAR}`) known.
    pub plan: std::sync::Arc<DeployPlan>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            follow_modules: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            plan: std::sync::Arc::default(),
        }
    }
}
