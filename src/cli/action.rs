//! `azengage action`: the GitHub Action's entry point (the Docker image runs it). No flags of its own: it
//! reads the action's inputs and the runner's environment.

use crate::exit::Exit;
use clap::Args;

pub(super) const AFTER_HELP: &str = "\
Reads its settings from the environment, as GitHub's Docker actions receive them:
  INPUT_PATH, INPUT_CONFIG, INPUT_MODE (auto|pr|report|scan), INPUT_GITHUB-TOKEN (else GITHUB_TOKEN),
  INPUT_COMMENT (on|off), INPUT_COMMENT-WHEN (infra-changed|always), INPUT_REPORT-TITLE,
  INPUT_REPORT-LABELS, INPUT_FAIL-ON, INPUT_MIN-SCORE, INPUT_SARIF-FILE, INPUT_COSTS,
  INPUT_COMMENT-BEHAVIOR (update|new|hide-and-new|delete-and-new), INPUT_COMMENT-KEY, INPUT_PR-NUMBER,
  INPUT_SKIP-DRAFT (true|false);
  GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_WORKSPACE, GITHUB_API_URL,
  GITHUB_GRAPHQL_URL, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT; HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case),
  SSL_CERT_FILE, SSL_CERT_DIR.
An input set to the empty string counts as not given.

On pull requests it comments (one sticky comment, edited in place, unless comment-behavior says otherwise);
on schedule and workflow_dispatch it updates the health-report issue; it always writes the job summary and
the step outputs.
Exit codes: 0 ok (also when the token may not write), 1 a fail-on/min-score threshold was crossed,
2 a bad input or configuration, 3 the path cannot be read, 4 the GitHub API failed after retries or
rejected the token (401).

Example (what the runner does, by hand):
  GITHUB_EVENT_NAME=push GITHUB_WORKSPACE=$PWD INPUT_PATH=infra GITHUB_STEP_SUMMARY=/tmp/summary.md \\
    azengage action
Docs: docs/action.md";

/// Arguments of `azengage action` (none: everything comes from `INPUT_*` / `GITHUB_*`).
#[derive(Debug, Args)]
pub struct ActionArgs {}

/// Run the action; returns how it ended.
pub fn run(_args: &ActionArgs) -> Exit {
    // The action only returns the contract's codes; anything else would be a bug, reported as unreadable input.
    Exit::from_code(crate::action::run::run()).unwrap_or(Exit::Input)
}
