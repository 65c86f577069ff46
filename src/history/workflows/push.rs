//! The `on.push` trigger of a workflow and which pushes it admits, as GitHub decides.
//!
//! - No `branches`/`branches-ignore` and no `tags`/`tags-ignore`: the contract reads this as the default branch
//!   (a push to a feature branch that is never merged deploys nothing the report should count).
//! - Only branch filters: branches alone, never tags. Only tag filters: tags alone. `branches` wins over
//!   `branches-ignore` when a file has both (GitHub rejects such a file).
//! - `paths`/`paths-ignore` apply to branch pushes only (GitHub does not evaluate them for tags): with `paths`
//!   the push counts when at least one changed file is selected; with `paths-ignore` when at least one changed
//!   file is not ignored.

use super::pattern::FilterList;
use super::yaml;
use serde_yaml_ng::{Mapping, Value};

/// A workflow's `on.push` filters, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushTrigger {
    branches: Option<FilterList>,
    branches_ignore: Option<FilterList>,
    tags: Option<FilterList>,
    tags_ignore: Option<FilterList>,
    paths: Option<FilterList>,
    paths_ignore: Option<FilterList>,
}

impl PushTrigger {
    /// The `push` trigger of a workflow document; `None` when `push` is not among its events.
    pub fn of(doc: &Mapping) -> Option<PushTrigger> {
        let on = yaml::get(doc, "on")?;
        let filters = match on {
            Value::Mapping(events) => match events.get("push").map(yaml::strip_tag) {
                Some(Value::Mapping(push)) => Some(push),
                Some(_) => None,
                None => return None,
            },
            other => {
                if !yaml::scalar_list(Some(other)).iter().any(|e| e == "push") {
                    return None;
                }
                None
            }
        };
        let list = |key: &str| -> Option<FilterList> {
            let push = filters?;
            let value = yaml::get(push, key)?;
            Some(FilterList::new(&yaml::scalar_list(Some(value))))
        };
        Some(PushTrigger {
            branches: list("branches"),
            branches_ignore: list("branches-ignore"),
            tags: list("tags"),
            tags_ignore: list("tags-ignore"),
            paths: list("paths"),
            paths_ignore: list("paths-ignore"),
        })
    }

    fn has_branch_filter(&self) -> bool {
        self.branches.is_some() || self.branches_ignore.is_some()
    }

    fn has_tag_filter(&self) -> bool {
        self.tags.is_some() || self.tags_ignore.is_some()
    }

    /// Whether a push to branch `name` runs the workflow (before its path filters); `default_branch` is the
    /// repository's default branch, which a trigger without any filter means.
    pub fn admits_branch(&self, name: &str, default_branch: Option<&str>) -> bool {
        if !self.has_branch_filter() {
            return !self.has_tag_filter() && default_branch == Some(name);
        }
        match (&self.branches, &self.branches_ignore) {
            (Some(branches), _) => branches.selects(name),
            (None, Some(ignore)) => !ignore.selects(name),
            (None, None) => false,
        }
    }

    /// Whether pushing tag `name` runs the workflow.
    pub fn admits_tag(&self, name: &str) -> bool {
        match (&self.tags, &self.tags_ignore) {
            (Some(tags), _) => tags.selects(name),
            (None, Some(ignore)) => !ignore.selects(name),
            (None, None) => false,
        }
    }

    /// Whether the trigger filters by path at all (then the changed files of each push are needed).
    pub fn filters_paths(&self) -> bool {
        self.paths.is_some() || self.paths_ignore.is_some()
    }

    /// Whether a branch push that changed `changed` (repository-relative paths) passes the path filters.
    pub fn admits_paths(&self, changed: &[String]) -> bool {
        match (&self.paths, &self.paths_ignore) {
            (Some(paths), _) => changed.iter().any(|p| paths.selects(p)),
            (None, Some(ignore)) => changed.iter().any(|p| !ignore.selects(p)),
            (None, None) => true,
        }
    }

    /// The branch filter as a person reads it (`main`, `release/**`, `all branches but gh-pages`); `None`
    /// when the trigger fires on tags alone.
    pub fn describe_branches(&self, default_branch: Option<&str>) -> Option<String> {
        if !self.has_branch_filter() {
            return (!self.has_tag_filter()).then(|| default_branch.unwrap_or("main").to_string());
        }
        Some(match (&self.branches, &self.branches_ignore) {
            (Some(b), _) => b.describe(),
            (None, Some(i)) => format!("branches other than {}", i.describe()),
            (None, None) => String::new(),
        })
    }

    /// The tag filter as a person reads it; `None` when the trigger does not fire on tags.
    pub fn describe_tags(&self) -> Option<String> {
        match (&self.tags, &self.tags_ignore) {
            (Some(t), _) => Some(t.describe()),
            (None, Some(i)) => Some(format!("tags other than {}", i.describe())),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(text: &str) -> Option<PushTrigger> {
        PushTrigger::of(&yaml::load_mapping("w.yml", text).unwrap())
    }

    #[test]
    fn push_in_every_form_and_its_absence() {
        assert!(trigger("on: push\n").is_some());
        assert!(trigger("on: [pull_request, push]\n").is_some());
        assert!(trigger("on:\n  push:\n  workflow_dispatch:\n").is_some());
        assert!(trigger("on: [workflow_dispatch, schedule]\n").is_none());
        assert!(trigger("on:\n  pull_request:\n    branches: [main]\n").is_none());
        assert!(trigger("name: x\n").is_none());
    }

    #[test]
    fn no_filter_means_the_default_branch_only() {
        let t = trigger("on: push\n").unwrap();
        assert!(t.admits_branch("main", Some("main")));
        assert!(!t.admits_branch("feature/x", Some("main")));
        assert!(!t.admits_tag("v1.0.0"));
        assert!(!t.admits_branch("main", None));
    }

    #[test]
    fn branch_and_tag_filters_exclude_each_other_as_on_github() {
        let branches = trigger("on:\n  push:\n    branches: [main, 'release/**']\n").unwrap();
        assert!(branches.admits_branch("release/1.2", Some("main")));
        assert!(!branches.admits_branch("dev", Some("main")));
        assert!(!branches.admits_tag("v1"));
        let tags = trigger("on:\n  push:\n    tags: ['v*']\n").unwrap();
        assert!(tags.admits_tag("v1.0.0") && !tags.admits_tag("release-1"));
        assert!(!tags.admits_branch("main", Some("main")));
        let both = trigger("on:\n  push:\n    branches: [main]\n    tags: ['v*']\n").unwrap();
        assert!(both.admits_branch("main", Some("main")) && both.admits_tag("v2"));
        let ignore =
            trigger("on:\n  push:\n    branches-ignore: ['dependabot/**', gh-pages]\n").unwrap();
        assert!(ignore.admits_branch("feature/x", Some("main")));
        assert!(!ignore.admits_branch("gh-pages", Some("main")));
        assert!(!ignore.admits_tag("v1"));
        let tags_ignore = trigger("on:\n  push:\n    tags-ignore: ['*-rc*']\n").unwrap();
        assert!(tags_ignore.admits_tag("v1") && !tags_ignore.admits_tag("v1-rc1"));
        assert!(!tags_ignore.admits_branch("main", Some("main")));
    }

    #[test]
    fn path_filters() {
        let paths = trigger(
            "on:\n  push:\n    branches: [main]\n    paths: ['infra/**', '!infra/docs/**']\n",
        )
        .unwrap();
        assert!(paths.filters_paths());
        assert!(paths.admits_paths(&["README.md".into(), "infra/main.bicep".into()]));
        assert!(!paths.admits_paths(&["README.md".into(), "infra/docs/x.md".into()]));
        assert!(!paths.admits_paths(&[]));
        let ignore =
            trigger("on:\n  push:\n    branches: [main]\n    paths-ignore: ['**.md', 'docs/**']\n")
                .unwrap();
        assert!(!ignore.admits_paths(&["README.md".into(), "docs/a.png".into()]));
        assert!(ignore.admits_paths(&["README.md".into(), "src/app.py".into()]));
        let none = trigger("on: push\n").unwrap();
        assert!(!none.filters_paths() && none.admits_paths(&[]));
    }

    #[test]
    fn descriptions() {
        let t = trigger("on:\n  push:\n    branches: [main, 'release/**']\n    tags: ['v*']\n")
            .unwrap();
        assert_eq!(
            t.describe_branches(Some("main")).as_deref(),
            Some("main, release/**")
        );
        assert_eq!(t.describe_tags().as_deref(), Some("v*"));
        let d = trigger("on: push\n").unwrap();
        assert_eq!(
            d.describe_branches(Some("master")).as_deref(),
            Some("master")
        );
        assert_eq!(d.describe_tags(), None);
    }
}
