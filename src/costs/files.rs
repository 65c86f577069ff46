//! Which files to read under a costs PATH: a single file; or a directory where each folder holding a
//! `manifest.json` (an Azure export run) is read through the blobs it lists — only the newest run of each
//! export and month counts — and every other CSV/Parquet file is read as it is.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Whether a file name looks like export data.
pub fn is_data_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    name.ends_with(".csv")
        || name.ends_with(".csv.gz")
        || name.ends_with(".parquet")
        || name.ends_with(".gz")
}

/// One export run, from its `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    export: String,
    month: String,
    time: String,
    dir: PathBuf,
    blobs: Vec<String>,
}

/// The files to read, sorted, and notes about runs left out or blobs not found.
pub fn select(root: &Path) -> (Vec<PathBuf>, Vec<String>) {
    if root.is_file() {
        return (vec![root.to_path_buf()], vec![]);
    }
    let mut manifests = Vec::new();
    let mut data = Vec::new();
    for entry in ignore::WalkBuilder::new(root)
        .hidden(false)
        .standard_filters(false)
        .build()
        .flatten()
    {
        let p = entry.path();
        if entry.file_type().is_some_and(|t| t.is_file()) {
            if p.file_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("manifest.json"))
            {
                manifests.push(p.to_path_buf());
            } else if is_data_file(p) {
                data.push(p.to_path_buf());
            }
        }
    }
    let mut notes = Vec::new();
    let runs: Vec<Run> = manifests
        .iter()
        .filter_map(|m| read_manifest(m, &mut notes))
        .collect();
    let run_dirs: BTreeSet<&Path> = runs.iter().map(|r| r.dir.as_path()).collect();
    // The newest run of each export and month.
    let mut newest: BTreeMap<(String, String), &Run> = BTreeMap::new();
    for run in &runs {
        let key = (run.export.clone(), run.month.clone());
        match newest.get(&key) {
            Some(old) if old.time >= run.time => {}
            _ => {
                newest.insert(key, run);
            }
        }
    }
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    for run in newest.values() {
        for blob in &run.blobs {
            match locate(root, &run.dir, blob) {
                Some(p) => {
                    files.insert(p);
                }
                None => notes.push(format!(
                    "{}: blob '{blob}' listed in the manifest was not found",
                    run.dir.join("manifest.json").display()
                )),
            }
        }
    }
    // Data files outside every run folder are read as they are.
    for f in data {
        if !run_dirs.iter().any(|d| f.starts_with(d)) {
            files.insert(f);
        }
    }
    (files.into_iter().collect(), notes)
}

fn read_manifest(path: &Path, notes: &mut Vec<String>) -> Option<Run> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| notes.push(format!("{}: {e}", path.display())))
        .ok()?;
    let v: Value = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text))
        .map_err(|e| notes.push(format!("{}: not JSON: {e}", path.display())))
        .ok()?;
    let s = |ptr: &str| v.pointer(ptr).and_then(Value::as_str).map(str::to_string);
    let dir = path.parent()?.to_path_buf();
    let export = s("/exportConfig/resourceId")
        .or_else(|| s("/exportConfig/exportName"))
        .unwrap_or_else(|| dir.display().to_string());
    let month = s("/runInfo/startDate")
        .map(|d| d.chars().take(7).collect())
        .unwrap_or_default();
    let time = s("/runInfo/submittedTime").unwrap_or_else(|| modified(path));
    let blobs = v
        .get("blobs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|b| {
                    b.get("blobName")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Run {
        export,
        month,
        time,
        dir,
        blobs,
    })
}

/// The manifest file's modification time as a sortable string (when `runInfo.submittedTime` is missing).
fn modified(path: &Path) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| jiff::Timestamp::from_second(d.as_secs() as i64).ok())
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A blob is found under PATH by its container-relative path, else by its file name beside `manifest.json`. A
/// blob name that climbs out (`..`) or names a drive is not followed: a manifest never reads outside PATH.
fn locate(root: &Path, run_dir: &Path, blob: &str) -> Option<PathBuf> {
    let rel = blob.trim_start_matches(['/', '\\']);
    let mut p = Path::new(rel);
    if !p.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    }) {
        return None;
    }
    loop {
        let candidate = root.join(p);
        if candidate.is_file() {
            return Some(candidate);
        }
        // The user may have downloaded below the container root: drop leading folders one by one.
        let mut comps = p.components();
        comps.next()?;
        p = comps.as_path();
        if p.as_os_str().is_empty() {
            break;
        }
    }
    let beside = run_dir.join(Path::new(rel).file_name()?);
    beside.is_file().then_some(beside)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest's blob names are read under PATH only: `..` never climbs out of it.
    #[test]
    fn blob_names_stay_under_the_path() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("costs");
        let run = root.join("focus/20260601-20260630/run-a");
        std::fs::create_dir_all(&run).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("secret.csv"), "x\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(run.join("part_0.csv"), "x\n").unwrap_or_else(|e| panic!("{e}"));
        let manifest = serde_json::json!({
            "runInfo": {"submittedTime": "2026-06-08T08:04:07Z", "startDate": "2026-06-01T00:00:00"},
            "blobs": [
                {"blobName": "../secret.csv"},
                {"blobName": "focus/../../secret.csv"},
                {"blobName": "/container/focus/20260601-20260630/run-a/part_0.csv"}
            ]
        });
        std::fs::write(run.join("manifest.json"), manifest.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        let (files, notes) = select(&root);
        assert_eq!(files, [run.join("part_0.csv")]);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes.iter().all(|n| n.contains("was not found")),
            "{notes:?}"
        );
    }
}
