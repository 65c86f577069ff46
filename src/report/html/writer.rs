//! A small HTML writer that escapes by construction.
//!
//! Why our own and not a template crate: the page must hold no script and no external reference, and evidence
//! links must be `http`/`https` only. A template crate such as `maud` escapes text, but would take
//! `href={(link)}` with `javascript:alert(1)` in it just as happily; here a link target can only be a
//! [`WebUrl`], which cannot hold anything else. The rest follows the same idea:
//! - element and attribute names are `&'static str`: they come from this code, never from a file;
//! - every text and attribute value given at run time is escaped ([`escape_text`], [`escape_attr`]);
//! - attributes that load or run something (`src`, `href`, `style`, `on*`, ...) are refused by the generic
//!   attribute path, and so is a `<script>` element;
//! - unescaped text can only be a `&'static str` (the style sheet), so it cannot come from a repository.
//!
//! It writes SVG too (inline in the page): elements without content close as `<rect .../>`.

use crate::report::markdown::escape::{html_entity, is_invisible, shown};

/// Elements HTML defines as void: written `<meta ...>`, without a closing tag.
const HTML_VOID: [&str; 6] = ["meta", "br", "hr", "img", "col", "wbr"];

/// Elements followed by a line break in the file, so the source (and its snapshot) reads one block per line;
/// whitespace between these changes nothing on the page.
const LINE_AFTER: [&str; 27] = [
    "html",
    "head",
    "body",
    "header",
    "section",
    "footer",
    "div",
    "figure",
    "figcaption",
    "h1",
    "h2",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "ul",
    "li",
    "dl",
    "dd",
    "title",
    "meta",
    "svg",
    "g",
    "rect",
    "line",
    "text",
];

/// Attributes that load, run or restyle something: never set from the generic path.
const UNSAFE_ATTRS: [&str; 11] = [
    "href",
    "src",
    "srcset",
    "xlink:href",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
    "style",
    "ping",
];

/// An `http` or `https` URL without spaces or control characters: the only thing a link may point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl(String);

impl WebUrl {
    /// `Some` when `s` (trimmed) is an absolute `http://` or `https://` URL with a host and no whitespace,
    /// control or invisible formatting characters; `None` for anything else (`javascript:`, `data:`, relative
    /// paths, `//host`).
    pub fn parse(s: &str) -> Option<WebUrl> {
        let s = s.trim();
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            return None;
        };
        let host_ok = rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '[');
        let clean = !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c));
        (host_ok && clean).then(|| WebUrl(s.to_string()))
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL without `http://`/`https://`, at most `max_chars` characters: when longer, its host, `/…` and
    /// the end of the rest (where links differ: `press.example.com/…/seed-round-2026`).
    pub fn display(&self, max_chars: usize) -> String {
        let bare = &self.0[self.0.find("://").map_or(0, |i| i + 3)..];
        let length = bare.chars().count();
        if length <= max_chars {
            return bare.to_string();
        }
        let (host, rest) = bare.split_at(bare.find('/').unwrap_or(bare.len()));
        let room = max_chars.saturating_sub(host.chars().count() + 3);
        if room < 8 {
            let mut cut: String = bare.chars().take(max_chars.saturating_sub(1)).collect();
            cut.push('…');
            return cut;
        }
        let tail: String = rest.chars().skip(rest.chars().count() - room).collect();
        let tail = tail.trim_start_matches('/');
        // Start at a segment when a long enough one starts within the tail: `…/seed-round`, not `…ed-round`.
        let tail = match tail.find('/') {
            Some(i) if tail.len() - i > 8 => &tail[i + 1..],
            _ => tail,
        };
        format!("{host}/…/{tail}")
    }
}

/// An HTML (or inline SVG) document being written.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
}

/// Attributes of one element: static names, values escaped when written.
pub type Attrs<'a> = &'a [(&'static str, &'a str)];

impl Html {
    /// An empty document.
    pub fn new() -> Self {
        Html::default()
    }

    /// `<!DOCTYPE html>` and a line break.
    pub fn doctype(&mut self) {
        self.out.push_str("<!DOCTYPE html>\n");
    }

    /// `<tag attrs>` … body … `</tag>`.
    pub fn elem(&mut self, tag: &'static str, attrs: Attrs, body: impl FnOnce(&mut Html)) {
        if !self.open(tag, attrs) {
            return;
        }
        self.out.push('>');
        body(self);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self.line_after(tag);
    }

    /// `<tag attrs>text</tag>`.
    pub fn elem_text(&mut self, tag: &'static str, attrs: Attrs, text: &str) {
        self.elem(tag, attrs, |h| h.text(text));
    }

    /// An element without content: `<meta ...>` for HTML's void elements, `<rect .../>` otherwise (SVG).
    pub fn empty(&mut self, tag: &'static str, attrs: Attrs) {
        if !self.open(tag, attrs) {
            return;
        }
        if HTML_VOID.contains(&tag) {
            self.out.push('>');
        } else {
            self.out.push_str("/>");
        }
        self.line_after(tag);
    }

    fn line_after(&mut self, tag: &str) {
        if LINE_AFTER.contains(&tag) || matches!(tag, "circle" | "polyline") {
            self.out.push('\n');
        }
    }

    /// Escaped text.
    pub fn text(&mut self, s: &str) {
        self.out.push_str(&escape_text(s));
    }

    /// A `<style>` element holding `css`, which is part of this program (a `&'static str`), never read from
    /// a file. A `</` inside it would end the element early, so it is left out.
    pub fn style_sheet(&mut self, css: &'static str) {
        self.out.push_str("<style>");
        self.out.push_str(&css.replace("</", ""));
        self.out.push_str("</style>");
    }

    /// A link to `url` that opens without sending a referrer or giving the new page a handle on this one.
    pub fn link(&mut self, url: &WebUrl, text: &str) {
        self.out.push_str("<a href=\"");
        self.out.push_str(&escape_attr(url.as_str()));
        self.out.push_str("\" rel=\"noopener noreferrer\">");
        self.text(text);
        self.out.push_str("</a>");
    }

    /// `s` as a link when it is a [`WebUrl`], as text otherwise. The link shows the address without its
    /// scheme, shortened to `max_chars` with `…` (the target is whole): a printed page has no room for a
    /// long query string, and the PDF keeps the link.
    pub fn link_or_text(&mut self, s: &str, max_chars: usize) {
        match WebUrl::parse(s) {
            Some(url) => self.link(&url, &url.display(max_chars)),
            None => self.text(s),
        }
    }

    /// The document written so far.
    pub fn finish(self) -> String {
        self.out
    }

    /// Write `<tag attrs` (without the closing `>`); `false` when the tag is refused.
    fn open(&mut self, tag: &'static str, attrs: Attrs) -> bool {
        let valid = !tag.is_empty()
            && tag.bytes().all(|b| b.is_ascii_alphanumeric())
            && !tag.eq_ignore_ascii_case("script");
        debug_assert!(valid, "element <{tag}> is not allowed");
        if !valid {
            return false;
        }
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            let lower = name.to_ascii_lowercase();
            let allowed = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
                && !lower.starts_with("on")
                && !UNSAFE_ATTRS.contains(&lower.as_str());
            debug_assert!(allowed, "attribute {name} is not allowed");
            if !allowed {
                continue;
            }
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&escape_attr(value));
            self.out.push('"');
        }
        true
    }
}

/// Escape text content: `&`, `<`, `>` (and quotes, so the same text is safe in any context) become entities;
/// control characters other than tab and line breaks, bidirectional controls and other invisible formatting
/// characters are shown as `\u{...}` instead of being passed through (they could reorder or hide what a
/// reader sees), the same characters the Markdown escapes show.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        if let Some(entity) = html_entity(c) {
            out.push_str(entity);
            continue;
        }
        match c {
            '\t' | '\n' => out.push(c),
            '\r' => out.push('\n'),
            c if c.is_control() || is_invisible(c) => out.push_str(&shown(c)),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value (always written in double quotes): as [`escape_text`], with line breaks as
/// spaces.
pub fn escape_attr(s: &str) -> String {
    escape_text(&s.replace(['\r', '\n', '\t'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut h = Html::new();
        h.elem("p", &[("class", "a\" onclick=\"x")], |h| {
            h.text("<script>alert('1') & \"2\"</script>");
        });
        assert_eq!(
            h.finish(),
            "<p class=\"a&quot; onclick=&quot;x\">&lt;script&gt;alert(&#39;1&#39;) &amp; &quot;2&quot;&lt;/script&gt;</p>\n"
        );
    }

    #[test]
    fn invisible_and_control_characters_are_shown() {
        assert_eq!(
            escape_text("a\u{202E}b\u{0}c\u{200B}"),
            "a\\u{202e}b\\u{0}c\\u{200b}"
        );
        // The Markdown escapes' set: a line separator and a tag character are not passed through either.
        assert_eq!(escape_text("a\u{2028}b\u{E0041}"), "a\\u{2028}b\\u{e0041}");
        assert_eq!(escape_attr("x\ny"), "x y");
    }

    #[test]
    fn only_http_and_https_urls_become_links() {
        for ok in [
            "https://example.com/a?b=1&c=2",
            "HTTP://example.com",
            "  https://example.com/x  ",
        ] {
            assert!(WebUrl::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//example.com",
            "/relative",
            "https://",
            "https:// example.com",
            "https://exa\u{202E}mple.com",
            "https://example.com/\nx",
            "ftp://example.com",
            "",
        ] {
            assert!(WebUrl::parse(bad).is_none(), "{bad:?}");
        }
        let mut h = Html::new();
        h.link_or_text("javascript:alert(1)", 60);
        h.link_or_text("https://example.com/?a=1&b=\"2\"", 60);
        h.link_or_text("http://example.com/a/very/long/path", 24);
        assert_eq!(
            h.finish(),
            "javascript:alert(1)<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\" \
             rel=\"noopener noreferrer\">example.com/?a=1&amp;b=&quot;2&quot;</a>\
             <a href=\"http://example.com/a/very/long/path\" rel=\"noopener noreferrer\">example.com/…/long/path</a>"
        );
    }

    #[test]
    fn long_link_text_keeps_the_host_and_the_end() {
        let url = |s: &str| WebUrl::parse(s).expect("a web URL");
        assert_eq!(
            url("https://press.example.com/articles/2026/11/contoso-ai-raises-seed").display(42),
            "press.example.com/…/contoso-ai-raises-seed"
        );
        assert_eq!(
            url("https://example.com/short").display(40),
            "example.com/short"
        );
        assert_eq!(
            url("https://a-very-long-host-name.example.com/x/yz").display(20),
            "a-very-long-host-na…"
        );
    }

    #[test]
    fn void_html_and_empty_svg_elements() {
        let mut h = Html::new();
        h.empty("meta", &[("charset", "utf-8")]);
        h.empty("rect", &[("width", "3")]);
        assert_eq!(
            h.finish(),
            "<meta charset=\"utf-8\">\n<rect width=\"3\"/>\n"
        );
    }

    #[test]
    fn the_style_sheet_cannot_end_its_element() {
        let mut h = Html::new();
        h.style_sheet("p{color:red}</style><script>");
        assert_eq!(h.finish(), "<style>p{color:red}style><script></style>");
    }

    #[test]
    #[cfg(not(debug_assertions))]
    fn refused_names_are_dropped_in_release_builds() {
        let mut h = Html::new();
        h.elem("script", &[], |h| h.text("x"));
        h.empty(
            "a",
            &[("href", "javascript:x"), ("onclick", "x"), ("title", "t")],
        );
        assert_eq!(h.finish(), "<a title=\"t\"/>");
    }

    #[test]
    #[should_panic(expected = "not allowed")]
    #[cfg(debug_assertions)]
    fn a_script_element_is_refused() {
        Html::new().elem("script", &[], |_| {});
    }

    #[test]
    #[should_panic(expected = "not allowed")]
    #[cfg(debug_assertions)]
    fn an_event_handler_attribute_is_refused() {
        Html::new().empty("img", &[("onerror", "x")]);
    }

    #[test]
    #[should_panic(expected = "not allowed")]
    #[cfg(debug_assertions)]
    fn a_generic_href_is_refused() {
        Html::new().empty("a", &[("href", "https://example.com")]);
    }
}
