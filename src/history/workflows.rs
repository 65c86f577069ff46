//! Workflow files that deploy to Azure (in progress).
