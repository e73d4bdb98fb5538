//! Writing the report files, all or nothing.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rollrec_model::{Elector, Location};

use crate::Report;

/// Columns of `matches.csv`.
pub const MATCH_COLUMNS: &[&str] = &[
    "ec_ac_no",
    "ec_part_no",
    "ec_serial_no",
    "sec_local_body",
    "sec_ward_no",
    "sec_serial_no",
    "score",
    "method",
];

/// Columns of `discrepancies.csv`.
pub const DISCREPANCY_COLUMNS: &[&str] = &[
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
    "score",
];

/// Columns of `rejects.csv`.
pub const REJECT_COLUMNS: &[&str] = &["roll", "file", "line", "reason", "raw"];

/// Errors while writing a report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A file or directory could not be created, written or renamed.
    #[error("{path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The CSV writer failed.
    #[error("{path}: {message}")]
    Csv {
        /// The file being written.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The summary could not be serialised.
    #[error("{path}: {source}")]
    Json {
        /// The file being written.
        path: PathBuf,
        /// The serialiser's error.
        source: serde_json::Error,
    },
}

/// Makes a text cell safe to open in a spreadsheet: a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula,
/// so it gets a leading `'`. Only free-text cells are passed through this;
/// numbers are written as they are.
///
/// ```
/// use rollrec_report::neutralize_formula;
/// assert_eq!(neutralize_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralize_formula("Asha Devi"), "Asha Devi");
/// ```
pub fn neutralize_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The three EC key cells of an entry (blank for a missing side).
fn ec_cells(e: Option<&Elector>) -> [String; 3] {
    match e.map(|e| (&e.location, e.serial_no)) {
        Some((Location::Assembly(a), serial)) => [
            a.ac_no.to_string(),
            a.part_no.to_string(),
            serial.to_string(),
        ],
        _ => Default::default(),
    }
}

/// The three SEC key cells of an entry (blank for a missing side).
fn sec_cells(e: Option<&Elector>) -> [String; 3] {
    match e.map(|e| (&e.location, e.serial_no)) {
        Some((Location::LocalBody(l), serial)) => [
            neutralize_formula(&l.local_body).into_owned(),
            l.ward_no.to_string(),
            serial.to_string(),
        ],
        _ => Default::default(),
    }
}

fn score_cell(score: f64) -> String {
    format!("{score:.4}")
}

/// A file being written under a temporary name in the output directory.
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn csv_err(path: &Path) -> impl FnOnce(csv::Error) -> ReportError + '_ {
    move |e| ReportError::Csv {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

impl Staged {
    fn new(dir: &Path, name: &str) -> Self {
        Staged {
            tmp: dir.join(format!(".{name}.rollrec-tmp-{}", std::process::id())),
            target: dir.join(name),
        }
    }

    fn csv_writer(&self) -> Result<csv::Writer<BufWriter<File>>, ReportError> {
        let f = File::create(&self.tmp).map_err(io_err(&self.tmp))?;
        Ok(csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(BufWriter::with_capacity(1 << 16, f)))
    }

    fn finish_csv(&self, w: csv::Writer<BufWriter<File>>) -> Result<(), ReportError> {
        let inner = w.into_inner().map_err(|e| ReportError::Csv {
            path: self.tmp.clone(),
            message: e.error().to_string(),
        })?;
        let f = inner
            .into_inner()
            .map_err(|e| io_err(&self.tmp)(e.into_error()))?;
        f.sync_all().map_err(io_err(&self.tmp))
    }
}

impl Report {
    /// Writes `matches.csv`, `discrepancies.csv`, `rejects.csv` and
    /// `summary.json` into `dir`, creating it if needed.
    ///
    /// Every file is first written under a temporary name in `dir` and only
    /// renamed over its final name when all four were written, so a failed
    /// run leaves an earlier report untouched and no half-written file.
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let staged = [
            Staged::new(dir, "matches.csv"),
            Staged::new(dir, "discrepancies.csv"),
            Staged::new(dir, "rejects.csv"),
            Staged::new(dir, "summary.json"),
        ];
        let result = self.write_staged(&staged);
        if result.is_err() {
            for s in &staged {
                let _ = fs::remove_file(&s.tmp);
            }
            return result;
        }
        for s in &staged {
            fs::rename(&s.tmp, &s.target).map_err(io_err(&s.target))?;
        }
        Ok(())
    }

    fn write_staged(&self, staged: &[Staged; 4]) -> Result<(), ReportError> {
        let [matches, discrepancies, rejects, summary] = staged;
        let ec = &self.ec.roll.electors;
        let sec = &self.sec.roll.electors;

        let mut w = matches.csv_writer()?;
        let err = csv_err(&matches.tmp);
        w.write_record(MATCH_COLUMNS).map_err(err)?;
        for p in &self.result.pairs {
            let [a, b, c] = ec_cells(ec.get(p.ec));
            let [d, e, f] = sec_cells(sec.get(p.sec));
            w.write_record([a, b, c, d, e, f, score_cell(p.score), p.method.to_string()])
                .map_err(csv_err(&matches.tmp))?;
        }
        matches.finish_csv(w)?;

        let mut w = discrepancies.csv_writer()?;
        w.write_record(DISCREPANCY_COLUMNS)
            .map_err(csv_err(&discrepancies.tmp))?;
        for f in &self.findings {
            let [a, b, c] = ec_cells(f.ec.and_then(|i| ec.get(i)));
            let [d, e, g] = sec_cells(f.sec.and_then(|j| sec.get(j)));
            w.write_record([
                f.kind.as_str().to_string(),
                a,
                b,
                c,
                d,
                e,
                g,
                f.group_id.map(|x| x.to_string()).unwrap_or_default(),
                f.fields.join(";"),
                neutralize_formula(&f.detail).into_owned(),
                f.score.map(score_cell).unwrap_or_default(),
            ])
            .map_err(csv_err(&discrepancies.tmp))?;
        }
        discrepancies.finish_csv(w)?;

        let mut w = rejects.csv_writer()?;
        w.write_record(REJECT_COLUMNS)
            .map_err(csv_err(&rejects.tmp))?;
        for r in self.ec.rejects.iter().chain(&self.sec.rejects) {
            w.write_record([
                r.roll.short_name().to_string(),
                neutralize_formula(&r.file).into_owned(),
                r.line.to_string(),
                neutralize_formula(&r.reason).into_owned(),
                neutralize_formula(&r.raw).into_owned(),
            ])
            .map_err(csv_err(&rejects.tmp))?;
        }
        rejects.finish_csv(w)?;

        let f = File::create(&summary.tmp).map_err(io_err(&summary.tmp))?;
        let mut out = BufWriter::new(f);
        serde_json::to_writer_pretty(&mut out, &self.summary()).map_err(|source| {
            ReportError::Json {
                path: summary.tmp.clone(),
                source,
            }
        })?;
        out.write_all(b"\n").map_err(io_err(&summary.tmp))?;
        let f = out
            .into_inner()
            .map_err(|e| io_err(&summary.tmp)(e.into_error()))?;
        f.sync_all().map_err(io_err(&summary.tmp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollrec_match::MatchResult;
    use rollrec_model::{ReadOutcome, Roll, RollKind};

    fn empty_report() -> Report {
        Report::new(
            ReadOutcome::from_roll("ec.csv", Roll::new(RollKind::Assembly)),
            ReadOutcome::from_roll("sec.csv", Roll::new(RollKind::LocalBody)),
            "none",
            MatchResult::default(),
        )
    }

    #[test]
    fn writes_all_four_files_and_no_temporaries() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("a/b");
        empty_report().write(&out).expect("writable");
        let mut names: Vec<String> = fs::read_dir(&out)
            .expect("exists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "discrepancies.csv",
                "matches.csv",
                "rejects.csv",
                "summary.json"
            ]
        );
        let m = fs::read_to_string(out.join("matches.csv")).expect("written");
        assert_eq!(m.trim_end(), MATCH_COLUMNS.join(","));
    }

    #[test]
    fn failed_write_keeps_the_old_report() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("matches.csv"), "old").expect("write");
        // A directory where a temporary file must go makes the write fail.
        let blocker = dir
            .path()
            .join(format!(".summary.json.rollrec-tmp-{}", std::process::id()));
        fs::create_dir(&blocker).expect("mkdir");
        let err = empty_report().write(dir.path()).expect_err("blocked");
        assert!(err.to_string().contains("summary.json"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("matches.csv")).expect("kept"),
            "old"
        );
        let leftovers = fs::read_dir(dir.path())
            .expect("exists")
            .filter(|e| {
                let name = e.as_ref().expect("entry").file_name();
                let name = name.to_string_lossy();
                name.contains("rollrec-tmp") && !name.starts_with(".summary")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
