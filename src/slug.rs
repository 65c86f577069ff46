//! `owner/name` of a GitHub repository: from `GITHUB_REPOSITORY`, `--repo`, or a remote URL (the `origin`
//! remote is read by `pipeline::remote`, through gix).

use std::fmt;

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

    /// `owner/name` from the last two path segments of a remote URL: `https://[user[:secret]@]host[:port]/owner/name(.git)`,
    /// `ssh://git@host/owner/name.git` or scp-like `git@host:owner/name.git`. `None` when it does not end so.
    pub fn from_remote_url(url: &str) -> Option<RepoSlug> {
        let path = if let Some((_, rest)) = url.split_once("://") {
            // Drop everything up to the first `/` after the scheme: the host and any credentials.
            rest.split_once('/')?.1
        } else {
            url.split_once(':')?.1
        };
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let mut segments = path.rsplit('/');
        let name = segments.next()?;
        let owner = segments.next()?;
        RepoSlug::parse(&format!("{owner}/{name}"))
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
            RepoSlug::from_remote_url("https://github.com/Azure/azure-dev.git"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            RepoSlug::from_remote_url("https://github.com/Azure/azure-dev"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            RepoSlug::from_remote_url("git@github.com:Azure/azure-dev.git"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            RepoSlug::from_remote_url("ssh://git@github.com/Azure/azure-dev.git"),
            slug("Azure", "azure-dev")
        );
        assert_eq!(
            RepoSlug::from_remote_url("https://x-access-token:ghs_x@ghe.corp.example/team/infra/"),
            slug("team", "infra")
        );
        assert_eq!(RepoSlug::from_remote_url("/srv/git/bare"), None);
        assert_eq!(RepoSlug::from_remote_url("https://github.com/"), None);
    }
}
