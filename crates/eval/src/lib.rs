//! Evaluates a `rollrec reconcile` run against the ground truth written by
//! `rollrec synth` (`truth.csv`, see the `rollrec-synth` crate).
//!
//! [`evaluate`] reads `truth.csv` and the run's `matches.csv` and
//! `discrepancies.csv` (columns found by header name; extra columns are
//! ignored) and scores them.
//!
//! # Matches: pairwise precision, recall, F1
//!
//! Every EC and SEC key of the truth belongs to a person (the truth's
//! `group_id`). The truth pairs are its `pair` rows. A run pair is distinct
//! by its (EC key, SEC key); repeated rows count once (reported as
//! `repeated_rows`). A run pair is correct when both entries belong to the
//! same person; a person with `n` truth pairs can earn at most `n` correct
//! run pairs (so pairing an EC duplicate's copy instead of the original
//! counts, pairing both does not). `tp` is the sum over persons of
//! `min(truth pairs, correct run pairs)`, `fp = run pairs - tp`,
//! `fn = truth pairs - tp`. Run keys absent from the truth are counted in
//! `unknown_keys` (and are false positives).
//!
//! # Discrepancies: per kind
//!
//! A row is identified by its EC key and/or SEC key (blank cells: the side
//! does not apply). A run row matches a truth row of the same `kind` when
//! every side present in both rows is equal and at least one side is present
//! in both. So `missing_in_sec`, `duplicate_in_ec` (EC side),
//! `missing_in_ec`, `duplicate_in_sec` (SEC side), `logical_error` and
//! `epic_conflict` (the entry) compare the entry; `attribute_mismatch` and
//! `wrong_ward` compare the pair, or the one side a run reports. Run rows
//! that repeat an identity count once. `tp` = distinct run rows matching a
//! truth row, `fp` = the others, `fn` = truth rows no run row matched.
//! Precision (`tp / run rows`) is `None` when the run has no row of the kind,
//! recall (`matched truth / truth rows`) when the truth has none.
//!
//! Duplicate kinds are also scored pairwise within groups: each group
//! (`group_id`) contributes every unordered pair of its members; the run's
//! member pairs are compared with the truth's.
//!
//! ```
//! use rollrec_eval::evaluate;
//!
//! let dir = std::env::temp_dir().join(format!("rollrec-eval-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).expect("temp dir");
//! let head = "kind,ec_ac_no,ec_part_no,ec_serial_no,sec_local_body,sec_ward_no,sec_serial_no,group_id,fields,detail\n";
//! std::fs::write(dir.join("truth.csv"), format!("{head}pair,1,1,1,GP1,1,1,p1,,\npair,1,1,2,GP1,1,2,p2,,\nmissing_in_sec,1,1,3,,,,p3,,\n")).expect("write");
//! std::fs::write(dir.join("matches.csv"), "ec_ac_no,ec_part_no,ec_serial_no,sec_local_body,sec_ward_no,sec_serial_no,score,method\n1,1,1,GP1,1,1,0.99,epic\n1,1,2,GP1,1,1,0.5,name\n").expect("write");
//! std::fs::write(dir.join("discrepancies.csv"), "kind,ec_ac_no,ec_part_no,ec_serial_no,sec_local_body,sec_ward_no,sec_serial_no,group_id,fields,detail,score\nmissing_in_sec,1,1,3,,,,,,,\n").expect("write");
//! let report = evaluate(&dir.join("truth.csv"), &dir)?;
//! assert_eq!(report.pairs.scores.tp, 1);
//! assert_eq!(report.pairs.scores.fp, 1);
//! assert_eq!(report.pairs.scores.precision, Some(0.5));
//! assert_eq!(report.discrepancies["missing_in_sec"].recall, Some(1.0));
//! println!("{}", report.to_table());
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), rollrec_eval::EvalError>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Errors of the evaluator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A file could not be opened or read.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A required column is missing.
    #[error("{path}: missing column {column}")]
    Column {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// A cell could not be parsed.
    #[error("{path}: line {line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// The report could not be written.
    #[error("{path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// An EC key: (AC, part, serial).
type EcKey = (u32, u32, u32);
/// An SEC key: (local body, ward, serial).
type SecKey = (String, u32, u32);

/// A row's identity: its EC and SEC keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Ident {
    ec: Option<EcKey>,
    sec: Option<SecKey>,
}

impl Ident {
    fn matches(&self, other: &Ident) -> bool {
        let mut shared = false;
        if let (Some(a), Some(b)) = (&self.ec, &other.ec) {
            if a != b {
                return false;
            }
            shared = true;
        }
        if let (Some(a), Some(b)) = (&self.sec, &other.sec) {
            if a != b {
                return false;
            }
            shared = true;
        }
        shared
    }
}

#[derive(Debug, Clone)]
struct Row {
    kind: String,
    ident: Ident,
    group: String,
    /// `fields`, `detail` and `score` cells, blank when the file has no
    /// such column: shown in the list of mistakes.
    fields: String,
    detail: String,
    score: String,
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Rows (or pairs) in the truth.
    pub truth: u64,
    /// Distinct rows (or pairs) in the run.
    pub run: u64,
    /// Run rows that repeated an earlier one (counted once).
    pub repeated_rows: u64,
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    pub fn_: u64,
    /// `tp / run`; `None` when the run has none.
    pub precision: Option<f64>,
    /// Matched truth / truth; `None` when the truth has none.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall, when both exist.
    pub f1: Option<f64>,
}

impl Scores {
    fn new(truth: u64, run: u64, repeated: u64, tp: u64, matched_truth: u64) -> Scores {
        let precision = (run > 0).then(|| tp as f64 / run as f64);
        let recall = (truth > 0).then(|| matched_truth as f64 / truth as f64);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Scores {
            truth,
            run,
            repeated_rows: repeated,
            tp,
            fp: run - tp,
            fn_: truth - matched_truth,
            precision,
            recall,
            f1,
        }
    }
}

/// Pairwise scores of `matches.csv`: the [`Scores`] of the distinct run
/// pairs (`tp` capped per person, see the crate docs), and how many of them
/// name a key the truth lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairScores {
    /// Truth pairs, distinct run pairs, correct and incorrect ones.
    #[serde(flatten)]
    pub scores: Scores,
    /// Run pairs naming a key that is not in the truth.
    pub unknown_keys: u64,
}

/// Which way a run got a row wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A run row the truth does not support (counted in `fp`).
    FalsePositive,
    /// A truth row the run did not find (counted in `fn`).
    Missed,
}

impl Verdict {
    /// The name written in `mistakes.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::FalsePositive => "false_positive",
            Verdict::Missed => "missed",
        }
    }
}

/// One row a run got wrong, for review: a false or missed pair (`kind`
/// `pair`) or discrepancy. For each kind there are exactly `fp` false
/// positives and `fn` missed rows, as counted in the [`EvalReport`].
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// False positive or missed.
    pub verdict: Verdict,
    /// `pair` or a discrepancy kind.
    pub kind: String,
    /// EC key (AC, part, serial), when the row has one.
    pub ec: Option<(u32, u32, u32)>,
    /// SEC key (local body, ward, serial), when the row has one.
    pub sec: Option<(String, u32, u32)>,
    /// The row's `group_id` (the truth's person id for pairs).
    pub group_id: String,
    /// The row's `fields`.
    pub fields: String,
    /// The run row's detail for a false positive, the truth row's for a
    /// missed one; for a false pair, whose entries the two keys are.
    pub detail: String,
}

/// Columns of the mistakes file written by [`write_mistakes`].
pub const MISTAKE_COLUMNS: &[&str] = &[
    "verdict",
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

impl Mistake {
    fn of(verdict: Verdict, row: &Row, detail: String) -> Mistake {
        Mistake {
            verdict,
            kind: row.kind.clone(),
            ec: row.ident.ec,
            sec: row.ident.sec.clone(),
            group_id: row.group.clone(),
            fields: row.fields.clone(),
            detail,
        }
    }
}

/// The evaluation of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// The truth file.
    pub truth_file: String,
    /// The run directory.
    pub run_dir: String,
    /// Pairwise scores of `matches.csv`.
    pub pairs: PairScores,
    /// Per discrepancy kind: scores of `discrepancies.csv` rows (kinds in
    /// the truth or the run).
    pub discrepancies: BTreeMap<String, Scores>,
    /// Duplicate kinds, pairwise within groups.
    pub duplicate_pairs: BTreeMap<String, Scores>,
}

const TRUTH_FILE_KINDS_WITH_PERSON: &[&str] = &[
    "pair",
    "missing_in_sec",
    "missing_in_ec",
    "attribute_mismatch",
    "wrong_ward",
    "duplicate_in_ec",
    "duplicate_in_sec",
];

/// Reads a CSV file by header names into rows of the columns asked for;
/// `required` columns must exist, others may be absent (read as blank).
fn read_csv(
    path: &Path,
    columns: &[&str],
    required: &[&str],
) -> Result<Vec<(u64, Vec<String>)>, EvalError> {
    let read_err = |message: String| EvalError::Read {
        path: path.to_path_buf(),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| read_err(e.to_string()))?;
    let header = rdr.headers().map_err(|e| read_err(e.to_string()))?.clone();
    let index: Vec<Option<usize>> = columns
        .iter()
        .map(|c| {
            header.iter().position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(c)
            })
        })
        .collect();
    for r in required {
        let i = columns.iter().position(|c| c == r);
        if i.and_then(|i| index[i]).is_none() {
            return Err(EvalError::Column {
                path: path.to_path_buf(),
                column: (*r).to_string(),
            });
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| read_err(e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cells = index
            .iter()
            .map(|i| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string())
            .collect();
        out.push((line, cells));
    }
    Ok(out)
}

const KEY_COLUMNS: [&str; 6] = [
    "ec_ac_no",
    "ec_part_no",
    "ec_serial_no",
    "sec_local_body",
    "sec_ward_no",
    "sec_serial_no",
];

fn parse_ident(path: &Path, line: u64, cells: &[String]) -> Result<Ident, EvalError> {
    let num = |s: &str, col: &str| -> Result<Option<u32>, EvalError> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<u32>().map(Some).map_err(|_| EvalError::Parse {
            path: path.to_path_buf(),
            line,
            message: format!("{col}: expected a whole number, got {s:?}"),
        })
    };
    let incomplete = |side: &str| EvalError::Parse {
        path: path.to_path_buf(),
        line,
        message: format!("incomplete {side} key"),
    };
    let ec = match (
        num(&cells[0], KEY_COLUMNS[0])?,
        num(&cells[1], KEY_COLUMNS[1])?,
        num(&cells[2], KEY_COLUMNS[2])?,
    ) {
        (Some(a), Some(p), Some(s)) => Some((a, p, s)),
        (None, None, None) => None,
        _ => return Err(incomplete("EC")),
    };
    let ward = num(&cells[4], KEY_COLUMNS[4])?;
    let serial = num(&cells[5], KEY_COLUMNS[5])?;
    let sec = match (cells[3].is_empty(), ward, serial) {
        (false, Some(w), Some(s)) => Some((cells[3].clone(), w, s)),
        (true, None, None) => None,
        _ => return Err(incomplete("SEC")),
    };
    Ok(Ident { ec, sec })
}

/// Reads rows with a kind, keys and group (and fields, detail and score
/// when present).
fn read_rows(path: &Path, with_kind: bool) -> Result<Vec<Row>, EvalError> {
    let mut cols: Vec<&str> = KEY_COLUMNS.to_vec();
    cols.extend(["group_id", "kind", "fields", "detail", "score"]);
    let mut required: Vec<&str> = KEY_COLUMNS.to_vec();
    if with_kind {
        required.push("kind");
    }
    let rows = read_csv(path, &cols, &required)?;
    rows.into_iter()
        .map(|(line, cells)| {
            Ok(Row {
                ident: parse_ident(path, line, &cells)?,
                group: cells[6].clone(),
                kind: cells[7].clone(),
                fields: cells[8].clone(),
                detail: cells[9].clone(),
                score: cells[10].clone(),
            })
        })
        .collect()
}

/// Evaluates the run in `run_dir` (`matches.csv`, `discrepancies.csv`)
/// against `truth_csv`.
pub fn evaluate(truth_csv: &Path, run_dir: &Path) -> Result<EvalReport, EvalError> {
    evaluate_with_mistakes(truth_csv, run_dir).map(|(report, _)| report)
}

/// Like [`evaluate`], and also lists the rows the run got wrong: pairs
/// first, then discrepancy kinds in name order; false positives in run
/// order, then missed rows in truth order.
pub fn evaluate_with_mistakes(
    truth_csv: &Path,
    run_dir: &Path,
) -> Result<(EvalReport, Vec<Mistake>), EvalError> {
    let truth = read_rows(truth_csv, true)?;
    let matches_path = run_dir.join("matches.csv");
    let disc_path = run_dir.join("discrepancies.csv");
    let matches = read_rows(&matches_path, false)?;
    let discrepancies = read_rows(&disc_path, true)?;
    let mut mistakes = Vec::new();
    let report = EvalReport {
        truth_file: truth_csv.display().to_string(),
        run_dir: run_dir.display().to_string(),
        pairs: score_pairs(&truth, &matches, &mut mistakes),
        discrepancies: score_kinds(&truth, &discrepancies, &mut mistakes),
        duplicate_pairs: score_duplicate_pairs(&truth, &discrepancies),
    };
    Ok((report, mistakes))
}

/// Writes `mistakes` as CSV ([`MISTAKE_COLUMNS`]).
pub fn write_mistakes(path: &Path, mistakes: &[Mistake]) -> Result<(), EvalError> {
    let err = |e: &dyn std::fmt::Display| EvalError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_path(path).map_err(|e| err(&e))?;
    w.write_record(MISTAKE_COLUMNS).map_err(|e| err(&e))?;
    let opt = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    for m in mistakes {
        let (a, p, s) =
            m.ec.map_or((None, None, None), |(a, p, s)| (Some(a), Some(p), Some(s)));
        let (b, wd, ss) = match &m.sec {
            Some((b, wd, ss)) => (b.as_str(), Some(*wd), Some(*ss)),
            None => ("", None, None),
        };
        w.write_record([
            m.verdict.as_str(),
            &m.kind,
            &opt(a),
            &opt(p),
            &opt(s),
            b,
            &opt(wd),
            &opt(ss),
            &m.group_id,
            &m.fields,
            &m.detail,
        ])
        .map_err(|e| err(&e))?;
    }
    w.flush().map_err(|e| err(&e))
}

fn score_pairs(truth: &[Row], run: &[Row], mistakes: &mut Vec<Mistake>) -> PairScores {
    let mut ec_person: HashMap<&EcKey, &str> = HashMap::new();
    let mut sec_person: HashMap<&SecKey, &str> = HashMap::new();
    let mut truth_pairs: HashMap<&str, u64> = HashMap::new();
    let mut n_truth = 0u64;
    for r in truth {
        if !TRUTH_FILE_KINDS_WITH_PERSON.contains(&r.kind.as_str()) || r.group.is_empty() {
            continue;
        }
        if let Some(k) = &r.ident.ec {
            ec_person.insert(k, &r.group);
        }
        if let Some(k) = &r.ident.sec {
            sec_person.insert(k, &r.group);
        }
        if r.kind == "pair" && r.ident.ec.is_some() && r.ident.sec.is_some() {
            *truth_pairs.entry(&r.group).or_default() += 1;
            n_truth += 1;
        }
    }
    let mut seen: HashSet<&Ident> = HashSet::new();
    let mut repeated = 0u64;
    let mut unknown = 0u64;
    // Per person, the correct distinct run pairs (indices into `run`).
    let mut correct: HashMap<&str, Vec<usize>> = HashMap::new();
    // False positives as (index into `run`, detail).
    let mut false_pairs: Vec<(usize, String)> = Vec::new();
    let who =
        |p: Option<&&str>| p.map_or("not in the truth".to_string(), |p| format!("person {p}"));
    for (i, r) in run.iter().enumerate() {
        if !seen.insert(&r.ident) {
            repeated += 1;
            continue;
        }
        let p_ec = r.ident.ec.as_ref().and_then(|k| ec_person.get(k));
        let p_sec = r.ident.sec.as_ref().and_then(|k| sec_person.get(k));
        if (r.ident.ec.is_some() && p_ec.is_none()) || (r.ident.sec.is_some() && p_sec.is_none()) {
            unknown += 1;
        }
        match (p_ec, p_sec) {
            (Some(a), Some(b)) if a == b => correct.entry(a).or_default().push(i),
            _ => false_pairs.push((
                i,
                format!(
                    "EC entry: {}, SEC entry: {}; run score {}",
                    who(p_ec),
                    who(p_sec),
                    run[i].score
                ),
            )),
        }
    }
    let is_truth_pair: HashSet<&Ident> = truth
        .iter()
        .filter(|r| r.kind == "pair")
        .map(|r| &r.ident)
        .collect();
    // A person's correct pairs count up to their number of truth pairs;
    // those that are truth pairs themselves count first, the rest are
    // false positives.
    let mut tp = 0u64;
    let mut found: HashMap<&str, u64> = HashMap::new();
    for (person, rows) in &mut correct {
        let n = truth_pairs.get(person).copied().unwrap_or(0);
        let got = (rows.len() as u64).min(n);
        tp += got;
        found.insert(person, got);
        rows.sort_by_key(|&i| (!is_truth_pair.contains(&run[i].ident), i));
        for &i in rows.iter().skip(got as usize) {
            false_pairs.push((
                i,
                format!(
                    "one pair more than person {person} has in the truth ({n}); run score {}",
                    run[i].score
                ),
            ));
        }
    }
    false_pairs.sort_by_key(|(i, _)| *i);
    let pair = |verdict, r: &Row, detail: String| Mistake {
        kind: "pair".to_string(),
        ..Mistake::of(verdict, r, detail)
    };
    for (i, detail) in false_pairs {
        mistakes.push(pair(Verdict::FalsePositive, &run[i], detail));
    }
    // Missed truth pairs: per person as many as the run fell short, those
    // the run does not name literally first; listed in truth order.
    let mut short: HashMap<&str, u64> = truth_pairs
        .iter()
        .map(|(p, n)| (*p, n - found.get(p).copied().unwrap_or(0)))
        .collect();
    let truth_pair_rows = || {
        truth
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == "pair" && r.ident.ec.is_some() && r.ident.sec.is_some())
    };
    let mut missed: Vec<usize> = Vec::new();
    for named_by_run in [false, true] {
        for (i, r) in truth_pair_rows() {
            if seen.contains(&r.ident) == named_by_run
                && let Some(k) = short.get_mut(r.group.as_str())
                && *k > 0
            {
                *k -= 1;
                missed.push(i);
            }
        }
    }
    missed.sort_unstable();
    for i in missed {
        mistakes.push(pair(Verdict::Missed, &truth[i], truth[i].detail.clone()));
    }
    PairScores {
        scores: Scores::new(n_truth, seen.len() as u64, repeated, tp, tp),
        unknown_keys: unknown,
    }
}

/// Index of truth rows of one kind by EC key and by SEC key.
struct KindIndex<'a> {
    rows: Vec<&'a Row>,
    by_ec: HashMap<&'a EcKey, Vec<usize>>,
    by_sec: HashMap<&'a SecKey, Vec<usize>>,
}

impl<'a> KindIndex<'a> {
    fn new(rows: Vec<&'a Row>) -> KindIndex<'a> {
        let mut by_ec: HashMap<&EcKey, Vec<usize>> = HashMap::new();
        let mut by_sec: HashMap<&SecKey, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(k) = &r.ident.ec {
                by_ec.entry(k).or_default().push(i);
            }
            if let Some(k) = &r.ident.sec {
                by_sec.entry(k).or_default().push(i);
            }
        }
        KindIndex {
            rows,
            by_ec,
            by_sec,
        }
    }

    /// Truth rows matching `ident`.
    fn matching(&self, ident: &Ident) -> Vec<usize> {
        let mut cand: Vec<usize> = Vec::new();
        if let Some(k) = &ident.ec {
            cand.extend(self.by_ec.get(k).into_iter().flatten());
        }
        if let Some(k) = &ident.sec {
            cand.extend(self.by_sec.get(k).into_iter().flatten());
        }
        cand.sort_unstable();
        cand.dedup();
        cand.retain(|&i| self.rows[i].ident.matches(ident));
        cand
    }
}

fn score_kinds(
    truth: &[Row],
    run: &[Row],
    mistakes: &mut Vec<Mistake>,
) -> BTreeMap<String, Scores> {
    let mut kinds: Vec<&str> = truth
        .iter()
        .chain(run)
        .map(|r| r.kind.as_str())
        .filter(|k| *k != "pair")
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut out = BTreeMap::new();
    for kind in kinds {
        let index = KindIndex::new(truth.iter().filter(|r| r.kind == kind).collect());
        let mut matched = vec![false; index.rows.len()];
        let mut seen: HashSet<&Ident> = HashSet::new();
        let (mut repeated, mut tp) = (0u64, 0u64);
        for r in run.iter().filter(|r| r.kind == kind) {
            if !seen.insert(&r.ident) {
                repeated += 1;
                continue;
            }
            let m = index.matching(&r.ident);
            if m.is_empty() {
                mistakes.push(Mistake::of(Verdict::FalsePositive, r, r.detail.clone()));
            } else {
                tp += 1;
            }
            for i in m {
                matched[i] = true;
            }
        }
        for (r, _) in index.rows.iter().zip(&matched).filter(|(_, m)| !**m) {
            mistakes.push(Mistake::of(Verdict::Missed, r, r.detail.clone()));
        }
        let matched_truth = matched.iter().filter(|m| **m).count() as u64;
        out.insert(
            kind.to_string(),
            Scores::new(
                index.rows.len() as u64,
                seen.len() as u64,
                repeated,
                tp,
                matched_truth,
            ),
        );
    }
    out
}

/// The unordered member pairs of each group of a duplicate kind.
fn member_pairs(rows: &[Row], kind: &str) -> HashSet<(Ident, Ident)> {
    let mut groups: BTreeMap<&str, Vec<&Ident>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.kind == kind && !r.group.is_empty())
    {
        groups.entry(&r.group).or_default().push(&r.ident);
    }
    let mut pairs = HashSet::new();
    for members in groups.values_mut() {
        members.sort_by_key(|i| (i.ec, i.sec.clone()));
        members.dedup();
        for a in 0..members.len() {
            for b in a + 1..members.len() {
                pairs.insert((members[a].clone(), members[b].clone()));
            }
        }
    }
    pairs
}

fn score_duplicate_pairs(truth: &[Row], run: &[Row]) -> BTreeMap<String, Scores> {
    let mut out = BTreeMap::new();
    for kind in ["duplicate_in_ec", "duplicate_in_sec"] {
        let t = member_pairs(truth, kind);
        let r = member_pairs(run, kind);
        let tp = r.intersection(&t).count() as u64;
        out.insert(
            kind.to_string(),
            Scores::new(t.len() as u64, r.len() as u64, 0, tp, tp),
        );
    }
    out
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"))
}

impl EvalReport {
    /// A readable table of the scores.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let header = format!(
            "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
            "", "truth", "run", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        let line = |s: &mut String, name: &str, x: &Scores| {
            let _ = writeln!(
                s,
                "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                name,
                x.truth,
                x.run,
                x.tp,
                x.fp,
                x.fn_,
                fmt_opt(x.precision),
                fmt_opt(x.recall),
                fmt_opt(x.f1)
            );
        };
        let _ = writeln!(s, "truth: {}\nrun:   {}\n", self.truth_file, self.run_dir);
        s.push_str("matches (pairwise)\n");
        s.push_str(&header);
        let p = &self.pairs;
        line(&mut s, "pairs", &p.scores);
        if p.scores.repeated_rows > 0 || p.unknown_keys > 0 {
            let _ = writeln!(
                s,
                "  ({} repeated run rows, {} run pairs with keys not in the truth)",
                p.scores.repeated_rows, p.unknown_keys
            );
        }
        s.push_str("\ndiscrepancies (per kind)\n");
        s.push_str(&header);
        for (k, v) in &self.discrepancies {
            line(&mut s, k, v);
        }
        s.push_str("\nduplicate groups (member pairs within groups)\n");
        s.push_str(&header);
        for (k, v) in &self.duplicate_pairs {
            line(&mut s, k, v);
        }
        s
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Writes the report: JSON to `path`, and when `path` ends in `.json`
    /// the table to the same path with `.txt` instead. Returns the paths
    /// written.
    pub fn write(&self, path: &Path) -> Result<Vec<PathBuf>, EvalError> {
        let write = |p: &Path, text: &str| {
            std::fs::write(p, text).map_err(|e| EvalError::Write {
                path: p.to_path_buf(),
                message: e.to_string(),
            })
        };
        write(path, &(self.to_json() + "\n"))?;
        let mut written = vec![path.to_path_buf()];
        if path.extension().is_some_and(|e| e == "json") {
            let txt = path.with_extension("txt");
            write(&txt, &self.to_table())?;
            written.push(txt);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUTH_HEAD: &str = "kind,ec_ac_no,ec_part_no,ec_serial_no,sec_local_body,sec_ward_no,sec_serial_no,group_id,fields,detail\n";
    const MATCH_HEAD: &str =
        "ec_ac_no,ec_part_no,ec_serial_no,sec_local_body,sec_ward_no,sec_serial_no,score,method\n";
    const DISC_HEAD: &str = "kind,ec_ac_no,ec_part_no,ec_serial_no,sec_local_body,sec_ward_no,sec_serial_no,group_id,fields,detail,score\n";

    /// A small truth: 4 pairs (one wrong ward, one mismatch), one missing in
    /// SEC, one missing in EC, a duplicate group in EC, a logical error.
    const TRUTH: &str = "\
pair,1,1,1,GP,1,1,a,,
pair,1,1,2,GP,1,2,b,,
pair,1,1,3,GP,2,5,c,,
wrong_ward,1,1,3,GP,2,5,c,ward_no,
pair,1,1,4,GP,1,3,d,,
attribute_mismatch,1,1,4,GP,1,3,d,age,
missing_in_sec,1,1,5,,,,e,,
missing_in_ec,,,,GP,1,4,x,,
duplicate_in_ec,1,1,1,,,,a,,
duplicate_in_ec,1,1,6,,,,a,,
logical_error,1,1,2,,,,,epic_no,blank
";

    fn run(matches: &str, disc: &str) -> EvalReport {
        run_with_mistakes(matches, disc).0
    }

    fn run_with_mistakes(matches: &str, disc: &str) -> (EvalReport, Vec<Mistake>) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("truth.csv"), format!("{TRUTH_HEAD}{TRUTH}")).expect("w");
        std::fs::write(
            dir.path().join("matches.csv"),
            format!("{MATCH_HEAD}{matches}"),
        )
        .expect("w");
        std::fs::write(
            dir.path().join("discrepancies.csv"),
            format!("{DISC_HEAD}{disc}"),
        )
        .expect("w");
        evaluate_with_mistakes(&dir.path().join("truth.csv"), dir.path()).expect("evaluates")
    }

    /// (verdict, kind, EC serial, SEC serial) of each mistake.
    fn brief(mistakes: &[Mistake]) -> Vec<(&'static str, &str, Option<u32>, Option<u32>)> {
        mistakes
            .iter()
            .map(|m| {
                (
                    m.verdict.as_str(),
                    m.kind.as_str(),
                    m.ec.map(|k| k.2),
                    m.sec.as_ref().map(|k| k.2),
                )
            })
            .collect()
    }

    /// Every kind's false positives and missed rows are listed, as many as
    /// the scores count.
    fn assert_mistakes_add_up(r: &EvalReport, mistakes: &[Mistake]) {
        let count = |kind: &str, v: Verdict| {
            mistakes
                .iter()
                .filter(|m| m.kind == kind && m.verdict == v)
                .count() as u64
        };
        assert_eq!(count("pair", Verdict::FalsePositive), r.pairs.scores.fp);
        assert_eq!(count("pair", Verdict::Missed), r.pairs.scores.fn_);
        for (k, s) in &r.discrepancies {
            assert_eq!(count(k, Verdict::FalsePositive), s.fp, "{k}");
            assert_eq!(count(k, Verdict::Missed), s.fn_, "{k}");
        }
    }

    const PERFECT_MATCHES: &str =
        "1,1,1,GP,1,1,1,x\n1,1,2,GP,1,2,1,x\n1,1,3,GP,2,5,1,x\n1,1,4,GP,1,3,1,x\n";
    const PERFECT_DISC: &str = "\
wrong_ward,1,1,3,GP,2,5,,,,
attribute_mismatch,1,1,4,GP,1,3,,age,,
missing_in_sec,1,1,5,,,,,,,
missing_in_ec,,,,GP,1,4,,,,
duplicate_in_ec,1,1,1,,,,g1,,,
duplicate_in_ec,1,1,6,,,,g1,,,
logical_error,1,1,2,,,,,,,
";

    #[test]
    fn perfect_run_scores_one() {
        let r = run(PERFECT_MATCHES, PERFECT_DISC);
        assert_eq!(
            (r.pairs.scores.tp, r.pairs.scores.fp, r.pairs.scores.fn_),
            (4, 0, 0)
        );
        assert_eq!(r.pairs.scores.f1, Some(1.0));
        for (k, s) in &r.discrepancies {
            assert_eq!((s.precision, s.recall), (Some(1.0), Some(1.0)), "{k}");
        }
        assert_eq!(r.duplicate_pairs["duplicate_in_ec"].f1, Some(1.0));
        assert_eq!(r.duplicate_pairs["duplicate_in_sec"].truth, 0);
    }

    #[test]
    fn empty_run() {
        let r = run("", "");
        assert_eq!(
            (r.pairs.scores.tp, r.pairs.scores.fp, r.pairs.scores.fn_),
            (0, 0, 4)
        );
        assert_eq!(r.pairs.scores.precision, None);
        assert_eq!(r.pairs.scores.recall, Some(0.0));
        assert_eq!(r.pairs.scores.f1, None);
        let m = &r.discrepancies["missing_in_sec"];
        assert_eq!(
            (m.tp, m.fp, m.fn_, m.precision, m.recall),
            (0, 0, 1, None, Some(0.0))
        );
    }

    #[test]
    fn all_wrong() {
        // Every pair crossed, every discrepancy on the wrong entry, an
        // unknown key.
        let matches = "1,1,1,GP,1,2,1,x\n1,1,2,GP,1,1,1,x\n1,1,9,GP,1,9,1,x\n";
        let disc = "missing_in_sec,1,1,1,,,,,,,\nwrong_ward,1,1,4,GP,1,3,,,,\nambiguous_match,1,1,2,GP,1,2,,,,\n";
        let r = run(matches, disc);
        assert_eq!(
            (r.pairs.scores.tp, r.pairs.scores.fp, r.pairs.scores.fn_),
            (0, 3, 4)
        );
        assert_eq!(r.pairs.unknown_keys, 1);
        assert_eq!(r.pairs.scores.f1, Some(0.0));
        let m = &r.discrepancies["missing_in_sec"];
        assert_eq!((m.tp, m.fp, m.fn_), (0, 1, 1));
        let w = &r.discrepancies["wrong_ward"];
        assert_eq!((w.tp, w.fp, w.fn_, w.precision), (0, 1, 1, Some(0.0)));
        // A kind with no truth rows: precision 0, recall undefined.
        let a = &r.discrepancies["ambiguous_match"];
        assert_eq!(
            (a.truth, a.fp, a.precision, a.recall),
            (0, 1, Some(0.0), None)
        );
    }

    #[test]
    fn mistakes_list_what_the_scores_count() {
        let (r, m) = run_with_mistakes(PERFECT_MATCHES, PERFECT_DISC);
        assert_eq!(m, []);
        assert_mistakes_add_up(&r, &m);

        let matches =
            "1,1,1,GP,1,2,0.7,x\n1,1,2,GP,1,1,0.6,x\n1,1,9,GP,1,9,1,x\n1,1,4,GP,1,3,1,x\n";
        let disc = "missing_in_sec,1,1,1,,,,,,says 1,\nmissing_in_sec,1,1,5,,,,,,,\nwrong_ward,1,1,4,GP,1,3,,,,\n";
        let (r, m) = run_with_mistakes(matches, disc);
        assert_mistakes_add_up(&r, &m);
        let got = brief(&m);
        let want: [(&str, &str, Option<u32>, Option<u32>); 11] = [
            // Run pairs in run order: two crossed, one unknown.
            ("false_positive", "pair", Some(1), Some(2)),
            ("false_positive", "pair", Some(2), Some(1)),
            ("false_positive", "pair", Some(9), Some(9)),
            // Truth pairs not found, in truth order.
            ("missed", "pair", Some(1), Some(1)),
            ("missed", "pair", Some(2), Some(2)),
            ("missed", "pair", Some(3), Some(5)),
            // Kinds in name order.
            ("missed", "attribute_mismatch", Some(4), Some(3)),
            ("missed", "duplicate_in_ec", Some(1), None),
            ("missed", "duplicate_in_ec", Some(6), None),
            ("missed", "logical_error", Some(2), None),
            ("missed", "missing_in_ec", None, Some(4)),
        ];
        assert_eq!(&got[..11], &want[..]);
        assert_eq!(
            &got[11..],
            [
                ("false_positive", "missing_in_sec", Some(1), None),
                ("false_positive", "wrong_ward", Some(4), Some(3)),
                ("missed", "wrong_ward", Some(3), Some(5)),
            ]
        );
        // Details: the run's for a false row, the truth's for a missed one,
        // whose person each key is for a false pair.
        assert_eq!(
            m[0].detail,
            "EC entry: person a, SEC entry: person b; run score 0.7"
        );
        assert_eq!(
            m[2].detail,
            "EC entry: not in the truth, SEC entry: not in the truth; run score 1"
        );
        assert_eq!(m[9].detail, "blank");
        assert_eq!(m[11].detail, "says 1");
    }

    #[test]
    fn a_pair_beyond_the_persons_count_is_the_listed_one() {
        // Person a has one truth pair (1,1,1 ~ GP 1 1); its duplicate copy
        // 1,1,6 paired as well is the extra one, whichever comes first.
        let (r, m) = run_with_mistakes("1,1,6,GP,1,1,1,x\n1,1,1,GP,1,1,1,x\n", "");
        assert_mistakes_add_up(&r, &m);
        let pairs: Vec<_> = brief(&m).into_iter().filter(|b| b.1 == "pair").collect();
        assert_eq!(
            pairs,
            [
                ("false_positive", "pair", Some(6), Some(1)),
                ("missed", "pair", Some(2), Some(2)),
                ("missed", "pair", Some(3), Some(5)),
                ("missed", "pair", Some(4), Some(3)),
            ]
        );
        assert!(
            m[0].detail.starts_with("one pair more than person a has"),
            "{}",
            m[0].detail
        );
    }

    #[test]
    fn mistakes_file_round_trips_through_csv() {
        let (_, m) = run_with_mistakes("1,1,1,GP,1,2,0.7,x\n", "");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mistakes.csv");
        write_mistakes(&path, &m).expect("writes");
        let mut rdr = csv::Reader::from_path(&path).expect("opens");
        let header: Vec<String> = rdr
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(header, MISTAKE_COLUMNS);
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), m.len());
        let first: Vec<&str> = rows[0].iter().take(8).collect();
        assert_eq!(
            first,
            ["false_positive", "pair", "1", "1", "1", "GP", "1", "2"]
        );
    }

    #[test]
    fn repeated_run_rows_count_once() {
        let matches = format!("{PERFECT_MATCHES}1,1,1,GP,1,1,0.9,y\n");
        let disc = format!("{PERFECT_DISC}missing_in_sec,1,1,5,,,,,,,\n");
        let r = run(&matches, &disc);
        assert_eq!(
            (
                r.pairs.scores.run,
                r.pairs.scores.repeated_rows,
                r.pairs.scores.fp
            ),
            (4, 1, 0)
        );
        let m = &r.discrepancies["missing_in_sec"];
        assert_eq!((m.run, m.repeated_rows, m.tp, m.fp), (1, 1, 1, 0));
    }

    #[test]
    fn one_sided_rows_match_on_their_side() {
        // A wrong_ward reported with the SEC key only still matches.
        let r = run("", "wrong_ward,,,,GP,2,5,,,,\n");
        assert_eq!(r.discrepancies["wrong_ward"].tp, 1);
    }

    #[test]
    fn same_person_pair_is_capped_per_person() {
        // EC entry 1,1,6 is a duplicate copy of person a: pairing it instead
        // of 1,1,1 is right, pairing both with the SEC entry is one too many.
        let r = run("1,1,6,GP,1,1,1,x\n", "");
        assert_eq!((r.pairs.scores.tp, r.pairs.scores.fp), (1, 0));
        let r = run("1,1,6,GP,1,1,1,x\n1,1,1,GP,1,1,1,x\n", "");
        assert_eq!((r.pairs.scores.tp, r.pairs.scores.fp), (1, 1));
    }

    #[test]
    fn duplicate_groups_pairwise() {
        // The run puts a third, wrong entry into the group.
        let disc = "duplicate_in_ec,1,1,1,,,,g,,,\nduplicate_in_ec,1,1,6,,,,g,,,\nduplicate_in_ec,1,1,2,,,,g,,,\n";
        let r = run("", disc);
        let d = &r.duplicate_pairs["duplicate_in_ec"];
        assert_eq!((d.truth, d.run, d.tp), (1, 3, 1));
        let rows = &r.discrepancies["duplicate_in_ec"];
        assert_eq!((rows.tp, rows.fp, rows.fn_), (2, 1, 0));
    }

    #[test]
    fn bad_files_are_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        let truth = dir.path().join("truth.csv");
        std::fs::write(&truth, format!("{TRUTH_HEAD}pair,1,x,1,GP,1,1,a,,\n")).expect("w");
        std::fs::write(dir.path().join("matches.csv"), MATCH_HEAD).expect("w");
        std::fs::write(dir.path().join("discrepancies.csv"), DISC_HEAD).expect("w");
        let e = evaluate(&truth, dir.path()).expect_err("bad number");
        assert!(e.to_string().contains("line 2"), "{e}");
        std::fs::remove_file(dir.path().join("matches.csv")).expect("rm");
        std::fs::write(&truth, TRUTH_HEAD).expect("w");
        assert!(evaluate(&truth, dir.path()).is_err());
    }

    #[test]
    fn report_writes_json_and_table() {
        let r = run(PERFECT_MATCHES, PERFECT_DISC);
        let dir = tempfile::tempdir().expect("temp dir");
        let written = r.write(&dir.path().join("eval.json")).expect("writes");
        assert_eq!(written.len(), 2);
        let back: EvalReport =
            serde_json::from_str(&std::fs::read_to_string(&written[0]).expect("read"))
                .expect("json");
        assert_eq!(back, r);
        let table = std::fs::read_to_string(&written[1]).expect("read");
        assert!(table.contains("missing_in_sec"));
    }
}
