//! The resource groups Terraform root modules create, for `data "azurerm_resource_group"` lookups.

use super::cache::{ModuleDir, Modules};
use super::parse::ParsedFile;
use super::{eval, vars};
use crate::iac::ParamSet;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Which resource groups the root modules create, by name and region, so that `data "azurerm_resource_group"`
/// lookups anywhere resolve whatever the order of directories: a first, quiet pass over the roots (the first
/// root in order to create a group gives its region). Only a module with such a lookup needs it, so the pass
/// runs only when one is met.
pub(super) struct ResourceGroups<'a> {
    modules: &'a Modules<'a>,
    roots: &'a [PathBuf],
    learned: OnceLock<Arc<HashMap<String, String>>>,
    none: Arc<HashMap<String, String>>,
}

impl<'a> ResourceGroups<'a> {
    /// Learned now, in parallel, when a root looks a group up; otherwise when a module reached later does.
    pub(super) fn new(modules: &'a Modules<'a>, roots: &'a [PathBuf]) -> Self {
        let groups = ResourceGroups {
            modules,
            roots,
            learned: OnceLock::new(),
            none: Arc::default(),
        };
        if roots
            .par_iter()
            .any(|dir| modules.get(dir).looks_up_groups())
        {
            let per_root: Vec<_> = roots.par_iter().map(|d| groups.created_in(d)).collect();
            let _ = groups.learned.set(Self::first_wins(per_root));
        }
        groups
    }

    /// What `module`'s scope needs: the groups when it looks one up (learned on this thread if nobody has yet:
    /// a rayon task inside `get_or_init` could wait for itself), else nothing.
    pub(super) fn for_module(&self, module: &ModuleDir) -> Arc<HashMap<String, String>> {
        if !module.looks_up_groups() {
            return self.none.clone();
        }
        let learn = || Self::first_wins(self.roots.iter().map(|d| self.created_in(d)).collect());
        self.learned.get_or_init(learn).clone()
    }

    /// The groups root `dir` creates, evaluated with its defaults and variable files.
    fn created_in(&self, dir: &Path) -> Vec<(String, String)> {
        let module = self.modules.get(dir);
        let files: Vec<&ParsedFile> = module.files.iter().collect();
        // Variable-file problems are reported by the main pass.
        let set = ParamSet::default();
        let opts = self.modules.opts();
        let root = vars::root_values(
            dir,
            &module.var_files,
            module.declared(),
            &set,
            opts,
            &mut Vec::new(),
        );
        let mut scope = eval::Scope {
            vars: root.values,
            ..Default::default()
        };
        eval::settle(&mut scope, &files);
        eval::created_groups(&scope)
    }

    fn first_wins(per_root: Vec<Vec<(String, String)>>) -> Arc<HashMap<String, String>> {
        let mut groups = HashMap::new();
        for (name, region) in per_root.into_iter().flatten() {
            groups.entry(name).or_insert(region);
        }
        Arc::new(groups)
    }
}
