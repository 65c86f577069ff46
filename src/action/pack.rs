//! The `pack` input: the escalation pack written to `RUNNER_TEMP/azengage-pack.html`, named by the output
//! `pack-file` so that a later step can upload it (`actions/upload-artifact`). The page is the one
//! `azengage pack` writes, from the same scan as the rest of the run.

use super::inputs::ActionEnv;
use super::scan_step::Scanned;
use crate::report::html::{PackDetails, to_html};
use std::path::PathBuf;

/// The file name written into `RUNNER_TEMP`.
pub const FILE_NAME: &str = "azengage-pack.html";

/// Write the pack when the input asks for it; returns the path written (for the `pack-file` output). A
/// failure to write is a note in the job summary, not a failed run: the scan and its delivery went fine.
pub fn write(env: &ActionEnv, scanned: &Scanned, notes: &mut Vec<String>) -> Option<String> {
    if !env.pack {
        return None;
    }
    let dir = env.runner_temp.clone().unwrap_or_else(std::env::temp_dir);
    let path = dir.join(FILE_NAME);
    let fallback = scanned
        .report
        .repository
        .clone()
        .unwrap_or_else(|| directory_name(&env.workspace));
    let page = to_html(
        &scanned.report,
        &PackDetails::from_config(&scanned.config, &fallback),
    );
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, page));
    match written {
        Ok(()) => Some(crate::model::path_string(&path)),
        Err(e) => {
            notes.push(format!(
                "escalation pack not written to {}: {e}",
                path.display()
            ));
            None
        }
    }
}

fn directory_name(dir: &std::path::Path) -> String {
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| PathBuf::from(dir).display().to_string())
}
