//! rollrec: reconcile an Election Commission assembly roll with a State
//! Election Commission local-body roll.
//!
//! This is the crate library users depend on. It reads both rolls, matches
//! their electors and builds a [`Report`] of matches and discrepancies that
//! can be inspected in memory or written as files, exactly as the `rollrec
//! reconcile` command does.
//!
//! ```
//! use rollrec::{Config, RollKind, read_roll_str, reconcile};
//!
//! let ec = read_roll_str(
//!     "ac_no,part_no,serial_no,name,relative_name,gender\n\
//!      12,1,1,Asha Das,Ram Das,F\n\
//!      12,1,2,Gita Pal,Hari Pal,F\n",
//!     RollKind::Assembly,
//!     "ec.csv",
//! )?;
//! let sec = read_roll_str(
//!     "local_body,ward_no,ac_no,part_no,serial_no,name,relative_name,gender\n\
//!      Rampur GP,3,12,1,1,Asha Das,Ram Das,F\n\
//!      Rampur GP,3,12,1,2,Mina Roy,Jadu Roy,F\n",
//!     RollKind::LocalBody,
//!     "sec.csv",
//! )?;
//! let report = reconcile(ec, sec, &Config::default())?;
//! let summary = report.summary();
//! assert_eq!(summary.matched_pairs, 1);
//! assert_eq!(summary.discrepancies["missing_in_sec"], 1); // Gita Pal
//! assert_eq!(summary.discrepancies["missing_in_ec"], 1); // Mina Roy
//! # Ok::<(), rollrec::Error>(())
//! ```
//!
//! To write the report files: [`Report::write`]. The crates behind the
//! facade are re-exported as modules for finer control.

use std::path::Path;

pub use rollrec_io as io;
pub use rollrec_match as matching;
pub use rollrec_model as model;
pub use rollrec_names as names;
pub use rollrec_report as report;

pub use chrono::NaiveDate;
pub use rollrec_io::csv::ReadOptions;
pub use rollrec_match::{
    ExactMatcher, FsConfig, FsMatcher, FsParams, MatchPair, MatchResult, Matcher,
};
pub use rollrec_model::{Elector, ElectorKey, ReadOutcome, Reject, Roll, RollKind};
pub use rollrec_report::{DiscrepancyKind, Finding, PairChecks, Report, Summary, WardMap};

/// Which matcher pairs the electors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MatcherChoice {
    /// The probabilistic engine ([`FsMatcher`]): blocking, Fellegi-Sunter
    /// scoring with parameters learnt from the rolls, one-to-one
    /// assignment, review band, duplicate groups.
    #[default]
    FellegiSunter,
    /// Exact, unambiguous agreement only ([`ExactMatcher`]).
    Exact,
}

/// How to reconcile.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Config {
    /// Fail on the first bad input row instead of rejecting it.
    pub strict: bool,
    /// The matcher.
    pub matcher: MatcherChoice,
    /// The EC roll's qualifying date (ages are counted on it).
    pub ec_date: Option<NaiveDate>,
    /// The SEC roll's qualifying date. With `ec_date`, SEC ages are
    /// expected to exceed EC ages by the years between the two.
    pub sec_date: Option<NaiveDate>,
    /// Fixed engine parameters (from a saved `params.json`) instead of
    /// learning them from the rolls.
    pub params: Option<FsParams>,
    /// Which ward each assembly part (section) belongs to; without it the
    /// expected ward of a `wrong_ward` finding is inferred from where the
    /// rest of the part went.
    pub ward_map: Option<WardMap>,
}

impl Config {
    /// Sets [`Config::strict`].
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Sets [`Config::matcher`].
    pub fn matcher(mut self, matcher: MatcherChoice) -> Self {
        self.matcher = matcher;
        self
    }

    /// Sets both qualifying dates.
    pub fn dates(mut self, ec: Option<NaiveDate>, sec: Option<NaiveDate>) -> Self {
        self.ec_date = ec;
        self.sec_date = sec;
        self
    }

    /// Sets [`Config::ward_map`].
    pub fn ward_map(mut self, ward_map: Option<WardMap>) -> Self {
        self.ward_map = ward_map;
        self
    }

    /// Sets [`Config::params`].
    pub fn params(mut self, params: Option<FsParams>) -> Self {
        self.params = params;
        self
    }

    /// The Fellegi-Sunter engine this configuration asks for: the date
    /// offset and any fixed parameters, default settings otherwise.
    fn fs_matcher(&self) -> FsMatcher {
        let mut fs = FsConfig::default();
        fs.age_offset_years = self.age_offset_years();
        fs.params = self.params.clone();
        FsMatcher::new(fs)
    }

    /// Years from the EC qualifying date to the SEC one (0 unless both are
    /// set; negative when the SEC roll is older).
    pub fn age_offset_years(&self) -> f64 {
        match (self.ec_date, self.sec_date) {
            (Some(ec), Some(sec)) => (sec - ec).num_days() as f64 / 365.2425,
            _ => 0.0,
        }
    }
}

/// Errors from the facade.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading a roll failed.
    #[error(transparent)]
    Io(#[from] rollrec_io::IoError),
    /// Writing the report failed.
    #[error(transparent)]
    Report(#[from] rollrec_report::ReportError),
    /// An entry asked for by key is not in its roll.
    #[error("{0}")]
    NoSuchEntry(String),
    /// A bug: the matcher broke row conservation. Please report it.
    #[error("internal error: {0}")]
    Invariant(String),
}

/// Reads a roll from a CSV file in the canonical format.
pub fn read_roll_file(path: &Path, kind: RollKind, config: &Config) -> Result<ReadOutcome, Error> {
    let options = ReadOptions {
        strict: config.strict,
    };
    Ok(rollrec_io::csv::read_roll_path(path, kind, &options)?)
}

/// Reads the EC roll and the SEC roll from CSV files, both at once: each
/// read splits its file into records on one thread, so two reads side by
/// side keep two cores busy where one alone leaves the second mostly idle.
/// When both fail, the EC roll's error is returned.
pub fn read_roll_files(
    ec: &Path,
    sec: &Path,
    config: &Config,
) -> Result<(ReadOutcome, ReadOutcome), Error> {
    let (ec, sec) = rayon::join(
        || read_roll_file(ec, RollKind::Assembly, config),
        || read_roll_file(sec, RollKind::LocalBody, config),
    );
    Ok((ec?, sec?))
}

/// Reads a roll from CSV text in the canonical format; `file` names it in
/// rejects.
pub fn read_roll_str(text: &str, kind: RollKind, file: &str) -> Result<ReadOutcome, Error> {
    Ok(rollrec_io::csv::read_roll(
        text.as_bytes(),
        kind,
        file,
        &ReadOptions::default(),
    )?)
}

/// Matches the two rolls and builds the report.
///
/// `ec` must be an assembly roll and `sec` a local-body roll.
pub fn reconcile(ec: ReadOutcome, sec: ReadOutcome, config: &Config) -> Result<Report, Error> {
    reconcile_with_params(ec, sec, config).map(|(report, _)| report)
}

/// What the engine did, beside the report: for review, saving and
/// progress messages.
#[derive(Debug, Clone)]
pub struct EngineInfo {
    /// The parameters used (learnt from the rolls, or the fixed ones); save
    /// them with [`FsParams::to_json`] and reuse them through
    /// [`Config::params`].
    pub params: FsParams,
    /// Candidate pairs compared.
    pub candidates: u64,
    /// What each blocking pass contributed.
    pub blocking: Vec<rollrec_match::fs::PassStats>,
    /// Wall seconds of each phase of the engine.
    pub timings: Vec<(&'static str, f64)>,
}

/// Like [`reconcile`], and also returns what the engine did (`None` with
/// the exact matcher).
pub fn reconcile_with_params(
    ec: ReadOutcome,
    sec: ReadOutcome,
    config: &Config,
) -> Result<(Report, Option<EngineInfo>), Error> {
    reconcile_with_progress(ec, sec, config, &|_, _| {})
}

/// Like [`reconcile_with_params`], calling `progress(step, seconds)` on the
/// calling thread as each step ends: the engine's phases (`prepare`,
/// `block`, `compare`, `train`, `score`, `assign`, `duplicates`; `match`
/// for the exact matcher), then `checks` (the report's checks of both
/// rolls and of the pairs). A district-size run takes tens of seconds;
/// this is how a caller shows where it is.
///
/// ```
/// use std::cell::RefCell;
/// use std::path::Path;
///
/// let config = rollrec::Config::default();
/// let (ec, sec) = rollrec::read_roll_files(
///     Path::new("../../fixtures/sample/ec.csv"),
///     Path::new("../../fixtures/sample/sec.csv"),
///     &config,
/// )?;
/// let steps = RefCell::new(Vec::new());
/// let (report, _) = rollrec::reconcile_with_progress(ec, sec, &config, &|step, _secs| {
///     steps.borrow_mut().push(step)
/// })?;
/// assert_eq!(steps.borrow().first(), Some(&"prepare"));
/// assert_eq!(steps.borrow().last(), Some(&"checks"));
/// assert!(report.summary().matched_pairs > 0);
/// # Ok::<(), rollrec::Error>(())
/// ```
pub fn reconcile_with_progress(
    ec: ReadOutcome,
    sec: ReadOutcome,
    config: &Config,
    progress: &dyn Fn(&'static str, f64),
) -> Result<(Report, Option<EngineInfo>), Error> {
    if ec.roll.kind != RollKind::Assembly || sec.roll.kind != RollKind::LocalBody {
        return Err(Error::Invariant(format!(
            "reconcile takes an assembly roll and a local-body roll, got {} and {}",
            ec.roll.kind, sec.roll.kind
        )));
    }
    let (name, result, params) = match config.matcher {
        MatcherChoice::Exact => {
            let t = std::time::Instant::now();
            let result = ExactMatcher.match_rolls(&ec.roll, &sec.roll);
            progress("match", t.elapsed().as_secs_f64());
            (ExactMatcher.name(), result, None)
        }
        MatcherChoice::FellegiSunter => {
            let matcher = config.fs_matcher();
            let run = matcher.run_with_progress(&ec.roll, &sec.roll, progress);
            let info = EngineInfo {
                params: run.params,
                candidates: run.candidates,
                blocking: run.blocking,
                timings: run.timings,
            };
            (matcher.name(), run.result, Some(info))
        }
    };
    result
        .check(ec.roll.len(), sec.roll.len())
        .map_err(|e| Error::Invariant(e.to_string()))?;
    let checks = PairChecks {
        age_offset_years: config.age_offset_years(),
        ward_map: config.ward_map.clone(),
    };
    let t = std::time::Instant::now();
    let report = Report::with_checks(ec, sec, name, result, &checks);
    report.summary().check().map_err(Error::Invariant)?;
    progress("checks", t.elapsed().as_secs_f64());
    Ok((report, params))
}

/// Where a run put one entry (see [`explain_pair`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// Paired with the entry of the other roll at this index.
    Paired {
        /// Index in the other roll.
        with: usize,
        /// The pair's match probability.
        probability: f64,
    },
    /// Left unmatched, with a review pair (`ambiguous_match`) to the entry
    /// of the other roll at this index.
    Review {
        /// Index in the other roll.
        with: usize,
        /// The pair's match probability.
        probability: f64,
    },
    /// In no pair and no review pair.
    Unmatched,
}

/// Why two entries were or were not taken for one person (see
/// [`explain_pair`]).
#[derive(Debug, Clone)]
pub struct PairReview {
    /// Index of the EC entry in its roll.
    pub ec: usize,
    /// Index of the SEC entry in its roll.
    pub sec: usize,
    /// Blocking passes, field levels and weights, probability.
    pub explanation: rollrec_match::fs::PairExplanation,
    /// Where the run put the EC entry.
    pub ec_placement: Placement,
    /// Where the run put the SEC entry.
    pub sec_placement: Placement,
    /// The engine parameters of the run (learnt or given).
    pub params: FsParams,
}

/// Runs the engine on both rolls as [`reconcile`] does (learning the
/// parameters unless [`Config::params`] gives them), then explains the
/// pair of the entries with keys `ec_key` and `sec_key`: which blocking
/// passes propose it, each field's level and weight, its match
/// probability, and where the run put each entry. For a reviewer asking
/// why an elector shows as missing when they appear in the other roll.
///
/// Fails when a key is not in its roll.
///
/// ```
/// use std::path::Path;
/// use rollrec::{ElectorKey, RollKind};
///
/// let config = rollrec::Config::default();
/// let (ec, sec) = rollrec::read_roll_files(
///     Path::new("../../fixtures/sample/ec.csv"),
///     Path::new("../../fixtures/sample/sec.csv"),
///     &config,
/// )?;
/// let ec_key = ec.roll.electors[0].key();
/// let sec_key = ElectorKey::parse(RollKind::LocalBody, "Sonarpur Municipality/1/1").unwrap();
/// let review = rollrec::explain_pair(&ec.roll, &sec.roll, &config, &ec_key, &sec_key)?;
/// assert_eq!(review.explanation.fields.len(), 7);
/// println!("{:.3}", review.explanation.probability);
/// # Ok::<(), rollrec::Error>(())
/// ```
pub fn explain_pair(
    ec: &Roll,
    sec: &Roll,
    config: &Config,
    ec_key: &ElectorKey,
    sec_key: &ElectorKey,
) -> Result<PairReview, Error> {
    let find = |roll: &Roll, key: &ElectorKey, what: &str| {
        roll.electors
            .iter()
            .position(|e| &e.key() == key)
            .ok_or_else(|| Error::NoSuchEntry(format!("{key} is not in the {what} roll")))
    };
    let i = find(ec, ec_key, "EC")?;
    let j = find(sec, sec_key, "SEC")?;
    let matcher = config.fs_matcher();
    let run = matcher.run(ec, sec);
    let explanation = matcher
        .explain(ec, sec, &run.params, i, j)
        .ok_or_else(|| Error::Invariant(format!("entries {i} and {j} are in their rolls")))?;
    let place =
        |own: &dyn Fn(&MatchPair) -> usize, other: &dyn Fn(&MatchPair) -> usize, at: usize| {
            if let Some(p) = run.result.pairs.iter().find(|p| own(p) == at) {
                Placement::Paired {
                    with: other(p),
                    probability: p.score,
                }
            } else if let Some(p) = run.result.review.iter().find(|p| own(p) == at) {
                Placement::Review {
                    with: other(p),
                    probability: p.score,
                }
            } else {
                Placement::Unmatched
            }
        };
    Ok(PairReview {
        ec: i,
        sec: j,
        explanation,
        ec_placement: place(&|p| p.ec, &|p| p.sec, i),
        sec_placement: place(&|p| p.sec, &|p| p.ec, j),
        params: run.params,
    })
}

/// Reads both rolls from files and reconciles them.
pub fn reconcile_files(ec: &Path, sec: &Path, config: &Config) -> Result<Report, Error> {
    let (ec, sec) = read_roll_files(ec, sec, config)?;
    reconcile(ec, sec, config)
}
