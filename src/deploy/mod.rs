//! What is deployed: the roots a deployment starts from, and which resources they reach.
//!
//! A repository holds more IaC than it deploys (module libraries nothing references, test templates,
//! samples, compiled copies, resources switched off by default). This module finds the **roots**, all that
//! apply (the contract's "What is deployed"):
//!
//! - config `deploy.roots` (when set, the only roots);
//! - `azure.yaml` ([`azure_yaml`]) at the project root or under PATH;
//! - the templates the deploy workflows' steps deploy ([`workflow`]);
//! - only when nothing above names one, the fallback ([`decide`]): every template no scanned file uses as a
//!   module, tests and samples aside;
//! - a FILE given on the command line.
//!
//! [`plan`] runs before the scan: it tells the scanners which parameters each named root is deployed with
//! and which environment values azd placeholders take, and which files outside PATH must be scanned too
//! (roots outside PATH that lead into it). [`decide`] runs after: from what each scan unit reached, it marks
//! every resource `deployed` or not (`why_not`), names its `root`, and lists the roots.
//!
//! Reading workflows goes through [`crate::history::workflows`], the same analysis `activity.workflows` uses
//! (it reads files only; nothing of the activity stage is used).

pub mod azure_yaml;
mod decide;
pub mod workflow;

pub use decide::{Decided, PathClass, classify, decide};

use crate::discover::{Discovered, discover, is_azure_yaml};
use crate::iac::{DeployPlan, ParamSet, ScanOptions};
use crate::model::{Diagnostic, Severity, path_string};
use crate::paths::absolute;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What named a root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum FoundBy {
    /// Config `deploy.roots`.
    #[serde(rename = "config")]
    Config,
    /// azd's `azure.yaml`.
    #[serde(rename = "azure.yaml")]
    AzureYaml,
    /// A deploy workflow's step.
    #[serde(rename = "workflow")]
    Workflow,
    /// Nothing named a root: a template no other file uses.
    #[serde(rename = "fallback")]
    Fallback,
    /// A FILE given on the command line.
    #[serde(rename = "argument")]
    Argument,
}

impl FoundBy {
    /// The name the JSON uses.
    pub fn as_str(self) -> &'static str {
        match self {
            FoundBy::Config => "config",
            FoundBy::AzureYaml => "azure.yaml",
            FoundBy::Workflow => "workflow",
            FoundBy::Fallback => "fallback",
            FoundBy::Argument => "argument",
        }
    }
}

/// A root named before the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The template file or Terraform directory.
    pub path: PathBuf,
    /// What named it.
    pub found_by: FoundBy,
    /// The file and 1-based line that named it.
    pub evidence: Option<(PathBuf, u32)>,
    /// The parameters it is deployed with.
    pub params: ParamSet,
}

/// One entry of the inventory's `roots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Root {
    /// The template or Terraform directory, relative to what the user gave (as resources' `root` names it).
    pub path: String,
    /// `config`, `azure.yaml`, `workflow`, `fallback` or `argument`.
    pub found_by: FoundBy,
    /// `file:line` that named it; `null` for the fallback and arguments.
    pub evidence: Option<String>,
    /// The parameter files applied to it.
    pub parameters: Vec<String>,
}

/// What the inventory stage knows about the repository beyond the PATHs: where it is, and the config's
/// `deploy` settings.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The repository root (roots in the config are relative to it).
    pub repo_root: PathBuf,
    /// Where `.github/` and `azure.yaml` are read from (see [`crate::discover::project_root`]).
    pub project_root: PathBuf,
    /// Config `deploy.roots`.
    pub config_roots: Vec<String>,
    /// Config `deploy.env`.
    pub config_env: BTreeMap<String, String>,
    /// The config file and the line of `deploy.roots`, for evidence.
    pub config_evidence: Option<(PathBuf, u32)>,
}

impl Context {
    /// The context of `paths` found on disk: the repository holding the first one, no config.
    pub fn for_paths(paths: &[PathBuf]) -> Context {
        let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        let repo_root = crate::discover::repository_root(&first);
        let project_root = crate::discover::project_root(&first, &repo_root);
        Context {
            repo_root,
            project_root,
            ..Context::default()
        }
    }

    /// The same context with a config's `deploy` settings (`file`: where the config was read from).
    pub fn with_config(mut self, config: &crate::config::Config, file: Option<&Path>) -> Context {
        self.config_roots = config.deploy.roots.clone();
        self.config_env = config.deploy_env();
        let line = config.key_location("deploy.roots").1.unwrap_or(0);
        self.config_evidence = file.map(|f| (f.to_path_buf(), line));
        self
    }
}

/// The plan made before the scan.
#[derive(Debug, Default)]
pub struct Plan {
    /// Roots named by the config, `azure.yaml`, workflows or arguments.
    pub named: Vec<Named>,
    /// Directories named by `deploy.roots`: the fallback applies inside each.
    pub config_dirs: Vec<PathBuf>,
    /// Environment values and where each came from (`.github/workflows/x.yml`, `deploy.env`).
    pub env_sources: BTreeMap<String, (String, String)>,
    /// Problems: roots named but missing, paths that cannot be resolved.
    pub diagnostics: Vec<Diagnostic>,
    /// Files and directories outside PATH that must be scanned (roots that lead into PATH).
    pub extra: Discovered,
    /// What the scanners follow.
    pub scan: DeployPlan,
    /// PATH was one or more files: they are the roots.
    pub file_arguments: bool,
    /// The repository root: paths outside PATH are classified (tests, samples) below it.
    pub repo_root: PathBuf,
}

/// Find the named roots and environment values for a scan of `paths` (what the walk found is
/// `discovered`); add to `discovered` what must be scanned besides.
pub fn plan(
    ctx: &Context,
    paths: &[PathBuf],
    discovered: &mut Discovered,
    opts: &ScanOptions,
) -> Plan {
    let mut plan = Plan {
        repo_root: ctx.repo_root.clone(),
        ..Plan::default()
    };
    let findings = crate::history::workflows::deploy_findings(&ctx.project_root, opts);
    let from_workflows = workflow::read(&ctx.project_root, &findings);
    for (name, (value, file)) in &from_workflows.env {
        plan.env_sources
            .insert(name.clone(), (value.clone(), file.clone()));
    }
    for (name, value) in &ctx.config_env {
        plan.env_sources
            .entry(name.clone())
            .or_insert_with(|| (value.clone(), "deploy.env".into()));
    }
    let env = plan
        .env_sources
        .iter()
        .map(|(k, (v, _))| (k.clone(), v.clone()))
        .collect();
    plan.file_arguments = paths.iter().any(|p| p.is_file());
    if plan.file_arguments {
        for path in paths.iter().filter(|p| p.is_file()) {
            plan.named.push(Named {
                path: path.clone(),
                found_by: FoundBy::Argument,
                evidence: None,
                params: ParamSet::default(),
            });
        }
    } else if !ctx.config_roots.is_empty() {
        config_roots(ctx, &mut plan);
    } else {
        azure_yaml_roots(ctx, paths, discovered, &mut plan);
        plan.named.extend(from_workflows.roots);
        plan.diagnostics.extend(from_workflows.diagnostics);
    }
    let mut scan = DeployPlan::with_env(env);
    for named in &plan.named {
        scan.add(&named.path, named.params.clone());
    }
    add_units(&mut scan, paths, discovered, &plan);
    plan.scan = scan;
    plan.extra = outside(paths, discovered, &plan);
    plan
}

/// Tell the scan which Bicep templates and Terraform directories are tests or samples that no root names and
/// which are ordinary, as the fallback judges them: a module an aside unit calls is not followed from it when
/// the module is an ordinary unit of the scan (see [`DeployPlan::scanned_on_its_own`]).
fn add_units(scan: &mut DeployPlan, paths: &[PathBuf], discovered: &Discovered, plan: &Plan) {
    // Only the scope's classes are read here (the roots outside PATH are not known yet and play no part).
    let scope = decide::Scope::new(paths, plan);
    // A Terraform file named on the command line makes its directory a root.
    let named: std::collections::HashSet<PathBuf> = plan
        .named
        .iter()
        .flat_map(|n| [Some(n.path.as_path()), n.path.parent()])
        .flatten()
        .map(crate::iac::plan::key)
        .collect();
    let bicep = discovered.bicep_files.iter().filter(|f| {
        f.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
    });
    for unit in bicep.chain(&discovered.terraform_dirs) {
        let class = scope.class(&absolute(unit));
        let aside = class != PathClass::Deployable;
        if !aside || !named.contains(&crate::iac::plan::key(unit)) {
            scan.add_unit(unit, aside);
        }
    }
}

/// `deploy.roots`: files are roots; a directory is a Terraform root when it holds `.tf` files, and the
/// fallback applies to the templates under it.
fn config_roots(ctx: &Context, plan: &mut Plan) {
    for entry in &ctx.config_roots {
        let path = ctx.repo_root.join(entry.trim_start_matches("./"));
        let evidence = ctx.config_evidence.clone();
        if path.is_file() {
            plan.named.push(Named {
                path,
                found_by: FoundBy::Config,
                evidence,
                params: ParamSet::default(),
            });
        } else if path.is_dir() {
            if has_terraform(&path) {
                plan.named.push(Named {
                    path: path.clone(),
                    found_by: FoundBy::Config,
                    evidence,
                    params: ParamSet::default(),
                });
            }
            plan.config_dirs.push(path);
        } else {
            let (file, line) = evidence
                .map(|(f, l)| (path_string(&f), l))
                .unwrap_or_default();
            plan.diagnostics.push(Diagnostic::new(
                file,
                line,
                0,
                Severity::Warning,
                "root-not-found",
                format!("deploy.roots: '{entry}' is not a file or directory of the repository"),
            ));
        }
    }
}

/// The roots the `azure.yaml` files (at the project root, and under PATH outside tests and samples) name.
fn azure_yaml_roots(ctx: &Context, paths: &[PathBuf], discovered: &Discovered, plan: &mut Plan) {
    let ordinary = |file: &Path| {
        let file = absolute(file);
        let below = paths
            .iter()
            .map(|p| absolute(p))
            .find_map(|p| file.strip_prefix(&p).ok().map(Path::to_path_buf));
        classify(&below.unwrap_or(file)) == PathClass::Deployable
    };
    let mut files: Vec<PathBuf> = discovered
        .azure_yaml
        .iter()
        .filter(|f| ordinary(f))
        .cloned()
        .collect();
    for name in ["azure.yaml", "azure.yml"] {
        let candidate = ctx.project_root.join(name);
        let known = files.iter().any(|f| absolute(f) == absolute(&candidate));
        if candidate.is_file() && !known {
            files.push(candidate);
        }
    }
    for file in files.iter().filter(|f| is_azure_yaml(f)) {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let dir = file.parent().unwrap_or(Path::new(""));
        for infra in azure_yaml::read(&text) {
            let root = infra.root(dir);
            let exists = if infra.terraform {
                root.is_dir()
            } else {
                root.is_file()
            };
            if !exists {
                plan.diagnostics.push(Diagnostic::new(
                    path_string(file),
                    infra.line,
                    0,
                    Severity::Warning,
                    "root-not-found",
                    format!(
                        "azure.yaml names {}, which is not in the repository",
                        path_string(&root)
                    ),
                ));
                continue;
            }
            plan.named.push(Named {
                path: root,
                found_by: FoundBy::AzureYaml,
                evidence: Some((file.clone(), infra.line)),
                params: ParamSet::default(),
            });
        }
    }
}

/// What must be scanned besides PATH: named roots outside it (they may lead into it). Added to
/// `discovered`; returns what was added. (The fallback looks at the scanned files only, as the contract
/// says: "every template that no scanned file uses as a module".)
fn outside(paths: &[PathBuf], discovered: &mut Discovered, plan: &Plan) -> Discovered {
    if plan.file_arguments {
        return Discovered::default();
    }
    let inside = |p: &Path| {
        let p = absolute(p);
        paths.iter().any(|root| p.starts_with(absolute(root)))
    };
    let wanted: Vec<PathBuf> = plan
        .named
        .iter()
        .map(|n| n.path.clone())
        .chain(plan.config_dirs.iter().cloned())
        .filter(|p| !inside(p))
        .collect();
    if wanted.is_empty() {
        return Discovered::default();
    }
    let mut found = discover(&wanted, &mut Vec::new());
    // A named Terraform directory outside PATH is scanned as a directory, not as files.
    found.terraform_files.clear();
    found.azure_yaml.clear();
    discovered.absorb(found)
}

/// Whether `dir` holds Terraform files.
fn has_terraform(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            name.ends_with(".tf") || name.ends_with(".tf.json")
        })
    })
}

#[cfg(test)]
mod tests;
