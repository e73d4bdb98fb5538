//! The typed formats: the row model as an Arrow record batch, written as
//! an Arrow IPC file or (with the `parquet` feature) a Parquet file.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use crate::ReportError;
use crate::table::{Cell, ColumnSpec, ColumnType, Table};
use crate::write::{finish_file, io_err};

/// Schema metadata key naming the table (`matches`, ...).
pub const META_TABLE: &str = "rollrec.table";
/// Schema metadata key with the version of rollrec that wrote the file.
pub const META_VERSION: &str = "rollrec.version";

fn encode_err(path: &Path) -> impl FnOnce(String) -> ReportError + '_ {
    move |message| ReportError::Encode {
        path: path.to_path_buf(),
        message,
    }
}

/// The Arrow schema of a report table: `Int64`, `Float64` and `Utf8`
/// fields, nullable as the [`ColumnSpec`]s say, with the table name and
/// rollrec version in the metadata.
pub fn arrow_schema(name: &str, spec: &[ColumnSpec]) -> Schema {
    let fields: Vec<Field> = spec
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::Int64 => DataType::Int64,
                ColumnType::Float64 => DataType::Float64,
                ColumnType::Utf8 => DataType::Utf8,
            };
            Field::new(c.name, ty, c.nullable)
        })
        .collect();
    let meta = HashMap::from([
        (META_TABLE.to_string(), name.to_string()),
        (
            META_VERSION.to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
    ]);
    Schema::new_with_metadata(fields, meta)
}

enum Builder {
    Int(Int64Builder),
    Float(Float64Builder),
    Str(StringBuilder),
}

/// The table as one record batch. Fails if a cell does not fit its
/// column's type or a blank sits in a non-nullable column (a bug in the
/// table builder, reported rather than panicking).
pub fn record_batch(table: &Table<'_>) -> Result<RecordBatch, String> {
    let n = table.rows.len();
    let mut builders: Vec<Builder> = table
        .schema
        .iter()
        .map(|c| match c.ty {
            ColumnType::Int64 => Builder::Int(Int64Builder::with_capacity(n)),
            ColumnType::Float64 => Builder::Float(Float64Builder::with_capacity(n)),
            ColumnType::Utf8 => Builder::Str(StringBuilder::with_capacity(n, n * 16)),
        })
        .collect();
    for (r, row) in table.rows.iter().enumerate() {
        if row.len() != builders.len() {
            return Err(format!(
                "row {r} has {} cells, not {}",
                row.len(),
                builders.len()
            ));
        }
        for (i, (b, cell)) in builders.iter_mut().zip(row).enumerate() {
            match (b, cell) {
                (Builder::Int(b), Cell::Int(v)) => b.append_value(*v),
                (Builder::Int(b), Cell::Null) => b.append_null(),
                (Builder::Float(b), Cell::Float(v)) => b.append_value(*v),
                (Builder::Float(b), Cell::Null) => b.append_null(),
                (Builder::Str(b), Cell::Str(v)) => b.append_value(v),
                (Builder::Str(b), Cell::Null) => b.append_null(),
                (_, cell) => {
                    return Err(format!(
                        "row {r}, column {}: {cell:?} does not fit the column type",
                        table.schema.get(i).map_or("?", |c| c.name)
                    ));
                }
            }
        }
    }
    let columns: Vec<ArrayRef> = builders
        .into_iter()
        .map(|b| -> ArrayRef {
            match b {
                Builder::Int(mut b) => Arc::new(b.finish()),
                Builder::Float(mut b) => Arc::new(b.finish()),
                Builder::Str(mut b) => Arc::new(b.finish()),
            }
        })
        .collect();
    let schema = Arc::new(arrow_schema(table.name, table.schema));
    RecordBatch::try_new(schema, columns).map_err(|e| e.to_string())
}

/// Writes the table as an Arrow IPC file (one record batch).
pub(crate) fn write_arrow_ipc(table: &Table<'_>, path: &Path) -> Result<(), ReportError> {
    let batch = record_batch(table).map_err(encode_err(path))?;
    let f = File::create(path).map_err(io_err(path))?;
    let out = BufWriter::with_capacity(1 << 16, f);
    let mut w = arrow_ipc::writer::FileWriter::try_new(out, &batch.schema())
        .map_err(|e| encode_err(path)(e.to_string()))?;
    w.write(&batch)
        .map_err(|e| encode_err(path)(e.to_string()))?;
    let out = w
        .into_inner()
        .map_err(|e| encode_err(path)(e.to_string()))?;
    finish_file(path, out)
}

/// Writes the table as a Parquet file (one row group, Snappy).
#[cfg(feature = "parquet")]
pub(crate) fn write_parquet(table: &Table<'_>, path: &Path) -> Result<(), ReportError> {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;

    let batch = record_batch(table).map_err(encode_err(path))?;
    let f = File::create(path).map_err(io_err(path))?;
    let out = BufWriter::with_capacity(1 << 16, f);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("rollrec {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut w = ArrowWriter::try_new(out, batch.schema(), Some(props))
        .map_err(|e| encode_err(path)(e.to_string()))?;
    w.write(&batch)
        .map_err(|e| encode_err(path)(e.to_string()))?;
    let out = w
        .into_inner()
        .map_err(|e| encode_err(path)(e.to_string()))?;
    finish_file(path, out)
}

/// Without the `parquet` feature: an error saying how to enable it.
/// [`crate::Report::write_formats`] checks availability first, so this is
/// reached only through a bug.
#[cfg(not(feature = "parquet"))]
pub(crate) fn write_parquet(_table: &Table<'_>, _path: &Path) -> Result<(), ReportError> {
    Err(ReportError::Unavailable(
        crate::format::FormatError::Unavailable(crate::Format::Parquet),
    ))
}
