//! `action.yml` keeps to the contract: the inputs and outputs it names, a Docker container action on the
//! prebuilt image of its own release (tag = crate version), and a Dockerfile with an exec-form entrypoint (a
//! shell would drop `INPUT_GITHUB-TOKEN`), a writable `/tmp` and no pinned Debian revision.

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
        "comment-behavior",
        "comment-key",
        "pr-number",
        "skip-draft",
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
        "comment-id",
        "issue-number",
        "infra-changed",
        "score-delta",
    ] {
        assert!(outputs.contains(&name.to_string()), "missing output {name}");
    }
    assert!(a["branding"]["icon"].is_string());
    assert_eq!(
        a["inputs"]["comment-behavior"]["default"].as_str(),
        Some("update")
    );
    assert_eq!(a["inputs"]["skip-draft"]["default"].as_str(), Some("false"));
}

#[test]
fn runs_the_prebuilt_image_of_this_version() {
    let a = action();
    assert_eq!(a["runs"]["using"].as_str(), Some("docker"));
    assert_eq!(
        a["runs"]["image"].as_str(),
        Some(concat!(
            "docker://ghcr.io/azengage/azengage:",
            env!("CARGO_PKG_VERSION")
        )),
        "action.yml names the image of the release it belongs to"
    );
}

#[test]
fn the_dockerfile_ships_the_binary_with_a_writable_tmp() {
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
    assert!(
        dockerfile
            .lines()
            .any(|l| l.starts_with("COPY --from=build") && l.trim_end().ends_with(" /tmp")),
        "a writable /tmp"
    );
    assert!(
        !dockerfile.contains("musl-tools="),
        "no pinned Debian revision (it breaks on the next Debian update)"
    );
    assert!(
        dockerfile.contains(r#"target="$(uname -m)-unknown-linux-musl""#),
        "the target follows the build platform (amd64 and arm64), not x86_64 only"
    );
}

#[test]
fn the_release_workflow_smoke_tests_before_pushing_and_tags_as_the_contract_says() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.github/workflows/release.yml"
    ))
    .unwrap();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("missing {needle}"))
    };
    assert!(
        at("--version") < at("push-by-digest=true"),
        "smoke test before the push"
    );
    assert!(at("INPUT_GITHUB-TOKEN") < at("push-by-digest=true"));
    for needle in [
        "linux/amd64",
        "linux/arm64",
        "sha256sum",
        "imagetools create",
    ] {
        at(needle);
    }
    assert!(text.contains("${major}.${minor}.${patch}") && text.contains("${major}.${minor}\""));
    assert!(
        text.contains("git push --force origin \"v${major}\""),
        "moves vX"
    );
}
