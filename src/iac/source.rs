//! Reading an input file: size limit, BOM, invalid UTF-8, and turning byte offsets into line and column.

#![warn(clippy::string_slice, clippy::indexing_slicing)]

use crate::iac::ScanOptions;
use crate::model::{Diagnostic, DiagnosticCode, Severity, path_string};
use std::path::Path;

/// Read `path` as text for parsing. A BOM is dropped; invalid UTF-8 is replaced (with a warning in `diags`);
/// a file over the size limit or unreadable gives an error diagnostic instead.
pub fn read_source(path: &Path, opts: &ScanOptions, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match read_limited(path, &path_string(path), opts.max_file_size, diags) {
        Ok(text) => Some(text),
        Err(diagnostic) => {
            diags.push(diagnostic);
            None
        }
    }
}

/// The first `len` bytes of `path` (fewer when the file is shorter): a look at a file's head without reading
/// it whole.
pub fn read_head(path: &Path, len: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = vec![0; len];
    let mut file = std::fs::File::open(path)?;
    let mut filled = 0;
    while let Some(rest) = head.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(filled);
    Ok(head)
}

/// The longest UTF-8 text `bytes` start with, without a BOM: a head cut inside a character ends before it.
pub fn utf8_head(bytes: &[u8]) -> &str {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        std::str::from_utf8(valid).unwrap_or_default()
    });
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether `text` holds `lower` (an ASCII lower-case needle) in any ASCII case, without a lower-cased copy of
/// it (the text may be a whole template).
pub fn contains_ignoring_case(text: &str, lower: &str) -> bool {
    let Some((&first, rest)) = lower.as_bytes().split_first() else {
        return true;
    };
    let bytes = text.as_bytes();
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).any(|at| {
        bytes
            .get(at + 1..at + lower.len())
            .is_some_and(|tail| tail.eq_ignore_ascii_case(rest))
    })
}

/// The one size-limited reader of input files (IaC, workflows, actions, azd files): `path` as text, named
/// `file` in diagnostics. A file over `limit` bytes is a `too-large` warning, an unreadable one an `io`
/// error; otherwise the text is [`decode`]d (BOM dropped, invalid UTF-8 replaced with a warning in `diags`).
pub fn read_limited(
    path: &Path,
    file: &str,
    limit: u64,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, Diagnostic> {
    let mut bytes = Vec::new();
    read_bytes(path, file, limit, &mut bytes)?;
    Ok(decode(file, bytes, diags))
}

/// [`read_limited`] for a look at a file that is then dropped: `look` gets the text, read into a buffer
/// this thread keeps for the next file (no fresh memory per file, which costs page faults on large ones).
pub fn look_limited<R>(
    path: &Path,
    file: &str,
    limit: u64,
    diags: &mut Vec<Diagnostic>,
    look: impl FnOnce(&str, &mut Vec<Diagnostic>) -> R,
) -> Result<R, Diagnostic> {
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    // Taken out while in use, so a `look` that reads another file gets a buffer of its own.
    let mut bytes = BUFFER.take();
    let looked =
        read_bytes(path, file, limit, &mut bytes).map(|()| match std::str::from_utf8(&bytes) {
            Ok(text) => look(text.strip_prefix('\u{feff}').unwrap_or(text), diags),
            Err(_) => {
                let text = decode(file, bytes.clone(), diags);
                look(&text, diags)
            }
        });
    bytes.clear();
    BUFFER.set(bytes);
    looked
}

/// The bytes of `path` into `bytes` (cleared first), unless it is over `limit` or unreadable.
fn read_bytes(path: &Path, file: &str, limit: u64, bytes: &mut Vec<u8>) -> Result<(), Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::new(
            file,
            0,
            0,
            Severity::Error,
            "io",
            format!("cannot read: {e}"),
        )
    };
    let too_large = |len: u64| {
        Diagnostic::new(
            file,
            0,
            0,
            Severity::Warning,
            DiagnosticCode::TooLarge.as_str(),
            format!("skipped: {len} bytes is over the {limit} byte limit"),
        )
    };
    // One open and one `fstat`: the size is checked on the open file, which is then read whole. A file that
    // cannot be opened is still too large before it is unreadable.
    let mut handle = match std::fs::File::open(path) {
        Ok(handle) => handle,
        Err(e) => {
            return Err(match std::fs::metadata(path) {
                Ok(meta) if meta.len() > limit => too_large(meta.len()),
                _ => io_error(e),
            });
        }
    };
    let len = handle.metadata().map_err(io_error)?.len();
    if len > limit {
        return Err(too_large(len));
    }
    bytes.clear();
    bytes.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
    // Through `take`: `File::read_to_end` would ask the size again (`fstat`, `lseek`).
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut handle, u64::MAX), bytes)
        .map_err(io_error)?;
    Ok(())
}

/// Decode file bytes as UTF-8 text, dropping a BOM; invalid sequences become U+FFFD with a warning.
pub fn decode(file: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> String {
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = bytes.get(..bad).unwrap_or_default();
            let (line, column) = line_col(&String::from_utf8_lossy(valid), bad);
            diags.push(Diagnostic::new(
                file,
                line,
                column,
                Severity::Warning,
                "encoding",
                "file is not valid UTF-8; invalid bytes were replaced",
            ));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.replace_range(..'\u{feff}'.len_utf8(), "");
    }
    text
}

/// 1-based line and column (in characters) of byte `offset` in `text`. Offsets past the end clamp to it.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    (line as u32, column as u32)
}

/// Precomputed line starts of a text, for many offset → line/column lookups in O(log n).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        // Two vectorised passes (count, then collect into a vector sized once) cost less than a byte-by-byte
        // filter growing its vector.
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
        let mut starts = Vec::with_capacity(newlines.count() + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        // `starts` begins with 0, so at least one start is at or before any offset.
        let start = line
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(0);
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line as u32, column as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "ab\ncd\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (2, 2));
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 4), (2, 2));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        assert_eq!(idx.line_col(text, 99), (3, 1));
    }

    #[test]
    fn a_look_reads_what_read_limited_reads() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("bom.json", b"\xef\xbb\xbf{\"a\": 1}".to_vec()),
            ("bad.json", b"{\"a\":\n \"\xff\"}".to_vec()),
            ("big.json", vec![b' '; 64]),
            ("plain.json", b"{}".to_vec()),
        ];
        for (name, bytes) in &files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let missing = dir.path().join("missing.json");
        for path in files
            .iter()
            .map(|(name, _)| dir.path().join(name))
            .chain([missing])
        {
            let (mut read_diags, mut look_diags) = (Vec::new(), Vec::new());
            let read = read_limited(&path, "f", 32, &mut read_diags);
            // The look reads another file inside: the buffer it uses is its own.
            let looked = look_limited(&path, "f", 32, &mut look_diags, |text, _| {
                let inner = look_limited(&path, "f", 32, &mut Vec::new(), |t, _| t.to_string());
                assert_eq!(inner.as_deref().ok(), Some(text));
                text.to_string()
            });
            assert_eq!(looked, read, "{}", path.display());
            assert_eq!(look_diags, read_diags, "{}", path.display());
        }
    }

    #[test]
    fn decode_drops_bom_and_reports_invalid_utf8() {
        let mut d = vec![];
        assert_eq!(decode("f", b"\xef\xbb\xbfx".to_vec(), &mut d), "x");
        assert!(d.is_empty());
        let s = decode("f", b"a\n\xffb".to_vec(), &mut d);
        assert_eq!(s, "a\n\u{fffd}b");
        let at: Vec<_> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(2, 1)]);
    }
}
