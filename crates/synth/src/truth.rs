//! The ground-truth file `truth.csv`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The columns of `truth.csv`, in order.
pub const TRUTH_COLUMNS: &[&str] = &[
    "kind",
    "ec_ac_no",
    "ec_part_no",
    "ec_serial_no",
    "sec_local_body",
    "sec_ward_no",
    "sec_serial_no",
    "group_id",
    "fields",
    "detail",
];

/// What a truth row states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TruthKind {
    /// The EC entry and the SEC entry are the same person.
    Pair,
    /// An EC entry whose person has no SEC entry.
    MissingInSec,
    /// An SEC entry whose person has no EC entry.
    MissingInEc,
    /// A true pair whose SEC entry differs in a substantive attribute.
    AttributeMismatch,
    /// A true pair whose SEC entry sits in the wrong ward.
    WrongWard,
    /// One member of a group of EC entries of one person.
    DuplicateInEc,
    /// One member of a group of SEC entries of one person.
    DuplicateInSec,
    /// One entry of a group of entries of different people printing the same
    /// EPIC, within one roll.
    EpicConflict,
    /// An entry with a logical error.
    LogicalError,
}

impl TruthKind {
    /// The name written in the `kind` column (the discrepancy kinds are the
    /// names `rollrec reconcile` writes in `discrepancies.csv`).
    pub fn as_str(self) -> &'static str {
        match self {
            TruthKind::Pair => "pair",
            TruthKind::MissingInSec => "missing_in_sec",
            TruthKind::MissingInEc => "missing_in_ec",
            TruthKind::AttributeMismatch => "attribute_mismatch",
            TruthKind::WrongWard => "wrong_ward",
            TruthKind::DuplicateInEc => "duplicate_in_ec",
            TruthKind::DuplicateInSec => "duplicate_in_sec",
            TruthKind::EpicConflict => "epic_conflict",
            TruthKind::LogicalError => "logical_error",
        }
    }
}

impl fmt::Display for TruthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of `truth.csv`. Cells of a side that does not apply are blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthRow {
    /// What the row states.
    pub kind: TruthKind,
    /// EC key: AC number.
    pub ec_ac_no: Option<u32>,
    /// EC key: part number.
    pub ec_part_no: Option<u32>,
    /// EC key: serial number.
    pub ec_serial_no: Option<u32>,
    /// SEC key: local body.
    pub sec_local_body: Option<String>,
    /// SEC key: ward number.
    pub sec_ward_no: Option<u32>,
    /// SEC key: serial number.
    pub sec_serial_no: Option<u32>,
    /// The person (`AC-PART-INDEX`, `AC-PART-xN` for a person only on the SEC
    /// roll) for pair, missing, mismatch, wrong-ward and duplicate rows; the
    /// conflict (`CAC-PART-N`) for EPIC conflicts; blank for logical errors.
    pub group_id: String,
    /// The fields concerned, `;`-separated.
    pub fields: String,
    /// A human-readable note.
    pub detail: String,
}
