//! The escalation pack (`azengage pack`): the page over a hand-built scan (HTML5, nothing external, hostile
//! text inert, the scan's figures, a snapshot), and the command over a real git repository (the same figures
//! as `azengage scan`, determinism, `--pdf` through headless Chromium within two A4 pages), and the action's
//! `pack` input.

mod action;
mod cli;
mod page;
mod pdf;
