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
use crate::paths::absolute;
use copies::{ShownFiles, children_follow_their_parent, dedup};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod copies;

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
    fill_catalog_all(&mut resources);
    children_follow_their_parent(&mut resources);
    let mut file = shown.id_of.lookup();
    for d in &mut diagnostics {
        d.file = file
            .get(&d.file)
            .map(|&id| shown.text(id))
            .unwrap_or_default();
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

/// [`fill_catalog`] for many resources: the catalog is asked once per distinct type and kind (thousands of
/// resources share a few hundred), the facts are filled in parallel.
fn fill_catalog_all(resources: &mut [Resource]) {
    let services: Vec<Option<catalog::Service>> = {
        type Asked<'a> = FxHashMap<(&'a str, Option<&'a str>), Option<catalog::Service>>;
        let mut asked: Asked = FxHashMap::default();
        resources
            .iter()
            .map(|r| {
                let t = r.arm_type.as_deref()?;
                let kind = r.kind.as_deref();
                *asked
                    .entry((t, kind))
                    .or_insert_with(|| catalog::service_for(t, kind))
            })
            .collect()
    };
    resources
        .par_iter_mut()
        .zip(services)
        .for_each(|(r, service)| {
            if let Some(s) = service {
                set_service(r, &s);
            }
        });
}

/// Fill `service`, `category` and `solution_area` from the catalog.
pub fn fill_catalog(r: &mut Resource) {
    if let Some(s) = r
        .arm_type
        .as_deref()
        .and_then(|t| catalog::service_for(t, r.kind.as_deref()))
    {
        set_service(r, &s);
    }
}

/// The catalog's facts of `s` on `r`.
fn set_service(r: &mut Resource, s: &catalog::Service) {
    r.service = Some(s.name.to_string());
    r.category = Some(s.category.to_string());
    r.solution_area = Some(s.solution_area.to_string());
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

    /// Marking, relative paths, dedup and the JSON writer run in parallel: one thread and four give the same
    /// inventory, byte for byte.
    #[test]
    fn the_inventory_of_the_fixtures_is_the_same_on_one_thread_and_on_four() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            pool.install(|| {
                let inv = build(std::slice::from_ref(&fixtures), &ScanOptions::default());
                let mut out = Vec::new();
                crate::report::json::write_inventory(&mut out, &inv).expect("written");
                String::from_utf8(out).expect("UTF-8")
            })
        };
        let one = on(1);
        assert!(
            one.contains("\"Microsoft.Storage/storageAccounts\""),
            "the fixtures list resources"
        );
        assert!(
            one.contains("\"why_not\": \"unreferenced\"") || one.contains("\"why_not\": \"test\"")
        );
        for _ in 0..2 {
            assert_eq!(on(4), one);
        }
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
