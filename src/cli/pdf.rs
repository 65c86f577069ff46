//! `pack --pdf`: print the page to PDF with a Chromium-family browser found on `PATH` (headless).
//!
//! The only place azengage runs another program. The browser gets a throwaway profile and every switch that
//! keeps it off the network (no sync, component updates or background requests); the page itself is ours,
//! holds no script and forbids loading anything (its Content-Security-Policy), which is why printing it
//! without the browser's sandbox (which fails in containers and as root) runs no untrusted code.

use crate::exit::{Exit, ExitStatus};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser executables looked for on `PATH`, in this order.
pub const BROWSERS: [&str; 9] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
    "brave-browser",
];

/// How long the browser may take before it is stopped.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// Why the PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No browser on `PATH` (exit 2).
    #[error(
        "--pdf needs a Chromium-family browser on PATH and none was found (looked for {}); install Chromium \
         (Debian/Ubuntu: `apt-get install chromium`; Fedora: `dnf install chromium`; macOS: `brew install \
         --cask chromium`) or Google Chrome or Microsoft Edge, or leave out --pdf",
        BROWSERS.join(", ")
    )]
    NoBrowser,
    /// The browser ran but wrote no PDF.
    #[error("{browser} did not print the page to {pdf}: {why}")]
    Failed {
        /// The browser run.
        browser: String,
        /// The PDF asked for.
        pdf: String,
        /// What went wrong (exit status and the end of its stderr, or the timeout).
        why: String,
    },
}

/// Both are usage errors (2): the run needs a working browser that is not there; the page itself was fine.
impl ExitStatus for PdfError {
    fn exit(&self) -> Exit {
        Exit::Usage
    }
}

/// The first browser of [`BROWSERS`] found on `PATH`.
pub fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    BROWSERS.iter().find_map(|name| {
        let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
        dirs.iter()
            .map(|d| d.join(&file))
            .find(|candidate| is_executable(candidate))
    })
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Print the HTML file `page` to `pdf` with `browser`.
pub fn print(browser: &Path, page: &Path, pdf: &Path) -> Result<(), PdfError> {
    let failed = |why: String| PdfError::Failed {
        browser: browser.display().to_string(),
        pdf: pdf.display().to_string(),
        why,
    };
    let page = std::path::absolute(page).map_err(|e| failed(e.to_string()))?;
    let pdf_abs = std::path::absolute(pdf).map_err(|e| failed(e.to_string()))?;
    let profile = tempfile::tempdir().map_err(|e| failed(format!("no temporary profile: {e}")))?;
    // A stale file would pass the check below even when the browser printed nothing.
    let _ = std::fs::remove_file(&pdf_abs);
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf_abs.display()))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("it could not be started: {e}")))?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "it was stopped after {} s",
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    let stderr = reader.join().unwrap_or_default();
    let printed = std::fs::metadata(&pdf_abs).is_ok_and(|m| m.len() > 0);
    if status.success() && printed {
        return Ok(());
    }
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(failed(format!(
        "it exited with {status}{}{}",
        if printed { "" } else { " and wrote no PDF" },
        if tail.is_empty() {
            String::new()
        } else {
            format!("; it said: {}", tail.join(" / "))
        }
    )))
}

/// `file:///...` for an absolute path, with everything but unreserved characters and `/` percent-encoded.
pub fn file_url(path: &Path) -> String {
    let s = crate::model::path_string(path);
    let mut url = String::from("file://");
    if !s.starts_with('/') {
        // A Windows path (`C:/...`) needs a third slash.
        url.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/pack#1.html")),
            "file:///tmp/a%20b/pack%231.html"
        );
        assert_eq!(
            file_url(Path::new("/tmp/é.html")),
            "file:///tmp/%C3%A9.html"
        );
    }

    #[test]
    fn the_missing_browser_message_names_what_to_install() {
        let m = PdfError::NoBrowser.to_string();
        assert!(m.contains("apt-get install chromium"), "{m}");
        assert!(
            m.contains("chromium, chromium-browser, google-chrome"),
            "{m}"
        );
    }
}
