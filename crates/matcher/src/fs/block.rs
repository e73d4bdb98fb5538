//! Blocking: the candidate pairs worth comparing, from several passes whose
//! results are united without duplicates.

use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::prep::Prep;

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

/// A blocking key: the hash of what two entries must share.
fn key<T: Hash>(pass: u8, value: T) -> u64 {
    // DefaultHasher::new() has fixed keys, so keys are the same every run.
    let mut h = DefaultHasher::new();
    pass.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

fn age_bands(age: Option<f64>) -> Vec<i64> {
    match age {
        // Two overlapping 4-year bands, so a 2-year drift never splits a
        // pair.
        Some(a) => {
            let a = a.round() as i64;
            vec![a.div_euclid(4) * 2, (a + 2).div_euclid(4) * 2 + 1]
        }
        None => Vec::new(),
    }
}

/// The keys one entry gets in one pass.
fn keys_of(pass: u8, p: &Prep) -> Vec<u64> {
    let mut out = Vec::new();
    match pass {
        // Same EPIC.
        0 => {
            if let Some((e, _)) = &p.epic {
                out.push(key(pass, e));
            }
        }
        // EPIC one substitution apart: the EPIC with one position masked.
        1 => {
            if let Some((e, _)) = &p.epic
                && e.len() == 10
            {
                for i in 0..e.len() {
                    out.push(key(pass, (i, &e[..i], &e[i + 1..])));
                }
            }
        }
        // Same assembly part, same name skeleton.
        2 => {
            if let Some(part) = p.part {
                for s in &p.name_skeletons {
                    out.push(key(pass, (part, s)));
                }
            }
        }
        // Same assembly part, same relative-name skeleton.
        3 => {
            if let Some(part) = p.part {
                for s in &p.relative_skeletons {
                    out.push(key(pass, (part, s)));
                }
            }
        }
        // Anywhere: same name and relative-name skeletons.
        4 => {
            for n in &p.name_skeletons {
                for r in &p.relative_skeletons {
                    out.push(key(pass, (n, r)));
                }
            }
        }
        // Anywhere: same relative-name skeleton and age band.
        5 => {
            for r in &p.relative_skeletons {
                for b in age_bands(p.age) {
                    out.push(key(pass, (r, b)));
                }
            }
        }
        // Anywhere: same name skeleton and age band.
        6 => {
            for n in &p.name_skeletons {
                for b in age_bands(p.age) {
                    out.push(key(pass, (n, b)));
                }
            }
        }
        // Same assembly part and house number: members of one household,
        // whatever their names' spellings.
        7 => {
            if let (Some(part), Some(house)) = (p.part, &p.house) {
                out.push(key(pass, (part, house)));
            }
        }
        _ => {}
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Names of the passes, in order.
pub const PASSES: [&str; 8] = [
    "epic",
    "epic_one_substitution",
    "part_name",
    "part_relative",
    "name_relative",
    "relative_age",
    "name_age",
    "part_house",
];

/// Pairs (EC index, SEC index) packed in one integer.
fn pack(ec: u32, sec: u32) -> u64 {
    (u64::from(ec) << 32) | u64::from(sec)
}

/// Unpacks a candidate pair.
pub fn unpack(pair: u64) -> (usize, usize) {
    ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize)
}

/// One pass: entries sharing a key, EC x SEC, in blocks of at most `cap`
/// pairs. Returns sorted, deduplicated pairs.
fn run_pass(pass: u8, ec: &[Prep], sec: &[Prep], cap: u64) -> (Vec<u64>, u64, u64) {
    // (key, side, index): side 0 = EC, 1 = SEC.
    let mut entries: Vec<(u64, u8, u32)> = ec
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, p)| {
            keys_of(pass, p)
                .into_iter()
                .map(move |k| (k, 0u8, i as u32))
        })
        .chain(sec.par_iter().enumerate().flat_map_iter(|(j, p)| {
            keys_of(pass, p)
                .into_iter()
                .map(move |k| (k, 1u8, j as u32))
        }))
        .collect();
    entries.par_sort_unstable();
    let mut groups: Vec<(usize, usize, usize)> = Vec::new(); // start, sec start, end
    let mut start = 0;
    while start < entries.len() {
        let k = entries[start].0;
        let mut end = start;
        while end < entries.len() && entries[end].0 == k {
            end += 1;
        }
        let split = start + entries[start..end].partition_point(|e| e.1 == 0);
        if split > start && split < end {
            groups.push((start, split, end));
        }
        start = end;
    }
    let (mut skipped_blocks, mut skipped_pairs) = (0u64, 0u64);
    for &(s, m, e) in &groups {
        let n = ((m - s) * (e - m)) as u64;
        if n > cap {
            skipped_blocks += 1;
            skipped_pairs += n;
        }
    }
    let mut pairs: Vec<u64> = groups
        .par_iter()
        .filter(|&&(s, m, e)| ((m - s) * (e - m)) as u64 <= cap)
        .flat_map_iter(|&(s, m, e)| {
            let entries = &entries;
            (s..m).flat_map(move |a| (m..e).map(move |b| pack(entries[a].2, entries[b].2)))
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    (pairs, skipped_blocks, skipped_pairs)
}

/// Merges two sorted, deduplicated lists.
fn union(a: Vec<u64>, b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// All candidate pairs, sorted by (EC, SEC), each once, and what each pass
/// contributed. `cap` bounds the pairs of one block: a block of a very
/// common key (a name shared by thousands) is skipped in that pass, and
/// its true pairs must come from a more specific pass.
pub fn candidates(ec: &[Prep], sec: &[Prep], cap: u64) -> (Vec<u64>, Vec<PassStats>) {
    let mut all: Vec<u64> = Vec::new();
    let mut stats = Vec::with_capacity(PASSES.len());
    for (pass, name) in PASSES.iter().enumerate() {
        let (pairs, skipped_blocks, skipped_pairs) = run_pass(pass as u8, ec, sec, cap);
        let before = all.len();
        all = union(all, &pairs);
        stats.push(PassStats {
            pass: name,
            pairs: pairs.len() as u64,
            new_pairs: (all.len() - before) as u64,
            skipped_blocks,
            skipped_pairs,
        });
    }
    (all, stats)
}

/// Candidate duplicate pairs inside one roll: the passes other than the
/// EPIC-substitution pass, each pair `(i, j)` with `i < j`, sorted, each
/// once.
pub fn within(roll: &[Prep], cap: u64) -> Vec<u64> {
    let mut all: Vec<u64> = Vec::new();
    for pass in 0..PASSES.len() as u8 {
        if pass == 1 {
            continue;
        }
        let (pairs, _, _) = run_pass(pass, roll, roll, cap);
        let pairs: Vec<u64> = pairs
            .into_iter()
            .filter(|&p| {
                let (i, j) = unpack(p);
                i < j
            })
            .collect();
        all = union(all, &pairs);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_without_duplicates() {
        assert_eq!(union(vec![1, 3, 5], &[2, 3, 6]), [1, 2, 3, 5, 6]);
        assert_eq!(union(vec![], &[2]), [2]);
    }

    #[test]
    fn age_bands_overlap() {
        // Ages two years apart always share a band.
        for a in 18..100 {
            let x = age_bands(Some(f64::from(a)));
            let y = age_bands(Some(f64::from(a + 2)));
            assert!(x.iter().any(|b| y.contains(b)), "{a}");
        }
    }
}
