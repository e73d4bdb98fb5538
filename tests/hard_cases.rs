//! The matching engine on hand-written hard cases (`fixtures/hard_cases/`):
//! namesakes, name order, marriage, age offset, wrong ward, cross-script
//! names, joined tokens, initials, spelling variants. Each case says which
//! EC entry must (or must not) be paired with which SEC entry;
//! `duplicates.tsv` says which EC entries must (or must not) share a
//! duplicate group.

use std::collections::BTreeSet;
use std::path::Path;

use rollrec::model::Location;
use rollrec::{Config, NaiveDate, RollKind};

const DIR: &str = "fixtures/hard_cases";

#[derive(Debug)]
struct Case {
    ec: (u32, u32),
    sec: (u32, u32),
    pair: bool,
    what: String,
}

/// The rows of a table beside the rolls: tab-separated, six fields, `#`
/// lines and blank lines left out.
fn table(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(Path::new(DIR).join(name)).expect(name);
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<String> = l.split('\t').map(str::to_string).collect();
            assert_eq!(f.len(), 6, "{name}: bad line {l:?}");
            f
        })
        .collect()
}

/// Field `i` of a row as a number.
fn number(f: &[String], i: usize) -> u32 {
    f[i].parse().expect("a number")
}

fn cases() -> Vec<Case> {
    table("cases.tsv")
        .into_iter()
        .map(|f| Case {
            ec: (number(&f, 0), number(&f, 1)),
            sec: (number(&f, 2), number(&f, 3)),
            pair: match f[4].as_str() {
                "pair" => true,
                "none" => false,
                other => panic!("cases.tsv: expect must be pair or none, got {other:?}"),
            },
            what: f[5].clone(),
        })
        .collect()
}

#[test]
fn hard_cases_come_out_right() {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
    let config = Config::default().dates(Some(date("2023-01-01")), Some(date("2025-01-01")));
    let ec = rollrec::read_roll_file(&Path::new(DIR).join("ec.csv"), RollKind::Assembly, &config)
        .expect("ec.csv reads");
    let sec = rollrec::read_roll_file(
        &Path::new(DIR).join("sec.csv"),
        RollKind::LocalBody,
        &config,
    )
    .expect("sec.csv reads");
    assert!(ec.rejects.is_empty() && sec.rejects.is_empty());
    let report = rollrec::reconcile(ec, sec, &config).expect("reconciles");
    let ec_electors = &report.ec.roll.electors;
    let sec_electors = &report.sec.roll.electors;
    let found: BTreeSet<((u32, u32), (u32, u32))> = report
        .result
        .pairs
        .iter()
        .map(|p| {
            let e = &ec_electors[p.ec];
            let s = &sec_electors[p.sec];
            let part = match &e.location {
                Location::Assembly(a) => a.part_no,
                Location::LocalBody(_) => unreachable!("an EC roll holds assembly entries"),
            };
            let ward = match &s.location {
                Location::LocalBody(l) => l.ward_no,
                Location::Assembly(_) => unreachable!("an SEC roll holds local-body entries"),
            };
            ((part, e.serial_no), (ward, s.serial_no))
        })
        .collect();
    let all = cases();
    let failed: Vec<String> = all
        .iter()
        .filter(|c| found.contains(&(c.ec, c.sec)) != c.pair)
        .map(|c| {
            let got = if c.pair { "not paired" } else { "paired" };
            format!(
                "  EC part/serial {:?} - SEC ward/serial {:?}: {got}: {}",
                c.ec, c.sec, c.what
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} hard cases wrong:\n{}",
        failed.len(),
        all.len(),
        failed.join("\n")
    );

    // Duplicate groups inside the EC roll, as (part, serial) sets.
    let key = |i: usize| {
        let e = &ec_electors[i];
        match &e.location {
            Location::Assembly(a) => (a.part_no, e.serial_no),
            Location::LocalBody(_) => unreachable!("an EC roll holds assembly entries"),
        }
    };
    let groups: Vec<BTreeSet<(u32, u32)>> = report
        .result
        .ec_duplicates
        .iter()
        .map(|g| g.members.iter().map(|&i| key(i)).collect())
        .collect();
    let dups = duplicate_cases();
    assert!(!dups.is_empty(), "duplicates.tsv has no cases");
    let failed: Vec<String> = dups
        .iter()
        .filter(|c| groups.iter().any(|g| g.contains(&c.a) && g.contains(&c.b)) != c.dup)
        .map(|c| {
            let got = if c.dup { "not grouped" } else { "grouped" };
            format!("  EC {:?} - EC {:?}: {got}: {}", c.a, c.b, c.what)
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} duplicate cases wrong:\n{}",
        failed.len(),
        dups.len(),
        failed.join("\n")
    );
}

#[derive(Debug)]
struct DuplicateCase {
    a: (u32, u32),
    b: (u32, u32),
    dup: bool,
    what: String,
}

fn duplicate_cases() -> Vec<DuplicateCase> {
    table("duplicates.tsv")
        .into_iter()
        .map(|f| DuplicateCase {
            a: (number(&f, 0), number(&f, 1)),
            b: (number(&f, 2), number(&f, 3)),
            dup: match f[4].as_str() {
                "dup" => true,
                "none" => false,
                other => panic!("duplicates.tsv: expect must be dup or none, got {other:?}"),
            },
            what: f[5].clone(),
        })
        .collect()
}
