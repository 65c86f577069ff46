//! `azengage diff`: what an infrastructure change adds or removes between two git revisions.
//!
//! Both trees are read from git objects ([`tree`]) into scratch directories and run through the ordinary
//! inventory stage, so a diff sees exactly what `inventory` would. Resources are matched as the contract says:
//! Terraform by module directory, block type and name (moving a block between files of one directory changes
//! nothing); Bicep by file and symbolic name; ARM by file, type and `name` expression.

pub mod inputs;
pub mod tree;

use crate::iac::ScanOptions;
use crate::inventory::{self, Inventory, SCHEMA_VERSION};
use crate::model::{Diagnostic, Resource, Severity};
use inputs::{Provenance, SideInputs, Why};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
pub use tree::TreeError;

/// A resource as the diff lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffResource {
    /// ARM type, when there is one.
    pub arm_type: Option<String>,
    /// What the source wrote.
    pub source_type: String,
    /// Symbolic name.
    pub name: String,
    /// Declaring file (head's for added and changed, base's for removed).
    pub file: String,
    /// Line in `file`.
    pub line: u32,
    /// Resolved region, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Service, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// For `changed`: `body` (its own block changed), `module-arguments` (a module call it is reached through
    /// changed its arguments) or `inputs` (a value its block or those arguments read changed; see `inputs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// For `why: "inputs"`: the inputs whose values changed, as the code names them (`var.sku_name`,
    /// `local.tags`, `param.skuName`), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
}

/// Resources added, removed and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResourceChanges {
    /// Only in head.
    pub added: Vec<DiffResource>,
    /// Only in base.
    pub removed: Vec<DiffResource>,
    /// In both, with a different body, module arguments or inputs (`why` says which).
    pub changed: Vec<DiffResource>,
}

/// Names present at head and not at base, and the reverse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SetChanges {
    /// Only at head.
    pub added: Vec<String>,
    /// Only at base.
    pub removed: Vec<String>,
}

/// The estimate at both revisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ScoreChange {
    /// Score at base.
    pub base: Option<u32>,
    /// Score at head.
    pub head: Option<u32>,
}

/// The `diff --format json` document.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// Always 1.
    pub schema_version: u32,
    /// Resolved base commit id.
    pub base: String,
    /// Resolved head commit id.
    pub head: String,
    /// IaC files added, changed or removed between the two trees (repository-relative).
    pub files_changed: Vec<String>,
    /// Resource changes.
    pub resources: ResourceChanges,
    /// Service changes over the whole inventory.
    pub services: SetChanges,
    /// Region changes over the whole inventory.
    pub regions: SetChanges,
    /// How the estimate moves.
    pub score: ScoreChange,
    /// Whether the change touches what is deployed (a resource, service or region of a deployment); `false`
    /// when it touches only files no deployment uses.
    pub deployed_change: bool,
    /// Files that do not parse on either side (their resources are left out of both).
    pub diagnostics: Vec<Diagnostic>,
}

impl DiffReport {
    /// True when the change touches no IaC file.
    pub fn is_empty(&self) -> bool {
        self.files_changed.is_empty()
    }
}

/// Both inventories of a diff, before comparison (the scan uses them to score each side).
pub struct DiffInventories {
    /// Resolved base commit.
    pub base_commit: String,
    /// Resolved head commit.
    pub head_commit: String,
    /// Inventory at base.
    pub base: Inventory,
    /// Inventory at head.
    pub head: Inventory,
    /// Repository-relative IaC files that differ.
    pub files_changed: Vec<String>,
    /// What base's resources are built from (module calls, inputs).
    pub base_inputs: SideInputs,
    /// What head's resources are built from.
    pub head_inputs: SideInputs,
}

/// Read both revisions of the repository holding `path` and build their inventories (of `path` only).
pub fn inventories(
    path: &Path,
    base: &str,
    head: &str,
    opts: &ScanOptions,
) -> Result<DiffInventories, TreeError> {
    let repo = tree::open(path)?;
    let prefix = repo_prefix(&repo, path);
    let base_commit = tree::resolve(&repo, base)?;
    let head_commit = tree::resolve(&repo, head)?;
    // Falls back to RUNNER_TEMP and the repository's .git when there is no writable temporary directory.
    let scratch = |_: &str| {
        crate::scratch::tempdir(Some(repo.git_dir())).map_err(|e| TreeError::Scratch(e.to_string()))
    };
    let (base_dir, head_dir) = (scratch(base)?, scratch(head)?);
    let base_files = tree::export(&repo, &base_commit, &prefix, base_dir.path())?;
    let head_files = tree::export(&repo, &head_commit, &prefix, head_dir.path())?;
    let files_changed = changed_files(&base_files, &head_files);
    let project = project_in_repo(&repo, path);
    let scan = |dir: &Path| {
        // PATH may not exist at one of the revisions: that side is simply empty.
        let root = dir.join(&prefix);
        let _ = std::fs::create_dir_all(&root);
        let inputs = SideInputs::read(&root);
        let context = deploy_context(dir, &project);
        let inventory = inventory::build_in(std::slice::from_ref(&root), opts, &context);
        (inventory, inputs)
    };
    let ((base_inv, base_inputs), (head_inv, head_inputs)) =
        rayon::join(|| scan(base_dir.path()), || scan(head_dir.path()));
    Ok(DiffInventories {
        base_commit,
        head_commit,
        base: base_inv,
        head: head_inv,
        files_changed,
        base_inputs,
        head_inputs,
    })
}

/// Where `.github/` is read from for `path` (see [`crate::discover::project_root`]), relative to the work
/// tree.
fn project_in_repo(repo: &gix::Repository, path: &Path) -> PathBuf {
    let Some(workdir) = repo.workdir() else {
        return PathBuf::new();
    };
    let project = crate::discover::project_root(path, workdir);
    let (Ok(project), Ok(root)) = (
        std::fs::canonicalize(project),
        std::fs::canonicalize(workdir),
    ) else {
        return PathBuf::new();
    };
    project
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The roots' context of one side: its own `azure.yaml`, workflows and config, as that revision has them.
fn deploy_context(scratch: &Path, project: &Path) -> crate::deploy::Context {
    let project_root = scratch.join(project);
    let file = project_root.join(crate::config::DEFAULT_PATH);
    // A config that does not parse at one revision gives no `deploy` settings; the scan reports it.
    let config = crate::config::Config::find(&project_root).unwrap_or_default();
    crate::deploy::Context {
        repo_root: scratch.to_path_buf(),
        project_root,
        ..crate::deploy::Context::default()
    }
    .with_config(&config, file.is_file().then_some(file.as_path()))
}

/// `path` relative to the repository's work tree, `/`-separated (empty for the root).
pub(crate) fn repo_prefix(repo: &gix::Repository, path: &Path) -> String {
    let (Some(workdir), Ok(abs)) = (repo.workdir(), std::fs::canonicalize(path)) else {
        return String::new();
    };
    let Ok(root) = std::fs::canonicalize(workdir) else {
        return String::new();
    };
    abs.strip_prefix(&root)
        .map(crate::model::path_string)
        .unwrap_or_default()
}

fn changed_files(base: &[tree::TreeFile], head: &[tree::TreeFile]) -> Vec<String> {
    let b: BTreeMap<_, _> = base.iter().map(|f| (&f.path, &f.blob)).collect();
    let h: BTreeMap<_, _> = head.iter().map(|f| (&f.path, &f.blob)).collect();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (p, blob) in &h {
        if b.get(p) != Some(blob) {
            out.insert((*p).clone());
        }
    }
    out.extend(
        b.keys()
            .filter(|p| !h.contains_key(*p))
            .map(|p| (*p).clone()),
    );
    out.into_iter().collect()
}

/// Compare two inventories. `score` gives each side's estimate (or `None`).
pub fn compare(inv: &DiffInventories, score: &dyn Fn(&Inventory) -> Option<u32>) -> DiffReport {
    let diagnostics = broken_files(&inv.base, &inv.head);
    let broken: BTreeSet<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
    let keyed = |i: &'_ Inventory| -> BTreeMap<Key, Resource> {
        i.resources
            .iter()
            .filter(|r| counts(r) && !broken.contains(r.file.as_str()))
            .map(|r| (key(r), r.clone()))
            .collect()
    };
    let (base, head) = (keyed(&inv.base), keyed(&inv.head));
    let mut changes = ResourceChanges::default();
    for (k, r) in &head {
        match base.get(k) {
            None => changes.added.push(listed(r, true)),
            Some(b) if b.fingerprint != r.fingerprint => {
                changes.changed.push(changed(r, Why::Body));
            }
            Some(b) => {
                let before = inv.base_inputs.provenance(b);
                let after = inv.head_inputs.provenance(r);
                if let Some(why) = Provenance::change(&before, &after) {
                    changes.changed.push(changed(r, why));
                }
            }
        }
    }
    changes.removed = base
        .iter()
        .filter(|(k, _)| !head.contains_key(*k))
        .map(|(_, r)| listed(r, true))
        .collect();
    let services = set_changes(
        inv.base
            .services
            .iter()
            .filter(|s| s.counts_for_breadth)
            .map(|s| &s.name),
        inv.head
            .services
            .iter()
            .filter(|s| s.counts_for_breadth)
            .map(|s| &s.name),
    );
    let regions = set_changes(
        inv.base.regions.iter().map(|s| &s.name),
        inv.head.regions.iter().map(|s| &s.name),
    );
    let deployed_change = !(changes.added.is_empty()
        && changes.removed.is_empty()
        && changes.changed.is_empty()
        && services.added.is_empty()
        && services.removed.is_empty()
        && regions.added.is_empty()
        && regions.removed.is_empty());
    DiffReport {
        schema_version: SCHEMA_VERSION,
        base: inv.base_commit.clone(),
        head: inv.head_commit.clone(),
        files_changed: inv.files_changed.clone(),
        resources: changes,
        services,
        regions,
        deployed_change,
        score: ScoreChange {
            base: score(&inv.base),
            head: score(&inv.head),
        },
        diagnostics,
    }
}

/// Whether a resource takes part in the comparison: deployed ones (see "What is deployed"), not
/// `existing`/`data` references.
fn counts(r: &Resource) -> bool {
    r.deployed && !r.existing
}

/// One error diagnostic per file that does not parse on either side (head's first error, else base's), sorted
/// by file: a file broken on both sides, or with many errors, is named once.
fn broken_files(base: &Inventory, head: &Inventory) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<&str, &Diagnostic> = BTreeMap::new();
    for d in head
        .diagnostics
        .iter()
        .chain(&base.diagnostics)
        .filter(|d| d.severity == Severity::Error)
    {
        by_file.entry(d.file.as_str()).or_insert(d);
    }
    by_file.into_values().cloned().collect()
}

/// How a resource is identified across revisions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Terraform {
        dir: String,
        block_type: String,
        name: String,
    },
    Declared {
        file: String,
        arm_type: String,
        name: String,
    },
}

fn key(r: &Resource) -> Key {
    let is_tf = r.file.ends_with(".tf") || r.file.ends_with(".tf.json");
    if is_tf {
        let dir = r.file.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let block_type = if r.via_module.is_some() && r.source_type.contains('/') {
            format!("module:{}", r.source_type)
        } else {
            r.source_type.clone()
        };
        Key::Terraform {
            dir,
            block_type,
            name: r.name.clone(),
        }
    } else if r.file.ends_with(".json") {
        Key::Declared {
            file: r.file.clone(),
            arm_type: r.arm_type.clone().unwrap_or_default(),
            name: r.name.clone(),
        }
    } else {
        // A registry module lists each type it deploys under the module's one name: the type tells them apart.
        let from_registry = r.via_module.as_deref() == Some(r.source_type.as_str());
        Key::Declared {
            file: r.file.clone(),
            arm_type: if from_registry {
                r.arm_type.clone().unwrap_or_default()
            } else {
                String::new()
            },
            name: r.name.clone(),
        }
    }
}

fn listed(r: &Resource, with_location: bool) -> DiffResource {
    DiffResource {
        arm_type: r.arm_type.clone(),
        source_type: r.source_type.clone(),
        name: r.name.clone(),
        file: r.file.clone(),
        line: r.line,
        location: if with_location {
            r.location.clone()
        } else {
            None
        },
        service: r.service.clone(),
        why: None,
        inputs: Vec::new(),
    }
}

/// A `changed` entry with its `why` (and the inputs, for `inputs`).
fn changed(r: &Resource, why: Why) -> DiffResource {
    let (why, inputs) = match why {
        Why::Body => ("body", Vec::new()),
        Why::ModuleArguments => ("module-arguments", Vec::new()),
        Why::Inputs(names) => ("inputs", names),
    };
    DiffResource {
        why: Some(why.to_string()),
        inputs,
        ..listed(r, false)
    }
}

fn set_changes<'a>(
    base: impl Iterator<Item = &'a String>,
    head: impl Iterator<Item = &'a String>,
) -> SetChanges {
    let b: BTreeSet<&String> = base.collect();
    let h: BTreeSet<&String> = head.collect();
    SetChanges {
        added: h.difference(&b).map(|s| (*s).clone()).collect(),
        removed: b.difference(&h).map(|s| (*s).clone()).collect(),
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn each_type_a_registry_module_deploys_is_its_own_resource() {
        let reference = "br/public:avm/ptn/azd/monitoring:0.1.0";
        let typed = |t: &str| {
            let mut r = Resource::new(reference, "monitoring", "infra/main.bicep", 12);
            r.arm_type = Some(t.into());
            r.via_module = Some(reference.into());
            r
        };
        let workspace = typed("Microsoft.OperationalInsights/workspaces");
        let insights = typed("Microsoft.Insights/components");
        assert_ne!(key(&workspace), key(&insights));
        // A Bicep resource is still known by its name, whatever its type string says.
        let mut site = Resource::new(
            "Microsoft.Web/sites@2023-01-01",
            "web",
            "infra/main.bicep",
            30,
        );
        site.arm_type = Some("Microsoft.Web/sites".into());
        let mut renamed_type = site.clone();
        renamed_type.arm_type = Some("Microsoft.Web/Sites".into());
        assert_eq!(key(&site), key(&renamed_type));
    }
}
