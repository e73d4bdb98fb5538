//! A small report for unit tests: one matched pair, one entry missing on
//! each side, hostile names, a rejected row on each side.

use rollrec_match::{MatchPair, MatchResult};
use rollrec_model::{
    AssemblyLocation, Elector, Epic, Gender, LocalBodyLocation, Location, ReadOutcome, Reject,
    RelationType, Roll, RollKind,
};

use crate::Report;

fn entry(location: Location, serial: u32, name: &str, age: u8) -> Elector {
    Elector {
        state_code: None,
        location,
        serial_no: serial,
        epic: Epic::parse("ABC1234567"),
        name: name.into(),
        relation_type: Some(RelationType::Father),
        relative_name: Some("राम दास".into()),
        house_no: Some("16-A".into()),
        age: Some(age),
        gender: Some(Gender::Female),
        name_en: None,
        relative_name_en: None,
        line: 0,
    }
}

pub(crate) fn ec_at(part: u32, serial: u32, name: &str, age: u8) -> Elector {
    let loc = Location::Assembly(AssemblyLocation {
        ac_no: 140,
        part_no: part,
        section_no: Some(1),
    });
    entry(loc, serial, name, age)
}

pub(crate) fn sec_at(ward: u32, serial: u32, name: &str, age: u8) -> Elector {
    let loc = Location::LocalBody(LocalBodyLocation {
        local_body: "Rampur <M>".into(),
        ward_no: ward,
        ac_no: Some(140),
        part_no: Some(1),
    });
    entry(loc, serial, name, age)
}

/// EC: Asha (matched), `<script>` (missing in SEC, and under age).
/// SEC: Asha (matched), `=cmd|' /C calc'!A0` (missing in EC).
pub(crate) fn small_report() -> Report {
    let mut ec = Roll::new(RollKind::Assembly);
    ec.electors.push(ec_at(1, 1, "আশা দাস", 34));
    ec.electors
        .push(ec_at(2, 7, "<script>alert(1)</script>", 12));
    let mut sec = Roll::new(RollKind::LocalBody);
    sec.electors.push(sec_at(3, 1, "আশা দাস", 35));
    sec.electors.push(sec_at(3, 2, "=cmd|' /C calc'!A0", 40));
    let mut ec = ReadOutcome::from_roll("ec.csv", ec);
    ec.rows_read += 1;
    ec.rejects.push(Reject {
        roll: RollKind::Assembly,
        file: "ec.csv".into(),
        line: 9,
        reason: "bad age \"x\"".into(),
        raw: "140,1,9,\"Q & A\",x".into(),
    });
    let mut sec = ReadOutcome::from_roll("sec.csv", sec);
    sec.rows_read += 1;
    sec.rejects.push(Reject {
        roll: RollKind::LocalBody,
        file: "sec.csv".into(),
        line: 4,
        reason: "missing name".into(),
        raw: "=HYPERLINK(\"x\"),3,4,".into(),
    });
    // Field by field, so a field added to MatchResult keeps this building.
    let mut result = MatchResult::default();
    result.pairs.push(MatchPair {
        ec: 0,
        sec: 0,
        score: 0.95,
        method: "epic",
        weights: Default::default(),
    });
    result.unmatched_ec.push(1);
    result.unmatched_sec.push(1);
    Report::new(ec, sec, "test", result)
}
