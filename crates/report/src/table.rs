//! The report tables as one typed row model, which every writer (CSV,
//! JSON Lines, Arrow, Parquet) reads. A table is built once from the
//! [`Report`]; writers never look at the report themselves.

use std::borrow::Cow;
use std::ops::Range;

use rollrec_match::MatchPair;
use rollrec_model::{Elector, Location};

use rayon::prelude::*;

use crate::{Finding, Report};

/// The type of a column, as written to typed formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A whole number: Arrow/Parquet `Int64`, a JSON number.
    Int64,
    /// A float: Arrow/Parquet `Float64`, a JSON number. In CSV with four
    /// decimals.
    Float64,
    /// Text: Arrow `Utf8`, Parquet `BYTE_ARRAY (STRING)`, a JSON string.
    Utf8,
}

/// One column of a report table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column name (CSV header, JSON key, Arrow field name).
    pub name: &'static str,
    /// Its type.
    pub ty: ColumnType,
    /// Whether it can be blank (`null` in typed formats, empty in CSV).
    pub nullable: bool,
}

const fn col(name: &'static str, ty: ColumnType, nullable: bool) -> ColumnSpec {
    ColumnSpec { name, ty, nullable }
}

use ColumnType::{Float64, Int64, Utf8};

/// Schema of `matches.*`: one row per matched pair. The `w_*` columns hold
/// each field's contribution to the match weight (log2 of m/u; positive
/// for agreement, negative for disagreement, null when the field was
/// missing on a side or the matcher is rule-based).
pub const MATCH_SCHEMA: &[ColumnSpec] = &[
    col("ec_ac_no", Int64, false),
    col("ec_part_no", Int64, false),
    col("ec_serial_no", Int64, false),
    col("sec_local_body", Utf8, false),
    col("sec_ward_no", Int64, false),
    col("sec_serial_no", Int64, false),
    col("score", Float64, false),
    col("method", Utf8, false),
    col("w_name", Float64, true),
    col("w_relative", Float64, true),
    col("w_age", Float64, true),
    col("w_gender", Float64, true),
    col("w_relation", Float64, true),
    col("w_house", Float64, true),
    col("w_epic", Float64, true),
];

/// Schema of `discrepancies.*`: one row per finding. The EC columns are
/// null when the finding has no EC entry, the SEC columns when it has no
/// SEC entry.
pub const DISCREPANCY_SCHEMA: &[ColumnSpec] = &[
    col("kind", Utf8, false),
    col("ec_ac_no", Int64, true),
    col("ec_part_no", Int64, true),
    col("ec_serial_no", Int64, true),
    col("sec_local_body", Utf8, true),
    col("sec_ward_no", Int64, true),
    col("sec_serial_no", Int64, true),
    col("group_id", Int64, true),
    col("fields", Utf8, true),
    col("detail", Utf8, false),
    col("score", Float64, true),
];

/// Schema of `rejects.*`: one row per rejected input row.
pub const REJECT_SCHEMA: &[ColumnSpec] = &[
    col("roll", Utf8, false),
    col("file", Utf8, false),
    col("line", Int64, false),
    col("reason", Utf8, false),
    col("raw", Utf8, false),
];

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Blank.
    Null,
    /// A whole number.
    Int(i64),
    /// A float.
    Float(f64),
    /// Text.
    Str(Cow<'a, str>),
}

impl<'a> Cell<'a> {
    fn str(s: &'a str) -> Self {
        Cell::Str(Cow::Borrowed(s))
    }

    fn int(n: impl Into<i64>) -> Self {
        Cell::Int(n.into())
    }

    fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell<'a>) -> Self {
        v.map_or(Cell::Null, f)
    }
}

/// A report table: a name (the file stem), a schema and rows whose cells
/// follow the schema.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The file stem: `matches`, `discrepancies` or `rejects`.
    pub name: &'static str,
    /// The columns.
    pub schema: &'static [ColumnSpec],
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell<'a>>>,
}

/// The EC key cells of an entry (nulls for a missing side).
fn ec_cells(e: Option<&Elector>) -> [Cell<'_>; 3] {
    match e.map(|e| (&e.location, e.serial_no)) {
        Some((Location::Assembly(a), serial)) => {
            [Cell::int(a.ac_no), Cell::int(a.part_no), Cell::int(serial)]
        }
        _ => [Cell::Null, Cell::Null, Cell::Null],
    }
}

/// The SEC key cells of an entry (nulls for a missing side).
fn sec_cells(e: Option<&Elector>) -> [Cell<'_>; 3] {
    match e.map(|e| (&e.location, e.serial_no)) {
        Some((Location::LocalBody(l), serial)) => [
            Cell::str(&l.local_body),
            Cell::int(l.ward_no),
            Cell::int(serial),
        ],
        _ => [Cell::Null, Cell::Null, Cell::Null],
    }
}

/// One of the report tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableId {
    /// `matches`.
    Matches,
    /// `discrepancies`.
    Discrepancies,
    /// `rejects`.
    Rejects,
}

impl TableId {
    /// The tables in the order they are written.
    pub const ALL: [TableId; 3] = [TableId::Matches, TableId::Discrepancies, TableId::Rejects];

    /// The file stem.
    pub fn name(self) -> &'static str {
        match self {
            TableId::Matches => "matches",
            TableId::Discrepancies => "discrepancies",
            TableId::Rejects => "rejects",
        }
    }

    /// The columns.
    pub fn schema(self) -> &'static [ColumnSpec] {
        match self {
            TableId::Matches => MATCH_SCHEMA,
            TableId::Discrepancies => DISCREPANCY_SCHEMA,
            TableId::Rejects => REJECT_SCHEMA,
        }
    }
}

impl Report {
    /// The three report tables, in the order they are written: matches,
    /// discrepancies, rejects.
    pub fn tables(&self) -> [Table<'_>; 3] {
        TableId::ALL.map(|id| self.table(id))
    }

    /// One report table. Its rows are built when asked for, so a writer
    /// that takes one table at a time holds one table's rows at a time.
    pub fn table(&self, id: TableId) -> Table<'_> {
        Table {
            name: id.name(),
            schema: id.schema(),
            rows: self.table_rows(id, 0..self.table_len(id)),
        }
    }

    /// The number of rows of a table.
    pub fn table_len(&self, id: TableId) -> usize {
        match id {
            TableId::Matches => self.result.pairs.len(),
            TableId::Discrepancies => self.findings.len(),
            TableId::Rejects => self.ec.rejects.len() + self.sec.rejects.len(),
        }
    }

    /// Rows `range` of a table (clamped to its length), so that a writer
    /// can hold a part of a large table at a time.
    pub fn table_rows(&self, id: TableId, range: Range<usize>) -> Vec<Vec<Cell<'_>>> {
        let end = range.end.min(self.table_len(id));
        let range = range.start.min(end)..end;
        let ec = &self.ec.roll.electors;
        let sec = &self.sec.roll.electors;
        match id {
            TableId::Matches => match_rows(&self.result.pairs[range], ec, sec),
            TableId::Discrepancies => discrepancy_rows(&self.findings[range], ec, sec),
            TableId::Rejects => self
                .ec
                .rejects
                .iter()
                .chain(&self.sec.rejects)
                .skip(range.start)
                .take(range.len())
                .map(|r| {
                    vec![
                        Cell::str(r.roll.short_name()),
                        Cell::str(&r.file),
                        Cell::Int(i64::try_from(r.line).unwrap_or(i64::MAX)),
                        Cell::str(&r.reason),
                        Cell::str(&r.raw),
                    ]
                })
                .collect(),
        }
    }
}

/// The `matches` rows of `pairs`.
fn match_rows<'r>(
    pairs: &'r [MatchPair],
    ec: &'r [Elector],
    sec: &'r [Elector],
) -> Vec<Vec<Cell<'r>>> {
    pairs
        .par_iter()
        .map(|p| {
            let mut row = Vec::with_capacity(MATCH_SCHEMA.len());
            row.extend(ec_cells(ec.get(p.ec)));
            row.extend(sec_cells(sec.get(p.sec)));
            row.push(Cell::Float(p.score));
            row.push(Cell::str(p.method));
            for field in rollrec_match::fs::FIELDS {
                let w = p.weights.get(field);
                row.push(Cell::opt(w, Cell::Float));
            }
            row
        })
        .collect()
}

/// The `discrepancies` rows of `findings`.
fn discrepancy_rows<'r>(
    findings: &'r [Finding],
    ec: &'r [Elector],
    sec: &'r [Elector],
) -> Vec<Vec<Cell<'r>>> {
    findings
        .par_iter()
        .map(|f| {
            let mut row = Vec::with_capacity(DISCREPANCY_SCHEMA.len());
            row.push(Cell::str(f.kind.as_str()));
            row.extend(ec_cells(f.ec.and_then(|i| ec.get(i))));
            row.extend(sec_cells(f.sec.and_then(|j| sec.get(j))));
            // Group ids are small counters; one beyond i64 is clamped
            // rather than wrapped.
            row.push(Cell::opt(f.group_id, |g| {
                Cell::Int(i64::try_from(g).unwrap_or(i64::MAX))
            }));
            row.push(if f.fields.is_empty() {
                Cell::Null
            } else {
                Cell::Str(Cow::Owned(f.fields.join(";")))
            });
            row.push(Cell::str(&f.detail));
            row.push(Cell::opt(f.score, Cell::Float));
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DISCREPANCY_COLUMNS, MATCH_COLUMNS, REJECT_COLUMNS};

    #[test]
    fn rows_by_range_are_the_table_cut_in_pieces() {
        let report = crate::testutil::small_report();
        for id in TableId::ALL {
            let whole = report.table(id).rows;
            assert!(!whole.is_empty(), "{id:?} has rows to cut");
            for batch in 1..=whole.len() + 1 {
                let mut joined = Vec::new();
                for start in (0..report.table_len(id)).step_by(batch) {
                    joined.extend(report.table_rows(id, start..start + batch));
                }
                assert_eq!(joined, whole, "{id:?} in batches of {batch}");
            }
            // Ranges past the end are cut to the table.
            assert!(
                report
                    .table_rows(id, whole.len()..whole.len() + 5)
                    .is_empty()
            );
            assert_eq!(report.table_rows(id, 0..usize::MAX), whole);
        }
    }

    #[test]
    fn schemas_name_the_csv_columns() {
        let names = |s: &[ColumnSpec]| s.iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(names(MATCH_SCHEMA), MATCH_COLUMNS);
        assert_eq!(names(DISCREPANCY_SCHEMA), DISCREPANCY_COLUMNS);
        assert_eq!(names(REJECT_SCHEMA), REJECT_COLUMNS);
    }
}
