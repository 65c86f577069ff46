//! Running a step's script in the head: commands in order, with the variables the step assigns.
//!
//! The contract counts a command held in a shell variable assigned in the same step (`CMD="az deployment group
//! create ..."; $CMD`), so assignments are tracked as they happen and later words are expanded with them.
//! `eval`, `bash -c`, `pwsh -Command` and `Invoke-Expression` run their argument as a script, so it is read too.
//! Wrappers (`sudo`, `env`, `time`, `timeout`, ...) and shell keywords (`if`, `then`, `do`, ...) are looked
//! through to the command they run. A script a step calls (`./deploy.sh`) is not read.

use super::Findings;
use super::regions;
use super::shell::{self, Command, Dialect, Part, Vars};
use super::tools::{self, program};

/// Nesting limit for `eval`/`bash -c` inside each other.
const MAX_DEPTH: usize = 8;

/// Shell keywords that may start a line before the command they guard.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
    "function", "elseif", "try", "catch", "finally", "foreach", "switch",
];

/// Read `script` as `dialect` with `env` (literal `env:` values) known, and add what it deploys to `findings`.
pub fn run_script(
    script: &str,
    dialect: Dialect,
    env: &[(String, String)],
    findings: &mut Findings,
) {
    let mut vars: Vars = env.iter().cloned().collect();
    run_commands(
        &shell::parse(script, dialect),
        dialect,
        &mut vars,
        findings,
        0,
    );
}

fn run_commands(
    commands: &[Command],
    dialect: Dialect,
    vars: &mut Vars,
    findings: &mut Findings,
    depth: usize,
) {
    for command in commands {
        run_command(command, dialect, vars, findings, depth);
    }
}

fn run_command(
    command: &Command,
    dialect: Dialect,
    vars: &mut Vars,
    findings: &mut Findings,
    depth: usize,
) {
    if dialect == Dialect::PowerShell {
        match powershell_assignment(command, vars) {
            Some(Some(value_command)) => {
                return run_command(&value_command, dialect, vars, findings, depth + 1);
            }
            Some(None) => return,
            None => {}
        }
    }
    let mut rest = command.words.as_slice();
    while let Some((name, value)) = rest.first().and_then(|w| bash_assignment(w, vars)) {
        rest = rest.get(1..).unwrap_or_default();
        if rest.is_empty() {
            set_var(vars, name, value);
        }
    }
    let expanded: Vec<String> = rest.iter().flat_map(|w| w.expand(vars)).collect();
    let words = strip_wrappers(&expanded);
    let Some(first) = words.first() else { return };
    let name = program(first);
    let nested = |text: &str, d: Dialect| shell::parse(text, d);
    match name.as_str() {
        "export" | "declare" | "local" | "readonly" | "typeset" => declare(rest, vars),
        "eval" | "invoke-expression" | "iex" if depth < MAX_DEPTH => {
            let script = words.get(1..).unwrap_or_default().join(" ");
            let d = if name == "eval" {
                Dialect::Bash
            } else {
                Dialect::PowerShell
            };
            run_commands(&nested(&script, d), d, vars, findings, depth + 1);
        }
        "bash" | "sh" | "zsh" | "dash" if depth < MAX_DEPTH => {
            if let Some(script) = tools::flag_value(words, &["-c"]) {
                run_commands(
                    &nested(script, Dialect::Bash),
                    Dialect::Bash,
                    vars,
                    findings,
                    depth + 1,
                );
            }
        }
        "pwsh" | "powershell" if depth < MAX_DEPTH => {
            let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
            let at = lower.iter().position(|w| w == "-c" || w == "-command");
            if let Some(script) = at.and_then(|i| words.get(i + 1)) {
                run_commands(
                    &nested(script, Dialect::PowerShell),
                    Dialect::PowerShell,
                    vars,
                    findings,
                    depth + 1,
                );
            }
        }
        _ => {
            findings.tools.extend(tools::command_tools(words, dialect));
            findings.regions.extend(regions::from_command(words));
            if names_templates(&name) {
                findings.steps.push(super::DeployStep {
                    words: words.to_vec(),
                    ..Default::default()
                });
            }
        }
    }
}

/// Programs whose arguments may name a template a deployment starts from (read by [`crate::deploy`]).
fn names_templates(program: &str) -> bool {
    matches!(program, "az" | "azd" | "terraform")
        || (program.starts_with("new-az") && program.ends_with("deployment"))
        || program.starts_with("new-azresourcegroupdeployment")
}

/// Longest variable value kept: `A="$A $A"` repeated would otherwise double without bound.
const MAX_VALUE_LEN: usize = 16 * 1024;

/// Record an assignment; a value too long to be a command or a region makes the variable unknown instead.
fn set_var(vars: &mut Vars, name: String, value: String) {
    if value.len() > MAX_VALUE_LEN {
        vars.remove(&name);
    } else {
        vars.insert(name, value);
    }
}

/// `NAME=value` at the start of a command: the name and the expanded value.
fn bash_assignment(word: &shell::Word, vars: &Vars) -> Option<(String, String)> {
    let Some(Part::Text(head)) = word.parts.first() else {
        return None;
    };
    let (name, _) = head.split_once('=')?;
    let name = name.strip_suffix('+').unwrap_or(name);
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let joined = word.expand_joined(vars);
    let value = joined
        .split_once('=')
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    Some((name.to_string(), value))
}

/// `export NAME=value`, `declare -x NAME=value`, `local NAME=value`: set each assignment.
fn declare(words: &[shell::Word], vars: &mut Vars) {
    for word in words.iter().skip(1) {
        if let Some((name, value)) = bash_assignment(word, vars) {
            set_var(vars, name, value);
        }
    }
}

/// PowerShell `$name = value` (or `$env:NAME = value`): set the variable. `None` when the command is no
/// assignment; `Some(command)` when the value is itself a command that runs (`$out = az ...`).
fn powershell_assignment(command: &Command, vars: &mut Vars) -> Option<Option<Command>> {
    let target = command.words.first()?;
    let (name, value_words) = match target.parts.as_slice() {
        [Part::Var { name, .. }]
            if command
                .words
                .get(1)
                .and_then(shell::Word::literal)
                .as_deref()
                == Some("=") =>
        {
            (name, command.words.get(2..).unwrap_or_default().to_vec())
        }
        [Part::Var { name, .. }, Part::Text(t)] if t.starts_with('=') => {
            let mut words = vec![shell::Word::text(t.get(1..).unwrap_or_default())];
            words.extend(command.words.iter().skip(1).cloned());
            (name, words)
        }
        _ => return None,
    };
    let value: Vec<String> = value_words
        .iter()
        .map(|w| w.expand_joined(vars))
        .filter(|w| !w.is_empty())
        .collect();
    set_var(vars, name.clone(), value.join(" "));
    // `$out = az deployment group create ...` runs the command and keeps its output.
    let runs_command = value_words
        .first()
        .is_some_and(|w| !w.starts_quoted && matches!(w.parts.first(), Some(Part::Text(_))));
    Some(Some(Command { words: value_words }).filter(|_| runs_command))
}

/// Drop leading keywords and wrappers (`sudo`, `env X=1`, `time`, `nohup`, `exec`, `command`, `timeout 5m`,
/// `nice -n 5`, leading `NAME=value`) to reach the command that runs.
fn strip_wrappers(words: &[String]) -> &[String] {
    let mut rest = words;
    loop {
        let Some(first) = rest.first() else {
            return rest;
        };
        let skip = match program(first).as_str() {
            k if KEYWORDS.contains(&k) => 1,
            "sudo" | "nohup" | "exec" | "command" | "builtin" | "env" | "nice" | "stdbuf"
            | "xargs" => 1 + wrapper_options(rest),
            "timeout" => 2 + wrapper_options(rest),
            _ if is_assignment_text(first) => 1,
            _ => 0,
        };
        if skip == 0 {
            return rest;
        }
        rest = rest.get(skip..).unwrap_or_default();
    }
}

/// How many words after a wrapper are its own options (`-n 5`, `-E`, `-u user`, `NAME=value` for `env`).
fn wrapper_options(words: &[String]) -> usize {
    let mut count = 0;
    let mut iter = words.iter().skip(1).peekable();
    while let Some(word) = iter.next() {
        if ["-n", "-u", "-s", "-k", "-I", "-P", "-L"].contains(&word.as_str()) {
            count += 2;
            iter.next();
        } else if word.starts_with('-') || is_assignment_text(word) {
            count += 1;
        } else {
            break;
        }
    }
    count
}

fn is_assignment_text(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
#[path = "script_tests.rs"]
mod tests;
