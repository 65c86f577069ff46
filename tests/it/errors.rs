//! The error policy end to end, through the binary: the same condition gives the same exit code in every
//! command and in the action, a closed stdout ends quietly with 0, nothing a user puts in a file panics (a
//! multi-byte date in a cost export, a config saved with a BOM), and the completions and man page the clap
//! definitions generate.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use std::process::Stdio;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn azengage() -> Command {
    let mut cmd = Command::cargo_bin("azengage").unwrap_or_else(|e| panic!("{e}"));
    cmd.current_dir(ROOT)
        .env_remove("GITHUB_TOKEN")
        .env_remove("AZENGAGE_LOG")
        .env("NO_COLOR", "1");
    cmd
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    enc.finish().unwrap_or_else(|e| panic!("{e}"))
}

/// A FOCUS export with the columns Cost Management writes that azengage reads.
const FOCUS_HEADER: &str = "BilledCost,BillingCurrency,ChargeCategory,ChargeClass,ChargePeriodStart,RegionId,ServiceCategory,ServiceName,x_ResourceType";

fn focus_row(date: &str, cost: &str, currency: &str) -> String {
    format!("{cost},{currency},Usage,,{date},westeurope,Web,Azure App Service,microsoft.web/sites")
}

/// A small Bicep project (not a git repository) to scan.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        &dir.path().join("infra/main.bicep"),
        "param location string = 'westeurope'\n\
         resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {\n  name: 'plan-app'\n  location: location\n  sku: { name: 'B1' }\n}\n",
    );
    dir
}

// --- A multi-byte date in a cost export -------------------------------------------------------------------

#[test]
fn a_multi_byte_date_in_a_cost_export_is_a_skipped_row_not_a_panic() {
    let dir = project();
    let export = [
        FOCUS_HEADER.to_string(),
        focus_row("2026-06-01T00:00:00Z", "10.00", "USD"),
        focus_row("2026-1é-01T00:00:00Z", "99.00", "USD"),
        focus_row("2026-06-02T00:00:00Z", "2.50", "USD"),
    ]
    .join("\n");
    for (name, bytes) in [
        ("costs/focus.csv", export.clone().into_bytes()),
        ("costs-gz/focus.csv.gz", gzip(export.as_bytes())),
    ] {
        let path = dir.path().join(name);
        write(&path, bytes);
        let costs_dir = path.parent().unwrap_or(dir.path());
        let out = azengage()
            .args(["costs", "--format", "json"])
            .arg(costs_dir)
            .assert()
            .code(0)
            .get_output()
            .clone();
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v["rows"], 2, "{name}: the two good rows count");
        assert_eq!(v["total"], 12.5, "{name}");
        azengage()
            .arg("costs")
            .arg(costs_dir)
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                ":3:0: warning: row skipped: '2026-1é-01T00:00:00Z' is not a date",
            ))
            .stderr(predicate::str::contains("panicked").not());
        azengage()
            .args([
                "scan",
                "--as-of",
                "2026-06-10",
                "--format",
                "json",
                "--costs",
            ])
            .arg(costs_dir)
            .arg(dir.path())
            .assert()
            .code(0)
            .stdout(predicate::str::contains("\"total\": 12.5"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

// --- A config saved with a BOM ------------------------------------------------------------------------------

#[test]
fn a_config_saved_with_a_bom_is_read() {
    let dir = project();
    let config = dir.path().join(".github/azengage.yml");
    // As Notepad writes it: a UTF-8 BOM and CRLF line ends.
    write(
        &config,
        "\u{feff}program:\r\n  kind: founders-hub\r\n  joined: 2026-01-10\r\n  credits:\r\n    total: 25000\r\n    expires: 2027-01-10\r\nfail_on: never\r\n",
    );
    let out = azengage()
        .args(["scan", "--as-of", "2026-06-10", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["config_file"], ".github/azengage.yml");
    // Joined 2026-01-10: the score is visible 90 days later; credits expire 2027-01-10, reviewed 45 days before.
    assert_eq!(v["program"]["kind"], "founders-hub");
    assert_eq!(v["program"]["score_visible_from"], "2026-04-10");
    assert_eq!(v["program"]["review_date"], "2026-11-26");
    // A mistake in a BOM file is still pointed at by line and column.
    write(&config, "\u{feff}program:\r\n  credit: 1\r\n");
    azengage()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "azengage.yml:2:3: unknown key 'credit' in program",
        ));
    // UTF-16, as Notepad's "Unicode" saves it: a configuration error that says what to do.
    let utf16: Vec<u8> = "\u{feff}fail_on: never\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    write(&config, utf16);
    azengage()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8; save it as UTF-8"));
}

// --- A closed stdout ----------------------------------------------------------------------------------------

/// Run azengage with stdout a pipe whose reading end is already closed (as after `| head` has exited): every
/// write fails with a broken pipe, deterministically.
fn with_closed_stdout(args: &[&str], dir: &Path) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap_or_else(|e| panic!("{e}"));
    drop(reader);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_azengage"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("GITHUB_TOKEN")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
    drop(cmd);
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_closed_stdout_ends_quietly_with_0_in_every_command() {
    let dir = project();
    let costs = dir.path().join("costs/focus.csv");
    write(
        &costs,
        [
            FOCUS_HEADER.to_string(),
            focus_row("2026-06-01", "1", "USD"),
        ]
        .join("\n"),
    );
    let project = dir.path().to_string_lossy().into_owned();
    let costs = costs.to_string_lossy().into_owned();
    let init_target = dir.path().join("new/.github/azengage.yml");
    let init_target = init_target.to_string_lossy().into_owned();
    let cases: Vec<Vec<&str>> = vec![
        vec!["inventory", "examples/terraform-startup"],
        vec!["inventory", "examples/bicep-startup", "--format", "json"],
        vec![
            "scan",
            "examples/terraform-startup",
            "--as-of",
            "2026-11-23",
        ],
        vec!["scan", &project, "--format", "json"],
        vec!["scan", &project, "--format", "markdown"],
        vec!["scan", &project, "--format", "sarif"],
        vec!["costs", &costs],
        vec!["costs", &costs, "--format", "json"],
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["rules", "no-monitoring"],
        vec!["init", &init_target],
        vec![
            "diff", "--base", "HEAD", "--head", "HEAD", "--format", "json",
        ],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
        vec!["scan", "--help"],
        vec!["--version"],
    ];
    for args in cases {
        let out = with_closed_stdout(&args, Path::new(ROOT));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("error") && !stderr.contains("panicked"),
            "{args:?} said: {stderr}"
        );
    }
}

// --- Unreadable exports: one code in every command and in the action --------------------------------------

/// Run `azengage action` as the Docker action does, in `workspace` on a push (scan mode: no API), with the
/// costs input; returns the exit code and stderr.
fn action_with_costs(workspace: &Path, costs: &str) -> (Option<i32>, String) {
    let summary = workspace.join("summary.md");
    let out = azengage()
        .arg("action")
        .env_clear()
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_REPOSITORY", "contoso/webshop")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", workspace.join("output.txt"))
        .env("INPUT_PATH", ".")
        .env("INPUT_COSTS", costs)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let written = std::fs::read_to_string(&summary).unwrap_or_default();
    assert!(
        written.contains("the scan did not run"),
        "the job summary is written and says why: {written}"
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn unreadable_exports_give_the_same_code_in_scan_costs_and_the_action() {
    let dir = project();
    let good = [
        FOCUS_HEADER.to_string(),
        focus_row("2026-06-01", "1", "USD"),
    ]
    .join("\n");
    let gz = gzip(good.as_bytes());
    // Nothing readable: a truncated gzip and a corrupt Parquet file (3).
    write(
        &dir.path().join("unreadable/cut.csv.gz"),
        &gz[..gz.len() / 2],
    );
    write(
        &dir.path().join("unreadable/broken.parquet"),
        b"PAR1 not really parquet PAR1",
    );
    // A needed column missing (2): no BilledCost.
    write(
        &dir.path().join("no-cost/focus.csv"),
        "BillingCurrency,ChargeCategory,ChargePeriodStart\nUSD,Usage,2026-06-01\n",
    );
    // Two billing currencies (2).
    write(&dir.path().join("mixed/usd.csv"), &good);
    write(
        &dir.path().join("mixed/eur.csv"),
        [
            FOCUS_HEADER.to_string(),
            focus_row("2026-06-01", "1", "EUR"),
        ]
        .join("\n"),
    );
    for (costs, code, says) in [
        ("unreadable", 3, "no cost export could be read"),
        ("no-cost", 2, "missing column BilledCost"),
        ("mixed", 2, "the exports mix billing currencies (EUR, USD)"),
    ] {
        let path = dir.path().join(costs);
        azengage()
            .arg("scan")
            .arg(dir.path())
            .arg("--costs")
            .arg(&path)
            .assert()
            .code(code)
            .stderr(predicate::str::contains(says));
        azengage()
            .arg("costs")
            .arg(&path)
            .assert()
            .code(code)
            .stderr(predicate::str::contains(says));
        let (action_code, stderr) = action_with_costs(dir.path(), costs);
        assert_eq!(action_code, Some(code), "action, {costs}: {stderr}");
        assert!(stderr.contains(says), "action, {costs}: {stderr}");
    }
}

// --- Completions and the man page ---------------------------------------------------------------------------

#[test]
fn completions_for_every_shell_name_the_commands_and_flags() {
    for (shell, marker) in [
        ("bash", "complete -F _azengage"),
        ("zsh", "#compdef azengage"),
        ("fish", "complete -c azengage"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'azengage'",
        ),
        ("elvish", "edit:completion:arg-completer[azengage]"),
    ] {
        let out = azengage()
            .args(["completions", shell])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let script = String::from_utf8_lossy(&out);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for word in [
            "inventory",
            "scan",
            "costs",
            "completions",
            "fail-on",
            "as-of",
        ] {
            assert!(script.contains(word), "{shell}: {word} is not completed");
        }
    }
    azengage()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "possible values: bash, elvish, fish, powershell, zsh",
        ));
}

/// The bash script is valid bash (when bash is installed): `bash -n` parses it without running it.
#[test]
fn the_bash_completion_script_parses() {
    let out = azengage()
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let script = dir.path().join("azengage.bash");
    write(&script, &out);
    match std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
    {
        Ok(check) => assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        ),
        Err(e) => eprintln!("bash not run ({e}); the script was not parsed"),
    }
}

#[test]
fn man_prints_roff_pages_from_the_clap_definitions() {
    let out = azengage()
        .arg("man")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8_lossy(&out);
    assert!(page.contains(".TH azengage 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for command in [
        "inventory",
        "scan",
        "diff",
        "costs",
        "rules",
        "init",
        "action",
        "completions",
    ] {
        assert!(
            page.contains(&format!("azengage\\-{command}(1)")),
            "{command} is not listed"
        );
    }
    assert!(
        page.contains("4 the GitHub API"),
        "the exit codes are described"
    );
    let out = azengage()
        .args(["man", "scan"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8_lossy(&out);
    assert!(
        page.contains(".TH azengage\\-scan 1") || page.contains(".TH azengage-scan 1"),
        "{page}"
    );
    assert!(
        page.contains("\\fBazengage scan\\fR"),
        "the synopsis names the command"
    );
    assert!(page.contains("\\-\\-costs"), "the flags are there");
    // The examples keep their lines (no fill), as `--help` shows them.
    assert!(page.contains(".nf\nExamples:\n  azengage scan "), "{page}");
    azengage()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown command 'nope'"));
}
