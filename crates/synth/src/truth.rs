//! The ground-truth file `truth.csv`.

use rollrec_model::DiscrepancyKind;
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

/// What a truth row states: a true pair, or one of the discrepancy kinds
/// `rollrec reconcile` reports (the same vocabulary, from `rollrec-model`).
///
/// Written and read as its `kind` cell text (`pair`, `missing_in_sec`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TruthKind {
    /// The EC entry and the SEC entry are the same person.
    Pair,
    /// A discrepancy the generator made or knows of. `MissingInSec`: an EC
    /// entry whose person has no SEC entry; `MissingInEc`: the reverse;
    /// `AttributeMismatch` / `WrongWard`: a true pair whose SEC entry
    /// differs in a substantive attribute / sits in the wrong ward;
    /// `DuplicateInEc` / `DuplicateInSec`: one member of a group of entries
    /// of one person; `EpicConflict`: one entry of a group of different
    /// people printing the same EPIC within one roll; `LogicalError`: an
    /// entry with a logical error.
    Discrepancy(DiscrepancyKind),
}

impl TruthKind {
    /// The name written in the `kind` column (the discrepancy kinds are the
    /// names `rollrec reconcile` writes in `discrepancies.csv`).
    pub fn as_str(self) -> &'static str {
        match self {
            TruthKind::Pair => "pair",
            TruthKind::Discrepancy(k) => k.as_str(),
        }
    }

    /// Reads a `kind` cell.
    pub fn parse(text: &str) -> Option<TruthKind> {
        if text == "pair" {
            return Some(TruthKind::Pair);
        }
        DiscrepancyKind::ALL
            .iter()
            .find(|k| k.as_str() == text)
            .map(|&k| TruthKind::Discrepancy(k))
    }
}

impl From<DiscrepancyKind> for TruthKind {
    fn from(k: DiscrepancyKind) -> Self {
        TruthKind::Discrepancy(k)
    }
}

impl fmt::Display for TruthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TruthKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TruthKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TruthKind::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown truth kind {text:?}")))
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
