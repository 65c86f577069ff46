//! Facts about a declaration's body that do not need evaluation: a fingerprint for `diff`, and whether it
//! handles secrets (for the `no-key-vault` rule).

use super::ast::{Expr, ExprKind, ObjectItem, ResourceDecl};

/// A 64-bit FNV-1a hasher: stable across Rust versions and platforms, unlike `DefaultHasher`.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that "ab"+"c" and "a"+"bc" differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
}

/// A hash of a declaration (type string and body) that ignores whitespace, comments, commas versus line
/// breaks and the order of object properties.
pub fn fingerprint(type_string: &str, body: &Expr) -> u64 {
    let mut h = Fnv::new();
    h.str(type_string);
    h.0 ^= hash_expr(body);
    h.0
}

fn hash_expr(expr: &Expr) -> u64 {
    let mut h = Fnv::new();
    h.str(kind_tag(&expr.kind));
    match &expr.kind {
        ExprKind::String(s) | ExprKind::Int(s) | ExprKind::Ident(s) => h.str(s),
        ExprKind::Bool(b) => h.str(if *b { "true" } else { "false" }),
        ExprKind::Interpolated { parts, exprs } => {
            parts.iter().for_each(|p| h.str(p));
            exprs
                .iter()
                .for_each(|e| h.bytes(&hash_expr(e).to_le_bytes()));
        }
        ExprKind::Object(items) => {
            let mut hashes: Vec<u64> = items.iter().map(hash_item).collect();
            hashes.sort_unstable();
            hashes.iter().for_each(|x| h.bytes(&x.to_le_bytes()));
        }
        ExprKind::Member { name, safe, .. } => h.str(&format!("{name}{safe}")),
        ExprKind::ChildAccess { name, .. } => h.str(name),
        ExprKind::Index { safe, from_end, .. } => h.str(&format!("{safe}{from_end}")),
        ExprKind::Unary { op, .. } => h.str(&format!("{op:?}")),
        ExprKind::Binary { op, .. } => h.str(&format!("{op:?}")),
        ExprKind::Lambda { params, .. } => params.iter().for_each(|p| h.str(p)),
        ExprKind::For { item, index, .. } => {
            h.str(item);
            h.str(index.as_deref().unwrap_or_default());
        }
        _ => {}
    }
    for child in children(expr) {
        h.bytes(&hash_expr(child).to_le_bytes());
    }
    h.0
}

fn hash_item(item: &ObjectItem) -> u64 {
    let mut h = Fnv::new();
    match item {
        ObjectItem::Property { key, value, .. } => {
            h.str(key);
            h.bytes(&hash_expr(value).to_le_bytes());
        }
        ObjectItem::Spread(value) => {
            h.str("...");
            h.bytes(&hash_expr(value).to_le_bytes());
        }
        ObjectItem::Resource(decl) => {
            h.str(&decl.name);
            h.bytes(&fingerprint(&decl.type_string, &decl.body).to_le_bytes());
        }
    }
    h.0
}

fn kind_tag(kind: &ExprKind) -> &'static str {
    match kind {
        ExprKind::String(_) | ExprKind::Interpolated { .. } => "s",
        ExprKind::Int(_) => "i",
        ExprKind::Bool(_) => "b",
        ExprKind::Null => "null",
        ExprKind::Ident(_) => "id",
        ExprKind::Array(_) => "arr",
        ExprKind::Object(_) => "obj",
        ExprKind::Spread(_) => "...",
        ExprKind::Call { .. } => "call",
        ExprKind::Member { .. } => ".",
        ExprKind::Index { .. } => "[]",
        ExprKind::ChildAccess { .. } => "::",
        ExprKind::NonNull(_) => "!",
        ExprKind::Unary { .. } => "un",
        ExprKind::Binary { .. } => "bin",
        ExprKind::Ternary { .. } => "?:",
        ExprKind::Lambda { .. } => "=>",
        ExprKind::For { .. } => "for",
        ExprKind::If { .. } => "if",
        ExprKind::Paren(_) => "()",
        ExprKind::Error => "err",
    }
}

/// The direct sub-expressions of `expr` (object items are handled by the callers).
fn children(expr: &Expr) -> Vec<&Expr> {
    match &expr.kind {
        ExprKind::Interpolated { .. } | ExprKind::Object(_) => Vec::new(),
        ExprKind::Array(items) => items.iter().collect(),
        ExprKind::Spread(e) | ExprKind::NonNull(e) | ExprKind::Paren(e) => vec![e],
        ExprKind::Unary { operand, .. } => vec![operand],
        ExprKind::Call { callee, args } => std::iter::once(&**callee).chain(args).collect(),
        ExprKind::Member { base, .. } | ExprKind::ChildAccess { base, .. } => vec![base],
        ExprKind::Index { base, index, .. } => vec![base, index],
        ExprKind::Binary { left, right, .. } => vec![left, right],
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => vec![cond, then, otherwise],
        ExprKind::Lambda { body, .. } => vec![body],
        ExprKind::For { source, body, .. } => vec![source, body],
        ExprKind::If { cond, body } => vec![cond, body],
        _ => Vec::new(),
    }
}

/// Whether a body handles secrets: it uses a `@secure()` parameter, calls `listKeys()`-style functions or
/// `getSecret()`, or sets/reads a password or connection string.
pub fn uses_secrets(body: &Expr, secure_params: &rustc_hash::FxHashSet<&str>) -> bool {
    let mut found = false;
    visit(body, &mut |expr| {
        found |= match &expr.kind {
            ExprKind::Ident(name) => secure_params.contains(name.as_str()),
            ExprKind::Member { name, .. } => is_secret_name(name),
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Ident(f) | ExprKind::Member { name: f, .. } => is_secret_function(f),
                _ => false,
            },
            ExprKind::Object(items) => items.iter().any(
                |item| matches!(item, ObjectItem::Property { key, .. } if is_secret_name(key)),
            ),
            _ => false,
        };
    });
    found
}

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("password") || lower.contains("connectionstring")
}

fn is_secret_function(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "getsecret"
        || (lower.starts_with("list")
            && ["key", "secret", "credential"]
                .iter()
                .any(|w| lower.contains(w)))
        || lower == "listconnectionstrings"
}

/// Call `f` on `expr` and every expression inside it, nested resource bodies included.
fn visit(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Interpolated { exprs, .. } => exprs.iter().for_each(|e| visit(e, f)),
        ExprKind::Object(items) => {
            for item in items {
                match item {
                    ObjectItem::Property { value, .. } | ObjectItem::Spread(value) => {
                        visit(value, f)
                    }
                    ObjectItem::Resource(decl) => visit_resource(decl, f),
                }
            }
        }
        _ => children(expr).into_iter().for_each(|e| visit(e, f)),
    }
}

fn visit_resource(decl: &ResourceDecl, f: &mut impl FnMut(&Expr)) {
    visit(&decl.body, f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::bicep::ast::StmtKind;
    use crate::iac::bicep::parser::parse;

    fn body(src: &str) -> Expr {
        let file = parse(src);
        match file.statements.into_iter().next().map(|s| s.kind) {
            Some(StmtKind::Resource(r)) => r.body,
            other => panic!("not a resource: {other:?}"),
        }
    }

    #[test]
    fn fingerprint_ignores_layout_comments_and_property_order() {
        let a = body("resource s 'A/b@1' = {\n  name: 'x'\n  sku: { name: 'S1' } // c\n}\n");
        let b = body(
            "resource s 'A/b@1' = {\n  sku: {\n    name: 'S1'\n  }\n  /* moved */ name: 'x'\n}\n",
        );
        let c = body("resource s 'A/b@1' = {\n  name: 'x'\n  sku: { name: 'S2' }\n}\n");
        assert_eq!(fingerprint("A/b@1", &a), fingerprint("A/b@1", &b));
        assert_ne!(fingerprint("A/b@1", &a), fingerprint("A/b@1", &c));
        assert_ne!(fingerprint("A/b@1", &a), fingerprint("A/b@2", &a));
    }

    #[test]
    fn secrets_are_spotted() {
        let secure: rustc_hash::FxHashSet<&str> = ["adminPass"].into_iter().collect();
        let none = rustc_hash::FxHashSet::default();
        assert!(uses_secrets(
            &body("resource s 'A/b@1' = {\n  properties: { administratorLoginPassword: 'x' }\n}\n"),
            &none
        ));
        assert!(uses_secrets(
            &body("resource s 'A/b@1' = {\n  properties: { p: adminPass }\n}\n"),
            &secure
        ));
        assert!(uses_secrets(
            &body("resource s 'A/b@1' = {\n  properties: { k: sa.listKeys().keys[0].value }\n}\n"),
            &none
        ));
        assert!(!uses_secrets(
            &body("resource s 'A/b@1' = {\n  name: 'x'\n  properties: { httpsOnly: true }\n}\n"),
            &none
        ));
    }
}
