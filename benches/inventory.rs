//! The inventory stage end to end, on the two inputs issue 15 is about. Run with `cargo bench --bench inventory`.
//!
//! - **mix**: the real-code mix of `bench/gen_mix.py` (compiled ARM templates with nested deployments, Bicep
//!   modules, Terraform), generated into a temporary directory at `MIX_SCALE` (default 0.25 of the 87 MB mix;
//!   1 for all of it) or read from `MIX_DIR`; prints MB/s, resources found and the process's peak RSS.
//! - **args**: 1,000 `.tf` files given as PATH arguments against their 4 directories (`--no-follow`), as a
//!   pre-commit hook calls it; prints both times and their ratio.
//!
//! Each figure is the best of `RUNS` (default 3). `bench/peers.sh` and `bench/args.sh` measure the release
//! binary the same way from outside, with `/usr/bin/time`.

use azengage::iac::ScanOptions;
use azengage::inventory;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The binary's allocator (`src/main.rs`), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn runs() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
}

/// The best wall time of `runs()` calls of `f`, and what the last one returned.
fn best<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs() {
        let start = Instant::now();
        last = Some(f());
        best = best.min(start.elapsed());
    }
    (best, last.expect("at least one run"))
}

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn bytes_under(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) => total += entry.metadata().map_or(0, |m| m.len()),
                Err(_) => {}
            }
        }
    }
    total
}

fn mix() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = match std::env::var_os("MIX_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let scale = std::env::var("MIX_SCALE").unwrap_or_else(|_| "0.25".into());
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_mix.py");
            let status = std::process::Command::new("python3")
                .arg(script)
                .arg(scratch.path())
                .args(["--scale", &scale])
                .stdout(std::process::Stdio::null())
                .status();
            if !status.is_ok_and(|s| s.success()) {
                println!("mix: skipped (python3 bench/gen_mix.py did not run)");
                return;
            }
            scratch.path().to_path_buf()
        }
    };
    let mb = bytes_under(&dir) as f64 / 1e6;
    let (time, inv) =
        best(|| inventory::build(std::slice::from_ref(&dir), &ScanOptions::default()));
    let secs = time.as_secs_f64();
    println!(
        "mix: {mb:.1} MB in {secs:.3} s ({:.0} MB/s), {} resources, {} diagnostics, peak RSS {:.0} MB",
        mb / secs,
        inv.resources.len(),
        inv.diagnostics.len(),
        peak_rss_mb().unwrap_or(0.0)
    );
}

fn args() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for d in 0..4 {
        let dir = scratch.path().join(format!("env{d}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let group = format!(
            "variable \"location\" {{\n  default = \"westeurope\"\n}}\n\nresource \"azurerm_resource_group\" \"rg\" {{\n  name     = \"rg-{d}\"\n  location = var.location\n}}\n"
        );
        std::fs::write(dir.join("variables.tf"), group).expect("write");
        files.push(dir.join("variables.tf"));
        for i in 0..250 {
            let file = dir.join(format!("st{i:03}.tf"));
            let text = format!(
                "resource \"azurerm_storage_account\" \"st{i}\" {{\n  name                     = \"st{d}x{i}\"\n  location                 = azurerm_resource_group.rg.location\n  resource_group_name      = azurerm_resource_group.rg.name\n  account_tier             = \"Standard\"\n  account_replication_type = \"LRS\"\n}}\n"
            );
            std::fs::write(&file, text).expect("write");
            files.push(file);
        }
        dirs.push(dir);
    }
    let opts = ScanOptions {
        follow_modules: false,
        ..ScanOptions::default()
    };
    let (by_dir, a) = best(|| inventory::build(&dirs, &opts));
    let (by_file, b) = best(|| inventory::build(&files, &opts));
    println!(
        "args: {} files as arguments {:.3} s, as {} directories {:.3} s: {:.2}x; same resources: {}",
        files.len(),
        by_file.as_secs_f64(),
        dirs.len(),
        by_dir.as_secs_f64(),
        by_file.as_secs_f64() / by_dir.as_secs_f64(),
        a.resources == b.resources
    );
}

fn main() {
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if only.as_deref().is_none_or(|o| "args".contains(o)) {
        args();
    }
    if only.as_deref().is_none_or(|o| "mix".contains(o)) {
        mix();
    }
}
