//! Helpers shared by the workspace's test binaries.

use std::path::Path;

/// The bundled sample rolls.
pub const EC: &str = "fixtures/sample/ec.csv";
/// The bundled sample rolls.
pub const SEC: &str = "fixtures/sample/sec.csv";

/// Runs `rollrec reconcile --quiet` on the sample into `out`, with `extra`
/// arguments, and fails the test unless it exits 0.
pub fn run_sample(out: &Path, extra: &[&str]) {
    let out = out.to_str().expect("temp paths are UTF-8 here");
    let mut args = vec![
        "rollrec",
        "reconcile",
        "--ec",
        EC,
        "--sec",
        SEC,
        "--out",
        out,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let code = rollrec_cli::run(args);
    assert_eq!(code, 0, "rollrec reconcile {extra:?} failed");
}
