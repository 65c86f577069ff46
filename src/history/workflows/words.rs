//! Shell words before and after variable expansion.
//!
//! The tokenizer ([`super::shell`]) keeps variable references apart from literal text so that the step's own
//! assignments, known only while its commands are read in order, can be applied later; expansion splits an
//! unquoted value into words as the shell does, which is how `$CMD` runs the command a variable holds.

/// One piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (quotes removed).
    Text(String),
    /// A variable reference (`$X`, `${X}`, `${X:-default}`, PowerShell `$env:X`).
    Var {
        /// The variable's name (for `$env:X`, just `X`).
        name: String,
        /// Inside double quotes: the value is not split into words.
        quoted: bool,
        /// The `${X:-default}` fallback, used when the variable is unknown.
        default: Option<String>,
    },
}

/// One shell word, before variable expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    /// The pieces, in order; adjacent text is merged.
    pub parts: Vec<Part>,
    /// The word starts with a quote: in PowerShell a quoted value is a string, a bare one a command.
    pub starts_quoted: bool,
}

/// One simple command: its words, redirections and their targets removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// The words, in order; the first names what runs (after any assignments).
    pub words: Vec<Word>,
}

/// Variable values known while a step runs: literal `env:` entries and the step's own assignments.
pub type Vars = std::collections::HashMap<String, String>;

impl Word {
    /// A word made of one literal text.
    pub fn text(s: &str) -> Self {
        Word {
            parts: vec![Part::Text(s.to_string())],
            starts_quoted: false,
        }
    }

    /// The word's literal text when it has no variable parts.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var { .. } => return None,
            }
        }
        Some(out)
    }

    /// Expand variables into one string (no word splitting), as an assignment's value is expanded.
    /// Unknown variables stay as written (`$NAME`).
    pub fn expand_joined(&self, vars: &Vars) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var { name, default, .. } => {
                    out.push_str(&lookup(name, default.as_deref(), vars))
                }
            }
        }
        out
    }

    /// Expand variables; an unquoted variable whose value holds spaces splits into several words, as the shell
    /// splits `$CMD`.
    pub fn expand(&self, vars: &Vars) -> Vec<String> {
        let mut words = vec![String::new()];
        for part in &self.parts {
            match part {
                Part::Text(t) => push_last(&mut words, t),
                Part::Var {
                    name,
                    quoted: true,
                    default,
                } => push_last(&mut words, &lookup(name, default.as_deref(), vars)),
                Part::Var {
                    name,
                    quoted: false,
                    default,
                } => {
                    let value = lookup(name, default.as_deref(), vars);
                    let starts_with_space = value.starts_with(char::is_whitespace);
                    for (i, piece) in split_fields(&value).into_iter().enumerate() {
                        if i > 0 || starts_with_space {
                            words.push(String::new());
                        }
                        push_last(&mut words, piece);
                    }
                    if value.ends_with(char::is_whitespace) && !value.trim().is_empty() {
                        words.push(String::new());
                    }
                }
            }
        }
        let only_empty_vars = self
            .parts
            .iter()
            .all(|p| matches!(p, Part::Var { quoted: false, .. }));
        if only_empty_vars {
            words.retain(|w| !w.is_empty());
        }
        words
    }
}

/// Split a value into words at whitespace, as the shell does, except inside `${{ ... }}`: GitHub replaces an
/// expression before the shell runs, so it is never split (`${{ secrets.ACR }}.azurecr.io` stays one word).
fn split_fields(value: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut start: Option<usize> = None;
    let mut in_expression = false;
    for (i, c) in value.char_indices() {
        let rest = value.get(i..).unwrap_or_default();
        if !in_expression && rest.starts_with("${{") {
            in_expression = true;
        } else if in_expression && rest.starts_with("}}") {
            in_expression = false;
        }
        match (c.is_whitespace() && !in_expression, start) {
            (true, Some(s)) => {
                fields.extend(value.get(s..i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        fields.extend(value.get(s..));
    }
    fields
}

fn push_last(words: &mut [String], text: &str) {
    if let Some(last) = words.last_mut() {
        last.push_str(text);
    }
}

fn lookup(name: &str, default: Option<&str>, vars: &Vars) -> String {
    match (vars.get(name), default) {
        (Some(v), _) => v.clone(),
        (None, Some(d)) => d.to_string(),
        (None, None) => format!("${name}"),
    }
}

impl Command {
    /// Expand every word (see [`Word::expand`]).
    pub fn expand(&self, vars: &Vars) -> Vec<String> {
        self.words.iter().flat_map(|w| w.expand(vars)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_whitespace_but_not_inside_github_expressions() {
        assert_eq!(
            split_fields("  az  deployment\tgroup "),
            ["az", "deployment", "group"]
        );
        assert_eq!(
            split_fields("${{ secrets.ACR }}.azurecr.io/web x"),
            ["${{ secrets.ACR }}.azurecr.io/web", "x"]
        );
        assert_eq!(split_fields("${{ unclosed"), ["${{ unclosed"]);
        assert!(split_fields(" ").is_empty());
    }

    #[test]
    fn unquoted_expansion_keeps_expressions_whole() {
        let vars: Vars = [(
            "REGISTRY".to_string(),
            "${{ secrets.ACR_NAME }}.azurecr.io".to_string(),
        )]
        .into_iter()
        .collect();
        let word = Word {
            parts: vec![
                Part::Var {
                    name: "REGISTRY".into(),
                    quoted: false,
                    default: None,
                },
                Part::Text("/web:1".into()),
            ],
            starts_quoted: false,
        };
        assert_eq!(
            word.expand(&vars),
            ["${{ secrets.ACR_NAME }}.azurecr.io/web:1"]
        );
    }
}
