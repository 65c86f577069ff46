//! Workflow files that deploy to Azure: which of them deploy, with what, to where, on what trigger.
//!
//! The contract's `activity.workflows` lists one entry per `*.yml|*.yaml` directly in `.github/workflows/`.
//! Deployment is judged by what steps *run* (see [`shell`] and [`script`]), classified by a fixed taxonomy
//! ([`tools`] for commands, [`actions`] for `uses:`), following local reusable workflows and composite actions
//! ([`steps`]). Regions come from [`regions`]. A file that is not YAML, or not a mapping, is a diagnostic.

pub mod actions;
pub mod pattern;
pub mod push;
pub mod regions;
pub mod script;
pub mod shell;
pub mod steps;
pub mod tools;
pub mod words;
pub mod yaml;

use super::Workflow;
use crate::iac::source::read_limited;
use crate::iac::{DEFAULT_MAX_FILE_SIZE, ScanOptions};
use crate::model::{Diagnostic, path_string};
use serde_yaml_ng::{Mapping, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// What the steps of one workflow (and what it calls) deploy with and to where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Tool names from the contract's set.
    pub tools: BTreeSet<&'static str>,
    /// Canonical region names.
    pub regions: BTreeSet<&'static str>,
    /// Commands and actions that deploy templates (`az deployment`, `New-Az*Deployment`, `terraform`,
    /// `azd`, azure/arm-deploy, azure/bicep-deploy), with where they run: the inventory stage reads the
    /// templates they name (see [`crate::deploy`]).
    pub steps: Vec<DeployStep>,
    /// Literal values `env:` entries set (workflow, job or step level), by name; values built from
    /// `${{ }}` expressions are not literal and are left out.
    pub env: std::collections::BTreeMap<String, BTreeSet<String>>,
}

/// One step's command or action that may name a template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployStep {
    /// The command's words, expanded with the step's variables (empty for an action).
    pub words: Vec<String>,
    /// The action (`azure/arm-deploy`, lower-case, no `@ref`) and its inputs, for an action step.
    pub action: Option<(String, actions::Inputs)>,
    /// The step's `working-directory` (or the job's or workflow's `defaults.run.working-directory`).
    pub working_directory: Option<String>,
}

/// Every deploying workflow file directly in `<repo_root>/.github/workflows/`, with its text and what its
/// steps deploy (files that cannot be read are left out: [`analyze`] reports them). A reusable workflow that
/// runs only when called (`on: workflow_call`) is read through its callers, with their inputs.
pub fn deploy_findings(repo_root: &Path, opts: &ScanOptions) -> Vec<(String, String, Findings)> {
    let mut out = Vec::new();
    for file in workflow_files(repo_root) {
        let rel = path_string(file.strip_prefix(repo_root).unwrap_or(&file));
        let Ok(text) = read_limited(&file, &rel, opts.max_file_size, &mut Vec::new()) else {
            continue;
        };
        let Ok(doc) = yaml::load_mapping(&rel, &text) else {
            continue;
        };
        let on = triggers(&doc);
        if !on.is_empty() && on.iter().all(|t| t == "workflow_call") {
            continue;
        }
        let mut walker =
            steps::Walker::new(Some(repo_root), Some(&file)).with_max_file_size(opts.max_file_size);
        walker.workflow(&doc);
        if !walker.findings.tools.is_empty() {
            out.push((rel, text, walker.findings));
        }
    }
    out
}

/// Every workflow file directly in `<repo_root>/.github/workflows/`, sorted by file, and the diagnostics for
/// files that could not be read as workflows (and for local actions they call that do not parse).
pub fn analyze(repo_root: &Path) -> (Vec<Workflow>, Vec<Diagnostic>) {
    analyze_with(repo_root, &ScanOptions::default())
}

/// [`analyze`] with the scan's options: workflow and called files over `opts.max_file_size` are skipped
/// with a `too-large` diagnostic, as IaC files are.
pub fn analyze_with(repo_root: &Path, opts: &ScanOptions) -> (Vec<Workflow>, Vec<Diagnostic>) {
    let mut workflows = Vec::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for file in workflow_files(repo_root) {
        let mut file_diags = Vec::new();
        match analyze_file_with(repo_root, &file, opts.max_file_size, &mut file_diags) {
            Ok(workflow) => workflows.push(workflow),
            Err(diag) => file_diags.push(diag),
        }
        for diag in file_diags {
            if !diags.contains(&diag) {
                diags.push(diag);
            }
        }
    }
    (workflows, diags)
}

/// The `*.yml`/`*.yaml` files directly in `.github/workflows/` (symbolic links to files included), sorted.
pub fn workflow_files(repo_root: &Path) -> Vec<std::path::PathBuf> {
    let dir = repo_root.join(".github").join("workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|ext| ext == "yml" || ext == "yaml")
        })
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Analyse one workflow file (`file` absolute, or relative to `repo_root`); its local reusable workflows and
/// composite actions are read from `repo_root`. An unreadable or unparsable file is the `Err` diagnostic.
pub fn analyze_file(repo_root: &Path, file: &Path) -> Result<Workflow, Diagnostic> {
    let limit = DEFAULT_MAX_FILE_SIZE;
    analyze_file_with(repo_root, file, limit, &mut Vec::new())
}

fn analyze_file_with(
    repo_root: &Path,
    file: &Path,
    limit: u64,
    diags: &mut Vec<Diagnostic>,
) -> Result<Workflow, Diagnostic> {
    let path = repo_root.join(file);
    let rel = path_string(path.strip_prefix(repo_root).unwrap_or(file));
    let text = read_limited(&path, &rel, limit, diags)?;
    let doc = yaml::load_mapping(&rel, &text)?;
    let mut walker = steps::Walker::new(Some(repo_root), Some(&path)).with_max_file_size(limit);
    walker.workflow(&doc);
    diags.extend(walker.diags);
    Ok(workflow_entry(rel, &doc, walker.findings))
}

/// Analyse workflow text that is not on disk (e.g. read from a git revision): local files it calls are read
/// from `repo_root` when given, else not followed.
pub fn analyze_text(
    repo_root: Option<&Path>,
    rel: &str,
    text: &str,
) -> Result<Workflow, Diagnostic> {
    let doc = yaml::load_mapping(rel, text)?;
    let start = repo_root.map(|root| root.join(rel));
    let mut walker = steps::Walker::new(repo_root, start.as_deref());
    walker.workflow(&doc);
    let findings = walker.findings;
    Ok(workflow_entry(rel.to_string(), &doc, findings))
}

fn workflow_entry(file: String, doc: &Mapping, findings: Findings) -> Workflow {
    let tools: Vec<String> = findings.tools.iter().map(|t| t.to_string()).collect();
    Workflow {
        file,
        deploys: !tools.is_empty(),
        tools,
        triggers: triggers(doc),
        branches: push_branches(doc),
        regions: findings.regions.iter().map(|r| r.to_string()).collect(),
        name: yaml::get_scalar(doc, "name"),
    }
}

/// Event names under `on:` in the order written: `on: push`, `on: [push, pull_request]`, or a mapping's keys.
pub fn triggers(doc: &Mapping) -> Vec<String> {
    match yaml::get(doc, "on") {
        Some(Value::Mapping(events)) => events.keys().filter_map(yaml::scalar).collect(),
        other => yaml::scalar_list(other),
    }
}

/// The `on.push.branches` filter as written; empty when push is not a trigger or has no branch filter.
pub fn push_branches(doc: &Mapping) -> Vec<String> {
    let Some(Value::Mapping(events)) = yaml::get(doc, "on") else {
        return Vec::new();
    };
    let Some(Value::Mapping(push)) = events.get("push").map(yaml::strip_tag) else {
        return Vec::new();
    };
    yaml::scalar_list(yaml::get(push, "branches"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str) -> Workflow {
        analyze_text(None, ".github/workflows/w.yml", text).unwrap()
    }

    #[test]
    fn triggers_in_string_list_and_mapping_form() {
        assert_eq!(entry("on: push\njobs: {}\n").triggers, vec!["push"]);
        assert_eq!(
            entry("on: [push, pull_request]\njobs: {}\n").triggers,
            vec!["push", "pull_request"]
        );
        let mapping = "on:\n  workflow_dispatch:\n  push:\n    branches: [main]\n  schedule:\n    - cron: '0 3 * * 1'\n";
        assert_eq!(
            entry(mapping).triggers,
            vec!["workflow_dispatch", "push", "schedule"]
        );
        assert!(entry("name: no trigger\njobs: {}\n").triggers.is_empty());
    }

    #[test]
    fn branches_are_the_push_filter_as_written() {
        let text = "on:\n  push:\n    branches:\n      - main\n      - 'release/**'\n    paths: ['infra/**']\n  pull_request:\n    branches: [dev]\n";
        assert_eq!(entry(text).branches, vec!["main", "release/**"]);
        assert!(entry("on: [push]\n").branches.is_empty());
        assert!(
            entry("on:\n  push:\n    paths: ['infra/**']\n")
                .branches
                .is_empty()
        );
        assert!(
            entry("on:\n  pull_request:\n    branches: [main]\n")
                .branches
                .is_empty()
        );
    }

    #[test]
    fn yaml_1_1_true_key_is_not_on() {
        let w = entry("'true': push\njobs: {}\n");
        assert!(w.triggers.is_empty());
    }

    #[test]
    fn deploys_follows_tools_and_name_is_kept() {
        let text = "name: Deploy\non: workflow_dispatch\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: azd up --no-prompt\n";
        let w = entry(text);
        assert_eq!(w.name.as_deref(), Some("Deploy"));
        assert_eq!(w.tools, vec!["azd"]);
        assert!(w.deploys);
        let ci = entry(
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n",
        );
        assert!(!ci.deploys && ci.tools.is_empty());
    }
}
