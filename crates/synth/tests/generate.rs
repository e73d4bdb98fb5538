//! End-to-end checks of the generator: determinism across thread counts,
//! files that read back cleanly, truth that agrees with the rolls, and
//! injected rates close to the configuration.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rollrec_io::csv::{ReadOptions, read_roll_path};
use rollrec_model::{Elector, ElectorKey, RollKind};
use rollrec_synth::{Scenario, SynthConfig, SynthSummary, WriteMode, generate, generate_with};

fn config(scenario: Scenario, electors: u64, seed: u64) -> SynthConfig {
    SynthConfig {
        electors,
        seed,
        // Several ACs and languages even at test sizes.
        ac_size: Some(1_500),
        ..SynthConfig::for_scenario(scenario)
    }
}

fn generate_with_threads(cfg: &SynthConfig, threads: usize, dir: &Path) -> SynthSummary {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| generate(cfg, dir)).expect("generates")
}

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    for scenario in Scenario::ALL {
        let cfg = config(scenario, 3_000, 11);
        let a = tempfile::tempdir().expect("temp dir");
        let b = tempfile::tempdir().expect("temp dir");
        generate_with_threads(&cfg, 1, a.path());
        generate_with_threads(&cfg, 2, b.path());
        for f in ["ec.csv", "sec.csv", "truth.csv", "synth.json"] {
            let x = std::fs::read(a.path().join(f)).expect("read");
            let y = std::fs::read(b.path().join(f)).expect("read");
            assert!(x == y, "{scenario}: {f} differs between 1 and 2 threads");
        }
    }
    // Another seed gives other rolls.
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    generate_with_threads(&config(Scenario::Derived, 2_000, 1), 2, a.path());
    generate_with_threads(&config(Scenario::Derived, 2_000, 2), 2, b.path());
    assert_ne!(
        std::fs::read(a.path().join("ec.csv")).expect("read"),
        std::fs::read(b.path().join("ec.csv")).expect("read")
    );
}

#[test]
fn direct_io_writes_the_same_files() {
    // Files of several megabytes, so that stages fill and the last one is
    // cut back to the bytes written; 2 threads.
    let cfg = config(Scenario::DerivedBilingual, 20_000, 4);
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    generate_with_threads(&cfg, 2, a.path());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    pool.install(|| generate_with(&cfg, b.path(), WriteMode::Direct))
        .expect("generates");
    for f in ["ec.csv", "sec.csv", "truth.csv", "synth.json"] {
        let x = std::fs::read(a.path().join(f)).expect("read");
        let y = std::fs::read(b.path().join(f)).expect("read");
        assert!(x.len() > 1 << 20 || f == "synth.json", "{f}: {}", x.len());
        assert!(x == y, "{f} differs between the page cache and direct I/O");
    }
}

/// A parsed truth row.
struct Truth {
    kind: String,
    ec: Option<ElectorKey>,
    sec: Option<ElectorKey>,
    group: String,
    fields: String,
    detail: String,
}

fn read_truth(path: &Path) -> Vec<Truth> {
    let mut rdr = csv::Reader::from_path(path).expect("truth.csv opens");
    let mut out = Vec::new();
    for rec in rdr.records() {
        let r = rec.expect("truth row");
        let num = |i: usize| r[i].parse::<u32>().expect("number");
        let ec = (!r[1].is_empty()).then(|| ElectorKey::Assembly {
            ac_no: num(1),
            part_no: num(2),
            serial_no: num(3),
        });
        let sec = (!r[4].is_empty()).then(|| ElectorKey::LocalBody {
            local_body: r[4].to_string(),
            ward_no: num(5),
            serial_no: num(6),
        });
        out.push(Truth {
            kind: r[0].to_string(),
            ec,
            sec,
            group: r[7].to_string(),
            fields: r[8].to_string(),
            detail: r[9].to_string(),
        });
    }
    out
}

fn read_back(dir: &Path, kind: RollKind, file: &str) -> HashMap<ElectorKey, Elector> {
    let out = read_roll_path(&dir.join(file), kind, &ReadOptions::default()).expect("reads");
    assert!(
        out.rejects.is_empty(),
        "{file}: {} rejects, first: {:?}",
        out.rejects.len(),
        out.rejects.first()
    );
    out.roll
        .electors
        .into_iter()
        .map(|e| (e.key(), e))
        .collect()
}

/// The "Late" honorifics of every language (printed before a dead
/// relative's name), from the name pools.
fn late_prefixes() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("data dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "names") {
            let text = std::fs::read_to_string(&path).expect("reads");
            for line in text.lines().filter(|l| l.starts_with("late;")) {
                for part in line.split(';').skip(1) {
                    out.extend(part.split('|').map(|t| format!("{t} ")));
                }
            }
        }
    }
    out
}

#[test]
fn distinct_people_of_an_ac_do_not_print_alike() {
    // Every language, ACs of 3,000: two EC entries of one AC that print
    // the same name, relative name (without "Late") and gender within
    // three years of age are one person (an injected duplicate), never
    // two: siblings get distinct names, and namesakes differ in relative
    // or age.
    let cfg = SynthConfig {
        electors: 33_000,
        seed: 3,
        ac_size: Some(3_000),
        ..SynthConfig::for_scenario(Scenario::Derived)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = generate(&cfg, dir.path()).expect("generates");
    assert_eq!(summary.unresolved_namesakes, 0);
    let ec = read_back(dir.path(), RollKind::Assembly, "ec.csv");
    let mut person: HashMap<ElectorKey, String> = HashMap::new();
    let mut odd_age: HashSet<ElectorKey> = HashSet::new();
    for t in read_truth(&dir.path().join("truth.csv")) {
        let Some(key) = t.ec else { continue };
        match t.kind.as_str() {
            "pair" | "missing_in_sec" | "duplicate_in_ec" => {
                person.insert(key, t.group);
            }
            "logical_error" if t.fields.contains("age") => {
                odd_age.insert(key);
            }
            _ => {}
        }
    }
    let late = late_prefixes();
    // (AC, name, relative name, gender) -> (age, person) of each entry.
    type Printed = (u32, String, String, String);
    let mut alike: HashMap<Printed, Vec<(u8, String)>> = HashMap::new();
    for (key, e) in &ec {
        if odd_age.contains(key) {
            continue;
        }
        let ElectorKey::Assembly { ac_no, .. } = key else {
            panic!("an EC key")
        };
        let mut relative = e.relative_name.as_deref().unwrap_or_default().to_string();
        if let Some(p) = late.iter().find(|p| relative.starts_with(p.as_str())) {
            relative = relative[p.len()..].to_string();
        }
        let who = person
            .get(key)
            .cloned()
            .expect("every EC entry is a person");
        alike
            .entry((
                *ac_no,
                e.name.to_string(),
                relative,
                format!("{:?}", e.gender),
            ))
            .or_default()
            .push((e.age.expect("age"), who));
    }
    let mut namesakes = 0;
    for (k, list) in &alike {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                if a.0.abs_diff(b.0) <= 3 {
                    assert_eq!(a.1, b.1, "{k:?}: two people print alike: {list:?}");
                }
            }
        }
        namesakes += usize::from(list.iter().any(|x| x.1 != list[0].1));
    }
    // Namesakes with another age remain.
    assert!(namesakes > 50, "{namesakes}");
}

#[test]
fn rolls_read_back_and_truth_agrees_with_them() {
    for scenario in Scenario::ALL {
        let cfg = config(scenario, 4_000, 5);
        let dir = tempfile::tempdir().expect("temp dir");
        let summary = generate(&cfg, dir.path()).expect("generates");
        let ec = read_back(dir.path(), RollKind::Assembly, "ec.csv");
        let sec = read_back(dir.path(), RollKind::LocalBody, "sec.csv");
        assert_eq!(ec.len() as u64, summary.ec_rows, "{scenario}");
        assert_eq!(sec.len() as u64, summary.sec_rows, "{scenario}");
        let truth = read_truth(&dir.path().join("truth.csv"));
        let total: u64 = summary.truth.values().sum();
        assert_eq!(truth.len() as u64, total);

        // Every key names a row of the right roll.
        for t in &truth {
            if let Some(k) = &t.ec {
                assert!(
                    ec.contains_key(k),
                    "{scenario}: {} names missing EC row {k}",
                    t.kind
                );
            }
            if let Some(k) = &t.sec {
                assert!(
                    sec.contains_key(k),
                    "{scenario}: {} names missing SEC row {k}",
                    t.kind
                );
            }
            match t.kind.as_str() {
                "pair" | "attribute_mismatch" | "wrong_ward" => {
                    assert!(t.ec.is_some() && t.sec.is_some(), "{}", t.kind)
                }
                "missing_in_sec" | "duplicate_in_ec" => assert!(t.ec.is_some() && t.sec.is_none()),
                "missing_in_ec" | "duplicate_in_sec" => assert!(t.ec.is_none() && t.sec.is_some()),
                "logical_error" | "epic_conflict" => assert!(t.ec.is_some() != t.sec.is_some()),
                other => panic!("unknown kind {other}"),
            }
        }

        // Each entry is in at most one pair, and every EC entry is paired,
        // missing or a duplicate copy.
        let pairs: Vec<&Truth> = truth.iter().filter(|t| t.kind == "pair").collect();
        let mut ec_paired = HashSet::new();
        let mut sec_paired = HashSet::new();
        for p in &pairs {
            assert!(ec_paired.insert(p.ec.clone()), "EC entry in two pairs");
            assert!(sec_paired.insert(p.sec.clone()), "SEC entry in two pairs");
        }
        let accounted: HashSet<_> = truth
            .iter()
            .filter(|t| {
                matches!(
                    t.kind.as_str(),
                    "pair" | "missing_in_sec" | "duplicate_in_ec"
                )
            })
            .filter_map(|t| t.ec.clone())
            .collect();
        assert_eq!(
            accounted.len(),
            ec.len(),
            "{scenario}: every EC entry accounted for"
        );
        let accounted: HashSet<_> = truth
            .iter()
            .filter(|t| {
                matches!(
                    t.kind.as_str(),
                    "pair" | "missing_in_ec" | "duplicate_in_sec"
                )
            })
            .filter_map(|t| t.sec.clone())
            .collect();
        assert_eq!(
            accounted.len(),
            sec.len(),
            "{scenario}: every SEC entry accounted for"
        );

        // Pair rows join entries whose people agree, unless the truth says
        // which field differs.
        let mismatched: HashMap<(Option<ElectorKey>, Option<ElectorKey>), &str> = truth
            .iter()
            .filter(|t| t.kind == "attribute_mismatch")
            .map(|t| ((t.ec.clone(), t.sec.clone()), t.fields.as_str()))
            .collect();
        // Whole years between the qualifying dates: an age moves by the
        // floor or the ceiling of it, by birthday.
        let days = summary.sec_date.days() - summary.ec_date.days();
        let (lo, hi) = (
            days.div_euclid(366) as i32,
            (days + 364).div_euclid(365) as i32,
        );
        for p in &pairs {
            let (Some(ek), Some(sk)) = (&p.ec, &p.sec) else {
                unreachable!("pairs have both keys")
            };
            let (e, s) = (&ec[ek], &sec[sk]);
            let fields = mismatched
                .get(&(p.ec.clone(), p.sec.clone()))
                .copied()
                .unwrap_or("");
            if !fields.contains("gender") {
                assert_eq!(e.gender, s.gender, "{scenario}: {ek} / {sk}");
            }
            if !fields.contains("relation_type") {
                assert_eq!(e.relation_type, s.relation_type, "{scenario}: {ek} / {sk}");
            }
            if !fields.contains("age") {
                let d = i32::from(s.age.expect("age")) - i32::from(e.age.expect("age"));
                assert!(
                    (lo..=hi).contains(&d),
                    "{scenario}: {ek} / {sk}: ages {:?} {:?}",
                    e.age,
                    s.age
                );
            }
            if scenario == Scenario::Derived {
                if !fields.contains("name") {
                    assert_eq!(e.name, s.name, "{ek} / {sk}");
                }
                if !fields.contains("relative_name") {
                    assert_eq!(e.relative_name, s.relative_name, "{ek} / {sk}");
                }
                if !fields.contains("house_no") {
                    assert_eq!(e.house_no, s.house_no, "{ek} / {sk}");
                }
                // Derived SEC rows point back at their EC part.
                let back = (s.location.assembly_part(), e.location.assembly_part());
                if !truth
                    .iter()
                    .any(|t| t.kind == "duplicate_in_ec" && t.ec.as_ref() == Some(ek))
                {
                    assert_eq!(back.0, back.1, "{ek} / {sk}");
                }
            }
            if scenario == Scenario::DerivedBilingual {
                // One side prints the native script, the other English.
                let latin = |t: &str| t.is_ascii();
                assert_ne!(
                    latin(&e.name),
                    latin(&s.name),
                    "{ek} / {sk}: {} / {}",
                    e.name,
                    s.name
                );
            }
        }

        // A wrong-ward pair is in another ward than its EC part's other
        // entries mostly go to; the detail names the expected ward.
        for t in truth.iter().filter(|t| t.kind == "wrong_ward") {
            let Some(ElectorKey::LocalBody {
                local_body,
                ward_no,
                ..
            }) = &t.sec
            else {
                unreachable!("wrong_ward rows have an SEC key")
            };
            assert!(
                !t.detail.ends_with(&format!("{local_body} ward {ward_no}")),
                "{}",
                t.detail
            );
        }
        // Duplicate groups have two or more members.
        for kind in ["duplicate_in_ec", "duplicate_in_sec"] {
            let mut groups: HashMap<&str, usize> = HashMap::new();
            for t in truth.iter().filter(|t| t.kind == kind) {
                *groups.entry(&t.group).or_default() += 1;
            }
            assert!(groups.values().all(|&n| n >= 2), "{scenario}: {kind}");
        }
        // Logical errors are real: blank EPIC rows are blank.
        for t in truth
            .iter()
            .filter(|t| t.kind == "logical_error" && t.detail == "blank EPIC")
        {
            let e = match (&t.ec, &t.sec) {
                (Some(k), _) => &ec[k],
                (_, Some(k)) => &sec[k],
                _ => unreachable!("a side is set"),
            };
            assert!(e.epic.is_none());
        }
    }
}

#[test]
fn injected_rates_follow_the_configuration() {
    let cfg = SynthConfig {
        ac_size: Some(20_000),
        ..config(Scenario::Derived, 20_000, 3)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = generate(&cfg, dir.path()).expect("generates");
    let truth = read_truth(&dir.path().join("truth.csv"));
    let n = cfg.electors as f64;
    let count = |kind: &str| truth.iter().filter(|t| t.kind == kind).count() as f64;
    let r = &cfg.rates;
    let within = |name: &str, got: f64, want: f64| {
        let tol = 4.0 * (want * (1.0 - want) / n).sqrt() + 0.001;
        assert!(
            (got - want).abs() <= tol,
            "{name}: got {got:.4}, want {want:.4} +- {tol:.4}"
        );
    };
    within(
        "missing_in_sec",
        count("missing_in_sec") / n,
        r.missing_in_sec,
    );
    within("missing_in_ec", count("missing_in_ec") / n, r.extra_in_sec);
    within("wrong_ward", count("wrong_ward") / n, r.wrong_ward);
    within(
        "duplicate_ec",
        count("duplicate_in_ec") / 2.0 / n,
        r.duplicate_ec,
    );
    // SEC duplicate groups: the SEC's own plus the EC copies carried over.
    let sec_copies = truth
        .iter()
        .filter(|t| t.kind == "duplicate_in_sec" && t.detail != "carried from the EC roll")
        .count() as f64;
    within("duplicate_sec", sec_copies / 2.0 / n, r.duplicate_sec);
    let edits = truth
        .iter()
        .filter(|t| t.kind == "attribute_mismatch" && t.fields != "relation_type;relative_name")
        .count() as f64;
    within("attribute_edit", edits / count("pair"), r.attribute_edit);
    let blank_ec = truth
        .iter()
        .filter(|t| t.kind == "logical_error" && t.ec.is_some() && t.detail.contains("blank EPIC"))
        .count() as f64;
    within(
        "epic_blank",
        blank_ec / summary.ec_rows as f64,
        r.epic_blank,
    );
    assert!(count("epic_conflict") > 0.0);
    assert!(
        truth
            .iter()
            .any(|t| t.fields == "relation_type;relative_name")
    );

    // Parts hold 800-1,200 electors (a last small part may be merged).
    assert!(summary.parts as f64 >= n / 1_600.0 && summary.parts as f64 <= n / 800.0 + 14.0);

    // Rates can be switched off.
    let mut quiet = config(Scenario::Derived, 3_000, 3);
    quiet.rates.missing_in_sec = 0.0;
    quiet.rates.wrong_ward = 0.0;
    let dir = tempfile::tempdir().expect("temp dir");
    let s = generate(&quiet, dir.path()).expect("generates");
    assert!(!s.truth.contains_key("missing_in_sec"));
    assert!(!s.truth.contains_key("wrong_ward"));
}

#[test]
fn invalid_configuration_is_an_error() {
    let mut cfg = SynthConfig::default();
    cfg.rates.missing_in_sec = 1.5;
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(generate(&cfg, dir.path()).is_err());
    let mut cfg = SynthConfig::default();
    cfg.languages.clear();
    assert!(generate(&cfg, dir.path()).is_err());
}
