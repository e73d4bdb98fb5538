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
mod spellings;
pub mod table;
#[cfg(test)]
mod testutil;
mod write;

use std::collections::BTreeMap;

use rollrec_match::{DuplicateGroup, MatchResult};
pub use rollrec_model::DiscrepancyKind;
use rollrec_model::{Elector, ElectorKey, Location, ReadOutcome, Roll, fold_text};
use serde::{Deserialize, Serialize};

pub use checks::{MAX_PLAUSIBLE_AGE, MIN_AGE, MIN_PARENT_GAP, logical_errors};
pub use format::{Format, FormatError};
pub use pairs::{
    PairChecks, WardMap, WardMapError, attribute_mismatches, epic_conflicts, wrong_wards,
};
pub use table::{
    Cell, ColumnSpec, ColumnType, DISCREPANCY_SCHEMA, MATCH_SCHEMA, REJECT_SCHEMA, Table, TableId,
};
pub use write::{
    DISCREPANCY_COLUMNS, MATCH_COLUMNS, REJECT_COLUMNS, ReportError, WriteOptions,
    neutralize_formula,
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

/// A person-readable description of an entry, as the `missing_*`
/// findings' `detail` gives it: name (and English twin), key, relative,
/// age, gender, house.
pub fn describe(e: &Elector) -> String {
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

/// Whether two entries of one roll are entered alike: the same name and
/// relative name once folded, no different gender, ages (when both known)
/// at most a year apart.
pub(crate) fn entered_alike(a: &Elector, b: &Elector) -> bool {
    fold_text(&a.name) == fold_text(&b.name)
        && a.relative_name.as_deref().map(fold_text) == b.relative_name.as_deref().map(fold_text)
        && (a.gender.is_none() || b.gender.is_none() || a.gender == b.gender)
        && match (a.age, b.age) {
            (Some(x), Some(y)) => x.abs_diff(y) <= 1,
            _ => true,
        }
}

impl Report {
    /// Builds the report from the matcher's result:
    ///
    /// * unmatched EC entries become `missing_in_sec` and unmatched SEC
    ///   entries `missing_in_ec`, except an unmatched entry that is a copy
    ///   in a duplicate group of a matched member, entered alike (same
    ///   name and relative name once folded, same gender, ages at most a
    ///   year apart): the person is not missing, the copy is reported as a
    ///   duplicate;
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
    /// * `wrong_ward` per pair in another ward than its part's, unless a
    ///   duplicate copy of the person fits (see [`wrong_wards`]);
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
        // Unmatched copies of a matched person: an unmatched member of a
        // duplicate group that is entered just like a matched member of
        // the group (same name and relative name once folded, same gender,
        // ages at most a year apart). A group member that differs is
        // another person the grouping swept in (a namesake in the family),
        // and stays reported as missing.
        let copies = |groups: &[DuplicateGroup], matched: &[bool], roll: &Roll| -> Vec<bool> {
            let mut copy = vec![false; matched.len()];
            for g in groups {
                let twins: Vec<&Elector> = g
                    .members
                    .iter()
                    .filter(|&&m| matched.get(m) == Some(&true))
                    .filter_map(|&m| roll.electors.get(m))
                    .collect();
                if twins.is_empty() {
                    continue;
                }
                for &m in &g.members {
                    if matched.get(m) == Some(&false)
                        && let Some(e) = roll.electors.get(m)
                        && twins.iter().any(|t| entered_alike(e, t))
                        && let Some(c) = copy.get_mut(m)
                    {
                        *c = true;
                    }
                }
            }
            copy
        };
        let ec_copy = copies(&result.ec_duplicates, &ec_matched, &ec.roll);
        let sec_copy = copies(&result.sec_duplicates, &sec_matched, &sec.roll);
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
                    // In key order, whatever the order of the input rows.
                    let mut others: Vec<ElectorKey> = g
                        .members
                        .iter()
                        .filter(|&&o| o != m)
                        .filter_map(|&o| roll.electors.get(o).map(Elector::key))
                        .collect();
                    others.sort();
                    let others: Vec<String> = others.iter().map(ToString::to_string).collect();
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
        // The checks below run in three steps (the two rolls' logical
        // errors; the attribute checks; wards and EPICs), each parallel
        // inside: all side by side, their working sets (folded names,
        // spelling caches, EPIC maps) were alive at once and made the run's
        // peak memory at district size. Each returns its findings in roll (or
        // pair) order and they are appended in a fixed order, so the result
        // does not depend on the thread count.
        let (ec_logic, sec_logic) =
            rayon::join(|| logical_errors(&ec.roll), || logical_errors(&sec.roll));
        let attributes =
            attribute_mismatches(&ec.roll, &sec.roll, &result.pairs, checks.age_offset_years);
        let (wards, epics) = rayon::join(
            || {
                wrong_wards(
                    &ec.roll,
                    &sec.roll,
                    &result.pairs,
                    checks.ward_map.as_ref(),
                    &result.ec_duplicates,
                    &result.sec_duplicates,
                )
            },
            || {
                let mut next = group_id;
                let mut found = epic_conflicts(&ec.roll, &result.ec_duplicates, &mut next);
                found.extend(epic_conflicts(&sec.roll, &result.sec_duplicates, &mut next));
                found
            },
        );
        for part in [ec_logic, sec_logic, attributes, wards, epics] {
            findings.extend(part);
        }
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
        // Places are numbered in order of first appearance; each entry
        // knows its place's number, and counts go into arrays.
        let mut part_no: FastMap<(u32, u32), usize> = fast_map();
        let mut parts: Vec<PlaceCounts<(u32, u32)>> = Vec::new();
        let ec_place: Vec<Option<usize>> = self
            .ec
            .roll
            .electors
            .iter()
            .map(|e| match &e.location {
                Location::Assembly(a) => {
                    let key = (a.ac_no, a.part_no);
                    let slot = *part_no.entry(key).or_insert_with(|| {
                        parts.push(PlaceCounts::new(key));
                        parts.len() - 1
                    });
                    parts[slot].electors += 1;
                    Some(slot)
                }
                Location::LocalBody(_) => None,
            })
            .collect();
        let mut ward_no: FastMap<(&str, u32), usize> = fast_map();
        let mut wards: Vec<PlaceCounts<(&str, u32)>> = Vec::new();
        let sec_place: Vec<Option<usize>> = self
            .sec
            .roll
            .electors
            .iter()
            .map(|e| match &e.location {
                Location::LocalBody(l) => {
                    let key = (l.local_body.as_ref(), l.ward_no);
                    let slot = *ward_no.entry(key).or_insert_with(|| {
                        wards.push(PlaceCounts::new(key));
                        wards.len() - 1
                    });
                    wards[slot].electors += 1;
                    Some(slot)
                }
                Location::Assembly(_) => None,
            })
            .collect();
        let ec_at = |i: usize| ec_place.get(i).copied().flatten();
        let sec_at = |j: usize| sec_place.get(j).copied().flatten();
        for p in &self.result.pairs {
            if let Some(s) = ec_at(p.ec) {
                parts[s].matched += 1;
            }
            if let Some(s) = sec_at(p.sec) {
                wards[s].matched += 1;
            }
        }
        let mut totals = [0u64; KINDS];
        for f in &self.findings {
            let k = kind_index(f.kind);
            totals[k] += 1;
            if let Some(s) = f.ec.and_then(ec_at) {
                parts[s].kinds[k] += 1;
            }
            if let Some(s) = f.sec.and_then(sec_at) {
                wards[s].kinds[k] += 1;
            }
        }
        // Every checked kind is listed (zero included), and any other kind
        // that has findings.
        let mut checked = [false; KINDS];
        for &k in &self.checked {
            checked[kind_index(k)] = true;
        }
        let counts = |n: &[u64; KINDS]| -> BTreeMap<String, u64> {
            DiscrepancyKind::ALL
                .iter()
                .zip(n)
                .zip(checked)
                .filter(|((_, n), checked)| *checked || **n > 0)
                .map(|((k, n), _)| (k.as_str().to_string(), *n))
                .collect()
        };
        let mut by_part: Vec<PartSummary> = parts
            .into_iter()
            .map(|p| PartSummary {
                ac_no: p.key.0,
                part_no: p.key.1,
                electors: p.electors,
                matched: p.matched,
                discrepancies: counts(&p.kinds),
            })
            .collect();
        by_part.sort_by_key(|p| (p.ac_no, p.part_no));
        let mut by_ward: Vec<WardSummary> = wards
            .into_iter()
            .map(|w| WardSummary {
                local_body: w.key.0.to_string(),
                ward_no: w.key.1,
                electors: w.electors,
                matched: w.matched,
                discrepancies: counts(&w.kinds),
            })
            .collect();
        by_ward.sort_by(|a, b| (&a.local_body, a.ward_no).cmp(&(&b.local_body, b.ward_no)));
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
            discrepancies: counts(&totals),
            by_part,
            by_ward,
        }
    }
}

pub(crate) use rollrec_model::hash::{FastMap, fast_map};

/// Number of discrepancy kinds.
const KINDS: usize = DiscrepancyKind::ALL.len();

/// A kind's position in [`DiscrepancyKind::ALL`].
fn kind_index(kind: DiscrepancyKind) -> usize {
    DiscrepancyKind::ALL
        .iter()
        .position(|&k| k == kind)
        .expect("DiscrepancyKind::ALL lists every kind")
}

/// Counts of one part or ward while the summary is made.
struct PlaceCounts<K> {
    key: K,
    electors: u64,
    matched: u64,
    kinds: [u64; KINDS],
}

impl<K> PlaceCounts<K> {
    fn new(key: K) -> Self {
        PlaceCounts {
            key,
            electors: 0,
            matched: 0,
            kinds: [0; KINDS],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ec_at, sec_at};
    use rollrec_match::MatchPair;
    use rollrec_model::RollKind;

    /// EC: a matched entry and an unmatched one grouped with it as a
    /// duplicate; SEC: the matched entry's partner.
    fn grouped(copy: Elector) -> Report {
        let mut ec = Roll::new(RollKind::Assembly);
        ec.electors.push(ec_at(1, 1, "Asha Das", 34));
        ec.electors.push(copy);
        let mut sec = Roll::new(RollKind::LocalBody);
        sec.electors.push(sec_at(1, 1, "Asha Das", 34));
        let mut result = MatchResult::default();
        result.pairs.push(MatchPair {
            ec: 0,
            sec: 0,
            score: 0.99,
            method: "test",
            weights: Default::default(),
        });
        result.unmatched_ec.push(1);
        result.ec_duplicates.push(DuplicateGroup {
            members: vec![0, 1],
            score: 0.9,
        });
        Report::new(
            ReadOutcome::from_roll("ec.csv", ec),
            ReadOutcome::from_roll("sec.csv", sec),
            "test",
            result,
        )
    }

    fn kinds(r: &Report) -> Vec<DiscrepancyKind> {
        r.findings
            .iter()
            .filter(|f| f.kind != DiscrepancyKind::LogicalError)
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn a_copy_entered_alike_is_a_duplicate_not_missing() {
        let r = grouped(ec_at(2, 5, "ASHA  DAS", 35));
        assert_eq!(
            kinds(&r),
            [
                DiscrepancyKind::DuplicateInEc,
                DiscrepancyKind::DuplicateInEc
            ]
        );
    }

    #[test]
    fn a_different_person_in_the_group_stays_missing() {
        // Another age and relative: a namesake, not a copy.
        let mut other = ec_at(2, 5, "Asha Das", 60);
        other.relative_name = Some("Gopal Das".into());
        let r = grouped(other);
        assert_eq!(
            kinds(&r),
            [
                DiscrepancyKind::MissingInSec,
                DiscrepancyKind::DuplicateInEc,
                DiscrepancyKind::DuplicateInEc
            ]
        );
    }

    #[test]
    fn summary_counts_per_place_and_kind() {
        let r = grouped(ec_at(2, 5, "Asha Das", 60));
        let s = r.summary();
        s.check().expect("rows are conserved");
        assert_eq!(s.by_part.len(), 2);
        assert_eq!(
            (
                s.by_part[0].part_no,
                s.by_part[0].electors,
                s.by_part[0].matched
            ),
            (1, 1, 1)
        );
        assert_eq!(s.by_part[1].discrepancies["duplicate_in_ec"], 1);
        assert_eq!(s.discrepancies["duplicate_in_ec"], 2);
        // Every checked kind is listed, zero included.
        assert_eq!(s.discrepancies["wrong_ward"], 0);
        assert_eq!(s.by_ward.len(), 1);
        assert_eq!(s.by_ward[0].matched, 1);
    }
}
