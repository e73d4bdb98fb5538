//! Macro benchmark: synthetic rolls at several sizes, reconciled end to end.
//!
//! ```sh
//! cargo bench --bench macro_reconcile                         # 1,000 and 250,000
//! cargo bench --bench macro_reconcile -- 1000 250000 2500000  # sizes in EC electors
//! cargo bench --bench macro_reconcile -- --scenario independent 20000
//! ```
//!
//! For each size the parent process generates the rolls with
//! `rollrec-synth` (seed 7, default rates of the scenario) into a temporary
//! directory, then re-runs this binary as a child process (environment
//! variable `ROLLREC_MACRO_CHILD`) that reads both rolls, matches them and
//! builds the report (`rollrec::read_roll_files`, both rolls at once, then
//! `rollrec::reconcile`: exactly what `rollrec::reconcile_files` does),
//! and writes it (`Report::write`, CSV). The child measures each step's
//! wall time, its own peak resident memory (`VmHWM` in
//! `/proc/self/status`) and the CPU time of all its threads (user +
//! system, from `/proc/self/stat`), so every size's figures are its own
//! and do not include the generator. On a shared machine the CPU time
//! varies less with other work than the wall time. The parent then scores the written report with
//! `rollrec_eval::evaluate` against the generator's `truth.csv` and prints
//! one line per size.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rollrec::{Config, NaiveDate};
use rollrec_synth::{Scenario, SynthConfig};

const CHILD_ENV: &str = "ROLLREC_MACRO_CHILD";
const SEED: u64 = 7;

/// The `rollrec` binary's allocator, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    if let Ok(dir) = std::env::var(CHILD_ENV) {
        return child(Path::new(&dir));
    }
    let mut sizes: Vec<u64> = Vec::new();
    let mut scenario = Scenario::Derived;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--scenario" {
            let name = args.next().ok_or("--scenario needs a name")?;
            scenario = Scenario::ALL
                .into_iter()
                .find(|s| s.as_str() == name)
                .ok_or_else(|| format!("unknown scenario {name:?}"))?;
        } else if a.starts_with("--") {
            // `cargo bench` passes `--bench`; other harness flags are ignored.
        } else {
            sizes.push(a.parse().map_err(|_| format!("not a size: {a:?}"))?);
        }
    }
    if sizes.is_empty() {
        sizes = vec![1_000, 250_000];
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "macro_reconcile: scenario {}, seed {SEED}, {threads} hardware threads, load average {}",
        scenario.as_str(),
        load_average()
    );
    println!(
        "{:>9} {:>9} {:>9} | {:>7} {:>7} {:>7} {:>7} {:>7} | {:>9} | {:>9} | {:>7} {:>7} {:>7} | gen s",
        "electors",
        "ec rows",
        "sec rows",
        "read s",
        "match s",
        "write s",
        "total s",
        "cpu s",
        "ec/s",
        "peak MiB",
        "P",
        "R",
        "F1"
    );
    for size in sizes {
        run_size(size, scenario)?;
    }
    Ok(())
}

fn run_size(electors: u64, scenario: Scenario) -> Result<(), BoxError> {
    let tmp = tempfile::Builder::new()
        .prefix("rollrec-macro-")
        .tempdir()?;
    let rolls = tmp.path().join("rolls");
    let cfg = SynthConfig {
        electors,
        seed: SEED,
        ..SynthConfig::for_scenario(scenario)
    };
    let t = Instant::now();
    let summary = rollrec_synth::generate(&cfg, &rolls)?;
    let gen_secs = t.elapsed().as_secs_f64();

    let out = Command::new(std::env::current_exe()?)
        .env(CHILD_ENV, tmp.path())
        .env("ROLLREC_MACRO_EC_DATE", summary.ec_date.to_string())
        .env("ROLLREC_MACRO_SEC_DATE", summary.sec_date.to_string())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "child for {electors} electors failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let stdout = String::from_utf8(out.stdout)?;
    let m = ChildResult::parse(&stdout)?;
    let eval = rollrec_eval::evaluate(&rolls.join("truth.csv"), &tmp.path().join("run"))?;
    let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.4}"));
    println!(
        "{:>9} {:>9} {:>9} | {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>7.2} | {:>9.0} | {:>9.0} | {:>7} {:>7} {:>7} | {:.2}",
        electors,
        m.ec_rows,
        m.sec_rows,
        m.read,
        m.matched,
        m.write,
        m.total(),
        m.cpu,
        m.ec_rows as f64 / m.total(),
        m.hwm_kib as f64 / 1024.0,
        f(eval.pairs.scores.precision),
        f(eval.pairs.scores.recall),
        f(eval.pairs.scores.f1),
        gen_secs
    );
    Ok(())
}

/// What the child measured.
struct ChildResult {
    ec_rows: u64,
    sec_rows: u64,
    read: f64,
    matched: f64,
    write: f64,
    hwm_kib: u64,
    cpu: f64,
}

impl ChildResult {
    fn total(&self) -> f64 {
        self.read + self.matched + self.write
    }

    fn parse(text: &str) -> Result<ChildResult, BoxError> {
        let line = text
            .lines()
            .find(|l| l.starts_with("RESULT "))
            .ok_or_else(|| format!("no RESULT line in the child's output: {text:?}"))?;
        let get = |key: &str| -> Result<&str, BoxError> {
            line.split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("no {key} in {line:?}").into())
        };
        Ok(ChildResult {
            ec_rows: get("ec_rows")?.parse()?,
            sec_rows: get("sec_rows")?.parse()?,
            read: get("read")?.parse()?,
            matched: get("match")?.parse()?,
            write: get("write")?.parse()?,
            hwm_kib: get("hwm_kib")?.parse()?,
            cpu: get("cpu")?.parse()?,
        })
    }
}

/// The child: read, match + build the report, write; then print the times
/// and the peak resident memory of this process.
fn child(dir: &Path) -> Result<(), BoxError> {
    let date = |var: &str| -> Result<NaiveDate, BoxError> {
        let d = rollrec_synth::Date::parse(&std::env::var(var)?)?;
        // 1970-01-01 is day 719,163 of the common era.
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(d.days() + 719_163)?)
            .ok_or_else(|| format!("{var}: date out of range").into())
    };
    let config = Config::default().dates(
        Some(date("ROLLREC_MACRO_EC_DATE")?),
        Some(date("ROLLREC_MACRO_SEC_DATE")?),
    );
    let rolls: PathBuf = dir.join("rolls");

    let t = Instant::now();
    let (ec, sec) =
        rollrec::read_roll_files(&rolls.join("ec.csv"), &rolls.join("sec.csv"), &config)?;
    let read = t.elapsed().as_secs_f64();
    let (ec_rows, sec_rows) = (ec.roll.len(), sec.roll.len());

    let t = Instant::now();
    let report = rollrec::reconcile(ec, sec, &config)?;
    let matched = t.elapsed().as_secs_f64();

    let t = Instant::now();
    report.write(&dir.join("run"))?;
    let write = t.elapsed().as_secs_f64();

    println!(
        "RESULT ec_rows={ec_rows} sec_rows={sec_rows} read={read:.4} match={matched:.4} write={write:.4} hwm_kib={} cpu={:.2}",
        vm_hwm_kib()?,
        cpu_seconds()?
    );
    Ok(())
}

/// Peak resident set size of this process, from `/proc/self/status`.
fn vm_hwm_kib() -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status")?;
    let kib = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim();
    Ok(kib.parse()?)
}

/// User + system CPU seconds of this process (all threads), from
/// `/proc/self/stat` (fields 14 and 15, in clock ticks of 1/100 s: the
/// `USER_HZ` of Linux's `/proc` interface).
fn cpu_seconds() -> Result<f64, BoxError> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').ok_or("no ')' in /proc/self/stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| -> Result<u64, BoxError> {
        Ok(fields.get(i).ok_or("short /proc/self/stat")?.parse()?)
    };
    // Field 3 (the state) is the first after the parenthesis.
    Ok((tick(14 - 3)? + tick(15 - 3)?) as f64 / 100.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}
