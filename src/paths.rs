//! Path spelling: one lexical normaliser, absolute and relative forms, and the `under` test for
//! `/`-separated repository paths. A leaf module: it imports nothing from azengage, so every layer may use it.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` removed and `..` resolved lexically (symbolic links are not followed), so a file reached
/// by two spellings prints one path: `infra/core/../app.bicep` → `infra/app.bicep`. A leading `./` is kept,
/// so paths keep the prefix of the directory the user gave; `..` above a root is dropped, `..` above a
/// relative start is kept. The empty path is `.`.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    if path.components().next() == Some(Component::CurDir) {
        out.push(".");
    }
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::CurDir) => out = PathBuf::from(".."),
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// `path` made absolute against the working directory (without resolving symbolic links) and
/// [`lexical`]ly normalised, for comparing spellings.
pub fn absolute(path: &Path) -> PathBuf {
    // Most paths met after a scan are already absolute and clean: taken as they are, without splitting them
    // into components and joining them again (thousands of paths, several times each).
    if is_clean_absolute(path) {
        return path.to_path_buf();
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    lexical(&abs)
}

/// A Unix absolute path that [`absolute`] leaves as it is: no `.` or `..` component, no repeated or
/// trailing separator.
fn is_clean_absolute(path: &Path) -> bool {
    let Some(s) = path.to_str() else {
        return false;
    };
    cfg!(unix)
        && s.len() > 1
        && s.starts_with('/')
        && !s.ends_with('/')
        && s.split('/').skip(1).all(|c| !matches!(c, "" | "." | ".."))
}

/// A stable identity for a file or directory (symbolic links and spellings resolved) for cycle checks and
/// caches; the [`lexical`] form when it does not exist.
pub fn identity(path: &Path) -> PathBuf {
    canonical(path).unwrap_or_else(|| lexical(path))
}

/// What [`std::fs::canonicalize`] gives (`None` where it fails: a missing component, a file used as a
/// directory), at the cost of one `lstat` per path component never seen before in this process instead of a
/// `readlink` per component per call: resolved components are remembered (see [`RESOLVED`]).
pub fn canonical(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut components = absolute.components().peekable();
    let mut real = PathBuf::new();
    while let Some(component) = components.next() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component.as_os_str()),
            Component::CurDir => {}
            // `real` has no symbolic link in it, so its parent is what `..` names.
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => {
                let (resolved, is_dir) = resolve(real.join(name))?;
                let more = components
                    .peek()
                    .is_some_and(|c| !matches!(c, Component::CurDir));
                if more && !is_dir {
                    return None;
                }
                real = resolved;
            }
        }
    }
    Some(real)
}

/// Components already resolved: a path whose parent is canonical → its canonical form and whether it is a
/// directory. Inputs do not change while azengage reads them, so what was resolved once stays true.
static RESOLVED: std::sync::LazyLock<
    std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, (PathBuf, bool)>>,
> = std::sync::LazyLock::new(Default::default);

/// `path` (whose parent is canonical) resolved: itself unless it is a symbolic link, with whether it is a
/// directory; `None` when it does not exist.
fn resolve(path: PathBuf) -> Option<(PathBuf, bool)> {
    let remembered = |path: &Path| {
        RESOLVED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(path)
            .cloned()
    };
    if let Some(known) = remembered(&path) {
        return Some(known);
    }
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let resolved = if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(&path).ok()?;
        let is_dir = std::fs::metadata(&target).ok()?.is_dir();
        (target, is_dir)
    } else {
        (path.clone(), meta.is_dir())
    };
    RESOLVED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(path, resolved.clone());
    Some(resolved)
}

/// `file` relative to `base` (`base` absolute and normalised; `file` made so), `/`-separated, with `..` where
/// it lies outside; the empty string stays empty.
pub fn relative(base: &Path, file: &str) -> String {
    if file.is_empty() {
        return String::new();
    }
    let file = absolute(Path::new(file));
    let (b, f): (Vec<_>, Vec<_>) = (base.components().collect(), file.components().collect());
    let common = b.iter().zip(&f).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path_string(&file);
    }
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in f.iter().skip(common) {
        rel.push(c);
    }
    if rel.as_os_str().is_empty() {
        return file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    path_string(&rel)
}

/// A filesystem path as the `/`-separated string used in outputs.
pub fn path_string(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Whether the `/`-separated repository path `path` is `prefix` or lies below it (`prefix` may carry
/// leading or trailing slashes; the empty prefix is the whole repository).
pub fn under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_matches('/');
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_absolute_paths_are_taken_as_they_are_and_others_normalised() {
        let slow = |p: &str| lexical(&std::path::absolute(p).expect("absolute"));
        for p in [
            "/a/b/c.bicep",
            "/",
            "/a",
            "/a/",
            "/a//b",
            "/a/./b",
            "/a/../b",
            "/a/b/..",
            "/a/b/.",
            "//a/b",
            "/a/.b/..c/c..",
            "/a/b c/d",
            "rel/x.tf",
            "./rel/../x.tf",
        ] {
            assert_eq!(absolute(Path::new(p)), slow(p), "{p}");
        }
        assert!(is_clean_absolute(Path::new("/a/.b/..c/c..")));
        assert!(!is_clean_absolute(Path::new("/a/./b")));
        assert!(!is_clean_absolute(Path::new("a/b")));
    }

    #[test]
    fn lexical_resolves_dots_and_keeps_the_leading_dot() {
        let cases = [
            ("./infra/core/../app/x.bicep", "./infra/app/x.bicep"),
            ("a/./b/../../../c", "../c"),
            ("infra/modules/../modules/app", "infra/modules/app"),
            ("./infra/../x", "./x"),
            ("./../x", "../x"),
            ("/a/../../b", "/b"),
            ("", "."),
        ];
        for (given, want) in cases {
            assert_eq!(lexical(Path::new(given)), PathBuf::from(want), "{given}");
        }
    }

    #[test]
    fn canonical_is_what_canonicalize_gives() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("real/sub")).unwrap();
        std::fs::write(root.join("real/sub/main.bicep"), "").unwrap();
        std::fs::write(root.join("real/file.bicep"), "").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("real/sub"), root.join("linked")).unwrap();
            std::os::unix::fs::symlink("real/sub/main.bicep", root.join("link.bicep")).unwrap();
            std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling")).unwrap();
        }
        let cases = [
            "real/sub/main.bicep",
            "real/./sub/../sub/main.bicep",
            "real/sub/..",
            "real/file.bicep",
            "real/file.bicep/../sub",
            "real/missing.bicep",
            "real/missing/../file.bicep",
            "linked/main.bicep",
            "linked/../file.bicep",
            "link.bicep",
            "dangling",
            "dangling/x",
        ];
        for case in cases {
            let path = dir.path().join(case);
            for _ in 0..2 {
                assert_eq!(
                    canonical(&path),
                    std::fs::canonicalize(&path).ok(),
                    "{case}"
                );
            }
        }
        assert_eq!(
            identity(Path::new("no/such/./x.bicep")),
            PathBuf::from("no/such/x.bicep")
        );
    }

    #[test]
    fn relative_paths() {
        let base = Path::new("/repo/infra");
        assert_eq!(relative(base, "/repo/infra/main.tf"), "main.tf");
        assert_eq!(
            relative(base, "/repo/infra/./modules/../modules/a/x.tf"),
            "modules/a/x.tf"
        );
        assert_eq!(relative(base, "/repo/shared/m.tf"), "../shared/m.tf");
        assert_eq!(relative(base, "/repo/infra"), "infra");
        assert_eq!(relative(base, ""), "");
    }

    #[test]
    fn under_a_prefix() {
        assert!(under("infra/main.bicep", "infra"));
        assert!(under("infra/main.bicep", "/infra/"));
        assert!(under("infra/main.bicep", ""));
        assert!(under("infra", "infra"));
        assert!(!under("infra2/main.bicep", "infra"));
        assert!(!under("app/main.bicep", "infra"));
    }
}
