//! The `rollrec` command-line tool, as a library so tests drive exactly what
//! the binary runs. A thin layer over the `rollrec` crate: argument parsing,
//! progress messages and exit codes.
//!
//! Exit codes: 0 on success (discrepancies are not failures), 2 on bad
//! usage, 1 on an error.

pub mod cmd_eval;
pub mod cmd_explain;
pub mod cmd_reconcile;
pub mod cmd_synth;

use std::ffi::OsString;

use clap::{Parser, Subcommand};

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for an error while running (bad file, failed write).
pub const EXIT_ERROR: u8 = 1;
/// Exit code for bad usage (unknown flag, missing argument).
pub const EXIT_USAGE: u8 = 2;

/// Reconcile an Election Commission assembly roll with a State Election
/// Commission local-body roll.
#[derive(Debug, Parser)]
#[command(name = "rollrec", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size difference between variants costs
// nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Match an EC roll against an SEC roll and write the report files.
    Reconcile(cmd_reconcile::ReconcileArgs),
    /// Generate synthetic EC and SEC rolls with ground truth.
    Synth(cmd_synth::SynthArgs),
    /// Score a reconcile run against synthetic ground truth.
    Eval(cmd_eval::EvalArgs),
    /// Why an EC entry and an SEC entry were, or were not, matched.
    Explain(cmd_explain::ExplainArgs),
}

/// Runs the tool with the given arguments (the first is the program name)
/// and returns the process exit code. Messages go to stderr, help and
/// version to stdout.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Prints help/version to stdout and usage errors to stderr.
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let result = match &cli.command {
        Command::Reconcile(args) => cmd_reconcile::run(args),
        Command::Synth(args) => cmd_synth::run(args),
        Command::Eval(args) => cmd_eval::run(args),
        Command::Explain(args) => cmd_explain::run(args),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("rollrec: error: {e}");
            EXIT_ERROR
        }
    }
}
