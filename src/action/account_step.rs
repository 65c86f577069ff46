//! The input `scans`: the account's report from the `scan --format json` documents in a directory (the
//! artifacts of the reusable account workflow's matrix jobs), instead of a scan of the workspace.
//!
//! It stands in for [`super::scan_step::scan`] and hands the rest of the run an ordinary [`Scanned`]: the
//! report issue, the job summary and the outputs are the account's. The account's configuration is the
//! `config` input, else `.github/azengage.yml` in the workspace; its cost exports the `costs` input, else the
//! config's `costs.path`. Errors end the run with the exit code `azengage merge` gives them; `scans` on a pull
//! request is refused (exit 2).

use super::inputs::{ActionEnv, Mode};
use super::run::in_workspace;
use super::scan_step::Scanned;
use crate::account::{self, MergeError, MergeParams};
use crate::exit::{Exit, ExitStatus};
use jiff::civil::Date;
use std::path::Path;

/// Why the account's report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AccountStepError {
    /// `scans` on a pull request (exit 2): the comment is about one repository's change.
    #[error(
        "input `scans` makes the report the account's; use it with `mode: report` (or `scan`), not on pull \
         requests"
    )]
    OnPullRequest,
    /// The documents cannot be merged (exit 2 or 3, as `azengage merge`).
    #[error(transparent)]
    Merge(#[from] MergeError),
}

impl ExitStatus for AccountStepError {
    fn exit(&self) -> Exit {
        match self {
            AccountStepError::OnPullRequest => Exit::Usage,
            AccountStepError::Merge(e) => e.exit(),
        }
    }
}

/// Merge the documents under `scans` (relative to the workspace).
pub fn merged(
    env: &ActionEnv,
    scans: &Path,
    mode: Mode,
    as_of: Option<Date>,
) -> Result<Scanned, AccountStepError> {
    if mode == Mode::Pr {
        return Err(AccountStepError::OnPullRequest);
    }
    let dir = in_workspace(env, scans);
    let config_file = env.config.as_ref().map(|c| in_workspace(env, c));
    let (config, config_base) =
        account::load_config(config_file.as_deref(), &env.workspace).map_err(MergeError::from)?;
    let params = MergeParams {
        config,
        config_base,
        as_of,
        costs: env.costs.as_ref().map(|c| in_workspace(env, c)),
    };
    let documents = account::read_documents(std::slice::from_ref(&dir))?;
    let outcome = account::merge(documents, &params)?;
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
        // Merging reads no API: the token is first used when the report issue is written.
        token_rejected: None,
    })
}
