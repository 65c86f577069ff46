//! Lexer tests: tokens, string forms, operators and bad input.

use super::TokenKind as T;
use super::*;

fn kinds(text: &str) -> Vec<T> {
    lex(text).0.into_iter().map(|t| t.kind).collect()
}

#[test]
fn newlines_are_tokens_and_comments_vanish() {
    let got =
        kinds("param a string // c\r\n\n/* x\ny */ var b = 1\n#disable-next-line no-unused-vars\n");
    assert_eq!(
        got,
        vec![
            T::Ident,
            T::Ident,
            T::Ident,
            T::Newline,
            T::Ident,
            T::Ident,
            T::Assign,
            T::Int,
            T::Newline,
            T::Eof
        ]
    );
}

#[test]
fn escapes_are_decoded() {
    let got = kinds(r"'a\'b\\c\n\t\$\u{1F600}'");
    assert_eq!(got[0], T::String("a'b\\c\n\t$\u{1F600}".into()));
}

#[test]
fn interpolation_splits_into_pieces_and_nests() {
    let got = kinds("'x${a}y${'in${b}'}z'");
    assert_eq!(
        got,
        vec![
            T::StringHead("x".into()),
            T::Ident,
            T::StringMiddle("y".into()),
            T::StringHead("in".into()),
            T::Ident,
            T::StringTail("".into()),
            T::StringTail("z".into()),
            T::Eof
        ]
    );
    // An object inside an interpolation: its braces do not close the interpolation.
    let got = kinds("'${ {a: 1}.a }'");
    assert_eq!(got[1], T::LBrace);
    assert_eq!(got[got.len() - 2], T::StringTail("".into()));
}

#[test]
fn multi_line_strings_keep_text_raw() {
    let got = kinds("'''\nline1\n'quoted' \\n ${x}\n'''");
    assert_eq!(got[0], T::String("line1\n'quoted' \\n ${x}\n".into()));
    let got = kinds("$'''a${x}b'''");
    assert_eq!(
        got,
        vec![
            T::StringHead("a".into()),
            T::Ident,
            T::StringTail("b".into()),
            T::Eof
        ]
    );
    let got = kinds("$$'''a${x}$${y}'''");
    assert_eq!(
        got,
        vec![
            T::StringHead("a${x}".into()),
            T::Ident,
            T::StringTail("".into()),
            T::Eof
        ]
    );
}

#[test]
fn a_multi_line_string_may_end_in_quotes() {
    // Bicep closes at the last `'''` of a run, so quotes right before it are text (a SQL or shell snippet).
    let (toks, errs) = lex("var q = '''WHERE name = 'x''''\nvar r = ''''quoted''''\n");
    assert!(errs.is_empty(), "{errs:?}");
    let strings: Vec<_> = toks
        .into_iter()
        .filter_map(|t| match t.kind {
            T::String(s) => Some(s),
            _ => None,
        })
        .collect();
    assert_eq!(strings, ["WHERE name = 'x'", "'quoted'"]);
}

#[test]
fn operators() {
    let got = kinds("a.?b ?? c[^1]! =~ d != e => ... :: || && | <= >=");
    assert_eq!(
        got,
        vec![
            T::Ident,
            T::Dot,
            T::Question,
            T::Ident,
            T::DoubleQuestion,
            T::Ident,
            T::LBracket,
            T::Caret,
            T::Int,
            T::RBracket,
            T::Bang,
            T::EqInsensitive,
            T::Ident,
            T::NotEq,
            T::Ident,
            T::Arrow,
            T::Ellipsis,
            T::DoubleColon,
            T::OrOr,
            T::AndAnd,
            T::Pipe,
            T::Le,
            T::Ge,
            T::Eof
        ]
    );
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let (toks, errs) = lex("var a = 'abc\nvar b = €€€ 1\n'''open");
    assert!(toks.iter().any(|t| t.kind == T::Unknown));
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert_eq!(errs[0].offset, 8);
    let (_, errs) = lex("'${'${'${");
    assert!(!errs.is_empty());
    let (_, errs) = lex("'\\u{zz}' '\\q' '\\");
    assert_eq!(errs.len(), 3, "{errs:?}");
}

#[test]
fn first_column_is_marked() {
    let (toks, _) = lex("a\n  b\nc");
    let flags: Vec<bool> = toks
        .iter()
        .filter(|t| t.kind == T::Ident)
        .map(|t| t.at_line_start)
        .collect();
    assert_eq!(flags, vec![true, false, true]);
}

#[test]
fn plain_runs_keep_dollars_non_ascii_and_long_text() {
    // A `$` not followed by `{` is text; runs around escapes, non-ASCII text and values longer than the 24
    // bytes a CompactString keeps inline are copied whole.
    let got =
        kinds("'a$b€\\'$$c' 'price: 5$ — ${x}' 'a description longer than twenty-four bytes\\n'");
    assert_eq!(got[0], T::String("a$b€'$$c".into()));
    assert_eq!(got[1], T::StringHead("price: 5$ — ".into()));
    assert_eq!(got[3], T::StringTail("".into()));
    assert_eq!(
        got[4],
        T::String("a description longer than twenty-four bytes\n".into())
    );
    // Unterminated at the end of the text or of the line: the text so far, and an error.
    let (tokens, errors) = lex("'naïve $");
    assert_eq!(tokens[0].kind, T::String("naïve $".into()));
    assert_eq!(errors.len(), 1);
    let (tokens, errors) = lex("'é\nx");
    assert_eq!(tokens[0].kind, T::String("é".into()));
    assert_eq!(tokens[1].kind, T::Newline);
    assert_eq!(errors[0].offset, 0);
}

#[test]
fn identifiers_take_letters_digits_and_underscores() {
    let (tokens, _) = lex("a_1b2 _x9.y");
    let words: Vec<_> = tokens
        .iter()
        .map(|t| (t.kind.clone(), t.span.start, t.span.end))
        .collect();
    assert_eq!(
        words,
        vec![
            (T::Ident, 0, 5),
            (T::Ident, 6, 9),
            (T::Dot, 9, 10),
            (T::Ident, 10, 11),
            (T::Eof, 11, 11)
        ]
    );
}

#[test]
fn many_dollars_and_escapes_in_one_string() {
    // Dollars that start no interpolation, escapes between them and a `${` at the end: every piece decoded.
    let text = format!("'{}\\\\{}${{x}}'", "$".repeat(5000), "a$".repeat(3000));
    let (tokens, errors) = lex(&text);
    assert!(errors.is_empty(), "{errors:?}");
    let expected = format!("{}\\{}", "$".repeat(5000), "a$".repeat(3000));
    assert_eq!(tokens[0].kind, T::StringHead(expected.into()));
    assert_eq!(tokens[1].kind, T::Ident);
    assert_eq!(tokens[2].kind, T::StringTail("".into()));
}
