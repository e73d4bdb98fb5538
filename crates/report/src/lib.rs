//! Turning a match result into findings, a summary and report files.
//!
//! A [`Report`] holds both rolls as read (accepted entries and rejected
//! rows), the matcher's pairs and the [`Finding`]s derived from them.
//! [`Report::write`] writes `matches.csv`, `discrepancies.csv`,
//! `rejects.csv` and `summary.json` into a directory, all or nothing;
//! [`Report::write_formats`] writes the three tables in any of the
//! [`Format`]s (CSV, JSON Lines, Arrow IPC, Parquet), all fed by one typed
//! row model ([`Report::tables`], schemas in [`table`]). Both also write
//! `report.html` ([`html`]), a self-contained page for people.
//!
//! ```
//! use rollrec_match::{DuplicateGroup, MatchResult};
//! use rollrec_model::{ReadOutcome, Roll, RollKind};
//! use rollrec_report::Report;
//!
//! let ec = ReadOutcome::from_roll("ec.csv", Roll::new(RollKind::Assembly));
//! let sec = ReadOutcome::from_roll("sec.csv", Roll::new(RollKind::LocalBody));
//! let report = Report::new(ec, sec, "none", MatchResult::default());
//! let summary = report.summary();
//! assert_eq!(summary.matched_pairs, 0);
//! summary.check().expect("rows are conserved");
//! ```

mod checks;
pub mod columnar;
mod format;
pub mod html;
mod pairs;
pub mod table;
#[cfg(test)]
mod testutil;
mod write;

use std::collections::BTreeMap;

use rollrec_match::{DuplicateGroup, MatchResult};
pub use rollrec_model::DiscrepancyKind;
use rollrec_model::{Elector, Location, ReadOutcome};
use serde::{Deserialize, Serialize};

pub use checks::{MAX_PLAUSIBLE_AGE, MIN_AGE, MIN_PARENT_GAP, logical_errors};
pub use format::{Format, FormatError};
pub use pairs::{
    PairChecks, WardMap, WardMapError, attribute_mismatches, epic_conflicts, wrong_wards,
};
pub use table::{
    Cell, ColumnSpec, ColumnType, DISCREPANCY_SCHEMA, MATCH_SCHEMA, REJECT_SCHEMA, Table,
};
pub use write::{
    DISCREPANCY_COLUMNS, MATCH_COLUMNS, REJECT_COLUMNS, ReportError, neutralize_formula,
};

/// One finding: a row of `discrepancies.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What was found.
    pub kind: DiscrepancyKind,
    /// The EC entry concerned (index into the EC roll), if any.
    pub ec: Option<usize>,
    /// The SEC entry concerned (index into the SEC roll), if any.
    pub sec: Option<usize>,
    /// Groups rows that belong together (e.g. members of one duplicate set).
    pub group_id: Option<u64>,
    /// The fields concerned, `;`-separated in the output.
    pub fields: Vec<&'static str>,
    /// A sentence for a person.
    pub detail: String,
    /// Confidence, when the finding rests on a score.
    pub score: Option<f64>,
}

/// Everything one reconciliation produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// The assembly roll as read.
    pub ec: ReadOutcome,
    /// The local-body roll as read.
    pub sec: ReadOutcome,
    /// Name of the matcher that made the pairs.
    pub matcher: String,
    /// The matcher's pairs and unmatched entries.
    pub result: MatchResult,
    /// The kinds this report looked for; a kind not listed was not
    /// checked (its absence from `findings` means nothing).
    pub checked: Vec<DiscrepancyKind>,
    /// Findings, grouped by kind in [`DiscrepancyKind::ALL`] order, each
    /// group in roll order (EC entries before SEC entries).
    pub findings: Vec<Finding>,
}

/// A person-readable description of an entry, for `detail`.
fn describe(e: &Elector) -> String {
    let mut s = format!("{} ({})", e.name, e.key());
    if let Some(en) = &e.name_en {
        s.push_str(&format!(" [{en}]"));
    }
    if let Some(rel) = &e.relative_name {
        let how = e.relation_type.map(|r| r.code()).unwrap_or("?");
        s.push_str(&format!(", relative {how}: {rel}"));
    }
    if let Some(age) = e.age {
        s.push_str(&format!(", age {age}"));
    }
    if let Some(g) = e.gender {
        s.push_str(&format!(", gender {g}"));
    }
    if let Some(h) = &e.house_no {
        s.push_str(&format!(", house {h}"));
    }
    s
}

impl Report {
    /// Builds the report from the matcher's result:
    ///
    /// * unmatched EC entries become `missing_in_sec` and unmatched SEC
    ///   entries `missing_in_ec`, except an unmatched entry that is a copy
    ///   in a duplicate group whose other member is matched (the person is
    ///   not missing; the copy is reported as a duplicate);
    /// * each duplicate group becomes one `duplicate_in_ec` or
    ///   `duplicate_in_sec` row per member, sharing a `group_id`;
    /// * each review pair becomes an `ambiguous_match` row (both entries
    ///   stay reported as missing: nothing was decided);
    /// * each roll is checked for logical errors (see [`logical_errors`]).
    pub fn new(ec: ReadOutcome, sec: ReadOutcome, matcher: &str, result: MatchResult) -> Self {
        Report::with_checks(ec, sec, matcher, result, &PairChecks::default())
    }

    /// [`Report::new`] plus the checks of matched pairs and EPICs, with the
    /// rolls' date offset and ward map:
    ///
    /// * `attribute_mismatch` per pair that disagrees (see
    ///   [`attribute_mismatches`]);
    /// * `wrong_ward` per pair in another ward than its part's (see
    ///   [`wrong_wards`]);
    /// * `epic_conflict` per entry sharing an EPIC with another person of
    ///   its roll (see [`epic_conflicts`]).
    pub fn with_checks(
        ec: ReadOutcome,
        sec: ReadOutcome,
        matcher: &str,
        result: MatchResult,
        checks: &PairChecks,
    ) -> Self {
        let mut findings =
            Vec::with_capacity(result.unmatched_ec.len() + result.unmatched_sec.len());
        let mut ec_matched = vec![false; ec.roll.len()];
        let mut sec_matched = vec![false; sec.roll.len()];
        for p in &result.pairs {
            if let Some(m) = ec_matched.get_mut(p.ec) {
                *m = true;
            }
            if let Some(m) = sec_matched.get_mut(p.sec) {
                *m = true;
            }
        }
        // Unmatched copies of a matched person.
        let copies = |groups: &[DuplicateGroup], matched: &[bool]| -> Vec<bool> {
            let mut copy = vec![false; matched.len()];
            for g in groups {
                if g.members.iter().any(|&m| matched.get(m) == Some(&true)) {
                    for &m in &g.members {
                        if matched.get(m) == Some(&false)
                            && let Some(c) = copy.get_mut(m)
                        {
                            *c = true;
                        }
                    }
                }
            }
            copy
        };
        let ec_copy = copies(&result.ec_duplicates, &ec_matched);
        let sec_copy = copies(&result.sec_duplicates, &sec_matched);
        for &i in &result.unmatched_ec {
            if let Some(e) = ec.roll.electors.get(i)
                && !ec_copy[i]
            {
                findings.push(Finding {
                    kind: DiscrepancyKind::MissingInSec,
                    ec: Some(i),
                    sec: None,
                    group_id: None,
                    fields: Vec::new(),
                    detail: format!("in the EC roll, not found in the SEC roll: {}", describe(e)),
                    score: None,
                });
            }
        }
        for &j in &result.unmatched_sec {
            if let Some(e) = sec.roll.electors.get(j)
                && !sec_copy[j]
            {
                findings.push(Finding {
                    kind: DiscrepancyKind::MissingInEc,
                    ec: None,
                    sec: Some(j),
                    group_id: None,
                    fields: Vec::new(),
                    detail: format!("in the SEC roll, not found in the EC roll: {}", describe(e)),
                    score: None,
                });
            }
        }
        let mut group_id = 0u64;
        for (groups, roll, kind) in [
            (
                &result.ec_duplicates,
                &ec.roll,
                DiscrepancyKind::DuplicateInEc,
            ),
            (
                &result.sec_duplicates,
                &sec.roll,
                DiscrepancyKind::DuplicateInSec,
            ),
        ] {
            for g in groups.iter() {
                group_id += 1;
                for &m in &g.members {
                    let Some(e) = roll.electors.get(m) else {
                        continue;
                    };
                    let others: Vec<String> = g
                        .members
                        .iter()
                        .filter(|&&o| o != m)
                        .filter_map(|&o| roll.electors.get(o).map(|x| x.key().to_string()))
                        .collect();
                    let (ec_side, sec_side) = match kind {
                        DiscrepancyKind::DuplicateInEc => (Some(m), None),
                        _ => (None, Some(m)),
                    };
                    findings.push(Finding {
                        kind,
                        ec: ec_side,
                        sec: sec_side,
                        group_id: Some(group_id),
                        fields: Vec::new(),
                        detail: format!(
                            "one of {} entries of one person: {}; also entered as {}",
                            g.members.len(),
                            describe(e),
                            others.join(", ")
                        ),
                        score: Some(g.score),
                    });
                }
            }
        }
        for p in &result.review {
            if let (Some(a), Some(b)) = (ec.roll.electors.get(p.ec), sec.roll.electors.get(p.sec)) {
                findings.push(Finding {
                    kind: DiscrepancyKind::AmbiguousMatch,
                    ec: Some(p.ec),
                    sec: Some(p.sec),
                    group_id: None,
                    fields: Vec::new(),
                    detail: format!(
                        "possibly one person, too uncertain to decide (probability {:.2}): EC {} / SEC {}",
                        p.score,
                        describe(a),
                        describe(b)
                    ),
                    score: Some(p.score),
                });
            }
        }
        findings.extend(logical_errors(&ec.roll));
        findings.extend(logical_errors(&sec.roll));
        findings.extend(attribute_mismatches(
            &ec.roll,
            &sec.roll,
            &result.pairs,
            checks.age_offset_years,
        ));
        findings.extend(wrong_wards(
            &ec.roll,
            &sec.roll,
            &result.pairs,
            checks.ward_map.as_ref(),
        ));
        findings.extend(epic_conflicts(
            &ec.roll,
            &result.ec_duplicates,
            &mut group_id,
        ));
        findings.extend(epic_conflicts(
            &sec.roll,
            &result.sec_duplicates,
            &mut group_id,
        ));
        let mut checked = vec![
            DiscrepancyKind::MissingInSec,
            DiscrepancyKind::MissingInEc,
            DiscrepancyKind::LogicalError,
            DiscrepancyKind::AttributeMismatch,
            DiscrepancyKind::WrongWard,
            DiscrepancyKind::EpicConflict,
        ];
        if result.duplicates_checked {
            checked.extend([
                DiscrepancyKind::DuplicateInEc,
                DiscrepancyKind::DuplicateInSec,
            ]);
        }
        if result.review_checked {
            checked.push(DiscrepancyKind::AmbiguousMatch);
        }
        checked.sort();
        findings.sort_by_key(|f| f.kind);
        Report {
            ec,
            sec,
            matcher: matcher.to_string(),
            result,
            checked,
            findings,
        }
    }

    /// The counts written to `summary.json`.
    pub fn summary(&self) -> Summary {
        let side = |r: &ReadOutcome, unmatched: usize| RollCounts {
            file: r.file.clone(),
            rows_read: r.rows_read,
            accepted: r.roll.len() as u64,
            rejected: r.rejects.len() as u64,
            matched: self.result.pairs.len() as u64,
            unmatched: unmatched as u64,
        };
        let zeroes: BTreeMap<String, u64> = self
            .checked
            .iter()
            .map(|k| (k.as_str().to_string(), 0))
            .collect();
        let mut discrepancies = zeroes.clone();
        let mut by_part: BTreeMap<(u32, u32), PartSummary> = BTreeMap::new();
        let mut by_ward: BTreeMap<(String, u32), WardSummary> = BTreeMap::new();
        let part_of = |e: &Elector| match &e.location {
            Location::Assembly(a) => Some((a.ac_no, a.part_no)),
            Location::LocalBody(_) => None,
        };
        let ward_of = |e: &Elector| match &e.location {
            Location::LocalBody(l) => Some((l.local_body.clone(), l.ward_no)),
            Location::Assembly(_) => None,
        };
        for e in &self.ec.roll.electors {
            if let Some((ac_no, part_no)) = part_of(e) {
                by_part
                    .entry((ac_no, part_no))
                    .or_insert_with(|| PartSummary {
                        ac_no,
                        part_no,
                        electors: 0,
                        matched: 0,
                        discrepancies: zeroes.clone(),
                    })
                    .electors += 1;
            }
        }
        for e in &self.sec.roll.electors {
            if let Some((local_body, ward_no)) = ward_of(e) {
                by_ward
                    .entry((local_body.clone(), ward_no))
                    .or_insert_with(|| WardSummary {
                        local_body,
                        ward_no,
                        electors: 0,
                        matched: 0,
                        discrepancies: zeroes.clone(),
                    })
                    .electors += 1;
            }
        }
        let ec_at = |i: usize| self.ec.roll.electors.get(i).and_then(part_of);
        let sec_at = |j: usize| self.sec.roll.electors.get(j).and_then(ward_of);
        for p in &self.result.pairs {
            if let Some(s) = ec_at(p.ec).and_then(|k| by_part.get_mut(&k)) {
                s.matched += 1;
            }
            if let Some(s) = sec_at(p.sec).and_then(|k| by_ward.get_mut(&k)) {
                s.matched += 1;
            }
        }
        for f in &self.findings {
            let kind = f.kind.as_str().to_string();
            *discrepancies.entry(kind.clone()).or_default() += 1;
            if let Some(s) = f.ec.and_then(ec_at).and_then(|k| by_part.get_mut(&k)) {
                *s.discrepancies.entry(kind.clone()).or_default() += 1;
            }
            if let Some(s) = f.sec.and_then(sec_at).and_then(|k| by_ward.get_mut(&k)) {
                *s.discrepancies.entry(kind).or_default() += 1;
            }
        }
        Summary {
            rollrec_version: env!("CARGO_PKG_VERSION").to_string(),
            matcher: self.matcher.clone(),
            ec: side(&self.ec, self.result.unmatched_ec.len()),
            sec: side(&self.sec, self.result.unmatched_sec.len()),
            matched_pairs: self.result.pairs.len() as u64,
            checked_kinds: self
                .checked
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
            discrepancies,
            by_part: by_part.into_values().collect(),
            by_ward: by_ward.into_values().collect(),
        }
    }
}

/// Counts for one assembly part. A finding counts in the part of its EC
/// entry, if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartSummary {
    /// Assembly constituency.
    pub ac_no: u32,
    /// Part.
    pub part_no: u32,
    /// Accepted EC entries in the part.
    pub electors: u64,
    /// Of those, entries in a matched pair.
    pub matched: u64,
    /// Findings per checked kind.
    pub discrepancies: BTreeMap<String, u64>,
}

/// Counts for one local-body ward. A finding counts in the ward of its SEC
/// entry, if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WardSummary {
    /// Local body.
    pub local_body: String,
    /// Ward.
    pub ward_no: u32,
    /// Accepted SEC entries in the ward.
    pub electors: u64,
    /// Of those, entries in a matched pair.
    pub matched: u64,
    /// Findings per checked kind.
    pub discrepancies: BTreeMap<String, u64>,
}

/// Row counts for one roll. Invariants: `rows_read = accepted + rejected`
/// and `accepted = matched + unmatched`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCounts {
    /// The input file.
    pub file: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows accepted as entries.
    pub accepted: u64,
    /// Rows rejected (listed in `rejects.csv`).
    pub rejected: u64,
    /// Entries in a matched pair.
    pub matched: u64,
    /// Entries in no pair.
    pub unmatched: u64,
}

/// The content of `summary.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Version of rollrec that wrote the report.
    pub rollrec_version: String,
    /// The matcher used.
    pub matcher: String,
    /// The assembly roll's counts.
    pub ec: RollCounts,
    /// The local-body roll's counts.
    pub sec: RollCounts,
    /// Matched pairs.
    pub matched_pairs: u64,
    /// The kinds that were looked for.
    pub checked_kinds: Vec<String>,
    /// Findings per checked kind (zero included).
    pub discrepancies: BTreeMap<String, u64>,
    /// Counts per assembly part, in (AC, part) order.
    pub by_part: Vec<PartSummary>,
    /// Counts per local-body ward, in (local body, ward) order.
    pub by_ward: Vec<WardSummary>,
}

impl Summary {
    /// Checks row conservation for both rolls.
    pub fn check(&self) -> Result<(), String> {
        for (name, c) in [("ec", &self.ec), ("sec", &self.sec)] {
            if c.rows_read != c.accepted + c.rejected {
                return Err(format!(
                    "{name}: rows read {} != accepted {} + rejected {}",
                    c.rows_read, c.accepted, c.rejected
                ));
            }
            if c.accepted != c.matched + c.unmatched {
                return Err(format!(
                    "{name}: accepted {} != matched {} + unmatched {}",
                    c.accepted, c.matched, c.unmatched
                ));
            }
        }
        Ok(())
    }
}
