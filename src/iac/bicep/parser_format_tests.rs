//! Parser tests for what `bicep format` and the newest templates write (layouts, escapes, resource-derived
//! types, decorated tuple items), and an opt-in run over a directory of real templates.

use super::ast::*;
use super::parse;

fn ok(src: &str) -> Vec<Stmt> {
    let file = parse(src);
    assert!(
        file.errors.is_empty(),
        "unexpected errors {:?} in\n{src}",
        file.errors
    );
    file.statements
}

fn one(src: &str) -> StmtKind {
    let mut statements = ok(src);
    assert_eq!(statements.len(), 1, "{statements:?}");
    statements.remove(0).kind
}

fn resource(src: &str) -> ResourceDecl {
    match one(src) {
        StmtKind::Resource(r) => r,
        other => panic!("not a resource: {other:?}"),
    }
}

fn var_value(src: &str) -> Expr {
    match one(src) {
        StmtKind::Var { value, .. } => value,
        other => panic!("not a var: {other:?}"),
    }
}

fn errors(src: &str) -> (Vec<Stmt>, Vec<SyntaxError>) {
    let file = parse(src);
    (file.statements, file.errors)
}

#[test]
fn bodies_that_bicep_format_moves_to_the_next_line() {
    // `bicep format` breaks a long declaration after `=`, even with a comment between.
    let StmtKind::Module(m) =
        one("module m './m.bicep' =\n  // why\n  if (deploy) {\n    name: 'm'\n  }\n")
    else {
        panic!("not a module")
    };
    assert!(matches!(m.body.kind, ExprKind::If { .. }));
    assert!(
        m.body
            .body_object()
            .and_then(|b| b.property("name"))
            .is_some()
    );
    let r = resource(
        "resource r 'Microsoft.Web/sites@2023-01-01' =\n  if (deploy) {\n    name: 'r'\n    resource c 'config' =\n      if (x) {\n        name: 'web'\n      }\n  }\n",
    );
    let object = r.body.body_object().expect("object body");
    let ExprKind::Object(items) = &object.kind else {
        panic!()
    };
    assert!(
        matches!(&items[1], ObjectItem::Resource(c) if matches!(c.body.kind, ExprKind::If { .. }))
    );
    for src in [
        "module m './m.bicep' =\n  [for s in sites: {\n    name: s\n  }]\n",
        "resource r 'Microsoft.Web/sites@2023-01-01' = [\n  for s in sites: {\n    name: s\n  }\n]\n",
        "resource r 'Microsoft.Web/sites@2023-01-01' existing =\n  {\n    name: 'r'\n  }\n",
    ] {
        assert_eq!(ok(src).len(), 1, "{src}");
    }
    // A statement after a dangling `=` is still a statement, not the body.
    let (statements, errors) = errors("module m './m.bicep' =\nparam p string\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(matches!(
        statements.last().map(|s| &s.kind),
        Some(StmtKind::Param { .. })
    ));
}

#[test]
fn a_union_type_may_start_on_the_line_after_the_parameter_name() {
    let StmtKind::Param { ty, value, .. } =
        one("@description('How')\nparam createMode\n  | 'Default'\n  | 'Copy' = 'Default'\n")
    else {
        panic!("not a param")
    };
    assert!(matches!(ty.map(|t| t.kind), Some(TypeKind::Union(m)) if m.len() == 2));
    assert!(matches!(value.map(|v| v.kind), Some(ExprKind::String(s)) if s == "Default"));
    // In a `.bicepparam` file a bare `param name` is still a value given elsewhere.
    let statements = ok("using './main.bicep'\n@inline()\nparam name\nparam other = 1\n");
    assert!(matches!(
        &statements[1].kind,
        StmtKind::Param {
            ty: None,
            value: None,
            ..
        }
    ));
}

#[test]
fn surrogate_pairs_written_as_two_escapes_are_one_character() {
    let value = var_value("var s = '\\u{D801}\\u{DC37}'\n");
    assert_eq!(value.kind, ExprKind::String("\u{10437}".into()));
    let value = var_value("var s = '\\u{10437}-\\u{20}'\n");
    assert_eq!(value.kind, ExprKind::String("\u{10437}- ".into()));
    // A surrogate alone is kept as the replacement character, not an error; past U+10FFFF is an error.
    assert_eq!(
        var_value("var s = '\\u{D801}x'\n").kind,
        ExprKind::String("\u{FFFD}x".into())
    );
    assert_eq!(errors("var s = '\\u{110000}'\n").1.len(), 1);
}

#[test]
fn resource_derived_types_and_decorated_tuple_items() {
    let StmtKind::Param { ty: Some(ty), .. } =
        one("param n sys.resourceInput<'Microsoft.Storage/storageAccounts@2023-01-01'>.name\n")
    else {
        panic!("not a typed param")
    };
    let TypeKind::Property { base, name } = ty.kind else {
        panic!("{ty:?}")
    };
    assert_eq!(name, "name");
    assert!(matches!(base.kind, TypeKind::Generic { name, .. } if name == "sys.resourceInput"));
    ok(
        "type t = {\n  a: resourceOutput<\n    'Microsoft.Storage/storageAccounts@2023-01-01'\n  >.properties.primaryEndpoints\n  b: resourceInput</* c */ 'Microsoft.KeyVault/vaults@2022-07-01' /* d */>.properties.accessPolicies[*]\n}\n",
    );
    for src in [
        "type t = [@discriminator('type') typeA | typeB, string]\n",
        "type t = [@discriminator('type'), typeA | typeB | { type: 'c', value: object }, string]\n",
        "type t = [typeA, typeB, @discriminator('type'), typeC]\n",
        "type t = [\n  @discriminator('type')\n  typeA | typeB\n  string\n]\n",
    ] {
        let StmtKind::Type { ty, .. } = one(src) else {
            panic!("not a type")
        };
        assert!(matches!(ty.kind, TypeKind::Tuple(_)), "{src}");
    }
}

/// Parse every `.bicep` file under `$AZENGAGE_BICEP_CORPUS` (e.g. a checkout of the Bicep compiler's samples or
/// of the Azure Verified Modules) and fail listing each error. Run with
/// `AZENGAGE_BICEP_CORPUS=DIR cargo test --lib external_bicep_corpus -- --ignored --nocapture`.
#[test]
#[ignore = "needs AZENGAGE_BICEP_CORPUS, a directory of real templates"]
fn external_bicep_corpus() {
    let Some(root) = std::env::var_os("AZENGAGE_BICEP_CORPUS") else {
        return;
    };
    let mut stack = vec![std::path::PathBuf::from(root)];
    let (mut files, mut failures) = (0, Vec::new());
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "bicep" | "bicepparam") {
                continue;
            }
            // Read as the scanners read (BOM, invalid UTF-8), so the parser sees what it sees in a run.
            let bytes = std::fs::read(&path).unwrap_or_default();
            let text =
                crate::iac::source::decode(&path.display().to_string(), bytes, &mut Vec::new());
            files += 1;
            let index = crate::iac::source::LineIndex::new(&text);
            for e in parse(&text).errors {
                let (line, column) = index.line_col(&text, e.offset);
                failures.push(format!("{}:{line}:{column}: {}", path.display(), e.message));
            }
        }
    }
    eprintln!("{files} files, {} errors", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
