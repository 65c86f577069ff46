//! Walking a workflow's jobs and steps, and the local files they call.
//!
//! Each step contributes what it runs: a `run:` script (read in its shell's dialect), a remote action with its
//! `with:` inputs, or the `inlineScript` of azure/cli and azure/powershell. `env:` is merged workflow → job →
//! step so `${{ env.X }}` and `$X` resolve to literal values. Local reusable workflows (`jobs.<id>.uses: ./...`)
//! and local composite actions (`uses: ./path`) are read in turn, at most once each per analysed file, so
//! cycles end; their tools and regions count for the calling file.

use super::Findings;
use super::actions::{self, Inputs};
use super::regions;
use super::script::run_script;
use super::shell::Dialect;
use super::yaml::{self, get, get_mapping, get_scalar, scalar_entries, scalar_list};
use crate::iac::source::read_limited;
use crate::model::{Diagnostic, Severity, path_string};
use serde_yaml_ng::{Mapping, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How deep local workflows and actions may call each other.
const MAX_DEPTH: usize = 16;

/// `env:` entries in force: name and literal value, later entries overriding earlier ones by name.
type Env = Vec<(String, String)>;

/// Walks one workflow file and everything local it calls, collecting [`Findings`].
pub struct Walker<'a> {
    /// Where local `./` references are read from; `None`: they are not followed.
    root: Option<&'a Path>,
    canonical_root: Option<PathBuf>,
    visited: HashSet<PathBuf>,
    depth: usize,
    /// Called files larger than this are not read (`--max-file-size`).
    max_file_size: u64,
    /// `docker/metadata-action` steps of the current job: step id and its `images` input, so a build-push
    /// action's `tags: ${{ steps.meta.outputs.tags }}` names the registry it pushes to.
    image_outputs: Vec<(String, String)>,
    /// `defaults.run.working-directory` of the workflow and of the current job.
    default_working_directory: (Option<String>, Option<String>),
    /// The `with:` inputs of the job that calls the reusable workflow being read: `${{ inputs.X }}`.
    call_inputs: Inputs,
    /// What the walk found so far.
    pub findings: Findings,
    /// Problems with called files (a composite action that does not parse).
    pub diags: Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    /// A walker that follows local references under `root` (none when `None`); `start` (the workflow file
    /// itself, when on disk) counts as visited.
    pub fn new(root: Option<&'a Path>, start: Option<&Path>) -> Self {
        let mut visited = HashSet::new();
        if let Some(canonical) = start.and_then(|s| s.canonicalize().ok()) {
            visited.insert(canonical);
        }
        Walker {
            root,
            canonical_root: root.and_then(|r| r.canonicalize().ok()),
            visited,
            depth: 0,
            max_file_size: crate::iac::DEFAULT_MAX_FILE_SIZE,
            image_outputs: Vec::new(),
            default_working_directory: (None, None),
            call_inputs: Inputs::new(),
            findings: Findings::default(),
            diags: Vec::new(),
        }
    }

    /// The same walker with called files over `limit` bytes skipped (`--max-file-size`).
    pub fn with_max_file_size(mut self, limit: u64) -> Self {
        self.max_file_size = limit;
        self
    }

    /// Read a workflow document: its env, then every job.
    pub fn workflow(&mut self, doc: &Mapping) {
        let env = self.env_layer(&Env::new(), get(doc, "env"));
        let shell = default_shell(doc);
        let outer = self.default_working_directory.0.take();
        self.default_working_directory.0 = default_working_directory(doc);
        let Some(jobs) = get_mapping(doc, "jobs") else {
            return;
        };
        for job in jobs
            .values()
            .filter_map(|j| yaml::strip_tag(j).as_mapping())
        {
            self.job(job, &env, shell.as_deref());
        }
        self.default_working_directory.0 = outer;
    }

    fn job(&mut self, job: &Mapping, workflow_env: &Env, workflow_shell: Option<&str>) {
        if let Some(uses) = get_scalar(job, "uses") {
            let inputs = self.inputs(get(job, "with"), &Env::new());
            self.findings.regions.extend(regions::from_inputs(
                inputs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ));
            if let Some(path) = uses.trim().strip_prefix("./") {
                let outer = std::mem::replace(&mut self.call_inputs, inputs);
                self.follow_workflow(path);
                self.call_inputs = outer;
            }
            return;
        }
        let env = self.env_layer(workflow_env, get(job, "env"));
        let shell = default_shell(job).or_else(|| workflow_shell.map(str::to_string));
        self.default_working_directory.1 = default_working_directory(job);
        let windows = scalar_list(get(job, "runs-on"))
            .iter()
            .any(|r| r.to_ascii_lowercase().contains("windows"));
        let dialect = match shell.as_deref() {
            Some(s) => shell_dialect(s),
            None if windows => Some(Dialect::PowerShell),
            None => Some(Dialect::Bash),
        };
        self.steps(get(job, "steps"), &env, dialect);
    }

    fn steps(&mut self, steps: Option<&Value>, env: &Env, default_dialect: Option<Dialect>) {
        let Some(Value::Sequence(steps)) = steps.map(yaml::strip_tag) else {
            return;
        };
        let caller_outputs = std::mem::take(&mut self.image_outputs);
        for step in steps.iter().filter_map(|s| yaml::strip_tag(s).as_mapping()) {
            self.step(step, env, default_dialect);
        }
        self.image_outputs = caller_outputs;
    }

    fn step(&mut self, step: &Mapping, job_env: &Env, default_dialect: Option<Dialect>) {
        let env = self.env_layer(job_env, get(step, "env"));
        let recorded = self.findings.steps.len();
        self.run_step(step, &env, default_dialect);
        let working_directory = get_scalar(step, "working-directory")
            .map(|w| self.resolve(&w, &env))
            .or_else(|| self.default_working_directory.1.clone())
            .or_else(|| self.default_working_directory.0.clone());
        for found in self.findings.steps.iter_mut().skip(recorded) {
            found.working_directory = working_directory.clone();
        }
    }

    fn run_step(&mut self, step: &Mapping, env: &Env, default_dialect: Option<Dialect>) {
        let env = env.clone();
        if let Some(run) = get_scalar(step, "run") {
            let dialect = match get_scalar(step, "shell") {
                Some(s) => shell_dialect(&s),
                None => default_dialect,
            };
            if let Some(dialect) = dialect {
                run_script(&self.resolve(&run, &env), dialect, &env, &mut self.findings);
            }
        }
        let Some(uses) = get_scalar(step, "uses") else {
            return;
        };
        let uses = uses.trim();
        if let Some(path) = uses.strip_prefix("./") {
            self.follow_action(path, &env);
            return;
        }
        if !uses.starts_with("docker://") {
            self.remote_action(step, uses, &env);
        }
    }

    /// A remote action: its inputs (regions, registries), the script it runs for azure/cli and the like, or
    /// the tool it is.
    fn remote_action(&mut self, step: &Mapping, uses: &str, env: &Env) {
        let mut inputs = self.inputs(get(step, "with"), env);
        for (_, value) in &mut inputs {
            *value = substitute(value, |e| self.step_output(e));
        }
        let action = actions::action_name(uses).0;
        if let (Some(id), Some(images)) =
            (get_scalar(step, "id"), actions::input(&inputs, "images"))
            && action == "docker/metadata-action"
        {
            self.image_outputs.push((id, images.to_string()));
        }
        self.findings.regions.extend(regions::from_inputs(
            inputs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
        if matches!(action.as_str(), "azure/arm-deploy" | "azure/bicep-deploy") {
            self.findings.steps.push(super::DeployStep {
                action: Some((action.clone(), inputs.clone())),
                ..Default::default()
            });
        }
        match script_input(&action, &inputs) {
            Some((dialect, name)) => {
                if let Some(script) = actions::input(&inputs, name) {
                    run_script(script, dialect, env, &mut self.findings);
                }
            }
            None => self
                .findings
                .tools
                .extend(actions::action_tool(uses, &inputs)),
        }
    }

    /// `base` overridden by the entries of an `env:` mapping; env regions are recorded on the way.
    fn env_layer(&mut self, base: &Env, layer: Option<&Value>) -> Env {
        // GitHub evaluates expressions in `env:` values: outer `env.X`, and a reusable workflow's `inputs.X`.
        let entries: Vec<(String, String)> = scalar_entries(layer)
            .into_iter()
            .map(|(k, v)| {
                let v = self.resolve(&v, base);
                (k, v)
            })
            .collect();
        self.findings.regions.extend(regions::from_env(
            entries.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
        for (name, value) in entries.iter().filter(|(_, v)| !v.contains("${{")) {
            let values = self.findings.env.entry(name.clone()).or_default();
            values.insert(value.clone());
        }
        let mut env: Env = base
            .iter()
            .filter(|(k, _)| !entries.iter().any(|(n, _)| n == k))
            .cloned()
            .collect();
        env.extend(entries);
        env
    }

    /// `steps.<id>.outputs.tags` of a metadata step: its images (the registry part is what matters).
    fn step_output(&self, expression: &str) -> Option<String> {
        let rest = expression.strip_prefix("steps.")?;
        let (id, output) = rest.split_once('.')?;
        let wanted = matches!(output, "outputs.tags" | "outputs.json");
        self.image_outputs
            .iter()
            .rev()
            .find(|(i, _)| wanted && i == id)
            .map(|(_, images)| images.clone())
    }

    fn inputs(&self, with: Option<&Value>, env: &Env) -> Inputs {
        scalar_entries(with)
            .into_iter()
            .map(|(k, v)| (k, self.resolve(&v, env)))
            .collect()
    }

    /// `${{ env.X }}` from `env`, and `${{ inputs.X }}` from the calling job's `with:` inside a reusable
    /// workflow, replaced by their literal values.
    fn resolve(&self, text: &str, env: &Env) -> String {
        substitute(text, |expression| {
            if let Some(name) = expression.strip_prefix("env.") {
                return env
                    .iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone());
            }
            let name = expression.strip_prefix("inputs.")?;
            actions::input(&self.call_inputs, name).map(str::to_string)
        })
    }

    /// The local file a `./path` reference names, if it stays inside the repository and was not read yet.
    fn unvisited(&mut self, relative: &str) -> Option<PathBuf> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let path = self.root?.join(relative.trim_end_matches('/'));
        let canonical = path.canonicalize().ok()?;
        if self
            .canonical_root
            .as_ref()
            .is_some_and(|root| !canonical.starts_with(root))
        {
            return None;
        }
        self.visited.insert(canonical).then_some(path)
    }

    fn follow_workflow(&mut self, relative: &str) {
        let relative = relative.split('@').next().unwrap_or(relative);
        let Some(path) = self.unvisited(relative) else {
            return;
        };
        // A reusable workflow in `.github/workflows/` that does not parse gets its own diagnostic as an entry.
        let Some(doc) = self.load(&path, false) else {
            return;
        };
        self.depth += 1;
        self.workflow(&doc);
        self.depth -= 1;
    }

    fn follow_action(&mut self, relative: &str, env: &Env) {
        let Some(dir) = self.unvisited(relative) else {
            return;
        };
        let Some(file) = ["action.yml", "action.yaml"]
            .iter()
            .map(|f| dir.join(f))
            .find(|f| f.is_file())
        else {
            return;
        };
        let Some(doc) = self.load(&file, true) else {
            return;
        };
        let Some(runs) = get_mapping(&doc, "runs") else {
            return;
        };
        let composite =
            get_scalar(runs, "using").is_some_and(|u| u.eq_ignore_ascii_case("composite"));
        if composite {
            self.depth += 1;
            self.steps(get(runs, "steps"), env, Some(Dialect::Bash));
            self.depth -= 1;
        }
    }

    fn load(&mut self, path: &Path, report: bool) -> Option<Mapping> {
        let rel = path_string(
            self.root
                .and_then(|r| path.strip_prefix(r).ok())
                .unwrap_or(path),
        );
        let mut read_diags = Vec::new();
        let loaded = read_limited(path, &rel, self.max_file_size, &mut read_diags)
            .and_then(|text| yaml::load_mapping(&rel, &text));
        match loaded {
            Ok(doc) => Some(doc),
            Err(mut diag) => {
                if report {
                    diag.severity = Severity::Warning;
                    diag.message = format!("called action not read: {}", diag.message);
                    self.diags.push(diag);
                }
                None
            }
        }
    }
}

/// Actions that run a script given as an input (its dialect and the input's name): what the script runs
/// counts, the action itself is no tool.
fn script_input(action: &str, inputs: &Inputs) -> Option<(Dialect, &'static str)> {
    match action {
        "azure/cli" => Some((Dialect::Bash, "inlineScript")),
        "azure/powershell" => Some((Dialect::PowerShell, "inlineScript")),
        "nick-fields/retry" => {
            let shell = actions::input(inputs, "shell").and_then(shell_dialect);
            Some((shell.unwrap_or(Dialect::Bash), "command"))
        }
        _ => None,
    }
}

/// `defaults.run.working-directory` of a workflow or job.
fn default_working_directory(map: &Mapping) -> Option<String> {
    get_mapping(map, "defaults")
        .and_then(|d| get_mapping(d, "run"))
        .and_then(|r| get_scalar(r, "working-directory"))
}

/// `defaults.run.shell` of a workflow or job.
fn default_shell(map: &Mapping) -> Option<String> {
    get_mapping(map, "defaults")
        .and_then(|d| get_mapping(d, "run"))
        .and_then(|r| get_scalar(r, "shell"))
}

/// The dialect a `shell:` value runs; `None` for shells whose scripts are not shell commands (`python`).
fn shell_dialect(shell: &str) -> Option<Dialect> {
    let program = shell
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match program.rsplit(['/', '\\']).next().unwrap_or_default() {
        "pwsh" | "powershell" | "pwsh.exe" | "powershell.exe" => Some(Dialect::PowerShell),
        "python" | "python3" | "node" => None,
        _ => Some(Dialect::Bash),
    }
}

/// Replace `${{ env.NAME }}` by the literal value in `env`, as GitHub does before the step runs; other
/// expressions stay as written.
pub fn substitute_env(text: &str, env: &Env) -> String {
    substitute(text, |expression| {
        let name = expression.strip_prefix("env.")?;
        env.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

/// Replace each `${{ expression }}` for which `resolve` (given the trimmed expression) knows a value.
fn substitute(text: &str, resolve: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 3..).unwrap_or_default();
        let Some(end) = after.find("}}") else {
            out.push_str(rest.get(start..).unwrap_or_default());
            return out;
        };
        match resolve(after.get(..end).unwrap_or_default().trim()) {
            Some(value) => out.push_str(&value),
            None => out.push_str(rest.get(start..start + 3 + end + 2).unwrap_or_default()),
        }
        rest = after.get(end + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn env_expressions_are_replaced_by_literal_values() {
        let e = env(&[("REGISTRY", "contoso.azurecr.io")]);
        assert_eq!(
            substitute_env("docker push ${{ env.REGISTRY }}/web:${{ github.sha }}", &e),
            "docker push contoso.azurecr.io/web:${{ github.sha }}"
        );
        assert_eq!(
            substitute_env("${{env.REGISTRY}}", &e),
            "contoso.azurecr.io"
        );
        assert_eq!(
            substitute_env("${{ env.MISSING }} and ${{ unclosed", &e),
            "${{ env.MISSING }} and ${{ unclosed"
        );
    }

    #[test]
    fn shells_map_to_dialects() {
        assert_eq!(shell_dialect("pwsh"), Some(Dialect::PowerShell));
        assert_eq!(
            shell_dialect("powershell -command \". '{0}'\""),
            Some(Dialect::PowerShell)
        );
        assert_eq!(shell_dialect("bash -el {0}"), Some(Dialect::Bash));
        assert_eq!(shell_dialect("python"), None);
    }
}
