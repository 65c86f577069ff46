//! Splitting a step's script into the commands it runs.
//!
//! A workflow deploys through what its steps *run*, so a `run:` block is read the way a shell reads it, not
//! searched as text: comments, here-document bodies and quoted strings never become commands, line
//! continuations join lines, and `&&`, `||`, `;`, `|` and newlines separate commands. Command substitutions
//! (`$(...)`, backticks, `<(...)`) run too, so their commands are listed (before the command that holds them).
//! Variable references are kept as [`Part::Var`] so the caller can resolve them against what the step assigned.
//! Two dialects are understood: POSIX-like shells (bash, sh) and PowerShell (backtick continuations, `<# #>`
//! comments, here-strings, script blocks).

/// Nesting limit for substitutions and script blocks: deeper text is kept as a literal.
const MAX_DEPTH: usize = 24;

pub use super::words::{Command, Part, Vars, Word};

/// Which shell's rules to read a script with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// bash, sh and the like (also used for `cmd`, which it approximates).
    Bash,
    /// PowerShell (`pwsh`, `powershell`, azure/powershell inline scripts).
    PowerShell,
}

/// Split `script` into the commands it runs, in order (substitutions before their enclosing command).
pub fn parse(script: &str, dialect: Dialect) -> Vec<Command> {
    parse_at(script, dialect, 0)
}

fn parse_at(script: &str, dialect: Dialect, depth: usize) -> Vec<Command> {
    let mut lexer = Lexer {
        chars: script.chars().collect(),
        pos: 0,
        dialect,
        depth,
        out: Vec::new(),
        words: Vec::new(),
        word: None,
        heredocs: Vec::new(),
        skip_target: false,
        heredoc_delimiter_next: false,
    };
    lexer.run();
    lexer.out
}

/// Reads a script character by character; see the module docs for what it understands.
struct Lexer {
    chars: Vec<char>,
    pos: usize,
    dialect: Dialect,
    depth: usize,
    out: Vec<Command>,
    words: Vec<Word>,
    word: Option<Word>,
    /// Here-document delimiters whose bodies start after the current line.
    heredocs: Vec<String>,
    /// The next word is a redirection target (`> file`), not an argument.
    skip_target: bool,
    /// The next word is a here-document delimiter (`<<EOF`).
    heredoc_delimiter_next: bool,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// Start a word at an opening quote (remembered: a quoted PowerShell value is a string, not a command).
    fn start_quoted_word(&mut self) {
        self.word.get_or_insert_with(|| Word {
            parts: Vec::new(),
            starts_quoted: true,
        });
    }

    fn peek_back(&self) -> Option<char> {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.chars.get(p))
            .copied()
    }

    fn push_text(&mut self, s: &str) {
        let word = self.word.get_or_insert_with(Word::default);
        if let Some(Part::Text(t)) = word.parts.last_mut() {
            t.push_str(s);
        } else {
            word.parts.push(Part::Text(s.to_string()));
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_text(c.encode_utf8(&mut buf));
    }

    fn end_word(&mut self) {
        let Some(word) = self.word.take() else { return };
        if self.heredoc_delimiter_next {
            self.heredoc_delimiter_next = false;
            let delimiter = word.expand_joined(&Vars::new());
            self.heredocs.push(delimiter.trim().to_string());
        } else if self.skip_target {
            self.skip_target = false;
        } else {
            self.words.push(word);
        }
    }

    fn end_command(&mut self) {
        self.end_word();
        self.skip_target = false;
        if !self.words.is_empty() {
            self.out.push(Command {
                words: std::mem::take(&mut self.words),
            });
        }
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            match (c, self.dialect) {
                ('\n', _) => {
                    self.pos += 1;
                    self.end_command();
                    self.skip_heredoc_bodies();
                }
                (' ' | '\t' | '\r', _) => {
                    self.pos += 1;
                    self.end_word();
                }
                ('\\', Dialect::Bash) | ('`', Dialect::PowerShell) => self.escape(),
                ('#', _) if self.word.is_none() => self.comment(),
                ('<', Dialect::PowerShell) if self.word.is_none() && self.peek(1) == Some('#') => {
                    self.block_comment()
                }
                ('\'', _) => self.single_quoted(),
                ('"', _) => self.double_quoted(),
                ('$', _) => self.dollar(false),
                ('`', Dialect::Bash) => self.backtick_substitution(),
                ('@', Dialect::PowerShell) if matches!(self.peek(1), Some('"' | '\'')) => {
                    self.here_string()
                }
                ('&', _) if self.peek(1) == Some('>') => self.redirection(),
                (';' | '&' | '|', _) => {
                    self.pos += 1;
                    self.end_command();
                }
                ('<' | '>', _) => self.redirection(),
                ('(' | ')', Dialect::Bash) => {
                    self.pos += 1;
                    self.end_command();
                }
                ('{' | '}', Dialect::Bash)
                    if self.word.is_none() && self.bash_brace_is_reserved() =>
                {
                    self.pos += 1;
                    self.end_command();
                }
                ('(' | '{', Dialect::PowerShell) => self.powershell_block(),
                (')' | '}', Dialect::PowerShell) => {
                    self.pos += 1;
                    self.end_command();
                }
                _ => {
                    self.pos += 1;
                    self.push_char(c);
                }
            }
        }
        self.end_command();
    }

    /// `{` and `}` are reserved words only when they stand alone.
    fn bash_brace_is_reserved(&self) -> bool {
        matches!(self.peek(1), None | Some(' ' | '\t' | '\n' | '\r' | ';'))
    }

    /// Backslash (bash) or backtick (PowerShell): a line continuation before a newline, else an escaped char.
    fn escape(&mut self) {
        match (self.peek(1), self.peek(2)) {
            (Some('\n'), _) => self.pos += 2,
            (Some('\r'), Some('\n')) => self.pos += 3,
            (Some(next), _) => {
                self.pos += 2;
                self.push_char(next);
            }
            (None, _) => self.pos += 1,
        }
    }

    fn comment(&mut self) {
        while let Some(c) = self.peek(0) {
            if c == '\n' {
                break;
            }
            self.pos += 1;
        }
    }

    fn block_comment(&mut self) {
        self.pos += 2;
        while self.peek(0).is_some() {
            if self.peek(0) == Some('#') && self.peek(1) == Some('>') {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
    }

    fn single_quoted(&mut self) {
        self.pos += 1;
        self.start_quoted_word();
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            if c == '\'' {
                if self.dialect == Dialect::PowerShell && self.peek(0) == Some('\'') {
                    self.pos += 1;
                    self.push_char('\'');
                    continue;
                }
                return;
            }
            self.push_char(c);
        }
    }

    fn double_quoted(&mut self) {
        self.pos += 1;
        self.start_quoted_word();
        while let Some(c) = self.peek(0) {
            match (c, self.dialect) {
                ('"', Dialect::PowerShell) if self.peek(1) == Some('"') => {
                    self.pos += 2;
                    self.push_char('"');
                }
                ('"', _) => {
                    self.pos += 1;
                    return;
                }
                ('\\', Dialect::Bash) => {
                    match self.peek(1) {
                        Some('\n') => {}
                        Some(n @ ('$' | '`' | '"' | '\\')) => self.push_char(n),
                        Some(n) => {
                            self.push_char('\\');
                            self.push_char(n);
                        }
                        None => self.push_char('\\'),
                    }
                    self.pos += 2;
                }
                ('`', Dialect::PowerShell) => {
                    if let Some(n) = self.peek(1).filter(|&n| n != '\n') {
                        self.push_char(n);
                    }
                    self.pos += 2;
                }
                ('`', Dialect::Bash) => self.backtick_substitution(),
                ('$', _) => self.dollar(true),
                _ => {
                    self.pos += 1;
                    self.push_char(c);
                }
            }
        }
    }

    /// Everything that starts with `$`: GitHub expressions, substitutions, variables.
    fn dollar(&mut self, quoted: bool) {
        match (self.peek(1), self.peek(2)) {
            (Some('{'), Some('{')) => self.github_expression(),
            (Some('('), _) => {
                self.pos += 1;
                self.substitution('(', ')', true);
            }
            (Some('{'), _) => self.braced_variable(quoted),
            (Some('\''), _) if self.dialect == Dialect::Bash && !quoted => {
                self.pos += 1;
                self.ansi_c_quoted();
            }
            (Some(c), _) if c.is_ascii_alphabetic() || c == '_' => self.variable(quoted),
            (Some(c), _) if self.dialect == Dialect::Bash && "?#@*!$-0123456789".contains(c) => {
                self.pos += 2;
                self.push_char('$');
                self.push_char(c);
            }
            _ => {
                self.pos += 1;
                self.push_char('$');
            }
        }
    }

    /// `${{ ... }}` is replaced by GitHub before the shell runs: kept whole, spaces included.
    fn github_expression(&mut self) {
        let start = self.pos;
        self.pos += 3;
        while self.peek(0).is_some() && !(self.peek(0) == Some('}') && self.peek(1) == Some('}')) {
            self.pos += 1;
        }
        self.pos = (self.pos + 2).min(self.chars.len());
        let text: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        self.push_text(&text);
    }

    fn variable(&mut self, quoted: bool) {
        self.pos += 1;
        let mut name = String::new();
        while let Some(c) = self.peek(0) {
            let scope_colon = c == ':'
                && self.dialect == Dialect::PowerShell
                && self
                    .peek(1)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || n == '_');
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
            } else if scope_colon {
                name.clear();
            } else {
                break;
            }
            self.pos += 1;
        }
        self.push_var(name, quoted, None);
    }

    /// `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:=default}`; other operators keep the name.
    fn braced_variable(&mut self, quoted: bool) {
        self.pos += 2;
        let mut inner = String::new();
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            if c == '}' {
                break;
            }
            inner.push(c);
        }
        let inner = inner.strip_prefix("env:").unwrap_or(&inner);
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let (name, rest) = inner.split_at(name_len);
        let default = [":-", "-", ":=", "="]
            .iter()
            .find_map(|op| rest.strip_prefix(op))
            .map(str::to_string);
        if name.is_empty() {
            self.push_text(&format!("${{{inner}}}"));
        } else {
            self.push_var(name.to_string(), quoted, default);
        }
    }

    fn push_var(&mut self, name: String, quoted: bool, default: Option<String>) {
        // PowerShell never splits a variable's value into words.
        let quoted = quoted || self.dialect == Dialect::PowerShell;
        if name.is_empty() {
            self.push_char('$');
            return;
        }
        self.word
            .get_or_insert_with(Word::default)
            .parts
            .push(Part::Var {
                name,
                quoted,
                default,
            });
    }

    fn ansi_c_quoted(&mut self) {
        self.pos += 1;
        self.start_quoted_word();
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                '\'' => return,
                '\\' => {
                    if let Some(n) = self.peek(0) {
                        self.pos += 1;
                        self.push_char(if n == 'n' { '\n' } else { n });
                    }
                }
                _ => self.push_char(c),
            }
        }
    }

    /// The text up to the bracket matching the one at `self.pos` (quotes respected), and moves past it.
    fn take_bracketed(&mut self, open: char, close: char) -> String {
        self.pos += 1;
        let start = self.pos;
        let mut level = 1usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek(0) {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some('"'), '\\') if self.dialect == Dialect::Bash => self.pos += 1,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                // A comment may hold an apostrophe or a bracket; it ends at the line's end.
                (None, '#')
                    if self.pos == start || self.peek_back().is_some_and(char::is_whitespace) =>
                {
                    while self.peek(1).is_some_and(|n| n != '\n') {
                        self.pos += 1;
                    }
                }
                (None, '\\') if self.dialect == Dialect::Bash => self.pos += 1,
                (None, c) if c == open => level += 1,
                (None, c) if c == close => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        let end = self.pos.min(self.chars.len());
        self.pos = (self.pos + 1).min(self.chars.len());
        self.chars
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// `$(...)`, `<(...)`, PowerShell `$(...)`: the inner commands run (listed now); the word keeps the text.
    fn substitution(&mut self, open: char, close: char, keep_text: bool) {
        let inner = self.take_bracketed(open, close);
        if self.depth < MAX_DEPTH {
            let nested = parse_at(&inner, self.dialect, self.depth + 1);
            self.out.extend(nested);
        }
        if keep_text {
            self.push_text(&format!("$({inner})"));
        }
    }

    fn backtick_substitution(&mut self) {
        self.pos += 1;
        let mut inner = String::new();
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            if c == '`' {
                break;
            }
            inner.push(c);
        }
        if self.depth < MAX_DEPTH {
            let nested = parse_at(&inner, self.dialect, self.depth + 1);
            self.out.extend(nested);
        }
        self.push_text(&format!("$({inner})"));
    }

    /// PowerShell `( ... )` and `{ ... }`: a group at the start of a command, else an argument whose commands
    /// run (conditions, script blocks); either way the inner commands are listed.
    fn powershell_block(&mut self) {
        let open = self.peek(0).unwrap_or('(');
        let close = if open == '(' { ')' } else { '}' };
        let mid_command = self.word.is_some() || !self.words.is_empty();
        self.end_word();
        let saved_words = std::mem::take(&mut self.words);
        self.substitution(open, close, false);
        self.words = saved_words;
        if mid_command {
            self.words.push(Word::text(&format!("{open}{close}")));
        }
    }

    /// PowerShell here-strings `@" ... "@` / `@' ... '@`: one literal word, never commands.
    fn here_string(&mut self) {
        let quote = self.peek(1).unwrap_or('"');
        self.pos += 2;
        self.start_quoted_word();
        let mut text = String::new();
        let mut at_line_start = false;
        while let Some(c) = self.peek(0) {
            if at_line_start && c == quote && self.peek(1) == Some('@') {
                self.pos += 2;
                break;
            }
            at_line_start = c == '\n' || (at_line_start && (c == ' ' || c == '\t'));
            text.push(c);
            self.pos += 1;
        }
        self.push_text(text.trim_start_matches(['\r', '\n']));
    }

    /// `>`, `>>`, `2>&1`, `&>`, `<`, `<<EOF`, `<<<`, `<(...)`: the target is not an argument; a here-document's
    /// body is skipped at the end of the line.
    fn redirection(&mut self) {
        if matches!(self.peek(0), Some('<' | '>'))
            && self.peek(1) == Some('(')
            && self.dialect == Dialect::Bash
        {
            self.pos += 1;
            self.substitution('(', ')', true);
            return;
        }
        let fd_only = self
            .word
            .as_ref()
            .and_then(Word::literal)
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        if fd_only {
            self.word = None;
        } else {
            self.end_word();
        }
        let mut op = String::new();
        while let Some(c @ ('<' | '>' | '&' | '|' | '*')) = self.peek(0) {
            if c == '&' && op.ends_with('&') {
                break;
            }
            op.push(c);
            self.pos += 1;
            if op == "<<" && self.peek(0) == Some('-') {
                self.pos += 1;
            }
            if op.ends_with(">&") || op.ends_with("<&") {
                break;
            }
        }
        match op.as_str() {
            "<<" if self.dialect == Dialect::Bash => self.heredoc_delimiter_next = true,
            o if o.ends_with('&') => {
                while let Some(c) = self.peek(0).filter(|c| c.is_ascii_digit() || *c == '-') {
                    let _ = c;
                    self.pos += 1;
                }
            }
            _ => self.skip_target = true,
        }
    }

    /// At the start of a line after `<<DELIM`: skip the body up to the line that is just `DELIM`.
    fn skip_heredoc_bodies(&mut self) {
        for delimiter in std::mem::take(&mut self.heredocs) {
            loop {
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                if self.peek(0).is_some() {
                    self.pos += 1;
                }
                if line.trim() == delimiter || self.peek(0).is_none() {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
