//! Hostile input: every parser azengage runs on a repository it has never seen (Bicep and `.bicepparam`,
//! Terraform HCL and JSON, ARM JSON, workflow YAML, the config, Cost Management exports as CSV, gzip and
//! Parquet, and export-run manifests) is fed random bytes, mutated fixtures, truncations, 10,000-level
//! nesting, 10 MB lines, invalid UTF-8, BOMs, CRLF and NUL bytes. The invariants: no panic, no stack overflow
//! (deep cases run on a 1 MiB stack), a diagnostic for what cannot be read, and work that grows linearly with
//! the input (counted in allocations, never timed).
//!
//! The default run is a few seconds. The long campaign is ignored by default:
//! `HOSTILE_CASES=200000 cargo test --release --test it hostile:: -- --ignored --nocapture`.

mod cost_seeds;
mod mutate;
mod targets;

use azengage::iac::ScanOptions;
use mutate::{NESTINGS, Rng, deep, deep_hcl_blocks, deep_yaml_blocks, huge_line, mutate};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use targets::{ALL, Outcome, Target};

/// Counts allocations made by the current thread while counting is on: the work proxy of
/// `work_grows_linearly`, deterministic where timings are not.
struct CountingAlloc;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; only a thread-local counter is added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNTING.try_with(|on| {
            if on.get() {
                let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            }
        });
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// The stack every deep case runs on: a quarter of what a rayon worker or `std::thread` gets by default.
const SMALL_STACK: usize = 1024 * 1024;

/// Run `work` on a thread with a 1 MiB stack, inside a rayon pool whose workers have 1 MiB stacks too (the
/// Terraform and ARM scanners parse in parallel), so an overflow anywhere aborts the test.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .stack_size(SMALL_STACK)
                .build()
                .expect("rayon pool");
            pool.install(work)
        })
        .expect("spawn small-stack thread")
        .join()
        .expect("small-stack thread panicked")
}

/// Run one case, turning a panic into an `Err` that names the target and keeps the input for a repro.
fn run_case(
    target: Target,
    bytes: &[u8],
    dir: &Path,
    opts: &ScanOptions,
) -> Result<Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| target.run(bytes, dir, opts))).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let repro = std::env::temp_dir().join(format!("hostile-{target:?}-{}.bin", bytes.len()));
        let _ = std::fs::write(&repro, bytes);
        format!(
            "{target:?} panicked ({message}); input saved to {}",
            repro.display()
        )
    })
}

fn must_not_panic(target: Target, bytes: &[u8], dir: &Path) -> Outcome {
    run_case(target, bytes, dir, &ScanOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random bytes never panic any parser, and every file scanner accounts for what it could not read.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let dir = tempfile::tempdir().unwrap();
        for target in ALL {
            must_not_panic(target, &bytes, dir.path());
        }
    }

    /// Random text over each grammar's punctuation never panics.
    #[test]
    fn punctuation_soup_never_panics(text in "[{}\\[\\]()'\"$:=,.@?!|#/*\\\\\n\r\t a-z0-9-]{0,600}") {
        let dir = tempfile::tempdir().unwrap();
        for target in ALL {
            must_not_panic(target, text.as_bytes(), dir.path());
        }
    }

    /// Stacked byte mutations of every seed fixture never panic.
    #[test]
    fn mutated_fixtures_never_panic(seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = Rng::new(seed);
        for target in ALL {
            let seeds = target.seeds();
            let input = mutate(&seeds[rng.below(seeds.len())], &seeds, &mut rng);
            must_not_panic(target, &input, dir.path());
        }
    }
}

/// Truncating a fixture anywhere never panics. The default run tries every 3rd offset for the YAML parsers,
/// every 11th for Bicep and every 29th for the other file scanners; the long campaign tries them all.
#[test]
fn truncation_at_every_offset_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    for target in ALL {
        let stride = match target {
            Target::Workflow | Target::Config | Target::CostManifest => 3,
            Target::Bicep | Target::CostCsvGz | Target::CostParquet => 11,
            _ => 29,
        };
        for seed in target.seeds() {
            for end in (0..=seed.len()).step_by(stride) {
                must_not_panic(target, &seed[..end], dir.path());
            }
        }
    }
}

/// A Parquet export whose dictionary page the long campaign damaged: the parquet crate asserts on it instead
/// of returning an error; the reader reports the file as unreadable and goes on.
#[test]
fn a_damaged_parquet_dictionary_page_is_an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/costs-hostile/parquet-damaged-dictionary-page.parquet"),
    )
    .expect("fixture");
    let outcome = must_not_panic(Target::CostParquet, &bytes, dir.path());
    assert_eq!(outcome.items, 0);
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.message.contains("no cost export could be read")),
        "{:?}",
        outcome.diagnostics
    );
}

/// The cost seeds are real exports, not errors: each reads counted rows, so mutations start from a file that
/// gets deep into the reader. (Some config seeds are wrong on purpose; the starter config reads.)
#[test]
fn cost_and_config_seeds_read() {
    let dir = tempfile::tempdir().unwrap();
    for target in ALL.into_iter().filter(|t| t.is_costs()) {
        for (i, seed) in target.seeds().iter().enumerate() {
            let outcome = must_not_panic(target, seed, dir.path());
            assert!(
                outcome.items > 0,
                "{target:?} seed {i} read nothing: {:?}",
                outcome.diagnostics
            );
        }
    }
    let starter = azengage::config::starter_config().as_bytes();
    assert_eq!(must_not_panic(Target::Config, starter, dir.path()).items, 1);
    // The multi-byte dates that once panicked are skipped rows, each named.
    let multibyte = &Target::CostCsv.seeds()[3];
    let outcome = must_not_panic(Target::CostCsv, multibyte, dir.path());
    let skipped: Vec<&str> = outcome
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(outcome.items, 1, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|m| m.contains("'2026-1é-01T00:00:00Z' is not a date")),
        "{skipped:?}"
    );
}

/// A file cut inside its first block is reported, not silently read as fewer resources.
#[test]
fn truncated_iac_gives_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    for target in [
        Target::Bicep,
        Target::Terraform,
        Target::Arm,
        Target::TerraformJson,
    ] {
        for seed in target.seeds() {
            let text = String::from_utf8_lossy(&seed);
            // Cut after the opening bracket of the first resource (ARM: of the `resources` array, since a
            // JSON file cut before its `$schema` is not recognisably a template).
            // The first resource is a line that starts with the keyword (comments mention "resource" too).
            let (marker, bracket) = match target {
                Target::Bicep | Target::Terraform => ("\nresource ", '{'),
                _ => ("\"resources\"", '['),
            };
            let opening = text
                .find(marker)
                .or_else(|| text.starts_with("resource ").then_some(0))
                .and_then(|r| text[r..].find(bracket).map(|b| r + b + 1));
            let Some(cut) = opening else { continue };
            let outcome = must_not_panic(target, &seed[..cut], dir.path());
            assert!(
                !outcome.diagnostics.is_empty() || outcome.syntax_errors > 0,
                "{target:?}: a file cut after its first `{{` gave no diagnostic:\n{}",
                &text[..cut]
            );
        }
    }
}

/// 10,000 levels of brackets, braces, parentheses and objects (closed and unclosed) in every language, on a
/// 1 MiB stack: refused with a diagnostic, never a stack overflow.
#[test]
fn deep_nesting_is_refused_on_a_small_stack() {
    on_small_stack(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut cases: Vec<(Target, String, Vec<u8>)> = Vec::new();
        for target in ALL {
            for shape in NESTINGS {
                cases.push((target, format!("{shape:?}"), deep(target, shape, 10_000)));
            }
        }
        cases.push((Target::Terraform, "blocks".into(), deep_hcl_blocks(10_000)));
        cases.push((
            Target::Workflow,
            "block mappings".into(),
            deep_yaml_blocks(1_000),
        ));
        cases.push((
            Target::Config,
            "block mappings".into(),
            deep_yaml_blocks(1_000),
        ));
        for (target, shape, input) in cases {
            let outcome = must_not_panic(target, &input, dir.path());
            // In YAML `((((x))))` is a plain string, and so is any CSV cell: nothing to report.
            let plain_text = (matches!(target, Target::Workflow | Target::Config)
                && shape == "Parens")
                || (target.is_costs() && target != Target::CostManifest);
            let reported = !outcome.diagnostics.is_empty() || outcome.syntax_errors > 0;
            assert!(
                reported || plain_text,
                "{target:?} {shape}: 10,000-deep nesting gave no diagnostic"
            );
        }
    });
}

/// A huge single line is parsed (with the size limit raised) without trouble, and skipped with a
/// `too-large` diagnostic when over the limit. The default run uses 2 MB lines against a 1 MB limit (the
/// unoptimised YAML and HCL parsers take seconds on 10 MB); the long campaign runs 10 MB against the default
/// 5 MB limit.
#[test]
fn huge_single_line() {
    huge_lines(2 * 1024 * 1024, 1024 * 1024);
}

fn huge_lines(len: usize, limit: u64) {
    let dir = tempfile::tempdir().unwrap();
    let raised = ScanOptions {
        max_file_size: 64 * 1024 * 1024,
        ..ScanOptions::default()
    };
    let limited = ScanOptions {
        max_file_size: limit,
        ..ScanOptions::default()
    };
    for target in ALL {
        let input = huge_line(target, len);
        run_case(target, &input, dir.path(), &raised).unwrap_or_else(|e| panic!("{e}"));
        // Cost exports have no size limit: they are streamed, and real ones run to gigabytes.
        if !matches!(target, Target::Workflow | Target::Config) && !target.is_costs() {
            let outcome =
                run_case(target, &input, dir.path(), &limited).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                outcome.diagnostics.iter().any(|d| d.code == "too-large"),
                "{target:?}: a 10 MB file under a 5 MB limit gave {:?}",
                outcome.diagnostics
            );
        }
    }
}

/// A BOM and CRLF line ends change nothing (in the text formats); NUL bytes and invalid UTF-8 never panic, and
/// invalid UTF-8 in a scanned IaC file is an `encoding` warning.
#[test]
fn encodings_bom_crlf_nul() {
    let dir = tempfile::tempdir().unwrap();
    for target in ALL {
        for seed in target.seeds() {
            let plain = must_not_panic(target, &seed, dir.path());
            if !target.is_binary() {
                let crlf = must_not_panic(target, &bom_and_crlf(&seed), dir.path());
                assert_eq!(
                    plain.items, crlf.items,
                    "{target:?}: BOM + CRLF changed what was found"
                );
            }
            let mut nul = seed.clone();
            nul.insert(seed.len() / 2, 0);
            must_not_panic(target, &nul, dir.path());
            let mut invalid = seed.clone();
            invalid.splice(seed.len() / 2..seed.len() / 2, [0xff, 0xfe, 0xc3]);
            let outcome = must_not_panic(target, &invalid, dir.path());
            // Files the scanner recognises (JSON that is not a template is ignored silently).
            if plain.items > 0
                && !matches!(target, Target::Workflow | Target::Config)
                && !target.is_costs()
            {
                assert!(
                    outcome.diagnostics.iter().any(|d| d.code == "encoding"),
                    "{target:?}: invalid UTF-8 gave {:?}",
                    outcome.diagnostics
                );
            }
        }
    }
}

/// `seed` as a Windows editor saves it: a BOM first (unless it has one) and CRLF line ends.
fn bom_and_crlf(seed: &[u8]) -> Vec<u8> {
    let mut dressed = if seed.starts_with(b"\xef\xbb\xbf") {
        Vec::new()
    } else {
        b"\xef\xbb\xbf".to_vec()
    };
    let mut previous = 0;
    for &b in seed {
        if b == b'\n' && previous != b'\r' {
            dressed.push(b'\r');
        }
        dressed.push(b);
        previous = b;
    }
    dressed
}

/// Allocations made parsing `input` repeated `copies` times, on one thread (a one-thread rayon pool keeps
/// the parallel scanners on it).
fn allocations(target: Target, unit: &[u8], copies: usize, dir: &Path) -> u64 {
    let input = unit.repeat(copies);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| {
        ALLOCATIONS.with(|n| n.set(0));
        COUNTING.with(|on| on.set(true));
        must_not_panic(target, &input, dir);
        COUNTING.with(|on| on.set(false));
        ALLOCATIONS.with(Cell::get)
    })
}

/// Work grows linearly: parsing 4n copies of a unit costs at most ~6× the allocations of n copies (a
/// quadratic parser would show 16×). Units are real declarations, rows and garbage lines that each give an
/// error; a head (a workflow's jobs, a CSV header) comes once before them.
#[test]
fn work_grows_linearly() {
    let dir = tempfile::tempdir().unwrap();
    const STEPS: &[u8] = b"on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n";
    const HEADER: &[u8] = b"ChargePeriodStart,BilledCost,BillingCurrency,ChargeCategory,ServiceName,RegionId,x_ResourceType\n";
    let units: Vec<(Target, &[u8], &[u8])> = vec![
        (Target::Bicep, b"", b"resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st${i}'\n  location: location\n  properties: { a: [1, 2, { b: 'c' }] }\n}\n"),
        (Target::Bicep, b"", b"}} ) ] = ? ' \n"),
        (Target::Terraform, b"", b"resource \"azurerm_storage_account\" \"st\" {\n  name = \"st\"\n  location = var.location\n  tags = { a = [1, 2] }\n}\n"),
        (Target::Terraform, b"", b"}} ) ] = ? \" \n"),
        (Target::Workflow, STEPS, b"- run: az deployment group create -g rg -f main.bicep --parameters location=westeurope\n"),
        (Target::Config, b"", b"# a comment line that says nothing at all\n"),
        (Target::CostCsv, HEADER, b"2026-06-01T00:00:00Z,0.0000000000000049,USD,Usage,Azure App Service,westeurope,microsoft.web/sites\n"),
        (Target::CostCsv, HEADER, b"2026-1\xc3\xa9-01,x,USD,Usage,,,\n"),
    ];
    for (target, head, unit) in units {
        let sized = |copies: usize| [head, &unit.repeat(copies)].concat();
        let small = allocations(target, &sized(200), 1, dir.path());
        let large = allocations(target, &sized(800), 1, dir.path());
        let ratio = large as f64 / small.max(1) as f64;
        assert!(
            ratio < 6.0,
            "{target:?}: 4× the input took {ratio:.1}× the allocations ({small} → {large})"
        );
    }
}

/// The long campaign: `HOSTILE_CASES` mutations per target (default 2,000), every truncation of every seed,
/// and random bytes, each under `catch_unwind`; prints what it ran and fails on the first panic it collects.
#[test]
#[ignore = "long campaign: HOSTILE_CASES=200000 cargo test --release --test it hostile:: -- --ignored --nocapture"]
fn long_campaign() {
    let cases: usize = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    huge_lines(10 * 1024 * 1024, ScanOptions::default().max_file_size);
    let seed: u64 = std::env::var("HOSTILE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let handles: Vec<_> = ALL
        .into_iter()
        .enumerate()
        .map(|(i, target)| {
            std::thread::Builder::new()
                .stack_size(2 * 1024 * 1024)
                .spawn(move || campaign(target, cases, seed.wrapping_add(i as u64)))
                .expect("spawn campaign thread")
        })
        .collect();
    let mut failures = Vec::new();
    let mut total = 0;
    for handle in handles {
        let (ran, failed) = handle.join().expect("campaign thread");
        total += ran;
        failures.extend(failed);
    }
    println!(
        "hostile campaign: {total} cases, {} failures",
        failures.len()
    );
    for failure in &failures {
        println!("  {failure}");
    }
    assert!(failures.is_empty());
}

fn campaign(target: Target, cases: usize, seed: u64) -> (usize, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let opts = ScanOptions::default();
    let seeds = target.seeds();
    let mut rng = Rng::new(seed);
    let mut failures = Vec::new();
    let mut ran = 0;
    let run = |bytes: &[u8], failures: &mut Vec<String>| {
        // The last input is kept on disk so that a crash `catch_unwind` cannot catch still leaves a repro.
        let _ = std::fs::write(dir.path().join("last-input"), bytes);
        if let Err(e) = run_case(target, bytes, dir.path(), &opts) {
            failures.push(e);
        }
    };
    for s in &seeds {
        for end in 0..=s.len() {
            run(&s[..end], &mut failures);
            ran += 1;
        }
    }
    for i in 0..cases {
        let input = if i % 10 == 0 {
            (0..rng.below(4096)).map(|_| rng.next() as u8).collect()
        } else {
            mutate(&seeds[rng.below(seeds.len())], &seeds, &mut rng)
        };
        run(&input, &mut failures);
        ran += 1;
    }
    println!("{target:?}: {ran} cases, {} failures", failures.len());
    (ran, failures)
}
