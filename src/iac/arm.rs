//! ARM JSON templates and ARM parameter files.
//!
//! Interface used by the inventory stage and by the Bicep module follower; the implementation is in progress.

use crate::iac::{Found, ScanOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// True when `text` is an ARM deployment template (a JSON object whose top-level `$schema` contains
/// `deploymentTemplate`). Parameter files (`deploymentParameters`) are not templates.
pub fn is_arm_template(text: &str) -> bool {
    let _ = text;
    false
}

/// Scan the `.json` files found by the walk: templates give resources; ARM parameter files
/// (`*.parameters.json`, `$schema` containing `deploymentParameters`) feed the template they sit beside.
/// Other JSON files are ignored silently.
pub fn scan_files(files: &[PathBuf], opts: &ScanOptions) -> Found {
    let _ = (files, opts);
    Found::default()
}

/// Scan one template reached as a module (from Bicep `module m './x.json'` or a nested deployment):
/// `params` are the parameter values the caller passes that resolved to strings; every resource gets
/// `via_module`.
pub fn scan_template(path: &Path, params: &HashMap<String, String>, via_module: Option<&str>, opts: &ScanOptions) -> Found {
    let _ = (path, params, via_module, opts);
    Found::default()
}
