//! Fellegi-Sunter parameters: m and u probabilities per field and level,
//! their estimation without labels, and match weights.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::compare::{FIELDS, LEVELS, NFIELDS, NULL, Pattern, unpack};

/// Version of the saved-parameters format.
pub const PARAMS_VERSION: u32 = 2;

/// m and u of one field, one value per level (level 0 = disagreement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldParams {
    /// Field name (see the engine docs).
    pub field: String,
    /// P(level | the pair is one person).
    pub m: Vec<f64>,
    /// P(level | the pair is two people).
    pub u: Vec<f64>,
}

/// How parameters were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamsSource {
    /// The built-in defaults.
    Defaults,
    /// u from random pairs, m from the defaults (too few candidate pairs to
    /// train m).
    Estimated,
    /// u from random pairs, m and the prior by expectation-maximisation.
    Trained,
    /// Loaded from a file.
    Loaded,
}

/// The parameters of the Fellegi-Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FsParams {
    /// Format version ([`PARAMS_VERSION`]).
    pub version: u32,
    /// How they were obtained.
    pub source: ParamsSource,
    /// Prior probability that a candidate pair is one person.
    pub prior: f64,
    /// Per field, in the engine's field order.
    pub fields: Vec<FieldParams>,
    /// EM iterations run (0 when not trained).
    pub em_iterations: u32,
    /// u per field among random pairs (before EM moved `u` to the
    /// candidates' non-matches); empty when not estimated. Duplicate
    /// detection inside one roll scores against random pairs.
    #[serde(default)]
    pub u_random: Vec<Vec<f64>>,
}

/// Smallest probability any m or u may take, so no weight is infinite.
const FLOOR: f64 = 1e-6;

impl Default for FsParams {
    /// Hand-set values: what one expects of electoral rolls before seeing
    /// any (most random pairs disagree on names, houses and EPICs; true
    /// pairs mostly agree, with spelling, age and relation drift).
    fn default() -> Self {
        let table: [(&[f64], &[f64]); NFIELDS] = [
            (
                &[0.02, 0.02, 0.05, 0.16, 0.75],
                &[0.85, 0.05, 0.07, 0.025, 0.005],
            ),
            (&[0.05, 0.05, 0.15, 0.75], &[0.90, 0.07, 0.025, 0.005]),
            (&[0.03, 0.05, 0.22, 0.70], &[0.85, 0.07, 0.05, 0.03]),
            (&[0.01, 0.99], &[0.5, 0.5]),
            (&[0.03, 0.05, 0.92], &[0.3, 0.2, 0.5]),
            (&[0.15, 0.85], &[0.99, 0.01]),
            (&[0.02, 0.03, 0.95], &[0.9998, 0.0001, 0.0001]),
        ];
        FsParams {
            version: PARAMS_VERSION,
            source: ParamsSource::Defaults,
            prior: 0.3,
            fields: FIELDS
                .iter()
                .zip(table)
                .map(|(f, (m, u))| FieldParams {
                    field: (*f).to_string(),
                    m: m.to_vec(),
                    u: u.to_vec(),
                })
                .collect(),
            em_iterations: 0,
            u_random: Vec::new(),
        }
    }
}

/// Errors of loaded parameters.
#[derive(Debug, thiserror::Error)]
pub enum ParamsError {
    /// Not JSON of the expected shape.
    #[error("parameters: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON of the right shape but the wrong content.
    #[error("parameters: {0}")]
    Invalid(String),
}

fn normalise(v: &mut [f64]) {
    for x in v.iter_mut() {
        *x = x.max(FLOOR);
    }
    let sum: f64 = v.iter().sum();
    for x in v.iter_mut() {
        *x /= sum;
    }
}

impl FsParams {
    /// Reads parameters saved with [`FsParams::to_json`], checking the
    /// version, the fields and their level counts.
    pub fn from_json(text: &str) -> Result<FsParams, ParamsError> {
        let mut p: FsParams = serde_json::from_str(text)?;
        if p.version != PARAMS_VERSION {
            return Err(ParamsError::Invalid(format!(
                "version {} is not supported (expected {PARAMS_VERSION})",
                p.version
            )));
        }
        if p.fields.len() != NFIELDS {
            return Err(ParamsError::Invalid(format!(
                "expected {NFIELDS} fields, found {}",
                p.fields.len()
            )));
        }
        for (i, f) in p.fields.iter().enumerate() {
            if f.field != FIELDS[i] || f.m.len() != LEVELS[i] || f.u.len() != LEVELS[i] {
                return Err(ParamsError::Invalid(format!(
                    "field {} must be {:?} with {} levels",
                    i + 1,
                    FIELDS[i],
                    LEVELS[i]
                )));
            }
            if f.m.iter().chain(&f.u).any(|x| !(0.0..=1.0).contains(x)) {
                return Err(ParamsError::Invalid(format!(
                    "field {}: probabilities must lie in [0, 1]",
                    f.field
                )));
            }
        }
        if !(0.0 < p.prior && p.prior < 1.0) {
            return Err(ParamsError::Invalid("prior must lie in (0, 1)".into()));
        }
        for f in &mut p.fields {
            normalise(&mut f.m);
            normalise(&mut f.u);
        }
        p.source = ParamsSource::Loaded;
        Ok(p)
    }

    /// The parameters as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain numbers and strings always serialise")
    }

    /// Sets u from level counts of random pairs (add-one smoothing).
    pub(crate) fn set_u(&mut self, counts: &[Vec<u64>; NFIELDS]) {
        for (field, c) in counts.iter().enumerate() {
            self.set_field_u(field, c);
        }
        self.u_random = self.fields.iter().map(|f| f.u.clone()).collect();
    }

    /// Sets one field's u from level counts (add-one smoothing).
    pub(crate) fn set_field_u(&mut self, field: usize, counts: &[u64]) {
        if let Some(f) = self.fields.get_mut(field) {
            let total: u64 = counts.iter().sum();
            f.u = counts
                .iter()
                .map(|&n| (n as f64 + 1.0) / (total as f64 + counts.len() as f64))
                .collect();
            normalise(&mut f.u);
        }
    }

    /// These parameters with u taken from random pairs (when known), for
    /// scoring pairs against the whole roll rather than the candidates.
    pub(crate) fn against_random(&self) -> FsParams {
        let mut p = self.clone();
        if self.u_random.len() == p.fields.len() {
            for (f, u) in p.fields.iter_mut().zip(&self.u_random) {
                if u.len() == f.u.len() {
                    f.u.clone_from(u);
                }
            }
        } else {
            for (f, d) in p.fields.iter_mut().zip(FsParams::default().fields) {
                f.u = d.u;
            }
        }
        p
    }

    /// Log2 of m/u for one field at one level; 0 for a missing value.
    pub fn field_weight(&self, field: usize, level: u8) -> f64 {
        if level == NULL {
            return 0.0;
        }
        let f = &self.fields[field];
        let l = usize::from(level);
        (f.m[l] / f.u[l]).log2()
    }

    /// Log2 of the prior odds.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    /// Estimates m, u and the prior by expectation-maximisation over the
    /// candidate pairs' pattern counts, starting from the current values.
    ///
    /// Both m and u are learnt: the candidates were chosen because they
    /// share a name, a relative or an EPIC, so the non-matches among them do
    /// not look like random pairs, and a u taken from random pairs would
    /// make EM explain every candidate as a match. Deterministic: the
    /// counts are visited in key order.
    pub(crate) fn train(&mut self, counts: &BTreeMap<u32, u64>, max_iter: u32) {
        let patterns: Vec<(Pattern, f64)> = counts
            .iter()
            .map(|(&k, &n)| (unpack(k), n as f64))
            .collect();
        let total: f64 = patterns.iter().map(|(_, n)| n).sum();
        if total == 0.0 {
            return;
        }
        // Stage 1: m held at its starting values (the defaults), the prior
        // and u learnt. Stage 2: all three learnt, stopped before any
        // field's evidence points the wrong way. Learning everything from
        // the start lets EM split the candidates along the wrong line (on
        // independent rolls it separated "same name" from "same relative":
        // siblings and namesakes, not people), because the fields are far
        // from conditionally independent among blocked candidates.
        let (stage1, _) = self.em_steps(&patterns, total, max_iter, false);
        let mut stage2 = 0;
        for _ in 0..max_iter {
            let before = self.clone();
            let (_, delta) = self.em_steps(&patterns, total, 1, true);
            stage2 += 1;
            if !self.points_the_right_way() {
                *self = before;
                break;
            }
            if delta < 1e-6 {
                break;
            }
        }
        self.em_iterations = stage1 + stage2;
    }

    /// Whether every field's top level is evidence for a match (m > u) and
    /// its bottom level evidence against (m < u).
    pub(crate) fn points_the_right_way(&self) -> bool {
        self.fields.iter().all(|f| {
            let top = f.m.len() - 1;
            f.m[top] > f.u[top] && f.m[0] < f.u[0]
        })
    }

    /// Up to `steps` EM iterations (fewer once converged); `learn_m`
    /// chooses whether m is updated. Returns the iterations run and the
    /// largest change in the last one.
    fn em_steps(
        &mut self,
        patterns: &[(Pattern, f64)],
        total: f64,
        steps: u32,
        learn_m: bool,
    ) -> (u32, f64) {
        // The defaults act as a weak Dirichlet prior on m: pseudo-counts
        // worth 2% of the matched mass (at least 50 pairs). Without them,
        // rolls where nearly every true pair agrees exactly teach m that a
        // near-miss spelling never happens, and a single typo then vetoes a
        // true pair.
        let defaults = FsParams::default();
        let mut iterations = 0;
        let mut delta = f64::INFINITY;
        while iterations < steps && delta >= 1e-6 {
            iterations += 1;
            let mut m_acc: Vec<Vec<f64>> = LEVELS.iter().map(|&l| vec![0.0; l]).collect();
            let mut u_acc: Vec<Vec<f64>> = LEVELS.iter().map(|&l| vec![0.0; l]).collect();
            let mut matched = 0.0;
            for (p, n) in patterns {
                let (mut pm, mut pu) = (self.prior, 1.0 - self.prior);
                for (f, &l) in p.iter().enumerate() {
                    if l != NULL {
                        pm *= self.fields[f].m[usize::from(l)];
                        pu *= self.fields[f].u[usize::from(l)];
                    }
                }
                let post = pm / (pm + pu);
                matched += post * n;
                for (f, &l) in p.iter().enumerate() {
                    if l != NULL {
                        m_acc[f][usize::from(l)] += post * n;
                        u_acc[f][usize::from(l)] += (1.0 - post) * n;
                    }
                }
            }
            let kappa = (0.02 * matched).max(50.0);
            for (acc, d) in m_acc.iter_mut().zip(&defaults.fields) {
                for (a, dm) in acc.iter_mut().zip(&d.m) {
                    *a += kappa * dm;
                }
            }
            let new_prior = (matched / total).clamp(1e-4, 1.0 - 1e-4);
            delta = (new_prior - self.prior).abs();
            self.prior = new_prior;
            for ((f, m), u) in self
                .fields
                .iter_mut()
                .zip(m_acc.iter_mut())
                .zip(u_acc.iter_mut())
            {
                let updates: [(&mut Vec<f64>, &mut Vec<f64>); 2] = [(m, &mut f.m), (u, &mut f.u)];
                for (k, (acc, old)) in updates.into_iter().enumerate() {
                    if (k == 0 && !learn_m) || acc.iter().sum::<f64>() <= 0.0 {
                        continue;
                    }
                    normalise(acc);
                    for (o, new) in old.iter_mut().zip(acc.iter()) {
                        delta = delta.max((*o - new).abs());
                        *o = *new;
                    }
                }
            }
        }
        (iterations, delta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_validation() {
        let p = FsParams::default();
        let q = FsParams::from_json(&p.to_json()).expect("valid");
        assert_eq!(q.fields.len(), NFIELDS);
        assert_eq!(q.source, ParamsSource::Loaded);
        let bad = p.to_json().replace("\"version\": 2", "\"version\": 9");
        assert!(FsParams::from_json(&bad).is_err());
        assert!(FsParams::from_json("{}").is_err());
        // A field with a level too few (parameters of another engine).
        let mut short = p.clone();
        short.fields[0].m.pop();
        short.fields[0].u.pop();
        assert!(FsParams::from_json(&short.to_json()).is_err());
    }

    #[test]
    fn em_separates_two_clear_populations() {
        // 1,000 pairs agreeing on everything, 9,000 disagreeing on
        // everything: EM should find a prior near 0.1, m near 1 at the top
        // levels and u near 1 at the bottom.
        let agree: Pattern = [4, 3, 3, 1, 2, 1, 2];
        let disagree: Pattern = [0, 0, 0, 0, 0, 0, 0];
        let counts = BTreeMap::from([
            (super::super::compare::pack(&agree), 1_000u64),
            (super::super::compare::pack(&disagree), 9_000u64),
        ]);
        let mut p = FsParams {
            prior: 0.3,
            ..FsParams::default()
        };
        p.train(&counts, 100);
        assert!((p.prior - 0.1).abs() < 0.01, "prior {}", p.prior);
        assert!(p.fields[0].m[4] > 0.95, "{:?}", p.fields[0].m);
        assert!(p.fields[0].u[0] > 0.95, "{:?}", p.fields[0].u);
        assert!(p.em_iterations > 0);
    }
}
