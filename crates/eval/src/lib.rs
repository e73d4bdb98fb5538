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
//! assert_eq!(report.pairs.tp, 1);
//! assert_eq!(report.pairs.fp, 1);
//! assert_eq!(report.pairs.precision, Some(0.5));
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

/// Pairwise scores of `matches.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairScores {
    /// Truth pairs.
    pub truth: u64,
    /// Distinct run pairs.
    pub run: u64,
    /// Run rows repeating an earlier pair.
    pub repeated_rows: u64,
    /// Run pairs naming a key that is not in the truth.
    pub unknown_keys: u64,
    /// Correct run pairs (capped per person, see the crate docs).
    pub tp: u64,
    /// Incorrect run pairs.
    pub fp: u64,
    /// Truth pairs not found.
    pub fn_: u64,
    /// `tp / run`.
    pub precision: Option<f64>,
    /// `tp / truth`.
    pub recall: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
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

/// Reads rows with a kind, keys and group.
fn read_rows(path: &Path, with_kind: bool) -> Result<Vec<Row>, EvalError> {
    let mut cols: Vec<&str> = KEY_COLUMNS.to_vec();
    cols.push("group_id");
    cols.push("kind");
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
            })
        })
        .collect()
}

/// Evaluates the run in `run_dir` (`matches.csv`, `discrepancies.csv`)
/// against `truth_csv`.
pub fn evaluate(truth_csv: &Path, run_dir: &Path) -> Result<EvalReport, EvalError> {
    let truth = read_rows(truth_csv, true)?;
    let matches_path = run_dir.join("matches.csv");
    let disc_path = run_dir.join("discrepancies.csv");
    let matches = read_rows(&matches_path, false)?;
    let discrepancies = read_rows(&disc_path, true)?;
    Ok(EvalReport {
        truth_file: truth_csv.display().to_string(),
        run_dir: run_dir.display().to_string(),
        pairs: score_pairs(&truth, &matches),
        discrepancies: score_kinds(&truth, &discrepancies),
        duplicate_pairs: score_duplicate_pairs(&truth, &discrepancies),
    })
}

fn score_pairs(truth: &[Row], run: &[Row]) -> PairScores {
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
    let mut correct: HashMap<&str, u64> = HashMap::new();
    for r in run {
        if !seen.insert(&r.ident) {
            repeated += 1;
            continue;
        }
        let p_ec = r.ident.ec.as_ref().and_then(|k| ec_person.get(k));
        let p_sec = r.ident.sec.as_ref().and_then(|k| sec_person.get(k));
        if (r.ident.ec.is_some() && p_ec.is_none()) || (r.ident.sec.is_some() && p_sec.is_none()) {
            unknown += 1;
        }
        if let (Some(a), Some(b)) = (p_ec, p_sec)
            && a == b
        {
            *correct.entry(a).or_default() += 1;
        }
    }
    let tp: u64 = correct
        .iter()
        .map(|(p, c)| (*c).min(truth_pairs.get(p).copied().unwrap_or(0)))
        .sum();
    let s = Scores::new(n_truth, seen.len() as u64, repeated, tp, tp);
    PairScores {
        truth: s.truth,
        run: s.run,
        repeated_rows: s.repeated_rows,
        unknown_keys: unknown,
        tp: s.tp,
        fp: s.fp,
        fn_: s.fn_,
        precision: s.precision,
        recall: s.recall,
        f1: s.f1,
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

fn score_kinds(truth: &[Row], run: &[Row]) -> BTreeMap<String, Scores> {
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
            if !m.is_empty() {
                tp += 1;
            }
            for i in m {
                matched[i] = true;
            }
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
        line(
            &mut s,
            "pairs",
            &Scores {
                truth: p.truth,
                run: p.run,
                repeated_rows: p.repeated_rows,
                tp: p.tp,
                fp: p.fp,
                fn_: p.fn_,
                precision: p.precision,
                recall: p.recall,
                f1: p.f1,
            },
        );
        if p.repeated_rows > 0 || p.unknown_keys > 0 {
            let _ = writeln!(
                s,
                "  ({} repeated run rows, {} run pairs with keys not in the truth)",
                p.repeated_rows, p.unknown_keys
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
        evaluate(&dir.path().join("truth.csv"), dir.path()).expect("evaluates")
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
        assert_eq!((r.pairs.tp, r.pairs.fp, r.pairs.fn_), (4, 0, 0));
        assert_eq!(r.pairs.f1, Some(1.0));
        for (k, s) in &r.discrepancies {
            assert_eq!((s.precision, s.recall), (Some(1.0), Some(1.0)), "{k}");
        }
        assert_eq!(r.duplicate_pairs["duplicate_in_ec"].f1, Some(1.0));
        assert_eq!(r.duplicate_pairs["duplicate_in_sec"].truth, 0);
    }

    #[test]
    fn empty_run() {
        let r = run("", "");
        assert_eq!((r.pairs.tp, r.pairs.fp, r.pairs.fn_), (0, 0, 4));
        assert_eq!(r.pairs.precision, None);
        assert_eq!(r.pairs.recall, Some(0.0));
        assert_eq!(r.pairs.f1, None);
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
        assert_eq!((r.pairs.tp, r.pairs.fp, r.pairs.fn_), (0, 3, 4));
        assert_eq!(r.pairs.unknown_keys, 1);
        assert_eq!(r.pairs.f1, Some(0.0));
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
    fn repeated_run_rows_count_once() {
        let matches = format!("{PERFECT_MATCHES}1,1,1,GP,1,1,0.9,y\n");
        let disc = format!("{PERFECT_DISC}missing_in_sec,1,1,5,,,,,,,\n");
        let r = run(&matches, &disc);
        assert_eq!((r.pairs.run, r.pairs.repeated_rows, r.pairs.fp), (4, 1, 0));
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
        assert_eq!((r.pairs.tp, r.pairs.fp), (1, 0));
        let r = run("1,1,6,GP,1,1,1,x\n1,1,1,GP,1,1,1,x\n", "");
        assert_eq!((r.pairs.tp, r.pairs.fp), (1, 1));
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
