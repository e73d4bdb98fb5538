//! Criterion benchmarks of the report phase, on a synthetic derived roll
//! pair (20,000 electors, seed 7) matched once by the default engine:
//!
//! * `report/with_checks`: [`Report::with_checks`], all findings (missing,
//!   duplicates, logical errors, attribute mismatches, wrong wards, EPIC
//!   conflicts). The inputs are cloned outside the timed part.
//! * `report/summary`: [`Report::summary`].
//! * `report/tables`: the typed rows of the three tables.
//! * `report/write_csv`: [`Report::write`] (CSV tables, `summary.json`,
//!   `report.html`) into a temporary directory.
//!
//! Throughput is in EC entries per second.
//!
//! `cargo bench -p rollrec-report --bench report_build`. To bench other
//! rolls, point `ROLLREC_BENCH_ROLLS` at a directory with `ec.csv` and
//! `sec.csv` (e.g. from `rollrec synth --electors 250000 --seed 7`); the
//! qualifying dates are taken as equal.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rollrec_io::csv::{ReadOptions, read_roll};
use rollrec_match::fs::FsMatcher;
use rollrec_match::{MatchResult, Matcher};
use rollrec_model::{ReadOutcome, RollKind};
use rollrec_report::{PairChecks, Report};
use rollrec_synth::{Scenario, SynthConfig, generate_to};

fn rolls() -> (Vec<u8>, Vec<u8>) {
    if let Some(dir) = std::env::var_os("ROLLREC_BENCH_ROLLS") {
        let dir = std::path::PathBuf::from(dir);
        let read = |name: &str| {
            std::fs::read(dir.join(name)).expect("ROLLREC_BENCH_ROLLS holds ec.csv and sec.csv")
        };
        return (read("ec.csv"), read("sec.csv"));
    }
    let cfg = SynthConfig {
        electors: 20_000,
        seed: 7,
        ..SynthConfig::for_scenario(Scenario::Derived)
    };
    let (mut ec, mut sec, mut truth) = (Vec::new(), Vec::new(), Vec::new());
    generate_to(&cfg, &mut ec, &mut sec, &mut truth).expect("in-memory generation cannot fail");
    (ec, sec)
}

fn inputs() -> (ReadOutcome, ReadOutcome, MatchResult) {
    let (ec, sec) = rolls();
    let opts = ReadOptions::default();
    let ec = read_roll(ec.as_slice(), RollKind::Assembly, "ec.csv", &opts)
        .expect("synthetic rolls read");
    let sec = read_roll(sec.as_slice(), RollKind::LocalBody, "sec.csv", &opts)
        .expect("synthetic rolls read");
    let result = FsMatcher::default().match_rolls(&ec.roll, &sec.roll);
    (ec, sec, result)
}

fn bench_report(c: &mut Criterion) {
    let (ec, sec, result) = inputs();
    let checks = PairChecks::default();
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ec.roll.len() as u64));
    group.bench_function("with_checks", |b| {
        b.iter_batched(
            || (ec.clone(), sec.clone(), result.clone()),
            |(ec, sec, result)| {
                Report::with_checks(ec, sec, "fs", result, &checks)
                    .findings
                    .len()
            },
            BatchSize::LargeInput,
        )
    });
    let report = Report::with_checks(ec, sec, "fs", result, &checks);
    group.bench_function("summary", |b| b.iter(|| report.summary().by_part.len()));
    group.bench_function("tables", |b| {
        b.iter(|| report.tables().iter().map(|t| t.rows.len()).sum::<usize>())
    });
    let dir = tempfile::tempdir().expect("a temporary directory");
    group.bench_function("write_csv", |b| {
        b.iter(|| report.write(dir.path()).expect("writable"))
    });
    group.finish();
}

criterion_group!(benches, bench_report);
criterion_main!(benches);
