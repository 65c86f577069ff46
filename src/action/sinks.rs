//! The runner's file sinks: step outputs (`$GITHUB_OUTPUT`), the job summary (`$GITHUB_STEP_SUMMARY`), and
//! workflow-command annotations on stdout. These are written on every run, whatever happened with the API.

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

/// Escape a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
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
