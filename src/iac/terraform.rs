//! Terraform: `*.tf`, `*.tf.json`, `*.tfvars` (in progress).

use crate::iac::{Found, ScanOptions};
use std::path::PathBuf;

/// Scan Terraform module directories (each directory holding `.tf`/`.tf.json` files found by the walk).
pub fn scan_dirs(dirs: &[PathBuf], opts: &ScanOptions) -> Found {
    let _ = (dirs, opts);
    Found::default()
}

/// Scan one Terraform file the user named (its directory's variables still apply).
pub fn scan_file(file: &std::path::Path, opts: &ScanOptions) -> Found {
    let _ = (file, opts);
    Found::default()
}
