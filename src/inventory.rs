//! The inventory stage: files → resources, services and regions.
//!
//! It runs the three language scanners in parallel over what [`crate::discover`] found, then makes the result
//! deterministic and comparable: paths relative to what the user gave, one entry per declaring file and line,
//! catalog facts (service, category, solution area) filled in, everything sorted.

use crate::catalog;
use crate::deploy::{self, Root};
use crate::discover::{Discovered, discover};
use crate::iac::{Found, ScanOptions, arm, bicep, terraform};
use crate::model::{Diagnostic, Resource};
use crate::distinct::{self, PerString};
use crate::paths::{absolute, relative};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The JSON schema version of every document azengage prints.
pub const SCHEMA_VERSION: u32 = 1;

/// One service in the inventory, with how many deployed top-level resources use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceSummary {
    /// Service name.
    pub name: String,
    /// FOCUS service category.
    pub category: String,
    /// Partner-program solution area.
    pub solution_area: String,
    /// Top-level resources of this service (two-segment ARM types); child resources do not add to it.
    pub resources: usize,
    /// `false` for plumbing (Resource Manager, RBAC, managed identities, portal dashboards, Azure Policy):
    /// listed, but counted in no breadth figure.
    pub counts_for_breadth: bool,
}

/// One region in the inventory, with how many (non-`existing`) resources are placed there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionSummary {
    /// Canonical name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Resources in this region.
    pub resources: usize,
}

/// The `inventory --format json` document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Every resource, sorted by file, line, name.
    pub resources: Vec<Resource>,
    /// The templates and Terraform directories deployments start from (see the contract's "What is
    /// deployed").
    pub roots: Vec<Root>,
    /// One line: how the roots were found.
    pub roots_summary: String,
    /// One line on where the region comes from, when it is an environment value azd fills in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_note: Option<String>,
    /// Services of Azure resources that are deployed (not `existing`), most used first.
    pub services: Vec<ServiceSummary>,
    /// Regions of Azure resources that are deployed, most used first.
    pub regions: Vec<RegionSummary>,
    /// Problems with the inputs, sorted by file, line, column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Inventory {
    /// Keep only resources and diagnostics whose file `keep` accepts, and summarise again.
    pub fn retain_files(&mut self, keep: impl Fn(&str) -> bool) {
        self.resources.retain(|r| keep(&r.file));
        self.diagnostics.retain(|d| keep(&d.file));
        let (services, regions) = summarise(&self.resources);
        self.services = services;
        self.regions = regions;
    }

    /// Deployed Azure resources: reached from a root and not switched off, with an ARM type, not `existing`
    /// references nor nested deployments (see [`crate::inventory::counts_as_deployed`]).
    pub fn deployed(&self) -> impl Iterator<Item = &Resource> {
        self.resources
            .iter()
            .filter(|r| crate::inventory::counts_as_deployed(r))
    }

    /// Resources listed but not deployed (`why_not` set), Azure or not.
    pub fn not_deployed(&self) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(|r| !r.deployed)
    }

    /// Deployed resources of services that count for breadth (see [`counts_for_breadth`]).
    pub fn billable(&self) -> impl Iterator<Item = &Resource> {
        self.deployed().filter(|r| counts_for_breadth(r))
    }
}

/// Whether a resource's service counts in breadth figures (services, categories, solution areas, the score,
/// suggestions): `false` for the plumbing every deployment has (`data/breadth.tsv`).
pub fn counts_for_breadth(r: &Resource) -> bool {
    r.service.as_deref().is_none_or(catalog::counts_for_breadth)
}

/// A two-segment ARM type (`Microsoft.Storage/storageAccounts`), not a child (`.../blobServices`).
pub fn is_top_level(arm_type: &str) -> bool {
    arm_type.matches('/').count() == 1
}

/// Build the inventory of `paths` (directories or single files), with the roots found in the repository that
/// holds them (no config).
pub fn build(paths: &[PathBuf], opts: &ScanOptions) -> Inventory {
    build_in(paths, opts, &deploy::Context::for_paths(paths))
}

/// Build the inventory of `paths` in `context` (the repository and the config's `deploy` settings): find
/// the roots, scan with their parameters, and mark what is deployed.
pub fn build_in(paths: &[PathBuf], opts: &ScanOptions, context: &deploy::Context) -> Inventory {
    let mut diagnostics = Vec::new();
    let mut discovered = discover(paths, &mut diagnostics);
    let plan = deploy::plan(context, paths, &mut discovered, opts);
    let opts = ScanOptions {
        plan: std::sync::Arc::new(plan.scan.clone()),
        ..opts.clone()
    };
    let found = scan(&discovered, &opts);
    let base = display_base(paths);
    let decided = deploy::decide(found, &plan, paths, &base);
    diagnostics.extend(decided.diagnostics);
    let mut inventory = finish(decided.resources, diagnostics, &base);
    inventory.roots = decided.roots;
    inventory.roots_summary = decided.summary;
    inventory.region_note = decided.region_note;
    inventory
}

/// Run every language scanner over what was discovered, in parallel.
pub fn scan(d: &Discovered, opts: &ScanOptions) -> Found {
    let ((tf_dirs, tf_files), (bicep, arm)) = rayon::join(
        || {
            rayon::join(
                || terraform::scan_dirs(&d.terraform_dirs, opts),
                || terraform::scan_files(&d.terraform_files, opts),
            )
        },
        || {
            rayon::join(
                || bicep::scan_files(&d.bicep_files, opts),
                || arm::scan_files(&d.json_files, opts),
            )
        },
    );
    Found::concat(vec![tf_dirs, tf_files, bicep, arm])
}

/// The directory output paths are relative to: the PATH given, a file argument's directory, or with several
/// PATHs the current directory.
fn display_base(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_file() => one.parent().map(Path::to_path_buf).unwrap_or_default(),
        [one] => one.clone(),
        _ => PathBuf::from("."),
    }
}

/// Relativise, dedup, fill catalog facts, summarise and sort.
pub fn finish(
    resources: Vec<Resource>,
    mut diagnostics: Vec<Diagnostic>,
    base: &Path,
) -> Inventory {
    let shown = ShownFiles::new(&resources, &diagnostics, &absolute(base));
    // The catalog is read only for the copies kept: its facts play no part in choosing them.
    let mut resources = dedup(resources, &shown);
    resources.par_iter_mut().for_each(fill_catalog);
    children_follow_their_parent(&mut resources);
    let mut file = shown.id_of.lookup();
    for d in &mut diagnostics {
        d.file = file.get(&d.file).map(|&id| shown.text(id)).unwrap_or_default();
    }
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    diagnostics.dedup();
    let (services, regions) = summarise(&resources);
    Inventory {
        schema_version: SCHEMA_VERSION,
        resources,
        roots: Vec::new(),
        roots_summary: String::new(),
        region_note: None,
        services,
        regions,
        diagnostics,
    }
}

/// Files as output shows them, relative to the base. Resources are many and their files few: each file is
/// made relative once, in parallel. Two spellings of one file (`a/../b.tf`, `b.tf`) show alike and get the
/// same id, so copies are compared by id.
struct ShownFiles {
    /// A file as the scanners wrote it → the id of its text.
    id_of: PerString<u32>,
    /// Each distinct relative path once, by id.
    texts: Vec<String>,
}

impl ShownFiles {
    fn new(resources: &[Resource], diagnostics: &[Diagnostic], base: &Path) -> Self {
        let mut files = distinct::strings(resources, |r| Some(r.file.as_str()));
        files.extend(diagnostics.iter().map(|d| d.file.as_str()));
        files.sort_unstable();
        files.dedup();
        let shown: Vec<String> = files.par_iter().map(|file| relative(base, file)).collect();
        let mut id_of_text: FxHashMap<&str, u32> = FxHashMap::default();
        let mut texts: Vec<&str> = Vec::new();
        let id_of = files
            .iter()
            .zip(&shown)
            .map(|(file, text)| {
                let id = *id_of_text.entry(text).or_insert_with(|| {
                    texts.push(text);
                    u32::try_from(texts.len() - 1).unwrap_or(u32::MAX)
                });
                (file.to_string(), id)
            })
            .collect();
        let texts = texts.into_iter().map(str::to_string).collect();
        ShownFiles { id_of, texts }
    }

    fn text(&self, id: u32) -> String {
        self.texts.get(id as usize).cloned().unwrap_or_default()
    }
}

/// Fill `service`, `category` and `solution_area` from the catalog.
pub fn fill_catalog(r: &mut Resource) {
    if let Some(s) = r
        .arm_type
        .as_deref()
        .and_then(|t| catalog::service_for(t, r.kind.as_deref()))
    {
        r.service = Some(s.name.to_string());
        r.category = Some(s.category.to_string());
        r.solution_area = Some(s.solution_area.to_string());
    }
}

/// One resource is one service: a child resource (`.../accounts/deployments`, `.../workspaces/connections`) has
/// no `kind` of its own, so the catalog would give it its type's default service even where the parent's `kind`
/// made the parent another (an `OpenAI` account is Azure OpenAI, a `Hub` workspace is Azure AI Foundry). A child
/// takes the service of the resources of its top-level type: those in its own file when they agree, else all in
/// the inventory when they agree; otherwise it keeps its own.
fn children_follow_their_parent(resources: &mut [Resource]) {
    type Facts<'a> = (&'a str, &'a str, &'a str);
    let agree = |seen: &mut Option<Facts>, facts: Facts| {
        if *seen != Some(facts) {
            *seen = None;
        }
    };
    let mut updates: Vec<(usize, Facts)> = Vec::new();
    let mut in_file: FxHashMap<(&str, IgnoringCase), Option<Facts>> = FxHashMap::default();
    let mut anywhere: FxHashMap<IgnoringCase, Option<Facts>> = FxHashMap::default();
    for r in resources.iter() {
        let (Some(t), Some(s), Some(c), Some(a)) =
            (&r.arm_type, &r.service, &r.category, &r.solution_area)
        else {
            continue;
        };
        if !is_top_level(t) {
            continue;
        }
        let facts = (s.as_str(), c.as_str(), a.as_str());
        let t = IgnoringCase(t);
        in_file
            .entry((r.file.as_str(), t))
            .and_modify(|seen| agree(seen, facts))
            .or_insert(Some(facts));
        anywhere
            .entry(t)
            .and_modify(|seen| agree(seen, facts))
            .or_insert(Some(facts));
    }
    for (i, r) in resources.iter().enumerate() {
        let Some(t) = r.arm_type.as_deref().filter(|t| !is_top_level(t)) else {
            continue;
        };
        // The first two segments: `Microsoft.Storage/storageAccounts` of `.../blobServices/containers`.
        let top = IgnoringCase(match t.match_indices('/').nth(1) {
            Some((second_slash, _)) => t.get(..second_slash).unwrap_or(t),
            None => t,
        });
        let parent = match in_file.get(&(r.file.as_str(), top)) {
            Some(Some(facts)) => Some(facts),
            _ => anywhere.get(&top).and_then(Option::as_ref),
        };
        if let Some(&facts) = parent {
            updates.push((i, facts));
        }
    }
    let updates: Vec<(usize, [String; 3])> = updates
        .into_iter()
        .map(|(i, (s, c, a))| (i, [s, c, a].map(str::to_string)))
        .collect();
    for (i, [s, c, a]) in updates {
        if let Some(r) = resources.get_mut(i) {
            r.service = Some(s);
            r.category = Some(c);
            r.solution_area = Some(a);
        }
    }
}

/// A string compared and hashed without regard to ASCII case.
#[derive(Clone, Copy)]
struct IgnoringCase<'a>(&'a str);

impl PartialEq for IgnoringCase<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for IgnoringCase<'_> {}

impl std::hash::Hash for IgnoringCase<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        hash_lowercase(self.0, state);
    }
}

/// Hash `s` as its ASCII lower case, eight bytes at a time, without making the lower-case copy.
fn hash_lowercase(s: &str, state: &mut impl std::hash::Hasher) {
    for word in s.as_bytes().chunks(8) {
        let mut bytes = [0u8; 8];
        for (to, from) in bytes.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        state.write_u64(u64::from_le_bytes(bytes));
    }
    state.write_usize(s.len());
}

/// One resource per declaring file, line, source type, name and ARM type (a registry module lists each type
/// it deploys at its one line, beside the deployment its `module` line compiles to). Among copies, prefer a
/// deployed one, then one reached from a root but switched off, then the best by
/// [`crate::model::copy_rank`]; otherwise the first. The copies kept get their file as output shows it and
/// come sorted by file, line and name, then in the order their keys were first met.
fn dedup(resources: Vec<Resource>, shown: &ShownFiles) -> Vec<Resource> {
    let rank = |x: &Resource| {
        let reached = x.deployed || x.why_not == Some(crate::model::WhyNot::Condition);
        (x.deployed, reached, crate::model::copy_rank(x))
    };
    let files: Vec<u32> = resources
        .par_chunks(distinct::CHUNK)
        .flat_map_iter(|chunk| {
            let mut file = shown.id_of.lookup();
            chunk
                .iter()
                .map(move |r| file.get(&r.file).copied().unwrap_or(u32::MAX))
        })
        .collect();
    // Keys hashed in parallel; the one-thread pass that picks the copies only compares hashes, and strings
    // where hashes agree.
    let keys: Vec<CopyKey> = resources
        .par_iter()
        .zip(&files)
        .map(|(r, &file)| CopyKey::new(file, r))
        .collect();
    let chosen = crate::model::best_per_key(&keys, |k| *k, |k| rank(k.copy));
    drop(keys);
    // The kept copies move out in the order their keys were first met; the rest are freed on a worker.
    let mut copies: Vec<Option<Resource>> = resources.into_iter().map(Some).collect();
    let kept: Vec<Resource> = chosen
        .iter()
        .filter_map(|&position| {
            let mut r = copies.get_mut(position)?.take()?;
            r.file = shown.text(files.get(position).copied().unwrap_or(u32::MAX));
            Some(r)
        })
        .collect();
    distinct::free_later(copies);
    // A stable sort, of positions rather than of the copies themselves (hundreds of bytes each).
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.par_sort_by(|&i, &j| match (kept.get(i), kept.get(j)) {
        (Some(a), Some(b)) => (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)),
        _ => i.cmp(&j),
    });
    crate::model::take_positions(kept, order)
}

/// What two copies of one resource share: the file as shown (by id), line, source type, name and ARM type
/// (ignoring case), with its hash worked out once.
#[derive(Clone, Copy)]
struct CopyKey<'a> {
    hash: u64,
    file: u32,
    copy: &'a Resource,
}

impl<'a> CopyKey<'a> {
    fn new(file: u32, copy: &'a Resource) -> Self {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write_u32(file);
        h.write_u32(copy.line);
        h.write(copy.source_type.as_bytes());
        h.write_u8(0xff);
        h.write(copy.name.as_bytes());
        h.write_u8(0xff);
        if let Some(t) = &copy.arm_type {
            hash_lowercase(t, &mut h);
        }
        CopyKey {
            hash: h.finish(),
            file,
            copy,
        }
    }
}

impl PartialEq for CopyKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.copy, other.copy);
        self.hash == other.hash
            && self.file == other.file
            && a.line == b.line
            && a.source_type == b.source_type
            && a.name == b.name
            && match (&a.arm_type, &b.arm_type) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Eq for CopyKey<'_> {}

impl std::hash::Hash for CopyKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Whether a resource counts in services, regions and the assessment: an Azure resource that is deployed
/// (reached from a root and not switched off, see the contract's "What is deployed"), not an `existing`
/// reference, and not a nested deployment (`Microsoft.Resources/deployments`: what a Bicep `module` or an ARM
/// nested template is, plumbing rather than a service in use).
pub fn counts_as_deployed(r: &Resource) -> bool {
    r.deployed
        && r.arm_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("Microsoft.Resources/deployments"))
        && !r.existing
}

fn summarise(resources: &[Resource]) -> (Vec<ServiceSummary>, Vec<RegionSummary>) {
    let mut services: BTreeMap<String, ServiceSummary> = BTreeMap::new();
    let mut regions: BTreeMap<String, usize> = BTreeMap::new();
    for r in resources.iter().filter(|r| counts_as_deployed(r)) {
        if let (Some(name), Some(cat), Some(area)) = (&r.service, &r.category, &r.solution_area) {
            let top_level = r.arm_type.as_deref().is_some_and(is_top_level);
            services
                .entry(name.clone())
                .or_insert_with(|| ServiceSummary {
                    name: name.clone(),
                    category: cat.clone(),
                    solution_area: area.clone(),
                    resources: 0,
                    counts_for_breadth: catalog::counts_for_breadth(name),
                })
                .resources += usize::from(top_level);
        }
        // Logical locations (`global`, `europe`) are not regions a resource runs in.
        if let Some(region) = r.location.as_deref().and_then(catalog::region)
            && region.physical
        {
            *regions.entry(region.name.to_string()).or_default() += 1;
        }
    }
    let mut services: Vec<_> = services.into_values().collect();
    services.sort_by(|a, b| {
        (b.counts_for_breadth, b.resources)
            .cmp(&(a.counts_for_breadth, a.resources))
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut regions: Vec<_> = regions
        .into_iter()
        .map(|(name, resources)| RegionSummary {
            display_name: catalog::region(&name)
                .map_or_else(|| name.clone(), |r| r.display_name.to_string()),
            name,
            resources,
        })
        .collect();
    regions.sort_by(|a, b| {
        b.resources
            .cmp(&a.resources)
            .then_with(|| a.name.cmp(&b.name))
    });
    (services, regions)
}

/// One line on what is listed but not deployed: how many resources in how many files, and why
/// (`12 resources in 7 files are not deployed: 9 unreferenced, 2 test, 1 condition.`); `None` when
/// everything listed is deployed.
pub fn not_deployed_line(resources: &[Resource]) -> Option<String> {
    let not: Vec<&Resource> = resources.iter().filter(|r| !r.deployed).collect();
    if not.is_empty() {
        return None;
    }
    let files: std::collections::BTreeSet<&str> = not.iter().map(|r| r.file.as_str()).collect();
    let mut why: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &not {
        *why.entry(r.why_not.map_or("unknown", |w| w.as_str()))
            .or_default() += 1;
    }
    let mut reasons: Vec<(&str, usize)> = why.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let reasons: Vec<String> = reasons.iter().map(|(w, n)| format!("{n} {w}")).collect();
    Some(format!(
        "{} {} in {} {} {} not deployed: {}.",
        not.len(),
        if not.len() == 1 {
            "resource"
        } else {
            "resources"
        },
        files.len(),
        if files.len() == 1 { "file" } else { "files" },
        // The verb agrees with the resources, not the files: "3 resources in 1 file are".
        if not.len() == 1 { "is" } else { "are" },
        reasons.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_prefers_module_copies_with_locations() {
        let mut a = Resource::new("azurerm_storage_account", "sa", "/r/m/main.tf", 3);
        let mut b = a.clone();
        b.via_module = Some("./m".into());
        b.location = Some("westeurope".into());
        a.location = None;
        let out = finish(vec![a, b.clone()], vec![], Path::new("/r")).resources;
        b.file = "m/main.tf".into();
        assert_eq!(out, vec![b]);
    }

    #[test]
    fn children_follow_a_kind_refined_parent() {
        let mut account = Resource::new("azurerm_cognitive_account", "oai", "main.tf", 1);
        account.arm_type = Some("Microsoft.CognitiveServices/accounts".into());
        account.kind = Some("OpenAI".into());
        let mut deployment = Resource::new("azurerm_cognitive_deployment", "gpt", "main.tf", 9);
        deployment.arm_type = Some("Microsoft.CognitiveServices/accounts/deployments".into());
        let inv = finish(
            vec![account.clone(), deployment.clone()],
            vec![],
            Path::new("."),
        );
        assert_eq!(inv.resources[1].service.as_deref(), Some("Azure OpenAI"));
        // With two accounts of different kinds the child cannot tell which it belongs to: it keeps the default.
        let mut speech = account.clone();
        speech.kind = Some("SpeechServices".into());
        speech.line = 20;
        let inv = finish(vec![account, speech, deployment], vec![], Path::new("."));
        assert_eq!(
            inv.resources[1].service.as_deref(),
            Some("Azure AI Services")
        );
    }

    #[test]
    fn summaries_skip_existing_and_non_azure() {
        let mut sa = Resource::new("azurerm_storage_account", "sa", "main.tf", 1);
        sa.arm_type = Some("Microsoft.Storage/storageAccounts".into());
        sa.location = Some("westeurope".into());
        let mut data = sa.clone();
        data.existing = true;
        data.line = 9;
        let pet = Resource::new("random_pet", "p", "main.tf", 20);
        let inv = finish(vec![sa, data, pet], vec![], Path::new("."));
        assert_eq!(inv.services.len(), 1);
        assert_eq!(inv.services[0].resources, 1);
        assert_eq!(inv.services[0].name, "Storage Accounts");
        assert_eq!(inv.regions[0].display_name, "West Europe");
        assert_eq!(inv.resources.len(), 3);
    }

    fn azure(arm_type: &str, name: &str, line: u32) -> Resource {
        let mut r = Resource::new(format!("{arm_type}@2024-01-01"), name, "main.bicep", line);
        r.arm_type = Some(arm_type.into());
        r
    }

    #[test]
    fn a_service_counts_its_top_level_resources_and_children_follow_their_parent() {
        let mut resources = vec![azure("Microsoft.Storage/storageAccounts", "sa", 1)];
        for (i, child) in [
            "blobServices",
            "blobServices/containers",
            "fileServices",
            "fileServices/shares",
            "queueServices",
            "tableServices",
        ]
        .iter()
        .enumerate()
        {
            let t = format!("Microsoft.Storage/storageAccounts/{child}");
            resources.push(azure(&t, child, 10 + i as u32));
        }
        // An AI Foundry hub and its connections are one service, not Azure Machine Learning as well.
        let mut hub = azure("Microsoft.MachineLearningServices/workspaces", "hub", 30);
        hub.kind = Some("Hub".into());
        resources.push(hub);
        resources.push(azure(
            "Microsoft.MachineLearningServices/workspaces/connections",
            "aoai",
            40,
        ));
        let inv = finish(resources, vec![], Path::new("."));
        let counts: Vec<_> = inv
            .services
            .iter()
            .map(|s| (s.name.as_str(), s.resources))
            .collect();
        assert_eq!(counts, [("Azure AI Foundry", 1), ("Storage Accounts", 1)]);
        let connection = inv.resources.iter().find(|r| r.name == "aoai").unwrap();
        assert_eq!(connection.service.as_deref(), Some("Azure AI Foundry"));
    }

    #[test]
    fn plumbing_is_listed_but_not_counted_and_logical_locations_are_no_region() {
        let mut rg = azure("Microsoft.Resources/resourceGroups", "rg", 1);
        rg.location = Some("westeurope".into());
        let id = azure("Microsoft.ManagedIdentity/userAssignedIdentities", "id", 5);
        let role = azure("Microsoft.Authorization/roleAssignments", "role", 9);
        let mut zone = azure("Microsoft.Network/privateDnsZones", "zone", 12);
        zone.location = Some("global".into());
        let mut vault = azure("Microsoft.KeyVault/vaults", "kv", 20);
        vault.location = Some("westeurope".into());
        let inv = finish(vec![rg, id, role, zone, vault], vec![], Path::new("."));
        let flags: Vec<_> = inv
            .services
            .iter()
            .map(|s| (s.name.as_str(), s.counts_for_breadth))
            .collect();
        assert_eq!(
            flags,
            [
                ("Azure DNS", true),
                ("Key Vault", true),
                ("Azure Resource Manager", false),
                ("Azure Role-Based Access Control", false),
                ("Managed Identities", false)
            ]
        );
        let billable: Vec<_> = inv.billable().map(|r| r.name.as_str()).collect();
        assert_eq!(billable, ["zone", "kv"]);
        assert_eq!(inv.deployed().count(), 5);
        // `global` is where the zone is, but not a region anything runs in.
        let regions: Vec<_> = inv
            .regions
            .iter()
            .map(|r| (r.name.as_str(), r.resources))
            .collect();
        assert_eq!(regions, [("westeurope", 2)]);
    }
}
