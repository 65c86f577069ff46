//! azengage: how a repository's Azure usage looks to Microsoft's credit programs.
//!
//! Data flows one way: files → [`inventory`] → [`history`] (activity) → assessment → [`report`] → sinks.
//! See `ARCHITECTURE.md` for the code map and the invariants each stage keeps.

#![warn(missing_docs)]

pub mod account;
pub mod action;
pub mod assess;
pub mod catalog;
pub mod caught;
pub mod cli;
pub mod config;
pub mod costs;
pub mod deploy;
pub mod diff;
pub mod discover;
pub mod distinct;
pub mod exit;
pub mod github;
pub mod history;
pub mod iac;
pub mod inventory;
pub mod model;
pub mod paths;
pub mod pipeline;
pub mod plural;
pub mod report;
pub mod scan;
pub mod scratch;
pub mod severity;
pub mod slug;

#[cfg(test)]
mod layering_tests;
