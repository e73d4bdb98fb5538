//! Reading and writing electoral rolls.
//!
//! * [`csv`](crate::csv): the canonical roll CSV (see the workspace README
//!   for the format). The reader never loses a row: every data row is either
//!   accepted into the [`Roll`](rollrec_model::Roll) or returned as a
//!   [`Reject`] with its line number and reason.
//! * [`arrow`](crate::arrow): a versioned Arrow schema for electors and
//!   conversion of a roll to and from a `RecordBatch`.
//!
//! ```
//! use rollrec_io::csv::{read_roll, ReadOptions};
//! use rollrec_model::RollKind;
//!
//! let data = "ac_no,part_no,serial_no,name,age\n\
//!             12,1,1,Asha Devi,34\n\
//!             12,1,2,Ravi Kumar,abc\n";
//! let out = read_roll(data.as_bytes(), RollKind::Assembly, "ec.csv", &ReadOptions::default())?;
//! assert_eq!(out.rows_read, 2);
//! assert_eq!(out.roll.len(), 1);
//! assert_eq!(out.rejects[0].line, 3);
//! assert!(out.rejects[0].reason.contains("age"));
//! # Ok::<(), rollrec_io::IoError>(())
//! ```

pub mod arrow;
pub mod csv;

pub use rollrec_model::{ReadOutcome, Reject};
use std::path::PathBuf;

/// Errors of this crate. A bad data row is not an error unless reading is
/// strict: it becomes a [`Reject`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The file could not be opened or created.
    #[error("{path}: {source}")]
    Open {
        /// The path.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The CSV layer failed (I/O error while reading, or while writing).
    #[error("{file}: line {line}: {message}")]
    Csv {
        /// The file.
        file: String,
        /// 1-based line, 0 when unknown.
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// The header row is missing, not UTF-8, repeats a column, or lacks a
    /// required column.
    #[error("{file}: line 1: {message}")]
    Header {
        /// The file.
        file: String,
        /// What is wrong with the header.
        message: String,
    },
    /// In strict mode: the first bad data row.
    #[error("{file}: line {line}: {reason}")]
    BadRow {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// What was wrong, naming the column and what was expected.
        reason: String,
    },
    /// An Arrow batch does not follow the rollrec elector schema.
    #[error("arrow: {0}")]
    Schema(String),
    /// An error from the Arrow library.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}
