//! A tolerant scan for the headers of top-level Terraform blocks (`resource "t" "n" {`, `module "m" {`, ...).
//!
//! It is the fallback for files that hcl-rs cannot parse: it needs no grammar beyond comments, quoted strings
//! and heredocs, so one broken block does not hide the others. It works line by line, skipping `#`, `//` and
//! `/* */` comments and heredoc bodies (`<<EOT` / `<<-EOT`), and accepts a header only at the start of a line
//! with the number of labels its keyword takes, which is what tells a top-level block from a nested one.
#![warn(clippy::string_slice, clippy::indexing_slicing)]

/// One block header found by the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// The block keyword (`resource`, `data`, `module`, ...).
    pub keyword: String,
    /// The labels, unquoted.
    pub labels: Vec<String>,
    /// 1-based line of the keyword.
    pub line: u32,
    /// Byte offset of the start of that line.
    pub line_start: usize,
}

/// Top-level keywords and how many labels each takes.
const KEYWORDS: &[(&str, usize)] = &[
    ("resource", 2),
    ("data", 2),
    ("module", 1),
    ("variable", 1),
    ("output", 1),
    ("provider", 1),
    ("locals", 0),
    ("terraform", 0),
];

/// Where the line scan is between lines.
enum State {
    Code,
    BlockComment,
    Heredoc(String),
}

/// Every top-level block header in `text`, in order.
pub(crate) fn scan(text: &str) -> Vec<Header> {
    let mut headers = Vec::new();
    let mut state = State::Code;
    let mut offset = 0;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let rest = match &state {
            State::Heredoc(delimiter) => {
                if line.trim() == delimiter {
                    state = State::Code;
                }
                continue;
            }
            State::BlockComment => match line.split_once("*/") {
                Some((_, after)) => after,
                None => continue,
            },
            State::Code => {
                if let Some(header) = header_at(line) {
                    headers.push(Header {
                        line: index as u32 + 1,
                        line_start,
                        ..header
                    });
                }
                line
            }
        };
        state = lex_line(rest);
    }
    headers
}

/// The header a line starts with, if any (line and offset left at 0).
fn header_at(line: &str) -> Option<Header> {
    let mut rest = line.trim_start();
    let keyword = take_ident(&mut rest)?;
    let &(_, label_count) = KEYWORDS.iter().find(|(k, _)| *k == keyword)?;
    let mut labels = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.starts_with('{') {
            break;
        }
        let label = if let Some(quoted) = rest.strip_prefix('"') {
            let (label, after) = quoted.split_once('"')?;
            rest = after;
            label
        } else {
            take_ident(&mut rest)?
        };
        labels.push(label.to_string());
    }
    (labels.len() == label_count).then(|| Header {
        keyword: keyword.to_string(),
        labels,
        line: 0,
        line_start: 0,
    })
}

/// Take a leading HCL identifier (letters, digits, `_`, `-`) off `rest`.
fn take_ident<'a>(rest: &mut &'a str) -> Option<&'a str> {
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    if end == 0 || rest.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let (ident, after) = rest.split_at_checked(end)?;
    *rest = after;
    Some(ident)
}

/// The state after the code on one line: a block comment or heredoc that starts and does not end on it.
fn lex_line(line: &str) -> State {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match (b, next) {
                (b'"', _) => in_string = true,
                (b'#', _) | (b'/', Some(b'/')) => return State::Code,
                (b'/', Some(b'*')) => match line.get(i + 2..).and_then(|rest| rest.find("*/")) {
                    Some(end) => i += 2 + end + 1,
                    None => return State::BlockComment,
                },
                (b'<', Some(b'<')) => {
                    if let Some(delimiter) = line.get(i + 2..).and_then(heredoc_delimiter) {
                        return State::Heredoc(delimiter);
                    }
                    i += 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    State::Code
}

/// `EOT` from the text after `<<` in `<<EOT` or `<<-EOT`, when the rest of the line is only the delimiter.
fn heredoc_delimiter(after: &str) -> Option<String> {
    let mut rest = after.strip_prefix('-').unwrap_or(after);
    let ident = take_ident(&mut rest)?;
    rest.trim().is_empty().then(|| ident.to_string())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)] // a test that indexes out of range fails, as it should
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Vec<String>, u32)> {
        scan(text)
            .into_iter()
            .map(|h| (h.keyword, h.labels, h.line))
            .collect()
    }

    #[test]
    fn finds_headers_with_spacing_and_bare_labels() {
        let text = "resource \"azurerm_resource_group\" \"main\" {\n  name = \"rg\"\n}\n\n  resource   azurerm_storage_account   sa{\n}\ndata \"azurerm_client_config\" \"current\" {}\nmodule \"net\" {\n  source = \"./net\"\n}\nlocals {\n}\n";
        let got = found(text);
        assert_eq!(got.len(), 5);
        assert_eq!(
            got[0],
            (
                "resource".into(),
                vec!["azurerm_resource_group".into(), "main".into()],
                1
            )
        );
        assert_eq!(
            got[1],
            (
                "resource".into(),
                vec!["azurerm_storage_account".into(), "sa".into()],
                5
            )
        );
        assert_eq!(got[2].2, 7);
        assert_eq!(got[3], ("module".into(), vec!["net".into()], 8));
        assert_eq!(got[4], ("locals".into(), vec![], 11));
    }

    #[test]
    fn skips_comments_and_heredocs() {
        let text = r#"# resource "x" "commented" {
// resource "x" "slashes" {
/*
resource "x" "in_block_comment" {
}
*/
resource "azurerm_policy_definition" "p" {
  policy_rule = <<POLICY
resource "x" "in_heredoc" {
POLICY
  description = <<-EOT
    resource "x" "in_indented_heredoc" {
    EOT
}
/* one-line */ resource "x" "after_comment" {
}
resource "azurerm_resource_group" "last" {
  name = "not <<EOT"
}
"#;
        let got = found(text);
        let names: Vec<_> = got
            .iter()
            .map(|(_, l, line)| (l[1].as_str(), *line))
            .collect();
        assert_eq!(names, vec![("p", 7), ("last", 17)]);
    }

    #[test]
    fn nested_blocks_and_wrong_label_counts_are_not_headers() {
        let text = "resource \"azurerm_x\" \"a\" {\n  data {\n  }\n  resource {\n  }\n}\nresource \"only_one\" {\n}\n";
        assert_eq!(found(text).len(), 1);
    }
}
