//! Facts about a declaration's body that do not need evaluation: a fingerprint for `diff`, and whether it
//! handles secrets (for the `no-key-vault` rule).

use super::ast::{BinaryOp, Expr, ExprKind, ObjectItem, ResourceDecl, UnaryOp};
use crate::iac::source::contains_ignoring_case;

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

    /// The concatenation of `pieces` as one string (the same hash as `str` of the joined text, without
    /// joining it).
    fn joined(&mut self, pieces: &[&str]) {
        for piece in pieces {
            for b in piece.as_bytes() {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
        self.bytes(&[]);
    }
}

/// `true`/`false` as `Display` writes them.
fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// The operator's name as `Debug` writes it (the fingerprint hashed `format!("{op:?}")`).
fn unary_name(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Not => "Not",
        UnaryOp::Neg => "Neg",
        UnaryOp::Plus => "Plus",
    }
}

/// The operator's name as `Debug` writes it.
fn binary_name(op: BinaryOp) -> &'static str {
    use BinaryOp as B;
    match op {
        B::Coalesce => "Coalesce",
        B::Or => "Or",
        B::And => "And",
        B::Eq => "Eq",
        B::NotEq => "NotEq",
        B::EqInsensitive => "EqInsensitive",
        B::NotEqInsensitive => "NotEqInsensitive",
        B::Lt => "Lt",
        B::Le => "Le",
        B::Gt => "Gt",
        B::Ge => "Ge",
        B::Add => "Add",
        B::Sub => "Sub",
        B::Mul => "Mul",
        B::Div => "Div",
        B::Mod => "Mod",
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
        ExprKind::Bool(b) => h.str(bool_text(*b)),
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
        ExprKind::Member { name, safe, .. } => h.joined(&[name, bool_text(*safe)]),
        ExprKind::ChildAccess { name, .. } => h.str(name),
        ExprKind::Index { safe, from_end, .. } => {
            h.joined(&[bool_text(*safe), bool_text(*from_end)])
        }
        ExprKind::Unary { op, .. } => h.str(unary_name(*op)),
        ExprKind::Binary { op, .. } => h.str(binary_name(*op)),
        ExprKind::Lambda { params, .. } => params.iter().for_each(|p| h.str(p)),
        ExprKind::For { item, index, .. } => {
            h.str(item);
            h.str(index.as_deref().unwrap_or_default());
        }
        _ => {}
    }
    for_each_child(expr, |child| h.bytes(&hash_expr(child).to_le_bytes()));
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

/// Call `f` on the direct sub-expressions of `expr`, in order (interpolations and object items are handled
/// by the callers).
pub fn for_each_child<'e>(expr: &'e Expr, mut f: impl FnMut(&'e Expr)) {
    match &expr.kind {
        ExprKind::Array(items) => items.iter().for_each(f),
        ExprKind::Spread(e) | ExprKind::NonNull(e) | ExprKind::Paren(e) => f(e),
        ExprKind::Unary { operand, .. } => f(operand),
        ExprKind::Call { callee, args } => {
            f(callee);
            args.iter().for_each(f);
        }
        ExprKind::Member { base, .. } | ExprKind::ChildAccess { base, .. } => f(base),
        ExprKind::Index { base, index, .. } => {
            f(base);
            f(index);
        }
        ExprKind::Binary { left, right, .. } => {
            f(left);
            f(right);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            f(cond);
            f(then);
            f(otherwise);
        }
        ExprKind::Lambda { body, .. } => f(body),
        ExprKind::For { source, body, .. } | ExprKind::If { cond: source, body } => {
            f(source);
            f(body);
        }
        _ => {}
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
    contains_ignoring_case(name, "password") || contains_ignoring_case(name, "connectionstring")
}

fn is_secret_function(name: &str) -> bool {
    name.eq_ignore_ascii_case("getsecret")
        || (name
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("list"))
            && ["key", "secret", "credential"]
                .iter()
                .any(|w| contains_ignoring_case(name, w)))
        || name.eq_ignore_ascii_case("listconnectionstrings")
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
        _ => for_each_child(expr, |e| visit(e, f)),
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

    #[test]
    fn operator_names_and_joined_pieces_hash_as_the_formatted_text_did() {
        use BinaryOp as B;
        for op in [
            B::Coalesce,
            B::Or,
            B::And,
            B::Eq,
            B::NotEq,
            B::EqInsensitive,
            B::NotEqInsensitive,
            B::Lt,
            B::Le,
            B::Gt,
            B::Ge,
            B::Add,
            B::Sub,
            B::Mul,
            B::Div,
            B::Mod,
        ] {
            assert_eq!(binary_name(op), format!("{op:?}"));
        }
        for op in [UnaryOp::Not, UnaryOp::Neg, UnaryOp::Plus] {
            assert_eq!(unary_name(op), format!("{op:?}"));
        }
        let (mut joined, mut whole) = (Fnv::new(), Fnv::new());
        joined.joined(&["name", bool_text(true)]);
        whole.str(&format!("{}{}", "name", true));
        assert_eq!(joined.0, whole.0);
    }

    #[test]
    fn secret_names_ignore_case_as_the_lower_cased_copy_did() {
        let lowered = |name: &str| {
            let lower = name.to_ascii_lowercase();
            lower.contains("password") || lower.contains("connectionstring")
        };
        for name in [
            "adminPassword",
            "PASSWORD",
            "passwor",
            "ConnectionStrings",
            "é-password",
            "",
            "x",
        ] {
            assert_eq!(is_secret_name(name), lowered(name), "{name}");
        }
        for (name, secret) in [
            ("listKeys", true),
            ("ListSecrets", true),
            ("listCredentials", true),
            ("getSecret", true),
            ("listConnectionStrings", true),
            ("list", false),
            ("lis", false),
            ("keysList", false),
            ("listé", false),
        ] {
            assert_eq!(is_secret_function(name), secret, "{name}");
        }
    }
}
