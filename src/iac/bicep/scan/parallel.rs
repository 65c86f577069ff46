//! Templates scanned in parallel: the walk's templates are cut into parts of consecutive paths, each scanned
//! by a fork of the scanner (its own file cache and module stack, sharing the files already parsed), and the
//! parts' findings joined in template order, so the result is the one a single scanner gives.
//!
//! Scanning a template depends only on the files it reaches and the parameter values given, never on which
//! templates were scanned before it: expansions are remembered per template, the module budget is reset per
//! template, and a file's diagnostics are kept once however many parts read it (see
//! [`Found::without_repeated_diagnostics`](crate::iac::Found)). Consecutive paths share their modules (a
//! module's tests, its child modules), so a part rarely parses a file another part parses too.

use super::{Applied, Scanner};
use crate::iac::Found;
use rayon::prelude::*;
use std::path::PathBuf;

/// How many templates one part scans. Smaller parts balance the threads better; each part pays for parsing
/// again the modules it shares with its neighbours.
const TEMPLATES_PER_PART: usize = 48;

impl<'o> Scanner<'o> {
    /// Scan `templates` (in parallel parts when there are enough of them) and add what they give, in
    /// template order.
    pub(super) fn scan_templates(&mut self, templates: &[PathBuf], applied: &Applied) {
        let threads = rayon::current_num_threads();
        if threads < 2 || templates.len() <= TEMPLATES_PER_PART {
            for template in templates {
                self.scan_template(template, applied);
            }
            return;
        }
        // The files parsed so far (the parameter files) are shared; the rest of the cache is the parts'.
        self.trim_cache();
        let base = &*self;
        let parts: Vec<Found> = templates
            .par_chunks(TEMPLATES_PER_PART)
            .map(|part| {
                let mut fork = base.fork(part, threads);
                for template in part {
                    fork.scan_template(template, applied);
                }
                // Only the findings outlive the part: its parsed files go now.
                fork.findings()
            })
            .collect();
        for part in parts {
            self.diagnostics.extend(part.diagnostics);
            self.resources.extend(part.resources);
            self.units.extend(part.units);
            self.edges.extend(part.edges);
            self.applied.extend(part.applied);
        }
    }

    /// A scanner for the templates of `part` that knows the files parsed so far (same ids, so values read
    /// from parameter files point at the right file) and parses the part's templates in batches on its own
    /// thread: parts run side by side, so each gets its share of the cache.
    fn fork(&self, part: &[PathBuf], threads: usize) -> Scanner<'o> {
        let mut fork = Scanner::new(self.opts);
        fork.files = self.files.clone();
        fork.paths = self.paths.clone();
        fork.used = self.used.clone();
        fork.loads = self.loads;
        fork.held = self.held;
        fork.cache_bytes = self.cache_bytes / threads;
        fork.by_key = self.by_key.clone();
        fork.parallel_parse = false;
        fork.pending = rustc_hash::FxHashMap::default();
        for path in part {
            let key = self
                .keys
                .get(path)
                .cloned()
                .unwrap_or_else(|| crate::paths::identity(path));
            if !fork.by_key.contains_key(&key) && !fork.pending.contains_key(&key) {
                fork.queue.push(key.clone());
                fork.pending.insert(key.clone(), path.clone());
            }
            fork.keys.insert(path.clone(), key);
        }
        fork
    }

    /// What this scanner found, as it found it (no resource or diagnostic merged yet).
    fn findings(self) -> Found {
        Found {
            resources: self.resources,
            diagnostics: self.diagnostics,
            units: self.units,
            edges: self.edges,
            applied: self.applied,
        }
    }
}
