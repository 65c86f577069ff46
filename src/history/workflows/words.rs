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
        Word { parts: vec![Part::Text(s.to_string())], starts_quoted: false }
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
                Part::Var { name, default, .. } => out.push_str(&lookup(name, default.as_deref(), vars)),
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
                Part::Var { name, quoted: true, default } => {
                    push_last(&mut words, &lookup(name, default.as_deref(), vars))
                }
                Part::Var { name, quoted: false, default } => {
                    let value = lookup(name, default.as_deref(), vars);
                    let starts_with_space = value.starts_with(char::is_whitespace);
                    for (i, piece) in value.split_whitespace().enumerate() {
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
        let only_empty_vars = self.parts.iter().all(|p| matches!(p, Part::Var { quoted: false, .. }));
        if only_empty_vars {
            words.retain(|w| !w.is_empty());
        }
        words
    }
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
