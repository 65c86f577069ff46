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
