//! The vocabulary of findings, shared by the report, the synthetic
//! ground truth and the evaluator.

use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// A matched pair whose entries disagree on a field.
    AttributeMismatch,
    /// A matched pair whose SEC ward is not the ward the EC part maps to.
    WrongWard,
    /// One person entered more than once in the assembly roll.
    DuplicateInEc,
    /// One person entered more than once in the local-body roll.
    DuplicateInSec,
    /// An EPIC on two different people, or one person under two EPICs.
    EpicConflict,
    /// A candidate pair too uncertain to accept or reject.
    AmbiguousMatch,
    /// An entry that contradicts itself (age, relation, EPIC form).
    LogicalError,
}

impl DiscrepancyKind {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            DiscrepancyKind::MissingInSec => "missing_in_sec",
            DiscrepancyKind::MissingInEc => "missing_in_ec",
            DiscrepancyKind::AttributeMismatch => "attribute_mismatch",
            DiscrepancyKind::WrongWard => "wrong_ward",
            DiscrepancyKind::DuplicateInEc => "duplicate_in_ec",
            DiscrepancyKind::DuplicateInSec => "duplicate_in_sec",
            DiscrepancyKind::EpicConflict => "epic_conflict",
            DiscrepancyKind::AmbiguousMatch => "ambiguous_match",
            DiscrepancyKind::LogicalError => "logical_error",
        }
    }

    /// Every kind, in report order.
    pub const ALL: [DiscrepancyKind; 9] = [
        DiscrepancyKind::MissingInSec,
        DiscrepancyKind::MissingInEc,
        DiscrepancyKind::AttributeMismatch,
        DiscrepancyKind::WrongWard,
        DiscrepancyKind::DuplicateInEc,
        DiscrepancyKind::DuplicateInSec,
        DiscrepancyKind::EpicConflict,
        DiscrepancyKind::AmbiguousMatch,
        DiscrepancyKind::LogicalError,
    ];
}

impl fmt::Display for DiscrepancyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
