//! What is deployed, end to end through the command line: repositories shaped like real azd templates
//! (Bicep and Terraform), one with samples, tests and compiled ARM copies, and one whose workflow names the
//! templates. Each fixture is copied into a temp dir so the repository around it plays no part.

use crate::git_support::copy_tree;
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of `tests/fixtures/deploy/<name>` in a temp dir.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &Path::new(ROOT).join("tests/fixtures/deploy").join(name),
        dir.path(),
    );
    dir
}

/// A copy of `tests/fixtures/real-shapes/<name>`: the shape of a public repository, cut to what matters.
fn copy_real_shape(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &Path::new(ROOT)
            .join("tests/fixtures/real-shapes")
            .join(name),
        dir.path(),
    );
    dir
}

fn azengage(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("azengage").expect("binary");
    cmd.current_dir(dir)
        .env_remove("GITHUB_TOKEN")
        .env("NO_COLOR", "1");
    cmd
}

fn inventory_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["inventory", ".", "--format", "json"];
    args.extend(extra);
    let out = azengage(dir).args(&args).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("json")
}

fn resources(v: &Value) -> &Vec<Value> {
    v["resources"].as_array().expect("resources")
}

/// The one resource named `name` declared in `file` (for a registry module: what it deploys, not the
/// deployment its `module` line compiles to, listed beside it).
fn resource<'a>(v: &'a Value, file: &str, name: &str) -> &'a Value {
    let mut found: Vec<&Value> = resources(v)
        .iter()
        .filter(|r| r["file"] == file && r["name"] == name)
        .collect();
    if found.len() > 1 {
        found.retain(|r| r["arm_type"] != "Microsoft.Resources/deployments");
    }
    assert_eq!(found.len(), 1, "{file} {name}: {found:#?}");
    found[0]
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .expect(key)
        .iter()
        .map(|s| s["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn no_errors(v: &Value) {
    let errors: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn an_azd_template_counts_what_main_bicep_reaches() {
    let repo = copy_fixture("azd-bicep");
    let v = inventory_json(repo.path(), &[]);
    no_errors(&v);
    assert_eq!(
        v["roots"],
        serde_json::json!([{
            "path": "infra/main.bicep",
            "found_by": "azure.yaml",
            "evidence": "azure.yaml:1",
            "parameters": ["infra/main.parameters.json"]
        }])
    );
    assert!(
        v["roots_summary"]
            .as_str()
            .is_some_and(|s| s.contains("infra/main.bicep (azure.yaml)")),
        "{}",
        v["roots_summary"]
    );

    // Reached from main.bicep: local modules two levels down, and a registry module inside a local module.
    for (file, name) in [
        ("infra/main.bicep", "rg"),
        ("infra/core/host/appserviceplan.bicep", "appServicePlan"),
        ("infra/core/host/appservice.bicep", "appService"),
        ("infra/core/host/appservice.bicep", "configAppSettings"),
        ("infra/core/monitor/loganalytics.bicep", "logAnalytics"),
        (
            "infra/core/monitor/applicationinsights.bicep",
            "applicationInsights",
        ),
        ("infra/main.bicep", "keyVault"),
    ] {
        let r = resource(&v, file, name);
        assert_eq!(r["deployed"], true, "{r:#?}");
        assert_eq!(r["why_not"], Value::Null);
        assert_eq!(r["root"], "infra/main.bicep");
    }
    let cosmos = resource(&v, "infra/app/db.bicep", "cosmos");
    assert_eq!(cosmos["deployed"], true, "{cosmos:#?}");
    assert_eq!(
        cosmos["via_module"],
        "br/public:avm/res/document-db/database-account:0.8.1"
    );

    // The library files nothing references, and the test template.
    for (file, name) in [
        ("infra/core/host/aks.bicep", "aks"),
        (
            "infra/core/host/container-apps.bicep",
            "containerAppsEnvironment",
        ),
        ("infra/core/database/cosmos/cosmos-account.bicep", "cosmos"),
        ("infra/core/security/keyvault.bicep", "keyVault"),
    ] {
        let r = resource(&v, file, name);
        assert_eq!(
            (&r["deployed"], &r["why_not"]),
            (&Value::Bool(false), &Value::from("unreferenced")),
            "{r:#?}"
        );
        assert_eq!(r["root"], Value::Null);
    }
    assert_eq!(
        resource(&v, "infra/main.test.bicep", "main")["why_not"],
        "test"
    );

    // `if (useAPIM)` with `useAPIM` = `${USE_APIM=false}`: switched off.
    let apim = resource(&v, "infra/core/gateway/apim.bicep", "apimService");
    assert_eq!(
        (&apim["deployed"], &apim["why_not"], &apim["condition"]),
        (
            &Value::Bool(false),
            &Value::from("condition"),
            &Value::from("false")
        )
    );

    let services = names(&v, "services");
    for absent in [
        "Azure Kubernetes Service",
        "API Management",
        "Azure Container Apps",
    ] {
        assert!(!services.iter().any(|s| s.contains(absent)), "{services:?}");
    }
    assert!(
        services.iter().any(|s| s.contains("Cosmos")),
        "{services:?}"
    );

    // `${AZURE_LOCATION}` is unknown here: no region, the placeholder named, no error, and a note once.
    assert_eq!(v["regions"], serde_json::json!([]));
    let rg = resource(&v, "infra/main.bicep", "rg");
    assert_eq!(
        (&rg["location"], &rg["location_expr"]),
        (&Value::Null, &Value::from("${AZURE_LOCATION}"))
    );
    assert!(
        v["region_note"]
            .as_str()
            .is_some_and(|n| n.contains("${AZURE_LOCATION}") && n.contains("deploy.env")),
        "{}",
        v["region_note"]
    );
}

#[test]
fn the_text_table_ends_with_what_is_not_deployed_and_all_lists_it() {
    let repo = copy_fixture("azd-bicep");
    let v = inventory_json(repo.path(), &[]);
    let not: Vec<&Value> = resources(&v)
        .iter()
        .filter(|r| r["deployed"] == false)
        .collect();
    let files: std::collections::BTreeSet<&str> =
        not.iter().filter_map(|r| r["file"].as_str()).collect();
    let count = |why: &str| not.iter().filter(|r| r["why_not"] == why).count();
    let out = azengage(repo.path())
        .args(["inventory", "."])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.contains("not deployed:"))
        .unwrap_or_else(|| panic!("{text}"));
    let expected = format!(
        "{} resources in {} files are not deployed: {} unreferenced, {} condition, {} test. (--all lists them)",
        not.len(),
        files.len(),
        count("unreferenced"),
        count("condition"),
        count("test")
    );
    assert_eq!(line, expected);
    assert!(count("unreferenced") > count("condition") && count("condition") > count("test"));
    assert!(
        text.contains("Deployed from infra/main.bicep (azure.yaml)."),
        "{text}"
    );
    assert!(!text.contains("aks.bicep"), "{text}");

    let out = azengage(repo.path())
        .args(["inventory", ".", "--all"])
        .assert()
        .success();
    let all = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let aks = all
        .lines()
        .find(|l| l.contains("infra/core/host/aks.bicep"))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(
        aks.contains("Microsoft.ContainerService/managedClusters") && aks.ends_with("unreferenced"),
        "{aks}"
    );
}

#[test]
fn deploy_env_names_the_region_but_not_a_written_default() {
    let repo = copy_fixture("azd-bicep");
    std::fs::write(
        repo.path().join(".github/azengage.yml"),
        "deploy:\n  env:\n    AZURE_LOCATION: swedencentral\n    USE_APIM: true\n",
    )
    .expect("config");
    let v = inventory_json(repo.path(), &[]);
    // Only the region the deployment uses: not main.test.bicep's westus2.
    assert_eq!(names(&v, "regions"), ["swedencentral"]);
    assert_eq!(
        v["region_note"],
        "The region comes from AZURE_LOCATION = swedencentral, set in deploy.env."
    );
    // `"useAPIM": "${USE_APIM=false}"` is `false` whatever deploy.env says (the contract's rule 5): the
    // template's own default decides, so API Management stays off.
    let apim = resource(&v, "infra/core/gateway/apim.bicep", "apimService");
    assert_eq!(
        (&apim["deployed"], &apim["condition"]),
        (&Value::Bool(false), &Value::from("false"))
    );
}

#[test]
fn an_azd_terraform_template_with_placeholders_gives_no_region_errors() {
    let repo = copy_fixture("azd-terraform");
    let v = inventory_json(repo.path(), &[]);
    no_errors(&v);
    assert_eq!(v["roots"][0]["path"], "infra");
    assert_eq!(v["roots"][0]["found_by"], "azure.yaml");
    assert_eq!(v["roots"][0]["evidence"], "azure.yaml:19");
    assert_eq!(
        v["roots"][0]["parameters"],
        serde_json::json!(["infra/main.tfvars.json"])
    );
    let unknown_regions: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "unknown-region")
        .collect();
    assert!(unknown_regions.is_empty(), "{unknown_regions:#?}");
    let rg = resource(&v, "infra/main.tf", "rg");
    assert_eq!(
        (&rg["deployed"], &rg["location_expr"]),
        (&Value::Bool(true), &Value::from("${AZURE_LOCATION}"))
    );
    let db = resource(&v, "infra/modules/cosmos/cosmos.tf", "db");
    assert_eq!(
        (&db["deployed"], &db["location_expr"]),
        (&Value::Bool(true), &Value::from("${AZURE_LOCATION}"))
    );
    // `count = var.useAPIM ? 1 : 0` with `"useAPIM": "${USE_APIM=false}"`.
    let apim = resource(&v, "infra/modules/apim/apim.tf", "apim");
    assert_eq!(
        (&apim["deployed"], &apim["why_not"]),
        (&Value::Bool(false), &Value::from("condition"))
    );
    // A module nothing calls, with a default region that must not count.
    let aks = resource(&v, "infra/modules/aks/aks.tf", "aks");
    assert_eq!(aks["why_not"], "unreferenced");
    assert_eq!(v["regions"], serde_json::json!([]));

    // The scan's suggestions: no error or warning about the unknown region.
    let out = azengage(repo.path())
        .args(["scan", ".", "--format", "json", "--as-of", "2026-11-23"])
        .assert()
        .success();
    let scan: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let region_advice: Vec<&Value> = scan["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .filter(|s| s["rule"] == "unknown-region")
        .collect();
    assert!(region_advice.is_empty(), "{region_advice:#?}");
    assert_eq!(scan["roots"][0]["path"], "infra");
    assert!(
        scan["roots_summary"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn samples_tests_and_compiled_copies_are_not_deployed() {
    let repo = copy_fixture("samples-compiled");
    let v = inventory_json(repo.path(), &[]);
    no_errors(&v);
    let roots: Vec<(&str, &str)> = v["roots"]
        .as_array()
        .expect("roots")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or_default(),
                r["found_by"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        roots,
        [
            ("arm/azuredeploy.json", "fallback"),
            ("infra/main.bicep", "fallback")
        ]
    );
    assert_eq!(
        v["roots"][0]["parameters"],
        serde_json::json!(["arm/azuredeploy.parameters.json"])
    );
    // Compiled copies: not listed, one info each.
    assert!(!resources(&v).iter().any(|r| {
        r["file"]
            .as_str()
            .is_some_and(|f| f.starts_with("infra/") && f.ends_with(".json"))
    }));
    let copies: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "compiled-copy")
        .map(|d| {
            assert_eq!(d["severity"], "info");
            d["file"].as_str().unwrap_or_default()
        })
        .collect();
    assert_eq!(copies, ["infra/main.json", "infra/modules/web.json"]);
    for (file, name, why) in [
        ("samples/basic/main.bicep", "account", "sample"),
        ("examples/terraform/main.tf", "cache", "sample"),
        ("docs/snippets/vnet.bicep", "vnet", "sample"),
        (
            "tests/e2e/defaults/main.test.bicep",
            "testDeployment",
            "test",
        ),
    ] {
        let r = resource(&v, file, name);
        assert_eq!(
            (&r["deployed"], &r["why_not"]),
            (&Value::Bool(false), &Value::from(why)),
            "{r:#?}"
        );
    }
    assert_eq!(
        resource(&v, "infra/modules/web.bicep", "site")["root"],
        "infra/main.bicep"
    );
    let backup = resource(
        &v,
        "arm/azuredeploy.json",
        "[concat('rsv-', uniqueString(resourceGroup().id))]",
    );
    assert_eq!(backup["why_not"], "condition");
    // Regions of what the roots deploy only: not the samples', the docs' or the test's.
    assert_eq!(sorted(names(&v, "regions")), ["northeurope", "uksouth"]);
}

/// Write `files` (path, text) under `dir`.
fn write_repo(dir: &Path, files: &[(&str, &str)]) {
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }
}

/// Why a resource is not deployed, the module it was reached through and its region.
fn listed_as(r: &Value) -> (&str, Option<&str>, &str) {
    (
        r["why_not"].as_str().unwrap_or_default(),
        r["via_module"].as_str(),
        r["location"].as_str().unwrap_or_default(),
    )
}

/// A test template's call of an ordinary template of the scan is not followed: that template's resources are
/// listed from its own scan (here unreached by the azure.yaml root: its own default region, no `via_module`),
/// never with the test's values; a module only the test uses is still followed with them.
#[test]
fn a_test_does_not_lend_its_values_to_the_templates_it_calls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        (
            "azure.yaml",
            "name: demo\ninfra:\n  provider: bicep\n  path: infra\n",
        ),
        (
            "infra/main.bicep",
            "param location string = 'uksouth'\n\nresource plan 'Microsoft.Web/serverfarms@2023-12-01' = {\n  name: 'plan'\n  location: location\n}\n",
        ),
        (
            "lib/storage.bicep",
            "param location string = 'northeurope'\n\nresource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'st${uniqueString(resourceGroup().id)}'\n  location: location\n  kind: 'StorageV2'\n  sku: { name: 'Standard_LRS' }\n}\n",
        ),
        (
            "lib/tests/e2e/defaults/main.test.bicep",
            "targetScope = 'resourceGroup'\n\nmodule nestedDependencies 'dependencies.bicep' = {\n  name: 'deps'\n  params: {\n    location: 'westus3'\n  }\n}\n\nmodule testDeployment '../../../storage.bicep' = {\n  name: 'test'\n  params: {\n    location: 'westus3'\n  }\n}\n",
        ),
        (
            "lib/tests/e2e/defaults/dependencies.bicep",
            "param location string\n\nresource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'id-test'\n  location: location\n}\n",
        ),
    ];
    write_repo(dir.path(), &files);
    let v = inventory_json(dir.path(), &["--all"]);
    no_errors(&v);
    let account = resource(&v, "lib/storage.bicep", "account");
    assert_eq!(
        listed_as(account),
        ("unreferenced", None, "northeurope"),
        "{account:#?}"
    );
    let identity = resource(&v, "lib/tests/e2e/defaults/dependencies.bicep", "identity");
    assert_eq!(
        listed_as(identity),
        ("test", Some("dependencies.bicep"), "westus3"),
        "{identity:#?}"
    );
    assert_eq!(
        resource(&v, "infra/main.bicep", "plan")["root"],
        "infra/main.bicep"
    );
}

/// The same for Terraform: an example directory calling an ordinary directory of the scan (`source = "../.."`,
/// as Azure Verified Modules' `examples/*` do) does not lend it its values; a module only the example uses is
/// still followed with them.
#[test]
fn an_example_does_not_lend_its_values_to_the_module_it_calls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        (
            "azure.yaml",
            "name: demo\ninfra:\n  provider: terraform\n  path: infra\n",
        ),
        (
            "infra/main.tf",
            "resource \"azurerm_resource_group\" \"main\" {\n  name     = \"rg-demo\"\n  location = \"uksouth\"\n}\n",
        ),
        (
            "modules/storage/main.tf",
            "variable \"location\" {\n  type    = string\n  default = \"northeurope\"\n}\n\nresource \"azurerm_storage_account\" \"this\" {\n  name                     = \"stdemo\"\n  resource_group_name      = \"rg-demo\"\n  location                 = var.location\n  account_tier             = \"Standard\"\n  account_replication_type = \"LRS\"\n}\n\noutput \"id\" {\n  value = azurerm_storage_account.this.id\n}\n",
        ),
        (
            "modules/storage/examples/default/main.tf",
            "module \"naming\" {\n  source   = \"./naming\"\n  location = \"westus3\"\n}\n\nmodule \"storage\" {\n  source   = \"../../\"\n  location = \"westus3\"\n}\n\noutput \"storage_id\" {\n  value = module.storage.id\n}\n",
        ),
        (
            "modules/storage/examples/default/naming/main.tf",
            "variable \"location\" {\n  type = string\n}\n\nresource \"azurerm_user_assigned_identity\" \"this\" {\n  name                = \"id-example\"\n  resource_group_name = \"rg-example\"\n  location            = var.location\n}\n",
        ),
    ];
    write_repo(dir.path(), &files);
    let v = inventory_json(dir.path(), &["--all"]);
    no_errors(&v);
    let account = resource(&v, "modules/storage/main.tf", "this");
    assert_eq!(
        listed_as(account),
        ("unreferenced", None, "northeurope"),
        "{account:#?}"
    );
    let identity = resource(
        &v,
        "modules/storage/examples/default/naming/main.tf",
        "this",
    );
    assert_eq!(
        listed_as(identity),
        ("sample", Some("./naming"), "westus3"),
        "{identity:#?}"
    );
    assert_eq!(resource(&v, "infra/main.tf", "main")["root"], "infra");
    // An example named on the command line is a root: what it calls is followed with its values.
    let out = azengage(dir.path())
        .args([
            "inventory",
            "modules/storage/examples/default/main.tf",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let named: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let account = resources(&named)
        .iter()
        .find(|r| r["name"] == "this" && r["file"] == "../../main.tf")
        .expect("the module's account, reached from the named example");
    assert_eq!(
        (&account["deployed"], &account["location"]),
        (&Value::Bool(true), &Value::from("westus3")),
        "{account:#?}"
    );
}

#[test]
fn a_workflow_that_names_its_templates_decides_the_roots() {
    let repo = copy_fixture("workflow-named");
    let v = inventory_json(repo.path(), &[]);
    no_errors(&v);
    let roots = v["roots"].as_array().expect("roots");
    assert_eq!(roots.len(), 2, "{roots:#?}");
    assert_eq!(roots[0]["path"], "infra/app.bicep");
    assert_eq!(roots[0]["found_by"], "workflow");
    assert!(
        roots[0]["evidence"]
            .as_str()
            .is_some_and(|e| e.starts_with(".github/workflows/deploy-infra.yml:")),
        "{roots:#?}"
    );
    assert_eq!(
        roots[0]["parameters"],
        serde_json::json!(["infra/app.prod.parameters.json"])
    );
    assert_eq!(roots[1]["path"], "terraform/envs/prod");
    assert_eq!(
        roots[1]["parameters"],
        serde_json::json!(["terraform/envs/prod/prod.tfvars"])
    );
    // The step's parameters decide: westeurope and the Redis cache from the parameter file, norwayeast from
    // `-var-file`, the container group from `-var replicas=3`.
    let redis = resource(&v, "infra/app.bicep", "redis");
    assert_eq!(
        (&redis["deployed"], &redis["condition"]),
        (&Value::Bool(true), &Value::from("true"))
    );
    assert_eq!(redis["location"], "westeurope");
    let aci = resource(&v, "terraform/modules/web/main.tf", "web");
    assert_eq!(
        (&aci["deployed"], &aci["location"]),
        (&Value::Bool(true), &Value::from("norwayeast"))
    );
    // Templates no pipeline deploys are not counted, even though the fallback would have picked them.
    assert_eq!(
        resource(&v, "infra/scratch.bicep", "sql")["why_not"],
        "unreferenced"
    );
    assert_eq!(
        resource(&v, "terraform/envs/dev/main.tf", "dev")["why_not"],
        "unreferenced"
    );
    assert_eq!(sorted(names(&v, "regions")), ["norwayeast", "westeurope"]);
    // The template a step builds from an input is named, not taken.
    let unresolved: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "unresolved-root")
        .collect();
    assert_eq!(unresolved.len(), 1, "{unresolved:#?}");
    assert_eq!(unresolved[0]["severity"], "info");
    assert_eq!(unresolved[0]["file"], ".github/workflows/deploy-infra.yml");
    assert_eq!(
        (&unresolved[0]["line"], &unresolved[0]["column"]),
        (&Value::from(44), &Value::from(66))
    );
}

#[test]
fn deploy_roots_in_the_config_are_the_only_roots() {
    let repo = copy_fixture("workflow-named");
    std::fs::write(
        repo.path().join(".github/azengage.yml"),
        "deploy:\n  roots: [infra/scratch.bicep]\n",
    )
    .expect("config");
    let v = inventory_json(repo.path(), &[]);
    assert_eq!(
        v["roots"],
        serde_json::json!([{
            "path": "infra/scratch.bicep",
            "found_by": "config",
            "evidence": ".github/azengage.yml:2",
            "parameters": []
        }])
    );
    assert_eq!(names(&v, "regions"), ["eastus2"]);
    assert_eq!(
        resource(&v, "infra/app.bicep", "site")["why_not"],
        "unreferenced"
    );
}

#[test]
fn a_file_argument_is_a_root_itself() {
    let repo = copy_fixture("azd-bicep");
    let out = azengage(repo.path())
        .args(["inventory", "infra/core/host/aks.bicep", "--format", "json"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["roots"][0]["found_by"], "argument");
    assert_eq!(v["roots"][0]["path"], "aks.bicep");
    let aks = resource(&v, "aks.bicep", "aks");
    assert_eq!(
        (&aks["deployed"], &aks["root"]),
        (&Value::Bool(true), &Value::from("aks.bicep"))
    );
}

#[test]
fn a_path_inside_the_repository_is_reached_from_roots_outside_it() {
    let repo = copy_fixture("azd-bicep");
    // The repository (its root holds azure.yaml) is the git work tree around PATH.
    git(repo.path(), &["init", "-q", "-b", "main"]);
    let out = azengage(repo.path())
        .args(["inventory", "infra/core", "--format", "json"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    // main.bicep lies outside PATH but leads into it.
    assert_eq!(v["roots"][0]["path"], "../main.bicep");
    assert_eq!(
        resource(&v, "host/appservice.bicep", "appService")["deployed"],
        true
    );
    assert_eq!(
        resource(&v, "host/aks.bicep", "aks")["why_not"],
        "unreferenced"
    );
    // What main.bicep itself declares is outside PATH: not listed.
    assert!(!resources(&v).iter().any(|r| r["file"] == "../main.bicep"));
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn diff_json(repo: &Path, base: &str) -> Value {
    let out = azengage(repo)
        .args([
            "diff",
            "--base",
            base,
            "--head",
            "HEAD",
            ".",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("json")
}

#[test]
fn a_diff_counts_deployed_resources_only() {
    let dir = copy_fixture("azd-bicep");
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "template"]);
    let first = git(repo, &["rev-parse", "HEAD"]);

    // Deleting unused library files changes nothing deployed.
    std::fs::remove_file(repo.join("infra/core/host/aks.bicep")).expect("rm");
    std::fs::remove_file(repo.join("infra/core/host/container-apps.bicep")).expect("rm");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "drop unused core files"]);
    let v = diff_json(repo, &first);
    assert_eq!(
        v["files_changed"].as_array().map(Vec::len),
        Some(2),
        "{v:#}"
    );
    assert_eq!(v["deployed_change"], false, "{v:#}");
    assert_eq!(v["resources"]["removed"], serde_json::json!([]));
    assert_eq!(v["services"]["removed"], serde_json::json!([]));
    let second = git(repo, &["rev-parse", "HEAD"]);

    // Referencing a library file deploys what it declares.
    let main = repo.join("infra/main.bicep");
    let mut text = std::fs::read_to_string(&main).expect("read");
    text.push_str(
        "\nmodule kv './core/security/keyvault.bicep' = {\n  name: 'kv'\n  scope: rg\n  params: {\n    name: 'kv-${resourceToken}'\n    location: location\n  }\n}\n",
    );
    std::fs::write(&main, text).expect("write");
    git(repo, &["commit", "-qam", "use the keyvault module"]);
    let v = diff_json(repo, &second);
    assert_eq!(v["deployed_change"], true, "{v:#}");
    let added: Vec<&str> = v["resources"]["added"]
        .as_array()
        .expect("added")
        .iter()
        .map(|r| r["file"].as_str().unwrap_or_default())
        .collect();
    assert!(
        added.contains(&"infra/core/security/keyvault.bicep"),
        "{added:?}"
    );
}

/// Azure-Samples/todo-python-mongo-terraform: `infra:` twice in azure.yaml, `${AZURE_LOCATION}` in
/// main.tfvars.json, an API Management module behind `count = var.useAPIM ? 1 : 0` (false by default)
/// that reads the service with a `data` block. The summary lines read as English on these counts.
#[test]
fn an_azd_terraform_template_with_apim_off_reads_right() {
    let repo = copy_real_shape("azd-terraform-apim-off");
    let v = inventory_json(repo.path(), &[]);
    no_errors(&v);
    assert_eq!(v["roots"][0]["path"], "infra");
    assert_eq!(v["roots"][0]["found_by"], "azure.yaml");
    assert_eq!(v["regions"].as_array().map(Vec::len), Some(0), "{v:#}");
    let apim = resource(&v, "infra/modules/apim-api/apim-api.tf", "api");
    assert_eq!(apim["deployed"], false);
    assert_eq!(apim["why_not"], "condition");
    assert_eq!(
        resource(&v, "infra/modules/cosmos/cosmos.tf", "db")["deployed"],
        true
    );

    let out = azengage(repo.path())
        .args(["inventory", "."])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    // One Cosmos DB account and its resource group; azurecaf_name is the one non-Azure resource (the
    // azurerm_client_config data source deploys nothing); three API Management resources are switched off.
    assert!(
        text.contains(
            "2 deployed Azure resources in 1 service and 0 regions; 1 non-Azure resource.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("3 resources in 1 file are not deployed: 3 condition."),
        "{text}"
    );
    assert!(text.contains("Deployed from infra (azure.yaml)."), "{text}");

    let out = azengage(repo.path())
        .args(["scan", ".", "--format", "text"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("  2 resources, 1 service, 0 regions\n"),
        "{text}"
    );
}

/// Tried on a real template, `scan infra/main.bicep` is a natural first command: the error names the
/// path, says it is a file and what to run instead, and exits with the input code.
#[test]
fn scan_of_a_template_file_says_it_wants_a_directory() {
    let repo = copy_real_shape("azd-terraform-apim-off");
    let out = azengage(repo.path())
        .args(["scan", "infra/main.tf"])
        .assert()
        .code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("cannot read infra/main.tf: a file; scan reads a repository directory"),
        "{err}"
    );
    let out = azengage(repo.path())
        .args(["scan", "nowhere"])
        .assert()
        .code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("cannot read nowhere: no such directory"),
        "{err}"
    );
}
