//! The Bicep side of [`super::SideInputs`]: one node per `.bicep` file with its params (defaults), vars,
//! local `module` statements (their bodies fingerprinted) and what each resource reads; `.bicepparam` files
//! (by `using`) and azd's `<stem>.parameters.json` give a root template's values.

use super::{
    Callers, Input, MAX_DEPTH, ModuleGraph, Provenance, Value, add_callers, hash_text, join, parent,
};
use crate::iac::bicep::analysis::{fingerprint, for_each_child};
use crate::iac::bicep::ast::{Expr, ExprKind, ObjectItem, ResourceDecl, StmtKind};
use crate::model::Resource;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// A `module` statement with a local path.
#[derive(Debug, Clone, Default)]
struct ModuleCall {
    /// The file it deploys (relative to the root).
    target: Option<String>,
    /// Its whole body (`name`, `scope`, `params`, ...).
    body: Value,
    /// What each `params` entry reads; `None` when `params` is not an object literal (then any param may read
    /// anything the body reads).
    params: Option<BTreeMap<String, BTreeSet<String>>>,
}

impl ModuleCall {
    /// What the call passes for param `name` reads; `None` when it does not pass it.
    fn passes(&self, name: &str) -> Option<BTreeSet<String>> {
        match &self.params {
            Some(params) => params.get(name).cloned(),
            None => Some(self.body.reads.clone()),
        }
    }
}

/// One `.bicep` file.
#[derive(Debug, Clone, Default)]
struct File {
    /// `param` → fingerprint of its default (0 without one).
    params: BTreeMap<String, u64>,
    /// `var` declarations.
    vars: BTreeMap<String, Value>,
    /// `module` statements by symbol.
    modules: BTreeMap<String, ModuleCall>,
    /// `resource` declarations (nested ones included) by symbol → what they read.
    resources: BTreeMap<String, BTreeSet<String>>,
    /// Values parameter files give this file as a root template: param → fingerprint.
    given: BTreeMap<String, u64>,
}

/// Every `.bicep` file, and which module statements call it.
#[derive(Debug, Default)]
pub(super) struct Graph {
    files: BTreeMap<String, File>,
    /// File → the (calling file, module symbol) pairs that deploy it.
    callers: Callers,
}

impl Graph {
    /// Read the `.bicep`, `.bicepparam` and `*.parameters.json` files among `files` (relative to `root`).
    pub(super) fn read(root: &Path, files: &[String]) -> Graph {
        let mut graph = Graph::default();
        let mut given: Vec<(String, String, u64)> = Vec::new();
        for file in files {
            let Ok(text) = std::fs::read_to_string(root.join(file)) else {
                continue;
            };
            if file.ends_with(".bicep") {
                let tree = crate::iac::bicep::parse(&text);
                graph
                    .files
                    .insert(file.clone(), read_template(file, &tree.statements));
            } else if file.ends_with(".bicepparam") {
                given.extend(read_bicepparam(file, &text));
            } else if let Some(stem) = file.strip_suffix(".parameters.json") {
                given.extend(read_parameters_json(&format!("{stem}.bicep"), &text));
            }
        }
        for (template, param, value) in given {
            if let Some(file) = graph.files.get_mut(&template) {
                let entry = file.given.entry(param).or_insert(0);
                *entry ^= value;
            }
        }
        for (name, file) in &graph.files {
            let calls = file.modules.iter().map(|(s, c)| (s, c.target.as_ref()));
            add_callers(&mut graph.callers, name, calls);
        }
        graph
    }

    /// The provenance of a resource declared in a `.bicep` file (or of a module statement listed as one).
    pub(super) fn provenance(&self, resource: &Resource) -> Provenance {
        let Some(file) = self.files.get(&resource.file) else {
            return Provenance::default();
        };
        let reads = match file.resources.get(&resource.name) {
            Some(reads) => reads.clone(),
            None => file
                .modules
                .get(&resource.name)
                .map(|m| m.body.reads.clone())
                .unwrap_or_default(),
        };
        self.provenance_of(&resource.file, &reads)
    }
}

impl ModuleGraph for Graph {
    fn callers(&self) -> &Callers {
        &self.callers
    }

    fn call(&self, caller: &str, symbol: &str) -> Option<(String, u64)> {
        let call = self.files.get(caller)?.modules.get(symbol)?;
        Some((format!("{caller} module.{symbol}"), call.body.fingerprint))
    }

    /// A param or var: its value, its callers' arguments or its default.
    fn resolve(
        &self,
        file_name: &str,
        name: &str,
        depth: usize,
        seen: &mut HashSet<(String, String)>,
        out: &mut Provenance,
    ) {
        if depth > MAX_DEPTH || !seen.insert((file_name.to_string(), name.to_string())) {
            return;
        }
        let Some(file) = self.files.get(file_name) else {
            return;
        };
        let input = |name: String| Input {
            scope: file_name.to_string(),
            name,
        };
        if let Some(var) = file.vars.get(name) {
            out.inputs
                .insert(input(format!("var.{name}")), var.fingerprint);
            for next in &var.reads {
                self.resolve(file_name, next, depth + 1, seen, out);
            }
            return;
        }
        let Some(default) = file.params.get(name) else {
            return;
        };
        let callers = self.callers.get(file_name).map_or(&[][..], Vec::as_slice);
        let mut defaulted = callers.is_empty();
        for (caller, symbol) in callers {
            let call = self.files.get(caller).and_then(|f| f.modules.get(symbol));
            let passed = call.and_then(|c| c.passes(name));
            match passed {
                Some(reads) => {
                    for next in reads {
                        self.resolve(caller, &next, depth + 1, seen, out);
                    }
                }
                None => defaulted = true,
            }
        }
        if defaulted {
            let value = if callers.is_empty() {
                file.given.get(name).copied().unwrap_or(*default)
            } else {
                *default
            };
            out.inputs.insert(input(format!("param.{name}")), value);
        }
    }
}

/// Read one template's declarations.
fn read_template(file_name: &str, statements: &[crate::iac::bicep::ast::Stmt]) -> File {
    let mut file = File::default();
    for stmt in statements {
        match &stmt.kind {
            StmtKind::Param { name, value, .. } => {
                let default = value.as_ref().map_or(0, |v| fingerprint("", v));
                file.params.insert(name.to_string(), default);
            }
            StmtKind::Var { name, value, .. } => {
                file.vars.insert(name.to_string(), value_of(value));
            }
            StmtKind::Module(decl) => {
                let local = !["br:", "br/", "ts:", "ts/"]
                    .iter()
                    .any(|p| decl.path.starts_with(p));
                let target = local.then(|| join(parent(file_name), &decl.path)).flatten();
                file.modules.insert(
                    decl.name.to_string(),
                    ModuleCall {
                        target,
                        body: value_of(&decl.body),
                        params: params_read(&decl.body),
                    },
                );
            }
            StmtKind::Resource(decl) => add_resource(&mut file, decl),
            _ => {}
        }
    }
    file
}

/// What each entry of a module body's `params` object reads (`None` when it is not an object literal).
fn params_read(body: &Expr) -> Option<BTreeMap<String, BTreeSet<String>>> {
    let params = body.body_object()?.property("params")?;
    let ExprKind::Object(items) = &params.kind else {
        return None;
    };
    let mut out = BTreeMap::new();
    for item in items {
        match item {
            ObjectItem::Property { key, value, .. } => {
                let mut reads = BTreeSet::new();
                collect_reads(value, 0, &mut reads);
                out.insert(key.to_string(), reads);
            }
            // `...common`: any param may come from it.
            _ => return None,
        }
    }
    Some(out)
}

/// A resource and the resources nested in its body.
fn add_resource(file: &mut File, decl: &ResourceDecl) {
    let mut reads = BTreeSet::new();
    collect_reads(&decl.body, 0, &mut reads);
    file.resources.insert(decl.name.to_string(), reads);
    if let Some(ExprKind::Object(items)) = decl.body.body_object().map(|e| &e.kind) {
        for item in items {
            if let ObjectItem::Resource(child) = item {
                add_resource(file, child);
            }
        }
    }
}

/// `(template, param, value fingerprint)` for each `param x = value` of a `.bicepparam` with a local `using`.
fn read_bicepparam(file_name: &str, text: &str) -> Vec<(String, String, u64)> {
    let tree = crate::iac::bicep::parse(text);
    let template = tree.statements.iter().find_map(|s| match &s.kind {
        StmtKind::Using { path: Some(path) } => join(parent(file_name), path),
        _ => None,
    });
    let Some(template) = template else {
        return Vec::new();
    };
    tree.statements
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Param {
                name,
                value: Some(value),
                ..
            } => Some((
                template.clone(),
                name.to_string(),
                hash_text(&[file_name, &fingerprint("", value).to_string()]),
            )),
            _ => None,
        })
        .collect()
}

/// `(template, param, value fingerprint)` for each entry of an ARM parameter file beside its template.
fn read_parameters_json(template: &str, text: &str) -> Vec<(String, String, u64)> {
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(serde_json::Value::Object(params)) = doc.get("parameters") else {
        return Vec::new();
    };
    params
        .iter()
        .map(|(name, entry)| {
            (
                template.to_string(),
                name.clone(),
                hash_text(&[template, &entry.to_string()]),
            )
        })
        .collect()
}

fn value_of(expr: &Expr) -> Value {
    let mut reads = BTreeSet::new();
    collect_reads(expr, 0, &mut reads);
    Value {
        fingerprint: fingerprint("", expr),
        reads,
    }
}

/// The names an expression reads (identifiers; property keys are not reads).
fn collect_reads(expr: &Expr, depth: u32, out: &mut BTreeSet<String>) {
    if depth > crate::iac::bicep::MAX_DEPTH {
        return;
    }
    let mut go = |e: &Expr| collect_reads(e, depth + 1, out);
    match &expr.kind {
        ExprKind::Ident(name) => {
            out.insert(name.to_string());
        }
        ExprKind::Interpolated { exprs, .. } => exprs.iter().for_each(go),
        ExprKind::Object(items) => {
            for item in items {
                match item {
                    ObjectItem::Property { value, .. } => go(value),
                    ObjectItem::Spread(e) => go(e),
                    ObjectItem::Resource(_) => {}
                }
            }
        }
        ExprKind::Call { callee, args } => {
            // `resourceGroup()` or `az.resourceGroup()`: a function, not a read; its arguments are.
            if let ExprKind::Member { base, .. } = &callee.kind {
                go(base);
            }
            args.iter().for_each(go);
        }
        _ => for_each_child(expr, go),
    }
}
