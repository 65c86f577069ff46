//! JSON as ARM reads it: comments allowed, positions kept.
//!
//! `serde_json::Value` has no source positions, yet every resource needs its line. Rather than a second full
//! parser, [`Spans`] records, in one iterative pass over text serde_json has already accepted, the byte offset
//! where each value starts, keyed by its JSON pointer (`/resources/0`), so the walker can look positions up by
//! the same pointer it uses to navigate. serde_json's own recursion limit (128 levels) guards against deeply
//! nested input; nothing here recurses.

use crate::model::{Diagnostic, Severity};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

/// The Azure deployment engine accepts `//` and `/* */` comments in templates; serde_json does not. Blank them
/// out (newlines kept) so offsets, lines and columns still match the file.
pub fn strip_comments(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.windows(2).any(|w| w == b"//" || w == b"/*") {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'"', _) => in_string = true,
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                let end = find_from(bytes, i + 2, b"*/").map_or(bytes.len(), |e| e + 2);
                for slot in out.iter_mut().take(end).skip(i) {
                    if *slot != b'\n' && *slot != b'\r' {
                        *slot = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Only whole comments were blanked, and every byte of a multi-byte character inside them became a space,
    // so the result is still UTF-8; the fallback is never taken but keeps this panic-free.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Position of `needle` in `hay` at or after `from`.
fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Parse JSON text (comments already blanked); a failure becomes a `parse` error at serde_json's line:column.
pub fn parse(file: &str, text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(
            file,
            e.line() as u32,
            e.column() as u32,
            Severity::Error,
            "parse",
            format!("invalid JSON: {e}"),
        )
    })
}

/// The top-level `$schema` of a parsed document, when it is an object that has one.
pub fn schema(value: &Value) -> Option<&str> {
    value.get("$schema")?.as_str()
}

/// Byte offsets where values start, keyed by JSON pointer.
#[derive(Debug, Default)]
pub struct Spans {
    offsets: HashMap<String, usize>,
}

/// Deeper than this the index stops (serde_json refuses such input anyway): pointers grow with depth, so an
/// unbounded index of pathological input would cost quadratic memory.
const MAX_DEPTH: usize = 256;

/// One open object or array while indexing.
struct Frame {
    pointer: String,
    is_object: bool,
    /// Next array index (arrays only).
    next_index: usize,
    /// The key whose value comes next (objects only).
    pending_key: Option<String>,
    /// Record scalar items (arrays only): the array is the value of a listed key.
    scalar_items: bool,
}

impl Spans {
    /// Index every value of `text`, which should be JSON serde_json accepted. Malformed or too deeply nested
    /// text gives a partial index, never a panic.
    pub fn index(text: &str) -> Spans {
        Self::index_scalars_of(text, None)
    }

    /// Like [`Spans::index`], but strings, numbers and literals are recorded only when they are the value of one
    /// of `scalar_keys` (objects and arrays always are): most of a big template's values are never looked up.
    pub fn index_scalars_of(text: &str, scalar_keys: Option<&[&str]>) -> Spans {
        let bytes = text.as_bytes();
        let mut offsets = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => i += 1,
                b'}' | b']' => {
                    stack.pop();
                    i += 1;
                }
                b'"' => {
                    let end = string_end(bytes, i);
                    let is_key = stack
                        .last()
                        .is_some_and(|f| f.is_object && f.pending_key.is_none());
                    if is_key {
                        let key =
                            serde_json::from_str::<String>(text.get(i..end).unwrap_or("\"\""))
                                .unwrap_or_default();
                        if let Some(top) = stack.last_mut() {
                            top.pending_key = Some(key);
                        }
                    } else if let Some(pointer) = scalar_pointer(&mut stack, scalar_keys) {
                        offsets.insert(pointer, i);
                    }
                    i = end;
                }
                b'{' | b'[' if stack.len() >= MAX_DEPTH => break,
                b'{' | b'[' => {
                    let listed_key = stack.last().and_then(|f| f.pending_key.as_deref());
                    let scalar_items = scalar_keys
                        .is_none_or(|keys| listed_key.is_some_and(|k| keys.contains(&k)));
                    let pointer = value_pointer(&mut stack);
                    offsets.insert(pointer.clone(), i);
                    let is_object = b == b'{';
                    stack.push(Frame {
                        pointer,
                        is_object,
                        next_index: 0,
                        pending_key: None,
                        scalar_items,
                    });
                    i += 1;
                }
                _ => {
                    if let Some(pointer) = scalar_pointer(&mut stack, scalar_keys) {
                        offsets.insert(pointer, i);
                    }
                    while i < bytes.len()
                        && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                    {
                        i += 1;
                    }
                }
            }
        }
        Spans { offsets }
    }

    /// Byte offset where the value at `pointer` starts.
    pub fn offset(&self, pointer: &str) -> Option<usize> {
        self.offsets.get(pointer).copied()
    }
}

/// The pointer of the scalar starting now when it is to be recorded; the enclosing frame advances either way.
fn scalar_pointer(stack: &mut [Frame], keys: Option<&[&str]>) -> Option<String> {
    let Some(keys) = keys else {
        return Some(value_pointer(stack));
    };
    let top = stack.last_mut()?;
    if !top.is_object {
        top.next_index += 1;
        return top
            .scalar_items
            .then(|| format!("{}/{}", top.pointer, top.next_index - 1));
    }
    let key = top.pending_key.take()?;
    keys.contains(&key.as_str())
        .then(|| child_pointer(&top.pointer, &key))
}

/// The pointer of the value starting now, advancing the enclosing frame (array index, consumed key).
fn value_pointer(stack: &mut [Frame]) -> String {
    let Some(top) = stack.last_mut() else {
        return String::new();
    };
    if top.is_object {
        let key = top.pending_key.take().unwrap_or_default();
        child_pointer(&top.pointer, &key)
    } else {
        top.next_index += 1;
        format!("{}/{}", top.pointer, top.next_index - 1)
    }
}

/// `pointer` extended by one object key or array index, escaped as RFC 6901 says (`~` → `~0`, `/` → `~1`).
pub fn child_pointer(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Offset just past the string starting at `start` (which holds `"`); the end of text when unterminated.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_json_pointers() {
        let text = "{\n  \"resources\": [\n    {\n      \"type\": \"a/b\"\n    },\n    { \"x\": [1, {\"y\": 2}] }\n  ],\n  \"a/b~c\": \"v\"\n}";
        let spans = Spans::index(text);
        assert_eq!(spans.offset(""), Some(0));
        assert_eq!(spans.offset("/resources/0"), text.find("{\n      \"type\""));
        assert_eq!(spans.offset("/resources/0/type"), text.find("\"a/b\""));
        assert_eq!(spans.offset("/resources/1/x/1/y"), text.find('2'));
        assert_eq!(spans.offset("/a~1b~0c"), text.find("\"v\""));
        let value: Value = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(value.pointer("/a~1b~0c"), Some(&Value::from("v")));
        let some = Spans::index_scalars_of(text, Some(&["type", "x"]));
        for kept in ["/resources/0/type", "/resources/1/x/1", "/resources/1/x/0"] {
            assert_eq!(some.offset(kept), spans.offset(kept), "{kept}");
        }
        assert_eq!(some.offset("/resources/1/x/1/y"), None);
        assert_eq!(some.offset("/a~1b~0c"), None);
    }

    #[test]
    fn escaped_keys_and_quotes_in_strings() {
        let text = r#"{"k\"ey": "va\"l]}", "n": {"m": true}}"#;
        let spans = Spans::index(text);
        assert_eq!(spans.offset("/n/m"), text.find("true"));
        assert_eq!(spans.offset("/k\"ey"), text.find("\"va"));
    }

    #[test]
    fn comments_are_blanked_but_not_inside_strings() {
        let text = "{\n // note\n \"a\": \"http://x\", /* multi\n line */ \"b\": 1\n}";
        let stripped = strip_comments(text);
        assert_eq!(stripped.len(), text.len());
        let value = parse("f", &stripped).unwrap_or_default();
        assert_eq!(value["a"], "http://x");
        assert_eq!(value["b"], 1);
        assert_eq!(stripped.lines().count(), text.lines().count());
    }

    #[test]
    fn parse_error_has_position() {
        let err = parse("t.json", "{\n  \"a\": 1,\n  \"b\" 2\n}").err();
        let err = err.map(|d| (d.line, d.column, d.code));
        assert_eq!(err, Some((3, 7, "parse".to_string())));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse("deep.json", &deep).err();
        assert!(err.is_some_and(|d| d.message.contains("recursion limit")));
        // The span index is iterative: it copes with any depth.
        assert_eq!(Spans::index(&deep).offset(""), Some(0));
    }
}
