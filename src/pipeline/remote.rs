//! The repository's GitHub `owner/name`, from its `origin` remote as git itself resolves it: read through gix
//! (no `git` subprocess), so `url.<base>.insteadOf` rewrites, `include.path` files and linked worktrees count,
//! as they do for `git remote get-url origin`.

use crate::slug::RepoSlug;
use std::path::Path;

/// The slug of the `origin` remote of the repository at `repo_root`. `None` when `repo_root` is not a git
/// work tree, there is no `origin`, or its URL does not end in `owner/name`.
pub fn origin_slug(repo_root: &Path) -> Option<RepoSlug> {
    let repo = gix::open(repo_root).ok()?;
    let remote = repo.find_remote("origin").ok()?;
    let url = remote.url(gix::remote::Direction::Fetch)?;
    RepoSlug::from_remote_url(&url.to_bstring().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap_or_else(|e| panic!("git {args:?}: {e}"));
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn slug(owner: &str, name: &str) -> Option<RepoSlug> {
        Some(RepoSlug {
            owner: owner.into(),
            name: name.into(),
        })
    }

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        git(dir.path(), &["init", "-q", "-b", "main"]);
        dir
    }

    #[test]
    fn reads_origin_among_remotes() {
        let dir = repo();
        assert_eq!(origin_slug(dir.path()), None, "no remote yet");
        git(
            dir.path(),
            &[
                "remote",
                "add",
                "upstream",
                "https://github.com/Azure/azure-dev.git",
            ],
        );
        assert_eq!(origin_slug(dir.path()), None, "only upstream");
        git(
            dir.path(),
            &["remote", "add", "origin", "git@github.com:me/azure-dev.git"],
        );
        assert_eq!(origin_slug(dir.path()), slug("me", "azure-dev"));
        let plain = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(origin_slug(plain.path()), None, "not a repository");
    }

    /// `url.<base>.insteadOf` rewrites the remote before it is read: `work:webshop.git` is
    /// `git@github.com:contoso/webshop.git`, which a reader of `.git/config` alone cannot know.
    #[test]
    fn honours_instead_of() {
        let dir = repo();
        git(dir.path(), &["remote", "add", "origin", "work:webshop.git"]);
        git(
            dir.path(),
            &["config", "url.git@github.com:contoso/.insteadOf", "work:"],
        );
        assert_eq!(origin_slug(dir.path()), slug("contoso", "webshop"));
    }

    /// A remote defined in a file that `.git/config` includes.
    #[test]
    fn honours_include() {
        let dir = repo();
        std::fs::write(
            dir.path().join(".git/remotes.inc"),
            "[remote \"origin\"]\n\turl = https://github.com/contoso/webshop.git\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        git(dir.path(), &["config", "include.path", "remotes.inc"]);
        assert_eq!(origin_slug(dir.path()), slug("contoso", "webshop"));
    }

    /// A linked worktree (`.git` is a file naming the real git dir) shares the main repository's remotes.
    #[test]
    fn follows_a_linked_worktree() {
        let dir = repo();
        let main = dir.path();
        git(
            main,
            &[
                "remote",
                "add",
                "origin",
                "https://github.com/contoso/webshop.git",
            ],
        );
        git(
            main,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "first",
            ],
        );
        let worktree = main.join("feature");
        let worktree_arg = worktree.to_string_lossy().into_owned();
        git(
            main,
            &["worktree", "add", "-q", "-b", "feature", &worktree_arg],
        );
        assert!(worktree.join(".git").is_file());
        assert_eq!(origin_slug(&worktree), slug("contoso", "webshop"));
    }
}
