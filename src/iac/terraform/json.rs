//! Terraform's JSON syntax (`.tf.json`): `{"resource": {"azurerm_x": {"name": {...}}}}`.
//!
//! serde_json forgets where things are, so this module carries a small JSON reader that keeps the byte offset
//! of every key and value and the order of keys; lines of blocks come from it. Bodies become `hcl::Body`
//! values so the rest of the scanner treats both syntaxes alike: strings are templates (`"${var.location}"`)
//! as Terraform reads them, objects are attributes.

use super::parse::{AttrText, Decl};
use crate::iac::source::LineIndex;
use crate::model::{Diagnostic, Severity};

/// How deep JSON may nest before it is rejected (guards the recursive reader).
const MAX_DEPTH: usize = 128;

/// A JSON value with the byte range it covers.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The value.
    pub value: JsonValue,
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// A JSON value whose object keys keep their order and offsets.
#[derive(Debug, Clone)]
pub(crate) enum JsonValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// `(key, offset of the key, value)` in source order.
    Object(Vec<(String, usize, Node)>),
}

/// Parse JSON text keeping offsets; the error is `(byte offset, message)`.
pub(crate) fn parse(text: &str) -> Result<Node, (usize, String)> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    let node = reader.value(0)?;
    reader.skip_ws();
    if reader.pos < reader.bytes.len() {
        return Err((
            reader.pos,
            "trailing characters after the JSON value".into(),
        ));
    }
    Ok(node)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), (usize, String)> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err((self.pos, format!("expected `{}`", b as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, (usize, String)> {
        if depth > MAX_DEPTH {
            return Err((self.pos, "JSON nested too deeply".into()));
        }
        self.skip_ws();
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => self.word("true", JsonValue::Bool(true))?,
            Some(b'f') => self.word("false", JsonValue::Bool(false))?,
            Some(b'n') => self.word("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => return Err((self.pos, "expected a JSON value".into())),
            None => return Err((self.pos, "unexpected end of file".into())),
        };
        Ok(Node {
            value,
            start,
            end: self.pos,
        })
    }

    fn word(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, (usize, String)> {
        if self
            .text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word))
        {
            self.pos += word.len();
            Ok(value)
        } else {
            Err((self.pos, "expected a JSON value".into()))
        }
    }

    fn number(&mut self) -> JsonValue {
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
        {
            self.pos += 1;
        }
        JsonValue::Number(self.text.get(start..self.pos).unwrap_or("0").to_string())
    }

    fn string(&mut self) -> Result<String, (usize, String)> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..).unwrap_or_default();
            let Some(c) = rest.chars().next() else {
                return Err((start, "unterminated string".into()));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => out.push(self.escape()?),
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, (usize, String)> {
        let at = self.pos;
        let c = self
            .bytes
            .get(self.pos)
            .copied()
            .ok_or((at, "unterminated string".to_string()))?;
        self.pos += 1;
        Ok(match c {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'u' => {
                let hex = self
                    .text
                    .get(self.pos..self.pos + 4)
                    .ok_or((at, "bad \\u escape".to_string()))?;
                self.pos += 4;
                let code =
                    u32::from_str_radix(hex, 16).map_err(|_| (at, "bad \\u escape".to_string()))?;
                char::from_u32(code).unwrap_or('\u{fffd}')
            }
            other => other as char,
        })
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, (usize, String)> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue::Array(items));
                }
                _ => return Err((self.pos, "expected `,` or `]`".into())),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, (usize, String)> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(JsonValue::Object(entries));
        }
        loop {
            self.skip_ws();
            let key_at = self.pos;
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err((self.pos, "expected a string key".into()));
            }
            let key = self.string()?;
            self.expect(b':')?;
            entries.push((key, key_at, self.value(depth + 1)?));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(entries));
                }
                _ => return Err((self.pos, "expected `,` or `}`".into())),
            }
        }
    }
}

/// Labels each top-level keyword takes in the JSON syntax.
fn label_count(keyword: &str) -> Option<usize> {
    match keyword {
        "resource" | "data" => Some(2),
        "module" | "variable" | "output" | "provider" => Some(1),
        "locals" | "terraform" => Some(0),
        _ => None,
    }
}

/// The top-level blocks of a `.tf.json` file; a file that is not JSON gives one `parse` error and no blocks.
pub(crate) fn parse_decls(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Decl> {
    let index = LineIndex::new(text);
    let root = match parse(text) {
        Ok(root) => root,
        Err((offset, message)) => {
            let (line, column) = index.line_col(text, offset);
            diags.push(Diagnostic::new(
                file,
                line,
                column,
                Severity::Error,
                "parse",
                format!("invalid JSON: {message}"),
            ));
            return Vec::new();
        }
    };
    let mut decls = Vec::new();
    let ctx = Ctx {
        text,
        index: &index,
    };
    for (keyword, key_at, node) in entries(&root) {
        // Top-level `"//"` comments and unknown keys fall through `label_count`.
        if let Some(count) = label_count(keyword) {
            ctx.blocks(keyword, count, Vec::new(), key_at, node, &mut decls);
        }
    }
    decls
}

/// Object entries, also through the array form (`"resource": [{...}, {...}]`) that Terraform accepts.
fn entries(node: &Node) -> Vec<(&str, usize, &Node)> {
    match &node.value {
        JsonValue::Object(items) => items
            .iter()
            .map(|(k, at, v)| (k.as_str(), *at, v))
            .collect(),
        JsonValue::Array(items) => items.iter().flat_map(entries).collect(),
        _ => Vec::new(),
    }
}

struct Ctx<'a> {
    text: &'a str,
    index: &'a LineIndex,
}

impl Ctx<'_> {
    /// Descend `remaining` label levels, then turn each body into a [`Decl`].
    fn blocks(
        &self,
        keyword: &str,
        remaining: usize,
        labels: Vec<String>,
        at: usize,
        node: &Node,
        out: &mut Vec<Decl>,
    ) {
        if remaining == 0 {
            let bodies: Vec<&Node> = match &node.value {
                JsonValue::Array(items) => items.iter().collect(),
                _ => vec![node],
            };
            for body in bodies
                .into_iter()
                .filter(|b| matches!(b.value, JsonValue::Object(_)))
            {
                out.push(self.decl(keyword, labels.clone(), at, body));
            }
            return;
        }
        // `"//"` keys are comments in Terraform's JSON syntax.
        for (label, label_at, child) in entries(node).into_iter().filter(|(k, _, _)| *k != "//") {
            let mut labels = labels.clone();
            labels.push(label.to_string());
            self.blocks(keyword, remaining - 1, labels, label_at, child, out);
        }
    }

    fn decl(&self, keyword: &str, labels: Vec<String>, at: usize, body: &Node) -> Decl {
        let (line, _) = self.index.line_col(self.text, at);
        let mut attrs = Vec::new();
        let mut attr_texts = Vec::new();
        for (key, _, value) in entries(body).into_iter().filter(|(k, _, _)| *k != "//") {
            attrs.push(hcl::Attribute::new(key_ident(key), expression(value)));
            let (line, column) = self.index.line_col(self.text, value.start);
            attr_texts.push(AttrText {
                key: key.to_string(),
                text: written(value, self.text),
                line,
                column,
            });
        }
        Decl {
            keyword: keyword.to_string(),
            labels,
            line,
            body: hcl::Body::from_iter(attrs),
            attr_texts,
            text: self
                .text
                .get(body.start..body.end)
                .unwrap_or_default()
                .to_string(),
        }
    }
}

/// A JSON key as an HCL identifier (keys that are not identifiers are cleaned, not dropped).
fn key_ident(key: &str) -> hcl::Identifier {
    hcl::Identifier::new(key).unwrap_or_else(|_| hcl::Identifier::sanitized(key))
}

/// A value as the expression Terraform reads from it: strings are templates.
pub(crate) fn expression(node: &Node) -> hcl::Expression {
    match &node.value {
        JsonValue::Null => hcl::Expression::Null,
        JsonValue::Bool(b) => hcl::Expression::Bool(*b),
        JsonValue::Number(n) => match (n.parse::<i64>(), n.parse::<f64>()) {
            (Ok(i), _) => hcl::Expression::Number(i.into()),
            (_, Ok(f)) => {
                hcl::Number::from_f64(f).map_or(hcl::Expression::Null, hcl::Expression::Number)
            }
            _ => hcl::Expression::String(n.clone()),
        },
        JsonValue::String(s) if s.contains("${") || s.contains("%{") => {
            hcl::Expression::TemplateExpr(Box::new(hcl::TemplateExpr::QuotedString(s.clone())))
        }
        JsonValue::String(s) => hcl::Expression::String(s.clone()),
        JsonValue::Array(items) => hcl::Expression::Array(items.iter().map(expression).collect()),
        JsonValue::Object(items) => hcl::Expression::Object(
            items
                .iter()
                .map(|(k, _, v)| (hcl::ObjectKey::from(k.as_str()), expression(v)))
                .collect(),
        ),
    }
}

/// What a `location_expr` shows for a JSON value: the expression of a string that is one `${ }`, otherwise the
/// string quoted as HCL would write it.
fn written(node: &Node, text: &str) -> String {
    match &node.value {
        JsonValue::String(s) => {
            let inner = s.strip_prefix("${").and_then(|r| r.strip_suffix('}'));
            match inner {
                Some(inner) if !inner.contains("${") => inner.trim().to_string(),
                _ => format!("\"{s}\""),
            }
        }
        _ => text
            .get(node.start..node.end)
            .unwrap_or_default()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_and_modules_get_lines_of_their_name_keys() {
        let text = r#"{
  "variable": { "location": { "default": "westeurope" } },
  "resource": {
    "azurerm_resource_group": {
      "main": {
        "name": "rg-app",
        "location": "${var.location}"
      }
    },
    "azurerm_storage_account": { "sa": [{ "name": "st\u0041" }] }
  },
  "module": { "net": { "source": "./net" } }
}"#;
        let mut diags = vec![];
        let decls = parse_decls("main.tf.json", text, &mut diags);
        assert!(diags.is_empty());
        let got: Vec<_> = decls
            .iter()
            .map(|d| (d.keyword.as_str(), d.labels.join("."), d.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("variable", "location".to_string(), 2),
                ("resource", "azurerm_resource_group.main".to_string(), 5),
                ("resource", "azurerm_storage_account.sa".to_string(), 10),
                ("module", "net".to_string(), 12),
            ]
        );
        assert_eq!(decls[1].attr_text("location").unwrap().text, "var.location");
        assert_eq!(decls[1].attr_text("location").unwrap().line, 7);
        assert_eq!(decls[2].literal("name"), Some("stA"));
        assert_eq!(decls[2].attr_text("name").unwrap().text, "\"stA\"");
        assert!(matches!(
            decls[1].attr("location"),
            Some(hcl::Expression::TemplateExpr(_))
        ));
    }

    #[test]
    fn comment_keys_and_non_object_bodies_are_not_blocks() {
        let text = r#"{
  "//": "generated by cdktf",
  "resource": {
    "//": "resources below",
    "azurerm_resource_group": {
      "//": "one group",
      "main": { "//": "body comment", "name": "rg", "location": "westeurope" }
    },
    "azurerm_storage_account": { "sa": "not a body" }
  }
}"#;
        let decls = parse_decls("cdk.tf.json", text, &mut vec![]);
        assert_eq!(decls.len(), 1);
        assert_eq!(decls[0].labels, ["azurerm_resource_group", "main"]);
        assert_eq!(decls[0].line, 7);
        assert!(decls[0].attr_text("//").is_none());
    }

    #[test]
    fn invalid_json_gives_one_error_with_position() {
        let mut diags = vec![];
        let decls = parse_decls(
            "bad.tf.json",
            "{\n  \"resource\": {\n    \"a\": }\n}",
            &mut diags,
        );
        assert!(decls.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].line, diags[0].column, diags[0].code.as_str()),
            (3, 10, "parse")
        );
    }

    #[test]
    fn deep_nesting_is_rejected_not_overflowed() {
        let text = "[".repeat(10_000);
        assert!(parse(&text).is_err());
    }
}
