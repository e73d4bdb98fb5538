//! The `rollrec` command-line tool. A thin layer over the `rollrec` crate:
//! argument parsing, progress messages and exit codes.
//!
//! Exit codes: 0 on success (discrepancies are not failures), 2 on bad
//! usage, 1 on an error.

mod cmd_reconcile;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Reconcile an Election Commission assembly roll with a State Election
/// Commission local-body roll.
#[derive(Debug, Parser)]
#[command(name = "rollrec", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Match an EC roll against an SEC roll and write the report files.
    Reconcile(cmd_reconcile::ReconcileArgs),
}

fn main() -> ExitCode {
    // Usage errors exit with 2, --help and --version with 0 (clap's codes).
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Reconcile(args) => cmd_reconcile::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rollrec: error: {e}");
            ExitCode::from(1)
        }
    }
}
