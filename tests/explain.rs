//! `rollrec::explain_pair` on the bundled sample: it must reproduce what
//! the run decided and wrote, pair by pair.

use std::collections::BTreeMap;
use std::path::Path;

use rollrec::{Config, ElectorKey, Placement, RollKind};

const EC: &str = "fixtures/sample/ec.csv";
const SEC: &str = "fixtures/sample/sec.csv";

fn expected_matches() -> Vec<BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_path("fixtures/sample/expected/matches.csv").expect("opens");
    let header = rdr.headers().expect("header").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            header
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn explanations_reproduce_the_written_matches() {
    let config = Config::default();
    let (ec, sec) =
        rollrec::read_roll_files(Path::new(EC), Path::new(SEC), &config).expect("sample reads");
    let rows = expected_matches();
    assert!(rows.len() > 100);
    for row in rows.iter().step_by(25) {
        let ec_key = ElectorKey::parse(
            RollKind::Assembly,
            &format!(
                "{}/{}/{}",
                row["ec_ac_no"], row["ec_part_no"], row["ec_serial_no"]
            ),
        )
        .expect("EC key");
        let sec_key = ElectorKey::parse(
            RollKind::LocalBody,
            &format!(
                "{}/{}/{}",
                row["sec_local_body"], row["sec_ward_no"], row["sec_serial_no"]
            ),
        )
        .expect("SEC key");
        let r = rollrec::explain_pair(&ec.roll, &sec.roll, &config, &ec_key, &sec_key)
            .expect("both keys are in the sample");
        assert!(
            matches!(r.ec_placement, Placement::Paired { with, .. } if with == r.sec),
            "{ec_key}: {:?}",
            r.ec_placement
        );
        assert!(
            matches!(r.sec_placement, Placement::Paired { with, .. } if with == r.ec),
            "{sec_key}: {:?}",
            r.sec_placement
        );
        let x = &r.explanation;
        assert!(
            !x.passes.is_empty(),
            "a matched pair was proposed by some pass"
        );
        assert_eq!(format!("{:.4}", x.probability), row["score"], "{ec_key}");
        let sum: f64 = x.fields.iter().map(|f| f.weight).sum();
        assert!((x.total - x.prior - sum).abs() < 1e-9);
        // The per-field weights are those written to matches.csv (fields
        // missing on a side are blank there and weigh 0 here).
        for f in &x.fields {
            let written = &row[&format!("w_{}", f.field)];
            if written.is_empty() {
                assert_eq!(f.weight, 0.0, "{ec_key} {}", f.field);
                assert_eq!(f.level, None, "{ec_key} {}", f.field);
            } else {
                assert_eq!(&format!("{:.4}", f.weight), written, "{ec_key} {}", f.field);
            }
        }
    }
}

#[test]
fn an_entry_reported_missing_is_unmatched_and_unknown_keys_fail() {
    let config = Config::default();
    let (ec, sec) =
        rollrec::read_roll_files(Path::new(EC), Path::new(SEC), &config).expect("sample reads");
    // Reported as missing_in_sec in the expected discrepancies.
    let missing = ElectorKey::parse(RollKind::Assembly, "140/1/16").expect("key");
    let any_sec = sec.roll.electors[0].key();
    let r = rollrec::explain_pair(&ec.roll, &sec.roll, &config, &missing, &any_sec)
        .expect("both keys are in the sample");
    assert_eq!(r.ec_placement, Placement::Unmatched);
    assert!(r.explanation.probability < r.explanation.match_threshold);

    let nowhere = ElectorKey::parse(RollKind::Assembly, "140/9/999").expect("key");
    let err = rollrec::explain_pair(&ec.roll, &sec.roll, &config, &nowhere, &any_sec)
        .expect_err("no such entry");
    assert!(matches!(err, rollrec::Error::NoSuchEntry(_)), "{err}");
    assert!(
        err.to_string().contains("AC 140 part 9 serial 999"),
        "{err}"
    );
}
