//! Declarations with their own grammar: `param`, `var`, `func`, `import`/`provider`/`extension`, `resource`
//! (also nested in a parent's body) and `module`, and the body forms they share.

use super::ast::*;
use super::lexer::TokenKind;
use super::parser::Parser;

impl Parser<'_> {
    pub(super) fn param(&mut self) -> Option<StmtKind> {
        self.bump();
        let name = self.expect_ident("a parameter name")?;
        if self.eat(&TokenKind::Assign) {
            // `.bicepparam`: `param name = value`
            return Some(StmtKind::Param {
                name,
                ty: None,
                value: Some(self.expr()),
            });
        }
        if matches!(self.peek(), TokenKind::Newline | TokenKind::Eof)
            && self.peek_past_newlines() != &TokenKind::Pipe
        {
            // `.bicepparam`: `@inline() param name`, a value given on the command line. (A `|` on the next
            // line is a union type that `bicep format` moved below the name.)
            return Some(StmtKind::Param {
                name,
                ty: None,
                value: None,
            });
        }
        let ty = self.type_expr();
        let value = if self.eat(&TokenKind::Assign) {
            Some(self.expr())
        } else {
            None
        };
        Some(StmtKind::Param {
            name,
            ty: Some(ty),
            value,
        })
    }

    pub(super) fn var(&mut self) -> Option<StmtKind> {
        self.bump();
        let name = self.expect_ident("a variable name")?;
        let ty = if self.at(&TokenKind::Assign) {
            None
        } else {
            Some(self.type_expr())
        };
        self.expect(&TokenKind::Assign, "'='");
        Some(StmtKind::Var {
            name,
            ty,
            value: self.expr(),
        })
    }

    pub(super) fn func(&mut self) -> Option<StmtKind> {
        self.bump();
        let name = self.expect_ident("a function name")?;
        self.expect(&TokenKind::LParen, "'('");
        let mut params = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat(&TokenKind::RParen) || self.at_eof() || self.bailing {
                break;
            }
            let before = self.position();
            if let Some(arg) = self.expect_ident("a parameter name") {
                params.push((arg, self.type_expr()));
            }
            self.skip_newlines();
            if !self.eat(&TokenKind::Comma) && !self.at(&TokenKind::RParen) {
                self.error("expected ',' or ')'");
                self.recover(&[TokenKind::Comma, TokenKind::RParen]);
            }
            if self.position() == before {
                self.bump();
            }
        }
        let result = self.type_expr();
        self.expect(&TokenKind::Arrow, "'=>'");
        self.skip_newlines();
        Some(StmtKind::Func {
            name,
            params,
            result,
            body: self.expr(),
        })
    }

    /// `import {a, b as c} from 'x'`, `import * as ns from 'x'`, `import 'az@1.0.0' [with {...}] [as x]`,
    /// `provider ...` and `extension name [with {...}] [as alias]`.
    pub(super) fn import(&mut self, keyword: &str) -> StmtKind {
        self.bump();
        let mut names = Vec::new();
        let mut source = None;
        match self.peek() {
            TokenKind::LBrace => self.import_list(&mut names),
            TokenKind::Star => {
                self.bump();
                if self.at_word("as") {
                    self.bump();
                    names.extend(self.expect_ident("a namespace name"));
                }
            }
            TokenKind::String(_) => source = Some(self.take_string()),
            TokenKind::Ident => names.extend(self.expect_ident("a name")),
            _ => self.error(&format!("expected what to {keyword}")),
        }
        if self.at_word("from") {
            self.bump();
            source = self
                .literal_string("a path or registry reference after 'from'")
                .map(|s| s.0);
        }
        if self.at_word("with") {
            self.bump();
            self.expr();
        }
        if self.at_word("as") {
            self.bump();
            names.extend(self.expect_ident("an alias"));
        }
        StmtKind::Import {
            keyword: CompactString::from(keyword),
            source,
            names,
        }
    }

    pub(super) fn import_list(&mut self, names: &mut Vec<CompactString>) {
        self.bump();
        loop {
            while matches!(self.peek(), TokenKind::Newline | TokenKind::Comma) {
                self.bump();
            }
            if self.eat(&TokenKind::RBrace) || self.at_eof() || self.at_statement_start() {
                return;
            }
            let before = self.position();
            // A name that is not a Bicep identifier is imported as a string: `'not-an-identifier' as x`.
            let quoted = matches!(self.peek(), TokenKind::String(_)).then(|| self.take_string());
            if let Some(name) = quoted.or_else(|| self.expect_ident("an imported name")) {
                let alias = if self.at_word("as") {
                    self.bump();
                    self.expect_ident("an alias")
                } else {
                    None
                };
                names.push(alias.unwrap_or(name));
            } else {
                self.recover(&[TokenKind::Comma, TokenKind::RBrace]);
            }
            if self.position() == before {
                self.bump();
            }
        }
    }

    /// `resource name 'Type@ver' [existing] = body`, at the top level or nested in a resource body.
    pub(super) fn resource_decl(&mut self, decorators: Vec<Decorator>) -> Option<ResourceDecl> {
        let start = self.bump();
        let name = self.expect_ident("a resource name")?;
        let (type_string, type_span) =
            self.literal_string("a resource type string ('Namespace/type@version')")?;
        let existing = self.at_word("existing");
        if existing {
            self.bump();
        }
        self.expect(&TokenKind::Assign, "'='");
        let body = self.body();
        Some(ResourceDecl {
            name,
            type_string,
            type_span,
            existing,
            body,
            span: start.to(self.prev_span()),
            decorators,
        })
    }

    pub(super) fn module(&mut self) -> Option<StmtKind> {
        let start = self.bump();
        let name = self.expect_ident("a module name")?;
        let (path, path_span) = self.literal_string("a module path or registry reference")?;
        self.expect(&TokenKind::Assign, "'='");
        let body = self.body();
        Some(StmtKind::Module(ModuleDecl {
            name,
            path,
            path_span,
            body,
            span: start.to(self.prev_span()),
        }))
    }

    /// A resource or module body: `{...}`, `if (cond) {...}` or `[for ...]`, on the line of the `=` or (as
    /// `bicep format` lays out a long declaration) on the next one.
    pub(super) fn body(&mut self) -> Expr {
        if self.at(&TokenKind::Newline) && self.body_starts_after_newlines() {
            self.skip_newlines();
        }
        if self.at_word("if") && self.nth(1).kind == TokenKind::LParen {
            let start = self.bump();
            self.bump();
            self.skip_newlines();
            let cond = self.expr();
            self.skip_newlines();
            self.expect(&TokenKind::RParen, "')'");
            if self.at(&TokenKind::Newline) && self.peek_past_newlines() == &TokenKind::LBrace {
                self.skip_newlines();
            }
            let body = self.expr();
            return Expr {
                kind: ExprKind::If {
                    cond: Box::new(cond),
                    body: Box::new(body),
                },
                span: start.to(self.prev_span()),
            };
        }
        self.expr()
    }

    /// After `=` and a line break: the next line starts the body (`if (...)`, `{` or `[`), not a new statement.
    fn body_starts_after_newlines(&self) -> bool {
        let mut n = 0;
        while self.nth(n).kind == TokenKind::Newline {
            n += 1;
        }
        let token = self.nth(n);
        match &token.kind {
            TokenKind::LBrace | TokenKind::LBracket => true,
            TokenKind::Ident => {
                self.word_at(n) == Some("if") && self.nth(n + 1).kind == TokenKind::LParen
            }
            _ => false,
        }
    }
}
