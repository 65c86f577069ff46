//! The escalation pack (`azengage pack`): the page over a hand-built scan (HTML5, nothing external, hostile
//! text inert, the scan's figures, a snapshot), and the command over a real git repository (the same figures
//! as `azengage scan`, determinism, `--pdf` through headless Chromium within two A4 pages), and the action's
//! `pack` input.

// The printer tests' shared scan; this binary uses only part of it.
#[allow(dead_code)]
#[path = "report/fixture.rs"]
mod fixture;

#[path = "pack/action.rs"]
mod action;
#[path = "pack/cli.rs"]
mod cli;
#[path = "pack/page.rs"]
mod page;
#[path = "pack/pdf.rs"]
mod pdf;
