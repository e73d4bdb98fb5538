//! Reads one roll and prints what the reader made of it and how long it
//! took: for measuring the reader alone (with `perf stat` too). `raw`
//! only splits the file into records with the csv crate on one thread,
//! nothing decoded, checked or kept: the floor under any CSV reader.
//!
//! ```sh
//! cargo run --release -p rollrec-io --example read_time -- ec FILE
//! cargo run --release -p rollrec-io --example read_time -- sec FILE
//! cargo run --release -p rollrec-io --example read_time -- raw FILE
//! ```

use std::time::Instant;

use rollrec_io::csv::{ReadOptions, read_roll_path};
use rollrec_model::RollKind;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: read_time ec|sec|raw FILE";
    let mode = args.next();
    let path = args.next().ok_or(usage)?;
    let kind = match mode.as_deref() {
        Some("ec") => RollKind::Assembly,
        Some("sec") => RollKind::LocalBody,
        Some("raw") => return raw(&path),
        _ => return Err(usage.into()),
    };
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

/// Splits `path` into records and counts them and their fields.
fn raw(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_path(path)?;
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut fields) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        fields += record.len() as u64;
    }
    let secs = t.elapsed().as_secs_f64();
    println!("{path}: {rows} records, {fields} fields split in {secs:.3} s");
    Ok(())
}
