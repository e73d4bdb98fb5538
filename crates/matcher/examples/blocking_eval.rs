//! Blocking quality against a synthetic roll's ground truth: for each pass,
//! the pairs it proposes, how many true pairs it finds, and the pairs
//! completeness and reduction ratio of all passes together.
//!
//! ```sh
//! rollrec synth --electors 250000 --seed 7 --out /tmp/s250
//! cargo run --release -p rollrec-match --example blocking_eval -- \
//!     /tmp/s250/ec.csv /tmp/s250/sec.csv /tmp/s250/truth.csv [AGE_OFFSET_YEARS]
//! ```

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::path::Path;

use rollrec_io::csv::{ReadOptions, read_roll_path};
use rollrec_match::fs::{FsConfig, FsMatcher, PASSES};
use rollrec_model::{ElectorKey, RollKind};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ec_path, sec_path, truth_path] = &args[..3] else {
        return Err("usage: blocking_eval EC.csv SEC.csv TRUTH.csv [AGE_OFFSET_YEARS]".into());
    };
    let offset: f64 = args.get(3).map_or(Ok(0.0), |a| a.parse())?;
    let opts = ReadOptions::default();
    let ec = read_roll_path(Path::new(ec_path), RollKind::Assembly, &opts)?.roll;
    let sec = read_roll_path(Path::new(sec_path), RollKind::LocalBody, &opts)?.roll;
    let ec_index: HashMap<ElectorKey, usize> = ec
        .electors
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .collect();
    let sec_index: HashMap<ElectorKey, usize> = sec
        .electors
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .collect();

    let mut truth: HashSet<(usize, usize)> = HashSet::new();
    let mut reader = csv::Reader::from_path(truth_path)?;
    for row in reader.records() {
        let row = row?;
        if &row[0] != "pair" {
            continue;
        }
        let num = |i: usize| row[i].parse::<u32>();
        let ek = ElectorKey::Assembly {
            ac_no: num(1)?,
            part_no: num(2)?,
            serial_no: num(3)?,
        };
        let sk = ElectorKey::LocalBody {
            local_body: row[4].to_string(),
            ward_no: num(5)?,
            serial_no: num(6)?,
        };
        match (ec_index.get(&ek), sec_index.get(&sk)) {
            (Some(&i), Some(&j)) => {
                truth.insert((i, j));
            }
            _ => return Err(format!("truth pair {ek} / {sk} not in the rolls").into()),
        }
    }

    let rolls_rss = memory("VmRSS");
    let mut config = FsConfig::default();
    config.age_offset_years = offset;
    let t = std::time::Instant::now();
    let (passes, stats) = FsMatcher::new(config).blocking_passes(&ec, &sec);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} EC x {} SEC entries, {} true pairs ({secs:.1} s)",
        ec.electors.len(),
        sec.electors.len(),
        truth.len()
    );
    println!(
        "{:<22} {:>11} {:>11} {:>8} {:>11} {:>9} {:>9} {:>9}",
        "pass", "pairs", "new", "skipped", "skip pairs", "true", "new true", "cum. PC"
    );
    let mut found: HashSet<(usize, usize)> = HashSet::new();
    for ((name, pairs), st) in PASSES.iter().zip(&passes).zip(&stats) {
        let hits: Vec<&(usize, usize)> = pairs.iter().filter(|p| truth.contains(p)).collect();
        let before = found.len();
        found.extend(hits.iter().copied());
        println!(
            "{:<22} {:>11} {:>11} {:>8} {:>11} {:>9} {:>9} {:>8.4}%",
            name,
            st.pairs,
            st.new_pairs.unwrap_or(0),
            st.skipped_blocks,
            st.skipped_pairs,
            hits.len(),
            found.len() - before,
            100.0 * found.len() as f64 / truth.len().max(1) as f64
        );
    }
    println!(
        "memory: {} MiB resident after reading the rolls and the truth, peak {} MiB",
        rolls_rss.map_or("?".into(), |m| m.to_string()),
        memory("VmHWM").map_or("?".into(), |m| m.to_string())
    );
    let total: u64 = stats.iter().filter_map(|s| s.new_pairs).sum();
    let all = ec.electors.len() as f64 * sec.electors.len() as f64;
    println!(
        "candidates {total} ({:.1} per EC entry), pairs completeness {:.4}%, reduction ratio {:.6}%",
        total as f64 / ec.electors.len().max(1) as f64,
        100.0 * found.len() as f64 / truth.len().max(1) as f64,
        100.0 * (1.0 - total as f64 / all.max(1.0))
    );
    Ok(())
}

/// A memory figure of this process from /proc/self/status, in MiB (Linux).
fn memory(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
