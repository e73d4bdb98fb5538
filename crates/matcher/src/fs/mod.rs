//! The probabilistic matching engine: blocking, field comparison,
//! Fellegi-Sunter scoring with parameters estimated from the rolls
//! themselves, and one-to-one assignment.
//!
//! 1. **Prepare** every entry once ([`prep`]): names normalised across
//!    scripts by `rollrec-names` (the printed name and its English twin),
//!    ages moved to the EC roll's qualifying date, house numbers and EPICs
//!    normalised.
//! 2. **Block** ([`block`]): six passes propose candidate pairs — same
//!    EPIC; EPIC one substitution apart and age band; same area, name
//!    skeleton and age band; same area, relative-name skeleton and age
//!    band; the same exact name, exact relative name and age band anywhere
//!    in the AC (the SEC side's AC from its back-reference or its ward's
//!    parts); same area and house number. An area is an assembly part: an SEC entry's back-reference,
//!    or the parts its ward was cut from (learnt from the EPIC pairs) when
//!    the roll has none. Age bands are 4 years wide and overlap, so a
//!    2-year drift never splits a pair; an age that differs more is left
//!    to the EPIC and house passes. Blocks larger than a cap are skipped in
//!    that pass (very common names), counted in the pass statistics.
//! 3. **Compare** ([`compare`]) each candidate field by field into levels:
//!    name, relative name, age, gender, relation, house, EPIC.
//! 4. **Score**: Fellegi-Sunter weights `log2(m/u)` per field. u comes from
//!    random EC x SEC pairs, m and the prior from expectation-maximisation
//!    over the candidates' level patterns (unlabelled), or built-in
//!    defaults when the rolls are too small to learn from. An exact name or
//!    relative-name agreement is weighted by how rare that name is (term
//!    frequency), so a shared rare name counts for more than a shared
//!    common one.
//! 5. **Assign** one-to-one, greedily by weight, pairs whose match
//!    probability reaches the threshold; pairs in the review band between
//!    entries left unmatched become review pairs.
//!
//! Output does not depend on the thread count: candidates are sorted,
//! pattern counts are integers, EM visits patterns in key order, and
//! ties are broken by index.

mod block;
mod compare;
mod explain;
mod params;
mod prep;

pub use block::{PASSES, PassStats};
pub use compare::{FIELDS, LEVELS};
pub use explain::{FieldExplanation, PairExplanation};
pub use params::{FieldParams, FsParams, ParamsError, ParamsSource};

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use rollrec_model::Roll;

use crate::{DuplicateGroup, MatchPair, MatchResult, Matcher};
use compare::{NAME_CLOSE, NAME_EXACT, NFIELDS, NULL, Pattern};
use prep::{NONE, Names, Prep};

/// Settings of the engine.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FsConfig {
    /// Years from the EC roll's qualifying date to the SEC roll's: an SEC
    /// age is expected to be the EC age plus this.
    pub age_offset_years: f64,
    /// Match probability at or above which a pair may be accepted.
    pub match_threshold: f64,
    /// Match probability at or above which an unaccepted pair is written
    /// for review.
    pub review_threshold: f64,
    /// Largest block (EC entries x SEC entries) one blocking pass expands.
    pub block_cap: u64,
    /// Random pairs drawn to estimate u.
    pub u_sample: usize,
    /// Fewest candidate pairs to train m by EM; below, defaults are used.
    pub min_pairs_to_train: usize,
    /// Most EM iterations.
    pub em_iterations: u32,
    /// Match probability at or above which two entries of one roll are
    /// the same person.
    pub duplicate_threshold: f64,
    /// Fixed parameters: skip estimation and use these.
    pub params: Option<FsParams>,
}

impl Default for FsConfig {
    fn default() -> Self {
        FsConfig {
            age_offset_years: 0.0,
            match_threshold: 0.5,
            review_threshold: 0.05,
            block_cap: 2_500,
            u_sample: 200_000,
            min_pairs_to_train: 2_000,
            em_iterations: 60,
            duplicate_threshold: 0.9,
            params: None,
        }
    }
}

/// The Fellegi-Sunter matcher.
#[derive(Debug, Clone, Default)]
pub struct FsMatcher {
    /// Its settings.
    pub config: FsConfig,
}

/// Everything one run of the engine produced, for reports and evaluation.
#[derive(Debug, Clone)]
pub struct FsRun {
    /// Pairs, unmatched entries and review pairs.
    pub result: MatchResult,
    /// The parameters used (trained, estimated, default or loaded).
    pub params: FsParams,
    /// What each blocking pass contributed.
    pub blocking: Vec<PassStats>,
    /// Candidate pairs compared.
    pub candidates: u64,
    /// Wall seconds of each phase, in order: prepare, block, compare,
    /// train, score, assign, duplicates.
    pub timings: Vec<(&'static str, f64)>,
}

/// Seed of the random pairs that estimate u between the rolls; a fixed
/// seed keeps runs identical.
const RANDOM_SEED: u64 = 0x0072_6f6c_6c72_6563;
/// Seed of the random pairs inside one roll (duplicates).
const RANDOM_SEED_WITHIN: u64 = 0x0064_7570_6c69_6361;

/// Level counts of the fields among `n` random pairs: an entry of `a` and
/// one of `b`, or, when `a` and `b` are the same roll, two different
/// entries of it; the name fields only when `with_names` (otherwise they
/// count nothing). The pairs are drawn on one thread from `seed` and
/// compared in parallel, so the counts do not depend on the thread count.
fn random_counts(
    names: &Names,
    a: &[Prep],
    b: &[Prep],
    n: usize,
    seed: u64,
    with_names: bool,
) -> [Vec<u64>; compare::NFIELDS] {
    let same = std::ptr::eq(a, b);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let sample: Vec<(usize, usize)> = if a.is_empty() || b.is_empty() || (same && a.len() < 2) {
        Vec::new()
    } else {
        (0..n)
            .map(|_| {
                let i = rng.random_range(0..a.len());
                let mut j = rng.random_range(0..b.len());
                while same && j == i {
                    j = rng.random_range(0..b.len());
                }
                (i, j)
            })
            .collect()
    };
    sample
        .par_iter()
        .fold(
            || compare::LEVELS.map(|l| vec![0u64; l]),
            |mut acc, &(i, j)| {
                let pattern = if with_names {
                    compare::compare(names, &a[i], &b[j])
                } else {
                    compare::compare_facts(&a[i], &b[j])
                };
                for (f, &l) in pattern.iter().enumerate() {
                    if l != NULL {
                        acc[f][usize::from(l)] += 1;
                    }
                }
                acc
            },
        )
        .reduce(
            || compare::LEVELS.map(|l| vec![0u64; l]),
            |mut x, y| {
                for (p, q) in x.iter_mut().zip(y) {
                    for (s, t) in p.iter_mut().zip(q) {
                        *s += t;
                    }
                }
                x
            },
        )
}

/// Relative frequency of each name class in both rolls (by the first name
/// of each entry).
fn name_frequencies<'a>(
    names: &Names,
    preps: impl Iterator<Item = &'a Prep>,
    pick: fn(&Prep) -> &[u32; 2],
) -> Vec<f64> {
    let mut counts = vec![0u64; names.classes];
    let mut total = 0u64;
    for p in preps {
        let f = pick(p)[0];
        if f != NONE {
            counts[names.class[f as usize] as usize] += 1;
            total += 1;
        }
    }
    let total = total.max(1) as f64;
    counts.into_iter().map(|c| c as f64 / total).collect()
}

/// The class two name lists share exactly, if any.
fn shared_class(names: &Names, a: &[u32; 2], b: &[u32; 2]) -> Option<u32> {
    let class = |f: u32| (f != NONE).then(|| names.class[f as usize]);
    a.iter()
        .filter_map(|&x| class(x))
        .find(|&k| b.iter().any(|&y| class(y) == Some(k)))
}

/// Relative frequency of each name class among the entries of both rolls,
/// for names and for relative names.
struct TermFrequencies {
    name: Vec<f64>,
    relative: Vec<f64>,
}

impl TermFrequencies {
    fn new(names: &Names, ec: &[Prep], sec: &[Prep]) -> Self {
        TermFrequencies {
            name: name_frequencies(names, ec.iter().chain(sec), |p| &p.names),
            relative: name_frequencies(names, ec.iter().chain(sec), |p| &p.relatives),
        }
    }
}

struct Scorer<'a> {
    params: &'a FsParams,
    names: &'a Names,
    tf: &'a TermFrequencies,
    /// Weight per field and level, made monotone: a weaker agreement never
    /// counts for more than a stronger one (with few data, a rarely seen
    /// middle level can get a tiny u and an outsized weight).
    table: [Vec<f64>; NFIELDS],
}

impl<'a> Scorer<'a> {
    fn new(params: &'a FsParams, names: &'a Names, tf: &'a TermFrequencies) -> Self {
        let table = std::array::from_fn(|f| {
            let mut row: Vec<f64> = (0..LEVELS[f])
                .map(|l| params.field_weight(f, l as u8))
                .collect();
            for l in (0..row.len().saturating_sub(1)).rev() {
                row[l] = row[l].min(row[l + 1]);
            }
            row
        });
        Scorer {
            params,
            names,
            tf,
            table,
        }
    }

    /// Per-field weights of a compared pair, with the term-frequency
    /// adjustment of exact name agreements.
    fn weights(&self, a: &Prep, b: &Prep, p: &Pattern) -> [f64; NFIELDS] {
        let mut w = [0.0; NFIELDS];
        for (f, &l) in p.iter().enumerate() {
            if l != NULL {
                w[f] = self.table[f][usize::from(l)];
            }
        }
        for (f, tf, pick) in [
            (
                0usize,
                &self.tf.name,
                (|p: &Prep| &p.names) as fn(&Prep) -> &[u32; 2],
            ),
            (1, &self.tf.relative, |p: &Prep| &p.relatives),
        ] {
            // Exact agreement is the top level.
            let top = (LEVELS[f] - 1) as u8;
            if p[f] == top
                && let Some(class) = shared_class(self.names, pick(a), pick(b))
                && tf[class as usize] > 0.0
            {
                let freq = tf[class as usize];
                let m = self.params.fields[f].m[usize::from(top)];
                // A value cannot be rarer than once in the rolls' size;
                // the floor keeps one-off names from dominating.
                w[f] = (m / freq.max(1e-7)).log2().min(w[f] + 6.0);
            }
        }
        w
    }
}

fn probability(weight: f64) -> f64 {
    let odds = weight.exp2();
    if odds.is_infinite() {
        1.0
    } else {
        odds / (1.0 + odds)
    }
}

/// Maps duplicate groups from key order back to roll indices, sorted.
fn remap(groups: Vec<DuplicateGroup>, at: &[usize]) -> Vec<DuplicateGroup> {
    // Groups in key order of their first member (the engine works in key
    // order), so that the report numbers them alike whatever the order of
    // the input rows; members ascending in the roll.
    let mut out: Vec<(usize, DuplicateGroup)> = groups
        .into_iter()
        .map(|mut g| {
            let first = g.members.iter().copied().min().unwrap_or(usize::MAX);
            for m in &mut g.members {
                *m = at[*m];
            }
            g.members.sort_unstable();
            (first, g)
        })
        .collect();
    out.sort_by_key(|(first, _)| *first);
    out.into_iter().map(|(_, g)| g).collect()
}

/// Greedy one-to-one assignment by descending weight, ties by index.
fn assign(
    mut scored: Vec<(f64, usize, usize)>,
    ec_used: &mut [bool],
    sec_used: &mut [bool],
) -> Vec<(f64, usize, usize)> {
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut out = Vec::new();
    for (w, i, j) in scored {
        if !ec_used[i] && !sec_used[j] {
            ec_used[i] = true;
            sec_used[j] = true;
            out.push((w, i, j));
        }
    }
    out
}

impl FsMatcher {
    /// A matcher with the given settings.
    pub fn new(config: FsConfig) -> Self {
        FsMatcher { config }
    }

    /// Estimates the parameters from the rolls (or takes the fixed ones).
    fn estimate(
        &self,
        names: &Names,
        ec: &[Prep],
        sec: &[Prep],
        patterns: &BTreeMap<u32, u64>,
        n_candidates: usize,
    ) -> FsParams {
        if let Some(p) = &self.config.params {
            return p.clone();
        }
        let mut params = FsParams::default();
        if ec.is_empty() || sec.is_empty() {
            return params;
        }
        let pairs = (ec.len() as u64 * sec.len() as u64).min(self.config.u_sample as u64) as usize;
        if pairs < 1_000 {
            return params;
        }
        // u: level frequencies among random pairs, nearly all of two
        // different people.
        params.set_u(&random_counts(names, ec, sec, pairs, RANDOM_SEED, true));
        params.source = ParamsSource::Estimated;
        if n_candidates >= self.config.min_pairs_to_train {
            params.prior = (ec.len().min(sec.len()) as f64 / n_candidates as f64).clamp(0.01, 0.9);
            params.train(patterns, self.config.em_iterations);
            params.source = ParamsSource::Trained;
        }
        params
    }

    /// The candidate pairs each blocking pass proposes on its own, as
    /// (EC index, SEC index) into the rolls, with the pass statistics of the
    /// united run. For measuring blocking (pairs completeness, reduction
    /// ratio) against a ground truth; [`FsMatcher::run`] does not need it.
    pub fn blocking_passes(
        &self,
        ec_roll: &Roll,
        sec_roll: &Roll,
    ) -> (Vec<Vec<(usize, usize)>>, Vec<PassStats>) {
        let p = prep::prepare(ec_roll, sec_roll, self.config.age_offset_years);
        let (passes, stats) = block::passes(&p.names, &p.ec, &p.sec, self.config.block_cap);
        let passes = passes
            .into_iter()
            .map(|pairs| {
                pairs
                    .into_iter()
                    .map(|pair| {
                        let (i, j) = block::unpack(pair);
                        (p.ec_at[i], p.sec_at[j])
                    })
                    .collect()
            })
            .collect();
        (passes, stats)
    }

    /// Runs the engine and returns everything it found.
    pub fn run(&self, ec_roll: &Roll, sec_roll: &Roll) -> FsRun {
        self.run_with_progress(ec_roll, sec_roll, &|_, _| {})
    }

    /// Like [`FsMatcher::run`], calling `progress(phase, seconds)` on the
    /// calling thread as each phase ends (`prepare`, `block`, `compare`,
    /// `train`, `score`, `assign`, `duplicates`), so a long run can show
    /// where it is.
    pub fn run_with_progress(
        &self,
        ec_roll: &Roll,
        sec_roll: &Roll,
        progress: &dyn Fn(&'static str, f64),
    ) -> FsRun {
        let c = &self.config;
        let mut timings = Timings::new(progress);
        // Work in key order; `ec_at`/`sec_at` map back to roll indices.
        let prep::Prepared {
            names,
            ec,
            ec_at,
            sec,
            sec_at,
        } = prep::prepare(ec_roll, sec_roll, c.age_offset_years);
        timings.lap("prepare");
        let (candidates, blocking) = block::candidates(&names, &ec, &sec, c.block_cap);
        timings.lap("block");

        let compared: Vec<u32> = candidates
            .par_iter()
            .map(|&pair| {
                let (i, j) = block::unpack(pair);
                compare::pack(&compare::compare(&names, &ec[i], &sec[j]))
            })
            .collect();
        let mut patterns: BTreeMap<u32, u64> = BTreeMap::new();
        for code in &compared {
            *patterns.entry(*code).or_default() += 1;
        }
        timings.lap("compare");
        let params = self.estimate(&names, &ec, &sec, &patterns, candidates.len());
        timings.lap("train");

        let tf = TermFrequencies::new(&names, &ec, &sec);
        let scorer = Scorer::new(&params, &names, &tf);
        let prior = params.prior_weight();
        // Only pairs that can be accepted or reviewed are kept, with their
        // total weight; the per-field weights are recomputed for the few
        // pairs reported.
        let floor = c.review_threshold.min(c.match_threshold);
        let scored: Vec<(f64, u32, u32)> = candidates
            .par_iter()
            .zip(compared.par_iter())
            .filter_map(|(&pair, &code)| {
                let (i, j) = block::unpack(pair);
                let w = prior
                    + scorer
                        .weights(&ec[i], &sec[j], &compare::unpack(code))
                        .iter()
                        .sum::<f64>();
                (probability(w) >= floor).then_some((w, i as u32, j as u32))
            })
            .collect();
        let n_candidates = candidates.len() as u64;
        drop(candidates);
        drop(compared);
        timings.lap("score");

        let mut ec_used = vec![false; ec.len()];
        let mut sec_used = vec![false; sec.len()];
        let band = |lo: f64, hi: f64| -> Vec<(f64, usize, usize)> {
            scored
                .iter()
                .filter(|s| {
                    let p = probability(s.0);
                    p >= lo && p < hi
                })
                .map(|&(w, i, j)| (w, i as usize, j as usize))
                .collect()
        };
        let accepted = assign(
            band(c.match_threshold, f64::INFINITY),
            &mut ec_used,
            &mut sec_used,
        );
        let review = assign(
            band(c.review_threshold, c.match_threshold),
            &mut ec_used.clone(),
            &mut sec_used.clone(),
        );
        drop(scored);
        let to_pair = |(w, i, j): (f64, usize, usize), method: &'static str| {
            let ws = scorer.weights(&ec[i], &sec[j], &compare::compare(&names, &ec[i], &sec[j]));
            MatchPair {
                ec: ec_at[i],
                sec: sec_at[j],
                score: probability(w),
                method,
                // Fields missing on a side weigh exactly 0 and are left out.
                weights: crate::FieldWeights(ws.map(|w| (w != 0.0).then_some(w))),
            }
        };
        let pairs = accepted
            .into_par_iter()
            .map(|s| to_pair(s, "fellegi_sunter"))
            .collect();
        let mut result = MatchResult::from_pairs(pairs, ec.len(), sec.len());
        result.review = review
            .into_par_iter()
            .map(|s| to_pair(s, "review"))
            .collect();
        result.review.sort_by_key(|p| (p.ec, p.sec));
        timings.lap("assign");
        // Duplicates are scored against random pairs of their own roll:
        // inside one roll ages are not moved by a date offset, which makes
        // an age agreement rarer among random pairs than across the rolls.
        // The fields other than the names are counted on pairs of the roll
        // (cheap); the names keep u from the pairs across the rolls (the
        // same name frequencies, and comparing names is the costly part).
        let within = |roll: &[Prep]| -> FsParams {
            let mut p = params.against_random();
            let n = roll.len() as u64;
            let pairs = (n * n.saturating_sub(1) / 2).min(c.u_sample as u64) as usize;
            if pairs >= 1_000 {
                let counts = random_counts(&names, roll, roll, pairs, RANDOM_SEED_WITHIN, false);
                for (field, c) in counts.iter().enumerate().skip(2) {
                    p.set_field_u(field, c);
                }
            }
            p
        };
        let ec_params = within(&ec);
        let sec_params = within(&sec);
        let ec_scorer = Scorer::new(&ec_params, &names, &tf);
        let sec_scorer = Scorer::new(&sec_params, &names, &tf);
        result.ec_duplicates = remap(self.duplicates(&ec, false, &ec_scorer), &ec_at);
        result.sec_duplicates = remap(self.duplicates(&sec, true, &sec_scorer), &sec_at);
        result.duplicates_checked = true;
        result.review_checked = true;
        timings.lap("duplicates");
        FsRun {
            result,
            params,
            blocking,
            candidates: n_candidates,
            timings: timings.laps,
        }
    }
}

/// Comparison and scoring of candidate pairs on their own, for the scoring
/// benchmark (`cargo bench --bench micro -- score`). Not a stable API.
#[doc(hidden)]
#[derive(Debug)]
pub struct ScoringBench {
    names: Names,
    ec: Vec<Prep>,
    sec: Vec<Prep>,
    candidates: Vec<u64>,
    params: FsParams,
    threshold: f64,
}

impl ScoringBench {
    /// Candidate pairs one call of [`ScoringBench::compare_and_score`]
    /// handles.
    pub fn candidates(&self) -> usize {
        self.candidates.len()
    }

    /// Compares and scores every candidate pair on the calling thread, as
    /// the engine does for each pair; returns how many reach the match
    /// threshold.
    pub fn compare_and_score(&self) -> usize {
        let tf = TermFrequencies::new(&self.names, &self.ec, &self.sec);
        let scorer = Scorer::new(&self.params, &self.names, &tf);
        let prior = self.params.prior_weight();
        self.candidates
            .iter()
            .filter(|&&pair| {
                let (i, j) = block::unpack(pair);
                let (a, b) = (&self.ec[i], &self.sec[j]);
                let p = compare::compare(&self.names, a, b);
                let w = prior + scorer.weights(a, b, &p).iter().sum::<f64>();
                probability(w) >= self.threshold
            })
            .count()
    }
}

impl FsMatcher {
    /// Prepares, blocks and learns the parameters of two rolls, for
    /// [`ScoringBench`]. Not a stable API.
    #[doc(hidden)]
    pub fn scoring_bench(&self, ec_roll: &Roll, sec_roll: &Roll) -> ScoringBench {
        let params = self.run(ec_roll, sec_roll).params;
        let p = prep::prepare(ec_roll, sec_roll, self.config.age_offset_years);
        let (candidates, _) = block::candidates(&p.names, &p.ec, &p.sec, self.config.block_cap);
        ScoringBench {
            names: p.names,
            ec: p.ec,
            sec: p.sec,
            candidates,
            params,
            threshold: self.config.match_threshold,
        }
    }
}

/// Wall time of each phase of a run, told to a progress callback as each
/// phase ends.
struct Timings<'p> {
    last: std::time::Instant,
    laps: Vec<(&'static str, f64)>,
    progress: &'p dyn Fn(&'static str, f64),
}

impl<'p> Timings<'p> {
    fn new(progress: &'p dyn Fn(&'static str, f64)) -> Self {
        Timings {
            last: std::time::Instant::now(),
            laps: Vec::new(),
            progress,
        }
    }

    fn lap(&mut self, phase: &'static str) {
        let now = std::time::Instant::now();
        let secs = (now - self.last).as_secs_f64();
        self.laps.push((phase, secs));
        (self.progress)(phase, secs);
        self.last = now;
    }
}

impl FsMatcher {
    /// Duplicate groups inside one roll.
    ///
    /// Candidates come from the blocking passes run inside the roll. A pair
    /// must agree closely on the name (level 2 or 3) and spell it alike in
    /// the roll's own script ([`compare::spelt_alike`]; the relative's name
    /// too when the relation is the same), on age within a year
    /// and on gender (where known): the hard rules keep apart what
    /// household data alone cannot, such as siblings of one age or a mother
    /// and daughter of one name. It is then scored against *random* pairs
    /// of the roll (u from random pairs of this roll, term-frequency weights for exact
    /// names, a prior of one duplicate per hundred entries spread over the
    /// pairs of one region: see [`duplicate_prior_weight`]), because a
    /// duplicate is a surprising coincidence among all pairs, not among
    /// candidates. A differing house number or EPIC counts
    /// nothing against: a second registration usually gets both anew.
    /// Pairs reaching the duplicate threshold are joined into groups.
    fn duplicates(&self, roll: &[Prep], sec: bool, scorer: &Scorer<'_>) -> Vec<DuplicateGroup> {
        let (pairs, regions) = block::within(scorer.names, roll, sec, self.config.block_cap);
        if pairs.is_empty() {
            return Vec::new();
        }
        let prior_weight = duplicate_prior_weight(roll.len(), regions);
        // The pairs that reach the threshold, with their probability.
        let joined: Vec<(usize, usize, f64)> = pairs
            .par_iter()
            .filter_map(|&pair| {
                let (i, j) = block::unpack(pair);
                // The cheap hard rules first: most pairs inside a household
                // fail on age or gender before their names are compared.
                let mut p = compare::compare_facts(&roll[i], &roll[j]);
                if !((p[2] == NULL || p[2] >= 2) && (p[3] == NULL || p[3] == 1)) {
                    return None;
                }
                compare::compare_names(scorer.names, &roll[i], &roll[j], &mut p);
                let (a, b) = (&roll[i], &roll[j]);
                if !matches!(p[0], NAME_CLOSE | NAME_EXACT)
                    || !compare::spelt_alike(scorer.names, &a.names, &b.names)
                    || (p[4] == 2
                        && p[1] != NULL
                        && !compare::spelt_alike(scorer.names, &a.relatives, &b.relatives))
                {
                    return None;
                }
                let w: f64 = scorer
                    .weights(&roll[i], &roll[j], &p)
                    .iter()
                    .zip(FIELDS)
                    .map(|(&x, f)| {
                        if f == "house" || f == "epic" {
                            x.max(0.0)
                        } else {
                            x
                        }
                    })
                    .sum();
                let prob = probability(prior_weight + w);
                (prob >= self.config.duplicate_threshold).then_some((i, j, prob))
            })
            .collect();
        // Union-find over the joined pairs, then one group per root with
        // the weakest link's probability.
        let mut parent: Vec<usize> = (0..roll.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &(i, j, _) in &joined {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut groups: BTreeMap<usize, DuplicateGroup> = BTreeMap::new();
        for &(i, j, p) in &joined {
            let root = find(&mut parent, i);
            let g = groups.entry(root).or_insert(DuplicateGroup {
                members: Vec::new(),
                score: 1.0,
            });
            g.members.extend([i, j]);
            g.score = g.score.min(p);
        }
        groups
            .into_values()
            .map(|mut g| {
                g.members.sort_unstable();
                g.members.dedup();
                g
            })
            .collect()
    }
}

/// Log2 prior odds that two entries of one region (an AC, or an SEC
/// local body without back-references; `entries / regions` of them on
/// average) are one person entered twice: one duplicate per hundred
/// entries, spread over the pairs of a region. A second registration is
/// made where the person lives, and duplicates are looked for inside a
/// region (and by EPIC), so the odds do not shrink as more regions are
/// added: spread over all pairs of the roll, the EC roll's duplicate
/// recall fell from 0.986 at 2.5M electors a side to 0.930 at 10M
/// (independent synthetic rolls, regions of about the same size).
fn duplicate_prior_weight(entries: usize, regions: usize) -> f64 {
    let n = (entries as f64 / regions.max(1) as f64).max(2.0);
    let prior = (0.01 * n) / (n * (n - 1.0) / 2.0);
    (prior / (1.0 - prior)).log2()
}

impl Matcher for FsMatcher {
    fn name(&self) -> &'static str {
        "fellegi-sunter-v1"
    }

    fn match_rolls(&self, ec: &Roll, sec: &Roll) -> MatchResult {
        self.run(ec, sec).result
    }
}

#[cfg(test)]
mod tests {
    use super::duplicate_prior_weight;

    #[test]
    fn duplicate_prior_depends_on_the_region_size_not_the_roll_size() {
        // A district of 12 ACs and a state of 48 ACs of the same size.
        let district = duplicate_prior_weight(2_400_000, 12);
        let state = duplicate_prior_weight(9_600_000, 48);
        assert!((district - state).abs() < 1e-9, "{district} vs {state}");
        // One duplicate per hundred entries over the pairs of a region of
        // 200,000: 0.02 / 199,999.
        let odds: f64 = 0.02 / 199_999.0;
        assert!((district - (odds / (1.0 - odds)).log2()).abs() < 1e-9);
        // Four times the regions' size: a quarter of the odds.
        assert!((duplicate_prior_weight(9_600_000, 12) - (district - 2.0)).abs() < 1e-3);
        // No regions counted, or one entry: no division by zero.
        assert!(duplicate_prior_weight(1, 0).is_finite());
    }
}
