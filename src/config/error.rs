//! Config errors: `file:line:column: message`, with serde's wording turned into what a user can act on
//! (`unknown key 'credit' in program; valid keys: kind, joined, ...`).

use std::fmt;

/// Why a config file could not be used. Maps to exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The file exists but could not be read.
    Io {
        /// The file.
        file: String,
        /// The OS error.
        message: String,
    },
    /// The file is not valid YAML, has an unknown key or a bad value, or contradicts itself.
    Invalid {
        /// The file.
        file: String,
        /// 1-based line; 0 when unknown.
        line: u32,
        /// 1-based column; 0 when unknown.
        column: u32,
        /// What is wrong and what is valid.
        message: String,
    },
}

impl std::error::Error for ConfigError {}

/// A config that cannot be used is a configuration error: exit 2.
impl crate::exit::ExitStatus for ConfigError {
    fn exit(&self) -> crate::exit::Exit {
        crate::exit::Exit::Usage
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io { file, message } => write!(f, "{file}: cannot read: {message}"),
            ConfigError::Invalid {
                file,
                line,
                column,
                message,
            } => match (line, column) {
                (0, _) => write!(f, "{file}: {message}"),
                (l, 0) => write!(f, "{file}:{l}: {message}"),
                (l, c) => write!(f, "{file}:{l}:{c}: {message}"),
            },
        }
    }
}

impl ConfigError {
    pub(super) fn io(file: &str, e: &std::io::Error) -> Self {
        ConfigError::Io {
            file: file.to_string(),
            message: e.to_string(),
        }
    }

    /// The file is not UTF-8 (UTF-16 from a Windows editor, Latin-1): where the first bad byte is.
    pub(super) fn not_utf8(file: &str, e: &std::string::FromUtf8Error) -> Self {
        let bytes = e.as_bytes();
        let valid = bytes
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or_default();
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ConfigError::Invalid {
            file: file.to_string(),
            line: to_u32(line),
            column: to_u32(column),
            message: "the file is not UTF-8; save it as UTF-8".to_string(),
        }
    }

    pub(super) fn from_yaml(file: &str, e: &serde_yaml_ng::Error) -> Self {
        let (line, column) = e
            .location()
            .map(|l| (to_u32(l.line()), to_u32(l.column())))
            .unwrap_or((0, 0));
        let text = e.to_string();
        // serde_yaml_ng appends " at line L column C" (or "at position N"); the location is shown in front.
        let bare = text
            .rfind(" at line ")
            .and_then(|i| text.get(..i))
            .unwrap_or(&text);
        ConfigError::Invalid {
            file: file.to_string(),
            line,
            column,
            message: rewrite_serde_message(bare),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `program: unknown field `credit`, expected one of `kind`, `joined`` →
/// `unknown key 'credit' in program; valid keys: kind, joined`.
fn rewrite_serde_message(message: &str) -> String {
    let (path, rest) = split_path(message);
    let place = |what: &str| match path {
        Some(p) => format!("{what} {p}"),
        None => "at the top level".to_string(),
    };
    if let Some(tail) = rest.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(tail);
        return format!(
            "unknown key '{name}' {}; valid keys: {expected}",
            place("in")
        );
    }
    if let Some(tail) = rest.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(tail);
        let key = path.unwrap_or("value");
        return format!("invalid value '{name}' for {key}; valid choices: {expected}");
    }
    match path {
        Some(p) => format!("{p}: {rest}"),
        None => rest.to_string(),
    }
}

/// Split serde_yaml_ng's `path: message` (the path is omitted at the top level).
fn split_path(message: &str) -> (Option<&str>, &str) {
    match message.split_once(": ") {
        Some((p, rest))
            if !p.contains(' ')
                && (rest.starts_with("unknown ") || rest.starts_with("invalid ")) =>
        {
            (Some(p), rest)
        }
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() && p != "." => (Some(p), rest),
        _ => (None, message),
    }
}

/// `` `credit`, expected one of `kind`, `joined` `` → (`credit`, `kind, joined`).
fn split_expected(tail: &str) -> (String, String) {
    let strip = |s: &str| s.trim().trim_matches('`').to_string();
    match tail.split_once(", expected ") {
        Some((name, expected)) => {
            // serde writes "one of `a`, `b`, `c`", or "`a` or `b`" for two choices.
            let list = expected
                .trim_start_matches("one of ")
                .replace("` or `", "`, `");
            let list = list.split(", ").map(strip).collect::<Vec<_>>().join(", ");
            (strip(name), list)
        }
        None => (strip(tail), "none".to_string()),
    }
}

/// The 1-based line and column of the key at `keys` (a path of block-mapping keys) in YAML `text`; when the
/// full path is not written as a block key (e.g. inside a flow mapping), the deepest enclosing key found.
pub(super) fn key_position(text: &str, keys: &[&str]) -> Option<(u32, u32)> {
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut best: Option<(usize, u32, u32)> = None;
    for (index, raw) in text.lines().enumerate() {
        let content = raw.trim_start();
        if content.is_empty() || content.starts_with('#') || content.starts_with('-') {
            continue;
        }
        let indent = raw.len() - content.len();
        let Some((key, _)) = content.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, key));
        let depth = stack.len();
        let matches = depth <= keys.len() && stack.iter().zip(keys).all(|((_, k), want)| k == want);
        if matches && best.is_none_or(|(d, _, _)| depth > d) {
            best = Some((depth, to_u32(index + 1), to_u32(indent + 1)));
            if depth == keys.len() {
                break;
            }
        }
    }
    best.map(|(_, line, column)| (line, column))
}
