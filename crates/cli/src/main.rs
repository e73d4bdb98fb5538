//! The `rollrec` binary: see the `rollrec_cli` library for the commands.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(rollrec_cli::run(std::env::args_os()))
}
