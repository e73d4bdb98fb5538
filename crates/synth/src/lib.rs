//! Synthetic EC (assembly) and SEC (local-body) rolls with ground truth.
//!
//! Real rolls cannot be shipped, so rollrec tests, measures and benchmarks
//! itself on rolls made here. [`generate`] writes into a directory:
//!
//! * `ec.csv`: the assembly roll, canonical roll CSV (byte for byte what
//!   [`rollrec_io::csv::RollWriter`] writes, by a direct formatter tested
//!   against it);
//! * `sec.csv`: the local-body roll, canonical roll CSV;
//! * `truth.csv`: the ground truth (below);
//! * `synth.json`: the configuration (seed, scenario, rates, qualifying
//!   dates: pass them to `rollrec reconcile --ec-date/--sec-date`) and the
//!   counts per file and per truth kind.
//!
//! # The population
//!
//! A state of ACs (languages in turn, one per AC; state codes follow the
//! language), each cut into parts of 800-1,200 electors, each part into 1-9
//! sections, each section into houses with households: a head, his wife
//! (relation H to him), adult children (relation F to the head, sometimes M
//! to the mother), a son's wife, the head's widowed mother (relation H to the
//! head's late father, printed with स्व./Late in some rows), single adults.
//! Ages hold together (children 19-35 years younger than the mother). Names
//! come from native pools per language with English spellings, drawn with a
//! Zipf-like weight so common names collide as in life, and follow the
//! region's conventions: surname first in Maharashtra (with the father's or
//! husband's name third), given + father's name + surname in Gujarat, Singh
//! and Kaur in Punjab, Devi/Kumar/Kumari in the Hindi belt, initials in Tamil
//! Nadu (in English only), house names first in the Telugu states, Muslim
//! names with Md/Mohammad, Begum/Khatun/Bibi/Beevi where common. No
//! household gives two people one given name, and no two distinct people of
//! an AC share name, relative name and gender with ages within three years
//! (a roll officer would take them for one person): names that collide are
//! re-drawn, two-part given names where the pools run short (the crate
//! README has the rule).
//!
//! The SEC roll is cut by ward: wards of 500-2,000 electors are cut at
//! section boundaries, so parts straddle wards and wards span parts; 3-15
//! wards make a local body (`GP012-03`, `MC012-04`). Supplement rows
//! (wrong-ward arrivals, duplicate copies, SEC-only entries) follow a ward's
//! main list, as supplements do.
//!
//! # Truth
//!
//! `truth.csv` has the columns `kind,ec_ac_no,ec_part_no,ec_serial_no,
//! sec_local_body,sec_ward_no,sec_serial_no,group_id,fields,detail`, the key
//! conventions of `discrepancies.csv`: an EC key is (AC, part, serial), an
//! SEC key (local body, ward, serial); the cells of a side that does not
//! apply are blank. Kinds:
//!
//! | kind | keys | meaning |
//! |---|---|---|
//! | `pair` | EC + SEC | the two entries are the same person: every true pair, including a wrong-ward pair, a pair with edited attributes and, in the derived scenarios, the pair of duplicate copies |
//! | `missing_in_sec` | EC | the person has no SEC entry |
//! | `missing_in_ec` | SEC | an SEC-only person (stale, dead, shifted, never eligible) |
//! | `attribute_mismatch` | EC + SEC | also a `pair`; the SEC entry differs in `fields` (`name`, `name_en`, `relative_name`, `age`, `gender`, `house_no`, or `relation_type;relative_name` for a marriage between the rolls) |
//! | `wrong_ward` | EC + SEC | also a `pair`; the SEC entry is in another ward than its section's; `detail` names the expected ward |
//! | `duplicate_in_ec` | EC | one row per member of a group of EC entries of one person; `group_id` is the person |
//! | `duplicate_in_sec` | SEC | one row per member of a group of SEC entries of one person |
//! | `epic_conflict` | EC or SEC | one row per entry of a group of different people printing the same EPIC in one roll; `group_id` names the conflict |
//! | `logical_error` | EC or SEC | an entry with age under 18 or over 120, a parent-child gap under 15 (parent's entry in the same part or ward), a male elector with relation Husband, or a blank or malformed EPIC; injected or natural, every such entry is listed once, `fields`/`detail` say which |
//!
//! `group_id` of pair, missing, mismatch, wrong-ward and duplicate rows is the
//! person (`AC-PART-INDEX`, or `AC-PART-xN` for an SEC-only person), so an
//! evaluator can tell which entries are one person: the copy of a duplicate
//! has no `pair` row of its own in the independent scenario (the SEC roll was
//! not cut from the EC roll) and no `missing_*` row.
//!
//! Differences that are not discrepancies are left out of the truth: a
//! different romanisation (Laxmi/Lakshmi), native spelling variants
//! (anusvara/nasal + virama, nukta, chillu encodings), joined tokens, the
//! house number's format, capitals, the age offset between the qualifying
//! dates, and the Late honorific.
//!
//! # Determinism and streaming
//!
//! Every part draws from its own RNG seeded by (seed, AC, part), so the files
//! are byte-identical for a seed whatever the number of threads. ACs are
//! generated one at a time (parts in parallel with rayon, then assembled by
//! ward and written): memory is bounded by one AC whatever the state's size.
//! [`generate_with`] can write the files with direct I/O
//! ([`WriteMode::Direct`]), for runs of gigabytes that are not read back at
//! once.
//!
//! ```
//! use rollrec_synth::{generate, Scenario, SynthConfig};
//!
//! let dir = std::env::temp_dir().join(format!("rollrec-synth-doc-{}", std::process::id()));
//! let config = SynthConfig {
//!     electors: 3_000,
//!     seed: 7,
//!     ..SynthConfig::for_scenario(Scenario::Independent)
//! };
//! let summary = generate(&config, &dir)?;
//! assert_eq!(summary.electors, 3_000);
//! assert!(summary.ec_rows >= 3_000); // plus duplicate copies
//! assert!(summary.truth["pair"] > 2_500);
//! let truth = std::fs::read_to_string(dir.join("truth.csv")).expect("written");
//! assert!(truth.starts_with("kind,ec_ac_no,ec_part_no,ec_serial_no,"));
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), rollrec_synth::SynthError>(())
//! ```

mod config;
mod date;
mod generator;
mod names;
mod output;
mod truth;

pub use config::{Rates, Scenario, SynthConfig};
pub use date::Date;
pub use names::Language;
pub use truth::{TRUTH_COLUMNS, TruthKind, TruthRow};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors of the generator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A file could not be created or written.
    #[error("{path}: {source}")]
    File {
        /// The path.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Writing failed.
    #[error("write error: {0}")]
    Write(String),
    /// The roll writer failed.
    #[error(transparent)]
    Roll(#[from] rollrec_io::IoError),
}

impl From<std::io::Error> for SynthError {
    fn from(e: std::io::Error) -> SynthError {
        SynthError::Write(e.to_string())
    }
}

/// What a run generated; also written as `synth.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthSummary {
    /// The configuration used.
    pub config: SynthConfig,
    /// Electors (people) on the EC roll, before duplicate copies.
    pub electors: u64,
    /// Qualifying date of the EC roll (for `--ec-date`).
    pub ec_date: Date,
    /// Qualifying date of the SEC roll (for `--sec-date`).
    pub sec_date: Date,
    /// Rows of `ec.csv`.
    pub ec_rows: u64,
    /// Rows of `sec.csv`.
    pub sec_rows: u64,
    /// Assembly constituencies.
    pub acs: u64,
    /// Parts.
    pub parts: u64,
    /// Local bodies.
    pub local_bodies: u64,
    /// Wards.
    pub wards: u64,
    /// Rows of `truth.csv` per kind.
    pub truth: BTreeMap<String, u64>,
    /// People left sharing name, relative name and gender with someone of
    /// their AC within three years of age, because no re-draw from the
    /// name pools could separate them (zero unless ACs are far larger than
    /// the pools allow; see the crate README).
    #[serde(default)]
    pub unresolved_namesakes: u64,
}

/// How [`generate_with`] writes its files. The files are the same either
/// way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteMode {
    /// Through the page cache: the files stay cached for whatever reads
    /// them next (the right choice for runs that are read back soon and
    /// fit in memory).
    #[default]
    PageCache,
    /// With direct I/O where the file system allows it (Linux on x86-64;
    /// elsewhere, or on a file system that refuses it such as tmpfs,
    /// through the page cache), from a writer thread per file. Costs far
    /// less system time on runs of gigabytes (the crate README has the
    /// figures), but the files are not left in the page cache: the next
    /// program to read them reads the disk.
    Direct,
}

/// Generates the rolls and the truth into `out_dir` (created if missing):
/// `ec.csv`, `sec.csv`, `truth.csv` and `synth.json`, through the page
/// cache ([`generate_with`] chooses). Runs on the current rayon thread
/// pool; the output does not depend on its size.
pub fn generate(config: &SynthConfig, out_dir: &Path) -> Result<SynthSummary, SynthError> {
    generate_with(config, out_dir, WriteMode::PageCache)
}

/// [`generate`], writing the files as `mode` says.
pub fn generate_with(
    config: &SynthConfig,
    out_dir: &Path,
    mode: WriteMode,
) -> Result<SynthSummary, SynthError> {
    let direct = mode == WriteMode::Direct;
    config.validate()?;
    std::fs::create_dir_all(out_dir).map_err(|source| SynthError::File {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let create = |name: &str| -> Result<(PathBuf, output::OutFile), SynthError> {
        let path = out_dir.join(name);
        let f = output::OutFile::create(&path, direct).map_err(|source| SynthError::File {
            path: path.clone(),
            source,
        })?;
        Ok((path, f))
    };
    let (ec_path, mut ec) = create("ec.csv")?;
    let (sec_path, mut sec) = create("sec.csv")?;
    let (truth_path, mut truth) = create("truth.csv")?;
    let summary = generate_into(config, [&mut ec, &mut sec, &mut truth])?;
    for (path, w) in [(ec_path, ec), (sec_path, sec), (truth_path, truth)] {
        w.finish()
            .map_err(|source| SynthError::File { path, source })?;
    }
    let json = serde_json::to_string_pretty(&summary)
        .map_err(|e| SynthError::Write(format!("synth.json: {e}")))?;
    let path = out_dir.join("synth.json");
    std::fs::write(&path, json + "\n").map_err(|source| SynthError::File { path, source })?;
    Ok(summary)
}

/// Generates into three writers: the EC roll, the SEC roll and the truth,
/// each with its header (what [`generate`] writes into its files; the
/// writers take the bytes 64 kB at a time).
pub fn generate_to(
    config: &SynthConfig,
    ec: &mut (dyn Write + Send),
    sec: &mut (dyn Write + Send),
    truth: &mut (dyn Write + Send),
) -> Result<SynthSummary, SynthError> {
    let mut ec = output::PlainSink::new(ec);
    let mut sec = output::PlainSink::new(sec);
    let mut truth = output::PlainSink::new(truth);
    let summary = generate_into(config, [&mut ec, &mut sec, &mut truth])?;
    ec.finish()?;
    sec.finish()?;
    truth.finish()?;
    Ok(summary)
}

/// Generates into three sinks, each from its header on.
fn generate_into(
    config: &SynthConfig,
    out: [&mut (dyn output::StageSink + Send); 3],
) -> Result<SynthSummary, SynthError> {
    config.validate()?;
    let [ec, sec, truth] = out;
    ec.write_all(rollrec_io::csv::ASSEMBLY_COLUMNS.join(",").as_bytes())?;
    ec.write_all(b"\n")?;
    sec.write_all(rollrec_io::csv::LOCAL_BODY_COLUMNS.join(",").as_bytes())?;
    sec.write_all(b"\n")?;
    truth.write_all(TRUTH_COLUMNS.join(",").as_bytes())?;
    truth.write_all(b"\n")?;
    let sizes = generator::ac_sizes(config);
    let mut summary = SynthSummary {
        config: config.clone(),
        electors: config.electors,
        ec_date: config.ec_date,
        sec_date: config.effective_sec_date(),
        ec_rows: 0,
        sec_rows: 0,
        acs: sizes.len() as u64,
        parts: 0,
        local_bodies: 0,
        wards: 0,
        truth: BTreeMap::new(),
        unresolved_namesakes: 0,
    };
    let mut scratch = generator::Scratch::default();
    for (i, &size) in sizes.iter().enumerate() {
        let c = generator::write_ac(
            config,
            i,
            size,
            &mut scratch,
            [&mut *ec, &mut *sec, &mut *truth],
        )?;
        summary.ec_rows += c.ec_rows;
        summary.sec_rows += c.sec_rows;
        summary.parts += c.parts;
        summary.wards += c.wards;
        summary.local_bodies += c.local_bodies;
        summary.unresolved_namesakes += c.unresolved_namesakes;
        for (k, v) in c.truth {
            *summary.truth.entry(k.to_string()).or_default() += v;
        }
    }
    Ok(summary)
}
