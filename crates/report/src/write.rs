//! Writing the report files, all or nothing.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::Report;
use crate::format::{Format, FormatError};
use crate::table::{Cell, ColumnSpec, TableId};

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
    "w_name",
    "w_relative",
    "w_age",
    "w_gender",
    "w_relation",
    "w_house",
    "w_epic",
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
    /// The summary or a JSON Lines table could not be serialised.
    #[error("{path}: {source}")]
    Json {
        /// The file being written.
        path: PathBuf,
        /// The serialiser's error.
        source: serde_json::Error,
    },
    /// The Arrow or Parquet encoder failed.
    #[error("{path}: {message}")]
    Encode {
        /// The file being written.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A format this build cannot write.
    #[error(transparent)]
    Unavailable(#[from] FormatError),
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

/// A file being written under a temporary name in the output directory.
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
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

fn json_err(path: &Path) -> impl FnOnce(serde_json::Error) -> ReportError + '_ {
    move |source| ReportError::Json {
        path: path.to_path_buf(),
        source,
    }
}

impl Staged {
    fn new(dir: &Path, name: &str) -> Self {
        Staged {
            tmp: dir.join(format!(".{name}.rollrec-tmp-{}", std::process::id())),
            target: dir.join(name),
        }
    }

    fn create(&self) -> Result<BufWriter<File>, ReportError> {
        let f = File::create(&self.tmp).map_err(io_err(&self.tmp))?;
        Ok(BufWriter::with_capacity(1 << 16, f))
    }
}

/// Flushes a buffered file and syncs it to disk.
pub(crate) fn finish_file(path: &Path, w: BufWriter<File>) -> Result<(), ReportError> {
    let f = w.into_inner().map_err(|e| io_err(path)(e.into_error()))?;
    f.sync_all().map_err(io_err(path))
}

/// Appends a CSV cell to `out`: numbers as they are, floats with four
/// decimals, text with formulas neutralised.
fn csv_cell_into(cell: &Cell<'_>, out: &mut String) {
    use std::fmt::Write as _;
    match cell {
        Cell::Null => {}
        Cell::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Cell::Float(x) => fixed4(*x, out),
        Cell::Str(s) => out.push_str(&neutralize_formula(s)),
    }
}

/// Appends `x` with four decimals, the same text as `format!("{x:.4}")`,
/// without the exact (and slow) decimal expansion when the rounding is not
/// in doubt: for |x| below a million the scaled value's fraction is far
/// enough from one half that the product's rounding error cannot change the
/// result. Ties, near-ties, large and non-finite values take
/// `format!`'s path.
pub(crate) fn fixed4(x: f64, out: &mut String) {
    use std::fmt::Write as _;
    let ax = x.abs();
    if ax < 1e6 {
        let y = ax * 10_000.0;
        let whole = y.floor();
        let frac = y - whole;
        if (frac - 0.5).abs() > 1e-3 {
            // Below 1e10: the cast is exact.
            let r = whole as u64 + u64::from(frac > 0.5);
            if x.is_sign_negative() {
                out.push('-');
            }
            let _ = write!(out, "{}.{:04}", r / 10_000, r % 10_000);
            return;
        }
    }
    let _ = write!(out, "{x:.4}");
}

/// Rows formatted per task: enough to spread over the threads, small
/// enough that a batch of them in memory stays modest.
const ROWS_PER_CHUNK: usize = 4096;
/// Chunks formatted before they are written out, in order.
const CHUNKS_PER_BATCH: usize = 64;

/// Takes the rows of table `id` a batch at a time from the report, formats
/// each batch chunk by chunk in parallel with `format` and writes the
/// chunks to `out` in row order, so the bytes do not depend on the thread
/// count and only one batch of rows is in memory at a time (at district
/// size the whole matches table took about 800 MB as cells).
fn write_rows_parallel<'r, E: Send>(
    report: &'r Report,
    id: TableId,
    out: &mut impl Write,
    format: impl Fn(&[Vec<Cell<'r>>]) -> Result<Vec<u8>, E> + Sync,
    io: impl Fn(std::io::Error) -> E,
) -> Result<(), E> {
    let batch = ROWS_PER_CHUNK * CHUNKS_PER_BATCH;
    let len = report.table_len(id);
    for start in (0..len).step_by(batch) {
        let rows = report.table_rows(id, start..start + batch);
        let chunks: Vec<Result<Vec<u8>, E>> =
            rows.par_chunks(ROWS_PER_CHUNK).map(&format).collect();
        for chunk in chunks {
            out.write_all(&chunk?).map_err(&io)?;
        }
    }
    Ok(())
}

fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w)
}

/// CSV text of some rows.
fn csv_chunk(rows: &[Vec<Cell<'_>>]) -> Result<Vec<u8>, String> {
    let mut w = csv_writer(Vec::with_capacity(rows.len() * 128));
    let mut cell_text = String::new();
    for row in rows {
        for cell in row {
            cell_text.clear();
            csv_cell_into(cell, &mut cell_text);
            w.write_field(cell_text.as_bytes())
                .map_err(|e| e.to_string())?;
        }
        w.write_record(None::<&[u8]>).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.error().to_string())
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

fn write_csv(
    report: &Report,
    id: TableId,
    path: &Path,
    options: &WriteOptions,
) -> Result<(), ReportError> {
    let f = File::create(path).map_err(io_err(path))?;
    let mut out = BufWriter::with_capacity(1 << 16, f);
    let message = |message: String| ReportError::Csv {
        path: path.to_path_buf(),
        message,
    };
    if options.csv_bom {
        out.write_all(BOM).map_err(io_err(path))?;
    }
    let mut head = csv_writer(Vec::new());
    head.write_record(id.schema().iter().map(|c| c.name))
        .map_err(csv_err(path))?;
    let head = head
        .into_inner()
        .map_err(|e| message(e.error().to_string()))?;
    out.write_all(&head).map_err(io_err(path))?;
    write_rows_parallel(
        report,
        id,
        &mut out,
        |rows| csv_chunk(rows).map_err(message),
        io_err_fn(path),
    )?;
    finish_file(path, out)
}

/// [`io_err`] as a reusable function.
fn io_err_fn(path: &Path) -> impl Fn(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One row of a table as a JSON object, keys in column order.
struct JsonRow<'t, 'a> {
    schema: &'static [ColumnSpec],
    row: &'t [Cell<'a>],
}

impl serde::Serialize for JsonRow<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.schema.len()))?;
        for (c, cell) in self.schema.iter().zip(self.row) {
            match cell {
                Cell::Null => m.serialize_entry(c.name, &())?,
                Cell::Int(n) => m.serialize_entry(c.name, n)?,
                Cell::Float(x) => m.serialize_entry(c.name, x)?,
                Cell::Str(t) => m.serialize_entry(c.name, t.as_ref())?,
            }
        }
        m.end()
    }
}

fn write_jsonl(report: &Report, id: TableId, path: &Path) -> Result<(), ReportError> {
    let f = File::create(path).map_err(io_err(path))?;
    let mut w = BufWriter::with_capacity(1 << 16, f);
    write_rows_parallel(
        report,
        id,
        &mut w,
        |rows| {
            let mut out = Vec::with_capacity(rows.len() * 256);
            for row in rows {
                let row = JsonRow {
                    schema: id.schema(),
                    row,
                };
                serde_json::to_writer(&mut out, &row).map_err(json_err(path))?;
                out.push(b'\n');
            }
            Ok(out)
        },
        io_err_fn(path),
    )?;
    finish_file(path, w)
}

/// How [`Report::write_with`] writes the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Start each CSV file with a UTF-8 byte order mark. Excel opens a CSV
    /// file without one in the computer's legacy code page, which turns
    /// names in Indian scripts into mojibake; with it, they show as
    /// written. Readers of rollrec's own CSV (the roll reader, `rollrec
    /// eval`) skip the mark; some other tools keep it as part of the first
    /// column's name.
    pub csv_bom: bool,
}

/// Writes one table in one format to `path`: CSV and JSON Lines a batch
/// of rows at a time, the columnar formats from the whole table.
fn write_table(
    report: &Report,
    id: TableId,
    format: Format,
    path: &Path,
    options: &WriteOptions,
) -> Result<(), ReportError> {
    match format {
        Format::Csv => write_csv(report, id, path, options),
        Format::Jsonl => write_jsonl(report, id, path),
        Format::Arrow => crate::columnar::write_arrow_ipc(&report.table(id), path),
        Format::Parquet => crate::columnar::write_parquet(&report.table(id), path),
    }
}

impl Report {
    /// Writes the tables as CSV (`matches.csv`, `discrepancies.csv`,
    /// `rejects.csv`), `summary.json` and `report.html` into `dir`,
    /// creating it if needed. Same as [`Report::write_formats`] with
    /// [`Format::DEFAULT`].
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        self.write_formats(dir, Format::DEFAULT)
    }

    /// Writes the three tables in each of `formats` (`matches.<ext>`,
    /// `discrepancies.<ext>`, `rejects.<ext>`), plus `summary.json` and
    /// `report.html` (see [`crate::html`]), into `dir`, creating it if
    /// needed.
    ///
    /// Every file is first written under a temporary name in `dir` and only
    /// renamed over its final name when all of them were written, so a
    /// failed run leaves an earlier report untouched and no half-written
    /// file. A format this build cannot write ([`Format::is_available`])
    /// fails before anything is written.
    pub fn write_formats(&self, dir: &Path, formats: &[Format]) -> Result<(), ReportError> {
        self.write_with(dir, formats, &WriteOptions::default())
    }

    /// [`Report::write_formats`] with [`WriteOptions`].
    pub fn write_with(
        &self,
        dir: &Path,
        formats: &[Format],
        options: &WriteOptions,
    ) -> Result<(), ReportError> {
        if let Some(&f) = formats.iter().find(|f| !f.is_available()) {
            return Err(ReportError::Unavailable(FormatError::Unavailable(f)));
        }
        if dir.exists() && !dir.is_dir() {
            // create_dir_all would say only "File exists".
            return Err(io_err(dir)(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "exists and is not a directory: the report needs a directory",
            )));
        }
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let mut formats = formats.to_vec();
        formats.sort();
        formats.dedup();
        // One table at a time (its formats side by side), so only one
        // table's rows are in memory at once; then the summary and the
        // page. The first error in that order is the one reported.
        let mut staged: Vec<Staged> = Vec::new();
        let mut result: Result<(), ReportError> = Ok(());
        for id in TableId::ALL {
            let jobs: Vec<(Staged, Job)> = formats
                .iter()
                .map(|&format| {
                    let name = format!("{}.{}", id.name(), format.extension());
                    (Staged::new(dir, &name), Job::Table(id, format))
                })
                .collect();
            result = run_jobs(self, &jobs, options);
            staged.extend(jobs.into_iter().map(|(s, _)| s));
            if result.is_err() {
                break;
            }
        }
        if result.is_ok() {
            let jobs = [
                (Staged::new(dir, "summary.json"), Job::Summary),
                (Staged::new(dir, "report.html"), Job::Html),
            ];
            result = run_jobs(self, &jobs, options);
            staged.extend(jobs.into_iter().map(|(s, _)| s));
        }
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

    fn run_job(
        &self,
        job: &Job,
        staged: &Staged,
        options: &WriteOptions,
    ) -> Result<(), ReportError> {
        let path = &staged.tmp;
        match job {
            Job::Table(id, format) => write_table(self, *id, *format, path, options),
            Job::Summary => {
                let mut out = staged.create()?;
                serde_json::to_writer_pretty(&mut out, &self.summary()).map_err(json_err(path))?;
                out.write_all(b"\n").map_err(io_err(path))?;
                finish_file(path, out)
            }
            Job::Html => {
                let page = crate::html::render(self, &crate::html::HtmlOptions::default());
                let mut out = staged.create()?;
                out.write_all(page.as_bytes()).map_err(io_err(path))?;
                finish_file(path, out)
            }
        }
    }
}

/// One file to write.
/// Runs jobs side by side; the first error in job order is returned.
fn run_jobs(
    report: &Report,
    jobs: &[(Staged, Job)],
    options: &WriteOptions,
) -> Result<(), ReportError> {
    jobs.par_iter()
        .map(|(staged, job)| report.run_job(job, staged, options))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

enum Job {
    Table(TableId, Format),
    Summary,
    Html,
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
    fn fixed4_writes_what_format_writes() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.95,
            0.99995,
            0.00005,
            -0.00004,
            -0.00005,
            1.03125,
            2.5e-5,
            123456.78905,
            999999.99995,
            1e6,
            -3.5e7,
            1e300,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Every multiple of 1/2^k near four-decimal ties, and a sweep of
        // weights and probabilities.
        for k in 0..20 {
            values.push(1.0 / f64::from(1u32 << k));
        }
        let mut x = 0.123_456_789_f64;
        for _ in 0..100_000 {
            x = (x * 7919.0 + 0.618_033_988_7).fract();
            values.push(x);
            values.push(-x * 40.0);
            values.push((x * 1e4).round() / 1e4 + 0.000_05);
        }
        for v in values {
            let mut got = String::new();
            fixed4(v, &mut got);
            assert_eq!(got, format!("{v:.4}"), "{v:e}");
        }
    }

    #[test]
    fn a_file_in_the_way_of_the_directory_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("out");
        fs::write(&file, "x").expect("write");
        let err = empty_report().write(&file).expect_err("a file");
        assert!(err.to_string().contains("is not a directory"), "{err}");
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
                "report.html",
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

#[cfg(test)]
mod format_tests {
    use super::*;
    use crate::testutil::small_report;
    use crate::{DISCREPANCY_COLUMNS, MATCH_COLUMNS};

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("exists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn available() -> Vec<Format> {
        Format::ALL
            .into_iter()
            .filter(|f| f.is_available())
            .collect()
    }

    #[test]
    fn writes_every_table_in_every_format() {
        let dir = tempfile::tempdir().expect("temp dir");
        let formats = available();
        small_report()
            .write_formats(dir.path(), &formats)
            .expect("writable");
        let mut want = vec!["report.html".to_string(), "summary.json".to_string()];
        for f in &formats {
            for t in ["matches", "discrepancies", "rejects"] {
                want.push(format!("{t}.{}", f.extension()));
            }
        }
        want.sort();
        assert_eq!(names_in(dir.path()), want);
    }

    #[test]
    fn csv_keeps_its_text_form() {
        let dir = tempfile::tempdir().expect("temp dir");
        small_report().write(dir.path()).expect("writable");
        let m = fs::read_to_string(dir.path().join("matches.csv")).expect("written");
        assert_eq!(
            m,
            format!(
                "{}\n140,1,1,Rampur <M>,3,1,0.9500,epic,,,,,,,\n",
                MATCH_COLUMNS.join(",")
            )
        );
        let d = fs::read_to_string(dir.path().join("discrepancies.csv")).expect("written");
        assert!(d.starts_with(&DISCREPANCY_COLUMNS.join(",")));
        assert!(d.contains("missing_in_sec,140,2,7,,,,,,"), "{d}");
        // The formula is neutralised in CSV only.
        let r = fs::read_to_string(dir.path().join("rejects.csv")).expect("written");
        assert!(r.contains("\"'=HYPERLINK(\"\"x\"\"),3,4,\""), "{r}");
    }

    #[test]
    fn jsonl_round_trips_with_types_and_nulls() {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = small_report();
        report
            .write_formats(dir.path(), &[Format::Jsonl])
            .expect("writable");
        let read = |name: &str| -> Vec<serde_json::Value> {
            fs::read_to_string(dir.path().join(name))
                .expect("written")
                .lines()
                .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
                .collect()
        };
        let m = read("matches.jsonl");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0]["ec_part_no"], serde_json::json!(1));
        assert_eq!(m[0]["score"], serde_json::json!(0.95));
        assert_eq!(m[0]["sec_local_body"], "Rampur <M>");
        let d = read("discrepancies.jsonl");
        assert_eq!(d.len(), report.findings.len());
        let missing = d
            .iter()
            .find(|r| r["kind"] == "missing_in_ec")
            .expect("reported");
        assert!(missing["ec_ac_no"].is_null());
        assert!(missing["fields"].is_null());
        assert_eq!(missing["sec_serial_no"], serde_json::json!(2));
        // Text is verbatim: no spreadsheet quoting outside CSV.
        assert!(
            missing["detail"]
                .as_str()
                .expect("text")
                .contains("=cmd|' /C calc'!A0")
        );
        let keys: Vec<&String> = d[0].as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), DISCREPANCY_COLUMNS.len());
        let r = read("rejects.jsonl");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0]["line"], serde_json::json!(9));
        assert_eq!(r[1]["roll"], "sec");
        assert_eq!(r[1]["raw"], "=HYPERLINK(\"x\"),3,4,");
    }

    #[test]
    fn jsonl_keeps_column_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        small_report()
            .write_formats(dir.path(), &[Format::Jsonl])
            .expect("writable");
        let text = fs::read_to_string(dir.path().join("matches.jsonl")).expect("written");
        let first = text.lines().next().expect("a row");
        let mut at = 0;
        for c in MATCH_COLUMNS {
            let pos = first.find(&format!("\"{c}\":")).expect("key present");
            assert!(pos >= at, "{c} out of order in {first}");
            at = pos;
        }
    }

    /// A column of a record batch by name, as its array type.
    fn column<'b, T: 'static>(batch: &'b arrow_array::RecordBatch, name: &str) -> &'b T {
        use arrow_array::Array as _;
        batch
            .column_by_name(name)
            .expect("column")
            .as_any()
            .downcast_ref::<T>()
            .expect("the column's array type")
    }

    #[test]
    fn arrow_ipc_round_trips() {
        use arrow_array::{Array, Float64Array, Int64Array, StringArray};
        let dir = tempfile::tempdir().expect("temp dir");
        let report = small_report();
        report
            .write_formats(dir.path(), &[Format::Arrow])
            .expect("writable");
        let read = |name: &str| {
            let f = File::open(dir.path().join(name)).expect("written");
            let r = arrow_ipc::reader::FileReader::try_new(f, None).expect("an IPC file");
            let schema = r.schema();
            let batches: Vec<_> = r.map(|b| b.expect("a batch")).collect();
            (schema, batches)
        };
        let (schema, batches) = read("matches.arrow");
        assert_eq!(schema.metadata()["rollrec.table"], "matches");
        assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 1);
        let b = &batches[0];
        let part = column::<Int64Array>(b, "ec_part_no");
        assert_eq!(part.value(0), 1);
        let score = column::<Float64Array>(b, "score");
        assert_eq!(score.value(0), 0.95);

        let (_, batches) = read("discrepancies.arrow");
        let b = &batches[0];
        assert_eq!(b.num_rows(), report.findings.len());
        let kind = column::<StringArray>(b, "kind");
        let ec_ac = b.column_by_name("ec_ac_no").expect("column");
        let row = (0..b.num_rows())
            .find(|&i| kind.value(i) == "missing_in_ec")
            .expect("reported");
        assert!(ec_ac.is_null(row));

        let (_, batches) = read("rejects.arrow");
        assert_eq!(batches[0].num_rows(), 2);
    }

    #[cfg(feature = "parquet")]
    #[test]
    fn parquet_round_trips() {
        use arrow_array::{Array, Float64Array, Int64Array, StringArray};
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = tempfile::tempdir().expect("temp dir");
        let report = small_report();
        report
            .write_formats(dir.path(), &[Format::Parquet])
            .expect("writable");
        let read = |name: &str| {
            let f = File::open(dir.path().join(name)).expect("written");
            let builder = ParquetRecordBatchReaderBuilder::try_new(f).expect("a Parquet file");
            let table = builder.schema().metadata().get("rollrec.table").cloned();
            assert_eq!(table.as_deref(), name.strip_suffix(".parquet"));
            let r = builder.build().expect("a reader");
            r.map(|b| b.expect("a batch")).collect::<Vec<_>>()
        };
        let batches = read("matches.parquet");
        let b = &batches[0];
        assert_eq!(b.num_rows(), 1);
        let serial = column::<Int64Array>(b, "sec_serial_no");
        assert_eq!(serial.value(0), 1);
        let score = column::<Float64Array>(b, "score");
        assert_eq!(score.value(0), 0.95);
        let batches = read("discrepancies.parquet");
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, report.findings.len());
        let detail = column::<StringArray>(&batches[0], "detail");
        assert!((0..detail.len()).any(|i| detail.value(i).contains("<script>")));
        let batches = read("rejects.parquet");
        assert_eq!(batches[0].num_rows(), 2);
    }

    #[cfg(not(feature = "parquet"))]
    #[test]
    fn parquet_without_the_feature_fails_before_writing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = small_report()
            .write_formats(dir.path(), &[Format::Csv, Format::Parquet])
            .expect_err("not compiled in");
        assert!(err.to_string().contains("--features parquet"), "{err}");
        assert!(names_in(dir.path()).is_empty());
    }

    #[test]
    fn empty_tables_are_valid_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = Report::new(
            rollrec_model::ReadOutcome::from_roll(
                "ec.csv",
                rollrec_model::Roll::new(rollrec_model::RollKind::Assembly),
            ),
            rollrec_model::ReadOutcome::from_roll(
                "sec.csv",
                rollrec_model::Roll::new(rollrec_model::RollKind::LocalBody),
            ),
            "none",
            rollrec_match::MatchResult::default(),
        );
        report
            .write_formats(dir.path(), &available())
            .expect("writable");
        let f = File::open(dir.path().join("matches.arrow")).expect("written");
        let r = arrow_ipc::reader::FileReader::try_new(f, None).expect("an IPC file");
        assert_eq!(r.schema().fields().len(), MATCH_COLUMNS.len());
        let rows: usize = r.map(|b| b.expect("a batch").num_rows()).sum();
        assert_eq!(rows, 0);
        assert_eq!(
            fs::read_to_string(dir.path().join("matches.jsonl")).expect("written"),
            ""
        );
    }
}
