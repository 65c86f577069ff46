//! Terraform: every `resource` and `data` block of `*.tf` / `*.tf.json` files, with ARM type, region and the
//! module it came through.
//!
//! Each directory is one module: all its files are parsed (`parse`, `json`; files of a directory in
//! parallel), then evaluated together (`eval`) with the values its caller gives: variable files for a root
//! module (`vars`), the `module` block's arguments for a child. Local modules are followed depth-first in
//! file and line order, so the run is deterministic; Azure Verified Modules resolve by name, other remote
//! modules are named in an `info` diagnostic (`modules`). A module reached several ways (as a directory of
//! the walk and from one or more callers) is listed once per declaring file and line: the copy reached
//! through a module with a resolved location wins, then the first found. A quiet first pass over the root
//! modules learns which resource groups the code creates, so `data "azurerm_resource_group"` lookups of them
//! resolve to a region whatever the order of directories.

mod cache;
mod depth;
mod eval;
mod funcs;
mod groups;
mod headers;
mod inputs;
mod json;
mod location;
mod modules;
mod parse;
mod resource;
mod vars;

use crate::iac::{Found, ParamSet, ScanOptions};
use crate::model::{Condition, Diagnostic, Resource, Severity, path_string};
use cache::Modules;
use groups::ResourceGroups;
use inputs::{ModuleArg, block_condition, child_values};
use modules::ModuleSource;
use parse::{Decl, ParsedFile};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How deep local modules are followed before giving up (real code nests two or three levels).
const MAX_MODULE_DEPTH: usize = 16;

/// How many module instances one root module's tree evaluates at most: a module graph that fans out at every level
/// (each module calling the next twice) would otherwise grow exponentially.
const MAX_MODULE_INSTANCES: usize = 2000;

/// `module` block arguments that are meta-arguments, not input variables.
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Scan Terraform module directories (each directory holding `.tf`/`.tf.json` files found by the walk).
///
/// Every directory is scanned as a root module (with its variable files); local modules are followed when
/// `opts.follow_modules` is set. `file` of each result is the declaring file's path string.
pub fn scan_dirs(dirs: &[PathBuf], opts: &ScanOptions) -> Found {
    let mut roots = dirs.to_vec();
    roots.sort();
    roots.dedup();
    let roots = roots.into_iter().map(|dir| (dir, None)).collect();
    scan_roots(roots, Vec::new(), opts)
}

/// Scan one `.tf` or `.tf.json` file the user named: list what it declares (and, when following modules, what
/// its local modules declare). The rest of its directory gives context only (variables, locals, variable
/// files), as Terraform would see it.
pub fn scan_file(file: &Path, opts: &ScanOptions) -> Found {
    scan_files(std::slice::from_ref(&file.to_path_buf()), opts)
}

/// Scan the `.tf` and `.tf.json` files the user named, as [`scan_file`] does for one, in one pass: files of
/// one directory are listed from one evaluation of that directory, and every directory is parsed once
/// (`git ls-files | xargs azengage inventory` names a thousand files; one scan per file was quadratic).
pub fn scan_files(files: &[PathBuf], opts: &ScanOptions) -> Found {
    let mut not_files = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        match file.file_name().filter(|_| file.is_file()) {
            Some(name) => {
                let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                by_dir
                    .entry(dir)
                    .or_default()
                    .insert(name.to_string_lossy().into_owned());
            }
            None => {
                let message = "cannot read: not a file";
                let diag = Diagnostic::new(path_string(file), 0, 0, Severity::Error, "io", message);
                not_files.push(diag);
            }
        }
    }
    let roots = by_dir
        .into_iter()
        .map(|(dir, names)| (dir, Some(names)))
        .collect();
    scan_roots(roots, not_files, opts)
}

/// Scan each root directory (in order, without repeats) as a root module, listing only the files named where
/// a name set is given, each root on a thread of its own; the result starts with `diags`.
fn scan_roots(
    roots: Vec<(PathBuf, Option<BTreeSet<String>>)>,
    diags: Vec<Diagnostic>,
    opts: &ScanOptions,
) -> Found {
    let modules = Modules::new(opts);
    let dirs: Vec<PathBuf> = roots.iter().map(|(dir, _)| dir.clone()).collect();
    modules.preload(&dirs);
    let groups = ResourceGroups::new(&modules, &dirs);
    let parts: Vec<Scanner> = roots
        .par_iter()
        .map(|(dir, names)| {
            let mut scanner = Scanner::new(&modules, &groups);
            scanner.units.push(path_string(dir));
            for set in opts.plan.param_sets(dir) {
                scanner.run_root(dir, names.clone(), &set);
            }
            scanner.keep_best();
            scanner
        })
        .collect();
    let found = join_parts(&modules, &groups, parts, diags);
    modules.drop_in_parallel();
    found
}

/// Join the per-directory scanners, in directory order, into one result after `diags`.
fn join_parts(
    modules: &Modules,
    groups: &ResourceGroups,
    parts: Vec<Scanner>,
    diags: Vec<Diagnostic>,
) -> Found {
    let mut all = Scanner::new(modules, groups);
    all.diags = diags;
    all.kept
        .reserve_exact(parts.iter().map(|p| p.kept.len()).sum());
    for part in parts {
        all.append(part);
    }
    all.finish()
}

/// What makes two found resources copies of one declaration (from one root): the declaring file's identity,
/// line, type, name, `data` or not, and the root.
type CandidateKey = (PathBuf, u32, String, String, bool, String);

/// A `module` block being followed, with what its arguments are evaluated in.
#[derive(Clone, Copy)]
struct Call<'c> {
    file: &'c ParsedFile,
    decl: &'c Decl,
    source: &'c str,
    ctx: &'c hcl::eval::Context<'c>,
    placeholders: &'c BTreeMap<String, String>,
    condition: Condition,
}

/// Where a module instance's variable values come from.
enum Inputs<'s> {
    /// A root module: defaults, variable files and values of one parameter set.
    Root(&'s ParamSet),
    /// A child: defaults, overridden by the caller's arguments (`None`: passed but not statically known;
    /// the `String` is the azd placeholder it stands for, when it is one).
    Args(Vec<ModuleArg>),
}

/// One module to evaluate.
struct Instance<'s> {
    dir: PathBuf,
    inputs: Inputs<'s>,
    /// The conditions on the way here (`count`/`for_each` of the module blocks that lead here).
    condition: Condition,
    via: Option<String>,
    /// Identities of the directories on the way here (cycle check).
    stack: Vec<PathBuf>,
    /// Only list what these files (names in `dir`) declare.
    only_files: Option<BTreeSet<String>>,
}

/// The evaluation of one root module (and the modules it calls); roots are evaluated in parallel, each by its
/// own `Scanner`, and merged in root order, so the result is the same as one after the other.
struct Scanner<'a> {
    opts: &'a ScanOptions,
    modules: &'a Modules<'a>,
    /// The copies found so far: the best of each declaration (by [`crate::model::copy_rank`], the first found
    /// among equals) at the position it was found at, `None` where a better copy found later replaced it.
    /// Worse copies are dropped as they come: a module called many times would otherwise pile them up.
    found: Vec<Option<Resource>>,
    /// Where each declaration's best copy is in `found`.
    best: FxHashMap<CandidateKey, usize>,
    /// What [`Scanner::keep_best`] kept of `found`.
    kept: Vec<Resource>,
    diags: Vec<Diagnostic>,
    /// Module instances evaluated so far (see [`MAX_MODULE_INSTANCES`]).
    instances: usize,
    /// Resource groups the root modules create (see [`eval::Scope::known_groups`]).
    groups: &'a ResourceGroups<'a>,
    /// The root directory being scanned (`scanned_from` of what is found).
    unit: String,
    /// The root is a test or sample directory that no root names ([`crate::iac::DeployPlan::is_aside`]).
    unit_aside: bool,
    /// Every root scanned, module calls met, variable files applied (see [`Found`]).
    units: Vec<String>,
    edges: Vec<(String, String)>,
    applied: Vec<(String, String)>,
}

impl<'a> Scanner<'a> {
    fn new(modules: &'a Modules<'a>, groups: &'a ResourceGroups<'a>) -> Self {
        Scanner {
            opts: modules.opts(),
            modules,
            found: Vec::new(),
            best: FxHashMap::default(),
            kept: Vec::new(),
            diags: Vec::new(),
            instances: 0,
            groups,
            unit: String::new(),
            unit_aside: false,
            units: Vec::new(),
            edges: Vec::new(),
            applied: Vec::new(),
        }
    }

    /// Append what `part` found (the next root, in order).
    fn append(&mut self, mut part: Scanner<'a>) {
        self.kept.append(&mut part.kept);
        self.diags.append(&mut part.diags);
        self.units.append(&mut part.units);
        self.edges.append(&mut part.edges);
        self.applied.append(&mut part.applied);
    }

    fn identity(&self, dir: &Path) -> PathBuf {
        self.modules.identity(dir)
    }

    fn run_root(&mut self, dir: &Path, only_files: Option<BTreeSet<String>>, set: &ParamSet) {
        // The instance budget guards one root's module tree against exponential fan-out; a monorepo of many
        // roots sharing modules must not run out of it.
        self.instances = 0;
        self.unit = path_string(dir);
        self.unit_aside = self.opts.plan.is_aside(dir);
        let identity = self.identity(dir);
        let instance = Instance {
            dir: dir.to_path_buf(),
            inputs: Inputs::Root(set),
            condition: Condition::None,
            via: None,
            stack: vec![identity],
            only_files,
        };
        self.run(instance);
    }

    /// Evaluate one module instance: follow its module calls (their outputs feed this module's
    /// expressions), list its resources, and return its outputs.
    fn run(&mut self, inst: Instance) -> hcl::Map<String, hcl::Value> {
        let Some(identity) = inst.stack.last().cloned() else {
            return hcl::Map::new();
        };
        let module = self.modules.get(&inst.dir);
        let wanted = |f: &ParsedFile| {
            inst.only_files.as_ref().is_none_or(|names| {
                f.path
                    .file_name()
                    .is_some_and(|n| names.contains(n.to_string_lossy().as_ref()))
            })
        };
        let files: Vec<&ParsedFile> = module.files.iter().collect();
        let shown: Vec<&ParsedFile> = module.files.iter().filter(|f| wanted(f)).collect();
        // By name, not by parsed file: a file too large or unreadable to parse has its diagnostic only.
        let parse_diags = module.diags.iter().filter(|d| {
            inst.only_files.as_ref().is_none_or(|names| {
                Path::new(&d.file)
                    .file_name()
                    .is_some_and(|n| names.contains(n.to_string_lossy().as_ref()))
            })
        });
        self.diags.extend(parse_diags.cloned());

        let declared = module.declared();
        let mut scope = eval::Scope {
            module_path: path_string(&inst.dir),
            known_groups: self.groups.for_module(&module),
            ..Default::default()
        };
        match &inst.inputs {
            Inputs::Root(set) => {
                let root = vars::root_values(
                    &inst.dir,
                    &module.var_files,
                    declared,
                    set,
                    self.opts,
                    &mut self.diags,
                );
                for file in &root.files {
                    self.applied.push((self.unit.clone(), path_string(file)));
                }
                scope.vars = root.values;
                scope.placeholders = root.placeholders;
            }
            Inputs::Args(args) => {
                scope.vars = child_values(declared, args);
                scope.placeholders = args
                    .iter()
                    .filter_map(|(name, _, p)| Some((name.clone(), p.clone()?)))
                    .collect();
            }
        }
        // The context always holds the scope as it is now: `settle` returns it.
        let mut ctx = eval::settle(&mut scope, &files);

        for file in &shown {
            for decl in file.decls.iter().filter(|d| d.keyword == "module") {
                let facts = (&declared.sensitive, &scope.placeholders);
                let outputs = self.module_call(&inst, &identity, file, decl, &ctx, facts);
                if let Some(outputs) = outputs.filter(|o| !o.is_empty()) {
                    scope
                        .modules
                        .insert(decl.label(0).to_string(), hcl::Value::Object(outputs));
                    ctx = eval::settle(&mut scope, &files);
                }
            }
        }

        for file in &shown {
            for decl in file.decls.iter().filter(|d| d.labels.len() == 2) {
                if matches!(decl.keyword.as_str(), "resource" | "data") {
                    let mut res = resource::build(decl, &file.file, &ctx, &declared.sensitive);
                    let located = location::resolve(
                        decl,
                        &file.file,
                        &ctx,
                        &scope.placeholders,
                        &mut self.diags,
                    );
                    (res.location, res.location_expr) = (located.location, located.expr);
                    res.via_module = inst.via.clone();
                    res.condition = inst.condition.and(block_condition(decl, &ctx));
                    self.push(&identity, file, res);
                }
            }
        }
        outputs_of(&files, &ctx)
    }

    /// One `module` block: follow a local module (returning its outputs), resolve an AVM one, name a
    /// remote one.
    fn module_call(
        &mut self,
        inst: &Instance,
        identity: &Path,
        file: &ParsedFile,
        decl: &Decl,
        ctx: &hcl::eval::Context,
        (sensitive, placeholders): (&BTreeSet<String>, &BTreeMap<String, String>),
    ) -> Option<hcl::Map<String, hcl::Value>> {
        let source = decl.literal("source")?.to_string();
        let name = decl.label(0);
        let condition = inst.condition.and(block_condition(decl, ctx));
        match modules::classify(&source, &inst.dir) {
            // Under `--no-follow` only the file's own blocks are listed; what a module deploys is not.
            ModuleSource::Avm(_) if !self.opts.follow_modules => None,
            ModuleSource::Avm(arm_type) => {
                let mut res = Resource::new(source.clone(), name, &file.file, decl.line);
                res.arm_type = Some(arm_type);
                res.kind = resource::written_kind(decl, ctx);
                let located =
                    location::resolve(decl, &file.file, ctx, placeholders, &mut self.diags);
                (res.location, res.location_expr) = (located.location, located.expr);
                res.via_module = Some(source.clone());
                res.uses_secrets = resource::uses_secrets(decl, sensitive);
                res.fingerprint = decl.fingerprint();
                res.condition = condition;
                self.push(identity, file, res);
                None
            }
            ModuleSource::Remote => {
                let message = format!(
                    "module \"{name}\" comes from \"{source}\", which is not fetched: its resources are not listed"
                );
                self.diag(file, decl, Severity::Info, "remote-module", message);
                None
            }
            ModuleSource::Local(child_dir) if self.opts.follow_modules => {
                let call = Call {
                    file,
                    decl,
                    source: &source,
                    ctx,
                    placeholders,
                    condition,
                };
                self.follow(inst, &call, child_dir)
            }
            ModuleSource::Local(_) => None,
        }
    }

    /// Follow a local module, unless it is missing, already on the way here, or too deep.
    fn follow(
        &mut self,
        inst: &Instance,
        call: &Call<'_>,
        child_dir: PathBuf,
    ) -> Option<hcl::Map<String, hcl::Value>> {
        let Call {
            file,
            decl,
            source,
            ctx,
            placeholders,
            condition,
        } = *call;
        let name = decl.label(0);
        let child_identity = self.identity(&child_dir);
        self.edges
            .push((path_string(&inst.dir), path_string(&child_dir)));
        // An example or test calling an ordinary directory of the scan (an AVM module's `examples/*` calling
        // `../..`): that directory is scanned on its own and from every root that reaches it, so its
        // resources are listed from there, never with an example's values; its outputs stay unknown here.
        if self.unit_aside && self.opts.plan.scanned_on_its_own(&child_dir) {
            return None;
        }
        let problem = if !child_dir.is_dir() {
            Some((
                "module-not-found",
                format!("module \"{name}\": directory \"{source}\" not found"),
            ))
        } else if inst.stack.contains(&child_identity) {
            let message =
                format!("module \"{name}\" (\"{source}\") includes itself: not followed again");
            Some(("module-cycle", message))
        } else if self.instances >= MAX_MODULE_INSTANCES {
            let message = format!(
                "module \"{name}\": more than {MAX_MODULE_INSTANCES} module instances under this root module, not followed"
            );
            Some(("module-limit", message))
        } else if inst.stack.len() > MAX_MODULE_DEPTH {
            let message =
                format!("module \"{name}\": modules nest deeper than {MAX_MODULE_DEPTH} levels");
            Some(("module-depth", message))
        } else {
            None
        };
        if let Some((code, message)) = problem {
            self.diag(file, decl, Severity::Warning, code, message);
            return None;
        }
        let args = decl
            .body
            .attributes()
            .filter(|a| !MODULE_META.contains(&a.key()))
            .map(|a| {
                let value = eval::evaluate(a.expr(), ctx);
                // `location = var.location` passes on a placeholder the caller's variable stands for.
                let placeholder = decl
                    .attr_text(a.key())
                    .and_then(|t| placeholders.get(t.text.trim().strip_prefix("var.")?))
                    .filter(|_| value.is_none())
                    .cloned();
                (a.key().to_string(), value, placeholder)
            })
            .collect();
        self.instances += 1;
        let mut stack = inst.stack.clone();
        stack.push(child_identity);
        Some(self.run(Instance {
            dir: child_dir,
            inputs: Inputs::Args(args),
            condition,
            via: Some(source.to_string()),
            stack,
            only_files: None,
        }))
    }

    fn diag(
        &mut self,
        file: &ParsedFile,
        decl: &Decl,
        severity: Severity,
        code: &str,
        message: String,
    ) {
        let column = decl.attr_text("source").map_or(0, |a| a.column);
        let line = decl.attr_text("source").map_or(decl.line, |a| a.line);
        self.diags.push(Diagnostic::new(
            &file.file, line, column, severity, code, message,
        ));
    }

    fn push(&mut self, dir_identity: &Path, file: &ParsedFile, mut resource: Resource) {
        let name = file.path.file_name().map(PathBuf::from).unwrap_or_default();
        resource.scanned_from = self.unit.clone();
        let key = (
            dir_identity.join(name),
            resource.line,
            resource.source_type.clone(),
            resource.name.clone(),
            resource.existing,
            self.unit.clone(),
        );
        let rank = crate::model::copy_rank;
        match self.best.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(self.found.len());
                self.found.push(Some(resource));
            }
            Entry::Occupied(mut slot) => {
                let held = self.found.get_mut(*slot.get());
                if let Some(held) =
                    held.filter(|h| h.as_ref().is_some_and(|h| rank(&resource) > rank(h)))
                {
                    *held = None;
                    slot.insert(self.found.len());
                    self.found.push(Some(resource));
                }
            }
        }
    }

    /// Keep one copy of each declaration: the best ones `push` left in `found`, in the order they were found.
    /// Every key holds the root it was found from, so each root's scanner does this for itself (and drops
    /// the keys on the root's own thread).
    fn keep_best(&mut self) {
        self.best = FxHashMap::default();
        self.kept = std::mem::take(&mut self.found)
            .into_iter()
            .flatten()
            .collect();
    }

    /// What the roots found (each already [`Scanner::keep_best`]), one of each diagnostic.
    fn finish(self) -> Found {
        Found {
            resources: self.kept,
            diagnostics: self.diags,
            units: self.units,
            edges: self.edges,
            applied: self.applied,
        }
        .without_repeated_diagnostics()
    }
}

/// The `output` values of a module that evaluate.
fn outputs_of(files: &[&ParsedFile], ctx: &hcl::eval::Context) -> hcl::Map<String, hcl::Value> {
    let outputs = files
        .iter()
        .flat_map(|f| &f.decls)
        .filter(|d| d.keyword == "output");
    outputs
        .filter_map(|d| {
            Some((
                d.label(0).to_string(),
                eval::evaluate(d.attr("value")?, ctx)?,
            ))
        })
        .collect()
}
