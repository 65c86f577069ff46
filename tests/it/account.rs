//! `azengage merge` end to end: three real git repositories built here from `tests/fixtures/account/repos/`
//! (an azd Bicep web app in westeurope, a Terraform function API in northeurope, a Bicep data platform in
//! swedencentral with its own, older program settings), committed on backdated weeks, each scanned with
//! `azengage scan --format json`, then merged with the account's config.

use crate::git_support::copy_tree;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const AS_OF: &str = "2026-11-25";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/account")
}

fn azengage() -> Command {
    let mut cmd = Command::cargo_bin("azengage").unwrap_or_else(|e| panic!("binary: {e}"));
    cmd.env("NO_COLOR", "1")
        .env_remove("AZENGAGE_LOG")
        .env_remove("GITHUB_TOKEN");
    cmd
}

fn git(repo: &Path, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Mona Lisa")
        .env("GIT_AUTHOR_EMAIL", "mona@contoso.example")
        .env("GIT_COMMITTER_NAME", "Mona Lisa")
        .env("GIT_COMMITTER_EMAIL", "mona@contoso.example")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository from the fixture `name`: everything committed on the first date, then one IaC change (a line
/// appended to `iac_file`) per later date.
fn build_repo(root: &Path, name: &str, iac_file: &str, comment: &str, dates: &[&str]) -> PathBuf {
    let repo = root.join(name);
    copy_tree(&fixtures().join("repos").join(name), &repo);
    git(&repo, &["init", "-q", "-b", "main"], dates[0]);
    git(&repo, &["add", "-A"], dates[0]);
    git(
        &repo,
        &["commit", "-q", "-m", "initial infrastructure"],
        dates[0],
    );
    for (i, date) in dates.iter().enumerate().skip(1) {
        let file = repo.join(iac_file);
        let mut text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        text.push_str(&format!("{comment} change {i}\n"));
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
        git(
            &repo,
            &["commit", "-qam", &format!("infra: change {i}")],
            date,
        );
    }
    repo
}

/// Everything the tests share: the three scan documents (written once per test run).
struct Account {
    _dir: tempfile::TempDir,
    scans: PathBuf,
    files: [PathBuf; 3],
    docs: BTreeMap<String, Value>,
}

fn scan_to(repo: &Path, slug: &str, out: &Path) -> Value {
    let ran = azengage()
        .arg("scan")
        .arg(repo)
        .args(["--format", "json", "--as-of", AS_OF, "--repo", slug])
        .assert()
        .success();
    let text = ran.get_output().stdout.clone();
    std::fs::write(out, &text).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn account() -> &'static Account {
    static ACCOUNT: OnceLock<Account> = OnceLock::new();
    ACCOUNT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        // Weeks (Mondays) as of Wednesday 2026-11-25: web is busy lately, api in between, data mostly quiet.
        let web = build_repo(
            root,
            "web",
            "infra/resources.bicep",
            "//",
            &[
                "2026-10-13T09:00:00Z",
                "2026-10-27T10:00:00Z",
                "2026-11-10T11:00:00Z",
                "2026-11-24T12:00:00Z",
            ],
        );
        let api = build_repo(
            root,
            "api",
            "main.tf",
            "#",
            &[
                "2026-10-14T09:00:00Z",
                "2026-11-11T15:00:00Z",
                "2026-11-17T16:00:00Z",
            ],
        );
        let data = build_repo(
            root,
            "data",
            "infra/main.bicep",
            "//",
            &["2026-09-02T08:00:00Z", "2026-11-18T08:00:00Z"],
        );
        let scans = root.join("scans");
        std::fs::create_dir_all(&scans).unwrap_or_else(|e| panic!("{e}"));
        let files = [
            scans.join("web.json"),
            scans.join("api.json"),
            scans.join("data.json"),
        ];
        let mut docs = BTreeMap::new();
        for ((repo, slug), file) in [
            (&web, "contoso/web"),
            (&api, "contoso/api"),
            (&data, "contoso/data"),
        ]
        .into_iter()
        .zip(&files)
        {
            docs.insert(slug.to_string(), scan_to(repo, slug, file));
        }
        Account {
            _dir: dir,
            scans,
            files,
            docs,
        }
    })
}

fn merge(args: &[&str]) -> (Value, String) {
    let a = account();
    let ran = azengage()
        .arg("merge")
        .args(&a.files)
        .arg("--config")
        .arg(fixtures().join("account.yml"))
        .args(["--as-of", AS_OF, "--format", "json"])
        .args(args)
        .assert()
        .success();
    let out = ran.get_output();
    (
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}")),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn names(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .map(|l| {
            l.iter()
                .filter_map(|s| s["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn week_counts(doc: &Value) -> BTreeMap<String, (u64, u64)> {
    let mut weeks = BTreeMap::new();
    for w in doc["activity"]["weekly"].as_array().into_iter().flatten() {
        let e = weeks
            .entry(w["week_start"].as_str().unwrap_or_default().to_string())
            .or_insert((0, 0));
        e.0 += w["iac_commits"].as_u64().unwrap_or(0);
        e.1 += w["deployments"].as_u64().unwrap_or(0);
    }
    weeks
}

#[test]
fn services_are_the_union_and_regions_follow() {
    let (merged, _) = merge(&[]);
    let docs = &account().docs;
    let mut union = BTreeSet::new();
    let mut regions = BTreeSet::new();
    for doc in docs.values() {
        let own = names(&doc["services"]);
        assert!(!own.is_empty());
        union.extend(own);
        regions.extend(names(&doc["regions"]));
    }
    assert_eq!(names(&merged["services"]), union);
    for s in [
        "Azure Container Apps",
        "Cosmos DB",
        "Key Vault",
        "Storage Accounts",
    ] {
        assert!(union.contains(s), "{s} in {union:?}");
    }
    let want: BTreeSet<String> = ["westeurope", "northeurope", "swedencentral"]
        .map(String::from)
        .into();
    assert_eq!(names(&merged["regions"]), want);
    assert_eq!(regions, want);
    // Storage Accounts is declared by api and data: counted once per resource, both repositories'.
    let storage = merged["services"]
        .as_array()
        .and_then(|l| l.iter().find(|s| s["name"] == "Storage Accounts"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(storage["resources"], 2);
    // Every resource is listed with its repository, its file relative to that repository.
    let resources = merged["resources"].as_array().cloned().unwrap_or_default();
    let listed: usize = docs
        .values()
        .map(|d| d["resources"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(resources.len(), listed);
    assert!(resources.iter().any(|r| r["repository"] == "contoso/web"
        && r["file"] == "infra/resources.bicep"
        && r["arm_type"] == "Microsoft.App/containerApps"));
}

#[test]
fn every_week_is_the_sum_of_the_repositories() {
    let (merged, _) = merge(&[]);
    let mut expected: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for doc in account().docs.values() {
        for (week, (c, d)) in week_counts(doc) {
            let e = expected.entry(week).or_insert((0, 0));
            e.0 += c;
            e.1 += d;
        }
    }
    let got = week_counts(&merged);
    for (week, sums) in &expected {
        assert_eq!(
            got.get(week).copied().unwrap_or((0, 0)),
            *sums,
            "week {week}"
        );
    }
    assert_eq!(
        got.values().map(|c| c.0).sum::<u64>(),
        expected.values().map(|c| c.0).sum::<u64>()
    );
    // The commits made above, week by week.
    let commits = |week: &str| got.get(week).map_or(0, |c| c.0);
    assert_eq!(commits("2026-08-31"), 1, "data's first commit");
    assert_eq!(commits("2026-10-12"), 2, "web and api start");
    assert_eq!(commits("2026-11-09"), 2, "web and api");
    assert_eq!(commits("2026-11-16"), 2, "api and data");
    assert_eq!(commits("2026-11-23"), 1, "web");
    let active = merged["activity"]["metrics"]["active_weeks_13"].as_u64();
    assert_eq!(active, Some(6));
    let workflows = merged["activity"]["workflows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let owners: BTreeSet<&str> = workflows
        .iter()
        .filter_map(|w| w["repository"].as_str())
        .collect();
    assert_eq!(owners, BTreeSet::from(["contoso/data", "contoso/web"]));
}

#[test]
fn breadth_is_at_least_each_repository_alone() {
    let (merged, _) = merge(&[]);
    let breadth = |d: &Value| d["score"]["breadth"]["points"].as_f64().unwrap_or(-1.0);
    for (name, doc) in &account().docs {
        assert!(
            breadth(&merged) >= breadth(doc),
            "{name}: {} < {}",
            breadth(&merged),
            breadth(doc)
        );
    }
    let most = account().docs.values().map(breadth).fold(0.0, f64::max);
    assert!(breadth(&merged) > most, "the union adds breadth");
    let repos = merged["repositories"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let order: Vec<&str> = repos.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(order, ["contoso/api", "contoso/data", "contoso/web"]);
    let web = &repos[2];
    assert_eq!(web["active_weeks_13"], 4);
    assert_eq!(web["iac_commits_13"], 4);
    assert!(
        web["services_only_here"]
            .as_array()
            .is_some_and(|s| s.iter().any(|n| n == "Azure Container Apps"))
    );
}

#[test]
fn the_account_config_wins_and_the_conflicting_repository_is_named_once() {
    let (merged, stderr) = merge(&[]);
    assert_eq!(merged["program"]["review_date"], "2027-04-17");
    assert_eq!(merged["program"]["tier"], "25k");
    let data_doc = &account().docs["contoso/data"];
    assert_eq!(
        data_doc["program"]["review_date"], "2027-01-15",
        "data's own config"
    );
    let notes: Vec<String> = merged["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let about_data: Vec<&String> = notes
        .iter()
        .filter(|n| n.contains("contoso/data"))
        .collect();
    assert_eq!(about_data.len(), 1, "{notes:?}");
    assert!(
        about_data[0].contains("review date 2027-01-15"),
        "{notes:?}"
    );
    assert!(about_data[0].contains("tier 5k"), "{notes:?}");
    assert!(
        !notes
            .iter()
            .any(|n| n.contains("contoso/web") || n.contains("contoso/api")),
        "{notes:?}"
    );
    assert_eq!(
        stderr.matches("contoso/data has program settings").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn the_same_repository_twice_exits_2_naming_it() {
    let a = account();
    // Not beside the others: the tests that read the whole directory run meanwhile.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("web-again.json");
    std::fs::copy(&a.files[0], &copy).unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .arg("merge")
        .arg(&a.files[0])
        .arg(&a.files[1])
        .arg(&copy)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("repository contoso/web is in two scan documents")
                .and(predicate::str::contains("web-again.json")),
        );
}

#[test]
fn a_file_that_is_not_a_scan_exits_2_naming_it() {
    let a = account();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let inventory = dir.path().join("inventory.json");
    let out = azengage()
        .arg("inventory")
        .arg(fixtures().join("repos/api"))
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(&inventory, out).unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .arg("merge")
        .arg(&a.files[0])
        .arg(&inventory)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("inventory.json: not a `scan --format json` document")
                .and(predicate::str::contains("`inventory --format json`")),
        );
    let readme = dir.path().join("notes.json");
    std::fs::write(&readme, "# not JSON\n").unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .arg("merge")
        .arg(&readme)
        .arg(&a.files[1])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "notes.json:1:1: not a `scan --format json` document",
        ));
    azengage()
        .arg("merge")
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("missing.json"));
}

#[test]
fn a_newer_schema_version_is_refused() {
    let a = account();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut doc = a.docs["contoso/api"].clone();
    doc["schema_version"] = Value::from(2);
    let newer = dir.path().join("api-v2.json");
    std::fs::write(&newer, doc.to_string()).unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .arg("merge")
        .arg(&a.files[0])
        .arg(&newer)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("api-v2.json: schema_version 2 is newer")
                .and(predicate::str::contains("upgrade azengage")),
        );
}

#[test]
fn a_directory_of_scans_reads_like_the_files() {
    let a = account();
    let (from_files, _) = merge(&[]);
    let ran = azengage()
        .arg("merge")
        .arg(&a.scans)
        .arg("--config")
        .arg(fixtures().join("account.yml"))
        .args(["--as-of", AS_OF, "--format", "json"])
        .assert()
        .success();
    let from_dir: Value =
        serde_json::from_slice(&ran.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_dir["score"], from_files["score"]);
    assert_eq!(
        from_dir["activity"]["weekly"],
        from_files["activity"]["weekly"]
    );
}

#[test]
fn costs_belong_to_the_account_never_to_the_scans() {
    let a = account();
    let costs = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bicep-startup/costs");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let with_costs = dir.path().join("data.json");
    let ran = azengage()
        .arg("scan")
        .arg(
            a.files[2]
                .parent()
                .unwrap_or(Path::new("."))
                .join("../data"),
        )
        .args([
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "--repo",
            "contoso/data",
        ])
        .arg("--costs")
        .arg(&costs)
        .assert()
        .success();
    std::fs::write(&with_costs, &ran.get_output().stdout).unwrap_or_else(|e| panic!("{e}"));
    let merged = |extra: &[&std::ffi::OsStr]| -> Value {
        let out = azengage()
            .arg("merge")
            .arg(&a.files[0])
            .arg(&with_costs)
            .args(["--format", "json", "-q"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"))
    };
    let without = merged(&[]);
    assert!(
        without.get("costs").is_none(),
        "a scan's costs are not the account's"
    );
    assert!(
        without["notes"].as_array().is_some_and(|n| n
            .iter()
            .any(|n| n.as_str().is_some_and(|t| t.contains("cost exports")))),
        "{}",
        without["notes"]
    );
    let with = merged(&["--costs".as_ref(), costs.as_os_str()]);
    assert!(
        with["costs"]["total"].as_f64().is_some_and(|t| t > 0.0),
        "{}",
        with["costs"]
    );
}

#[test]
fn text_and_markdown_show_the_account_and_each_repository() {
    let a = account();
    let text = azengage()
        .arg("merge")
        .arg(&a.scans)
        .arg("--config")
        .arg(fixtures().join("account.yml"))
        .args(["--as-of", AS_OF, "-q"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&text);
    assert!(
        text.starts_with("azengage merge · as of 2026-11-25\n"),
        "{text}"
    );
    assert!(text.contains("Account of 3 repositories: "), "{text}");
    assert!(text.contains("Repositories (3)"), "{text}");
    for name in ["contoso/api", "contoso/data", "contoso/web"] {
        assert!(
            text.contains(&format!("  {name} (scanned 2026-11-25")),
            "{name}: {text}"
        );
    }
    assert!(
        text.contains("4 of the last 13 weeks active: 4 IaC commits"),
        "{text}"
    );
    let md = azengage()
        .arg("merge")
        .arg(&a.scans)
        .arg("--config")
        .arg(fixtures().join("account.yml"))
        .args(["--as-of", AS_OF, "--format", "markdown", "-q"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8_lossy(&md);
    assert!(md.contains("for an account of 3 repositories"), "{md}");
    assert!(md.contains("### Account: 3 repositories"), "{md}");
    assert!(md.contains("| `contoso/web` | "), "{md}");
    assert!(
        md.contains("> **Note:** contoso/data has program settings"),
        "{md}"
    );
}

/// What a person reads, from the fixture documents (`tests/fixtures/account/scans/`, written by `scan` on the
/// three repositories above).
#[test]
fn account_text_and_markdown_snapshots() {
    let run = |format: &str| {
        let out = azengage()
            .args([
                "merge",
                "scans/web.json",
                "scans/api.json",
                "scans/data.json",
            ])
            .args([
                "--config",
                "account.yml",
                "--as-of",
                AS_OF,
                "-q",
                "--format",
                format,
            ])
            .current_dir(fixtures())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8_lossy(&out).into_owned()
    };
    insta::assert_snapshot!("account_text", run("text"));
    insta::assert_snapshot!("account_markdown", run("markdown"));
}
