//! The command line: clap definitions (the single source of `--help`) and the dispatch to each command.

mod action;
mod costs;
mod diff;
mod init;
mod inventory;
mod merge;
mod rules;
mod scan;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;

/// Exit codes, as the contract fixes them.
pub mod exit {
    /// Everything ran; no threshold was crossed.
    pub const OK: i32 = 0;
    /// A `--fail-on` / `--min-score` threshold was crossed.
    pub const THRESHOLD: i32 = 1;
    /// Usage or configuration error.
    pub const USAGE: i32 = 2;
    /// Input could not be read at all.
    pub const INPUT: i32 = 3;
    /// The GitHub API failed after retries for a reason other than missing permission.
    pub const API: i32 = 4;
}

const AFTER_HELP: &str = "\
Examples:
  azengage inventory infra/                 list Azure resources, services and regions
  azengage inventory main.bicep --no-follow only what main.bicep itself declares
  azengage inventory . --format json        the machine-readable inventory

azengage estimates from what the repository shows; Microsoft publishes no formula.
Docs: https://github.com/azengage/azengage#readme";

/// azengage: how your Azure usage looks to Microsoft's startup credit programs, read from your IaC and history.
#[derive(Debug, Parser)]
#[command(name = "azengage", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// Only print errors and the requested output.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,
    /// Log what azengage is doing (repeat for more detail) on stderr.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,
    /// When to colour text output.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        help_heading = "Global options"
    )]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Resolve against the environment.
    pub fn style(self) -> crate::report::style::Style {
        let color = match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        crate::report::style::Style { color }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inventory, activity history, engagement assessment and suggestions: the main job.
    #[command(after_help = scan::AFTER_HELP)]
    Scan(scan::ScanArgs),
    /// Parse IaC under each PATH and list Azure resources, services and regions.
    #[command(after_help = inventory::AFTER_HELP)]
    Inventory(inventory::InventoryArgs),
    /// What an infrastructure change adds or removes between two git revisions.
    #[command(after_help = diff::AFTER_HELP)]
    Diff(diff::DiffArgs),
    /// Read Azure Cost Management exports: weekly spend, services, regions, credits consumed.
    #[command(after_help = costs::AFTER_HELP)]
    Costs(costs::CostsArgs),
    /// List every suggestion rule, or show one rule's documentation.
    #[command(after_help = rules::AFTER_HELP)]
    Rules(rules::RulesArgs),
    /// One account-level report from the `scan --format json` documents of a startup's repositories.
    #[command(after_help = merge::AFTER_HELP)]
    Merge(merge::MergeArgs),
    /// Write a commented starter `.github/azengage.yml`.
    #[command(after_help = init::AFTER_HELP)]
    Init(init::InitArgs),
    /// The GitHub Action entry point: reads INPUT_* / GITHUB_* and the event, comments or updates the report.
    #[command(after_help = action::AFTER_HELP)]
    Action(action::ActionArgs),
}

/// Parse arguments, run, and return the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    init_logging(&cli);
    let style = cli.color.style();
    let result = match &cli.command {
        Command::Scan(args) => scan::run(args, style, cli.quiet),
        Command::Inventory(args) => inventory::run(args, style),
        Command::Diff(args) => diff::run(args, style),
        Command::Costs(args) => costs::run(args, style),
        Command::Rules(args) => rules::run(args, style),
        Command::Merge(args) => merge::run(args, style, cli.quiet),
        Command::Init(args) => init::run(args, cli.quiet),
        Command::Action(args) => Ok(action::run(args)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("azengage: error: {e:#}");
            exit::INPUT
        }
    }
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("AZENGAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("azengage={level}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .try_init();
}
