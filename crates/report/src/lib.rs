//! Turning a match result into findings, a summary and report files.
//!
//! A [`Report`] holds both rolls as read (accepted entries and rejected
//! rows), the matcher's pairs and the [`Finding`]s derived from them.
//! [`Report::write`] writes `matches.csv`, `discrepancies.csv`,
//! `rejects.csv` and `summary.json` into a directory, all or nothing.
//!
//! ```
//! use rollrec_match::MatchResult;
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

mod write;

use std::collections::BTreeMap;
use std::fmt;

use rollrec_match::MatchResult;
use rollrec_model::{Elector, ReadOutcome};
use serde::{Deserialize, Serialize};

pub use write::{
    DISCREPANCY_COLUMNS, MATCH_COLUMNS, REJECT_COLUMNS, ReportError, neutralize_formula,
};

/// The kinds of finding, as written in the `kind` column of
/// `discrepancies.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiscrepancyKind {
    /// In the assembly roll, not found in the local-body roll.
    MissingInSec,
    /// In the local-body roll, not found in the assembly roll.
    MissingInEc,
}

impl DiscrepancyKind {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            DiscrepancyKind::MissingInSec => "missing_in_sec",
            DiscrepancyKind::MissingInEc => "missing_in_ec",
        }
    }

    /// Every kind, in report order.
    pub const ALL: [DiscrepancyKind; 2] =
        [DiscrepancyKind::MissingInSec, DiscrepancyKind::MissingInEc];
}

impl fmt::Display for DiscrepancyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Findings, EC-side kinds first, each in roll order.
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
    /// Builds the report: unmatched EC entries become `missing_in_sec`,
    /// unmatched SEC entries `missing_in_ec`.
    pub fn new(ec: ReadOutcome, sec: ReadOutcome, matcher: &str, result: MatchResult) -> Self {
        let mut findings =
            Vec::with_capacity(result.unmatched_ec.len() + result.unmatched_sec.len());
        for &i in &result.unmatched_ec {
            if let Some(e) = ec.roll.electors.get(i) {
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
            if let Some(e) = sec.roll.electors.get(j) {
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
        Report {
            ec,
            sec,
            matcher: matcher.to_string(),
            result,
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
        let mut discrepancies: BTreeMap<String, u64> = DiscrepancyKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), 0))
            .collect();
        for f in &self.findings {
            *discrepancies
                .entry(f.kind.as_str().to_string())
                .or_default() += 1;
        }
        Summary {
            rollrec_version: env!("CARGO_PKG_VERSION").to_string(),
            matcher: self.matcher.clone(),
            ec: side(&self.ec, self.result.unmatched_ec.len()),
            sec: side(&self.sec, self.result.unmatched_sec.len()),
            matched_pairs: self.result.pairs.len() as u64,
            discrepancies,
        }
    }
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
    /// Findings per kind (every kind listed, zero included).
    pub discrepancies: BTreeMap<String, u64>,
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
