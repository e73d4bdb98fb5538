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

use super::prep::{NONE, Names, Prep};
use rollrec_model::hash::{FastMap, fast_map, hash_one};

/// What one blocking pass produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassStats {
    /// The pass's name.
    pub pass: &'static str,
    /// Pairs the pass proposed (before uniting with earlier passes).
    pub pairs: u64,
    /// Pairs the pass added that no earlier pass had proposed.
    pub new_pairs: u64,
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

/// Two numbers in one key.
fn key2(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A hashed key, for values that are not numbered. A collision only adds
/// candidates, which comparison then tells apart.
fn hashed<T: Hash>(value: T) -> u64 {
    hash_one(value)
}

/// Pairs (EC index, SEC index) packed in one integer.
fn pack(ec: u32, sec: u32) -> u64 {
    (u64::from(ec) << 32) | u64::from(sec)
}

/// Unpacks a candidate pair.
pub fn unpack(pair: u64) -> (usize, usize) {
    ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize)
}

/// Numbered parts and each entry's areas.
pub(crate) struct Areas {
    /// Part number of each EC entry (its own part).
    ec: Vec<u32>,
    /// Areas of each SEC entry: its back-reference, or its ward's parts.
    sec: Vec<Vec<u32>>,
    /// Region of each EC entry: its AC.
    ec_region: Vec<u32>,
    /// Regions of each SEC entry: its back-reference AC, or the ACs of its
    /// areas; [`ANYWHERE`] when none is known.
    sec_region: Vec<Vec<u32>>,
    /// Whether some SEC entry has no known region: then every EC entry is
    /// also keyed [`ANYWHERE`] so that entry can still meet it.
    unplaced: bool,
}

/// The region of an entry whose AC is not known.
const ANYWHERE: u32 = NONE - 1;

/// Marks a local body's number as a region inside the SEC roll, apart
/// from AC numbers.
const LOCAL_BODY_REGION: u32 = 1 << 31;

impl Areas {
    /// Numbers the parts and gives each SEC entry its areas. `epic_pairs`
    /// are the pairs sharing an EPIC (sorted), which tie wards to parts.
    fn new(ec: &[Prep], sec: &[Prep], epic_pairs: &[u64]) -> Self {
        let mut ids: FastMap<(u32, u32), u32> = fast_map();
        let mut id = |p: (u32, u32)| {
            let next = ids.len() as u32;
            *ids.entry(p).or_insert(next)
        };
        let ec_parts: Vec<u32> = ec.iter().map(|p| p.part.map_or(NONE, &mut id)).collect();
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
        let sec_areas = sec
            .iter()
            .map(|p| match p.part {
                Some(part) => vec![id(part)],
                None => ward_parts.get(&p.ward).cloned().unwrap_or_default(),
            })
            .collect();
        let part_ac: Vec<u32> = {
            let mut v = vec![NONE; ids.len()];
            for (&(ac, _), &id) in &ids {
                v[id as usize] = ac;
            }
            v
        };
        let sec_region: Vec<Vec<u32>> = sec
            .iter()
            .zip(&sec_areas)
            .map(|(p, areas): (&Prep, &Vec<u32>)| {
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
        Areas {
            ec: ec_parts,
            sec: sec_areas,
            ec_region: ec.iter().map(|p| p.ac.unwrap_or(ANYWHERE)).collect(),
            unplaced: sec_region.iter().any(|r| r == &[ANYWHERE]),
            sec_region,
        }
    }
}

/// Where the areas of the entries come from.
#[derive(Clone, Copy)]
enum AreaOf<'a> {
    /// Not needed (the EPIC passes).
    Unknown,
    /// Between the rolls.
    Cross(&'a Areas),
    /// Inside one roll: one area and one region per entry.
    Within(&'a [u32], &'a [u32]),
}

/// What the passes need to compute keys.
struct Ctx<'a> {
    names: &'a Names,
    areas: AreaOf<'a>,
    /// The EPIC position the one-substitution pass masks: the pass runs
    /// once per position, which keeps its key lists a tenth as long (at
    /// 2.5 million entries a side, all ten positions at once needed
    /// gigabytes).
    position: usize,
}

impl Ctx<'_> {
    /// The distinct values of `table` (skeletons or classes) for the
    /// forms present, sorted: at most two (printed name, English twin).
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

    /// The keys of one entry (`sec` tells the side) in one pass, into `out`.
    fn keys(&self, pass: u8, p: &Prep, index: usize, sec: bool, out: &mut Vec<u64>) {
        out.clear();
        let areas: &[u32] = match self.areas {
            AreaOf::Cross(a) if sec => &a.sec[index],
            AreaOf::Cross(a) => std::slice::from_ref(&a.ec[index]),
            AreaOf::Within(a, _) => std::slice::from_ref(&a[index]),
            AreaOf::Unknown => &[],
        };
        let anywhere = [ANYWHERE];
        let mut ec_regions = [NONE, ANYWHERE];
        let regions: &[u32] = match self.areas {
            AreaOf::Cross(a) if sec => &a.sec_region[index],
            AreaOf::Cross(a) => {
                ec_regions[0] = a.ec_region[index];
                if a.unplaced && ec_regions[0] != ANYWHERE {
                    &ec_regions
                } else {
                    &ec_regions[..1]
                }
            }
            AreaOf::Within(_, r) => std::slice::from_ref(&r[index]),
            AreaOf::Unknown => &anywhere,
        };
        let bands = age_bands(p.age);
        let bands: &[i64] = if bands[0] == bands[1] {
            &bands[..1]
        } else {
            &bands
        };
        match pass {
            EPIC => {
                if let Some((e, _)) = &p.epic {
                    out.push(hashed(e));
                }
            }
            // The EPIC with one position masked.
            EPIC_ONE => {
                if let Some((e, _)) = &p.epic
                    && e.len() == EPIC_LEN
                {
                    let i = self.position;
                    for &b in bands {
                        out.push(hashed((&e[..i], &e[i + 1..], b)));
                    }
                }
            }
            AREA_NAME | AREA_RELATIVE => {
                let forms = if pass == AREA_NAME {
                    &p.names
                } else {
                    &p.relatives
                };
                let (skel, n) = Self::values(forms, &self.names.skeleton);
                for &a in areas.iter().filter(|&&a| a != NONE) {
                    for &s in &skel[..n] {
                        for &b in bands {
                            out.push(hashed((pass, a, s, b)));
                        }
                    }
                }
            }
            NAME_RELATIVE => {
                let (name, n) = Self::values(&p.names, &self.names.class);
                let (rel, r) = Self::values(&p.relatives, &self.names.class);
                for &g in regions {
                    for &n in &name[..n] {
                        for &r in &rel[..r] {
                            for &b in bands {
                                out.push(hashed((g, n, r, b)));
                            }
                        }
                    }
                }
            }
            AREA_HOUSE if p.house != NONE => {
                for &a in areas.iter().filter(|&&a| a != NONE) {
                    out.push(key2(a, p.house));
                }
            }
            _ => {}
        }
        out.sort_unstable();
        out.dedup();
    }

    /// (key, index) of every entry of one side.
    fn entries(&self, pass: u8, roll: &[Prep], sec: bool) -> Vec<(u64, u32)> {
        roll.par_iter()
            .enumerate()
            .fold(
                || (Vec::new(), Vec::new()),
                |(mut acc, mut keys), (i, p)| {
                    self.keys(pass, p, i, sec, &mut keys);
                    acc.extend(keys.iter().map(|&k| (k, i as u32)));
                    (acc, keys)
                },
            )
            .map(|(acc, _)| acc)
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            })
    }
}

/// Blocks: runs of one key in sorted entries, as (start, end).
fn runs(entries: &[(u64, u32)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let k = entries[start].0;
        let mut end = start + 1;
        while end < entries.len() && entries[end].0 == k {
            end += 1;
        }
        out.push((start, end));
        start = end;
    }
    out
}

/// One pass between the rolls: entries sharing a key, EC x SEC, in blocks
/// of at most `cap` pairs. Returns sorted, deduplicated pairs and the
/// skipped blocks and pairs.
fn run_pass(ctx: &Ctx<'_>, pass: u8, ec: &[Prep], sec: &[Prep], cap: u64) -> (Vec<u64>, u64, u64) {
    let mut a = ctx.entries(pass, ec, false);
    let mut b = ctx.entries(pass, sec, true);
    a.par_sort_unstable();
    b.par_sort_unstable();
    // Blocks present on both sides: (EC run, SEC run).
    let (ra, rb) = (runs(&a), runs(&b));
    let mut blocks: Vec<((usize, usize), (usize, usize))> = Vec::new();
    let (mut x, mut y) = (0, 0);
    while x < ra.len() && y < rb.len() {
        match a[ra[x].0].0.cmp(&b[rb[y].0].0) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                blocks.push((ra[x], rb[y]));
                x += 1;
                y += 1;
            }
        }
    }
    let size = |&((s, e), (t, f)): &((usize, usize), (usize, usize))| ((e - s) * (f - t)) as u64;
    let (mut skipped_blocks, mut skipped_pairs) = (0u64, 0u64);
    for blk in &blocks {
        let n = size(blk);
        if n > cap {
            skipped_blocks += 1;
            skipped_pairs += n;
        }
    }
    let mut pairs: Vec<u64> = blocks
        .par_iter()
        .filter(|blk| size(blk) <= cap)
        .flat_map_iter(|&((s, e), (t, f))| {
            let (a, b) = (&a, &b);
            (s..e).flat_map(move |i| (t..f).map(move |j| pack(a[i].1, b[j].1)))
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    (pairs, skipped_blocks, skipped_pairs)
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

/// The pairs of each pass on its own (sorted, each once), the statistics
/// of uniting them, and their union.
pub(crate) fn passes(
    names: &Names,
    ec: &[Prep],
    sec: &[Prep],
    cap: u64,
) -> (Vec<Vec<u64>>, Vec<PassStats>, Vec<u64>) {
    let mut out: Vec<Vec<u64>> = Vec::with_capacity(PASSES.len());
    let mut skipped = Vec::with_capacity(PASSES.len());
    let mut areas: Option<Areas> = None;
    for pass in 0..PASSES.len() as u8 {
        if pass == AREA_NAME {
            areas = Some(Areas::new(ec, sec, &out[usize::from(EPIC)]));
        }
        let mut ctx = Ctx {
            names,
            areas: areas.as_ref().map_or(AreaOf::Unknown, AreaOf::Cross),
            position: 0,
        };
        let (pairs, skipped_blocks, skipped_pairs) = if pass == EPIC_ONE {
            let mut parts = Vec::with_capacity(EPIC_LEN);
            let (mut blocks, mut skipped) = (0, 0);
            for position in 0..EPIC_LEN {
                ctx.position = position;
                let (p, b, n) = run_pass(&ctx, pass, ec, sec, cap);
                parts.push(p);
                blocks += b;
                skipped += n;
            }
            (merge(&parts).0, blocks, skipped)
        } else {
            run_pass(&ctx, pass, ec, sec, cap)
        };
        out.push(pairs);
        skipped.push((skipped_blocks, skipped_pairs));
    }
    let (all, new) = merge(&out);
    let stats = PASSES
        .iter()
        .zip(&out)
        .zip(new.iter().zip(skipped))
        .map(
            |((pass, pairs), (&new_pairs, (skipped_blocks, skipped_pairs)))| PassStats {
                pass,
                pairs: pairs.len() as u64,
                new_pairs,
                skipped_blocks,
                skipped_pairs,
            },
        )
        .collect();
    (out, stats, all)
}

/// All candidate pairs, sorted by (EC, SEC), each once, and what each pass
/// contributed. `cap` bounds the pairs of one block: a block of a very
/// common key (a name shared by thousands) is skipped in that pass, and
/// its true pairs must come from a more specific pass.
pub(crate) fn candidates(
    names: &Names,
    ec: &[Prep],
    sec: &[Prep],
    cap: u64,
) -> (Vec<u64>, Vec<PassStats>) {
    let (_, stats, all) = passes(names, ec, sec, cap);
    (all, stats)
}

/// Candidate duplicate pairs inside one roll (`sec` tells which): the same
/// EPIC; the same area (EC part, SEC ward) and name or relative name (with
/// the age band) or house; the same exact name, relative name and age band
/// in the same region (the AC, or an SEC entry's local body when it has no
/// back-reference). Each pair `(i, j)` has
/// `i < j`; sorted, each once. A block of more than `cap` pairs is skipped.
pub(crate) fn within(names: &Names, roll: &[Prep], sec: bool, cap: u64) -> Vec<u64> {
    // Inside one roll the area is the EC part or the SEC ward.
    let mut ids: FastMap<(u32, u32), u32> = fast_map();
    let own: Vec<u32> = roll
        .iter()
        .map(|p| match (sec, p.part) {
            (true, _) => p.ward,
            (false, Some(part)) => {
                let next = ids.len() as u32;
                *ids.entry(part).or_insert(next)
            }
            (false, None) => NONE,
        })
        .collect();
    // ...and the region the AC (an SEC entry's back-reference), else the
    // SEC local body: a person entered twice in one AC may sit in two
    // local bodies cut from it. Local bodies are numbered apart from ACs.
    let region: Vec<u32> = roll
        .iter()
        .map(|p| match (sec, p.ac) {
            (_, Some(ac)) => ac,
            (true, None) => p.local_body | LOCAL_BODY_REGION,
            (false, None) => ANYWHERE,
        })
        .collect();
    let ctx = Ctx {
        names,
        areas: AreaOf::Within(&own, &region),
        position: 0,
    };
    let mut lists: Vec<Vec<u64>> = Vec::new();
    for pass in [EPIC, AREA_NAME, AREA_RELATIVE, NAME_RELATIVE, AREA_HOUSE] {
        let mut e = ctx.entries(pass, roll, sec);
        e.par_sort_unstable();
        let blocks: Vec<(usize, usize)> = runs(&e)
            .into_iter()
            .filter(|&(s, t)| {
                let n = (t - s) as u64;
                n >= 2 && n * (n - 1) / 2 <= cap
            })
            .collect();
        // Entries of a run are sorted by index, so i < j below.
        let mut pairs: Vec<u64> = blocks
            .par_iter()
            .flat_map_iter(|&(s, t)| {
                let e = &e;
                (s..t).flat_map(move |i| (i + 1..t).map(move |j| pack(e[i].1, e[j].1)))
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        lists.push(pairs);
    }
    merge(&lists).0
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
    fn runs_split_on_key() {
        let e = [(1, 0), (1, 4), (2, 1), (3, 2), (3, 3)];
        assert_eq!(runs(&e), [(0, 2), (2, 3), (3, 5)]);
    }
}
