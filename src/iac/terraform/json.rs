//! Terraform's JSON syntax (`.tf.json`): `{"resource": {"azurerm_x": {"name": {...}}}}`.
//!
//! The shared span-keeping reader ([`crate::iac::json`]) gives the byte offset of every key and value and the
//! order of keys; lines of blocks come from it. Bodies become `hcl::Body` values so the rest of the scanner
//! treats both syntaxes alike: strings are templates (`"${var.location}"`) as Terraform reads them, objects
//! are attributes.

use super::parse::{AttrText, Decl};
use crate::iac::json::{self, Dialect, Node, Value};
use crate::iac::source::LineIndex;
use crate::model::Diagnostic;

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
    let root = match json::parse(text, Dialect::Strict) {
        Ok(root) => root,
        Err(json::Error { offset, message }) => {
            let (line, column) = index.line_col(text, offset);
            diags.push(Diagnostic::parse_error(
                file,
                line,
                column,
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
fn entries<'n, 'a>(node: &'n Node<'a>) -> Vec<(&'n str, usize, &'n Node<'a>)> {
    match &node.value {
        Value::Object(members) => members
            .iter()
            .map(|m| (m.key.as_ref(), m.key_at, &m.value))
            .collect(),
        Value::Array(items) => items.iter().flat_map(entries).collect(),
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
                Value::Array(items) => items.iter().collect(),
                _ => vec![node],
            };
            for body in bodies.into_iter().filter(|b| b.is_object()) {
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
            fingerprint: Default::default(),
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
        Value::Null => hcl::Expression::Null,
        Value::Bool(b) => hcl::Expression::Bool(*b),
        Value::Number(n) => match (n.parse::<i64>(), n.parse::<f64>()) {
            (Ok(i), _) => hcl::Expression::Number(i.into()),
            (_, Ok(f)) => {
                hcl::Number::from_f64(f).map_or(hcl::Expression::Null, hcl::Expression::Number)
            }
            _ => hcl::Expression::String(n.to_string()),
        },
        Value::String(s) if s.contains("${") || s.contains("%{") => {
            hcl::Expression::TemplateExpr(Box::new(hcl::TemplateExpr::QuotedString(s.to_string())))
        }
        Value::String(s) => hcl::Expression::String(s.to_string()),
        Value::Array(items) => hcl::Expression::Array(items.iter().map(expression).collect()),
        Value::Object(members) => hcl::Expression::Object(
            members
                .iter()
                .map(|m| (hcl::ObjectKey::from(m.key.as_ref()), expression(&m.value)))
                .collect(),
        ),
    }
}

/// What a `location_expr` shows for a JSON value: the expression of a string that is one `${ }`, otherwise the
/// string quoted as HCL would write it.
fn written(node: &Node, text: &str) -> String {
    match &node.value {
        Value::String(s) => {
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
        let mut diags = vec![];
        assert!(parse_decls("deep.tf.json", &"[".repeat(10_000), &mut diags).is_empty());
        assert!(diags[0].message.contains("nested too deeply"));
    }
}
