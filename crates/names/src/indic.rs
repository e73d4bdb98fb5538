//! Brahmic script -> Latin romanisation.
//!
//! Every Brahmic script handled here has the same letter at the same offset in
//! its Unicode block, so one offset-indexed table does most of the work; the
//! exceptions (khanda-ta, chillus, tippi and addak, Assamese ৰ ৱ, Tamil's
//! missing voiced and aspirated letters, nukta letters) are handled in
//! [`classify`] and [`Renderer`].
//!
//! The input is expected in NFD (the caller decomposes): nukta letters then
//! arrive as base + nukta and two-part vowel signs as their two parts. The
//! parser also accepts the composed forms and marks typed in the wrong order.

use crate::lang::{Lang, Script};

/// Vowel codes: the Devanagari vowel-sign offset (0x3E..=0x4C, 0x62, 0x63),
/// or `V_A` for a short "a" (independent अ).
const V_A: u8 = 0;
const V_AA: u8 = 0x3E;
const V_I: u8 = 0x3F;
const V_II: u8 = 0x40;
const V_U: u8 = 0x41;
const V_UU: u8 = 0x42;
const V_E_SHORT: u8 = 0x46;
const V_E: u8 = 0x47;
const V_AI: u8 = 0x48;
const V_O_SHORT: u8 = 0x4A;
const V_O: u8 = 0x4B;
const V_AU: u8 = 0x4C;
const LEN_55: u8 = 0x55;
const LEN_AI: u8 = 0x56;
const LEN_AU: u8 = 0x57;

/// Consonant offsets used by context rules.
const C_KA: u8 = 0x15;
const C_CA: u8 = 0x1A;
const C_JA: u8 = 0x1C;
const C_NYA: u8 = 0x1E;
const C_TTA: u8 = 0x1F;
const C_NNA: u8 = 0x23;
const C_TA: u8 = 0x24;
const C_NA: u8 = 0x28;
const C_NNNA: u8 = 0x29;
const C_PA: u8 = 0x2A;
const C_BA: u8 = 0x2C;
const C_MA: u8 = 0x2E;
const C_YA: u8 = 0x2F;
const C_RA: u8 = 0x30;
const C_RRA: u8 = 0x31;
const C_VA: u8 = 0x35;
const C_HA: u8 = 0x39;
/// Pseudo consonant for the Tamil aytham (ஃ).
const C_AYTHAM: u8 = 0x03;

/// What one code point is, once its script is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Consonant (offset of its base letter) and whether it carries a nukta.
    Cons(u8, bool),
    /// Consonant without vowel that cannot take one: chillu, khanda-ta.
    Chillu(u8),
    /// Independent vowel (vowel code).
    Indep(u8),
    /// Dependent vowel sign or length mark (vowel code).
    Sign(u8),
    Virama,
    Nukta,
    /// Anusvara, chandrabindu, Gurmukhi tippi and bindi.
    Nasal,
    Visarga,
    /// Gurmukhi addak: doubles the next consonant.
    Addak,
    /// Tamil aytham: ஃப is "f".
    Aytham,
    /// Malayalam dot reph: an "r" without vowel before a consonant.
    DotReph,
    /// Om sign.
    Om,
    /// Digit 0-9.
    Digit(u8),
    /// Danda, abbreviation sign: ends a token.
    Punct,
    /// Anything else in the block (accents, rare letters): dropped.
    Ignore,
}

/// Classify a code point of a Brahmic block.
pub(crate) fn classify(script: Script, off: u8) -> Class {
    // Script-specific exceptions first.
    match (script, off) {
        (Script::Bengali, 0x4E) => return Class::Chillu(C_TA), // ৎ khanda-ta
        (Script::Bengali, 0x5C) | (Script::Odia, 0x5C) => return Class::Cons(0x21, true),
        (Script::Bengali, 0x5D) | (Script::Odia, 0x5D) => return Class::Cons(0x22, true),
        (Script::Bengali, 0x5F) | (Script::Odia, 0x5F) => return Class::Cons(C_YA, true),
        (Script::Bengali, 0x70) => return Class::Cons(C_RA, false), // ৰ
        (Script::Bengali, 0x71) => return Class::Cons(C_VA, false), // ৱ
        (Script::Bengali, 0x57) | (Script::Odia, 0x57) => return Class::Sign(LEN_AU),
        (Script::Odia, 0x56) => return Class::Sign(LEN_AI),
        (Script::Odia, 0x71) => return Class::Cons(C_VA, false), // ୱ
        (Script::Gurmukhi, 0x59) => return Class::Cons(0x16, true),
        (Script::Gurmukhi, 0x5A) => return Class::Cons(0x17, true),
        (Script::Gurmukhi, 0x5B) => return Class::Cons(C_JA, true),
        (Script::Gurmukhi, 0x5C) => return Class::Cons(0x21, true), // ੜ
        (Script::Gurmukhi, 0x5E) => return Class::Cons(0x2B, true),
        (Script::Gurmukhi, 0x70) => return Class::Nasal, // tippi
        (Script::Gurmukhi, 0x71) => return Class::Addak,
        (Script::Gurmukhi, 0x72) => return Class::Indep(V_I), // iri carrier
        (Script::Gurmukhi, 0x73) => return Class::Indep(V_U), // ura carrier
        (Script::Gurmukhi, 0x75) => return Class::Cons(C_YA, false), // yakash
        (Script::Tamil, 0x03) => return Class::Aytham,
        (Script::Tamil, 0x57)
        | (Script::Malayalam, 0x57)
        | (Script::Telugu, 0x56)
        | (Script::Kannada, 0x56) => {
            return Class::Sign(if off == 0x57 { LEN_AU } else { LEN_AI });
        }
        (Script::Telugu, 0x55) | (Script::Kannada, 0x55) => return Class::Sign(LEN_55),
        (Script::Telugu, 0x58) => return Class::Cons(C_CA, false),
        (Script::Telugu, 0x59) => return Class::Cons(C_JA, false),
        (Script::Telugu, 0x5A) => return Class::Cons(C_RRA, false),
        (Script::Malayalam, 0x3B) | (Script::Malayalam, 0x3C) => return Class::Virama,
        (Script::Malayalam, 0x4E) => return Class::DotReph,
        (Script::Malayalam, 0x54) => return Class::Chillu(C_MA),
        (Script::Malayalam, 0x55) => return Class::Chillu(C_YA),
        (Script::Malayalam, 0x56) => return Class::Chillu(0x34),
        (Script::Malayalam, 0x7A) => return Class::Chillu(C_NNA),
        (Script::Malayalam, 0x7B) => return Class::Chillu(C_NA),
        (Script::Malayalam, 0x7C) => return Class::Chillu(C_RA),
        (Script::Malayalam, 0x7D) => return Class::Chillu(0x32),
        (Script::Malayalam, 0x7E) => return Class::Chillu(0x33),
        (Script::Malayalam, 0x7F) => return Class::Chillu(C_KA),
        (Script::Devanagari, 0x70) => return Class::Punct, // ॰ abbreviation
        (Script::Devanagari, 0x72) => return Class::Indep(V_A), // ॲ
        (Script::Devanagari, 0x29) => return Class::Cons(C_NA, true),
        (Script::Devanagari, 0x31) => return Class::Cons(C_RA, true),
        (Script::Devanagari, 0x34) => return Class::Cons(0x33, true),
        (Script::Gurmukhi, 0x33) => return Class::Cons(0x32, true),
        (Script::Gurmukhi, 0x36) => return Class::Cons(0x38, true),
        (Script::Devanagari, 0x58..=0x5F) => {
            const BASE: [u8; 8] = [0x15, 0x16, 0x17, C_JA, 0x21, 0x22, 0x2B, C_YA];
            return Class::Cons(BASE[usize::from(off - 0x58)], true);
        }
        _ => {}
    }
    match off {
        0x01 | 0x02 => Class::Nasal,
        0x03 => Class::Visarga,
        0x04 | 0x05 => Class::Indep(V_A),
        0x06 => Class::Indep(V_AA),
        0x07 => Class::Indep(V_I),
        0x08 => Class::Indep(V_II),
        0x09 => Class::Indep(V_U),
        0x0A => Class::Indep(V_UU),
        0x0B => Class::Indep(0x43),
        0x0C => Class::Indep(0x62),
        0x0D => Class::Indep(0x45),
        0x0E => Class::Indep(V_E_SHORT),
        0x0F => Class::Indep(V_E),
        0x10 => Class::Indep(V_AI),
        0x11 => Class::Indep(0x49),
        0x12 => Class::Indep(V_O_SHORT),
        0x13 => Class::Indep(V_O),
        0x14 => Class::Indep(V_AU),
        0x60 => Class::Indep(0x44),
        0x61 => Class::Indep(0x63),
        0x15..=0x39 => Class::Cons(off, false),
        0x3A | 0x3B => Class::Sign(V_O),
        0x3C => Class::Nukta,
        0x3E..=0x4C | 0x62 | 0x63 => Class::Sign(off),
        0x4D => Class::Virama,
        0x4E => Class::Sign(V_E),
        0x4F => Class::Sign(V_AU),
        0x50 => Class::Om,
        0x64 | 0x65 => Class::Punct,
        0x66..=0x6F => Class::Digit(off - 0x66),
        _ => Class::Ignore,
    }
}

/// Combine two vowel signs on one syllable (two-part vowels in NFD, length
/// marks, or signs typed in the wrong order).
fn compose(prev: u8, new: u8) -> u8 {
    match (prev, new) {
        (V_A, LEN_55) => V_A,
        (V_A, LEN_AI) => V_AI,
        (V_A, LEN_AU) => V_AU,
        (V_A, x) => x,
        (V_E_SHORT, V_AA) | (V_E_SHORT, V_UU) => V_O_SHORT,
        (V_E, V_AA) | (V_AA, V_E_SHORT) | (V_AA, V_E) => V_O,
        (V_E_SHORT | V_E, LEN_AU) | (LEN_AU, V_E_SHORT | V_E) => V_AU,
        (V_E_SHORT | V_E, LEN_AI) | (LEN_AI, V_E_SHORT | V_E) => V_AI,
        (V_I, LEN_55) => V_II,
        (V_E_SHORT, LEN_55) => V_E,
        (V_O_SHORT, LEN_55) => V_O,
        (p, LEN_55 | LEN_AI | LEN_AU) => p,
        (_, x) => x,
    }
}

fn vowel_str(v: u8) -> &'static str {
    match v {
        V_A | V_AA => "a",
        V_I | V_II => "i",
        V_U | V_UU => "u",
        0x43 | 0x44 => "ri",
        0x62 | 0x63 => "li",
        0x45 | V_E_SHORT | V_E => "e",
        V_AI => "ai",
        0x49 | V_O_SHORT | V_O => "o",
        V_AU => "au",
        LEN_AI => "ai",
        LEN_AU => "au",
        _ => "",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vs {
    Inherent,
    Killed,
    Q(u8),
}

#[derive(Debug, Clone, Copy)]
struct Syl {
    /// Consonant offset; 0 for an independent vowel; `C_AYTHAM`.
    cons: u8,
    nukta: bool,
    vowel: Vs,
    chillu: bool,
    nasal: bool,
    visarga: bool,
    /// Gurmukhi addak: double the next consonant.
    gem: bool,
    /// Schwa deleted by the schwa-deletion pass.
    deleted: bool,
}

impl Syl {
    fn new(cons: u8, vowel: Vs) -> Syl {
        Syl {
            cons,
            nukta: false,
            vowel,
            chillu: false,
            nasal: false,
            visarga: false,
            gem: false,
            deleted: false,
        }
    }
    fn killed(&self) -> bool {
        self.cons != 0 && self.vowel == Vs::Killed
    }
    fn is_cons(&self) -> bool {
        self.cons != 0 && self.cons != C_AYTHAM
    }
}

/// Streaming romaniser for one word or a whole name: feed characters with
/// [`Romanizer::push`], then call [`Romanizer::flush`].
#[derive(Debug)]
pub(crate) struct Romanizer {
    hint: Option<Lang>,
    script: Option<Script>,
    syls: Vec<Syl>,
    pending_sign: Option<u8>,
    last_was_virama: bool,
}

impl Romanizer {
    pub(crate) fn new(hint: Option<Lang>) -> Romanizer {
        Romanizer {
            hint,
            script: None,
            syls: Vec::with_capacity(16),
            pending_sign: None,
            last_was_virama: false,
        }
    }

    /// Start afresh with another hint, keeping the syllable buffer's
    /// allocation.
    pub(crate) fn reset(&mut self, hint: Option<Lang>) {
        self.hint = hint;
        self.script = None;
        self.syls.clear();
        self.pending_sign = None;
        self.last_was_virama = false;
    }

    /// Feed one Brahmic-block character of `script` (`off` is its offset).
    /// Returns a digit or a punctuation class the caller must handle after
    /// flushing; other classes are absorbed.
    pub(crate) fn push(&mut self, script: Script, off: u8, out: &mut String) -> Class {
        if self.script != Some(script) {
            self.flush(out);
            self.script = Some(script);
        }
        let class = classify(script, off);
        let was_virama = self.last_was_virama;
        self.last_was_virama = false;
        match class {
            Class::Cons(c, nukta) => {
                let mut s = Syl::new(c, Vs::Inherent);
                s.nukta = nukta;
                // Bengali অ্যা (vowel + virama + য, the "æ" of English words
                // and names: অ্যালেন Allen): the য is a phala, not "j".
                if c == C_YA
                    && was_virama
                    && script == Script::Bengali
                    && self.syls.last().is_some_and(|l| l.cons == 0)
                {
                    s.nukta = true;
                }
                if let Some(v) = self.pending_sign.take() {
                    s.vowel = Vs::Q(v);
                }
                self.syls.push(s);
            }
            Class::Chillu(c) => {
                let mut s = Syl::new(c, Vs::Killed);
                s.chillu = true;
                self.syls.push(s);
            }
            Class::DotReph => self.syls.push(Syl::new(C_RA, Vs::Killed)),
            Class::Indep(v) => self.syls.push(Syl::new(0, Vs::Q(v))),
            Class::Sign(v) => match self.syls.last_mut() {
                Some(last) if last.cons != C_AYTHAM => {
                    last.vowel = match last.vowel {
                        Vs::Inherent | Vs::Killed => Vs::Q(compose(V_A, v)),
                        Vs::Q(p) => Vs::Q(compose(p, v)),
                    };
                }
                _ => {
                    // A sign before any consonant: typed in visual order.
                    self.pending_sign = Some(v);
                }
            },
            Class::Virama => {
                if let Some(last) = self.syls.last_mut()
                    && last.vowel == Vs::Inherent
                    && last.is_cons()
                {
                    last.vowel = Vs::Killed;
                }
                self.last_was_virama = true;
            }
            Class::Nukta => {
                if let Some(last) = self.syls.last_mut() {
                    last.nukta = true;
                }
                self.last_was_virama = was_virama;
            }
            Class::Nasal => {
                if let Some(last) = self.syls.last_mut() {
                    if last.vowel == Vs::Killed {
                        last.vowel = Vs::Inherent;
                    }
                    last.nasal = true;
                }
            }
            Class::Visarga => {
                if let Some(last) = self.syls.last_mut() {
                    last.visarga = true;
                }
            }
            Class::Addak => {
                if let Some(last) = self.syls.last_mut() {
                    last.gem = true;
                }
            }
            Class::Aytham => self.syls.push(Syl::new(C_AYTHAM, Vs::Killed)),
            Class::Om => {
                self.flush(out);
                out.push_str("om");
            }
            Class::Digit(_) | Class::Punct => {
                self.flush(out);
                return class;
            }
            Class::Ignore => {}
        }
        Class::Ignore
    }

    /// A zero-width joiner or non-joiner. After a virama, the joiner makes a
    /// legacy chillu (Malayalam) or khanda-ta (Bengali): a vowelless consonant.
    pub(crate) fn joiner(&mut self, zwj: bool) {
        if zwj
            && self.last_was_virama
            && let Some(last) = self.syls.last_mut()
            && last.killed()
        {
            last.chillu = true;
        }
    }

    /// Render the buffered syllables into `out` and reset.
    pub(crate) fn flush(&mut self, out: &mut String) {
        self.pending_sign = None;
        self.last_was_virama = false;
        let Some(script) = self.script else {
            self.syls.clear();
            return;
        };
        if self.syls.is_empty() {
            return;
        }
        let lang = Lang::resolve(script, self.hint);
        normalise_nasals(&mut self.syls);
        if !lang.is_dravidian() {
            // Bengali and Assamese keep the medial inherent vowel far more
            // often (মমতা Mamata, not Mamta): only the final one goes.
            let medial = !matches!(lang, Lang::Bengali | Lang::Assamese);
            delete_schwas(&mut self.syls, medial);
        }
        Renderer {
            syls: &self.syls,
            script,
            lang,
        }
        .render(out);
        self.syls.clear();
    }
}

/// Nasal consonant + virama before a consonant of its own class becomes an
/// anusvara on the previous syllable (हिन्दी -> हिंदी), so both spellings agree.
fn normalise_nasals(syls: &mut Vec<Syl>) {
    let mut i = 1;
    while i + 1 < syls.len() {
        let s = syls[i];
        let next = syls[i + 1];
        let prev = syls[i - 1];
        let homorganic = match s.cons {
            0x19 => (0x15..=0x18).contains(&next.cons),
            C_NYA => (C_CA..=0x1D).contains(&next.cons),
            C_NNA => (C_TTA..=0x22).contains(&next.cons),
            C_NA => (C_TA..=0x27).contains(&next.cons),
            C_MA => (C_PA..=0x2D).contains(&next.cons),
            _ => false,
        };
        if homorganic
            && s.vowel == Vs::Killed
            && !s.chillu
            && !s.nukta
            && !next.nukta
            && prev.cons != C_AYTHAM
            && !prev.killed()
            && !prev.nasal
        {
            syls[i - 1].nasal = true;
            syls.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Indo-Aryan schwa deletion: drop the final inherent vowel (unless it follows
/// a conjunct) and an inherent vowel in a V C _ C V context, right to left.
fn delete_schwas(syls: &mut [Syl], medial: bool) {
    let n = syls.len();
    if n < 2 {
        return;
    }
    let cand = |s: &Syl| s.is_cons() && s.vowel == Vs::Inherent && !s.nasal && !s.visarga;
    let last = n - 1;
    if cand(&syls[last]) && !syls[last - 1].killed() && syls[last - 1].cons != C_AYTHAM {
        syls[last].deleted = true;
    }
    if !medial {
        return;
    }
    for i in (1..last).rev() {
        if !cand(&syls[i]) || syls[i].gem {
            continue;
        }
        let prev = syls[i - 1];
        let next = syls[i + 1];
        if prev.killed() || !next.is_cons() || next.killed() || next.deleted {
            continue;
        }
        syls[i].deleted = true;
    }
}

struct Renderer<'a> {
    syls: &'a [Syl],
    script: Script,
    lang: Lang,
}

impl Renderer<'_> {
    fn render(&self, out: &mut String) {
        for i in 0..self.syls.len() {
            let s = self.syls[i];
            if s.cons == C_AYTHAM {
                let next_pa = self.syls.get(i + 1).is_some_and(|n| n.cons == C_PA);
                if !next_pa {
                    out.push('h');
                }
                continue;
            }
            // A word-final राव, ರಾವ್ (-rao: Anandrao, Dinkarrao, Basavaraj Rao)
            // is written "o", as the Telugu రావు is.
            if s.cons == C_VA
                && i + 1 == self.syls.len()
                && (s.deleted || s.vowel == Vs::Killed)
                && !s.nasal
                && self
                    .prev(i)
                    .is_some_and(|p| p.cons == C_RA && p.vowel == Vs::Q(V_AA))
            {
                out.push('o');
                continue;
            }
            if s.cons != 0 {
                let c = self.consonant(i);
                if i > 0
                    && self.syls[i - 1].gem
                    && let Some(first) = c.chars().next()
                {
                    out.push(first);
                }
                out.push_str(c);
            }
            match s.vowel {
                Vs::Inherent => {
                    if !s.deleted && s.cons != 0 {
                        out.push('a');
                    }
                }
                // A final virama is not written in Latin: Malayalam's
                // half-u (samvruthokaram) is left out as typists do.
                Vs::Killed => {}
                Vs::Q(v) => out.push_str(match (self.script, v) {
                    (Script::Bengali, V_AI) => "oi",
                    (Script::Bengali, V_AU) => "ou",
                    _ => vowel_str(v),
                }),
            }
            if s.nasal {
                out.push_str(self.nasal(i));
            }
            if s.visarga {
                out.push('h');
            }
        }
    }

    fn nasal(&self, i: usize) -> &'static str {
        let next = self.syls.get(i + 1).filter(|n| n.is_cons());
        match next {
            Some(n) if (C_PA..=C_MA).contains(&n.cons) => "m",
            Some(n) if n.cons == C_HA && !self.lang.is_dravidian() => "ng",
            Some(n) if n.cons >= C_YA && self.lang.is_dravidian() => "m",
            Some(_) => "n",
            None if self.lang.is_dravidian() => "m",
            None if self.lang == Lang::Gujarati && i + 1 == self.syls.len() => "",
            None => "n",
        }
    }

    fn prev(&self, i: usize) -> Option<&Syl> {
        i.checked_sub(1).and_then(|j| self.syls.get(j))
    }

    fn consonant(&self, i: usize) -> &'static str {
        let s = self.syls[i];
        let prev = self.prev(i);
        let after_virama = prev.is_some_and(Syl::killed);
        if s.nukta {
            match s.cons {
                0x15 => return "q",
                0x16 => return "kh",
                0x17 => return "g",
                C_JA => return "z",
                // ड़ is typed d (पहाड़ pahad); Gurmukhi ੜ is typed d about as
                // often as r in words but r in names (ਅਰੋੜਾ Arora): kept r.
                0x21 if self.script == Script::Devanagari => return "d",
                0x22 if self.script == Script::Devanagari => return "dh",
                0x21 => return "r",
                0x22 => return "rh",
                C_YA => return "y",
                0x2B => return "f",
                0x33 => return "zh",
                0x38 => return "sh",
                _ => {}
            }
        }
        // ज्ञ
        if s.cons == C_NYA && prev.is_some_and(|p| p.cons == C_JA && p.killed()) {
            return "";
        }
        if s.cons == C_JA && s.killed() && self.syls.get(i + 1).is_some_and(|n| n.cons == C_NYA) {
            return match self.lang {
                Lang::Marathi => "dny",
                l if l.is_dravidian() => "jn",
                _ => "gy",
            };
        }
        match self.script {
            Script::Tamil => {
                if let Some(t) = self.tamil(i) {
                    return t;
                }
            }
            Script::Malayalam => match s.cons {
                C_RRA => {
                    let p = prev.filter(|p| p.killed());
                    let next_rra =
                        s.killed() && self.syls.get(i + 1).is_some_and(|n| n.cons == C_RRA);
                    return match p.map(|p| p.cons) {
                        Some(C_NA | C_RRA) => "t",
                        _ if next_rra => "t",
                        _ => "r",
                    };
                }
                C_TTA if prev.is_some_and(|p| !p.killed()) && !s.killed() => return "d",
                // ഞ്ഞ is typed "nj" or "nnj", not "njnj".
                C_NYA if s.killed() && self.syls.get(i + 1).is_some_and(|n| n.cons == C_NYA) => {
                    return "n";
                }
                C_NYA => return "nj",
                _ => {}
            },
            Script::Bengali | Script::Odia => match s.cons {
                C_YA if !after_virama => return "j",
                // ব-ফলা is written "w" (Biswas, Swapan, Bhardwaj, Ujjwal);
                // after র it is a real b (reph + ba: নির্বাচন nirbachan) and
                // after ম too (ম্ব mb: অম্বিকা Ambika).
                C_BA if after_virama
                    && self.script == Script::Bengali
                    && prev.is_some_and(|p| p.cons != C_RA && p.cons != C_MA) =>
                {
                    return "w";
                }
                // ৱ (Assamese) and ୱ (Odia): Rajiv ~ Rajib, Pranav ~ Pranab.
                C_VA => return "v",
                _ => {}
            },
            _ => {}
        }
        if s.cons == 0x24 && self.lang.is_dravidian() {
            return "th";
        }
        base_consonant(s.cons)
    }

    /// Tamil has one letter for voiced and voiceless stops: pick the sound
    /// from the context (initial and doubled: voiceless; after a nasal:
    /// voiced; between vowels: voiced or fricative).
    fn tamil(&self, i: usize) -> Option<&'static str> {
        let s = self.syls[i];
        let prev = self.prev(i);
        #[derive(PartialEq)]
        enum Ctx {
            Initial,
            Double,
            Nasal,
            Vowel,
            Cluster,
        }
        let ctx = match prev {
            _ if s.killed() => Ctx::Cluster,
            None => Ctx::Initial,
            Some(p) if p.nasal => Ctx::Nasal,
            Some(p) if p.killed() && p.cons == s.cons => Ctx::Double,
            Some(p)
                if p.killed() && matches!(p.cons, 0x19 | C_NYA | C_NNA | C_NA | C_MA | C_NNNA) =>
            {
                Ctx::Nasal
            }
            Some(p) if p.killed() || p.cons == C_AYTHAM => Ctx::Cluster,
            Some(_) => Ctx::Vowel,
        };
        Some(match (s.cons, ctx) {
            (C_CA, _) if prev.is_some_and(|p| p.killed() && p.cons == C_TTA) => "sh",
            (C_KA, Ctx::Nasal | Ctx::Vowel) => "g",
            (C_KA, _) => "k",
            (C_CA, Ctx::Nasal) => "j",
            (C_CA, Ctx::Double | Ctx::Cluster) => "ch",
            (C_CA, _) => "s",
            // ட்ச writes Sanskrit க்ஷ: லட்சுமி Lakshmi, பட்சி pakshi.
            (C_TTA, _) if s.killed() && self.syls.get(i + 1).is_some_and(|n| n.cons == C_CA) => "k",
            (C_TTA, Ctx::Nasal | Ctx::Vowel) => "d",
            (C_TTA, _) => "t",
            (C_TA, _) => "th",
            (C_PA, Ctx::Cluster) if prev.is_some_and(|p| p.cons == C_AYTHAM) => "f",
            (C_PA, Ctx::Nasal) => "b",
            (C_PA, _) => "p",
            (C_RRA, _) => {
                if self
                    .syls
                    .get(i + 1)
                    .is_some_and(|n| n.cons == C_RRA && s.killed())
                {
                    "t"
                } else if prev.is_some_and(|p| p.killed() && p.cons == C_NNNA) {
                    "dr"
                } else {
                    "r"
                }
            }
            (C_NYA, Ctx::Initial) => "gn",
            (C_NYA, _) => "ny",
            _ => return None,
        })
    }
}

fn base_consonant(c: u8) -> &'static str {
    const TABLE: [&str; 0x25] = [
        "k", "kh", "g", "gh", "ng", // 15-19
        "ch", "chh", "j", "jh", "ny", // 1A-1E
        "t", "th", "d", "dh", "n", // 1F-23
        "t", "th", "d", "dh", "n", "n", // 24-29
        "p", "ph", "b", "bh", "m", // 2A-2E
        "y", "r", "r", "l", "l", "zh", "v", // 2F-35
        "sh", "sh", "s", "h", // 36-39
    ];
    c.checked_sub(0x15)
        .and_then(|i| TABLE.get(usize::from(i)))
        .copied()
        .unwrap_or("")
}
