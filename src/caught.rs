//! Third-party parsers that panic on input they should reject (hcl-edit on some HCL, parquet on damaged pages):
//! their panics are caught where they are called and the file is reported like any unreadable one. A caught
//! panic is not a crash and must not look like one, so the panic message the default hook prints is kept off
//! stderr while a guarded call runs on that thread; every other panic still reaches the process's hook.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// Set while [`quietly`] runs on this thread.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `f()`, or `None` when it panics, without the panic's message on stderr.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static WRAP_HOOK: Once = Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|quiet| quiet.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(was_quiet));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_none_and_a_value_is_some() {
        assert_eq!(quietly(|| 7), Some(7));
        let failed: Option<u8> = quietly(|| panic!("a parser gave up"));
        assert_eq!(failed, None);
        // Nested guards restore the outer state.
        assert_eq!(quietly(|| quietly(|| 1).map(|v| v + 1)), Some(Some(2)));
        assert!(!QUIET.with(Cell::get));
    }
}
