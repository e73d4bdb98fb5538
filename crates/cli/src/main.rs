//! The `rollrec` binary: see the `rollrec_cli` library for the commands.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: the engine and the report
/// allocate many small strings from several threads, and glibc's malloc
/// kept the engine's freed memory when the report phase began.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(rollrec_cli::run(std::env::args_os()))
}
