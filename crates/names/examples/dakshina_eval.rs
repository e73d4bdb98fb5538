//! Evaluate romanisation, phonetic keys and skeletons on the Dakshina
//! lexicons.
//!
//! ```text
//! cargo run --release -p rollrec-names --example dakshina_eval -- [DIR] [--split dev|test] [--dump LANG]
//! ```
//!
//! `DIR` defaults to `../shared/data/dakshina` (relative to the repository
//! root). For every language it prints, over all (native, Latin) rows of
//! `<lang>.<split>.tsv`:
//!
//! * skeleton agreement: share of rows where `skeleton(romanize(native))`
//!   equals `skeleton(latin)`;
//! * JW >= 0.9: share of rows where the Jaro-Winkler similarity of the two
//!   phonetic keys is at least 0.9;
//! * false collisions: share of 20,000 pairs of two *different* native words
//!   of the same file (drawn with a fixed-seed generator) whose skeletons are
//!   equal.
//!
//! `--dump LANG` prints the disagreeing rows of one language (for tuning on
//! the dev split); `--show-failures N` prints the first N disagreeing rows of
//! every language (use with `--split dev`: tune on dev only).

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::PathBuf;

use rollrec_names::{Lang, phonetic_key, romanize, skeleton};

const LANGS: [&str; 9] = ["bn", "gu", "hi", "kn", "ml", "mr", "pa", "ta", "te"];
const COLLISION_PAIRS: usize = 20_000;

/// Small fixed-seed generator (SplitMix64): reproducible without a crate.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut dir = PathBuf::from("../shared/data/dakshina");
    let mut split = "test".to_owned();
    let mut dump: Option<String> = None;
    let mut show_failures = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--split" => split = args.next().ok_or("--split needs dev or test")?,
            "--dump" => dump = Some(args.next().ok_or("--dump needs a language code")?),
            "--show-failures" => {
                show_failures = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--show-failures needs a count")?;
            }
            _ => dir = PathBuf::from(a),
        }
    }
    println!("Dakshina {split} split, {}", dir.display());
    println!();
    println!("| lang | pairs | skeleton agreement | key JW >= 0.9 | false skeleton collisions |");
    println!("|---|---:|---:|---:|---:|");
    let mut worst = (100.0_f64, 100.0_f64, 0.0_f64);
    for code in LANGS {
        let path = dir.join(format!("{code}.{split}.tsv"));
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let lang = Lang::from_code(code).ok_or("unknown language")?;
        let mut rows = 0usize;
        let mut skel_ok = 0usize;
        let mut jw_ok = 0usize;
        // native word -> its skeleton
        let mut natives: BTreeMap<&str, String> = BTreeMap::new();
        let mut shown = 0usize;
        for line in text.lines() {
            let mut cols = line.split('\t');
            let (Some(native), Some(latin)) = (cols.next(), cols.next()) else {
                continue;
            };
            rows += 1;
            let rom = romanize(native, Some(lang));
            let (kn, kl) = (phonetic_key(&rom), phonetic_key(latin));
            let (sn, sl) = (skeleton(&rom), skeleton(latin));
            let jw = strsim::jaro_winkler(&kn, &kl);
            if sn == sl {
                skel_ok += 1;
            }
            if jw >= 0.9 {
                jw_ok += 1;
            }
            let failed = sn != sl || jw < 0.9;
            let show = failed && shown < show_failures;
            if show {
                shown += 1;
            }
            if show || (dump.as_deref() == Some(code) && failed) {
                println!(
                    "{code}\t{native}\t{latin}\trom={rom}\tkeys={kn}/{kl}\tskel={sn}/{sl}\tjw={jw:.3}"
                );
            }
            natives.entry(native).or_insert(sn);
        }
        let words: Vec<(&str, &String)> = natives.iter().map(|(n, s)| (*n, s)).collect();
        let mut rng = SplitMix(0x5EED_0000 + code.len() as u64);
        let mut collisions = 0usize;
        let mut pairs = 0usize;
        if words.len() >= 2 {
            while pairs < COLLISION_PAIRS {
                let (i, j) = (rng.below(words.len()), rng.below(words.len()));
                if i == j {
                    continue;
                }
                pairs += 1;
                if words[i].1 == words[j].1 {
                    collisions += 1;
                    if show_failures > 0 {
                        println!(
                            "{code}\tcollision\t{}\t{}\tskel={}",
                            words[i].0, words[j].0, words[i].1
                        );
                    }
                }
            }
        }
        let pct = |n: usize, d: usize| {
            if d == 0 {
                0.0
            } else {
                100.0 * n as f64 / d as f64
            }
        };
        let (s, j, c) = (pct(skel_ok, rows), pct(jw_ok, rows), pct(collisions, pairs));
        worst = (worst.0.min(s), worst.1.min(j), worst.2.max(c));
        println!("| {code} | {rows} | {s:.1}% | {j:.1}% | {c:.2}% |");
    }
    println!();
    println!(
        "worst: skeleton {:.1}% (target >= 95), JW {:.1}% (target >= 92), collisions {:.2}% (target < 0.5)",
        worst.0, worst.1, worst.2
    );
    Ok(())
}
