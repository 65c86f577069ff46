//! The Terraform side of [`super::SideInputs`]: one node per directory (a Terraform module) with its
//! variables, locals, module calls and the references of its resource blocks; variable files of the directory
//! give a root module's values.

use super::{
    Callers, Input, MAX_DEPTH, ModuleGraph, Provenance, Value, add_callers, hash_text, join, parent,
};
use crate::model::Resource;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// Module block arguments that are not inputs of the module.
const NOT_ARGUMENTS: &[&str] = &["source", "version"];

/// A `module` block with a local source.
#[derive(Debug, Clone, Default)]
struct ModuleCall {
    /// The directory it calls (relative to the root).
    target: Option<String>,
    /// The declaring file, for naming the call.
    file: String,
    /// Each argument.
    arguments: BTreeMap<String, Value>,
}

/// One directory.
#[derive(Debug, Clone, Default)]
struct Dir {
    /// `variable` blocks → fingerprint of `default` (0 without one).
    variables: BTreeMap<String, u64>,
    /// `locals` entries.
    locals: BTreeMap<String, Value>,
    /// `module` blocks by name.
    modules: BTreeMap<String, ModuleCall>,
    /// `resource`/`data` blocks (type, name) → what they read.
    blocks: BTreeMap<(String, String), BTreeSet<String>>,
    /// Variable files of the directory: variable → fingerprint of every file's value.
    var_files: BTreeMap<String, u64>,
}

/// Every directory with Terraform files.
#[derive(Debug, Default)]
pub(super) struct Graph {
    dirs: BTreeMap<String, Dir>,
    /// Directory → the (calling directory, module name) pairs that call it.
    callers: Callers,
}

impl Graph {
    /// Read the `.tf`, `.tfvars` and `.tfvars.json` files among `files` (relative to `root`).
    pub(super) fn read(root: &Path, files: &[String]) -> Graph {
        let mut graph = Graph::default();
        for file in files {
            let Ok(text) = std::fs::read_to_string(root.join(file)) else {
                continue;
            };
            let dir = graph.dirs.entry(parent(file).to_string()).or_default();
            if file.ends_with(".tf") {
                if let Ok(body) = hcl::parse(&text) {
                    read_module_file(dir, parent(file), file, &body);
                }
            } else if file.ends_with(".tfvars") {
                if let Ok(body) = hcl::parse(&text) {
                    for attr in body.attributes() {
                        let value = format_expr(attr.expr());
                        add_var_file_value(dir, attr.key(), file, &value);
                    }
                }
            } else if file.ends_with(".tfvars.json")
                && let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text)
            {
                for (key, value) in map {
                    add_var_file_value(dir, &key, file, &value.to_string());
                }
            }
        }
        for (dir_name, dir) in &graph.dirs {
            let calls = dir.modules.iter().map(|(m, c)| (m, c.target.as_ref()));
            add_callers(&mut graph.callers, dir_name, calls);
        }
        graph
    }

    /// The provenance of a resource declared in a `.tf` file (or resolved from a registry module block).
    pub(super) fn provenance(&self, resource: &Resource) -> Provenance {
        let dir_name = parent(&resource.file);
        let Some(dir) = self.dirs.get(dir_name) else {
            return Provenance::default();
        };
        let is_module_block = resource.via_module.is_some() && resource.source_type.contains('/');
        let reads: BTreeSet<String> = if is_module_block {
            // A registry module resolved by name: it is built from its block's arguments.
            dir.modules
                .get(&resource.name)
                .map(|m| m.arguments.values().flat_map(|v| v.reads.clone()).collect())
                .unwrap_or_default()
        } else {
            let kind = (resource.source_type.clone(), resource.name.clone());
            dir.blocks.get(&kind).cloned().unwrap_or_default()
        };
        self.provenance_of(dir_name, &reads)
    }
}

impl ModuleGraph for Graph {
    fn callers(&self) -> &Callers {
        &self.callers
    }

    fn call(&self, caller: &str, module: &str) -> Option<(String, u64)> {
        let call = self.dirs.get(caller)?.modules.get(module)?;
        let parts: Vec<String> = call
            .arguments
            .iter()
            .map(|(k, v)| format!("{k}={}", v.fingerprint))
            .collect();
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        Some((format!("{} module.{module}", call.file), hash_text(&refs)))
    }

    /// Follow one read (`var.x` or `local.y` in `dir`) to the values it comes from.
    fn resolve(
        &self,
        dir_name: &str,
        read: &str,
        depth: usize,
        seen: &mut HashSet<(String, String)>,
        out: &mut Provenance,
    ) {
        if depth > MAX_DEPTH || !seen.insert((dir_name.to_string(), read.to_string())) {
            return;
        }
        let Some(dir) = self.dirs.get(dir_name) else {
            return;
        };
        let input = |name: &str| Input {
            scope: dir_name.to_string(),
            name: name.to_string(),
        };
        if let Some(local) = read.strip_prefix("local.") {
            if let Some(value) = dir.locals.get(local) {
                out.inputs.insert(input(read), value.fingerprint);
                for next in &value.reads {
                    self.resolve(dir_name, next, depth + 1, seen, out);
                }
            }
            return;
        }
        let Some(variable) = read.strip_prefix("var.") else {
            return;
        };
        let callers = self.callers.get(dir_name).map_or(&[][..], Vec::as_slice);
        let mut defaulted = callers.is_empty();
        for (caller, module) in callers {
            let argument = self
                .dirs
                .get(caller)
                .and_then(|d| d.modules.get(module))
                .and_then(|m| m.arguments.get(variable));
            match argument {
                // The argument's own text is a module argument; what it reads is followed in the caller.
                Some(value) => {
                    for next in &value.reads {
                        self.resolve(caller, next, depth + 1, seen, out);
                    }
                }
                None => defaulted = true,
            }
        }
        if defaulted {
            let default = dir.variables.get(variable).copied().unwrap_or(0);
            let from_files = if callers.is_empty() {
                dir.var_files.get(variable).copied()
            } else {
                None
            };
            out.inputs
                .insert(input(read), from_files.unwrap_or(default));
        }
    }
}

/// Read the blocks of one `.tf` file of directory `dir_name` into `dir`.
fn read_module_file(dir: &mut Dir, dir_name: &str, file: &str, body: &hcl::Body) {
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
        match (block.identifier(), labels.as_slice()) {
            ("variable", [name]) => {
                let default = block
                    .body()
                    .attributes()
                    .find(|a| a.key() == "default")
                    .map_or(0, |a| hash_text(&[&format_expr(a.expr())]));
                dir.variables.insert((*name).to_string(), default);
            }
            ("locals", []) => {
                for attr in block.body().attributes() {
                    dir.locals
                        .insert(attr.key().to_string(), value_of(&format_expr(attr.expr())));
                }
            }
            ("module", [name]) => {
                let source = block
                    .body()
                    .attributes()
                    .find(|a| a.key() == "source")
                    .and_then(|a| match a.expr() {
                        hcl::Expression::String(s) => Some(s.clone()),
                        _ => None,
                    });
                let target = source
                    .filter(|s| s.starts_with("./") || s.starts_with("../"))
                    .and_then(|s| join(dir_name, &s));
                let arguments = block
                    .body()
                    .attributes()
                    .filter(|a| !NOT_ARGUMENTS.contains(&a.key()))
                    .map(|a| (a.key().to_string(), value_of(&format_expr(a.expr()))))
                    .collect();
                dir.modules.insert(
                    (*name).to_string(),
                    ModuleCall {
                        target,
                        file: file.to_string(),
                        arguments,
                    },
                );
            }
            ("resource" | "data", [kind, name]) => {
                let text = hcl::format::to_string(block.body()).unwrap_or_default();
                dir.blocks
                    .insert(((*kind).to_string(), (*name).to_string()), reads(&text));
            }
            _ => {}
        }
    }
}

/// Record one variable file's value for `variable` (several files combine).
fn add_var_file_value(dir: &mut Dir, variable: &str, file: &str, value: &str) {
    let entry = dir.var_files.entry(variable.to_string()).or_insert(0);
    *entry ^= hash_text(&[file, value]);
}

fn format_expr(expr: &hcl::Expression) -> String {
    hcl::format::to_string(expr).unwrap_or_default()
}

fn value_of(text: &str) -> Value {
    Value {
        fingerprint: hash_text(&[text]),
        reads: reads(text),
    }
}

/// The `var.NAME` and `local.NAME` references in formatted HCL text.
fn reads(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    for prefix in ["var.", "local."] {
        let mut from = 0;
        while let Some(at) = text[from..].find(prefix).map(|i| i + from) {
            from = at + prefix.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
            {
                continue;
            }
            let name: String = text[from..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() {
                found.insert(format!("{prefix}{name}"));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_find_variables_and_locals_in_expressions_and_templates() {
        let got = reads(
            "name = \"app-${var.env}-${local.suffix}\"\nsku = var.sku_name\nx = foo.var.not_this\ny = myvar.z\n",
        );
        let want: BTreeSet<String> = ["local.suffix", "var.env", "var.sku_name"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(got, want);
    }
}
