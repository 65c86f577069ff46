//! What a resource is built from beyond its own block: the module calls it is reached through and the values
//! its block reads, so `diff` can call a resource `changed` when only those changed (the contract's `why`:
//! `module-arguments`, `inputs`).
//!
//! Each side of a diff is read once ([`SideInputs::read`], from the scratch copy of the revision) into a small
//! graph: Terraform directories and Bicep files, with their `module` calls (arguments fingerprinted), their
//! variables/params (defaults), locals/vars (expressions and what they reference) and the root's variable and
//! parameter files. A resource's [`Provenance`] is then the fingerprints of every module call on its way and of
//! every input value its block (or those calls' arguments) reaches, followed up to the root, where a variable's
//! value is its variable-file entry, else its default.

mod bicep;
mod terraform;

use crate::model::Resource;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// How deep module chains and references are followed (real code nests two or three levels).
const MAX_DEPTH: usize = 16;

/// What one resource is built from, as fingerprints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// Each module call on the way to the resource (`infra/main.tf module.app`) → its arguments' fingerprint.
    pub module_calls: BTreeMap<String, u64>,
    /// Each input value reached (`var.sku_name`, `local.tags`, `param.skuName`) → its fingerprint at the root.
    pub inputs: BTreeMap<Input, u64>,
}

/// One input, named as the code that declares it names it, in the directory or file that declares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Input {
    /// The Terraform directory or Bicep file that declares it.
    pub scope: String,
    /// `var.sku_name`, `local.tags`, `param.skuName`, `var.prefix` (Bicep `var`).
    pub name: String,
}

/// Why an unchanged block counts as changed, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Its own block changed.
    Body,
    /// The arguments of a module call on the way to it changed.
    ModuleArguments,
    /// These inputs' values changed (names as the code writes them, sorted, each once).
    Inputs(Vec<String>),
}

impl Provenance {
    /// Compare the base's provenance with the head's: `None` when nothing a resource is built from changed.
    pub fn change(base: &Provenance, head: &Provenance) -> Option<Why> {
        if base.module_calls != head.module_calls {
            return Some(Why::ModuleArguments);
        }
        let names: BTreeSet<String> = base
            .inputs
            .keys()
            .chain(head.inputs.keys())
            .filter(|k| base.inputs.get(k) != head.inputs.get(k))
            .map(|k| k.name.clone())
            .collect();
        (!names.is_empty()).then(|| Why::Inputs(names.into_iter().collect()))
    }
}

/// The module and input graph of one side of a diff.
#[derive(Debug, Default)]
pub struct SideInputs {
    terraform: terraform::Graph,
    bicep: bicep::Graph,
}

impl SideInputs {
    /// Read the Terraform and Bicep files under `root` (the directory the side's inventory was built from).
    /// Files that do not parse add nothing (the inventory diagnoses them).
    pub fn read(root: &Path) -> SideInputs {
        let mut files = Vec::new();
        collect_files(root, root, 0, &mut files);
        SideInputs {
            terraform: terraform::Graph::read(root, &files),
            bicep: bicep::Graph::read(root, &files),
        }
    }

    /// What `resource` (from this side's inventory, paths relative to the root given to [`Self::read`]) is
    /// built from.
    pub fn provenance(&self, resource: &Resource) -> Provenance {
        let file = resource.file.as_str();
        if file.ends_with(".tf") {
            self.terraform.provenance(resource)
        } else if file.ends_with(".bicep") {
            self.bicep.provenance(resource)
        } else {
            Provenance::default()
        }
    }
}

/// An expression's fingerprint and the names it reads (Terraform `var.`/`local.` references, Bicep params and
/// vars).
#[derive(Debug, Clone, Default)]
struct Value {
    fingerprint: u64,
    reads: BTreeSet<String>,
}

/// Scope (Terraform directory, Bicep file) → the (calling scope, module name) pairs that call it.
type Callers = BTreeMap<String, Vec<(String, String)>>;

/// Add the module calls of `scope` (name, local target) to `callers`.
fn add_callers<'a>(
    callers: &mut Callers,
    scope: &str,
    calls: impl Iterator<Item = (&'a String, Option<&'a String>)>,
) {
    for (module, target) in calls {
        if let Some(target) = target {
            callers
                .entry(target.clone())
                .or_default()
                .push((scope.to_string(), module.clone()));
        }
    }
}

/// One language's module graph of a side: how a resource's provenance is walked is the same for both.
trait ModuleGraph {
    /// Who calls each scope.
    fn callers(&self) -> &Callers;

    /// Call `module` in `caller`: its label (`infra/main.tf module.app`) and its arguments' fingerprint.
    fn call(&self, caller: &str, module: &str) -> Option<(String, u64)>;

    /// Follow a name read in `scope` to the values it comes from.
    fn resolve(
        &self,
        scope: &str,
        read: &str,
        depth: usize,
        seen: &mut HashSet<(String, String)>,
        out: &mut Provenance,
    );

    /// The module calls on the way to `scope` and the inputs that `reads` (names read in `scope`) reach.
    fn provenance_of(&self, scope: &str, reads: &BTreeSet<String>) -> Provenance {
        let mut out = Provenance::default();
        self.module_calls(scope, 0, &mut HashSet::new(), &mut out);
        let mut seen = HashSet::new();
        for read in reads {
            self.resolve(scope, read, 0, &mut seen, &mut out);
        }
        out
    }

    /// Add every module call on the way to `scope` (its callers, their callers, ...).
    fn module_calls(
        &self,
        scope: &str,
        depth: usize,
        seen: &mut HashSet<String>,
        out: &mut Provenance,
    ) {
        if depth > MAX_DEPTH || !seen.insert(scope.to_string()) {
            return;
        }
        for (caller, module) in self.callers().get(scope).into_iter().flatten() {
            if let Some((label, fingerprint)) = self.call(caller, module) {
                out.module_calls.insert(label, fingerprint);
                self.module_calls(caller, depth + 1, seen, out);
            }
        }
    }
}

/// Every file under `dir`, relative to `root`, `/`-separated (the scratch copy holds only IaC files).
fn collect_files(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
    if depth > 64 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(root, &path, depth + 1, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(crate::model::path_string(rel));
        }
    }
}

/// A stable hash of text (fingerprints only need to be equal for equal text within one run).
fn hash_text(parts: &[&str]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        part.hash(&mut h);
    }
    h.finish()
}

/// The directory part of a `/`-separated path (empty at the top).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir` joined with a relative `path`, `.` and `..` resolved lexically; `None` when it leaves the root.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_lexically_inside_the_root() {
        assert_eq!(
            join("infra", "./modules/app").as_deref(),
            Some("infra/modules/app")
        );
        assert_eq!(
            join("infra/envs/dev", "../../modules/x").as_deref(),
            Some("infra/modules/x")
        );
        assert_eq!(join("", "./main.bicep").as_deref(), Some("main.bicep"));
        assert_eq!(join("", "../outside"), None);
        assert_eq!(parent("infra/main.tf"), "infra");
        assert_eq!(parent("main.tf"), "");
    }

    #[test]
    fn module_calls_win_over_inputs_and_inputs_are_named_once() {
        let input = |scope: &str, name: &str| Input {
            scope: scope.into(),
            name: name.into(),
        };
        let mut base = Provenance::default();
        base.inputs.insert(input("infra", "var.sku_name"), 1);
        base.inputs
            .insert(input("infra/modules/app", "var.sku_name"), 5);
        base.inputs.insert(input("infra", "local.tags"), 2);
        let mut head = base.clone();
        assert_eq!(Provenance::change(&base, &head), None);
        head.inputs.insert(input("infra", "var.sku_name"), 3);
        head.inputs
            .insert(input("infra/modules/app", "var.sku_name"), 6);
        assert_eq!(
            Provenance::change(&base, &head),
            Some(Why::Inputs(vec!["var.sku_name".into()]))
        );
        head.module_calls
            .insert("infra/main.tf module.app".into(), 9);
        assert_eq!(Provenance::change(&base, &head), Some(Why::ModuleArguments));
    }
}
