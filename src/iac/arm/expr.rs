//! ARM template expressions (`"[concat(parameters('prefix'), '-app')]"`): a small, tolerant parser.
//!
//! The grammar is the part of ARM's that matters for reading locations and names statically: function calls
//! (`ns.fn(...)` for user-defined functions too), string literals with `''` escapes, integer literals, property
//! access (`.location`) and indexing (`[0]`, `['key']`). Anything else is a parse error, which callers treat as
//! "cannot be resolved". Nesting is capped, so hostile input cannot exhaust the stack.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `'text'`.
    Str(String),
    /// `42`, `-1`.
    Int(i64),
    /// `true`, `false` written bare (ARM has `true()` too, which is a [`Expr::Call`]).
    Bool(bool),
    /// `null` written bare.
    Null,
    /// `name(args...)`; the name keeps its namespace (`ns.fn`).
    Call(String, Vec<Expr>),
    /// `expr.name`.
    Member(Box<Expr>, String),
    /// `expr[index]`.
    Index(Box<Expr>, Box<Expr>),
}

/// Deeper nesting of calls and brackets than this is refused.
const MAX_DEPTH: usize = 64;
/// More `.member`/`[index]` suffixes in one expression than this are refused.
const MAX_SUFFIXES: usize = 256;

/// How a JSON string value is to be read.
#[derive(Debug, PartialEq)]
pub enum Written<'a> {
    /// An expression: the text between the outer brackets.
    Expression(&'a str),
    /// A literal string (with a leading `[[` escape already turned into `[`).
    Literal(&'a str),
}

/// Classify a JSON string value: `[...]` is an expression, `[[...` is a literal starting with `[`.
pub fn classify(s: &str) -> Written<'_> {
    if let Some(rest) = s.strip_prefix("[[") {
        return Written::Literal(s.get(1..).unwrap_or(rest));
    }
    match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) => Written::Expression(inner),
        None => Written::Literal(s),
    }
}

/// Parse the inside of an expression string (without the outer brackets).
pub fn parse(src: &str) -> Result<Expr, String> {
    let mut parser = Parser {
        src: src.as_bytes(),
        pos: 0,
        suffixes: 0,
    };
    let expr = parser.expr(0)?;
    parser.skip_ws();
    if parser.pos < parser.src.len() {
        return Err(format!(
            "unexpected `{}` at offset {}",
            parser.rest_preview(),
            parser.pos
        ));
    }
    Ok(expr)
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    /// `.member` and `[index]` suffixes seen so far: each nests the tree one level, so they are capped too.
    suffixes: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn rest_preview(&self) -> String {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        String::from_utf8_lossy(&rest[..rest.len().min(20)]).into_owned()
    }

    fn eat(&mut self, b: u8) -> bool {
        self.skip_ws();
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// A primary expression followed by any number of `.member` and `[index]` suffixes.
    fn expr(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        let mut expr = self.primary(depth)?;
        loop {
            self.skip_ws();
            if self.suffixes > MAX_SUFFIXES {
                return Err("too many property accesses".into());
            }
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    // Bicep emits `.?` and `?.` for safe access in newer templates; both read like `.`.
                    self.eat(b'?');
                    self.skip_ws();
                    let name = self
                        .ident()
                        .ok_or_else(|| format!("property name expected at offset {}", self.pos))?;
                    expr = Expr::Member(Box::new(expr), name);
                    self.suffixes += 1;
                }
                Some(b'?') if self.src.get(self.pos + 1) == Some(&b'.') => self.pos += 1,
                Some(b'[') => {
                    self.pos += 1;
                    let index = self.expr(depth + 1)?;
                    if !self.eat(b']') {
                        return Err(format!("`]` expected at offset {}", self.pos));
                    }
                    expr = Expr::Index(Box::new(expr), Box::new(index));
                    self.suffixes += 1;
                }
                _ => return Ok(expr),
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, String> {
        self.skip_ws();
        match self.peek() {
            Some(b'\'') => self.string().map(Expr::Str),
            Some(b) if b == b'-' || b.is_ascii_digit() => self.integer(),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => self.call_or_word(depth),
            Some(_) => Err(format!(
                "unexpected `{}` at offset {}",
                self.rest_preview(),
                self.pos
            )),
            None => Err("expression expected".into()),
        }
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| String::from_utf8_lossy(&self.src[start..self.pos]).into_owned())
    }

    /// `'text'` with `''` standing for one quote.
    fn string(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(format!("unterminated string starting at offset {start}")),
                Some(b'\'') if self.src.get(self.pos + 1) == Some(&b'\'') => {
                    out.push(b'\'');
                    self.pos += 2;
                }
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    fn integer(&mut self) -> Result<Expr, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = String::from_utf8_lossy(&self.src[start..self.pos]);
        digits
            .parse()
            .map(Expr::Int)
            .map_err(|_| format!("bad number `{digits}` at offset {start}"))
    }

    /// A function call (`fn(...)`, `ns.fn(...)`) or a bare `true`/`false`/`null`.
    fn call_or_word(&mut self, depth: usize) -> Result<Expr, String> {
        let start = self.pos;
        let mut name = self.ident().unwrap_or_default();
        // `ns.fn(` is a user-defined function; `x.y` without a call is not valid ARM at the start.
        let save = self.pos;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            match self.ident() {
                Some(member) if self.peek_after_ws() == Some(b'(') => {
                    name = format!("{name}.{member}")
                }
                _ => self.pos = save,
            }
        }
        if !self.eat(b'(') {
            return match name.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "null" => Ok(Expr::Null),
                _ => Err(format!("`(` expected after `{name}` at offset {start}")),
            };
        }
        let mut args = Vec::new();
        if self.eat(b')') {
            return Ok(Expr::Call(name, args));
        }
        loop {
            args.push(self.expr(depth + 1)?);
            if self.eat(b')') {
                return Ok(Expr::Call(name, args));
            }
            if !self.eat(b',') {
                return Err(format!("`,` or `)` expected at offset {}", self.pos));
            }
        }
    }

    fn peek_after_ws(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(name.into(), args)
    }

    #[test]
    fn classify_expressions_and_escapes() {
        assert_eq!(
            classify("[parameters('x')]"),
            Written::Expression("parameters('x')")
        );
        assert_eq!(
            classify("[[not an expression]"),
            Written::Literal("[not an expression]")
        );
        assert_eq!(classify("westeurope"), Written::Literal("westeurope"));
        assert_eq!(classify("[unclosed"), Written::Literal("[unclosed"));
    }

    #[test]
    fn parses_calls_strings_and_escapes() {
        let e = parse("concat(toLower(parameters('name')), 'it''s', 3, -1)");
        let expected = call(
            "concat",
            vec![
                call(
                    "toLower",
                    vec![call("parameters", vec![Expr::Str("name".into())])],
                ),
                Expr::Str("it's".into()),
                Expr::Int(3),
                Expr::Int(-1),
            ],
        );
        assert_eq!(e, Ok(expected));
    }

    #[test]
    fn parses_member_and_index_access() {
        let e = parse(" resourceGroup().location ");
        assert_eq!(
            e,
            Ok(Expr::Member(
                Box::new(call("resourceGroup", vec![])),
                "location".into()
            ))
        );
        let e = parse("parameters('cfg')['regions'][0]");
        let Ok(Expr::Index(inner, zero)) = e else {
            panic!("index expected: {e:?}")
        };
        assert_eq!(*zero, Expr::Int(0));
        assert!(matches!(*inner, Expr::Index(_, _)));
    }

    #[test]
    fn parses_namespaced_functions_and_safe_access() {
        assert_eq!(
            parse("contoso.prefix('a')"),
            Ok(call("contoso.prefix", vec![Expr::Str("a".into())]))
        );
        let e = parse("parameters('o').?loc");
        assert_eq!(
            e,
            Ok(Expr::Member(
                Box::new(call("parameters", vec![Expr::Str("o".into())])),
                "loc".into()
            ))
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "concat(",
            "concat('a' 'b')",
            "'open",
            "foo",
            ")",
            "a(]",
            "x().",
            "é(1)",
            "1234567890123456789012",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
        let deep = format!("{}{}", "f(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        assert!(parse(&format!("f(){}", ".x".repeat(100_000))).is_err());
    }
}
