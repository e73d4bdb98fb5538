//! Findings about matched pairs (attribute mismatches, wrong wards) and
//! about EPIC numbers shared inside one roll.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use rollrec_match::{DuplicateGroup, MatchPair};
use rollrec_model::{Elector, Location, Roll, RollKind, fold_text, normalize_house, parse_number};
use rollrec_names::{Lang, NormalizedName, Script, normalize, similarity};

use crate::spellings::{self, Input, Verdict, Word, raw_words, word_of};
use crate::{DiscrepancyKind, FastMap, Finding, fast_map};

/// Errors reading a ward map.
#[derive(Debug, thiserror::Error)]
pub enum WardMapError {
    /// The file could not be read as CSV.
    #[error("{file}: {message}")]
    Csv {
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A row is wrong.
    #[error("{file}: line {line}: {message}")]
    Row {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// What was wrong.
        message: String,
    },
}

/// Which local-body ward each assembly part (or section of a part) belongs
/// to, from a CSV `ac_no,part_no[,section_no],local_body,ward_no`. A
/// section's row wins over its part's row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WardMap {
    map: HashMap<(u32, u32, Option<u32>), (String, u32)>,
}

impl WardMap {
    /// Reads a ward map from CSV text; `file` names it in errors. A leading
    /// byte order mark is dropped, and a tab, semicolon or pipe separator
    /// is taken when the header has more of it than commas.
    pub fn from_csv(text: &str, file: &str) -> Result<WardMap, WardMapError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(rollrec_io::csv::sniff_delimiter(text.as_bytes()))
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| WardMapError::Csv {
                file: file.into(),
                message: e.to_string(),
            })?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let need = |name: &str| {
            col(name).ok_or_else(|| WardMapError::Row {
                file: file.into(),
                line: 1,
                message: format!(
                    "missing column {name} (expected ac_no,part_no[,section_no],local_body,ward_no)"
                ),
            })
        };
        let (ac, part, lb, ward) = (
            need("ac_no")?,
            need("part_no")?,
            need("local_body")?,
            need("ward_no")?,
        );
        let section = col("section_no");
        let mut map = HashMap::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| WardMapError::Csv {
                file: file.into(),
                message: e.to_string(),
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let row_err = |message: String| WardMapError::Row {
                file: file.into(),
                line,
                message,
            };
            let num = |i: usize, name: &str| {
                let t = rec.get(i).unwrap_or_default();
                parse_number(t)
                    .ok_or_else(|| row_err(format!("{name}: expected a whole number, got {t:?}")))
            };
            let sec_no = match section.and_then(|i| rec.get(i)).map(str::trim) {
                None | Some("") => None,
                Some(t) => Some(parse_number(t).ok_or_else(|| {
                    row_err(format!("section_no: expected a whole number, got {t:?}"))
                })?),
            };
            let local_body = rec.get(lb).unwrap_or_default().trim().to_string();
            if local_body.is_empty() {
                return Err(row_err("local_body is blank".into()));
            }
            map.insert(
                (num(ac, "ac_no")?, num(part, "part_no")?, sec_no),
                (local_body, num(ward, "ward_no")?),
            );
        }
        Ok(WardMap { map })
    }

    /// Reads a ward map from a file: UTF-8, or UTF-16 with its byte order
    /// mark (see [`rollrec_io::csv::decode_text`]).
    pub fn from_path(path: &Path) -> Result<WardMap, WardMapError> {
        let file = path.display().to_string();
        let err = |message: String| WardMapError::Csv {
            file: file.clone(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        let text = rollrec_io::csv::decode_text(&bytes).map_err(err)?;
        WardMap::from_csv(&text, &file)
    }

    /// The ward of a part's section (or of the part).
    pub fn ward_of(&self, ac: u32, part: u32, section: Option<u32>) -> Option<&(String, u32)> {
        section
            .and_then(|s| self.map.get(&(ac, part, Some(s))))
            .or_else(|| self.map.get(&(ac, part, None)))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Options of the pair checks.
#[derive(Debug, Clone, Default)]
pub struct PairChecks {
    /// Years from the EC qualifying date to the SEC one.
    pub age_offset_years: f64,
    /// The part-to-ward map, if known; otherwise wards are inferred.
    pub ward_map: Option<WardMap>,
}

/// A name as printed, its script, and its normalised form.
struct Written {
    script: Option<Script>,
    /// The printed text folded, with white space removed.
    compact: String,
    /// The printed text folded, split at white space.
    words: Vec<String>,
    /// For a name in a Brahmic script: its words written together in
    /// canonical spelling (see [`spelling`]), once with all words and once
    /// without honorifics.
    spelt: [String; 2],
    /// The same without the first word (a title the normaliser does not
    /// know), when there are two words or more.
    untitled: Option<String>,
    name: NormalizedName,
}

impl Written {
    fn new(text: &str, hint: Option<Lang>) -> Written {
        let folded = fold_text(text);
        let script = text.chars().find_map(Script::of);
        // Words as printed (an abbreviation such as "కీ.శే." stays one
        // word), folded and written without the spaces that stood for dots;
        // whether each is an honorific.
        let words: Vec<(String, bool)> = match script {
            Some(Script::Latin) | None => Vec::new(),
            Some(_) => text
                .split_whitespace()
                .map(|w| {
                    (
                        fold_text(w).split(' ').collect::<String>(),
                        normalize(w, hint).is_empty(),
                    )
                })
                .filter(|(w, _)| !w.is_empty())
                .collect(),
        };
        let join = |ws: &[(String, bool)], core: bool| -> String {
            let text: String = ws
                .iter()
                .filter(|(_, honorific)| !(core && *honorific))
                .map(|(w, _)| w.as_str())
                .collect();
            spelling(&text)
        };
        Written {
            script,
            compact: folded.split(' ').collect(),
            words: folded.split(' ').map(str::to_string).collect(),
            spelt: [join(&words, false), join(&words, true)],
            untitled: words
                .get(1..)
                .filter(|w| !w.is_empty())
                .map(|w| join(w, true)),
            name: normalize(text, hint),
        }
    }

    fn is_brahmic(&self) -> bool {
        !matches!(self.script, Some(Script::Latin) | None)
    }
}

/// Offset of a Brahmic virama in its block.
const VIRAMA: u32 = 0x4D;
/// Offset of a Brahmic anusvara in its block.
const ANUSVARA: u32 = 0x02;

/// One word of a Brahmic-script name (folded: NFC, lower case) in a
/// canonical spelling, so that the spellings one name legitimately has in
/// one script compare equal while a letter added, dropped or swapped does
/// not: zero-width joiners and nukta dropped; Malayalam chillus and
/// Bengali khanda-ta written as consonant + virama; chandrabindu and
/// Gurmukhi tippi as anusvara; a nasal consonant + virama before a
/// consonant as anusvara; long and short i and u as one; the three
/// sibilants as one; retroflex ṇa as na. The offsets are those of the
/// parallel Brahmic blocks.
fn spelling(word: &str) -> String {
    let mut chars: Vec<u32> = Vec::with_capacity(word.len());
    for c in word.chars().map(|c| c as u32) {
        match c {
            0x200C | 0x200D => {}
            // Bengali khanda-ta.
            0x09CE => chars.extend([0x09A4, 0x09CD]),
            // Malayalam chillus: ṇ, n, r, l, ḷ, k.
            0x0D7A..=0x0D7F => {
                let base = [0x0D23, 0x0D28, 0x0D30, 0x0D32, 0x0D33, 0x0D15];
                chars.extend([base[(c - 0x0D7A) as usize], 0x0D4D]);
            }
            _ => chars.push(c),
        }
    }
    let brahmic = |c: u32| (0x0900..=0x0D7F).contains(&c);
    let is_consonant = |c: u32| brahmic(c) && (0x15..=0x39).contains(&(c & 0x7F));
    let mut out = String::with_capacity(word.len());
    let mut push = |c: u32| {
        if let Some(ch) = char::from_u32(c) {
            out.push(ch);
        }
    };
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if !brahmic(c) {
            push(c);
            continue;
        }
        let block = c & !0x7F;
        // Gurmukhi tippi.
        if c == 0x0A70 {
            push(0x0A02);
            continue;
        }
        let off = c & 0x7F;
        let nasal = matches!(off, 0x19 | 0x1E | 0x23 | 0x28 | 0x2E);
        if nasal
            && chars.get(i) == Some(&(block | VIRAMA))
            && chars.get(i + 1).is_some_and(|&n| is_consonant(n))
        {
            push(block | ANUSVARA);
            i += 1;
            continue;
        }
        let off = match off {
            0x3C => continue,
            0x01 => ANUSVARA,
            0x40 => 0x3F,
            0x42 => 0x41,
            0x08 => 0x07,
            0x0A => 0x09,
            0x36 | 0x37 => 0x38,
            0x23 => 0x28,
            o => o,
        };
        push(block | off);
    }
    out
}

/// A printed name and the language it is read in.
type NameKey<'r> = (&'r str, Option<Lang>);

/// Pairs whose names [`NameCache::build`] numbers per task.
const NAME_CHUNK: usize = 1 << 16;

/// Every distinct printed name of the matched pairs, normalised once (in
/// parallel): names repeat a lot, and each pair looks up to eight of them.
struct NameCache {
    written: Vec<Written>,
    /// Per pair: the EC entry's name, English name, relative name and
    /// English relative name, then the SEC entry's, as indices into
    /// `written` (`None` where not printed).
    slots: Vec<[Option<usize>; 8]>,
    /// The pairs of forms (indices into `written`, EC side first) compared
    /// in English or across scripts, and what the roll pair's spellings
    /// say about each (see [`crate::spellings`]).
    verdicts: FastMap<(usize, usize), Verdict>,
}

/// The language hint of an entry's names.
fn hint_of(e: &Elector) -> Option<Lang> {
    e.state_code.as_deref().and_then(Lang::from_state_code)
}

/// The printed names of an entry that the pair checks compare: name and
/// English name, relative name and English relative name.
fn texts_of(e: &Elector) -> [Option<&str>; 4] {
    [
        Some(e.name.as_ref()),
        e.name_en.as_deref(),
        e.relative_name.as_deref(),
        e.relative_name_en.as_deref(),
    ]
}

/// Which side of a pair.
#[derive(Clone, Copy)]
enum Side {
    Ec = 0,
    Sec = 4,
}

impl NameCache {
    fn build<'r>(ec: &'r Roll, sec: &'r Roll, pairs: &[MatchPair]) -> NameCache {
        // Texts numbered in the order they are first met (pair by pair, EC
        // side first). Each chunk of pairs numbers its own texts in
        // parallel; the chunks' first-met texts are then numbered in chunk
        // order, which gives each text the number a single pass would.
        type Chunk<'r> = (Vec<NameKey<'r>>, Vec<[Option<usize>; 8]>);
        let chunks: Vec<Chunk<'r>> = pairs
            .par_chunks(NAME_CHUNK)
            .map(|chunk| {
                let mut ids: FastMap<NameKey<'r>, usize> = fast_map();
                let mut met: Vec<NameKey<'r>> = Vec::new();
                let slots = chunk
                    .iter()
                    .map(|p| {
                        let mut slot = [None; 8];
                        for (e, side) in [
                            (ec.electors.get(p.ec), Side::Ec),
                            (sec.electors.get(p.sec), Side::Sec),
                        ] {
                            let Some(e) = e else { continue };
                            let hint = hint_of(e);
                            for (k, text) in texts_of(e).into_iter().enumerate() {
                                slot[side as usize + k] = text.map(|t| {
                                    *ids.entry((t, hint)).or_insert_with(|| {
                                        met.push((t, hint));
                                        met.len() - 1
                                    })
                                });
                            }
                        }
                        slot
                    })
                    .collect();
                (met, slots)
            })
            .collect();
        let mut ids: FastMap<NameKey<'r>, usize> = fast_map();
        let mut distinct: Vec<NameKey<'r>> = Vec::new();
        let numbers: Vec<Vec<usize>> = chunks
            .iter()
            .map(|(met, _)| {
                met.iter()
                    .map(|&key| {
                        *ids.entry(key).or_insert_with(|| {
                            distinct.push(key);
                            distinct.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        drop(ids);
        let slots: Vec<[Option<usize>; 8]> = chunks
            .into_par_iter()
            .zip(numbers)
            .flat_map_iter(|((_, slots), number)| {
                slots
                    .into_iter()
                    .map(move |slot| slot.map(|s| s.and_then(|local| number.get(local).copied())))
            })
            .collect();
        let written: Vec<Written> = distinct
            .par_iter()
            .map(|&(t, hint)| Written::new(t, hint))
            .collect();
        let verdicts = learn_spellings(&written, &distinct, &slots);
        NameCache {
            written,
            slots,
            verdicts,
        }
    }

    /// The printed forms of one name of pair `pair` (the name or the
    /// relative name; primary and English twin) that have a name in them,
    /// as indices into `written`.
    fn names(&self, pair: usize, side: Side, relative: bool) -> Vec<usize> {
        forms(&self.written, self.slots.get(pair), side, relative)
    }

    /// Whether two lists of printed forms of one name (primary and English
    /// twin; EC side first) disagree: a pair of forms in one Brahmic script
    /// is not the same name ([`same_name`]: a typo shows there), the roll
    /// pair's spellings find a typo in a pair of forms in English or across
    /// scripts, or no pair of forms is the same name, by those spellings
    /// or, where they know nothing, by [`same_name`] (see
    /// [`crate::spellings`]).
    fn names_differ(&self, a: &[usize], b: &[usize]) -> bool {
        if a.is_empty() || b.is_empty() {
            return false;
        }
        let mut same = false;
        for &i in a {
            for &j in b {
                let (x, y) = (&self.written[i], &self.written[j]);
                if x.script == y.script && x.is_brahmic() {
                    if !same_name(x, y) {
                        return true;
                    }
                    same = true;
                    continue;
                }
                match self.verdicts.get(&(i, j)).copied() {
                    Some(Verdict::Typo) => return true,
                    Some(Verdict::Same) => same = true,
                    Some(Verdict::Other) => {}
                    Some(Verdict::Unknown) | None => same |= same_name(x, y),
                }
            }
        }
        !same
    }
}

/// The printed forms of one name in a pair's `slot` that have a name in
/// them (see [`NameCache::names`]).
fn forms(
    written: &[Written],
    slot: Option<&[Option<usize>; 8]>,
    side: Side,
    relative: bool,
) -> Vec<usize> {
    let Some(slot) = slot else {
        return Vec::new();
    };
    let at = side as usize + if relative { 2 } else { 0 };
    slot[at..at + 2]
        .iter()
        .flatten()
        .copied()
        .filter(|&i| written.get(i).is_some_and(|w| !w.name.is_empty()))
        .collect()
}

/// The verdicts of the roll pair's spellings (see [`crate::spellings`]) on
/// every pair of forms that some matched pair compares in English or
/// across scripts; none (and no work) when every comparison is within one
/// Brahmic script.
fn learn_spellings(
    written: &[Written],
    distinct: &[NameKey<'_>],
    slots: &[[Option<usize>; 8]],
) -> FastMap<(usize, usize), Verdict> {
    let mut combos: FastMap<(usize, usize), u32> = fast_map();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for slot in slots {
        for relative in [false, true] {
            let a = forms(written, Some(slot), Side::Ec, relative);
            let b = forms(written, Some(slot), Side::Sec, relative);
            for &i in &a {
                for &j in &b {
                    let (x, y) = (&written[i], &written[j]);
                    if x.script == y.script && x.is_brahmic() {
                        continue;
                    }
                    let n = combos.entry((i, j)).or_insert_with(|| {
                        order.push((i, j));
                        0
                    });
                    *n += 1;
                }
            }
        }
    }
    if order.is_empty() {
        return fast_map();
    }
    // How often each printed name is printed in the pairs.
    let mut printed = vec![0u32; written.len()];
    for slot in slots {
        for i in slot.iter().flatten() {
            if let Some(n) = printed.get_mut(*i) {
                *n = n.saturating_add(1);
            }
        }
    }
    // The distinct words of the names, each made comparable once.
    let mut word_ids: FastMap<(&str, Option<Lang>), u32> = fast_map();
    let mut raw: Vec<(&str, Option<Lang>)> = Vec::new();
    let names: Vec<Vec<u32>> = distinct
        .iter()
        .map(|&(t, hint)| {
            raw_words(t)
                .map(|w| {
                    *word_ids.entry((w, hint)).or_insert_with(|| {
                        raw.push((w, hint));
                        u32::try_from(raw.len() - 1).unwrap_or(u32::MAX)
                    })
                })
                .collect()
        })
        .collect();
    let made: Vec<Option<Word>> = raw
        .par_iter()
        .map(|&(w, hint)| word_of(w, hint, &spelling))
        .collect();
    // Words dropped (initials) leave the names; the rest are renumbered.
    let mut number = vec![u32::MAX; made.len()];
    let mut words: Vec<Word> = Vec::new();
    let mut word_hints: Vec<Option<Lang>> = Vec::new();
    for (k, w) in made.into_iter().enumerate() {
        if let Some(w) = w {
            number[k] = u32::try_from(words.len()).unwrap_or(u32::MAX);
            words.push(w);
            word_hints.push(raw[k].1);
        }
    }
    let names: Vec<Vec<u32>> = names
        .into_iter()
        .map(|ws| {
            ws.into_iter()
                .map(|k| number[k as usize])
                .filter(|&k| k != u32::MAX)
                .collect()
        })
        .collect();
    let name_hints: Vec<Option<Lang>> = distinct.iter().map(|&(_, h)| h).collect();
    let counted: Vec<((usize, usize), u32)> = order.iter().map(|k| (*k, combos[k])).collect();
    let verdicts = spellings::verdicts(&Input {
        words: &words,
        word_hints: &word_hints,
        names: &names,
        name_hints: &name_hints,
        printed: &printed,
        combos: &counted,
    });
    order.into_iter().zip(verdicts).collect()
}

/// Whether two printed forms of a name are the same name.
///
/// * In one Brahmic script: their canonical spellings ([`spelling`]) agree
///   once spaces are removed (a joined or split token), with or without
///   honorifics, or with a leading word added or dropped (a title the
///   normaliser does not know, such as Marathi "कै."). So a typo (a letter
///   doubled, dropped or swapped) is a mismatch, while Unicode variants
///   and the usual variant spellings are not.
/// * In Latin letters: their phonetic keys or skeletons agree, their text
///   agrees once spaces are removed, a leading word is a title, or their
///   similarity is at least [`LATIN_SAME`]: by sound alone a typo cannot
///   be told from a variant spelling (the roll pair's spellings can, and
///   are asked first: [`NameCache::names_differ`]).
/// * Across scripts: their phonetic keys or skeletons agree or their
///   similarity is at least [`CROSS_SAME`].
fn same_name(x: &Written, y: &Written) -> bool {
    let titled = |a: &[String], b: &[String]| a.len() == b.len() + 1 && a[1..] == *b;
    if x.script == y.script && x.is_brahmic() {
        let untitled =
            |a: &Written, b: &Written| a.untitled.as_ref().is_some_and(|u| b.spelt.contains(u));
        return x.spelt.iter().any(|s| y.spelt.contains(s)) || untitled(x, y) || untitled(y, x);
    }
    let (p, q) = (&x.name, &y.name);
    if p.joined_key() == q.joined_key() || p.skeleton() == q.skeleton() {
        return true;
    }
    if x.script == y.script {
        x.compact == y.compact
            || titled(&x.words, &y.words)
            || titled(&y.words, &x.words)
            || similarity(p, q) >= LATIN_SAME
    } else {
        similarity(p, q) >= CROSS_SAME
    }
}

/// Similarity from which two Latin spellings are one name.
const LATIN_SAME: f64 = 0.7;
/// Similarity from which spellings in two scripts are one name.
const CROSS_SAME: f64 = 0.7;

/// Field-by-field disagreements of one matched pair, each with a sentence.
fn mismatches(
    names: &NameCache,
    pair: usize,
    a: &Elector,
    b: &Elector,
    offset: f64,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let (na, nb) = (
        names.names(pair, Side::Ec, false),
        names.names(pair, Side::Sec, false),
    );
    if names.names_differ(&na, &nb) {
        out.push(("name", format!("name: {} vs {}", a.name, b.name)));
    }
    if a.relation_type.is_some() && b.relation_type.is_some() && a.relation_type != b.relation_type
    {
        out.push((
            "relation_type",
            format!(
                "relation: {} vs {}",
                a.relation_type.map_or("", |r| r.code()),
                b.relation_type.map_or("", |r| r.code())
            ),
        ));
    }
    let (ra, rb) = (
        names.names(pair, Side::Ec, true),
        names.names(pair, Side::Sec, true),
    );
    if names.names_differ(&ra, &rb) {
        out.push((
            "relative_name",
            format!(
                "relative: {} vs {}",
                a.relative_name.as_deref().unwrap_or_default(),
                b.relative_name.as_deref().unwrap_or_default()
            ),
        ));
    }
    if let (Some(x), Some(y)) = (a.age, b.age) {
        // Whole years counted on each roll's qualifying date: the SEC age
        // is the EC age plus the offset rounded down or up, nothing else.
        let diff = f64::from(y) - f64::from(x);
        if diff < offset.floor() || diff > offset.ceil() {
            out.push((
                "age",
                format!("age: {x} vs {y} (expected offset {offset:+.1})"),
            ));
        }
    }
    if let (Some(x), Some(y)) = (a.gender, b.gender)
        && x != y
    {
        out.push(("gender", format!("gender: {x} vs {y}")));
    }
    if let (Some(x), Some(y)) = (&a.house_no, &b.house_no) {
        let (kx, ky) = (normalize_house(x), normalize_house(y));
        if kx.is_some() && ky.is_some() && kx != ky {
            out.push(("house_no", format!("house: {x} vs {y}")));
        }
    }
    out
}

/// `attribute_mismatch` findings: one per matched pair whose entries
/// disagree on name, relation, relative name, age beyond the date offset,
/// gender or house number. Spelling and romanisation variants of a name
/// and house-number formats are not mismatches; a name compared in English
/// or across scripts is judged by what the matched pairs of this roll pair
/// teach about its spellings (see `spellings.rs`), then by its sound.
pub fn attribute_mismatches(
    ec: &Roll,
    sec: &Roll,
    pairs: &[MatchPair],
    offset: f64,
) -> Vec<Finding> {
    let names = NameCache::build(ec, sec, pairs);
    pairs
        .par_iter()
        .enumerate()
        .filter_map(|(k, p)| {
            let (a, b) = (ec.electors.get(p.ec)?, sec.electors.get(p.sec)?);
            let found = mismatches(&names, k, a, b, offset);
            if found.is_empty() {
                return None;
            }
            Some(Finding {
                kind: DiscrepancyKind::AttributeMismatch,
                ec: Some(p.ec),
                sec: Some(p.sec),
                group_id: None,
                fields: found.iter().map(|(f, _)| *f).collect(),
                detail: found
                    .into_iter()
                    .map(|(_, d)| d)
                    .collect::<Vec<_>>()
                    .join("; "),
                score: Some(p.score),
            })
        })
        .collect()
}

/// An assembly part's section: AC, part, section.
type Section = (u32, u32, Option<u32>);
/// A local-body ward: local body, ward number.
type Ward<'r> = (&'r str, u32);

fn ward_of(e: &Elector) -> Option<Ward<'_>> {
    match &e.location {
        Location::LocalBody(l) => Some((l.local_body.as_ref(), l.ward_no)),
        Location::Assembly(_) => None,
    }
}

fn part_of(e: &Elector) -> Option<Section> {
    match &e.location {
        Location::Assembly(a) => Some((a.ac_no, a.part_no, a.section_no)),
        Location::LocalBody(_) => None,
    }
}

/// `wrong_ward` findings: matched pairs whose SEC ward is not the ward the
/// EC entry's part (section) belongs to. With a [`WardMap`] the expected
/// ward is the map's; without, it is the ward where most of the section's
/// (or part's) matched electors are, when at least 5 of them and at least
/// 60% are there.
///
/// A person entered twice in a roll (a copy in one of the roll's
/// `duplicates` groups, entered alike: same name and relative name once
/// folded, same gender, ages at most a year apart) is not in a wrong ward
/// when the SEC ward fits the part of the EC copy, or an SEC copy is in
/// the expected ward: the rolls then disagree by a duplicate, reported as
/// such, and the pairing of the copies is arbitrary.
pub fn wrong_wards(
    ec: &Roll,
    sec: &Roll,
    pairs: &[MatchPair],
    map: Option<&WardMap>,
    ec_duplicates: &[DuplicateGroup],
    sec_duplicates: &[DuplicateGroup],
) -> Vec<Finding> {
    // Where each section's matched electors went.
    let mut went: FastMap<Section, BTreeMap<Ward<'_>, u64>> = fast_map();
    if map.is_none() {
        for p in pairs {
            if let (Some(k), Some(w)) = (
                ec.electors.get(p.ec).and_then(part_of),
                sec.electors.get(p.sec).and_then(ward_of),
            ) {
                *went.entry(k).or_default().entry(w).or_default() += 1;
            }
        }
    }
    // The ward a section belongs to, and the evidence.
    let expected_of = |(ac, part, section): Section| -> Option<(Ward<'_>, String)> {
        match map {
            Some(m) => m
                .ward_of(ac, part, section)
                .map(|w| ((w.0.as_str(), w.1), "by the ward map".to_string())),
            None => {
                let counts = went.get(&(ac, part, section))?;
                let total: u64 = counts.values().sum();
                let (w, n) = counts
                    .iter()
                    .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))?;
                if *n < 5 || (*n as f64) < 0.6 * total as f64 {
                    return None;
                }
                let place = match section {
                    Some(s) => format!("AC {ac} part {part} section {s}"),
                    None => format!("AC {ac} part {part}"),
                };
                Some((
                    *w,
                    format!("{n} of {total} matched electors of {place} are there"),
                ))
            }
        }
    };
    // Each section's expected ward worked out once (there are thousands of
    // sections and millions of pairs), then the pairs checked in parallel.
    let mut expected: FastMap<Section, Option<(Ward<'_>, String)>> = fast_map();
    let mut last = None;
    for section in ec.electors.iter().filter_map(part_of) {
        // A section's entries mostly come together: look it up once a run.
        if last != Some(section) {
            expected
                .entry(section)
                .or_insert_with(|| expected_of(section));
            last = Some(section);
        }
    }
    let expected_in = |section: Section| expected.get(&section).and_then(Option::as_ref);
    let ec_groups = group_index(ec.len(), ec_duplicates);
    let sec_groups = group_index(sec.len(), sec_duplicates);
    pairs
        .par_iter()
        .filter_map(|p| {
            let section = ec.electors.get(p.ec).and_then(part_of)?;
            let ward = sec.electors.get(p.sec).and_then(ward_of)?;
            let (want, evidence) = expected_in(section)?;
            if *want == ward {
                return None;
            }
            let copy_fits = copies_of(ec, &ec_groups, ec_duplicates, p.ec).any(|c| {
                part_of(c)
                    .and_then(expected_in)
                    .is_some_and(|(w, _)| *w == ward)
            }) || copies_of(sec, &sec_groups, sec_duplicates, p.sec)
                .any(|c| ward_of(c) == Some(*want));
            (!copy_fits).then(|| Finding {
                kind: DiscrepancyKind::WrongWard,
                ec: Some(p.ec),
                sec: Some(p.sec),
                group_id: None,
                fields: vec!["ward_no"],
                detail: format!(
                    "in {} ward {}, expected {} ward {} ({evidence})",
                    ward.0, ward.1, want.0, want.1
                ),
                score: Some(p.score),
            })
        })
        .collect()
}

/// Per entry of a roll of `len` entries, the index of its duplicate group
/// (`usize::MAX` for none).
fn group_index(len: usize, groups: &[DuplicateGroup]) -> Vec<usize> {
    let mut group_of = vec![usize::MAX; len];
    for (g, d) in groups.iter().enumerate() {
        for &m in &d.members {
            if let Some(x) = group_of.get_mut(m) {
                *x = g;
            }
        }
    }
    group_of
}

/// The other members of entry `i`'s duplicate group entered like it.
fn copies_of<'r>(
    roll: &'r Roll,
    group_of: &[usize],
    groups: &'r [DuplicateGroup],
    i: usize,
) -> impl Iterator<Item = &'r Elector> + 'r {
    let me = roll.electors.get(i);
    let members: &[usize] = group_of
        .get(i)
        .and_then(|&g| groups.get(g))
        .map_or(&[], |g| g.members.as_slice());
    members
        .iter()
        .filter(move |&&m| m != i)
        .filter_map(|&m| roll.electors.get(m))
        .filter(move |c| me.is_some_and(|e| crate::entered_alike(e, c)))
}

/// `epic_conflict` findings inside one roll: entries sharing an EPIC that
/// are not one person (not in one duplicate group). One row per entry, the
/// entries of one EPIC sharing a group id taken from `next_group`.
pub fn epic_conflicts(
    roll: &Roll,
    duplicates: &[DuplicateGroup],
    next_group: &mut u64,
) -> Vec<Finding> {
    let group_of = group_index(roll.len(), duplicates);
    // Entries sorted by EPIC (in parallel; a map with a list per EPIC cost
    // an allocation per entry); only EPICs on two or more entries matter,
    // in EPIC order.
    let mut by_epic: Vec<(&str, usize)> = roll
        .electors
        .par_iter()
        .enumerate()
        .filter_map(|(i, e)| e.epic.as_ref().map(|x| (x.as_str(), i)))
        .collect();
    by_epic.par_sort_unstable();
    let mut shared: Vec<(&str, Vec<usize>)> = by_epic
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() >= 2)
        .map(|run| (run[0].0, run.iter().map(|&(_, i)| i).collect()))
        .collect();
    // Each EPIC's entries in key order, whatever the order of the input rows.
    for (_, members) in &mut shared {
        members.sort_by_cached_key(|&i| roll.electors[i].key());
    }
    let mut out = Vec::new();
    for (epic, members) in shared {
        // One person entered twice under one EPIC is a duplicate, not a
        // conflict: entries of one duplicate group, or with the same folded
        // name and relative name, count as one person.
        let people: std::collections::BTreeSet<String> = members
            .iter()
            .map(|&i| match group_of[i] {
                usize::MAX => {
                    let e = &roll.electors[i];
                    format!(
                        "{}|{}",
                        fold_text(&e.name),
                        fold_text(e.relative_name.as_deref().unwrap_or_default())
                    )
                }
                g => format!("group {g}"),
            })
            .collect();
        if people.len() < 2 {
            continue;
        }
        *next_group += 1;
        let keys: Vec<String> = members
            .iter()
            .map(|&i| roll.electors[i].key().to_string())
            .collect();
        for &i in &members {
            let (ec, sec) = match roll.kind {
                RollKind::Assembly => (Some(i), None),
                RollKind::LocalBody => (None, Some(i)),
            };
            out.push(Finding {
                kind: DiscrepancyKind::EpicConflict,
                ec,
                sec,
                group_id: Some(*next_group),
                fields: vec!["epic_no"],
                detail: format!(
                    "EPIC {epic} is on {} entries: {}",
                    members.len(),
                    keys.join("; ")
                ),
                score: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ward_map_reads_and_prefers_sections() {
        let m = WardMap::from_csv(
            "ac_no,part_no,section_no,local_body,ward_no\n1,2,,GP,3\n1,2,4,GP,5\n",
            "map.csv",
        )
        .expect("valid");
        assert_eq!(m.ward_of(1, 2, Some(4)), Some(&("GP".to_string(), 5)));
        assert_eq!(m.ward_of(1, 2, Some(1)), Some(&("GP".to_string(), 3)));
        assert_eq!(m.ward_of(1, 3, None), None);
        let err = WardMap::from_csv("ac_no,part_no,local_body,ward_no\n1,x,GP,3\n", "m.csv")
            .expect_err("bad part");
        assert!(err.to_string().contains("m.csv: line 2: part_no"), "{err}");
    }

    #[test]
    fn ward_map_as_a_spreadsheet_saves_it() {
        let csv = "ac_no,part_no,section_no,local_body,ward_no\n1,2,,GP,3\n1,2,4,GP,5\n";
        let want = WardMap::from_csv(csv, "map.csv").expect("valid");
        let dir = tempfile::tempdir().expect("temp dir");
        // Excel's "CSV UTF-8" (a byte order mark), a semicolon list, and
        // "Unicode Text" (UTF-16 with its mark, tab separated).
        let tabbed = csv.replace(',', "\t");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
        for (name, bytes) in [
            ("bom.csv", format!("\u{feff}{csv}").into_bytes()),
            ("semi.csv", csv.replace(',', ";").into_bytes()),
            ("unicode.txt", utf16),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            let got = WardMap::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(got, want, "{name}");
        }
        let path = dir.path().join("latin1.csv");
        std::fs::write(&path, b"ac_no,part_no,local_body,ward_no\n1,2,G\xe4P,3\n").expect("write");
        let err = WardMap::from_path(&path).expect_err("not UTF-8");
        assert!(
            err.to_string().contains("save the file as CSV UTF-8"),
            "{err}"
        );
    }

    use rollrec_model::{AssemblyLocation, Epic, Gender, LocalBodyLocation, RelationType};

    fn ec_entry(part: u32, section: u32, serial: u32, name: &str) -> Elector {
        Elector {
            state_code: None,
            location: Location::Assembly(AssemblyLocation {
                ac_no: 1,
                part_no: part,
                section_no: Some(section),
            }),
            serial_no: serial,
            epic: None,
            name: name.into(),
            relation_type: Some(RelationType::Father),
            relative_name: Some("Ram Das".into()),
            house_no: Some("16-A".into()),
            age: Some(40),
            gender: Some(Gender::Male),
            name_en: None,
            relative_name_en: None,
            line: 0,
        }
    }

    fn sec_entry(ward: u32, serial: u32, name: &str) -> Elector {
        Elector {
            location: Location::LocalBody(LocalBodyLocation {
                local_body: "GP".into(),
                ward_no: ward,
                ac_no: None,
                part_no: None,
            }),
            ..ec_entry(1, 1, serial, name)
        }
    }

    fn pair(ec: usize, sec: usize) -> MatchPair {
        MatchPair {
            ec,
            sec,
            score: 0.99,
            method: "test",
            weights: Default::default(),
        }
    }

    fn roll(kind: RollKind, electors: Vec<Elector>) -> Roll {
        Roll { kind, electors }
    }

    /// The fields in which a pair of entries disagrees.
    fn fields_of(a: &Elector, b: &Elector, offset: f64) -> Vec<&'static str> {
        let ec = roll(RollKind::Assembly, vec![a.clone()]);
        let sec = roll(RollKind::LocalBody, vec![b.clone()]);
        let names = NameCache::build(&ec, &sec, &[pair(0, 0)]);
        mismatches(&names, 0, a, b, offset)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn mismatch_rules() {
        let a = ec_entry(1, 1, 1, "Asha Das");
        let same = |b: &Elector| fields_of(&a, b, 0.0);
        // Formats, capitals, joined tokens, a title: not mismatches.
        let mut b = sec_entry(1, 1, "ASHA  DAS");
        b.house_no = Some("H.No. 16/A".into());
        assert_eq!(same(&b), Vec::<&str>::new());
        let b = sec_entry(1, 1, "AshaDas");
        assert_eq!(same(&b), Vec::<&str>::new());
        let mut b = sec_entry(1, 1, "Asha Das");
        b.relative_name = Some("Late Ram Das".into());
        assert_eq!(same(&b), Vec::<&str>::new());
        // Real differences, each named.
        let mut b = sec_entry(1, 1, "Usha Pal");
        b.age = Some(44);
        b.gender = Some(Gender::Female);
        b.relation_type = Some(RelationType::Husband);
        b.house_no = Some("17".into());
        assert_eq!(
            same(&b),
            ["name", "relation_type", "age", "gender", "house_no"]
        );
        // The date offset is allowed for.
        let mut b = sec_entry(1, 1, "Asha Das");
        b.age = Some(42);
        assert!(fields_of(&a, &b, 2.0).is_empty());
    }

    /// A bilingual roll pair: each `(state, EC name, SEC name)` of
    /// `background` entered `copies` times, then `tested`; the fields
    /// flagged for each tested pair.
    fn bilingual(
        background: &[(&str, &str, &str)],
        copies: usize,
        tested: &[(&str, &str, &str)],
    ) -> Vec<Vec<&'static str>> {
        let rows: Vec<&(&str, &str, &str)> = background
            .iter()
            .flat_map(|b| std::iter::repeat_n(b, copies))
            .chain(tested)
            .collect();
        let entry = |i: usize, state: &str, name: &str, ec: bool| {
            let serial = u32::try_from(i + 1).expect("a small test roll");
            let mut e = if ec {
                ec_entry(1, 1, serial, name)
            } else {
                sec_entry(1, serial, name)
            };
            e.state_code = Some(state.into());
            e.relative_name = None;
            e
        };
        let ec: Vec<Elector> = rows
            .iter()
            .enumerate()
            .map(|(i, (s, n, _))| entry(i, s, n, true))
            .collect();
        let sec: Vec<Elector> = rows
            .iter()
            .enumerate()
            .map(|(i, (s, _, n))| entry(i, s, n, false))
            .collect();
        let pairs: Vec<MatchPair> = (0..rows.len()).map(|i| pair(i, i)).collect();
        let (ec, sec) = (roll(RollKind::Assembly, ec), roll(RollKind::LocalBody, sec));
        let found = attribute_mismatches(&ec, &sec, &pairs, 0.0);
        (rows.len() - tested.len()..rows.len())
            .map(|i| {
                found
                    .iter()
                    .filter(|f| f.ec == Some(i))
                    .flat_map(|f| f.fields.iter().copied())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn established_spellings_are_one_name_across_scripts() {
        // Anowar ~ আনোয়ার (য় typed w) scores low by sound; a roll pair that
        // spells them so again and again knows them for one name, also
        // joined.
        let anowar = ("S25", "আনোয়ার ইসলাম", "ANOWAR ISLAM");
        let tested = [anowar, ("S25", "আনোয়ার ইসলাম", "ANOWARISLAM")];
        assert_eq!(
            bilingual(&[anowar], 5, &tested),
            [Vec::<&str>::new(), vec![]]
        );
        // Without that evidence the sound decides: a mismatch.
        assert_eq!(bilingual(&[], 0, &tested), [vec!["name"], vec!["name"]]);
        // Joined across scripts (ফাৰুকহুছেইন): the halves are the other
        // side's words.
        let faruk = ("S03", "ফাৰুক হুছেইন", "Faruk Hussain");
        let hussain = ("S03", "ইকবাল হুছেইন", "Ikbal Hussain");
        assert_eq!(
            bilingual(
                &[faruk, hussain],
                5,
                &[("S03", "ফাৰুকহুছেইন", "Faruk Hussain")]
            ),
            [Vec::<&str>::new()]
        );
    }

    #[test]
    fn rare_one_edit_spellings_of_common_names_are_typos() {
        // மீன reads like மீனா (a vowel sign dropped): only the roll pair's
        // spellings show it for a typo.
        let meena = ("S22", "மீனா", "Meena");
        assert_eq!(
            bilingual(&[meena], 60, &[("S22", "மீன", "Meena"), meena]),
            [vec!["name"], vec![]]
        );
        // A doubled letter keys alike in English too.
        let singh = ("S19", "ਗੁਰਦੀਪ ਸਿੰਘ", "Gurdeep Singh");
        assert_eq!(
            bilingual(&[singh], 60, &[("S19", "ਗੁਰਦੀਪ ਸਿੰਘ", "Gurdeep SSingh")]),
            [vec!["name"]]
        );
        // So is a typo made three times from a word seen far more often.
        let rao = ("S29", "రావు రాజు", "Rao Raju");
        let raoo = ("S29", "రావు రాజు", "Raoo Raju");
        assert_eq!(
            bilingual(&[rao], 200, &[raoo, raoo, raoo]),
            [vec!["name"], vec!["name"], vec!["name"]]
        );
        // A rare English spelling keyed like the common one is a variant.
        let saira = ("S24", "सायरा बानो", "Saira Bano");
        assert_eq!(
            bilingual(&[saira], 10, &[("S24", "सायरा बानो", "Sayra Bano")]),
            [Vec::<&str>::new()]
        );
        // A misspelt honorific.
        let late = ("S25", "স্বর্গীয় তাপস দত্ত", "Late Tapas Dutta");
        assert_eq!(
            bilingual(
                &[late],
                60,
                &[
                    ("S25", "তাপস দত্ত", "Ltae Tapas Dutta"),
                    ("S25", "তাপস দত্ত", "Late Tapas Dutta")
                ]
            ),
            [vec!["name"], vec![]]
        );
    }

    #[test]
    fn settled_names_apart_are_other_names() {
        // Daljeet and Baljit sound close enough for the phonetic rule;
        // both are common, and never one for the other.
        let daljeet = ("S19", "ਦਲਜੀਤ ਸਿੰਘ", "Daljeet Singh");
        let baljit = ("S19", "ਬਲਜੀਤ ਸਿੰਘ", "Baljit Singh");
        let swapped = ("S19", "ਦਲਜੀਤ ਸਿੰਘ", "Baljit Singh");
        assert_eq!(
            bilingual(&[daljeet, baljit], 12, &[swapped, daljeet]),
            [vec!["name"], vec![]]
        );
        assert_eq!(bilingual(&[], 0, &[swapped]), [Vec::<&str>::new()]);
    }

    #[test]
    fn native_typos_are_mismatches_and_variants_are_not() {
        let with_names = |x: &str, y: &str| {
            let a = ec_entry(1, 1, 1, x);
            let b = sec_entry(1, 1, y);
            fields_of(&a, &b, 0.0)
        };
        for (x, y) in [
            ("सुरेन्द्र पाल", "सुरेंद्र पाल"),
            ("इरफ़ान खान", "इरफान ख़ान"),
            ("अंजलि देवी", "अंजली देवी"),
            ("শ্যামল মণ্ডল", "শ্যামল মন্ডল"),
            ("বিশ্বজিৎ দাস", "বিশ্বজিত্ দাস"),
            ("രാജൻ കുര്യൻ", "രാജന്\u{200d}കുര്യൻ"),
            ("स्व. राम शर्मा", "राम शर्मा"),
            ("कै. शेख विजय", "शेखविजय"),
        ] {
            assert_eq!(with_names(x, y), Vec::<&str>::new(), "{x} / {y}");
        }
        for (x, y) in [
            ("सरिता देवी", "सरिता देवीी"),
            ("मनोज शर्मा", "मनोज शरमा"),
            ("विजय सक्सेना", "विजय सक््सेना"),
            ("राम गुप्ता", "राम गुपता"),
            ("ராஜா", "ராஜ"),
            ("রিনা পাল", "রিনা াপল"),
        ] {
            assert_eq!(with_names(x, y), ["name"], "{x} / {y}");
        }
    }

    #[test]
    fn ages_follow_the_qualifying_dates() {
        let a = ec_entry(1, 1, 1, "Asha Das");
        let aged = |y: u8, offset: f64| {
            let mut b = sec_entry(1, 1, "Asha Das");
            b.age = Some(y);
            fields_of(&a, &b, offset)
        };
        // Half a year later: 40 or 41, nothing else.
        assert!(aged(40, 0.5).is_empty());
        assert!(aged(41, 0.5).is_empty());
        assert_eq!(aged(39, 0.5), ["age"]);
        assert_eq!(aged(42, 0.5), ["age"]);
        // The same date: the same age.
        assert_eq!(aged(41, 0.0), ["age"]);
    }

    #[test]
    fn wrong_ward_inferred_from_the_section_majority() {
        let ec: Vec<Elector> = (1..=7).map(|i| ec_entry(1, 1, i, "X")).collect();
        let sec: Vec<Elector> = (1..=7)
            .map(|i| sec_entry(if i == 7 { 2 } else { 1 }, i, "X"))
            .collect();
        let pairs: Vec<MatchPair> = (0..7).map(|i| pair(i, i)).collect();
        let (ec, sec) = (roll(RollKind::Assembly, ec), roll(RollKind::LocalBody, sec));
        let found = wrong_wards(&ec, &sec, &pairs, None, &[], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].ec, found[0].sec), (Some(6), Some(6)));
        assert!(
            found[0].detail.contains("expected GP ward 1 (6 of 7"),
            "{}",
            found[0].detail
        );
        // A map overrides the majority.
        let map = WardMap::from_csv(
            "ac_no,part_no,local_body,ward_no
1,1,GP,2
",
            "m",
        )
        .expect("valid");
        assert_eq!(
            wrong_wards(&ec, &sec, &pairs, Some(&map), &[], &[]).len(),
            6
        );
        // Too few electors to infer: nothing.
        assert!(wrong_wards(&ec, &sec, &pairs[4..], None, &[], &[]).is_empty());
    }

    #[test]
    fn a_pair_through_a_copy_in_another_part_is_not_a_wrong_ward() {
        // Parts 1 and 2 go to wards 1 and 2; the person P0 is entered in
        // both parts, and the copy in part 2 got the pair of its SEC entry
        // in ward 1.
        let mut ec: Vec<Elector> = (0..7u32)
            .map(|i| ec_entry(1, 1, i + 1, &format!("P{i}")))
            .chain((7..14u32).map(|i| ec_entry(2, 1, i + 1, &format!("P{i}"))))
            .collect();
        ec.push(ec_entry(2, 1, 15, "P0"));
        let sec: Vec<Elector> = (0..14u32)
            .map(|i| sec_entry(if i < 7 { 1 } else { 2 }, i + 1, &format!("P{i}")))
            .collect();
        let mut pairs: Vec<MatchPair> = (1..14).map(|i| pair(i, i)).collect();
        pairs.push(pair(14, 0));
        let (ec, sec) = (roll(RollKind::Assembly, ec), roll(RollKind::LocalBody, sec));
        let found = wrong_wards(&ec, &sec, &pairs, None, &[], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].ec, found[0].sec), (Some(14), Some(0)));
        let copies = [DuplicateGroup {
            members: vec![0, 14],
            score: 0.99,
        }];
        assert!(wrong_wards(&ec, &sec, &pairs, None, &copies, &[]).is_empty());
        // Another person sharing the group does not excuse it.
        let mut other = ec.clone();
        other.electors[0].age = Some(70);
        assert_eq!(
            wrong_wards(&other, &sec, &pairs, None, &copies, &[]).len(),
            1
        );
    }

    #[test]
    fn shared_epic_is_a_conflict_unless_one_person() {
        let mut a = ec_entry(1, 1, 1, "Asha Das");
        let mut b = ec_entry(1, 1, 2, "Gita Pal");
        let mut c = ec_entry(1, 1, 3, "Asha  Das");
        for e in [&mut a, &mut b, &mut c] {
            e.epic = Epic::parse("ABC1234567");
        }
        let r = roll(RollKind::Assembly, vec![a.clone(), b]);
        let mut next = 10;
        let found = epic_conflicts(&r, &[], &mut next);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.group_id == Some(11)));
        // The same person twice (same name and relative): not a conflict.
        let r = roll(RollKind::Assembly, vec![a, c]);
        assert!(epic_conflicts(&r, &[], &mut next).is_empty());
    }

    #[test]
    fn house_formats_are_not_mismatches() {
        assert_eq!(normalize_house("H.No. 16/A"), normalize_house("16-a"));
        assert_ne!(normalize_house("16"), normalize_house("17"));
    }
}
