//! `azengage pack` over a real git repository: the page holds the figures `azengage scan --format json` gives
//! for the same inputs, is the same bytes on a second run, prints on one or two A4 pages with `--pdf`, and
//! without a browser `--pdf` is exit 2 naming what to install.

use crate::git_support::copy_tree;
use crate::pack::page::{assert_self_contained, parse};
use crate::pack::pdf::{assert_one_or_two_a4_pages_with_text, browser_or_skip};
use assert_cmd::Command;
use scraper::Selector;
use serde_json::Value;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn azengage() -> Command {
    let mut cmd = Command::cargo_bin("azengage").expect("the binary is built");
    cmd.env_remove("GITHUB_TOKEN").env("NO_COLOR", "1");
    cmd
}

/// A config as a founder writes it, with hostile words where a config may carry any text.
const CONFIG: &str = r#"program:
  kind: founders-hub
  joined: 2026-03-02
  tier: 25k
  credits:
    total: 25000
    expires: 2027-03-02
checklist:
  verified_domain: true
  team_members: 3
  demo_video: "javascript:alert('demo')"
evidence:
  funding: https://www.crunchbase.com/organization/contoso-ai
  traction: "<img src=x onerror=alert(1)> 1,200 monthly active users"
  press:
    - https://techcrunch.example/contoso-ai-raises-seed
    - "data:text/html,<script>alert(1)</script>"
pack:
  company: "Contoso <AI> & Co"
  contact: "Dana Whitfield <dana@contoso.example>"
  ask: "Please review our score manually before 16 January </p><script>alert(1)</script>"
"#;

/// `examples/terraform-startup` committed over 30 weeks: a first commit outside the chart's 26 weeks, then
/// weekly work, a gap and a burst, as `scripts/make-demo-repo.sh` does.
pub fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    git(
        repo,
        &["init", "-q", "-b", "main"],
        "2026-01-01T10:00:00+00:00",
    );
    let example = root().join("examples/terraform-startup");
    copy_tree(&example, repo);
    std::fs::write(repo.join(".github/azengage.yml"), CONFIG).expect("config");
    let dates = [
        "2026-04-20",
        "2026-05-18",
        "2026-05-26",
        "2026-06-02",
        "2026-06-09",
        "2026-06-16",
        "2026-08-25",
        "2026-11-10",
        "2026-11-11",
        "2026-11-12",
        "2026-11-17",
        "2026-11-19",
    ];
    for (i, day) in dates.iter().enumerate() {
        std::fs::write(repo.join("main.tf"), {
            let mut text = std::fs::read_to_string(example.join("main.tf")).expect("main.tf");
            text.push_str(&format!("# change {i}\n"));
            text
        })
        .expect("write");
        let when = format!("{day}T10:00:00+02:00");
        git(repo, &["add", "-A"], &when);
        git(repo, &["commit", "-q", "-m", &format!("change {i}")], &when);
    }
    dir
}

fn git(repo: &Path, args: &[&str], when: &str) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Contoso",
            "-c",
            "user.email=platform@contoso.example",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn costs() -> PathBuf {
    root().join("examples/bicep-startup/costs")
}

fn pack(repo: &Path, out: &Path) -> String {
    azengage()
        .args(["pack", "--as-of", AS_OF, "--costs"])
        .arg(costs())
        .arg("--out")
        .arg(out)
        .arg(repo)
        .assert()
        .success();
    std::fs::read_to_string(out).expect("the page was written")
}

fn scan_json(repo: &Path) -> Value {
    let out = azengage()
        .args(["scan", "--format", "json", "--as-of", AS_OF, "--costs"])
        .arg(costs())
        .arg(repo)
        .output()
        .expect("scan runs");
    serde_json::from_slice(&out.stdout).expect("scan JSON")
}

#[test]
fn the_pack_holds_the_figures_of_the_scan_it_came_from() {
    let repo = repository();
    let out = tempfile::tempdir().expect("temp dir");
    let page = pack(repo.path(), &out.path().join("pack.html"));
    assert_eq!(
        page,
        pack(repo.path(), &out.path().join("again/pack.html")),
        "the same --as-of gives the same bytes"
    );
    let doc = parse(&page);
    assert_self_contained(&doc);
    let scan = scan_json(repo.path());
    let text = |css: &str| -> Vec<String> {
        doc.select(&Selector::parse(css).expect("selector"))
            .map(|e| e.text().collect::<String>())
            .collect()
    };
    assert_eq!(text("h1"), ["Contoso <AI> & Co"]);
    assert_eq!(
        text(".total"),
        [format!("{} / 100", scan["score"]["total"])]
    );
    let review = scan["program"]["review_date"]
        .as_str()
        .expect("a review date");
    let days = scan["program"]["days_to_review"].as_i64().expect("days");
    let timeline = text("#timeline dd").join(" | ");
    assert!(
        timeline.contains(&format!("{review} ({days} days left)")),
        "{timeline}"
    );
    let consumed = scan["costs"]["consumed_percent"]
        .as_f64()
        .expect("consumed");
    assert!(
        timeline.contains(&format!("{}%", azengage::report::wording::points(consumed))),
        "{timeline}"
    );
    // Every deployed service of the scan, with its resource count; every region.
    let rows = text("#services tbody tr");
    // Plumbing (Resource Manager, managed identities, ...) is listed by the scan but is no evidence of use.
    let services: Vec<&Value> = scan["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter(|s| s["counts_for_breadth"] != Value::Bool(false))
        .collect();
    assert!(
        services.len() >= 8,
        "the example deploys a real spread: {services:?}"
    );
    assert_eq!(rows.len(), services.len());
    for s in &services {
        let name = s["name"].as_str().expect("name");
        let n = s["resources"].as_u64().expect("count");
        assert!(
            rows.iter()
                .any(|r| r.starts_with(name) && r.ends_with(&n.to_string())),
            "{name} ({n}) not in {rows:?}"
        );
    }
    let services_text = text("#services").join(" ");
    for r in scan["regions"].as_array().expect("regions") {
        let shown = r["display_name"].as_str().expect("display name");
        assert!(services_text.contains(shown), "{shown}");
    }
    // The chart's totals are the scan's weekly figures over the last 26 weeks.
    let first_week = "2026-06-01"; // the Monday 25 weeks before Monday 2026-11-23
    let weekly = scan["activity"]["weekly"].as_array().expect("weekly");
    let sum = |key: &str| -> u64 {
        weekly
            .iter()
            .filter(|w| w["week_start"].as_str().is_some_and(|d| d >= first_week))
            .map(|w| w[key].as_u64().unwrap_or(0))
            .sum()
    };
    let caption = text("figcaption")[0].clone();
    assert!(
        caption.starts_with(&format!(
            "{} IaC commits and {} deployments",
            sum("iac_commits"),
            sum("deployments")
        )),
        "{caption}"
    );
    let basis = scan["activity"]["deployments_basis"].as_str().unwrap_or("");
    assert!(
        caption.contains(&format!("deployments ({basis})")),
        "the deployments' source is named: {caption}"
    );
    assert!(
        sum("deployments") > 0,
        "the example's deploy workflow runs on push to main: {caption}"
    );
    assert_eq!(
        sum("iac_commits"),
        9,
        "three of the twelve commits are older than 26 weeks"
    );
    // Every open suggestion's id.
    let ids = text("#suggestions .id");
    for s in scan["suggestions"].as_array().expect("suggestions") {
        let id = s["id"].as_str().expect("id");
        assert!(ids.iter().any(|i| i == id), "{id} not in {ids:?}");
    }
    // Config text is text: one real link each for funding and press, the rest shown as written.
    let links: Vec<String> = doc
        .select(&Selector::parse("a").expect("selector"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        links,
        [
            "https://www.crunchbase.com/organization/contoso-ai",
            "https://techcrunch.example/contoso-ai-raises-seed"
        ]
    );
    let body = text("body").join(" ");
    for shown in [
        "javascript:alert('demo')",
        "<img src=x onerror=alert(1)> 1,200 monthly active users",
        "data:text/html,<script>alert(1)</script>",
        "</p><script>alert(1)</script>",
        "Dana Whitfield <dana@contoso.example>",
    ] {
        assert!(body.contains(shown), "{shown:?} not shown as text");
    }
}

#[test]
fn pdf_prints_on_one_or_two_a4_pages() {
    let Some(_) = browser_or_skip("pdf_prints_on_one_or_two_a4_pages") else {
        return;
    };
    let repo = repository();
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = out.path().join("pack.pdf");
    azengage()
        .args(["pack", "--as-of", AS_OF, "--costs"])
        .arg(costs())
        .arg("--out")
        .arg(out.path().join("pack.html"))
        .arg("--pdf")
        .arg(&pdf)
        .arg(repo.path())
        .assert()
        .success();
    let bytes = std::fs::read(&pdf).expect("the PDF was written");
    assert!(bytes.starts_with(b"%PDF-"));
    assert_one_or_two_a4_pages_with_text(&bytes, "the example repository's pack");
}

#[test]
fn pdf_without_a_browser_is_exit_2_naming_what_to_install() {
    let repo = repository();
    let out = tempfile::tempdir().expect("temp dir");
    let empty_path = tempfile::tempdir().expect("temp dir");
    let page = out.path().join("pack.html");
    let assert = azengage()
        .env("PATH", empty_path.path())
        .args(["pack", "--as-of", AS_OF, "--out"])
        .arg(&page)
        .arg("--pdf")
        .arg(out.path().join("pack.pdf"))
        .arg(repo.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("Chromium-family browser"), "{stderr}");
    assert!(stderr.contains("apt-get install chromium"), "{stderr}");
    assert!(!page.exists(), "nothing is written when the PDF cannot be");
}

#[test]
fn out_dash_writes_the_page_to_stdout_and_a_bad_config_is_exit_2() {
    let repo = repository();
    let out = azengage()
        .args(["pack", "--as-of", AS_OF, "--out", "-"])
        .arg(repo.path())
        .output()
        .expect("pack runs");
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(page.starts_with("<!DOCTYPE html>"));
    std::fs::write(
        repo.path().join(".github/azengage.yml"),
        "pack:\n  company: x\n  colour: blue\n",
    )
    .expect("config");
    let assert = azengage()
        .args(["pack", "--as-of", AS_OF, "--out", "-"])
        .arg(repo.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("colour") && stderr.contains("company, contact, ask"),
        "{stderr}"
    );
}

#[test]
fn a_missing_path_is_exit_3() {
    azengage()
        .args(["pack", "no/such/dir", "--out", "-"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("no/such/dir"));
}

#[cfg(unix)]
#[test]
fn a_browser_that_prints_nothing_is_exit_2_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repository();
    let bin = tempfile::tempdir().expect("temp dir");
    let fake = bin.path().join("chromium");
    std::fs::write(&fake, "#!/bin/sh\necho 'GPU process crashed' >&2\nexit 1\n").expect("write");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = tempfile::tempdir().expect("temp dir");
    let assert = azengage()
        .env("PATH", bin.path())
        .args(["pack", "--as-of", AS_OF, "--out"])
        .arg(out.path().join("pack.html"))
        .arg("--pdf")
        .arg(out.path().join("pack.pdf"))
        .arg(repo.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains(&fake.display().to_string()), "{stderr}");
    assert!(
        stderr.contains("wrote no PDF") && stderr.contains("GPU process crashed"),
        "{stderr}"
    );
    assert!(
        out.path().join("pack.html").exists(),
        "the page itself was written"
    );
}
