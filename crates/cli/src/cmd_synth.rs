//! `rollrec synth`: synthetic EC and SEC rolls with ground truth.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use rollrec_synth::{Date, Language, Scenario, SynthConfig, WriteMode};

/// Arguments of `rollrec synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Scenario: derived, derived-bilingual or independent.
    #[arg(long, default_value = "derived", value_name = "NAME")]
    pub scenario: String,
    /// Electors on the EC roll (before duplicate copies).
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub electors: u64,
    /// Seed; the same seed gives byte-identical files whatever the threads.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Output directory for ec.csv, sec.csv, truth.csv and synth.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads (default: rayon's default, all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Comma-separated languages, used in turn by AC (default: all eleven:
    /// hindi, marathi, bengali, assamese, punjabi, gujarati, odia, tamil,
    /// telugu, kannada, malayalam).
    #[arg(long, value_name = "LIST")]
    pub languages: Option<String>,
    /// Target electors per AC (default: electors / languages, 2,000-250,000).
    #[arg(long, value_name = "N")]
    pub ac_size: Option<u32>,
    /// EC qualifying date, YYYY-MM-DD (default 2025-01-01).
    #[arg(long, value_name = "DATE")]
    pub ec_date: Option<String>,
    /// SEC qualifying date, YYYY-MM-DD (default: the EC date when derived,
    /// six months later when independent).
    #[arg(long, value_name = "DATE")]
    pub sec_date: Option<String>,
    /// Rate of electors missing from the SEC roll.
    #[arg(long, value_name = "P")]
    pub missing_rate: Option<f64>,
    /// Rate of SEC-only entries (per EC elector).
    #[arg(long, value_name = "P")]
    pub extra_rate: Option<f64>,
    /// Rate of SEC entries in the wrong ward.
    #[arg(long, value_name = "P")]
    pub wrong_ward_rate: Option<f64>,
    /// Rate of electors entered twice in the EC roll.
    #[arg(long, value_name = "P")]
    pub dup_ec_rate: Option<f64>,
    /// Rate of electors entered twice in the SEC roll.
    #[arg(long, value_name = "P")]
    pub dup_sec_rate: Option<f64>,
    /// Rate of true pairs with a substantive attribute edit.
    #[arg(long, value_name = "P")]
    pub attr_rate: Option<f64>,
    /// Rate of eligible women who married between the rolls (F -> H).
    #[arg(long, value_name = "P")]
    pub marriage_rate: Option<f64>,
    /// Rate of blank EPICs.
    #[arg(long, value_name = "P")]
    pub epic_blank_rate: Option<f64>,
    /// Rate of old slash-form EPICs.
    #[arg(long, value_name = "P")]
    pub epic_old_rate: Option<f64>,
    /// Rate of OCR-damaged EPICs.
    #[arg(long, value_name = "P")]
    pub epic_ocr_rate: Option<f64>,
    /// Rate of EPICs shared by two people.
    #[arg(long, value_name = "P")]
    pub epic_shared_rate: Option<f64>,
    /// Rate of injected logical errors.
    #[arg(long, value_name = "P")]
    pub logical_rate: Option<f64>,
    /// Rate of native spelling variants in re-printed SEC names.
    #[arg(long, value_name = "P")]
    pub variant_rate: Option<f64>,
    /// Write through the page cache even for a large run (by default runs
    /// of 1,000,000 electors or more are written with direct I/O: much
    /// less system time, but the files are not left in the page cache).
    #[arg(long)]
    pub page_cache: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs from this many electors are written with direct I/O unless
/// `--page-cache` is given.
const DIRECT_IO_ELECTORS: u64 = 1_000_000;

impl SynthArgs {
    /// The generator configuration these arguments ask for.
    pub fn config(&self) -> Result<SynthConfig, Box<dyn std::error::Error>> {
        let scenario: Scenario = self.scenario.parse()?;
        let mut c = SynthConfig::for_scenario(scenario);
        c.electors = self.electors;
        c.seed = self.seed;
        c.ac_size = self.ac_size;
        if let Some(list) = &self.languages {
            c.languages = list
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(Language::parse)
                .collect::<Result<_, _>>()?;
        }
        if let Some(d) = &self.ec_date {
            c.ec_date = Date::parse(d)?;
        }
        if let Some(d) = &self.sec_date {
            c.sec_date = Some(Date::parse(d)?);
        }
        let r = &mut c.rates;
        for (arg, rate) in [
            (self.missing_rate, &mut r.missing_in_sec),
            (self.extra_rate, &mut r.extra_in_sec),
            (self.wrong_ward_rate, &mut r.wrong_ward),
            (self.dup_ec_rate, &mut r.duplicate_ec),
            (self.dup_sec_rate, &mut r.duplicate_sec),
            (self.attr_rate, &mut r.attribute_edit),
            (self.marriage_rate, &mut r.marriage),
            (self.epic_blank_rate, &mut r.epic_blank),
            (self.epic_old_rate, &mut r.epic_old_format),
            (self.epic_ocr_rate, &mut r.epic_ocr),
            (self.epic_shared_rate, &mut r.epic_shared),
            (self.logical_rate, &mut r.logical_error),
            (self.variant_rate, &mut r.spelling_variant),
        ] {
            if let Some(v) = arg {
                *rate = v;
            }
        }
        c.validate()?;
        Ok(c)
    }
}

/// Runs `rollrec synth`: writes the rolls and the truth, prints a summary to
/// standard error.
pub fn run(args: &SynthArgs) -> Result<(), Box<dyn std::error::Error>> {
    let config = args.config()?;
    let mode = if config.electors >= DIRECT_IO_ELECTORS && !args.page_cache {
        WriteMode::Direct
    } else {
        WriteMode::PageCache
    };
    let started = Instant::now();
    let summary = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(|| rollrec_synth::generate_with(&config, &args.out, mode))?,
        None => rollrec_synth::generate_with(&config, &args.out, mode)?,
    };
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "synth {}: {} electors, seed {}, in {:.2}s ({:.0} electors/s)",
            config.scenario,
            summary.electors,
            config.seed,
            secs,
            summary.electors as f64 / secs.max(1e-9)
        );
        eprintln!(
            "  {} ACs, {} parts, {} local bodies, {} wards",
            summary.acs, summary.parts, summary.local_bodies, summary.wards
        );
        eprintln!(
            "  ec.csv {} rows, sec.csv {} rows, qualifying dates EC {} SEC {} (pass --ec-date {} --sec-date {} to reconcile)",
            summary.ec_rows,
            summary.sec_rows,
            summary.ec_date,
            summary.sec_date,
            summary.ec_date,
            summary.sec_date
        );
        let kinds: Vec<String> = summary
            .truth
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        eprintln!("  truth.csv: {}", kinds.join(", "));
        if summary.unresolved_namesakes > 0 {
            eprintln!(
                "  {} people share name, relative name and gender with someone of their AC within three years of age (the name pools ran short; see synth.json)",
                summary.unresolved_namesakes
            );
        }
        eprintln!("  written to {}", args.out.display());
    }
    Ok(())
}
