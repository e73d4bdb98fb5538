//! `rollrec reconcile`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use rollrec::report::Format;
use rollrec::{Config, ReadOutcome, RollKind};

/// Arguments of `rollrec reconcile`.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// The assembly (EC) roll, canonical CSV.
    #[arg(long, value_name = "FILE")]
    pub ec: PathBuf,
    /// The local-body (SEC) roll, canonical CSV.
    #[arg(long, value_name = "FILE")]
    pub sec: PathBuf,
    /// Directory for matches.csv, discrepancies.csv, rejects.csv and
    /// summary.json (created if missing; existing files are replaced only
    /// when the run succeeds).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Formats of the matches, discrepancies and rejects tables, comma
    /// separated: csv, jsonl, arrow (Arrow IPC file), parquet (only in a
    /// build with the `parquet` feature). summary.json is always written.
    #[arg(long, value_name = "LIST", default_value = "csv", value_parser = parse_formats)]
    pub format: Formats,
    /// Stop at the first bad input row instead of rejecting it.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The formats given to `--format`, in writing order, no repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats(pub Vec<Format>);

/// Parses `--format`; a format this build lacks is a usage error (exit 2)
/// that says how to get it.
fn parse_formats(list: &str) -> Result<Formats, String> {
    Format::parse_list(list)
        .map(Formats)
        .map_err(|e| e.to_string())
}

fn describe(label: &str, r: &ReadOutcome, started: Instant) -> String {
    format!(
        "{label} roll {}: {} rows read, {} accepted, {} rejected ({:.2}s)",
        r.file,
        r.rows_read,
        r.roll.len(),
        r.rejects.len(),
        started.elapsed().as_secs_f64()
    )
}

/// Runs the command.
pub fn run(args: &ReconcileArgs) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::default().strict(args.strict);
    let say = |msg: String| {
        if !args.quiet {
            eprintln!("{msg}");
        }
    };
    let t = Instant::now();
    let ec = rollrec::read_roll_file(&args.ec, RollKind::Assembly, &config)?;
    say(describe("EC", &ec, t));
    let t = Instant::now();
    let sec = rollrec::read_roll_file(&args.sec, RollKind::LocalBody, &config)?;
    say(describe("SEC", &sec, t));

    let t = Instant::now();
    let report = rollrec::reconcile(ec, sec, &config)?;
    let summary = report.summary();
    say(format!(
        "matched {} pairs with {} ({:.2}s)",
        summary.matched_pairs,
        summary.matcher,
        t.elapsed().as_secs_f64()
    ));
    report.write_formats(&args.out, &args.format.0)?;
    let kinds: Vec<String> = summary
        .discrepancies
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    say(format!("discrepancies: {}", kinds.join(", ")));
    say(format!("report written to {}", args.out.display()));
    Ok(())
}
