//! Terminal colour: on only when asked (`--color always`) or when writing to a terminal (`auto`), and never when
//! `NO_COLOR` is set in `auto` mode.

/// Whether to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Emit ANSI colour codes.
    pub color: bool,
}

impl Style {
    /// Bold text.
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    /// Dim text.
    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    /// Red text (errors).
    pub fn red(&self, s: &str) -> String {
        self.wrap("31", s)
    }
    /// Yellow text (warnings).
    pub fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    /// Green text (good news).
    pub fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    /// Cyan text (notes, info).
    pub fn cyan(&self, s: &str) -> String {
        self.wrap("36", s)
    }

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Pad `s` on the right to `width` characters.
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}
