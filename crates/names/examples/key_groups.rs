//! Which different names share a joined key under one roll language.
//!
//! ```text
//! cargo run --release -p rollrec-names --example key_groups -- LANG [--plain]
//! ```
//!
//! Reads the name pools of the synthetic rolls (`crates/synth/data/*.names`,
//! lines `kind;native|native...;Latin|Latin...`). Every line is one name;
//! its Latin spellings (from all pools) and, for the pool of `LANG`, its
//! native spellings are normalised with the hint `LANG` (`--plain`: no
//! hint, so no language folds). Prints every joined key shared by two or
//! more different names (`group`), and the names of the `LANG` pool whose
//! spellings do not all share one key (`split`). Compare the output with
//! and without `--plain` to see which names a language's folds merge.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::path::Path;

use rollrec_names::{Lang, normalize};

fn main() -> Result<(), Box<dyn Error>> {
    let mut code = None;
    let mut plain = false;
    for a in std::env::args().skip(1) {
        if a == "--plain" {
            plain = true;
        } else {
            code = Some(a);
        }
    }
    let code = code.ok_or("usage: key_groups LANG [--plain]")?;
    let lang = Lang::from_code(&code).ok_or("unknown language code")?;
    let hint = (!plain).then_some(lang);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../synth/data");
    // joined key -> names (first Latin spelling of their line)
    let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut splits = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "names"))
        .collect();
    paths.sort();
    for path in paths {
        let own = path.file_stem().is_some_and(|s| s == code.as_str());
        for line in std::fs::read_to_string(&path)?.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(';').collect();
            let (Some(native), Some(latin)) = (fields.get(1), fields.get(2)) else {
                continue;
            };
            let Some(id) = latin.split('|').next() else {
                continue;
            };
            let mut spellings: Vec<&str> = latin.split('|').collect();
            if own {
                spellings.extend(native.split('|'));
            }
            let mut keys = BTreeSet::new();
            for s in spellings {
                let key = normalize(s, hint).joined_key().to_owned();
                groups.entry(key.clone()).or_default().insert(id.to_owned());
                keys.insert(key);
            }
            if own && keys.len() > 1 {
                splits.push(format!("split\t{id}\t{keys:?}"));
            }
        }
    }
    for (key, ids) in &groups {
        if ids.len() > 1 {
            println!("group\t{key}\t{ids:?}");
        }
    }
    for s in &splits {
        println!("{s}");
    }
    println!(
        "names of the {code} pool with more than one key: {}",
        splits.len()
    );
    Ok(())
}
