//! The elector record model shared by every rollrec crate.
//!
//! Two kinds of roll are reconciled:
//!
//! * the **assembly roll** kept by the Election Commission (EC), located by
//!   assembly constituency, part and (optionally) section;
//! * the **local-body roll** kept by a State Election Commission (SEC),
//!   located by local body and ward, with an optional back-reference to the
//!   assembly part it was cut from.
//!
//! Both carry the same personal fields. Field values arrive as text from many
//! sources, so the parsers here accept the spellings seen on real rolls:
//! Indic digits, English and vernacular gender and relation words, EPIC
//! numbers with stray spaces.
//!
//! ```
//! use rollrec_model::{Epic, EpicForm, Gender, RelationType, parse_number};
//!
//! assert_eq!(Gender::parse("पुरुष"), Some(Gender::Male));
//! assert_eq!(RelationType::parse("W/O"), Some(RelationType::Husband));
//! assert_eq!(parse_number("১২৩"), Some(123));
//! let epic = Epic::parse(" abc 1234567 ").expect("not blank");
//! assert_eq!(epic.as_str(), "ABC1234567");
//! assert_eq!(epic.form(), EpicForm::Current);
//! ```

mod digits;
mod epic;
mod fields;
pub mod hash;
mod kinds;
mod text;

pub use digits::{indic_digit_value, parse_number};
pub use epic::{Epic, EpicForm};
pub use fields::{Gender, RelationType};
pub use kinds::DiscrepancyKind;
pub use text::{fold_text, normalize_house};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Which roll a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollKind {
    /// The EC assembly roll.
    Assembly,
    /// An SEC local-body roll.
    LocalBody,
}

impl RollKind {
    /// Short lower-case name used in output files: `ec` or `sec`.
    pub fn short_name(self) -> &'static str {
        match self {
            RollKind::Assembly => "ec",
            RollKind::LocalBody => "sec",
        }
    }
}

impl fmt::Display for RollKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short_name())
    }
}

/// Where an assembly-roll entry sits: constituency, part, section.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssemblyLocation {
    /// Assembly constituency number, within the state.
    pub ac_no: u32,
    /// Part (polling station area) number, within the AC.
    pub part_no: u32,
    /// Section (locality) number, within the part.
    pub section_no: Option<u32>,
}

/// Where a local-body-roll entry sits: local body and ward, plus the assembly
/// part it was cut from when the SEC roll records it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalBodyLocation {
    /// Local body (gram panchayat, municipality, corporation): a name or code.
    /// Shared: the reader gives the entries of one local body one copy.
    pub local_body: Arc<str>,
    /// Ward number, within the local body.
    pub ward_no: u32,
    /// Back-reference: the AC the entry was taken from, if recorded.
    pub ac_no: Option<u32>,
    /// Back-reference: the part the entry was taken from, if recorded.
    pub part_no: Option<u32>,
}

/// The location of an entry, by roll kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// An assembly-roll location.
    Assembly(AssemblyLocation),
    /// A local-body-roll location.
    LocalBody(LocalBodyLocation),
}

impl Location {
    /// The kind of roll this location belongs to.
    pub fn kind(&self) -> RollKind {
        match self {
            Location::Assembly(_) => RollKind::Assembly,
            Location::LocalBody(_) => RollKind::LocalBody,
        }
    }

    /// The assembly part this entry belongs to, or was cut from: the part of
    /// an assembly entry, or the back-reference of a local-body entry when
    /// both its AC and part are recorded.
    pub fn assembly_part(&self) -> Option<(u32, u32)> {
        match self {
            Location::Assembly(a) => Some((a.ac_no, a.part_no)),
            Location::LocalBody(l) => Some((l.ac_no?, l.part_no?)),
        }
    }
}

/// The key of a row inside one roll. Keys are unique within a roll: the
/// reader rejects a row that repeats an earlier key.
///
/// * assembly roll: (`ac_no`, `part_no`, `serial_no`)
/// * local-body roll: (`local_body`, `ward_no`, `serial_no`)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ElectorKey {
    /// Key of an assembly-roll row.
    Assembly {
        /// Assembly constituency number.
        ac_no: u32,
        /// Part number.
        part_no: u32,
        /// Serial number within the part.
        serial_no: u32,
    },
    /// Key of a local-body-roll row.
    LocalBody {
        /// Local body name or code.
        local_body: String,
        /// Ward number.
        ward_no: u32,
        /// Serial number within the ward.
        serial_no: u32,
    },
}

impl ElectorKey {
    /// Parses a key of a roll of `kind` written with slashes: `AC/PART/SERIAL`
    /// for an assembly roll (`12/3/45`), `LOCAL_BODY/WARD/SERIAL` for a
    /// local-body roll (`GP012-03/2/17`; the local body is everything before
    /// the last two slashes).
    ///
    /// ```
    /// use rollrec_model::{ElectorKey, RollKind};
    ///
    /// let k = ElectorKey::parse(RollKind::LocalBody, "GP012-03/2/17").unwrap();
    /// assert_eq!(k.to_string(), "GP012-03 ward 2 serial 17");
    /// assert!(ElectorKey::parse(RollKind::Assembly, "12/x/45").is_err());
    /// ```
    pub fn parse(kind: RollKind, text: &str) -> Result<ElectorKey, String> {
        let form = match kind {
            RollKind::Assembly => "AC/PART/SERIAL, e.g. 12/3/45",
            RollKind::LocalBody => "LOCAL_BODY/WARD/SERIAL, e.g. GP012-03/2/17",
        };
        let bad = || format!("{text:?} is not a key: expected {form}");
        let mut parts = text.trim().rsplitn(3, '/');
        let (Some(serial), Some(middle), Some(first)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let num = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
        Ok(match kind {
            RollKind::Assembly => ElectorKey::Assembly {
                ac_no: num(first)?,
                part_no: num(middle)?,
                serial_no: num(serial)?,
            },
            RollKind::LocalBody => {
                let local_body = first.trim();
                if local_body.is_empty() {
                    return Err(bad());
                }
                ElectorKey::LocalBody {
                    local_body: local_body.to_string(),
                    ward_no: num(middle)?,
                    serial_no: num(serial)?,
                }
            }
        })
    }
}

impl fmt::Display for ElectorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElectorKey::Assembly {
                ac_no,
                part_no,
                serial_no,
            } => write!(f, "AC {ac_no} part {part_no} serial {serial_no}"),
            ElectorKey::LocalBody {
                local_body,
                ward_no,
                serial_no,
            } => write!(f, "{local_body} ward {ward_no} serial {serial_no}"),
        }
    }
}

/// One entry of a roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elector {
    /// EC state code (`S25`, `U07`, ...), if given. Shared: the reader
    /// gives the entries of one state one copy.
    pub state_code: Option<Arc<str>>,
    /// Where the entry sits in its roll.
    pub location: Location,
    /// Serial number within the part (EC) or ward (SEC).
    pub serial_no: u32,
    /// EPIC (voter id) number; strong evidence, never a key.
    pub epic: Option<Epic>,
    /// Name as printed, in the roll's script.
    pub name: Box<str>,
    /// Relation of the elector to `relative_name`.
    pub relation_type: Option<RelationType>,
    /// Father's, mother's, husband's, wife's or other relative's name.
    pub relative_name: Option<Box<str>>,
    /// House number, free text as printed.
    pub house_no: Option<Box<str>>,
    /// Age in years on the roll's qualifying date.
    pub age: Option<u8>,
    /// Gender.
    pub gender: Option<Gender>,
    /// English twin of `name` on a bilingual roll.
    pub name_en: Option<Box<str>>,
    /// English twin of `relative_name` on a bilingual roll.
    pub relative_name_en: Option<Box<str>>,
    /// 1-based line of the input file the entry was read from (0 when the
    /// entry was not read from a file).
    pub line: u64,
}

impl Elector {
    /// The roll-unique key of this entry.
    pub fn key(&self) -> ElectorKey {
        match &self.location {
            Location::Assembly(a) => ElectorKey::Assembly {
                ac_no: a.ac_no,
                part_no: a.part_no,
                serial_no: self.serial_no,
            },
            Location::LocalBody(l) => ElectorKey::LocalBody {
                local_body: l.local_body.to_string(),
                ward_no: l.ward_no,
                serial_no: self.serial_no,
            },
        }
    }

    /// The kind of roll this entry belongs to.
    pub fn kind(&self) -> RollKind {
        self.location.kind()
    }
}

/// A parsed roll: its kind and its accepted entries, in input order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roll {
    /// Which roll this is.
    pub kind: RollKind,
    /// Accepted entries, in input order. Keys are unique.
    pub electors: Vec<Elector>,
}

impl Roll {
    /// An empty roll of the given kind.
    pub fn new(kind: RollKind) -> Self {
        Roll {
            kind,
            electors: Vec::new(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.electors.len()
    }

    /// Whether the roll has no entries.
    pub fn is_empty(&self) -> bool {
        self.electors.is_empty()
    }
}

/// A data row that could not be accepted, with where it came from and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// Which roll the row belongs to.
    pub roll: RollKind,
    /// The file it was read from, as given by the caller.
    pub file: String,
    /// 1-based line number where the row starts.
    pub line: u64,
    /// What was wrong, naming the column and what was expected.
    pub reason: String,
    /// The row's fields re-joined as CSV (invalid UTF-8 shown as U+FFFD).
    pub raw: String,
}

/// A roll as read from a source, with the rows that were rejected.
///
/// Invariant (row conservation): `rows_read == roll.len() + rejects.len()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOutcome {
    /// Where the roll was read from, as given by the caller.
    pub file: String,
    /// The accepted entries.
    pub roll: Roll,
    /// The rejected rows, in input order.
    pub rejects: Vec<Reject>,
    /// Data rows read (a header not counted).
    pub rows_read: u64,
}

impl ReadOutcome {
    /// Wraps a roll that was built in memory: every row accepted.
    pub fn from_roll(file: &str, roll: Roll) -> Self {
        ReadOutcome {
            file: file.to_string(),
            rows_read: roll.len() as u64,
            roll,
            rejects: Vec::new(),
        }
    }
}
