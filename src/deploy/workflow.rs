//! Roots and environment values from the deploy workflows: the templates their steps deploy, with the
//! parameters the steps pass, and the literal `env:` values they set.
//!
//! Which steps deploy is [`crate::history::workflows`]' answer (the same files and steps as
//! `activity.workflows`); this module reads the template arguments of those steps:
//! `az deployment group|sub|mg|tenant create` and `az stack ... create` (`--template-file`/`-f`,
//! `--parameters`/`-p`), `New-Az*Deployment` (`-TemplateFile`, `-TemplateParameterFile`), azure/arm-deploy
//! (`template`, `parameters`), azure/bicep-deploy (`template-file`, `parameters-file`), and
//! `terraform plan|apply` (`-chdir`, the step's `working-directory`, `-var-file`, `-var`). Paths are relative
//! to the step's working directory under the repository (`${{ github.workspace }}` and `$GITHUB_WORKSPACE`
//! are the repository). A path still built from an expression or a shell variable cannot be resolved: it is
//! an `info` diagnostic, not a root.

use super::{FoundBy, Named};
use crate::history::workflows::{DeployStep, Findings};
use crate::iac::ParamSet;
use crate::model::{Diagnostic, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the deploy workflows say.
#[derive(Debug, Default)]
pub struct FromWorkflows {
    /// Templates and Terraform directories their steps deploy.
    pub roots: Vec<Named>,
    /// Literal `env:` values, by name, with the workflow file that sets them; a variable set to different
    /// values is left out (which one a deployment uses is not known).
    pub env: BTreeMap<String, (String, String)>,
    /// Paths that could not be resolved.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read the deploy workflows' findings (`(file, text, findings)`, files relative to `root`).
pub fn read(root: &Path, workflows: &[(String, String, Findings)]) -> FromWorkflows {
    let mut out = FromWorkflows::default();
    let mut conflicting: BTreeSet<String> = BTreeSet::new();
    for (file, text, findings) in workflows {
        for (name, values) in &findings.env {
            let mut values = values.iter();
            let (Some(value), None) = (values.next(), values.next()) else {
                conflicting.insert(name.clone());
                continue;
            };
            match out.env.get(name) {
                Some((known, _)) if known != value => {
                    conflicting.insert(name.clone());
                }
                Some(_) => {}
                None => {
                    out.env.insert(name.clone(), (value.clone(), file.clone()));
                }
            }
        }
        let workflow = Workflow { root, file, text };
        for step in &findings.steps {
            workflow.step(step, &mut out);
        }
    }
    for name in conflicting {
        out.env.remove(&name);
    }
    out
}

/// One workflow file being read.
struct Workflow<'a> {
    root: &'a Path,
    file: &'a str,
    text: &'a str,
}

impl Workflow<'_> {
    fn step(&self, step: &DeployStep, out: &mut FromWorkflows) {
        let base = match step.working_directory.as_deref() {
            Some(dir) => match self.resolve(dir, self.root, out) {
                Some(dir) => dir,
                None => return,
            },
            None => self.root.to_path_buf(),
        };
        if let Some((action, inputs)) = &step.action {
            return self.action(action, inputs, &base, out);
        }
        let Some(program) = step.words.first().map(|w| program(w)) else {
            return;
        };
        let args = &step.words[1..];
        match program.as_str() {
            "az" => self.az(args, &base, out),
            "terraform" => self.terraform(args, &base, out),
            p if p.starts_with("new-az") && p.ends_with("deployment") => {
                self.powershell(args, &base, out)
            }
            _ => {}
        }
    }

    /// `az deployment ... create` and `az stack ... create` with a local template.
    fn az(&self, args: &[String], base: &Path, out: &mut FromWorkflows) {
        let words: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .take_while(|a| !a.starts_with('-'))
            .collect();
        let creates = matches!(
            words.as_slice(),
            ["deployment", "group" | "sub" | "mg" | "tenant", "create"]
                | ["deployment", "create"]
                | ["group", "deployment", "create"]
                | ["stack", _, "create"]
        );
        if !creates || has_flag(args, &["--what-if", "--validate-only"]) {
            return;
        }
        let mut params = ParamSet {
            conventional: false,
            ..ParamSet::default()
        };
        for value in flag_values(args, &["--parameters", "-p"]) {
            self.parameter(value, base, &mut params, out);
        }
        match flag_value(args, &["--template-file", "-f"]) {
            Some(template) => self.root(template, base, params, out),
            None => self.root_of_bicepparam(params, out),
        }
    }

    /// `New-AzResourceGroupDeployment -TemplateFile x -TemplateParameterFile y` and the like.
    fn powershell(&self, args: &[String], base: &Path, out: &mut FromWorkflows) {
        let Some(template) = ps_value(args, "-templatefile") else {
            return;
        };
        if ps_value(args, "-whatif").is_some()
            || args.iter().any(|a| a.eq_ignore_ascii_case("-whatif"))
        {
            return;
        }
        let mut params = ParamSet {
            conventional: false,
            ..ParamSet::default()
        };
        if let Some(file) = ps_value(args, "-templateparameterfile") {
            self.parameter(file, base, &mut params, out);
        }
        self.root(template, base, params, out);
    }

    /// `terraform [-chdir=DIR] plan|apply [-var-file=F] [-var k=v]`.
    fn terraform(&self, args: &[String], base: &Path, out: &mut FromWorkflows) {
        let mut dir = base.to_path_buf();
        let mut rest = args;
        while let Some(first) = rest.first().filter(|a| a.starts_with('-')) {
            if let Some(chdir) = first.strip_prefix("-chdir=") {
                match self.resolve(chdir, base, out) {
                    Some(d) => dir = d,
                    None => return,
                }
            }
            rest = &rest[1..];
        }
        let Some(command) = rest.first() else { return };
        if !matches!(command.as_str(), "plan" | "apply") || has_flag(rest, &["-destroy"]) {
            return;
        }
        let mut params = ParamSet {
            conventional: false,
            ..ParamSet::default()
        };
        let mut i = 1;
        while let Some(arg) = rest.get(i) {
            let (flag, value, width) = match arg.split_once('=') {
                Some((f @ ("-var-file" | "-var"), v)) => (f, Some(v), 1),
                _ if arg == "-var-file" || arg == "-var" => {
                    (arg.as_str(), rest.get(i + 1).map(String::as_str), 2)
                }
                _ => (arg.as_str(), None, 1),
            };
            match (flag, value) {
                ("-var-file", Some(file)) => match self.resolve(file, &dir, out) {
                    Some(path) => params.files.push(path),
                    None => return,
                },
                ("-var", Some(pair)) => {
                    if let Some((k, v)) = pair.split_once('=') {
                        params.values.push((k.to_string(), v.to_string()));
                    }
                }
                _ => {}
            }
            i += width;
        }
        if !dir.is_dir() {
            return;
        }
        let line = self.line_of(&["terraform"]);
        out.roots.push(Named {
            path: dir,
            found_by: FoundBy::Workflow,
            evidence: Some((self.root.join(self.file), line)),
            params,
        });
    }

    /// azure/arm-deploy (`template`, `parameters`) and azure/bicep-deploy (`template-file`,
    /// `parameters-file`).
    fn action(
        &self,
        action: &str,
        inputs: &[(String, String)],
        base: &Path,
        out: &mut FromWorkflows,
    ) {
        let input = |name: &str| {
            inputs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        };
        let (template, parameters) = match action {
            "azure/arm-deploy" => (input("template"), input("parameters")),
            "azure/bicep-deploy" => (input("template-file"), input("parameters-file")),
            _ => return,
        };
        let mut params = ParamSet {
            conventional: false,
            ..ParamSet::default()
        };
        for value in parameters.into_iter().flat_map(split_parameters) {
            self.parameter(&value, base, &mut params, out);
        }
        match template {
            Some(t) if t.starts_with("http") => {}
            Some(template) => self.root(template, base, params, out),
            None => self.root_of_bicepparam(params, out),
        }
    }

    /// A deployment given only a `.bicepparam` (`az deployment ... -p main.bicepparam`, azure/bicep-deploy
    /// with `parameters-file:`) deploys the template its `using` names.
    fn root_of_bicepparam(&self, params: ParamSet, out: &mut FromWorkflows) {
        let Some(file) = params.files.iter().find(|f| {
            f.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
        }) else {
            return;
        };
        let Ok(text) = std::fs::read_to_string(file) else {
            return;
        };
        let using = crate::iac::bicep::parse(&text)
            .statements
            .into_iter()
            .find_map(|s| match s.kind {
                crate::iac::bicep::ast::StmtKind::Using { path: Some(path) } => Some(path),
                _ => None,
            });
        let Some(using) = using.filter(|u| !u.starts_with("br") && !u.starts_with("ts")) else {
            return;
        };
        let dir = file.parent().unwrap_or(Path::new(""));
        let template = dir.join(&using);
        if !template.is_file() {
            return;
        }
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        out.roots.push(Named {
            path: template,
            found_by: FoundBy::Workflow,
            evidence: Some((self.root.join(self.file), self.line_of(&[name]))),
            params,
        });
    }

    /// One `--parameters` value: a file (`@x.json`, `x.json`, `x.bicepparam`) or `name=value`.
    fn parameter(&self, value: &str, base: &Path, params: &mut ParamSet, out: &mut FromWorkflows) {
        let value = value.trim();
        let file = value.strip_prefix('@').unwrap_or(value);
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".json") || lower.ends_with(".bicepparam") {
            if let Some(path) = self.resolve(file, base, out) {
                params.files.push(path);
            }
        } else if let Some((name, v)) = value.split_once('=')
            && !name.is_empty()
            && !name.contains(['{', '"', ' '])
        {
            params.values.push((name.to_string(), v.to_string()));
        }
    }

    /// Record a template root; a template that does not exist is no root.
    fn root(&self, template: &str, base: &Path, params: ParamSet, out: &mut FromWorkflows) {
        let Some(path) = self.resolve(template, base, out) else {
            return;
        };
        if !path.is_file() {
            return;
        }
        let name = Path::new(template)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(template);
        let line = self.line_of(&[template, name]);
        out.roots.push(Named {
            path,
            found_by: FoundBy::Workflow,
            evidence: Some((self.root.join(self.file), line)),
            params,
        });
    }

    /// `path` under `base`, with the workspace expressions replaced; `None` (with an `info` diagnostic) when
    /// it is still built from an expression or variable.
    fn resolve(&self, path: &str, base: &Path, out: &mut FromWorkflows) -> Option<PathBuf> {
        let mut text = path.trim().to_string();
        for workspace in [
            "${{ github.workspace }}",
            "${{github.workspace}}",
            "${GITHUB_WORKSPACE}",
            "$GITHUB_WORKSPACE",
            "$env:GITHUB_WORKSPACE",
            "$Env:GITHUB_WORKSPACE",
        ] {
            if let Some(rest) = text.strip_prefix(workspace) {
                text = format!("./{}", rest.trim_start_matches(['/', '\\']));
            }
        }
        if text.contains('$') || text.contains("${{") || text.is_empty() {
            let (line, column) = self.position_of(path);
            out.diagnostics.push(Diagnostic::new(
                self.file,
                line,
                column,
                Severity::Info,
                "unresolved-root",
                format!(
                    "the template path `{path}` is built from an expression or variable that cannot be \
                     resolved; it is not taken as a root (name it in deploy.roots if it should be)"
                ),
            ));
            return None;
        }
        let relative = text.trim_start_matches("./");
        Some(if Path::new(relative).is_absolute() {
            PathBuf::from(relative)
        } else {
            base.join(relative)
        })
    }

    /// The 1-based line and column where `needle` is first written in the workflow; (0, 0) when it is not.
    fn position_of(&self, needle: &str) -> (u32, u32) {
        self.text
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                let at = l.find(needle)?;
                Some((i as u32 + 1, l[..at].chars().count() as u32 + 1))
            })
            .unwrap_or((0, 0))
    }

    /// The first line of the workflow that holds one of `needles`; 0 when none does.
    fn line_of(&self, needles: &[&str]) -> u32 {
        needles
            .iter()
            .filter(|n| !n.is_empty())
            .find_map(|needle| {
                self.text
                    .lines()
                    .position(|l| l.contains(needle))
                    .map(|i| i as u32 + 1)
            })
            .unwrap_or(0)
    }
}

/// The program's name: path and Windows extension dropped, lower-cased.
fn program(word: &str) -> String {
    crate::history::workflows::tools::program(word)
}

fn has_flag(args: &[String], flags: &[&str]) -> bool {
    args.iter().any(|a| {
        flags
            .iter()
            .any(|f| a == f || a.starts_with(&format!("{f}=")))
    })
}

/// The value of the first of `names` (`--name value` or `--name=value`).
fn flag_value<'a>(args: &'a [String], names: &[&str]) -> Option<&'a str> {
    crate::history::workflows::tools::flag_value(args, names)
}

/// Every value of `names`: az takes `--parameters a.json b=1 --parameters c=2` (values until the next flag).
fn flag_values<'a>(args: &'a [String], names: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut taking = false;
    for arg in args {
        if let Some(value) = names
            .iter()
            .find_map(|n| arg.strip_prefix(n).and_then(|r| r.strip_prefix('=')))
        {
            out.push(value);
            taking = true;
        } else if names.contains(&arg.as_str()) {
            taking = true;
        } else if arg.starts_with('-') {
            taking = false;
        } else if taking {
            out.push(arg.as_str());
        }
    }
    out
}

/// A PowerShell parameter's value (`-TemplateFile x`, case-insensitive, `-TemplateFile:x`).
fn ps_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        let lower = a.to_ascii_lowercase();
        if lower == name {
            args.get(i + 1).map(String::as_str)
        } else {
            lower
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix(':'))
                .map(|_| &a[name.len() + 1..])
        }
    })
}

/// The items of an action's `parameters` input: whitespace-separated, quotes kept together.
fn split_parameters(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
