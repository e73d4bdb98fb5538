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
//!
//! The file's language is the hint of both words of a row, the Latin one
//! too (the matcher gives every name of a roll its state's language);
//! `--plain-keys` keys both without the language folds.
//!
//! `--wordlist PATH` (an English word list, one word a line) adds a table
//! that splits every language's rows into loanwords (a native word one of
//! whose Latin renderings in the file is a listed word of three letters or
//! more, any case) and the rest, with the figures of each part. All rows
//! stay in the main table.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fs;
use std::path::PathBuf;

use rollrec_names::{Lang, phonetic_key_in, romanize, skeleton_in};

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
    let mut plain_keys = false;
    let mut wordlist: Option<BTreeSet<String>> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--split" => split = args.next().ok_or("--split needs dev or test")?,
            "--dump" => dump = Some(args.next().ok_or("--dump needs a language code")?),
            "--plain-keys" => plain_keys = true,
            "--wordlist" => {
                let path = args.next().ok_or("--wordlist needs a file")?;
                let text = fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                wordlist = Some(
                    text.lines()
                        .map(str::trim)
                        .filter(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()))
                        .map(str::to_ascii_lowercase)
                        .collect(),
                );
            }
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
    let mut loan_rows = Vec::new();
    for code in LANGS {
        let path = dir.join(format!("{code}.{split}.tsv"));
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let lang = Lang::from_code(code).ok_or("unknown language")?;
        // The file's language is the hint of both sides (a roll's state
        // gives it for every name, Latin ones too); `--plain-keys` keys
        // both without the language folds.
        let hint = (!plain_keys).then_some(lang);
        let mut rows = 0usize;
        let mut skel_ok = 0usize;
        let mut jw_ok = 0usize;
        // native word -> its skeleton
        let mut natives: BTreeMap<&str, String> = BTreeMap::new();
        let mut shown = 0usize;
        // (native word, skeletons agree, keys agree) per row
        let mut outcomes: Vec<(&str, bool, bool)> = Vec::new();
        let mut loanwords: BTreeSet<&str> = BTreeSet::new();
        for line in text.lines() {
            let mut cols = line.split('\t');
            let (Some(native), Some(latin)) = (cols.next(), cols.next()) else {
                continue;
            };
            rows += 1;
            let rom = romanize(native, Some(lang));
            let (kn, kl) = (phonetic_key_in(&rom, hint), phonetic_key_in(latin, hint));
            let (sn, sl) = (skeleton_in(&rom, hint), skeleton_in(latin, hint));
            let jw = strsim::jaro_winkler(&kn, &kl);
            if sn == sl {
                skel_ok += 1;
            }
            if jw >= 0.9 {
                jw_ok += 1;
            }
            outcomes.push((native, sn == sl, jw >= 0.9));
            if wordlist
                .as_ref()
                .is_some_and(|w| w.contains(&latin.to_ascii_lowercase()))
            {
                loanwords.insert(native);
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
        if wordlist.is_some() {
            // [loanword, other] x (rows, skeleton agrees, keys agree)
            let mut n = [[0usize; 3]; 2];
            for (native, sk, key) in &outcomes {
                let part = &mut n[usize::from(!loanwords.contains(native))];
                part[0] += 1;
                part[1] += usize::from(*sk);
                part[2] += usize::from(*key);
            }
            let (fail_s, fail_k) = (rows - skel_ok, rows - jw_ok);
            loan_rows.push(format!(
                "| {code} | {:.1}% | {:.0}% of {fail_s} | {:.0}% of {fail_k} | {:.1}% / {:.1}% | {:.1}% / {:.1}% |",
                pct(n[0][0], rows),
                pct(n[0][0] - n[0][1], fail_s),
                pct(n[0][0] - n[0][2], fail_k),
                pct(n[1][1], n[1][0]),
                pct(n[1][2], n[1][0]),
                pct(n[0][1], n[0][0]),
                pct(n[0][2], n[0][0]),
            ));
        }
        worst = (worst.0.min(s), worst.1.min(j), worst.2.max(c));
        println!("| {code} | {rows} | {s:.1}% | {j:.1}% | {c:.2}% |");
    }
    if !loan_rows.is_empty() {
        println!();
        println!(
            "| lang | loanword rows | skeleton failures from loanwords | key failures from loanwords | other rows: skeleton / key | loanword rows: skeleton / key |"
        );
        println!("|---|---:|---:|---:|---:|---:|");
        for r in &loan_rows {
            println!("{r}");
        }
    }
    println!();
    println!(
        "worst: skeleton {:.1}% (target >= 95), JW {:.1}% (target >= 92), collisions {:.2}% (target < 0.5)",
        worst.0, worst.1, worst.2
    );
    Ok(())
}
