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

/// The least peak memory of a run per byte of CSV input, measured
/// (`/usr/bin/time rollrec reconcile`, 2.5M electors a side): derived
/// 2,830 MiB for 643 MB of rolls (4.6 bytes a byte), independent 3,007 MiB
/// for 648 MB (4.9), derived-bilingual 3,297 MiB for 562 MB (6.1); about
/// 7 at 250,000 a side. The lowest, so that a warning is given only when
/// the run very likely fails.
const PEAK_PER_INPUT_BYTE: f64 = 4.5;

/// Memory the system can give a new process, in bytes (Linux
/// `/proc/meminfo`), if known.
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A warning when rolls of `input` bytes will very likely need more memory
/// than the `available` bytes: the run would be killed by the system hours
/// of work later, or after minutes, without a word from rollrec.
fn memory_warning(input: u64, available: u64) -> Option<String> {
    let need = input as f64 * PEAK_PER_INPUT_BYTE;
    let gib = |b: f64| b / f64::from(1u32 << 30);
    (need > available as f64).then(|| {
        format!(
            "warning: rolls of {:.1} GB need at least about {:.1} GiB of memory at peak, \
             and {:.1} GiB is available: the run will probably be killed for lack of memory. \
             Reconcile the rolls a district (or a few assembly constituencies) at a time; \
             duplicates and EPIC conflicts across the pieces are then not found.",
            input as f64 / 1e9,
            gib(need),
            gib(available as f64)
        )
    })
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
    let input = [&args.ec, &args.sec]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    // Printed even with --quiet: a batch job is the one that dies unseen.
    if let Some(warning) = available_memory().and_then(|a| memory_warning(input, a)) {
        eprintln!("{warning}");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn memory_warning_only_when_the_rolls_will_not_fit() {
        // A state's rolls (about 6.4 GB at 25M a side) on a 24 GiB machine.
        let state = memory_warning(6_400_000_000, 22 * GIB).expect("a state does not fit 22 GiB");
        assert!(
            state.contains("6.4 GB") && state.contains("26.8 GiB") && state.contains("22.0 GiB"),
            "{state}"
        );
        // A district's (about 650 MB) fits there, not in 2 GiB.
        assert_eq!(memory_warning(650_000_000, 22 * GIB), None);
        assert!(memory_warning(650_000_000, 2 * GIB).is_some());
    }

    #[test]
    fn available_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(available_memory().is_some_and(|b| b > 0));
        }
    }
}
