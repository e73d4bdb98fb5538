//! The file formats the report tables can be written in.

use std::fmt;
use std::str::FromStr;

/// A format for the three report tables (`matches`, `discrepancies`,
/// `rejects`). `summary.json` and `report.html` are written whatever the
/// formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Format {
    /// `*.csv`: UTF-8, one header row, `\n` line ends, formula cells
    /// neutralised.
    Csv,
    /// `*.jsonl`: JSON Lines, one object per row, keys in column order,
    /// blanks as `null`.
    Jsonl,
    /// `*.arrow`: the Arrow IPC file format (Feather v2), uncompressed.
    Arrow,
    /// `*.parquet`: Parquet with Snappy compression. Needs the `parquet`
    /// cargo feature; see [`Format::is_available`].
    Parquet,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 4] = [Format::Csv, Format::Jsonl, Format::Arrow, Format::Parquet];

    /// What [`crate::Report::write`] writes: CSV only.
    pub const DEFAULT: &'static [Format] = &[Format::Csv];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Arrow => "arrow",
            Format::Parquet => "parquet",
        }
    }

    /// The file extension of a table in this format (no dot).
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// Whether this build can write the format: Parquet only when the
    /// `parquet` cargo feature was enabled.
    pub fn is_available(self) -> bool {
        self != Format::Parquet || cfg!(feature = "parquet")
    }

    /// Parses a comma-separated list such as `csv,parquet`: names are
    /// trimmed and case-insensitive, repeats are dropped, the result is in
    /// [`Format::ALL`] order. Fails on an unknown or empty name, and on a
    /// format this build cannot write (with how to enable it).
    ///
    /// ```
    /// use rollrec_report::Format;
    /// assert_eq!(Format::parse_list("jsonl, csv,csv").unwrap(), [Format::Csv, Format::Jsonl]);
    /// assert!(Format::parse_list("xlsx").is_err());
    /// ```
    pub fn parse_list(list: &str) -> Result<Vec<Format>, FormatError> {
        let mut out = Vec::new();
        for name in list.split(',') {
            let f: Format = name.parse()?;
            if !f.is_available() {
                return Err(FormatError::Unavailable(f));
            }
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out.sort();
        Ok(out)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// Not a format name.
    #[error("unknown format {0:?}: expected a comma-separated list of csv, jsonl, arrow, parquet")]
    Unknown(String),
    /// A known format this build was compiled without.
    #[error(
        "{0} output is not compiled into this build of rollrec: rebuild with the `parquet` \
         cargo feature (`cargo build --release -p rollrec-cli --features parquet`)"
    )]
    Unavailable(Format),
}

impl FromStr for Format {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| FormatError::Unknown(s.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        assert_eq!(Format::parse_list("csv"), Ok(vec![Format::Csv]));
        assert_eq!(
            Format::parse_list(" ARROW,jsonl ,csv"),
            Ok(vec![Format::Csv, Format::Jsonl, Format::Arrow])
        );
        assert_eq!(
            Format::parse_list("csv,,jsonl"),
            Err(FormatError::Unknown(String::new()))
        );
        assert!(matches!(
            Format::parse_list("csv,xls"),
            Err(FormatError::Unknown(n)) if n == "xls"
        ));
    }

    #[test]
    fn parquet_availability_follows_the_feature() {
        let got = Format::parse_list("parquet");
        if cfg!(feature = "parquet") {
            assert_eq!(got, Ok(vec![Format::Parquet]));
        } else {
            let err = got.expect_err("not compiled in");
            assert!(err.to_string().contains("--features parquet"), "{err}");
        }
    }
}
