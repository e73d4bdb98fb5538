//! Cross-script normalisation of Indian personal names.
//!
//! A name written in any of the scripts of the rolls (Devanagari for Hindi
//! and Marathi, Bengali-Assamese, Gurmukhi, Gujarati, Odia, Tamil, Telugu,
//! Kannada, Malayalam) or in Latin letters is turned into a
//! [`NormalizedName`]: tokens in one common Latin romanisation, honorifics
//! and particles split off, gender-marking tokens and initials recognised,
//! and for every token a fuzzy [phonetic key](phonetic_key) and a coarse
//! [skeleton] for blocking.
//!
//! ```
//! use rollrec_names::{Lang, TokenKind, is_match, normalize};
//!
//! let native = normalize("श्रीमती सुनीता देवी", None);
//! let latin = normalize("Smt. Sunitadevi", Some(Lang::English));
//! assert_eq!(native.honorifics[0].text, "smt");
//! assert_eq!(native.tokens[0].text, "sunita");
//! assert_eq!(native.tokens[1].kind, TokenKind::GenderMarker);
//! assert_eq!(native.joined_key(), latin.joined_key());
//! assert!(is_match(&native, &latin));
//!
//! // Same name in Bengali script and in English.
//! let bn = normalize("মমতা বন্দ্যোপাধ্যায়", None);
//! let en = normalize("Mamta Bandyopadhyay", None);
//! assert!(is_match(&bn, &en));
//! assert!(!is_match(&en, &normalize("Mamta Chatterjee", None)));
//! ```
//!
//! Script handling: input is decomposed (NFD) first, so NFC and NFD inputs
//! give the same result; nukta letters, anusvara versus nasal + virama,
//! chandrabindu, zero-width joiners (legacy chillus and khanda-ta), two-part
//! and misordered vowel signs, Indic digits and dandas are handled by the
//! romaniser. Schwa deletion is applied to the Indo-Aryan languages; Tamil
//! stops are voiced or not from their context.
//!
//! Library functions never panic on input.

mod bound;
mod indic;
mod jaro;
mod lang;
mod lexicon;
mod nfd;
mod phonetic;

use std::fmt;

use std::cell::RefCell;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

pub use bound::similarity_at_least;
pub use lang::{Lang, Script};

use indic::{Class, Romanizer};
use phonetic::Folds;

/// Threshold on [`similarity`] above which [`is_match`] calls two names the
/// same.
pub const MATCH_THRESHOLD: f64 = 0.85;

/// What a token is, for a matcher that weighs them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An ordinary name token (given name, surname, father's name...).
    Given,
    /// A single-letter initial ("K." in "K. Ramesh"); `text` is the letter.
    Initial,
    /// A token that marks gender rather than naming the person: Devi, Kumari,
    /// Kaur, Bai, Rani, Begum, Khatun, Bibi, Banu, Beevi, -ben, -bhai.
    GenderMarker,
    /// An honorific or particle (Shri, Smt, Kumari before the name, Dr, Late,
    /// Mr, Mrs, Md/Mohammad): only found in [`NormalizedName::honorifics`].
    Honorific,
}

/// One token of a normalised name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// Romanised text: lowercase ASCII letters. For honorifics, the
    /// canonical form (`"smt"` for Smt., Srimati, श्रीमती...).
    pub text: String,
    /// What the token is.
    pub kind: TokenKind,
    /// Phonetic key of `text` (see [`phonetic_key`]). For gender markers and
    /// honorifics, the key of the canonical form (`debi` -> `devi`).
    pub key: String,
    /// Skeleton of `text` (see [`skeleton`]).
    pub skeleton: String,
    /// True when this token was split off the front of a joined token
    /// (`sunitadevi` -> `sunita` + `devi`): it is printed without a space.
    pub joined_to_next: bool,
}

impl Token {
    fn new(text: &str, kind: TokenKind, canonical: Option<&str>, folds: Folds) -> Token {
        let keyed = canonical.unwrap_or(text);
        let letters = word_letters(keyed, None);
        let mut key = String::with_capacity(letters.len() + 4);
        phonetic::key_into(&letters, folds, &mut key);
        let mut skel = String::with_capacity(key.len());
        phonetic::skeleton_into(&letters, &key, folds, &mut skel);
        Token {
            text: text.to_owned(),
            kind,
            key,
            skeleton: skel,
            joined_to_next: false,
        }
    }
}

/// A name in comparable form. Build it with [`normalize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizedName {
    /// Name tokens in the order written: given names, surnames, initials and
    /// gender markers (see [`Token::kind`]).
    pub tokens: Vec<Token>,
    /// Honorifics and particles split off the name, in canonical form.
    pub honorifics: Vec<Token>,
    /// Language used to romanise the first native-script token (or English).
    pub lang: Option<Lang>,
    joined_key: String,
}

impl NormalizedName {
    /// Phonetic key of all name tokens except initials written together, so
    /// that joined and split spellings compare equal (मोहनसिंह ~ मोहन सिंह,
    /// Sunitadevi ~ Sunita Devi).
    #[must_use]
    pub fn joined_key(&self) -> &str {
        &self.joined_key
    }

    /// Blocking key for the whole name: the skeletons of the
    /// [`TokenKind::Given`] tokens, sorted and space-separated (so word order
    /// does not matter).
    #[must_use]
    pub fn skeleton(&self) -> String {
        let mut parts: Vec<&str> = self
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Given)
            .map(|t| t.skeleton.as_str())
            .collect();
        parts.sort_unstable();
        parts.join(" ")
    }

    /// The [`TokenKind::Given`] tokens.
    pub fn given(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.kind == TokenKind::Given)
    }

    /// True when there is no name token at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// Prints the normalised name in Latin letters: honorifics first, initials
/// with a dot (`smt. k. sunita devi`). Normalising this text again gives the
/// same tokens and honorifics.
impl fmt::Display for NormalizedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        for h in &self.honorifics {
            write!(f, "{sep}{}.", h.text)?;
            sep = " ";
        }
        for t in &self.tokens {
            f.write_str(sep)?;
            f.write_str(&t.text)?;
            if t.kind == TokenKind::Initial {
                f.write_str(".")?;
            }
            sep = if t.joined_to_next { "" } else { " " };
        }
        Ok(())
    }
}

/// Facts about one raw token collected by the scanner.
#[derive(Debug, Clone, Copy, Default)]
struct TokInfo {
    dotted: bool,
    native: bool,
    upper: bool,
    lower: bool,
}

/// Walk `text` (decomposed), romanising native letters, and hand every
/// token's romanised text to `emit`. Digits are kept in the text.
fn scan(text: &str, hint: Option<Lang>, emit: &mut dyn FnMut(&str, TokInfo)) {
    let mut st = ScanState::new(hint);
    st.run(text, emit);
}

struct ScanState {
    out: String,
    rom: Romanizer,
    info: TokInfo,
}

impl ScanState {
    fn new(hint: Option<Lang>) -> ScanState {
        ScanState {
            out: String::with_capacity(32),
            rom: Romanizer::new(hint),
            info: TokInfo::default(),
        }
    }

    /// Scan `text` (see [`scan`]) reusing this state's buffers.
    fn run(&mut self, text: &str, emit: &mut dyn FnMut(&str, TokInfo)) {
        self.out.clear();
        self.info = TokInfo::default();
        if text.is_ascii() {
            for c in text.chars() {
                self.feed(c, emit);
            }
        } else if nfd::for_each_nfd(text, &mut |c| self.feed(c, emit)) {
            // Fast path taken: same characters as the NFD iterator.
        } else {
            for c in text.nfd() {
                self.feed(c, emit);
            }
        }
        self.end(false, emit);
    }

    fn end(&mut self, dotted: bool, emit: &mut dyn FnMut(&str, TokInfo)) {
        self.rom.flush(&mut self.out);
        if !self.out.is_empty() {
            self.info.dotted = dotted;
            emit(&self.out, self.info);
        }
        self.out.clear();
        self.info = TokInfo::default();
    }

    fn feed(&mut self, c: char, emit: &mut dyn FnMut(&str, TokInfo)) {
        let cp = c as u32;
        if c.is_ascii_alphabetic() {
            self.rom.flush(&mut self.out);
            if c.is_ascii_uppercase() {
                self.info.upper = true;
            } else {
                self.info.lower = true;
            }
            self.out.push(c.to_ascii_lowercase());
            return;
        }
        if c.is_ascii_digit() {
            self.rom.flush(&mut self.out);
            self.out.push(c);
            return;
        }
        match cp {
            0x0900..=0x0D7F => {
                let Some(script) = Script::of(c) else { return };
                let off = (cp & 0x7F) as u8;
                self.info.native = true;
                match self.rom.push(script, off, &mut self.out) {
                    Class::Digit(d) => self.out.push(char::from(b'0' + d)),
                    Class::Punct => self.end(off == 0x70, emit),
                    _ => {}
                }
            }
            0x200C | 0x200D => self.rom.joiner(cp == 0x200D),
            // Combining diacritics of Latin letters (after NFD), apostrophes
            // inside a word (D'Souza), soft hyphen.
            0x0300..=0x036F | 0x27 | 0x2019 | 0xAD => {}
            0x2E => self.end(true, emit),
            0x00DF => self.latin("ss"),
            0x00E6 | 0x00C6 => self.latin("ae"),
            0x0153 | 0x0152 => self.latin("oe"),
            0x00F8 | 0x00D8 => self.latin("o"),
            0x0142 | 0x0141 => self.latin("l"),
            0x0111 | 0x0110 | 0x00F0 | 0x00D0 => self.latin("d"),
            0x0131 => self.latin("i"),
            _ => {
                if (0x00C0..=0x024F).contains(&cp) {
                    // Other Latin letters without a decomposition: dropped.
                    return;
                }
                self.end(false, emit);
            }
        }
    }

    fn latin(&mut self, s: &str) {
        self.rom.flush(&mut self.out);
        self.info.lower = true;
        self.out.push_str(s);
    }
}

/// Romanise a word (or several) in any supported script into the common
/// Latin form: lowercase ASCII letters, words separated by one space, Indic
/// digits as ASCII digits. Latin input is lowercased and stripped of
/// diacritics. `hint` picks the language where a script serves several
/// (Marathi or Hindi, Assamese or Bengali); it is ignored for other scripts.
///
/// ```
/// use rollrec_names::{Lang, romanize};
/// assert_eq!(romanize("मोहनसिंह", None), "mohansingh");
/// assert_eq!(romanize("हिन्दी", None), romanize("हिंदी", None));
/// assert_eq!(romanize("முருகன்", Some(Lang::Tamil)), "murugan");
/// assert_eq!(romanize("René", None), "rene");
/// ```
#[must_use]
pub fn romanize(word: &str, hint: Option<Lang>) -> String {
    let mut out = String::with_capacity(word.len());
    scan(word, hint, &mut |t, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    });
    out
}

/// Phonetic key of a word: the same function for romanised native text and
/// for English spellings, so `Lakshmi`, `Laxmi` and `लक्ष्मी` share a key.
/// Input that is not plain ASCII is romanised first; characters other than
/// letters are ignored.
///
/// ```
/// use rollrec_names::phonetic_key;
/// assert_eq!(phonetic_key("Lakshmi"), phonetic_key("Laxmi"));
/// assert_eq!(phonetic_key("Sheikh"), phonetic_key("Shaikh"));
/// assert_eq!(phonetic_key("Khatoon"), phonetic_key("Khatun"));
/// assert_eq!(phonetic_key("Rama"), phonetic_key("Ram"));
/// assert_eq!(phonetic_key("Bhaskar"), phonetic_key("Baskar"));
/// assert_eq!(phonetic_key("यादव"), phonetic_key("Yadava"));
/// assert_eq!(phonetic_key("Ramachandran"), phonetic_key("Ramchandran"));
/// assert_eq!(phonetic_key("Pitchai"), phonetic_key("Pichchai"));
/// // After the first letter u, o and a are one vowel; i stays apart.
/// assert_eq!(phonetic_key("Hussain"), phonetic_key("Hossain"));
/// assert_ne!(phonetic_key("Amar"), phonetic_key("Umar"));
/// assert_ne!(phonetic_key("Kiran"), phonetic_key("Karan"));
/// ```
#[must_use]
pub fn phonetic_key(word: &str) -> String {
    key_with(word, None, Folds::None)
}

/// [`phonetic_key`] with the roll's language: `hint` romanises native text
/// (as in [`romanize`]) and, for Tamil, Punjabi, Bengali and Assamese, adds
/// that language's folds to the key of *every* word, Latin ones included, so
/// that a native name and its English twin from one roll are keyed alike
/// (see the crate README). [`normalize`] keys its tokens this way.
///
/// ```
/// use rollrec_names::{Lang, phonetic_key_in};
/// let ta = Some(Lang::Tamil);
/// // Tamil writes one letter for g and h between vowels.
/// assert_eq!(phonetic_key_in("ராகுல்", ta), phonetic_key_in("Rahul", ta));
/// assert_eq!(phonetic_key_in("Rahul", None), rollrec_names::phonetic_key("Rahul"));
/// // Gurmukhi writes the cluster of Brar with a full letter, Punjabi says
/// // the vowel, and both spellings are typed.
/// let pa = Some(Lang::Punjabi);
/// assert_eq!(phonetic_key_in("ਬਰਾੜ", pa), phonetic_key_in("Brar", pa));
/// assert_eq!(phonetic_key_in("Pradeep", pa), phonetic_key_in("Pardeep", pa));
/// // Assamese says চ and ছ [s].
/// let as_ = Some(Lang::Assamese);
/// assert_eq!(phonetic_key_in("ইছলাম", as_), phonetic_key_in("Islam", as_));
/// ```
#[must_use]
pub fn phonetic_key_in(word: &str, hint: Option<Lang>) -> String {
    key_with(word, hint, Folds::of(hint))
}

/// The lowercase ASCII letters of a word (romanised with `hint` if it is
/// not ASCII), borrowed when the word is already made of them.
fn word_letters(word: &str, hint: Option<Lang>) -> std::borrow::Cow<'_, [u8]> {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Borrowed(word.as_bytes())
    } else if word.is_ascii() {
        word.bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| b.to_ascii_lowercase())
            .collect()
    } else {
        romanize(word, hint)
            .bytes()
            .filter(u8::is_ascii_lowercase)
            .collect()
    }
}

fn key_with(word: &str, hint: Option<Lang>, folds: Folds) -> String {
    let letters = word_letters(word, hint);
    let mut out = String::with_capacity(letters.len() + 4);
    phonetic::key_into(&letters, folds, &mut out);
    out
}

/// Skeleton of a word: its phonetic key reduced to consonant classes
/// (k/g, c/j/z/s, t/d, p/b/f/ph/v/w, n/m, l, r) with vowels, `h` and `y`
/// dropped, plus a leading `a` when the word starts with a vowel (or a `y`
/// glide); an initial h, m or j keeps its own class; `ks` counts as `k` and
/// a stop before `r` is dropped after the first consonant; a final `n`/`m`
/// is dropped after three other classes. Equal for the common variant
/// spellings of a name; meant for blocking.
///
/// ```
/// use rollrec_names::skeleton;
/// assert_eq!(skeleton("Surender"), skeleton("Surendra"));
/// assert_eq!(skeleton("Chowdhury"), skeleton("Chaudhary"));
/// assert_ne!(skeleton("Ramesh"), skeleton("Rajesh"));
/// // ks ~ kkh ~ x (Bengali ক্ষ is typed kkh).
/// assert_eq!(skeleton("Lakshan"), skeleton("Lokkhon"));
/// assert_eq!(skeleton("Laxman"), skeleton("Lakshman"));
/// // A stop before r: Tamil ற்ற typed tr, ttr, rr or trtr.
/// assert_eq!(skeleton("Vetrivel"), skeleton("Verrivel"));
/// assert_eq!(skeleton("Vetrivel"), skeleton("Vettrtrivel"));
/// // An initial y before a vowel counts as the vowel (Ezhil ~ Yezhil).
/// assert_eq!(skeleton("Ezhumalai"), skeleton("Yezhumalai"));
/// // An initial h, m or j is kept apart.
/// assert_ne!(skeleton("Hari"), skeleton("Ari"));
/// assert_ne!(skeleton("Mohan"), skeleton("Nohan"));
/// assert_ne!(skeleton("Jaya"), skeleton("Saya"));
/// // A final nasal of a longer word is typed or not (अधूरां adhura ~ adhuran).
/// assert_eq!(skeleton("Chandrakantan"), skeleton("Chandrakanta"));
/// assert_ne!(skeleton("Karan"), skeleton("Kara"));
/// ```
#[must_use]
pub fn skeleton(word: &str) -> String {
    skeleton_in(word, None)
}

/// [`skeleton`] of [`phonetic_key_in`]: the skeleton with the roll's
/// language folds.
#[must_use]
pub fn skeleton_in(word: &str, hint: Option<Lang>) -> String {
    let folds = Folds::of(hint);
    let letters = word_letters(word, hint);
    let mut key = String::with_capacity(letters.len() + 4);
    phonetic::key_into(&letters, folds, &mut key);
    let mut out = String::with_capacity(key.len());
    phonetic::skeleton_into(&letters, &key, folds, &mut out);
    out
}

/// Normalise a full name. `hint` is the roll's language (for example from
/// [`Lang::from_state_code`]); the script of the text decides when the hint
/// does not apply.
///
/// Digits are dropped from name tokens. Honorifics (Shri, Smt, Dr, Late,
/// Kumari before the name, Md/Mohammad and their native forms) go to
/// [`NormalizedName::honorifics`]; a gender-marking suffix is split off a
/// joined token (`Kokilaben` -> `kokila` + `ben`).
#[must_use]
pub fn normalize(name: &str, hint: Option<Lang>) -> NormalizedName {
    thread_local! {
        static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
    }
    SCRATCH
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => normalize_with(&mut scratch, name, hint),
            Err(_) => normalize_with(&mut Scratch::new(), name, hint),
        })
        .unwrap_or_else(|_| normalize_with(&mut Scratch::new(), name, hint))
}

/// Buffers reused from one [`normalize`] call to the next (per thread), so
/// that a call allocates only what the result owns.
struct Scratch {
    scan: ScanState,
    /// Romanised letters of all raw tokens, back to back.
    letters: String,
    /// Raw tokens: a range of `letters` and what the scanner saw.
    drafts: Vec<(Range<usize>, TokInfo)>,
    /// Concatenated letters for the joined key.
    joined: Vec<u8>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            scan: ScanState::new(None),
            letters: String::with_capacity(64),
            drafts: Vec::with_capacity(8),
            joined: Vec::with_capacity(64),
        }
    }
}

fn normalize_with(scratch: &mut Scratch, name: &str, hint: Option<Lang>) -> NormalizedName {
    let Scratch {
        scan,
        letters,
        drafts,
        joined,
    } = scratch;
    letters.clear();
    drafts.clear();
    scan.rom.reset(hint);
    let folds = Folds::of(hint);
    scan.run(name, &mut |t, info| {
        let start = letters.len();
        letters.extend(t.chars().filter(char::is_ascii_lowercase));
        let text = &letters[start..];
        if text.is_empty() {
            return;
        }
        // All-capital vowelless clusters of two or three letters are initials
        // ("MK Stalin").
        if info.upper
            && !info.lower
            && !info.native
            && (2..=3).contains(&text.len())
            && !text
                .bytes()
                .any(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
            && lexicon::honorific(text, info.dotted, true).is_none()
        {
            for i in start..letters.len() {
                drafts.push((i..i + 1, info));
            }
            return;
        }
        drafts.push((start..letters.len(), info));
    });

    let mut tokens: Vec<Token> = Vec::with_capacity(drafts.len() + 1);
    let mut honorifics: Vec<Token> = Vec::new();
    let n = drafts.len();
    for (i, (range, info)) in drafts.iter().enumerate() {
        let text = &letters[range.clone()];
        let leading = tokens.is_empty() && i + 1 < n;
        if let Some(h) = lexicon::honorific(text, info.dotted, leading) {
            honorifics.push(Token::new(h, TokenKind::Honorific, None, folds));
            continue;
        }
        if text.len() == 1 {
            tokens.push(Token::new(text, TokenKind::Initial, None, folds));
            continue;
        }
        if info.native && info.dotted {
            let letter = lexicon::letter_name(text)
                .or_else(|| (text.len() <= 3).then(|| char::from(text.as_bytes()[0])));
            if let Some(l) = letter {
                let mut buf = [0u8; 4];
                tokens.push(Token::new(
                    l.encode_utf8(&mut buf),
                    TokenKind::Initial,
                    None,
                    folds,
                ));
                continue;
            }
        }
        push_name_token(text, folds, &mut tokens);
    }

    joined.clear();
    for t in tokens.iter().filter(|t| t.kind != TokenKind::Initial) {
        joined.extend_from_slice(t.text.as_bytes());
    }
    let mut joined_key = String::with_capacity(joined.len() + 4);
    phonetic::key_into(joined, folds, &mut joined_key);
    NormalizedName {
        tokens,
        honorifics,
        lang: Lang::detect(name).map(|l| match (l, hint) {
            (l, Some(h)) if h.script() == l.script() => h,
            (l, _) => l,
        }),
        joined_key,
    }
}

/// Push a Given or GenderMarker token, splitting gender-marking suffixes off
/// joined tokens (repeatedly: `ramabhaiben` -> `rama` + `bhai` + `ben`).
fn push_name_token(text: &str, folds: Folds, tokens: &mut Vec<Token>) {
    if let Some(canon) = lexicon::marker(text) {
        tokens.push(Token::new(
            text,
            TokenKind::GenderMarker,
            Some(canon),
            folds,
        ));
        return;
    }
    // Stem lengths after each split, outermost suffix first (no allocation
    // for the common token without a suffix).
    let mut cuts: Vec<usize> = Vec::new();
    let mut stem = text.len();
    while let Some(len) = lexicon::split_suffix(&text[..stem]) {
        cuts.push(len);
        stem = len;
    }
    let stem_text = &text[..stem];
    let mut stem_tok = Token::new(
        stem_text,
        TokenKind::Given,
        lexicon::spoken(stem_text),
        folds,
    );
    stem_tok.joined_to_next = !cuts.is_empty();
    tokens.push(stem_tok);
    let count = cuts.len();
    for j in 0..count {
        // Innermost suffix first: it starts at the last cut.
        let from = cuts[count - 1 - j];
        let to = if j + 1 < count {
            cuts[count - 2 - j]
        } else {
            text.len()
        };
        let s = &text[from..to];
        let canon = lexicon::marker(s);
        let mut t = Token::new(s, TokenKind::GenderMarker, canon, folds);
        t.joined_to_next = j + 1 < count;
        tokens.push(t);
    }
}

/// Jaro-Winkler similarity of two phonetic keys.
fn jw(a: &str, b: &str) -> f64 {
    jaro::jaro_winkler(a, b)
}

/// Similarity of two phonetic keys (of [`phonetic_key_in`] with one hint):
/// the score [`similarity`] gives one aligned pair of tokens, for a caller
/// that aligns words itself.
///
/// ```
/// use rollrec_names::{key_similarity, phonetic_key};
/// let k = |w: &str| phonetic_key(w);
/// assert_eq!(key_similarity(&k("Laxmi"), &k("लक्ष्मी")), 1.0);
/// assert!(key_similarity(&k("Ramesh"), &k("Rajesh")) < 0.85);
/// ```
#[must_use]
pub fn key_similarity(a: &str, b: &str) -> f64 {
    key_score(a, b)
}

/// Similarity of two phonetic keys: Jaro-Winkler, raised to 0.9 when the
/// consonant outlines agree (a vowel-only variant: Amarinder ~ Amrindar),
/// lowered by 0.12 when they differ (Sunita ~ Sumita, Ramesh ~ Rajesh).
fn key_score(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let s = jw(a, b);
    if phonetic::outline(a).eq(phonetic::outline(b)) {
        if s >= 0.8 { s.max(0.9) } else { s }
    } else {
        s - 0.12
    }
}

fn pair_score(x: &Token, y: &Token) -> f64 {
    use TokenKind::{GenderMarker, Given, Honorific, Initial};
    match (x.kind, y.kind) {
        (Initial, Initial) => {
            if x.text == y.text {
                1.0
            } else {
                0.0
            }
        }
        (Initial, _) | (_, Initial) => {
            let (i, t) = if x.kind == Initial { (x, y) } else { (y, x) };
            if t.text.starts_with(i.text.as_str()) || t.key.starts_with(i.text.as_str()) {
                0.95
            } else {
                0.0
            }
        }
        (Given | GenderMarker | Honorific, _) => key_score(&x.key, &y.key),
    }
}

/// Similarity of two normalised names in `[0, 1]`.
///
/// Name tokens (given names and initials) are aligned one-to-one in any order
/// (greedy best pairs). Two keys score their Jaro-Winkler similarity, raised
/// to 0.9 when their consonant outlines agree and the similarity is at least
/// 0.8 (vowel-only variants), lowered by 0.12 when the outlines differ; an
/// initial matches a token starting with its letter at 0.95. The score is
/// the *weakest* aligned pair, times 0.9 for every name token left over
/// (0.97 for a left-over initial), times 0.94 when both names carry gender
/// markers and none agree. The joined keys
/// ([`NormalizedName::joined_key`]) scored the same way give a second route
/// (counted when at least 0.9, and only if the initials agree); the larger
/// score wins. Honorifics are ignored.
#[must_use]
pub fn similarity(a: &NormalizedName, b: &NormalizedName) -> f64 {
    // The matcher calls this for millions of candidate pairs: the working
    // lists live in one buffer per thread instead of being allocated on
    // every call.
    SIM_SCRATCH.with(|s| similarity_with(a, b, &mut s.borrow_mut()))
}

/// Working lists of [`similarity`].
#[derive(Default)]
struct SimScratch {
    core_a: Vec<usize>,
    core_b: Vec<usize>,
    scores: Vec<(f64, usize, usize)>,
    used_a: Vec<bool>,
    used_b: Vec<bool>,
    initials_a: Vec<usize>,
    initials_b: Vec<usize>,
}

thread_local! {
    static SIM_SCRATCH: std::cell::RefCell<SimScratch> = std::cell::RefCell::new(SimScratch::default());
}

fn similarity_with(a: &NormalizedName, b: &NormalizedName, s: &mut SimScratch) -> f64 {
    let core = |n: &NormalizedName, out: &mut Vec<usize>| {
        out.clear();
        out.extend((0..n.tokens.len()).filter(|&i| n.tokens[i].kind != TokenKind::GenderMarker));
    };
    core(a, &mut s.core_a);
    core(b, &mut s.core_b);
    let (ca, cb) = (&s.core_a, &s.core_b);
    let mut aligned = 0.0;
    if !ca.is_empty() && !cb.is_empty() {
        let scores = &mut s.scores;
        scores.clear();
        for &i in ca {
            for &j in cb {
                scores.push((pair_score(&a.tokens[i], &b.tokens[j]), i, j));
            }
        }
        scores.sort_by(|x, y| y.0.total_cmp(&x.0));
        let (used_a, used_b) = (&mut s.used_a, &mut s.used_b);
        used_a.clear();
        used_a.resize(a.tokens.len(), false);
        used_b.clear();
        used_b.resize(b.tokens.len(), false);
        let mut weakest = 1.0_f64;
        let mut pairs = 0;
        for &(sc, i, j) in scores.iter() {
            if used_a[i] || used_b[j] {
                continue;
            }
            used_a[i] = true;
            used_b[j] = true;
            weakest = weakest.min(sc);
            pairs += 1;
            if pairs == ca.len().min(cb.len()) {
                break;
            }
        }
        let mut score = weakest.max(0.0);
        for (n, used) in [(a, &*used_a), (b, &*used_b)] {
            for (t, u) in n.tokens.iter().zip(used.iter()) {
                if !u && t.kind != TokenKind::GenderMarker {
                    score *= if t.kind == TokenKind::Initial {
                        0.97
                    } else {
                        0.9
                    };
                }
            }
        }
        fn markers(n: &NormalizedName) -> impl Iterator<Item = &str> {
            n.tokens
                .iter()
                .filter(|t| t.kind == TokenKind::GenderMarker)
                .map(|t| t.key.as_str())
        }
        let (mut ma, mut mb) = (markers(a).peekable(), markers(b).peekable());
        if ma.peek().is_some() && mb.peek().is_some() && !ma.any(|k| markers(b).any(|m| m == k)) {
            score *= 0.94;
        }
        aligned = score;
    }
    // Joined route (मोहनसिंह ~ मोहन सिंह): only when the initials agree (as
    // multisets).
    let initials = |n: &NormalizedName, out: &mut Vec<usize>| {
        out.clear();
        out.extend((0..n.tokens.len()).filter(|&i| n.tokens[i].kind == TokenKind::Initial));
        out.sort_unstable_by(|&x, &y| n.tokens[x].text.cmp(&n.tokens[y].text));
    };
    initials(a, &mut s.initials_a);
    initials(b, &mut s.initials_b);
    let (ia, ib) = (&s.initials_a, &s.initials_b);
    let same_initials = ia.len() == ib.len()
        && ia
            .iter()
            .zip(ib)
            .all(|(&x, &y)| a.tokens[x].text == b.tokens[y].text);
    let mut joined = 0.0;
    if !a.joined_key.is_empty()
        && !b.joined_key.is_empty()
        && (ia.is_empty() || ib.is_empty() || same_initials)
    {
        let s = key_score(&a.joined_key, &b.joined_key);
        if s >= 0.9 {
            joined = s;
        }
    }
    f64::max(aligned, joined)
}

/// True when [`similarity`] reaches [`MATCH_THRESHOLD`].
#[must_use]
pub fn is_match(a: &NormalizedName, b: &NormalizedName) -> bool {
    similarity(a, b) >= MATCH_THRESHOLD
}
