//! The git history walk against real repositories built with the `git` CLI, compared with what
//! `git log --full-history --no-merges -- <IaC patterns>` lists.

use azengage::history::git::{GitHistory, iac_history};
use azengage::history::weekly::weekly;
use jiff::civil::{Date, date};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const PATTERNS: [&str; 5] = ["*.bicep", "*.bicepparam", "*.tf", "*.tfvars", "*.tf.json"];

const ARM_TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "location": { "type": "string", "defaultValue": "[resourceGroup().location]" } },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "stcontoso",
      "location": "[parameters('location')]",
      "sku": { "name": "Standard_LRS" },
      "kind": "StorageV2"
    }
  ]
}
"#;

const ARM_PARAMETERS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "location": { "value": "westeurope" } }
}
"#;

const MAIN_TF: &str = r#"resource "azurerm_resource_group" "main" {
  name     = "rg-contoso"
  location = "westeurope"
}
"#;

/// A repository in a temporary directory, driven by the `git` CLI with no user or system configuration.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Self {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, "2026-01-01 00:00:00 +0000")
    }

    fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).unwrap();
    }

    /// Commit everything in the work tree with both dates set to `when` (`YYYY-MM-DD HH:MM:SS +ZZZZ`).
    fn commit(&self, message: &str, when: &str) -> String {
        git_in(self.path(), &["add", "-A"], when);
        git_in(
            self.path(),
            &["commit", "-q", "--allow-empty", "-m", message],
            when,
        );
        git_in(self.path(), &["rev-parse", "HEAD"], when)
            .trim()
            .to_string()
    }

    fn write_and_commit(&self, path: &str, text: &str, when: &str) -> String {
        self.write(path, text);
        self.commit(&format!("change {path}"), when)
    }
}

/// Run git in `dir` with author and committer dates `when`; panics with git's message when it fails.
fn git_in(dir: &Path, args: &[&str], when: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .args([
            "-c",
            "user.name=Dev",
            "-c",
            "user.email=dev@contoso.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The window the tests use unless they say otherwise.
const SINCE: Date = date(2024, 1, 1);
const AS_OF: Date = date(2026, 11, 24);

/// Commit id → week (UTC Monday) of the commits `git log` lists in `dir` for the IaC patterns, within the window.
fn git_log_weeks(dir: &Path, since: Date, as_of: Date) -> BTreeMap<String, Date> {
    let mut args = vec![
        "log",
        "--full-history",
        "--no-merges",
        "--format=%H %ct",
        "--",
    ];
    args.extend(PATTERNS);
    git_in(dir, &args, "2026-01-01 00:00:00 +0000")
        .lines()
        .filter_map(|line| {
            let (id, seconds) = line.split_once(' ')?;
            let day = jiff::Timestamp::from_second(seconds.parse().ok()?)
                .ok()?
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date();
            let in_window = (azengage::history::week_start(since)..=as_of).contains(&day);
            in_window.then(|| (id.to_string(), azengage::history::week_start(day)))
        })
        .collect()
}

/// Commit id → week of the commits azengage found.
fn our_weeks(history: &GitHistory) -> BTreeMap<String, Date> {
    history
        .commits
        .iter()
        .map(|c| (c.id.clone(), azengage::history::week_start(c.date())))
        .collect()
}

/// Week → IaC commits, from the weekly series (zero weeks left out).
fn weekly_counts(history: &GitHistory, since: Date, as_of: Date) -> BTreeMap<Date, u32> {
    weekly(&history.commits, &[], since, as_of)
        .into_iter()
        .filter(|w| w.iac_commits > 0)
        .map(|w| (w.week_start, w.iac_commits))
        .collect()
}

fn history(dir: &Path) -> GitHistory {
    iac_history(dir, SINCE, AS_OF).unwrap()
}

#[test]
fn committer_dates_count_in_utc_weeks_near_midnight() {
    let repo = Repo::new();
    // Sunday evening at -02:00 is Monday 01:30 UTC: week of 2026-11-16.
    repo.write_and_commit("infra/main.tf", MAIN_TF, "2026-11-15 23:30:00 -0200");
    // Monday 01:00 at +03:00 is Sunday 22:00 UTC: week of 2026-11-09.
    repo.write_and_commit(
        "infra/main.tf",
        &format!("{MAIN_TF}# v2\n"),
        "2026-11-16 01:00:00 +0300",
    );
    repo.write_and_commit("README.md", "# Contoso\n", "2026-11-17 12:00:00 +0000");
    repo.write_and_commit(
        "infra/prod.tfvars",
        "location = \"westeurope\"\n",
        "2026-11-22 23:59:59 +0000",
    );
    // Monday 00:30 at +01:00 is still Sunday UTC: week of 2026-11-16.
    repo.write_and_commit(
        "main.bicep",
        "param location string\n",
        "2026-11-23 00:30:00 +0100",
    );
    // The last second of as_of (2026-11-24) counts, the next one does not.
    repo.write_and_commit(
        "main.bicepparam",
        "using 'main.bicep'\n",
        "2026-11-24 23:59:59 +0000",
    );
    repo.write_and_commit(
        "main.bicep",
        "param location string = 'westeurope'\n",
        "2026-11-25 00:30:00 +0200",
    );
    repo.write_and_commit(
        "main.bicep",
        "param location string = 'northeurope'\n",
        "2026-11-25 00:00:00 +0000",
    );

    let found = history(repo.path());
    assert!(found.is_repository && !found.shallow);
    assert_eq!(found.commits_walked, 8);
    let expected = BTreeMap::from([
        (date(2026, 11, 9), 1),
        (date(2026, 11, 16), 3),
        (date(2026, 11, 23), 2),
    ]);
    assert_eq!(weekly_counts(&found, SINCE, AS_OF), expected);
    assert_eq!(our_weeks(&found), git_log_weeks(repo.path(), SINCE, AS_OF));
    let newest = &found.commits[0];
    assert_eq!(newest.paths, vec!["main.bicep"]);
    assert_eq!(
        newest.committed,
        "2026-11-24T22:30:00Z".parse::<jiff::Timestamp>().unwrap()
    );
}

#[test]
fn since_covers_its_whole_iso_week() {
    let repo = Repo::new();
    repo.write_and_commit("a.tf", MAIN_TF, "2026-11-01 23:59:59 +0000"); // Sunday before the week of since
    repo.write_and_commit("b.tf", MAIN_TF, "2026-11-02 00:00:00 +0000"); // Monday of the week of since
    repo.write_and_commit("c.tf", MAIN_TF, "2026-11-10 09:00:00 +0000");
    let since = date(2026, 11, 6);
    let found = iac_history(repo.path(), since, AS_OF).unwrap();
    let paths: Vec<&str> = found
        .commits
        .iter()
        .flat_map(|c| c.paths.iter().map(String::as_str))
        .collect();
    assert_eq!(paths, vec!["c.tf", "b.tf"]);
    assert_eq!(our_weeks(&found), git_log_weeks(repo.path(), since, AS_OF));
    let series = weekly(&found.commits, &[], since, AS_OF);
    assert_eq!(
        series.first().map(|w| w.week_start),
        Some(date(2026, 11, 2))
    );
    assert_eq!(series.len(), 4);
}

#[test]
fn merges_and_side_branches() {
    let repo = Repo::new();
    repo.write_and_commit("infra/main.tf", MAIN_TF, "2026-10-05 10:00:00 +0000");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write_and_commit(
        "infra/app/app.bicep",
        "param name string\n",
        "2026-10-06 10:00:00 +0000",
    );
    repo.write_and_commit("src/app.py", "print('hi')\n", "2026-10-07 10:00:00 +0000");
    repo.write_and_commit(
        "infra/app/app.bicep",
        "param name string = 'web'\n",
        "2026-10-13 10:00:00 +0000",
    );
    repo.git(&["checkout", "-q", "main"]);
    repo.write_and_commit(
        "infra/prod.tfvars",
        "sku = \"P1v3\"\n",
        "2026-10-14 10:00:00 +0000",
    );
    // A merge commit changes IaC files relative to its first parent, but merges never count.
    git_in(
        repo.path(),
        &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
        "2026-10-15 10:00:00 +0000",
    );
    // A branch that is never merged is not reachable from HEAD.
    repo.git(&["checkout", "-q", "-b", "abandoned"]);
    repo.write_and_commit("infra/experiment.tf", MAIN_TF, "2026-10-16 10:00:00 +0000");
    repo.git(&["checkout", "-q", "main"]);
    // A conflicting merge resolved by hand: still a merge.
    repo.git(&["checkout", "-q", "-b", "hotfix"]);
    repo.write_and_commit(
        "infra/prod.tfvars",
        "sku = \"P2v3\"\n",
        "2026-10-20 10:00:00 +0000",
    );
    repo.git(&["checkout", "-q", "main"]);
    repo.write_and_commit(
        "infra/prod.tfvars",
        "sku = \"S1\"\n",
        "2026-10-21 10:00:00 +0000",
    );
    let merge = Command::new("git")
        .current_dir(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "-c",
            "user.name=Dev",
            "-c",
            "user.email=dev@contoso.com",
            "merge",
            "-q",
            "hotfix",
        ])
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge should conflict");
    repo.write("infra/prod.tfvars", "sku = \"P2v3\" # resolved\n");
    repo.commit("merge hotfix", "2026-10-22 10:00:00 +0000");

    let found = history(repo.path());
    assert_eq!(our_weeks(&found), git_log_weeks(repo.path(), SINCE, AS_OF));
    let expected = BTreeMap::from([
        (date(2026, 10, 5), 2),
        (date(2026, 10, 12), 2),
        (date(2026, 10, 19), 2),
    ]);
    assert_eq!(weekly_counts(&found, SINCE, AS_OF), expected);
    assert!(
        found
            .commits
            .iter()
            .all(|c| !c.paths.contains(&"infra/experiment.tf".to_string()))
    );
}

#[test]
fn arm_templates_count_and_parameter_files_do_not() {
    let repo = Repo::new();
    repo.write_and_commit("README.md", "# Contoso\n", "2026-09-01 10:00:00 +0000");
    let added = repo.write_and_commit(
        "azuredeploy.json",
        ARM_TEMPLATE,
        "2026-09-02 10:00:00 +0000",
    );
    repo.write_and_commit(
        "azuredeploy.parameters.json",
        ARM_PARAMETERS,
        "2026-09-08 10:00:00 +0000",
    );
    repo.write_and_commit(
        "package.json",
        "{\"name\": \"web\"}\n",
        "2026-09-09 10:00:00 +0000",
    );
    repo.write_and_commit(
        "web/appsettings.json",
        "{\"$schema\": \"https://json.schemastore.org/appsettings.json\"}\n",
        "2026-09-10 10:00:00 +0000",
    );
    let changed = repo.write_and_commit(
        "azuredeploy.json",
        &ARM_TEMPLATE.replace("Standard_LRS", "Standard_GRS"),
        "2026-09-15 10:00:00 +0000",
    );
    repo.write_and_commit("infra/main.tf", MAIN_TF, "2026-09-16 10:00:00 +0000");
    repo.remove("azuredeploy.json");
    let deleted = repo.commit("remove the ARM template", "2026-09-22 10:00:00 +0000");
    repo.remove("azuredeploy.parameters.json");
    repo.commit("remove the parameters", "2026-09-23 10:00:00 +0000");

    let found = history(repo.path());
    let ours = our_weeks(&found);
    let git = git_log_weeks(repo.path(), SINCE, AS_OF);
    // Everything git lists for the patterns, plus exactly the commits touching only ARM templates.
    assert!(git.iter().all(|(id, week)| ours.get(id) == Some(week)));
    let arm_only: BTreeSet<&String> = ours.keys().filter(|id| !git.contains_key(*id)).collect();
    assert_eq!(arm_only, BTreeSet::from([&added, &changed, &deleted]));
    let expected = BTreeMap::from([
        (date(2026, 8, 31), 1),
        (date(2026, 9, 14), 2),
        (date(2026, 9, 21), 1),
    ]);
    assert_eq!(weekly_counts(&found, SINCE, AS_OF), expected);
    let deleted_commit = found.commits.iter().find(|c| c.id == deleted).unwrap();
    assert_eq!(deleted_commit.paths, vec!["azuredeploy.json"]);
}

#[test]
fn a_json_file_that_stops_being_a_template_still_counts() {
    let repo = Repo::new();
    repo.write_and_commit(
        "deploy/main.json",
        ARM_TEMPLATE,
        "2026-09-01 10:00:00 +0000",
    );
    let rewritten = repo.write_and_commit(
        "deploy/main.json",
        "{\"note\": \"moved to Bicep\"}\n",
        "2026-09-02 10:00:00 +0000",
    );
    repo.write_and_commit(
        "deploy/main.json",
        "{\"note\": \"still not a template\"}\n",
        "2026-09-03 10:00:00 +0000",
    );
    let found = history(repo.path());
    assert_eq!(found.commits.len(), 2);
    assert_eq!(found.commits[0].id, rewritten);
}

#[test]
fn deletions_renames_and_names_that_only_look_like_iac() {
    let repo = Repo::new();
    repo.write("infra/old.tf", MAIN_TF);
    repo.write("infra/modules/network/vnet.tf.json", "{\"resource\": {}}\n");
    repo.write("docs/README.md", "# Docs\n");
    repo.commit("initial", "2026-08-03 10:00:00 +0000");
    git_in(
        repo.path(),
        &["mv", "infra/old.tf", "infra/new.tf"],
        "2026-08-04 10:00:00 +0000",
    );
    let renamed = repo.commit("rename", "2026-08-04 10:00:00 +0000");
    repo.remove("infra/modules/network/vnet.tf.json");
    let deleted = repo.commit("delete", "2026-08-11 10:00:00 +0000");
    git_in(
        repo.path(),
        &["mv", "docs/README.md", "docs/guide.md"],
        "2026-08-12 10:00:00 +0000",
    );
    repo.commit("rename docs", "2026-08-12 10:00:00 +0000");
    // Not IaC by name: a directory named like a Terraform file, a Markdown file about Terraform.
    repo.write_and_commit(
        "examples/sample.tf/README.md",
        "# Sample\n",
        "2026-08-18 10:00:00 +0000",
    );
    repo.write_and_commit("notes.tf.md", "# Notes\n", "2026-08-19 10:00:00 +0000");
    // A mode change alone is a change git lists.
    let script = repo.path().join("infra/new.tf");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let chmod = repo.commit("make it executable", "2026-08-25 10:00:00 +0000");

    let found = history(repo.path());
    assert_eq!(our_weeks(&found), git_log_weeks(repo.path(), SINCE, AS_OF));
    let paths: BTreeMap<&str, Vec<&str>> = found
        .commits
        .iter()
        .map(|c| (c.id.as_str(), c.paths.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        paths[renamed.as_str()],
        vec!["infra/new.tf", "infra/old.tf"]
    );
    assert_eq!(
        paths[deleted.as_str()],
        vec!["infra/modules/network/vnet.tf.json"]
    );
    assert_eq!(paths[chmod.as_str()], vec!["infra/new.tf"]);
    assert_eq!(found.commits.len(), 4);
}

#[test]
fn a_subdirectory_counts_only_its_own_files() {
    let repo = Repo::new();
    repo.write_and_commit("infra/main.tf", MAIN_TF, "2026-10-05 10:00:00 +0000");
    repo.write_and_commit("other/main.tf", MAIN_TF, "2026-10-06 10:00:00 +0000");
    repo.write_and_commit(
        "infra/net/vnet.bicep",
        "param name string\n",
        "2026-10-13 10:00:00 +0000",
    );
    let infra = repo.path().join("infra");
    let found = iac_history(&infra, SINCE, AS_OF).unwrap();
    assert_eq!(our_weeks(&found), git_log_weeks(&infra, SINCE, AS_OF));
    let paths: Vec<&str> = found
        .commits
        .iter()
        .flat_map(|c| c.paths.iter().map(String::as_str))
        .collect();
    assert_eq!(paths, vec!["net/vnet.bicep", "main.tf"]);
}

#[test]
fn shallow_clones_are_reported_and_their_boundary_is_a_root() {
    let origin = Repo::new();
    for (i, day) in [
        "2026-10-05",
        "2026-10-12",
        "2026-10-19",
        "2026-10-26",
        "2026-11-02",
    ]
    .iter()
    .enumerate()
    {
        origin.write_and_commit(
            "infra/main.tf",
            &format!("{MAIN_TF}# {i}\n"),
            &format!("{day} 10:00:00 +0000"),
        );
        origin.write_and_commit(
            "README.md",
            &format!("# {i}\n"),
            &format!("{day} 11:00:00 +0000"),
        );
    }
    let clones = tempfile::tempdir().unwrap();
    for depth in ["1", "3"] {
        let clone: PathBuf = clones.path().join(depth);
        let url = format!("file://{}", origin.path().display());
        git_in(
            clones.path(),
            &[
                "clone",
                "-q",
                "--depth",
                depth,
                &url,
                clone.to_str().unwrap(),
            ],
            "2026-11-20 00:00:00 +0000",
        );
        let found = history(&clone);
        assert!(found.shallow, "depth {depth}");
        assert_eq!(
            our_weeks(&found),
            git_log_weeks(&clone, SINCE, AS_OF),
            "depth {depth}"
        );
    }
    // Depth 1: only the README commit of 2026-11-02, diffed against nothing, so it "adds" infra/main.tf.
    let found = history(&clones.path().join("1"));
    assert_eq!(found.commits.len(), 1);
    assert_eq!(found.commits[0].paths, vec!["infra/main.tf"]);
    assert!(!history(origin.path()).shallow);
}

#[test]
fn not_a_repository_and_empty_repositories_have_no_activity() {
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("main.tf"), MAIN_TF).unwrap();
    let found = history(plain.path());
    assert_eq!(found, GitHistory::default());
    assert!(!found.is_repository);

    let empty = Repo::new();
    empty.write("main.tf", MAIN_TF);
    let found = history(empty.path());
    assert!(found.is_repository);
    assert!(found.commits.is_empty());
    assert_eq!(found.commits_walked, 0);
}

#[test]
fn a_detached_head_walks_from_its_commit() {
    let repo = Repo::new();
    let first = repo.write_and_commit("main.tf", MAIN_TF, "2026-10-05 10:00:00 +0000");
    repo.write_and_commit(
        "main.tf",
        &format!("{MAIN_TF}# v2\n"),
        "2026-10-12 10:00:00 +0000",
    );
    repo.git(&["checkout", "-q", "--detach", &first]);
    let found = history(repo.path());
    assert_eq!(found.commits.len(), 1);
    assert_eq!(found.commits[0].id, first);
}

/// Several batches of commits (the walk hands commits to worker threads 256 at a time): same commits as git, and
/// newest first.
#[test]
fn long_histories_keep_walk_order() {
    let repo = Repo::new();
    let mut stream = String::new();
    let first = 1_767_225_600; // 2026-01-01T00:00:00Z
    for i in 0..700u64 {
        let (path, text) = match i % 3 {
            0 => (
                format!("infra/mod{}/main.tf", i % 7),
                format!("# rev {i}\n"),
            ),
            1 => (format!("src/app{}.py", i % 5), format!("# rev {i}\n")),
            _ => ("deploy/main.bicep".to_string(), format!("// rev {i}\n")),
        };
        let time = first + i * 3_600;
        let from = if i == 0 {
            String::new()
        } else {
            format!("from :{i}\n")
        };
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{}\ncommitter Dev <dev@contoso.com> {time} +0000\ndata 1\nc\n{from}M 100644 inline {path}\ndata {}\n{text}\n",
            i + 1,
            text.len()
        ));
    }
    let mut import = Command::new("git")
        .current_dir(repo.path())
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(import.stdin.as_mut().unwrap(), stream.as_bytes()).unwrap();
    drop(import.stdin.take());
    assert!(import.wait().unwrap().success());

    let found = history(repo.path());
    assert_eq!(found.commits_walked, 700);
    // Two of every three commits touch IaC files.
    assert_eq!(found.commits.len(), 467);
    assert_eq!(our_weeks(&found), git_log_weeks(repo.path(), SINCE, AS_OF));
    assert!(
        found
            .commits
            .windows(2)
            .all(|pair| pair[0].committed > pair[1].committed)
    );
}

/// Trees nested deeper than the walk opens give a diagnostic, not a crash; shallower files still count.
#[test]
fn very_deep_trees_are_diagnosed() {
    let repo = Repo::new();
    let deep = vec!["d"; 300].join("/");
    repo.write(&format!("{deep}/main.tf"), MAIN_TF);
    repo.write("infra/main.tf", MAIN_TF);
    repo.commit("deep", "2026-10-05 10:00:00 +0000");
    let found = history(repo.path());
    assert_eq!(found.commits.len(), 1);
    assert_eq!(found.commits[0].paths, vec!["infra/main.tf"]);
    assert!(found.diagnostics.iter().any(|d| d.code == "tree-too-deep"));
}

#[test]
fn the_walk_stops_at_since_instead_of_reading_all_history() {
    // A long history before the window: the commit-time cutoff must stop the walk, not filter it.
    let repo = Repo::new();
    for day in 1..=40 {
        repo.write_and_commit(
            "infra/main.tf",
            &format!("{MAIN_TF}# old {day}\n"),
            &format!("2023-06-{:02} 12:00:00 +0000", day % 28 + 1),
        );
    }
    repo.write_and_commit(
        "infra/main.tf",
        &format!("{MAIN_TF}# new\n"),
        "2026-11-16 12:00:00 +0000",
    );
    let found = history(repo.path());
    assert_eq!(found.commits.len(), 1);
    assert!(
        found.commits_walked <= 2,
        "walked {} commits for a window holding 1",
        found.commits_walked
    );
}
