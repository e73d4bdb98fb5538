//! Criterion micro-benchmarks of hot paths that have no benchmark of their
//! own crate:
//!
//! * `read_roll/{ec,sec}`: `rollrec_io::csv::read_roll` over an in-memory
//!   synthetic roll (20,000 electors, derived, seed 7), in rows per second.
//! * `fs_run/{learn,fixed_params}`: the engine, `FsMatcher::run`, on the
//!   same pair of rolls, in candidate pairs per second. The per-pair
//!   comparison and scoring functions are private to `rollrec-match`, so
//!   this times the whole run (preparation, blocking, comparison, scoring,
//!   assignment, duplicate groups); `learn` includes the EM training,
//!   `fixed_params` loads the parameters that training produced. The
//!   candidates-per-second figure is therefore a lower bound on the rate of
//!   pair scoring alone.
//!
//! * `score/compare_and_score`: the engine's comparison of a candidate pair
//!   field by field and its Fellegi-Sunter scoring (with term-frequency
//!   weights), on one thread, over every candidate pair blocking proposes
//!   for the same rolls, in pairs per second per core (issue 6 asks for at
//!   least 1 million).
//!
//! `cargo bench --bench micro`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rollrec::io::csv::{ReadOptions, read_roll};
use rollrec::{FsConfig, FsMatcher, Roll, RollKind};
use rollrec_synth::{Scenario, SynthConfig, generate_to};

const ELECTORS: u64 = 20_000;

fn rolls() -> (Vec<u8>, Vec<u8>) {
    let cfg = SynthConfig {
        electors: ELECTORS,
        seed: 7,
        ..SynthConfig::for_scenario(Scenario::Derived)
    };
    let (mut ec, mut sec, mut truth) = (Vec::new(), Vec::new(), Vec::new());
    generate_to(&cfg, &mut ec, &mut sec, &mut truth).expect("in-memory generation cannot fail");
    (ec, sec)
}

fn bench_read(c: &mut Criterion) {
    let (ec, sec) = rolls();
    let mut group = c.benchmark_group("read_roll");
    group.sample_size(20);
    for (name, bytes, kind) in [
        ("ec", &ec, RollKind::Assembly),
        ("sec", &sec, RollKind::LocalBody),
    ] {
        let rows = read_roll(bytes.as_slice(), kind, name, &ReadOptions::default())
            .expect("synthetic rolls read")
            .rows_read;
        group.throughput(Throughput::Elements(rows));
        group.bench_function(name, |b| {
            b.iter(|| {
                read_roll(bytes.as_slice(), kind, name, &ReadOptions::default())
                    .expect("synthetic rolls read")
                    .roll
                    .len()
            })
        });
    }
    group.finish();
}

/// The synthetic rolls, parsed.
fn parsed_rolls() -> (Roll, Roll) {
    let (ec, sec) = rolls();
    let opts = ReadOptions::default();
    let read = |bytes: &[u8], kind, name| {
        read_roll(bytes, kind, name, &opts)
            .expect("synthetic rolls read")
            .roll
    };
    (
        read(&ec, RollKind::Assembly, "ec"),
        read(&sec, RollKind::LocalBody, "sec"),
    )
}

fn bench_engine(c: &mut Criterion) {
    let (ec, sec) = parsed_rolls();
    let learnt = FsMatcher::default().run(&ec, &sec);
    let mut group = c.benchmark_group("fs_run");
    group.sample_size(10);
    group.throughput(Throughput::Elements(learnt.candidates));
    group.bench_function("learn", |b| {
        let m = FsMatcher::default();
        b.iter(|| m.run(&ec, &sec).result.pairs.len())
    });
    let mut fixed = FsConfig::default();
    fixed.params = Some(learnt.params.clone());
    group.bench_function("fixed_params", |b| {
        let m = FsMatcher::new(fixed.clone());
        b.iter(|| m.run(&ec, &sec).result.pairs.len())
    });
    group.finish();
}

fn bench_score(c: &mut Criterion) {
    let (ec, sec) = parsed_rolls();
    let bench = FsMatcher::default().scoring_bench(&ec, &sec);
    let mut group = c.benchmark_group("score");
    group.sample_size(10);
    group.throughput(Throughput::Elements(bench.candidates() as u64));
    group.bench_function("compare_and_score", |b| {
        b.iter(|| bench.compare_and_score())
    });
    group.finish();
}

criterion_group!(benches, bench_read, bench_engine, bench_score);
criterion_main!(benches);
