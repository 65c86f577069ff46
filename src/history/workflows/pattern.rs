//! GitHub's filter patterns for `on.push` (`branches`, `tags`, `paths` and their `-ignore` forms).
//!
//! The syntax is GitHub's own, not a shell glob: `*` matches any characters but `/`; `**` any characters;
//! `**/` (at the start or after `/`) any number of whole directories, none included (`**/README.md` matches
//! the root `README.md`); `?` makes the character (or class) before it optional and `+` repeats it one or more
//! times (`v[12].[0-9]+.[0-9]+`); `[...]` is a class of characters and ranges; `\` escapes; a leading `!` negates
//! (handled by [`FilterList`]). Matching is a dynamic programme over pattern and text, so no pattern can make it
//! take exponential time.

/// How often a character or class may repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Exactly once.
    One,
    /// `?`: zero or one time.
    Optional,
    /// `+`: one or more times.
    OneOrMore,
}

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A character (or class) with its repeat count.
    Char(CharSet, Repeat),
    /// `*`: any run of characters without `/`.
    Star,
    /// `**`: any run of characters.
    DoubleStar,
    /// `**/`: nothing, or any run of characters ending with `/`.
    Directories,
}

/// What one character position accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CharSet {
    /// This character.
    Literal(char),
    /// Any character of these ranges (inclusive; a single character is a range of one).
    Class(Vec<(char, char)>),
}

impl CharSet {
    fn accepts(&self, c: char) -> bool {
        match self {
            CharSet::Literal(l) => *l == c,
            CharSet::Class(ranges) => ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)),
        }
    }
}

/// One compiled pattern (without its `!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    /// Compile `text` (a pattern without a leading `!`). Never fails: a `[` without its `]` is a literal.
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens: Vec<Token> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    let at_segment_start = i == 0 || chars[i - 1] == '/';
                    if at_segment_start && chars.get(i + 2) == Some(&'/') {
                        tokens.push(Token::Directories);
                        i += 3;
                    } else {
                        tokens.push(Token::DoubleStar);
                        i += 2;
                    }
                    continue;
                }
                '*' => tokens.push(Token::Star),
                '?' | '+' => {
                    let repeat = if c == '?' {
                        Repeat::Optional
                    } else {
                        Repeat::OneOrMore
                    };
                    match tokens.last_mut() {
                        Some(Token::Char(_, r @ Repeat::One)) => *r = repeat,
                        // Nothing to repeat: the character stands for itself.
                        _ => tokens.push(Token::Char(CharSet::Literal(c), Repeat::One)),
                    }
                }
                '[' => match class(&chars[i + 1..]) {
                    Some((set, used)) => {
                        tokens.push(Token::Char(set, Repeat::One));
                        i += used + 2;
                        continue;
                    }
                    None => tokens.push(Token::Char(CharSet::Literal('['), Repeat::One)),
                },
                '\\' if i + 1 < chars.len() => {
                    tokens.push(Token::Char(CharSet::Literal(chars[i + 1]), Repeat::One));
                    i += 2;
                    continue;
                }
                _ => tokens.push(Token::Char(CharSet::Literal(c), Repeat::One)),
            }
            i += 1;
        }
        Pattern { tokens }
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        // reach[j]: the tokens so far can match exactly chars[..j].
        let mut reach = vec![false; chars.len() + 1];
        reach[0] = true;
        for token in &self.tokens {
            reach = step(token, &reach, &chars);
            if !reach.contains(&true) {
                return false;
            }
        }
        reach[chars.len()]
    }
}

/// The positions reachable after `token`, from the positions `reach` marks.
fn step(token: &Token, reach: &[bool], chars: &[char]) -> Vec<bool> {
    let n = chars.len();
    let mut next = vec![false; n + 1];
    match token {
        Token::Char(set, repeat) => {
            for j in 0..=n {
                if !reach[j] {
                    continue;
                }
                if *repeat == Repeat::Optional {
                    next[j] = true;
                }
                let mut k = j;
                while k < n && set.accepts(chars[k]) {
                    next[k + 1] = true;
                    k += 1;
                    if *repeat != Repeat::OneOrMore {
                        break;
                    }
                }
            }
        }
        Token::Star | Token::DoubleStar => {
            let crosses_slash = *token == Token::DoubleStar;
            let mut open = false;
            for j in 0..=n {
                open |= reach[j];
                next[j] = open;
                if j < n && chars[j] == '/' && !crosses_slash {
                    open = false;
                }
            }
        }
        Token::Directories => {
            let mut open = false;
            for j in 0..=n {
                if reach[j] {
                    next[j] = true;
                    open = true;
                }
                if j < n && chars[j] == '/' && open {
                    next[j + 1] = true;
                }
            }
        }
    }
    next
}

/// A `[...]` class starting just after the `[`: the set and how many characters it used before the `]`.
fn class(chars: &[char]) -> Option<(CharSet, usize)> {
    let end = chars.iter().position(|c| *c == ']')?;
    if end == 0 {
        return None;
    }
    let body = &chars[..end];
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == '-' {
            ranges.push((body[i], body[i + 2]));
            i += 3;
        } else {
            ranges.push((body[i], body[i]));
            i += 1;
        }
    }
    Some((CharSet::Class(ranges), end))
}

/// An ordered list of patterns, some negated with a leading `!`: the last pattern that matches decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterList {
    patterns: Vec<(bool, Pattern)>,
    /// The patterns as written, for reports.
    written: String,
}

fn patterns_text(patterns: &[String]) -> String {
    patterns.join(", ")
}

impl FilterList {
    /// Compile the patterns as written in the workflow.
    pub fn new(written: &[String]) -> Self {
        let patterns = written
            .iter()
            .map(|p| match p.strip_prefix('!') {
                Some(rest) => (true, Pattern::new(rest)),
                None => (false, Pattern::new(p)),
            })
            .collect();
        FilterList {
            patterns,
            written: patterns_text(written),
        }
    }

    /// The patterns as written, joined with `, `.
    pub fn describe(&self) -> String {
        self.written.clone()
    }

    /// Whether `text` is selected: some pattern matches it and no later negated pattern does.
    pub fn selects(&self, text: &str) -> bool {
        self.patterns
            .iter()
            .rev()
            .find(|(_, p)| p.matches(text))
            .is_some_and(|(negated, _)| !negated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        Pattern::new(pattern).matches(text)
    }

    // The examples of GitHub's "Filter pattern cheat sheet".
    #[test]
    fn branch_and_tag_examples() {
        assert!(m("feature/*", "feature/my-branch"));
        assert!(!m("feature/*", "feature/your-branch/fix"));
        assert!(m("feature/**", "feature/your-branch/fix"));
        assert!(m("main", "main") && !m("main", "main2") && !m("main", "mai"));
        assert!(m("*", "main") && m("*", "releases") && !m("*", "releases/v1"));
        assert!(m("**", "all/the/branches") && m("**", "every/tag"));
        assert!(
            m("*feature", "mona-feature")
                && m("*feature", "feature")
                && !m("*feature", "x/feature")
        );
        assert!(m("v2*", "v2") && m("v2*", "v2.0") && m("v2*", "v2.9") && !m("v2*", "v1"));
        assert!(m("v[12].[0-9]+.[0-9]+", "v1.10.1") && m("v[12].[0-9]+.[0-9]+", "v2.0.0"));
        assert!(!m("v[12].[0-9]+.[0-9]+", "v3.0.0") && !m("v[12].[0-9]+.[0-9]+", "v1..1"));
        assert!(m("releases/**-alpha", "releases/beta/3-alpha"));
        assert!(m("v1.?", "v1.") && m("v1.?", "v1") && !m("v1.?", "v1.1"));
    }

    #[test]
    fn path_examples() {
        assert!(m("*.js", "app.js") && !m("*.js", "js/index.js"));
        assert!(m("**.js", "index.js") && m("**.js", "src/js/app.js"));
        assert!(m("docs/*", "docs/README.md") && !m("docs/*", "docs/mona/octocat.txt"));
        assert!(m("docs/**", "docs/mona/octocat.txt"));
        assert!(
            m("docs/**/*.md", "docs/README.md") && m("docs/**/*.md", "docs/a/markdown/file.md")
        );
        assert!(m("**/docs/**", "docs/hello.md") && m("**/docs/**", "space/docs/plan/space.doc"));
        assert!(m("**/README.md", "README.md") && m("**/README.md", "js/README.md"));
        assert!(!m("**/README.md", "README.mdx"));
        assert!(m("**/*src/**", "a/src/app.js") && m("**/*src/**", "my-src/code/js/app.js"));
        assert!(m("**/*-post.md", "my-post.md") && m("**/*-post.md", "path/their-post.md"));
        assert!(m("infra/**", "infra/main.bicep") && !m("infra/**", "infrastructure/x"));
    }

    #[test]
    fn escapes_and_odd_patterns_stay_literal() {
        assert!(m(r"a\*b", "a*b") && !m(r"a\*b", "axb"));
        assert!(m("[abc", "[abc"));
        assert!(m("+x", "+x"));
        assert!(!m("", "x") && m("", ""));
        let long = "a".repeat(200);
        assert!(!m(&"**a".repeat(40), &format!("{long}b")));
    }

    #[test]
    fn the_last_matching_pattern_decides() {
        let list = FilterList::new(&["releases/**".to_string(), "!releases/**-alpha".to_string()]);
        assert!(list.selects("releases/10"));
        assert!(!list.selects("releases/10-alpha"));
        assert!(!list.selects("main"));
        let paths = FilterList::new(&[
            "sub/**".to_string(),
            "!sub/deep/**".to_string(),
            "sub/deep/keep".to_string(),
        ]);
        assert!(
            paths.selects("sub/a")
                && !paths.selects("sub/deep/x")
                && paths.selects("sub/deep/keep")
        );
        assert!(!FilterList::new(&[]).selects("main"));
    }
}
