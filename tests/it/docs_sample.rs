//! The sample PR comment in docs/action.md ("A real comment") is the snapshot the end-to-end test takes of the
//! comment the action posts (`action_e2e::pr_comment_is_posted_for_a_new_pr`), so the docs cannot drift from
//! what the action writes. The page shows it twice: as Markdown source in a five-backtick fence, and rendered.
//!
//! After a reviewed change of the comment (`cargo insta review` or `INSTA_UPDATE=always`), write the new
//! snapshot into the page with `AZENGAGE_WRITE_DOCS=1 cargo test --test it docs_sample`.

use std::path::Path;

const SNAPSHOT: &str = "tests/it/snapshots/it__action_e2e__pr_comment.snap";
const PAGE: &str = "docs/action.md";
const FENCE_OPEN: &str = "`````markdown\n";
const FENCE_CLOSE: &str = "`````\n";
const RENDERED_OPEN: &str = "Rendered:\n\n---\n\n";
/// What follows the rendered copy: a rule that closes the sample.
const RENDERED_CLOSE: &str = "\n\n---\n";

/// The body of an insta snapshot file: what follows the metadata header.
fn snapshot_body(file: &str) -> String {
    let rest = file.strip_prefix("---\n").expect("snapshot header");
    let (_, body) = rest.split_once("\n---\n").expect("end of snapshot header");
    body.trim_end().to_string()
}

/// The byte ranges of the fenced source and of the rendered copy of the sample in the page.
fn sample_ranges(page: &str) -> [(usize, usize); 2] {
    let section = page
        .find("## A real comment")
        .expect("the page's sample section");
    let source_start =
        section + page[section..].find(FENCE_OPEN).expect("sample fence") + FENCE_OPEN.len();
    let source_end = source_start
        + page[source_start..]
            .find(FENCE_CLOSE)
            .expect("closing fence");
    let rendered_start = source_end
        + page[source_end..]
            .find(RENDERED_OPEN)
            .expect("rendered copy")
        + RENDERED_OPEN.len();
    let footer = rendered_start
        + page[rendered_start..]
            .find("\n_Estimated by")
            .expect("sample footer")
        + 1;
    let rendered_end = footer
        + page[footer..]
            .find(RENDERED_CLOSE)
            .expect("rule after the rendered copy");
    [(source_start, source_end), (rendered_start, rendered_end)]
}

#[test]
fn docs_sample_is_the_pr_comment_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snapshot = snapshot_body(&std::fs::read_to_string(root.join(SNAPSHOT)).expect("snapshot"));
    assert!(
        snapshot.starts_with("<!-- azengage -->\n## What this pull request changes"),
        "{snapshot}"
    );
    let page = std::fs::read_to_string(root.join(PAGE)).expect("docs/action.md");
    let [(source_start, source_end), (rendered_start, rendered_end)] = sample_ranges(&page);
    if std::env::var_os("AZENGAGE_WRITE_DOCS").is_some() {
        let mut written = String::new();
        written.push_str(&page[..source_start]);
        written.push_str(&snapshot);
        written.push('\n');
        written.push_str(&page[source_end..rendered_start]);
        written.push_str(&snapshot);
        written.push_str(&page[rendered_end..]);
        std::fs::write(root.join(PAGE), written).expect("docs/action.md written");
        return;
    }
    let hint =
        "run `AZENGAGE_WRITE_DOCS=1 cargo test --test it docs_sample` after reviewing the snapshot";
    assert_eq!(
        page[source_start..source_end].trim_end(),
        snapshot,
        "the fenced sample in {PAGE} differs from {SNAPSHOT}: {hint}"
    );
    assert_eq!(
        page[rendered_start..rendered_end].trim_end(),
        snapshot,
        "the rendered sample in {PAGE} differs from {SNAPSHOT}: {hint}"
    );
}

#[test]
fn snapshot_body_drops_the_header() {
    let file =
        "---\nsource: tests/it/action_e2e.rs\nexpression: posted\n---\n<!-- azengage -->\nbody\n";
    assert_eq!(snapshot_body(file), "<!-- azengage -->\nbody");
}
