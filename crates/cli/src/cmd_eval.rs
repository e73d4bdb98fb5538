//! `rollrec eval`: score a reconcile run against synthetic ground truth.
//!
//! `--report OUT` writes the report as JSON to OUT; when OUT ends in `.json`
//! the readable table is also written beside it with `.txt` instead. The
//! table is printed to standard output either way.

use std::path::PathBuf;

use clap::Args;

/// Arguments of `rollrec eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The truth written by `rollrec synth` (DIR/truth.csv).
    #[arg(long, value_name = "FILE")]
    pub truth: PathBuf,
    /// The output directory of `rollrec reconcile` (matches.csv,
    /// discrepancies.csv).
    #[arg(long, value_name = "DIR")]
    pub run: PathBuf,
    /// Where to write the JSON report (and, for a .json name, the table
    /// beside it as .txt).
    #[arg(long, value_name = "OUT")]
    pub report: Option<PathBuf>,
    /// Do not print the table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `rollrec eval`.
pub fn run(args: &EvalArgs) -> Result<(), Box<dyn std::error::Error>> {
    let report = rollrec_eval::evaluate(&args.truth, &args.run)?;
    if let Some(out) = &args.report {
        let written = report.write(out)?;
        if !args.quiet {
            for p in written {
                eprintln!("wrote {}", p.display());
            }
        }
    }
    if !args.quiet {
        print!("{}", report.to_table());
    }
    Ok(())
}
