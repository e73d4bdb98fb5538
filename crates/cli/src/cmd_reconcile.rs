//! `rollrec reconcile`.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use rollrec::report::Format;
use rollrec::{Config, FsParams, MatcherChoice, NaiveDate, ReadOutcome};

/// The `--matcher` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatcherArg {
    /// The probabilistic engine (Fellegi-Sunter): the default.
    Fs,
    /// Exact, unambiguous agreement only.
    Exact,
}

/// Arguments of `rollrec reconcile`.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// The assembly (EC) roll, canonical CSV (or a tab, semicolon or
    /// UTF-16 spreadsheet export of it).
    #[arg(long, value_name = "FILE")]
    pub ec: PathBuf,
    /// The local-body (SEC) roll, canonical CSV (or a spreadsheet export).
    #[arg(long, value_name = "FILE")]
    pub sec: PathBuf,
    /// Directory for matches.csv, discrepancies.csv, rejects.csv (or the
    /// --format list), summary.json and report.html (created if missing;
    /// existing files are replaced only when the run succeeds).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Formats of the matches, discrepancies and rejects tables, comma
    /// separated: csv, jsonl, arrow (Arrow IPC file), parquet (only in a
    /// build with the `parquet` feature). summary.json and report.html are
    /// always written.
    #[arg(long, value_name = "LIST", default_value = "csv", value_parser = parse_formats)]
    pub format: Formats,
    /// Start the CSV files with a UTF-8 byte order mark, so that Excel
    /// shows names in Indian scripts as written when a file is opened by
    /// double-click (without it Excel reads them in the legacy code page).
    #[arg(long)]
    pub excel: bool,
    /// Stop at the first bad input row instead of rejecting it.
    #[arg(long)]
    pub strict: bool,
    /// The EC roll's qualifying date, YYYY-MM-DD. With --sec-date, SEC ages
    /// are expected to exceed EC ages by the years between the dates.
    #[arg(long, value_name = "DATE")]
    pub ec_date: Option<NaiveDate>,
    /// The SEC roll's qualifying date, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub sec_date: Option<NaiveDate>,
    /// Which matcher pairs the electors.
    #[arg(long, value_enum, default_value_t = MatcherArg::Fs)]
    pub matcher: MatcherArg,
    /// Use these engine parameters (JSON) instead of learning them from the
    /// rolls.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// CSV `ac_no,part_no[,section_no],local_body,ward_no`: the ward each
    /// part (or section) belongs to, for wrong_ward findings. Without it the
    /// expected ward is inferred from where the rest of the part went.
    #[arg(long, value_name = "FILE")]
    pub ward_map: Option<PathBuf>,
    /// Write the engine parameters used (learnt or given) to this JSON
    /// file, to review them or reuse them with --params.
    #[arg(long, value_name = "FILE")]
    pub save_params: Option<PathBuf>,
    /// Worker threads (default: all cores). The output is the same
    /// whatever the number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
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

/// Reads engine parameters saved with `--save-params`.
pub(crate) fn load_params(path: &std::path::Path) -> Result<FsParams, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    FsParams::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn describe(label: &str, r: &ReadOutcome) -> String {
    format!(
        "{label} roll {}: {} rows read, {} accepted, {} rejected",
        r.file,
        r.rows_read,
        r.roll.len(),
        r.rejects.len(),
    )
}

/// Runs the command.
pub fn run(args: &ReconcileArgs) -> Result<(), Box<dyn std::error::Error>> {
    match args.threads {
        // Only the message of an error is used (it is printed), so it
        // crosses from the pool as text.
        Some(n) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()?
            .install(|| run_here(args).map_err(|e| e.to_string()))?),
        None => run_here(args),
    }
}

/// [`run`] on the current rayon pool.
fn run_here(args: &ReconcileArgs) -> Result<(), Box<dyn std::error::Error>> {
    if args.ec_date.is_some() != args.sec_date.is_some() {
        return Err("give both --ec-date and --sec-date, or neither".into());
    }
    let params = args.params.as_deref().map(load_params).transpose()?;
    let matcher = match args.matcher {
        MatcherArg::Fs => MatcherChoice::FellegiSunter,
        MatcherArg::Exact => MatcherChoice::Exact,
    };
    let ward_map = match &args.ward_map {
        None => None,
        Some(path) => Some(rollrec::WardMap::from_path(path)?),
    };
    let config = Config::default()
        .ward_map(ward_map)
        .strict(args.strict)
        .matcher(matcher)
        .dates(args.ec_date, args.sec_date)
        .params(params);
    let say = |msg: String| {
        if !args.quiet {
            eprintln!("{msg}");
        }
    };
    // Each step is announced as it ends (or, for the long one, as it
    // starts), so a long run shows where it is.
    // Reading a district's rolls takes seconds: say what is being read.
    let size = |p: &std::path::Path| {
        std::fs::metadata(p).map_or(String::new(), |m| match m.len() {
            n if n < 1_000_000 => format!(" ({} kB)", n.div_ceil(1000)),
            n => format!(" ({:.1} MB)", n as f64 / 1e6),
        })
    };
    say(format!(
        "reading the EC roll {}{} and the SEC roll {}{} ...",
        args.ec.display(),
        size(&args.ec),
        args.sec.display(),
        size(&args.sec)
    ));
    let t = Instant::now();
    let (ec, sec) = rollrec::read_roll_files(&args.ec, &args.sec, &config)?;
    say(describe("EC", &ec));
    say(describe("SEC", &sec));
    say(format!(
        "both rolls read in {:.2}s",
        t.elapsed().as_secs_f64()
    ));
    say(format!(
        "matching {} EC and {} SEC entries and checking them ...",
        ec.roll.len(),
        sec.roll.len()
    ));

    let t = Instant::now();
    let (report, engine) = rollrec::reconcile_with_progress(ec, sec, &config, &|step, secs| {
        say(format!("  {step} done ({secs:.2}s)"))
    })?;
    let summary = report.summary();
    say(format!(
        "matched {} pairs with {} ({:.2}s)",
        summary.matched_pairs,
        summary.matcher,
        t.elapsed().as_secs_f64()
    ));
    if let Some(info) = &engine {
        say(format!("  {} candidate pairs compared", info.candidates));
    }
    say(format!("writing the report to {} ...", args.out.display()));
    let t = Instant::now();
    let options = rollrec::report::WriteOptions {
        csv_bom: args.excel,
    };
    report.write_with(&args.out, &args.format.0, &options)?;
    let write_secs = t.elapsed().as_secs_f64();
    // Freeing the rolls string by string took 0.8 s at district size, on
    // the main thread, after the last line. The binary exits without
    // waiting for this thread; a caller that goes on gets the memory back.
    std::thread::spawn(move || drop(report));
    let kinds: Vec<String> = summary
        .discrepancies
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    say(format!("discrepancies: {}", kinds.join(", ")));
    say(format!(
        "report written to {} ({write_secs:.2}s)",
        args.out.display()
    ));
    if let Some(path) = &args.save_params {
        match engine {
            Some(info) => {
                std::fs::write(path, info.params.to_json() + "\n")
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                say(format!("engine parameters written to {}", path.display()));
            }
            None => return Err("--save-params needs the fs matcher".into()),
        }
    }
    Ok(())
}
