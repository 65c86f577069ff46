//! The reusable account workflow (`examples/workflows/azengage-account.yml`): a matrix job per repository that
//! scans it, a merge job that runs the action with `mode: report` and `scans:`, the published copy under
//! `.github/workflows/`, and the three-line caller. (actionlint checks the syntax in CI; this checks the shape
//! the contract asks for.)

use std::path::Path;

fn workflow(path: &str) -> serde_yaml_ng::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The steps of `job` whose `uses` starts with `action`, or whose `run` holds it.
fn steps_with<'a>(job: &'a serde_yaml_ng::Value, action: &str) -> Vec<&'a serde_yaml_ng::Value> {
    job["steps"]
        .as_sequence()
        .map(|steps| {
            steps
                .iter()
                .filter(|s| {
                    s["uses"].as_str().is_some_and(|u| u.starts_with(action))
                        || s["run"].as_str().is_some_and(|r| r.contains(action))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_reusable_account_workflow_fans_out_and_merges() {
    let w = workflow("examples/workflows/azengage-account.yml");
    let call = &w["on"]["workflow_call"];
    assert_eq!(
        call["inputs"]["repositories"]["type"].as_str(),
        Some("string")
    );
    assert_eq!(
        call["inputs"]["repositories"]["required"].as_bool(),
        Some(true)
    );
    assert!(call["inputs"]["config"].is_mapping());
    let scan = &w["jobs"]["scan"];
    let strategy = &scan["strategy"];
    assert_eq!(strategy["fail-fast"].as_bool(), Some(false));
    assert!(
        strategy["max-parallel"]
            .as_str()
            .is_some_and(|m| m.contains("inputs.max-parallel"))
    );
    assert_eq!(
        strategy["matrix"]["repository"].as_str(),
        Some("${{ fromJSON(inputs.repositories) }}")
    );
    let checkout = steps_with(scan, "actions/checkout@");
    assert_eq!(checkout.len(), 1);
    assert_eq!(
        checkout[0]["with"]["repository"].as_str(),
        Some("${{ matrix.repository }}")
    );
    assert!(
        checkout[0]["with"]["token"]
            .as_str()
            .is_some_and(|t| t.contains("AZENGAGE_READ_TOKEN"))
    );
    assert_eq!(checkout[0]["with"]["fetch-depth"].as_u64(), Some(0));
    let run = steps_with(scan, "scan . --format json --repo \"$REPOSITORY\"");
    assert_eq!(
        run.len(),
        1,
        "the scan step runs azengage scan --format json"
    );
    let merge = &w["jobs"]["merge"];
    assert_eq!(merge["needs"].as_str(), Some("scan"));
    assert!(
        merge["if"]
            .as_str()
            .is_some_and(|c| c.contains("!cancelled()"))
    );
    let download = steps_with(merge, "actions/download-artifact@");
    assert_eq!(
        download[0]["with"]["pattern"].as_str(),
        Some("${{ steps.artifacts.outputs.prefix }}*")
    );
    let upload = steps_with(scan, "actions/upload-artifact@");
    assert_eq!(
        upload[0]["with"]["name"].as_str(),
        Some("${{ steps.repo.outputs.artifact }}")
    );
    let action = steps_with(merge, "azengage/azengage@");
    assert_eq!(action.len(), 1);
    assert_eq!(action[0]["with"]["mode"].as_str(), Some("report"));
    assert_eq!(
        action[0]["with"]["comment-key"].as_str(),
        Some("${{ inputs.account-key }}")
    );
    assert_eq!(
        action[0]["with"]["scans"].as_str(),
        download[0]["with"]["path"].as_str()
    );
    assert_eq!(merge["permissions"]["issues"].as_str(), Some("write"));
    // Published where `uses: azengage/azengage/.github/workflows/azengage-account.yml@v0` finds it.
    let text =
        |p: &str| std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).ok();
    assert_eq!(
        text(".github/workflows/azengage-account.yml"),
        text("examples/workflows/azengage-account.yml"),
        "the published copy is the example, byte for byte"
    );
    let caller = workflow("examples/workflows/azengage-account-caller.yml");
    let job = &caller["jobs"]["account"];
    assert_eq!(
        job["uses"].as_str(),
        Some("azengage/azengage/.github/workflows/azengage-account.yml@v0")
    );
    assert!(
        job["with"]["repositories"]
            .as_str()
            .is_some_and(|r| r.starts_with('['))
    );
    assert_eq!(caller["permissions"]["issues"].as_str(), Some("write"));
}
