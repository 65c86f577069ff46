//! The runner's file sinks: step outputs (`$GITHUB_OUTPUT`), the job summary (`$GITHUB_STEP_SUMMARY`), and
//! workflow-command annotations on stdout. These are written on every run, whatever happened with the API.
//!
//! The runner reads every line of the step's stdout *and* stderr for workflow commands: `::name ...::data` at
//! the start of a line, and the older `##[name ...]data` anywhere in a line. So the only commands azengage
//! writes are its own annotations ([`annotation`], properties and data escaped as the runner expects), and
//! every other line ([`neutralise`]) can carry no command, whatever a config file, an IaC file or a server
//! answer put in it: line breaks are shown as `\n`, `::` becomes `: :` and `##[` becomes `# #[`.

use std::io::Write;
use std::path::Path;

/// Append `name=value` pairs to the outputs file, using the heredoc form so values may hold newlines.
pub fn write_outputs(path: &Path, outputs: &[(&str, String)]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    for (name, value) in outputs {
        let delimiter = delimiter_for(value);
        writeln!(f, "{name}<<{delimiter}\n{value}\n{delimiter}")?;
    }
    Ok(())
}

/// A heredoc delimiter that does not occur in `value`.
fn delimiter_for(value: &str) -> String {
    let mut d = String::from("AZENGAGE_EOF");
    while value.contains(&d) {
        d.push('_');
    }
    d
}

/// Append Markdown to the job summary.
pub fn append_summary(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{markdown}")
}

/// Severity of an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationLevel {
    /// `::error`
    Error,
    /// `::warning`
    Warning,
    /// `::notice`
    Notice,
}

/// A workflow command annotation, e.g. `::warning file=infra/main.tf,line=4,title=AZE002::message`.
pub fn annotation(
    level: AnnotationLevel,
    file: Option<&str>,
    line: Option<u32>,
    title: &str,
    message: &str,
) -> String {
    let cmd = match level {
        AnnotationLevel::Error => "error",
        AnnotationLevel::Warning => "warning",
        AnnotationLevel::Notice => "notice",
    };
    let mut props = Vec::new();
    if let Some(f) = file {
        props.push(format!("file={}", escape_property(f)));
        if let Some(l) = line {
            props.push(format!("line={l}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    format!("::{cmd} {}::{}", props.join(","), escape_data(message))
}

/// `text` as one line no runner reads as a workflow command: CR and LF shown as `\r` / `\n`, `::` written
/// `: :` and `##[` written `# #[`.
pub fn neutralise(text: &str) -> String {
    let one_line = text
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
        .replace('\r', "\\r");
    defuse(&one_line)
}

/// `::` and `##[` made inert (repeated until none is left: `:::` holds two).
fn defuse(text: &str) -> String {
    let mut out = text.to_string();
    while out.contains("::") || out.contains("##[") {
        out = out.replace("::", ": :").replace("##[", "# #[");
    }
    out
}

/// Write `text` to `w` as one neutralised line (see [`neutralise`]); a closed stream is not an error here.
pub fn say(w: &mut dyn Write, text: &str) {
    let _ = writeln!(w, "{}", neutralise(text));
}

/// Escape a workflow command's message (the text itself is defused first: the `##[` form is read anywhere).
fn escape_data(s: &str) -> String {
    defuse(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Whether `line` is a workflow command the runner would act on (v2 `::` at the start, or v1 `##[` anywhere).
/// Tests use it to check that only azengage's own annotations are commands.
pub fn is_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_escape_commands() {
        let a = annotation(
            AnnotationLevel::Warning,
            Some("infra/a,b.tf"),
            Some(4),
            "AZE002: x",
            "two\nlines 100%",
        );
        assert_eq!(
            a,
            "::warning file=infra/a%2Cb.tf,line=4,title=AZE002%3A x::two%0Alines 100%25"
        );
    }

    #[test]
    fn quoted_text_forges_no_command() {
        let hostile = "never\n::error title=pwned::owned\r\n::set-output name=score::100\n##[set-output name=band;]x";
        let line = neutralise(&format!(
            "azengage: error: .github/azengage.yml:1:10: invalid value '{hostile}'"
        ));
        assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
        assert!(!line.contains("::") && !line.contains("##["), "{line}");
        assert!(!is_command(&line));
        assert!(line.contains("never\\n: :error"), "{line}");
        assert_eq!(neutralise(":::"), ": : :");
        assert_eq!(neutralise("##[##["), "# #[# #[");
        let a = annotation(
            AnnotationLevel::Error,
            None,
            None,
            "AZE001",
            "text ##[set-output name=x;]y ::add-mask::z",
        );
        assert!(a.starts_with("::error title=AZE001::"), "{a}");
        assert!(!a.contains("##["), "{a}");
        assert_eq!(a.matches("::").count(), 2, "only the command's own: {a}");
    }

    #[test]
    fn outputs_use_heredocs() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out");
        write_outputs(
            &p,
            &[
                ("score", "64".into()),
                ("regions", "AZENGAGE_EOF\nx".into()),
            ],
        )
        .unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("score<<AZENGAGE_EOF\n64\nAZENGAGE_EOF\n"));
        assert!(text.contains("regions<<AZENGAGE_EOF_\nAZENGAGE_EOF\nx\nAZENGAGE_EOF_\n"));
    }
}
