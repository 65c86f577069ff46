//! Input variables: what a module declares (`variable` blocks: default, `sensitive`) and the values a root
//! module gets from its variable files.
//!
//! Terraform applies variable files in a fixed order, later ones overriding earlier ones: `terraform.tfvars`,
//! `terraform.tfvars.json`, then `*.auto.tfvars` / `*.auto.tfvars.json` in lexical order. Other `*.tfvars` files
//! next to the root module are what a pipeline passes with `-var-file`; they are applied last, in lexical order,
//! because a file the repository keeps next to its code is what it deploys with.

use super::eval;
use super::parse::{ParsedFile, is_json, parse_body};
use crate::iac::ScanOptions;
use crate::iac::source::read_source;
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
    let ctx = eval::Scope::default().context();
    for decl in files
        .iter()
        .flat_map(|f| &f.decls)
        .filter(|d| d.keyword == "variable")
    {
        let name = decl.label(0).to_string();
        if let Some(value) = decl.attr("default").and_then(|e| eval::evaluate(e, &ctx)) {
            vars.defaults.insert(name.clone(), value);
        }
        if matches!(decl.attr("sensitive"), Some(hcl::Expression::Bool(true))) {
            vars.sensitive.insert(name);
        }
    }
    vars
}

/// Variable files next to a root module, in the order Terraform applies them (see the module docs).
pub(crate) fn tfvars_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".tfvars") || n.ends_with(".tfvars.json"))
        .collect();
    names.sort_by_key(|n| (precedence(n), n.clone()));
    names.into_iter().map(|n| dir.join(n)).collect()
}

fn precedence(name: &str) -> u8 {
    match name {
        "terraform.tfvars" => 0,
        "terraform.tfvars.json" => 1,
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => 2,
        _ => 3,
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
                diags.push(Diagnostic::new(
                    file,
                    e.line() as u32,
                    e.column() as u32,
                    Severity::Error,
                    "parse",
                    message,
                ));
                Vec::new()
            }
        };
    }
    match parse_body(&text) {
        Ok(body) => {
            let ctx = eval::Scope::default().context();
            let body = hcl::Body::from(body);
            body.attributes()
                .filter_map(|a| eval::evaluate(a.expr(), &ctx).map(|v| (a.key().to_string(), v)))
                .collect()
        }
        Err(failure) => {
            let message = format!("cannot parse HCL: {}", failure.message);
            let (line, column) = (failure.line, failure.column);
            diags.push(Diagnostic::new(
                file,
                line,
                column,
                Severity::Error,
                "parse",
                message,
            ));
            Vec::new()
        }
    }
}

/// The variable values of a root module in `dir`: declared defaults overridden by its variable files.
pub(crate) fn root_values(
    dir: &Path,
    declared: &Variables,
    opts: &ScanOptions,
    diags: &mut Vec<Diagnostic>,
) -> hcl::Map<String, Value> {
    let mut values = declared.defaults.clone();
    for path in tfvars_files(dir) {
        values.extend(read_tfvars(&path, opts, diags));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::terraform::parse::parse_hcl;

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
        let names: Vec<_> = tfvars_files(dir.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "terraform.tfvars",
                "a.auto.tfvars.json",
                "b.auto.tfvars",
                "prod.tfvars"
            ]
        );
        let mut diags = vec![];
        let values = root_values(
            dir.path(),
            &Variables::default(),
            &ScanOptions::default(),
            &mut diags,
        );
        assert!(diags.is_empty());
        assert_eq!(
            values.get("location").and_then(Value::as_str),
            Some("northeurope")
        );
        assert_eq!(values.get("sku").and_then(Value::as_str), Some("P1v3"));
        assert_eq!(values.get("prefix").and_then(Value::as_str), Some("app"));
        assert!(!values.contains_key("broken"));
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
