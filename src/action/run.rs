//! `azengage action`: the entry point the Docker action runs. Reads the inputs and the event, scans the
//! workspace, delivers by mode (PR comment, report issue, or nothing), and always writes the job summary, the
//! outputs, the annotations and the SARIF file.
//!
//! Exit codes (contract): 0 ok, also when a write was refused for lack of permission; 1 a `fail-on` /
//! `min-score` threshold was crossed; 2 a bad input or configuration; 3 the path cannot be read; 4 the GitHub
//! API failed after retries, or GitHub rejected the token (401). When several apply, the first in the order
//! 2, 3, 4, 1 wins. The token is scrubbed from everything written, whatever its source, and no line written
//! to stdout or stderr carries a workflow command but azengage's own annotations ([`sinks::neutralise`]).

use super::deliver::{deliver, pr_change, resolve_pr};
use super::event::{self, Event, PullRequest};
use super::inputs::{ActionEnv, Mode};
use super::pr::PrChange;
use super::scan_step::{self, Scanned};
use super::sinks;
use super::summary::{self, Delivery, PrFacts};
use crate::config::FailOn;
use crate::exit::{Exit, ExitStatus};
use crate::github::{Client, GithubError, RepoSlug, RetryPolicy};
use jiff::civil::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Settings tests inject; the real action uses the defaults.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// "Today" (default: the current UTC date).
    pub as_of: Option<Date>,
    /// The API client's retry policy (default: the contract's, with second-long waits).
    pub retry: Option<RetryPolicy>,
}

/// Run the action from the process environment, printing to stdout/stderr; returns the exit code.
pub fn run() -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let (mut out, mut err) = (stdout.lock(), stderr.lock());
    match ActionEnv::from_process() {
        Ok(env) => run_with(env, &RunOptions::default(), &mut out, &mut err),
        Err(e) => {
            sinks::say(&mut err, &format!("azengage: error: {e}"));
            Exit::Usage.code()
        }
    }
}

/// What a run ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunResult {
    /// The process exit code.
    pub exit_code: i32,
    /// GitHub API requests made, retries not counted (the contract's request budget).
    pub api_requests: u64,
}

/// Run the action with `env` (no process environment is read), writing annotations to `out` and messages to
/// `err`; returns the exit code.
pub fn run_with(
    env: ActionEnv,
    opts: &RunOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    execute(env, opts, out, err).exit_code
}

/// [`run_with`], also counting the API requests made.
pub fn execute(
    env: ActionEnv,
    opts: &RunOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> RunResult {
    let mut client = None;
    let exit_code = run_inner(env, opts, out, err, &mut client);
    RunResult {
        exit_code,
        api_requests: client.as_ref().map_or(0, Client::requests),
    }
}

fn run_inner(
    env: ActionEnv,
    opts: &RunOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
    client_slot: &mut Option<Client>,
) -> i32 {
    let scrub = Scrubber::new(&env);
    let mut notes = Vec::new();
    let event = event::load(env.event_path.as_deref()).unwrap_or_else(|why| {
        notes.push(format!("event payload not read: {why}"));
        Event::default()
    });
    // A `workflow_run` whose payload names a pull request (same-repository PRs) is a PR run, like `pr-number`.
    let mode = match (env.mode, env.event_name.as_str(), &event.pull_request) {
        (Mode::Auto, "workflow_run", Some(_)) => Mode::Pr,
        _ => env.effective_mode(),
    };
    let mut sinks_for = RunSinks {
        env: &env,
        scrub: &scrub,
        run_line: run_line(&env, mode, event.pull_request.as_ref()),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let message = format!("cannot start the async runtime: {e}");
            let delivery = Delivery::not_attempted("", &message);
            sinks_for.write(None, &delivery, &notes, out, err);
            scrub.say(err, &format!("azengage: error: {message}"));
            return Exit::Input.code();
        }
    };
    let no_client = match client_for(&env, &event, opts) {
        Ok((client, why)) => {
            *client_slot = client;
            why
        }
        Err(setup) => {
            let message = setup.to_string();
            let delivery = Delivery::not_attempted("", &message);
            sinks_for.write(None, &delivery, &notes, out, err);
            scrub.say(err, &format!("azengage: error: {message}"));
            return Exit::Usage.code();
        }
    };
    let client = client_slot.as_ref();
    let scanned: Result<Scanned, Box<dyn ExitStatus>> = match &env.scans {
        Some(scans) => super::account_step::merged(&env, scans, mode, opts.as_of)
            .map_err(|e| Box::new(e) as Box<dyn ExitStatus>),
        None => scan_step::scan(&env, mode, opts.as_of, client, &runtime)
            .map_err(|e| Box::new(e) as Box<dyn ExitStatus>),
    };
    let scanned = match scanned {
        Ok(s) => s,
        Err(e) => {
            let delivery = Delivery::not_attempted("the scan did not run: ", &e.to_string());
            sinks_for.write(None, &delivery, &notes, out, err);
            scrub.say(err, &format!("azengage: error: {e}"));
            return e.exit().code();
        }
    };
    notes.extend(scanned.notes.iter().cloned());
    let (delivery, change) = match &scanned.token_rejected {
        // The token was refused while reading deployments: writing with it would be refused too.
        Some(e) => (Delivery::Failed(e.clone()), None),
        None => runtime.block_on(async {
            let pr = match (mode, client) {
                (Mode::Pr, _) => resolve_pr(&env, &event, client, &mut notes).await,
                _ => Ok(event.pull_request.clone()),
            };
            match pr {
                Ok(pr) => {
                    sinks_for.run_line = run_line(&env, mode, pr.as_ref());
                    api_work(
                        &env,
                        mode,
                        pr.as_ref(),
                        &scanned,
                        client,
                        &no_client,
                        &mut notes,
                    )
                    .await
                }
                Err(e) => (Delivery::Failed(e), None),
            }
        }),
    };
    let sarif = write_sarif(&env, &scanned, &mut notes);
    let pack = super::pack::write(&env, &scanned, &mut notes);
    let written = Written {
        scanned: &scanned,
        change: change.as_ref(),
        sarif: sarif.as_deref(),
        pack: pack.as_deref(),
    };
    sinks_for.write(Some(&written), &delivery, &notes, out, err);
    exit_code(&env, &scanned, &delivery, err, &scrub)
}

/// The summary's event/mode/PR line.
fn run_line(env: &ActionEnv, mode: Mode, pr: Option<&PullRequest>) -> String {
    summary::run_line(
        &env.event_name,
        mode_name(mode),
        pr.map(|p| (p.number, p.title.as_str())),
    )
}

/// The delivery, and the PR's change when a PR run.
async fn api_work(
    env: &ActionEnv,
    mode: Mode,
    pr: Option<&PullRequest>,
    scanned: &Scanned,
    client: Option<&Client>,
    no_client: &str,
    notes: &mut Vec<String>,
) -> (Delivery, Option<PrChange>) {
    let mut change = None;
    if let (Mode::Pr, Some(pr)) = (mode, pr) {
        let local = scan_step::local_diff(scanned, pr);
        // Without a comment to write, the file list is not worth a request.
        let api = client.filter(|_| env.comment && !(env.skip_draft && pr.draft));
        match pr_change(local, pr, api, &scanned.path_in_repo).await {
            Ok(c) => {
                if c.needs_full_history() {
                    notes.push(
                        "the base commit is not in this checkout, so the comment lists only the changed IaC \
                         files; check out with `fetch-depth: 0` (actions/checkout) for the full diff"
                            .into(),
                    );
                }
                change = Some(c);
            }
            Err(e) => return (Delivery::Failed(e), None),
        }
    }
    let delivery = deliver(
        env,
        mode,
        pr,
        change.as_ref(),
        &scanned.report,
        client,
        no_client,
    )
    .await;
    (delivery, change)
}

/// The client, or why there is none (`Ok((None, why))`); `Err` for a configuration error (bad API URL).
fn client_for(
    env: &ActionEnv,
    event: &Event,
    opts: &RunOptions,
) -> Result<(Option<Client>, String), GithubError> {
    let Some(token) = env.token.as_ref() else {
        return Ok((
            None,
            "no GitHub token was given (input `github-token` or `GITHUB_TOKEN`)".into(),
        ));
    };
    let slug = env
        .repository
        .as_deref()
        .or(event.repository.as_deref())
        .and_then(RepoSlug::parse);
    let Some(slug) = slug else {
        return Ok((
            None,
            "the repository is unknown (`GITHUB_REPOSITORY` is not set)".into(),
        ));
    };
    let mut client = Client::new(&env.api_url, Some(token.expose().to_string()), slug)
        .and_then(|c| c.with_network(env.network.clone()))?
        .with_retry_policy(opts.retry.unwrap_or_default());
    if let Some(url) = &env.graphql_url {
        client = client.with_graphql_url(url);
    }
    Ok((Some(client), String::new()))
}

/// Write the SARIF file when asked; returns the path written (as given, for the output).
fn write_sarif(env: &ActionEnv, scanned: &Scanned, notes: &mut Vec<String>) -> Option<String> {
    let given = env.sarif_file.as_ref()?;
    let target = in_workspace(env, given);
    match scan_step::write_sarif_file(&target, scanned) {
        Ok(()) => Some(given.display().to_string()),
        Err(e) => {
            notes.push(format!("SARIF file {} not written: {e}", given.display()));
            None
        }
    }
}

/// `path` relative to the workspace (absolute paths are kept).
pub fn in_workspace(env: &ActionEnv, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        env.workspace.join(path)
    }
}

/// What a finished scan leaves for the sinks.
struct Written<'a> {
    scanned: &'a Scanned,
    /// What the pull request changes, on PR runs.
    change: Option<&'a PrChange>,
    /// The SARIF file written, as given.
    sarif: Option<&'a str>,
    /// The escalation pack written (`pack` input).
    pack: Option<&'a str>,
}

/// Where the summary, outputs and annotations of this run go.
struct RunSinks<'a> {
    env: &'a ActionEnv,
    scrub: &'a Scrubber,
    /// The event/mode/PR line of the summary (Markdown).
    run_line: String,
}

impl RunSinks<'_> {
    /// Write the summary, outputs and annotations (`written` is `None` when the scan did not run); failures to
    /// write them are reported on `err` but do not change the exit code (the run itself went fine).
    fn write(
        &self,
        written: Option<&Written>,
        delivery: &Delivery,
        notes: &[String],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) {
        let (env, scrub) = (self.env, self.scrub);
        let report = written.map(|w| &w.scanned.report);
        let change = written.and_then(|w| w.change);
        let annotations = written.map(|w| {
            summary::annotations(
                &w.scanned.report,
                &w.scanned.path_in_repo,
                &w.scanned.project_in_repo,
                // On PR runs, only files the pull request changes (none when that is unknown).
                change.map(|c| c.files_changed().unwrap_or_default()),
            )
        });
        if let Some(path) = &env.step_summary {
            let mut notes = notes.to_vec();
            if let Some(a) = annotations.as_ref().filter(|a| a.not_in_pr > 0) {
                notes.push(format!(
                    "{} suggestion(s) concern files this pull request does not change: they are listed below, \
                     not annotated",
                    a.not_in_pr
                ));
            }
            let section = change.map(PrChange::section);
            let text = summary::job_summary(
                report,
                &env.report_title,
                delivery,
                &self.run_line,
                &notes,
                section.as_deref(),
            );
            if let Err(e) = sinks::append_summary(path, &scrub.text(&text)) {
                scrub.say(
                    err,
                    &format!("azengage: warning: job summary not written: {e}"),
                );
            }
        }
        if let Some(path) = &env.output {
            let sarif = written.and_then(|w| w.sarif);
            let facts = change.map(|c| PrFacts {
                infra_changed: c.infra_changed(),
                score_delta: c.score_delta(),
            });
            let mut values: Vec<(&str, String)> =
                summary::outputs(report, delivery, sarif, facts.as_ref())
                    .into_iter()
                    .map(|(k, v)| (k, scrub.text(&v)))
                    .collect();
            let pack = written.and_then(|w| w.pack).unwrap_or_default();
            values.push(("pack-file", scrub.text(pack)));
            if let Err(e) = sinks::write_outputs(path, &values) {
                scrub.say(err, &format!("azengage: warning: outputs not written: {e}"));
            }
        }
        for line in annotations.iter().flat_map(|a| &a.lines) {
            // Our own commands, built with the runner's escapes: written as they are.
            let _ = writeln!(out, "{}", scrub.text(line));
        }
        scrub.say(err, &format!("azengage: {}", delivery.describe()));
    }
}

/// The exit code once everything is written.
fn exit_code(
    env: &ActionEnv,
    scanned: &Scanned,
    delivery: &Delivery,
    err: &mut dyn Write,
    scrub: &Scrubber,
) -> i32 {
    if let Delivery::Failed(e) = delivery {
        scrub.say(err, &format!("azengage: error: {e}"));
        return Exit::Api.code();
    }
    let fail_on = env
        .fail_on
        .as_deref()
        .and_then(FailOn::parse)
        .or(scanned.config.fail_on);
    let min_score = env.min_score.or(scanned.config.min_score);
    let r = &scanned.report;
    let assessment = crate::assess::Assessment {
        score: r.score.clone(),
        program: r.program.clone(),
        suggestions: r.suggestions.clone(),
    };
    if crate::assess::threshold_failed(&assessment, fail_on, min_score) {
        scrub.say(
            err,
            &format!(
                "azengage: threshold crossed (score {}, fail-on {}, min-score {})",
                r.score.total,
                env.fail_on.as_deref().unwrap_or("from config"),
                min_score.map_or("none".to_string(), |m| m.to_string())
            ),
        );
        return Exit::Threshold.code();
    }
    Exit::Ok.code()
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Auto => "auto",
        Mode::Pr => "pr",
        Mode::Report => "report",
        Mode::Scan => "scan",
    }
}

/// Removes the token from text before it is written anywhere (a last line of defence: nothing should hold it).
struct Scrubber {
    token: Option<String>,
}

impl Scrubber {
    fn new(env: &ActionEnv) -> Self {
        Scrubber {
            token: env
                .token
                .as_ref()
                .map(|t| t.expose().to_string())
                .filter(|t| t.len() >= 4),
        }
    }

    fn text(&self, s: &str) -> String {
        match &self.token {
            Some(t) => s.replace(t.as_str(), "***"),
            None => s.to_string(),
        }
    }

    /// Write `line` to `w` scrubbed and neutralised: no token, no workflow command (see [`sinks::neutralise`]).
    fn say(&self, w: &mut dyn Write, line: &str) {
        sinks::say(w, &self.text(line));
    }
}
