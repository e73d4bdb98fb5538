//! Matching the electors of an assembly (EC) roll with those of a
//! local-body (SEC) roll.
//!
//! A [`Matcher`] takes both rolls and returns a [`MatchResult`]: one-to-one
//! pairs, each with a score and the rule that made it, and the entries of
//! each roll left unmatched. Every accepted entry of each roll is either in
//! exactly one pair or in its roll's unmatched list; [`MatchResult::check`]
//! verifies that.
//!
//! This crate currently ships one matcher, [`ExactMatcher`]: deliberately
//! simple rules that only pair entries whose evidence agrees exactly and
//! unambiguously. It finds no spelling variants, no cross-script pairs
//! without an English twin, and no one who moved part; the matching engine
//! replaces it.
//!
//! ```
//! use rollrec_match::{ExactMatcher, Matcher};
//! use rollrec_model::{AssemblyLocation, Elector, LocalBodyLocation, Location, Roll, RollKind};
//!
//! fn person(location: Location, serial_no: u32, name: &str) -> Elector {
//!     Elector {
//!         state_code: None, location, serial_no, epic: None, name: name.into(),
//!         relation_type: None, relative_name: Some("Ram Das".into()), house_no: None,
//!         age: None, gender: None, name_en: None, relative_name_en: None, line: 0,
//!     }
//! }
//! let part = Location::Assembly(AssemblyLocation { ac_no: 1, part_no: 1, section_no: None });
//! let ward = Location::LocalBody(LocalBodyLocation {
//!     local_body: "GP".into(), ward_no: 1, ac_no: Some(1), part_no: Some(1),
//! });
//! let mut ec = Roll::new(RollKind::Assembly);
//! ec.electors.push(person(part.clone(), 1, "Asha Das"));
//! ec.electors.push(person(part, 2, "Gita Das"));
//! let mut sec = Roll::new(RollKind::LocalBody);
//! sec.electors.push(person(ward, 7, "ASHA  DAS"));
//!
//! let result = ExactMatcher.match_rolls(&ec, &sec);
//! assert_eq!(result.pairs.len(), 1);
//! assert_eq!((result.pairs[0].ec, result.pairs[0].sec), (0, 0));
//! assert_eq!(result.unmatched_ec, vec![1]);
//! result.check(ec.len(), sec.len()).expect("every entry accounted for");
//! ```

mod exact;
pub mod fs;

pub use exact::ExactMatcher;

pub use fs::{FsConfig, FsMatcher, FsParams, FsRun};

use rollrec_model::Roll;

/// One matched pair: indices into the EC and SEC rolls' `electors`.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchPair {
    /// Index of the EC entry.
    pub ec: usize,
    /// Index of the SEC entry.
    pub sec: usize,
    /// Confidence that the two entries are one person, in [0, 1].
    pub score: f64,
    /// The rule or model that made the pair (written to `matches.csv`).
    pub method: &'static str,
    /// Per-field contributions to the score (log2 match weights), for a
    /// reviewer to see why; fields missing on a side are left out; empty
    /// for rule-based matchers.
    pub weights: FieldWeights,
}

/// The per-field log2 match weights of one pair, field by field in the
/// order of [`fs::FIELDS`]; `None` where the field says nothing (missing on
/// a side), all `None` for a rule-based matcher. Held inline: a list per
/// pair took about 240 bytes of a district-size run's memory per pair.
///
/// ```
/// use rollrec_match::FieldWeights;
/// let mut w = FieldWeights::default();
/// w.set("age", 2.5);
/// assert_eq!(w.get("age"), Some(2.5));
/// assert_eq!(w.get("name"), None);
/// assert_eq!(w.iter().collect::<Vec<_>>(), [("age", 2.5)]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FieldWeights([Option<f64>; fs::FIELDS.len()]);

impl FieldWeights {
    /// The weight of `field` (one of [`fs::FIELDS`]), if it has one.
    pub fn get(&self, field: &str) -> Option<f64> {
        let k = fs::FIELDS.iter().position(|f| *f == field)?;
        self.0[k]
    }

    /// Sets the weight of `field`; a name not in [`fs::FIELDS`] is ignored.
    pub fn set(&mut self, field: &str, weight: f64) {
        if let Some(k) = fs::FIELDS.iter().position(|f| *f == field) {
            self.0[k] = Some(weight);
        }
    }

    /// The fields that have a weight, with it, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        fs::FIELDS
            .iter()
            .zip(self.0)
            .filter_map(|(f, w)| Some((*f, w?)))
    }

    /// Whether no field has a weight.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

/// What a matcher found. Pairs are sorted by EC index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchResult {
    /// One-to-one pairs.
    pub pairs: Vec<MatchPair>,
    /// EC entries in no pair, ascending.
    pub unmatched_ec: Vec<usize>,
    /// SEC entries in no pair, ascending.
    pub unmatched_sec: Vec<usize>,
    /// Pairs too uncertain to accept, between unmatched entries, for a
    /// person to review; sorted by EC index. Not part of row conservation.
    pub review: Vec<MatchPair>,
    /// Groups of EC entries that are one person entered more than once.
    pub ec_duplicates: Vec<DuplicateGroup>,
    /// Groups of SEC entries that are one person entered more than once.
    pub sec_duplicates: Vec<DuplicateGroup>,
    /// Whether the matcher looked for duplicates (an empty list then means
    /// none were found, not that none were sought).
    pub duplicates_checked: bool,
    /// Whether the matcher keeps a review band.
    pub review_checked: bool,
}

/// Entries of one roll judged to be the same person.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateGroup {
    /// Indices into the roll, ascending; at least two.
    pub members: Vec<usize>,
    /// The weakest match probability among the pairs that joined the group.
    pub score: f64,
}

/// A broken [`MatchResult`] invariant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("match result invariant broken: {0}")]
pub struct InvariantError(String);

impl MatchResult {
    /// Builds a result from pairs, filling in the unmatched lists.
    /// Pairs are sorted by EC index.
    pub fn from_pairs(mut pairs: Vec<MatchPair>, ec_len: usize, sec_len: usize) -> Self {
        pairs.sort_by_key(|p| (p.ec, p.sec));
        let mut ec_used = vec![false; ec_len];
        let mut sec_used = vec![false; sec_len];
        for p in &pairs {
            if let Some(u) = ec_used.get_mut(p.ec) {
                *u = true;
            }
            if let Some(u) = sec_used.get_mut(p.sec) {
                *u = true;
            }
        }
        let unused = |used: Vec<bool>| -> Vec<usize> {
            used.iter()
                .enumerate()
                .filter(|(_, u)| !**u)
                .map(|(i, _)| i)
                .collect()
        };
        MatchResult {
            unmatched_ec: unused(ec_used),
            unmatched_sec: unused(sec_used),
            pairs,
            review: Vec::new(),
            ec_duplicates: Vec::new(),
            sec_duplicates: Vec::new(),
            duplicates_checked: false,
            review_checked: false,
        }
    }

    /// Checks row conservation: every EC index below `ec_len` (and SEC
    /// index below `sec_len`) is in exactly one pair or in the unmatched
    /// list, and scores lie in [0, 1].
    pub fn check(&self, ec_len: usize, sec_len: usize) -> Result<(), InvariantError> {
        let mut ec_seen = vec![0u32; ec_len];
        let mut sec_seen = vec![0u32; sec_len];
        let bump = |seen: &mut Vec<u32>, i: usize, side: &str| match seen.get_mut(i) {
            Some(n) => {
                *n += 1;
                Ok(())
            }
            None => Err(InvariantError(format!("{side} index {i} is out of range"))),
        };
        for p in &self.pairs {
            bump(&mut ec_seen, p.ec, "ec")?;
            bump(&mut sec_seen, p.sec, "sec")?;
            if !(0.0..=1.0).contains(&p.score) {
                return Err(InvariantError(format!("score {} outside [0, 1]", p.score)));
            }
        }
        for &i in &self.unmatched_ec {
            bump(&mut ec_seen, i, "ec")?;
        }
        for &i in &self.unmatched_sec {
            bump(&mut sec_seen, i, "sec")?;
        }
        for (side, seen) in [("ec", &ec_seen), ("sec", &sec_seen)] {
            if let Some(i) = seen.iter().position(|&n| n != 1) {
                return Err(InvariantError(format!(
                    "{side} entry {i} appears {} times (expected once)",
                    seen[i]
                )));
            }
        }
        Ok(())
    }
}

/// Pairs the entries of an EC roll with those of an SEC roll.
///
/// Implementations must be deterministic: the same rolls give the same
/// result whatever the thread count.
pub trait Matcher {
    /// A short name for reports, e.g. `exact-v1`.
    fn name(&self) -> &'static str;

    /// Matches `ec` (an assembly roll) against `sec` (a local-body roll).
    fn match_rolls(&self, ec: &Roll, sec: &Roll) -> MatchResult;
}
