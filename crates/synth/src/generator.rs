//! The generator: plans ACs, parts, sections, wards and local bodies, then
//! generates one AC at a time (parts in parallel), assembles the SEC roll
//! by ward and writes rows and truth as it goes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
#[cfg(test)]
use rollrec_model::{AssemblyLocation, Elector, LocalBodyLocation, Location, RollKind};
use rollrec_model::{Epic, EpicForm, Gender, RelationType};

use crate::SynthError;
use crate::config::{Scenario, SynthConfig};
use crate::date::Date;
use crate::names::{
    Convention, Family, Language, Name, Pools, Script, Style, mix, typo, upper_from,
};
use crate::output::{Stage, StageSink};
use crate::truth::TruthKind;
use rollrec_model::DiscrepancyKind;

/// Stride of EPIC serials per part: persons, extras and copies of a part
/// get distinct numbers below it.
const EPIC_STRIDE: u64 = 8192;
const EXTRA_BASE: u32 = 4096;
const COPY_BASE: u32 = 6144;

/// A deterministic RNG for one unit of work.
pub(crate) fn rng_for(seed: u64, a: u64, b: u64, c: u64) -> ChaCha8Rng {
    let s = mix(mix(mix(seed ^ 0x5EED) ^ a) ^ b.wrapping_mul(0x1000_0000_01B3)) ^ c;
    ChaCha8Rng::seed_from_u64(mix(s))
}

// ---------------------------------------------------------------- plan

#[derive(Debug)]
pub(crate) struct Ward {
    pub local_body: String,
    pub ward_no: u32,
    pub lb: u32,
}

#[derive(Debug)]
pub(crate) struct PartPlan {
    pub part_no: u32,
    pub sections: Vec<u32>,
    /// Ward index of each section.
    pub section_ward: Vec<u32>,
}

#[derive(Debug)]
pub(crate) struct AcPlan {
    pub ac_no: u32,
    pub lang: Language,
    /// Bilingual scenario: the EC roll is native (SEC English) when true.
    pub ec_native: bool,
    /// English SEC names printed in capitals.
    pub sec_upper: bool,
    pub parts: Vec<PartPlan>,
    pub wards: Vec<Ward>,
    /// Ward index range of each local body.
    pub lb_wards: Vec<(u32, u32)>,
}

/// Splits the electors into AC sizes.
pub(crate) fn ac_sizes(cfg: &SynthConfig) -> Vec<u64> {
    let n = cfg.electors;
    if n == 0 {
        return Vec::new();
    }
    let target = match cfg.ac_size {
        Some(s) => u64::from(s),
        None => (n / cfg.languages.len() as u64).clamp(2_000, 250_000),
    };
    let mut rng = rng_for(cfg.seed, 0xAC, 0, 0);
    let mut sizes = Vec::new();
    let mut left = n;
    while left > 0 {
        let lo = (target * 4 / 5).max(1);
        let hi = (target * 6 / 5).max(lo);
        let s = rng.random_range(lo..=hi);
        if left <= s || left - s < target / 2 {
            sizes.push(left);
            break;
        }
        sizes.push(s);
        left -= s;
    }
    sizes
}

pub(crate) fn plan_ac(cfg: &SynthConfig, ac_index: usize, size: u64) -> AcPlan {
    let ac_no = ac_index as u32 + 1;
    let lang = cfg.languages[ac_index % cfg.languages.len()];
    let mut rng = rng_for(cfg.seed, u64::from(ac_no), 0xFFFF_FFFF, 1);
    // Parts of 800-1,200 electors; a small remainder joins the last part.
    let mut part_sizes: Vec<u32> = Vec::new();
    let mut left = size;
    while left > 0 {
        let s = u64::from(rng.random_range(800u32..=1200));
        if left <= s {
            if left < 400 && !part_sizes.is_empty() {
                if let Some(last) = part_sizes.last_mut() {
                    *last += left as u32;
                }
            } else {
                part_sizes.push(left as u32);
            }
            break;
        }
        part_sizes.push(s as u32);
        left -= s;
    }
    // Sections: 1-9 per part, of random sizes.
    let mut parts: Vec<PartPlan> = part_sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let k = rng.random_range(1u32..=9).min(n.max(1));
            let weights: Vec<f64> = (0..k).map(|_| rng.random_range(0.5..1.5)).collect();
            let total: f64 = weights.iter().sum();
            let mut sections: Vec<u32> = weights
                .iter()
                .map(|w| ((w / total) * f64::from(n)).floor().max(1.0) as u32)
                .collect();
            let assigned: u32 = sections.iter().sum();
            if let Some(last) = sections.last_mut() {
                *last = (*last + n).saturating_sub(assigned).max(1);
            }
            PartPlan {
                part_no: i as u32 + 1,
                sections,
                section_ward: Vec::new(),
            }
        })
        .collect();
    // Wards of 500-2,000 electors cut at section boundaries, so parts
    // straddle wards and wards span parts; 3-15 wards per local body.
    let mut wards: Vec<Ward> = Vec::new();
    let mut lb_wards: Vec<(u32, u32)> = Vec::new();
    let mut lb_target = rng.random_range(3u32..=15);
    let mut ward_target = rng.random_range(500u32..=2000);
    let mut in_ward = 0u32;
    let new_ward = |wards: &mut Vec<Ward>,
                    lb_wards: &mut Vec<(u32, u32)>,
                    lb_target: &mut u32,
                    rng: &mut ChaCha8Rng| {
        let need_lb = match lb_wards.last() {
            None => true,
            Some(&(start, end)) => end - start >= *lb_target,
        };
        if need_lb {
            let start = wards.len() as u32;
            lb_wards.push((start, start));
            *lb_target = rng.random_range(3u32..=15);
        }
        let lb = lb_wards.len() as u32 - 1;
        let (start, end) = lb_wards[lb as usize];
        let prefix = if lb % 4 == 3 { "MC" } else { "GP" };
        wards.push(Ward {
            local_body: format!("{prefix}{ac_no:03}-{:02}", lb + 1),
            ward_no: end - start + 1,
            lb,
        });
        lb_wards[lb as usize].1 = end + 1;
    };
    new_ward(&mut wards, &mut lb_wards, &mut lb_target, &mut rng);
    for part in &mut parts {
        for &s in &part.sections {
            if in_ward >= ward_target {
                new_ward(&mut wards, &mut lb_wards, &mut lb_target, &mut rng);
                ward_target = rng.random_range(500u32..=2000);
                in_ward = 0;
            }
            part.section_ward.push(wards.len() as u32 - 1);
            in_ward += s;
        }
    }
    AcPlan {
        ac_no,
        lang,
        ec_native: ac_no % 2 == 1,
        sec_upper: rng.random_bool(0.5),
        parts,
        wards,
        lb_wards,
    }
}

impl AcPlan {
    /// Another ward of the same local body (a neighbour), or a neighbouring
    /// ward of the AC when the local body has one ward; `None` when the AC
    /// has a single ward.
    fn other_ward(&self, w: u32, rng: &mut ChaCha8Rng) -> Option<u32> {
        let lb = self.wards[w as usize].lb as usize;
        let (start, end) = self.lb_wards[lb];
        if end - start >= 2 {
            let mut o = rng.random_range(start..end - 1);
            if o >= w {
                o += 1;
            }
            return Some(o);
        }
        let n = self.wards.len() as u32;
        if n < 2 {
            return None;
        }
        Some(if w + 1 < n { w + 1 } else { w - 1 })
    }
}

// ---------------------------------------------------------------- rows

/// A piece of a part's text arena ([`PartOut::text`]): every printed text
/// of a part's rows lives in one `String`, so rows are `Copy` and a derived
/// SEC row shares its EC row's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// The span from `start` to the end of `text`.
    fn since(text: &str, start: usize) -> Span {
        Span {
            start: start as u32,
            len: (text.len() - start) as u32,
        }
    }

    /// Appends `s` to the arena and returns its span.
    pub(crate) fn push(text: &mut String, s: &str) -> Span {
        let start = text.len();
        text.push_str(s);
        Span::since(text, start)
    }

    /// The text of the span ("" if it does not lie in `text`, which the
    /// generator never makes).
    pub(crate) fn get(self, text: &str) -> &str {
        let start = self.start as usize;
        text.get(start..start + self.len as usize).unwrap_or("")
    }
}

/// One printed entry of either roll, before it gets its serial number. Its
/// texts are spans of the arena of the part that made it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// Part index (EC) or ward index (SEC) the row is printed in.
    pub target: u32,
    /// A supplement row, printed after the part's or ward's main list.
    pub late: bool,
    pub section: u32,
    pub back_part: Option<u32>,
    pub household: u32,
    pub epic: Option<Span>,
    pub name: Span,
    pub name_en: Option<Span>,
    pub relation: RelationType,
    pub relative: Span,
    pub relative_en: Option<Span>,
    pub house: Span,
    pub age: u8,
    pub gender: Gender,
}

/// A reference to a row created by a part: EC or SEC, and its index in the
/// part's list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RowRef {
    Ec(u32),
    Sec(u32),
}

/// The `group_id` of a truth row, written when the row is (the AC and part
/// numbers are those of the part that made it).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Group {
    /// Blank.
    None,
    /// A person of the part: `AC-PART-INDEX`.
    Person(u32),
    /// An SEC-only person: `AC-PART-xN`.
    Extra(u32),
    /// An EPIC conflict: `CAC-PART-N`.
    Conflict(u32),
}

/// A truth row whose keys are not resolved yet.
#[derive(Debug)]
pub(crate) struct TItem {
    pub kind: TruthKind,
    pub ec: Option<u32>,
    pub sec: Option<u32>,
    pub group: Group,
    pub fields: &'static str,
    pub detail: Cow<'static, str>,
}

#[derive(Debug, Default)]
pub(crate) struct PartOut {
    pub ec: Vec<Row>,
    pub sec: Vec<Row>,
    pub truth: Vec<TItem>,
    /// The texts of the rows.
    pub text: String,
    /// No byte of `text` needs quoting in CSV ([`quote_free`]), so the
    /// formatter copies its spans without looking at them.
    pub clean: bool,
    /// The part's people and its SEC-only people, from [`gen_people`] to
    /// [`gen_rows`] (then kept only to reuse the memory).
    persons: Vec<Person>,
    extras: Vec<Person>,
    /// The part's RNG between [`gen_people`] and [`gen_rows`].
    rng: Option<ChaCha8Rng>,
    /// Working lists of [`gen_people`] and [`gen_rows`], kept only to
    /// reuse their memory.
    tmp: PartTmp,
}

/// Working lists of one part's generation, cleared and refilled for the
/// next part, so that memory freed and allocated again part after part is
/// not handed back to the system and faulted in afresh.
#[derive(Debug, Default)]
struct PartTmp {
    household: Vec<Person>,
    /// The namesake key, age and household of each person, then of each
    /// SEC-only person, as drawn ([`gen_people`], in parallel), before
    /// [`separate_namesakes`] runs over the AC in order (which reads the
    /// people themselves only to rename them).
    keys: Vec<(u64, i32, u32)>,
    /// The EPIC of each person ([`gen_rows`]).
    epics: Vec<EpicText>,
    locked: Vec<bool>,
    conflicts: Vec<(usize, usize)>,
    ec_row_of: Vec<u32>,
    sec_row_of: Vec<Option<u32>>,
    ec_parent: Vec<Option<u8>>,
    sec_parent: Vec<Option<u8>>,
    logical: Vec<(RowRef, &'static str, Cow<'static, str>)>,
}

/// Room reserved per part for its people and rows: parts have 800-1,200
/// electors (the last one of an AC up to 400 more). Reserving the same
/// room for every part keeps a reused list from growing (and its memory
/// from being copied and faulted in again) when a later AC's part at the
/// same place is larger; reserving no more keeps the memory an AC touches
/// small (every page of it is faulted in once).
const PART_ROOM: usize = 1_200;

/// Text arena bytes reserved per elector of a part: 80-250 are used (by
/// script and scenario); a part that needs more grows its arena once, and
/// keeps it for the next AC.
const TEXT_ROOM: usize = 112;

#[derive(Debug, Clone, Copy)]
struct House {
    num: u32,
    suffix: Option<char>,
}

/// Appends the decimal digits of `n` to `out`, the digit zero being `zero`
/// (`'0'`, or an Indic digit zero).
fn push_digits(out: &mut String, n: u32, zero: char) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from_u32(zero as u32 + u32::from(d)).unwrap_or(zero));
    }
}

/// Writes a house number in one of four styles (`16A`, `16-A`, `16/A`,
/// `H.No. 16A`; a plain number in the first three) at the end of `out`.
fn fmt_house(h: House, style: u32, digit_zero: Option<u32>, out: &mut String) -> Span {
    let start = out.len();
    let zero = digit_zero.and_then(char::from_u32).unwrap_or('0');
    if style % 4 == 3 {
        out.push_str("H.No. ");
    }
    push_digits(out, h.num, zero);
    if let Some(s) = h.suffix {
        match style % 4 {
            1 => out.push('-'),
            2 => out.push('/'),
            _ => {}
        }
        out.push(s);
    }
    Span::since(out, start)
}

/// An EPIC number as the generator makes it: ASCII, at most 32 bytes,
/// stored inline.
#[derive(Clone, Copy, PartialEq, Eq)]
struct EpicText {
    b: [u8; 32],
    len: u8,
}

impl EpicText {
    const EMPTY: EpicText = EpicText { b: [0; 32], len: 0 };

    fn push(&mut self, c: u8) {
        if (self.len as usize) < self.b.len() {
            self.b[self.len as usize] = c;
            self.len += 1;
        }
    }

    fn push_str(&mut self, s: &str) {
        for &c in s.as_bytes() {
            self.push(c);
        }
    }

    /// `n` in decimal, zero-padded to `width` digits.
    fn push_num(&mut self, n: u64, width: usize) {
        // The usual case, up to eight digits that fill the width: all at
        // once.
        if (1..=8).contains(&width) && n < 10u64.pow(width as u32) {
            let w = ascii8(n as u32).to_le_bytes();
            let len = self.len as usize;
            if let Some(dst) = self.b.get_mut(len..len + width) {
                dst.copy_from_slice(&w[8 - width..]);
                self.len += width as u8;
                return;
            }
        }
        let mut digits = [b'0'; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let i = i.min(digits.len().saturating_sub(width));
        for &c in &digits[i..] {
            self.push(c);
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.b[..self.len as usize]
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever pushed.
        std::str::from_utf8(self.bytes()).unwrap_or("")
    }
}

impl std::fmt::Debug for EpicText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person of a part, as the truth knows them.
#[derive(Debug, Clone)]
struct Person {
    female: bool,
    gender: Gender,
    dob: Date,
    name: Name,
    /// The given-name token of the person and of the relative (renaming
    /// replaces them wherever the household prints them).
    given: u32,
    /// The second part of a two-part given name, when re-drawing gave one.
    given2: Option<u32>,
    relation: RelationType,
    rel_name: Name,
    rel_given: u32,
    rel_given2: Option<u32>,
    rel_seed: u64,
    rel_late: bool,
    house: House,
    section: u32,
    household: u32,
    /// Index of the parent named as relative (relation F or M), for the
    /// parent-child age-gap check.
    parent: Option<u32>,
    seed: u64,
    family: Family,
}

fn ocr_damage(epic: &EpicText, rng: &mut ChaCha8Rng) -> EpicText {
    let mut c = *epic;
    let len = c.len as usize;
    let letter_swaps = [
        (b'O', b'0'),
        (b'I', b'1'),
        (b'S', b'5'),
        (b'B', b'8'),
        (b'Z', b'2'),
        (b'G', b'6'),
    ];
    let mut options: Vec<(usize, u8)> = Vec::new();
    for (i, &ch) in epic.bytes().iter().enumerate() {
        for (l, d) in letter_swaps {
            if i < 3 && ch == l {
                options.push((i, d));
            }
            if i >= 3 && ch == d {
                options.push((i, l));
            }
        }
    }
    if options.is_empty() {
        let i = rng.random_range(3..len.max(4));
        if i < len {
            c.b[i] = b'O';
        }
    } else {
        let (i, to) = options[rng.random_range(0..options.len())];
        c.b[i] = to;
    }
    c
}

fn epic_letters(ac_no: u32) -> [u8; 3] {
    let mut x = (u64::from(ac_no) * 7919 + 1234) % 17_576;
    let mut s = [b'A'; 3];
    for b in s.iter_mut().rev() {
        *b = b'A' + (x % 26) as u8;
        x /= 26;
    }
    s
}

/// Per-AC context shared by the parts.
pub(crate) struct AcCtx<'a> {
    pub cfg: &'a SynthConfig,
    pub plan: &'a AcPlan,
    pub pools: &'static Pools,
    pub ec_date: Date,
    pub sec_date: Date,
    pub letters: [u8; 3],
}

impl<'a> AcCtx<'a> {
    /// The context of one AC: the dates from the configuration, the EPIC
    /// letters from the AC number.
    pub(crate) fn new(cfg: &'a SynthConfig, plan: &'a AcPlan, pools: &'static Pools) -> Self {
        AcCtx {
            cfg,
            plan,
            pools,
            ec_date: cfg.ec_date,
            sec_date: cfg.effective_sec_date(),
            letters: epic_letters(plan.ac_no),
        }
    }

    fn epic_for(&self, part_idx: usize, local: u32, old: bool) -> EpicText {
        let mut e = EpicText::EMPTY;
        if old {
            let part_no = self.plan.parts[part_idx].part_no;
            e.push_str(self.plan.lang.state_abbrev());
            e.push(b'/');
            e.push_num(u64::from(self.plan.ac_no), 2);
            e.push(b'/');
            e.push_num(u64::from(part_no), 3);
            e.push(b'/');
            e.push_num(u64::from(local) + 1, 6);
            return e;
        }
        let x = part_idx as u64 * EPIC_STRIDE + u64::from(local);
        let digits = (x.wrapping_mul(3_000_017) + 12_345) % 10_000_000;
        for &c in &self.letters {
            e.push(c);
        }
        e.push_num(digits, 7);
        e
    }

    fn age(&self, dob: Date, on: Date) -> u8 {
        dob.age_on(on).clamp(0, 150) as u8
    }
}

/// Draws a date of birth so the person is `age` on the earlier qualifying
/// date (and so at least that on the later one).
fn dob_for(age: u32, first: Date, rng: &mut ChaCha8Rng) -> Date {
    let back = i64::from(age) * 365 + i64::from(age / 4) + rng.random_range(0..365i64);
    let mut dob = Date::from_days(first.days() - back);
    while dob.age_on(first) < age as i32 {
        dob = Date::from_days(dob.days() - 30);
    }
    while dob.age_on(first) > age as i32 {
        dob = Date::from_days(dob.days() + 30);
    }
    dob
}

struct HouseholdBuilder<'c, 'a> {
    ctx: &'c AcCtx<'a>,
    first: Date,
    part_seed: u64,
}

impl HouseholdBuilder<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn person(
        &self,
        idx: usize,
        family: &Family,
        female: bool,
        age: u32,
        (name, given): (Name, u32),
        relation: RelationType,
        (rel_name, rel_given): (Name, u32),
        rel_seed: u64,
        rel_late: bool,
        parent: Option<u32>,
        rng: &mut ChaCha8Rng,
    ) -> Person {
        let gender = if rng.random_bool(0.0005) {
            Gender::Third
        } else if female {
            Gender::Female
        } else {
            Gender::Male
        };
        Person {
            female,
            gender,
            dob: dob_for(age.max(18), self.first, rng),
            name,
            given,
            given2: None,
            relation,
            rel_name,
            rel_given,
            rel_given2: None,
            rel_seed,
            rel_late,
            house: House {
                num: 0,
                suffix: None,
            },
            section: 0,
            household: 0,
            parent,
            seed: mix(self.part_seed ^ (idx as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)),
            family: *family,
        }
    }

    /// A household of 1-7 adults whose names and relations hold together,
    /// every given name in it (the people's and their relatives') distinct:
    /// families do not give two children one name.
    /// Appends the household to `out`; its people's `parent` indices count
    /// from its first person, and `base` is the part-wide index of that
    /// person (for their seeds).
    fn household(&self, base: usize, rng: &mut ChaCha8Rng, out: &mut Vec<Person>) {
        let pools = self.ctx.pools;
        let lang = self.ctx.plan.lang;
        let fam = Family::draw(lang, pools, rng);
        let start = out.len();
        let ext_seed = |rng: &mut ChaCha8Rng| rng.random::<u64>();
        let mut used: Vec<u32> = Vec::with_capacity(12);
        if rng.random_bool(0.12) {
            // A single adult.
            let female = rng.random_bool(0.45);
            let age = rng.random_range(18u32..=85);
            let given = fam.given(pools, female, rng);
            used.push(given);
            if female && age > 45 && rng.random_bool(0.6) {
                let hg = fam.given_except(pools, false, &used, rng);
                let husband = Name::build(pools, &fam, hg, None, false, false, rng);
                let name = Name::build(pools, &fam, given, Some(hg), true, true, rng);
                let s = ext_seed(rng);
                out.push(self.person(
                    base,
                    &fam,
                    true,
                    age,
                    (name, given),
                    RelationType::Husband,
                    (husband, hg),
                    s,
                    true,
                    None,
                    rng,
                ));
            } else {
                let fg = fam.given_except(pools, false, &used, rng);
                let father = Name::build(pools, &fam, fg, None, false, false, rng);
                let name = Name::build(pools, &fam, given, Some(fg), female, false, rng);
                let late = age > 50 && rng.random_bool(0.6);
                let s = ext_seed(rng);
                out.push(self.person(
                    base,
                    &fam,
                    female,
                    age,
                    (name, given),
                    RelationType::Father,
                    (father, fg),
                    s,
                    late,
                    None,
                    rng,
                ));
            }
            return;
        }
        // A family: head, wife, adult children, a son's wife, the head's mother.
        let head_age = rng.random_range(25u32..=75);
        let hg = fam.given(pools, false, rng);
        used.push(hg);
        let fg = fam.given_except(pools, false, &used, rng);
        used.push(fg);
        let father = Name::build(pools, &fam, fg, None, false, false, rng);
        let father_seed = ext_seed(rng);
        let father_late = head_age > 45 && rng.random_bool(0.5);
        let head_name = Name::build(pools, &fam, hg, Some(fg), false, false, rng);
        let head = self.person(
            base,
            &fam,
            false,
            head_age,
            (head_name, hg),
            RelationType::Father,
            (father, fg),
            father_seed,
            father_late,
            None,
            rng,
        );
        let head_seed = head.seed;
        out.push(head);
        let mut wife: Option<(u32, u32, Name, u32, u64)> = None;
        if rng.random_bool(0.9) {
            let age = head_age.saturating_sub(rng.random_range(0..=8)).max(18);
            let wg = fam.given_except(pools, true, &used, rng);
            used.push(wg);
            let name = Name::build(pools, &fam, wg, Some(hg), true, true, rng);
            let idx = base + (out.len() - start);
            let p = self.person(
                idx,
                &fam,
                true,
                age,
                (name, wg),
                RelationType::Husband,
                (head_name, hg),
                head_seed,
                false,
                None,
                rng,
            );
            wife = Some(((out.len() - start) as u32, age, name, wg, p.seed));
            out.push(p);
        }
        if head_age <= 55 && rng.random_bool(0.25) {
            let age = (head_age + rng.random_range(20..=30)).min(95);
            let mg = fam.given_except(pools, true, &used, rng);
            used.push(mg);
            let name = Name::build(pools, &fam, mg, Some(fg), true, true, rng);
            let idx = base + (out.len() - start);
            out.push(self.person(
                idx,
                &fam,
                true,
                age,
                (name, mg),
                RelationType::Husband,
                (father, fg),
                father_seed,
                true,
                None,
                rng,
            ));
        }
        if let Some((wife_idx, wife_age, wife_name, wg, wife_seed)) = wife {
            let children = rng.random_range(0u32..=3);
            for _ in 0..children {
                let gap = rng.random_range(19u32..=35);
                if wife_age < gap + 18 {
                    continue;
                }
                let age = wife_age - gap;
                let female = rng.random_bool(0.5);
                let cg = fam.given_except(pools, female, &used, rng);
                used.push(cg);
                let name = Name::build(pools, &fam, cg, Some(hg), female, false, rng);
                let idx = base + (out.len() - start);
                let child = if rng.random_bool(0.05) {
                    self.person(
                        idx,
                        &fam,
                        female,
                        age,
                        (name, cg),
                        RelationType::Mother,
                        (wife_name, wg),
                        wife_seed,
                        false,
                        Some(wife_idx),
                        rng,
                    )
                } else {
                    self.person(
                        idx,
                        &fam,
                        female,
                        age,
                        (name, cg),
                        RelationType::Father,
                        (head_name, hg),
                        head_seed,
                        false,
                        Some(0),
                        rng,
                    )
                };
                let child_seed = child.seed;
                out.push(child);
                if !female && age >= 24 && rng.random_bool(0.5) {
                    let dage = age.saturating_sub(rng.random_range(0..=6)).max(18);
                    let dg = fam.given_except(pools, true, &used, rng);
                    used.push(dg);
                    let dname = Name::build(pools, &fam, dg, Some(cg), true, true, rng);
                    let idx = base + (out.len() - start);
                    out.push(self.person(
                        idx,
                        &fam,
                        true,
                        dage,
                        (dname, dg),
                        RelationType::Husband,
                        (name, cg),
                        child_seed,
                        false,
                        None,
                        rng,
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------- namesakes

/// The people of an AC by (name core, relative-name core, gender): the
/// set of their ages, one bit each (ages 15-77; older ages share the top
/// bit, so the old are kept apart a little more strictly), so a look-up
/// answers whether someone of the key is within the age gap.
///
/// Open addressing over buckets of four `(key, ages)` slots, one cache
/// line each, probed bucket after bucket: keys are already well mixed
/// (`mix` outputs), so their high bits choose the home bucket, a look-up
/// usually reads one cache line, and the bucket of a person still to come
/// can be read ahead ([`NamesakeTable::touch`]). The table is kept small
/// (about 1.25 slots per key: a large AC has 100,000-200,000 keys, 2-4 MB),
/// because on this kind of machine a look-up that misses a cache of a few
/// megabytes costs three times one that hits it. Keys are never removed (a
/// removal clears age bits), so a free slot (key 0) ends every probe; the
/// key 0 itself keeps its ages in `zero`.
#[derive(Debug, Default)]
pub(crate) struct NamesakeTable {
    buckets: Vec<Bucket>,
    zero: u64,
    /// Keys in `buckets`.
    len: usize,
    /// People whose collision no re-draw could resolve (the pools are too
    /// small for the AC), in the last AC.
    unresolved: u64,
}

/// Four slots of [`NamesakeTable`], filled in order, in one cache line.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    keys: [u64; 4],
    ages: [u64; 4],
}

/// How close two people's ages may be before equal names and relative
/// names make them one person to a roll officer.
const NAMESAKE_AGE_GAP: i32 = 3;

impl NamesakeTable {
    /// Empties the table, with room for the keys of about `people` people
    /// (an AC has 0.4-0.65 keys a person; the table grows if it needs to).
    fn reset(&mut self, people: usize) {
        self.buckets.clear();
        self.buckets.resize((people / 5).max(16), Bucket::default());
        self.zero = 0;
        self.len = 0;
        self.unresolved = 0;
    }

    /// The bucket a look-up of `key` starts at: the key's high bits scaled
    /// to the number of buckets.
    fn home(&self, key: u64) -> usize {
        ((u128::from(key) * self.buckets.len() as u128) >> 64) as usize
    }

    /// Reads the bucket a look-up of `key` starts at, so that its cache
    /// line is on its way while the people before are placed (the value is
    /// of no use).
    fn touch(&self, key: u64) -> u64 {
        self.buckets.get(self.home(key)).map_or(0, |b| b.ages[0])
    }

    /// Where `key` is (bucket, slot), or else the free slot that ends its
    /// probe (`Err`); `None` only for an empty table.
    fn find(&self, key: u64) -> Option<Result<(usize, usize), (usize, usize)>> {
        let n = self.buckets.len();
        let mut i = self.home(key);
        for _ in 0..n {
            let b = &self.buckets[i];
            for (j, &k) in b.keys.iter().enumerate() {
                if k == key {
                    return Some(Ok((i, j)));
                }
                if k == 0 {
                    return Some(Err((i, j)));
                }
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
        None
    }

    /// The ages entered under `key`, if it was ever entered.
    fn ages(&mut self, key: u64) -> Option<&mut u64> {
        if key == 0 {
            return Some(&mut self.zero);
        }
        match self.find(key)? {
            Ok((i, j)) => Some(&mut self.buckets[i].ages[j]),
            Err(_) => None,
        }
    }

    /// The ages entered under `key`, entering the key (with no ages) if it
    /// is new.
    fn ages_or_new(&mut self, key: u64) -> &mut u64 {
        if key == 0 {
            return &mut self.zero;
        }
        // At most seven slots in eight taken: probes stay short.
        if (self.len + 1) * 8 > self.buckets.len() * 4 * 7 {
            self.grow();
        }
        let (i, j) = loop {
            match self.find(key) {
                Some(Ok(at)) => break at,
                Some(Err(at)) => {
                    self.buckets[at.0].keys[at.1] = key;
                    self.len += 1;
                    break at;
                }
                None => self.grow(),
            }
        };
        &mut self.buckets[i].ages[j]
    }

    /// Doubles the room (at least 16 buckets) and enters the keys again.
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.buckets);
        self.buckets
            .resize((old.len() * 2).max(16), Bucket::default());
        for b in &old {
            for (&key, &ages) in b.keys.iter().zip(&b.ages) {
                if key == 0 {
                    continue;
                }
                if let Some(Err((i, j))) = self.find(key) {
                    self.buckets[i].keys[j] = key;
                    self.buckets[i].ages[j] = ages;
                }
            }
        }
    }

    fn bit_of(age: i32) -> i32 {
        (age - 15).clamp(0, 63)
    }

    /// The bits of the ages within the gap of `age`.
    fn window(age: i32) -> u64 {
        let lo = Self::bit_of(age - NAMESAKE_AGE_GAP);
        let hi = Self::bit_of(age + NAMESAKE_AGE_GAP);
        (u64::MAX >> (63 - (hi - lo))) << lo
    }

    /// Enters `age` under `key` and returns its bit, unless someone with
    /// `key` is already listed within the age gap (`None`, nothing
    /// entered). One look-up either way.
    fn try_insert(&mut self, key: u64, age: i32) -> Option<u64> {
        let ages = self.ages_or_new(key);
        if *ages & Self::window(age) != 0 {
            return None;
        }
        let bit = 1u64 << Self::bit_of(age);
        *ages |= bit;
        Some(bit)
    }

    /// Takes back an entry of [`NamesakeTable::try_insert`].
    fn remove(&mut self, key: u64, bit: u64) {
        if let Some(ages) = self.ages(key) {
            *ages &= !bit;
        }
    }
}

/// Renames token `old` to `new` wherever a household prints it.
fn rename(group: &mut [Person], old: u32, new: u32) {
    for q in group.iter_mut() {
        q.name.replace_token(old, new);
        q.rel_name.replace_token(old, new);
        for t in [&mut q.given, &mut q.rel_given] {
            if *t == old {
                *t = new;
            }
        }
        for t in [&mut q.given2, &mut q.rel_given2].into_iter().flatten() {
            if *t == old {
                *t = new;
            }
        }
    }
}

/// The namesake key of a person: name core, relative-name core, gender.
fn namesake_key(pools: &Pools, p: &Person) -> u64 {
    let gender = match p.gender {
        Gender::Male => 1,
        Gender::Female => 2,
        Gender::Third => 3,
    };
    let optional = matches!(p.family.lang.convention(), Convention::Sikh);
    mix(p.name.core_key(pools, optional).wrapping_mul(3)
        ^ mix(p.rel_name.core_key(pools, optional) ^ gender))
}

/// Re-draws names so that no two distinct people of the AC share name,
/// relative name (both without markers, honorifics and initials) and
/// gender with ages within three years: a roll officer would take such
/// entries for one person, so the truth could not call them two. Namesakes
/// with another relative or a distant age stay (the matcher must keep them
/// apart). Households are taken whole, in part order: a colliding person's
/// given name is re-drawn (or, every other try, their relative's), and the
/// new name replaces the old one wherever the household prints it (a
/// father's name in his children's relative names, Maharashtra's and
/// Gujarat's middle names, Tamil initials). Sequential over the AC, with
/// its own RNG, so the result does not depend on the thread count.
fn separate_namesakes(ctx: &AcCtx<'_>, parts: &mut [PartOut], table: &mut NamesakeTable) {
    /// Re-draws per household before a collision is left as it is, and
    /// how many of them try a single given name before two-part names.
    const TRIES: usize = 40;
    const SINGLE_TRIES: usize = 4;
    let pools = ctx.pools;
    let mut rng = rng_for(ctx.cfg.seed, u64::from(ctx.plan.ac_no), 0xDED, 4);
    let people: usize = parts.iter().map(|p| p.persons.len() + p.extras.len()).sum();
    table.reset(people);
    let mut used: Vec<u32> = Vec::with_capacity(16);
    // Per member of a household: its key and age, and the entry it holds.
    let mut placed: Vec<(u64, i32, Option<u64>)> = Vec::with_capacity(16);
    let mut fix = |group: &mut [Person],
                   keys: &[(u64, i32, u32)],
                   table: &mut NamesakeTable,
                   rng: &mut ChaCha8Rng| {
        placed.clear();
        placed.extend(keys.iter().map(|&(key, age, _)| (key, age, None)));
        for attempt in 0..=TRIES {
            // Enter the members not yet entered; stop at a clash.
            let mut clash = None;
            for (k, (key, age, bit)) in placed.iter_mut().enumerate() {
                if bit.is_some() {
                    continue;
                }
                *bit = table.try_insert(*key, *age);
                if bit.is_none() {
                    clash = Some(k);
                    break;
                }
            }
            let Some(k) = clash else {
                return;
            };
            if attempt == TRIES {
                break;
            }

            used.clear();
            for p in group.iter() {
                used.extend([p.given, p.rel_given]);
                used.extend(p.given2.into_iter().chain(p.rel_given2));
            }
            let p = &group[k];
            // Try the person's given name and their relative's in turn;
            // when the pools run short, two-part given names.
            let relative = if attempt < SINGLE_TRIES {
                attempt % 2 == 1
            } else {
                attempt % 4 >= 2
            };
            let second = attempt >= SINGLE_TRIES && attempt % 2 == 0;
            let (given, given2, female) = if relative {
                (
                    p.rel_given,
                    p.rel_given2,
                    p.relation == RelationType::Mother,
                )
            } else {
                (p.given, p.given2, p.female)
            };
            let new = p.family.free_given(pools, female, &used, rng);
            match (second, given2) {
                (false, _) => rename(group, given, new),
                (true, Some(old)) => rename(group, old, new),
                (true, None) => {
                    for q in group.iter_mut() {
                        q.name.insert_after(given, new);
                        q.rel_name.insert_after(given, new);
                        if q.given == given {
                            q.given2 = Some(new);
                        }
                        if q.rel_given == given {
                            q.rel_given2 = Some(new);
                        }
                    }
                }
            }
            // Members whose key the re-draw changed give their entry back.
            for (p, (key, _, bit)) in group.iter().zip(placed.iter_mut()) {
                if !p.name.contains(new) && !p.rel_name.contains(new) {
                    continue;
                }
                let new_key = namesake_key(pools, p);
                if new_key != *key {
                    if let Some(b) = bit.take() {
                        table.remove(*key, b);
                    }
                    *key = new_key;
                }
            }
        }
        // Out of re-draws: enter whoever fits and count the rest.
        for (key, age, bit) in placed.iter_mut() {
            if bit.is_none() && table.try_insert(*key, *age).is_none() {
                table.unresolved += 1;
            }
        }
    };
    // The slots of the next few people are read ahead of their look-ups,
    // so that several cache misses are under way at once.
    const AHEAD: usize = 8;
    let mut sink = 0u64;
    for part in parts.iter_mut() {
        let mut start = 0;
        let mut ahead = 0;
        let n = part.persons.len();
        let keys = &part.tmp.keys;
        while start < n {
            let household = keys[start].2;
            let end = keys[start..n]
                .iter()
                .position(|k| k.2 != household)
                .map_or(n, |k| start + k);
            let stop = (end + AHEAD).min(keys.len());
            for &(key, _, _) in keys.get(ahead..stop).unwrap_or(&[]) {
                sink ^= table.touch(key);
            }
            ahead = ahead.max(stop);
            fix(
                &mut part.persons[start..end],
                &keys[start..end],
                table,
                &mut rng,
            );
            start = end;
        }
        for k in 0..part.extras.len() {
            let keys = &part.tmp.keys[n + k..n + k + 1];
            fix(&mut part.extras[k..k + 1], keys, table, &mut rng);
        }
    }
    std::hint::black_box(sink);
}

/// How one roll prints names.
#[derive(Debug, Clone, Copy)]
struct Print {
    script: Script,
    twin: bool,
    variant: f64,
    romanisation: f64,
    upper: bool,
    join: f64,
    salt: u64,
}

/// The printed names of a person in one roll: name, English twin, relative
/// name, English twin (spans of the arena they were written to).
type NameSpans = (Span, Option<Span>, Span, Option<Span>);

fn render_names(
    pools: &Pools,
    p: &Person,
    pr: Print,
    late_tok: Option<u32>,
    text: &mut String,
) -> NameSpans {
    let style = |seed: u64, script: Script| {
        let seed = mix(seed ^ pr.salt);
        Style {
            script,
            seed,
            variant: if script == Script::English {
                pr.romanisation
            } else {
                pr.variant
            },
            join: ((seed >> 40) & 0xFFFF) as f64 <= pr.join * 65536.0 && pr.join > 0.0,
            upper: pr.upper && script == Script::English,
        }
    };
    let late = p.rel_late && (mix(p.seed ^ pr.salt ^ 0x1A7E) & 1 == 1);
    let rel = |script: Script, text: &mut String| -> Span {
        let start = text.len();
        if let (true, Some(t)) = (late, late_tok) {
            let tok = pools.tok(t);
            let prefix = match script {
                Script::Native => tok.native[0].as_str(),
                Script::English => tok.en[0],
            };
            let at = text.len();
            text.push_str(prefix);
            if pr.upper && script == Script::English {
                upper_from(text, at);
            }
            text.push(' ');
        }
        p.rel_name
            .render_into(pools, style(p.rel_seed, script), text);
        Span::since(text, start)
    };
    let start = text.len();
    p.name.render_into(pools, style(p.seed, pr.script), text);
    let name = Span::since(text, start);
    let relative = rel(pr.script, text);
    if pr.twin && pr.script == Script::Native {
        let start = text.len();
        p.name
            .render_into(pools, style(p.seed, Script::English), text);
        let en = Span::since(text, start);
        (name, Some(en), relative, Some(rel(Script::English, text)))
    } else {
        (name, None, relative, None)
    }
}

/// Generates the people of one part into `out` (whose buffers are reused):
/// its households, section by section, and the people only the SEC roll
/// will list. The part's RNG is kept in `out` for [`gen_rows`].
pub(crate) fn gen_people(ctx: &AcCtx<'_>, pi: usize, out: &mut PartOut) {
    let cfg = ctx.cfg;
    let rates = &cfg.rates;
    let plan = ctx.plan;
    let part = &plan.parts[pi];
    let ac = plan.ac_no;
    let mut rng = rng_for(cfg.seed, u64::from(ac), u64::from(part.part_no), 2);
    let part_seed = rng.random::<u64>();
    let first = ctx.ec_date.min(ctx.sec_date);
    let builder = HouseholdBuilder {
        ctx,
        first,
        part_seed,
    };

    // People, household by household, section by section.
    let mut persons = std::mem::take(&mut out.persons);
    persons.clear();
    persons.reserve_exact((part.sections.iter().sum::<u32>() as usize).max(PART_ROOM) + 8);
    let mut house_no = 0u32;
    let mut household = 0u32;
    for (si, &size) in part.sections.iter().enumerate() {
        let mut left = size as usize;
        while left > 0 {
            let start = persons.len();
            builder.household(start, &mut rng, &mut persons);
            persons.truncate(start + left);
            left -= persons.len() - start;
            if !(house_no > 0 && rng.random_bool(0.05)) {
                house_no += 1;
            }
            let house = House {
                num: house_no,
                suffix: if rng.random_bool(0.15) {
                    Some((b'A' + rng.random_range(0..3u8)) as char)
                } else {
                    None
                },
            };
            household += 1;
            for p in &mut persons[start..] {
                p.house = house;
                p.section = si as u32 + 1;
                p.household = household;
                p.parent = p.parent.map(|x| x + start as u32);
            }
        }
    }
    let n = persons.len();

    // People only on the SEC roll (stale, shifted, never eligible).
    let mut extras = std::mem::take(&mut out.extras);
    extras.clear();
    let mut scratch = std::mem::take(&mut out.tmp.household);
    scratch.clear();
    for _ in 0..n {
        if !rng.random_bool(rates.extra_in_sec) {
            continue;
        }
        scratch.clear();
        builder.household(n + extras.len(), &mut rng, &mut scratch);
        let Some(mut p) = scratch.drain(..).next() else {
            continue;
        };
        let si = rng.random_range(0..part.sections.len());
        p.section = si as u32 + 1;
        p.household = u32::MAX;
        p.house = House {
            num: rng.random_range(1..=house_no.max(1)),
            suffix: None,
        };
        extras.push(p);
    }
    let first = ctx.ec_date.min(ctx.sec_date);
    out.tmp.keys.clear();
    out.tmp.keys.extend(
        persons
            .iter()
            .chain(&extras)
            .map(|p| (namesake_key(ctx.pools, p), p.dob.age_on(first), p.household)),
    );
    out.persons = persons;
    out.extras = extras;
    out.tmp.household = scratch;
    out.rng = Some(rng);
}

/// Generates one part without the AC-wide namesake check (for tests of
/// the row formats).
#[cfg(test)]
pub(crate) fn gen_part(ctx: &AcCtx<'_>, pi: usize, out: &mut PartOut) {
    gen_people(ctx, pi, out);
    gen_rows(ctx, pi, out);
}

/// Generates the rows of one part from its people ([`gen_people`], after
/// [`separate_namesakes`]): its EC rows, the SEC rows cut from it, and the
/// truth about them.
pub(crate) fn gen_rows(ctx: &AcCtx<'_>, pi: usize, out: &mut PartOut) {
    let cfg = ctx.cfg;
    let rates = &cfg.rates;
    let plan = ctx.plan;
    let part = &plan.parts[pi];
    let pools = ctx.pools;
    let ac = plan.ac_no;
    let mut rng = out
        .rng
        .take()
        .unwrap_or_else(|| rng_for(cfg.seed, u64::from(ac), u64::from(part.part_no), 2));
    let persons = std::mem::take(&mut out.persons);
    let extras = std::mem::take(&mut out.extras);
    let n = persons.len();

    // EPIC numbers, and EPICs shared by two people.
    let mut tmp = std::mem::take(&mut out.tmp);
    let mut epics = std::mem::take(&mut tmp.epics);
    epics.clear();
    epics.extend((0..n).map(|i| {
        let old = rng.random_bool(rates.epic_old_format);
        ctx.epic_for(pi, i as u32, old)
    }));
    let mut locked = std::mem::take(&mut tmp.locked);
    locked.clear();
    locked.resize(n, false);
    let mut conflicts = std::mem::take(&mut tmp.conflicts);
    conflicts.clear();
    for j in 1..n {
        if rng.random_bool(rates.epic_shared) && !locked[j] {
            let i = rng.random_range(0..j);
            if !locked[i] && persons[i].household != persons[j].household {
                epics[j] = epics[i];
                locked[i] = true;
                locked[j] = true;
                conflicts.push((i, j));
            }
        }
    }

    let scenario = cfg.scenario;
    let derived = scenario.is_derived();
    let bilingual = scenario == Scenario::DerivedBilingual;
    let twin = bilingual && rng.random_bool(cfg.twin_share);
    let lang = plan.lang;
    let late_tok = pools.lang(lang).late;
    let ec_print = Print {
        script: if bilingual && !plan.ec_native {
            Script::English
        } else {
            Script::Native
        },
        twin: bilingual && plan.ec_native && twin,
        variant: 0.0,
        romanisation: rates.romanisation,
        upper: false,
        join: 0.0,
        salt: 0xEC,
    };
    let sec_print = Print {
        script: if bilingual && plan.ec_native {
            Script::English
        } else {
            Script::Native
        },
        twin: bilingual && !plan.ec_native && twin,
        variant: rates.spelling_variant,
        romanisation: rates.romanisation,
        upper: plan.sec_upper,
        join: rates.spelling_variant / 6.0,
        salt: 0x5EC,
    };
    // How SEC-side re-printed names (edits, SEC-only people) are printed.
    let edit_print = if derived && !bilingual {
        ec_print
    } else {
        sec_print
    };
    let ec_house_style = rng.random_range(0..4u32);
    let sec_house_style = rng.random_range(0..4u32);
    let sec_native_digits = !bilingual && rng.random_bool(0.2);

    out.ec.clear();
    out.sec.clear();
    out.truth.clear();
    out.text.clear();
    // Rows of about 70 bytes of text (more in Indic scripts) in both rolls.
    let room = n.max(PART_ROOM);
    out.ec.reserve_exact(room + room / 32 + 4);
    out.sec.reserve_exact(room + room / 16 + 4);
    out.truth.reserve_exact(room + room / 4 + 8);
    out.text.reserve_exact(room * TEXT_ROOM);
    let mut ec_row_of = std::mem::take(&mut tmp.ec_row_of);
    ec_row_of.clear();
    let mut sec_row_of = std::mem::take(&mut tmp.sec_row_of);
    sec_row_of.clear();
    sec_row_of.resize(n, None);
    let mut copies = 0u32;

    let print_epic =
        |canon: &EpicText, locked: bool, rng: &mut ChaCha8Rng, text: &mut String| -> Option<Span> {
            if locked {
                return Some(Span::push(text, canon.as_str()));
            }
            let u = rng.random::<f64>();
            if u < rates.epic_blank {
                None
            } else if u < rates.epic_blank + rates.epic_ocr
                && canon.len == 10
                && !canon.bytes().contains(&b'/')
            {
                Some(Span::push(text, ocr_damage(canon, rng).as_str()))
            } else {
                Some(Span::push(text, canon.as_str()))
            }
        };

    for i in 0..n {
        let p = &persons[i];
        let ward = part.section_ward[p.section as usize - 1];
        // The EC entry.
        let (name, name_en, relative, relative_en) =
            render_names(pools, p, ec_print, late_tok, &mut out.text);
        let mut ec = Row {
            target: pi as u32,
            late: false,
            section: p.section,
            back_part: None,
            household: p.household,
            epic: print_epic(&epics[i], locked[i], &mut rng, &mut out.text),
            name,
            name_en,
            relation: p.relation,
            relative,
            relative_en,
            house: fmt_house(p.house, ec_house_style, None, &mut out.text),
            age: ctx.age(p.dob, ctx.ec_date),
            gender: p.gender,
        };
        // Injected logical errors on the EC entry (carried into a derived SEC).
        let mut ec_error_field: &'static str = "";
        if rng.random_bool(rates.logical_error) {
            ec_error_field = "age";
            match rng.random_range(0..4u32) {
                0 => ec.age = rng.random_range(15..=17),
                1 => ec.age = rng.random_range(121..=130),
                2 if p.female && p.relation == RelationType::Husband => {
                    ec.gender = Gender::Male;
                    ec_error_field = "gender";
                }
                3 if p.parent.is_some() => {
                    let parent_age = p
                        .parent
                        .map(|x| out.ec[ec_row_of[x as usize] as usize].age)
                        .unwrap_or(0);
                    let gap = rng.random_range(5..=14u8);
                    if parent_age >= 18 + gap {
                        ec.age = parent_age - gap;
                    } else {
                        ec.age = rng.random_range(15..=17);
                    }
                }
                _ => ec.age = rng.random_range(121..=130),
            }
        }
        let ec_idx = out.ec.len() as u32;
        ec_row_of.push(ec_idx);

        // The SEC entry.
        let sec_age_shift =
            i32::from(ctx.age(p.dob, ctx.sec_date)) - i32::from(ctx.age(p.dob, ctx.ec_date));
        let make_sec = |ec: &Row, rng: &mut ChaCha8Rng, text: &mut String| -> Row {
            if derived {
                let mut s = *ec;
                s.target = ward;
                s.back_part = Some(part.part_no);
                s.age = (i32::from(ec.age) + sec_age_shift).clamp(0, 150) as u8;
                if bilingual {
                    let (name, name_en, relative, relative_en) =
                        render_names(pools, p, sec_print, late_tok, text);
                    s.name = name;
                    s.name_en = name_en;
                    s.relative = relative;
                    s.relative_en = relative_en;
                }
                s
            } else {
                let (name, name_en, relative, relative_en) =
                    render_names(pools, p, sec_print, late_tok, text);
                let house_style = if rng.random_bool(rates.house_format) {
                    sec_house_style + 1 + rng.random_range(0..3u32)
                } else {
                    ec_house_style
                };
                let digits = (sec_native_digits && rng.random_bool(0.5)).then(|| lang.digit_zero());
                Row {
                    target: ward,
                    late: false,
                    section: p.section,
                    back_part: None,
                    household: p.household,
                    epic: print_epic(&epics[i], locked[i], rng, text),
                    name,
                    name_en,
                    relation: p.relation,
                    relative,
                    relative_en,
                    house: fmt_house(p.house, house_style, digits, text),
                    age: ctx.age(p.dob, ctx.sec_date),
                    gender: p.gender,
                }
            }
        };

        let u = rng.random::<f64>();
        let t_missing = rates.missing_in_sec;
        let t_wrong = t_missing + rates.wrong_ward;
        let t_dup_ec = t_wrong + rates.duplicate_ec;
        let t_dup_sec = t_dup_ec + rates.duplicate_sec;
        out.ec.push(ec);
        let group = Group::Person(i as u32);
        if u < t_missing {
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::MissingInSec),
                ec: Some(ec_idx),
                sec: None,
                group,
                fields: "",
                detail: Cow::Borrowed(""),
            });
            continue;
        }
        let mut sec = make_sec(&ec, &mut rng, &mut out.text);
        let mut wrong = false;
        if u < t_wrong
            && let Some(w) = plan.other_ward(ward, &mut rng)
        {
            sec.target = w;
            sec.late = true;
            wrong = true;
        }
        // Attribute edits, and marriage between the rolls.
        let mut fields: &'static str = "";
        let mut detail: Cow<'static, str> = Cow::Borrowed("");
        if rng.random_bool(rates.attribute_edit) {
            match rng.random_range(0..100u32) {
                0..35 => {
                    if let Some(en) = sec.name_en.filter(|_| rng.random_bool(0.3)) {
                        let t = typo(en.get(&out.text), &mut rng);
                        sec.name_en = Some(Span::push(&mut out.text, &t));
                        fields = "name_en";
                    } else {
                        let t = typo(sec.name.get(&out.text), &mut rng);
                        sec.name = Span::push(&mut out.text, &t);
                        fields = "name";
                    }
                    detail = Cow::Borrowed("typo");
                }
                35..55 => {
                    if rng.random_bool(0.5) {
                        let t = typo(sec.relative.get(&out.text), &mut rng);
                        sec.relative = Span::push(&mut out.text, &t);
                        detail = Cow::Borrowed("typo");
                    } else {
                        let other = p.family.given(pools, false, &mut rng);
                        let renamed = Person {
                            rel_name: p.rel_name.with_given(other, lang.convention()),
                            ..p.clone()
                        };
                        let (_, _, relative, relative_en) =
                            render_names(pools, &renamed, edit_print, late_tok, &mut out.text);
                        if relative.get(&out.text) == sec.relative.get(&out.text) {
                            let t = typo(sec.relative.get(&out.text), &mut rng);
                            sec.relative = Span::push(&mut out.text, &t);
                        } else {
                            sec.relative = relative;
                            sec.relative_en = relative_en.or(sec.relative_en);
                        }
                        detail = Cow::Borrowed("another relative");
                    }
                    fields = "relative_name";
                }
                55..75 => {
                    let d = rng.random_range(2..=6u8);
                    sec.age = if sec.age > 40 || rng.random_bool(0.5) {
                        sec.age.saturating_sub(d)
                    } else {
                        sec.age.saturating_add(d).min(150)
                    };
                    fields = "age";
                    detail = Cow::Owned(format!("age off by {d} beyond the date offset"));
                }
                75..85 => {
                    sec.gender = match sec.gender {
                        Gender::Male => Gender::Female,
                        _ => Gender::Male,
                    };
                    fields = "gender";
                    detail = Cow::Borrowed("gender changed");
                }
                _ => {
                    let d = rng.random_range(1..=9u32);
                    let h = House {
                        num: p.house.num + d,
                        suffix: p.house.suffix,
                    };
                    sec.house = fmt_house(h, ec_house_style, None, &mut out.text);
                    fields = "house_no";
                    detail = Cow::Borrowed("another house number");
                }
            }
        } else if p.female
            && p.relation == RelationType::Father
            && (18..=35).contains(&ec.age)
            && rng.random_bool(rates.marriage)
        {
            let hf = Family::draw(lang, pools, &mut rng);
            let hg = hf.given(pools, false, &mut rng);
            let husband = Name::build(pools, &hf, hg, None, false, false, &mut rng);
            let married = Person {
                relation: RelationType::Husband,
                rel_name: husband,
                rel_seed: rng.random::<u64>(),
                rel_late: false,
                ..p.clone()
            };
            let (_, _, relative, relative_en) =
                render_names(pools, &married, edit_print, late_tok, &mut out.text);
            sec.relation = RelationType::Husband;
            sec.relative = relative;
            sec.relative_en = relative_en.filter(|s| s.len > 0);
            fields = "relation_type;relative_name";
            detail = Cow::Borrowed("married between the rolls: relation F -> H");
        }
        if !derived && fields.is_empty() && !ec_error_field.is_empty() {
            // The independent SEC roll does not share the EC entry's error,
            // so the pair disagrees on that field.
            fields = ec_error_field;
            detail = Cow::Borrowed("the EC entry has a logical error");
        }
        let sec_idx = out.sec.len() as u32;
        let sec_ward = sec.target;
        out.sec.push(sec);
        sec_row_of[i] = Some(sec_idx);
        out.truth.push(TItem {
            kind: TruthKind::Pair,
            ec: Some(ec_idx),
            sec: Some(sec_idx),
            group,
            fields: "",
            detail: Cow::Borrowed(""),
        });
        if !fields.is_empty() {
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::AttributeMismatch),
                ec: Some(ec_idx),
                sec: Some(sec_idx),
                group,
                fields,
                detail,
            });
        }
        if wrong {
            let w = &plan.wards[ward as usize];
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::WrongWard),
                ec: Some(ec_idx),
                sec: Some(sec_idx),
                group,
                fields: "ward_no",
                detail: Cow::Owned(format!("expected {} ward {}", w.local_body, w.ward_no)),
            });
        }
        if (t_wrong..t_dup_ec).contains(&u) {
            // A second EC entry: same part (appended) or a neighbouring part.
            let cross = rng.random_bool(rates.cross_duplicate_share) && plan.parts.len() > 1;
            let tp = if !cross {
                pi
            } else if pi + 1 < plan.parts.len() && (pi == 0 || rng.random_bool(0.5)) {
                pi + 1
            } else {
                pi - 1
            };
            let tpart = &plan.parts[tp];
            let tsection = tpart.sections.len() as u32;
            let mut copy = out.ec[ec_idx as usize];
            copy.target = tp as u32;
            copy.late = true;
            copy.section = tsection;
            copy.household = u32::MAX;
            copy.house = fmt_house(
                House {
                    num: rng.random_range(1..=300),
                    suffix: None,
                },
                ec_house_style,
                None,
                &mut out.text,
            );
            if locked[i] || rng.random_bool(0.7) {
                let e = ctx.epic_for(pi, COPY_BASE + copies, false);
                copy.epic = Some(Span::push(&mut out.text, e.as_str()));
            }
            copies += 1;
            let copy_ec = out.ec.len() as u32;
            let sec_copy = derived.then(|| {
                let mut s = copy;
                let o = &out.sec[sec_idx as usize];
                s.target = tpart.section_ward[tsection as usize - 1];
                s.back_part = Some(tpart.part_no);
                s.age = o.age;
                if bilingual {
                    s.name = o.name;
                    s.name_en = o.name_en;
                    s.relative = o.relative;
                    s.relative_en = o.relative_en;
                }
                s
            });
            out.ec.push(copy);
            let detail = if cross { "another part" } else { "same part" };
            for e in [ec_idx, copy_ec] {
                out.truth.push(TItem {
                    kind: TruthKind::Discrepancy(DiscrepancyKind::DuplicateInEc),
                    ec: Some(e),
                    sec: None,
                    group,
                    fields: "",
                    detail: Cow::Borrowed(detail),
                });
            }
            if let Some(s) = sec_copy {
                let copy_sec = out.sec.len() as u32;
                out.sec.push(s);
                out.truth.push(TItem {
                    kind: TruthKind::Pair,
                    ec: Some(copy_ec),
                    sec: Some(copy_sec),
                    group,
                    fields: "",
                    detail: Cow::Borrowed("duplicate entry"),
                });
                for s in [sec_idx, copy_sec] {
                    out.truth.push(TItem {
                        kind: TruthKind::Discrepancy(DiscrepancyKind::DuplicateInSec),
                        ec: None,
                        sec: Some(s),
                        group,
                        fields: "",
                        detail: Cow::Borrowed("carried from the EC roll"),
                    });
                }
            }
        } else if (t_dup_ec..t_dup_sec).contains(&u) {
            let cross = rng.random_bool(rates.cross_duplicate_share);
            let target = if cross {
                plan.other_ward(sec_ward, &mut rng).unwrap_or(sec_ward)
            } else {
                sec_ward
            };
            let mut copy = out.sec[sec_idx as usize];
            copy.target = target;
            copy.late = true;
            copy.household = u32::MAX;
            let copy_sec = out.sec.len() as u32;
            out.sec.push(copy);
            let detail = if target != sec_ward {
                "another ward"
            } else {
                "same ward"
            };
            for s in [sec_idx, copy_sec] {
                out.truth.push(TItem {
                    kind: TruthKind::Discrepancy(DiscrepancyKind::DuplicateInSec),
                    ec: None,
                    sec: Some(s),
                    group,
                    fields: "",
                    detail: Cow::Borrowed(detail),
                });
            }
        }
    }

    // Entries only in the SEC roll.
    for (extra, p) in extras.iter().enumerate() {
        let extra = extra as u32;
        let si = p.section as usize - 1;
        let epic = ctx.epic_for(pi, EXTRA_BASE + extra, false);
        let (name, name_en, relative, relative_en) =
            render_names(pools, p, edit_print, late_tok, &mut out.text);
        let row = Row {
            target: part.section_ward[si],
            late: true,
            section: p.section,
            back_part: derived.then_some(part.part_no),
            household: u32::MAX,
            epic: print_epic(&epic, false, &mut rng, &mut out.text),
            name,
            name_en,
            relation: p.relation,
            relative,
            relative_en,
            house: fmt_house(p.house, ec_house_style, None, &mut out.text),
            age: ctx.age(p.dob, ctx.sec_date),
            gender: p.gender,
        };
        let s = out.sec.len() as u32;
        out.sec.push(row);
        out.truth.push(TItem {
            kind: TruthKind::Discrepancy(DiscrepancyKind::MissingInEc),
            ec: None,
            sec: Some(s),
            group: Group::Extra(extra),
            fields: "",
            detail: Cow::Borrowed(""),
        });
    }

    // EPIC conflicts, per roll where both entries print the shared number.
    for &(i, j) in &conflicts {
        let group = Group::Conflict(j as u32);
        let detail = format!("{} on two people", epics[i].as_str());
        for x in [i, j] {
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::EpicConflict),
                ec: Some(ec_row_of[x]),
                sec: None,
                group,
                fields: "epic_no",
                detail: Cow::Owned(detail.clone()),
            });
        }
        if let (Some(a), Some(b)) = (sec_row_of[i], sec_row_of[j]) {
            let (ea, eb) = (out.sec[a as usize].epic, out.sec[b as usize].epic);
            let same = match (ea, eb) {
                (Some(x), Some(y)) => x.get(&out.text) == y.get(&out.text),
                _ => false,
            };
            if same {
                for s in [a, b] {
                    out.truth.push(TItem {
                        kind: TruthKind::Discrepancy(DiscrepancyKind::EpicConflict),
                        ec: None,
                        sec: Some(s),
                        group,
                        fields: "epic_no",
                        detail: Cow::Owned(detail.clone()),
                    });
                }
            }
        }
    }

    // Logical errors, injected or natural, found the way a checker would.
    let parent_ec_age = |i: usize| -> Option<u8> {
        let p = &persons[i];
        matches!(p.relation, RelationType::Father | RelationType::Mother)
            .then_some(p.parent)
            .flatten()
            .map(|x| out.ec[ec_row_of[x as usize] as usize].age)
    };
    let parent_sec_age = |i: usize| -> Option<u8> {
        let p = &persons[i];
        if !matches!(p.relation, RelationType::Father | RelationType::Mother) {
            return None;
        }
        let child = &out.sec[sec_row_of[i]? as usize];
        let parent = &out.sec[sec_row_of[p.parent? as usize]? as usize];
        (parent.target == child.target && child.relation == p.relation).then_some(parent.age)
    };
    let mut ec_parent = std::mem::take(&mut tmp.ec_parent);
    ec_parent.clear();
    ec_parent.resize(out.ec.len(), None);
    let mut sec_parent = std::mem::take(&mut tmp.sec_parent);
    sec_parent.clear();
    sec_parent.resize(out.sec.len(), None);
    for i in 0..n {
        ec_parent[ec_row_of[i] as usize] = parent_ec_age(i);
        if let Some(s) = sec_row_of[i] {
            sec_parent[s as usize] = parent_sec_age(i);
        }
    }
    let mut logical = std::mem::take(&mut tmp.logical);
    logical.clear();
    for (k, row) in out.ec.iter().enumerate() {
        if let Some((fields, detail)) = logical_errors(row, &out.text, ec_parent[k]) {
            logical.push((RowRef::Ec(k as u32), fields, detail));
        }
    }
    for (k, row) in out.sec.iter().enumerate() {
        if let Some((fields, detail)) = logical_errors(row, &out.text, sec_parent[k]) {
            logical.push((RowRef::Sec(k as u32), fields, detail));
        }
    }
    for (r, fields, detail) in logical.drain(..) {
        let (ec, sec) = match r {
            RowRef::Ec(k) => (Some(k), None),
            RowRef::Sec(k) => (None, Some(k)),
        };
        out.truth.push(TItem {
            kind: TruthKind::Discrepancy(DiscrepancyKind::LogicalError),
            ec,
            sec,
            group: Group::None,
            fields,
            detail,
        });
    }
    out.clean = quote_free(out.text.as_bytes());
    out.persons = persons;
    out.extras = extras;
    tmp.epics = epics;
    tmp.locked = locked;
    tmp.conflicts = conflicts;
    tmp.ec_row_of = ec_row_of;
    tmp.sec_row_of = sec_row_of;
    tmp.ec_parent = ec_parent;
    tmp.sec_parent = sec_parent;
    tmp.logical = logical;
    out.tmp = tmp;
}

/// The logical errors of one printed row (its texts in `text`):
/// `(fields, detail)` or `None`.
fn logical_errors(
    row: &Row,
    text: &str,
    parent_age: Option<u8>,
) -> Option<(&'static str, Cow<'static, str>)> {
    // Most EPICs are already normal and of the current form: skip the
    // parser's allocation for them.
    let raw = row.epic.map(|s| s.get(text));
    let current = raw.is_some_and(|e| {
        let b = e.as_bytes();
        b.len() == 10
            && b[..3].iter().all(u8::is_ascii_uppercase)
            && b[3..].iter().all(u8::is_ascii_digit)
    });
    // Most rows have nothing to report: no details to build for them.
    if current
        && (18..=120).contains(&row.age)
        && parent_age.is_none_or(|pa| i32::from(pa) - i32::from(row.age) >= 15)
        && !(row.gender == Gender::Male && row.relation == RelationType::Husband)
    {
        return None;
    }
    // At most one finding per kind: age, parent gap, gender, EPIC.
    let mut detail: [Cow<'static, str>; 4] = Default::default();
    let mut count = 0usize;
    let (mut age, mut gender, mut epic) = (false, false, false);
    if row.age < 18 {
        age = true;
        detail[count] = Cow::Owned(format!("age {} under 18", row.age));
        count += 1;
    } else if row.age > 120 {
        age = true;
        detail[count] = Cow::Owned(format!("age {} over 120", row.age));
        count += 1;
    }
    if let Some(pa) = parent_age
        && i32::from(pa) - i32::from(row.age) < 15
    {
        age = true;
        detail[count] = Cow::Owned(format!(
            "parent-child age gap {} under 15",
            i32::from(pa) - i32::from(row.age)
        ));
        count += 1;
    }
    if row.gender == Gender::Male && row.relation == RelationType::Husband {
        gender = true;
        detail[count] = Cow::Borrowed("male elector with relation Husband");
        count += 1;
    }
    match raw.filter(|_| !current).and_then(Epic::parse) {
        None if current => {}
        None => {
            epic = true;
            detail[count] = Cow::Borrowed("blank EPIC");
            count += 1;
        }
        Some(e) if e.form() == EpicForm::Malformed => {
            epic = true;
            detail[count] = Cow::Owned(format!("malformed EPIC {e}"));
            count += 1;
        }
        Some(_) => {}
    }
    let f = match (age, gender, epic) {
        (false, false, false) => return None,
        (true, false, false) => "age",
        (false, false, true) => "epic_no",
        (false, true, false) => "gender;relation_type",
        (true, false, true) => "age;epic_no",
        (true, true, false) => "age;gender;relation_type",
        (false, true, true) => "gender;relation_type;epic_no",
        (true, true, true) => "age;gender;relation_type;epic_no",
    };
    let detail = if count == 1 {
        std::mem::take(&mut detail[0])
    } else {
        Cow::Owned(detail[..count].join("; "))
    };
    Some((f, detail))
}

// ---------------------------------------------------------------- assembly

/// Final placement of every row of an AC: for each part's rows, the serial
/// number in its target part or ward.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// Per target: the (source part, row index) list in print order.
    pub order: Vec<Vec<(u32, u32)>>,
    /// Per source part: the serial of each row.
    pub serial: Vec<Vec<u32>>,
}

pub(crate) fn layout(
    parts: &[PartOut],
    targets: usize,
    rows: impl Fn(&PartOut) -> &Vec<Row>,
    shuffle: Option<u64>,
    reuse: Layout,
) -> Layout {
    // The lists of the last AC are cleared and refilled (their memory kept).
    let Layout {
        mut order,
        mut serial,
    } = reuse;
    // Lists beyond this AC's targets are kept empty for a larger AC.
    if order.len() < targets {
        order.resize_with(targets, Vec::new);
    }
    for list in &mut order {
        list.clear();
    }
    // One pass over the rows: main-list rows go to their target's list,
    // supplement rows (a few in a hundred) are set aside and follow.
    let mut late: Vec<(u32, u32)> = Vec::new();
    for (pi, p) in parts.iter().enumerate() {
        for (k, r) in rows(p).iter().enumerate() {
            if r.late {
                late.push((pi as u32, k as u32));
            } else {
                order[r.target as usize].push((pi as u32, k as u32));
            }
        }
    }
    // An independent roll has its own serial order: households of a ward
    // in another order.
    if let Some(seed) = shuffle {
        for (w, list) in order[..targets].iter_mut().enumerate() {
            let mut blocks: Vec<Vec<(u32, u32)>> = Vec::new();
            let mut last = None;
            for &(pi, k) in list.iter() {
                let key = (pi, rows(&parts[pi as usize])[k as usize].household);
                if last != Some(key) {
                    blocks.push(Vec::new());
                    last = Some(key);
                }
                if let Some(b) = blocks.last_mut() {
                    b.push((pi, k));
                }
            }
            let mut rng = rng_for(seed, w as u64, 0x5EC, 3);
            for i in (1..blocks.len()).rev() {
                let j = rng.random_range(0..=i);
                blocks.swap(i, j);
            }
            list.clear();
            list.extend(blocks.into_iter().flatten());
        }
    }
    for (pi, k) in late {
        let target = rows(&parts[pi as usize])[k as usize].target;
        order[target as usize].push((pi, k));
    }
    if serial.len() < parts.len() {
        serial.resize_with(parts.len(), Vec::new);
    }
    for (s, p) in serial.iter_mut().zip(parts) {
        s.clear();
        s.resize(rows(p).len(), 0);
    }
    for list in &order {
        for (s, &(pi, k)) in list.iter().enumerate() {
            serial[pi as usize][k as usize] = s as u32 + 1;
        }
    }
    Layout { order, serial }
}

#[cfg(test)]
fn elector_of(row: &Row, text: &str, state: &str, location: Location, serial: u32) -> Elector {
    Elector {
        state_code: Some(state.into()),
        location,
        serial_no: serial,
        epic: row.epic.and_then(|e| Epic::parse(e.get(text))),
        name: row.name.get(text).into(),
        relation_type: Some(row.relation),
        relative_name: Some(row.relative.get(text).into()),
        house_no: Some(row.house.get(text).into()),
        age: Some(row.age),
        gender: Some(row.gender),
        name_en: row.name_en.map(|s| s.get(text).into()),
        relative_name_en: row.relative_en.map(|s| s.get(text).into()),
        line: 0,
    }
}

/// Writes rows through the canonical writer into a buffer, without the
/// header line. The reference for [`RowFormatter`], which must write the
/// same bytes (tested).
#[cfg(test)]
fn write_rows<'r>(
    kind: RollKind,
    electors: impl Iterator<Item = Elector> + 'r,
) -> Result<Vec<u8>, SynthError> {
    let mut w =
        rollrec_io::csv::RollWriter::new(Vec::with_capacity(1 << 16), kind, kind.short_name())?;
    for e in electors {
        w.write(&e)?;
    }
    let mut bytes = w.finish()?;
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| p + 1);
    bytes.drain(..header_end);
    Ok(bytes)
}

/// Whether the csv writer quotes a field holding this byte.
fn needs_quote(c: u8) -> bool {
    matches!(c, b',' | b'"' | b'\r' | b'\n')
}

/// Whether no byte of `b` needs quoting: one pass without early exit,
/// which the compiler vectorises.
fn quote_free(b: &[u8]) -> bool {
    let hit = |c: u8| (c == b',') | (c == b'"') | (c == b'\r') | (c == b'\n');
    let mut chunks = b.chunks_exact(64);
    let mut any = false;
    for c in &mut chunks {
        any |= c.iter().fold(false, |a, &x| a | hit(x));
    }
    !(any || chunks.remainder().iter().any(|&c| hit(c)))
}

/// Non-zero when one of the eight bytes of `w` needs quoting (the
/// zero-byte test of "Bit Twiddling Hacks" for each of the four bytes; it
/// can flag a byte wrongly only after a true hit in the same word).
fn quote_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    zero(w ^ (ONES * u64::from(b',')))
        | zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\r')))
        | zero(w ^ (ONES * u64::from(b'\n')))
}

/// A part's text arena ([`PartOut::text`]) and whether it is clean
/// ([`PartOut::clean`]).
#[derive(Debug, Clone, Copy)]
struct Arena<'a> {
    text: &'a str,
    clean: bool,
}

impl PartOut {
    fn arena(&self) -> Arena<'_> {
        Arena {
            text: &self.text,
            clean: self.clean,
        }
    }
}

/// Writes roll rows straight from [`Row`]s into a byte buffer, in the
/// canonical column order (`rollrec_io::csv::known_columns`) and with the
/// csv crate's quoting (a field is quoted when it holds `,`, `"`, `\r` or
/// `\n`; quotes inside are doubled), so the bytes are those of
/// `RollWriter` on the [`Elector`] that [`elector_of`] would build, without
/// building it (tested byte for byte against `RollWriter`).
struct RowFormatter {
    buf: Vec<u8>,
}

impl RowFormatter {
    #[cfg(test)]
    fn with_capacity(bytes: usize) -> RowFormatter {
        RowFormatter {
            buf: Vec::with_capacity(bytes),
        }
    }

    fn text(&mut self, s: &str) {
        let b = s.as_bytes();
        let start = self.buf.len();
        // Copy eight bytes at a time (fixed-size copies compile to moves,
        // not calls) while looking for bytes that need quoting; start again
        // quoted if one is found.
        self.buf.reserve(b.len());
        let mut special = 0u64;
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            special |= quote_bytes(u64::from_le_bytes(w));
            self.buf.extend_from_slice(&w);
        }
        let mut tail = false;
        for &c in chunks.remainder() {
            tail |= needs_quote(c);
            self.buf.push(c);
        }
        if special != 0 || tail {
            self.buf.truncate(start);
            self.buf.push(b'"');
            for &c in b {
                if c == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(c);
            }
            self.buf.push(b'"');
        }
    }

    /// A text of a part's arena: through [`RowFormatter::text`] unless
    /// the arena is clean (no byte in it needs quoting), when it is
    /// copied by [`RowFormatter::blocks`].
    fn span(&mut self, arena: Arena<'_>, sp: Span) {
        if arena.clean {
            let start = sp.start as usize;
            self.blocks(arena.text.as_bytes(), start, start + sp.len as usize);
        } else {
            self.text(sp.get(arena.text));
        }
    }

    /// Appends `src[start..end]` as it is, in sixteen-byte blocks that may
    /// run past `end` into `src` and are cut back (fixed-size copies
    /// compile to moves, not calls to `memcpy`).
    fn blocks(&mut self, src: &[u8], start: usize, end: usize) {
        let end = end.min(src.len());
        let len = end.saturating_sub(start);
        let at = self.buf.len();
        self.buf.reserve(len + 16);
        let mut i = start;
        while i < end {
            match src.get(i..i + 16) {
                Some(block) => {
                    let mut w = [0u8; 16];
                    w.copy_from_slice(block);
                    self.buf.extend_from_slice(&w);
                    i += 16;
                }
                None => {
                    self.buf.extend_from_slice(&src[i..end]);
                    i = end;
                }
            }
        }
        self.buf.truncate(at + len);
    }

    /// A one-letter code (relation, gender): pushed as it is when it needs
    /// no quoting.
    fn code(&mut self, s: &'static str) {
        match s.as_bytes() {
            &[c] if !needs_quote(c) => self.buf.push(c),
            _ => self.text(s),
        }
    }

    fn num(&mut self, n: u32) {
        if n >= 100_000_000 {
            self.long_num(n);
            return;
        }
        let len = 1
            + usize::from(n >= 10)
            + usize::from(n >= 100)
            + usize::from(n >= 1_000)
            + usize::from(n >= 10_000)
            + usize::from(n >= 100_000)
            + usize::from(n >= 1_000_000)
            + usize::from(n >= 10_000_000);
        self.digits8(n, len);
    }

    /// A number of nine or ten digits: the leading one or two, then eight.
    #[cold]
    fn long_num(&mut self, n: u32) {
        let high = n / 100_000_000;
        self.digits8(high, if high >= 10 { 2 } else { 1 });
        self.digits8(n % 100_000_000, 8);
    }

    /// The last `len` (1-8) decimal digits of `n`, with leading zeros. The
    /// digits are put together in a register, the first in the low byte,
    /// and stored as one eight-byte word that is cut back: bytes stored one
    /// by one and read back as a word would stall the load.
    fn digits8(&mut self, n: u32, len: usize) {
        let w = ascii8(n) >> (8 * (8 - len.clamp(1, 8)));
        let at = self.buf.len();
        self.buf.extend_from_slice(&w.to_le_bytes());
        self.buf.truncate(at + len);
    }

    fn opt_num(&mut self, n: Option<u32>) {
        if let Some(n) = n {
            self.num(n);
        }
    }

    fn comma(&mut self) {
        self.buf.push(b',');
    }

    /// The EPIC as `Epic::parse` normalises it: ASCII text without white
    /// space or lower-case letters is already normal; anything else goes
    /// through the parser.
    fn epic(&mut self, arena: Arena<'_>, sp: Option<Span>) {
        let Some(sp) = sp else { return };
        let raw = sp.get(arena.text);
        let b = raw.as_bytes();
        if b.iter()
            .all(|c| c.is_ascii() && !c.is_ascii_whitespace() && !c.is_ascii_lowercase())
        {
            self.span(arena, sp);
        } else if let Some(e) = Epic::parse(raw) {
            self.text(e.as_str());
        }
    }

    /// The columns from `epic_no` to the end of the line, common to both
    /// rolls.
    fn fields(&mut self, row: &Row, text: Arena<'_>) {
        self.epic(text, row.epic);
        self.comma();
        self.span(text, row.name);
        self.comma();
        self.code(row.relation.code());
        self.comma();
        self.span(text, row.relative);
        self.comma();
        self.span(text, row.house);
        self.comma();
        self.num(u32::from(row.age));
        self.comma();
        self.code(row.gender.code());
        self.comma();
        if let Some(n) = row.name_en {
            self.span(text, n);
        }
        self.comma();
        if let Some(n) = row.relative_en {
            self.span(text, n);
        }
        self.buf.push(b'\n');
    }

    /// A truth row's `group_id` ([`Group`]) for a row of part `part_no`.
    fn group(&mut self, g: Group, ac_no: u32, part_no: u32) {
        let (conflict, extra, n) = match g {
            Group::None => return,
            Group::Person(i) => (false, false, i),
            Group::Extra(i) => (false, true, i),
            Group::Conflict(i) => (true, false, i),
        };
        if conflict {
            self.buf.push(b'C');
        }
        self.num(ac_no);
        self.buf.push(b'-');
        self.num(part_no);
        self.buf.push(b'-');
        if extra {
            self.buf.push(b'x');
        }
        self.num(n);
    }

    /// The first columns every row of an EC part prints alike:
    /// `state_code,ac_no,part_no,`.
    fn assembly_prefix(state: &str, ac_no: u32, part_no: u32) -> Prefix {
        let mut f = RowFormatter {
            buf: Vec::with_capacity(48),
        };
        f.text(state);
        f.comma();
        f.num(ac_no);
        f.comma();
        f.num(part_no);
        f.comma();
        Prefix::new(f.buf)
    }

    /// An assembly-roll row (as [`elector_of`] with an assembly location)
    /// after its part's [`RowFormatter::assembly_prefix`].
    fn assembly(&mut self, prefix: &Prefix, row: &Row, text: Arena<'_>, serial: u32) {
        self.prefix(prefix);
        self.num(row.section);
        self.comma();
        self.num(serial);
        self.comma();
        self.fields(row, text);
    }

    /// The first columns every row of a ward prints alike:
    /// `state_code,local_body,ward_no,`.
    fn local_body_prefix(state: &str, ward: &Ward) -> Prefix {
        let mut f = RowFormatter {
            buf: Vec::with_capacity(48),
        };
        f.text(state);
        f.comma();
        f.text(&ward.local_body);
        f.comma();
        f.num(ward.ward_no);
        f.comma();
        Prefix::new(f.buf)
    }

    /// A local-body-roll row (as [`elector_of`] with a local-body location
    /// whose back-reference is the row's `back_part` in `ac_no`) after its
    /// ward's [`RowFormatter::local_body_prefix`].
    fn local_body(&mut self, prefix: &Prefix, row: &Row, text: Arena<'_>, ac_no: u32, serial: u32) {
        self.prefix(prefix);
        self.opt_num(row.back_part.map(|_| ac_no));
        self.comma();
        self.opt_num(row.back_part);
        self.comma();
        self.num(serial);
        self.comma();
        self.fields(row, text);
    }

    fn prefix(&mut self, p: &Prefix) {
        self.blocks(&p.bytes, 0, p.len);
    }
}

/// The last eight decimal digits of `n` in ASCII, with leading zeros, the
/// first digit in the low byte of the word. All digits at once, two lanes
/// of four digits split into four lanes of two, then eight of one: a
/// division by a constant is a multiplication and a shift, and the lanes
/// are far enough apart that one lane's product does not reach the digit
/// bits of the next (masked off). Digit by digit, each division waited
/// for the one before; this was 3% of a run.
fn ascii8(n: u32) -> u64 {
    let n = u64::from(n % 100_000_000);
    // Lanes of 32 bits: the first four digits, the last four.
    let v = (n / 10_000) | ((n % 10_000) << 32);
    // x / 100 for x < 10,000 is (x * 10,486) >> 20.
    let hundreds = ((v * 10_486) >> 20) & 0x0000_007F_0000_007F;
    // Lanes of 16 bits: pairs of digits, the first pair low.
    let v = ((v - hundreds * 100) << 16) | hundreds;
    // x / 10 for x < 100 is (x * 103) >> 10.
    let tens = ((v * 103) >> 10) & 0x000F_000F_000F_000F;
    // Lanes of 8 bits: digits, the first low.
    let v = ((v - tens * 10) << 8) | tens;
    v | 0x3030_3030_3030_3030
}

/// Formatted bytes repeated at the start of many rows, followed by sixteen
/// bytes of padding so that [`RowFormatter::blocks`] copies them in whole
/// blocks.
#[derive(Debug)]
struct Prefix {
    bytes: Vec<u8>,
    len: usize,
}

impl Prefix {
    fn new(mut bytes: Vec<u8>) -> Prefix {
        let len = bytes.len();
        bytes.resize(len + 16, 0);
        Prefix { bytes, len }
    }
}

/// Writes one truth row (the columns of [`TruthRow`]) through the csv
/// writer: the reference for [`write_truth`] (tested).
#[cfg(test)]
#[allow(clippy::too_many_arguments)]
fn write_truth_csv(
    w: &mut csv::Writer<Vec<u8>>,
    kind: TruthKind,
    ec: Option<(u32, u32, u32)>,
    sec: Option<(&str, u32, u32)>,
    group: &str,
    fields: &str,
    detail: &str,
) -> Result<(), csv::Error> {
    let mut nums = [const { String::new() }; 5];
    if let Some((a, p, s)) = ec {
        nums[0] = a.to_string();
        nums[1] = p.to_string();
        nums[2] = s.to_string();
    }
    if let Some((_, wd, s)) = sec {
        nums[3] = wd.to_string();
        nums[4] = s.to_string();
    }
    w.write_record([
        kind.as_str(),
        &nums[0],
        &nums[1],
        &nums[2],
        sec.map_or("", |k| k.0),
        &nums[3],
        &nums[4],
        group,
        fields,
        detail,
    ])
}

/// Writes one truth row (the columns of [`TruthRow`]) without building it,
/// byte for byte as the csv writer would ([`RowFormatter`]'s quoting);
/// `group` writes the `group_id` cell.
fn write_truth(
    f: &mut RowFormatter,
    kind: TruthKind,
    ec: Option<(u32, u32, u32)>,
    sec: Option<(&str, u32, u32)>,
    group: impl FnOnce(&mut RowFormatter),
    t: (&str, &str),
) {
    let (fields, detail) = t;
    f.text(kind.as_str());
    f.comma();
    if let Some((a, p, s)) = ec {
        f.num(a);
        f.comma();
        f.num(p);
        f.comma();
        f.num(s);
    } else {
        f.comma();
        f.comma();
    }
    f.comma();
    if let Some((lb, wd, s)) = sec {
        f.text(lb);
        f.comma();
        f.num(wd);
        f.comma();
        f.num(s);
    } else {
        f.comma();
        f.comma();
    }
    f.comma();
    group(f);
    f.comma();
    f.text(fields);
    f.comma();
    f.text(detail);
    f.buf.push(b'\n');
}

/// Counts of one AC, added into the summary.
#[derive(Debug, Default)]
pub(crate) struct AcCounts {
    pub ec_rows: u64,
    pub sec_rows: u64,
    pub parts: u64,
    pub wards: u64,
    pub local_bodies: u64,
    pub truth: BTreeMap<&'static str, u64>,
    pub unresolved_namesakes: u64,
}

/// Truth kinds: pair, then every discrepancy kind.
const KINDS: usize = 1 + DiscrepancyKind::ALL.len();

fn kind_index(kind: TruthKind) -> usize {
    match kind {
        TruthKind::Pair => 0,
        TruthKind::Discrepancy(k) => {
            1 + DiscrepancyKind::ALL
                .iter()
                .position(|&x| x == k)
                .unwrap_or(0)
        }
    }
}

fn kind_at(i: usize) -> TruthKind {
    match i.checked_sub(1) {
        None => TruthKind::Pair,
        Some(k) => TruthKind::Discrepancy(DiscrepancyKind::ALL[k]),
    }
}

/// Memory kept from one AC to the next: the parts' rows and texts and the
/// output buffers, cleared and refilled, so that every AC after the first
/// reuses pages instead of faulting fresh ones in. Bounded by the largest
/// AC.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    parts: Vec<PartOut>,
    /// The EC and SEC layouts.
    layouts: [Layout; 2],
    namesakes: NamesakeTable,
}

/// A format task's hold on its file's stages: rows are formatted straight
/// into the stage held, which is given to the file when full and traded
/// for an empty one.
struct StageRows<'s> {
    sink: &'s mut (dyn StageSink + Send),
    /// Its buffer is the stage's memory.
    f: RowFormatter,
    /// Where the stage's bytes start in the buffer, and how many make it
    /// full.
    at: usize,
    size: usize,
}

impl<'s> StageRows<'s> {
    fn new(sink: &'s mut (dyn StageSink + Send)) -> io::Result<Self> {
        let stage = sink.take()?;
        Ok(StageRows {
            sink,
            f: RowFormatter { buf: stage.mem },
            at: stage.at,
            size: stage.size,
        })
    }

    /// After each row: a full stage goes to the file.
    fn row_done(&mut self) -> io::Result<()> {
        if self.f.buf.len() - self.at >= self.size {
            let full = Stage {
                mem: std::mem::take(&mut self.f.buf),
                at: self.at,
                size: self.size,
            };
            self.sink.give(full)?;
            let next = self.sink.take()?;
            self.f.buf = next.mem;
            self.at = next.at;
            self.size = next.size;
        }
        Ok(())
    }

    /// Gives the stage back, not full: the next AC goes on filling it.
    fn finish(self) -> io::Result<()> {
        self.sink.give(Stage {
            mem: self.f.buf,
            at: self.at,
            size: self.size,
        })
    }
}

/// Generates one AC and writes it to the three outputs.
pub(crate) fn write_ac(
    cfg: &SynthConfig,
    ac_index: usize,
    size: u64,
    scratch: &mut Scratch,
    out: [&mut (dyn StageSink + Send); 3],
) -> Result<AcCounts, SynthError> {
    let [ec_out, sec_out, truth_out] = out;
    let plan = plan_ac(cfg, ac_index, size);
    let ctx = AcCtx::new(cfg, &plan, Pools::get()?);
    let n_parts = plan.parts.len();
    let n_wards = plan.wards.len();
    // The parts of a larger AC before are kept (not dropped), so that the
    // next larger AC finds their memory instead of faulting fresh pages in.
    let mut kept = std::mem::take(&mut scratch.parts);
    if kept.len() < n_parts {
        kept.resize_with(n_parts, PartOut::default);
    }
    let parts = &mut kept[..n_parts];
    parts.par_iter_mut().enumerate().for_each(|(pi, part)| {
        gen_people(&ctx, pi, part);
    });
    separate_namesakes(&ctx, parts, &mut scratch.namesakes);
    parts.par_iter_mut().enumerate().for_each(|(pi, part)| {
        gen_rows(&ctx, pi, part);
    });
    let [ec_reuse, sec_reuse] = std::mem::take(&mut scratch.layouts);
    let parts = &*parts;
    let ec_layout = layout(parts, n_parts, |p| &p.ec, None, ec_reuse);
    let shuffle = (!cfg.scenario.is_derived()).then_some(mix(cfg.seed ^ u64::from(plan.ac_no)));
    let sec_layout = layout(parts, n_wards, |p| &p.sec, shuffle, sec_reuse);
    let state = plan.lang.state_code();
    let ac = plan.ac_no;

    // The three files are formatted at once, each by a task of its own
    // that formats its rows in file order straight into the file's stages
    // and gives each full stage to the file (output.rs): the bytes are not
    // copied on their way to a direct file, and memory holds a few stages
    // a file, not the AC's output.
    let mut ec_task = || -> io::Result<()> {
        let mut w = StageRows::new(ec_out)?;
        for (tp, list) in ec_layout.order[..n_parts].iter().enumerate() {
            let prefix = RowFormatter::assembly_prefix(state, ac, plan.parts[tp].part_no);
            for (s, &(pi, k)) in list.iter().enumerate() {
                let part = &parts[pi as usize];
                let row = &part.ec[k as usize];
                w.f.assembly(&prefix, row, part.arena(), s as u32 + 1);
                w.row_done()?;
            }
        }
        w.finish()
    };
    let mut sec_task = || -> io::Result<()> {
        let mut w = StageRows::new(sec_out)?;
        for (wi, list) in sec_layout.order[..n_wards].iter().enumerate() {
            let prefix = RowFormatter::local_body_prefix(state, &plan.wards[wi]);
            for (s, &(pi, k)) in list.iter().enumerate() {
                let part = &parts[pi as usize];
                let row = &part.sec[k as usize];
                w.f.local_body(&prefix, row, part.arena(), ac, s as u32 + 1);
                w.row_done()?;
            }
        }
        w.finish()
    };
    let mut truth_task = || -> io::Result<[u64; KINDS]> {
        let mut w = StageRows::new(truth_out)?;
        let mut counts = [0u64; KINDS];
        for (pi, part) in parts.iter().enumerate() {
            let part_no = plan.parts[pi].part_no;
            for t in &part.truth {
                let ec = t.ec.map(|k| {
                    let row = &part.ec[k as usize];
                    (
                        ac,
                        plan.parts[row.target as usize].part_no,
                        ec_layout.serial[pi][k as usize],
                    )
                });
                let sec = t.sec.map(|k| {
                    let row = &part.sec[k as usize];
                    let ward = &plan.wards[row.target as usize];
                    (
                        ward.local_body.as_str(),
                        ward.ward_no,
                        sec_layout.serial[pi][k as usize],
                    )
                });
                write_truth(
                    &mut w.f,
                    t.kind,
                    ec,
                    sec,
                    |f| f.group(t.group, ac, part_no),
                    (t.fields, &t.detail),
                );
                counts[kind_index(t.kind)] += 1;
                w.row_done()?;
            }
        }
        w.finish()?;
        Ok(counts)
    };
    // The EC task on this thread (the caller, if not a worker of the pool,
    // would only wait), the others on the pool.
    let (mut sec_done, mut truth_done) = (None, None);
    let ec_done = rayon::in_place_scope(|s| {
        s.spawn(|_| sec_done = Some(sec_task()));
        s.spawn(|_| truth_done = Some(truth_task()));
        ec_task()
    });
    let not_run = || io::Error::other("a format task did not run");
    ec_done?;
    sec_done.ok_or_else(not_run)??;
    let truth_counts = truth_done.ok_or_else(not_run)??;

    let mut counts = AcCounts {
        parts: n_parts as u64,
        wards: n_wards as u64,
        local_bodies: plan.lb_wards.len() as u64,
        ..AcCounts::default()
    };
    for (i, &v) in truth_counts.iter().enumerate() {
        if v > 0 {
            *counts.truth.entry(kind_at(i).as_str()).or_default() += v;
        }
    }
    counts.unresolved_namesakes = scratch.namesakes.unresolved;
    counts.ec_rows = parts.iter().map(|p| p.ec.len() as u64).sum();
    counts.sec_rows = parts.iter().map(|p| p.sec.len() as u64).sum();
    scratch.parts = kept;
    scratch.layouts = [ec_layout, sec_layout];
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The bytes `RollWriter` writes for `row` and those of [`RowFormatter`],
    /// in both rolls. Both ways of copying texts are checked: as the arena
    /// allows (in whole blocks when no byte of it needs quoting), and byte by
    /// byte.
    fn both_ways(row: &Row, arena: Arena<'_>, state: &str, ward: &Ward, at: (u32, u32, u32)) {
        let (ac, part, serial) = at;
        let text = arena.text;
        let ec_loc = Location::Assembly(AssemblyLocation {
            ac_no: ac,
            part_no: part,
            section_no: Some(row.section),
        });
        let want_ec = write_rows(
            RollKind::Assembly,
            std::iter::once(elector_of(row, text, state, ec_loc, serial)),
        )
        .expect("writes");
        let sec_loc = Location::LocalBody(LocalBodyLocation {
            local_body: ward.local_body.as_str().into(),
            ward_no: ward.ward_no,
            ac_no: row.back_part.map(|_| ac),
            part_no: row.back_part,
        });
        let want_sec = write_rows(
            RollKind::LocalBody,
            std::iter::once(elector_of(row, text, state, sec_loc, serial)),
        )
        .expect("writes");
        let ways: &[bool] = if arena.clean {
            &[true, false]
        } else {
            &[false]
        };
        for &clean in ways {
            let arena = Arena { text, clean };
            let mut f = RowFormatter::with_capacity(256);
            f.assembly(
                &RowFormatter::assembly_prefix(state, ac, part),
                row,
                arena,
                serial,
            );
            assert_eq!(
                String::from_utf8_lossy(&f.buf),
                String::from_utf8_lossy(&want_ec),
                "{row:?}"
            );
            let mut f = RowFormatter::with_capacity(256);
            f.local_body(
                &RowFormatter::local_body_prefix(state, ward),
                row,
                arena,
                ac,
                serial,
            );
            assert_eq!(
                String::from_utf8_lossy(&f.buf),
                String::from_utf8_lossy(&want_sec),
                "{row:?}"
            );
        }
    }

    #[test]
    fn row_formatter_writes_what_roll_writer_writes() {
        // Every row of one AC per scenario and language, through both.
        for scenario in Scenario::ALL {
            for (i, lang) in Language::ALL.iter().enumerate() {
                let cfg = SynthConfig {
                    electors: 3_000,
                    seed: 11,
                    languages: vec![*lang],
                    ..SynthConfig::for_scenario(scenario)
                };
                let plan = plan_ac(&cfg, 0, 3_000);
                let ctx = AcCtx::new(&cfg, &plan, Pools::get().expect("name pools load"));
                let (mut rows, mut clean) = (0, 0);
                for pi in 0..plan.parts.len() {
                    let mut part = PartOut::default();
                    gen_part(&ctx, pi, &mut part);
                    clean += usize::from(part.clean);
                    for (k, row) in part.ec.iter().chain(&part.sec).enumerate() {
                        let ward = &plan.wards[(row.target as usize).min(plan.wards.len() - 1)];
                        both_ways(
                            row,
                            part.arena(),
                            plan.lang.state_code(),
                            ward,
                            (plan.ac_no, pi as u32 + 1, k as u32 + 1),
                        );
                        rows += 1;
                    }
                }
                assert!(rows > 2_000, "{scenario:?} {i}: {rows} rows");
                // Generated texts never need quoting, so the block copies
                // are what runs (and what this test checks).
                assert_eq!(clean, plan.parts.len(), "{scenario:?} {i}");
            }
        }
    }

    #[test]
    fn truth_formatter_writes_what_the_csv_writer_writes() {
        let texts = ["", "x", "a,b", "q\"q", "l\nl", "c\rr", "राम"];
        for (i, kind) in [
            TruthKind::Pair,
            TruthKind::Discrepancy(DiscrepancyKind::LogicalError),
            TruthKind::Discrepancy(DiscrepancyKind::MissingInEc),
        ]
        .into_iter()
        .enumerate()
        {
            for t in texts {
                for ec in [None, Some((1, u32::MAX, 0))] {
                    for sec in [None, Some((t, 4_000_000_000, 7))] {
                        let mut w = csv::WriterBuilder::new()
                            .has_headers(false)
                            .terminator(csv::Terminator::Any(b'\n'))
                            .from_writer(Vec::new());
                        write_truth_csv(&mut w, kind, ec, sec, t, texts[i], t).expect("writes");
                        let want = w.into_inner().expect("flushes");
                        let mut f = RowFormatter::with_capacity(256);
                        write_truth(&mut f, kind, ec, sec, |f| f.text(t), (texts[i], t));
                        assert_eq!(
                            String::from_utf8_lossy(&f.buf),
                            String::from_utf8_lossy(&want)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn row_formatter_quotes_and_normalises_like_roll_writer() {
        let ward = Ward {
            local_body: "MC,01 \"x\"".to_string(),
            ward_no: 4_000_000_000,
            lb: 0,
        };
        let base = Row {
            target: 0,
            late: false,
            section: 0,
            back_part: Some(7),
            household: 0,
            epic: None,
            name: Span::default(),
            name_en: None,
            relation: RelationType::Other,
            relative: Span::default(),
            relative_en: Some(Span::default()),
            house: Span::default(),
            age: 255,
            gender: Gender::Third,
        };
        let texts = [
            "",
            "a,b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "  spaced  ",
            "=1+2",
            "राम, कुमार",
            "\t",
            "'",
            ",",
        ];
        let epics = [
            None,
            Some(""),
            Some("   "),
            Some("abc1234567"),
            Some("ABC 1234567"),
            Some("ABC१२३४५६७"),
            Some("PY/01/015/063676"),
            Some("N0B,\"1"),
            Some("x\ny"),
            Some("ɑbc"),
        ];
        let mut n = 0u32;
        for t in texts {
            for epic in epics {
                // The texts in one arena, as a part holds them.
                let mut text = String::new();
                let epic = epic.map(|e| Span::push(&mut text, e));
                let name = Span::push(&mut text, t);
                let row = Row {
                    epic,
                    name,
                    name_en: Some(Span::push(&mut text, t)),
                    relative: Span::push(&mut text, t),
                    relative_en: n.is_multiple_of(2).then(|| Span::push(&mut text, t)),
                    house: Span::push(&mut text, t),
                    back_part: (!n.is_multiple_of(3)).then_some(n),
                    section: n,
                    ..base
                };
                let arena = Arena {
                    clean: quote_free(text.as_bytes()),
                    text: &text,
                };
                both_ways(&row, arena, t, &ward, (n, u32::MAX - n, n));
                n += 1;
            }
        }
    }

    #[test]
    fn namesake_table_acts_as_a_map_of_age_sets() {
        // The same look-ups in the open-addressing table and in a map, from
        // a table made too small so that it grows, with key 0 among them.
        let mut table = NamesakeTable::default();
        table.reset(1);
        let mut map: HashMap<u64, u64> = HashMap::new();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut held = Vec::new();
        for i in 0..20_000u32 {
            let key = if i % 997 == 0 {
                0
            } else {
                mix(u64::from(rng.random_range(0..3_000u32)))
            };
            let age = rng.random_range(10..90);
            let want = {
                let ages = map.entry(key).or_insert(0);
                if *ages & NamesakeTable::window(age) != 0 {
                    None
                } else {
                    let bit = 1u64 << NamesakeTable::bit_of(age);
                    *ages |= bit;
                    Some(bit)
                }
            };
            let got = table.try_insert(key, age);
            assert_eq!(got, want, "{i}");
            if let Some(bit) = got {
                held.push((key, bit));
            }
            if i % 3 == 0
                && let Some((key, bit)) = held.pop()
            {
                table.remove(key, bit);
                if let Some(ages) = map.get_mut(&key) {
                    *ages &= !bit;
                }
            }
        }
        assert!(table.buckets.len() * 4 >= 3_000, "{}", table.buckets.len());
    }

    #[test]
    fn epic_numbers_are_zero_padded_to_their_width() {
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        for width in 0..=12usize {
            let mut values = vec![0u64, 1, 9_999_999, 10_000_000, 123_456_789_012];
            values.extend((0..500).map(|_| rng.random_range(0..10u64.pow(width as u32 + 1))));
            for n in values {
                let mut e = EpicText::EMPTY;
                e.push_str("AB");
                e.push_num(n, width);
                assert_eq!(e.as_str(), format!("AB{n:0width$}"), "{n} {width}");
            }
        }
    }

    #[test]
    fn numbers_are_written_as_decimal_text() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let mut values: Vec<u32> = vec![0, 1, 9, 10, 99, 100, 999_999, 9_999_999];
        values.extend([99_999_999, 100_000_000, 123_456_789, u32::MAX]);
        for digits in 1..=10u32 {
            let top = 10u64.pow(digits).min(u64::from(u32::MAX) + 1);
            values.extend((0..2_000).map(|_| rng.random_range(0..top) as u32));
        }
        for n in values {
            let mut f = RowFormatter::with_capacity(16);
            f.num(n);
            assert_eq!(String::from_utf8_lossy(&f.buf), n.to_string());
        }
        for n in 0..100_000u32 {
            let want = format!("{:08}", n * 997 % 100_000_000);
            assert_eq!(ascii8(n * 997).to_le_bytes(), want.as_bytes(), "{n}");
        }
    }

    #[test]
    fn quote_free_finds_every_byte_that_needs_quotes() {
        for len in [0, 1, 63, 64, 65, 200] {
            let plain = "a".repeat(len);
            assert!(quote_free(plain.as_bytes()));
            for at in 0..len {
                for c in [b',', b'"', b'\r', b'\n'] {
                    let mut b = plain.clone().into_bytes();
                    b[at] = c;
                    assert!(!quote_free(&b), "{len} {at} {c}");
                }
            }
        }
        assert!(quote_free("राम कुमार; H.No. 16/A".as_bytes()));
    }

    #[test]
    fn numbers_print_as_display_does() {
        let mut f = RowFormatter::with_capacity(64);
        let mut p = 1u64;
        while p <= 10_000_000_000 {
            for n in [p - 1, p, p + 1] {
                let Ok(n) = u32::try_from(n) else { continue };
                f.buf.clear();
                f.num(n);
                assert_eq!(String::from_utf8_lossy(&f.buf), n.to_string());
            }
            p *= 10;
        }
        f.buf.clear();
        f.num(u32::MAX);
        assert_eq!(String::from_utf8_lossy(&f.buf), u32::MAX.to_string());
    }

    #[test]
    fn households_give_distinct_given_names() {
        for lang in Language::ALL {
            let cfg = SynthConfig {
                electors: 3_000,
                seed: 5,
                languages: vec![lang],
                ..SynthConfig::default()
            };
            let plan = plan_ac(&cfg, 0, 3_000);
            let ctx = AcCtx::new(&cfg, &plan, Pools::get().expect("name pools load"));
            let mut parts: Vec<PartOut> =
                (0..plan.parts.len()).map(|_| PartOut::default()).collect();
            for (pi, part) in parts.iter_mut().enumerate() {
                gen_people(&ctx, pi, part);
            }
            let mut table = NamesakeTable::default();
            separate_namesakes(&ctx, &mut parts, &mut table);
            assert_eq!(table.unresolved, 0, "{lang:?}");
            let mut households = 0;
            for part in &parts {
                let mut seen: HashMap<u32, Vec<u32>> = HashMap::new();
                for p in &part.persons {
                    seen.entry(p.household).or_default().push(p.given);
                }
                for (h, mut given) in seen {
                    let n = given.len();
                    given.sort_unstable();
                    given.dedup();
                    assert_eq!(given.len(), n, "{lang:?}: household {h} repeats a name");
                    households += 1;
                }
            }
            assert!(households > 500, "{lang:?}: {households}");
        }
    }

    #[test]
    fn namesakes_of_an_ac_are_separated_and_relatives_follow_renames() {
        // A large AC of a language whose pools run short (no family
        // names): every person is entered once, and a renamed head's name
        // is the relative name of his wife and children.
        let cfg = SynthConfig {
            electors: 40_000,
            seed: 9,
            languages: vec![Language::Tamil],
            ..SynthConfig::default()
        };
        let plan = plan_ac(&cfg, 0, 40_000);
        let ctx = AcCtx::new(&cfg, &plan, Pools::get().expect("name pools load"));
        let mut parts: Vec<PartOut> = (0..plan.parts.len()).map(|_| PartOut::default()).collect();
        for (pi, part) in parts.iter_mut().enumerate() {
            gen_people(&ctx, pi, part);
        }
        let mut table = NamesakeTable::default();
        separate_namesakes(&ctx, &mut parts, &mut table);
        assert_eq!(table.unresolved, 0);
        let first = ctx.ec_date.min(ctx.sec_date);
        let mut ages: HashMap<u64, Vec<i32>> = HashMap::new();
        let mut two_part = 0;
        for part in &parts {
            for p in part.persons.iter().chain(&part.extras) {
                ages.entry(namesake_key(ctx.pools, p))
                    .or_default()
                    .push(p.dob.age_on(first));
                two_part += usize::from(p.given2.is_some());
            }
            for p in &part.persons {
                if let Some(parent) = p.parent {
                    let parent = &part.persons[parent as usize];
                    assert_eq!(p.rel_name, parent.name, "a child's relative is the parent");
                }
            }
        }
        for (key, mut list) in ages {
            list.sort_unstable();
            for w in list.windows(2) {
                assert!(w[1] - w[0] > NAMESAKE_AGE_GAP, "{key:x}: ages {list:?}");
            }
        }
        assert!(
            two_part > 0,
            "the pools ran short, so some names have two parts"
        );
    }

    #[test]
    fn text_is_quoted_exactly_when_a_byte_needs_it() {
        // Every byte value at every position of texts of 1-20 bytes, so the
        // word-at-a-time scan and the byte-wise tail are both covered.
        for len in 1..=20usize {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut b = vec![b'a'; len];
                    b[at] = c;
                    let Ok(t) = std::str::from_utf8(&b) else {
                        continue;
                    };
                    let mut f = RowFormatter::with_capacity(0);
                    f.text(t);
                    let quoted = f.buf.first() == Some(&b'"') && f.buf.len() > len;
                    assert_eq!(quoted, needs_quote(c), "{len} {at} {c}");
                    let inner = if quoted {
                        t.replace('"', "\"\"")
                    } else {
                        t.to_string()
                    };
                    let want = if quoted {
                        format!("\"{inner}\"")
                    } else {
                        inner
                    };
                    assert_eq!(f.buf, want.as_bytes());
                }
            }
        }
    }

    #[test]
    fn ocr_damage_makes_malformed() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for e in ["ABC1234567", "XYZ9999999", "OIS0158000", "KLM3479347"] {
            let mut canon = EpicText::EMPTY;
            canon.push_str(e);
            let d = ocr_damage(&canon, &mut rng);
            let d = d.as_str();
            assert_ne!(d, e);
            assert_eq!(
                Epic::parse(d).map(|x| x.form()),
                Some(EpicForm::Malformed),
                "{d}"
            );
        }
    }

    #[test]
    fn plan_is_many_to_many() {
        let cfg = SynthConfig {
            electors: 20_000,
            ac_size: Some(20_000),
            ..SynthConfig::default()
        };
        let plan = plan_ac(&cfg, 0, 20_000);
        let total: u32 = plan.parts.iter().flat_map(|p| p.sections.iter()).sum();
        assert_eq!(total, 20_000);
        assert!(
            plan.parts
                .iter()
                .all(|p| (1..=9).contains(&p.sections.len()))
        );
        let straddling = plan
            .parts
            .iter()
            .filter(|p| p.section_ward.first() != p.section_ward.last())
            .count();
        assert!(straddling > 0, "some part straddles wards");
        assert!(plan.wards.len() < plan.parts.len() * 2);
    }

    #[test]
    fn house_formats() {
        let h = House {
            num: 16,
            suffix: Some('A'),
        };
        let house = |style: u32, zero: Option<u32>| {
            let mut text = String::from("before");
            let span = fmt_house(h, style, zero, &mut text);
            span.get(&text).to_string()
        };
        assert_eq!(house(0, None), "16A");
        assert_eq!(house(1, None), "16-A");
        assert_eq!(house(2, None), "16/A");
        assert_eq!(house(3, None), "H.No. 16A");
        assert_eq!(house(0, Some(0x0966)), "१६A");
        let plain = House {
            num: 1_024,
            suffix: None,
        };
        let mut text = String::new();
        let span = fmt_house(plain, 3, None, &mut text);
        assert_eq!(span.get(&text), "H.No. 1024");
        let span = fmt_house(plain, 1, None, &mut text);
        assert_eq!(span.get(&text), "1024");
    }
}
