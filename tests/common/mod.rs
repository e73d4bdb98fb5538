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

/// Runs `rollrec ARGS...` in process and fails the test unless it exits 0.
#[allow(dead_code, reason = "not every test binary runs its own commands")]
pub fn rollrec(args: &[&str]) {
    let argv: Vec<String> = std::iter::once("rollrec")
        .chain(args.iter().copied())
        .map(str::to_string)
        .collect();
    assert_eq!(rollrec_cli::run(argv), 0, "rollrec {args:?} failed");
}

/// `dir/name` as a string, for command-line arguments.
#[allow(dead_code, reason = "not every test binary runs its own commands")]
pub fn path_in(dir: &Path, name: &str) -> String {
    dir.join(name)
        .to_str()
        .expect("temp paths are UTF-8 here")
        .to_string()
}
