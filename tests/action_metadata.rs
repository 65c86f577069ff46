//! `action.yml` keeps to the contract: the inputs and outputs it names, a Docker container action whose
//! image is the repository's Dockerfile, and an exec-form entrypoint (a shell would drop `INPUT_GITHUB-TOKEN`).

use serde_yaml_ng::Value;

fn action() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

fn keys(v: &Value) -> Vec<String> {
    v.as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn inputs_and_outputs_are_the_contracts() {
    let a = action();
    let inputs = keys(&a["inputs"]);
    for name in [
        "path",
        "config",
        "mode",
        "github-token",
        "comment",
        "comment-when",
        "report-title",
        "report-labels",
        "fail-on",
        "min-score",
        "sarif-file",
        "costs",
        "scans",
    ] {
        assert!(inputs.contains(&name.to_string()), "missing input {name}");
    }
    assert_eq!(
        a["inputs"]["github-token"]["default"].as_str(),
        Some("${{ github.token }}")
    );
    assert_eq!(
        a["inputs"]["comment-when"]["default"].as_str(),
        Some("infra-changed")
    );
    let outputs = keys(&a["outputs"]);
    for name in [
        "score",
        "band",
        "review-date",
        "days-to-review",
        "services",
        "regions",
        "report-url",
        "sarif-file",
    ] {
        assert!(outputs.contains(&name.to_string()), "missing output {name}");
    }
    assert!(a["branding"]["icon"].is_string());
}

#[test]
fn runs_the_dockerfile_with_an_exec_form_entrypoint() {
    let a = action();
    assert_eq!(a["runs"]["using"].as_str(), Some("docker"));
    assert_eq!(a["runs"]["image"].as_str(), Some("Dockerfile"));
    let dockerfile =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Dockerfile")).unwrap();
    assert!(
        dockerfile
            .lines()
            .any(|l| l.trim() == r#"ENTRYPOINT ["/azengage", "action"]"#)
    );
    assert!(
        dockerfile.contains("FROM scratch"),
        "the runtime image holds the static binary alone"
    );
}
