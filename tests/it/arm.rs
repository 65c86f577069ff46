//! ARM JSON templates through the library API: quickstart-style templates with parameter files, Bicep-compiled
//! `languageVersion` 2.0 templates with nested deployments, environment parameter files, the portal's export
//! layout, and broken or hostile input.

use azengage::iac::arm::{is_arm_template, read_parameter_file, scan_files, scan_template};
use azengage::iac::{Found, ScanOptions};
use azengage::model::{Diagnostic, Resource, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixture(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/arm")
        .join(dir)
}

/// Every `.json` file of a fixture directory, as the walk would hand them over.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    files
}

fn scan_dir(dir: &str) -> Found {
    scan_files(&json_files(&fixture(dir)), &ScanOptions::default())
}

fn by_type<'a>(found: &'a Found, arm_type: &str) -> &'a Resource {
    let hits: Vec<&Resource> = found
        .resources
        .iter()
        .filter(|r| r.arm_type.as_deref() == Some(arm_type))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "exactly one {arm_type} expected in {:#?}",
        found.resources
    );
    hits[0]
}

fn codes(found: &Found) -> Vec<(&str, u32, Severity)> {
    found
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.severity))
        .collect()
}

#[test]
fn quickstart_template_with_parameter_file() {
    let found = scan_dir("quickstart");
    assert_eq!(found.resources.len(), 7, "{:#?}", found.resources);

    let server = by_type(&found, "Microsoft.Sql/servers");
    assert_eq!(server.source_type, "Microsoft.Sql/servers@2021-11-01");
    assert_eq!(server.api_version.as_deref(), Some("2021-11-01"));
    assert_eq!(server.name, "[variables('sqlServerName')]");
    assert!(
        server
            .file
            .ends_with("tests/fixtures/arm/quickstart/azuredeploy.json"),
        "{}",
        server.file
    );
    assert_eq!(server.line, 45);
    // "West Europe" from azuredeploy.parameters.json, normalised.
    assert_eq!(server.location.as_deref(), Some("westeurope"));
    assert_eq!(
        server.location_expr.as_deref(),
        Some("[parameters('location')]")
    );
    assert!(server.uses_secrets, "administratorLoginPassword is set");
    assert!(!server.existing);
    assert_eq!(server.via_module, None);

    let database = by_type(&found, "Microsoft.Sql/servers/databases");
    assert_eq!(database.source_type, "databases@2021-11-01");
    assert_eq!(
        (database.line, database.location.as_deref()),
        (56, Some("westeurope"))
    );
    let firewall = by_type(&found, "Microsoft.Sql/servers/firewallRules");
    assert_eq!(
        (
            firewall.line,
            firewall.location.as_deref(),
            firewall.location_expr.as_deref()
        ),
        (68, None, None)
    );

    let plan = by_type(&found, "Microsoft.Web/serverfarms");
    assert_eq!((plan.line, plan.kind.as_deref()), (82, Some("linux")));
    assert!(!plan.uses_secrets);
    let site = by_type(&found, "Microsoft.Web/sites");
    assert_eq!(site.kind.as_deref(), Some("app,linux"));
    assert!(site.uses_secrets, "the site sets connection strings");
    assert!(
        site.service.is_some(),
        "the catalog knows Microsoft.Web/sites"
    );

    // A copy loop is listed once; its location comes from a variable through toLower(replace(...)).
    let storage = by_type(&found, "Microsoft.Storage/storageAccounts");
    assert_eq!(
        (storage.line, storage.location.as_deref()),
        (118, Some("northeurope"))
    );

    // A conditional resource with a misspelled region: listed once, location unresolved, warned about.
    let cache = by_type(&found, "Microsoft.Cache/redis");
    assert_eq!(
        (
            cache.line,
            cache.location.as_deref(),
            cache.location_expr.as_deref()
        ),
        (133, None, Some("westeurop"))
    );
    assert_eq!(
        codes(&found),
        vec![("unknown-region", 138, Severity::Warning)]
    );
    let warning = &found.diagnostics[0];
    assert_eq!(warning.column, 19);
    assert!(
        warning.message.contains("did you mean 'westeurope'"),
        "{}",
        warning.message
    );
}

#[test]
fn fingerprints_differ_between_resources_and_are_stable() {
    let first = scan_dir("quickstart");
    let second = scan_dir("quickstart");
    let prints: Vec<u64> = first.resources.iter().map(|r| r.fingerprint).collect();
    assert_eq!(
        prints,
        second
            .resources
            .iter()
            .map(|r| r.fingerprint)
            .collect::<Vec<_>>()
    );
    let mut unique = prints.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), prints.len());
}

#[test]
fn bicep_compiled_template_with_symbolic_names_and_nested_deployments() {
    let found = scan_dir("bicep-compiled");
    let names: Vec<&str> = found.resources.iter().map(|r| r.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "blobService",
            "containers",
            "monitoring",
            "plan",
            "site",
            "storage",
            "vault",
            "web"
        ]
    );

    let vault = by_type(&found, "Microsoft.KeyVault/vaults");
    assert!(vault.existing);
    assert_eq!((vault.line, vault.location.as_deref()), (35, None));

    let storage = by_type(&found, "Microsoft.Storage/storageAccounts");
    assert_eq!(storage.line, 41);
    assert_eq!(
        storage.location.as_deref(),
        Some("swedencentral"),
        "literal defaultValue through toLower(format())"
    );
    assert_eq!(storage.kind.as_deref(), Some("StorageV2"));
    let containers = by_type(
        &found,
        "Microsoft.Storage/storageAccounts/blobServices/containers",
    );
    assert_eq!(containers.name, "containers");

    // The module's inner-scoped template: its location parameter is passed by the parent.
    let site = by_type(&found, "Microsoft.Web/sites");
    assert_eq!(
        (site.line, site.location.as_deref()),
        (125, Some("swedencentral"))
    );
    assert_eq!(site.source_type, "Microsoft.Web/sites@2023-12-01");
    assert!(site.uses_secrets, "site reads a securestring parameter");
    let plan = by_type(&found, "Microsoft.Web/serverfarms");
    assert_eq!(
        (plan.line, plan.location.as_deref()),
        (115, Some("swedencentral"))
    );

    let deployments: Vec<&Resource> = found
        .resources
        .iter()
        .filter(|r| r.arm_type.as_deref() == Some("Microsoft.Resources/deployments"))
        .collect();
    assert_eq!(deployments.len(), 2);
    let web = deployments.iter().find(|r| r.name == "web");
    assert!(
        web.is_some_and(|w| w.uses_secrets),
        "web passes listKeys() to its module"
    );

    // The template-spec deployment is listed but not fetched.
    assert_eq!(codes(&found), vec![("remote-module", 159, Severity::Info)]);
}

#[test]
fn template_reached_as_a_bicep_module_takes_the_callers_parameters() {
    let path = fixture("bicep-compiled").join("main.json");
    let params = HashMap::from([("Location".to_string(), "Norway East".to_string())]);
    let found = scan_template(&path, &params, Some("./main.json"), &ScanOptions::default());
    assert_eq!(found.resources.len(), 8);
    assert!(
        found
            .resources
            .iter()
            .all(|r| r.via_module.as_deref() == Some("./main.json"))
    );
    assert_eq!(
        by_type(&found, "Microsoft.Storage/storageAccounts")
            .location
            .as_deref(),
        Some("norwayeast")
    );
    assert_eq!(
        by_type(&found, "Microsoft.Web/sites").location.as_deref(),
        Some("norwayeast")
    );
}

#[test]
fn environment_parameter_files_and_outer_scoped_nested_template() {
    let found = scan_dir("envs");
    assert_eq!(found.resources.len(), 4, "{:#?}", found.resources);
    // Of main.parameters.dev.json and main.parameters.prod.json, the first by name is used.
    let registry = by_type(&found, "Microsoft.ContainerRegistry/registries");
    assert_eq!(registry.location.as_deref(), Some("eastus2"));
    // An outer-scoped nested template reads the parent's parameters.
    let vnet = by_type(&found, "Microsoft.Network/virtualNetworks");
    assert_eq!(vnet.location.as_deref(), Some("eastus2"));
    let linked = codes(&found);
    assert_eq!(linked, vec![("remote-module", 43, Severity::Info)]);
    assert!(
        found.diagnostics[0]
            .message
            .contains("https://raw.githubusercontent.com/contoso/infra/main/linked.json")
    );
}

#[test]
fn portal_export_pairs_template_json_with_parameters_json() {
    let found = scan_dir("portal-export");
    let workspace = by_type(&found, "Microsoft.OperationalInsights/workspaces");
    assert_eq!(workspace.location.as_deref(), Some("uksouth"));
    assert_eq!(workspace.name, "[parameters('workspaces_law_prod_name')]");
    assert!(found.diagnostics.is_empty());
}

#[test]
fn template_given_alone_finds_its_parameter_file_on_disk() {
    let template = fixture("quickstart").join("azuredeploy.json");
    let found = scan_files(&[template], &ScanOptions::default());
    assert_eq!(
        by_type(&found, "Microsoft.Sql/servers").location.as_deref(),
        Some("westeurope")
    );
}

#[test]
fn invalid_json_is_reported_other_json_is_ignored() {
    let found = scan_dir("invalid");
    let broken: Vec<&Diagnostic> = found
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("azuredeploy.json"))
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(
        (broken[0].line, broken[0].column, broken[0].code.as_str()),
        (9, 7, "parse")
    );
    assert_eq!(broken[0].severity, Severity::Error);
    assert!(
        !found
            .diagnostics
            .iter()
            .any(|d| d.file.ends_with("tsconfig.json")),
        "tsconfig.json is not ARM"
    );

    // odd.json: every bad resource gives a warning and the rest is still listed.
    let odd: Vec<(&str, u32)> = found
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("odd.json"))
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(
        odd,
        [
            ("invalid-resource", 5),
            ("invalid-resource", 6),
            ("unresolved-type", 7),
            ("invalid-expression", 8)
        ]
    );
    let pip = by_type(&found, "Microsoft.Network/publicIPAddresses");
    assert_eq!(
        (pip.location.as_deref(), pip.location_expr.as_deref()),
        (None, Some("[concat(]"))
    );
}

#[test]
fn ten_thousand_levels_of_nesting_do_not_overflow() {
    let dir = tempfile::tempdir().ok();
    let Some(dir) = dir else { return };
    let deep = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n\"resources\": [{}{}]}}",
        "{\"resources\": [".repeat(10_000),
        "]}".repeat(10_000)
    );
    let path = dir.path().join("deep.json");
    assert!(std::fs::write(&path, &deep).is_ok());
    assert!(!is_arm_template(&deep));
    let found = scan_files(std::slice::from_ref(&path), &ScanOptions::default());
    assert!(found.resources.is_empty());
    assert_eq!(found.diagnostics.len(), 1);
    assert!(
        found.diagnostics[0].message.contains("recursion limit"),
        "{}",
        found.diagnostics[0].message
    );
    let found = scan_template(
        &path,
        &HashMap::new(),
        Some("./deep.json"),
        &ScanOptions::default(),
    );
    assert_eq!(found.diagnostics.len(), 1);
}

#[test]
fn azd_placeholders_and_key_vault_references_stay_unresolved() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "location": { "type": "string" }, "adminPassword": { "type": "securestring" } },
  "resources": [
    { "type": "Microsoft.App/managedEnvironments", "apiVersion": "2024-03-01", "name": "cae", "location": "[parameters('location')]" }
  ]
}"#;
    let parameters = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "parameters": {
    "location": { "value": "${AZURE_LOCATION}" },
    "adminPassword": { "reference": { "keyVault": { "id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/z" }, "secretName": "pw" } }
  }
}"#;
    assert!(std::fs::write(dir.path().join("main.json"), template).is_ok());
    assert!(std::fs::write(dir.path().join("main.parameters.json"), parameters).is_ok());
    let mut diags = Vec::new();
    let values = read_parameter_file(
        &dir.path().join("main.parameters.json"),
        &ScanOptions::default(),
        &mut diags,
    );
    let values = values.unwrap_or_default();
    assert_eq!(
        values.get("location").and_then(|v| v.as_str()),
        Some("${AZURE_LOCATION}")
    );
    assert!(!values.contains_key("adminPassword"));

    let found = scan_files(&json_files(dir.path()), &ScanOptions::default());
    let environment = by_type(&found, "Microsoft.App/managedEnvironments");
    assert_eq!(environment.location, None);
    // The location says where it would come from.
    assert_eq!(
        environment.location_expr.as_deref(),
        Some("${AZURE_LOCATION}")
    );
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
}

#[test]
fn conditions_and_copy_counts_switch_resources_off() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "deployBastion": { "type": "bool", "defaultValue": false },
    "useApim": { "type": "string", "defaultValue": "true" },
    "replicas": { "type": "int", "defaultValue": 0 },
    "principalId": { "type": "string" }
  },
  "resources": [
    { "condition": "[parameters('deployBastion')]", "type": "Microsoft.Network/bastionHosts", "apiVersion": "2023-04-01", "name": "bastion", "location": "westeurope" },
    { "condition": "[equals(parameters('useApim'), 'true')]", "type": "Microsoft.ApiManagement/service", "apiVersion": "2023-05-01-preview", "name": "apim", "location": "westeurope" },
    { "condition": false, "type": "Microsoft.Cache/redis", "apiVersion": "2023-08-01", "name": "redis", "location": "westeurope" },
    { "copy": { "name": "nodes", "count": "[parameters('replicas')]" }, "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "[concat('vm', copyIndex())]", "location": "westeurope" },
    { "condition": "[not(empty(parameters('principalId')))]", "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "ra" },
    {
      "condition": "[parameters('deployBastion')]",
      "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "nested",
      "properties": { "mode": "Incremental", "template": {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [ { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "pip", "location": "westeurope" } ]
      } }
    }
  ]
}"#;
    assert!(std::fs::write(dir.path().join("azuredeploy.json"), template).is_ok());
    let found = scan_files(&json_files(dir.path()), &ScanOptions::default());
    use azengage::model::Condition;
    let condition = |t: &str| by_type(&found, t).condition;
    assert_eq!(
        condition("Microsoft.Network/bastionHosts"),
        Condition::False
    );
    assert_eq!(
        condition("Microsoft.ApiManagement/service"),
        Condition::True
    );
    assert_eq!(condition("Microsoft.Cache/redis"), Condition::False);
    assert_eq!(
        condition("Microsoft.Compute/virtualMachines"),
        Condition::False
    );
    assert_eq!(
        condition("Microsoft.Authorization/roleAssignments"),
        Condition::Unknown
    );
    // What a switched-off nested deployment holds is switched off too.
    assert_eq!(
        condition("Microsoft.Network/publicIPAddresses"),
        Condition::False
    );
}

#[test]
fn extensibility_resources_carry_their_version_in_the_type() {
    let found = scan_dir("extensibility");
    assert_eq!(found.resources.len(), 2);
    let app = by_type(&found, "Microsoft.Graph/applications");
    assert_eq!(
        (app.source_type.as_str(), app.api_version.as_deref()),
        ("Microsoft.Graph/applications@v1.0", Some("v1.0"))
    );
    assert_eq!((app.name.as_str(), app.line), ("app", 40));
    // A Kubernetes object is listed, but it is not an Azure resource.
    let frontend = found.resources.iter().find(|r| r.name == "frontend");
    let frontend = frontend.map(|r| {
        (
            r.arm_type.clone(),
            r.source_type.as_str(),
            r.service.clone(),
        )
    });
    assert_eq!(frontend, Some((None, "apps/Deployment@v1", None)));
}

#[test]
fn nested_deployments_are_followed_to_a_limit() {
    let Ok(dir) = tempfile::tempdir() else { return };
    // Twenty deployments, each holding the next in its inline template, the innermost holding a storage account.
    let mut template = r#"{"resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "deepest", "location": "westeurope"}]}"#.to_string();
    for level in (1..=20).rev() {
        template = format!(
            r#"{{"resources": [{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "level{level}", "properties": {{"mode": "Incremental", "template": {template}}}}}]}}"#
        );
    }
    let schema = r#""$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "#;
    let text = template.replacen('{', &format!("{{{schema}"), 1);
    let path = dir.path().join("nested.json");
    assert!(std::fs::write(&path, text).is_ok());
    let found = scan_files(std::slice::from_ref(&path), &ScanOptions::default());
    assert_eq!(
        found.resources.len(),
        17,
        "levels 1..=17 are listed, the rest is beyond the limit"
    );
    assert!(found.resources.iter().any(|r| r.name == "level17"));
    assert_eq!(codes(&found), vec![("too-deep", 1, Severity::Warning)]);
}

#[test]
fn crlf_line_endings_and_byte_order_mark_keep_lines_right() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let original =
        std::fs::read_to_string(fixture("quickstart").join("azuredeploy.json")).unwrap_or_default();
    let windows = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    let path = dir.path().join("azuredeploy.json");
    assert!(std::fs::write(&path, windows).is_ok());
    let found = scan_files(std::slice::from_ref(&path), &ScanOptions::default());
    assert_eq!(by_type(&found, "Microsoft.Web/serverfarms").line, 82);
    assert_eq!(by_type(&found, "Microsoft.Cache/redis").line, 133);
    let warning = found
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-region");
    assert_eq!(warning.map(|d| (d.line, d.column)), Some((138, 19)));
}

#[test]
fn a_template_over_the_size_limit_is_reported_and_a_big_lock_file_is_not() {
    // Regression (hostile-input campaign): a too-large template vanished without a diagnostic.
    let Ok(dir) = tempfile::tempdir() else { return };
    let template =
        std::fs::read_to_string(fixture("quickstart").join("azuredeploy.json")).unwrap_or_default();
    let big = template.replacen(
        "\"resources\"",
        &format!("\"padding\": \"{}\",\n  \"resources\"", "x".repeat(4096)),
        1,
    );
    let template_path = dir.path().join("azuredeploy.json");
    let lock_path = dir.path().join("package-lock.json");
    assert!(std::fs::write(&template_path, big).is_ok());
    assert!(
        std::fs::write(
            &lock_path,
            format!("{{\"$schema\": \"x\", \"a\": \"{}\"}}", "y".repeat(8192))
        )
        .is_ok()
    );
    let opts = ScanOptions {
        max_file_size: 2048,
        ..ScanOptions::default()
    };
    let found = scan_files(&[template_path, lock_path], &opts);
    let files: Vec<(&str, &str)> = found
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.rsplit('/').next().unwrap_or_default(),
                d.code.as_str(),
            )
        })
        .collect();
    assert_eq!(files, vec![("azuredeploy.json", "too-large")]);
}

#[test]
fn compiled_copies_beside_their_bicep_source_are_not_listed() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let compiled = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "_generator": { "name": "bicep", "version": "0.26.54.24096", "templateHash": "1" } },
  "resources": [ { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "location": "westeurope" } ]
}"#;
    let handwritten = compiled.replace("\"name\": \"bicep\"", "\"name\": \"hand\"");
    for (file, text) in [
        ("quickstart/azuredeploy.json", compiled.to_string()),
        ("quickstart/main.bicep", String::new()),
        ("avm/main.json", compiled.to_string()),
        ("avm/main.bicep", String::new()),
        ("alone/main.json", compiled.to_string()),
        ("hand/main.json", handwritten),
        ("hand/main.bicep", String::new()),
    ] {
        let path = dir.path().join(file);
        assert!(std::fs::create_dir_all(path.parent().unwrap_or(dir.path())).is_ok());
        assert!(std::fs::write(path, text).is_ok());
    }
    let files: Vec<PathBuf> = [
        "quickstart/azuredeploy.json",
        "avm/main.json",
        "alone/main.json",
        "hand/main.json",
    ]
    .iter()
    .map(|f| dir.path().join(f))
    .collect();
    let found = scan_files(&files, &ScanOptions::default());
    let mut listed: Vec<String> = found
        .resources
        .iter()
        .map(|r| r.file.replace('\\', "/"))
        .collect();
    listed.sort();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].ends_with("alone/main.json") && listed[1].ends_with("hand/main.json"));
    let copies: Vec<&Diagnostic> = found
        .diagnostics
        .iter()
        .filter(|d| d.code == "compiled-copy")
        .collect();
    assert_eq!(copies.len(), 2, "{copies:?}");
    assert!(copies.iter().all(|d| d.severity == Severity::Info));
}

/// A compiled copy is told from its first bytes (`$schema`, `metadata._generator`): the body after them is
/// not read, so a broken body is not reported; when the head does not settle it (metadata written late), the
/// whole file is read, and a handwritten template beside a Bicep file is still listed.
#[test]
fn compiled_copies_are_told_from_their_head() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
    let generator =
        r#""metadata": { "_generator": { "name": "bicep", "version": "0.36.1.42791" } }"#;
    let resource = r#""resources": [ { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "location": "westeurope" } ]"#;
    let broken_body = format!(
        "{{ \"$schema\": \"{schema}\", {generator}, \"resources\": [ {{ \"type\" 1 }} ] }}"
    );
    let padding = "x".repeat(40 * 1024);
    let late_metadata = format!(
        "{{ \"$schema\": \"{schema}\", \"definitions\": {{ \"pad\": {{ \"type\": \"string\", \"defaultValue\": \"{padding}\" }} }}, {generator}, {resource} }}"
    );
    let handwritten = format!("{{ \"$schema\": \"{schema}\", {resource} }}");
    for (name, text) in [
        ("broken/main.json", broken_body.as_str()),
        ("late/main.json", late_metadata.as_str()),
        ("hand/main.json", handwritten.as_str()),
    ] {
        let path = dir.path().join(name);
        assert!(std::fs::create_dir_all(path.parent().unwrap_or(dir.path())).is_ok());
        assert!(std::fs::write(&path, text).is_ok());
        assert!(std::fs::write(path.with_extension("bicep"), "").is_ok());
    }
    let files: Vec<PathBuf> = ["broken/main.json", "late/main.json", "hand/main.json"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    let found = scan_files(&files, &ScanOptions::default());
    let listed: Vec<String> = found
        .resources
        .iter()
        .map(|r| r.file.replace('\\', "/"))
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].ends_with("hand/main.json"));
    let mut copies: Vec<String> = found
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.file
                    .replace('\\', "/")
                    .rsplit('/')
                    .nth(1)
                    .unwrap_or_default(),
                d.code
            )
        })
        .collect();
    copies.sort();
    assert_eq!(copies, ["broken compiled-copy", "late compiled-copy"]);
}
