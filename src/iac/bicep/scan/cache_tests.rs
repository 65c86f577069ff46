use super::*;
use crate::iac::{Found, ScanOptions};

/// Templates sharing a module, one with a `.bicepparam` whose misspelt region reaches a resource through
/// the module: what the module, its outputs and the parameter file's positions contribute must not depend on
/// whether their parsed files were kept or dropped and read again between templates.
fn scan(dir: &Path, cache_bytes: usize) -> Found {
    let opts = ScanOptions::default();
    let mut scanner = Scanner::new(&opts);
    scanner.cache_bytes = cache_bytes;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.sort();
    scanner.run(&files);
    scanner.finish()
}

#[test]
fn dropping_parsed_files_between_templates_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write(
        "storage.bicep",
        "param location string\nparam name string\n\nresource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: name\n  location: location\n  kind: 'StorageV2'\n}\n\noutput region string = location\n",
    );
    for i in 0..6 {
        write(
            &format!("app{i}.bicep"),
            &format!(
                "param location string = 'westeurope'\n\nmodule st './storage.bicep' = {{\n  name: 'st{i}'\n  params: {{\n    name: 'st{i}'\n    location: location\n  }}\n}}\n\nresource plan 'Microsoft.Web/serverfarms@2023-12-01' = {{\n  name: 'plan{i}'\n  location: location\n  tags: {{\n    storage: st.outputs.region\n  }}\n}}\n"
            ),
        );
    }
    write(
        "app3.bicepparam",
        "using './app3.bicep'\n\nparam location = 'westeurop'\n",
    );
    let kept = scan(dir.path(), usize::MAX);
    let dropped = scan(dir.path(), 0);
    assert_eq!(dropped.resources, kept.resources);
    assert_eq!(dropped.diagnostics, kept.diagnostics);
    // The misspelt region is reported at the parameter file's line, read again after it was dropped.
    let typo: Vec<_> = dropped
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-region")
        .map(|d| (d.file.ends_with("app3.bicepparam"), d.line))
        .collect();
    assert!(
        !typo.is_empty() && typo.iter().all(|t| *t == (true, 3)),
        "{typo:?}"
    );
    // Five plans in westeurope, app3's unplaced; the module's account placed too, listed once per template
    // that reaches it (each template is its own scan unit), app3's copy unplaced.
    let located: Vec<_> = kept
        .resources
        .iter()
        .filter(|r| r.location.as_deref() == Some("westeurope"))
        .map(|r| {
            Path::new(&r.file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    let mut located = located;
    located.sort();
    let expected = [
        "app0.bicep",
        "app1.bicep",
        "app2.bicep",
        "app4.bicep",
        "app5.bicep",
        "storage.bicep",
        "storage.bicep",
        "storage.bicep",
        "storage.bicep",
        "storage.bicep",
    ];
    assert_eq!(located, expected);
}
