//! The binary's exit codes and error messages, run as a real process.

use std::process::Command;

fn rollrec(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rollrec"))
        .args(args)
        .output()
        .expect("the test binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().expect("not killed by a signal"), stderr)
}

#[test]
fn usage_errors_exit_2() {
    let (code, err) = rollrec(&["reconcile", "--ec", "x.csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--sec"), "{err}");
    let (code, _) = rollrec(&["no-such-command"]);
    assert_eq!(code, 2);
}

#[test]
fn help_exits_0() {
    let (code, _) = rollrec(&["--help"]);
    assert_eq!(code, 0);
}

#[test]
fn missing_file_exits_1_and_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out = out.to_str().expect("temp paths are UTF-8 here");
    let (code, err) = rollrec(&[
        "reconcile",
        "--ec",
        "no/such/ec.csv",
        "--sec",
        "no/such/sec.csv",
        "--out",
        out,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no/such/ec.csv"), "{err}");
}

#[test]
fn strict_mode_names_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ec = dir.path().join("ec.csv");
    std::fs::write(&ec, "ac_no,part_no,serial_no,name\n1,1,1,A\n1,1,one,B\n").expect("write");
    let sec = dir.path().join("sec.csv");
    std::fs::write(&sec, "local_body,ward_no,serial_no,name\nGP,1,1,A\n").expect("write");
    let path = |p: &std::path::Path| p.to_str().expect("UTF-8").to_string();
    let out = path(&dir.path().join("out"));
    let (ec, sec) = (path(&ec), path(&sec));
    let (code, err) = rollrec(&[
        "reconcile",
        "--ec",
        &ec,
        "--sec",
        &sec,
        "--out",
        &out,
        "--strict",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{ec}: line 3: column 3 (serial_no)")),
        "{err}"
    );
    assert!(!dir.path().join("out").exists(), "no report on failure");
    let (code, err) = rollrec(&["reconcile", "--ec", &ec, "--sec", &sec, "--out", &out]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/summary.json").exists());
}

#[test]
fn explain_names_a_bad_or_unknown_key() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/sample/");
    let (ec, sec) = (format!("{root}ec.csv"), format!("{root}sec.csv"));
    let explain = |ec_entry: &str, sec_entry: &str| {
        rollrec(&[
            "explain",
            "--ec",
            &ec,
            "--sec",
            &sec,
            "--ec-entry",
            ec_entry,
            "--sec-entry",
            sec_entry,
        ])
    };
    let (code, err) = explain("140/x/1", "Sonarpur Municipality/1/1");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("expected AC/PART/SERIAL"), "{err}");
    let (code, err) = explain("140/1/1", "Sonarpur Municipality/1/9999");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("Sonarpur Municipality ward 1 serial 9999 is not in the SEC roll"),
        "{err}"
    );
    let (code, err) = explain("140/1/1", "Sonarpur Municipality/1/41");
    assert_eq!(code, 0, "{err}");
}
