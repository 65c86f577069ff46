//! Loading a workflow or action file as YAML, and small accessors over the loaded value.
//!
//! `serde_yaml_ng` reads YAML 1.2, so `on:` stays the string key `on` (YAML 1.1 would read it as `true`), and it
//! rejects duplicate keys, which GitHub rejects too. Anchors and aliases resolve; `<<` merge keys are applied.

use crate::model::Diagnostic;
use serde_yaml_ng::{Mapping, Value};

/// Parse `text` as one YAML document that must be a mapping; otherwise a `parse` diagnostic for `rel`
/// (with the line and column the YAML error gives, when it gives one).
pub fn load_mapping(rel: &str, text: &str) -> Result<Mapping, Diagnostic> {
    let mut value: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
        let (line, column) =
            duplicate_key_position(text, &e.to_string(), line, column).unwrap_or((line, column));
        let message = e.to_string();
        // The diagnostic carries the position; the library's " at line N column M" suffix would repeat it.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        Diagnostic::parse_error(rel, line, column, format!("not valid YAML: {message}"))
    })?;
    // A merge key that cannot be applied leaves the `<<` entry in place; the rest of the file is still read.
    let _ = value.apply_merge();
    match untag(value) {
        Value::Mapping(m) => Ok(m),
        other => {
            let what = kind(&other);
            Err(Diagnostic::parse_error(
                rel,
                0,
                0,
                format!("not a workflow: the YAML is {what}, not a mapping"),
            ))
        }
    }
}

/// For a duplicate key, the YAML error points at the start of the mapping: find the repeated key itself (the
/// second line at the mapping's indentation that starts with `key:`), so the diagnostic names the right line.
fn duplicate_key_position(text: &str, message: &str, line: u32, column: u32) -> Option<(u32, u32)> {
    let key = message
        .split("duplicate entry with key \"")
        .nth(1)?
        .split('"')
        .next()?;
    let indent = usize::try_from(column.checked_sub(1)?).ok()?;
    let start = usize::try_from(line.checked_sub(1)?).ok()?;
    let same_key = |l: &str| {
        let body = l.get(indent..).unwrap_or_default();
        l.get(..indent)
            .is_some_and(|pad| pad.trim().is_empty() || pad.trim() == "-")
            && [
                format!("{key}:"),
                format!("\"{key}\":"),
                format!("'{key}':"),
            ]
            .iter()
            .any(|k| body.starts_with(k.as_str()))
    };
    let mut matches = text
        .lines()
        .enumerate()
        .skip(start)
        .filter(|(_, l)| same_key(l));
    matches.next()?;
    let (index, _) = matches.next()?;
    Some((u32::try_from(index + 1).ok()?, column))
}

fn untag(value: Value) -> Value {
    match value {
        Value::Tagged(t) => untag(t.value),
        v => v,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The value under the string key `key`, tags looked through.
pub fn get<'a>(map: &'a Mapping, key: &str) -> Option<&'a Value> {
    map.get(key).map(strip_tag)
}

/// A value with any tags looked through.
pub fn strip_tag(value: &Value) -> &Value {
    match value {
        Value::Tagged(t) => strip_tag(&t.value),
        v => v,
    }
}

/// The mapping under `key`, if that is what it holds.
pub fn get_mapping<'a>(map: &'a Mapping, key: &str) -> Option<&'a Mapping> {
    get(map, key).and_then(Value::as_mapping)
}

/// A scalar as text: strings as written, numbers and booleans printed; `None` for null, lists and mappings.
pub fn scalar(value: &Value) -> Option<String> {
    match strip_tag(value) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The scalar under `key` as text.
pub fn get_scalar(map: &Mapping, key: &str) -> Option<String> {
    get(map, key).and_then(scalar)
}

/// The string-keyed scalar entries of a mapping (`env:`, `with:`), in order; other entries are skipped.
pub fn scalar_entries(value: Option<&Value>) -> Vec<(String, String)> {
    let Some(Value::Mapping(map)) = value.map(strip_tag) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| Some((scalar(k)?, scalar(v)?)))
        .collect()
}

/// A scalar or a list of scalars as a list of text (`branches: main` and `branches: [main]` alike).
pub fn scalar_list(value: Option<&Value>) -> Vec<String> {
    match value.map(strip_tag) {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_is_a_string_key() {
        let map = load_mapping("w.yml", "on: push\njobs: {}\n").unwrap();
        assert_eq!(get_scalar(&map, "on").as_deref(), Some("push"));
    }

    #[test]
    fn duplicate_keys_are_a_parse_diagnostic_with_a_location() {
        let text = "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n  build:\n    runs-on: windows-latest\n";
        let diag = load_mapping(".github/workflows/dup.yml", text).unwrap_err();
        assert_eq!(diag.code, "parse");
        assert!(diag.message.contains("duplicate"), "{}", diag.message);
        assert_eq!(diag.file, ".github/workflows/dup.yml");
        assert_eq!((diag.line, diag.column), (6, 3), "{diag}");
        let top =
            load_mapping("w.yml", "name: x\non: push\njobs: {}\n'on': pull_request\n").unwrap_err();
        assert_eq!((top.line, top.column), (4, 1), "{top}");
        assert!(!top.message.contains("at line"), "{top}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let diag = load_mapping("w.yml", "on: push\njobs:\n  build: [unclosed\n").unwrap_err();
        assert_eq!(diag.code, "parse");
        assert!(diag.line >= 3 && diag.column >= 1, "{diag}");
    }

    #[test]
    fn non_mappings_are_rejected() {
        for text in ["- on: push\n", "just a string\n", "", "42\n"] {
            let diag = load_mapping("w.yml", text).unwrap_err();
            assert_eq!(diag.code, "parse", "{text:?}");
            assert!(diag.message.contains("not a mapping"), "{}", diag.message);
        }
    }

    #[test]
    fn anchors_and_merge_keys_resolve() {
        let text = "x: &base\n  AZURE_LOCATION: westeurope\nenv:\n  <<: *base\n  OTHER: 1\n";
        let map = load_mapping("w.yml", text).unwrap();
        let env = scalar_entries(get(&map, "env"));
        assert!(
            env.contains(&("AZURE_LOCATION".to_string(), "westeurope".to_string())),
            "{env:?}"
        );
    }

    #[test]
    fn scalar_lists_accept_one_scalar_or_a_list() {
        let map = load_mapping("w.yml", "a: main\nb: [main, 'release/**', 1.5]\n").unwrap();
        assert_eq!(scalar_list(get(&map, "a")), vec!["main"]);
        assert_eq!(
            scalar_list(get(&map, "b")),
            vec!["main", "release/**", "1.5"]
        );
    }
}
