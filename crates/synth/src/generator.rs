//! The generator: plans ACs, parts, sections, wards and local bodies, then
//! generates one AC at a time (parts in parallel), assembles the SEC roll
//! by ward and writes rows and truth as it goes.

use std::collections::BTreeMap;
use std::io::Write;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
#[cfg(test)]
use rollrec_model::{AssemblyLocation, Elector, LocalBodyLocation, Location, RollKind};
use rollrec_model::{Epic, EpicForm, Gender, RelationType};

use crate::SynthError;
use crate::config::{Scenario, SynthConfig};
use crate::date::Date;
use crate::names::{Family, Language, Name, Pools, Script, Style, mix, typo};
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

/// One printed entry of either roll, before it gets its serial number.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Part index (EC) or ward index (SEC) the row is printed in.
    pub target: u32,
    /// A supplement row, printed after the part's or ward's main list.
    pub late: bool,
    pub section: u32,
    pub back_part: Option<u32>,
    pub household: u32,
    pub epic: Option<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub relation: RelationType,
    pub relative: String,
    pub relative_en: Option<String>,
    pub house: String,
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

/// A truth row whose keys are not resolved yet.
#[derive(Debug)]
pub(crate) struct TItem {
    pub kind: TruthKind,
    pub ec: Option<u32>,
    pub sec: Option<u32>,
    pub group: String,
    pub fields: &'static str,
    pub detail: String,
}

#[derive(Debug, Default)]
pub(crate) struct PartOut {
    pub ec: Vec<Row>,
    pub sec: Vec<Row>,
    pub truth: Vec<TItem>,
}

#[derive(Debug, Clone, Copy)]
struct House {
    num: u32,
    suffix: Option<char>,
}

fn fmt_house(h: House, style: u32, digit_zero: Option<u32>) -> String {
    let num = match digit_zero {
        Some(zero) => h
            .num
            .to_string()
            .chars()
            .map(|c| {
                let d = c.to_digit(10).unwrap_or(0);
                char::from_u32(zero + d).unwrap_or(c)
            })
            .collect::<String>(),
        None => h.num.to_string(),
    };
    match (h.suffix, style % 4) {
        (None, 3) => format!("H.No. {num}"),
        (None, _) => num,
        (Some(s), 0) => format!("{num}{s}"),
        (Some(s), 1) => format!("{num}-{s}"),
        (Some(s), 2) => format!("{num}/{s}"),
        (Some(s), _) => format!("H.No. {num}{s}"),
    }
}

/// A person of a part, as the truth knows them.
#[derive(Debug, Clone)]
struct Person {
    female: bool,
    gender: Gender,
    dob: Date,
    name: Name,
    relation: RelationType,
    rel_name: Name,
    rel_seed: u64,
    rel_late: bool,
    house: House,
    section: u32,
    household: u32,
    /// Index of the parent named as relative (relation F or M), for the
    /// parent-child age-gap check.
    parent: Option<u32>,
    epic: String,
    seed: u64,
    family: Family,
}

fn ocr_damage(epic: &str, rng: &mut ChaCha8Rng) -> String {
    let mut c: Vec<char> = epic.chars().collect();
    let letter_swaps = [
        ('O', '0'),
        ('I', '1'),
        ('S', '5'),
        ('B', '8'),
        ('Z', '2'),
        ('G', '6'),
    ];
    let mut options: Vec<(usize, char)> = Vec::new();
    for (i, ch) in c.iter().enumerate() {
        for (l, d) in letter_swaps {
            if i < 3 && *ch == l {
                options.push((i, d));
            }
            if i >= 3 && *ch == d {
                options.push((i, l));
            }
        }
    }
    if options.is_empty() {
        let i = rng.random_range(3..c.len().max(4));
        if i < c.len() {
            c[i] = 'O';
        }
    } else {
        let (i, to) = options[rng.random_range(0..options.len())];
        c[i] = to;
    }
    c.into_iter().collect()
}

fn epic_letters(ac_no: u32) -> String {
    let mut x = (u64::from(ac_no) * 7919 + 1234) % 17_576;
    let mut s = [b'A'; 3];
    for b in s.iter_mut().rev() {
        *b = b'A' + (x % 26) as u8;
        x /= 26;
    }
    String::from_utf8_lossy(&s).into_owned()
}

/// Per-AC context shared by the parts.
pub(crate) struct AcCtx<'a> {
    pub cfg: &'a SynthConfig,
    pub plan: &'a AcPlan,
    pub pools: &'static Pools,
    pub ec_date: Date,
    pub sec_date: Date,
    pub letters: String,
}

impl AcCtx<'_> {
    fn epic_for(&self, part_idx: usize, local: u32, old: bool) -> String {
        let x = part_idx as u64 * EPIC_STRIDE + u64::from(local);
        if old {
            let part_no = self.plan.parts[part_idx].part_no;
            return format!(
                "{}/{:02}/{:03}/{:06}",
                self.plan.lang.state_abbrev(),
                self.plan.ac_no,
                part_no,
                u64::from(local) + 1
            );
        }
        let digits = (x.wrapping_mul(3_000_017) + 12_345) % 10_000_000;
        format!("{}{digits:07}", self.letters)
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
        name: Name,
        relation: RelationType,
        rel_name: Name,
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
            relation,
            rel_name,
            rel_seed,
            rel_late,
            house: House {
                num: 0,
                suffix: None,
            },
            section: 0,
            household: 0,
            parent,
            epic: String::new(),
            seed: mix(self.part_seed ^ (idx as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)),
            family: *family,
        }
    }

    /// A household of 1-7 adults whose names and relations hold together.
    fn household(&self, base: usize, rng: &mut ChaCha8Rng) -> Vec<Person> {
        let pools = self.ctx.pools;
        let lang = self.ctx.plan.lang;
        let fam = Family::draw(lang, pools, rng);
        let mut out: Vec<Person> = Vec::with_capacity(6);
        let ext_seed = |rng: &mut ChaCha8Rng| rng.random::<u64>();
        if rng.random_bool(0.12) {
            // A single adult.
            let female = rng.random_bool(0.45);
            let age = rng.random_range(18u32..=85);
            let given = fam.given(pools, female, rng);
            if female && age > 45 && rng.random_bool(0.6) {
                let hg = fam.given_except(pools, false, &[given], rng);
                let husband = Name::build(pools, &fam, hg, None, false, false, rng);
                let name = Name::build(pools, &fam, given, Some(hg), true, true, rng);
                let s = ext_seed(rng);
                out.push(self.person(
                    base,
                    &fam,
                    true,
                    age,
                    name,
                    RelationType::Husband,
                    husband,
                    s,
                    true,
                    None,
                    rng,
                ));
            } else {
                let fg = fam.given_except(pools, false, &[given], rng);
                let father = Name::build(pools, &fam, fg, None, false, false, rng);
                let name = Name::build(pools, &fam, given, Some(fg), female, false, rng);
                let late = age > 50 && rng.random_bool(0.6);
                let s = ext_seed(rng);
                out.push(self.person(
                    base,
                    &fam,
                    female,
                    age,
                    name,
                    RelationType::Father,
                    father,
                    s,
                    late,
                    None,
                    rng,
                ));
            }
            return out;
        }
        // A family: head, wife, adult children, a son's wife, the head's mother.
        let head_age = rng.random_range(25u32..=75);
        let hg = fam.given(pools, false, rng);
        let fg = fam.given_except(pools, false, &[hg], rng);
        let father = Name::build(pools, &fam, fg, None, false, false, rng);
        let father_seed = ext_seed(rng);
        let father_late = head_age > 45 && rng.random_bool(0.5);
        let head_name = Name::build(pools, &fam, hg, Some(fg), false, false, rng);
        let head = self.person(
            base,
            &fam,
            false,
            head_age,
            head_name,
            RelationType::Father,
            father,
            father_seed,
            father_late,
            None,
            rng,
        );
        let head_seed = head.seed;
        out.push(head);
        let mut wife: Option<(u32, u32, Name, u64)> = None;
        if rng.random_bool(0.9) {
            let age = head_age.saturating_sub(rng.random_range(0..=8)).max(18);
            let wg = fam.given(pools, true, rng);
            let name = Name::build(pools, &fam, wg, Some(hg), true, true, rng);
            let idx = base + out.len();
            let p = self.person(
                idx,
                &fam,
                true,
                age,
                name,
                RelationType::Husband,
                head_name,
                head_seed,
                false,
                None,
                rng,
            );
            wife = Some((out.len() as u32, age, name, p.seed));
            out.push(p);
        }
        if head_age <= 55 && rng.random_bool(0.25) {
            let age = (head_age + rng.random_range(20..=30)).min(95);
            let mg = fam.given(pools, true, rng);
            let name = Name::build(pools, &fam, mg, Some(fg), true, true, rng);
            let idx = base + out.len();
            out.push(self.person(
                idx,
                &fam,
                true,
                age,
                name,
                RelationType::Husband,
                father,
                father_seed,
                true,
                None,
                rng,
            ));
        }
        if let Some((wife_idx, wife_age, wife_name, wife_seed)) = wife {
            let children = rng.random_range(0u32..=3);
            for _ in 0..children {
                let gap = rng.random_range(19u32..=35);
                if wife_age < gap + 18 {
                    continue;
                }
                let age = wife_age - gap;
                let female = rng.random_bool(0.5);
                let cg = fam.given_except(pools, female, &[hg, fg], rng);
                let name = Name::build(pools, &fam, cg, Some(hg), female, false, rng);
                let idx = base + out.len();
                let child = if rng.random_bool(0.05) {
                    self.person(
                        idx,
                        &fam,
                        female,
                        age,
                        name,
                        RelationType::Mother,
                        wife_name,
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
                        name,
                        RelationType::Father,
                        head_name,
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
                    let dg = fam.given(pools, true, rng);
                    let dname = Name::build(pools, &fam, dg, Some(cg), true, true, rng);
                    let idx = base + out.len();
                    out.push(self.person(
                        idx,
                        &fam,
                        true,
                        dage,
                        dname,
                        RelationType::Husband,
                        name,
                        child_seed,
                        false,
                        None,
                        rng,
                    ));
                }
            }
        }
        out
    }
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

fn render_names(
    pools: &Pools,
    p: &Person,
    pr: Print,
    late_tok: Option<u32>,
) -> (String, Option<String>, String, Option<String>) {
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
    let rel = |script: Script| {
        let text = p.rel_name.render(pools, style(p.rel_seed, script));
        match (late, late_tok) {
            (true, Some(t)) => {
                let tok = pools.tok(t);
                let prefix = match script {
                    Script::Native => tok.native[0].as_str(),
                    Script::English => tok.en[0],
                };
                let prefix = if pr.upper && script == Script::English {
                    prefix.to_uppercase()
                } else {
                    prefix.to_string()
                };
                format!("{prefix} {text}")
            }
            _ => text,
        }
    };
    let name = p.name.render(pools, style(p.seed, pr.script));
    let relative = rel(pr.script);
    if pr.twin && pr.script == Script::Native {
        let en = p.name.render(pools, style(p.seed, Script::English));
        (name, Some(en), relative, Some(rel(Script::English)))
    } else {
        (name, None, relative, None)
    }
}

/// Generates one part: its people, its EC rows, the SEC rows cut from it,
/// and the truth about them.
pub(crate) fn gen_part(ctx: &AcCtx<'_>, pi: usize) -> PartOut {
    let cfg = ctx.cfg;
    let rates = &cfg.rates;
    let plan = ctx.plan;
    let part = &plan.parts[pi];
    let pools = ctx.pools;
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
    let mut persons: Vec<Person> =
        Vec::with_capacity(part.sections.iter().sum::<u32>() as usize + 8);
    let mut house_no = 0u32;
    let mut household = 0u32;
    for (si, &size) in part.sections.iter().enumerate() {
        let mut left = size as usize;
        while left > 0 {
            let mut hh = builder.household(persons.len(), &mut rng);
            hh.truncate(left);
            left -= hh.len();
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
            let base = persons.len() as u32;
            for mut p in hh {
                p.house = house;
                p.section = si as u32 + 1;
                p.household = household;
                p.parent = p.parent.map(|x| x + base);
                persons.push(p);
            }
        }
    }
    let n = persons.len();

    // EPIC numbers, and EPICs shared by two people.
    for (i, p) in persons.iter_mut().enumerate() {
        let old = rng.random_bool(rates.epic_old_format);
        p.epic = ctx.epic_for(pi, i as u32, old);
    }
    let mut locked = vec![false; n];
    let mut conflicts: Vec<(usize, usize)> = Vec::new();
    for j in 1..n {
        if rng.random_bool(rates.epic_shared) && !locked[j] {
            let i = rng.random_range(0..j);
            if !locked[i] && persons[i].household != persons[j].household {
                persons[j].epic = persons[i].epic.clone();
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
    let ec_house_style = rng.random_range(0..4u32);
    let sec_house_style = rng.random_range(0..4u32);
    let sec_native_digits = !bilingual && rng.random_bool(0.2);

    let mut out = PartOut::default();
    let pid = |i: usize| format!("{ac}-{}-{i}", part.part_no);
    let mut ec_row_of: Vec<u32> = Vec::with_capacity(n);
    let mut sec_row_of: Vec<Option<u32>> = vec![None; n];
    let mut copies = 0u32;

    let print_epic = |canon: &str, locked: bool, rng: &mut ChaCha8Rng| -> Option<String> {
        if locked {
            return Some(canon.to_string());
        }
        let u = rng.random::<f64>();
        if u < rates.epic_blank {
            None
        } else if u < rates.epic_blank + rates.epic_ocr && canon.len() == 10 && !canon.contains('/')
        {
            Some(ocr_damage(canon, rng))
        } else {
            Some(canon.to_string())
        }
    };

    for i in 0..n {
        let p = &persons[i];
        let ward = part.section_ward[p.section as usize - 1];
        // The EC entry.
        let (name, name_en, relative, relative_en) = render_names(pools, p, ec_print, late_tok);
        let mut ec = Row {
            target: pi as u32,
            late: false,
            section: p.section,
            back_part: None,
            household: p.household,
            epic: print_epic(&p.epic, locked[i], &mut rng),
            name,
            name_en,
            relation: p.relation,
            relative,
            relative_en,
            house: fmt_house(p.house, ec_house_style, None),
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
        let make_sec = |ec: &Row, rng: &mut ChaCha8Rng| -> Row {
            if derived {
                let mut s = ec.clone();
                s.target = ward;
                s.back_part = Some(part.part_no);
                s.age = (i32::from(ec.age) + sec_age_shift).clamp(0, 150) as u8;
                if bilingual {
                    let (name, name_en, relative, relative_en) =
                        render_names(pools, p, sec_print, late_tok);
                    s.name = name;
                    s.name_en = name_en;
                    s.relative = relative;
                    s.relative_en = relative_en;
                }
                s
            } else {
                let (name, name_en, relative, relative_en) =
                    render_names(pools, p, sec_print, late_tok);
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
                    epic: print_epic(&p.epic, locked[i], rng),
                    name,
                    name_en,
                    relation: p.relation,
                    relative,
                    relative_en,
                    house: fmt_house(p.house, house_style, digits),
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
        let ec_ref = &out.ec[ec_idx as usize];
        if u < t_missing {
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::MissingInSec),
                ec: Some(ec_idx),
                sec: None,
                group: pid(i),
                fields: "",
                detail: String::new(),
            });
            continue;
        }
        let mut sec = make_sec(ec_ref, &mut rng);
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
        let mut detail = String::new();
        if rng.random_bool(rates.attribute_edit) {
            match rng.random_range(0..100u32) {
                0..35 => {
                    if let Some(en) = sec.name_en.as_mut().filter(|_| rng.random_bool(0.3)) {
                        *en = typo(en, &mut rng);
                        fields = "name_en";
                    } else {
                        sec.name = typo(&sec.name, &mut rng);
                        fields = "name";
                    }
                    detail = "typo".to_string();
                }
                35..55 => {
                    if rng.random_bool(0.5) {
                        sec.relative = typo(&sec.relative, &mut rng);
                        detail = "typo".to_string();
                    } else {
                        let other = p.family.given(pools, false, &mut rng);
                        let renamed = Person {
                            rel_name: p.rel_name.with_given(other, lang.convention()),
                            ..p.clone()
                        };
                        let (_, _, relative, relative_en) = render_names(
                            pools,
                            &renamed,
                            if derived && !bilingual {
                                ec_print
                            } else {
                                sec_print
                            },
                            late_tok,
                        );
                        if relative == sec.relative {
                            sec.relative = typo(&sec.relative, &mut rng);
                        } else {
                            sec.relative = relative;
                            sec.relative_en = relative_en.or(sec.relative_en);
                        }
                        detail = "another relative".to_string();
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
                    detail = format!("age off by {d} beyond the date offset");
                }
                75..85 => {
                    sec.gender = match sec.gender {
                        Gender::Male => Gender::Female,
                        _ => Gender::Male,
                    };
                    fields = "gender";
                    detail = "gender changed".to_string();
                }
                _ => {
                    let d = rng.random_range(1..=9u32);
                    let h = House {
                        num: p.house.num + d,
                        suffix: p.house.suffix,
                    };
                    sec.house = fmt_house(h, ec_house_style, None);
                    fields = "house_no";
                    detail = "another house number".to_string();
                }
            }
        } else if p.female
            && p.relation == RelationType::Father
            && (18..=35).contains(&out.ec[ec_idx as usize].age)
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
            let (_, _, relative, relative_en) = render_names(
                pools,
                &married,
                if derived && !bilingual {
                    ec_print
                } else {
                    sec_print
                },
                late_tok,
            );
            sec.relation = RelationType::Husband;
            sec.relative = relative;
            sec.relative_en = relative_en
                .or(sec.relative_en.take().map(|_| String::new()))
                .filter(|s| !s.is_empty());
            fields = "relation_type;relative_name";
            detail = "married between the rolls: relation F -> H".to_string();
        }
        if !derived && fields.is_empty() && !ec_error_field.is_empty() {
            // The independent SEC roll does not share the EC entry's error,
            // so the pair disagrees on that field.
            fields = ec_error_field;
            detail = "the EC entry has a logical error".to_string();
        }
        let sec_idx = out.sec.len() as u32;
        let sec_ward = sec.target;
        out.sec.push(sec);
        sec_row_of[i] = Some(sec_idx);
        out.truth.push(TItem {
            kind: TruthKind::Pair,
            ec: Some(ec_idx),
            sec: Some(sec_idx),
            group: pid(i),
            fields: "",
            detail: String::new(),
        });
        if !fields.is_empty() {
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::AttributeMismatch),
                ec: Some(ec_idx),
                sec: Some(sec_idx),
                group: pid(i),
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
                group: pid(i),
                fields: "ward_no",
                detail: format!("expected {} ward {}", w.local_body, w.ward_no),
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
            let mut copy = out.ec[ec_idx as usize].clone();
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
            );
            if locked[i] || rng.random_bool(0.7) {
                copy.epic = Some(ctx.epic_for(pi, COPY_BASE + copies, false));
            }
            copies += 1;
            let copy_ec = out.ec.len() as u32;
            let sec_copy = derived.then(|| {
                let mut s = copy.clone();
                s.target = tpart.section_ward[tsection as usize - 1];
                s.back_part = Some(tpart.part_no);
                s.age = out.sec[sec_idx as usize].age;
                if bilingual {
                    let o = &out.sec[sec_idx as usize];
                    s.name = o.name.clone();
                    s.name_en = o.name_en.clone();
                    s.relative = o.relative.clone();
                    s.relative_en = o.relative_en.clone();
                }
                s
            });
            out.ec.push(copy);
            for e in [ec_idx, copy_ec] {
                out.truth.push(TItem {
                    kind: TruthKind::Discrepancy(DiscrepancyKind::DuplicateInEc),
                    ec: Some(e),
                    sec: None,
                    group: pid(i),
                    fields: "",
                    detail: if cross { "another part" } else { "same part" }.to_string(),
                });
            }
            if let Some(s) = sec_copy {
                let copy_sec = out.sec.len() as u32;
                out.sec.push(s);
                out.truth.push(TItem {
                    kind: TruthKind::Pair,
                    ec: Some(copy_ec),
                    sec: Some(copy_sec),
                    group: pid(i),
                    fields: "",
                    detail: "duplicate entry".to_string(),
                });
                for s in [sec_idx, copy_sec] {
                    out.truth.push(TItem {
                        kind: TruthKind::Discrepancy(DiscrepancyKind::DuplicateInSec),
                        ec: None,
                        sec: Some(s),
                        group: pid(i),
                        fields: "",
                        detail: "carried from the EC roll".to_string(),
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
            let mut copy = out.sec[sec_idx as usize].clone();
            copy.target = target;
            copy.late = true;
            copy.household = u32::MAX;
            let copy_sec = out.sec.len() as u32;
            out.sec.push(copy);
            for s in [sec_idx, copy_sec] {
                out.truth.push(TItem {
                    kind: TruthKind::Discrepancy(DiscrepancyKind::DuplicateInSec),
                    ec: None,
                    sec: Some(s),
                    group: pid(i),
                    fields: "",
                    detail: if target != sec_ward {
                        "another ward"
                    } else {
                        "same ward"
                    }
                    .to_string(),
                });
            }
        }
    }

    // Entries only in the SEC roll.
    let mut extras = 0u32;
    for _ in 0..n {
        if !rng.random_bool(rates.extra_in_sec) {
            continue;
        }
        let hh = builder.household(n + extras as usize, &mut rng);
        let Some(mut p) = hh.into_iter().next() else {
            continue;
        };
        let si = rng.random_range(0..part.sections.len());
        p.section = si as u32 + 1;
        p.household = u32::MAX;
        p.house = House {
            num: rng.random_range(1..=house_no.max(1)),
            suffix: None,
        };
        p.epic = ctx.epic_for(pi, EXTRA_BASE + extras, false);
        let (name, name_en, relative, relative_en) = render_names(
            pools,
            &p,
            if derived && !bilingual {
                ec_print
            } else {
                sec_print
            },
            late_tok,
        );
        let row = Row {
            target: part.section_ward[si],
            late: true,
            section: p.section,
            back_part: derived.then_some(part.part_no),
            household: u32::MAX,
            epic: print_epic(&p.epic, false, &mut rng),
            name,
            name_en,
            relation: p.relation,
            relative,
            relative_en,
            house: fmt_house(p.house, ec_house_style, None),
            age: ctx.age(p.dob, ctx.sec_date),
            gender: p.gender,
        };
        let s = out.sec.len() as u32;
        out.sec.push(row);
        out.truth.push(TItem {
            kind: TruthKind::Discrepancy(DiscrepancyKind::MissingInEc),
            ec: None,
            sec: Some(s),
            group: format!("{ac}-{}-x{extras}", part.part_no),
            fields: "",
            detail: String::new(),
        });
        extras += 1;
    }

    // EPIC conflicts, per roll where both entries print the shared number.
    for (i, j) in conflicts {
        let group = format!("C{ac}-{}-{j}", part.part_no);
        for x in [i, j] {
            out.truth.push(TItem {
                kind: TruthKind::Discrepancy(DiscrepancyKind::EpicConflict),
                ec: Some(ec_row_of[x]),
                sec: None,
                group: group.clone(),
                fields: "epic_no",
                detail: format!("{} on two people", persons[i].epic),
            });
        }
        if let (Some(a), Some(b)) = (sec_row_of[i], sec_row_of[j]) {
            let (ea, eb) = (&out.sec[a as usize].epic, &out.sec[b as usize].epic);
            if ea.is_some() && ea == eb {
                for s in [a, b] {
                    out.truth.push(TItem {
                        kind: TruthKind::Discrepancy(DiscrepancyKind::EpicConflict),
                        ec: None,
                        sec: Some(s),
                        group: group.clone(),
                        fields: "epic_no",
                        detail: format!("{} on two people", persons[i].epic),
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
    let mut ec_parent: Vec<Option<u8>> = vec![None; out.ec.len()];
    let mut sec_parent: Vec<Option<u8>> = vec![None; out.sec.len()];
    for i in 0..n {
        ec_parent[ec_row_of[i] as usize] = parent_ec_age(i);
        if let Some(s) = sec_row_of[i] {
            sec_parent[s as usize] = parent_sec_age(i);
        }
    }
    let mut logical = Vec::new();
    for (k, row) in out.ec.iter().enumerate() {
        if let Some((fields, detail)) = logical_errors(row, ec_parent[k]) {
            logical.push((RowRef::Ec(k as u32), fields, detail));
        }
    }
    for (k, row) in out.sec.iter().enumerate() {
        if let Some((fields, detail)) = logical_errors(row, sec_parent[k]) {
            logical.push((RowRef::Sec(k as u32), fields, detail));
        }
    }
    for (r, fields, detail) in logical {
        let (ec, sec) = match r {
            RowRef::Ec(k) => (Some(k), None),
            RowRef::Sec(k) => (None, Some(k)),
        };
        out.truth.push(TItem {
            kind: TruthKind::Discrepancy(DiscrepancyKind::LogicalError),
            ec,
            sec,
            group: String::new(),
            fields,
            detail,
        });
    }
    out
}

/// The logical errors of one printed row: `(fields, detail)` or `None`.
fn logical_errors(row: &Row, parent_age: Option<u8>) -> Option<(&'static str, String)> {
    let mut fields: Vec<&str> = Vec::new();
    let mut detail: Vec<String> = Vec::new();
    if row.age < 18 {
        fields.push("age");
        detail.push(format!("age {} under 18", row.age));
    } else if row.age > 120 {
        fields.push("age");
        detail.push(format!("age {} over 120", row.age));
    }
    if let Some(pa) = parent_age
        && i32::from(pa) - i32::from(row.age) < 15
    {
        fields.push("age");
        detail.push(format!(
            "parent-child age gap {} under 15",
            i32::from(pa) - i32::from(row.age)
        ));
    }
    if row.gender == Gender::Male && row.relation == RelationType::Husband {
        fields.push("gender;relation_type");
        detail.push("male elector with relation Husband".to_string());
    }
    // Most EPICs are already normal and of the current form: skip the
    // parser's allocation for them.
    let current = row.epic.as_deref().is_some_and(|e| {
        let b = e.as_bytes();
        b.len() == 10
            && b[..3].iter().all(u8::is_ascii_uppercase)
            && b[3..].iter().all(u8::is_ascii_digit)
    });
    match row
        .epic
        .as_deref()
        .filter(|_| !current)
        .and_then(Epic::parse)
    {
        None if current => {}
        None => {
            fields.push("epic_no");
            detail.push("blank EPIC".to_string());
        }
        Some(e) if e.form() == EpicForm::Malformed => {
            fields.push("epic_no");
            detail.push(format!("malformed EPIC {e}"));
        }
        Some(_) => {}
    }
    if fields.is_empty() {
        return None;
    }
    fields.dedup();
    let f = match fields.join(";").as_str() {
        "age" => "age",
        "epic_no" => "epic_no",
        "gender;relation_type" => "gender;relation_type",
        "age;epic_no" => "age;epic_no",
        "age;gender;relation_type" => "age;gender;relation_type",
        "gender;relation_type;epic_no" => "gender;relation_type;epic_no",
        _ => "age;gender;relation_type;epic_no",
    };
    Some((f, detail.join("; ")))
}

// ---------------------------------------------------------------- assembly

/// Final placement of every row of an AC: for each part's rows, the serial
/// number in its target part or ward.
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
) -> Layout {
    let mut order: Vec<Vec<(u32, u32)>> = vec![Vec::new(); targets];
    for late in [false, true] {
        for (pi, p) in parts.iter().enumerate() {
            for (k, r) in rows(p).iter().enumerate() {
                if r.late == late {
                    order[r.target as usize].push((pi as u32, k as u32));
                }
            }
        }
        if late {
            break;
        }
        // An independent roll has its own serial order: households of a ward
        // in another order.
        if let Some(seed) = shuffle {
            for (w, list) in order.iter_mut().enumerate() {
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
                *list = blocks.into_iter().flatten().collect();
            }
        }
    }
    let mut serial: Vec<Vec<u32>> = parts.iter().map(|p| vec![0; rows(p).len()]).collect();
    for list in &order {
        for (s, &(pi, k)) in list.iter().enumerate() {
            serial[pi as usize][k as usize] = s as u32 + 1;
        }
    }
    Layout { order, serial }
}

#[cfg(test)]
fn elector_of(row: &Row, state: &str, location: Location, serial: u32) -> Elector {
    Elector {
        state_code: Some(state.to_string()),
        location,
        serial_no: serial,
        epic: row.epic.as_deref().and_then(Epic::parse),
        name: row.name.clone(),
        relation_type: Some(row.relation),
        relative_name: Some(row.relative.clone()),
        house_no: Some(row.house.clone()),
        age: Some(row.age),
        gender: Some(row.gender),
        name_en: row.name_en.clone(),
        relative_name_en: row.relative_en.clone(),
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
    fn new() -> RowFormatter {
        RowFormatter {
            buf: Vec::with_capacity(1 << 16),
        }
    }

    fn text(&mut self, s: &str) {
        let b = s.as_bytes();
        if b.iter().any(|&c| matches!(c, b',' | b'"' | b'\r' | b'\n')) {
            self.buf.push(b'"');
            for &c in b {
                if c == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(c);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(b);
        }
    }

    fn num(&mut self, mut n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&digits[i..]);
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
    fn epic(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else { return };
        let b = raw.as_bytes();
        if b.iter()
            .all(|c| c.is_ascii() && !c.is_ascii_whitespace() && !c.is_ascii_lowercase())
        {
            self.text(raw);
        } else if let Some(e) = Epic::parse(raw) {
            self.text(e.as_str());
        }
    }

    /// The columns from `serial_no` to the end, common to both rolls.
    fn tail(&mut self, row: &Row, serial: u32) {
        self.num(serial);
        self.comma();
        self.epic(row.epic.as_deref());
        self.comma();
        self.text(&row.name);
        self.comma();
        self.text(row.relation.code());
        self.comma();
        self.text(&row.relative);
        self.comma();
        self.text(&row.house);
        self.comma();
        self.num(u32::from(row.age));
        self.comma();
        self.text(row.gender.code());
        self.comma();
        if let Some(n) = &row.name_en {
            self.text(n);
        }
        self.comma();
        if let Some(n) = &row.relative_en {
            self.text(n);
        }
        self.buf.push(b'\n');
    }

    /// An assembly-roll row (as [`elector_of`] with an assembly location).
    fn assembly(&mut self, row: &Row, state: &str, ac_no: u32, part_no: u32, serial: u32) {
        self.text(state);
        self.comma();
        self.num(ac_no);
        self.comma();
        self.num(part_no);
        self.comma();
        self.num(row.section);
        self.comma();
        self.tail(row, serial);
    }

    /// A local-body-roll row (as [`elector_of`] with a local-body location
    /// whose back-reference is the row's `back_part` in `ac_no`).
    fn local_body(&mut self, row: &Row, state: &str, ward: &Ward, ac_no: u32, serial: u32) {
        self.text(state);
        self.comma();
        self.text(&ward.local_body);
        self.comma();
        self.num(ward.ward_no);
        self.comma();
        self.opt_num(row.back_part.map(|_| ac_no));
        self.comma();
        self.opt_num(row.back_part);
        self.comma();
        self.tail(row, serial);
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
/// byte for byte as the csv writer would ([`RowFormatter`]'s quoting).
fn write_truth(
    f: &mut RowFormatter,
    kind: TruthKind,
    ec: Option<(u32, u32, u32)>,
    sec: Option<(&str, u32, u32)>,
    t: (&str, &str, &str),
) {
    let (group, fields, detail) = t;
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
    f.text(group);
    f.comma();
    f.text(fields);
    f.comma();
    f.text(detail);
    f.buf.push(b'\n');
}

/// Truth rows of one part as CSV, and their counts per kind.
type TruthChunk = (Vec<u8>, BTreeMap<&'static str, u64>);

/// Counts of one AC, added into the summary.
#[derive(Debug, Default)]
pub(crate) struct AcCounts {
    pub ec_rows: u64,
    pub sec_rows: u64,
    pub parts: u64,
    pub wards: u64,
    pub local_bodies: u64,
    pub truth: BTreeMap<&'static str, u64>,
}

/// Generates one AC and writes it to the three outputs.
pub(crate) fn write_ac(
    cfg: &SynthConfig,
    ac_index: usize,
    size: u64,
    ec_out: &mut dyn Write,
    sec_out: &mut dyn Write,
    truth_out: &mut dyn Write,
) -> Result<AcCounts, SynthError> {
    let plan = plan_ac(cfg, ac_index, size);
    let ctx = AcCtx {
        cfg,
        plan: &plan,
        pools: Pools::get()?,
        ec_date: cfg.ec_date,
        sec_date: cfg.effective_sec_date(),
        letters: epic_letters(plan.ac_no),
    };
    let parts: Vec<PartOut> = (0..plan.parts.len())
        .into_par_iter()
        .map(|pi| gen_part(&ctx, pi))
        .collect();
    let ec_layout = layout(&parts, plan.parts.len(), |p| &p.ec, None);
    let shuffle = (!cfg.scenario.is_derived()).then_some(mix(cfg.seed ^ u64::from(plan.ac_no)));
    let sec_layout = layout(&parts, plan.wards.len(), |p| &p.sec, shuffle);
    let state = plan.lang.state_code();
    let ac = plan.ac_no;

    let ec_chunks: Vec<Result<Vec<u8>, SynthError>> = ec_layout
        .order
        .par_iter()
        .enumerate()
        .map(|(tp, list)| {
            let part_no = plan.parts[tp].part_no;
            let mut f = RowFormatter::new();
            for (s, &(pi, k)) in list.iter().enumerate() {
                let row = &parts[pi as usize].ec[k as usize];
                f.assembly(row, state, ac, part_no, s as u32 + 1);
            }
            Ok(f.buf)
        })
        .collect();
    let sec_chunks: Vec<Result<Vec<u8>, SynthError>> = sec_layout
        .order
        .par_iter()
        .enumerate()
        .map(|(w, list)| {
            let ward = &plan.wards[w];
            let mut f = RowFormatter::new();
            for (s, &(pi, k)) in list.iter().enumerate() {
                let row = &parts[pi as usize].sec[k as usize];
                f.local_body(row, state, ward, ac, s as u32 + 1);
            }
            Ok(f.buf)
        })
        .collect();
    let truth_chunks: Vec<Result<TruthChunk, SynthError>> = parts
        .par_iter()
        .enumerate()
        .map(|(pi, part)| {
            let mut w = RowFormatter::new();
            let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
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
                write_truth(&mut w, t.kind, ec, sec, (&t.group, t.fields, &t.detail));
                *counts.entry(t.kind.as_str()).or_default() += 1;
            }
            Ok((w.buf, counts))
        })
        .collect();

    let mut counts = AcCounts {
        parts: plan.parts.len() as u64,
        wards: plan.wards.len() as u64,
        local_bodies: plan.lb_wards.len() as u64,
        ..AcCounts::default()
    };
    for c in ec_chunks {
        ec_out.write_all(&c?)?;
    }
    for c in sec_chunks {
        sec_out.write_all(&c?)?;
    }
    for c in truth_chunks {
        let (bytes, k) = c?;
        truth_out.write_all(&bytes)?;
        for (kind, v) in k {
            *counts.truth.entry(kind).or_default() += v;
        }
    }
    counts.ec_rows = parts.iter().map(|p| p.ec.len() as u64).sum();
    counts.sec_rows = parts.iter().map(|p| p.sec.len() as u64).sum();
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `RollWriter` writes for `row` and those of [`RowFormatter`],
    /// in both rolls.
    fn both_ways(row: &Row, state: &str, ward: &Ward, ac: u32, part: u32, serial: u32) {
        let ec_loc = Location::Assembly(AssemblyLocation {
            ac_no: ac,
            part_no: part,
            section_no: Some(row.section),
        });
        let want = write_rows(
            RollKind::Assembly,
            std::iter::once(elector_of(row, state, ec_loc, serial)),
        )
        .expect("writes");
        let mut f = RowFormatter::new();
        f.assembly(row, state, ac, part, serial);
        assert_eq!(
            String::from_utf8_lossy(&f.buf),
            String::from_utf8_lossy(&want),
            "{row:?}"
        );
        let sec_loc = Location::LocalBody(LocalBodyLocation {
            local_body: ward.local_body.clone(),
            ward_no: ward.ward_no,
            ac_no: row.back_part.map(|_| ac),
            part_no: row.back_part,
        });
        let want = write_rows(
            RollKind::LocalBody,
            std::iter::once(elector_of(row, state, sec_loc, serial)),
        )
        .expect("writes");
        let mut f = RowFormatter::new();
        f.local_body(row, state, ward, ac, serial);
        assert_eq!(
            String::from_utf8_lossy(&f.buf),
            String::from_utf8_lossy(&want),
            "{row:?}"
        );
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
                let ctx = AcCtx {
                    cfg: &cfg,
                    plan: &plan,
                    pools: Pools::get().expect("name pools load"),
                    ec_date: cfg.ec_date,
                    sec_date: cfg.effective_sec_date(),
                    letters: epic_letters(plan.ac_no),
                };
                let mut rows = 0;
                for pi in 0..plan.parts.len() {
                    let part = gen_part(&ctx, pi);
                    for (k, row) in part.ec.iter().chain(&part.sec).enumerate() {
                        let ward = &plan.wards[(row.target as usize).min(plan.wards.len() - 1)];
                        both_ways(
                            row,
                            plan.lang.state_code(),
                            ward,
                            plan.ac_no,
                            pi as u32 + 1,
                            k as u32 + 1,
                        );
                        rows += 1;
                    }
                }
                assert!(rows > 2_000, "{scenario:?} {i}: {rows} rows");
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
                        let mut f = RowFormatter::new();
                        write_truth(&mut f, kind, ec, sec, (t, texts[i], t));
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
            name: String::new(),
            name_en: None,
            relation: RelationType::Other,
            relative: String::new(),
            relative_en: Some(String::new()),
            house: String::new(),
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
                let row = Row {
                    epic: epic.map(str::to_string),
                    name: t.to_string(),
                    name_en: Some(t.to_string()),
                    relative: t.to_string(),
                    relative_en: n.is_multiple_of(2).then(|| t.to_string()),
                    house: t.to_string(),
                    back_part: (!n.is_multiple_of(3)).then_some(n),
                    section: n,
                    ..base.clone()
                };
                both_ways(&row, t, &ward, n, u32::MAX - n, n);
                n += 1;
            }
        }
    }

    #[test]
    fn ocr_damage_makes_malformed() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for e in ["ABC1234567", "XYZ9999999", "OIS0158000", "KLM3479347"] {
            let d = ocr_damage(e, &mut rng);
            assert_ne!(d, e);
            assert_eq!(
                Epic::parse(&d).map(|x| x.form()),
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
        assert_eq!(fmt_house(h, 0, None), "16A");
        assert_eq!(fmt_house(h, 1, None), "16-A");
        assert_eq!(fmt_house(h, 2, None), "16/A");
        assert_eq!(fmt_house(h, 3, None), "H.No. 16A");
        assert_eq!(fmt_house(h, 0, Some(0x0966)), "१६A");
    }
}
