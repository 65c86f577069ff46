//! Parameter files: `.bicepparam` (`using`, `extends`, `param x = expr`, `var`) and ARM parameter JSON
//! (azd's `main.parameters.json` beside `main.bicep`). Their values feed the template they apply to, which is
//! how `param location string = resourceGroup().location` gets a real region.

use super::ast::StmtKind;
use super::resolve::{Env, Known, Origin, ParamValues, Value};
use super::scan::{Scanner, normalize};
use crate::model::{Severity, path_string};
use std::path::{Path, PathBuf};

/// How long an `extends` chain may be (it also stops cycles).
const MAX_EXTENDS: u32 = 8;

/// The template a `.bicepparam` file applies to (`using './main.bicep'`; `None` for `using none` or a
/// registry reference) and the values it sets.
pub(super) fn param_file(scanner: &mut Scanner, id: usize) -> (Option<PathBuf>, ParamValues) {
    let Some(file) = scanner.file(id) else {
        return (None, ParamValues::new());
    };
    let template = file.tree.statements.iter().find_map(|s| match &s.kind {
        StmtKind::Using { path: Some(path) } if is_local(path) => Some((
            normalize(&file.path.parent().unwrap_or(Path::new("")).join(path)),
            s.span.start,
        )),
        _ => None,
    });
    if let Some((path, offset)) = &template
        && !path.is_file()
    {
        let message = format!(
            "template '{}' named by 'using' not found",
            path_string(path)
        );
        scanner.report(
            &file,
            *offset,
            Severity::Warning,
            "module-not-found",
            message,
        );
    }
    (template.map(|t| t.0), values(scanner, id, 0))
}

/// The values a `.bicepparam` file sets, after those of the file it `extends`.
fn values(scanner: &mut Scanner, id: usize, depth: u32) -> ParamValues {
    let Some(file) = scanner.file(id) else {
        return ParamValues::new();
    };
    let mut base = ParamValues::new();
    for stmt in &file.tree.statements {
        if let StmtKind::Extends { path } = &stmt.kind
            && is_local(path)
            && depth < MAX_EXTENDS
        {
            let target = normalize(&file.path.parent().unwrap_or(Path::new("")).join(path));
            if !target.is_file() {
                // Like a missing `using` template: the checkout lacks it, the file itself is fine.
                let message = format!(
                    "file '{}' named by 'extends' not found",
                    path_string(&target)
                );
                scanner.report(
                    &file,
                    stmt.span.start,
                    Severity::Warning,
                    "module-not-found",
                    message,
                );
                continue;
            }
            if let Some(base_id) = scanner.load(&target) {
                base = values(scanner, base_id, depth + 1);
            }
        }
    }
    let env = Env::new(id, &file.tree.statements, &base);
    let mut out = base.clone();
    for stmt in &file.tree.statements {
        if let StmtKind::Param {
            name,
            ty: None,
            value: Some(value),
        } = &stmt.kind
        {
            out.insert(name.clone(), env.eval(value));
        }
    }
    out
}

/// Values for a template that no `.bicepparam` among the scanned files names: `<stem>.bicepparam` beside
/// it, else `<stem>.parameters.json` (azd's convention). Empty when there is neither.
pub(super) fn sibling_values(scanner: &mut Scanner, template: &Path) -> ParamValues {
    let bicepparam = template.with_extension("bicepparam");
    if bicepparam.is_file()
        && let Some(id) = scanner.load(&bicepparam)
    {
        return values(scanner, id, 0);
    }
    let json = template.with_extension("parameters.json");
    if !json.is_file() {
        return ParamValues::new();
    }
    let opts = scanner.opts;
    let Some(map) = crate::iac::arm::read_parameter_file(&json, opts, &mut scanner.diagnostics)
    else {
        return ParamValues::new();
    };
    let origin = Origin::File(path_string(&json));
    map.into_iter()
        .map(|(name, value)| (name, json_value(value, &origin)))
        .collect()
}

/// A JSON parameter value as a known value. azd placeholders (`${AZURE_LOCATION}`) stay unknown.
fn json_value(value: serde_json::Value, origin: &Origin) -> Option<Known> {
    let value = match value {
        serde_json::Value::String(s) if !s.contains("${") => Value::Str(s),
        serde_json::Value::Number(n) => Value::Int(n.as_i64()?),
        serde_json::Value::Bool(b) => Value::Bool(b),
        _ => return None,
    };
    Some(Known {
        value,
        origin: origin.clone(),
    })
}

/// A path on disk rather than a registry or template-spec reference.
fn is_local(path: &str) -> bool {
    !["br:", "br/", "ts:", "ts/"]
        .iter()
        .any(|p| path.starts_with(p))
}
