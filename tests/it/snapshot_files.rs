//! No orphaned snapshot: every `.snap` file under `tests/it/` belongs to an assertion in the module its name
//! says (`it__<module path>__<name>.snap` beside that module), so a renamed test or a moved module cannot leave
//! a stale snapshot behind while insta writes a new one elsewhere.

use std::path::{Path, PathBuf};

/// Every `.snap` file under `dir`, recursively.
fn snap_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            snap_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "snap") {
            found.push(path);
        }
    }
}

/// The source file of module `it::a::b`: `tests/it/a/b.rs`.
fn module_source(root: &Path, module: &[&str]) -> PathBuf {
    let mut path = root.to_path_buf();
    for part in module {
        path.push(part);
    }
    path.with_extension("rs")
}

#[test]
fn every_snapshot_file_has_its_assertion() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut files = Vec::new();
    snap_files(&root, &mut files);
    assert!(files.len() >= 14, "{files:?}");
    let mut orphans = Vec::new();
    for file in &files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let parts: Vec<&str> = stem.split("__").collect();
        let Some((name, module)) = parts.split_last() else {
            orphans.push(format!("{}: not <crate>__<module>__<name>", file.display()));
            continue;
        };
        let module = module.get(1..).unwrap_or_default();
        let source = module_source(&root, module);
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        // A named snapshot quotes its name; an unnamed one is named after its test function.
        let asserted = text.contains(&format!("assert_snapshot!(\"{name}\""))
            || text.contains(&format!("fn {name}("));
        let beside = file.parent().and_then(Path::parent) == source.parent();
        if !(asserted && beside && !module.is_empty()) {
            orphans.push(format!(
                "{}: no assertion `{name}` in {}",
                file.display(),
                source.display()
            ));
        }
    }
    assert!(orphans.is_empty(), "{}", orphans.join("\n"));
}
