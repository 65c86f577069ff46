//! Bicep scanning on whole repositories-in-miniature under `tests/fixtures/bicep/`, written the way azd
//! templates and Azure Verified Modules write them, plus broken files.

use azengage::iac::bicep::{DEPLOYMENTS, scan_files};
use azengage::iac::{Found, ScanOptions};
use azengage::model::{Resource, Severity, copy_rank};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bicep")
        .join(name)
}

/// Every `.bicep` / `.bicepparam` file under `dir`, sorted, as the walk would give them.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "bicep" || e == "bicepparam")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Scan every file of a fixture; the scanner lists a declaration once per template it started from, so keep
/// the best copy of each (as the inventory stage does before it tells which are deployed).
fn scan_dir(name: &str) -> Found {
    let mut found = scan_files(&walk(&fixture(name)), &ScanOptions::default());
    let mut best: Vec<Resource> = Vec::new();
    for r in found.resources {
        let same = |b: &Resource| {
            (&b.file, b.line, &b.name, &b.arm_type) == (&r.file, r.line, &r.name, &r.arm_type)
        };
        match best.iter_mut().find(|b| same(b)) {
            Some(b) if copy_rank(&r) > copy_rank(b) => *b = r,
            Some(_) => {}
            None => best.push(r),
        }
    }
    found.resources = best;
    found
}

/// The resources a file declares, without the `Microsoft.Resources/deployments` each `module` compiles to.
fn declared(found: &Found) -> impl Iterator<Item = &Resource> {
    found
        .resources
        .iter()
        .filter(|r| r.arm_type.as_deref() != Some(DEPLOYMENTS) || r.source_type.contains('@'))
}

fn find<'a>(found: &'a Found, name: &str) -> &'a Resource {
    let matches: Vec<_> = declared(found).filter(|r| r.name == name).collect();
    assert_eq!(matches.len(), 1, "{name}: {:#?}", found.resources);
    matches[0]
}

fn relative(resource: &Resource, base: &Path) -> String {
    Path::new(&resource.file)
        .strip_prefix(base)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default()
}

#[test]
fn azd_template_lists_every_resource_once_with_modules_followed() {
    let found = scan_dir("azd");
    let base = fixture("azd");
    let mut names: Vec<_> = declared(&found).map(|r| r.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "appService",
            "appServicePlan",
            "applicationInsights",
            "configAppSettings",
            "configLogs",
            "database",
            "firewall",
            "keyVault",
            "logAnalytics",
            "monitoringPattern",
            "monitoringPattern",
            "rg",
            "sqlServer"
        ]
    );
    // azd's `${AZURE_LOCATION}` has no value here, so the location is unknown and says where it comes from.
    let rg = find(&found, "rg");
    assert_eq!(
        rg.arm_type.as_deref(),
        Some("Microsoft.Resources/resourceGroups")
    );
    assert_eq!(
        (rg.location.as_deref(), rg.location_expr.as_deref()),
        (None, Some("${AZURE_LOCATION}"))
    );
    assert_eq!(
        (relative(rg, &base).as_str(), rg.line),
        ("infra/main.bicep", 28)
    );

    // Reached through two levels of modules: the innermost reference, the declaring file.
    let la = find(&found, "logAnalytics");
    assert_eq!(la.via_module.as_deref(), Some("loganalytics.bicep"));
    assert_eq!(relative(la, &base), "infra/core/monitor/loganalytics.bicep");
    assert_eq!(la.api_version.as_deref(), Some("2021-12-01-preview"));

    let site = find(&found, "appService");
    assert_eq!(
        site.via_module.as_deref(),
        Some("./core/host/appservice.bicep")
    );
    assert_eq!(site.kind.as_deref(), Some("app,linux"));
    assert_eq!(site.source_type, "Microsoft.Web/sites@2022-03-01");

    // Nested children: parent's type + segment, parent's api-version.
    let config = find(&found, "configAppSettings");
    assert_eq!(
        config.arm_type.as_deref(),
        Some("Microsoft.Web/sites/config")
    );
    assert_eq!(config.api_version.as_deref(), Some("2022-03-01"));
    assert_eq!(config.source_type, "Microsoft.Web/sites/config@2022-03-01");
    assert_eq!(config.location_expr, None);

    // The secure SQL password flows into the server's body.
    assert!(find(&found, "sqlServer").uses_secrets);
    assert!(!find(&found, "appServicePlan").uses_secrets);
    assert_eq!(
        find(&found, "database").arm_type.as_deref(),
        Some("Microsoft.Sql/servers/databases")
    );

    // Registry modules are listed at the module line, one resource per type the module index says they
    // always deploy: the AVM vault, and the azd monitoring pattern's Log Analytics and Application Insights.
    let kv = find(&found, "keyVault");
    assert_eq!(
        kv.arm_type
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("microsoft.keyvault/vaults")
    );
    assert_eq!(kv.source_type, "br/public:avm/res/key-vault/vault:0.6.1");
    assert_eq!(
        kv.via_module.as_deref(),
        Some("br/public:avm/res/key-vault/vault:0.6.1")
    );
    assert_eq!(relative(kv, &base), "infra/main.bicep");
    let mut pattern: Vec<_> = declared(&found)
        .filter(|r| r.name == "monitoringPattern")
        .map(|r| {
            (
                r.arm_type.as_deref().unwrap_or(""),
                r.line,
                r.via_module.as_deref(),
            )
        })
        .collect();
    pattern.sort();
    let via = Some("br/public:avm/ptn/azd/monitoring:0.1.0");
    assert_eq!(
        pattern,
        [
            ("Microsoft.Insights/components", 105, via),
            ("Microsoft.OperationalInsights/workspaces", 105, via)
        ]
    );
    assert!(found.diagnostics.is_empty(), "{:#?}", found.diagnostics);
}

#[test]
fn bicepparam_sets_the_region_of_an_avm_style_module() {
    let found = scan_dir("avm");
    assert!(found.diagnostics.is_empty(), "{:#?}", found.diagnostics);
    let sa = find(&found, "storageAccount");
    assert_eq!(sa.location.as_deref(), Some("swedencentral"));
    assert_eq!(sa.location_expr.as_deref(), Some("location"));
    assert_eq!(sa.kind.as_deref(), Some("StorageV2"));
    assert_eq!(sa.via_module, None);
    let containers = find(&found, "blobContainers");
    assert_eq!(
        containers.arm_type.as_deref(),
        Some("Microsoft.Storage/storageAccounts/blobServices/containers")
    );
    assert_eq!(containers.api_version.as_deref(), Some("2024-01-01"));
    assert_eq!(
        find(&found, "queueServices").arm_type.as_deref(),
        Some("Microsoft.Storage/storageAccounts/queueServices")
    );
    assert_eq!(
        find(&found, "storageAccount_lock").arm_type.as_deref(),
        Some("Microsoft.Authorization/locks")
    );
    assert!(find(&found, "keyVault").existing);
    assert!(find(&found, "subnet").existing);
    // The parameter file's region reaches the local module through `params:`.
    let pe = find(&found, "privateEndpoint");
    assert_eq!(pe.location.as_deref(), Some("swedencentral"));
    assert_eq!(
        pe.via_module.as_deref(),
        Some("modules/private-endpoint.bicep")
    );
    assert_eq!(find(&found, "dnsZone").location.as_deref(), Some("global"));
    let secondary = find(&found, "fileShares");
    assert_eq!(secondary.location.as_deref(), Some("northeurope"));
    assert_eq!(
        secondary.location_expr.as_deref(),
        Some("toLower('NorthEurope')")
    );
    assert_eq!(
        declared(&found).count(),
        14,
        "{:#?}",
        found.resources.iter().map(|r| &r.name).collect::<Vec<_>>()
    );
}

#[test]
fn misspelled_regions_are_reported_at_the_literal() {
    let found = scan_dir("typo");
    let warnings: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-region")
        .collect();
    assert_eq!(warnings.len(), 2, "{:#?}", found.diagnostics);
    assert_eq!((warnings[0].line, warnings[0].column), (1, 25));
    assert_eq!(
        warnings[0].message,
        "'westeurop' is not an Azure region (did you mean 'westeurope'?)"
    );
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(
        warnings[1].message,
        "'moon-base-1' is not an Azure region (see `az account list-locations`)"
    );
    assert_eq!(find(&found, "plan").location, None);
    assert_eq!(
        find(&found, "backupPlan").location.as_deref(),
        Some("northeurope")
    );
    assert_eq!(
        find(&found, "thirdPlan").location.as_deref(),
        Some("westus2")
    );
}

#[test]
fn module_cycles_stop_with_a_warning() {
    let found = scan_files(&[fixture("cycle/a.bicep")], &ScanOptions::default());
    let names: Vec<_> = declared(&found)
        .map(|r| (r.name.as_str(), r.location.as_deref()))
        .collect();
    assert_eq!(names, [("la", Some("eastus")), ("kv", Some("eastus"))]);
    assert!(
        found
            .diagnostics
            .iter()
            .any(|d| d.code == "module-cycle" && d.severity == Severity::Warning)
    );
}

#[test]
fn shared_module_is_listed_once_and_remote_modules_are_reported() {
    let found = scan_dir("shared");
    let sa: Vec<_> = found.resources.iter().filter(|r| r.name == "sa").collect();
    assert_eq!(sa.len(), 1, "{:#?}", found.resources);
    // The copy that knows its region wins, whichever parent reached it.
    assert_eq!(sa[0].location.as_deref(), Some("francecentral"));
    assert_eq!(sa[0].via_module.as_deref(), Some("./common/storage.bicep"));
    let codes: Vec<_> = found
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert!(codes.contains(&("module-not-found", 12)), "{codes:?}");
    for line in [16, 20, 24] {
        assert!(codes.contains(&("remote-module", line)), "{codes:?}");
    }
}

#[test]
fn no_follow_lists_only_the_file_itself() {
    let opts = ScanOptions {
        follow_modules: false,
        ..ScanOptions::default()
    };
    let found = scan_files(&[fixture("azd/infra/main.bicep")], &opts);
    let names: Vec<_> = declared(&found).map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["rg"]);
    assert!(found.resources.iter().all(|r| r.via_module.is_none()));
    // Each module declaration is still listed as the deployment it compiles to, as in the compiled JSON.
    let deployments = found
        .resources
        .iter()
        .filter(|r| r.arm_type.as_deref() == Some(DEPLOYMENTS));
    assert!(deployments.count() >= 2, "{:#?}", found.resources);
}

#[test]
fn json_modules_are_handed_to_the_arm_scanner() {
    let found = scan_files(
        &[fixture("json-module/main.bicep")],
        &ScanOptions::default(),
    );
    assert_eq!(find(&found, "web").location.as_deref(), Some("uksouth"));
    assert!(
        found
            .diagnostics
            .iter()
            .all(|d| d.code != "module-not-found"),
        "{:#?}",
        found.diagnostics
    );
}

#[test]
fn broken_files_give_diagnostics_and_keep_what_parses() {
    let found = scan_dir("invalid");
    let errors: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors
            .iter()
            .all(|d| d.code == "parse" && d.line > 0 && d.column > 0),
        "{errors:#?}"
    );
    let unterminated: Vec<_> = errors
        .iter()
        .filter(|d| d.file.ends_with("unterminated.bicep"))
        .collect();
    assert_eq!(
        (unterminated[0].line, unterminated[0].column),
        (1, 25),
        "{unterminated:#?}"
    );
    let brace: Vec<_> = errors
        .iter()
        .filter(|d| d.file.ends_with("missing-brace.bicep"))
        .collect();
    assert_eq!(brace.len(), 1, "{brace:#?}");
    assert_eq!((brace[0].line, brace[0].column), (7, 1));
    // The unterminated string ends at its line; the rest of the file still parses.
    let unterminated: Vec<_> = found
        .resources
        .iter()
        .filter(|r| r.file.ends_with("unterminated.bicep"))
        .collect();
    assert_eq!(unterminated.len(), 2, "{unterminated:#?}");
    assert_eq!(unterminated[1].location.as_deref(), Some("westeurope"));
    assert_eq!(
        find(&found, "sa").arm_type.as_deref(),
        Some("Microsoft.Storage/storageAccounts")
    );
    let plan_sites: Vec<_> = found
        .resources
        .iter()
        .filter(|r| r.file.ends_with("missing-brace.bicep"))
        .collect();
    let lines: Vec<_> = plan_sites
        .iter()
        .map(|r| (r.name.as_str(), r.line, r.location.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [("plan", 1, Some("eastus2")), ("web", 7, Some("eastus2"))]
    );
}

#[test]
fn garbage_and_deep_nesting_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bicep");
    let bytes: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, bytes).unwrap();
    let deep = dir.path().join("deep.bicep");
    let nesting = format!(
        "var x = {}0{}\nresource after 'Microsoft.Web/sites@2023-01-01' = {{\n  name: 'after'\n}}\n",
        "{a: [".repeat(10_000),
        "]}".repeat(10_000)
    );
    std::fs::write(&deep, nesting).unwrap();
    let found = scan_files(&[garbage.clone(), deep.clone()], &ScanOptions::default());
    let in_file = |p: &Path| {
        found
            .diagnostics
            .iter()
            .filter(|d| d.file == p.to_string_lossy())
            .count()
    };
    assert!(
        in_file(&garbage) >= 1 && in_file(&garbage) <= 102,
        "{}",
        in_file(&garbage)
    );
    assert!(
        found
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nesting") && d.line == 1)
    );
    assert_eq!(find(&found, "after").line, 2);
}

#[test]
fn bicepparam_extends_and_environment_defaults() {
    let found = scan_dir("params/app");
    assert!(found.diagnostics.is_empty(), "{:#?}", found.diagnostics);
    let plan = find(&found, "plan");
    // `location` comes from the base file the parameter file extends.
    assert_eq!(plan.location.as_deref(), Some("eastus2"));
    // A secret fetched with az.getSecret still marks the body as handling secrets.
    assert!(find(&found, "db").uses_secrets);
    assert!(!plan.uses_secrets);
    assert_eq!(found.resources.len(), 2);
}

#[test]
fn a_named_template_picks_up_the_parameter_files_beside_it() {
    let found = scan_files(
        &[fixture("params/json/main.bicep")],
        &ScanOptions::default(),
    );
    assert_eq!(
        find(&found, "rg").location.as_deref(),
        Some("francecentral")
    );
    let found = scan_files(&[fixture("params/app/main.bicep")], &ScanOptions::default());
    assert_eq!(find(&found, "plan").location.as_deref(), Some("eastus2"));
}

#[test]
fn a_misspelled_region_in_a_parameter_file_is_reported_there() {
    let found = scan_dir("params/typo");
    assert_eq!(find(&found, "vault").location, None);
    let warnings: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-region")
        .collect();
    assert_eq!(warnings.len(), 1, "{:#?}", found.diagnostics);
    assert!(warnings[0].file.ends_with("params/typo/main.bicepparam"));
    assert_eq!((warnings[0].line, warnings[0].column), (3, 18));
    assert!(
        warnings[0].message.contains("did you mean 'uksouth'?"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn fingerprints_tell_changed_bodies_apart() {
    let dir = tempfile::tempdir().unwrap();
    let write_and_scan = |body: &str| {
        let path = dir.path().join("main.bicep");
        std::fs::write(&path, body).unwrap();
        scan_files(&[path], &ScanOptions::default()).resources[0].fingerprint
    };
    let original = write_and_scan(
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st'\n  kind: 'StorageV2'\n}\n",
    );
    let reformatted = write_and_scan(
        "// storage\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  kind: 'StorageV2'   // moved\n\n  name: 'st'\n}\n",
    );
    let changed = write_and_scan(
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st'\n  kind: 'BlobStorage'\n}\n",
    );
    assert_ne!(original, 0);
    assert_eq!(original, reformatted);
    assert_ne!(original, changed);
}

#[test]
fn a_very_long_module_chain_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..100 {
        let text = format!(
            "param location string = 'westus3'\nresource s{i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: 's{i}'\n  location: location\n}}\nmodule next './m{}.bicep' = {{\n  name: 'next'\n  params: {{\n    location: location\n  }}\n}}\n",
            i + 1
        );
        std::fs::write(dir.path().join(format!("m{i}.bicep")), text).unwrap();
    }
    let found = scan_files(&[dir.path().join("m0.bicep")], &ScanOptions::default());
    assert_eq!(declared(&found).count(), 64);
    assert!(declared(&found).all(|r| r.location.as_deref() == Some("westus3")));
    assert!(
        found.diagnostics.iter().any(|d| d.code == "module-limit"),
        "{:#?}",
        found.diagnostics
    );
}

/// Every prefix of a realistic file, and the file with bytes dropped or swapped here and there, parses to
/// an end without panicking (a poor man's fuzzer; deterministic).
#[test]
fn truncated_and_mutated_files_never_panic() {
    let text = std::fs::read_to_string(fixture("avm/main.bicep")).unwrap();
    let bytes = text.as_bytes();
    for cut in (0..bytes.len()).step_by(13) {
        let prefix = String::from_utf8_lossy(&bytes[..cut]);
        let _ = azengage::iac::bicep::parse(&prefix);
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..300 {
        let mut mutated = bytes.to_vec();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % mutated.len() as u64) as usize;
            match seed % 3 {
                0 => {
                    mutated.remove(at);
                }
                1 => mutated[at] = b"{}[]()'$:\n=?!"[(seed >> 8) as usize % 13],
                _ => mutated.insert(at, b"'{[("[(seed >> 8) as usize % 4]),
            }
        }
        let file = azengage::iac::bicep::parse(&String::from_utf8_lossy(&mutated));
        assert!(file.errors.len() <= 101);
        // The whole scan (resolution, fingerprints, parameter files) copes with the broken tree too.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.bicep"), &mutated).unwrap();
        let found = scan_files(&[dir.path().join("main.bicep")], &ScanOptions::default());
        assert!(
            found
                .diagnostics
                .iter()
                .all(|d| d.line > 0 || d.code != "parse")
        );
    }
}

#[test]
fn loop_variables_hide_parameters_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.bicep");
    let text = "param location string = 'westeurope'\nparam locations array = [\n  'eastus'\n  'westus'\n]\n\nresource plans 'Microsoft.Web/serverfarms@2023-01-01' = [for location in locations: {\n  name: 'plan-${location}'\n  location: location\n}]\n\nresource home 'Microsoft.Web/serverfarms@2023-01-01' = {\n  name: 'home'\n  location: location\n}\n";
    std::fs::write(&path, text).unwrap();
    let found = scan_files(&[path], &ScanOptions::default());
    assert_eq!(find(&found, "plans").location, None);
    assert_eq!(
        find(&found, "plans").location_expr.as_deref(),
        Some("location")
    );
    assert_eq!(find(&found, "home").location.as_deref(), Some("westeurope"));
}

#[test]
fn a_parameter_file_naming_a_missing_template_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prod.bicepparam");
    std::fs::write(
        &path,
        "using './gone.bicep'\n\nparam location = 'westeurope'\n",
    )
    .unwrap();
    let found = scan_files(&[path], &ScanOptions::default());
    assert!(found.resources.is_empty());
    let d = &found.diagnostics;
    assert!(
        d.len() == 1 && d[0].code == "module-not-found" && (d[0].line, d[0].column) == (1, 1),
        "{d:#?}"
    );
}

#[test]
fn crlf_files_and_a_bom_give_the_same_lines_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.bicep");
    let text = "\u{feff}// Windows line endings\r\nparam location string = 'norwayeast'\r\n\r\nresource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {\r\n  name: 'vnet'\r\n  location: 'norwayeastt'\r\n}\r\n\r\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\r\n  name: 'nsg'\r\n  location: location\r\n}\r\n";
    std::fs::write(&path, text).unwrap();
    let found = scan_files(&[path], &ScanOptions::default());
    let d = &found.diagnostics;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].line, d[0].column, d[0].code.as_str()),
        (6, 13, "unknown-region")
    );
    assert_eq!(find(&found, "vnet").line, 4);
    assert_eq!(find(&found, "nsg").location.as_deref(), Some("norwayeast"));
    assert_eq!(find(&found, "nsg").line, 9);
}

#[test]
fn a_missing_extends_base_is_one_warning_at_the_statement() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.bicep"),
        "param location string\nresource plan 'Microsoft.Web/serverfarms@2024-04-01' = {\n  name: 'plan'\n  location: location\n}\n",
    )
    .unwrap();
    let params = dir.path().join("main.bicepparam");
    std::fs::write(
        &params,
        "using './main.bicep'\nextends '../shared/base.bicepparam'\nparam location = 'westeurope'\n",
    )
    .unwrap();
    let found = scan_files(std::slice::from_ref(&params), &ScanOptions::default());
    let about_base: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("base.bicepparam"))
        .collect();
    assert_eq!(about_base.len(), 1, "{:#?}", found.diagnostics);
    assert_eq!(about_base[0].severity, Severity::Warning);
    assert_eq!(
        (
            about_base[0].file.as_str(),
            about_base[0].line,
            about_base[0].column
        ),
        (params.to_string_lossy().as_ref(), 2, 1)
    );
    assert!(
        found
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    );
    assert_eq!(find(&found, "plan").location.as_deref(), Some("westeurope"));
}

#[test]
fn the_spelled_out_public_registry_resolves_like_its_alias() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.bicep");
    std::fs::write(
        &main,
        "module kv 'br:mcr.microsoft.com/bicep/avm/res/key-vault/vault:0.11.0' = {\n  params: {\n    name: 'kv-app'\n    location: 'northeurope'\n  }\n}\nmodule other 'br:contoso.azurecr.io/bicep/modules/app:1.0' = {\n  name: 'other'\n}\n",
    )
    .unwrap();
    let found = scan_files(std::slice::from_ref(&main), &ScanOptions::default());
    // Each module statement is a deployment; the AVM one also stands for the vault it deploys.
    let resolved: Vec<_> = found
        .resources
        .iter()
        .filter(|r| r.via_module.is_some())
        .collect();
    assert_eq!(resolved.len(), 1, "{:#?}", found.resources);
    assert_eq!(
        (resolved[0].name.as_str(), resolved[0].arm_type.as_deref()),
        ("kv", Some("Microsoft.KeyVault/vaults"))
    );
    assert_eq!(resolved[0].location.as_deref(), Some("northeurope"));
    assert_eq!(found.resources.len(), 3);
    let remote: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "remote-module")
        .map(|d| d.line)
        .collect();
    assert_eq!(remote, [7]);
}

#[test]
fn a_monorepo_of_many_templates_does_not_run_out_of_module_expansions() {
    // Regression (benchmark): the 10,000-expansion budget was per scan, so in a large monorepo the templates
    // scanned last silently lost their modules' resources.
    let Ok(dir) = tempfile::tempdir() else { return };
    let module = "param name string\nresource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: name\n  location: 'westeurope'\n}\n";
    assert!(std::fs::write(dir.path().join("st.bicep"), module).is_ok());
    let mut files = Vec::new();
    for t in 0..60 {
        let calls: String = (0..200)
            .map(|i| format!("module st{i} './st.bicep' = {{\n  name: 'st{i}'\n  params: {{\n    name: 'st{t}x{i}'\n  }}\n}}\n"))
            .collect();
        let path = dir.path().join(format!("app{t}.bicep"));
        assert!(std::fs::write(&path, calls).is_ok());
        files.push(path);
    }
    let found = scan_files(&files, &ScanOptions::default());
    let limits: Vec<&str> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "module-limit")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        limits.is_empty(),
        "{} module-limit warnings, first: {:?}",
        limits.len(),
        limits.first()
    );
    assert!(found.resources.iter().any(|r| r.file.ends_with("st.bicep")));
}

#[test]
fn conditions_and_loops_follow_modules_and_children() {
    use azengage::model::Condition;
    let Ok(dir) = tempfile::tempdir() else { return };
    let main = dir.path().join("main.bicep");
    std::fs::write(
        &main,
        r#"param deployCache bool = false
param containerNames array = []
param zones array = [
  '1'
  '2'
]

resource cache 'Microsoft.Cache/redis@2023-08-01' = if (deployCache) {
  name: 'cache'
  location: 'westeurope'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  location: 'westeurope'
  kind: 'StorageV2'

  resource blob 'blobServices' = {
    name: 'default'

    resource containers 'containers' = [for name in containerNames: {
      name: name
    }]
  }
}

resource ips 'Microsoft.Network/publicIPAddresses@2023-04-01' = [for zone in zones: if (zone != '3') {
  name: 'pip-${zone}'
  location: 'westeurope'
}]

module off './mod.bicep' = if (1 > 2) {
  name: 'off'
}

resource legacy 'Microsoft.Web/sites@2022-03-01' = if (false) {
  name: 'legacy'
  location: 'westeurope'
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mod.bicep"),
        "resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv'\n  location: 'westeurope'\n}\n",
    )
    .unwrap();
    let found = scan_files(&[main], &ScanOptions::default());
    let condition = |name: &str| find(&found, name).condition;
    assert_eq!(condition("cache"), Condition::False);
    assert_eq!(condition("storage"), Condition::None);
    assert_eq!(condition("blob"), Condition::None);
    // A loop over an empty array deploys nothing.
    assert_eq!(condition("containers"), Condition::False);
    // A known non-empty loop, filtered by the loop variable: the filter is unknown.
    assert_eq!(condition("ips"), Condition::Unknown);
    assert_eq!(condition("legacy"), Condition::False);
    // A module switched off switches off what it declares.
    assert_eq!(condition("vault"), Condition::False);
}

#[test]
fn registry_modules_default_to_the_location_of_their_resource_group() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.bicep");
    std::fs::write(
        &main,
        "targetScope = 'subscription'\n\nresource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {\n  name: 'rg-app'\n  location: 'swedencentral'\n}\n\nmodule monitoring 'br/public:avm/ptn/azd/monitoring:0.1.0' = {\n  name: 'monitoring'\n  scope: rg\n  params: {\n    logAnalyticsName: 'log-app'\n    applicationInsightsName: 'appi-app'\n  }\n}\n\nmodule vault 'br/public:avm/res/key-vault/vault:0.11.0' = {\n  name: 'vault'\n  scope: rg\n  params: {\n    name: 'kv-app'\n    location: 'northeurope'\n  }\n}\n\nmodule elsewhere 'br/public:avm/res/key-vault/vault:0.11.0' = {\n  name: 'elsewhere'\n  scope: resourceGroup('rg-other')\n  params: {\n    name: 'kv-other'\n  }\n}\n\nmodule app './app.bicep' = {\n  name: 'app'\n  scope: rg\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.bicep"),
        "module ai 'br/public:avm/res/cognitive-services/account:0.10.0' = {\n  name: 'ai'\n  params: {\n    name: 'oai-app'\n    kind: 'OpenAI'\n  }\n}\nmodule email 'br/public:avm/res/communication/email-service:0.3.0' = {\n  name: 'email'\n  params: {\n    name: 'mail'\n  }\n}\n",
    )
    .unwrap();
    let found = scan_files(std::slice::from_ref(&main), &ScanOptions::default());
    assert!(found.diagnostics.is_empty(), "{:#?}", found.diagnostics);
    let at = |name: &str| {
        let r = declared(&found)
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:#?}", found.resources));
        (
            r.location.as_deref().map(str::to_string),
            r.location_expr.clone(),
        )
    };
    let rg_default = (
        Some("swedencentral".to_string()),
        Some("resourceGroup().location".to_string()),
    );
    assert_eq!(at("monitoring"), rg_default);
    assert_eq!(
        at("vault"),
        (Some("northeurope".into()), Some("'northeurope'".into()))
    );
    // A resource group the files do not declare: its location is not known.
    assert_eq!(
        at("elsewhere"),
        (None, Some("resourceGroup().location".into()))
    );
    // Inside a local module deployed into `rg`, its location is the default; `kind` refines the service.
    assert_eq!(at("ai"), rg_default);
    let ai = declared(&found).find(|r| r.name == "ai").unwrap();
    assert_eq!(ai.kind.as_deref(), Some("OpenAI"));
    assert_eq!(
        ai.via_module.as_deref(),
        Some("br/public:avm/res/cognitive-services/account:0.10.0")
    );
    // A module whose location parameter defaults to `global` is placed there.
    assert_eq!(at("email"), (Some("global".into()), Some("global".into())));
}

/// `tests/fixtures/bicep/corpus/*/main.bicep`: each parses with no error and lists exactly the resource types
/// in its `expected-types.txt` (what the compiler emits into `main.json`, modules included).
#[test]
fn corpus_templates_parse_and_list_the_types_the_compiler_emits() {
    let root = fixture("corpus");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("main.bicep").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "{dirs:?}");
    for dir in dirs {
        let found = scan_files(&[dir.join("main.bicep")], &ScanOptions::default());
        let errors: Vec<_> = found
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
        let mut types: Vec<String> = found
            .resources
            .iter()
            .filter(|r| !r.existing)
            .filter_map(|r| r.arm_type.clone())
            .collect();
        types.sort();
        types.dedup();
        let expected: Vec<String> = std::fs::read_to_string(dir.join("expected-types.txt"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(types, expected, "{}", dir.display());
    }
}
