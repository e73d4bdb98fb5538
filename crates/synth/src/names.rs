//! Name pools per language, naming conventions, and rendering of a name in
//! the native script or in English with realistic spelling variation.

use std::sync::OnceLock;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::SynthError;

/// A language (and so a script and a state) of a synthetic roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Hindi in Devanagari; Uttar Pradesh conventions (Devi, Kumar, Kumari).
    Hindi,
    /// Marathi in Devanagari; Maharashtra writes surname first.
    Marathi,
    /// Bengali; West Bengal.
    Bengali,
    /// Assamese in the Bengali-Assamese script (with ৰ and ৱ); Assam.
    Assamese,
    /// Punjabi in Gurmukhi; Singh and Kaur.
    Punjabi,
    /// Gujarati; given name, father's or husband's name, surname.
    Gujarati,
    /// Odia; Odisha.
    Odia,
    /// Tamil; given name only, English forms with initials.
    Tamil,
    /// Telugu; house name first.
    Telugu,
    /// Kannada; Karnataka.
    Kannada,
    /// Malayalam; Kerala (chillu letters in two encodings).
    Malayalam,
}

impl Language {
    /// Every language, in a fixed order.
    pub const ALL: [Language; 11] = [
        Language::Hindi,
        Language::Marathi,
        Language::Bengali,
        Language::Assamese,
        Language::Punjabi,
        Language::Gujarati,
        Language::Odia,
        Language::Tamil,
        Language::Telugu,
        Language::Kannada,
        Language::Malayalam,
    ];

    /// Lower-case name, as accepted by [`Language::parse`].
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Hindi => "hindi",
            Language::Marathi => "marathi",
            Language::Bengali => "bengali",
            Language::Assamese => "assamese",
            Language::Punjabi => "punjabi",
            Language::Gujarati => "gujarati",
            Language::Odia => "odia",
            Language::Tamil => "tamil",
            Language::Telugu => "telugu",
            Language::Kannada => "kannada",
            Language::Malayalam => "malayalam",
        }
    }

    /// Parses a language name (`hindi`, `tamil`, ...; `gurmukhi` for
    /// Punjabi) or its ISO 639-1 code (`hi`, `ta`, ...).
    pub fn parse(text: &str) -> Result<Language, SynthError> {
        let t = text.trim().to_ascii_lowercase();
        let lang = match t.as_str() {
            "hindi" | "hi" => Language::Hindi,
            "marathi" | "mr" => Language::Marathi,
            "bengali" | "bangla" | "bn" => Language::Bengali,
            "assamese" | "as" => Language::Assamese,
            "punjabi" | "gurmukhi" | "pa" => Language::Punjabi,
            "gujarati" | "gu" => Language::Gujarati,
            "odia" | "oriya" | "or" => Language::Odia,
            "tamil" | "ta" => Language::Tamil,
            "telugu" | "te" => Language::Telugu,
            "kannada" | "kn" => Language::Kannada,
            "malayalam" | "ml" => Language::Malayalam,
            _ => {
                return Err(SynthError::Config(format!(
                    "unknown language {text:?} (expected one of {})",
                    Language::ALL.map(Language::as_str).join(", ")
                )));
            }
        };
        Ok(lang)
    }

    /// The EC state code of the state whose roll this language stands for.
    pub fn state_code(self) -> &'static str {
        match self {
            Language::Hindi => "S24",
            Language::Marathi => "S13",
            Language::Bengali => "S25",
            Language::Assamese => "S03",
            Language::Punjabi => "S19",
            Language::Gujarati => "S06",
            Language::Odia => "S18",
            Language::Tamil => "S22",
            Language::Telugu => "S29",
            Language::Kannada => "S10",
            Language::Malayalam => "S11",
        }
    }

    /// The two-letter state abbreviation used in old-form EPIC numbers.
    pub(crate) fn state_abbrev(self) -> &'static str {
        match self {
            Language::Hindi => "UP",
            Language::Marathi => "MT",
            Language::Bengali => "WB",
            Language::Assamese => "AS",
            Language::Punjabi => "PB",
            Language::Gujarati => "GJ",
            Language::Odia => "OR",
            Language::Tamil => "TN",
            Language::Telugu => "AP",
            Language::Kannada => "KA",
            Language::Malayalam => "KL",
        }
    }

    /// The zero digit of the language's script (Indic digits in house numbers).
    pub(crate) fn digit_zero(self) -> u32 {
        match self {
            Language::Hindi | Language::Marathi => 0x0966,
            Language::Bengali | Language::Assamese => 0x09E6,
            Language::Punjabi => 0x0A66,
            Language::Gujarati => 0x0AE6,
            Language::Odia => 0x0B66,
            Language::Tamil => 0x0BE6,
            Language::Telugu => 0x0C66,
            Language::Kannada => 0x0CE6,
            Language::Malayalam => 0x0D66,
        }
    }

    fn data(self) -> &'static str {
        match self {
            Language::Hindi => include_str!("../data/hi.names"),
            Language::Marathi => include_str!("../data/mr.names"),
            Language::Bengali => include_str!("../data/bn.names"),
            Language::Assamese => include_str!("../data/as.names"),
            Language::Punjabi => include_str!("../data/pa.names"),
            Language::Gujarati => include_str!("../data/gu.names"),
            Language::Odia => include_str!("../data/or.names"),
            Language::Tamil => include_str!("../data/ta.names"),
            Language::Telugu => include_str!("../data/te.names"),
            Language::Kannada => include_str!("../data/kn.names"),
            Language::Malayalam => include_str!("../data/ml.names"),
        }
    }

    /// How the language's rolls write a name.
    pub(crate) fn convention(self) -> Convention {
        match self {
            Language::Hindi => Convention::GivenSurname {
                female_marker: 0.45,
                male_marker: 0.2,
                unmarried_marker: 0.25,
            },
            Language::Bengali | Language::Assamese => Convention::GivenSurname {
                female_marker: 0.1,
                male_marker: 0.0,
                unmarried_marker: 0.0,
            },
            Language::Odia => Convention::GivenSurname {
                female_marker: 0.15,
                male_marker: 0.0,
                unmarried_marker: 0.0,
            },
            Language::Kannada | Language::Malayalam => Convention::GivenSurname {
                female_marker: 0.0,
                male_marker: 0.0,
                unmarried_marker: 0.0,
            },
            Language::Marathi => Convention::SurnameGivenMiddle,
            Language::Gujarati => Convention::GivenMiddleSurname,
            Language::Punjabi => Convention::Sikh,
            Language::Tamil => Convention::Initial,
            Language::Telugu => Convention::SurnameGiven,
        }
    }

    /// Share of Muslim households, when the pools have Muslim names.
    fn muslim_share(self) -> f64 {
        match self {
            Language::Hindi => 0.15,
            Language::Bengali => 0.25,
            Language::Assamese => 0.3,
            Language::Malayalam => 0.25,
            _ => 0.0,
        }
    }
}

/// Name-order conventions by region.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Convention {
    /// Given name then family name; markers replace or follow (Devi, Kumar,
    /// Kumari) with the given probabilities.
    GivenSurname {
        female_marker: f64,
        male_marker: f64,
        unmarried_marker: f64,
    },
    /// Maharashtra: surname, given name, father's (husband's) given name.
    SurnameGivenMiddle,
    /// Gujarat: given name, father's (husband's) given name, surname.
    GivenMiddleSurname,
    /// Punjab: given name, Singh or Kaur, and a clan name half the time.
    Sikh,
    /// Tamil Nadu: given name; the father's (husband's) initial in English.
    Initial,
    /// Telugu states: house name first, then given name.
    SurnameGiven,
}

/// One pool entry: native spellings and English spellings, canonical first.
#[derive(Debug)]
pub(crate) struct TokEntry {
    pub native: Vec<String>,
    pub en: Vec<&'static str>,
}

/// The shift `q` of the Zipf-Mandelbrot weight `1 / (rank + q)`: the
/// commonest name of a pool of 20-40 gets about 10-12% of draws rather
/// than the 24-28% of plain `1 / rank`, which in pools this small made the
/// top names saturate large ACs with people no roll could tell apart.
const ZIPF_SHIFT: f64 = 4.0;

/// A Zipf-Mandelbrot-weighted list of token ids.
#[derive(Debug, Default)]
pub(crate) struct Zipf {
    items: Vec<u32>,
    cum: Vec<f64>,
}

impl Zipf {
    fn push(&mut self, id: u32) {
        let rank = self.items.len() as f64 + 1.0;
        let last = self.cum.last().copied().unwrap_or(0.0);
        self.items.push(id);
        self.cum.push(last + 1.0 / (rank + ZIPF_SHIFT));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Draws one id with equal weights (re-draws that must find a free
    /// name); `None` when the pool is empty.
    pub fn uniform(&self, rng: &mut ChaCha8Rng) -> Option<u32> {
        if self.items.is_empty() {
            return None;
        }
        self.items
            .get(rng.random_range(0..self.items.len()))
            .copied()
    }

    /// Draws one id; `None` when the pool is empty.
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> Option<u32> {
        let total = *self.cum.last()?;
        let u = rng.random::<f64>() * total;
        // The entries up to `u`: where `partition_point` stops, the sums
        // being increasing, without its chain of dependent steps.
        let i = self.cum.iter().map(|&c| usize::from(c <= u)).sum::<usize>();
        self.items.get(i.min(self.items.len() - 1)).copied()
    }
}

/// The pools of one language.
#[derive(Debug, Default)]
pub(crate) struct LangPool {
    pub male: Zipf,
    pub female: Zipf,
    pub surname: Zipf,
    pub m_male: Zipf,
    pub m_female: Zipf,
    pub m_surname: Zipf,
    pub m_prefix: Zipf,
    pub m_female_marker: Zipf,
    pub male_marker: Option<u32>,
    pub female_marker: Option<u32>,
    pub unmarried_marker: Option<u32>,
    pub late: Option<u32>,
}

/// Every pool of every language, parsed once.
#[derive(Debug)]
pub(crate) struct Pools {
    pub toks: Vec<TokEntry>,
    /// Per token: a marker or honorific (Devi, Kumar, Kaur, Begum, Md,
    /// Late), not part of a name's core; also a Muhammad drawn as a given
    /// name (Malayalam മുഹമ്മദ്), which a reader of the roll, and
    /// rollrec-names, takes for the particle: Faisal Muhammad Koya and
    /// Faisal Koya of one father and age are one person to them.
    marker: Vec<bool>,
    /// Per token: a family name.
    family_name: Vec<bool>,
    langs: Vec<LangPool>,
}

static POOLS: OnceLock<Result<Pools, String>> = OnceLock::new();

impl Pools {
    /// The parsed pools (parsed on first use).
    pub fn get() -> Result<&'static Pools, SynthError> {
        POOLS
            .get_or_init(Pools::parse)
            .as_ref()
            .map_err(|e| SynthError::Config(format!("name pool data: {e}")))
    }

    fn parse() -> Result<Pools, String> {
        let mut toks = Vec::new();
        let mut marker = Vec::new();
        let mut family_name = Vec::new();
        let mut langs = Vec::new();
        for lang in Language::ALL {
            let mut pool = LangPool::default();
            for (n, line) in lang.data().lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut parts = line.split(';');
                let (Some(kind), Some(native), Some(en), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(format!(
                        "{}: line {}: expected kind;native;english",
                        lang.as_str(),
                        n + 1
                    ));
                };
                let id = u32::try_from(toks.len()).map_err(|_| "too many names".to_string())?;
                toks.push(TokEntry {
                    native: native
                        .split('|')
                        .map(|s| s.replace("{zwj}", "\u{200d}"))
                        .collect(),
                    en: en.split('|').collect(),
                });
                let particle = en.split('|').any(is_muhammad);
                marker.push(particle || matches!(kind, "mp" | "mfm" | "mk" | "fm" | "um" | "late"));
                family_name.push(matches!(kind, "s" | "ms"));
                match kind {
                    "m" => pool.male.push(id),
                    "f" => pool.female.push(id),
                    "s" => pool.surname.push(id),
                    "mm" => pool.m_male.push(id),
                    "mf" => pool.m_female.push(id),
                    "ms" => pool.m_surname.push(id),
                    "mp" => pool.m_prefix.push(id),
                    "mfm" => pool.m_female_marker.push(id),
                    "mk" => pool.male_marker = Some(id),
                    "fm" => pool.female_marker = Some(id),
                    "um" => pool.unmarried_marker = Some(id),
                    "late" => pool.late = Some(id),
                    other => {
                        return Err(format!(
                            "{}: line {}: unknown kind {other:?}",
                            lang.as_str(),
                            n + 1
                        ));
                    }
                }
            }
            if pool.male.is_empty() || pool.female.is_empty() {
                return Err(format!("{}: no given names", lang.as_str()));
            }
            langs.push(pool);
        }
        Ok(Pools {
            toks,
            marker,
            family_name,
            langs,
        })
    }

    pub fn lang(&self, lang: Language) -> &LangPool {
        // `langs` is filled in the order of `Language::ALL`, which is the
        // declaration order of the enum.
        &self.langs[lang as usize]
    }

    pub fn tok(&self, id: u32) -> &TokEntry {
        &self.toks[id as usize]
    }

    /// Whether a token is a marker or honorific rather than a name.
    pub fn is_marker(&self, id: u32) -> bool {
        self.marker.get(id as usize).copied().unwrap_or(false)
    }
}

/// Whether an English spelling is one of Muhammad's, the particle (Md).
fn is_muhammad(en: &str) -> bool {
    matches!(
        en.to_ascii_lowercase().as_str(),
        "md" | "mohd" | "mohammad" | "mohammed" | "muhammad" | "muhammed" | "mohamed" | "mohamad"
    )
}

/// The family a person belongs to: how their names are drawn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Family {
    pub lang: Language,
    pub muslim: bool,
    /// Family name token, if the convention uses one.
    pub surname: Option<u32>,
}

impl Family {
    pub fn draw(lang: Language, pools: &Pools, rng: &mut ChaCha8Rng) -> Family {
        let p = pools.lang(lang);
        let muslim = !p.m_male.is_empty() && rng.random_bool(lang.muslim_share());
        let surname = if muslim && !p.m_surname.is_empty() {
            p.m_surname.sample(rng)
        } else {
            p.surname.sample(rng)
        };
        Family {
            lang,
            muslim,
            surname,
        }
    }

    /// A given name for a person of this family other than those in
    /// `avoid` (the names already given in the household): drawn by
    /// frequency, and if that keeps hitting `avoid`, the next free name of
    /// the pool. Only a pool with no free name left returns one of `avoid`.
    pub fn given_except(
        &self,
        pools: &Pools,
        female: bool,
        avoid: &[u32],
        rng: &mut ChaCha8Rng,
    ) -> u32 {
        for _ in 0..4 {
            let g = self.given(pools, female, rng);
            if !avoid.contains(&g) {
                return g;
            }
        }
        self.free_given(pools, female, avoid, rng)
    }

    /// A given name not in `avoid`, every free name equally likely (for
    /// re-drawing a name that collides); one of `avoid` only when the pool
    /// has no other.
    pub fn free_given(
        &self,
        pools: &Pools,
        female: bool,
        avoid: &[u32],
        rng: &mut ChaCha8Rng,
    ) -> u32 {
        let pool = self.pool(pools, female);
        let n = pool.items.len();
        let start = rng.random_range(0..n.max(1));
        pool.items[start..]
            .iter()
            .chain(&pool.items[..start])
            .copied()
            .find(|g| !avoid.contains(g))
            .or_else(|| pool.uniform(rng))
            .expect("the male and female pools are checked non-empty when parsed")
    }

    fn pool<'p>(&self, pools: &'p Pools, female: bool) -> &'p Zipf {
        let p = pools.lang(self.lang);
        match (self.muslim, female) {
            (true, false) if !p.m_male.is_empty() => &p.m_male,
            (true, true) if !p.m_female.is_empty() => &p.m_female,
            (_, false) => &p.male,
            (_, true) => &p.female,
        }
    }

    /// A given name for a person of this family.
    pub fn given(&self, pools: &Pools, female: bool, rng: &mut ChaCha8Rng) -> u32 {
        self.pool(pools, female)
            .sample(rng)
            .expect("the male and female pools are checked non-empty when parsed")
    }
}

/// Up to five name tokens plus which of them are shown only as an initial in
/// English and left out in the native script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Name {
    toks: [u32; 5],
    len: u8,
    initial_mask: u8,
}

impl Name {
    fn push(&mut self, tok: u32) {
        if (self.len as usize) < self.toks.len() {
            self.toks[self.len as usize] = tok;
            self.len += 1;
        }
    }

    fn push_initial(&mut self, tok: u32) {
        if (self.len as usize) < self.toks.len() {
            self.initial_mask |= 1 << self.len;
            self.push(tok);
        }
    }

    /// A key of the name's core: its tokens in order without markers,
    /// honorifics and initials (so "Sunita Devi", "Sunita" and "K. Sunita"
    /// have one key), and without the family name where the convention
    /// prints it only sometimes (`optional_family`: Punjab, where
    /// "Gurpreet Singh" and "Gurpreet Singh Sandhu" can be one man).
    /// Spelling does not enter: tokens are pool entries.
    pub fn core_key(&self, pools: &Pools, optional_family: bool) -> u64 {
        let mut h = 0x00C0_4E4Bu64;
        for i in 0..self.len as usize {
            let t = self.toks[i];
            if self.initial_mask & (1 << i) != 0
                || pools.is_marker(t)
                || (optional_family && pools.family_name.get(t as usize) == Some(&true))
            {
                continue;
            }
            // A multiply-xor step per token (the caller mixes the result).
            h = (h.rotate_left(5) ^ u64::from(t)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
        h
    }

    /// Whether the name has token `tok`.
    pub fn contains(&self, tok: u32) -> bool {
        self.toks[..self.len as usize].contains(&tok)
    }

    /// Inserts `tok` after the first full (not initial) occurrence of `at`,
    /// making a two-part given name ("Senthil Kumar", "Ram Prakash");
    /// nothing when `at` is absent or the name has no room.
    pub fn insert_after(&mut self, at: u32, tok: u32) {
        let len = self.len as usize;
        let Some(i) = (0..len).find(|&i| self.toks[i] == at && self.initial_mask & (1 << i) == 0)
        else {
            return;
        };
        if len >= self.toks.len() {
            return;
        }
        self.toks.copy_within(i + 1..len, i + 2);
        self.toks[i + 1] = tok;
        let low = self.initial_mask & ((1u8 << (i + 1)) - 1);
        let high = self.initial_mask & !((1u8 << (i + 1)) - 1);
        self.initial_mask = low | (high << 1);
        self.len += 1;
    }

    /// Replaces every occurrence of token `old` (a renamed person's given
    /// name, also printed in their relatives' names) with `new`.
    pub fn replace_token(&mut self, old: u32, new: u32) {
        for t in &mut self.toks[..self.len as usize] {
            if *t == old {
                *t = new;
            }
        }
    }

    /// Replaces the first token (the given name for most conventions) with
    /// another, for relative-name edits.
    pub fn with_given(mut self, given: u32, convention: Convention) -> Name {
        let at = match convention {
            Convention::SurnameGivenMiddle | Convention::SurnameGiven => 1,
            Convention::Initial => self.len.saturating_sub(1),
            _ => 0,
        } as usize;
        if at < self.len as usize {
            self.toks[at] = given;
        }
        self
    }

    /// Builds a name by the convention.
    ///
    /// `given` the person's given name, `middle` the father's or husband's
    /// given name (used by conventions that print it), `married` whether a
    /// woman is married.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        pools: &Pools,
        family: &Family,
        given: u32,
        middle: Option<u32>,
        female: bool,
        married: bool,
        rng: &mut ChaCha8Rng,
    ) -> Name {
        let p = pools.lang(family.lang);
        let mut n = Name::default();
        if family.muslim {
            if !female
                && rng.random_bool(0.3)
                && let Some(pre) = p.m_prefix.sample(rng)
            {
                n.push(pre);
            }
            n.push(given);
            if female
                && rng.random_bool(0.6)
                && let Some(m) = p.m_female_marker.sample(rng)
            {
                n.push(m);
                return n;
            }
            if let Some(s) = family.surname {
                n.push(s);
            }
            return n;
        }
        match family.lang.convention() {
            Convention::GivenSurname {
                female_marker,
                male_marker,
                unmarried_marker,
            } => {
                n.push(given);
                if female {
                    if married
                        && rng.random_bool(female_marker)
                        && let Some(m) = p.female_marker
                    {
                        n.push(m);
                        return n;
                    }
                    if !married
                        && rng.random_bool(unmarried_marker)
                        && let Some(m) = p.unmarried_marker
                    {
                        n.push(m);
                        return n;
                    }
                } else if rng.random_bool(male_marker)
                    && let Some(m) = p.male_marker
                {
                    n.push(m);
                    if rng.random_bool(0.5) {
                        return n;
                    }
                }
                if let Some(s) = family.surname {
                    n.push(s);
                }
            }
            Convention::SurnameGivenMiddle => {
                if let Some(s) = family.surname {
                    n.push(s);
                }
                n.push(given);
                if let Some(m) = middle {
                    n.push(m);
                }
            }
            Convention::GivenMiddleSurname => {
                n.push(given);
                if let Some(m) = middle {
                    n.push(m);
                }
                if let Some(s) = family.surname {
                    n.push(s);
                }
            }
            Convention::Sikh => {
                n.push(given);
                let marker = if female {
                    p.female_marker
                } else {
                    p.male_marker
                };
                if let Some(m) = marker {
                    n.push(m);
                }
                if rng.random_bool(0.5)
                    && let Some(s) = family.surname
                {
                    n.push(s);
                }
            }
            Convention::Initial => {
                if let Some(m) = middle
                    && rng.random_bool(0.7)
                {
                    n.push_initial(m);
                }
                n.push(given);
            }
            Convention::SurnameGiven => {
                if let Some(s) = family.surname {
                    if rng.random_bool(0.3) {
                        n.push_initial(s);
                    } else {
                        n.push(s);
                    }
                }
                n.push(given);
            }
        }
        n
    }

    /// Renders the name.
    #[cfg(test)]
    pub fn render(&self, pools: &Pools, style: Style) -> String {
        let mut out = String::with_capacity(32);
        self.render_into(pools, style, &mut out);
        out
    }

    /// Renders the name at the end of `out` (no allocation unless `out`
    /// grows or a non-ASCII English token is joined or capitalised).
    pub fn render_into(&self, pools: &Pools, style: Style, out: &mut String) {
        let start = out.len();
        let last = self.len as usize;
        for i in 0..last {
            let tok = pools.tok(self.toks[i]);
            let initial = self.initial_mask & (1 << i) != 0;
            let h = mix(style.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let text: &str = match style.script {
                Script::Native => {
                    if initial {
                        continue;
                    }
                    pick(&tok.native, h, style.variant).as_str()
                }
                Script::English => {
                    let t = *pick(&tok.en, h, style.variant);
                    if initial {
                        let first = t.chars().next().unwrap_or('X');
                        if out.len() > start {
                            out.push(' ');
                        }
                        out.push(first);
                        out.push('.');
                        continue;
                    }
                    t
                }
            };
            if out.len() > start {
                // Joined tokens ("Sunitadevi", "मोहनसिंह") as a spacing variant.
                let join = i + 1 == last && style.join;
                if !join {
                    out.push(' ');
                }
            }
            let joined = i + 1 == last && style.join && i > 0;
            if joined && style.script == Script::English {
                // "Sunita Devi" -> "Sunitadevi".
                if text.is_ascii() {
                    let at = out.len();
                    out.push_str(text);
                    out[at..].make_ascii_lowercase();
                } else {
                    out.push_str(&text.to_lowercase());
                }
            } else {
                out.push_str(text);
            }
        }
        if style.upper {
            upper_from(out, start);
        }
    }
}

/// Upper-cases `out[start..]` in place (ASCII) or by `str::to_uppercase`.
pub(crate) fn upper_from(out: &mut String, start: usize) {
    if out[start..].is_ascii() {
        out[start..].make_ascii_uppercase();
    } else {
        let up = out[start..].to_uppercase();
        out.truncate(start);
        out.push_str(&up);
    }
}

fn pick<T>(variants: &[T], h: u64, prob: f64) -> &T {
    if variants.len() > 1 && ((h & 0xFFFF) as f64) < prob * 65536.0 {
        let k = 1 + ((h >> 16) as usize) % (variants.len() - 1);
        &variants[k]
    } else {
        &variants[0]
    }
}

/// Which script a name is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Native,
    English,
}

/// How one roll renders one person's name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub script: Script,
    /// Per-person, per-roll seed choosing spelling variants.
    pub seed: u64,
    /// Probability that a token with variants prints a non-canonical one.
    pub variant: f64,
    /// Join the last two tokens without a space.
    pub join: bool,
    /// Upper-case (English rolls are often printed in capitals).
    pub upper: bool,
}

/// A 64-bit mixer (SplitMix64 finaliser).
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A typo: one character deleted, doubled, or two neighbours swapped.
/// Always returns text different from `s` when `s` has two or more
/// characters.
pub(crate) fn typo(s: &str, rng: &mut ChaCha8Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| !chars[i].is_whitespace() && chars[i] != '.')
        .collect();
    if letters.len() < 2 {
        return format!("{s}{s}");
    }
    for _ in 0..4 {
        let at = letters[rng.random_range(0..letters.len())];
        let mut c = chars.clone();
        match rng.random_range(0..3u32) {
            0 if letters.len() > 3 => {
                c.remove(at);
            }
            1 if at + 1 < c.len() && !c[at + 1].is_whitespace() => c.swap(at, at + 1),
            _ => c.insert(at, chars[at]),
        }
        let out: String = c.into_iter().collect();
        if out != s {
            return out;
        }
    }
    let mut out = s.to_string();
    out.insert(0, chars[letters[0]]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn pools_parse_and_cover_every_language() {
        let pools = Pools::get().expect("pool data parses");
        for lang in Language::ALL {
            let p = pools.lang(lang);
            assert!(!p.male.is_empty() && !p.female.is_empty(), "{lang:?}");
            assert_eq!(Language::parse(lang.as_str()).expect("round trip"), lang);
        }
    }

    #[test]
    fn languages_index_their_pools() {
        // `Pools::lang` indexes by declaration order.
        for (i, lang) in Language::ALL.iter().enumerate() {
            assert_eq!(*lang as usize, i);
        }
    }

    #[test]
    fn zipf_prefers_the_first_entries() {
        let pools = Pools::get().expect("pool data parses");
        let p = pools.lang(Language::Hindi);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let first = p.male.items[0];
        let hits = (0..10_000)
            .filter(|_| p.male.sample(&mut rng) == Some(first))
            .count();
        let last = *p.male.items.last().expect("non-empty");
        let last_hits = (0..10_000)
            .filter(|_| p.male.sample(&mut rng) == Some(last))
            .count();
        // Weights 1/(rank + 4) over 40 names sum to about 2.29: the first
        // gets 0.2 / 2.29, about 8.7%; the last 1/44 / 2.29, about 1.0%.
        assert!((700..1_050).contains(&hits), "{hits}");
        assert!((55..150).contains(&last_hits), "{last_hits}");
        assert!(hits > 5 * last_hits);
    }

    #[test]
    fn typo_changes_text() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for s in ["Ram", "सुनीता देवी", "ab", "Lakshmi"] {
            for _ in 0..50 {
                assert_ne!(typo(s, &mut rng), s);
            }
        }
    }

    #[test]
    fn tamil_initials_show_only_in_english() {
        let pools = Pools::get().expect("pool data parses");
        let p = pools.lang(Language::Tamil);
        let mut n = Name::default();
        n.push_initial(p.male.items[8]);
        n.push(p.male.items[1]);
        let style = Style {
            script: Script::English,
            seed: 0,
            variant: 0.0,
            join: false,
            upper: false,
        };
        assert_eq!(n.render(pools, style), "R. Senthil");
        let native = Style {
            script: Script::Native,
            ..style
        };
        assert_eq!(n.render(pools, native), "செந்தில்");
    }
}
