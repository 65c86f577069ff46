//! azd's `azure.yaml`: which templates `azd provision` deploys.
//!
//! `infra.path` (default `infra`) and `infra.module` (default `main`) name `<path>/<module>.bicep`;
//! `infra.provider: terraform` makes the directory `<path>` the root; `infra.layers` (azd's layered
//! provisioning) lists several such entries. The file is read line by line rather than as YAML: real
//! templates carry an `infra:` key twice (Azure-Samples/todo-python-mongo-terraform), which a strict YAML
//! reader refuses and azd accepts, and the lines are what the roots' `evidence` points at.

use std::path::{Path, PathBuf};

/// One infrastructure entry of an `azure.yaml` (the `infra:` block or one of its `layers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infra {
    /// `path`, relative to the `azure.yaml`'s directory (default `infra`).
    pub path: String,
    /// `module`, the template's stem (default `main`).
    pub module: String,
    /// `provider: terraform`.
    pub terraform: bool,
    /// The 1-based line that names it (its `path:`, `module:` or `provider:`, else `infra:`, else 1).
    pub line: u32,
}

impl Default for Infra {
    fn default() -> Self {
        Infra {
            path: "infra".into(),
            module: "main".into(),
            terraform: false,
            line: 1,
        }
    }
}

impl Infra {
    /// The root this entry names, for an `azure.yaml` in `dir`: the Terraform directory, or the module's
    /// `.bicep` template (`.json` when only a compiled template is there).
    pub fn root(&self, dir: &Path) -> PathBuf {
        let base = dir.join(self.path.trim_start_matches("./"));
        if self.terraform {
            return base;
        }
        let bicep = base.join(format!("{}.bicep", self.module));
        let json = base.join(format!("{}.json", self.module));
        if !bicep.is_file() && json.is_file() {
            json
        } else {
            bicep
        }
    }
}

/// The infrastructure entries of an `azure.yaml`'s text: the `infra:` block (or its defaults when there is
/// none), or each of its `layers`.
pub fn read(text: &str) -> Vec<Infra> {
    let mut main = Infra::default();
    let mut layers: Vec<Infra> = Vec::new();
    let mut in_infra = false;
    let mut child_indent: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = (index + 1) as u32;
        let content = strip_comment(raw);
        if content.trim().is_empty() {
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if indent == 0 {
            in_infra = false;
            let Some((key, value)) = trimmed.split_once(':') else {
                continue;
            };
            if key.trim() == "infra" {
                in_infra = true;
                child_indent = None;
                main.line = line;
                // The flow form `infra: { provider: terraform, path: iac }`.
                let flow = value.trim().trim_start_matches('{').trim_end_matches('}');
                for pair in flow.split(',') {
                    if let Some((k, v)) = pair.split_once(':') {
                        set(&mut main, k.trim(), v, line);
                    }
                }
            }
            continue;
        }
        if !in_infra {
            continue;
        }
        let child = *child_indent.get_or_insert(indent);
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or((trimmed == "-").then_some(""))
        {
            layers.push(Infra {
                line,
                ..Infra::default()
            });
            if let Some((k, v)) = item.split_once(':') {
                set(layers.last_mut().unwrap_or(&mut main), k.trim(), v, line);
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let target = match layers.last_mut() {
            Some(layer) if indent > child => layer,
            _ => &mut main,
        };
        set(target, key.trim(), value, line);
    }
    if layers.is_empty() {
        vec![main]
    } else {
        layers
    }
}

/// Set one key of an entry from its YAML scalar text.
fn set(infra: &mut Infra, key: &str, value: &str, line: u32) {
    let value = value.trim().trim_matches(['"', '\'']).trim().to_string();
    match key {
        "path" if !value.is_empty() => infra.path = value,
        "module" if !value.is_empty() => infra.module = value,
        "provider" => infra.terraform = value.eq_ignore_ascii_case("terraform"),
        _ => return,
    }
    infra.line = line;
}

/// A line without its `#` comment (a `#` at the start or after whitespace, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_an_infra_block() {
        let infra = read("name: todo-nodejs-mongo\nservices:\n  web:\n    project: ./src/web\n");
        assert_eq!(infra, vec![Infra::default()]);
        assert_eq!(
            infra[0].root(Path::new("repo")),
            Path::new("repo/infra/main.bicep")
        );
    }

    #[test]
    fn terraform_provider_even_when_the_key_is_written_twice() {
        // As Azure-Samples/todo-python-mongo-terraform writes it.
        let text = "# yaml-language-server: $schema=https://x\n\nname: todo\ninfra:\n  provider: terraform\nservices:\n  api:\n    project: ./src/api\ninfra:\n  provider: terraform";
        let infra = read(text);
        assert_eq!(infra.len(), 1);
        assert!(infra[0].terraform);
        assert_eq!(infra[0].line, 10);
        assert_eq!(infra[0].root(Path::new("r")), Path::new("r/infra"));
    }

    #[test]
    fn path_module_flow_form_and_layers() {
        let text = "infra:\n  path: ./deploy # the templates\n  module: 'app'\n";
        let infra = read(text);
        assert_eq!(
            (
                infra[0].path.as_str(),
                infra[0].module.as_str(),
                infra[0].line
            ),
            ("./deploy", "app", 3)
        );
        assert_eq!(
            infra[0].root(Path::new("r")),
            Path::new("r/deploy/app.bicep")
        );
        let flow = read("infra: { provider: terraform, path: iac }\n");
        assert!(flow[0].terraform && flow[0].path == "iac");
        let layered = "infra:\n  layers:\n    - name: shared\n      path: infra/shared\n    - name: app\n      path: infra/app\n      provider: terraform\n";
        let layers = read(layered);
        assert_eq!(layers.len(), 2);
        assert_eq!(layers[0].path, "infra/shared");
        assert!(!layers[0].terraform);
        assert_eq!(
            (layers[1].path.as_str(), layers[1].terraform),
            ("infra/app", true)
        );
    }
}
