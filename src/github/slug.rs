//! `owner/name` of a GitHub repository: from `GITHUB_REPOSITORY`, or from the `origin` remote in `.git/config`.
//!
//! The git config is read as a file (no `git` subprocess): the CLI may run where git is not installed, and a
//! remote URL is all we need. Worktrees (`.git` is a file naming the real git dir) are followed.

use std::fmt;
use std::path::{Path, PathBuf};

/// A repository slug, `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RepoSlug {
    /// User or organisation.
    pub owner: String,
    /// Repository name (without `.git`).
    pub name: String,
}

impl RepoSlug {
    /// Parses `owner/name` (surrounding blanks and a `.git` suffix are tolerated). `None` when it is not one.
    pub fn parse(text: &str) -> Option<RepoSlug> {
        let (owner, name) = text.trim().split_once('/')?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        if !valid_part(owner) || !valid_part(name) {
            return None;
        }
        Some(RepoSlug {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }

    /// The slug of the `origin` remote of the repository at `repo_root`, from its git config. `None` when there is
    /// no git dir, no `origin`, or its URL does not end in `owner/name` (https, `ssh://` and `git@host:` forms).
    pub fn from_git_remote(repo_root: &Path) -> Option<RepoSlug> {
        let git_dir = git_dir(repo_root)?;
        let config = std::fs::read_to_string(common_dir(&git_dir).join("config")).ok()?;
        let url = origin_url(&config)?;
        slug_from_url(&url)
    }
}

impl fmt::Display for RepoSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// GitHub owner and repository names: letters, digits, `-`, `_`, `.`; not `.`/`..`.
fn valid_part(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && part != ".."
        && part.len() <= 100
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `.git` as a directory, or the `gitdir:` a `.git` file (worktree, submodule) points to.
fn git_dir(repo_root: &Path) -> Option<PathBuf> {
    let dot_git = repo_root.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let pointer = std::fs::read_to_string(&dot_git).ok()?;
    let target = pointer
        .lines()
        .find_map(|line| line.strip_prefix("gitdir:"))?
        .trim();
    let target = Path::new(target);
    Some(if target.is_absolute() {
        target.to_path_buf()
    } else {
        repo_root.join(target)
    })
}

/// A worktree's git dir holds a `commondir` file naming the directory with the shared `config`.
fn common_dir(git_dir: &Path) -> PathBuf {
    match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(text) => {
            let common = Path::new(text.trim());
            if common.is_absolute() {
                common.to_path_buf()
            } else {
                git_dir.join(common)
            }
        }
        Err(_) => git_dir.to_path_buf(),
    }
}

/// The `url` of `[remote "origin"]` in a git config file.
fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for raw in config.lines() {
        let line = raw.trim();
        if line.starts_with('[') {
            let header: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            in_origin = header == "[remote\"origin\"]";
            continue;
        }
        if !in_origin || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim().eq_ignore_ascii_case("url")
        {
            return Some(value.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// `owner/name` from the last two path segments of a remote URL.
fn slug_from_url(url: &str) -> Option<RepoSlug> {
    let path = if let Some((_, rest)) = url.split_once("://") {
        // `https://[user[:secret]@]host[:port]/owner/name(.git)`: drop everything up to the first `/`.
        rest.split_once('/')?.1
    } else {
        // scp-like `git@host:owner/name.git`.
        url.split_once(':')?.1
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut segments = path.rsplit('/');
    let name = segments.next()?;
    let owner = segments.next()?;
    RepoSlug::parse(&format!("{owner}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(owner: &str, name: &str) -> Option<RepoSlug> {
        Some(RepoSlug {
            owner: owner.into(),
            name: name.into(),
        })
    }

    #[test]
    fn parses_slugs_and_rejects_junk() {
        assert_eq!(
            RepoSlug::parse("Azure-Samples/todo-nodejs-mongo"),
            slug("Azure-Samples", "todo-nodejs-mongo")
        );
        assert_eq!(RepoSlug::parse(" octo/app.git\n"), slug("octo", "app"));
        assert_eq!(
            RepoSlug::parse("octo/app").map(|s| s.to_string()),
            Some("octo/app".into())
        );
        for bad in [
            "",
            "octo",
            "octo/",
            "/app",
            "octo/app/extra",
            "octo/a b",
            "../etc",
            "octo/..",
        ] {
            assert_eq!(RepoSlug::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reads_remote_url_forms() {
        assert_eq!(
            slug_from_url("https://github.com/Azure/azure-dev.git"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            slug_from_url("https://github.com/Azure/azure-dev"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            slug_from_url("git@github.com:Azure/azure-dev.git"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            slug_from_url("ssh://git@github.com/Azure/azure-dev.git"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            slug_from_url("https://x-access-token:ghs_x@ghe.corp.example/team/infra/"),
            slug("team", "infra")
        );
        assert_eq!(slug_from_url("/srv/git/bare"), None);
        assert_eq!(slug_from_url("https://github.com/"), None);
    }

    #[test]
    fn finds_origin_among_remotes() {
        let config = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\
            [remote \"upstream\"]\n\turl = https://github.com/Azure/azure-dev.git\n\
            [remote \"origin\"]\n\t# fork\n\turl = git@github.com:me/azure-dev.git\n\
            \tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch \"main\"]\n\tremote = origin\n";
        assert_eq!(
            origin_url(config).as_deref(),
            Some("git@github.com:me/azure-dev.git")
        );
        assert_eq!(origin_url("[core]\n\tbare = true\n"), None);
    }

    #[test]
    fn follows_git_dir_and_worktree_pointer() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let main = dir.path().join("main");
        std::fs::create_dir_all(main.join(".git/worktrees/feature"))?;
        std::fs::write(
            main.join(".git/config"),
            "[remote \"origin\"]\n\turl = https://github.com/contoso/webshop.git\n",
        )?;
        assert_eq!(RepoSlug::from_git_remote(&main), slug("contoso", "webshop"));

        let worktree = dir.path().join("feature");
        std::fs::create_dir_all(&worktree)?;
        let wt_git = main.join(".git/worktrees/feature");
        std::fs::write(
            worktree.join(".git"),
            format!("gitdir: {}\n", wt_git.display()),
        )?;
        std::fs::write(wt_git.join("commondir"), "../..\n")?;
        assert_eq!(
            RepoSlug::from_git_remote(&worktree),
            slug("contoso", "webshop")
        );
        assert_eq!(RepoSlug::from_git_remote(dir.path()), None);
        Ok(())
    }
}
