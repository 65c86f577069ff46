//! Expression parsing: precedence climbing for operators, postfix accessors, literals, objects, arrays,
//! loops and lambdas.
//!
//! Newlines separate object properties and array items, so they are significant here too: they are skipped
//! only inside parentheses, after a binary operator, and before a `?`, `:`, `??`, `&&` or `||` that
//! continues an expression on the next line.

use super::ast::*;
use super::lexer::TokenKind;
use super::lists::{Close, Separators};
use super::parser::Parser;

/// The closing brackets of the lists parsed here and in `types.rs`.
pub(super) const CLOSE_BRACE: Close = Close {
    token: TokenKind::RBrace,
    text: "}",
};
pub(super) const CLOSE_BRACKET: Close = Close {
    token: TokenKind::RBracket,
    text: "]",
};
const CLOSE_PAREN: Close = Close {
    token: TokenKind::RParen,
    text: ")",
};

/// Binding power of a binary operator token (higher binds tighter).
fn binary_op(kind: &TokenKind) -> Option<(BinaryOp, u8)> {
    use TokenKind as T;
    Some(match kind {
        T::DoubleQuestion => (BinaryOp::Coalesce, 1),
        T::OrOr => (BinaryOp::Or, 2),
        T::AndAnd => (BinaryOp::And, 3),
        T::Eq => (BinaryOp::Eq, 4),
        T::NotEq => (BinaryOp::NotEq, 4),
        T::EqInsensitive => (BinaryOp::EqInsensitive, 4),
        T::NotEqInsensitive => (BinaryOp::NotEqInsensitive, 4),
        T::Lt => (BinaryOp::Lt, 5),
        T::Le => (BinaryOp::Le, 5),
        T::Gt => (BinaryOp::Gt, 5),
        T::Ge => (BinaryOp::Ge, 5),
        T::Plus => (BinaryOp::Add, 6),
        T::Minus => (BinaryOp::Sub, 6),
        T::Star => (BinaryOp::Mul, 7),
        T::Slash => (BinaryOp::Div, 7),
        T::Percent => (BinaryOp::Mod, 7),
        _ => return None,
    })
}

/// Operators that may begin a continuation line of an expression.
fn continues_on_next_line(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::DoubleQuestion | TokenKind::OrOr | TokenKind::AndAnd
    )
}

impl Parser<'_> {
    /// Any expression (ternary and below).
    pub(super) fn expr(&mut self) -> Expr {
        let start = self.span();
        if !self.enter() {
            return Expr::error(start);
        }
        let cond = self.binary(1);
        let expr = if self.peek_past_newlines() == &TokenKind::Question {
            self.ternary(cond)
        } else {
            cond
        };
        self.leave();
        expr
    }

    fn ternary(&mut self, cond: Expr) -> Expr {
        self.skip_newlines();
        self.bump();
        self.skip_newlines();
        let then = self.expr();
        let otherwise = if self.peek_past_newlines() == &TokenKind::Colon {
            self.skip_newlines();
            self.bump();
            self.skip_newlines();
            self.expr()
        } else {
            self.error("expected ':' in the conditional expression");
            Expr::error(self.span())
        };
        let span = cond.span.to(otherwise.span);
        Expr {
            kind: ExprKind::Ternary {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span,
        }
    }

    fn binary(&mut self, min_power: u8) -> Expr {
        let mut left = self.unary();
        // A long chain builds a deep tree: each link counts as a level of nesting.
        let mut levels = 0;
        loop {
            let next = self.peek_past_newlines();
            let found = if continues_on_next_line(next) {
                binary_op(next)
            } else {
                binary_op(self.peek())
            };
            let Some((op, power)) = found else { break };
            if power < min_power || !self.enter() {
                break;
            }
            levels += 1;
            self.skip_newlines();
            self.bump();
            self.skip_newlines();
            let right = self.binary(power + 1);
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            };
        }
        (0..levels).for_each(|_| self.leave());
        left
    }

    pub(super) fn unary(&mut self) -> Expr {
        let op = match self.peek() {
            TokenKind::Bang => UnaryOp::Not,
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Plus => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        let start = self.span();
        if !self.enter() {
            return Expr::error(start);
        }
        self.bump();
        let operand = self.unary();
        self.leave();
        let span = start.to(operand.span);
        Expr {
            kind: ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        }
    }

    /// A primary expression followed by accessors: `.name`, `.?name`, `[i]`, `[?i]`, `[^i]`, `(args)`,
    /// `::child`, `!`.
    fn postfix(&mut self) -> Expr {
        let mut expr = self.primary();
        let mut levels = 0;
        loop {
            let start = expr.span;
            let accessor = matches!(
                self.peek(),
                TokenKind::Dot
                    | TokenKind::DoubleColon
                    | TokenKind::LBracket
                    | TokenKind::LParen
                    | TokenKind::Bang
            );
            if !accessor || !self.enter() {
                break;
            }
            levels += 1;
            let kind = match self.peek() {
                TokenKind::Dot => {
                    self.bump();
                    let safe = self.eat(&TokenKind::Question);
                    let Some(name) = self.member_name() else {
                        break;
                    };
                    ExprKind::Member {
                        base: Box::new(expr),
                        name,
                        safe,
                    }
                }
                TokenKind::DoubleColon => {
                    self.bump();
                    let Some(name) = self.expect_ident("a child resource name after '::'") else {
                        break;
                    };
                    ExprKind::ChildAccess {
                        base: Box::new(expr),
                        name,
                    }
                }
                TokenKind::LBracket => self.index(expr),
                TokenKind::LParen => ExprKind::Call {
                    callee: Box::new(expr),
                    args: self.call_args(),
                },
                TokenKind::Bang => {
                    self.bump();
                    ExprKind::NonNull(Box::new(expr))
                }
                _ => break,
            };
            expr = Expr {
                kind,
                span: start.to(self.prev_span()),
            };
        }
        (0..levels).for_each(|_| self.leave());
        expr
    }

    /// A property name after `.`: an identifier (keywords included).
    fn member_name(&mut self) -> Option<CompactString> {
        self.expect_ident("a property name after '.'")
    }

    fn index(&mut self, base: Expr) -> ExprKind {
        self.bump();
        let safe = self.eat(&TokenKind::Question);
        let from_end = self.eat(&TokenKind::Caret);
        self.skip_newlines();
        let index = self.expr();
        self.skip_newlines();
        if !self.expect(&TokenKind::RBracket, "']'") {
            self.recover(&[TokenKind::RBracket]);
            self.eat(&TokenKind::RBracket);
        }
        ExprKind::Index {
            base: Box::new(base),
            index: Box::new(index),
            safe,
            from_end,
        }
    }

    /// `(a, b, ...)` with newlines allowed anywhere inside.
    pub(super) fn call_args(&mut self) -> Vec<Expr> {
        self.bump();
        let mut args = Vec::new();
        let separators = Separators::Commas("expected ',' or ')' in the argument list");
        self.delimited(&CLOSE_PAREN, separators, |p| args.push(p.expr()));
        args
    }

    fn primary(&mut self) -> Expr {
        let span = self.span();
        let kind = match self.peek() {
            TokenKind::Int => {
                self.bump();
                ExprKind::Int(CompactString::from(
                    self.text.get(span.start..span.end).unwrap_or("0"),
                ))
            }
            TokenKind::String(_) => ExprKind::String(self.take_string()),
            TokenKind::StringHead(_) => return self.interpolated(),
            TokenKind::LBrace => return self.object(),
            TokenKind::LBracket => return self.array(),
            TokenKind::LParen => return self.paren_or_lambda(),
            TokenKind::Ident => return self.name_or_lambda(),
            _ => {
                self.error("expected an expression");
                return Expr::error(Span {
                    start: span.start,
                    end: span.start,
                });
            }
        };
        Expr { kind, span }
    }

    fn name_or_lambda(&mut self) -> Expr {
        let token = self.bump();
        let word = self.slice(token);
        if self.at(&TokenKind::Arrow) {
            return self.lambda_body(token, vec![word]);
        }
        let kind = match word.as_str() {
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "null" => ExprKind::Null,
            _ => ExprKind::Ident(word),
        };
        Expr { kind, span: token }
    }

    fn lambda_body(&mut self, start: Span, params: Vec<CompactString>) -> Expr {
        self.bump();
        self.skip_newlines();
        let body = self.expr();
        let span = start.to(body.span);
        Expr {
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
            span,
        }
    }

    /// `(a, b) => ...` when the parenthesis holds only names and an arrow follows; otherwise `(expr)`.
    fn paren_or_lambda(&mut self) -> Expr {
        let start = self.span();
        let mut n = 1;
        let mut params = Vec::new();
        let is_lambda = loop {
            match &self.nth(n).kind {
                TokenKind::Ident => {
                    params.push(CompactString::from(self.word_at(n).unwrap_or_default()))
                }
                TokenKind::Comma | TokenKind::Newline => {}
                TokenKind::RParen => break self.nth(n + 1).kind == TokenKind::Arrow,
                _ => break false,
            }
            n += 1;
        };
        if is_lambda {
            for _ in 0..n {
                self.bump();
            }
            self.bump();
            return self.lambda_body(start, params);
        }
        self.bump();
        self.skip_newlines();
        let inner = self.expr();
        self.skip_newlines();
        if !self.expect(&TokenKind::RParen, "')'") {
            self.recover(&[TokenKind::RParen]);
            self.eat(&TokenKind::RParen);
        }
        Expr {
            kind: ExprKind::Paren(Box::new(inner)),
            span: start.to(self.prev_span()),
        }
    }

    /// `'a${x}b${y}c'`: a head piece, then expression and piece alternately.
    fn interpolated(&mut self) -> Expr {
        let start = self.span();
        let mut parts = Vec::new();
        let mut exprs = Vec::new();
        parts.push(self.take_string());
        loop {
            self.skip_newlines();
            exprs.push(self.expr());
            self.skip_newlines();
            match self.peek() {
                TokenKind::StringMiddle(_) => parts.push(self.take_string()),
                TokenKind::StringTail(_) => {
                    parts.push(self.take_string());
                    break;
                }
                _ => {
                    self.error("expected '}' to close the string interpolation");
                    parts.push(CompactString::default());
                    break;
                }
            }
            if self.bailing {
                break;
            }
        }
        Expr {
            kind: ExprKind::Interpolated { parts, exprs },
            span: start.to(self.prev_span()),
        }
    }

    fn object(&mut self) -> Expr {
        let start = self.bump();
        let mut items = Vec::new();
        self.delimited(&CLOSE_BRACE, Separators::Lines("properties"), |p| {
            items.extend(p.object_item());
        });
        Expr {
            kind: ExprKind::Object(items),
            span: start.to(self.prev_span()),
        }
    }

    fn object_item(&mut self) -> Option<ObjectItem> {
        let decorators = self.decorators();
        if self.at_statement_start() {
            // Decorators of the next top-level statement: this object lacks its `}` (the loop reports it).
            return None;
        }
        if self.eat(&TokenKind::Ellipsis) {
            return Some(ObjectItem::Spread(self.expr()));
        }
        if self.at_word("resource") && self.word_at(1).is_some() {
            return self
                .resource_decl(decorators)
                .map(|r| ObjectItem::Resource(Box::new(r)));
        }
        let key_span = self.span();
        let key = match self.peek() {
            TokenKind::Ident | TokenKind::Int => {
                self.bump();
                self.slice(key_span)
            }
            TokenKind::String(_) => self.take_string(),
            // `'${id}': {}`: an interpolated key is kept as written.
            TokenKind::StringHead(_) => {
                let key = self.interpolated();
                self.slice(key.span)
            }
            _ => return self.bad_property_name(),
        };
        if !self.property_colon() {
            return None;
        }
        Some(ObjectItem::Property {
            key,
            key_span,
            value: self.expr(),
        })
    }

    fn array(&mut self) -> Expr {
        let start = self.bump();
        self.skip_newlines();
        if self.at_word("for") && matches!(self.nth(1).kind, TokenKind::Ident | TokenKind::LParen) {
            return self.for_loop(start);
        }
        let mut items = Vec::new();
        self.delimited(&CLOSE_BRACKET, Separators::Lines("array items"), |p| {
            let item = if p.at(&TokenKind::Ellipsis) {
                let spread_start = p.bump();
                let inner = p.expr();
                let span = spread_start.to(inner.span);
                Expr {
                    kind: ExprKind::Spread(Box::new(inner)),
                    span,
                }
            } else {
                p.expr()
            };
            items.push(item);
        });
        Expr {
            kind: ExprKind::Array(items),
            span: start.to(self.prev_span()),
        }
    }

    /// `[for x in items: body]`, `[for (x, i) in items: body]`, body possibly `if (cond) {...}`.
    fn for_loop(&mut self, start: Span) -> Expr {
        self.bump();
        let (item, index) = if self.eat(&TokenKind::LParen) {
            let item = self.expect_ident("a loop item name").unwrap_or_default();
            let index = if self.eat(&TokenKind::Comma) {
                self.expect_ident("a loop index name")
            } else {
                None
            };
            self.expect(&TokenKind::RParen, "')'");
            (item, index)
        } else {
            (
                self.expect_ident("a loop item name").unwrap_or_default(),
                None,
            )
        };
        if self.at_word("in") {
            self.bump();
        } else {
            self.error("expected 'in'");
        }
        let source = self.expr();
        self.expect(&TokenKind::Colon, "':' after the loop source");
        self.skip_newlines();
        let body = self.body();
        self.skip_newlines();
        if !self.bailing && !self.expect(&TokenKind::RBracket, "']' to close the loop") {
            self.recover(&[TokenKind::RBracket]);
            self.eat(&TokenKind::RBracket);
        }
        Expr {
            kind: ExprKind::For {
                item,
                index,
                source: Box::new(source),
                body: Box::new(body),
            },
            span: start.to(self.prev_span()),
        }
    }
}
