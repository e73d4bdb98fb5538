//! Reads one roll and prints what the reader made of it and how long it
//! took: for measuring the reader alone (with `perf stat` too).
//!
//! ```sh
//! cargo run --release -p rollrec-io --example read_time -- ec FILE
//! cargo run --release -p rollrec-io --example read_time -- sec FILE
//! ```

use std::time::Instant;

use rollrec_io::csv::{ReadOptions, read_roll_path};
use rollrec_model::RollKind;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: read_time ec|sec FILE";
    let kind = match args.next().as_deref() {
        Some("ec") => RollKind::Assembly,
        Some("sec") => RollKind::LocalBody,
        _ => return Err(usage.into()),
    };
    let path = args.next().ok_or(usage)?;
    let t = Instant::now();
    let out = read_roll_path(path.as_ref(), kind, &ReadOptions::default())?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{path}: {} rows read, {} accepted, {} rejected in {secs:.3} s",
        out.rows_read,
        out.roll.len(),
        out.rejects.len()
    );
    // Exit without freeing the roll: the measurement is of reading.
    std::process::exit(0)
}
