//! Why a given EC entry and SEC entry were, or were not, taken for one
//! person: the blocking passes that propose the pair, each field's level
//! and weight, and the match probability against the thresholds.

use rollrec_model::Roll;

use super::compare::{self, FIELDS, NULL};
use super::{FsMatcher, FsParams, PASSES, Scorer, TermFrequencies, block, prep, probability};

/// One field of an explained pair.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldExplanation {
    /// The field (`name`, `relative`, `age`, `gender`, `relation`,
    /// `house`, `epic`).
    pub field: &'static str,
    /// Its level (0 = full disagreement up to full agreement), `None` when
    /// a side lacks the value (the field then weighs 0).
    pub level: Option<u8>,
    /// What the level means, in words.
    pub meaning: &'static str,
    /// Its weight (log2 of m/u, with the term-frequency adjustment of an
    /// exact name agreement).
    pub weight: f64,
}

/// Why a pair was or was not matched (see [`FsMatcher::explain`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PairExplanation {
    /// The blocking passes that propose the pair, in pass order; empty when
    /// none does (the engine never compared the two entries).
    pub passes: Vec<&'static str>,
    /// Field by field.
    pub fields: Vec<FieldExplanation>,
    /// The prior weight (the share of true pairs among all pairs).
    pub prior: f64,
    /// Prior plus the field weights.
    pub total: f64,
    /// The match probability the total gives.
    pub probability: f64,
    /// Probability at or above which a pair may be accepted.
    pub match_threshold: f64,
    /// Probability at or above which an unaccepted pair goes to review.
    pub review_threshold: f64,
}

fn meaning(field: usize, level: u8) -> &'static str {
    match (field, level) {
        (_, NULL) => "missing on a side",
        (0, 4) | (1, 3) => "equal after normalisation",
        (0, 3) | (1, 2) => "close (similarity 0.92 or more)",
        (0, 2) | (1, 1) => "similar (similarity 0.80 to 0.92)",
        (0, 1) => "alike (similarity 0.65 to 0.80)",
        (0, _) => "different (similarity under 0.65)",
        (1, _) => "different (similarity under 0.80)",
        (2, 3) => "under a year apart after the date shift",
        (2, 2) => "1 to 2 years apart",
        (2, 1) => "2 to 3 years apart",
        (2, _) => "more than 3 years apart",
        (3, 1) | (5, 1) => "equal",
        (3, _) | (5, _) => "different",
        (4, 2) => "equal",
        (4, 1) => "father on one side, husband on the other",
        (4, _) => "different",
        (6, 2) => "equal",
        (6, 1) => "one character apart",
        _ => "different",
    }
}

impl FsMatcher {
    /// Explains the pair of `ec_roll.electors[ec]` and
    /// `sec_roll.electors[sec]` under `params` (those a run used, see
    /// [`super::FsRun::params`]): which blocking passes propose it, each
    /// field's level and weight, and the match probability. `None` when an
    /// index is out of range.
    ///
    /// Prepares both rolls and runs the blocking passes again, so it costs
    /// about as much as those two phases of a run.
    pub fn explain(
        &self,
        ec_roll: &Roll,
        sec_roll: &Roll,
        params: &FsParams,
        ec: usize,
        sec: usize,
    ) -> Option<PairExplanation> {
        if ec >= ec_roll.len() || sec >= sec_roll.len() {
            return None;
        }
        let c = &self.config;
        let p = prep::prepare(ec_roll, sec_roll, c.age_offset_years);
        let i = p.ec_at.iter().position(|&k| k == ec)?;
        let j = p.sec_at.iter().position(|&k| k == sec)?;
        let (lists, _) = block::passes(&p.names, &p.ec, &p.sec, c.block_cap);
        let key = block::pack(u32::try_from(i).ok()?, u32::try_from(j).ok()?);
        let passes = PASSES
            .iter()
            .zip(&lists)
            .filter(|(_, list)| list.binary_search(&key).is_ok())
            .map(|(name, _)| *name)
            .collect();
        let pattern = compare::compare(&p.names, &p.ec[i], &p.sec[j]);
        let tf = TermFrequencies::new(&p.names, &p.ec, &p.sec);
        let scorer = Scorer::new(params, &p.names, &tf);
        let weights = scorer.weights(&p.ec[i], &p.sec[j], &pattern);
        let fields = FIELDS
            .iter()
            .enumerate()
            .map(|(f, field)| FieldExplanation {
                field,
                level: (pattern[f] != NULL).then_some(pattern[f]),
                meaning: meaning(f, pattern[f]),
                weight: weights[f],
            })
            .collect();
        let prior = params.prior_weight();
        let total = prior + weights.iter().sum::<f64>();
        Some(PairExplanation {
            passes,
            fields,
            prior,
            total,
            probability: probability(total),
            match_threshold: c.match_threshold,
            review_threshold: c.review_threshold,
        })
    }
}
