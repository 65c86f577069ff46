//! The one loop behind every bracketed list of the Bicep parser: objects, arrays, object types and tuples
//! (items on their own lines or separated by commas), call arguments and type arguments (commas only). Each
//! turn either consumes a token or ends the list, so no input makes it loop forever.

use super::lexer::TokenKind;
use super::parser::Parser;

/// How a list's items are separated, and what the parser says when a separator is missing.
#[derive(Clone, Copy)]
pub(super) enum Separators {
    /// New lines or commas; the text names the items in "expected a new line or ',' between {items}".
    Lines(&'static str),
    /// Commas only; the text is the whole error when neither a comma nor the closing bracket follows.
    Commas(&'static str),
}

/// A list's closing bracket: its token and its text, for "expected '{text}'".
pub(super) struct Close {
    pub(super) token: TokenKind,
    pub(super) text: &'static str,
}

impl Parser<'_> {
    /// Parse the items of a list whose opening bracket is already consumed, up to and including `close`,
    /// calling `item` for each. A missing closing bracket (end of file, or the next statement starting in the
    /// first column) is reported as "expected '{close}'"; a missing separator is reported and skipped.
    pub(super) fn delimited(
        &mut self,
        close: &Close,
        separators: Separators,
        mut item: impl FnMut(&mut Self),
    ) {
        loop {
            match separators {
                Separators::Lines(_) => self.skip_separators(),
                Separators::Commas(_) => self.skip_newlines(),
            }
            if self.eat(&close.token) || self.list_cut_short(close.text) {
                break;
            }
            let before = self.position();
            item(self);
            match separators {
                Separators::Lines(items) => {
                    self.after_item(&close.token, items);
                    if self.position() == before && !self.at(&close.token) {
                        self.bump();
                    }
                }
                Separators::Commas(error) => {
                    self.skip_newlines();
                    if !self.eat(&TokenKind::Comma) && !self.at(&close.token) {
                        self.error(error);
                        self.recover(&[TokenKind::Comma, close.token.clone()]);
                        self.eat(&TokenKind::Comma);
                    }
                    if self.position() == before {
                        self.bump();
                    }
                }
            }
        }
    }

    /// Skip the separators between list items: newlines and commas.
    pub(super) fn skip_separators(&mut self) {
        while matches!(self.peek(), TokenKind::Newline | TokenKind::Comma) {
            self.bump();
        }
    }

    /// After a list item: the next must be a separator or the closing bracket; otherwise report and skip.
    fn after_item(&mut self, close: &TokenKind, what: &str) {
        if matches!(
            self.peek(),
            TokenKind::Newline | TokenKind::Comma | TokenKind::Eof
        ) || self.at(close)
            || self.at_statement_start()
            || self.bailing
        {
            return;
        }
        self.error(&format!("expected a new line or ',' between {what}"));
        self.recover(&[close.clone(), TokenKind::Comma]);
    }

    /// Whether a list loop must stop before the closing bracket: end of file, a statement start (a closing
    /// bracket is missing) or a depth bail-out.
    fn list_cut_short(&mut self, close: &str) -> bool {
        if self.bailing {
            return true;
        }
        if self.at_eof() || self.at_statement_start() {
            self.error(&format!("expected '{close}'"));
            return true;
        }
        false
    }
}
