//! The GitHub API as the scan pipeline's [`DeploymentSource`]: the pipeline stays synchronous and offline; this
//! adapter runs the async client on its own small runtime.

use super::{Client, GithubError, RepoSlug, deployment_dates_if_permitted};
use crate::pipeline::{DeploymentSource, DeploymentsUnread};
use jiff::civil::Date;

/// Why [`ApiDeployments`] cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The HTTP client (URL, proxy, trust store).
    #[error(transparent)]
    Client(#[from] GithubError),
    /// The async runtime the client runs on.
    #[error("cannot start the HTTP runtime: {0}")]
    Runtime(std::io::Error),
}

/// Successful deploy-workflow runs and deployment statuses, from the GitHub REST API.
pub struct ApiDeployments {
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl ApiDeployments {
    /// A source for `repo` at `api_url` with `token`, or why the client or its runtime cannot be built.
    pub fn new(api_url: &str, token: String, repo: RepoSlug) -> Result<Self, SourceError> {
        let client = Client::new(api_url, Some(token), repo)
            .and_then(|c| c.with_network(super::NetworkSettings::from_process_env()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(SourceError::Runtime)?;
        Ok(ApiDeployments { client, runtime })
    }

    /// Requests made so far (retries not counted).
    pub fn requests(&self) -> u64 {
        self.client.requests()
    }
}

impl DeploymentSource for ApiDeployments {
    fn deployment_dates(
        &self,
        workflow_files: &[String],
        since: Date,
        as_of: Date,
    ) -> Result<Vec<Date>, DeploymentsUnread> {
        match dates_on(&self.runtime, &self.client, workflow_files, (since, as_of)) {
            Ok(Some(dates)) => Ok(dates),
            Ok(None) => Err(DeploymentsUnread::NotPermitted(format!(
                "GitHub deployments not counted: the token may not read Actions and Deployments of {} \
                 (needs `actions: read` and `deployments: read`)",
                self.client.repo()
            ))),
            Err(e) => Err(DeploymentsUnread::Failed(format!(
                "GitHub deployments not counted: {e}"
            ))),
        }
    }
}

/// The deploy workflows' dates in the window, fetched on `runtime` from synchronous code; `Ok(None)` when the
/// token may not read them.
pub(crate) fn dates_on(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    workflow_files: &[String],
    (since, as_of): (Date, Date),
) -> Result<Option<Vec<Date>>, GithubError> {
    runtime.block_on(deployment_dates_if_permitted(
        client,
        workflow_files,
        since,
        as_of,
    ))
}
