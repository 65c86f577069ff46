//! JSON as ARM reads it: comments allowed, positions kept, through the shared reader ([`crate::iac::json`],
//! [`Dialect::Arm`]): every value knows where it starts, so a resource's line is its node's offset.
//!
//! A document that is not JSON gets serde_json's own message (the one azengage has always printed), worked
//! out only on that failure path.

use crate::iac::json::{self as reader, Dialect, Node};
use crate::iac::source::LineIndex;
use crate::model::Diagnostic;
use std::borrow::Cow;

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

/// Read an ARM JSON document (comments allowed); a failure becomes a `parse` error at its line:column.
pub fn parse<'a>(file: &str, text: &'a str) -> Result<Node<'a>, Diagnostic> {
    reader::parse(text, Dialect::Arm).map_err(|e| parse_error(file, text, &e))
}

/// [`parse`], building only the top-level members named in `keep` (the rest is checked, not built): the
/// same diagnostic on a document that is not JSON.
pub fn parse_top_level<'a>(
    file: &str,
    text: &'a str,
    keep: &[&str],
) -> Result<Node<'a>, Diagnostic> {
    reader::parse_top_level(text, Dialect::Arm, keep).map_err(|e| parse_error(file, text, &e))
}

/// The `parse` diagnostic for text the reader refused: serde_json's wording and position, as the scanner
/// always reported them, from the comment-blanked text.
fn parse_error(file: &str, text: &str, ours: &reader::Error) -> Diagnostic {
    let diagnostic = |line, column, message: String| {
        Diagnostic::parse_error(file, line, column, format!("invalid JSON: {message}"))
    };
    match serde_json::from_str::<serde_json::Value>(&strip_comments(text)) {
        Err(e) => diagnostic(e.line() as u32, e.column() as u32, e.to_string()),
        // Never taken (both accept the same documents), but an error stays an error.
        Ok(_) => {
            let (line, column) = LineIndex::new(text).line_col(text, ours.offset);
            diagnostic(line, column, ours.message.clone())
        }
    }
}

/// The top-level `$schema` of a parsed document, when it is an object that has one.
pub fn schema<'n>(document: &'n Node<'_>) -> Option<&'n str> {
    document.get("$schema")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_but_not_inside_strings() {
        let text = "{\n // note\n \"a\": \"http://x\", /* multi\n line */ \"b\": 1\n}";
        let stripped = strip_comments(text);
        assert_eq!(stripped.len(), text.len());
        assert_eq!(stripped.lines().count(), text.lines().count());
        let value: serde_json::Value = serde_json::from_str(&stripped).unwrap_or_default();
        let node = parse("f", text).map(|n| n.to_serde()).ok();
        assert_eq!(node, Some(value.clone()));
        assert_eq!(value["a"], "http://x");
        assert_eq!(value["b"], 1);
    }

    #[test]
    fn parse_error_has_serde_jsons_position_and_words() {
        let err = parse("t.json", "{\n  \"a\": 1,\n  \"b\" 2\n}").err();
        let err = err.map(|d| (d.line, d.column, d.code, d.message));
        assert_eq!(
            err,
            Some((
                3,
                7,
                "parse".to_string(),
                "invalid JSON: expected `:` at line 3 column 7".to_string()
            ))
        );
        // A comment before the error does not move it.
        let err = parse("t.json", "/* c */ {\"a\": tru}").err();
        assert_eq!(err.map(|d| (d.line, d.column)), Some((1, 18)));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse("deep.json", &deep).err();
        assert!(err.is_some_and(|d| d.message.contains("recursion limit")));
    }
}
