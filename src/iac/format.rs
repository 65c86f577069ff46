//! .NET composite formatting, as ARM's `format()` does it, and Bicep's `format()`, which compiles to it: `{0}`,
//! `{1,8}` and `{1:N2}` (alignment and format specifiers are ignored), `{{` and `}}` for literal braces.
//! Placeholders are replaced in one pass over the template, so a value that holds `{1}` is never replaced again.

/// `template` with each placeholder replaced by its argument's text. `None` when a placeholder is not closed
/// or names an argument that is not given (the deployment would fail: the value is unknown).
pub fn composite(template: &str, args: &[String]) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        ch => spec.push(ch),
                    }
                }
                let index: usize = spec.split([',', ':']).next()?.trim().parse().ok()?;
                out.push_str(args.get(index)?);
            }
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::composite;

    fn args(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn placeholders_are_replaced_once() {
        assert_eq!(
            composite("{0}-{1}", &args(&["{1}", "b"])).as_deref(),
            Some("{1}-b"),
            "a value holding a placeholder is not replaced again"
        );
        assert_eq!(
            composite("{1}{0}{1}", &args(&["a", "b"])).as_deref(),
            Some("bab")
        );
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(
            composite("{{0}}-{0}-{{x}}", &args(&["a"])).as_deref(),
            Some("{0}-a-{x}")
        );
        assert_eq!(composite("{{{0}}}", &args(&["a"])).as_deref(), Some("{a}"));
    }

    #[test]
    fn specifiers_are_ignored_and_bad_placeholders_are_unknown() {
        assert_eq!(
            composite("{0:N2}|{1,5}", &args(&["a", "b"])).as_deref(),
            Some("a|b")
        );
        assert_eq!(composite("{2}", &args(&["a"])), None);
        assert_eq!(composite("{0", &args(&["a"])), None);
        assert_eq!(composite("{x}", &args(&["a"])), None);
        assert_eq!(
            composite("héllo {0} é", &args(&["ü"])).as_deref(),
            Some("héllo ü é")
        );
    }
}
