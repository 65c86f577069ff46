//! A tolerant recursive-descent parser for Bicep and `.bicepparam` files: the cursor, error recovery and the
//! statement dispatch here; declarations in `declarations.rs`, expressions in `expr.rs`, types in
//! `types.rs`.
//!
//! In the style of rust-analyzer's parser it never gives up: an unexpected token gives one error and the
//! parser skips to a recovery point (the next line, the next `,`, the closing bracket of the list it is in,
//! or a statement keyword in the first column, which usually means a `}` is missing) and goes on. Every loop
//! consumes at least one token per turn, and nesting deeper than [`MAX_DEPTH`] stops the statement with an
//! error, so no input can make it loop forever or overflow the stack.

use super::ast::*;
use super::lexer::{Token, TokenKind, lex};

/// How deeply expressions and types may nest before the parser gives up on the statement. Real templates
/// stay under 30; 128 keeps the parser within half of a 2 MiB thread stack even in unoptimised builds.
pub const MAX_DEPTH: u32 = 128;

/// At most this many errors are kept per file: past that, the rest are noise.
const MAX_ERRORS: usize = 100;

/// Statement keywords that, in the first column, start a new statement even inside an unclosed bracket.
const STATEMENT_KEYWORDS: &[&str] = &[
    "resource", "module", "param", "var", "output", "type", "func", "metadata", "import", "test",
    "assert",
];

/// Parse a `.bicep` or `.bicepparam` file.
pub fn parse(text: &str) -> SourceFile {
    let (tokens, errors) = lex(text);
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
        errors,
        depth: 0,
        bailing: false,
        last_error_at: None,
    };
    let statements = parser.file();
    let mut errors = parser.errors;
    errors.sort_by_key(|e| e.offset);
    if errors.len() > MAX_ERRORS {
        let offset = errors[MAX_ERRORS].offset;
        let more = errors.len() - MAX_ERRORS;
        errors.truncate(MAX_ERRORS);
        errors.push(SyntaxError {
            offset,
            message: format!("{more} more syntax errors not shown"),
        });
    }
    SourceFile { statements, errors }
}

/// The parser state: a token cursor, the errors so far and the nesting depth.
pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    errors: Vec<SyntaxError>,
    pub(super) depth: u32,
    /// Nesting went past [`MAX_DEPTH`]: every level returns at once and the statement is skipped.
    pub(super) bailing: bool,
    last_error_at: Option<usize>,
}

impl Parser<'_> {
    // ---- token cursor -------------------------------------------------------------------------------

    pub(super) fn nth(&self, n: usize) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)]
    }

    pub(super) fn peek(&self) -> &TokenKind {
        &self.nth(0).kind
    }

    /// The current token is of kind `kind` (callers pass kinds without a value: only the variant is
    /// compared, which is cheaper than comparing string values).
    pub(super) fn at(&self, kind: &TokenKind) -> bool {
        std::mem::discriminant(self.peek()) == std::mem::discriminant(kind)
    }

    pub(super) fn at_eof(&self) -> bool {
        self.at(&TokenKind::Eof)
    }

    /// The current token is the identifier or contextual keyword `word`.
    pub(super) fn at_word(&self, word: &str) -> bool {
        self.word_at(0) == Some(word)
    }

    /// The text of the token `n` ahead when it is an identifier.
    pub(super) fn word_at(&self, n: usize) -> Option<&str> {
        let token = self.nth(n);
        (token.kind == TokenKind::Ident)
            .then(|| self.text.get(token.span.start..token.span.end))
            .flatten()
    }

    pub(super) fn span(&self) -> Span {
        self.nth(0).span
    }

    /// The span of the token just consumed.
    pub(super) fn prev_span(&self) -> Span {
        self.tokens
            .get(self.pos.wrapping_sub(1))
            .map_or(Span::default(), |t| t.span)
    }

    /// Consume the current token (never the end of file) and return its span.
    pub(super) fn bump(&mut self) -> Span {
        let span = self.span();
        if !self.at_eof() {
            self.pos += 1;
        }
        span
    }

    /// Consume the current token and return its string value when it is a string piece (moved out of the
    /// token: the parser never goes back).
    pub(super) fn take_string(&mut self) -> CompactString {
        let value = match self.tokens.get_mut(self.pos).map(|t| &mut t.kind) {
            Some(
                TokenKind::String(s)
                | TokenKind::StringHead(s)
                | TokenKind::StringMiddle(s)
                | TokenKind::StringTail(s),
            ) => std::mem::take(s),
            _ => CompactString::default(),
        };
        self.bump();
        value
    }

    /// The source text of `span` (empty when it is not on character boundaries).
    pub(super) fn slice(&self, span: Span) -> CompactString {
        CompactString::from(self.text.get(span.start..span.end).unwrap_or_default())
    }

    pub(super) fn position(&self) -> usize {
        self.pos
    }

    pub(super) fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(super) fn skip_newlines(&mut self) {
        while self.at(&TokenKind::Newline) {
            self.bump();
        }
    }

    /// The kind of the first token after any newlines.
    pub(super) fn peek_past_newlines(&self) -> &TokenKind {
        let mut n = 0;
        while self.nth(n).kind == TokenKind::Newline {
            n += 1;
        }
        &self.nth(n).kind
    }

    // ---- errors and recovery ------------------------------------------------------------------------

    /// Record an error at the current token, unless one is already recorded there (one error per place), the
    /// token is one the lexer already complained about, or the statement is being abandoned for its depth (its
    /// unclosed brackets are the bail-out's doing, not the file's).
    pub(super) fn error(&mut self, message: &str) {
        let token = self.nth(0);
        if token.kind == TokenKind::Unknown || self.bailing {
            return;
        }
        let offset = token.span.start;
        if self.last_error_at == Some(offset) {
            return;
        }
        self.last_error_at = Some(offset);
        self.errors.push(SyntaxError {
            offset,
            message: message.to_string(),
        });
    }

    /// Expect `kind`: consume it, or record `expected {what}` and leave the cursor where it is.
    pub(super) fn expect(&mut self, kind: &TokenKind, what: &str) -> bool {
        if self.eat(kind) {
            return true;
        }
        self.error(&format!("expected {what}"));
        false
    }

    /// Consume an identifier and return its text, or record an error.
    pub(super) fn expect_ident(&mut self, what: &str) -> Option<CompactString> {
        match self.word_at(0) {
            Some(word) => {
                let word = CompactString::from(word);
                self.bump();
                Some(word)
            }
            None => {
                self.error(&format!("expected {what}"));
                None
            }
        }
    }

    /// Enter one level of nesting; `false` (with an error, once) when that is too deep.
    pub(super) fn enter(&mut self) -> bool {
        if self.bailing {
            return false;
        }
        if self.depth >= MAX_DEPTH {
            self.error(&format!(
                "nesting deeper than {MAX_DEPTH} levels; the rest of this statement is skipped"
            ));
            self.bailing = true;
            return false;
        }
        self.depth += 1;
        true
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// A statement keyword in the first column followed by a name: the start of a new top-level statement,
    /// even when we are inside brackets (a `}` or `]` is missing above).
    pub(super) fn at_statement_start(&self) -> bool {
        let token = self.nth(0);
        if !token.at_line_start {
            return false;
        }
        match self.word_at(0) {
            Some("targetScope") => self.nth(1).kind == TokenKind::Assign,
            Some(word) => STATEMENT_KEYWORDS.contains(&word) && self.word_at(1).is_some(),
            None => false,
        }
    }

    /// Skip tokens until a recovery point: a newline or one of `stops` outside any bracket opened here, a
    /// statement start in the first column, or the end of the file.
    pub(super) fn recover(&mut self, stops: &[TokenKind]) {
        let mut depth = 0u32;
        loop {
            let kind = self.peek();
            if *kind == TokenKind::Eof || self.at_statement_start() {
                return;
            }
            if depth == 0 && (*kind == TokenKind::Newline || stops.contains(kind)) {
                return;
            }
            match kind {
                TokenKind::LBrace
                | TokenKind::LBracket
                | TokenKind::LParen
                | TokenKind::StringHead(_) => depth += 1,
                TokenKind::RBrace
                | TokenKind::RBracket
                | TokenKind::RParen
                | TokenKind::StringTail(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump();
        }
    }

    /// An object or object type's member without a name: diagnosed, skipped to the next member.
    pub(super) fn bad_property_name<T>(&mut self) -> Option<T> {
        self.error("expected a property name");
        self.recover(&[TokenKind::RBrace, TokenKind::Comma]);
        None
    }

    /// The `:` after a property name; `false` (diagnosed, skipped to the next member) when it is missing.
    pub(super) fn property_colon(&mut self) -> bool {
        if self.expect(&TokenKind::Colon, "':' after the property name") {
            return true;
        }
        self.recover(&[TokenKind::RBrace, TokenKind::Comma]);
        false
    }

    // ---- statements ---------------------------------------------------------------------------------

    fn file(&mut self) -> Vec<Stmt> {
        // About one statement per name in the first column: the vector of (large) statements is sized once.
        let names_at_line_start = self
            .tokens
            .iter()
            .filter(|t| t.at_line_start && t.kind == TokenKind::Ident)
            .count();
        let mut statements = Vec::with_capacity(names_at_line_start);
        loop {
            self.skip_newlines();
            if self.at_eof() {
                return statements;
            }
            let before = self.pos;
            if let Some(stmt) = self.statement() {
                statements.push(stmt);
            }
            if self.bailing {
                self.bailing = false;
                self.depth = 0;
                self.bump();
                while !self.at_eof() && !self.at_statement_start() {
                    self.bump();
                }
                continue;
            }
            self.end_statement();
            if self.pos == before {
                self.bump();
            }
        }
    }

    /// After a statement: a newline, the end of the file, or (after an error) a new statement.
    fn end_statement(&mut self) {
        if matches!(self.peek(), TokenKind::Newline | TokenKind::Eof) || self.at_statement_start() {
            return;
        }
        self.error("expected a new line after the statement");
        self.recover(&[]);
    }

    /// Decorators `@name(...)` / `@ns.name(...)`, each followed by line breaks.
    pub(super) fn decorators(&mut self) -> Vec<Decorator> {
        let mut decorators = Vec::new();
        while self.at(&TokenKind::At) {
            let start = self.bump();
            let Some(first) = self.expect_ident("a decorator name after '@'") else {
                break;
            };
            let (namespace, name) = if self.at(&TokenKind::Dot) && self.word_at(1).is_some() {
                self.bump();
                let name = self.bump();
                (Some(first), self.slice(name))
            } else {
                (None, first)
            };
            let args = if self.at(&TokenKind::LParen) {
                self.call_args()
            } else {
                Vec::new()
            };
            decorators.push(Decorator {
                name,
                namespace,
                args,
                span: start.to(self.prev_span()),
            });
            self.skip_newlines();
        }
        decorators
    }

    fn statement(&mut self) -> Option<Stmt> {
        let decorators = self.decorators();
        let start = self.span();
        let keyword = CompactString::from(self.word_at(0).unwrap_or_default());
        let kind = match keyword.as_str() {
            "targetScope" => {
                self.bump();
                self.expect(&TokenKind::Assign, "'=' after targetScope");
                StmtKind::TargetScope(self.expr())
            }
            "metadata" => {
                self.bump();
                let name = self.expect_ident("a metadata name")?;
                self.expect(&TokenKind::Assign, "'='");
                StmtKind::Metadata {
                    name,
                    value: self.expr(),
                }
            }
            "param" => self.param()?,
            "var" => self.var()?,
            "type" => {
                self.bump();
                let name = self.expect_ident("a type name")?;
                self.expect(&TokenKind::Assign, "'='");
                if self.peek_past_newlines() == &TokenKind::Pipe {
                    self.skip_newlines();
                }
                StmtKind::Type {
                    name,
                    ty: self.type_expr(),
                }
            }
            "func" => self.func()?,
            "import" | "provider" | "extension" => self.import(&keyword),
            "using" => {
                self.bump();
                let path = if self.at_word("none") {
                    self.bump();
                    None
                } else {
                    Some(self.literal_string("a path after 'using'")?.0)
                };
                if self.at_word("with") {
                    self.bump();
                    self.expr();
                }
                StmtKind::Using { path }
            }
            "extends" => {
                self.bump();
                StmtKind::Extends {
                    path: self.literal_string("a path after 'extends'")?.0,
                }
            }
            "resource" => StmtKind::Resource(self.resource_decl(decorators.clone())?),
            "module" => self.module()?,
            "output" => {
                self.bump();
                let name = self.expect_ident("an output name")?;
                let ty = self.type_expr();
                self.expect(&TokenKind::Assign, "'='");
                StmtKind::Output {
                    name,
                    ty,
                    value: self.expr(),
                }
            }
            "test" => {
                self.bump();
                let name = self.expect_ident("a test name")?;
                let path = self.literal_string("a path")?.0;
                self.expect(&TokenKind::Assign, "'='");
                StmtKind::Test {
                    name,
                    path,
                    body: self.expr(),
                }
            }
            "assert" => {
                self.bump();
                let name = self.expect_ident("an assertion name")?;
                self.expect(&TokenKind::Assign, "'='");
                StmtKind::Assert {
                    name,
                    value: self.expr(),
                }
            }
            _ => {
                self.error("expected a statement (param, var, resource, module, output, type, func, import, ...)");
                self.recover(&[]);
                return None;
            }
        };
        Some(Stmt {
            decorators,
            kind,
            span: start.to(self.prev_span()),
        })
    }

    /// A plain string literal (a type string, a path); an interpolated one is an error here.
    pub(super) fn literal_string(&mut self, what: &str) -> Option<(CompactString, Span)> {
        if let TokenKind::String(_) = self.peek() {
            let span = self.span();
            return Some((self.take_string(), span));
        }
        let message = match self.peek() {
            TokenKind::StringHead(_) => format!("expected {what} without interpolation"),
            _ => format!("expected {what}"),
        };
        self.error(&message);
        self.recover(&[]);
        None
    }
}
