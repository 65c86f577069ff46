//! The Bicep lexer: turns source text into tokens, keeping byte spans.
//!
//! Bicep is newline-sensitive, so newlines are tokens (runs of blank lines collapse into one). Comments and
//! `#disable-next-line` style directives are trivia and vanish. Strings with `${...}` interpolation are split
//! the way the Bicep compiler splits them: a head piece (`'a${`), middle pieces (`}b${`) and a tail (`}c'`),
//! with the interpolated expressions lexed as ordinary tokens in between. A mode stack (not recursion) tracks
//! open interpolations, so arbitrarily deep nesting cannot overflow the stack.
//!
//! The lexer never fails: an unexpected character becomes an [`TokenKind::Unknown`] token (one per run of bad
//! characters) and a [`SyntaxError`]; an unterminated string ends at the end of its line.

use super::ast::{CompactString, Span, SyntaxError};

/// What a token is. String pieces carry their decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier or contextual keyword (`param`, `resource`, `if`, `true`, ...).
    Ident,
    /// An integer literal (digits only; negation is a unary operator).
    Int,
    /// A string without interpolation, decoded.
    String(CompactString),
    /// The text before the first `${` of an interpolated string.
    StringHead(CompactString),
    /// The text between two interpolations.
    StringMiddle(CompactString),
    /// The text after the last interpolation.
    StringTail(CompactString),
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `...`
    Ellipsis,
    /// `:`
    Colon,
    /// `::`
    DoubleColon,
    /// `?`
    Question,
    /// `??`
    DoubleQuestion,
    /// `@`
    At,
    /// `=`
    Assign,
    /// `=>`
    Arrow,
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `=~`
    EqInsensitive,
    /// `!~`
    NotEqInsensitive,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `!`
    Bang,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
    /// `|`
    Pipe,
    /// `^`
    Caret,
    /// One or more line breaks.
    Newline,
    /// Characters that start no token (already reported by the lexer).
    Unknown,
    /// End of input.
    Eof,
}

/// One token with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
    /// The token starts in the first column of its line (used to spot a missing `}` before a statement).
    pub at_line_start: bool,
}

/// The kind of string an open interpolation belongs to.
#[derive(Debug, Clone, Copy)]
enum StringKind {
    /// `'...'`: escapes, one line.
    Single,
    /// `$'''...'''` with this many dollars introducing an interpolation.
    Multi(usize),
}

/// An interpolation `${ ... }` being lexed: how many `{` inside it are still open.
#[derive(Debug, Clone, Copy)]
struct Interpolation {
    braces: u32,
    kind: StringKind,
}

/// Lex `text` into tokens (always ending with [`TokenKind::Eof`]) and the lexical errors met.
pub fn lex(text: &str) -> (Vec<Token>, Vec<SyntaxError>) {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 4 + 1),
        errors: Vec::new(),
        modes: Vec::new(),
    };
    lexer.run();
    (lexer.tokens, lexer.errors)
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
    modes: Vec<Interpolation>,
}

impl Lexer<'_> {
    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            self.next_token();
        }
        if !self.modes.is_empty() {
            self.error(self.pos, "unterminated string interpolation: expected '}'");
        }
        self.push(TokenKind::Eof, self.pos);
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn error(&mut self, offset: usize, message: &str) {
        self.errors.push(SyntaxError {
            offset,
            message: message.to_string(),
        });
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        let at_line_start = start == 0 || self.bytes.get(start.wrapping_sub(1)) == Some(&b'\n');
        self.tokens.push(Token {
            kind,
            span: Span {
                start,
                end: self.pos,
            },
            at_line_start,
        });
    }

    fn next_token(&mut self) {
        let start = self.pos;
        let c = self.peek(0);
        match c {
            b' ' | b'\t' | b'\r' => {
                self.pos += 1;
                while matches!(self.peek(0), b' ' | b'\t' | b'\r') {
                    self.pos += 1;
                }
            }
            b'\n' => self.newline(),
            b'/' if self.peek(1) == b'/' => self.skip_line(),
            b'/' if self.peek(1) == b'*' => self.block_comment(),
            b'#' if self.peek(1).is_ascii_alphabetic() => self.skip_line(),
            b'\'' => {
                if self.peek(1) == b'\'' && self.peek(2) == b'\'' {
                    self.pos += 3;
                    self.multi_line(start, true, None);
                } else {
                    self.pos += 1;
                    self.single(start, true);
                }
            }
            b'$' => self.dollar_string(start),
            b'}' if self.modes.last().is_some_and(|m| m.braces == 0) => {
                self.pos += 1;
                if let Some(mode) = self.modes.pop() {
                    match mode.kind {
                        StringKind::Single => self.single(start, false),
                        StringKind::Multi(n) => self.multi_line(start, false, Some(n)),
                    }
                }
            }
            b'{' => {
                if let Some(m) = self.modes.last_mut() {
                    m.braces += 1;
                }
                self.op(TokenKind::LBrace, 1)
            }
            b'}' => {
                if let Some(m) = self.modes.last_mut() {
                    m.braces = m.braces.saturating_sub(1);
                }
                self.op(TokenKind::RBrace, 1)
            }
            b'0'..=b'9' => {
                while self.peek(0).is_ascii_digit() {
                    self.pos += 1;
                }
                self.push(TokenKind::Int, start);
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                self.pos += rest
                    .iter()
                    .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                    .unwrap_or(rest.len());
                self.push(TokenKind::Ident, start);
            }
            _ => self.punctuation(start),
        }
    }

    fn newline(&mut self) {
        let start = self.pos;
        self.pos += 1;
        // Inside a one-line string's interpolation a newline means the string was never closed.
        if matches!(
            self.modes.last(),
            Some(Interpolation {
                kind: StringKind::Single,
                ..
            })
        ) {
            while matches!(
                self.modes.last(),
                Some(Interpolation {
                    kind: StringKind::Single,
                    ..
                })
            ) {
                self.modes.pop();
            }
            self.error(
                start,
                "unterminated string: expected '}' and a closing quote before the end of the line",
            );
        }
        if self
            .tokens
            .last()
            .is_some_and(|t| t.kind == TokenKind::Newline)
        {
            if let Some(last) = self.tokens.last_mut() {
                last.span.end = self.pos;
            }
        } else {
            self.push(TokenKind::Newline, start);
        }
    }

    fn skip_line(&mut self) {
        self.pos = memchr::memchr(b'\n', &self.bytes[self.pos..])
            .map_or(self.bytes.len(), |n| self.pos + n);
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        match self.text[self.pos + 2..].find("*/") {
            Some(end) => self.pos += 2 + end + 2,
            None => {
                self.pos = self.bytes.len();
                self.error(start, "unterminated comment: expected '*/'");
            }
        }
    }

    fn op(&mut self, kind: TokenKind, len: usize) {
        let start = self.pos;
        self.pos += len;
        self.push(kind, start);
    }

    fn punctuation(&mut self, start: usize) {
        use TokenKind as T;
        let (c, n, m) = (self.peek(0), self.peek(1), self.peek(2));
        let (kind, len) = match (c, n) {
            (b'.', b'.') if m == b'.' => (T::Ellipsis, 3),
            (b'.', _) => (T::Dot, 1),
            (b'(', _) => (T::LParen, 1),
            (b')', _) => (T::RParen, 1),
            (b'[', _) => (T::LBracket, 1),
            (b']', _) => (T::RBracket, 1),
            (b',', _) => (T::Comma, 1),
            (b':', b':') => (T::DoubleColon, 2),
            (b':', _) => (T::Colon, 1),
            (b'?', b'?') => (T::DoubleQuestion, 2),
            (b'?', _) => (T::Question, 1),
            (b'@', _) => (T::At, 1),
            (b'=', b'>') => (T::Arrow, 2),
            (b'=', b'=') => (T::Eq, 2),
            (b'=', b'~') => (T::EqInsensitive, 2),
            (b'=', _) => (T::Assign, 1),
            (b'!', b'=') => (T::NotEq, 2),
            (b'!', b'~') => (T::NotEqInsensitive, 2),
            (b'!', _) => (T::Bang, 1),
            (b'<', b'=') => (T::Le, 2),
            (b'<', _) => (T::Lt, 1),
            (b'>', b'=') => (T::Ge, 2),
            (b'>', _) => (T::Gt, 1),
            (b'+', _) => (T::Plus, 1),
            (b'-', _) => (T::Minus, 1),
            (b'*', _) => (T::Star, 1),
            (b'/', _) => (T::Slash, 1),
            (b'%', _) => (T::Percent, 1),
            (b'&', b'&') => (T::AndAnd, 2),
            (b'|', b'|') => (T::OrOr, 2),
            (b'|', _) => (T::Pipe, 1),
            (b'^', _) => (T::Caret, 1),
            _ => return self.unknown(start),
        };
        self.op(kind, len);
    }

    /// A run of characters that start no token: one token, one error.
    fn unknown(&mut self, start: usize) {
        let starts_token =
            |b: u8| b.is_ascii_alphanumeric() || b"_'$ \t\r\n{}()[],.:?@=!<>+-*/%&|^#".contains(&b);
        self.pos += 1;
        while self.pos < self.bytes.len() && !starts_token(self.bytes[self.pos]) {
            self.pos += 1;
        }
        while !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        self.error(start, "unexpected character");
        self.push(TokenKind::Unknown, start);
    }

    /// `$'''...'''`, `$$'''...'''`: a multi-line string whose interpolations start with that many dollars.
    fn dollar_string(&mut self, start: usize) {
        let mut dollars = 0;
        while self.peek(dollars) == b'$' {
            dollars += 1;
        }
        if self.bytes.get(self.pos + dollars..self.pos + dollars + 3) == Some(b"'''") {
            self.pos += dollars + 3;
            self.multi_line(start, true, Some(dollars));
        } else {
            self.unknown(start);
        }
    }

    /// The rest of a `'...'` string (after the opening quote or an interpolation's closing brace). Runs of
    /// plain text are copied whole (a short value stays inline in its `CompactString`: no allocation).
    fn single(&mut self, start: usize, opened: bool) {
        let mut value = CompactString::default();
        let mut run = self.pos;
        let mut stop = self.next_quote_backslash_or_newline();
        loop {
            // Only ASCII bytes end a run, so `run..pos` is always on character boundaries. A `$` is looked for
            // only up to `stop`, which is found again only once passed: every byte is scanned once, however
            // many `$` a line holds.
            if self.pos > stop {
                stop = self.next_quote_backslash_or_newline();
            }
            let dollar = self
                .bytes
                .get(self.pos..stop)
                .and_then(|plain| memchr::memchr(b'$', plain));
            self.pos = dollar.map_or(stop, |d| self.pos + d);
            let Some(&b) = self.bytes.get(self.pos) else {
                value.push_str(&self.text[run..self.pos]);
                self.error(start, "unterminated string: expected a closing quote");
                return self.string_piece(start, opened, false, value);
            };
            match b {
                b'\'' => {
                    value.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return self.string_piece(start, opened, false, value);
                }
                b'\n' => {
                    value.push_str(&self.text[run..self.pos]);
                    self.error(
                        start,
                        "unterminated string: expected a closing quote before the end of the line",
                    );
                    return self.string_piece(start, opened, false, value);
                }
                b'$' if self.peek(1) == b'{' => {
                    value.push_str(&self.text[run..self.pos]);
                    self.pos += 2;
                    self.modes.push(Interpolation {
                        braces: 0,
                        kind: StringKind::Single,
                    });
                    return self.string_piece(start, opened, true, value);
                }
                b'\\' => {
                    value.push_str(&self.text[run..self.pos]);
                    self.escape(&mut value);
                    run = self.pos;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The offset of the next quote, backslash or line break (or the end of the text): the bytes that end a
    /// plain run of a one-line string besides `${`, found a vector at a time rather than byte by byte.
    fn next_quote_backslash_or_newline(&self) -> usize {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos + memchr::memchr3(b'\'', b'\\', b'\n', rest).unwrap_or(rest.len())
    }

    /// One escape sequence after `\`.
    fn escape(&mut self, value: &mut CompactString) {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.text[self.pos..].chars().next() else {
            return;
        };
        self.pos += c.len_utf8();
        match c {
            '\\' | '\'' | '$' => value.push(c),
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            'u' if self.peek(0) == b'{' => match self.unicode_escape() {
                Some(code) => self.push_code_unit(code, value),
                None => self.error(at, "invalid unicode escape: expected \\u{hex digits}"),
            },
            '\n' => {
                self.pos -= 1;
                self.error(at, "unterminated string: a backslash cannot end a line");
            }
            _ => {
                value.push(c);
                self.error(
                    at,
                    "unknown escape sequence (valid: \\\\ \\' \\n \\r \\t \\$ \\u{...})",
                );
            }
        }
    }

    /// The `{hex}` of a `\\u{hex}` escape (the cursor on the `{`): its value, at most `10FFFF`.
    fn unicode_escape(&mut self) -> Option<u32> {
        let rest = &self.text[self.pos + 1..];
        let hex_len = rest
            .find(|ch: char| !ch.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        let code = u32::from_str_radix(&rest[..hex_len], 16)
            .ok()
            .filter(|&c| c <= 0x10FFFF)?;
        if !rest[hex_len..].starts_with('}') {
            return None;
        }
        self.pos += 1 + hex_len + 1;
        Some(code)
    }

    /// One decoded `\\u{...}` value. Bicep strings are UTF-16 like .NET's, so a character outside the basic
    /// plane may be written as two escapes, a high and a low surrogate (`\\u{D801}\\u{DC37}`): the pair is
    /// joined into one character; a surrogate left alone becomes U+FFFD.
    fn push_code_unit(&mut self, code: u32, value: &mut CompactString) {
        if (0xD800..0xDC00).contains(&code) && self.text[self.pos..].starts_with("\\u{") {
            let save = self.pos;
            self.pos += 2;
            match self.unicode_escape() {
                Some(low @ 0xDC00..0xE000) => {
                    let joined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    value.push(char::from_u32(joined).unwrap_or('\u{FFFD}'));
                    return;
                }
                _ => self.pos = save,
            }
        }
        value.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
    }

    /// The rest of a `'''...'''` string. `dollars` is `Some(n)` for `$'''` forms, which interpolate `n` dollars
    /// followed by `{`.
    fn multi_line(&mut self, start: usize, opened: bool, dollars: Option<usize>) {
        if opened {
            // A line break right after the opening quotes is not part of the value.
            if self.text[self.pos..].starts_with("\r\n") {
                self.pos += 2;
            } else if self.peek(0) == b'\n' {
                self.pos += 1;
            }
        }
        let rest = &self.text[self.pos..];
        let end = rest.find("'''");
        let interpolation = dollars.and_then(|n| {
            let opener = format!("{}{{", "$".repeat(n));
            rest.find(&opener).map(|i| (i, n + 1))
        });
        match (end, interpolation) {
            (end, Some((i, len))) if end.is_none_or(|e| i < e) => {
                let value = CompactString::from(&rest[..i]);
                self.pos += i + len;
                self.modes.push(Interpolation {
                    braces: 0,
                    kind: StringKind::Multi(dollars.unwrap_or(1)),
                });
                self.string_piece(start, opened, true, value);
            }
            (Some(e), _) => {
                // Like Bicep, the string ends at the LAST `'''` of a run of quotes: `'''say 'hi''''` is `say 'hi'`.
                let extra = rest
                    .get(e + 3..)
                    .map_or(0, |tail| tail.bytes().take_while(|&b| b == b'\'').count());
                let value = CompactString::from(rest.get(..e + extra).unwrap_or_default());
                self.pos += e + 3 + extra;
                self.string_piece(start, opened, false, value);
            }
            (None, _) => {
                let value = CompactString::from(rest);
                self.pos = self.bytes.len();
                self.error(start, "unterminated multi-line string: expected '''");
                self.string_piece(start, opened, false, value);
            }
        }
    }

    fn string_piece(&mut self, start: usize, opened: bool, continues: bool, value: CompactString) {
        let kind = match (opened, continues) {
            (true, false) => TokenKind::String(value),
            (true, true) => TokenKind::StringHead(value),
            (false, true) => TokenKind::StringMiddle(value),
            (false, false) => TokenKind::StringTail(value),
        };
        self.push(kind, start);
    }
}

#[cfg(test)]
#[path = "lexer_tests.rs"]
mod tests;
