//! Reading what headless Chromium printed: the pages of a PDF, their size and whether they hold text.
//! Chromium's PDF writer (Skia) writes plain page dictionaries and Flate-compressed content streams, which is
//! all this reads.

use flate2::read::ZlibDecoder;
use std::io::Read;
use std::path::PathBuf;

/// One page of a printed PDF.
#[derive(Debug)]
pub struct Page {
    /// Width and height in points.
    pub size: (f64, f64),
    /// Text-showing operators (`Tj`, `TJ`) in its content stream.
    pub text_runs: usize,
}

/// The pages of `pdf`, in file order.
pub fn pages(pdf: &[u8]) -> Vec<Page> {
    let text = String::from_utf8_lossy(pdf);
    let mut pages = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("/Type /Page") {
        let start = from + at;
        from = start + "/Type /Page".len();
        if text[from..].starts_with('s') {
            continue; // `/Type /Pages`, the page tree
        }
        let dict_end = text[start..]
            .find("endobj")
            .map_or(text.len(), |e| start + e);
        let dict = &text[start..dict_end];
        let size = media_box(dict).expect("a page has a MediaBox");
        let contents = reference_after(dict, "/Contents").expect("a page has contents");
        let stream = stream_of(pdf, contents).unwrap_or_default();
        let runs = stream.matches(" Tj").count() + stream.matches(" TJ").count();
        pages.push(Page {
            size,
            text_runs: runs,
        });
    }
    pages
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

fn media_box(dict: &str) -> Option<(f64, f64)> {
    let at = dict.find("/MediaBox")?;
    let inside = &dict[at..];
    let open = inside.find('[')?;
    let close = inside.find(']')?;
    let numbers: Vec<f64> = inside[open + 1..close]
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [x0, y0, x1, y1] => Some((x1 - x0, y1 - y0)),
        _ => None,
    }
}

fn reference_after(dict: &str, key: &str) -> Option<u32> {
    let at = dict.find(key)? + key.len();
    dict[at..].split_whitespace().next()?.parse().ok()
}

/// The decompressed stream of object `id` (offsets in bytes: the PDF is binary, not text).
fn stream_of(pdf: &[u8], id: u32) -> Option<String> {
    let header = format!("\n{id} 0 obj");
    let obj = find(pdf, header.as_bytes(), 0)?;
    let stream = find(pdf, b"stream", obj)? + "stream".len();
    let body_start = stream
        + match pdf.get(stream..stream + 2)? {
            b"\r\n" => 2,
            _ => 1,
        };
    let body_end = find(pdf, b"endstream", body_start)?;
    let mut out = Vec::new();
    ZlibDecoder::new(&pdf[body_start..body_end])
        .read_to_end(&mut out)
        .ok()?;
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// A Chromium-family browser, or `None` after saying loudly that the PDF test is skipped. Where CI has
/// installed one (`AZENGAGE_REQUIRE_BROWSER` set), a missing browser fails instead.
pub fn browser_or_skip(test: &str) -> Option<PathBuf> {
    if let Some(b) = azengage::cli::pdf::find_browser() {
        return Some(b);
    }
    assert!(
        std::env::var_os("AZENGAGE_REQUIRE_BROWSER").is_none(),
        "{test}: AZENGAGE_REQUIRE_BROWSER is set but no Chromium-family browser is on PATH"
    );
    eprintln!(
        "SKIPPED {test}: no Chromium-family browser on PATH (Debian/Ubuntu: apt-get install chromium; \
         .ci/run installs it)"
    );
    None
}

/// A4 in points: 210 × 297 mm.
pub const A4: (f64, f64) = (595.28, 841.89);

/// Assert that `pdf` has 1 or 2 A4 pages and that each holds text.
pub fn assert_one_or_two_a4_pages_with_text(pdf: &[u8], what: &str) -> usize {
    let pages = pages(pdf);
    assert!(
        (1..=2).contains(&pages.len()),
        "{what}: {} pages, the pack must print on one or two",
        pages.len()
    );
    for (i, p) in pages.iter().enumerate() {
        assert!(
            (p.size.0 - A4.0).abs() < 1.5 && (p.size.1 - A4.1).abs() < 1.5,
            "{what}: page {} is {:?} points, not A4",
            i + 1,
            p.size
        );
        assert!(
            p.text_runs > 0,
            "{what}: page {} holds no text (blank)",
            i + 1
        );
    }
    pages.len()
}
