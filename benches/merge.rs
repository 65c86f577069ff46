//! Benchmark: `azengage merge` over 200 scan documents (the contract asks for under 1 s).
//!
//! The documents are real `scan --format json` output (`tests/fixtures/account/scans/`: an azd Bicep web app, a
//! Terraform function API, a Bicep data platform) grown to the sizes a portfolio shows: each gets its own
//! `owner/name`, between 20 and 400 resources drawn from the fixtures' resources (new names, files and lines,
//! locations from a dozen regions, one in five not deployed), a 104-week history with activity in about a third
//! of the weeks, one to four workflows, a dozen suggestions and a few diagnostics. `AZENGAGE_BENCH_DOCS` sets
//! the count (default 200), `AZENGAGE_BENCH_RUNS` the runs (default 5, best and median printed).
//!
//! Timed, each best of the runs: reading and parsing the documents, merging and assessing them, writing the
//! merged JSON document (in process), and the whole `azengage merge DIR --format json` and `--format markdown`
//! as a user runs them (a process each, output to /dev/null). Run with `cargo bench --bench merge`;
//! `AZENGAGE_BENCH_KEEP=DIR` keeps the documents in DIR.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FIXTURES: [&str; 3] = [
    include_str!("../tests/fixtures/account/scans/web.json"),
    include_str!("../tests/fixtures/account/scans/api.json"),
    include_str!("../tests/fixtures/account/scans/data.json"),
];

const REGIONS: [&str; 12] = [
    "westeurope",
    "northeurope",
    "swedencentral",
    "francecentral",
    "germanywestcentral",
    "uksouth",
    "eastus",
    "eastus2",
    "westus3",
    "centralus",
    "japaneast",
    "australiaeast",
];

/// A small deterministic generator (xorshift), so every run merges the same documents.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One realistic document, number `i`.
fn document(i: usize, rng: &mut Rng) -> Value {
    let templates: Vec<Value> = FIXTURES
        .iter()
        .map(|t| serde_json::from_str(t).expect("fixture JSON"))
        .collect();
    let mut doc = templates[i % templates.len()].clone();
    let pool: Vec<Value> = templates
        .iter()
        .flat_map(|t| t["resources"].as_array().cloned().unwrap_or_default())
        .collect();
    doc["repository"] = json!(format!(
        "startup-{:03}/{}",
        i / 3,
        ["web", "api", "data"][i % 3]
    ));
    let count = 20 + rng.below(380) as usize;
    let resources: Vec<Value> = (0..count)
        .map(|n| {
            let mut r = pool[rng.below(pool.len() as u64) as usize].clone();
            r["name"] = json!(format!("res{n}"));
            r["file"] = json!(format!("infra/modules/m{}.bicep", n / 12));
            r["line"] = json!(1 + (n % 12) * 14);
            if r["location"].is_string() {
                r["location"] = json!(REGIONS[rng.below(REGIONS.len() as u64) as usize]);
            }
            if rng.below(5) == 0 {
                r["deployed"] = json!(false);
                r["why_not"] = json!("unreferenced");
            }
            r
        })
        .collect();
    doc["resources"] = json!(resources);
    let weekly: Vec<Value> = (0..104)
        .map(|w| {
            let active = rng.below(3) == 0;
            json!({
                "week_start": monday(w),
                "iac_commits": if active { 1 + rng.below(6) } else { 0 },
                "deployments": if active { rng.below(4) } else { 0 },
            })
        })
        .collect();
    doc["activity"]["weekly"] = json!(weekly);
    let workflow = doc["activity"]["workflows"][0].clone();
    let workflows: Vec<Value> = (0..1 + rng.below(4))
        .map(|n| {
            let mut w = workflow.clone();
            w["file"] = json!(format!(".github/workflows/deploy-{n}.yml"));
            w
        })
        .collect();
    doc["activity"]["workflows"] = json!(workflows);
    let suggestion = json!({"id": "AZE001", "rule": "no-monitoring", "severity": "warning",
        "title": "No monitoring", "detail": "Add Application Insights.", "file": "infra/main.bicep", "line": 4});
    doc["suggestions"] = json!(vec![suggestion; 12]);
    let diagnostic = json!({"file": "infra/broken.bicep", "line": 3, "column": 7, "severity": "error",
        "code": "parse", "message": "expected '}'"});
    doc["diagnostics"] = json!(vec![diagnostic; 1 + rng.below(4) as usize]);
    doc
}

/// The Monday `back` weeks before 2026-11-23.
fn monday(back: u64) -> String {
    let last = jiff::civil::date(2026, 11, 23);
    let days = i64::try_from(back * 7).unwrap_or(0);
    last.checked_sub(jiff::Span::new().days(days))
        .unwrap_or(last)
        .to_string()
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[times.len() / 2])
}

fn merge_cli(dir: &Path, format: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_azengage"))
        .args(["merge", "-q", "--format", format])
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .expect("azengage runs");
    assert!(status.success(), "azengage merge failed");
}

fn main() {
    let count = env_number("AZENGAGE_BENCH_DOCS", 200);
    let runs = env_number("AZENGAGE_BENCH_RUNS", 5).max(1);
    // AZENGAGE_BENCH_KEEP=DIR writes the documents there (to time `azengage merge DIR` by hand, e.g. with
    // /usr/bin/time -v), instead of a temporary directory removed at the end.
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let kept = std::env::var_os("AZENGAGE_BENCH_KEEP").map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temporary.path());
    std::fs::create_dir_all(dir).expect("the documents' directory");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes = 0usize;
    let mut resources = 0usize;
    for i in 0..count {
        let doc = document(i, &mut rng);
        resources += doc["resources"].as_array().map_or(0, Vec::len);
        let text = serde_json::to_vec_pretty(&doc).expect("JSON");
        bytes += text.len();
        std::fs::write(dir.join(format!("scan-{i:03}.json")), text).expect("write");
    }
    println!(
        "{count} scan documents, {:.1} MB, {resources} resources",
        bytes as f64 / 1e6
    );
    let paths = [dir.to_path_buf()];
    let params = azengage::account::MergeParams::default();
    let (read_best, read_median) = timed(runs, || {
        azengage::account::read_documents(&paths).expect("documents")
    });
    let docs = azengage::account::read_documents(&paths).expect("documents");
    let mut copies: Vec<_> = (0..runs).map(|_| docs.clone()).collect();
    let (merge_best, merge_median) = timed(runs, || {
        let docs = copies.pop().expect("a copy per run");
        azengage::account::merge(docs, &params).expect("merge")
    });
    let as_of = jiff::civil::date(2026, 11, 23);
    let (combine_best, _) = timed(runs, || azengage::account::combine::combine(&docs, as_of));
    let combined = azengage::account::combine::combine(&docs, as_of);
    let config = azengage::config::Config::default();
    let (assess_best, _) = timed(runs, || {
        azengage::assess::assess(&azengage::assess::AssessmentInput {
            inventory: &combined.inventory,
            activity: &combined.activity,
            config: &config,
            as_of,
            costs: None,
        })
    });
    let (summary_best, _) = timed(runs, || {
        azengage::account::summary::contributions(&docs, as_of)
    });
    let outcome = azengage::account::merge(docs, &params).expect("merge");
    let mut out = Vec::new();
    let (json_best, json_median) = timed(runs, || {
        out.clear();
        let document = azengage::account::json::AccountDocument::new(&outcome);
        azengage::report::write_json(&mut out, &document).expect("json");
        out.len()
    });
    let (cli_json_best, cli_json_median) = timed(runs, || merge_cli(dir, "json"));
    let (cli_md_best, cli_md_median) = timed(runs, || merge_cli(dir, "markdown"));
    println!("best of {runs} (median):");
    println!("  read and parse        {read_best:>9.1?} ({read_median:.1?})");
    println!("  merge and assess      {merge_best:>9.1?} ({merge_median:.1?})");
    println!(
        "    of which: combine {combine_best:.1?}, assess {assess_best:.1?}, contributions {summary_best:.1?}"
    );
    println!(
        "  write JSON            {json_best:>9.1?} ({json_median:.1?}), {:.1} MB",
        out.len() as f64 / 1e6
    );
    println!("  azengage merge --format json      {cli_json_best:>9.1?} ({cli_json_median:.1?})");
    println!("  azengage merge --format markdown  {cli_md_best:>9.1?} ({cli_md_median:.1?})");
    let limit = Duration::from_secs(1);
    println!(
        "contract: {count} documents in under 1 s: {}",
        if cli_json_best < limit && cli_md_best < limit {
            "yes"
        } else {
            "NO"
        }
    );
}
