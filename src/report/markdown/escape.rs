//! Making repository text inert in GitHub Markdown.
//!
//! Resource names, paths, workflow names and titles built from files are written by whoever controls the
//! repository (or a pull request to it). In a comment they must never become live Markdown, HTML, a link or an
//! `@` mention (a mention notifies people). Two tools: [`escape_md`] for prose and table cells, [`code_span`]
//! (and [`table_code_span`] inside tables) for names and paths; [`clip`] bounds one value so that a single
//! 70,000-character name cannot push everything else out of a body.
//!
//! Mentions: GitHub decodes entities (`&#64;`) and drops the backslash of `\@` *before* it looks for
//! mentions, so neither stops a notification. A zero-width space (U+200B) right after the `@` does, and so does
//! a code span. Links: GitHub also links bare `https://...` and `www.` text (GFM autolinks), so a zero-width
//! space goes into `://` and after `www`. Invisible characters: bidirectional controls and other zero-width or
//! format characters in repository text are shown as `\u{...}`, never passed through (they can make a
//! comment read differently from what it says).

use std::borrow::Cow;

/// The zero-width space put after `@` (and into `://`, after `www`, after `#` before a digit).
pub const ZWSP: char = '\u{200B}';

/// Characters of one table cell value at most (names, types, paths, regions, titles).
pub const MAX_CELL_CHARS: usize = 200;

/// Characters of one prose value at most (a suggestion's detail, a diagnostic message).
pub const MAX_PROSE_CHARS: usize = 1_000;

/// `text` cut to `max` characters, ending in `…` when cut.
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
            short.push('…');
            Cow::Owned(short)
        }
    }
}

/// Invisible or direction-changing characters: bidirectional controls (U+202A–U+202E, U+2066–U+2069), the
/// zero-width and other format characters (category Cf), fillers that render as nothing, and tag characters.
/// Variation selectors are not among them (emoji need them).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// The HTML entity for `&`, `<`, `>`, `"` and `'`, the characters that are markup in text and attributes.
pub fn html_entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    }
}

/// `\u{202e}`: how an invisible or control character is shown.
pub fn shown(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// Escape `s` so that GitHub renders it as the literal text: `<`, `>`, `&` become entities, `|` becomes `&#124;`
/// (safe inside table cells), `\`, `*`, `_`, `[`, `]`, `` ` ``, `~` and `#` are backslash-escaped, a
/// zero-width space follows every `@` (no mention), goes into `://` and after `www` (no autolink) and after
/// a `#` before a digit (no issue link); line breaks become spaces (a newline could start a heading or end a
/// table row); control, bidirectional and invisible characters are shown as `\u{...}`.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '@' => {
                out.push('@');
                out.push(ZWSP);
            }
            ':' if chars.peek() == Some(&'/') => {
                out.push(':');
                out.push(ZWSP);
            }
            '.' if ends_with_www(&out) => {
                out.push(ZWSP);
                out.push('.');
            }
            '#' => {
                out.push_str("\\#");
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    out.push(ZWSP);
                }
            }
            '\\' | '*' | '_' | '[' | ']' | '`' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_invisible(c) => out.push_str(&shown(c)),
            c => out.push(c),
        }
    }
    out
}

/// The output ends in `www` at the start of a word (GFM's `www.` autolink would follow).
fn ends_with_www(out: &str) -> bool {
    let Some(head) = out.len().checked_sub(3).and_then(|i| out.get(i..)) else {
        return false;
    };
    head.eq_ignore_ascii_case("www")
        && out
            .get(..out.len() - 3)
            .and_then(|before| before.chars().next_back())
            .is_none_or(|b| !b.is_alphanumeric())
}

/// The text of a code span: line breaks and tabs become spaces, other control and invisible characters are
/// shown as `\u{...}`.
fn code_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_invisible(c) => out.push_str(&shown(c)),
            c => out.push(c),
        }
    }
    out
}

/// `s` as an inline code span: the fence is one backtick longer than the longest run of backticks inside, and
/// padded with spaces when `s` starts or ends with a backtick (CommonMark strips one space each side). Line
/// breaks become spaces; invisible characters are shown as `\u{...}`. Nothing inside a code span is Markdown,
/// HTML, a link or a mention. Not for table cells: use [`table_code_span`] there.
pub fn code_span(s: &str) -> String {
    let text = code_text(s);
    if text.trim().is_empty() {
        // An all-space span would render as nothing useful; show the emptiness explicitly.
        return "` `".to_string();
    }
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' '));
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// [`code_span`] for a table cell, with the value clipped to [`MAX_CELL_CHARS`]: GitHub splits cells at every
/// unescaped `|`, even inside code spans, so `|` is written `\|` (which the table parser turns back into a
/// literal `|` inside the span).
pub fn table_code_span(s: &str) -> String {
    code_span(&clip(s, MAX_CELL_CHARS)).replace('|', "\\|")
}

/// [`escape_md`] for a table cell: the value clipped to [`MAX_CELL_CHARS`] first.
pub fn cell(s: &str) -> String {
    escape_md(&clip(s, MAX_CELL_CHARS))
}

/// Escape `s` for an HTML context such as `<summary>` (where Markdown escapes would show as backslashes):
/// `&`, `<`, `>`, `"`, `'` become entities, a zero-width space follows `@`, line breaks become spaces and
/// invisible characters are shown as `\u{...}`.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if let Some(entity) = html_entity(c) {
            out.push_str(entity);
            continue;
        }
        match c {
            '@' => {
                out.push('@');
                out.push(ZWSP);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_invisible(c) => out.push_str(&shown(c)),
            c => out.push(c),
        }
    }
    out
}

fn longest_backtick_run(s: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_never_live() {
        let e = escape_md("<script>alert(1)</script>");
        assert_eq!(e, "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert!(!e.contains('<'));
        assert_eq!(escape_md("<!-- azengage -->"), "&lt;!-- azengage --&gt;");
        assert_eq!(escape_md("&#64;team"), "&amp;\\#\u{200B}64;team");
    }

    #[test]
    fn mentions_get_a_zero_width_space_not_an_entity() {
        assert_eq!(escape_md("@org/team"), "@\u{200B}org/team");
        assert_eq!(escape_md("ping @alice"), "ping @\u{200B}alice");
        assert_eq!(escape_md("a@b @c").matches("@\u{200B}").count(), 2);
        assert!(!escape_md("@x").contains("&#64;"));
        assert_eq!(escape_html("@all"), "@\u{200B}all");
    }

    #[test]
    fn bare_urls_and_issue_numbers_do_not_link() {
        assert_eq!(
            escape_md("see https://evil.example/x"),
            "see https:\u{200B}//evil.example/x"
        );
        assert_eq!(escape_md("www.evil.example"), "www\u{200B}.evil.example");
        assert_eq!(escape_md("WWW.x.io"), "WWW\u{200B}.x.io");
        // Not at the start of a word: no autolink, nothing inserted.
        assert_eq!(escape_md("awww.example"), "awww.example");
        assert_eq!(escape_md("fixes #12"), "fixes \\#\u{200B}12");
        assert_eq!(escape_md("# x"), "\\# x");
    }

    #[test]
    fn bidi_and_invisible_characters_are_shown() {
        assert_eq!(escape_md("abc\u{202E}def"), "abc\\u{202e}def");
        assert_eq!(escape_md("a\u{2066}b\u{2069}"), "a\\u{2066}b\\u{2069}");
        assert_eq!(escape_md("zero\u{200B}width"), "zero\\u{200b}width");
        assert_eq!(escape_md("bell\u{7}"), "bell\\u{7}");
        assert_eq!(code_span("x\u{202D}y"), "`x\\u{202d}y`");
        assert_eq!(escape_html("\u{FEFF}t"), "\\u{feff}t");
        // Emoji keep their variation selector.
        assert_eq!(escape_md("\u{2764}\u{FE0F}"), "\u{2764}\u{FE0F}");
    }

    #[test]
    fn table_cells_cannot_be_split_or_ended() {
        assert_eq!(escape_md("| table breaker"), "&#124; table breaker");
        assert_eq!(escape_md("row\n| x | y |"), "row &#124; x &#124; y &#124;");
        assert!(!escape_md("a|b\r\nc").contains(['|', '\n', '\r']));
    }

    #[test]
    fn emphasis_links_and_code_are_escaped() {
        assert_eq!(escape_md("`x`"), "\\`x\\`");
        assert_eq!(escape_md("**bold** _it_"), "\\*\\*bold\\*\\* \\_it\\_");
        assert_eq!(
            escape_md("[click](https://evil.example)"),
            "\\[click\\](https:\u{200B}//evil.example)"
        );
        assert_eq!(escape_md("![img](x.png)"), "!\\[img\\](x.png)");
        assert_eq!(escape_md("# not a heading"), "\\# not a heading");
        // A backslash the input brings cannot cancel our escapes.
        assert_eq!(escape_md("\\*"), "\\\\\\*");
    }

    #[test]
    fn code_spans_fence_longer_than_the_text() {
        assert_eq!(code_span("infra/main.tf"), "`infra/main.tf`");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("a``b"), "```a``b```");
        assert_eq!(code_span("<script>"), "`<script>`");
        assert_eq!(code_span("@org/team"), "`@org/team`");
        assert_eq!(code_span("two\nlines"), "`two lines`");
        assert_eq!(code_span(""), "` `");
    }

    #[test]
    fn html_contexts_get_entities() {
        assert_eq!(
            escape_html("<b onclick=\"x\">@all</b>"),
            "&lt;b onclick=&quot;x&quot;&gt;@\u{200B}all&lt;/b&gt;"
        );
    }

    #[test]
    fn table_code_spans_escape_pipes_and_clip() {
        assert_eq!(table_code_span("| table breaker"), "`\\| table breaker`");
        assert_eq!(table_code_span("a|`b`"), "`` a\\|`b` ``");
        let long = "x".repeat(70_000);
        let span = table_code_span(&long);
        assert_eq!(span.chars().count(), MAX_CELL_CHARS + 2, "{span}");
        assert!(span.ends_with("…`"));
        assert_eq!(cell(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
