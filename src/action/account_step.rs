//! The input `scans`: the account's report from the `scan --format json` documents in a directory (the
//! artifacts of the reusable account workflow's matrix jobs), instead of a scan of the workspace.
//!
//! It stands in for [`super::scan_step::scan`] and hands the rest of the run an ordinary [`Scanned`]: the
//! report issue, the job summary and the outputs are the account's. The account's configuration is the
//! `config` input, else `.github/azengage.yml` in the workspace; its cost exports the `costs` input, else the
//! config's `costs.path`.

use super::inputs::{ActionEnv, Mode};
use super::run::in_workspace;
use super::scan_step::Scanned;
use crate::account::{self, MergeError, MergeParams};
use crate::cli::exit;
use jiff::civil::Date;
use std::path::Path;

/// Merge the documents under `scans` (relative to the workspace). Errors carry the exit code and a message:
/// 2 for a file that is not a scan, a newer schema, a repository twice or a bad config, 3 when nothing could be
/// read; a pull-request run refuses the input (its comment is about one repository's change).
pub fn merged(
    env: &ActionEnv,
    scans: &Path,
    mode: Mode,
    as_of: Option<Date>,
) -> Result<Scanned, (i32, String)> {
    if mode == Mode::Pr {
        return Err((
            exit::USAGE,
            "input `scans` makes the report the account's; use it with `mode: report` (or `scan`), not on \
             pull requests"
                .to_string(),
        ));
    }
    let dir = in_workspace(env, scans);
    let fail = |e: MergeError| (e.exit_code(), e.to_string());
    let config_file = env.config.as_ref().map(|c| in_workspace(env, c));
    let (config, config_base) =
        account::load_config(config_file.as_deref(), &env.workspace).map_err(|e| fail(e.into()))?;
    let params = MergeParams {
        config,
        config_base,
        as_of,
        costs: env.costs.as_ref().map(|c| in_workspace(env, c)),
    };
    let documents = account::read_documents(std::slice::from_ref(&dir)).map_err(fail)?;
    let outcome = account::merge(documents, &params).map_err(fail)?;
    let mut notes = Vec::new();
    if outcome.report.config_file.is_none() {
        notes.push(
            "no account config: give the `config` input (or .github/azengage.yml) with the account's program \
             dates, credits, checklist and evidence"
                .to_string(),
        );
    }
    Ok(Scanned {
        report: outcome.report,
        config: outcome.config,
        scan_path: dir,
        path_in_repo: String::new(),
        project_in_repo: String::new(),
        notes,
    })
}
