//! The one JSON reader of the scanners: ARM templates and parameter files, and Terraform's `.tf.json`.
//!
//! Both need to know where things are (a resource's line, an attribute's column), which `serde_json::Value`
//! forgets. This reader keeps the byte range of every value and the offset of every key, keeps object keys in
//! source order, and borrows every string without escapes from the text: reading a template allocates one
//! vector per object and array and nothing per string, so a big compiled template costs little more than a
//! scan of its bytes. It accepts exactly what serde_json accepts (plus comments in [`Dialect::Arm`]), and
//! refuses nesting deeper than serde_json's recursion limit before its own recursion could hurt.

use std::borrow::Cow;

/// Containers may nest this deep at most (serde_json's limit: it refuses the 128th level).
const MAX_DEPTH: usize = 127;

/// Which JSON a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 8259 JSON (Terraform's `.tf.json`): every member of an object is kept, duplicates too.
    Strict,
    /// JSON as the Azure deployment engine reads it: `//` and `/* */` comments count as whitespace, and of
    /// duplicate keys the last wins (as in serde_json's maps, which the expressions are evaluated over).
    Arm,
}

/// A value and the bytes `start..end` of the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The value.
    pub value: Value<'a>,
    /// Offset of its first byte.
    pub start: usize,
    /// Offset just past its last byte.
    pub end: usize,
}

/// A JSON value; strings borrow from the text unless they hold escapes, numbers are their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number as written.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// Items in order.
    Array(Vec<Node<'a>>),
    /// Members in source order.
    Object(Vec<Member<'a>>),
}

/// One `"key": value` of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// Offset of the key's opening quote.
    pub key_at: usize,
    /// The value.
    pub value: Node<'a>,
}

/// Why text is not JSON: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong, in the words of the old `.tf.json` reader (`expected `,` or `}``).
    pub message: String,
}

/// Read `text` as one JSON document.
pub fn parse(text: &str, dialect: Dialect) -> Result<Node<'_>, Error> {
    read_document(text, dialect, |reader| reader.value(0))
}

/// Read `text` as one JSON document, but build only the members of the top-level object named in `keep`:
/// the rest is checked exactly as [`parse`] checks it (the same errors at the same offsets) and left out. For
/// the few top-level facts of a large document (a compiled template's `$schema` and `metadata`) at the cost
/// of a scan of its bytes.
pub fn parse_top_level<'a>(
    text: &'a str,
    dialect: Dialect,
    keep: &[&str],
) -> Result<Node<'a>, Error> {
    read_document(text, dialect, |reader| {
        reader.skip_ws();
        if reader.bytes.get(reader.pos) != Some(&b'{') {
            return reader.value(0);
        }
        let start = reader.pos;
        let members = reader.members(0, keep)?;
        Ok(Node {
            value: Value::Object(members),
            start,
            end: reader.pos,
        })
    })
}

/// The members named in `wanted` of the object that opens `head` (the first bytes of a document), read only
/// until each has been met: what follows is neither read nor checked. `None` when `head` ends, closes the
/// object or stops being JSON first. For a compiled template's `$schema` and `metadata`, which Bicep writes
/// before everything else.
pub fn leading_members<'a>(head: &'a str, dialect: Dialect, wanted: &[&str]) -> Option<Node<'a>> {
    let mut reader = Reader {
        text: head,
        bytes: head.as_bytes(),
        pos: 0,
        dialect,
    };
    reader.skip_ws();
    let start = reader.pos;
    if reader.bytes.get(start) != Some(&b'{') {
        return None;
    }
    reader.pos += 1;
    let mut members: Vec<Member<'a>> = Vec::new();
    loop {
        let (key, key_at) = reader.key().ok()?;
        if wanted.contains(&key.as_ref()) {
            let value = reader.value(1).ok()?;
            members.push(Member { key, key_at, value });
            if wanted.iter().all(|w| members.iter().any(|m| m.key == *w)) {
                let end = reader.pos;
                let value = Value::Object(members);
                return Some(Node { value, start, end });
            }
        } else {
            reader.skip(1).ok()?;
        }
        reader.skip_ws();
        if reader.bytes.get(reader.pos) != Some(&b',') {
            return None;
        }
        reader.pos += 1;
    }
}

/// One JSON document: `read` reads its value, and nothing but white space may follow it.
fn read_document<'a>(
    text: &'a str,
    dialect: Dialect,
    read: impl FnOnce(&mut Reader<'a>) -> Result<Node<'a>, Error>,
) -> Result<Node<'a>, Error> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        dialect,
    };
    let node = read(&mut reader)?;
    reader.skip_ws();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error("trailing characters after the JSON value"));
    }
    Ok(node)
}

impl<'a> Node<'a> {
    /// The member `key` of an object (the last one when a key is repeated).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.members()?
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The members of an object.
    pub fn members(&self) -> Option<&[Member<'a>]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn items(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }

    /// The same value as a `serde_json::Value` (what the expression evaluator works on); of duplicate keys the
    /// last wins, as serde_json would have read it.
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => {
                number(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(items) => items.iter().map(Node::to_serde).collect(),
            Value::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.to_string(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// A number's text as serde_json reads it (integers exactly, others as `f64`).
pub fn number(text: &str) -> Option<serde_json::Number> {
    text.parse().ok()
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    dialect: Dialect,
}

impl<'a> Reader<'a> {
    fn error(&self, message: &str) -> Error {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, offset: usize, message: &str) -> Error {
        Error {
            offset,
            message: message.to_string(),
        }
    }

    fn skip_ws(&mut self) {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.dialect == Dialect::Arm => match self.bytes.get(self.pos + 1) {
                    Some(b'/') => {
                        let rest = self.bytes.get(self.pos..).unwrap_or_default();
                        self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                    }
                    Some(b'*') => {
                        let rest = self.bytes.get(self.pos + 2..).unwrap_or_default();
                        self.pos += rest
                            .windows(2)
                            .position(|w| w == b"*/")
                            .map_or(rest.len() + 2, |p| p + 4);
                    }
                    _ => return,
                },
                _ => return,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Error> {
        self.skip_ws();
        let start = self.pos;
        let value = match self.bytes.get(self.pos) {
            Some(b'{' | b'[') if depth >= MAX_DEPTH => {
                return Err(self.error("JSON nested too deeply"));
            }
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(_) => return Err(self.error("expected a JSON value")),
            None => return Err(self.error("unexpected end of file")),
        };
        Ok(Node {
            value,
            start,
            end: self.pos,
        })
    }

    fn word(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, Error> {
        if self
            .bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
        {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, finite as an `f64`.
    fn number(&mut self) -> Result<&'a str, Error> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.bytes.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let leading_zero = self.bytes.get(self.pos) == Some(&b'0');
        let int = digits(self);
        let mut simple = int > 0 && !(leading_zero && int > 1);
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            simple &= digits(self) > 0;
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            simple &= digits(self) > 0;
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if !simple {
            return Err(self.error_at(start, "invalid number"));
        }
        // Integers that fit are exact; anything else is an `f64`, which must be finite (`1e400` is refused).
        let finite = text.len() < 19 && !text.contains(['.', 'e', 'E'])
            || text.parse::<f64>().is_ok_and(f64::is_finite);
        if finite {
            Ok(text)
        } else {
            Err(self.error_at(start, "number out of range"))
        }
    }

    /// A string starting at the quote under `pos`: borrowed when it has no escape.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        let start = self.pos;
        self.pos += 1;
        let body = self.pos;
        // Fast path: jump to the next quote or backslash; when no control character lies before it, the
        // bytes in between need no look. Otherwise the loop below finds the control character.
        let rest = self.bytes.get(body..).unwrap_or_default();
        if let Some(stop) = memchr::memchr2(b'"', b'\\', rest)
            && rest
                .get(..stop)
                .is_some_and(|run| run.iter().all(|&b| b >= 0x20))
        {
            self.pos = body + stop;
        }
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error_at(start, "unterminated string")),
                Some(b'"') => {
                    let s = self.text.get(body..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => return Err(self.error("control character in a string")),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(self.text.get(body..self.pos).unwrap_or_default());
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error_at(start, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(0..=0x1f) => return Err(self.error("control character in a string")),
                Some(_) => {
                    // Copy the run up to the next quote or backslash in one go.
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    let run = rest
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                        .unwrap_or(rest.len());
                    out.push_str(self.text.get(self.pos..self.pos + run).unwrap_or_default());
                    self.pos += run;
                }
            }
        }
    }

    /// The character of the escape after a backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let at = self.pos;
        let Some(&c) = self.bytes.get(self.pos) else {
            return Err(self.error_at(at, "unterminated string"));
        };
        self.pos += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'u' => {
                let high = self.hex4(at)?;
                if !(0xD800..0xE000).contains(&high) {
                    return char::from_u32(high).ok_or_else(|| self.error_at(at, "bad \\u escape"));
                }
                // A surrogate must be a high one followed by `\u` and a low one.
                let pair = self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u");
                if high >= 0xDC00 || !pair {
                    return Err(self.error_at(at, "bad \\u escape"));
                }
                self.pos += 2;
                let low = self.hex4(at)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return Err(self.error_at(at, "bad \\u escape"));
                }
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                char::from_u32(code).ok_or_else(|| self.error_at(at, "bad \\u escape"))?
            }
            _ => return Err(self.error_at(at, "bad escape")),
        })
    }

    fn hex4(&mut self, at: usize) -> Result<u32, Error> {
        let hex = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error_at(at, "bad \\u escape"))?;
        self.pos += 4;
        u32::from_str_radix(hex, 16).map_err(|_| self.error_at(at, "bad \\u escape"))
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        self.members(depth, &[]).map(Value::Object)
    }

    /// A member's key and the `:` after it (white space around both skipped): the key, unescaped, and the
    /// offset of its opening quote.
    fn key(&mut self) -> Result<(Cow<'a, str>, usize), Error> {
        self.skip_ws();
        let key_at = self.pos;
        if self.bytes.get(key_at) != Some(&b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        self.skip_ws();
        if self.bytes.get(self.pos) != Some(&b':') {
            return Err(self.error("expected `:`"));
        }
        self.pos += 1;
        Ok((key, key_at))
    }

    /// The members of the object under `pos`; with `only` not empty, only those whose key it names are built
    /// (the others are [`skip`](Self::skip)ped).
    fn members(&mut self, depth: usize, only: &[&str]) -> Result<Vec<Member<'a>>, Error> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(members);
        }
        loop {
            let (key, key_at) = self.key()?;
            if only.is_empty() || only.contains(&key.as_ref()) {
                let value = self.value(depth + 1)?;
                members.push(Member { key, key_at, value });
            } else {
                self.skip(depth + 1)?;
            }
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    if self.dialect == Dialect::Arm {
                        last_key_wins(&mut members);
                    }
                    return Ok(members);
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// Check one value as [`value`](Self::value) does (the same errors at the same offsets) without building
    /// it.
    fn skip(&mut self, depth: usize) -> Result<(), Error> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            Some(b'{' | b'[') if depth >= MAX_DEPTH => Err(self.error("JSON nested too deeply")),
            Some(b'{') => self.skip_container(depth, b'}', true),
            Some(b'[') => self.skip_container(depth, b']', false),
            Some(b'"') => self.string().map(drop),
            Some(b't') => self.word("true", Value::Null).map(drop),
            Some(b'f') => self.word("false", Value::Null).map(drop),
            Some(b'n') => self.word("null", Value::Null).map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of file")),
        }
    }

    /// The rest of an object (`keyed`) or array after its opening bracket under `pos`, checked, not built.
    fn skip_container(&mut self, depth: usize, close: u8, keyed: bool) -> Result<(), Error> {
        self.pos += 1;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&close) {
            self.pos += 1;
            return Ok(());
        }
        loop {
            if keyed {
                self.key()?;
            }
            self.skip(depth + 1)?;
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(&c) if c == close => {
                    self.pos += 1;
                    return Ok(());
                }
                _ if keyed => return Err(self.error("expected `,` or `}`")),
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }
}

/// Drop every member whose key comes again later in the object, as a map reading it would.
fn last_key_wins(members: &mut Vec<Member<'_>>) {
    let repeated = if members.len() <= 16 {
        members.iter().enumerate().any(|(i, m)| {
            members
                .get(i + 1..)
                .is_some_and(|rest| rest.iter().any(|n| n.key == m.key))
        })
    } else {
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        !members.iter().all(|m| seen.insert(m.key.as_ref()))
    };
    if !repeated {
        return;
    }
    let mut last = std::collections::HashMap::new();
    for (i, m) in members.iter().enumerate() {
        last.insert(m.key.to_string(), i);
    }
    let mut i = 0;
    members.retain(|m| {
        let keep = last.get(m.key.as_ref()) == Some(&i);
        i += 1;
        keep
    });
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
