//! How deeply an HCL text nests, found before hcl-rs sees it.
//!
//! hcl-rs parses, converts and drops expressions recursively with no depth limit of its own, so 10,000 `[`
//! overflow any thread's stack and abort the whole run (`catch_unwind` cannot catch that). This linear scan
//! counts the frames that recursion would need (brackets, string templates and their `${ }`/`%{ }`
//! interpolations, heredocs), skipping comments and string text, and tells where [`MAX_NESTING`] is passed.
#![warn(clippy::string_slice, clippy::indexing_slicing)]

/// Nesting deeper than this is refused. Real configurations stay under 15 (a `jsonencode` policy inside a
/// nested block); 32 levels fit in a 1 MiB stack even in an unoptimised build.
pub(crate) const MAX_NESTING: usize = 32;

/// One open construct.
enum Frame {
    /// `{`, `[` or `(` in code, or a `${`/`%{` interpolation.
    Code,
    /// A quoted string (templates may interpolate).
    Quoted,
    /// A heredoc body, ended by a line holding only its delimiter.
    Heredoc(String),
}

/// A table of the bytes in `special`.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: `i` is checked, and a `u8` indexes 256 entries
const fn byte_set(special: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < special.len() {
        set[special[i] as usize] = true;
        i += 1;
    }
    set
}

/// The bytes that can change anything in code (outside strings and heredocs).
const CODE_BYTES: [bool; 256] = byte_set(b"#/\"<{[(}])");

/// The bytes that can change anything inside a quoted string.
const QUOTED_BYTES: [bool; 256] = byte_set(b"\\\"\n$%");

/// The byte offset where `text` first nests deeper than [`MAX_NESTING`], if it does.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Skip the run of bytes that cannot open or close anything (most of a file), in one go.
        let special = match stack.last() {
            None | Some(Frame::Code) => Some(&CODE_BYTES),
            Some(Frame::Quoted) => Some(&QUOTED_BYTES),
            Some(Frame::Heredoc(_)) => None,
        };
        if let Some(special) = special {
            let run = bytes
                .get(i..)
                .unwrap_or_default()
                .iter()
                .position(|&b| special.get(usize::from(b)) == Some(&true))
                .unwrap_or(bytes.len() - i);
            if run > 0 {
                i += run;
                continue;
            }
        }
        let at = |k: usize| bytes.get(i + k).copied();
        let Some(byte) = at(0) else { break };
        let line_start = i == 0 || bytes.get(i - 1) == Some(&b'\n');
        match stack.last() {
            None | Some(Frame::Code) => match (byte, at(1)) {
                (b'#', _) | (b'/', Some(b'/')) => i = line_end(bytes, i),
                (b'/', Some(b'*')) => {
                    i = text
                        .get(i + 2..)
                        .and_then(|after| after.find("*/"))
                        .map_or(bytes.len(), |end| i + 2 + end + 1);
                }
                (b'"', _) => stack.push(Frame::Quoted),
                (b'<', Some(b'<')) => {
                    if let Some((delimiter, body)) = heredoc_start(text, i) {
                        stack.push(Frame::Heredoc(delimiter));
                        i = body - 1;
                    }
                }
                (b'{' | b'[' | b'(', _) => stack.push(Frame::Code),
                (b'}' | b']' | b')', _) => {
                    stack.pop();
                }
                _ => {}
            },
            Some(Frame::Quoted) => match (byte, at(1)) {
                (b'\\', _) => i += 1,
                (b'"' | b'\n', _) => {
                    stack.pop();
                }
                (b'$' | b'%', Some(b'{')) => {
                    stack.push(Frame::Code);
                    i += 1;
                }
                (b'$', Some(b'$')) | (b'%', Some(b'%')) => i += 2,
                _ => {}
            },
            Some(Frame::Heredoc(delimiter)) => {
                let line = text.get(i..line_end(bytes, i));
                if line_start && line.is_some_and(|line| line.trim() == delimiter) {
                    stack.pop();
                    i = line_end(bytes, i);
                } else {
                    match (byte, at(1)) {
                        (b'$' | b'%', Some(b'{')) => {
                            stack.push(Frame::Code);
                            i += 1;
                        }
                        (b'$', Some(b'$')) | (b'%', Some(b'%')) => i += 2,
                        _ => {}
                    }
                }
            }
        }
        if stack.len() > MAX_NESTING {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The offset of the `\n` ending the line that holds `i` (or the end of the text).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |n| i + n)
}

/// At `<<` (offset `i`): a heredoc's delimiter and the offset its body starts at, when `<<` opens one.
fn heredoc_start(text: &str, i: usize) -> Option<(String, usize)> {
    let rest = text.get(i + 2..)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let ident_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let after = rest.get(ident_len..)?;
    let newline = if after.starts_with("\r\n") { 2 } else { 1 };
    if ident_len == 0 || !(after.starts_with('\n') || after.starts_with("\r\n")) {
        return None;
    }
    let body = text.len() - after.len() + newline;
    Some((rest.get(..ident_len)?.to_string(), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realistic_nesting_passes() {
        let text = "resource \"azurerm_policy_definition\" \"p\" {\n  policy_rule = jsonencode({\n    if = { allOf = [{ field = \"type\", equals = \"x\" }] }\n  })\n  # ((((((((((((((((((((((((((((((((((\n  description = \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n  script = <<-EOT\n    {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ ${var.x}\n  EOT\n}\n";
        assert_eq!(too_deep(text), None);
    }

    #[test]
    fn deep_brackets_and_templates_are_found() {
        let brackets = format!("x = {}1{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&brackets), Some(4 + MAX_NESTING));
        let templates = format!("x = {}\n", "\"${".repeat(40));
        assert!(too_deep(&templates).is_some());
        let heredoc = format!("x = <<EOT\n{}\nEOT\n", "${(".repeat(20));
        assert!(too_deep(&heredoc).is_some());
    }
}
