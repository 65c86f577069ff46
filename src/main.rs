//! The `azengage` binary: everything lives in the library; this only hands over the exit code.

/// mimalloc rather than the C library's allocator: the scanners build and drop millions of small trees
/// and strings across threads, where glibc's malloc/free took about a quarter of the CPU and musl's (the
/// container's) is slower still. Measured in docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    azengage::cli::main().into()
}
