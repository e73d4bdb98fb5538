//! The canonical roll CSV.
//!
//! UTF-8, one header row, columns matched by name (case-insensitive,
//! surrounding spaces ignored) in any order; unknown columns are ignored.
//! What spreadsheet exports bring is taken as well: a UTF-8 or UTF-16 byte
//! order mark (a UTF-16 file, as Excel saves "Unicode Text", is decoded to
//! UTF-8 as it is read), and a tab, semicolon or pipe instead of the comma
//! (the separator found most often in the header line is used).
//!
//! * Assembly roll: required `ac_no`, `part_no`, `serial_no`, `name`;
//!   optional `state_code`, `section_no`, `epic_no`, `relation_type`,
//!   `relative_name`, `house_no`, `age`, `gender`, `name_en`,
//!   `relative_name_en`.
//! * Local-body roll: required `local_body`, `ward_no`, `serial_no`, `name`;
//!   optional the same fields plus `ac_no`, `part_no`.
//!
//! A data row that repeats an earlier key, has a bad number, a missing
//! required field, the wrong field count or invalid UTF-8 is rejected with
//! its line number and reason, and the rest of the file is read. So is a
//! row with a field that runs on over lines that look like rows: a quote
//! left open, which would otherwise hide those rows inside one name.
//! [`ReadOptions::strict`] turns the first bad row into an error instead.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rollrec_model::hash::{FastMap, fast_map};
use rollrec_model::{
    AssemblyLocation, Elector, Epic, Gender, LocalBodyLocation, Location, RelationType, Roll,
    RollKind, parse_number,
};

use crate::{IoError, ReadOutcome, Reject};

/// The oldest age the reader accepts. Ages above 120 are accepted but are
/// a logical error for the report to flag; above this they are typos.
pub const MAX_AGE: u32 = 150;

/// Columns of an assembly roll, in the order the writer emits them.
pub const ASSEMBLY_COLUMNS: &[&str] = &[
    "state_code",
    "ac_no",
    "part_no",
    "section_no",
    "serial_no",
    "epic_no",
    "name",
    "relation_type",
    "relative_name",
    "house_no",
    "age",
    "gender",
    "name_en",
    "relative_name_en",
];

/// Columns of a local-body roll, in the order the writer emits them.
pub const LOCAL_BODY_COLUMNS: &[&str] = &[
    "state_code",
    "local_body",
    "ward_no",
    "ac_no",
    "part_no",
    "serial_no",
    "epic_no",
    "name",
    "relation_type",
    "relative_name",
    "house_no",
    "age",
    "gender",
    "name_en",
    "relative_name_en",
];

/// The columns a roll of `kind` must have.
pub fn required_columns(kind: RollKind) -> &'static [&'static str] {
    match kind {
        RollKind::Assembly => &["ac_no", "part_no", "serial_no", "name"],
        RollKind::LocalBody => &["local_body", "ward_no", "serial_no", "name"],
    }
}

/// All columns a roll of `kind` understands.
pub fn known_columns(kind: RollKind) -> &'static [&'static str] {
    match kind {
        RollKind::Assembly => ASSEMBLY_COLUMNS,
        RollKind::LocalBody => LOCAL_BODY_COLUMNS,
    }
}

/// How to read a roll.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Stop at the first bad row with [`IoError::BadRow`] instead of
    /// rejecting it and reading on.
    pub strict: bool,
}

/// Reads a roll from a file. `file` names the file in errors and rejects.
pub fn read_roll_path(
    path: &Path,
    kind: RollKind,
    options: &ReadOptions,
) -> Result<ReadOutcome, IoError> {
    let f = File::open(path).map_err(|source| IoError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let size = f.metadata().ok().map(|m| m.len());
    read_sized(
        BufReader::with_capacity(1 << 16, f),
        kind,
        &path.display().to_string(),
        options,
        size,
    )
}

/// Column positions of one file's header.
struct Columns {
    /// The known columns the header has, with their positions. Looked up
    /// a dozen times per row: a short list scanned (names are literals, so
    /// usually the same pointer) beats hashing the name.
    index: Vec<(&'static str, usize)>,
    width: usize,
    /// The field separator (see [`sniff_delimiter`]).
    delimiter: u8,
}

impl Columns {
    fn get(&self, name: &str) -> Option<usize> {
        self.index
            .iter()
            .find(|(k, _)| std::ptr::eq(*k, name) || *k == name)
            .map(|&(_, i)| i)
    }
}

fn parse_header(
    header: &::csv::ByteRecord,
    kind: RollKind,
    file: &str,
) -> Result<Columns, IoError> {
    let header_err = |message: String| IoError::Header {
        file: file.to_string(),
        message,
    };
    let mut index: Vec<(&'static str, usize)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    if header.iter().any(|raw| raw.contains(&0)) {
        return Err(header_err(
            "the header has NUL bytes: the file looks like UTF-16 without a byte order mark; \
             save it as CSV UTF-8 (or as UTF-16 with its byte order mark)"
                .to_string(),
        ));
    }
    for (i, raw) in header.iter().enumerate() {
        let mut text = std::str::from_utf8(raw).map_err(|_| {
            header_err(format!(
                "header column {} is not valid UTF-8: save the file as CSV UTF-8 \
                 (or as UTF-16 with its byte order mark)",
                i + 1
            ))
        })?;
        if i == 0 {
            text = text.trim_start_matches('\u{feff}');
        }
        let name = text.trim().to_ascii_lowercase();
        if let Some(first) = seen.insert(name.clone(), i) {
            return Err(header_err(format!(
                "column {:?} appears twice (columns {} and {})",
                name,
                first + 1,
                i + 1
            )));
        }
        if let Some(known) = known_columns(kind).iter().find(|k| **k == name) {
            index.push((*known, i));
        }
    }
    let missing: Vec<&str> = required_columns(kind)
        .iter()
        .copied()
        .filter(|c| !index.iter().any(|(k, _)| k == c))
        .collect();
    if !missing.is_empty() {
        let other = match kind {
            RollKind::Assembly => RollKind::LocalBody,
            RollKind::LocalBody => RollKind::Assembly,
        };
        let looks_like_other = required_columns(other)
            .iter()
            .all(|c| seen.contains_key(*c));
        let hint = if looks_like_other {
            format!(
                "; the header looks like {} roll: were the EC and SEC files swapped?",
                roll_label(other)
            )
        } else {
            String::new()
        };
        return Err(header_err(format!(
            "missing required column(s) {}: {} roll needs {}{}",
            missing.join(", "),
            roll_label(kind),
            required_columns(kind).join(", "),
            hint
        )));
    }
    Ok(Columns {
        index,
        width: header.len(),
        delimiter: b',',
    })
}

/// The kind of roll, with its article, for messages.
fn roll_label(kind: RollKind) -> &'static str {
    match kind {
        RollKind::Assembly => "an assembly (EC)",
        RollKind::LocalBody => "a local-body (SEC)",
    }
}

/// Re-joins a row's fields as CSV text, for the `raw` column of rejects.
fn raw_text(record: &::csv::ByteRecord) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail for I/O reasons; fall back to a plain
    // join if the csv writer ever refuses.
    if w.write_byte_record(record).is_ok()
        && let Ok(bytes) = w.into_inner()
    {
        let s = String::from_utf8_lossy(&bytes);
        return s.trim_end_matches('\n').to_string();
    }
    record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads one row's fields, by column name.
struct RowReader<'a> {
    record: &'a ::csv::ByteRecord,
    columns: &'a Columns,
}

impl RowReader<'_> {
    /// The trimmed text of a column; `Ok(None)` when the column is absent
    /// or the cell blank.
    fn text(&self, name: &'static str) -> Result<Option<&str>, String> {
        let Some(i) = self.columns.get(name) else {
            return Ok(None);
        };
        let bytes = self.record.get(i).unwrap_or_default();
        let s = std::str::from_utf8(bytes).map_err(|e| {
            format!(
                "column {} ({name}): invalid UTF-8 at byte {}",
                i + 1,
                e.valid_up_to() + 1
            )
        })?;
        let s = s.trim();
        Ok(if s.is_empty() { None } else { Some(s) })
    }

    fn required_text(&self, name: &'static str) -> Result<&str, String> {
        self.text(name)?
            .ok_or_else(|| format!("{}: required field is blank", self.label(name)))
    }

    fn label(&self, name: &'static str) -> String {
        match self.columns.get(name) {
            Some(i) => format!("column {} ({name})", i + 1),
            None => format!("column {name}"),
        }
    }

    fn number(&self, name: &'static str) -> Result<Option<u32>, String> {
        match self.text(name)? {
            None => Ok(None),
            Some(t) => parse_number(t)
                .map(Some)
                .ok_or_else(|| format!("{}: expected a whole number, got {t:?}", self.label(name))),
        }
    }

    fn required_number(&self, name: &'static str) -> Result<u32, String> {
        self.number(name)?
            .ok_or_else(|| format!("{}: required field is blank", self.label(name)))
    }

    fn positive(&self, name: &'static str) -> Result<u32, String> {
        let n = self.required_number(name)?;
        if n == 0 {
            return Err(format!(
                "{}: expected a number from 1 up, got 0",
                self.label(name)
            ));
        }
        Ok(n)
    }

    fn optional_positive(&self, name: &'static str) -> Result<Option<u32>, String> {
        match self.number(name)? {
            Some(0) => Err(format!(
                "{}: expected a number from 1 up, got 0",
                self.label(name)
            )),
            n => Ok(n),
        }
    }

    fn owned(&self, name: &'static str) -> Result<Option<Box<str>>, String> {
        Ok(self.text(name)?.map(Box::from))
    }

    /// The text of a column that repeats from row to row (state code, local
    /// body), shared with the row before when it is the same.
    fn shared(
        &self,
        name: &'static str,
        last: &mut Option<Arc<str>>,
    ) -> Result<Option<Arc<str>>, String> {
        let Some(t) = self.text(name)? else {
            return Ok(None);
        };
        match last {
            Some(prev) if **prev == *t => {}
            _ => *last = Some(Arc::from(t)),
        }
        Ok(last.clone())
    }
}

/// A field whose text goes on over lines that look like rows (two
/// separators or more): a quote opened and not closed where it should be
/// (a stray `"` in a name) makes one field of every line up to the next
/// quote in the file, and the rows on those lines would be lost inside it.
/// (A cell with a line break in it, as a spreadsheet allows, is read as
/// it is.) Names the column (by its header name when it is a known one)
/// and the lines the field spans, the record starting at `line`.
fn runaway_quote(record: &::csv::ByteRecord, columns: &Columns, line: u64) -> Option<String> {
    if !record.as_slice().contains(&b'\n') {
        return None;
    }
    let breaks = |f: &[u8]| f.iter().filter(|&&b| b == b'\n').count() as u64;
    let (i, field) = record.iter().enumerate().find(|(_, f)| {
        f.split(|&b| b == b'\n')
            .skip(1)
            .any(|l| l.iter().filter(|&&b| b == columns.delimiter).count() >= 2)
    })?;
    let before: u64 = record.iter().take(i).map(breaks).sum();
    let name = columns
        .index
        .iter()
        .find(|&&(_, k)| k == i)
        .map_or(String::new(), |(n, _)| format!(" ({n})"));
    Some(format!(
        "column {}{name}: a quoted field runs from line {} to line {}, so those lines were read as one field (is a closing quote missing?)",
        i + 1,
        line + before,
        line + before + breaks(field)
    ))
}

/// The texts [`RowReader::shared`] last handed out: rows of one ward or
/// part come together, so each run of them shares one copy.
#[derive(Default)]
struct SharedTexts {
    state_code: Option<Arc<str>>,
    local_body: Option<Arc<str>>,
}

fn parse_row(
    record: &::csv::ByteRecord,
    columns: &Columns,
    kind: RollKind,
    line: u64,
    shared: &mut SharedTexts,
) -> Result<Elector, String> {
    if let Some(why) = runaway_quote(record, columns, line) {
        return Err(why);
    }
    if record.len() != columns.width {
        return Err(format!(
            "wrong field count: expected {} fields as in the header, found {}",
            columns.width,
            record.len()
        ));
    }
    let r = RowReader { record, columns };
    let location = match kind {
        RollKind::Assembly => Location::Assembly(AssemblyLocation {
            ac_no: r.positive("ac_no")?,
            part_no: r.positive("part_no")?,
            section_no: r.optional_positive("section_no")?,
        }),
        RollKind::LocalBody => Location::LocalBody(LocalBodyLocation {
            local_body: match r.shared("local_body", &mut shared.local_body)? {
                Some(t) => t,
                None => {
                    return Err(format!(
                        "{}: required field is blank",
                        r.label("local_body")
                    ));
                }
            },
            ward_no: r.positive("ward_no")?,
            ac_no: r.optional_positive("ac_no")?,
            part_no: r.optional_positive("part_no")?,
        }),
    };
    let serial_no = r.positive("serial_no")?;
    let name = Box::from(r.required_text("name")?);
    let age = match r.number("age")? {
        None => None,
        Some(a) if a <= MAX_AGE => Some(u8::try_from(a).expect("MAX_AGE fits in u8")),
        Some(a) => {
            return Err(format!(
                "{}: age {a} is out of range (expected 0 to {MAX_AGE})",
                r.label("age")
            ));
        }
    };
    let gender = match r.text("gender")? {
        None => None,
        Some(t) => Some(Gender::parse(t).ok_or_else(|| {
            format!(
                "{}: unknown gender {t:?} (expected M, F, T, Male, Female, Third gender or the word printed on the roll)",
                r.label("gender")
            )
        })?),
    };
    let relation_type = match r.text("relation_type")? {
        None => None,
        Some(t) => Some(RelationType::parse(t).ok_or_else(|| {
            format!(
                "{}: unknown relation {t:?} (expected F, M, H, W, O, Father, Mother, Husband, Wife, Other or the word printed on the roll)",
                r.label("relation_type")
            )
        })?),
    };
    Ok(Elector {
        state_code: r.shared("state_code", &mut shared.state_code)?,
        location,
        serial_no,
        epic: r.text("epic_no")?.and_then(Epic::parse),
        name,
        relation_type,
        relative_name: r.owned("relative_name")?,
        house_no: r.owned("house_no")?,
        age,
        gender,
        name_en: r.owned("name_en")?,
        relative_name_en: r.owned("relative_name_en")?,
        line,
    })
}

/// Makes the csv crate's line numbers exact.
///
/// The csv reader (1.4) dates a record from where the previous one ended:
/// after a run of blank lines, or after a `\r\n` terminator, every later
/// row would be reported on the wrong line. This adaptor rewrites the line
/// terminators outside quotes as a plain `\n` and writes a single space
/// into each blank line; the csv reader then yields a blank line as a
/// one-field blank record, which [`read_roll`] passes over without counting
/// it as a row, and every line number stays true to the file. Text inside
/// quoted fields is left alone. It also drops a leading UTF-8 byte order
/// mark.
struct BlankLineGuard<R> {
    inner: R,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    in_quotes: bool,
    line_blank: bool,
    prev_cr: bool,
    started: bool,
    /// The first bytes, until they show whether they open with a byte
    /// order mark.
    head: Vec<u8>,
}

impl<R: Read> BlankLineGuard<R> {
    fn new(inner: R) -> Self {
        BlankLineGuard {
            inner,
            raw: vec![0; 1 << 16],
            out: Vec::with_capacity(1 << 17),
            pos: 0,
            in_quotes: false,
            line_blank: true,
            prev_cr: false,
            started: false,
            head: Vec::new(),
        }
    }
}

impl<R> BlankLineGuard<R> {
    /// Rewrites one chunk of the file into `out`.
    fn feed(&mut self, chunk: &[u8]) {
        // Only line ends and quotes need a look; the text between them is
        // copied a span at a time.
        let mut at = 0;
        while at < chunk.len() {
            let rest = &chunk[at..];
            let span = memchr::memchr3(b'\n', b'\r', b'"', rest).unwrap_or(rest.len());
            if span > 0 {
                self.out.extend_from_slice(&rest[..span]);
                self.line_blank = false;
                self.prev_cr = false;
            }
            at += span;
            let Some(&b) = chunk.get(at) else { break };
            at += 1;
            let terminator = !self.in_quotes && (b == b'\n' || b == b'\r');
            if terminator {
                // The \n of a \r\n pair was written with the \r.
                if !(b == b'\n' && self.prev_cr) {
                    if self.line_blank {
                        self.out.push(b' ');
                    }
                    self.out.push(b'\n');
                }
                self.line_blank = true;
            } else {
                if b == b'"' {
                    self.in_quotes = !self.in_quotes;
                }
                self.line_blank = false;
                self.out.push(b);
            }
            self.prev_cr = b == b'\r';
        }
    }
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

impl<R: Read> Read for BlankLineGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // A chunk can leave nothing to hand on (the `\n` of a `\r\n` split
        // between reads, or the first bytes of a byte order mark): read on,
        // or a 0 would end the file early.
        while self.pos == self.out.len() {
            let n = self.inner.read(&mut self.raw)?;
            self.out.clear();
            self.pos = 0;
            let raw = std::mem::take(&mut self.raw);
            if self.started {
                if n == 0 {
                    self.raw = raw;
                    return Ok(0);
                }
                self.feed(&raw[..n]);
            } else {
                // The first bytes wait until they show whether they open
                // with a byte order mark, which is not text.
                self.head.extend_from_slice(&raw[..n]);
                if n > 0 && self.head.len() < BOM.len() && BOM.starts_with(&self.head) {
                    self.raw = raw;
                    continue;
                }
                self.started = true;
                let head = std::mem::take(&mut self.head);
                self.feed(head.strip_prefix(BOM).unwrap_or(&head));
                if n == 0 && self.out.is_empty() {
                    self.raw = raw;
                    return Ok(0);
                }
            }
            self.raw = raw;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Finds rows that repeat an earlier row's key.
///
/// Rolls are nearly always exported in key order (part or ward, then
/// serial): while every key is greater than the last accepted row's, none
/// can repeat and no key is stored. At the first key out of order, the
/// keys of the rows accepted so far go into a map (with their lines) and
/// every later key is looked up there. An SEC roll's local bodies often
/// come in their code order, not the order of their names, so the map is
/// the usual case there: keys are held as three integers (a local body by
/// the number it was first met with), not as an `ElectorKey` with its
/// `String`, which made this the slowest step of reading an SEC roll on
/// the thread that splits the records.
#[derive(Default)]
struct KeyCheck {
    /// Every accepted key and its line, once a key came out of order.
    seen: Option<FastMap<PackedKey, u64>>,
    /// The local bodies met, numbered, once the map is in use.
    bodies: FastMap<Arc<str>, u32>,
    /// The local body of the last key packed, with its number: rows of one
    /// body come together and share one copy of its name.
    last_body: Option<(Arc<str>, u32)>,
}

/// A key as integers: AC, part and serial, or the local body's number,
/// ward and serial.
type PackedKey = (u32, u32, u32);

/// The order of `rollrec_model::ElectorKey`, without building the keys.
fn key_order(a: &Elector, b: &Elector) -> std::cmp::Ordering {
    match (&a.location, &b.location) {
        (Location::Assembly(x), Location::Assembly(y)) => {
            (x.ac_no, x.part_no, a.serial_no).cmp(&(y.ac_no, y.part_no, b.serial_no))
        }
        (Location::LocalBody(x), Location::LocalBody(y)) => {
            (&x.local_body, x.ward_no, a.serial_no).cmp(&(&y.local_body, y.ward_no, b.serial_no))
        }
        _ => a.key().cmp(&b.key()),
    }
}

impl KeyCheck {
    fn pack(&mut self, e: &Elector) -> PackedKey {
        match &e.location {
            Location::Assembly(a) => (a.ac_no, a.part_no, e.serial_no),
            Location::LocalBody(l) => {
                let id = match &self.last_body {
                    Some((body, id)) if Arc::ptr_eq(body, &l.local_body) => *id,
                    _ => {
                        let next = self.bodies.len() as u32;
                        let id = *self.bodies.entry(l.local_body.clone()).or_insert(next);
                        self.last_body = Some((l.local_body.clone(), id));
                        id
                    }
                };
                (id, l.ward_no, e.serial_no)
            }
        }
    }

    /// Accepts `e` (the row on `line`) unless an accepted row has its key;
    /// `accepted` are the rows accepted so far, in order.
    fn check(&mut self, e: &Elector, line: u64, accepted: &[Elector]) -> Result<(), String> {
        if self.seen.is_none() {
            if accepted
                .last()
                .is_none_or(|last| key_order(last, e).is_lt())
            {
                return Ok(());
            }
            let mut seen: FastMap<PackedKey, u64> = fast_map();
            seen.reserve(accepted.len() * 2);
            for a in accepted {
                let key = self.pack(a);
                seen.insert(key, a.line);
            }
            self.seen = Some(seen);
        }
        let key = self.pack(e);
        let seen = self.seen.get_or_insert_with(fast_map);
        match seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => Err(format!(
                "duplicate key {} (first seen on line {})",
                e.key(),
                first.get()
            )),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                Ok(())
            }
        }
    }
}

/// The most bytes [`read_head`] reads ahead looking for the header line.
const HEAD_LIMIT: usize = 1 << 20;

/// Reads the first bytes of a file, up to the end of its first line with
/// text on it (the header; at most [`HEAD_LIMIT`] bytes), so that
/// [`sniff_delimiter`] can look at it before parsing starts. The reader
/// then goes on from these bytes.
fn read_head<R: Read>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut line_start = 0;
    while head.len() < HEAD_LIMIT {
        let n = reader.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
        while let Some(end) = memchr::memchr(b'\n', &head[line_start..]) {
            let line = &head[line_start..line_start + end];
            if !line.iter().all(u8::is_ascii_whitespace) {
                return Ok(head);
            }
            line_start += end + 1;
        }
    }
    Ok(head)
}

/// The field separators a roll file may use, the canonical comma first.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// The text of a small table file (a ward map) read the way rolls are: a
/// UTF-16 file with its byte order mark is decoded, a UTF-8 byte order
/// mark dropped; anything else must be UTF-8. Pair it with
/// [`sniff_delimiter`].
///
/// ```
/// let utf16: Vec<u8> = [0xFF, 0xFE].into_iter()
///     .chain("ac_no\tward_no\n".encode_utf16().flat_map(u16::to_le_bytes))
///     .collect();
/// let text = rollrec_io::csv::decode_text(&utf16).unwrap();
/// assert_eq!(text, "ac_no\tward_no\n");
/// assert_eq!(rollrec_io::csv::sniff_delimiter(text.as_bytes()), b'\t');
/// ```
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    let mut text = Vec::with_capacity(bytes.len());
    decoded(bytes)
        .read_to_end(&mut text)
        .map_err(|e| e.to_string())?;
    String::from_utf8(text).map_err(|e| {
        format!(
            "not valid UTF-8 at byte {}: save the file as CSV UTF-8 (or as UTF-16 with its byte order mark)",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// A file's bytes as UTF-8: a UTF-16 file with its byte order mark is
/// decoded, a byte order mark dropped; anything else passes through as it
/// is, so that a row of invalid UTF-8 is rejected on its own line.
fn decoded<R: Read>(reader: R) -> encoding_rs_io::DecodeReaderBytes<R, Vec<u8>> {
    encoding_rs_io::DecodeReaderBytesBuilder::new()
        .utf8_passthru(true)
        .strip_bom(true)
        .build(reader)
}

/// The field separator of a table from its first bytes: the one of
/// [`DELIMITERS`] (comma, tab, semicolon, pipe) that its first line with
/// text has most often outside quotes (the comma on a tie, and when there
/// is none at all).
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut in_quotes = false;
    let mut has_text = false;
    for &b in head {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                if has_text {
                    break;
                }
            }
            _ if in_quotes => {}
            _ => {
                if let Some(k) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[k] += 1;
                }
                has_text |= !b.is_ascii_whitespace();
            }
        }
    }
    // Ties go to the earlier separator: `max_by_key` keeps the last
    // maximum, so look from the end.
    DELIMITERS
        .iter()
        .zip(counts)
        .rev()
        .max_by_key(|&(_, n)| n)
        .map_or(b',', |(&d, _)| d)
}

/// Whether a record is a blank line (no text, or only white space, in a
/// single field): not a row.
fn is_blank(record: &::csv::ByteRecord) -> bool {
    record.len() == 1
        && record
            .get(0)
            .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Most rows [`read_sized`] reserves room for ahead.
const MAX_RESERVE: usize = 1 << 27;

/// Rows parsed in parallel at a time.
const BATCH: usize = 8192;

/// Reads a roll of `kind` from CSV. `file` names the source in rejects
/// and errors. The CSV is split into records on the calling thread and the
/// records are parsed on rayon's pool, a batch at a time.
///
/// Fails on I/O errors and on a bad header. Bad data rows are rejected (or,
/// with [`ReadOptions::strict`], the first one fails the read).
pub fn read_roll<R: Read>(
    reader: R,
    kind: RollKind,
    file: &str,
    options: &ReadOptions,
) -> Result<ReadOutcome, IoError> {
    read_sized(reader, kind, file, options, None)
}

/// [`read_roll`], given the size of the input in bytes when known: the
/// rows are then counted ahead from the first batch and stored once,
/// without growing (and copying) the list of electors as it fills.
fn read_sized<R: Read>(
    reader: R,
    kind: RollKind,
    file: &str,
    options: &ReadOptions,
    size: Option<u64>,
) -> Result<ReadOutcome, IoError> {
    let mut guarded = BlankLineGuard::new(decoded(reader));
    let head = read_head(&mut guarded).map_err(|e| IoError::Csv {
        file: file.to_string(),
        line: 0,
        message: e.to_string(),
    })?;
    let delimiter = sniff_delimiter(&head);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(head).chain(guarded));
    let csv_err = |e: ::csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        IoError::Csv {
            file: file.to_string(),
            line,
            message: e.to_string(),
        }
    };
    let mut record = ::csv::ByteRecord::new();
    loop {
        if !rdr.read_byte_record(&mut record).map_err(csv_err)? {
            return Err(IoError::Header {
                file: file.to_string(),
                message: "the file is empty: expected a header row".to_string(),
            });
        }
        if !is_blank(&record) {
            break;
        }
    }
    let columns = Columns {
        delimiter,
        ..parse_header(&record, kind, file)?
    };

    let mut roll = Roll::new(kind);
    let mut rejects = Vec::new();
    let mut rows_read = 0u64;
    let mut keys = KeyCheck::default();
    // Records are split by one thread and parsed in parallel a batch at a
    // time; keys are checked and rows kept in input order.
    let mut batch: Vec<(::csv::ByteRecord, u64)> = Vec::with_capacity(BATCH);
    let mut spare: Vec<::csv::ByteRecord> = Vec::with_capacity(BATCH);
    // The parsed rows of a batch; one buffer for all batches, so its pages
    // are not handed back and faulted in again for each.
    let mut results: Vec<Result<Elector, String>> = Vec::with_capacity(BATCH);
    loop {
        let mut more = true;
        // A CSV error ends the read after the rows before it are handled,
        // as if rows were read one at a time.
        let mut failed = None;
        while batch.len() < BATCH {
            let mut record = spare.pop().unwrap_or_default();
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => {
                    more = false;
                    break;
                }
                Err(e) => {
                    failed = Some(csv_err(e));
                    more = false;
                    break;
                }
            }
            if is_blank(&record) {
                spare.push(record);
                continue;
            }
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            batch.push((record, line));
        }
        rows_read += batch.len() as u64;
        if rows_read == batch.len() as u64
            && more
            && let (Some(size), Some((last, _))) = (size, batch.last())
            && let Some(at) = last.position().map(|p| p.byte())
            && at > 0
        {
            // Rows of the first batch (less the header) spread over the
            // file, with a margin; room reserved but not used costs no
            // memory until it is written.
            let per_row = at as f64 / batch.len() as f64;
            let rows = (size as f64 / per_row * 1.1) as usize;
            roll.electors.reserve(rows.min(MAX_RESERVE));
        }
        batch
            .par_iter()
            .map_init(SharedTexts::default, |shared, (record, line)| {
                parse_row(record, &columns, kind, *line, shared)
            })
            .collect_into_vec(&mut results);
        for ((record, line), parsed) in batch.drain(..).zip(results.drain(..)) {
            let parsed = parsed.and_then(|e| {
                keys.check(&e, line, &roll.electors)?;
                Ok(e)
            });
            match parsed {
                Ok(e) => roll.electors.push(e),
                Err(reason) if options.strict => {
                    return Err(IoError::BadRow {
                        file: file.to_string(),
                        line,
                        reason,
                    });
                }
                Err(reason) => rejects.push(Reject {
                    roll: kind,
                    file: file.to_string(),
                    line,
                    reason,
                    raw: raw_text(&record),
                }),
            }
            spare.push(record);
        }
        if let Some(e) = failed {
            return Err(e);
        }
        if !more {
            break;
        }
    }
    Ok(ReadOutcome {
        file: file.to_string(),
        roll,
        rejects,
        rows_read,
    })
}

/// Streams electors of one roll kind to canonical CSV.
///
/// ```
/// use rollrec_io::csv::{read_roll, ReadOptions, RollWriter};
/// use rollrec_model::RollKind;
///
/// let src = "ac_no,part_no,serial_no,name,gender\n12,1,1,Asha Devi,महिला\n";
/// let roll = read_roll(src.as_bytes(), RollKind::Assembly, "in", &ReadOptions::default())?.roll;
/// let mut w = RollWriter::new(Vec::new(), RollKind::Assembly, "out")?;
/// for e in &roll.electors {
///     w.write(e)?;
/// }
/// let text = String::from_utf8(w.finish()?).expect("the writer writes UTF-8");
/// assert!(text.starts_with("state_code,ac_no,part_no,"));
/// assert!(text.contains(",12,1,,1,,Asha Devi,,,,,F,,"));
/// # Ok::<(), rollrec_io::IoError>(())
/// ```
#[derive(Debug)]
pub struct RollWriter<W: Write> {
    inner: ::csv::Writer<W>,
    kind: RollKind,
    file: String,
    rows: u64,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl<W: Write> RollWriter<W> {
    /// Starts a roll of `kind` and writes its header. `file` names the
    /// destination in errors.
    pub fn new(writer: W, kind: RollKind, file: &str) -> Result<Self, IoError> {
        let mut inner = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(writer);
        inner
            .write_record(known_columns(kind))
            .map_err(|e| write_err(file, 1, e))?;
        Ok(RollWriter {
            inner,
            kind,
            file: file.to_string(),
            rows: 0,
        })
    }

    /// Writes one elector. Fails if the elector belongs to the other roll
    /// kind.
    pub fn write(&mut self, e: &Elector) -> Result<(), IoError> {
        let line = self.rows + 2;
        let common = |loc: Vec<String>| -> Vec<String> {
            let mut v = vec![opt(&e.state_code)];
            v.extend(loc);
            v.extend([
                e.serial_no.to_string(),
                opt(&e.epic),
                e.name.to_string(),
                opt(&e.relation_type),
                opt(&e.relative_name),
                opt(&e.house_no),
                opt(&e.age),
                opt(&e.gender),
                opt(&e.name_en),
                opt(&e.relative_name_en),
            ]);
            v
        };
        let fields = match (&e.location, self.kind) {
            (Location::Assembly(a), RollKind::Assembly) => common(vec![
                a.ac_no.to_string(),
                a.part_no.to_string(),
                opt(&a.section_no),
            ]),
            (Location::LocalBody(l), RollKind::LocalBody) => common(vec![
                l.local_body.to_string(),
                l.ward_no.to_string(),
                opt(&l.ac_no),
                opt(&l.part_no),
            ]),
            _ => {
                return Err(IoError::Csv {
                    file: self.file.clone(),
                    line,
                    message: format!(
                        "cannot write a {} entry into a {} roll",
                        e.kind(),
                        self.kind
                    ),
                });
            }
        };
        self.inner
            .write_record(&fields)
            .map_err(|err| write_err(&self.file, line, err))?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> Result<W, IoError> {
        let file = self.file;
        self.inner.into_inner().map_err(|e| IoError::Csv {
            file,
            line: 0,
            message: e.error().to_string(),
        })
    }
}

fn write_err(file: &str, line: u64, e: ::csv::Error) -> IoError {
    IoError::Csv {
        file: file.to_string(),
        line,
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(kind: RollKind, data: &[u8]) -> ReadOutcome {
        read_roll(data, kind, "t.csv", &ReadOptions::default()).expect("header is valid")
    }

    #[test]
    fn columns_in_any_order_unknown_ignored() {
        let out = read(
            RollKind::Assembly,
            b"Name , extra,SERIAL_NO,part_no,ac_no\nAsha,x,1,2,3\n",
        );
        assert!(out.rejects.is_empty());
        let e = &out.roll.electors[0];
        assert_eq!(&*e.name, "Asha");
        assert_eq!(e.location.assembly_part(), Some((3, 2)));
        assert_eq!(e.line, 2);
    }

    #[test]
    fn an_unclosed_quote_is_named_in_the_reject() {
        // The quote opened in line 3 runs to the one in line 5: lines 3 to
        // 5 are one record, rejected as such, not a name with line breaks.
        let data = b"ac_no,part_no,serial_no,name\n\
            1,1,1,Asha\n\
            1,1,2,\"Ravi\n\
            1,1,3,Mina\n\
            1,1,4,\"Uma\"\n\
            1,1,5,Lata\n";
        let out = read(RollKind::Assembly, data);
        assert_eq!(out.roll.len() + out.rejects.len(), out.rows_read as usize);
        let first = &out.rejects[0];
        assert_eq!(first.line, 3);
        assert_eq!(out.rejects.len(), 1, "{:?}", out.rejects);
        assert!(
            first
                .reason
                .starts_with("column 4 (name): a quoted field runs from line 3 to line 5"),
            "{first:?}"
        );
        let names: Vec<&str> = out.roll.electors.iter().map(|e| &*e.name).collect();
        assert_eq!(names, ["Asha", "Lata"]);
    }

    #[test]
    fn every_bad_row_kind_is_rejected_with_line_and_reason() {
        let mut data = b"ac_no,part_no,serial_no,name,age,gender\n\
            1,1,1,A,30,M\n\
            1,1,1,B,31,F\n\
            1,x,2,C,30,M\n\
            1,1,3,,30,M\n\
            1,1,4,D,30\n\
            1,1,5,E,300,M\n\
            1,1,6,F,30,Q\n"
            .to_vec();
        data.extend_from_slice(b"1,1,7,\xff\xfe,30,M\n");
        data.extend_from_slice("1,1,8,G,४०,पुरुष\n".as_bytes());
        let out = read(RollKind::Assembly, &data);
        assert_eq!(out.rows_read, 9);
        assert_eq!(out.roll.len() + out.rejects.len(), 9);
        let reasons: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        let expect = [
            (3, "duplicate key"),
            (4, "column 2 (part_no): expected a whole number"),
            (5, "column 4 (name): required field is blank"),
            (6, "wrong field count"),
            (7, "age 300 is out of range"),
            (8, "unknown gender"),
            (9, "invalid UTF-8"),
        ];
        assert_eq!(reasons.len(), expect.len(), "{reasons:?}");
        for ((line, reason), (want_line, want)) in reasons.iter().zip(expect) {
            assert_eq!(*line, want_line);
            assert!(
                reason.contains(want),
                "line {line}: {reason:?} lacks {want:?}"
            );
        }
        let last = out.roll.electors.last().expect("two rows accepted");
        assert_eq!(last.age, Some(40));
        assert_eq!(last.gender, Some(Gender::Male));
        assert!(out.rejects[6].raw.contains('\u{fffd}'));
    }

    #[test]
    fn strict_fails_on_first_bad_row() {
        let err = read_roll(
            &b"ac_no,part_no,serial_no,name\n1,1,1,A\n1,1,x,B\n"[..],
            RollKind::Assembly,
            "ec.csv",
            &ReadOptions { strict: true },
        )
        .expect_err("row 3 is bad");
        let msg = err.to_string();
        assert!(
            msg.starts_with("ec.csv: line 3: column 3 (serial_no)"),
            "{msg}"
        );
    }

    #[test]
    fn header_errors_name_the_problem() {
        let err = read_roll(
            &b"local_body,ward_no,serial_no,name\n"[..],
            RollKind::Assembly,
            "ec.csv",
            &ReadOptions::default(),
        )
        .expect_err("missing columns");
        let msg = err.to_string();
        assert!(
            msg.contains("missing required column(s) ac_no, part_no"),
            "{msg}"
        );
        assert!(msg.contains("swapped"), "{msg}");
        let err = read_roll(
            &b""[..],
            RollKind::LocalBody,
            "s.csv",
            &ReadOptions::default(),
        )
        .expect_err("empty");
        assert!(err.to_string().contains("empty"));
        let err = read_roll(
            &b"name,name,ac_no\n"[..],
            RollKind::Assembly,
            "e.csv",
            &ReadOptions::default(),
        )
        .expect_err("dup column");
        assert!(err.to_string().contains("appears twice"));
        let err = read_roll(
            &b"name,serial_no\n"[..],
            RollKind::Assembly,
            "e.csv",
            &ReadOptions::default(),
        )
        .expect_err("missing columns");
        assert!(
            err.to_string().contains(": an assembly (EC) roll needs"),
            "{err}"
        );
    }

    #[test]
    fn bom_and_blank_lines() {
        let out = read(
            RollKind::LocalBody,
            "\u{feff}\nlocal_body,ward_no,serial_no,name\r\nGP A,3,1,X\r\n\r\n\nGP A,3,2,\"Y\n\nZ\"\n  \nGP A,3,3,W\n"
                .as_bytes(),
        );
        assert_eq!(out.rows_read, 3);
        let lines: Vec<u64> = out.roll.electors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 6, 10]);
        assert_eq!(&*out.roll.electors[1].name, "Y\n\nZ");
    }

    #[test]
    fn repeated_local_body_keys_are_found_whatever_the_bodies_order() {
        // Bodies not in name order (GP B before GP A), so the keys go out of
        // order at line 4; GP B comes back at line 5 with its name in a new
        // copy, and its repeat must still be found.
        let src = "local_body,ward_no,serial_no,name\n\
            GP B,1,1,A\n\
            GP B,1,2,B\n\
            GP A,1,1,C\n\
            GP B,1,2,D\n\
            GP A,1,1,E\n\
            GP C,2,1,F\n\
            GP A,2,1,G\n\
            GP B,2,2,H\n";
        let out = read(RollKind::LocalBody, src.as_bytes());
        let names: Vec<&str> = out.roll.electors.iter().map(|e| e.name.as_ref()).collect();
        assert_eq!(names, ["A", "B", "C", "F", "G", "H"]);
        let rejects: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            rejects,
            [
                (
                    5,
                    "duplicate key GP B ward 1 serial 2 (first seen on line 3)"
                ),
                (
                    6,
                    "duplicate key GP A ward 1 serial 1 (first seen on line 4)"
                ),
            ]
        );
    }

    #[test]
    fn repeated_keys_are_found_in_and_out_of_order() {
        let head = "ac_no,part_no,serial_no,name\n";
        // In order, a repeat right after its first row; then out of
        // order, a repeat of a row accepted while the keys were in order,
        // and a row out of order that repeats nothing.
        let rows = [
            "1,1,1,A", "1,1,2,B", "1,1,2,C", "1,2,1,D", "1,1,5,E", "1,1,1,F", "1,1,3,G", "1,1,5,H",
        ];
        let src = format!("{head}{}\n", rows.join("\n"));
        let out = read(RollKind::Assembly, src.as_bytes());
        let names: Vec<&str> = out.roll.electors.iter().map(|e| e.name.as_ref()).collect();
        assert_eq!(names, ["A", "B", "D", "E", "G"]);
        let rejects: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            rejects,
            [
                (
                    4,
                    "duplicate key AC 1 part 1 serial 2 (first seen on line 3)"
                ),
                (
                    7,
                    "duplicate key AC 1 part 1 serial 1 (first seen on line 2)"
                ),
                (
                    9,
                    "duplicate key AC 1 part 1 serial 5 (first seen on line 6)"
                ),
            ]
        );
    }

    /// `text` in UTF-16 with a byte order mark, as Excel's "Unicode Text".
    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn spreadsheet_exports_read_like_the_csv() {
        // A quoted field with the separator and a line break in it, a bad
        // row, a blank line, CRLF line ends and text in two scripts.
        let rows = [
            ["local_body", "ward_no", "serial_no", "name", "house_no"],
            ["GP A", "3", "1", "অমল দাস", "\"16, A\""],
            ["GP A", "3", "x", "Ravi", "2"],
            ["GP A", "3", "2", "\"Y\r\nZ\"", "\"2;3|4\""],
            ["GP A", "3", "3", "Asha Devi", "H.No. 5"],
        ];
        let text = |sep: &str| -> String {
            let lines: Vec<String> = rows.iter().map(|r| r.join(sep)).collect();
            format!("{}\r\n\r\n{}\r\n", lines[0], lines[1..].join("\r\n"))
        };
        let want = read(RollKind::LocalBody, text(",").as_bytes());
        assert_eq!(want.roll.len(), 3);
        assert_eq!(want.rejects.len(), 1);
        assert_eq!(want.roll.electors[0].house_no.as_deref(), Some("16, A"));
        assert_eq!(want.roll.electors[1].house_no.as_deref(), Some("2;3|4"));
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        for sep in ["\t", ";", "|"] {
            inputs.push((format!("{sep:?}"), text(sep).into_bytes()));
        }
        for big_endian in [false, true] {
            for sep in [",", "\t"] {
                inputs.push((
                    format!("UTF-16 big endian {big_endian} {sep:?}"),
                    utf16(&text(sep), big_endian),
                ));
            }
        }
        for (what, bytes) in &inputs {
            for n in [1, 3, 4096] {
                let got = read_roll(
                    BufReader::with_capacity(1, Trickle(bytes, n)),
                    RollKind::LocalBody,
                    "t.csv",
                    &ReadOptions::default(),
                )
                .unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(got.roll, want.roll, "{what}, {n} bytes a read");
                let lines = |o: &ReadOutcome| -> Vec<(u64, String)> {
                    o.rejects
                        .iter()
                        .map(|r| (r.line, r.reason.clone()))
                        .collect()
                };
                assert_eq!(lines(&got), lines(&want), "{what}");
            }
        }
    }

    #[test]
    fn the_header_line_picks_the_separator() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1\t2\t3\t4\t5\n"), b',');
        assert_eq!(sniff_delimiter(b"\n  \na\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a,b\";c;d\n"), b';');
        assert_eq!(sniff_delimiter(b"a;b,c|d\n"), b',');
        assert_eq!(sniff_delimiter(b"name\n"), b',');
        assert_eq!(sniff_delimiter(b""), b',');
    }

    #[test]
    fn utf16_without_a_mark_is_named() {
        let text = "ac_no,part_no,serial_no,name\n1,1,1,A\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let err = read_roll(
            &bytes[..],
            RollKind::Assembly,
            "e.csv",
            &ReadOptions::default(),
        )
        .expect_err("no byte order mark");
        assert!(
            err.to_string().contains("UTF-16 without a byte order mark"),
            "{err}"
        );
        let err = read_roll(
            &b"ac_no,part_no,serial_no,n\xe4me\n"[..],
            RollKind::Assembly,
            "e.csv",
            &ReadOptions::default(),
        )
        .expect_err("Latin-1 header");
        assert!(
            err.to_string().contains("save the file as CSV UTF-8"),
            "{err}"
        );
    }

    /// Hands out at most `n` bytes per read, as a pipe may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn short_reads_give_the_same_rows_and_lines() {
        let src = "\u{feff}\nlocal_body,ward_no,serial_no,name\r\nGP A,3,1,X\r\n\r\n\nGP A,3,2,\"Y\r\n\nZ\"\r\n  \nGP A,3,3,W\r\n";
        let whole = read(RollKind::LocalBody, src.as_bytes());
        assert_eq!(whole.rows_read, 3);
        for n in 1..8 {
            let out = read_roll(
                BufReader::with_capacity(1, Trickle(src.as_bytes(), n)),
                RollKind::LocalBody,
                "mem",
                &ReadOptions::default(),
            )
            .expect("valid roll");
            assert_eq!(out.roll, whole.roll, "{n} bytes a read");
            assert_eq!(out.rows_read, whole.rows_read);
        }
    }

    #[test]
    fn write_then_read_round_trips() {
        for kind in [RollKind::Assembly, RollKind::LocalBody] {
            let src = match kind {
                RollKind::Assembly => {
                    "ac_no,part_no,section_no,serial_no,name,relation_type,relative_name,age,gender,epic_no,house_no,name_en,state_code\n\
                    5,7,2,11,\"Rao, K.\",H,Suresh,40,F,abc1234567,16-A,Rao K,S10\n"
                }
                RollKind::LocalBody => {
                    "local_body,ward_no,ac_no,part_no,serial_no,name\n\"Corp \"\"X\"\"\",4,5,7,1,=SUM(A1)\n"
                }
            };
            let a = read(kind, src.as_bytes());
            assert!(a.rejects.is_empty(), "{:?}", a.rejects);
            let mut w = RollWriter::new(Vec::new(), kind, "mem").expect("header");
            for e in &a.roll.electors {
                w.write(e).expect("same kind");
            }
            let bytes = w.finish().expect("vec");
            let b = read(kind, &bytes);
            assert_eq!(a.roll, b.roll);
        }
    }
}
