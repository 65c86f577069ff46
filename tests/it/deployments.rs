//! Deployments inferred offline from git and the workflows' `on.push` triggers, against real repositories
//! built with the `git` CLI: backdated commits, `--no-ff` merges of PR branches, unmerged feature branches,
//! tags, path filters, clones with `origin/*`. Each test states the pushes GitHub would have run.

use crate::git_support;

use azengage::history::deploys::{Inference, Pushed, infer};
use git_support::Repo;
use jiff::civil::{Date, date};
use std::collections::BTreeSet;

const SINCE: Date = date(2025, 1, 1);
const AS_OF: Date = date(2026, 11, 24);

/// The azd workflow of the Azure-Samples templates (`azd pipeline config` writes it), with `on:` replaced.
fn azd_workflow(on: &str) -> String {
    format!(
        r#"on:
{on}
# GitHub Actions workflow to deploy to Azure using azd
permissions:
  id-token: write
  contents: read

jobs:
  build:
    runs-on: ubuntu-latest
    env:
      AZURE_CLIENT_ID: ${{{{ vars.AZURE_CLIENT_ID }}}}
      AZURE_TENANT_ID: ${{{{ vars.AZURE_TENANT_ID }}}}
      AZURE_SUBSCRIPTION_ID: ${{{{ vars.AZURE_SUBSCRIPTION_ID }}}}
      AZURE_ENV_NAME: ${{{{ vars.AZURE_ENV_NAME }}}}
      AZURE_LOCATION: ${{{{ vars.AZURE_LOCATION }}}}
    steps:
      - name: Checkout
        uses: actions/checkout@v4

      - name: Install azd
        uses: Azure/setup-azd@v2

      - name: Log in with Azure (Federated Credentials)
        run: |
          azd auth login `
            --client-id "$Env:AZURE_CLIENT_ID" `
            --federated-credential-provider "github" `
            --tenant-id "$Env:AZURE_TENANT_ID"
        shell: pwsh

      - name: Provision Infrastructure
        run: azd provision --no-prompt

      - name: Deploy Application
        run: azd deploy --no-prompt
"#
    )
}

/// A CI workflow that builds and tests but deploys nothing.
const CI_WORKFLOW: &str = r#"name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci && npm test
"#;

const MAIN_BICEP: &str = "targetScope = 'subscription'\n\nparam location string\n\nresource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {\n  name: 'rg-todo'\n  location: location\n}\n";

fn run(repo: &Repo) -> Inference {
    infer(repo.path(), SINCE, AS_OF).unwrap()
}

fn commits(inference: &Inference) -> Vec<String> {
    inference
        .deployments
        .iter()
        .map(|d| d.commit.clone())
        .collect()
}

fn dates(inference: &Inference) -> Vec<Date> {
    inference.deployments.iter().map(|d| d.date).collect()
}

/// `git rev-list --first-parent REV`, oldest first.
fn first_parent(repo: &Repo, rev: &str) -> Vec<String> {
    let mut ids: Vec<String> = repo
        .git(&["rev-list", "--first-parent", rev])
        .lines()
        .map(str::to_string)
        .collect();
    ids.reverse();
    ids
}

#[test]
fn every_first_parent_commit_on_main_deploys_and_nothing_else_does() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/azure-dev.yml",
        &azd_workflow(
            "  workflow_dispatch:\n  push:\n    branches:\n      - main\n      - master\n",
        ),
    );
    repo.write(".github/workflows/ci.yml", CI_WORKFLOW);
    repo.write("infra/main.bicep", MAIN_BICEP);
    let first = repo.commit(
        "Initial commit from azd template",
        "2026-09-01 10:00:00 +0000",
    );
    // App-only pushes to main: no IaC change, still a deployment each.
    let app1 = repo.write_and_commit("src/api/app.js", "// v1\n", "2026-09-08 10:00:00 +0000");
    let app2 = repo.write_and_commit("src/api/app.js", "// v2\n", "2026-09-09 10:00:00 +0000");
    // A PR branch with two commits, merged with a merge commit: one push to main.
    repo.branch("feature/search");
    repo.write_and_commit(
        "src/web/search.js",
        "// search\n",
        "2026-09-15 10:00:00 +0000",
    );
    repo.write_and_commit(
        "src/web/search.js",
        "// search v2\n",
        "2026-09-16 10:00:00 +0000",
    );
    repo.switch("main");
    let merge = repo.merge_no_ff("feature/search", "2026-09-17 10:00:00 +0000");
    // A feature branch that is never merged deploys nothing.
    repo.branch("feature/unmerged");
    repo.write_and_commit("src/web/wip.js", "// wip\n", "2026-10-01 10:00:00 +0000");
    repo.switch("main");
    let late = repo.write_and_commit("src/api/app.js", "// v3\n", "2026-11-20 10:00:00 +0000");

    let found = run(&repo);
    assert_eq!(
        commits(&found),
        vec![first.clone(), app1, app2, merge, late]
    );
    assert_eq!(commits(&found), first_parent(&repo, "main"));
    assert_eq!(
        dates(&found),
        vec![
            date(2026, 9, 1),
            date(2026, 9, 8),
            date(2026, 9, 9),
            date(2026, 9, 17),
            date(2026, 11, 20)
        ]
    );
    assert!(found.has_push_deploy);
    assert_eq!(found.basis, "pushes to main that trigger azure-dev.yml");
    assert!(
        found
            .deployments
            .iter()
            .all(|d| d.pushed == Pushed::Branch("main".into())
                && d.workflows == vec![".github/workflows/azure-dev.yml".to_string()])
    );
}

#[test]
fn pushes_before_the_workflow_existed_ran_nothing() {
    let repo = Repo::new();
    repo.write_and_commit("infra/main.bicep", MAIN_BICEP, "2026-06-01 10:00:00 +0000");
    repo.write_and_commit("README.md", "# todo\n", "2026-06-10 10:00:00 +0000");
    let added = repo.write_and_commit(
        ".github/workflows/azure-dev.yml",
        &azd_workflow("  push:\n    branches: [main]\n"),
        "2026-07-01 10:00:00 +0000",
    );
    let after = repo.write_and_commit("src/app.py", "print('hi')\n", "2026-07-02 10:00:00 +0000");
    // The trigger changes to tags only: later pushes to main no longer deploy.
    let retag = repo.write_and_commit(
        ".github/workflows/azure-dev.yml",
        &azd_workflow("  push:\n    tags: ['v*']\n"),
        "2026-07-10 10:00:00 +0000",
    );
    repo.write_and_commit(
        "src/app.py",
        "print('hello')\n",
        "2026-07-11 10:00:00 +0000",
    );
    let found = run(&repo);
    assert_eq!(commits(&found), vec![added, after]);
    assert!(!commits(&found).contains(&retag));
}

#[test]
fn path_filters_are_applied_to_each_push_and_a_merge_is_judged_against_its_first_parent() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/deploy.yml",
        &azd_workflow("  push:\n    branches: [main]\n    paths-ignore:\n      - '**.md'\n      - 'docs/**'\n"),
    );
    repo.write("infra/main.bicep", MAIN_BICEP);
    let first = repo.commit("initial", "2026-08-03 09:00:00 +0000");
    repo.write_and_commit("README.md", "# readme\n", "2026-08-04 09:00:00 +0000");
    repo.write_and_commit(
        "docs/guide/setup.txt",
        "steps\n",
        "2026-08-05 09:00:00 +0000",
    );
    let mixed = {
        repo.write("README.md", "# readme v2\n");
        repo.write("src/main.py", "app = 1\n");
        repo.commit("docs and code", "2026-08-06 09:00:00 +0000")
    };
    // A PR that changes only docs: its merge commit is ignored.
    repo.branch("docs-pr");
    repo.write_and_commit("docs/faq.md", "faq\n", "2026-08-10 09:00:00 +0000");
    repo.switch("main");
    repo.merge_no_ff("docs-pr", "2026-08-11 09:00:00 +0000");
    // A PR with a code commit then a docs commit: its merge changes code against main, so it deploys, although
    // the PR's last commit alone changed only docs.
    repo.branch("code-pr");
    repo.write_and_commit("src/main.py", "app = 2\n", "2026-08-12 09:00:00 +0000");
    repo.write_and_commit("docs/code.md", "notes\n", "2026-08-13 09:00:00 +0000");
    repo.switch("main");
    let code_merge = repo.merge_no_ff("code-pr", "2026-08-14 09:00:00 +0000");
    let found = run(&repo);
    assert_eq!(commits(&found), vec![first, mixed, code_merge]);

    // `paths` selects instead: only pushes that change the infrastructure or the app deploy.
    let repo = Repo::new();
    repo.write(
        ".github/workflows/infra.yml",
        &azd_workflow("  push:\n    branches: [main]\n    paths:\n      - 'infra/**'\n      - '!infra/**/*.md'\n"),
    );
    repo.write("infra/main.bicep", MAIN_BICEP);
    let first = repo.commit("initial", "2026-08-03 09:00:00 +0000");
    repo.write_and_commit("infra/README.md", "notes\n", "2026-08-04 09:00:00 +0000");
    repo.write_and_commit("src/app.js", "1\n", "2026-08-05 09:00:00 +0000");
    let infra = repo.write_and_commit(
        "infra/modules/web.bicep",
        "param name string\n",
        "2026-08-06 09:00:00 +0000",
    );
    assert_eq!(commits(&run(&repo)), vec![first, infra]);
}

#[test]
fn tags_deploy_alone_when_only_tags_are_filtered_dated_by_the_tagged_commit() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/release.yml",
        &azd_workflow("  push:\n    tags:\n      - 'v[0-9]+.[0-9]+.[0-9]+'\n"),
    );
    repo.write("infra/main.bicep", MAIN_BICEP);
    let first = repo.commit("initial", "2026-05-04 09:00:00 +0000");
    repo.tag("v1.0.0");
    repo.write_and_commit("src/app.js", "2\n", "2026-05-20 09:00:00 +0000");
    repo.tag("nightly-2026-05-20"); // not admitted by the filter
    let tagged = repo.write_and_commit("src/app.js", "3\n", "2026-06-02 09:00:00 +0000");
    // Tagged months later: the deployment is dated by the commit, as the contract says.
    repo.annotated_tag("v1.1.0", "2026-09-30 09:00:00 +0000");
    repo.write_and_commit("src/app.js", "4\n", "2026-06-03 09:00:00 +0000");
    let found = run(&repo);
    let got: Vec<(Date, String, Pushed)> = found
        .deployments
        .iter()
        .map(|d| (d.date, d.commit.clone(), d.pushed.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (date(2026, 5, 4), first, Pushed::Tag("v1.0.0".into())),
            (date(2026, 6, 2), tagged, Pushed::Tag("v1.1.0".into())),
        ]
    );
    assert_eq!(found.basis, "2 tags that trigger release.yml");
}

#[test]
fn several_workflows_on_one_push_count_once_and_branch_patterns_follow_github() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/infra.yml",
        &azd_workflow("  push:\n    branches: [main]\n"),
    );
    repo.write(
        ".github/workflows/app.yml",
        &azd_workflow(
            "  push:\n    branches:\n      - main\n      - 'release/**'\n      - '!release/**-alpha'\n",
        ),
    );
    let first = repo.commit("initial", "2026-03-02 09:00:00 +0000");
    repo.branch("release/2.0");
    let release = repo.write_and_commit("src/a.js", "r\n", "2026-03-03 09:00:00 +0000");
    repo.switch("main");
    repo.branch("release/2.1-alpha");
    repo.write_and_commit("src/a.js", "alpha\n", "2026-03-04 09:00:00 +0000");
    repo.switch("main");
    let found = run(&repo);
    assert_eq!(commits(&found), vec![first.clone(), release.clone()]);
    let on_main = &found.deployments[0];
    assert_eq!(
        on_main.workflows,
        vec![".github/workflows/app.yml", ".github/workflows/infra.yml"]
    );
    assert_eq!(
        found.deployments[1].pushed,
        Pushed::Branch("release/2.0".into())
    );
    assert_eq!(
        found.basis,
        "pushes to main and release/2.0 that trigger app.yml and infra.yml"
    );
}

#[test]
fn a_clone_reads_origin_branches_and_origin_head_names_the_default_branch() {
    let origin = Repo::new();
    origin.git(&["switch", "-q", "-c", "trunk"]);
    origin.write(
        ".github/workflows/azure-dev.yml",
        &azd_workflow("  push:\n"),
    );
    origin.write("infra/main.bicep", MAIN_BICEP);
    let first = origin.commit("initial", "2026-04-06 09:00:00 +0000");
    let second = origin.write_and_commit("src/a.js", "1\n", "2026-04-13 09:00:00 +0000");
    // `main` exists too, but the default branch is trunk: a push trigger without filters means trunk.
    origin.git(&["branch", "main"]);
    origin.git(&["switch", "-q", "main"]);
    origin.write_and_commit("src/b.js", "main only\n", "2026-04-14 09:00:00 +0000");
    origin.git(&["switch", "-q", "trunk"]);

    let clone = Repo::clone_of(&origin);
    // A PR checkout: detached HEAD, no local branches at all; origin/* still tells the history.
    clone.git(&["checkout", "-q", "--detach"]);
    clone.git(&["branch", "-D", "-q", "trunk"]);
    let found = run(&clone);
    assert_eq!(commits(&found), vec![first, second]);
    assert_eq!(found.basis, "pushes to trunk that trigger azure-dev.yml");
}

#[test]
fn local_and_origin_copies_of_a_branch_count_each_commit_once() {
    let origin = Repo::new();
    origin.write(
        ".github/workflows/azure-dev.yml",
        &azd_workflow("  push:\n    branches: [main]\n"),
    );
    let first = origin.commit("initial", "2026-04-06 09:00:00 +0000");
    let clone = Repo::clone_of(&origin);
    // Local main is one commit ahead of origin/main (not pushed yet: it still counts, being on main).
    let local = clone.write_and_commit("src/a.js", "1\n", "2026-04-07 09:00:00 +0000");
    let found = run(&clone);
    assert_eq!(commits(&found), vec![first, local]);
}

#[test]
fn manual_and_scheduled_deploys_are_not_inferred() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/azure-dev.yml",
        &azd_workflow("  workflow_dispatch:\n  schedule:\n    - cron: '0 3 * * 1'\n"),
    );
    repo.write(".github/workflows/ci.yml", CI_WORKFLOW);
    repo.commit("initial", "2026-04-06 09:00:00 +0000");
    repo.write_and_commit("src/a.js", "1\n", "2026-04-07 09:00:00 +0000");
    let found = run(&repo);
    assert!(found.deployments.is_empty());
    assert!(!found.has_push_deploy);
}

#[test]
fn the_window_cuts_at_the_week_of_since_and_the_end_of_as_of() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/azure-dev.yml",
        &azd_workflow("  push:\n    branches: [main]\n"),
    );
    repo.commit("old", "2024-12-29 23:00:00 +0000"); // Sunday before the week of SINCE
    let monday = repo.write_and_commit("a", "1\n", "2024-12-30 00:00:00 +0000"); // Monday of SINCE's week
    let last = repo.write_and_commit("a", "2\n", "2026-11-24 23:59:59 +0000");
    repo.write_and_commit("a", "3\n", "2026-11-25 00:00:00 +0000"); // after as_of
    let found = run(&repo);
    assert_eq!(commits(&found), vec![monday, last]);
    let weeks: BTreeSet<Date> = found.deployments.iter().map(|d| d.date).collect();
    assert_eq!(weeks.len(), 2);
}

#[test]
fn not_a_repository_infers_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let found = infer(dir.path(), SINCE, AS_OF).unwrap();
    assert_eq!(found, Inference::default());
}
