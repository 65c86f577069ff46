//! ARM JSON templates and ARM parameter files.
//!
//! Interface used by the inventory stage and by the Bicep module follower; the implementation is in progress.

use crate::iac::{Found, ScanOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// True when `text` is an ARM deployment template (a JSON object whose top-level `$schema` contains
/// `deploymentTemplate`). Parameter files (`deploymentParameters`) are not templates.
pub fn is_arm_template(text: &str) -> bool {
    schema_of(text).is_some_and(|s| s.contains("deploymentTemplate"))
}

/// True when `text` is an ARM parameter file (`$schema` contains `deploymentParameters`).
pub fn is_parameter_file(text: &str) -> bool {
    schema_of(text).is_some_and(|s| s.contains("deploymentParameters"))
}

/// The top-level `$schema` string of a JSON document, if it is an object that has one.
fn schema_of(text: &str) -> Option<String> {
    // Cheap pre-check: most JSON files in a repository are not ARM at all.
    if !text.contains("$schema") {
        return None;
    }
    let value: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    value.get("$schema")?.as_str().map(str::to_string)
}

/// Read an ARM parameter file (`{"parameters": {"location": {"value": "westeurope"}}}`) into name → value.
/// azd's `${AZURE_LOCATION}` placeholders are kept as the strings they are. `None` (with a diagnostic) when
/// the file cannot be read or is not JSON.
pub fn read_parameter_file(
    path: &Path,
    opts: &ScanOptions,
    diags: &mut Vec<crate::model::Diagnostic>,
) -> Option<HashMap<String, serde_json::Value>> {
    let text = crate::iac::source::read_source(path, opts, diags)?;
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(crate::model::Diagnostic::new(
                crate::model::path_string(path),
                e.line() as u32,
                e.column() as u32,
                crate::model::Severity::Error,
                "parse",
                format!("invalid JSON: {e}"),
            ));
            return None;
        }
    };
    let params = value.get("parameters")?.as_object()?;
    Some(
        params
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.get("value")?.clone())))
            .collect(),
    )
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
pub fn scan_template(
    path: &Path,
    params: &HashMap<String, String>,
    via_module: Option<&str>,
    opts: &ScanOptions,
) -> Found {
    let _ = (path, params, via_module, opts);
    Found::default()
}
