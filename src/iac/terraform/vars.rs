//! Input variables: what a module declares (`variable` blocks: default, `sensitive`) and the values a root
//! module gets from its variable files.
//!
//! Terraform applies variable files in a fixed order, later ones overriding earlier ones: `terraform.tfvars`,
//! `terraform.tfvars.json`, then `*.auto.tfvars` / `*.auto.tfvars.json` in lexical order. After them come the
//! files a deployment passes with `-var-file` (azd passes `main.tfvars.json`, the conventional file of a root
//! applied unless a workflow step says otherwise), then `-var` values. Other `*.tfvars` files beside the code
//! (`dev.tfvars`, `prod.tfvars`) apply only when a deploy workflow names them: which one a pipeline picks is not
//! known otherwise.
//!
//! azd placeholders in the values (`"location": "${AZURE_LOCATION}"`) are filled from the plan's environment
//! values; one whose variable is not known makes the variable unknown, and is remembered so a location can
//! say where it would come from.

use super::eval;
use super::parse::{ParsedFile, is_json, parse_body};
use crate::iac::env::{Resolved, substitute, unknown_placeholder};
use crate::iac::source::read_source;
use crate::iac::{ParamSet, ScanOptions};
use crate::model::{Diagnostic, Severity, path_string};
use hcl::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The `variable` blocks of a module.
#[derive(Debug, Clone, Default)]
pub(crate) struct Variables {
    /// Declared variables with a default that evaluates (a variable without one is unknown until set).
    pub defaults: hcl::Map<String, Value>,
    /// Variables declared `sensitive = true`.
    pub sensitive: BTreeSet<String>,
}

/// Collect the `variable` blocks of all files of a module.
pub(crate) fn declared(files: &[&ParsedFile]) -> Variables {
    let mut vars = Variables::default();
    let ctx = eval::empty_context();
    for decl in files
        .iter()
        .flat_map(|f| &f.decls)
        .filter(|d| d.keyword == "variable")
    {
        let name = decl.label(0).to_string();
        if let Some(value) = decl.attr("default").and_then(|e| eval::evaluate(e, ctx)) {
            vars.defaults.insert(name.clone(), value);
        }
        if matches!(decl.attr("sensitive"), Some(hcl::Expression::Bool(true))) {
            vars.sensitive.insert(name);
        }
    }
    vars
}

/// azd's variable file for a Terraform root (`infra/main.tfvars.json`), passed with `-var-file`.
pub(crate) const AZD_TFVARS: &str = "main.tfvars.json";

/// Whether a file name may be a variable file Terraform or azd loads by itself.
pub(crate) fn is_var_file(name: &str) -> bool {
    precedence(name, true).is_some()
}

/// Variable files Terraform loads by itself from a root module in `dir`, of the names listed there
/// (see `cache::Listing`), in the order it applies them; with `conventional`, azd's `main.tfvars.json` last.
pub(crate) fn tfvars_among(dir: &Path, names: &[String], conventional: bool) -> Vec<PathBuf> {
    let mut names: Vec<(u8, &String)> = names
        .iter()
        .filter_map(|n| Some((precedence(n, conventional)?, n)))
        .collect();
    names.sort();
    names.into_iter().map(|(_, n)| dir.join(n)).collect()
}

fn precedence(name: &str, conventional: bool) -> Option<u8> {
    match name {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some(2),
        AZD_TFVARS if conventional => Some(3),
        _ => None,
    }
}

/// The assignments of one variable file, in file order. Values that are not constants are skipped.
pub(crate) fn read_tfvars(
    path: &Path,
    opts: &ScanOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Value)> {
    let Some(text) = read_source(path, opts, diags) else {
        return Vec::new();
    };
    let file = path_string(path);
    if is_json(path) {
        return match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => map.into_iter().collect(),
            Ok(_) => Vec::new(),
            Err(e) => {
                let message = format!("invalid JSON: {e}");
                diags.push(Diagnostic::parse_error(
                    file,
                    e.line() as u32,
                    e.column() as u32,
                    message,
                ));
                Vec::new()
            }
        };
    }
    match parse_body(&text) {
        Ok(body) => {
            let ctx = eval::empty_context();
            let body = hcl::Body::from(body);
            body.attributes()
                .filter_map(|a| eval::evaluate(a.expr(), ctx).map(|v| (a.key().to_string(), v)))
                .collect()
        }
        Err(failure) => {
            diags.push(failure.diagnostic(&file));
            Vec::new()
        }
    }
}

/// What a root module's variables are: known values, and the variables an unknown azd placeholder was given
/// (name → `${VAR}`).
#[derive(Debug, Clone, Default)]
pub(crate) struct RootValues {
    /// Known values (declared defaults overridden by the variable files and `-var`s).
    pub values: hcl::Map<String, Value>,
    /// Variables left unknown by a placeholder, with the placeholder.
    pub placeholders: std::collections::BTreeMap<String, String>,
    /// The variable files applied, in order.
    pub files: Vec<PathBuf>,
}

/// The variable values of a root module in `dir` deployed with `set`: declared defaults overridden by the
/// files Terraform loads itself, the set's files, then its inline values.
///
/// `var_files` are the names in `dir` that may be variable files (listed once per directory however many
/// times it is evaluated).
pub(crate) fn root_values(
    dir: &Path,
    var_files: &[String],
    declared: &Variables,
    set: &ParamSet,
    opts: &ScanOptions,
    diags: &mut Vec<Diagnostic>,
) -> RootValues {
    let mut out = RootValues {
        values: declared.defaults.clone(),
        ..RootValues::default()
    };
    let mut files = tfvars_among(dir, var_files, set.conventional);
    files.extend(set.files.iter().cloned());
    for path in files {
        if !path.is_file() {
            let message = format!("variable file '{}' not found", path_string(&path));
            let file = path_string(dir);
            diags.push(Diagnostic::new(
                file,
                0,
                0,
                Severity::Warning,
                "module-not-found",
                message,
            ));
            continue;
        }
        for (name, value) in read_tfvars(&path, opts, diags) {
            set_value(&mut out, name, value, &opts.plan.env);
        }
        out.files.push(path);
    }
    for (name, text) in &set.values {
        set_value(&mut out, name.clone(), inline_value(text), &opts.plan.env);
    }
    out
}

/// Record one assignment, azd placeholders filled or the variable made unknown.
fn set_value(
    out: &mut RootValues,
    name: String,
    value: Value,
    env: &std::collections::BTreeMap<String, String>,
) {
    let Value::String(text) = &value else {
        out.placeholders.remove(&name);
        out.values.insert(name, value);
        return;
    };
    match substitute(text, env) {
        Resolved::Known(known) => {
            out.placeholders.remove(&name);
            // `"useAPIM": "${USE_APIM=false}"` gives a `bool` variable its value, as Terraform converts it.
            let value = match known.as_str() {
                "true" | "false" if text.contains("${") => Value::Bool(known == "true"),
                _ => Value::String(known),
            };
            out.values.insert(name, value);
        }
        Resolved::Unknown(first) => {
            let placeholder = unknown_placeholder(text, env).unwrap_or(first);
            out.values.shift_remove(&name);
            out.placeholders.insert(name, placeholder);
        }
    }
}

/// A `-var name=value` value: a number or boolean when it reads as one, else the string.
fn inline_value(text: &str) -> Value {
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::terraform::parse::parse_hcl;

    /// The names in `dir` that may be variable files, as the module cache lists them.
    fn var_file_names(dir: &Path) -> Vec<String> {
        super::super::cache::Listing::of(dir).var_files
    }

    #[test]
    fn defaults_and_sensitive_flags() {
        let text = r#"
variable "location" {
  type    = string
  default = "westeurope"
}
variable "prefix" {
  type = string
}
variable "admin_password" {
  type      = string
  sensitive = true
}
"#;
        let file = ParsedFile {
            path: "v.tf".into(),
            file: "v.tf".into(),
            decls: parse_hcl("v.tf", text, &mut vec![]),
        };
        let vars = declared(&[&file]);
        assert_eq!(
            vars.defaults.get("location").and_then(Value::as_str),
            Some("westeurope")
        );
        assert!(!vars.defaults.contains_key("prefix"));
        assert!(vars.sensitive.contains("admin_password"));
    }

    #[test]
    fn variable_files_apply_in_terraform_order() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(
            "terraform.tfvars",
            "location = \"westeurope\"\nprefix = \"app\"\n",
        );
        write("b.auto.tfvars", "location = \"northeurope\"\n");
        write(
            "a.auto.tfvars.json",
            "{\"location\": \"uksouth\", \"sku\": \"S1\"}",
        );
        write("prod.tfvars", "sku = \"P1v3\"\nbroken = var.x\n");
        write("notes.txt", "location = \"eastus\"\n");
        write("main.tfvars.json", "{\"prefix\": \"azd\"}");
        let names: Vec<_> = tfvars_among(dir.path(), &var_file_names(dir.path()), true)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        // `prod.tfvars` applies only when a deployment names it (`-var-file`).
        assert_eq!(
            names,
            [
                "terraform.tfvars",
                "a.auto.tfvars.json",
                "b.auto.tfvars",
                "main.tfvars.json"
            ]
        );
        let mut diags = vec![];
        let set = ParamSet::default();
        let opts = ScanOptions::default();
        let root = root_values(
            dir.path(),
            &var_file_names(dir.path()),
            &Variables::default(),
            &set,
            &opts,
            &mut diags,
        );
        assert!(diags.is_empty());
        let values = &root.values;
        assert_eq!(
            values.get("location").and_then(Value::as_str),
            Some("northeurope")
        );
        assert_eq!(values.get("sku").and_then(Value::as_str), Some("S1"));
        assert_eq!(values.get("prefix").and_then(Value::as_str), Some("azd"));
        let named = ParamSet {
            files: vec![dir.path().join("prod.tfvars")],
            values: vec![("replicas".into(), "3".into())],
            conventional: false,
        };
        let root = root_values(
            dir.path(),
            &var_file_names(dir.path()),
            &Variables::default(),
            &named,
            &opts,
            &mut diags,
        );
        assert_eq!(root.values.get("sku").and_then(Value::as_str), Some("P1v3"));
        assert_eq!(
            root.values.get("prefix").and_then(Value::as_str),
            Some("app")
        );
        assert_eq!(root.values.get("replicas"), Some(&Value::from(3)));
        assert!(!root.values.contains_key("broken"));
    }

    #[test]
    fn azd_placeholders_take_environment_values_or_stay_unknown() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.tfvars.json"),
            r#"{"location": "${AZURE_LOCATION}", "environment_name": "${AZURE_ENV_NAME}", "sku": "${SKU=B1}"}"#,
        )
        .unwrap();
        let mut declared = Variables::default();
        declared
            .defaults
            .insert("location".into(), Value::String("eastus".into()));
        let mut opts = ScanOptions::default();
        let root = root_values(
            dir.path(),
            &var_file_names(dir.path()),
            &declared,
            &ParamSet::default(),
            &opts,
            &mut vec![],
        );
        // Given a placeholder, the variable is unknown: not its default, not the placeholder text.
        assert!(!root.values.contains_key("location"));
        assert_eq!(root.placeholders["location"], "${AZURE_LOCATION}");
        assert_eq!(root.values.get("sku").and_then(Value::as_str), Some("B1"));
        opts.plan = std::sync::Arc::new(crate::iac::DeployPlan::with_env(
            [("AZURE_LOCATION".to_string(), "swedencentral".to_string())].into(),
        ));
        let root = root_values(
            dir.path(),
            &var_file_names(dir.path()),
            &declared,
            &ParamSet::default(),
            &opts,
            &mut vec![],
        );
        assert_eq!(
            root.values.get("location").and_then(Value::as_str),
            Some("swedencentral")
        );
        assert!(!root.placeholders.contains_key("location"));
    }

    #[test]
    fn a_broken_variable_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("terraform.tfvars"),
            "location = \n= \"x\"\n",
        )
        .unwrap();
        let mut diags = vec![];
        read_tfvars(
            &dir.path().join("terraform.tfvars"),
            &ScanOptions::default(),
            &mut diags,
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "parse");
        assert!(diags[0].line >= 1);
    }
}
