//! Integration tests of `activity.workflows` on a fixture repository whose workflows are modelled on public
//! Azure deployment workflows (azd template, Terraform plan/apply, ARM, Web Apps, Static Web Apps, AKS, ACR,
//! reusable workflows and composite actions, a what-if-only preview, CI, and two broken files).

use azengage::history::Workflow;
use azengage::history::workflows::{analyze, analyze_file, analyze_text};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows/repo")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// (file name, tools, triggers, branches, regions)
type Expected = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const EXPECTED: &[Expected] = &[
    (
        "acr.yml",
        &["acr-push", "container-apps-deploy"],
        &["push"],
        &["main"],
        &["westus3"],
    ),
    (
        "aks.yml",
        &["helm", "k8s-deploy", "kubectl"],
        &["push", "workflow_dispatch"],
        &["main"],
        &[],
    ),
    (
        "arm-deploy.yml",
        &["arm-deploy", "azure-cli"],
        &["workflow_dispatch"],
        &[],
        &["eastus2"],
    ),
    (
        "azure-dev.yml",
        &["azd"],
        &["workflow_dispatch", "push"],
        &["main", "master"],
        &[],
    ),
    (
        "azure-static-web-apps-calm-sea-0f1e2d3.yml",
        &["static-web-apps-deploy"],
        &["push", "pull_request"],
        &["main"],
        &[],
    ),
    (
        "call-reusable.yml",
        &["az-deployment", "azure-cli"],
        &["release"],
        &[],
        &["swedencentral"],
    ),
    ("ci.yml", &[], &["push", "pull_request"], &[], &[]),
    ("cycle-a.yml", &["azd"], &["workflow_call"], &[], &[]),
    (
        "cycle-b.yml",
        &["azd"],
        &["workflow_call", "workflow_dispatch"],
        &[],
        &[],
    ),
    (
        "docker-publish.yml",
        &["acr-push"],
        &["schedule", "push", "pull_request"],
        &["main"],
        &[],
    ),
    (
        "powershell-deploy.yaml",
        &["azure-powershell"],
        &["schedule", "workflow_dispatch"],
        &[],
        &["northeurope", "westeurope"],
    ),
    (
        "reusable-deploy.yml",
        &["az-deployment", "azure-cli"],
        &["workflow_call"],
        &[],
        &[],
    ),
    (
        "terraform.yml",
        &["terraform"],
        &["push", "pull_request"],
        &["main"],
        &["westeurope"],
    ),
    ("webapp.yml", &["webapps-deploy"], &["push"], &[], &[]),
    ("what-if.yml", &[], &["pull_request"], &[], &["westeurope"]),
];

#[test]
fn one_entry_per_workflow_file_sorted_with_what_each_deploys() {
    let (workflows, _) = analyze(&repo());
    let files: Vec<&str> = workflows.iter().map(|w| w.file.as_str()).collect();
    let expected_files: Vec<String> = EXPECTED
        .iter()
        .map(|e| format!(".github/workflows/{}", e.0))
        .collect();
    assert_eq!(files, expected_files);
    for (workflow, (name, tools, triggers, branches, regions)) in workflows.iter().zip(EXPECTED) {
        assert_eq!(workflow.tools, strings(tools), "tools of {name}");
        assert_eq!(workflow.deploys, !tools.is_empty(), "deploys of {name}");
        assert_eq!(workflow.triggers, strings(triggers), "triggers of {name}");
        assert_eq!(workflow.branches, strings(branches), "branches of {name}");
        assert_eq!(workflow.regions, strings(regions), "regions of {name}");
    }
}

#[test]
fn invalid_files_are_diagnostics_not_entries() {
    let (workflows, diags) = analyze(&repo());
    assert!(
        !workflows
            .iter()
            .any(|w| w.file.contains("duplicate-key") || w.file.contains("not-a-mapping"))
    );
    let files: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files,
        [
            ".github/workflows/duplicate-key.yml",
            ".github/workflows/not-a-mapping.yml"
        ]
    );
    let duplicate = &diags[0];
    assert_eq!(duplicate.code, "parse");
    assert!(duplicate.message.contains("duplicate"), "{duplicate}");
    assert_eq!(duplicate.line, 12, "{duplicate}");
    assert_eq!(duplicate.column, 3);
    assert_eq!(diags[1].code, "parse");
}

#[test]
fn files_outside_the_workflows_directory_itself_are_not_entries() {
    let (workflows, _) = analyze(&repo());
    assert!(
        !workflows
            .iter()
            .any(|w| w.file.contains("templates/") || w.file.ends_with(".md"))
    );
}

#[test]
fn json_shape_matches_the_contract_example() {
    let workflow = analyze_file(&repo(), Path::new(".github/workflows/azure-dev.yml")).unwrap();
    let json = serde_json::to_value(&workflow).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "file": ".github/workflows/azure-dev.yml", "deploys": true, "tools": ["azd"],
            "triggers": ["workflow_dispatch", "push"], "branches": ["main", "master"], "regions": []
        })
    );
}

#[test]
fn analyze_file_accepts_an_absolute_path() {
    let file = repo().join(".github/workflows/terraform.yml");
    let workflow = analyze_file(&repo(), &file).unwrap();
    assert_eq!(workflow.file, ".github/workflows/terraform.yml");
    assert_eq!(workflow.name.as_deref(), Some("Terraform Plan/Apply"));
}

#[test]
fn a_repository_without_workflows_has_no_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (workflows, diags) = analyze(dir.path());
    assert!(workflows.is_empty() && diags.is_empty());
}

fn text(yaml: &str) -> Workflow {
    analyze_text(None, ".github/workflows/w.yml", yaml).unwrap()
}

#[test]
fn env_registries_count_at_workflow_job_and_step_level() {
    let job_level = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    env:\n      REGISTRY: contoso.azurecr.io\n    steps:\n      - run: docker push ${{ env.REGISTRY }}/api:1\n";
    assert_eq!(text(job_level).tools, ["acr-push"]);
    let step_level = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push $REG/api:1\n        env:\n          REG: contoso.azurecr.io\n";
    assert_eq!(text(step_level).tools, ["acr-push"]);
    let suffixed = "on: push\nenv:\n  REGISTRY: ${{ secrets.ACR_NAME }}.azurecr.io\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push $REGISTRY/api:${{ github.sha }}\n";
    assert_eq!(text(suffixed).tools, ["acr-push"]);
    let secret = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ${{ secrets.REGISTRY }}/api:1\n";
    assert!(text(secret).tools.is_empty());
    let other_registry = "on: push\nenv:\n  REGISTRY: ghcr.io\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push $REGISTRY/contoso/api:1\n";
    assert!(text(other_registry).tools.is_empty());
}

#[test]
fn python_steps_are_not_read_as_shell() {
    let yaml = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - shell: python\n        run: |\n          import os\n          os.system('az group create -n rg -l eastus')\n";
    assert!(text(yaml).tools.is_empty());
}

#[test]
fn pwsh_steps_on_linux_are_read_as_powershell() {
    let yaml = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        shell: pwsh\n    steps:\n      - run: Publish-AzWebApp -ResourceGroupName rg -Name web -ArchivePath app.zip -Force\n";
    assert_eq!(text(yaml).tools, ["azure-powershell"]);
}

#[test]
fn metadata_action_images_name_the_registry_a_build_push_action_pushes_to() {
    let yaml = |registry: &str| {
        format!(
            "on: push\nenv:\n  REGISTRY: {registry}\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - id: meta\n        uses: docker/metadata-action@v5\n        with:\n          images: ${{{{ env.REGISTRY }}}}/web\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ${{{{ steps.meta.outputs.tags }}}}\n"
        )
    };
    assert_eq!(text(&yaml("contoso.azurecr.io")).tools, ["acr-push"]);
    assert!(text(&yaml("ghcr.io")).tools.is_empty());
}

#[test]
fn retry_action_commands_are_read() {
    let yaml = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nick-fields/retry@v3\n        with:\n          timeout_minutes: 20\n          max_attempts: 3\n          command: azd deploy --no-prompt\n";
    assert_eq!(text(yaml).tools, ["azd"]);
}

#[test]
fn text_from_elsewhere_follows_local_calls_only_with_a_root() {
    let rel = ".github/workflows/call-reusable.yml";
    let yaml = std::fs::read_to_string(repo().join(rel)).unwrap();
    let followed = analyze_text(Some(&repo()), rel, &yaml).unwrap();
    assert_eq!(followed.tools, ["az-deployment", "azure-cli"]);
    let alone = analyze_text(None, rel, &yaml).unwrap();
    assert!(alone.tools.is_empty() && !alone.deploys);
    assert_eq!(alone.regions, ["swedencentral"]);
}
