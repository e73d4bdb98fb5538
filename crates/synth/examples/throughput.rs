//! Times the generator: `cargo run --release -p rollrec-synth --example
//! throughput -- ELECTORS [SCENARIO] [OUT_DIR]`. Prints electors per second.

use std::time::Instant;

use rollrec_synth::{Scenario, SynthConfig, generate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let electors: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let scenario: Scenario = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or_default();
    let out = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("rollrec-synth-throughput"));
    let config = SynthConfig {
        electors,
        seed: 42,
        ..SynthConfig::for_scenario(scenario)
    };
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    let summary = generate(&config, &out)?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{scenario}: {electors} electors ({} EC rows, {} SEC rows) in {secs:.2} s on {threads} thread(s): {:.0} electors/s, {:.0} electors/s/thread",
        summary.ec_rows,
        summary.sec_rows,
        electors as f64 / secs,
        electors as f64 / secs / threads as f64
    );
    Ok(())
}
