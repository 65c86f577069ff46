//! The command line: clap definitions (the single source of `--help`) and the dispatch to each command.

// Input from users' files reaches this module: no indexing or string slicing that could panic (CI denies
// warnings). The rest of `src/` is not yet held to this; see the CHANGELOG.
#![warn(clippy::string_slice, clippy::indexing_slicing)]

mod action;
mod completions;
mod costs;
mod diff;
mod error;
mod init;
mod inventory;
mod merge;
mod pack;
pub mod pdf;
mod rules;
mod scan;

pub use error::CliError;

use crate::exit::{Exit, ExitStatus, is_broken_pipe};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};

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
    /// The escalation pack: one self-contained, printable HTML page of evidence for the program manager.
    #[command(after_help = pack::AFTER_HELP)]
    Pack(pack::PackArgs),
    /// One account-level report from the `scan --format json` documents of a startup's repositories.
    #[command(after_help = merge::AFTER_HELP)]
    Merge(merge::MergeArgs),
    /// Write a commented starter `.github/azengage.yml`.
    #[command(after_help = init::AFTER_HELP)]
    Init(init::InitArgs),
    /// The GitHub Action entry point: reads INPUT_* / GITHUB_* and the event, comments or updates the report.
    #[command(after_help = action::AFTER_HELP)]
    Action(action::ActionArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = completions::COMPLETIONS_HELP)]
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff).
    #[command(after_help = completions::MAN_HELP)]
    Man(completions::ManArgs),
}

/// Parse arguments, run, and return how the run ended.
pub fn main() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` print to stdout; a closed stdout is ignored like any other.
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
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
        Command::Pack(args) => pack::run(args, cli.quiet),
        Command::Merge(args) => merge::run(args, style, cli.quiet),
        Command::Init(args) => init::run(args, cli.quiet),
        Command::Action(args) => Ok(action::run(args)),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
    };
    finish(result)
}

/// The exit for a command's result: its own on success; a closed stdout ends quietly with 0 (the reader has
/// what it wanted, as with `grep` and ripgrep); any other error is printed once and mapped by [`ExitStatus`].
pub fn finish(result: Result<Exit, CliError>) -> Exit {
    match result {
        Ok(exit) => exit,
        Err(e) if is_broken_pipe(&e) => Exit::Ok,
        Err(e) => {
            say(&format!("error: {e}"));
            e.exit()
        }
    }
}

/// Write `azengage: <message>` to stderr. A closed stderr is ignored: it must not panic (as `eprintln!` does)
/// nor change the exit code.
pub(crate) fn say(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "azengage: {message}");
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
