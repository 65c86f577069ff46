//! Exit codes: the contract's five, one enum, and one way from an error to its code.
//!
//! A leaf module: it imports nothing from azengage, so every layer (the commands, the action, the library
//! errors) may use it. Each error type that can end a run says which condition it is by implementing
//! [`ExitStatus`] beside its definition; the commands and the action never pick a code for an error by hand,
//! they ask the error. So the same condition gives the same code everywhere:
//!
//! | condition | code | declared by |
//! |---|---|---|
//! | a `--fail-on` / `--min-score` threshold was crossed | 1 [`Exit::Threshold`] | the command, after the report is written |
//! | bad flag, bad config, unknown rule, a cost export missing a needed column, mixed currencies, a revision that does not resolve | 2 [`Exit::Usage`] | `ConfigError`, `CostError`, `TreeError`, `ScanError`, the CLI's own errors |
//! | nothing could be read (no such PATH, not a git repository, no cost export readable), output not written | 3 [`Exit::Input`] | the same types, and I/O errors |
//! | the GitHub API failed after retries for a reason other than missing permission | 4 [`Exit::Api`] | the action |
//!
//! A closed stdout is not a failure: the reader has all it wanted (`azengage inventory . | head`), so the
//! run ends quietly with 0, as `grep` and ripgrep do ([`is_broken_pipe`]).

#![warn(clippy::string_slice, clippy::indexing_slicing)]

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exit {
    /// 0: everything ran; no threshold was crossed.
    Ok,
    /// 1: a `--fail-on` / `--min-score` threshold was crossed.
    Threshold,
    /// 2: a usage or configuration error.
    Usage,
    /// 3: input could not be read at all.
    Input,
    /// 4: the GitHub API failed after retries for a reason other than missing permission.
    Api,
}

impl Exit {
    /// The process exit code.
    pub const fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::Threshold => 1,
            Exit::Usage => 2,
            Exit::Input => 3,
            Exit::Api => 4,
        }
    }

    /// The exit for an exit code (`None` for a code the contract does not define).
    pub const fn from_code(code: i32) -> Option<Exit> {
        match code {
            0 => Some(Exit::Ok),
            1 => Some(Exit::Threshold),
            2 => Some(Exit::Usage),
            3 => Some(Exit::Input),
            4 => Some(Exit::Api),
            _ => None,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        // The codes are 0..=4: they fit a u8.
        std::process::ExitCode::from(exit.code().unsigned_abs().min(255) as u8)
    }
}

/// An error that ends a run, and the condition it is: the one mapping from errors to exit codes.
pub trait ExitStatus: std::error::Error {
    /// The exit code this error ends a run with.
    fn exit(&self) -> Exit;
}

/// An I/O error that is not a broken pipe means the output could not be written (or a file not read): 3.
impl ExitStatus for std::io::Error {
    fn exit(&self) -> Exit {
        if is_broken_pipe(self) {
            Exit::Ok
        } else {
            Exit::Input
        }
    }
}

/// Whether `error`, or anything in its chain of sources, is a broken pipe: the reader of stdout went away.
pub fn is_broken_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return true;
            }
            // `io::Error::other(inner)` hides `inner` from `source()`.
            if let Some(inner) = io.get_ref()
                && is_broken_pipe(inner)
            {
                return true;
            }
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_contracts() {
        let all = [
            Exit::Ok,
            Exit::Threshold,
            Exit::Usage,
            Exit::Input,
            Exit::Api,
        ];
        let codes: Vec<i32> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4]);
        for e in all {
            assert_eq!(Exit::from_code(e.code()), Some(e));
        }
        assert_eq!(Exit::from_code(5), None);
    }

    #[derive(Debug, thiserror::Error)]
    #[error("writing the report")]
    struct Wrapper(#[source] std::io::Error);

    #[test]
    fn broken_pipe_is_found_anywhere_in_the_chain() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(&pipe));
        assert_eq!(pipe.exit(), Exit::Ok);
        assert!(is_broken_pipe(&Wrapper(pipe)));
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(!is_broken_pipe(&Wrapper(full)));
        assert_eq!(
            std::io::Error::from(std::io::ErrorKind::PermissionDenied).exit(),
            Exit::Input
        );
    }
}
