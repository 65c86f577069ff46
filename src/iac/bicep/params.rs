//! Parameter files: `.bicepparam` (`using`, `extends`, `param x = expr`, `var`) and ARM parameter JSON
//! (azd's `main.parameters.json` beside `main.bicep`). Their values feed the template they apply to, which is
//! how `param location string = resourceGroup().location` gets a real region.

use super::ast::StmtKind;
use super::resolve::{Env, Known, Origin, ParamValues, Value};
use super::scan::Scanner;
use crate::model::{Severity, path_string};
use crate::paths::lexical;
use std::path::{Path, PathBuf};

/// How long an `extends` chain may be (it also stops cycles).
const MAX_EXTENDS: u32 = 8;

/// The template a `.bicepparam` file applies to (`using './main.bicep'`; `None` for `using none` or a
/// registry reference) and the values it sets.
pub(super) fn param_file(scanner: &mut Scanner, id: usize) -> (Option<PathBuf>, ParamValues) {
    let Some(file) = scanner.file(id) else {
        return (None, ParamValues::default());
    };
    let template = file.tree.statements.iter().find_map(|s| match &s.kind {
        StmtKind::Using { path: Some(path) } if is_local(path) => Some((
            lexical(&file.path.parent().unwrap_or(Path::new("")).join(path)),
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
        return ParamValues::default();
    };
    let mut base = ParamValues::default();
    for stmt in &file.tree.statements {
        if let StmtKind::Extends { path } = &stmt.kind
            && is_local(path)
            && depth < MAX_EXTENDS
        {
            let target = lexical(&file.path.parent().unwrap_or(Path::new("")).join(path));
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
    let mut env = Env::new(id, &file.tree.statements, &base);
    let environment = scanner.opts.plan.env.clone();
    env.environment = Some(&environment);
    let mut out = base.clone();
    for stmt in &file.tree.statements {
        if let StmtKind::Param {
            name,
            ty: None,
            value: Some(value),
        } = &stmt.kind
        {
            out.insert(name.to_string(), env.eval(value));
        }
    }
    out
}

/// Values for a template that no `.bicepparam` among the scanned files names: `<stem>.bicepparam` beside
/// it, else `<stem>.parameters.json` (azd's convention); with the file they came from. Empty when there is
/// neither.
pub(super) fn sibling_values(
    scanner: &mut Scanner,
    template: &Path,
) -> (Option<PathBuf>, ParamValues) {
    let bicepparam = template.with_extension("bicepparam");
    if bicepparam.is_file()
        && let Some(id) = scanner.load(&bicepparam)
    {
        return (Some(bicepparam), values(scanner, id, 0));
    }
    let json = template.with_extension("parameters.json");
    if !json.is_file() {
        return (None, ParamValues::default());
    }
    let values = json_file_values(scanner, &json);
    (Some(json), values)
}

/// The values of a parameter file a deployment names (`--parameters`, `-TemplateParameterFile`): a
/// `.bicepparam` or ARM parameter JSON.
pub(super) fn file_values(scanner: &mut Scanner, file: &Path) -> ParamValues {
    let is_bicepparam = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"));
    if !is_bicepparam {
        return json_file_values(scanner, file);
    }
    match scanner.load(file) {
        Some(id) => values(scanner, id, 0),
        None => ParamValues::default(),
    }
}

fn json_file_values(scanner: &mut Scanner, json: &Path) -> ParamValues {
    let opts = scanner.opts;
    let Some(map) = crate::iac::arm::read_parameter_file(json, opts, &mut scanner.diagnostics)
    else {
        return ParamValues::default();
    };
    let origin = Origin::File(path_string(json));
    map.into_iter()
        .map(|(name, value)| (name, json_value(value, &origin, &opts.plan.env)))
        .collect()
}

/// A value given inline (`--parameters sku=P1v3`): a boolean or integer when it reads as one.
pub(super) fn inline_value(text: &str, origin: &str) -> Option<Known> {
    let value = match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Str(text.to_string()),
        },
    };
    Some(Known {
        value,
        origin: Origin::File(origin.to_string()),
    })
}

/// A JSON parameter value as a known value, azd placeholders filled from the environment values known
/// (`${USE_APIM=false}` → `false`); a placeholder whose variable is unknown stays unknown (a whole-value one
/// remembers itself, so a location can name it).
fn json_value(
    value: serde_json::Value,
    origin: &Origin,
    env: &std::collections::BTreeMap<String, String>,
) -> Option<Known> {
    let value = match value {
        serde_json::Value::String(s) => match crate::iac::env::substitute(&s, env) {
            crate::iac::env::Resolved::Known(text) => Value::Str(text),
            crate::iac::env::Resolved::Unknown(_) => {
                Value::Env(crate::iac::env::unknown_placeholder(&s, env)?)
            }
        },
        serde_json::Value::Number(n) => Value::Int(n.as_i64()?),
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| json_value(item, origin, env).map(|k| k.value))
                .collect::<Option<Vec<Value>>>()?,
        ),
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
