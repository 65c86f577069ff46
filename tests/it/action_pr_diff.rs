//! The PR's IaC change is `base...head`: compared from the merge base, so what landed on the base branch after
//! the PR branched off is not shown as the PR removing it. Real git repositories in temp dirs; the change is
//! read from git objects through `azengage::action::pr::local_diff`.

use azengage::action::event::PullRequest;
use azengage::action::pr::{LocalDiffError, local_diff};
use azengage::iac::ScanOptions;
use std::path::Path;
use std::process::Command;

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Mona Lisa")
        .env("GIT_AUTHOR_EMAIL", "mona@contoso.example")
        .env("GIT_COMMITTER_NAME", "Mona Lisa")
        .env("GIT_COMMITTER_EMAIL", "mona@contoso.example")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(repo: &Path, file: &str, text: &str) {
    let target = repo.join(file);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::write(target, text).expect("write");
}

const RG: &str = "resource \"azurerm_resource_group\" \"main\" {\n  name     = \"rg-shop\"\n  location = \"westeurope\"\n}\n";
const REDIS: &str = "resource \"azurerm_redis_cache\" \"cache\" {\n  name                = \"redis-shop\"\n  location            = \"westeurope\"\n  resource_group_name = \"rg-shop\"\n  capacity            = 1\n  family              = \"C\"\n  sku_name            = \"Standard\"\n}\n";
const KV: &str = "resource \"azurerm_key_vault\" \"kv\" {\n  name                = \"kv-shop\"\n  location            = \"northeurope\"\n  resource_group_name = \"rg-shop\"\n  sku_name            = \"standard\"\n  tenant_id           = \"00000000-0000-0000-0000-000000000000\"\n}\n";

#[test]
fn compares_from_the_merge_base() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    write(repo, "infra/main.tf", RG);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "rg"]);
    git(repo, &["checkout", "-qb", "feature/redis"]);
    write(repo, "infra/cache.tf", REDIS);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "redis"]);
    let head = git(repo, &["rev-parse", "HEAD"]);
    git(repo, &["checkout", "-q", "main"]);
    // Lands on main after the PR branched off: not part of the PR.
    write(repo, "infra/vault.tf", KV);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "key vault"]);
    let base = git(repo, &["rev-parse", "HEAD"]);

    let pr = PullRequest {
        number: 9,
        title: "Add Redis".into(),
        base_sha: Some(base),
        head_sha: Some(head),
        ..PullRequest::default()
    };
    let diff = match local_diff(repo, &pr, &ScanOptions::default(), &|inv| {
        Some(inv.resources.len() as u32)
    }) {
        Ok(d) => d,
        Err(e) => panic!("diff: {e:?}"),
    };
    assert_eq!(diff.files_changed, ["infra/cache.tf"]);
    let added: Vec<&str> = diff
        .resources
        .added
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(added, ["cache"]);
    assert!(
        diff.resources.removed.is_empty(),
        "{:?}",
        diff.resources.removed
    );
    assert_eq!(diff.score.base.zip(diff.score.head), Some((1, 2)));
}

#[test]
fn a_missing_base_commit_asks_for_the_fallback() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    write(repo, "infra/main.tf", RG);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "rg"]);
    let head = git(repo, &["rev-parse", "HEAD"]);
    let pr = PullRequest {
        number: 9,
        base_sha: Some("3f2a0c1b7e5d4a69c8b1f0e2d3c4b5a697887766".into()),
        head_sha: Some(head),
        ..PullRequest::default()
    };
    let result = local_diff(repo, &pr, &ScanOptions::default(), &|_| None);
    assert!(
        matches!(result, Err(LocalDiffError::Missing(_))),
        "{result:?}"
    );
    let no_commits = PullRequest::default();
    let result = local_diff(repo, &no_commits, &ScanOptions::default(), &|_| None);
    assert!(
        matches!(result, Err(LocalDiffError::NoCommits)),
        "{result:?}"
    );
}
