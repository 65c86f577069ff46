//! Terraform scanning end to end on fixture modules written like public Azure repositories.

use azengage::iac::terraform::scan_file;
use azengage::iac::{Found, ScanOptions};
use azengage::model::{Resource, Severity, copy_rank};
use std::path::PathBuf;

/// Scan Terraform directories; the scanner lists a declaration once per root module it started from, so keep
/// the best copy of each (as the inventory stage does before it tells which are deployed).
fn scan_dirs(dirs: &[PathBuf], opts: &ScanOptions) -> Found {
    let mut found = azengage::iac::terraform::scan_dirs(dirs, opts);
    let mut best: Vec<Resource> = Vec::new();
    for r in found.resources {
        let same = |b: &Resource| {
            (&b.file, b.line, &b.source_type, &b.name, b.existing)
                == (&r.file, r.line, &r.source_type, &r.name, r.existing)
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

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(rel)
}

fn webapp_dirs() -> Vec<PathBuf> {
    // The walk finds every directory with .tf files, modules included, in no particular order.
    vec![
        fixture("webapp/modules/nsg"),
        fixture("webapp"),
        fixture("webapp/modules/network"),
    ]
}

fn get<'a>(found: &'a Found, source_type: &str, name: &str) -> &'a Resource {
    let mut matching = found
        .resources
        .iter()
        .filter(|r| r.source_type == source_type && r.name == name);
    let first = matching
        .next()
        .unwrap_or_else(|| panic!("{source_type}.{name} not found"));
    assert!(
        matching.next().is_none(),
        "{source_type}.{name} listed twice"
    );
    first
}

fn codes(found: &Found, code: &str) -> Vec<String> {
    found
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn every_block_is_listed_once_with_its_file_and_line() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    // main.tf 13, broken.tf 2, monitoring.tf.json 1, network.tf 1 + two AVM modules,
    // modules/network 3, modules/nsg 1.
    assert_eq!(found.resources.len(), 23, "{:#?}", found.resources);
    let rg = get(&found, "azurerm_resource_group", "main");
    assert_eq!(rg.file, fixture("webapp/main.tf").to_string_lossy());
    assert_eq!(
        (rg.line, rg.arm_type.as_deref()),
        (15, Some("Microsoft.Resources/resourceGroups"))
    );
    assert_eq!(get(&found, "azurerm_linux_function_app", "func").line, 53);
    assert_eq!(get(&found, "azurerm_storage_account", "sa").line, 64);
    assert_eq!(get(&found, "azurerm_key_vault", "kv").line, 121);
    let pet = get(&found, "random_pet", "suffix");
    assert_eq!((pet.arm_type.as_ref(), pet.existing), (None, false));
    assert!(get(&found, "azurerm_client_config", "current").existing);
    assert!(get(&found, "azurerm_resource_group", "shared").existing);
    assert!(
        !found.resources.iter().any(|r| r.source_type == "not_a"),
        "a heredoc's text is not a block"
    );
}

#[test]
fn regions_resolve_through_variable_files_locals_and_references() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    let rg = get(&found, "azurerm_resource_group", "main");
    // default "eastus" < terraform.tfvars "East US 2" < env.auto.tfvars "West Europe"
    assert_eq!(rg.location.as_deref(), Some("westeurope"));
    assert_eq!(rg.location_expr.as_deref(), Some("var.location"));
    let plan = get(&found, "azurerm_service_plan", "plan");
    assert_eq!(plan.location.as_deref(), Some("westeurope"));
    assert_eq!(
        plan.location_expr.as_deref(),
        Some("azurerm_resource_group.main.location")
    );
    assert_eq!(
        get(&found, "azurerm_linux_function_app", "func")
            .location
            .as_deref(),
        Some("northeurope")
    );
    assert_eq!(
        get(&found, "azurerm_storage_account", "sa")
            .location
            .as_deref(),
        Some("westeurope")
    );
    let openai = get(&found, "azurerm_cognitive_account", "openai");
    assert_eq!(openai.location.as_deref(), Some("swedencentral"));
    assert_eq!(openai.location_expr.as_deref(), Some("\"swedencentral\""));
    let kv = get(&found, "azurerm_key_vault", "kv");
    assert_eq!(kv.location, None);
    assert_eq!(
        kv.location_expr.as_deref(),
        Some("data.azurerm_resource_group.shared.location")
    );
    assert_eq!(get(&found, "azurerm_subnet", "app").location_expr, None);
}

#[test]
fn a_misspelled_region_warns_once() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    let sql = get(&found, "azurerm_mssql_server", "sql");
    assert_eq!(
        (sql.location.as_ref(), sql.location_expr.as_deref()),
        (None, Some("\"westeurop\""))
    );
    let warnings = codes(&found, "unknown-region");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(
        "main.tf:111:34: warning: 'westeurop' is not an Azure region (did you mean 'westeurope'?)"
    ));
}

#[test]
fn kinds_azapi_and_secrets() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    assert_eq!(
        get(&found, "azurerm_cognitive_account", "openai")
            .kind
            .as_deref(),
        Some("OpenAI")
    );
    assert_eq!(
        get(&found, "azurerm_linux_function_app", "func")
            .kind
            .as_deref(),
        Some("functionapp")
    );
    let env = get(&found, "azapi_resource", "container_app_env");
    assert_eq!(
        env.arm_type.as_deref(),
        Some("Microsoft.App/managedEnvironments")
    );
    assert_eq!(env.api_version.as_deref(), Some("2024-03-01"));
    assert_eq!(env.location.as_deref(), Some("westeurope"));
    assert!(get(&found, "azurerm_mssql_server", "sql").uses_secrets);
    assert!(get(&found, "azurerm_linux_web_app", "app").uses_secrets);
    assert!(!get(&found, "azurerm_service_plan", "plan").uses_secrets);
    assert_ne!(get(&found, "azurerm_service_plan", "plan").fingerprint, 0);
}

#[test]
fn local_modules_are_followed_once_with_the_callers_values() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    let vnet = get(&found, "azurerm_virtual_network", "vnet");
    assert_eq!(
        vnet.file,
        fixture("webapp/modules/network/main.tf").to_string_lossy()
    );
    assert_eq!(vnet.via_module.as_deref(), Some("./modules/network"));
    // The module's default is "eastus2"; the caller passes var.location.
    assert_eq!(vnet.location.as_deref(), Some("westeurope"));
    let nsg = get(&found, "azurerm_network_security_group", "nsg");
    assert_eq!(
        (nsg.via_module.as_deref(), nsg.location.as_deref()),
        (Some("../nsg"), Some("westeurope"))
    );
    assert_eq!(nsg.line, 9);
    assert_eq!(codes(&found, "module-not-found").len(), 1);
    // A module's outputs feed its caller: `location = module.network.location`.
    let pip = get(&found, "azurerm_public_ip", "gateway");
    assert_eq!(pip.location.as_deref(), Some("westeurope"));
    assert_eq!(
        pip.location_expr.as_deref(),
        Some("module.network.location")
    );
}

#[test]
fn registry_modules_resolve_by_name_or_are_named() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    let avm = get(
        &found,
        "Azure/avm-res-storage-storageaccount/azurerm",
        "storage_avm",
    );
    assert_eq!(
        avm.arm_type.as_deref(),
        Some("Microsoft.Storage/storageAccounts")
    );
    assert_eq!((avm.line, avm.location.as_deref()), (8, Some("westeurope")));
    assert_eq!(avm.file, fixture("webapp/network.tf").to_string_lossy());
    assert_eq!(
        avm.via_module.as_deref(),
        Some("Azure/avm-res-storage-storageaccount/azurerm")
    );
    let func = get(
        &found,
        "registry.terraform.io/Azure/avm-res-web-site/azurerm",
        "function_avm",
    );
    assert_eq!(func.arm_type.as_deref(), Some("Microsoft.Web/sites"));
    assert_eq!(
        (func.kind.as_deref(), func.location.as_deref()),
        (Some("functionapp"), Some("northeurope"))
    );
    let remote: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "remote-module")
        .collect();
    assert_eq!(remote.len(), 1);
    assert_eq!((remote[0].severity, remote[0].line), (Severity::Info, 30));
    assert!(remote[0].message.contains("Azure/naming/azurerm"));
}

#[test]
fn a_broken_file_gives_one_error_and_its_neighbours_still_count() {
    let found = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    let errors: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].file,
        fixture("webapp/broken.tf").to_string_lossy()
    );
    assert_eq!((errors[0].line, errors[0].severity), (10, Severity::Error));
    assert!(errors[0].column > 1);
    // The good block of the broken file keeps its body; the broken one is still listed from its header.
    assert_eq!(
        get(&found, "azurerm_application_insights", "ai")
            .location
            .as_deref(),
        Some("westeurope")
    );
    assert_eq!(
        get(&found, "azurerm_log_analytics_solution", "broken").line,
        8
    );
    let law = get(&found, "azurerm_log_analytics_workspace", "logs");
    assert_eq!((law.line, law.location.as_deref()), (4, Some("westeurope")));
    assert_eq!(law.location_expr.as_deref(), Some("var.location"));
}

#[test]
fn a_named_file_lists_only_itself_with_its_directory_as_context() {
    let found = scan_file(&fixture("webapp/main.tf"), &ScanOptions::default());
    assert_eq!(found.resources.len(), 13);
    assert_eq!(
        get(&found, "azurerm_resource_group", "main")
            .location
            .as_deref(),
        Some("westeurope")
    );
    assert!(codes(&found, "parse").is_empty(), "broken.tf was not named");

    let found = scan_file(&fixture("webapp/network.tf"), &ScanOptions::default());
    assert_eq!(
        get(&found, "azurerm_virtual_network", "vnet")
            .location
            .as_deref(),
        Some("westeurope")
    );
    assert_eq!(found.resources.len(), 7);

    let found = scan_file(&fixture("webapp/broken.tf"), &ScanOptions::default());
    assert_eq!(
        (found.resources.len(), codes(&found, "parse").len()),
        (2, 1)
    );
    let found = scan_file(&fixture("webapp/missing.tf"), &ScanOptions::default());
    assert_eq!((found.resources.len(), codes(&found, "io").len()), (0, 1));

    let no_follow = ScanOptions {
        follow_modules: false,
        ..ScanOptions::default()
    };
    let found = scan_file(&fixture("webapp/network.tf"), &no_follow);
    // Only the file's own block: neither the local modules' resources nor what the two AVM modules deploy.
    let listed: Vec<_> = found
        .resources
        .iter()
        .map(|r| r.source_type.as_str())
        .collect();
    assert_eq!(listed, ["azurerm_public_ip"]);
    assert!(found.resources.iter().all(|r| r.via_module.is_none()));
}

#[test]
fn module_cycles_stop_with_a_warning() {
    let found = scan_dirs(
        &[fixture("cycle/a"), fixture("cycle/b")],
        &ScanOptions::default(),
    );
    assert_eq!(found.resources.len(), 2);
    assert!(!codes(&found, "module-cycle").is_empty());
    let a = get(&found, "azurerm_resource_group", "a");
    assert_eq!(
        (a.via_module.as_deref(), a.location.as_deref()),
        (Some("../a"), Some("uksouth"))
    );
}

#[test]
fn runs_are_deterministic() {
    let one = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    let two = scan_dirs(&webapp_dirs(), &ScanOptions::default());
    assert_eq!(
        format!("{:?}", one.resources),
        format!("{:?}", two.resources)
    );
    assert_eq!(one.diagnostics, two.diagnostics);
}

#[test]
fn a_fan_out_module_graph_is_cut_off_not_exponential() {
    // m0 calls m1 twice, m1 calls m2 twice, ...: 2^15 instances if nothing stopped it.
    let dir = tempfile::tempdir().unwrap();
    let levels = 15;
    for level in 0..levels {
        let module = dir.path().join(format!("m{level}"));
        std::fs::create_dir_all(&module).unwrap();
        let mut text = format!(
            "variable \"location\" {{\n  default = \"westeurope\"\n}}\n\nresource \"azurerm_resource_group\" \"rg{level}\" {{\n  name     = \"rg-{level}\"\n  location = var.location\n}}\n"
        );
        if level + 1 < levels {
            for copy in ["a", "b"] {
                text.push_str(&format!(
                    "\nmodule \"{copy}\" {{\n  source   = \"../m{}\"\n  location = var.location\n}}\n",
                    level + 1
                ));
            }
        }
        std::fs::write(module.join("main.tf"), text).unwrap();
    }
    let start = std::time::Instant::now();
    let found = scan_dirs(&[dir.path().join("m0")], &ScanOptions::default());
    assert!(start.elapsed().as_secs() < 60);
    assert_eq!(found.resources.len(), levels);
    assert!(
        found
            .resources
            .iter()
            .all(|r| r.location.as_deref() == Some("westeurope"))
    );
    assert!(!codes(&found, "module-limit").is_empty());
}

#[test]
fn a_data_resource_group_resolves_to_the_group_another_root_creates() {
    // `workload-shared` sorts after `webapp`: the answer must not depend on the order of directories.
    let mut dirs = webapp_dirs();
    dirs.push(fixture("workload-shared"));
    let found = scan_dirs(&dirs, &ScanOptions::default());
    let kv = get(&found, "azurerm_key_vault", "kv");
    assert_eq!(kv.location.as_deref(), Some("swedencentral"));
    assert_eq!(
        kv.location_expr.as_deref(),
        Some("data.azurerm_resource_group.shared.location")
    );
    let data = found
        .resources
        .iter()
        .find(|r| r.existing && r.name == "shared")
        .unwrap();
    assert_eq!(
        data.location, None,
        "a data block has no location argument of its own"
    );
}

#[test]
fn a_file_over_the_size_limit_is_reported_by_directory_and_by_name() {
    // Regression (hostile-input campaign): a .tf file too large to parse vanished without a diagnostic.
    let Ok(dir) = tempfile::tempdir() else { return };
    let big = dir.path().join("big.tf");
    let small = dir.path().join("main.tf");
    let block = "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n";
    assert!(
        std::fs::write(
            &big,
            format!("locals {{\n  pad = \"{}\"\n}}\n", "x".repeat(4096))
        )
        .is_ok()
    );
    assert!(std::fs::write(&small, block).is_ok());
    let opts = ScanOptions {
        max_file_size: 1024,
        ..ScanOptions::default()
    };
    for found in [
        scan_dirs(&[dir.path().to_path_buf()], &opts),
        scan_file(&big, &opts),
    ] {
        let too_large: Vec<&str> = found
            .diagnostics
            .iter()
            .filter(|d| d.code == "too-large")
            .map(|d| d.file.rsplit('/').next().unwrap_or_default())
            .collect();
        assert_eq!(too_large, vec!["big.tf"]);
    }
    assert_eq!(scan_file(&small, &opts).resources.len(), 1);
    assert!(
        scan_file(&small, &opts).diagnostics.is_empty(),
        "big.tf is reported only when it is scanned"
    );
}

#[test]
fn a_monorepo_of_many_roots_does_not_run_out_of_module_instances() {
    // Regression (benchmark monorepo): the 2,000-instance budget was per scan, so the roots scanned last in
    // a large monorepo silently lost their modules' resources.
    let Ok(dir) = tempfile::tempdir() else { return };
    let module = dir.path().join("modules/st");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "variable \"name\" {}\nresource \"azurerm_storage_account\" \"st\" {\n  name     = var.name\n  location = \"westeurope\"\n}\n",
    )
    .unwrap();
    let mut roots = Vec::new();
    for r in 0..25 {
        let root = dir.path().join(format!("services/s{r}"));
        std::fs::create_dir_all(&root).unwrap();
        let calls: String = (0..100)
            .map(|i| format!("module \"st{i}\" {{\n  source = \"../../modules/st\"\n  name   = \"st{r}x{i}\"\n}}\n"))
            .collect();
        std::fs::write(root.join("main.tf"), calls).unwrap();
        roots.push(root);
    }
    let found = scan_dirs(&roots, &ScanOptions::default());
    assert!(codes(&found, "module-limit").is_empty());
    // One entry per declaring file and line: the module's storage account, reached 2,500 times.
    assert_eq!(found.resources.len(), 1);
}

#[test]
fn count_and_for_each_switch_blocks_off_with_the_roots_values() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    std::fs::create_dir_all(root.join("modules/apim")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        r#"variable "use_apim" {
  type    = bool
  default = false
}
variable "zones" {
  type    = list(string)
  default = []
}
resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}
resource "azurerm_redis_cache" "cache" {
  count    = var.use_apim ? 1 : 0
  name     = "cache"
  location = "westeurope"
}
resource "azurerm_public_ip" "zonal" {
  for_each = toset(var.zones)
  name     = "pip-${each.key}"
  location = "westeurope"
}
resource "azurerm_storage_account" "logs" {
  count    = length(data.azurerm_resources.existing.resources)
  name     = "logs"
  location = "westeurope"
}
resource "azurerm_key_vault" "kv" {
  for_each = { main = "kv-main" }
  name     = each.value
  location = "westeurope"
}
module "apim" {
  source   = "./modules/apim"
  count    = var.use_apim ? 1 : 0
}
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("modules/apim/main.tf"),
        "resource \"azurerm_api_management\" \"apim\" {\n  name     = \"apim\"\n  location = \"westeurope\"\n}\n",
    )
    .unwrap();
    let found = scan_dirs(&[root.to_path_buf()], &ScanOptions::default());
    let condition = |source: &str, name: &str| get(&found, source, name).condition;
    use azengage::model::Condition;
    assert_eq!(condition("azurerm_resource_group", "rg"), Condition::None);
    assert_eq!(condition("azurerm_redis_cache", "cache"), Condition::False);
    assert_eq!(condition("azurerm_public_ip", "zonal"), Condition::False);
    assert_eq!(
        condition("azurerm_storage_account", "logs"),
        Condition::Unknown
    );
    assert_eq!(condition("azurerm_key_vault", "kv"), Condition::True);
    // The module's `count` reaches what it declares.
    assert_eq!(
        condition("azurerm_api_management", "apim"),
        Condition::False
    );

    // A variable file that turns the switch on.
    std::fs::write(
        root.join("terraform.tfvars"),
        "use_apim = true\nzones = [\"1\"]\n",
    )
    .unwrap();
    let found = scan_dirs(&[root.to_path_buf()], &ScanOptions::default());
    assert_eq!(
        get(&found, "azurerm_redis_cache", "cache").condition,
        Condition::True
    );
    assert_eq!(
        get(&found, "azurerm_public_ip", "zonal").condition,
        Condition::True
    );
    assert_eq!(
        get(&found, "azurerm_api_management", "apim").condition,
        Condition::True
    );
}

/// Root modules are evaluated in parallel and merged in root order: the result, order included, is the same
/// on one thread as on several, and the same from one run to the next.
#[test]
fn roots_evaluated_in_parallel_give_what_one_thread_gives() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = [
        "webapp",
        "webapp/modules/nsg",
        "webapp/modules/network",
        "cycle/a",
        "cycle/b",
        "workload-shared",
    ]
    .iter()
    .map(|d| fixture(d))
    .collect();
    dirs.push(repo.join("examples/terraform-startup"));
    dirs.extend(
        std::fs::read_dir(repo.join("examples/terraform-startup/modules"))
            .expect("example modules")
            .map(|e| e.expect("entry").path()),
    );
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let found =
            pool.install(|| azengage::iac::terraform::scan_dirs(&dirs, &ScanOptions::default()));
        format!("{found:?}")
    };
    let one = on(1);
    assert!(
        one.contains("azurerm_resource_group"),
        "the fixtures list resources"
    );
    for _ in 0..3 {
        assert_eq!(on(4), one);
    }
}
