//! Making repository text inert in GitHub Markdown.
//!
//! Resource names, paths, workflow names and titles built from files are written by whoever controls the
//! repository (or a pull request to it). In a comment they must never become live Markdown, HTML, a link or an
//! `@` mention (a mention notifies people). Two tools: [`escape_md`] for prose and table cells, [`code_span`]
//! (and [`table_code_span`] inside tables) for names and paths.

/// Escape `s` so that GitHub renders it as the literal text: `<`, `>`, `&` become entities, `|` becomes `&#124;`
/// (safe inside table cells), `\`, `*`, `_`, `[`, `]`, `` ` ``, `~` and `#` are backslash-escaped, `@` becomes
/// `&#64;` (no mention), and line breaks become spaces (a newline could start a heading or end a table row).
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '@' => out.push_str("&#64;"),
            '\\' | '*' | '_' | '[' | ']' | '`' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `s` as an inline code span: the fence is one backtick longer than the longest run of backticks inside, and
/// padded with spaces when `s` starts or ends with a backtick (CommonMark strips one space each side). Line
/// breaks become spaces. Nothing inside a code span is Markdown, HTML or a mention. Not for table cells: use
/// [`table_code_span`] there.
pub fn code_span(s: &str) -> String {
    let text: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
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

/// [`code_span`] for a table cell: GitHub splits cells at every unescaped `|`, even inside code spans, so `|` is
/// written `\|` (which the table parser turns back into a literal `|` inside the span).
pub fn table_code_span(s: &str) -> String {
    code_span(s).replace('|', "\\|")
}

/// Escape `s` for an HTML context such as `<summary>` (where Markdown escapes would show as backslashes):
/// `&`, `<`, `>`, `"`, `'` become entities, `@` becomes `&#64;`, line breaks become spaces.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' => out.push_str("&#64;"),
            c if c.is_control() => out.push(' '),
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
        assert_eq!(escape_md("&#64;team"), "&amp;\\#64;team");
    }

    #[test]
    fn mentions_are_broken() {
        assert_eq!(escape_md("@org/team"), "&#64;org/team");
        assert_eq!(escape_md("ping @alice"), "ping &#64;alice");
        assert!(!escape_md("a@b @c").contains('@'));
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
            "\\[click\\](https://evil.example)"
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
            "&lt;b onclick=&quot;x&quot;&gt;&#64;all&lt;/b&gt;"
        );
    }

    #[test]
    fn table_code_spans_escape_pipes() {
        assert_eq!(table_code_span("| table breaker"), "`\\| table breaker`");
        assert_eq!(table_code_span("a|`b`"), "`` a\\|`b` ``");
    }
}
