//! Benchmark: azengage's IaC history walk against `git log` on a generated repository.
//!
//! Builds a repository of `AZENGAGE_BENCH_COMMITS` commits (default 30 000) with `git fast-import` — a thousand
//! application files, Terraform, Bicep and ARM files, a side branch merged every hundred commits — repacks it as
//! `git gc` would (`AZENGAGE_BENCH_NO_REPACK=1` keeps fast-import's own pack, the worst case for gix), then times
//! `iac_history` and `git log --full-history --no-merges --name-only -- <patterns>` on it, each in its own
//! process, best of `AZENGAGE_BENCH_RUNS` (default 3), and prints both with their peak resident set size.
//! Run with `bench/history.sh` (or `cargo bench --bench history`); set `AZENGAGE_BENCH_REPO=DIR` to keep the
//! repository in `DIR` and reuse it on the next run.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PATTERNS: [&str; 5] = ["*.bicep", "*.bicepparam", "*.tf", "*.tfvars", "*.tf.json"];

/// Seconds between the first commit and the last: 100 weeks.
const SPAN_SECONDS: u64 = 100 * 7 * 86_400;

/// The first commit's date (2023-11-14).
const FIRST_COMMIT: u64 = 1_700_000_000;

const ARM_TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [ { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "REV" } ]
}
"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args
        .iter()
        .position(|a| a == "--walk")
        .and_then(|i| args.get(i + 1))
    {
        walk(Path::new(dir));
        return;
    }
    let commits = env_number("AZENGAGE_BENCH_COMMITS", 30_000);
    let runs = env_number("AZENGAGE_BENCH_RUNS", 3).max(1);
    // AZENGAGE_BENCH_REPO keeps the generated repository there (and reuses it when it exists already).
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let kept = std::env::var_os("AZENGAGE_BENCH_REPO").map(std::path::PathBuf::from);
    let repo = kept.as_deref().unwrap_or(temporary.path());
    if repo.join(".git").exists() {
        println!("reusing the repository in {}", repo.display());
    } else {
        std::fs::create_dir_all(repo).expect("the repository directory");
        let started = Instant::now();
        generate(repo, commits);
        println!(
            "generated {commits} commits (plus merges) in {:.1?}",
            started.elapsed()
        );
    }

    let me = std::env::current_exe().expect("the benchmark's own path");
    let ours = best_of(runs, || {
        let mut cmd = Command::new(&me);
        cmd.arg("--walk").arg(repo);
        cmd
    });
    let theirs = best_of(runs, || {
        let mut cmd = Command::new("git");
        cmd.current_dir(repo).args([
            "log",
            "--full-history",
            "--no-merges",
            "--name-only",
            "--format=%H",
            "--",
        ]);
        cmd.args(PATTERNS);
        cmd
    });
    let git_commits = theirs
        .stdout
        .lines()
        .filter(|l| l.len() == 40 && l.bytes().all(|b| b.is_ascii_hexdigit()))
        .count();
    println!("azengage: {}", ours.stdout.trim());
    println!("git log:  {git_commits} commits");
    println!();
    let cpu = |run: &Run| run.cpu.map_or("n/a".to_string(), |c| format!("{c:.2}s"));
    println!(
        "{:<10} {:>12} {:>10} {:>16}",
        "", "best wall", "its CPU", "peak RSS"
    );
    for (name, run) in [("azengage", &ours), ("git log", &theirs)] {
        println!(
            "{name:<10} {:>12.3?} {:>10} {:>16}",
            run.wall,
            cpu(run),
            run.peak_rss
        );
    }
    println!(
        "ratio azengage / git: {:.2} (wall), load average {}",
        ours.wall.as_secs_f64() / theirs.wall.as_secs_f64(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
}

/// The child process: walk `dir` over its whole history and print what was found and this process's peak RSS.
fn walk(dir: &Path) {
    let since = jiff::civil::date(1970, 1, 1);
    let as_of = jiff::civil::date(2100, 1, 1);
    let history =
        azengage::history::git::iac_history(dir, since, as_of).expect("the generated repository");
    let arm_only = history
        .commits
        .iter()
        .filter(|c| {
            c.paths
                .iter()
                .all(|p| !azengage::history::git::matches_iac_pattern(p.as_bytes()))
        })
        .count();
    println!(
        "{} IaC commits ({} only ARM templates), {} commits walked, own VmHWM {}",
        history.commits.len(),
        arm_only,
        history.commits_walked,
        own_peak_rss()
    );
}

/// One measured run.
struct Run {
    wall: Duration,
    /// User + system CPU seconds, when `/usr/bin/time` reports them.
    cpu: Option<f64>,
    peak_rss: String,
    stdout: String,
}

/// Run the command `runs` times (under `/usr/bin/time -v` when present, for the peak RSS); keep the fastest.
fn best_of(runs: u64, make: impl Fn() -> Command) -> Run {
    let timer = Path::new("/usr/bin/time").exists();
    let mut best: Option<Run> = None;
    for _ in 0..runs {
        let inner = make();
        let mut cmd = if timer {
            let mut timed = Command::new("/usr/bin/time");
            timed
                .arg("-v")
                .arg(inner.get_program())
                .args(inner.get_args());
            if let Some(dir) = inner.get_current_dir() {
                timed.current_dir(dir);
            }
            timed
        } else {
            inner
        };
        let started = Instant::now();
        let out = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("the command runs");
        let wall = started.elapsed();
        assert!(
            out.status.success(),
            "{:?} failed: {}",
            cmd,
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let peak_rss = stderr
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .map(|kb| format!("{kb} KiB"))
            .unwrap_or_else(|| "n/a".to_string());
        let seconds = |label: &str| {
            stderr
                .lines()
                .find_map(|l| l.trim().strip_prefix(label)?.trim().parse::<f64>().ok())
        };
        let cpu = seconds("User time (seconds):")
            .zip(seconds("System time (seconds):"))
            .map(|(user, system)| user + system);
        let run = Run {
            wall,
            cpu,
            peak_rss,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        };
        if best.as_ref().is_none_or(|b| run.wall < b.wall) {
            best = Some(run);
        }
    }
    best.expect("at least one run")
}

/// This process's peak resident set size from `/proc/self/status` (Linux), or `n/a`.
fn own_peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_string()))
        })
        .unwrap_or_else(|| "n/a".to_string())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Create a repository in `dir` holding `commits` commits on `main`, written by `git fast-import`.
fn generate(dir: &Path, commits: u64) {
    git(dir, &["init", "-q", "-b", "main"]);
    let mut import = Command::new("git")
        .current_dir(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import starts");
    let mut stream = std::io::BufWriter::new(import.stdin.take().expect("piped stdin"));
    write_history(&mut stream, commits).expect("the stream is written");
    drop(stream);
    assert!(import.wait().expect("git fast-import ends").success());
    // fast-import stores each version as a delta against the one before (chains run oldest to newest); clones
    // and `git gc` store the newest whole and older versions as deltas against it. Repack to measure the latter,
    // unless AZENGAGE_BENCH_NO_REPACK asks for the worst case.
    if std::env::var_os("AZENGAGE_BENCH_NO_REPACK").is_none() {
        git(dir, &["repack", "-a", "-d", "-f", "-q"]);
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The fast-import stream: an initial commit with every file, then one change per commit, and every hundredth
/// commit a side-branch commit merged back with `--no-ff`.
fn write_history(out: &mut impl Write, commits: u64) -> std::io::Result<()> {
    let step = (SPAN_SECONDS / commits.max(1)).max(1);
    let mut mark = 0u64;
    let mut time = FIRST_COMMIT;
    mark += 1;
    write_commit_header(out, "refs/heads/main", mark, time, "initial", None, None)?;
    for path in initial_files() {
        write_file(out, &path, &content_for(&path, 0))?;
    }
    let mut main_tip = mark;
    for i in 1..=commits {
        time += step;
        let path = changed_path(i);
        if i % 100 == 0 {
            mark += 1;
            let side = mark;
            write_commit_header(
                out,
                "refs/heads/side",
                side,
                time,
                "side change",
                Some(main_tip),
                None,
            )?;
            write_file(out, "infra/modules/side/main.tf", &content_for("x.tf", i))?;
            mark += 1;
            write_commit_header(
                out,
                "refs/heads/main",
                mark,
                time,
                "merge side",
                Some(main_tip),
                Some(side),
            )?;
            write_file(out, "infra/modules/side/main.tf", &content_for("x.tf", i))?;
            main_tip = mark;
        }
        mark += 1;
        write_commit_header(
            out,
            "refs/heads/main",
            mark,
            time,
            &format!("change {path}"),
            Some(main_tip),
            None,
        )?;
        write_file(out, &path, &content_for(&path, i))?;
        main_tip = mark;
    }
    Ok(())
}

fn write_commit_header(
    out: &mut impl Write,
    branch: &str,
    mark: u64,
    time: u64,
    message: &str,
    from: Option<u64>,
    merge: Option<u64>,
) -> std::io::Result<()> {
    writeln!(out, "commit {branch}\nmark :{mark}")?;
    writeln!(
        out,
        "author Dev <dev@contoso.com> {time} +0100\ncommitter Dev <dev@contoso.com> {time} +0100"
    )?;
    writeln!(out, "data {}\n{message}", message.len())?;
    if let Some(from) = from {
        writeln!(out, "from :{from}")?;
    }
    if let Some(merge) = merge {
        writeln!(out, "merge :{merge}")?;
    }
    Ok(())
}

fn write_file(out: &mut impl Write, path: &str, text: &str) -> std::io::Result<()> {
    writeln!(out, "M 100644 inline {path}\ndata {}\n{text}", text.len())
}

/// A thousand application files in 40 directories, plus the IaC files.
fn initial_files() -> Vec<String> {
    let mut files: Vec<String> = (0..1000)
        .map(|n| format!("src/pkg{}/module{}.py", n % 40, n))
        .collect();
    files.extend((0..10).map(|n| format!("infra/env{n}/main.tf")));
    files.extend((0..10).map(|n| format!("infra/env{n}/terraform.tfvars")));
    files.extend((0..20).map(|n| format!("infra/modules/mod{n}/main.tf")));
    files.extend((0..20).map(|n| format!("deploy/modules/mod{n}.bicep")));
    files.extend([
        "deploy/azuredeploy.json".to_string(),
        "package.json".to_string(),
        "README.md".to_string(),
    ]);
    files
}

/// The file commit `i` changes: about 4 in 10 are IaC, a few are ARM templates or `package.json`.
fn changed_path(i: u64) -> String {
    match i % 10 {
        0 | 1 => format!("infra/modules/mod{}/main.tf", i % 20),
        2 => format!("infra/env{}/terraform.tfvars", i % 10),
        3 if i % 50 == 3 => "deploy/azuredeploy.json".to_string(),
        3 => format!("deploy/modules/mod{}.bicep", i % 20),
        4 if i % 20 == 4 => "package.json".to_string(),
        _ => format!("src/pkg{}/module{}.py", i % 40, (i * 7) % 1000),
    }
}

fn content_for(path: &str, rev: u64) -> String {
    if path.ends_with(".tf") {
        format!(
            "resource \"azurerm_resource_group\" \"main\" {{\n  name     = \"rg-{rev}\"\n  location = \"westeurope\"\n}}\n"
        )
    } else if path.ends_with(".bicep") {
        format!("param location string = resourceGroup().location\nvar rev = {rev}\n")
    } else if path.ends_with("azuredeploy.json") {
        ARM_TEMPLATE.replace("REV", &format!("st{rev}"))
    } else if path.ends_with(".json") {
        format!("{{\"name\": \"web\", \"version\": \"1.0.{rev}\"}}\n")
    } else {
        format!("# {path}\nVERSION = {rev}\n")
    }
}
