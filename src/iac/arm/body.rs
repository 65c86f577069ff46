//! What a resource's JSON body says beyond its type: whether it handles secrets, and a fingerprint of it.
//!
//! Both walk the body with an explicit stack (no recursion) and skip the nested `resources` of the resource,
//! which are resources of their own.

use crate::iac::json::{Member, Node, Value, number};

/// The lower-case references through which a template's secrets flow: `parameters('x')` for each
/// `securestring`/`secureObject` parameter, and `variables('y')` for each variable whose value uses one of those
/// or calls `listKeys()` (one level: a variable built from such a variable is not followed).
pub fn secret_references(
    declarations: Option<&[Member<'_>]>,
    variables: Option<&[Member<'_>]>,
    text: &str,
) -> Vec<String> {
    let is_secure = |d: &Node<'_>| {
        let kind = d.get("type").and_then(Node::as_str).unwrap_or_default();
        kind.to_ascii_lowercase().starts_with("secure")
    };
    let mut refs: Vec<String> = sorted(declarations.unwrap_or_default())
        .into_iter()
        .filter(|m| is_secure(&m.value))
        .map(|m| format!("parameters('{}')", m.key.to_ascii_lowercase()))
        .collect();
    let from_variables: Vec<String> = sorted(variables.unwrap_or_default())
        .into_iter()
        .filter(|m| mentions_secret(&written_lower(&m.value, text), &refs))
        .map(|m| format!("variables('{}')", m.key.to_ascii_lowercase()))
        .collect();
    refs.extend(from_variables);
    refs
}

/// A value's JSON text in lower case, for substring checks: its source text, which only differs from the
/// compact form serde_json writes in whitespace between tokens, unless it holds escapes.
fn written_lower(value: &Node<'_>, text: &str) -> String {
    match text.get(value.start..value.end) {
        Some(written) if !written.contains('\\') => written.to_ascii_lowercase(),
        _ => value.to_serde().to_string().to_ascii_lowercase(),
    }
}

/// Members in key order, as a `serde_json::Map` holds them.
fn sorted<'n, 'a>(members: &'n [Member<'a>]) -> Vec<&'n Member<'a>> {
    let mut out: Vec<&Member<'a>> = members.iter().collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// Lower-case expression text that calls a key-listing function or uses one of `refs`.
fn mentions_secret(lower: &str, refs: &[String]) -> bool {
    lower.contains("listkeys(")
        || lower.contains("listconnectionstrings(")
        || refs.iter().any(|r| lower.contains(r.as_str()))
}

/// True when the body handles secrets: it uses one of `secret_refs` (see [`secret_references`]), calls
/// `listKeys()` or `listConnectionStrings()`, or sets a password or connection string property.
pub fn uses_secrets(body: &Node<'_>, secret_refs: &[String]) -> bool {
    if own_members(body).any(|m| is_secret_property(&m.key, &m.value)) {
        return true;
    }
    let mut stack: Vec<&Node<'_>> = own_members(body).map(|m| &m.value).collect();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(s)
                if s.starts_with('[') && mentions_secret(&s.to_ascii_lowercase(), secret_refs) =>
            {
                return true;
            }
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => {
                if members.iter().any(|m| is_secret_property(&m.key, &m.value)) {
                    return true;
                }
                stack.extend(members.iter().map(|m| &m.value));
            }
            _ => {}
        }
    }
    false
}

/// The members of a resource body without its nested child `resources`.
fn own_members<'n, 'a>(body: &'n Node<'a>) -> impl Iterator<Item = &'n Member<'a>> {
    body.members()
        .unwrap_or_default()
        .iter()
        .filter(|m| !m.key.eq_ignore_ascii_case("resources"))
}

/// `administratorLoginPassword: "..."`, `connectionStrings: [...]`: a property that holds a secret. Booleans
/// (`disablePasswordAuthentication: true`) and empty values do not count.
fn is_secret_property(key: &str, value: &Node<'_>) -> bool {
    let key = key.to_ascii_lowercase();
    if !(key.contains("password") || key.contains("connectionstring")) {
        return false;
    }
    match &value.value {
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => false,
    }
}

/// A stable 64-bit hash (FNV-1a) of the body's canonical form: object keys sorted, whitespace irrelevant,
/// child `resources` left out. Equal bodies hash equal across runs and platforms.
pub fn fingerprint(body: &Node<'_>) -> u64 {
    /// One pending piece of the canonical form.
    enum Piece<'n, 'a> {
        Value(&'n Node<'a>),
        Object(Vec<&'n Member<'a>>),
        Key(&'n str),
        Tag(u8),
    }
    let mut hash = Fnv::default();
    let mut stack = vec![Piece::Object(own_members(body).collect())];
    while let Some(piece) = stack.pop() {
        match piece {
            Piece::Tag(t) => hash.write(&[t]),
            Piece::Key(key) => hash.write_str(key),
            Piece::Object(mut members) => {
                hash.write(b"{");
                stack.push(Piece::Tag(b'}'));
                // Sorted descending and pushed in that order, so they come off the stack in key order.
                members.sort_by(|a, b| b.key.cmp(&a.key));
                for member in members {
                    stack.push(Piece::Value(&member.value));
                    stack.push(Piece::Key(&member.key));
                }
            }
            Piece::Value(node) => match &node.value {
                Value::Null => hash.write(b"n"),
                Value::Bool(b) => hash.write(if *b { b"t" } else { b"f" }),
                Value::Number(n) => {
                    hash.write(b"#");
                    hash.write_str(&number(n).map_or_else(|| n.to_string(), |n| n.to_string()));
                }
                Value::String(s) => {
                    hash.write(b"s");
                    hash.write_str(s);
                }
                Value::Array(items) => {
                    hash.write(b"[");
                    stack.push(Piece::Tag(b']'));
                    stack.extend(items.iter().rev().map(Piece::Value));
                }
                Value::Object(members) => stack.push(Piece::Object(members.iter().collect())),
            },
        }
    }
    hash.0
}

/// FNV-1a, 64 bit: tiny, and unlike `DefaultHasher` its output is fixed forever.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// A string with its length first, so `"ab","c"` and `"a","bc"` differ.
    fn write_str(&mut self, s: &str) {
        self.write(&(s.len() as u64).to_le_bytes());
        self.write(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::json::{Dialect, parse};
    use serde_json::json;

    /// The JSON text of a value (the reader borrows from it).
    fn obj(v: serde_json::Value) -> String {
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    fn node(text: &str) -> Node<'_> {
        parse(text, Dialect::Arm).unwrap_or(Node {
            value: Value::Null,
            start: 0,
            end: 0,
        })
    }

    fn fingerprint(text: &str) -> u64 {
        super::fingerprint(&node(text))
    }

    fn uses_secrets(text: &str, refs: &[String]) -> bool {
        super::uses_secrets(&node(text), refs)
    }

    #[test]
    fn fingerprint_ignores_key_order_and_children_but_not_values() {
        let a = obj(
            json!({"type": "Microsoft.Sql/servers", "properties": {"a": 1, "b": [true, null]}, "resources": []}),
        );
        let b = obj(
            json!({"properties": {"b": [true, null], "a": 1}, "type": "Microsoft.Sql/servers",
            "resources": [{"type": "databases"}]}),
        );
        let c = obj(
            json!({"type": "Microsoft.Sql/servers", "properties": {"a": 2, "b": [true, null]}}),
        );
        let d = obj(
            json!({"type": "Microsoft.Sql/servers", "properties": {"a": 1, "b": [null, true]}}),
        );
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        assert_ne!(fingerprint(&a), fingerprint(&d));
        assert_ne!(
            fingerprint(&obj(json!({"v": 1}))),
            fingerprint(&obj(json!({"v": "1"})))
        );
        assert_ne!(fingerprint(&a), 0);
    }

    /// The hash is a stored fact (`diff` compares it across revisions): the same body must give the same
    /// number whatever reads it. Worked out independently from the canonical form the doc describes
    /// (sorted keys, `#` numbers as serde_json prints them, length-prefixed strings).
    #[test]
    fn fingerprint_is_stable() {
        let text = r#"{"type":"Microsoft.Web/sites","apiVersion":"2023-12-01",
          "properties":{"siteConfig":{"alwaysOn":true,"numberOfWorkers":2,"ratio":1.5,"big":1e3,
          "appSettings":[{"name":"A","value":"x\u00e9"},null]},"tags":{}},"resources":[{"type":"config"}]}"#;
        assert_eq!(fingerprint(text), 7_373_258_120_046_479_591);
    }

    #[test]
    fn secrets_from_properties_functions_and_secure_parameters() {
        let declarations =
            obj(json!({"adminPassword": {"type": "secureString"}, "user": {"type": "string"}}));
        let variables = obj(json!({
            "conn": "[concat('Server=db;Password=', parameters('adminPassword'))]",
            "storageConn": "[format('Key={0}', listKeys('st', '2023-01-01').keys[0].value)]",
            "plain": "[parameters('user')]"
        }));
        let (d, v) = (node(&declarations), node(&variables));
        let secure = secret_references(d.members(), v.members(), &variables);
        assert_eq!(
            secure,
            [
                "parameters('adminpassword')",
                "variables('conn')",
                "variables('storageconn')"
            ]
        );
        let by_variable = obj(json!({"properties": {"settings": {"db": "[variables('conn')]"}}}));
        let not_by_variable =
            obj(json!({"properties": {"settings": {"user": "[variables('plain')]"}}}));
        assert!(uses_secrets(&by_variable, &secure));
        assert!(!uses_secrets(&not_by_variable, &secure));
        let by_param = obj(
            json!({"properties": {"osProfile": {"adminUser": "[parameters('adminPassword')]"}}}),
        );
        let by_list_keys = obj(json!({"properties": {"siteConfig": {"appSettings": [
            {"name": "KEY", "value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]"}]}}}));
        let by_property =
            obj(json!({"properties": {"administratorLoginPassword": "[parameters('pw')]"}}));
        let by_conn =
            obj(json!({"properties": {"siteConfig": {"connectionStrings": [{"name": "db"}]}}}));
        let plain = obj(
            json!({"properties": {"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": true}},
            "note": "parameters('adminPassword') is only text here"}}),
        );
        let child_only = obj(json!({"resources": [{"properties": {"password": "x"}}]}));
        assert!(uses_secrets(&by_param, &secure));
        assert!(uses_secrets(&by_list_keys, &secure));
        assert!(uses_secrets(&by_property, &[]));
        assert!(uses_secrets(&by_conn, &[]));
        assert!(!uses_secrets(&plain, &secure));
        assert!(!uses_secrets(&child_only, &[]));
    }
}
