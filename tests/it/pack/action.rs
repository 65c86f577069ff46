//! The action's `pack` input: the page goes to `RUNNER_TEMP/azengage-pack.html` and the output `pack-file`
//! names it; without the input, nothing is written and the output is empty.

use crate::pack::cli::repository;
use crate::pack::page::{assert_self_contained, parse};
use azengage::action::ActionEnv;
use azengage::action::run::{RunOptions, execute};
use std::collections::HashMap;
use std::path::Path;

/// Run the action in `scan` mode without a token (no API call) on `repo`, with `extra` inputs.
fn run_action(repo: &Path, runner: &Path, extra: &[(&str, &str)]) -> (i32, String, String) {
    let output = runner.join("github_output");
    let summary = runner.join("step_summary.md");
    let temp = runner.join("temp");
    let mut vars: HashMap<String, String> = [
        ("GITHUB_EVENT_NAME", "push"),
        ("GITHUB_REPOSITORY", "contoso/contoso-ai"),
        ("GITHUB_WORKSPACE", repo.to_str().unwrap_or_default()),
        ("GITHUB_OUTPUT", output.to_str().unwrap_or_default()),
        ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap_or_default()),
        ("RUNNER_TEMP", temp.to_str().unwrap_or_default()),
        ("INPUT_MODE", "scan"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let env = ActionEnv::from_map(&vars).expect("valid inputs");
    let opts = RunOptions {
        as_of: Some(jiff::civil::date(2026, 11, 23)),
        retry: None,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = execute(env, &opts, &mut out, &mut err);
    (
        result.exit_code,
        std::fs::read_to_string(&output).unwrap_or_default(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// The value of output `name` in a `$GITHUB_OUTPUT` file written with heredocs.
fn output(outputs: &str, name: &str) -> Option<String> {
    let mut lines = outputs.lines();
    while let Some(line) = lines.next() {
        if let Some(delimiter) = line.strip_prefix(&format!("{name}<<")) {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            return Some(value.join("\n"));
        }
    }
    None
}

#[test]
fn the_pack_input_writes_the_page_into_runner_temp_and_names_it() {
    let repo = repository();
    let runner = tempfile::tempdir().expect("temp dir");
    let (code, outputs, stderr) = run_action(repo.path(), runner.path(), &[("INPUT_PACK", "true")]);
    assert_eq!(code, 0, "{stderr}");
    let file = output(&outputs, "pack-file").expect("the pack-file output");
    assert_eq!(
        Path::new(&file),
        runner.path().join("temp/azengage-pack.html"),
        "{outputs}"
    );
    let page = std::fs::read_to_string(&file).expect("the pack was written");
    let doc = parse(&page);
    assert_self_contained(&doc);
    assert!(
        page.contains("<h1>Contoso &lt;AI&gt; &amp; Co</h1>"),
        "the config's company heads it"
    );
    let score = output(&outputs, "score").expect("score");
    assert!(
        page.contains(&format!("<span class=\"total\">{score}<small>")),
        "the run's score"
    );
}

#[test]
fn without_the_input_nothing_is_written_and_the_output_is_empty() {
    let repo = repository();
    let runner = tempfile::tempdir().expect("temp dir");
    let (code, outputs, stderr) = run_action(repo.path(), runner.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(output(&outputs, "pack-file").as_deref(), Some(""));
    assert!(!runner.path().join("temp/azengage-pack.html").exists());
}

#[test]
fn action_yml_declares_the_input_and_the_output() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml"))
        .expect("action.yml");
    let a: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("YAML");
    assert_eq!(a["inputs"]["pack"]["default"].as_str(), Some("false"));
    assert!(a["outputs"]["pack-file"]["description"].is_string());
}
