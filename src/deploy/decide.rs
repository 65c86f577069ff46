//! After the scan: which units are roots (the named ones, or the fallback), and for every resource whether it
//! is deployed, why not, and from which root.

use super::{FoundBy, Plan, Root};
use crate::distinct::{self, PerString};
use crate::iac::Found;
use crate::model::{Condition, Diagnostic, Resource, WhyNot, path_string};
use crate::paths::{absolute, relative};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where a template sits, as the fallback sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathClass {
    /// An ordinary place: a fallback root when nothing uses it.
    Deployable,
    /// Under `test/`, `tests/`, or named `*.test.bicep` / `*.tests.bicep`.
    Test,
    /// Under `sample(s)/`, `example(s)/`, `demo/`, `docs/`.
    Sample,
}

/// Classify a path (relative to PATH or the repository) by its segments, case-insensitively.
///
/// ```
/// use azengage::deploy::{PathClass, classify};
/// use std::path::Path;
/// assert_eq!(classify(Path::new("infra/main.test.bicep")), PathClass::Test);
/// assert_eq!(classify(Path::new("Samples/basic/main.tf")), PathClass::Sample);
/// assert_eq!(classify(Path::new("infra/core/host/appservice.bicep")), PathClass::Deployable);
/// ```
pub fn classify(path: &Path) -> PathClass {
    // Compared ignoring ASCII case, without a lower-case copy of each segment: thousands of paths are judged.
    let is = |segment: &str, words: &[&str]| words.iter().any(|w| segment.eq_ignore_ascii_case(w));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let ends_with = |suffix: &str| {
        name.len()
            .checked_sub(suffix.len())
            .and_then(|start| name.as_bytes().get(start..))
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix.as_bytes()))
    };
    if ends_with(".test.bicep") || ends_with(".tests.bicep") {
        return PathClass::Test;
    }
    let mut class = PathClass::Deployable;
    for segment in path.components() {
        let segment = segment.as_os_str().to_string_lossy();
        if is(&segment, &["test", "tests"]) {
            return PathClass::Test;
        }
        if is(
            &segment,
            &["sample", "samples", "example", "examples", "demo", "docs"],
        ) {
            class = PathClass::Sample;
        }
    }
    class
}

/// The resources marked, the roots listed, and what the reports say about them.
#[derive(Debug, Default)]
pub struct Decided {
    /// Every resource (copies from scans outside PATH left out), marked.
    pub resources: Vec<Resource>,
    /// Diagnostics, those about files outside PATH that were only scanned to find roots left out.
    pub diagnostics: Vec<Diagnostic>,
    /// The roots that apply to PATH.
    pub roots: Vec<Root>,
    /// One line: how the roots were found.
    pub summary: String,
    /// One line on where the region comes from, when it is an environment value.
    pub region_note: Option<String>,
}

/// Mark what `found` holds, for a scan of `paths` planned as `plan`; paths print relative to `base`.
pub fn decide(found: Found, plan: &Plan, paths: &[PathBuf], base: &Path) -> Decided {
    let scope = Scope::new(paths, plan);
    let units: BTreeSet<PathBuf> = found.units.par_iter().map(|u| norm(u)).collect();
    let roots = scope.roots(plan, &units, &found.edges);
    let mut resources = found.resources;
    scope.drop_outside_copies(&mut resources);
    let marks = Marks::new(&scope, &roots, base, &resources);
    resources
        .par_chunks_mut(distinct::CHUNK)
        .for_each(|chunk| marks.mark(chunk));
    let diagnostics = found
        .diagnostics
        .into_iter()
        .chain(plan.diagnostics.iter().cloned())
        .filter(|d| {
            scope.extra.is_empty()
                || !scope.extra.contains(&norm(&d.file))
                || scope.inside(&norm(&d.file))
        })
        .collect();
    let listed = listed_roots(&roots, &resources, &found.applied, &scope, base);
    let region_note = region_note(&resources, plan, &found.applied);
    distinct::free_later((found.units, found.edges, found.applied));
    Decided {
        summary: summary(&listed),
        region_note,
        roots: listed,
        resources,
        diagnostics,
    }
}

/// The roots chosen, by normalised path, with what named them (one path may be named several ways).
type Roots = BTreeMap<PathBuf, Vec<(FoundBy, Option<(PathBuf, u32)>)>>;

/// What PATH covers and what was scanned only to find roots.
pub(crate) struct Scope {
    paths: Vec<PathBuf>,
    repo_root: PathBuf,
    /// Files and Terraform directories scanned only to find roots that lead into PATH.
    extra: BTreeSet<PathBuf>,
}

impl Scope {
    pub(crate) fn new(paths: &[PathBuf], plan: &Plan) -> Scope {
        Scope {
            paths: paths.iter().map(|p| absolute(p)).collect(),
            repo_root: absolute(&plan.repo_root),
            extra: plan.extra.all().map(|p| absolute(p)).collect(),
        }
    }

    fn inside(&self, path: &Path) -> bool {
        self.paths.iter().any(|p| path.starts_with(p))
    }

    /// Leave out the copies found from a unit outside PATH of resources outside PATH: those units were
    /// scanned only to see whether they lead into PATH.
    fn drop_outside_copies(&self, resources: &mut Vec<Resource>) {
        if self.extra.is_empty() {
            return;
        }
        let extra = PerString::new(
            resources,
            |r| Some(r.scanned_from.as_str()),
            |unit| self.extra.contains(&norm(unit)),
        );
        let outside = PerString::new(
            resources,
            |r| Some(r.file.as_str()),
            |file| !self.inside(&norm(file)),
        );
        let (mut extra, mut outside) = (extra.lookup(), outside.lookup());
        resources.retain(|r| {
            !(extra.get(&r.scanned_from) == Some(&true) && outside.get(&r.file) == Some(&true))
        });
    }

    /// How the fallback sees a path: judged below the PATH holding it (so `azengage inventory examples/x`
    /// reads `examples/x` as ordinary), else below the repository root, else by its name alone (the
    /// directories a checkout lives in say nothing about it).
    pub(crate) fn class(&self, path: &Path) -> PathClass {
        let relative = self
            .paths
            .iter()
            .filter(|p| path.starts_with(p))
            .max_by_key(|p| p.components().count())
            .and_then(|p| path.strip_prefix(p).ok())
            .or_else(|| path.strip_prefix(&self.repo_root).ok())
            .or_else(|| path.file_name().map(Path::new));
        classify(relative.unwrap_or(path))
    }

    /// The named roots, else the fallback's.
    fn roots(&self, plan: &Plan, units: &BTreeSet<PathBuf>, edges: &[(String, String)]) -> Roots {
        let mut roots = Roots::new();
        for named in &plan.named {
            let mut path = norm(&path_string(&named.path));
            // A Terraform file given on the command line is scanned as its directory.
            if named.path.is_file() && !units.contains(&path) {
                path.pop();
            }
            let entry = roots.entry(path).or_default();
            let how = (named.found_by, named.evidence.clone());
            if !entry.contains(&how) {
                entry.push(how);
            }
        }
        for dir in &plan.config_dirs {
            let dir = absolute(dir);
            let inside: BTreeSet<PathBuf> = units
                .iter()
                .filter(|u| u.starts_with(&dir))
                .cloned()
                .collect();
            for unit in fallback(&inside, edges, |p| self.class(p)) {
                let evidence = roots_evidence(plan);
                roots
                    .entry(unit)
                    .or_default()
                    .push((FoundBy::Config, evidence));
            }
        }
        if roots.is_empty() && plan.named.is_empty() && plan.config_dirs.is_empty() {
            for unit in fallback(units, edges, |p| self.class(p)) {
                roots
                    .entry(unit)
                    .or_default()
                    .push((FoundBy::Fallback, None));
            }
        }
        roots
    }
}

/// Marks resources: whether each is deployed, why not, from which root. Resources are many and their files
/// and units few, so what a path string gives is worked out once per string, before any resource is marked.
struct Marks {
    /// Unit → the root as output shows it, when the unit is a root.
    root_of: PerString<Option<String>>,
    /// File of a copy reached from no root → how the fallback sees it.
    class_of: PerString<PathClass>,
}

impl Marks {
    fn new(scope: &Scope, roots: &Roots, base: &Path, resources: &[Resource]) -> Self {
        let root_of = PerString::new(
            resources,
            |r| Some(r.scanned_from.as_str()),
            |unit| {
                let unit = norm(unit);
                roots.contains_key(&unit).then(|| display(base, &unit))
            },
        );
        let class_of = {
            let mut root_of = root_of.lookup();
            let unreached: Vec<bool> = resources
                .iter()
                .map(|r| matches!(root_of.get(&r.scanned_from), Some(None)))
                .collect();
            let files = distinct::strings_at(resources, |i, r| {
                unreached.get(i).copied()?.then_some(r.file.as_str())
            });
            PerString::of(files, |file| scope.class(&norm(file)))
        };
        Marks { root_of, class_of }
    }

    /// Mark consecutive resources.
    fn mark(&self, resources: &mut [Resource]) {
        let (mut root_of, mut class_of) = (self.root_of.lookup(), self.class_of.lookup());
        for r in resources {
            if let Some(Some(root)) = root_of.get(&r.scanned_from) {
                if r.condition == Condition::False {
                    r.deployed = false;
                    r.why_not = Some(WhyNot::Condition);
                    r.root = None;
                } else {
                    r.deployed = true;
                    r.why_not = None;
                    r.root = Some(root.clone());
                }
                continue;
            }
            r.deployed = false;
            r.root = None;
            r.why_not = Some(match class_of.get(&r.file) {
                Some(PathClass::Test) => WhyNot::Test,
                Some(PathClass::Sample) => WhyNot::Sample,
                Some(PathClass::Deployable) | None => WhyNot::Unreferenced,
            });
        }
    }
}

/// The evidence of a config root (the `deploy.roots` line).
fn roots_evidence(plan: &Plan) -> Option<(PathBuf, u32)> {
    plan.named
        .iter()
        .find(|n| n.found_by == FoundBy::Config)
        .and_then(|n| n.evidence.clone())
}

/// The fallback: every unit no other (ordinary) unit uses, tests and samples aside; if that leaves none, every
/// ordinary unit; if there is none, every unit.
fn fallback(
    units: &BTreeSet<PathBuf>,
    edges: &[(String, String)],
    class: impl Fn(&Path) -> PathClass + Sync,
) -> BTreeSet<PathBuf> {
    let ordinary: BTreeSet<PathBuf> = units
        .par_iter()
        .filter(|u| class(u) == PathClass::Deployable)
        .cloned()
        .collect();
    // A module reached from many templates is an edge of each, and a template calls many modules: each
    // distinct end is looked at once.
    let ordinary_from = PerString::new(
        edges,
        |(from, _)| Some(from.as_str()),
        |from| class(&norm(from)) == PathClass::Deployable,
    );
    let used_ends = distinct::strings(edges, |(from, to)| {
        (ordinary_from.get(from) == Some(&true)).then_some(to.as_str())
    });
    let used: BTreeSet<PathBuf> = used_ends.into_par_iter().map(norm).collect();
    let roots: BTreeSet<PathBuf> = ordinary.difference(&used).cloned().collect();
    if !roots.is_empty() {
        roots
    } else if !ordinary.is_empty() {
        ordinary
    } else {
        units.clone()
    }
}

/// [`fallback`] with path classes judged on the paths as they are (for unit tests).
#[cfg(test)]
pub(super) fn fallback_for_tests(
    units: &BTreeSet<PathBuf>,
    edges: &[(String, String)],
) -> BTreeSet<PathBuf> {
    fallback(units, edges, classify)
}

/// The roots that apply to PATH (inside it, or reached into it), each with the parameter files applied.
fn listed_roots(
    roots: &Roots,
    resources: &[Resource],
    applied: &[(String, String)],
    scope: &Scope,
    base: &Path,
) -> Vec<Root> {
    let used: BTreeSet<&str> = distinct::strings(resources, |r| r.root.as_deref())
        .into_iter()
        .collect();
    let mut parameters: HashMap<PathBuf, Vec<String>> = HashMap::new();
    for (unit, file) in applied {
        let list = parameters.entry(norm(unit)).or_default();
        let file = display(base, &norm(file));
        if !list.contains(&file) {
            list.push(file);
        }
    }
    let mut out = Vec::new();
    for (path, named_by) in roots {
        let shown = display(base, path);
        if !scope.inside(path) && !used.contains(shown.as_str()) {
            continue;
        }
        for (found_by, evidence) in named_by {
            out.push(Root {
                path: shown.clone(),
                found_by: *found_by,
                evidence: evidence
                    .as_ref()
                    .map(|(file, line)| format!("{}:{line}", display(base, &absolute(file)))),
                parameters: parameters.get(path).cloned().unwrap_or_default(),
            });
        }
    }
    out.sort_by(|a, b| (&a.path, a.found_by).cmp(&(&b.path, b.found_by)));
    out
}

/// One line: how the roots were found.
fn summary(roots: &[Root]) -> String {
    if roots.is_empty() {
        return "No deployment root found: nothing is counted as deployed.".into();
    }
    let mut by: BTreeMap<FoundBy, Vec<&str>> = BTreeMap::new();
    for root in roots {
        let paths = by.entry(root.found_by).or_default();
        // The PATH itself (a Terraform root given as PATH) reads better in words than as `.`.
        let shown = if root.path == "." {
            "the directory given"
        } else {
            root.path.as_str()
        };
        if !paths.contains(&shown) {
            paths.push(shown);
        }
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(found_by, paths)| {
            let how = match found_by {
                FoundBy::Config => "deploy.roots in the config",
                FoundBy::AzureYaml => "azure.yaml",
                FoundBy::Workflow => "the deploy workflows",
                FoundBy::Fallback => {
                    "the fallback: no config, azure.yaml or deploy workflow names a root, so every template no \
                     other file uses, tests and samples aside"
                }
                FoundBy::Argument => "the file given",
            };
            format!("{} ({how})", list(paths))
        })
        .collect();
    format!("Deployed from {}.", parts.join("; "))
}

/// `a, b, c and 4 more`.
fn list(paths: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut out = paths
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        out.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    out
}

/// Where the region comes from, when azd fills it from the environment: named once, with how to give it.
fn region_note(
    resources: &[Resource],
    plan: &Plan,
    applied: &[(String, String)],
) -> Option<String> {
    let unknown: BTreeSet<&str> = resources
        .iter()
        .filter(|r| r.deployed && r.location.is_none())
        .filter_map(|r| r.location_expr.as_deref())
        .filter(|e| e.starts_with("${") && e.ends_with('}'))
        .collect();
    if let Some(first) = unknown.iter().next() {
        let name = first.trim_start_matches("${").trim_end_matches('}');
        return Some(format!(
            "The region comes from {first}, which azd sets when it deploys: it is unknown here. Name it with \
             deploy.env ({name}: your region) in .github/azengage.yml or an env: value in the deploy \
             workflow."
        ));
    }
    let texts: Vec<String> = applied
        .iter()
        .filter_map(|(_, file)| std::fs::read_to_string(file).ok())
        .collect();
    plan.env_sources
        .iter()
        .filter(|(name, _)| {
            let upper = name.to_ascii_uppercase();
            (upper.contains("LOCATION") || upper.contains("REGION"))
                && texts.iter().any(|t| t.contains(&format!("${{{name}")))
        })
        .map(|(name, (value, source))| {
            format!("The region comes from {name} = {value}, set in {source}.")
        })
        .next()
}

/// A path string made absolute and normalised.
fn norm(path: &str) -> PathBuf {
    absolute(Path::new(path))
}

/// `path` as output shows it: relative to `base`, `.` for `base` itself.
fn display(base: &Path, path: &Path) -> String {
    let base = absolute(base);
    if *path == base {
        return ".".into();
    }
    relative(&base, &path_string(path))
}
