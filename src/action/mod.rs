//! The GitHub Action (`azengage action`): reads the runner's environment and the event, runs the scan, and
//! delivers it: a sticky PR comment, a scheduled health-report issue, the job summary, outputs, annotations and
//! an optional SARIF file. One module per behaviour; all GitHub calls go through `crate::github`.

pub mod account_step;
pub mod comment;
pub mod deliver;
pub mod event;
pub mod inputs;
pub mod pack;
pub mod pr;
pub mod report;
pub mod run;
pub mod scan_step;
pub mod sinks;
pub mod summary;

pub use inputs::{ActionEnv, CommentBehavior, CommentWhen, Mode};

/// The hidden marker that starts every comment and issue body azengage writes (with `comment-key: K`,
/// `<!-- azengage:K -->`: see [`ActionEnv::marker`]); defined once, by the Markdown printer that writes it.
pub use crate::report::markdown::MARKER;

/// The label carried by the health-report issue.
pub const LABEL: &str = "azengage";
