//! Limits that keep an unattended run safe on a repository azengage has never seen: the file size limit in
//! every parser and for workflows, symbolic-link loops, unreadable files, a 100,000-file tree (ignored by
//! default), and the GitHub token never reaching the output, even at `-vv` and when the API fails.

use assert_cmd::Command;
use azengage::history::workflows::{analyze, analyze_with};
use azengage::iac::ScanOptions;
use azengage::inventory;
use std::path::Path;

const STORAGE_BICEP: &str = "param location string = 'westeurope'\n\nresource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'stapp'\n  location: location\n  kind: 'StorageV2'\n  sku: {\n    name: 'Standard_LRS'\n  }\n}\n";

const GROUP_TF: &str = "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg-app\"\n  location = \"westeurope\"\n}\n";

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn opts(limit: u64) -> ScanOptions {
    ScanOptions {
        max_file_size: limit,
        ..ScanOptions::default()
    }
}

/// Every language, one file each over the limit: each is skipped with a `too-large` warning naming it.
#[test]
fn every_parser_skips_files_over_the_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pad = format!("// {}\n", "x".repeat(4096));
    let template = format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"variables\": {{ \"pad\": \"{}\" }},\n  \"resources\": []\n}}\n",
        "x".repeat(4096)
    );
    write(
        &dir.path().join("bicep/main.bicep"),
        &format!("{pad}{STORAGE_BICEP}"),
    );
    write(
        &dir.path().join("bicep/main.bicepparam"),
        &format!("using './main.bicep'\n{pad}"),
    );
    write(
        &dir.path().join("tf/main.tf"),
        &format!("{}\n# {}\n", GROUP_TF, "x".repeat(4096)),
    );
    write(
        &dir.path().join("tfjson/main.tf.json"),
        &format!("{{\"locals\": {{\"pad\": \"{}\"}}}}", "x".repeat(4096)),
    );
    write(&dir.path().join("arm/azuredeploy.json"), &template);
    let inv = inventory::build(&[dir.path().to_path_buf()], &opts(2048));
    let mut skipped: Vec<&str> = inv
        .diagnostics
        .iter()
        .filter(|d| d.code == "too-large")
        .map(|d| d.file.as_str())
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        vec![
            "arm/azuredeploy.json",
            "bicep/main.bicep",
            "bicep/main.bicepparam",
            "tf/main.tf",
            "tfjson/main.tf.json"
        ]
    );
    assert!(inv.resources.is_empty());
    let under = inventory::build(&[dir.path().to_path_buf()], &ScanOptions::default());
    assert!(under.diagnostics.iter().all(|d| d.code != "too-large"));
    assert_eq!(under.resources.len(), 2, "{:?}", under.resources);
}

/// Workflow files obey the same `--max-file-size` as IaC files (they used to have a fixed 5 MB limit).
#[test]
fn workflows_obey_the_same_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workflow = format!(
        "name: deploy\non: push\n# {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: az deployment group create -g rg -f main.bicep\n",
        "x".repeat(4096)
    );
    write(&dir.path().join(".github/workflows/deploy.yml"), &workflow);
    let (listed, diags) = analyze(dir.path());
    assert_eq!((listed.len(), diags.len()), (1, 0));
    let (listed, diags) = analyze_with(dir.path(), &opts(1024));
    assert!(listed.is_empty());
    let codes: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d.file.as_str(), d.code.as_str()))
        .collect();
    assert_eq!(codes, vec![(".github/workflows/deploy.yml", "too-large")]);
}

/// A symbolic link to a parent directory does not make the walk loop, and nothing is listed twice.
#[cfg(unix)]
#[test]
fn a_symlink_loop_is_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("infra/main.bicep"), STORAGE_BICEP);
    std::os::unix::fs::symlink("..", dir.path().join("infra/loop")).expect("symlink");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("infra/root")).expect("symlink");
    let inv = inventory::build(&[dir.path().to_path_buf()], &ScanOptions::default());
    let files: Vec<&str> = inv.resources.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(files, vec!["infra/main.bicep"]);
}

/// A file that cannot be read is an `io` error naming it, and the rest is still scanned. Root reads files
/// whatever their mode, so the assertion is skipped when the chmod does not stop this process.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("a/main.bicep"), STORAGE_BICEP);
    let locked = dir.path().join("b/locked.bicep");
    write(&locked, STORAGE_BICEP);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let inv = inventory::build(&[dir.path().to_path_buf()], &ScanOptions::default());
    let enforced = std::fs::File::open(&locked).is_err();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
    assert!(inv.resources.iter().any(|r| r.file == "a/main.bicep"));
    if !enforced {
        eprintln!(
            "running as root: file modes are not enforced, unreadable-file assertion skipped"
        );
        return;
    }
    let io: Vec<&str> = inv
        .diagnostics
        .iter()
        .filter(|d| d.code == "io")
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(io, vec!["b/locked.bicep"]);
}

/// 100,000 files (95% source code and docs, 5% IaC) through `inventory`: every IaC file is listed once.
/// Ignored by default (it writes 100,000 files): `cargo test --release --test it limits:: -- --ignored`.
#[test]
#[ignore = "writes 100,000 files"]
fn a_hundred_thousand_file_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut iac = 0;
    for i in 0..100_000 {
        let sub = dir
            .path()
            .join(format!("pkg{:03}/mod{:02}", i / 1000, (i / 50) % 20));
        match i % 20 {
            0 => {
                write(
                    &sub.join(format!("st{i}.bicep")),
                    &STORAGE_BICEP.replace("stapp", &format!("st{i}")),
                );
                iac += 1;
            }
            1 => {
                write(
                    &sub.join(format!("tf{i}/main.tf")),
                    &GROUP_TF.replace("rg-app", &format!("rg{i}")),
                );
                iac += 1;
            }
            2 => write(
                &sub.join(format!("data{i}.json")),
                "{\"name\": \"not a template\"}",
            ),
            3 => write(&sub.join(format!("README{i}.md")), "# docs\n"),
            _ => write(&sub.join(format!("file{i}.rs")), "fn main() {}\n"),
        }
    }
    let inv = inventory::build(&[dir.path().to_path_buf()], &ScanOptions::default());
    assert_eq!(inv.resources.len(), iac);
    assert!(
        inv.diagnostics.is_empty(),
        "{:?}",
        &inv.diagnostics[..inv.diagnostics.len().min(5)]
    );
}

/// `git ls-files | xargs azengage inventory` names every file: a thousand `.tf` files as arguments list the same
/// resources, with the same regions (variables, module outputs and resource groups from their directories),
/// as their directories do, with and without following modules. (How long it takes is measured by
/// `bench/args.sh`, not here: one scan per file argument used to make this quadratic.)
#[test]
fn a_thousand_file_arguments_list_what_their_directories_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let module = "variable \"location\" {}\n\nresource \"azurerm_virtual_network\" \"vnet\" {\n  name                = \"vnet\"\n  location            = var.location\n  resource_group_name = \"rg\"\n  address_space       = [\"10.0.0.0/16\"]\n}\n\noutput \"id\" {\n  value = azurerm_virtual_network.vnet.id\n}\n";
    write(&dir.path().join("modules/net/main.tf"), module);
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for d in 0..4 {
        let root = dir.path().join(format!("envs/env{d}"));
        let variables = format!(
            "variable \"location\" {{\n  default = \"{}\"\n}}\n\nresource \"azurerm_resource_group\" \"rg\" {{\n  name     = \"rg-{d}\"\n  location = var.location\n}}\n",
            ["westeurope", "eastus2", "uksouth", "swedencentral"][d]
        );
        write(&root.join("variables.tf"), &variables);
        files.push(root.join("variables.tf"));
        for i in 0..250 {
            let text = if i % 50 == 0 {
                format!(
                    "module \"net{i}\" {{\n  source   = \"../../modules/net\"\n  location = var.location\n}}\n"
                )
            } else {
                format!(
                    "data \"azurerm_resource_group\" \"g{i}\" {{\n  name = \"rg-{d}\"\n}}\n\nresource \"azurerm_storage_account\" \"st{i}\" {{\n  name                     = \"st{d}x{i}\"\n  location                 = data.azurerm_resource_group.g{i}.location\n  resource_group_name      = azurerm_resource_group.rg.name\n  account_tier             = \"Standard\"\n  account_replication_type = \"LRS\"\n}}\n"
                )
            };
            let file = root.join(format!("st{i:03}.tf"));
            write(&file, &text);
            files.push(file);
        }
        dirs.push(root);
    }
    assert!(files.len() > 1000);
    for follow_modules in [true, false] {
        let opts = ScanOptions {
            follow_modules,
            ..ScanOptions::default()
        };
        let by_dir = inventory::build(&dirs, &opts);
        let by_file = inventory::build(&files, &opts);
        assert_eq!(
            by_file.resources, by_dir.resources,
            "follow: {follow_modules}"
        );
        assert_eq!(by_file.diagnostics, by_dir.diagnostics);
        let located = by_file.resources.iter().filter(|r| r.location.is_some());
        // Per directory its group and 245 accounts placed through `data "azurerm_resource_group"`; with
        // following, the module's one network (one declaration, listed once).
        let expected = 4 * (1 + 245) + usize::from(follow_modules);
        assert_eq!(located.count(), expected, "follow: {follow_modules}");
    }
}

const TOKEN: &str = "ghs_T0k3nThatMustNeverBePrinted1234567890";

/// `scan -vv` with a token and a GitHub API that refuses (401, echoing the token back in its body) or fails
/// (500): the token appears nowhere in stdout or stderr.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_never_printed() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    for status in [401u16, 500, 403] {
        let server = MockServer::start().await;
        let body = format!("{{\"message\": \"Bad credentials: Bearer {TOKEN}\"}}");
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after", "0")
                    .insert_header("x-echo-authorization", format!("Bearer {TOKEN}").as_str())
                    .set_body_string(body),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().expect("tempdir");
        write(&dir.path().join("infra/main.bicep"), STORAGE_BICEP);
        write(
            &dir.path().join(".github/workflows/deploy.yml"),
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: azure/arm-deploy@v2\n        with:\n          template: infra/main.bicep\n",
        );
        let api = server.uri();
        let root = dir.path().to_path_buf();
        let output = tokio::task::spawn_blocking(move || {
            Command::cargo_bin("azengage")
                .expect("binary")
                .args([
                    "scan",
                    "-vv",
                    "--repo",
                    "contoso/app",
                    "--as-of",
                    "2026-11-20",
                ])
                .arg(&root)
                .env("GITHUB_TOKEN", TOKEN)
                .env("GITHUB_API_URL", api)
                .env("AZENGAGE_LOG", "trace")
                .env("NO_COLOR", "1")
                .output()
                .expect("run azengage")
        })
        .await
        .expect("join");
        let requests = server.received_requests().await.unwrap_or_default();
        assert!(
            !requests.is_empty(),
            "status {status}: the API was not called"
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("GitHub"),
            "status {status}: the failure was not reported:\n{stderr}"
        );
        if status == 500 {
            assert!(
                stderr.contains("DEBUG"),
                "-vv did not log at debug level:\n{stderr}"
            );
        }
        for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(
                !text.contains(TOKEN),
                "status {status}: the token is in {name}:\n{text}"
            );
            assert!(
                !text.contains("T0k3n"),
                "status {status}: part of the token is in {name}:\n{text}"
            );
        }
    }
}
