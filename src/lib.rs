//! azengage: how a repository's Azure usage looks to Microsoft's credit programs.
//!
//! Data flows one way: files → [`inventory`] → activity → assessment → report → sinks.
//! See `ARCHITECTURE.md` for the code map and the invariants each stage keeps.

pub mod catalog;
pub mod github;
pub mod history;
pub mod iac;
pub mod model;
