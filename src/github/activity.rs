//! Deployment activity from GitHub: successful runs of the deploying workflows and successful deployment
//! statuses, as UTC dates, for the activity stage to count per week.
//!
//! This source is optional. Without permission (a `GITHUB_TOKEN` lacking `actions: read` / `deployments: read`,
//! or a private repository seen without a token) the activity stage goes on with git alone:
//! [`deployment_dates_if_permitted`] says so with `Ok(None)`. Other failures are real API failures.

use super::types::{Deployment, DeploymentStatus, WorkflowRun};
use super::{Client, GithubError, encode};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::HashSet;

/// Deployments whose statuses are fetched at most (one request each; the newest are checked first).
pub const MAX_DEPLOYMENTS_CHECKED: usize = 100;

impl Client {
    /// Successful runs of workflow `workflow_file` (its file name, e.g. `azure-dev.yml`; a path is cut to its
    /// file name) created on or after `since` (all pages).
    pub async fn list_successful_workflow_runs(
        &self,
        workflow_file: &str,
        since: Date,
    ) -> Result<Vec<WorkflowRun>, GithubError> {
        let file = workflow_file.rsplit('/').next().unwrap_or(workflow_file);
        let created = encode(&format!(">={since}"));
        let path = self.repo_path(&format!(
            "/actions/workflows/{}/runs?status=success&created={created}",
            encode(file)
        ));
        self.get_all(&path, Some("workflow_runs"), |_: &WorkflowRun| false)
            .await
    }

    /// Deployments created on or after `since`, newest first (pages are read until one reaches past `since`).
    pub async fn list_deployments_since(
        &self,
        since: Date,
    ) -> Result<Vec<Deployment>, GithubError> {
        let older = |deployment: &Deployment| {
            deployment
                .created_at
                .as_deref()
                .and_then(utc_date)
                .is_some_and(|d| d < since)
        };
        let all = self
            .get_all(&self.repo_path("/deployments"), None, older)
            .await?;
        Ok(all
            .into_iter()
            .filter(|deployment| !older(deployment))
            .collect())
    }

    /// The statuses of deployment `deployment_id`, newest first (all pages).
    pub async fn list_deployment_statuses(
        &self,
        deployment_id: u64,
    ) -> Result<Vec<DeploymentStatus>, GithubError> {
        let path = self.repo_path(&format!("/deployments/{deployment_id}/statuses"));
        self.get_all(&path, None, |_: &DeploymentStatus| false)
            .await
    }
}

/// UTC dates in `since..=as_of` of successful runs of `workflow_files` (paths or file names of the deploying
/// workflows) and of successful deployments, sorted, one entry per run or deployment. A deployment made by one
/// of those runs (its status links to the run) is counted once. A workflow GitHub does not know (404: not on
/// the default branch yet) is skipped. Permission errors on the repository are returned as
/// [`GithubError::Permission`]: the caller goes on without this source (see [`deployment_dates_if_permitted`]).
pub async fn deployment_dates(
    client: &Client,
    workflow_files: &[String],
    since: Date,
    as_of: Date,
) -> Result<Vec<Date>, GithubError> {
    let in_window = |date: &Date| since <= *date && *date <= as_of;
    let mut dates = Vec::new();
    let mut counted_runs = HashSet::new();
    for file in workflow_files {
        let runs = match client.list_successful_workflow_runs(file, since).await {
            Ok(runs) => runs,
            Err(GithubError::Permission { status: 404, .. }) => continue,
            Err(error) => return Err(error),
        };
        for run in runs
            .iter()
            .filter(|run| run.conclusion.as_deref().is_none_or(|c| c == "success"))
        {
            let started = run.run_started_at.as_deref().or(run.created_at.as_deref());
            if let Some(date) = started.and_then(utc_date).filter(in_window)
                && counted_runs.insert(run.id)
            {
                dates.push(date);
            }
        }
    }
    let deployments = client.list_deployments_since(since).await?;
    for deployment in deployments.iter().take(MAX_DEPLOYMENTS_CHECKED) {
        let statuses = client.list_deployment_statuses(deployment.id).await?;
        let Some(success) = first_success(&statuses) else {
            continue;
        };
        let run = [&success.log_url, &success.target_url]
            .into_iter()
            .flatten()
            .find_map(|url| run_id_in(url));
        if run.is_some_and(|id| counted_runs.contains(&id)) {
            continue;
        }
        if let Some(date) = success
            .created_at
            .as_deref()
            .and_then(utc_date)
            .filter(in_window)
        {
            dates.push(date);
        }
    }
    dates.sort();
    Ok(dates)
}

/// [`deployment_dates`], with a permission refusal turned into `Ok(None)`: "no GitHub source, go on with git".
pub async fn deployment_dates_if_permitted(
    client: &Client,
    workflow_files: &[String],
    since: Date,
    as_of: Date,
) -> Result<Option<Vec<Date>>, GithubError> {
    match deployment_dates(client, workflow_files, since, as_of).await {
        Ok(dates) => Ok(Some(dates)),
        Err(error) if error.is_permission() => {
            tracing::warn!("GitHub deployment activity not used: {error}");
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// The oldest `success` status (statuses come newest first; a redeploy adds more).
fn first_success(statuses: &[DeploymentStatus]) -> Option<&DeploymentStatus> {
    statuses
        .iter()
        .rev()
        .find(|status| status.state.as_deref() == Some("success"))
}

/// The run id in an Actions URL such as `https://github.com/o/r/actions/runs/7312345678/job/19912345678`.
fn run_id_in(url: &str) -> Option<u64> {
    let (_, after) = url.split_once("/actions/runs/")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The UTC calendar date of an RFC 3339 timestamp.
fn utc_date(text: &str) -> Option<Date> {
    let timestamp: jiff::Timestamp = text.parse().ok()?;
    Some(timestamp.to_zoned_datetime(TimeZone::UTC).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc() {
        assert_eq!(
            utc_date("2026-03-01T23:30:00Z"),
            Some(jiff::civil::date(2026, 3, 1))
        );
        assert_eq!(
            utc_date("2026-03-01T23:30:00-02:00"),
            Some(jiff::civil::date(2026, 3, 2))
        );
        assert_eq!(utc_date("yesterday"), None);
    }

    #[test]
    fn run_ids_from_log_urls() {
        assert_eq!(
            run_id_in("https://github.com/o/r/actions/runs/7312345678/job/19912345678"),
            Some(7312345678)
        );
        assert_eq!(run_id_in("https://github.com/o/r/commit/abc/checks"), None);
    }

    #[test]
    fn first_success_is_the_oldest() {
        let status = |state: &str, at: &str| DeploymentStatus {
            state: Some(state.into()),
            created_at: Some(at.into()),
            ..DeploymentStatus::default()
        };
        let statuses = [
            status("inactive", "2026-02-03T00:00:00Z"),
            status("success", "2026-02-02T00:00:00Z"),
            status("success", "2026-02-01T10:00:00Z"),
            status("in_progress", "2026-02-01T09:00:00Z"),
        ];
        assert_eq!(
            first_success(&statuses).and_then(|s| s.created_at.as_deref()),
            Some("2026-02-01T10:00:00Z")
        );
        assert!(first_success(&statuses[3..]).is_none());
    }
}
