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

pub use rollrec_io::csv::ReadOptions;
pub use rollrec_match::{ExactMatcher, MatchResult, Matcher};
pub use rollrec_model::{Elector, ReadOutcome, Reject, Roll, RollKind};
pub use rollrec_report::{DiscrepancyKind, Finding, Report, Summary};

/// How to reconcile.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Config {
    /// Fail on the first bad input row instead of rejecting it.
    pub strict: bool,
}

impl Config {
    /// Sets [`Config::strict`].
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
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
    let _ = config;
    if ec.roll.kind != RollKind::Assembly || sec.roll.kind != RollKind::LocalBody {
        return Err(Error::Invariant(format!(
            "reconcile takes an assembly roll and a local-body roll, got {} and {}",
            ec.roll.kind, sec.roll.kind
        )));
    }
    let matcher = ExactMatcher;
    let result = matcher.match_rolls(&ec.roll, &sec.roll);
    result
        .check(ec.roll.len(), sec.roll.len())
        .map_err(|e| Error::Invariant(e.to_string()))?;
    let report = Report::new(ec, sec, matcher.name(), result);
    report.summary().check().map_err(Error::Invariant)?;
    Ok(report)
}

/// Reads both rolls from files and reconciles them.
pub fn reconcile_files(ec: &Path, sec: &Path, config: &Config) -> Result<Report, Error> {
    let ec = read_roll_file(ec, RollKind::Assembly, config)?;
    let sec = read_roll_file(sec, RollKind::LocalBody, config)?;
    reconcile(ec, sec, config)
}
