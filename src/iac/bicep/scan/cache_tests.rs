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

/// More templates than one part holds, sharing modules across part boundaries, with parameter files (their
/// values are read by the scanner that forks the parts), a misspelt region and a syntax error in a shared
/// module: scanned in parallel parts, everything comes out as one scanner on one thread gives it.
#[test]
fn parallel_parts_give_what_one_scanner_gives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    for m in 0..5 {
        write(
            &format!("modules/m{m}.bicep"),
            &format!(
                "param location string\nparam name string\n\nresource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {{\n  name: '${{name}}{m}'\n  location: location\n}}\n{}\noutput region string = location\n",
                if m == 3 { "var broken = (\n" } else { "" }
            ),
        );
    }
    for i in 0..130 {
        let m = i % 5;
        write(
            &format!("apps/app{i:03}/main.bicep"),
            &format!(
                "param location string = 'westeurope'\n\nmodule st '../../modules/m{m}.bicep' = {{\n  name: 'st{i}'\n  params: {{\n    name: 'st{i}'\n    location: location\n  }}\n}}\n\nresource plan 'Microsoft.Web/serverfarms@2023-12-01' = if (true) {{\n  name: 'plan{i}'\n  location: location\n}}\n"
            ),
        );
        if i % 17 == 0 {
            write(
                &format!("apps/app{i:03}/main.bicepparam"),
                "using './main.bicep'\n\nparam location = 'westeurop'\n",
            );
        }
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![dir.path().to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let scan_with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            let opts = ScanOptions::default();
            let mut scanner = Scanner::new(&opts);
            scanner.run(&files);
            scanner.finish()
        })
    };
    let one = scan_with(1);
    let parts = scan_with(3);
    assert_eq!(one.units.len(), 135, "130 apps and 5 modules");
    assert!(one.resources.len() >= 390, "{}", one.resources.len());
    assert!(one.diagnostics.iter().any(|d| d.code == "parse"));
    assert!(one.diagnostics.iter().any(|d| d.code == "unknown-region"));
    assert_eq!(parts.resources, one.resources);
    assert_eq!(parts.units, one.units);
    assert_eq!(parts.edges, one.edges);
    assert_eq!(parts.applied, one.applied);
    let sorted = |found: &Found| {
        let mut d: Vec<String> = found.diagnostics.iter().map(ToString::to_string).collect();
        d.sort();
        d
    };
    assert_eq!(sorted(&parts), sorted(&one));
}
