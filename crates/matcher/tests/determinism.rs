//! The engine's output does not depend on the thread count or on the order
//! of the input rows.

use rollrec_io::csv::{ReadOptions, read_roll_path};
use rollrec_match::{FsMatcher, MatchResult};
use rollrec_model::{ElectorKey, Roll, RollKind};

fn sample() -> (Roll, Roll) {
    let read = |name: &str, kind| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/sample")
            .join(name);
        read_roll_path(&path, kind, &ReadOptions::default())
            .expect("the sample reads")
            .roll
    };
    (
        read("ec.csv", RollKind::Assembly),
        read("sec.csv", RollKind::LocalBody),
    )
}

/// The result in terms of keys, with scores as exact bit patterns.
type Keyed = (
    Vec<(ElectorKey, ElectorKey, u64, &'static str)>,
    Vec<(ElectorKey, ElectorKey, u64)>,
    Vec<Vec<ElectorKey>>,
    Vec<Vec<ElectorKey>>,
);

fn keyed(r: &MatchResult, ec: &Roll, sec: &Roll) -> Keyed {
    let ek = |i: usize| ec.electors[i].key();
    let sk = |j: usize| sec.electors[j].key();
    let mut pairs: Vec<_> = r
        .pairs
        .iter()
        .map(|p| (ek(p.ec), sk(p.sec), p.score.to_bits(), p.method))
        .collect();
    pairs.sort();
    let mut review: Vec<_> = r
        .review
        .iter()
        .map(|p| (ek(p.ec), sk(p.sec), p.score.to_bits()))
        .collect();
    review.sort();
    let groups = |gs: &[rollrec_match::DuplicateGroup], key: &dyn Fn(usize) -> ElectorKey| {
        let mut out: Vec<Vec<ElectorKey>> = gs
            .iter()
            .map(|g| {
                let mut m: Vec<_> = g.members.iter().map(|&i| key(i)).collect();
                m.sort();
                m
            })
            .collect();
        out.sort();
        out
    };
    (
        pairs,
        review,
        groups(&r.ec_duplicates, &ek),
        groups(&r.sec_duplicates, &sk),
    )
}

fn run_with_threads(threads: usize, ec: &Roll, sec: &Roll) -> MatchResult {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    pool.install(|| FsMatcher::default().run(ec, sec).result)
}

#[test]
fn same_result_with_one_or_two_threads() {
    let (ec, sec) = sample();
    let one = run_with_threads(1, &ec, &sec);
    let two = run_with_threads(2, &ec, &sec);
    assert!(!one.pairs.is_empty());
    assert_eq!(keyed(&one, &ec, &sec), keyed(&two, &ec, &sec));
}

#[test]
fn same_result_whatever_the_row_order() {
    let (ec, sec) = sample();
    let base = FsMatcher::default().run(&ec, &sec).result;
    let (mut ec2, mut sec2) = (ec.clone(), sec.clone());
    ec2.electors.reverse();
    let third = sec2.electors.len() / 3;
    sec2.electors.rotate_left(third);
    let moved = FsMatcher::default().run(&ec2, &sec2).result;
    moved.check(ec2.len(), sec2.len()).expect("conservation");
    assert_eq!(keyed(&base, &ec, &sec), keyed(&moved, &ec2, &sec2));
}
