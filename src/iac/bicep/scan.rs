//! The scan: load each file once, walk its declarations, follow modules, and collect resources and
//! diagnostics; at the end, list each resource once per declaring file and line.

/// The ARM type a Bicep `module` compiles to.
pub const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

use super::analysis;
use super::ast::{ExprKind, ModuleDecl, ObjectItem, ResourceDecl, SourceFile, Span, StmtKind};
use super::params;
use super::resolve::{Env, Origin, ParamValues};
use crate::catalog;
use crate::iac::region::{self, RegionValue};
use crate::iac::source::{LineIndex, read_source};
use crate::iac::{Found, ParamSet, ScanOptions};
use crate::model::{Condition, Diagnostic, Resource, Severity, path_string};
use crate::paths::{identity, lexical};
use rustc_hash::FxHashMap;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod cache;
mod conditions;
mod kind;
mod modules;
mod parallel;

use conditions::body_condition;
use kind::{front_door_kind, front_door_sku_kind};

/// How many module expansions one template's module graph may take (a guard against huge diamond-shaped
/// graphs); counted per template the scan starts from, so a monorepo of many templates does not run out.
const MAX_MODULE_EXPANSIONS: usize = 10_000;

/// How deep a chain of modules may go before it is cut (each level is a recursion of the scan).
const MAX_MODULE_DEPTH: usize = 64;

/// Read and parse one file: the file (`None` when it cannot be read) and its read and syntax diagnostics.
fn read_and_parse(path: &Path, opts: &ScanOptions) -> (Option<ParsedFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let file = read_source(path, opts, &mut diagnostics).map(|text| {
        let tree = super::parse(&text);
        let file = ParsedFile {
            path: path.to_path_buf(),
            display: path_string(path),
            lines: LineIndex::new(&text),
            text,
            tree,
        };
        for error in &file.tree.errors {
            let (line, column) = file.line_col(error.offset);
            diagnostics.push(Diagnostic::parse_error(
                &file.display,
                line,
                column,
                &error.message,
            ));
        }
        file
    });
    (file, diagnostics)
}

/// One loaded and parsed file.
pub(super) struct ParsedFile {
    /// The path as given or as reached through modules (lexically normalised).
    pub path: PathBuf,
    /// `path` as an output string.
    pub display: String,
    /// The text.
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// The syntax tree.
    pub tree: SourceFile,
}

impl ParsedFile {
    fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines.line_col(&self.text, offset)
    }

    fn slice(&self, span: Span) -> String {
        self.text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

/// The values of the `.bicepparam` files, by the key of the template their `using` names: (parameter file,
/// values).
type Applied = HashMap<PathBuf, (PathBuf, ParamValues)>;

/// The scan's state: the file cache, what was found, and the module stack.
pub(super) struct Scanner<'o> {
    pub opts: &'o ScanOptions,
    /// Parsed files by id; `None` once dropped from the cache (see [`cache::CACHE_BYTES`]).
    files: Vec<Option<Arc<ParsedFile>>>,
    /// Where each file id was read from, to read it again after it was dropped.
    paths: Vec<PathBuf>,
    /// When each file id was last loaded (a count of loads), for dropping the least recently used.
    used: Vec<u64>,
    loads: u64,
    /// Bytes of source held by the parsed files in `files`.
    held: usize,
    /// How many bytes of source `files` may hold between templates ([`cache::CACHE_BYTES`]).
    cache_bytes: usize,
    /// Keys of the files the walk named, in order: parsed in parallel batches as the scan reaches them.
    queue: Vec<PathBuf>,
    /// Next entry of `queue` to look at.
    queued_from: usize,
    /// The files of `queue` not parsed yet: key → path.
    pending: FxHashMap<PathBuf, PathBuf>,
    /// Whether a batch of `queue` is parsed in parallel (a part of a parallel scan parses its own batches
    /// on its own thread: see `parallel.rs`).
    parallel_parse: bool,
    by_key: FxHashMap<PathBuf, Option<usize>>,
    /// [`identity`] of each path asked about: canonicalising costs a `readlink` per path component.
    keys: FxHashMap<PathBuf, PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    resources: Vec<Resource>,
    /// (file id, offset of a resource declaration) → its fingerprint and whether it uses secrets.
    declarations: FxHashMap<(usize, usize), (u64, bool)>,
    /// Module expansions done: (file, reference, values, inherited condition, unit).
    expanded: rustc_hash::FxHashSet<(usize, String, u64, Condition, String)>,
    stack: Vec<usize>,
    expansions: usize,
    /// The scan unit being scanned (the template the scan started at), for `scanned_from`.
    unit: String,
    /// The conditions on the way to the file being scanned (modules with `if`, loops).
    inherited: Condition,
    /// The unit is a test or sample template that no root names ([`crate::iac::DeployPlan::is_aside`]).
    unit_aside: bool,
    /// Every unit scanned, local module references met, parameter files applied (see [`Found`]).
    units: Vec<String>,
    edges: Vec<(String, String)>,
    applied: Vec<(String, String)>,
    /// The location of the resource group the file being scanned deploys into, when a parent's `scope:` named
    /// a resource group it declares: where a registry module placed at `resourceGroup().location` goes.
    rg_location: Option<String>,
}

impl<'o> Scanner<'o> {
    pub fn new(opts: &'o ScanOptions) -> Self {
        Scanner {
            opts,
            files: Vec::new(),
            paths: Vec::new(),
            used: Vec::new(),
            loads: 0,
            held: 0,
            cache_bytes: cache::CACHE_BYTES,
            queue: Vec::new(),
            queued_from: 0,
            pending: FxHashMap::default(),
            parallel_parse: true,
            by_key: FxHashMap::default(),
            keys: FxHashMap::default(),
            diagnostics: Vec::new(),
            resources: Vec::new(),
            declarations: FxHashMap::default(),
            expanded: rustc_hash::FxHashSet::default(),
            stack: Vec::new(),
            expansions: 0,
            unit: String::new(),
            inherited: Condition::None,
            unit_aside: false,
            units: Vec::new(),
            edges: Vec::new(),
            applied: Vec::new(),
            rg_location: None,
        }
    }

    /// Scan every file: parameter files first (they say which values apply to which template), then every
    /// template with its values.
    pub fn run(&mut self, files: &[PathBuf]) {
        self.preload(files);
        let has_ext =
            |p: &Path, ext: &str| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
        let mut templates: Vec<PathBuf> = files
            .iter()
            .filter(|p| has_ext(p, "bicep"))
            .cloned()
            .collect();
        let mut param_files: Vec<&PathBuf> =
            files.iter().filter(|p| has_ext(p, "bicepparam")).collect();
        param_files.sort();
        let mut listed: HashSet<PathBuf> = templates.iter().map(|t| self.key(t)).collect();
        let mut applied: Applied = HashMap::new();
        for param_file in param_files {
            let Some(id) = self.load(param_file) else {
                continue;
            };
            let (template, values) = params::param_file(self, id);
            let Some(template) = template else { continue };
            let key = self.key(&template);
            if !listed.contains(&key) && self.opts.follow_modules && template.is_file() {
                listed.insert(key.clone());
                templates.push(template);
            }
            applied
                .entry(key)
                .or_insert((param_file.to_path_buf(), values));
        }
        self.scan_templates(&templates, &applied);
    }

    /// Scan one template with each parameter set it is deployed with; `applied` holds the values of the
    /// `.bicepparam` files by the key of the template they name.
    fn scan_template(&mut self, template: &Path, applied: &Applied) {
        self.trim_cache();
        let Some(id) = self.load(template) else {
            return;
        };
        let unit = path_string(template);
        self.units.push(unit.clone());
        let opts = self.opts;
        self.unit_aside = opts.plan.is_aside(template);
        for set in opts.plan.param_sets(template) {
            let using = applied.get(&self.key(template));
            let values = self.values_for(template, &unit, &set, using);
            self.expansions = 0;
            self.rg_location = None;
            self.unit = unit.clone();
            self.inherited = Condition::None;
            self.stack.push(id);
            self.scan_file(id, &values, None);
            self.stack.pop();
        }
    }

    /// The values one parameter set gives `template`: the conventional files (a `.bicepparam` whose
    /// `using` names it, else the one beside it, else `<stem>.parameters.json`), then the set's files, then
    /// its inline values. Every file applied is recorded for the unit.
    fn values_for(
        &mut self,
        template: &Path,
        unit: &str,
        set: &ParamSet,
        using: Option<&(PathBuf, ParamValues)>,
    ) -> ParamValues {
        let mut values = ParamValues::new();
        if set.conventional {
            let (file, conventional) = match using {
                Some((file, values)) => (Some(file.clone()), values.clone()),
                None => params::sibling_values(self, template),
            };
            if let Some(file) = file {
                self.applied.push((unit.to_string(), path_string(&file)));
            }
            values = conventional;
        }
        for file in &set.files {
            if !file.is_file() {
                let message = format!("parameter file '{}' not found", path_string(file));
                self.diagnostics.push(Diagnostic::new(
                    unit,
                    0,
                    0,
                    Severity::Warning,
                    "module-not-found",
                    message,
                ));
                continue;
            }
            self.applied.push((unit.to_string(), path_string(file)));
            values.extend(params::file_values(self, file));
        }
        for (name, value) in &set.values {
            values.insert(name.clone(), params::inline_value(value, unit));
        }
        values
    }

    /// Everything found, each resource once per declaring file, line, name and type (the copy reached through a
    /// module and with a resolved location preferred), each diagnostic once.
    pub fn finish(self) -> Found {
        // Files are few and resources many: each file's identity is worked out once, and the keys borrow from
        // the resources (nothing is copied to compare them).
        let all = self.resources;
        let mut file_ids: FxHashMap<&str, usize> = FxHashMap::default();
        let mut identities: FxHashMap<PathBuf, usize> = FxHashMap::default();
        let chosen = crate::model::best_per_key(
            &all,
            |resource| {
                let next = identities.len();
                let file = *file_ids.entry(resource.file.as_str()).or_insert_with(|| {
                    *identities
                        .entry(identity(Path::new(&resource.file)))
                        .or_insert(next)
                });
                (
                    file,
                    resource.line,
                    resource.name.as_str(),
                    resource.arm_type.as_deref(),
                    resource.scanned_from.as_str(),
                )
            },
            crate::model::copy_rank,
        );
        let resources = crate::model::take_positions(all, chosen);
        Found {
            resources,
            diagnostics: self.diagnostics,
            units: self.units,
            edges: self.edges,
            applied: self.applied,
        }
        .without_repeated_diagnostics()
    }

    /// Walk one file's declarations with the parameter values `given`; `via` is the module reference it was
    /// reached through.
    fn scan_file(&mut self, id: usize, given: &ParamValues, via: Option<&str>) {
        let Some(file) = self.file(id) else {
            return;
        };
        let mut env = Env::new(id, &file.tree.statements, given);
        env.environment = Some(&self.opts.plan.env);
        let inherited = self.inherited;
        for stmt in &file.tree.statements {
            match &stmt.kind {
                StmtKind::Resource(decl) => self.resource(&file, &env, decl, None, via, inherited),
                StmtKind::Module(decl) => {
                    let condition = inherited.and(body_condition(&env, &decl.body, 0));
                    self.deployment(&file, decl, via, condition);
                    if self.opts.follow_modules {
                        self.inherited = condition;
                        self.module(&file, &env, decl);
                        self.inherited = inherited;
                    }
                }
                _ => {}
            }
        }
    }

    /// One resource and its nested children. `parent` is the parent's full type and API version.
    fn resource(
        &mut self,
        file: &ParsedFile,
        env: &Env,
        decl: &ResourceDecl,
        parent: Option<(&str, Option<&str>)>,
        via: Option<&str>,
        inherited: Condition,
    ) {
        let (ty, api) = split_type(&decl.type_string);
        let (full, api) = match parent {
            Some((parent_type, parent_api)) if !ty.contains('/') => (
                format!("{parent_type}/{ty}"),
                api.or(parent_api).map(str::to_string),
            ),
            _ => (ty.to_string(), api.map(str::to_string)),
        };
        let source_type = match (&parent, &api) {
            (Some(_), Some(api)) => format!("{full}@{api}"),
            (Some(_), None) => full.clone(),
            (None, _) => decl.type_string.clone(),
        };
        let mut resource = Resource::new(
            source_type,
            &decl.name,
            &file.display,
            file.line_col(decl.span.start).0,
        );
        resource.arm_type = is_arm_type(&full).then(|| full.clone());
        resource.api_version = api.clone();
        resource.existing = decl.existing;
        resource.via_module = via.map(str::to_string);
        resource.scanned_from = self.unit.clone();
        let condition = inherited.and(body_condition(env, &decl.body, 0));
        resource.condition = condition;
        let body = decl.body.body_object();
        let mark = env.shadow(decl.body.loop_variables());
        if let Some(location) = body.and_then(|b| b.property("location")) {
            let (region, placeholder) = self.region_of(env, location);
            resource.location_expr = Some(placeholder.unwrap_or_else(|| file.slice(location.span)));
            resource.location = region;
        }
        resource.kind = body
            .and_then(|b| b.property("kind"))
            .and_then(|k| env.eval(k)?.as_str().map(str::to_string))
            .or_else(|| front_door_kind(env, &full, body));
        // A declaration's fingerprint and secrets depend on its text alone: worked out once however many
        // templates reach it.
        let (fingerprint, uses_secrets) = *self
            .declarations
            .entry((env.file(), decl.span.start))
            .or_insert_with(|| {
                (
                    analysis::fingerprint(&decl.type_string, &decl.body),
                    analysis::uses_secrets(&decl.body, &env.secure_params),
                )
            });
        resource.uses_secrets = uses_secrets;
        resource.fingerprint = fingerprint;
        self.resources.push(resource);
        if let Some(ExprKind::Object(items)) = body.map(|b| &b.kind) {
            for item in items {
                if let ObjectItem::Resource(child) = item {
                    let parent = Some((full.as_str(), api.as_deref()));
                    self.resource(file, env, child, parent, via, condition);
                }
            }
        }
        env.unshadow(mark);
    }

    /// The canonical region a location expression names, when it resolves, else the azd placeholder it comes
    /// from when that is what it is (`${AZURE_LOCATION}`); a string that is not a region gives an
    /// `unknown-region` warning at the literal.
    fn region_of(
        &mut self,
        env: &Env,
        expr: &super::ast::Expr,
    ) -> (Option<String>, Option<String>) {
        let Some(known) = env.eval(expr) else {
            return (None, None);
        };
        if let super::resolve::Value::Env(placeholder) = &known.value {
            return (None, Some(placeholder.clone()));
        }
        (self.region_text(&known), None)
    }

    fn region_text(&mut self, known: &super::resolve::Known) -> Option<String> {
        let message = match region::resolve(known.as_str()?) {
            RegionValue::Region(name) => return Some(name),
            RegionValue::NotARegion(message) => message,
            RegionValue::Later => return None,
        };
        let (file, line, column) = match &known.origin {
            Origin::Source { file, offset } => match self.file(*file) {
                Some(f) => {
                    let (line, column) = f.line_col(*offset);
                    (f.display.clone(), line, column)
                }
                None => (String::new(), 0, 0),
            },
            Origin::File(path) => (path.clone(), 0, 0),
        };
        self.diagnostics
            .push(region::unknown_region(file, line, column, message));
        None
    }

    /// Record a diagnostic at byte `offset` of `file`.
    pub(super) fn report(
        &mut self,
        file: &ParsedFile,
        offset: usize,
        severity: Severity,
        code: &str,
        message: String,
    ) {
        let (line, column) = file.line_col(offset);
        self.diagnostics.push(Diagnostic::new(
            &file.display,
            line,
            column,
            severity,
            code,
            message,
        ));
    }
}

/// `Microsoft.Web/sites@2023-01-01` → (`Microsoft.Web/sites`, `Some("2023-01-01")`).
/// An extension alias prefix (`az:Microsoft.Web/sites@...`) is dropped.
fn split_type(type_string: &str) -> (&str, Option<&str>) {
    let type_string = match type_string.split_once(':') {
        Some((alias, rest)) if !alias.contains('/') && !alias.contains('@') => rest,
        _ => type_string,
    };
    match type_string.split_once('@') {
        Some((ty, api)) => (ty.trim(), Some(api.trim()).filter(|a| !a.is_empty())),
        None => (type_string.trim(), None),
    }
}

/// ARM types have a `Company.Service` namespace (`Microsoft.Web/sites`, `Dynatrace.Observability/monitors`,
/// and in any case: templates and AVM write `microsoft.insights/components`); Kubernetes extension types do
/// not (`apps/Deployment`, `networking.k8s.io/Ingress`).
fn is_arm_type(full: &str) -> bool {
    let Some((namespace, rest)) = full.split_once('/') else {
        return false;
    };
    !rest.is_empty()
        && namespace.contains('.')
        && (namespace.starts_with(|c: char| c.is_ascii_uppercase())
            || namespace.to_ascii_lowercase().starts_with("microsoft."))
}

fn hash_values(values: &ParamValues) -> u64 {
    let mut entries: Vec<_> = values.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    entries.sort();
    let mut h = DefaultHasher::new();
    entries.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_strings_split_and_classify() {
        assert_eq!(
            split_type("Microsoft.Web/sites@2023-01-01"),
            ("Microsoft.Web/sites", Some("2023-01-01"))
        );
        assert_eq!(split_type("containers"), ("containers", None));
        assert_eq!(
            split_type("az:My.Rp/TestType@2020-01-01"),
            ("My.Rp/TestType", Some("2020-01-01"))
        );
        assert!(is_arm_type(
            "Microsoft.Storage/storageAccounts/blobServices"
        ));
        assert!(!is_arm_type("apps/Deployment"));
        assert!(!is_arm_type("networking.k8s.io/Ingress"));
        assert!(is_arm_type(
            "microsoft.insights/components/linkedStorageAccounts"
        ));
        assert!(is_arm_type(
            "microsoft.alertsManagement/smartDetectorAlertRules"
        ));
    }
}
