//! azengage's integration tests, one binary: each module was once its own `tests/*.rs` binary that linked the
//! whole crate; together they link it once. Shared helpers are modules here too (`git_support`,
//! `github_support`, `action_support`, `fake_github`). Run one area with a filter, e.g.
//! `cargo test --test it report::` or `cargo test --test it hostile::`.
//!
//! Tests share the process, so none sets environment variables, changes the current directory or touches other
//! global state: children get their environment and directory on their `Command`.

// Shared helpers.
mod action_support;
mod fake_github;
mod git_support;
mod github_support;

// The former test binaries, and the areas added since (docs_sample, rules, snapshot_files).
mod account;
mod account_workflow;
mod action_account;
mod action_behaviours;
mod action_comment;
mod action_e2e;
mod action_e2e_report;
mod action_metadata;
mod action_pr_diff;
mod action_safety;
mod arm;
mod assess;
mod assess_cli;
mod bicep;
mod cli;
mod costs;
mod deploy;
mod deployments;
mod diff_why;
mod docs_sample;
mod errors;
mod git_history;
mod github_activity;
mod github_client;
mod github_network;
mod github_operations;
mod hostile;
mod limits;
mod pack;
mod report;
mod rules;
mod scan_activity;
mod snapshot_files;
mod terraform;
mod workflows;
