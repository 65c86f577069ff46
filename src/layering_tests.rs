//! ARCHITECTURE.md's layering, checked from the code: every `crate::` path outside test code names a module of
//! the same layer or one below. A new top-level module must be given a layer here (the test says so).

use std::collections::BTreeSet;
use std::path::Path;

/// Top-level modules by layer, lowest first: files → inventory → activity → assessment → report → sinks, with
/// the shared vocabulary below everything and `github/`, `action/`, `cli/` at the edge.
const LAYERS: &[&[&str]] = &[
    // Shared vocabulary: leaf modules every layer may use.
    &[
        "exit", "severity", "paths", "plural", "model", "slug", "scratch", "distinct", "caught",
    ],
    // Reference data and the repository's own settings.
    &["catalog", "config"],
    // Files.
    &["discover", "iac"],
    // Inventory (with what is deployed).
    &["deploy", "inventory"],
    // Activity and real usage.
    &["history", "costs"],
    // Assessment.
    &["assess"],
    // The scan's result and the stages that assemble it.
    &["scan", "pipeline", "diff", "account"],
    // Printers.
    &["report"],
    // The edge: the only modules that touch the network or the process.
    &["github", "action", "cli"],
];

/// Imports that reach up a layer on purpose, each said in ARCHITECTURE.md: (from, to, why).
const ALLOWED_UPWARD: &[(&str, &str, &str)] = &[(
    "deploy",
    "history",
    "deploy workflows are read with history::workflows, the analysis activity uses (files only)",
)];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The code of a file before its test module, without comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names as `crate::module`.
fn imported(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .filter_map(|(at, m)| code.get(at + m.len()..))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_reaches_up_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut problems = Vec::new();
    for path in paths {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or_default();
        if ["lib.rs", "main.rs"].contains(&name)
            || name.ends_with("tests.rs")
            || name == "test_support.rs"
        {
            continue;
        }
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(own) = layer(module) else {
            problems.push(format!(
                "{rel}: module `{module}` has no layer in src/layering_tests.rs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for target in imported(&code(&text)) {
            let Some(theirs) = layer(&target) else {
                problems.push(format!("{rel}: `crate::{target}` has no layer"));
                continue;
            };
            let allowed = ALLOWED_UPWARD
                .iter()
                .any(|(f, t, _)| *f == module && *t == target);
            if theirs > own && !allowed {
                problems.push(format!("{rel}: `{module}` reaches up to `crate::{target}`"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_imports_and_skips_comments_and_tests() {
    let text = "use crate::report::text;\n// crate::cli in a comment\nfn f() { crate::exit::Exit::Ok; }\n\
                #[cfg(test)]\nmod tests { use crate::action; }\n";
    let found: Vec<String> = imported(&code(text)).into_iter().collect();
    assert_eq!(found, ["exit", "report"]);
    assert!(layer("report") > layer("assess"));
    assert_eq!(layer("nothing"), None);
}
