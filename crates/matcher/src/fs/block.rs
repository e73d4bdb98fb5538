//! Blocking: the candidate pairs worth comparing, from several passes whose
//! results are united without duplicates.
//!
//! Most passes block inside an *area*: an assembly part. An EC entry's area
//! is its part. An SEC entry's area is its back-reference to the part it
//! was cut from when the roll records one; otherwise the parts its ward was
//! cut from, learnt from the pairs that share an EPIC (a ward drawing at
//! least [`MIN_WARD_PART_PAIRS`] EPIC pairs, and [`MIN_WARD_PART_SHARE`]
//! of its EPIC pairs, from a part overlaps it). So an
//! SEC roll kept on its own, with its own serial numbers and no
//! back-reference, is still blocked part by part wherever EPICs tie a few
//! of its entries to the EC roll.

use std::collections::BTreeMap;
use std::hash::Hash;

use rayon::prelude::*;

use super::prep::{Interner, NONE, Names, Prep};
use rollrec_model::hash::{FastMap, fast_map, hash_one};

/// What one blocking pass produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassStats {
    /// The pass's name.
    pub pass: &'static str,
    /// Pairs the pass proposed (before uniting with earlier passes).
    pub pairs: u64,
    /// Pairs the pass added that no earlier pass had proposed; only
    /// counted by [`FsMatcher::blocking_passes`](super::FsMatcher::blocking_passes)
    /// (a run unites the passes in one sort).
    pub new_pairs: Option<u64>,
    /// Blocks skipped because they held more than the cap of pairs.
    pub skipped_blocks: u64,
    /// Pairs in the skipped blocks.
    pub skipped_pairs: u64,
}

/// Names of the passes, in order.
pub const PASSES: [&str; 6] = [
    "epic",
    "epic_one_substitution_age",
    "area_name_age",
    "area_relative_age",
    "exact_name_relative_age",
    "area_house",
];

const EPIC: u8 = 0;
const EPIC_ONE: u8 = 1;
const AREA_NAME: u8 = 2;
const AREA_RELATIVE: u8 = 3;
const NAME_RELATIVE: u8 = 4;
const AREA_HOUSE: u8 = 5;

/// Length of a current-form EPIC (three letters, seven digits), the only
/// form the one-substitution pass looks at.
const EPIC_LEN: usize = 10;

/// EPIC pairs a ward must draw from a part for the part to count as one
/// of the ward's areas...
pub const MIN_WARD_PART_PAIRS: u32 = 2;
/// ...and the share of the ward's EPIC pairs they must make up: electors
/// registered in the wrong ward scatter a few pairs over many parts, which
/// would multiply the ward's candidates for little gain.
pub const MIN_WARD_PART_SHARE: f64 = 0.02;

/// Two overlapping 4-year age bands, so a 2-year drift never splits a
/// pair; one band of its own for an entry without an age, which meets only
/// other entries without one.
fn age_bands(age: Option<f64>) -> [i64; 2] {
    match age {
        Some(a) => {
            let a = a.round() as i64;
            [a.div_euclid(4) * 2, (a + 2).div_euclid(4) * 2 + 1]
        }
        None => [i64::MIN, i64::MIN],
    }
}

/// A hashed key, for values that are not numbered. A collision only adds
/// candidates, which comparison then tells apart.
fn hashed<T: Hash>(value: T) -> u64 {
    hash_one(value)
}

/// Pairs (EC index, SEC index) packed in one integer.
pub(crate) fn pack(ec: u32, sec: u32) -> u64 {
    (u64::from(ec) << 32) | u64::from(sec)
}

/// Unpacks a candidate pair.
pub fn unpack(pair: u64) -> (usize, usize) {
    ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize)
}

/// Members of numbered groups (areas or regions), each group's members in
/// increasing index order.
struct Groups {
    offsets: Vec<u32>,
    members: Vec<u32>,
}

impl Groups {
    /// Groups of the entries `0..n`; `of(i)` gives entry `i`'s groups
    /// (numbers below `n_groups`, each once).
    fn new<I: IntoIterator<Item = u32>>(
        n_groups: usize,
        n: usize,
        of: impl Fn(usize) -> I,
    ) -> Self {
        let mut offsets = vec![0u32; n_groups + 1];
        for i in 0..n {
            for g in of(i) {
                offsets[g as usize + 1] += 1;
            }
        }
        for g in 0..n_groups {
            offsets[g + 1] += offsets[g];
        }
        let mut at = offsets.clone();
        let mut members = vec![0u32; offsets[n_groups] as usize];
        for i in 0..n {
            for g in of(i) {
                members[at[g as usize] as usize] = i as u32;
                at[g as usize] += 1;
            }
        }
        Groups { offsets, members }
    }

    /// One group of all the entries `0..n`.
    fn all(n: usize) -> Self {
        Self::one((0..n as u32).collect())
    }

    /// One group of the given entries (in increasing order).
    fn one(members: Vec<u32>) -> Self {
        Groups {
            offsets: vec![0, members.len() as u32],
            members,
        }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn get(&self, g: usize) -> &[u32] {
        &self.members[self.offsets[g] as usize..self.offsets[g + 1] as usize]
    }
}

/// Each entry's areas and regions, as groups of both rolls.
pub(crate) struct Areas {
    /// EC members of each area (an assembly part): an entry's own part.
    ec: Groups,
    /// SEC members of each area: an entry's back-reference, or its ward's
    /// parts.
    sec: Groups,
    /// EC members of each region: an entry's AC, and [`ANYWHERE`] as well
    /// when some SEC entry has no known region, so that entry can still
    /// meet it.
    ec_region: Groups,
    /// SEC members of each region: an entry's back-reference AC, or the
    /// ACs of its areas; [`ANYWHERE`] when none is known.
    sec_region: Groups,
}

/// The region of an entry whose AC is not known.
const ANYWHERE: u32 = NONE - 1;

/// Marks a local body's number as a region inside the SEC roll, apart
/// from AC numbers.
const LOCAL_BODY_REGION: u32 = 1 << 31;

impl Areas {
    /// Numbers the parts and gives each SEC entry its areas. `epic_pairs`
    /// are the pairs sharing an EPIC, which tie wards to parts.
    fn new(ec: &[Prep], sec: &[Prep], epic_pairs: &[u64]) -> Self {
        let mut ids = Interner::<(u32, u32)>::new();
        let ec_parts: Vec<u32> = ec
            .iter()
            .map(|p| p.part.map_or(NONE, |part| ids.id(part)))
            .collect();
        // Ward -> part -> EPIC pairs, for SEC entries without a
        // back-reference.
        let mut counts: BTreeMap<(u32, u32), u32> = BTreeMap::new();
        for &pair in epic_pairs {
            let (i, j) = unpack(pair);
            let (a, b) = (&ec[i], &sec[j]);
            let valid = |p: &Prep| p.epic.as_ref().is_some_and(|e| e.1);
            if b.part.is_none() && b.ward != NONE && ec_parts[i] != NONE && valid(a) && valid(b) {
                *counts.entry((b.ward, ec_parts[i])).or_default() += 1;
            }
        }
        let mut ward_total: FastMap<u32, u32> = fast_map();
        for (&(ward, _), &n) in &counts {
            *ward_total.entry(ward).or_default() += n;
        }
        let mut ward_parts: FastMap<u32, Vec<u32>> = fast_map();
        for ((ward, part), n) in counts {
            if n >= MIN_WARD_PART_PAIRS
                && f64::from(n) >= MIN_WARD_PART_SHARE * f64::from(ward_total[&ward])
            {
                ward_parts.entry(ward).or_default().push(part);
            }
        }
        let sec_areas: Vec<Vec<u32>> = sec
            .iter()
            .map(|p| match p.part {
                Some(part) => vec![ids.id(part)],
                None => ward_parts.get(&p.ward).cloned().unwrap_or_default(),
            })
            .collect();
        let part_ac: Vec<u32> = {
            let mut v = vec![NONE; ids.len()];
            for (&(ac, _), &id) in &ids.ids {
                v[id as usize] = ac;
            }
            v
        };
        let sec_region: Vec<Vec<u32>> = sec
            .iter()
            .zip(&sec_areas)
            .map(|(p, areas)| {
                let mut r: Vec<u32> = match p.ac {
                    Some(ac) => vec![ac],
                    None => areas.iter().map(|&a| part_ac[a as usize]).collect(),
                };
                r.sort_unstable();
                r.dedup();
                if r.is_empty() {
                    r.push(ANYWHERE);
                }
                r
            })
            .collect();
        let unplaced = sec_region.iter().any(|r| r == &[ANYWHERE]);
        // Regions numbered densely, for grouping.
        let mut rids = Interner::<u32>::new();
        let ec_regions: Vec<[u32; 2]> = ec
            .iter()
            .map(|p| {
                let r = p.ac.unwrap_or(ANYWHERE);
                let also = if unplaced && r != ANYWHERE {
                    rids.id(ANYWHERE)
                } else {
                    NONE
                };
                [rids.id(r), also]
            })
            .collect();
        let sec_regions: Vec<Vec<u32>> = sec_region
            .iter()
            .map(|rs| rs.iter().map(|&r| rids.id(r)).collect())
            .collect();
        let (n_areas, n_regions) = (ids.len(), rids.len());
        Areas {
            ec: Groups::new(n_areas, ec.len(), |i| {
                (ec_parts[i] != NONE).then_some(ec_parts[i])
            }),
            sec: Groups::new(n_areas, sec.len(), |i| sec_areas[i].iter().copied()),
            ec_region: Groups::new(n_regions, ec.len(), |i| {
                ec_regions[i].into_iter().filter(|&r| r != NONE)
            }),
            sec_region: Groups::new(n_regions, sec.len(), |i| sec_regions[i].iter().copied()),
        }
    }
}

/// A pass to run, with the EPIC position the one-substitution pass masks
/// (it runs once per position, which keeps its key lists a tenth as long).
#[derive(Clone, Copy)]
struct Pass {
    pass: u8,
    position: usize,
}

impl Pass {
    const fn of(pass: u8) -> Self {
        Pass { pass, position: 0 }
    }
}

/// The distinct values of `table` (skeletons or classes) for the forms
/// present, sorted: at most two (printed name, English twin).
fn values(forms: &[u32; 2], table: &[u32]) -> ([u32; 2], usize) {
    let mut out = [NONE; 2];
    let mut n = 0;
    for &f in forms.iter().filter(|&&f| f != NONE) {
        let v = table[f as usize];
        if v != NONE && !out[..n].contains(&v) {
            out[n] = v;
            n += 1;
        }
    }
    out[..n].sort_unstable();
    (out, n)
}

/// An age band in the low half of a key (the band of a missing age stays
/// apart from real ones).
fn band_bits(band: i64) -> u64 {
    u64::from(band.clamp(-(1 << 30), 1 << 30) as i32 as u32)
}

/// The keys of one entry in one pass, into `out` (sorted, each once).
/// The area or region is the group the pass runs in, so it is not part of
/// the key.
fn keys(names: &Names, pass: Pass, p: &Prep, out: &mut Vec<u64>) {
    out.clear();
    let bands = age_bands(p.age);
    let bands: &[i64] = if bands[0] == bands[1] {
        &bands[..1]
    } else {
        &bands
    };
    match pass.pass {
        EPIC => {
            if let Some((e, _)) = &p.epic {
                out.push(hashed(e));
            }
        }
        // The EPIC with one position masked.
        EPIC_ONE => {
            if let Some((e, _)) = &p.epic
                && e.len() == EPIC_LEN
                && e.is_ascii()
            {
                let i = pass.position;
                for &b in bands {
                    out.push(hashed((&e[..i], &e[i + 1..], b)));
                }
            }
        }
        AREA_NAME | AREA_RELATIVE => {
            let forms = if pass.pass == AREA_NAME {
                &p.names
            } else {
                &p.relatives
            };
            let (skel, n) = values(forms, &names.skeleton);
            for &s in &skel[..n] {
                for &b in bands {
                    out.push((u64::from(s) << 32) | band_bits(b));
                }
            }
        }
        NAME_RELATIVE => {
            let (name, n) = values(&p.names, &names.class);
            let (rel, r) = values(&p.relatives, &names.class);
            for &n in &name[..n] {
                for &r in &rel[..r] {
                    for &b in bands {
                        out.push(hashed((n, r, b)));
                    }
                }
            }
        }
        AREA_HOUSE if p.house != NONE => out.push(u64::from(p.house)),
        _ => {}
    }
    out.sort_unstable();
    out.dedup();
}

/// Below this length a slice is sorted on the calling thread.
const PAR_SORT: usize = 1 << 16;

fn sort<T: Ord + Send>(v: &mut [T]) {
    if v.len() > PAR_SORT {
        v.par_sort_unstable();
    } else {
        v.sort_unstable();
    }
}

/// Sorts `v[start..]` and removes its repeated values.
fn sort_dedup_from(v: &mut Vec<u64>, start: usize) {
    sort(&mut v[start..]);
    let mut w = start;
    for r in start..v.len() {
        if w == start || v[r] != v[w - 1] {
            v[w] = v[r];
            w += 1;
        }
    }
    v.truncate(w);
}

/// Scratch buffers of one worker.
#[derive(Default)]
struct Scratch {
    a: Vec<(u64, u32)>,
    b: Vec<(u64, u32)>,
    keys: Vec<u64>,
}

/// What one pass produced: its pairs, each once (a pair arises in one
/// group only) but not sorted, and the blocks and pairs it skipped.
#[derive(Default)]
pub(crate) struct PassOut {
    pairs: Vec<u64>,
    skipped_blocks: u64,
    skipped_pairs: u64,
}

impl PassOut {
    fn absorb(&mut self, mut other: PassOut) {
        if self.pairs.is_empty() {
            std::mem::swap(&mut self.pairs, &mut other.pairs);
        } else {
            self.pairs.append(&mut other.pairs);
        }
        self.skipped_blocks += other.skipped_blocks;
        self.skipped_pairs += other.skipped_pairs;
    }
}

/// `(key, index)` of the `members` of one roll in one pass, sorted.
fn fill(
    names: &Names,
    pass: Pass,
    roll: &[Prep],
    members: &[u32],
    buf: &mut Vec<u64>,
    out: &mut Vec<(u64, u32)>,
) {
    out.clear();
    for &i in members {
        keys(names, pass, &roll[i as usize], buf);
        out.extend(buf.iter().map(|&k| (k, i)));
    }
    sort(out);
}

/// End of the run of equal keys starting at `s`.
fn run_end(v: &[(u64, u32)], s: usize) -> usize {
    let k = v[s].0;
    s + v[s..].iter().take_while(|e| e.0 == k).count()
}

/// Pairs between two sorted key lists: entries sharing a key, EC x SEC,
/// from blocks of at most `cap` pairs.
fn join_cross(a: &[(u64, u32)], b: &[(u64, u32)], cap: u64, out: &mut PassOut) {
    let start = out.pairs.len();
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        match a[x].0.cmp(&b[y].0) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                let (xe, ye) = (run_end(a, x), run_end(b, y));
                let n = ((xe - x) * (ye - y)) as u64;
                if n > cap {
                    out.skipped_blocks += 1;
                    out.skipped_pairs += n;
                } else {
                    for &(_, i) in &a[x..xe] {
                        out.pairs.extend(b[y..ye].iter().map(|e| pack(i, e.1)));
                    }
                }
                (x, y) = (xe, ye);
            }
        }
    }
    sort_dedup_from(&mut out.pairs, start);
}

/// Pairs `(i, j)`, `i < j`, inside one sorted key list: entries sharing a
/// key, from blocks of at most `cap` pairs.
fn join_within(e: &[(u64, u32)], cap: u64, out: &mut PassOut) {
    let start = out.pairs.len();
    let mut s = 0;
    while s < e.len() {
        let t = run_end(e, s);
        let n = (t - s) as u64;
        if n * (n - 1) / 2 > cap {
            out.skipped_blocks += 1;
            out.skipped_pairs += n * (n - 1) / 2;
        } else {
            // A run is sorted by index, so i < j below.
            for i in s..t {
                out.pairs
                    .extend(e[i + 1..t].iter().map(|f| pack(e[i].1, f.1)));
            }
        }
        s = t;
    }
    sort_dedup_from(&mut out.pairs, start);
}

/// Runs `work` for every group and pass, groups in parallel; one
/// [`PassOut`] per pass.
fn over_groups(
    n_groups: usize,
    passes: &[Pass],
    work: impl Fn(usize, Pass, &mut Scratch, &mut PassOut) + Sync,
) -> Vec<PassOut> {
    let empty = || -> Vec<PassOut> { passes.iter().map(|_| PassOut::default()).collect() };
    (0..n_groups)
        .into_par_iter()
        .fold(
            || (empty(), Scratch::default()),
            |(mut outs, mut scratch), g| {
                for (out, &pass) in outs.iter_mut().zip(passes) {
                    work(g, pass, &mut scratch, out);
                }
                (outs, scratch)
            },
        )
        .map(|(outs, _)| outs)
        .reduce(empty, |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                x.absorb(y);
            }
            a
        })
}

/// Passes between the rolls inside groups (`ga` of EC entries and `gb`
/// of SEC entries, numbered alike).
fn cross(
    names: &Names,
    ec: &[Prep],
    sec: &[Prep],
    (ga, gb): (&Groups, &Groups),
    passes: &[Pass],
    cap: u64,
) -> Vec<PassOut> {
    over_groups(ga.len().min(gb.len()), passes, |g, pass, s, out| {
        let (ma, mb) = (ga.get(g), gb.get(g));
        if ma.is_empty() || mb.is_empty() {
            return;
        }
        fill(names, pass, ec, ma, &mut s.keys, &mut s.a);
        fill(names, pass, sec, mb, &mut s.keys, &mut s.b);
        join_cross(&s.a, &s.b, cap, out);
    })
}

/// The pairs of each pass (each once, unsorted) and what it skipped, in
/// the order of [`PASSES`].
fn run_passes(names: &Names, ec: &[Prep], sec: &[Prep], cap: u64) -> Vec<PassOut> {
    let all = (&Groups::all(ec.len()), &Groups::all(sec.len()));
    let mut out = cross(names, ec, sec, all, &[Pass::of(EPIC)], cap);
    let positions: Vec<Pass> = (0..EPIC_LEN)
        .map(|position| Pass {
            pass: EPIC_ONE,
            position,
        })
        .collect();
    // The one-substitution pass looks only at entries whose EPIC met no
    // equal EPIC on the other side: a damaged EPIC has lost its partner.
    let (mut ec_met, mut sec_met) = (vec![false; ec.len()], vec![false; sec.len()]);
    for &pair in &out[0].pairs {
        let (i, j) = unpack(pair);
        (ec_met[i], sec_met[j]) = (true, true);
    }
    let unmet = |roll: &[Prep], met: &[bool]| {
        let m: Vec<u32> = (0..roll.len() as u32)
            .filter(|&i| !met[i as usize] && roll[i as usize].epic.is_some())
            .collect();
        Groups::one(m)
    };
    let unmet = (&unmet(ec, &ec_met), &unmet(sec, &sec_met));
    // An EPIC equal on both sides would turn up at every position.
    let mut one = PassOut::default();
    for o in cross(names, ec, sec, unmet, &positions, cap) {
        one.absorb(o);
    }
    sort_dedup_from(&mut one.pairs, 0);
    out.push(one);
    let areas = Areas::new(ec, sec, &out[0].pairs);
    let mut by_area = cross(
        names,
        ec,
        sec,
        (&areas.ec, &areas.sec),
        &[
            Pass::of(AREA_NAME),
            Pass::of(AREA_RELATIVE),
            Pass::of(AREA_HOUSE),
        ],
        cap,
    );
    let by_region = cross(
        names,
        ec,
        sec,
        (&areas.ec_region, &areas.sec_region),
        &[Pass::of(NAME_RELATIVE)],
        cap,
    );
    let house = by_area.pop().expect("three area passes were run");
    out.extend(by_area);
    out.extend(by_region);
    out.push(house);
    out
}

fn stats(outs: &[PassOut], new: Option<&[u64]>) -> Vec<PassStats> {
    PASSES
        .iter()
        .zip(outs)
        .enumerate()
        .map(|(k, (pass, o))| PassStats {
            pass,
            pairs: o.pairs.len() as u64,
            new_pairs: new.map(|n| n[k]),
            skipped_blocks: o.skipped_blocks,
            skipped_pairs: o.skipped_pairs,
        })
        .collect()
}

/// The pairs of each pass on its own (sorted, each once), and the
/// statistics of uniting them in order, for measuring blocking.
pub(crate) fn passes(
    names: &Names,
    ec: &[Prep],
    sec: &[Prep],
    cap: u64,
) -> (Vec<Vec<u64>>, Vec<PassStats>) {
    let mut outs = run_passes(names, ec, sec, cap);
    for o in &mut outs {
        sort(&mut o.pairs);
    }
    let lists: Vec<Vec<u64>> = outs.iter().map(|o| o.pairs.clone()).collect();
    let (_, new) = merge(&lists);
    (lists, stats(&outs, Some(&new)))
}

/// Merges sorted, deduplicated lists into one, each value once, and counts
/// for each list the values no earlier list holds.
fn merge(lists: &[Vec<u64>]) -> (Vec<u64>, Vec<u64>) {
    let mut out = Vec::with_capacity(lists.iter().map(Vec::len).max().unwrap_or(0));
    let mut new = vec![0u64; lists.len()];
    let mut at = vec![0usize; lists.len()];
    loop {
        // The smallest head, and the first list holding it.
        let mut best: Option<(u64, usize)> = None;
        for (l, list) in lists.iter().enumerate() {
            if let Some(&v) = list.get(at[l])
                && best.is_none_or(|(b, _)| v < b)
            {
                best = Some((v, l));
            }
        }
        let Some((v, first)) = best else { break };
        out.push(v);
        new[first] += 1;
        for (l, list) in lists.iter().enumerate() {
            if list.get(at[l]) == Some(&v) {
                at[l] += 1;
            }
        }
    }
    (out, new)
}

/// All candidate pairs, sorted by (EC, SEC), each once, and what each pass
/// proposed (`new_pairs` is left out: see [`passes`]). `cap` bounds the
/// pairs of one block: a block of a very common key (a name shared by
/// thousands) is skipped in that pass, and its true pairs must come from a
/// more specific pass.
pub(crate) fn candidates(
    names: &Names,
    ec: &[Prep],
    sec: &[Prep],
    cap: u64,
) -> (Vec<u64>, Vec<PassStats>) {
    let mut outs = run_passes(names, ec, sec, cap);
    let mut all = Vec::with_capacity(outs.iter().map(|o| o.pairs.len()).sum());
    for o in &mut outs {
        all.append(&mut o.pairs);
    }
    let stats = stats(&outs, None);
    sort(&mut all);
    all.dedup();
    (all, stats)
}

/// Candidate duplicate pairs inside one roll (`sec` tells which): the same
/// EPIC; the same area (EC part, SEC ward) and name or relative name (with
/// the age band); the same exact name, relative name and age band in the
/// same region (the AC, or an SEC entry's local body when it has no
/// back-reference). No house pass: a duplicate must spell the name alike
/// and agree on age within a year, so the name and relative passes
/// already hold every pair a household could add, and a household's pairs
/// are many. Each pair `(i, j)` has `i < j`; sorted, each once. A block of
/// more than `cap` pairs is skipped. Also returns the number of regions.
pub(crate) fn within(names: &Names, roll: &[Prep], sec: bool, cap: u64) -> (Vec<u64>, usize) {
    // Inside one roll the area is the EC part or the SEC ward...
    let mut ids = Interner::<(u32, u32)>::new();
    let own: Vec<u32> = roll
        .iter()
        .map(|p| match (sec, p.part) {
            (true, _) if p.ward == NONE => NONE,
            (true, _) => ids.id((p.ward, 0)),
            (false, Some(part)) => ids.id(part),
            (false, None) => NONE,
        })
        .collect();
    // ...and the region the AC (an SEC entry's back-reference), else the
    // SEC local body: a person entered twice in one AC may sit in two
    // local bodies cut from it. Local bodies are numbered apart from ACs.
    let mut rids = Interner::<u32>::new();
    let region: Vec<u32> = roll
        .iter()
        .map(|p| {
            let r = match (sec, p.ac) {
                (_, Some(ac)) => ac,
                (true, None) => p.local_body | LOCAL_BODY_REGION,
                (false, None) => ANYWHERE,
            };
            rids.id(r)
        })
        .collect();
    let n = roll.len();
    let areas = Groups::new(ids.len(), n, |i| (own[i] != NONE).then_some(own[i]));
    let regions = Groups::new(rids.len(), n, |i| Some(region[i]));
    let run = |groups: &Groups, passes: &[Pass]| {
        over_groups(groups.len(), passes, |g, pass, s, out| {
            let m = groups.get(g);
            if m.len() < 2 {
                return;
            }
            fill(names, pass, roll, m, &mut s.keys, &mut s.a);
            join_within(&s.a, cap, out);
        })
    };
    let mut outs = run(&Groups::all(n), &[Pass::of(EPIC)]);
    outs.extend(run(&areas, &[Pass::of(AREA_NAME), Pass::of(AREA_RELATIVE)]));
    outs.extend(run(&regions, &[Pass::of(NAME_RELATIVE)]));
    let mut all = Vec::with_capacity(outs.iter().map(|o| o.pairs.len()).sum());
    for o in &mut outs {
        all.append(&mut o.pairs);
    }
    sort(&mut all);
    all.dedup();
    (all, rids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_unites_and_counts_new_values() {
        let (all, new) = merge(&[vec![1, 3, 5], vec![2, 3, 6], vec![], vec![1, 6, 7]]);
        assert_eq!(all, [1, 2, 3, 5, 6, 7]);
        assert_eq!(new, [3, 2, 0, 1]);
        assert_eq!(merge(&[]), (vec![], vec![]));
    }

    #[test]
    fn age_bands_overlap() {
        // Ages two years apart always share a band.
        for a in 18..100 {
            let x = age_bands(Some(f64::from(a)));
            let y = age_bands(Some(f64::from(a + 2)));
            assert!(x.iter().any(|b| y.contains(b)), "{a}");
        }
        assert_eq!(age_bands(None), [i64::MIN; 2]);
    }

    #[test]
    fn runs_end_where_the_key_changes() {
        let e = [(1, 0), (1, 4), (2, 1), (3, 2), (3, 3)];
        assert_eq!([0, 2, 3].map(|s| run_end(&e, s)), [2, 3, 5]);
    }

    #[test]
    fn groups_list_members_in_order() {
        let of: [&[u32]; 5] = [&[0, 2], &[1], &[2], &[0], &[1, 2]];
        let g = Groups::new(3, 5, |i| of[i].iter().copied());
        assert_eq!(g.len(), 3);
        assert_eq!(g.get(0), [0, 3]);
        assert_eq!(g.get(1), [1, 4]);
        assert_eq!(g.get(2), [0, 2, 4]);
    }

    #[test]
    fn joins_pair_shared_keys_and_skip_big_blocks() {
        let a = [(1, 0), (1, 1), (5, 2)];
        let b = [(1, 7), (2, 8), (5, 3), (5, 9)];
        let mut out = PassOut::default();
        join_cross(&a, &b, 2, &mut out);
        assert_eq!(out.pairs, [pack(0, 7), pack(1, 7), pack(2, 3), pack(2, 9)]);
        let mut out = PassOut::default();
        join_cross(&a, &b, 1, &mut out);
        assert!(out.pairs.is_empty());
        assert_eq!((out.skipped_blocks, out.skipped_pairs), (2, 4));
        let mut out = PassOut::default();
        join_within(&[(1, 0), (1, 2), (1, 5), (4, 6)], 3, &mut out);
        assert_eq!(out.pairs, [pack(0, 2), pack(0, 5), pack(2, 5)]);
    }
}
