//! What the scanners need to know about deployments before they scan: the parameter values each named root
//! is deployed with, and the environment values azd placeholders take. The inventory stage builds the plan
//! (from the config, `azure.yaml` and the deploy workflows, see [`crate::deploy`]); the scanners only read it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One set of parameter values a root is deployed with (one workflow step, one azd environment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSet {
    /// Parameter files, in the order they apply: ARM parameter JSON or `.bicepparam` for a template,
    /// variable files (`-var-file`) for a Terraform directory.
    pub files: Vec<PathBuf>,
    /// Values given inline (`--parameters name=value`, `-var name=value`), applied after the files.
    pub values: Vec<(String, String)>,
    /// Whether the conventional files beside the root apply too: `<stem>.bicepparam` or
    /// `<stem>.parameters.json` for a template (azd's convention), `main.tfvars.json` for a Terraform
    /// directory. `terraform.tfvars` and `*.auto.tfvars` always apply, as Terraform loads them itself.
    pub conventional: bool,
}

impl Default for ParamSet {
    /// The conventional files beside the root, nothing else.
    fn default() -> Self {
        ParamSet {
            files: Vec::new(),
            values: Vec::new(),
            conventional: true,
        }
    }
}

/// The plan the scanners follow.
#[derive(Debug, Clone, Default)]
pub struct DeployPlan {
    /// Known environment values for `${VAR}` placeholders and `readEnvironmentVariable`.
    pub env: BTreeMap<String, String>,
    /// Parameter sets of the roots that are deployed with something else than the conventional files, keyed
    /// by [`key`].
    param_sets: HashMap<PathBuf, Vec<ParamSet>>,
    /// Scan units (Bicep templates, Terraform directories) that are tests or samples no root names, by [`key`].
    aside: HashSet<PathBuf>,
    /// The other units of the scan, by [`key`]: each is scanned as a unit of its own.
    ordinary: HashSet<PathBuf>,
}

impl DeployPlan {
    /// A plan with these environment values and no special parameter sets.
    pub fn with_env(env: BTreeMap<String, String>) -> Self {
        DeployPlan {
            env,
            ..DeployPlan::default()
        }
    }

    /// Record a unit of the scan (a Bicep template, a Terraform directory): `aside` when it is a test or sample
    /// that no root names (the fallback never makes it a root), else ordinary.
    pub fn add_unit(&mut self, unit: &Path, aside: bool) {
        let set = if aside {
            &mut self.aside
        } else {
            &mut self.ordinary
        };
        set.insert(key(unit));
    }

    /// Whether `unit` is a test or sample that no root names.
    pub fn is_aside(&self, unit: &Path) -> bool {
        !self.aside.is_empty() && self.aside.contains(&key(unit))
    }

    /// Whether `module` is an ordinary unit of the scan: scanned as a unit of its own, and from every
    /// root that reaches it, so a test or sample that calls it need not follow it (see docs/deployed.md).
    pub fn scanned_on_its_own(&self, module: &Path) -> bool {
        !self.ordinary.is_empty() && self.ordinary.contains(&key(module))
    }

    /// Record that `root` (a template file or a Terraform directory) is deployed with `params`. A root
    /// deployed several ways is scanned once per distinct set.
    pub fn add(&mut self, root: &Path, params: ParamSet) {
        let sets = self.param_sets.entry(key(root)).or_default();
        if !sets.contains(&params) {
            sets.push(params);
        }
    }

    /// The parameter sets `unit` is scanned with: those recorded for it, else the conventional files alone.
    pub fn param_sets(&self, unit: &Path) -> Vec<ParamSet> {
        if self.param_sets.is_empty() {
            return vec![ParamSet::default()];
        }
        match self.param_sets.get(&key(unit)) {
            Some(sets) if !sets.is_empty() => sets.clone(),
            _ => vec![ParamSet::default()],
        }
    }
}

/// The identity a path is compared under: canonical when it exists, else as given.
pub fn key(path: &Path) -> PathBuf {
    crate::paths::canonical(path).unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_without_a_recorded_set_use_the_conventional_files() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.bicep");
        std::fs::write(&main, "").unwrap();
        let mut plan = DeployPlan::default();
        assert_eq!(plan.param_sets(&main), vec![ParamSet::default()]);
        let prod = ParamSet {
            files: vec![dir.path().join("prod.parameters.json")],
            values: vec![("sku".into(), "P1v3".into())],
            conventional: false,
        };
        plan.add(&dir.path().join(".").join("main.bicep"), prod.clone());
        plan.add(&main, prod.clone());
        assert_eq!(plan.param_sets(&main), vec![prod]);
        assert_eq!(
            plan.param_sets(&dir.path().join("other.bicep")),
            vec![ParamSet::default()]
        );
    }
}
