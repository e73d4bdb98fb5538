//! What the matched pairs of one reconciliation teach about the spelling
//! of names across scripts.
//!
//! On a bilingual roll pair one entry may print a name in its script and
//! the other in English, or both in English spelt apart. There the
//! phonetic rules of `rollrec-names` cannot tell a typo from a variant:
//! மீனா and the typo மீன both read "Meena", SSingh keys as Singh, while
//! Anowar ~ আনোয়ার and Letchumi ~ லட்சுமி, true pairs, score low. The roll
//! pair knows better, because names recur and so do their spellings. The
//! words of the two entries of every matched pair are aligned, and each
//! correspondence of two words is counted over all pairs. Then two aligned
//! words are:
//!
//! * **a typo** when one of them is seen [`SHARE`] times less often than a
//!   word one edit away (a character dropped, added, changed, or two
//!   neighbours swapped) that is established with the other word (below),
//!   or seen at most [`RARE`] times beside such a word seen at least
//!   [`RATIO`] times as often; in that second case an English word keyed
//!   like its correction by `rollrec-names` is taken for a spelling variant
//!   (Sayra for Saira, Bimla for Vimla) unless it doubles a letter or
//!   undoes a double (SSingh, Mena). So மீன, seen once beside மீனா, which
//!   is established with Meena, is a typo; and so is RAOO, made three times
//!   from the Rao seen thousands of times;
//! * **the same** name when their correspondence is *established*: seen in
//!   [`ESTABLISHED`] pairs or more, and in at least one in [`SHARE`] of the
//!   alignments of the less aligned word (Anowar ~ আনোয়ার, whatever its
//!   phonetic score);
//! * **other names** when both are *settled* (aligned [`SETTLED`] times or
//!   more), keyed apart, and not established with each other: Daljeet
//!   against Baljit;
//! * otherwise unknown, and left to the phonetic rules.
//!
//! A name word one edit from a common honorific, seen [`SHARE`] times less
//! often, is a typo too (Ltae, MMohd). Honorifics are aligned among
//! themselves, apart from the name words, since either entry may print
//! them or not.
//!
//! Words are counted per language (the roll's language hint): Sarma is a
//! common spelling in Assam and a typo of Sharma in a Hindi roll. A word is
//! counted in its canonical spelling (the spellings one name legitimately
//! has in one script are one word), but edits are taken on its printed
//! letters (folded, joiners dropped), so that a typo the romaniser would
//! hide (a doubled vowel sign or virama) still shows and a legitimate
//! variant (a nukta, a long i) is not taken for one. A name printed joined
//! on one side (ফাৰুকহুছেইন, ANOWARRAHAMAN) is cut where its pieces are the
//! other side's words, or runs of them printed joined elsewhere.

use rayon::prelude::*;
use rollrec_names::{Lang, TokenKind, key_similarity, normalize, phonetic_key_in};

use crate::{FastMap, fast_map};

/// Pairs in which two words must correspond to be one name spelt two ways.
pub(crate) const ESTABLISHED: u32 = 3;
/// The share (one in this many) of a word's alignments a correspondence
/// must have to be established, and how many times less often than its
/// correction a typo is seen.
pub(crate) const SHARE: u32 = 50;
/// Times a word may be seen and still be taken for a typo of a word
/// [`RATIO`] times as common.
pub(crate) const RARE: u32 = 2;
/// See [`RARE`].
pub(crate) const RATIO: u32 = 3;
/// Fewest times the word a typo stands for is seen.
pub(crate) const COMMON: u32 = 3;
/// Alignments that make a word's spellings settled.
pub(crate) const SETTLED: u32 = 10;
/// Most words a joined word stands for.
const MAX_JOINED: usize = 3;
/// Words aligned one against one whose weakest pair scores less than this
/// are tried in printed order with joins too.
const JOIN_BELOW: f64 = 0.85;

/// One printed word of one language.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    /// Canonical spelling (Brahmic) or lower-case letters (Latin).
    pub text: String,
    /// The printed letters, folded, without joiners (Latin: `text`).
    pub light: String,
    /// Phonetic key in its language.
    pub key: String,
    /// An honorific or title (Late, Smt, Md): aligned apart.
    pub honorific: bool,
}

/// The printed words of a name: split at white space, English words also
/// at dots ("K.Letchumi"); a native abbreviation (కీ.శే.) stays one word.
pub(crate) fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().flat_map(|w| {
        let ascii = w.is_ascii();
        w.split(move |c: char| ascii && c == '.')
            .filter(|p| !p.is_empty())
    })
}

/// One printed word (from [`raw_words`]) in comparable form, `None` for a
/// single-letter initial or a word without letters. `canonical` spells one
/// folded Brahmic word canonically.
pub(crate) fn word_of(
    raw: &str,
    hint: Option<Lang>,
    canonical: &dyn Fn(&str) -> String,
) -> Option<Word> {
    let folded = rollrec_model::fold_text(raw);
    let (text, light) = if folded.is_ascii() {
        let t: String = folded.chars().filter(char::is_ascii_alphabetic).collect();
        (t.clone(), t)
    } else {
        let light: String = folded
            .chars()
            .filter(|&c| !matches!(c, ' ' | '\u{200C}' | '\u{200D}'))
            .collect();
        (canonical(&light), light)
    };
    if text.is_empty() || text.is_ascii() && text.len() < 2 {
        return None;
    }
    let n = normalize(raw, hint);
    // A native initial (కె.).
    if !text.is_ascii()
        && !n.tokens.is_empty()
        && n.tokens.iter().all(|t| t.kind == TokenKind::Initial)
    {
        return None;
    }
    let key = phonetic_key_in(&text, hint);
    Some(Word {
        text,
        light,
        key,
        honorific: n.tokens.is_empty(),
    })
}

/// What the evidence says about two printed forms of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Every word corresponds to a word of the other form by established
    /// spellings.
    Same,
    /// A word is a typo of what the other form spells.
    Typo,
    /// A word is another name than the other form's, by their settled
    /// spellings.
    Other,
    /// Not known: left to the phonetic rules.
    Unknown,
}

/// What the roll pair's spellings are learnt from.
pub(crate) struct Input<'a> {
    /// The distinct words (each of one language).
    pub words: &'a [Word],
    /// Per word: its language.
    pub word_hints: &'a [Option<Lang>],
    /// The distinct printed names: their words (indices into `words`), in
    /// printed order.
    pub names: &'a [Vec<u32>],
    /// Per name: its language.
    pub name_hints: &'a [Option<Lang>],
    /// Per name: how often the matched pairs print it.
    pub printed: &'a [u32],
    /// The pairs of names (EC side first) compared in English or across
    /// scripts, each with how many pairs compare them.
    pub combos: &'a [((usize, usize), u32)],
}

/// Two printed forms' words matched up (indices into the words).
#[derive(Debug, Default)]
struct Alignment {
    /// One name word of x against one of y.
    singles: Vec<(u32, u32)>,
    /// A word printed joined on one side against neighbours printed apart
    /// on the other (or two against two, cut in other places).
    runs: Vec<(Vec<u32>, Vec<u32>)>,
    /// One honorific of x against one of y.
    honorifics: Vec<(u32, u32)>,
    /// Whether every name word of both forms is aligned.
    complete: bool,
}

/// What is known of one canonical word.
#[derive(Debug, Clone)]
struct Entry {
    /// Printed names (per pair and side) holding it.
    seen: u32,
    /// Alignments it takes part in.
    aligned: u32,
    honorific: bool,
    /// Phonetic key, printed letters (the first seen) and language tag.
    key: String,
    light: String,
    tag: String,
    hint: Option<Lang>,
}

/// Word statistics of a roll pair.
struct Spellings {
    /// Language tag + printed letters -> canonical id.
    lights: FastMap<String, u32>,
    /// Per canonical id.
    entries: Vec<Entry>,
    /// Aligned correspondences (unordered canonical id pair) -> pairs.
    pairs: FastMap<u64, u32>,
    /// Language tag + printed letters of a common word with one character
    /// left out -> (canonical id, printed letters) of the common words.
    near: FastMap<String, Vec<(u32, String)>>,
    /// Per canonical id: the seen words one edit from it.
    corrections: Vec<Vec<u32>>,
    /// Per canonical id: a name word that is a typo of a common honorific
    /// (Ltae, MMohd): one edit from it and [`SHARE`] times rarer.
    honorific_typo: Vec<bool>,
}

fn pair_key(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

/// The tag that keeps the words of one language apart from another's.
fn tag(hint: Option<Lang>) -> String {
    format!("{}\u{1}", hint.map_or("", Lang::code))
}

/// The verdict on every combo of `input` (see the module documentation).
pub(crate) fn verdicts(input: &Input<'_>) -> Vec<Verdict> {
    let Input {
        words,
        word_hints,
        names,
        name_hints,
        printed,
        combos,
    } = *input;
    // Canonical ids of the words.
    let mut canon: FastMap<String, u32> = fast_map();
    let mut lights: FastMap<String, u32> = fast_map();
    let mut entries: Vec<Entry> = Vec::new();
    let mut printed_forms: Vec<(u32, String)> = Vec::new();
    let canon_of: Vec<u32> = words
        .iter()
        .zip(word_hints)
        .map(|(w, &hint)| {
            let t = tag(hint);
            let id = *canon.entry(format!("{t}{}", w.text)).or_insert_with(|| {
                entries.push(Entry {
                    seen: 0,
                    aligned: 0,
                    honorific: w.honorific,
                    key: w.key.clone(),
                    light: w.light.clone(),
                    tag: t.clone(),
                    hint,
                });
                u32::try_from(entries.len() - 1).unwrap_or(u32::MAX)
            });
            lights.entry(format!("{t}{}", w.light)).or_insert_with(|| {
                printed_forms.push((id, w.light.clone()));
                id
            });
            id
        })
        .collect();
    for (name, &n) in names.iter().zip(printed) {
        for &k in name {
            if let Some(e) = canon_of
                .get(k as usize)
                .and_then(|&c| entries.get_mut(c as usize))
            {
                e.seen = e.seen.saturating_add(n);
            }
        }
    }
    let alignments: Vec<Alignment> = combos
        .par_iter()
        .map(|&((x, y), _)| {
            let hint = name_hints.get(x).copied().flatten();
            align(words, &names[x], &names[y], hint)
        })
        .collect();
    let mut pairs: FastMap<u64, u32> = fast_map();
    for (a, &(_, n)) in alignments.iter().zip(combos) {
        for &(i, j) in a.singles.iter().chain(&a.honorifics) {
            let (p, q) = (canon_of[i as usize], canon_of[j as usize]);
            for r in if p == q { vec![p] } else { vec![p, q] } {
                if let Some(e) = entries.get_mut(r as usize) {
                    e.aligned = e.aligned.saturating_add(n);
                }
            }
            if p != q {
                let c = pairs.entry(pair_key(p, q)).or_default();
                *c = c.saturating_add(n);
            }
        }
    }
    // Deletions of the printed forms of common words, for typos that drop
    // or change a character.
    let mut near: FastMap<String, Vec<(u32, String)>> = fast_map();
    for (id, light) in &printed_forms {
        let e = &entries[*id as usize];
        if e.seen < COMMON {
            continue;
        }
        let chars: Vec<char> = light.chars().collect();
        for i in 0..chars.len() {
            let mut d = e.tag.clone();
            d.extend(chars[..i].iter().chain(&chars[i + 1..]));
            let list = near.entry(d).or_default();
            if !list.iter().any(|(c, l)| c == id && l == light) {
                list.push((*id, light.clone()));
            }
        }
    }
    let mut s = Spellings {
        lights,
        entries,
        pairs,
        near,
        corrections: Vec::new(),
        honorific_typo: Vec::new(),
    };
    s.corrections = (0..s.entries.len())
        .into_par_iter()
        .map(|id| {
            let e = &s.entries[id];
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            s.one_edit_words(&e.tag, &e.light, Some(id))
        })
        .collect();
    s.honorific_typo = s
        .entries
        .iter()
        .zip(&s.corrections)
        .map(|(e, corrections)| {
            !e.honorific
                && corrections.iter().any(|&c| {
                    s.entry(Some(c)).is_some_and(|h| {
                        h.honorific && u64::from(e.seen) * u64::from(SHARE) <= u64::from(h.seen)
                    })
                })
        })
        .collect();
    // The verdict on each distinct pair of single words aligned.
    let mut keys: Vec<u64> = s.pairs.keys().copied().collect();
    keys.sort_unstable();
    let word_verdicts: FastMap<u64, Verdict> = keys
        .par_iter()
        .map(|&k| {
            let (p, q) = ((k >> 32) as u32, k as u32);
            (k, s.word_verdict(s.whole(p), s.whole(q), true))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    combos
        .par_iter()
        .zip(&alignments)
        .map(|(&((x, y), _), a)| {
            let hint = name_hints.get(x).copied().flatten();
            let t = tag(hint);
            let side = |n: usize| Side {
                words,
                canon_of: &canon_of,
                name: &names[n],
                tag: &t,
                hint,
            };
            s.verdict(a, side(x), side(y), &word_verdicts)
        })
        .collect()
}

impl Spellings {
    fn entry(&self, id: Option<u32>) -> Option<&Entry> {
        id.and_then(|i| self.entries.get(i as usize))
    }

    fn seen_of(&self, id: Option<u32>) -> u32 {
        self.entry(id).map_or(0, |e| e.seen)
    }

    /// A canonical word as a part to judge.
    fn whole(&self, id: u32) -> Part<'_> {
        let e = self.entry(Some(id));
        Part {
            id: Some(id),
            light: e.map_or("", |e| e.light.as_str()),
            count: e.map_or(0, |e| e.seen),
            tag: e.map_or("", |e| e.tag.as_str()),
            hint: e.and_then(|e| e.hint),
            whole: true,
        }
    }

    fn lookup(&self, tag: &str, light: &str) -> Option<u32> {
        self.lights.get(&format!("{tag}{light}")).copied()
    }

    /// Whether two words correspond by the roll pair's evidence.
    fn established(&self, a: u32, b: u32) -> bool {
        if a == b {
            return true;
        }
        let n = self.pairs.get(&pair_key(a, b)).copied().unwrap_or(0);
        let least = self
            .entry(Some(a))
            .map_or(0, |e| e.aligned)
            .min(self.entry(Some(b)).map_or(0, |e| e.aligned));
        n >= ESTABLISHED && u64::from(n) * u64::from(SHARE) >= u64::from(least)
    }

    fn settled(&self, id: u32) -> bool {
        self.entry(Some(id)).is_some_and(|e| e.aligned >= SETTLED)
    }

    /// The verdict on two forms given their alignment.
    fn verdict(
        &self,
        a: &Alignment,
        x: Side<'_>,
        y: Side<'_>,
        word_verdicts: &FastMap<u64, Verdict>,
    ) -> Verdict {
        if self.honorific_typo(x, y) || self.honorific_typo(y, x) {
            return Verdict::Typo;
        }
        for &(i, j) in &a.honorifics {
            if self.word_verdict(x.part(self, i), y.part(self, j), false) == Verdict::Typo {
                return Verdict::Typo;
            }
        }
        let mut all_same = a.complete;
        let mut other = false;
        for &(i, j) in &a.singles {
            let (p, q) = (x.canon(i), y.canon(j));
            let verdict = if p == q {
                Verdict::Same
            } else {
                word_verdicts
                    .get(&pair_key(p, q))
                    .copied()
                    .unwrap_or(Verdict::Unknown)
            };
            match verdict {
                Verdict::Typo => return Verdict::Typo,
                Verdict::Other => other = true,
                Verdict::Unknown => all_same = false,
                Verdict::Same => {}
            }
        }
        for (u, v) in &a.runs {
            match self.run_verdict(x, u, y, v) {
                Verdict::Typo => return Verdict::Typo,
                Verdict::Other => other = true,
                Verdict::Unknown => all_same = false,
                Verdict::Same => {}
            }
        }
        if other {
            Verdict::Other
        } else if all_same {
            Verdict::Same
        } else {
            Verdict::Unknown
        }
    }

    /// Whether a name word of `x` is a typo of a common honorific (Ltae,
    /// MMohd) that `y` does not print alike.
    fn honorific_typo(&self, x: Side<'_>, y: Side<'_>) -> bool {
        x.name.iter().any(|&k| {
            let id = x.canon(k);
            self.honorific_typo
                .get(id as usize)
                .copied()
                .unwrap_or(false)
                && !y.name.iter().any(|&o| y.canon(o) == id)
        })
    }

    /// Word `x` against word `y`; with `names`, two settled words not
    /// established with each other and keyed apart are other names.
    fn word_verdict(&self, x: Part<'_>, y: Part<'_>, names: bool) -> Verdict {
        if x.id.is_some() && x.id == y.id {
            return Verdict::Same;
        }
        if self.typo_of(x, y) || self.typo_of(y, x) {
            return Verdict::Typo;
        }
        let (Some(p), Some(q)) = (x.id, y.id) else {
            return Verdict::Unknown;
        };
        if self.established(p, q) {
            return Verdict::Same;
        }
        if names
            && self.settled(p)
            && self.settled(q)
            && self.entry(Some(p)).map(|e| &e.key) != self.entry(Some(q)).map(|e| &e.key)
        {
            return Verdict::Other;
        }
        Verdict::Unknown
    }

    /// Neighbours `u` of `x` against neighbours `v` of `y`, one side (or
    /// both) printed joined: either side's words joined and cut into the
    /// other's (same before typo before unknown).
    fn run_verdict(&self, x: Side<'_>, u: &[u32], y: Side<'_>, v: &[u32]) -> Verdict {
        let mut best = Verdict::Unknown;
        for (a, ua, b, vb) in [(x, u, y, v), (y, v, x, u)] {
            let light: String = ua
                .iter()
                .map(|&k| a.words[k as usize].light.as_str())
                .collect();
            let one = if let [k] = ua {
                a.part(self, *k)
            } else {
                Part {
                    id: self.lookup(a.tag, &light),
                    light: &light,
                    count: ua
                        .iter()
                        .map(|&k| self.seen_of(Some(a.canon(k))))
                        .min()
                        .unwrap_or(0),
                    tag: a.tag,
                    hint: a.hint,
                    whole: false,
                }
            };
            let parts: Vec<Part<'_>> = vb.iter().map(|&k| b.part(self, k)).collect();
            match self.joined_verdict(one, &parts) {
                Verdict::Same => return Verdict::Same,
                Verdict::Typo => best = Verdict::Typo,
                _ => {}
            }
        }
        best
    }

    /// A word printed joined (`one`) against two or more words of the
    /// other form: as cut by [`Spellings::split_verdict`]; or a typo when
    /// `one` is a whole word, rare beside a common word one edit away that
    /// cuts into parts established with those words.
    fn joined_verdict(&self, one: Part<'_>, parts: &[Part<'_>]) -> Verdict {
        let v = self.split_verdict(one, parts);
        if v != Verdict::Unknown || !one.whole {
            return v;
        }
        let typo = self.corrections_of(one).iter().any(|&c| {
            self.misspells(one, c) && self.split_verdict(self.whole(c), parts) == Verdict::Same
        });
        if typo {
            Verdict::Typo
        } else {
            Verdict::Unknown
        }
    }

    /// `one`'s printed letters cut into pieces, each against a run of
    /// `parts` (one word, or neighbours joined as a word seen elsewhere),
    /// in order: the same when every piece is established with its run,
    /// a typo when every piece but one is and that one is a typo of it.
    fn split_verdict(&self, one: Part<'_>, parts: &[Part<'_>]) -> Verdict {
        let mut best = Verdict::Unknown;
        for len in 1..=parts.len() {
            let joined: String;
            let run = if len == 1 {
                parts[0]
            } else {
                joined = parts[..len].iter().map(|p| p.light).collect();
                let Some(id) = self.lookup(one.tag, &joined) else {
                    continue;
                };
                Part {
                    id: Some(id),
                    light: &joined,
                    count: self.seen_of(Some(id)),
                    whole: false,
                    ..parts[0]
                }
            };
            let judge = |light: &str| {
                let id = self.lookup(one.tag, light);
                let piece = Part {
                    id,
                    light,
                    count: one.count.max(self.seen_of(id)),
                    whole: false,
                    ..one
                };
                self.word_verdict(piece, run, false)
            };
            if len == parts.len() {
                match judge(one.light) {
                    Verdict::Same => return Verdict::Same,
                    Verdict::Typo => best = Verdict::Typo,
                    _ => {}
                }
                continue;
            }
            for (k, _) in one.light.char_indices().skip(1) {
                let (l, r) = one.light.split_at(k);
                let vl = judge(l);
                if !matches!(vl, Verdict::Same | Verdict::Typo) {
                    continue;
                }
                let rest = Part {
                    id: self.lookup(one.tag, r),
                    light: r,
                    whole: false,
                    ..one
                };
                match (vl, self.split_verdict(rest, &parts[len..])) {
                    (Verdict::Same, Verdict::Same) => return Verdict::Same,
                    (Verdict::Same, Verdict::Typo) | (Verdict::Typo, Verdict::Same) => {
                        best = Verdict::Typo;
                    }
                    _ => {}
                }
            }
        }
        best
    }

    /// Whether a word seen `n` times is rare enough beside a word one edit
    /// away seen `common` times to be a typo of it: [`SHARE`] times rarer
    /// (`Some(true)`), or at most [`RARE`] times and [`RATIO`] times rarer
    /// (`Some(false)`: an English spelling variant is no typo).
    fn rarity(n: u32, common: u32) -> Option<bool> {
        if common < COMMON.max(RATIO.saturating_mul(n)) {
            None
        } else if u64::from(n) * u64::from(SHARE) <= u64::from(common) {
            Some(true)
        } else if n <= RARE {
            Some(false)
        } else {
            None
        }
    }

    /// Whether `t` is rare enough beside the word `c` one edit away to be
    /// a typo of it (see [`Spellings::rarity`]).
    fn misspells(&self, t: Part<'_>, c: u32) -> bool {
        self.entry(Some(c))
            .and_then(|e| Some((Self::rarity(t.count, e.seen)?, e)))
            .is_some_and(|(strong, e)| strong || !latin_variant(t, e))
    }

    /// Whether `t` is a typo of a common word one edit away that is
    /// established with `other`.
    fn typo_of(&self, t: Part<'_>, other: Part<'_>) -> bool {
        let Some(o) = other.id else {
            return false;
        };
        !t.light.is_empty()
            && self
                .corrections_of(t)
                .iter()
                .any(|&c| self.misspells(t, c) && self.established(c, o))
    }

    /// The seen words one edit from `t` (cached for a whole word).
    fn corrections_of(&self, t: Part<'_>) -> std::borrow::Cow<'_, [u32]> {
        match t.id {
            Some(id) if t.whole => self
                .corrections
                .get(id as usize)
                .map_or(std::borrow::Cow::Owned(Vec::new()), |c| {
                    std::borrow::Cow::Borrowed(c.as_slice())
                }),
            _ => std::borrow::Cow::Owned(self.one_edit_words(t.tag, t.light, t.id)),
        }
    }

    /// The canonical ids of the seen words one edit from the printed word
    /// `light` (common words only for an added or changed character),
    /// other than `me`, in a fixed order without repeats.
    fn one_edit_words(&self, tag: &str, light: &str, me: Option<u32>) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let mut add = |c: u32| {
            if Some(c) != me && !out.contains(&c) {
                out.push(c);
            }
        };
        let chars: Vec<char> = light.chars().collect();
        let mut buf = String::with_capacity(tag.len() + light.len() + 4);
        for i in 0..chars.len() {
            // A character too many.
            buf.clear();
            buf.push_str(tag);
            buf.extend(chars[..i].iter().chain(&chars[i + 1..]));
            if let Some(&c) = self.lights.get(buf.as_str()) {
                add(c);
            }
            // A changed character: both words without it agree.
            if let Some(list) = self.near.get(buf.as_str()) {
                for (c, l) in list {
                    if changed_one(&chars, l) {
                        add(*c);
                    }
                }
            }
            // Two neighbours swapped.
            if i + 1 < chars.len() && chars[i] != chars[i + 1] {
                buf.clear();
                buf.push_str(tag);
                buf.extend(&chars[..i]);
                buf.push(chars[i + 1]);
                buf.push(chars[i]);
                buf.extend(&chars[i + 2..]);
                if let Some(&c) = self.lights.get(buf.as_str()) {
                    add(c);
                }
            }
        }
        // A character missing.
        buf.clear();
        buf.push_str(tag);
        buf.push_str(light);
        if let Some(list) = self.near.get(buf.as_str()) {
            for (c, _) in list {
                add(*c);
            }
        }
        out
    }
}

/// Whether the English word `t` keys like the word `e` without doubling a
/// letter or undoing a double: a spelling variant rather than a typo.
fn latin_variant(t: Part<'_>, e: &Entry) -> bool {
    t.light.is_ascii()
        && phonetic_key_in(t.light, t.hint) == e.key
        && !doubles(t.light, &e.light)
        && !doubles(&e.light, t.light)
}

/// Whether `long` is `short` with one character written twice in a row.
fn doubles(long: &str, short: &str) -> bool {
    let (l, s): (Vec<char>, Vec<char>) = (long.chars().collect(), short.chars().collect());
    if l.len() != s.len() + 1 {
        return false;
    }
    let at = l.iter().zip(&s).take_while(|(a, b)| a == b).count();
    l[at + 1..] == s[at..]
        && (l.get(at + 1) == Some(&l[at]) || at > 0 && l.get(at - 1) == Some(&l[at]))
}

/// Whether `b` is `a` with one character changed.
fn changed_one(a: &[char], b: &str) -> bool {
    let b: Vec<char> = b.chars().collect();
    a.len() == b.len() && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

/// One side of a comparison: a printed name's words.
#[derive(Clone, Copy)]
struct Side<'a> {
    words: &'a [Word],
    canon_of: &'a [u32],
    name: &'a [u32],
    tag: &'a str,
    hint: Option<Lang>,
}

impl<'a> Side<'a> {
    fn canon(&self, k: u32) -> u32 {
        self.canon_of.get(k as usize).copied().unwrap_or(u32::MAX)
    }

    fn part(&self, s: &Spellings, k: u32) -> Part<'a> {
        let id = self.canon(k);
        Part {
            id: Some(id),
            light: self.words.get(k as usize).map_or("", |w| w.light.as_str()),
            count: s.seen_of(Some(id)),
            tag: self.tag,
            hint: self.hint,
            whole: s.entry(Some(id)).is_some_and(|e| {
                self.words
                    .get(k as usize)
                    .is_some_and(|w| w.light == e.light)
            }),
        }
    }
}

/// A word, or a piece of a joined word, to judge: its canonical id if seen
/// as a word, its printed letters, how often the word printed is seen (for
/// a piece, at least as often as the joined word), its language, and
/// whether it is a seen word as first printed (its corrections cached).
#[derive(Clone, Copy)]
struct Part<'a> {
    id: Option<u32>,
    light: &'a str,
    count: u32,
    tag: &'a str,
    hint: Option<Lang>,
    whole: bool,
}

/// Matches the words of two printed names (`x` and `y`: indices into
/// `words`): honorifics among themselves, greedily by phonetic score; name
/// words either so (when both have as many) or, when their numbers differ
/// or one against one leaves a pair below [`JOIN_BELOW`] while one word's
/// key starts another's, in printed order with a word printed joined on
/// one side against up to [`MAX_JOINED`] neighbours of the other,
/// whichever loses less phonetic score.
fn align(words: &[Word], x: &[u32], y: &[u32], hint: Option<Lang>) -> Alignment {
    let honorific = |k: &u32| words[*k as usize].honorific;
    let key = |k: u32| words[k as usize].key.as_str();
    let mut out = Alignment::default();
    if x.iter().any(honorific) && y.iter().any(honorific) {
        let hx: Vec<u32> = x.iter().copied().filter(honorific).collect();
        let hy: Vec<u32> = y.iter().copied().filter(honorific).collect();
        let (pairs, _, _) = greedy(hx.len(), hy.len(), |i, j| {
            key_similarity(key(hx[i]), key(hy[j]))
        });
        out.honorifics = pairs.into_iter().map(|(i, j)| (hx[i], hy[j])).collect();
    }
    let named = |k: &u32| !honorific(k);
    let xs: Vec<u32> = x.iter().copied().filter(named).collect();
    let ys: Vec<u32> = y.iter().copied().filter(named).collect();
    if xs.is_empty() || ys.is_empty() {
        return out;
    }
    let mut loss = f64::INFINITY;
    let mut weakest = 0.0;
    if xs.len() == ys.len() {
        let (pairs, score, low) = greedy(xs.len(), ys.len(), |i, j| {
            key_similarity(key(xs[i]), key(ys[j]))
        });
        weakest = low;
        loss = pairs.len() as f64 - score;
        out.singles = pairs.into_iter().map(|(i, j)| (xs[i], ys[j])).collect();
        out.complete = true;
    }
    // A word printed joined keys like its neighbours' keys run together:
    // one key starts another.
    let nested = || {
        xs.iter().any(|&i| {
            ys.iter().any(|&j| {
                let (a, b) = (key(i), key(j));
                a.len() != b.len() && (a.starts_with(b) || b.starts_with(a))
            })
        })
    };
    if (xs.len() != ys.len() || weakest < JOIN_BELOW && nested())
        && let Some((l, units)) = in_order(words, &xs, &ys, hint)
        && l < loss - 1e-9
    {
        out.singles.clear();
        for (rx, ry) in units {
            if rx.len() == 1 && ry.len() == 1 {
                out.singles.push((xs[rx.start], ys[ry.start]));
            } else {
                out.runs.push((xs[rx].to_vec(), ys[ry].to_vec()));
            }
        }
        out.complete = true;
    }
    out
}

/// Ranges of positions in two word lists aligned as units.
type Units = Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>;

/// The best alignment of the name words `xs` and `ys` in printed order,
/// one word against one, one against two or more neighbours printed apart
/// on the other side, or two against two cut elsewhere: the units and the
/// phonetic score they lose (one minus each unit's [`key_similarity`], and
/// a little for each join), `None` when there is none.
fn in_order(words: &[Word], xs: &[u32], ys: &[u32], hint: Option<Lang>) -> Option<(f64, Units)> {
    let (m, n) = (xs.len(), ys.len());
    // Keys of runs of neighbours, joined.
    let runs = |ix: &[u32]| -> Vec<Vec<String>> {
        (0..ix.len())
            .map(|i| {
                (1..=MAX_JOINED.min(ix.len() - i))
                    .map(|len| {
                        if len == 1 {
                            words[ix[i] as usize].key.clone()
                        } else {
                            let text: String = ix[i..i + len]
                                .iter()
                                .map(|&k| words[k as usize].text.as_str())
                                .collect();
                            phonetic_key_in(&text, hint)
                        }
                    })
                    .collect()
            })
            .collect()
    };
    let (rx, ry) = (runs(xs), runs(ys));
    // loss[i][j]: least loss aligning xs[..i] with ys[..j]; from[i][j]: the
    // last unit's lengths.
    let mut loss = vec![vec![f64::INFINITY; n + 1]; m + 1];
    let mut from = vec![vec![(0usize, 0usize); n + 1]; m + 1];
    loss[0][0] = 0.0;
    let steps: Vec<(usize, usize)> = [(1, 1), (2, 2)]
        .into_iter()
        .chain((2..=MAX_JOINED).flat_map(|k| [(1, k), (k, 1)]))
        .collect();
    for i in 0..=m {
        for j in 0..=n {
            let here = loss[i][j];
            if !here.is_finite() {
                continue;
            }
            for &(a, b) in &steps {
                if i + a > m || j + b > n {
                    continue;
                }
                // A join costs a little, so that one word against one wins
                // a tie; two against two cut elsewhere (a rare misprint)
                // must save half a word's score.
                let join = if a == b && a > 1 {
                    0.5
                } else {
                    (a + b - 2) as f64 * 1e-3
                };
                let l = here + 1.0 - key_similarity(&rx[i][a - 1], &ry[j][b - 1]) + join;
                if l < loss[i + a][j + b] {
                    loss[i + a][j + b] = l;
                    from[i + a][j + b] = (a, b);
                }
            }
        }
    }
    if !loss[m][n].is_finite() {
        return None;
    }
    let mut units = Vec::new();
    let (mut i, mut j) = (m, n);
    while i > 0 || j > 0 {
        let (a, b) = from[i][j];
        if a == 0 || b == 0 {
            return None;
        }
        units.push((i - a..i, j - b..j));
        i -= a;
        j -= b;
    }
    units.reverse();
    Some((loss[m][n], units))
}

/// Greedy one-to-one matching of `n` items with `m` by `score`, best pairs
/// first (ties by position): the pairs, their total score and the lowest.
fn greedy(
    n: usize,
    m: usize,
    score: impl Fn(usize, usize) -> f64,
) -> (Vec<(usize, usize)>, f64, f64) {
    let mut scores: Vec<(f64, usize, usize)> = Vec::with_capacity(n * m);
    for i in 0..n {
        for j in 0..m {
            scores.push((score(i, j), i, j));
        }
    }
    scores.sort_by(|p, q| q.0.total_cmp(&p.0).then((p.1, p.2).cmp(&(q.1, q.2))));
    // Names have a handful of words: a bit per word.
    let (mut used_a, mut used_b) = (0u128, 0u128);
    let bit = |i: usize| {
        1u128
            .checked_shl(u32::try_from(i).unwrap_or(u32::MAX))
            .unwrap_or(0)
    };
    let mut pairs = Vec::with_capacity(n.min(m));
    let (mut total, mut low) = (0.0, 1.0_f64);
    for (s, i, j) in scores {
        if used_a & bit(i) != 0 || used_b & bit(j) != 0 || pairs.len() == n.min(m) {
            continue;
        }
        used_a |= bit(i);
        used_b |= bit(j);
        total += s;
        low = low.min(s);
        pairs.push((i, j));
    }
    (pairs, total, low)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, hint: Option<Lang>) -> Word {
        word_of(text, hint, &|w: &str| w.to_string()).expect("a word")
    }

    #[test]
    fn words_as_printed() {
        let raw: Vec<&str> = raw_words("K.Letchumi  Late కీ.శే. ராஜா").collect();
        assert_eq!(raw, ["K", "Letchumi", "Late", "కీ.శే.", "ராஜா"]);
        assert!(word_of("K", None, &|w: &str| w.to_string()).is_none());
        assert!(word("Late", None).honorific);
        assert!(!word("SK", None).honorific);
        let raja = word("ராஜா", Some(Lang::Tamil));
        assert_eq!(raja.text, "ராஜா");
        assert_eq!(raja.key, phonetic_key_in("Raja", Some(Lang::Tamil)));
    }

    #[test]
    fn doubled_letters() {
        assert!(doubles("ssingh", "singh"));
        assert!(doubles("raoo", "rao"));
        assert!(doubles("meena", "mena"));
        assert!(!doubles("sayra", "saira"));
        assert!(!doubles("shivkumar", "sivkumar"));
        assert!(!doubles("singh", "ssingh"));
    }

    #[test]
    fn joined_words_align_with_their_parts() {
        let hint = Some(Lang::Gujarati);
        let words: Vec<Word> = [
            "rameshbhai",
            "mahesh",
            "bhai",
            "shah",
            "ramesh",
            "maheshbhai",
        ]
        .into_iter()
        .map(|w| word(w, hint))
        .collect();
        // Rameshbhai Mahesh Bhai Shah ~ Ramesh Bhai Maheshbhai Shah: as many
        // words, joined in other places.
        let a = align(&words, &[0, 1, 2, 3], &[4, 2, 5, 3], hint);
        assert!(a.complete);
        assert_eq!(a.singles, [(3, 3)]);
        assert_eq!(a.runs, [(vec![0], vec![4, 2]), (vec![1, 2], vec![5])]);
        // Word for word when the words agree.
        let b = align(&words, &[4, 3], &[4, 3], hint);
        assert_eq!(b.singles, [(4, 4), (3, 3)]);
        assert!(b.runs.is_empty());
    }
}
