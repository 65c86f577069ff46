//! Measurement aid for the Terraform scanner on a real-world code base (not a test, not shipped).
//!
//! - `cargo run --example terraform_corpus -- types DIR`: one line per `.tf` file under DIR,
//!   `file<TAB>managed resource types in order<TAB>parse errors`, to compare with another HCL parser.
//! - `cargo run --example terraform_corpus -- scan DIR [--list]`: scan every directory holding `.tf` files
//!   the way the inventory does and print counts and time (with `--list`, every resource and diagnostic).

use azengage::iac::ScanOptions;
use azengage::iac::terraform::{scan_dirs, scan_file};
use std::io::Write;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(root)) = (args.first(), args.get(1)) else {
        eprintln!("usage: terraform_corpus types|scan DIR [--list]");
        std::process::exit(2);
    };
    let (dirs, files) = walk(PathBuf::from(root));
    match mode.as_str() {
        "types" => types(&files),
        "scan" => scan(&dirs, args.iter().any(|a| a == "--list")),
        _ => {
            eprintln!("unknown mode {mode}");
            std::process::exit(2);
        }
    }
}

/// Directories holding `.tf` files, and the files, sorted.
fn walk(root: PathBuf) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut dirs, mut files, mut stack) = (Vec::new(), Vec::new(), vec![root]);
    while let Some(dir) = stack.pop() {
        let mut has_tf = false;
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && entry.file_name() != ".terraform" && entry.file_name() != ".git" {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tf") {
                has_tf = true;
                files.push(path);
            }
        }
        if has_tf {
            dirs.push(dir);
        }
    }
    dirs.sort();
    files.sort();
    (dirs, files)
}

fn types(files: &[PathBuf]) {
    let mut out = std::io::stdout().lock();
    let no_follow = ScanOptions {
        follow_modules: false,
        ..ScanOptions::default()
    };
    for file in files {
        let found = scan_file(file, &no_follow);
        let types: Vec<_> = found
            .resources
            .iter()
            .filter(|r| !r.existing && !r.source_type.contains('/'))
            .map(|r| r.source_type.as_str())
            .collect();
        let errors = found
            .diagnostics
            .iter()
            .filter(|d| d.code == "parse")
            .count();
        // A closed pipe (`| head`) ends the output, not the program with a panic.
        if writeln!(out, "{}\t{}\t{}", file.display(), types.join(","), errors).is_err() {
            return;
        }
    }
}

fn scan(dirs: &[PathBuf], list: bool) {
    let start = std::time::Instant::now();
    let found = scan_dirs(dirs, &ScanOptions::default());
    let elapsed = start.elapsed();
    if list {
        for r in &found.resources {
            let (loc, expr, via) = (&r.location, &r.location_expr, &r.via_module);
            println!(
                "{}:{}\t{}.{}\t{loc:?}\t{expr:?}\t{via:?}",
                r.file, r.line, r.source_type, r.name
            );
        }
        for d in &found.diagnostics {
            println!("{d}");
        }
    }
    println!(
        "{} dirs, {} resources, {} diagnostics, {elapsed:?}",
        dirs.len(),
        found.resources.len(),
        found.diagnostics.len()
    );
}
