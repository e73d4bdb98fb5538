//! `rollrec eval`: score a reconcile run against synthetic ground truth.
//!
//! `--report OUT` writes the report as JSON to OUT; when OUT ends in `.json`
//! the readable table is also written beside it with `.txt` instead. The
//! table is printed to standard output either way. `--mistakes FILE` lists
//! every false and missed pair and discrepancy as CSV, for review.

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
    /// Also write every row the run got wrong to this CSV file: verdict
    /// (false_positive or missed), kind (pair or a discrepancy kind), the
    /// keys, group_id, fields and detail.
    #[arg(long, value_name = "FILE")]
    pub mistakes: Option<PathBuf>,
    /// Do not print the table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `rollrec eval`.
pub fn run(args: &EvalArgs) -> Result<(), Box<dyn std::error::Error>> {
    let (report, mistakes) = rollrec_eval::evaluate_with_mistakes(&args.truth, &args.run)?;
    if let Some(path) = &args.mistakes {
        rollrec_eval::write_mistakes(path, &mistakes)?;
        if !args.quiet {
            eprintln!("wrote {} ({} mistakes)", path.display(), mistakes.len());
        }
    }
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
