//! `azengage completions SHELL` and `azengage man [COMMAND]`: shell completions and the man page, generated from
//! the clap definitions (the single source of `--help`), so they never drift from the flags.

use super::CliError;
use crate::exit::Exit;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;

pub(super) const COMPLETIONS_HELP: &str = "\
Examples:
  azengage completions bash > ~/.local/share/bash-completion/completions/azengage
  azengage completions zsh > \"${fpath[1]}/_azengage\"
  azengage completions fish > ~/.config/fish/completions/azengage.fish
  azengage completions powershell >> $PROFILE
  azengage completions elvish >> ~/.config/elvish/rc.elv

Exit codes: 0 ok, 2 an unknown shell.";

pub(super) const MAN_HELP: &str = "\
Examples:
  azengage man > ~/.local/share/man/man1/azengage.1     then `man azengage`
  azengage man scan > ~/.local/share/man/man1/azengage-scan.1
  azengage man | man -l -                               read it now

Exit codes: 0 ok, 2 an unknown command.";

/// Arguments of `azengage completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Arguments of `azengage man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command's own page (`azengage-scan(1)`); the main page `azengage(1)` when omitted.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Print the completion script.
pub fn completions(args: &CompletionsArgs) -> Result<Exit, CliError> {
    // Generated into memory first: clap_complete panics when its writer fails (a closed stdout would).
    let mut script = Vec::new();
    clap_complete::generate(
        args.shell,
        &mut super::Cli::command(),
        "azengage",
        &mut script,
    );
    write_out(&script)
}

/// Print the man page (roff).
pub fn man(args: &ManArgs) -> Result<Exit, CliError> {
    let mut cli = super::Cli::command();
    // Building names each subcommand `azengage-scan` (the page title) and `azengage scan` (the synopsis).
    cli.build();
    let cmd = match &args.command {
        None => {
            let about = "how your Azure usage looks to Microsoft's startup credit programs, read from your IaC \
                         and history";
            cli.about(about).long_about(
                "azengage reads a repository's infrastructure as code (Terraform, Bicep, ARM), its git history \
                 and workflows, and optionally Azure Cost Management exports, and estimates how its Azure usage \
                 looks to Microsoft's startup credit programs. Microsoft publishes no formula: the score is an \
                 estimate, with its working shown. Exit codes: 0 ok; 1 a --fail-on/--min-score threshold was \
                 crossed; 2 usage or configuration error; 3 input could not be read at all; 4 the GitHub API \
                 failed after retries.",
            )
        }
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                return Err(CliError::UnknownCommand {
                    wanted: name.clone(),
                    names: cli
                        .get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        },
    };
    write_out(page(cmd)?.as_bytes())
}

/// The roff page of `cmd`. The `--help` examples become an EXAMPLES section kept line by line (`.nf`): clap_mangen
/// would fill them into one paragraph.
fn page(cmd: clap::Command) -> std::io::Result<String> {
    let examples = cmd.get_after_help().map(|h| h.to_string());
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd.after_help(None::<&str>)).render(&mut roff)?;
    let mut page = String::from_utf8_lossy(&roff).into_owned();
    if let Some(text) = examples {
        let section = format!(".SH EXAMPLES\n.nf\n{}\n.fi\n", roff_text(&text));
        match page.find(".SH VERSION") {
            Some(at) => page.insert_str(at, &section),
            None => page.push_str(&section),
        }
    }
    Ok(page)
}

/// Plain text as roff: backslashes and hyphens escaped, a line starting with `.` or `'` kept as text.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let escaped = line.replace('\\', "\\e").replace('-', "\\-");
            if escaped.starts_with(['.', '\'']) {
                format!("\\&{escaped}")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_out(bytes: &[u8]) -> Result<Exit, CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Exit::Ok)
}
