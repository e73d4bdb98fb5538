//! End to end: `rollrec reconcile` on the bundled sample rolls.
//!
//! Two kinds of check:
//! * against `fixtures/sample/truth.csv`, written by the script that made the
//!   sample: every reported match is a true pair, every deliberately missing
//!   entry is reported, every deliberately bad row is rejected with the
//!   right line and reason, and the counts add up;
//! * against the expected outputs in `fixtures/sample/expected/`, byte for
//!   byte, so any change in behaviour shows up in review. After an
//!   intended change, regenerate them with
//!   `ROLLREC_BLESS=1 cargo test --test end_to_end` and review the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

mod common;

use common::{EC, SEC, path_in, rollrec, run_sample};
const TRUTH: &str = "fixtures/sample/truth.csv";
const EXPECTED: &str = "fixtures/sample/expected";
const FILES: [&str; 4] = [
    "matches.csv",
    "discrepancies.csv",
    "rejects.csv",
    "summary.json",
];

type Key = (String, String, String);

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().expect("header row").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("valid CSV");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn ec_key(r: &BTreeMap<String, String>) -> Key {
    (
        r["ec_ac_no"].clone(),
        r["ec_part_no"].clone(),
        r["ec_serial_no"].clone(),
    )
}

fn sec_key(r: &BTreeMap<String, String>) -> Key {
    (
        r["sec_local_body"].clone(),
        r["sec_ward_no"].clone(),
        r["sec_serial_no"].clone(),
    )
}

#[test]
fn sample_agrees_with_its_truth() {
    let dir = tempfile::tempdir().expect("temp dir");
    run_sample(dir.path(), &[]);
    let truth = rows(Path::new(TRUTH));
    let of_kind = |k: &'static str| truth.iter().filter(move |r| r["kind"] == k);

    // Matches: every pair reported is a true pair (the sample's pairs are
    // precise by construction: no namesake shares an EPIC), and the exact
    // matcher finds nearly all of them.
    let true_pairs: BTreeSet<(Key, Key)> =
        of_kind("pair").map(|r| (ec_key(r), sec_key(r))).collect();
    let matches = rows(&dir.path().join("matches.csv"));
    let found: BTreeSet<(Key, Key)> = matches.iter().map(|r| (ec_key(r), sec_key(r))).collect();
    assert_eq!(found.len(), matches.len(), "a pair is reported twice");
    let wrong: Vec<_> = found.difference(&true_pairs).collect();
    assert!(wrong.is_empty(), "false matches: {wrong:?}");
    let recall = found.len() as f64 / true_pairs.len() as f64;
    assert!(recall >= 0.95, "pair recall {recall:.3} below 0.95");
    for r in &matches {
        let score: f64 = r["score"].parse().expect("score is a number");
        assert!((0.0..=1.0).contains(&score));
        assert!(!r["method"].is_empty());
    }

    // Discrepancies: every deliberate omission is reported; every report
    // of a missing entry is either deliberate or a true pair the matcher
    // missed (then it must show on both sides).
    let disc = rows(&dir.path().join("discrepancies.csv"));
    let reported = |kind: &str, key: fn(&BTreeMap<String, String>) -> Key| -> BTreeSet<Key> {
        disc.iter().filter(|r| r["kind"] == kind).map(key).collect()
    };
    let missing_sec = reported("missing_in_sec", ec_key);
    let missing_ec = reported("missing_in_ec", sec_key);
    for r in of_kind("missing_in_sec") {
        assert!(
            missing_sec.contains(&ec_key(r)),
            "not reported missing in SEC: {:?}",
            ec_key(r)
        );
    }
    for r in of_kind("missing_in_ec") {
        assert!(
            missing_ec.contains(&sec_key(r)),
            "not reported missing in EC: {:?}",
            sec_key(r)
        );
    }
    let unfound: BTreeSet<&(Key, Key)> = true_pairs.difference(&found).collect();
    assert_eq!(
        missing_sec.len(),
        of_kind("missing_in_sec").count() + unfound.len(),
        "missing_in_sec reports beyond the deliberate ones and the missed pairs"
    );
    assert_eq!(
        missing_ec.len(),
        of_kind("missing_in_ec").count() + unfound.len()
    );

    // Logical errors: exactly the deliberate ones (blank EPICs included),
    // each explained.
    let logical: Vec<_> = disc
        .iter()
        .filter(|r| r["kind"] == "logical_error")
        .collect();
    let want: Vec<_> = of_kind("logical_error").collect();
    assert_eq!(
        logical.len(),
        want.len(),
        "logical errors reported vs deliberate"
    );
    for w in want {
        let hit = logical.iter().any(|r| {
            ec_key(r) == ec_key(w) && sec_key(r) == sec_key(w) && r["detail"].contains(&w["detail"])
        });
        assert!(hit, "logical error not reported: {w:?}");
    }

    // The sample has no duplicates, no pair too close to call, no wrong
    // ward and no shared EPIC: the engine must not report any. Its attribute
    // mismatches are exactly the injected ones, on the right field.
    for kind in [
        "duplicate_in_ec",
        "duplicate_in_sec",
        "ambiguous_match",
        "wrong_ward",
        "epic_conflict",
    ] {
        let n = disc.iter().filter(|r| r["kind"] == kind).count();
        assert_eq!(n, of_kind(kind).count(), "{kind} findings");
    }
    let mismatches: BTreeSet<(Key, Key, String)> = disc
        .iter()
        .filter(|r| r["kind"] == "attribute_mismatch")
        .map(|r| (ec_key(r), sec_key(r), r["fields"].clone()))
        .collect();
    let want: BTreeSet<(Key, Key, String)> = of_kind("attribute_mismatch")
        .map(|r| (ec_key(r), sec_key(r), r["detail"].clone()))
        .collect();
    assert_eq!(mismatches, want, "attribute mismatches");

    // Rejects: exactly the deliberate bad rows, on their lines, for their
    // reasons.
    let rejects = rows(&dir.path().join("rejects.csv"));
    let bad: Vec<_> = of_kind("bad_row").collect();
    assert_eq!(rejects.len(), bad.len(), "{rejects:#?}");
    for b in bad {
        let (roll, line) = (b["ec_ac_no"].as_str(), b["ec_part_no"].as_str());
        let hit = rejects
            .iter()
            .find(|r| r["roll"] == roll && r["line"] == line)
            .unwrap_or_else(|| panic!("{roll} line {line} not rejected"));
        assert!(
            hit["reason"].contains(&b["detail"]),
            "{roll} line {line}: {:?} lacks {:?}",
            hit["reason"],
            b["detail"]
        );
    }

    // Summary: conservation, and the counts agree with the files.
    let summary: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("summary.json")).expect("written"),
    )
    .expect("JSON");
    let n = |v: &serde_json::Value| v.as_u64().expect("a count");
    for side in ["ec", "sec"] {
        let s = &summary[side];
        assert_eq!(
            n(&s["rows_read"]),
            n(&s["accepted"]) + n(&s["rejected"]),
            "{side}"
        );
        assert_eq!(
            n(&s["accepted"]),
            n(&s["matched"]) + n(&s["unmatched"]),
            "{side}"
        );
        let rejected = rejects.iter().filter(|r| r["roll"] == side).count() as u64;
        assert_eq!(n(&s["rejected"]), rejected, "{side}");
    }
    let data_rows = |p: &str| {
        fs::read_to_string(p)
            .expect("fixture")
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count() as u64
    };
    assert_eq!(n(&summary["ec"]["rows_read"]), data_rows(EC));
    assert_eq!(n(&summary["matched_pairs"]), matches.len() as u64);
    assert_eq!(
        n(&summary["discrepancies"]["missing_in_sec"]),
        missing_sec.len() as u64
    );
    assert_eq!(
        n(&summary["discrepancies"]["missing_in_ec"]),
        missing_ec.len() as u64
    );
}

#[test]
fn sample_outputs_match_the_expected_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    run_sample(dir.path(), &[]);
    let bless = std::env::var_os("ROLLREC_BLESS").is_some();
    for name in FILES {
        let got = fs::read_to_string(dir.path().join(name)).expect("written");
        let expected_path = Path::new(EXPECTED).join(name);
        if bless {
            fs::create_dir_all(EXPECTED).expect("mkdir");
            fs::write(&expected_path, &got).expect("bless");
            continue;
        }
        let want = fs::read_to_string(&expected_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with ROLLREC_BLESS=1 to create)",
                expected_path.display()
            )
        });
        if got != want {
            let first = got.lines().zip(want.lines()).position(|(a, b)| a != b);
            panic!(
                "{name} differs from {} (first differing line {:?}); if the change is intended, \
                 rerun with ROLLREC_BLESS=1 and review the diff",
                expected_path.display(),
                first.map(|i| i + 1)
            );
        }
    }
}

#[test]
fn output_is_the_same_on_a_second_run() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    run_sample(a.path(), &[]);
    run_sample(b.path(), &[]);
    for name in FILES {
        let x = fs::read(a.path().join(name)).expect("written");
        let y = fs::read(b.path().join(name)).expect("written");
        assert!(x == y, "{name} differs between runs");
    }
}

/// `--format` with every format this build can write: each table has as
/// many rows in every format as in its CSV, and the CSV is the same as
/// with the default format.
#[test]
fn sample_in_every_format_has_the_csv_row_counts() {
    use rollrec::report::Format;
    let formats: Vec<Format> = Format::ALL
        .into_iter()
        .filter(|f| f.is_available())
        .collect();
    let list: Vec<&str> = formats.iter().map(|f| f.as_str()).collect();
    let list = list.join(",");
    let dir = tempfile::tempdir().expect("temp dir");
    run_sample(dir.path(), &["--format", &list]);
    for name in FILES {
        let got = fs::read(dir.path().join(name)).expect("written");
        let want = fs::read(Path::new(EXPECTED).join(name)).expect("expected file");
        assert!(got == want, "{name} differs with --format {list}");
    }
    for table in ["matches", "discrepancies", "rejects"] {
        let csv_rows = rows(&dir.path().join(format!("{table}.csv"))).len();
        assert!(csv_rows > 0, "{table}: the sample has rows in every table");
        let jsonl = fs::read_to_string(dir.path().join(format!("{table}.jsonl"))).expect("jsonl");
        let mut jsonl_rows = 0;
        for line in jsonl.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON object a line");
            assert!(v.is_object());
            jsonl_rows += 1;
        }
        assert_eq!(jsonl_rows, csv_rows, "{table}.jsonl");
        let f = fs::File::open(dir.path().join(format!("{table}.arrow"))).expect("arrow");
        let reader = arrow_ipc::reader::FileReader::try_new(f, None).expect("an Arrow IPC file");
        let arrow_rows: usize = reader.map(|b| b.expect("a batch").num_rows()).sum();
        assert_eq!(arrow_rows, csv_rows, "{table}.arrow");
        #[cfg(feature = "parquet")]
        {
            let f = fs::File::open(dir.path().join(format!("{table}.parquet"))).expect("parquet");
            let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
                .expect("a Parquet file")
                .build()
                .expect("a reader");
            let parquet_rows: usize = reader.map(|b| b.expect("a batch").num_rows()).sum();
            assert_eq!(parquet_rows, csv_rows, "{table}.parquet");
        }
    }
}

/// The sample rolls as a spreadsheet would export them (the EC roll tab
/// separated, the SEC roll semicolon separated with a UTF-8 byte order
/// mark, both with CRLF line ends) give the same report as the canonical
/// CSV. (Both samples have rows of invalid UTF-8 to reject, which UTF-16
/// cannot carry: the io crate's tests read UTF-16.)
#[test]
fn spreadsheet_exports_give_the_same_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let resave = |src: &str, sep: u8| -> Vec<u8> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(src)
            .expect("sample roll");
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .delimiter(sep)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for rec in r.byte_records() {
            w.write_byte_record(&rec.expect("valid CSV"))
                .expect("in memory");
        }
        w.into_inner().expect("in memory")
    };
    let ec = dir.path().join("ec.txt");
    fs::write(&ec, resave(EC, b'\t')).expect("write");
    let sec = dir.path().join("sec.csv");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(resave(SEC, b';'));
    fs::write(&sec, bytes).expect("write");

    let canonical = dir.path().join("canonical");
    run_sample(&canonical, &[]);
    let exported = dir.path().join("exported");
    let path = |p: &Path| p.to_str().expect("temp paths are UTF-8 here").to_string();
    let args = [
        "rollrec".to_string(),
        "reconcile".to_string(),
        "--ec".to_string(),
        path(&ec),
        "--sec".to_string(),
        path(&sec),
        "--out".to_string(),
        path(&exported),
        "--quiet".to_string(),
    ];
    assert_eq!(rollrec_cli::run(args), 0, "reconcile of the exports failed");
    for name in ["matches.csv", "discrepancies.csv"] {
        let x = fs::read(canonical.join(name)).expect("written");
        let y = fs::read(exported.join(name)).expect("written");
        assert!(x == y, "{name} differs");
    }
    // Rejects name their file; the rest of each row is the same.
    let rejects = |dir: &Path| -> Vec<Vec<String>> {
        rows(&dir.join("rejects.csv"))
            .into_iter()
            .map(|mut r| {
                r.remove("file");
                r.into_values().collect()
            })
            .collect()
    };
    assert_eq!(rejects(&canonical), rejects(&exported));
    assert!(!rejects(&canonical).is_empty(), "the sample has bad rows");
}

/// `--excel`: each CSV file is the plain one behind a UTF-8 byte order
/// mark; the other files are unchanged, and `rollrec eval` reads the
/// marked files like the plain ones.
#[test]
fn excel_csv_is_the_csv_behind_a_byte_order_mark() {
    let plain = tempfile::tempdir().expect("temp dir");
    let excel = tempfile::tempdir().expect("temp dir");
    run_sample(plain.path(), &[]);
    run_sample(excel.path(), &["--excel"]);
    for name in FILES.iter().copied().chain(["report.html"]) {
        let x = fs::read(plain.path().join(name)).expect("written");
        let y = fs::read(excel.path().join(name)).expect("written");
        if name.ends_with(".csv") {
            assert!(y.starts_with(b"\xef\xbb\xbf"), "{name} has no mark");
            assert!(y[3..] == x[..], "{name} differs after the mark");
        } else {
            assert!(x == y, "{name} differs");
        }
    }

    // `rollrec eval` scores both alike, on synthetic rolls (the sample's
    // truth file is not in eval's format).
    let dir = tempfile::tempdir().expect("temp dir");
    let at = |name: &str| path_in(dir.path(), name);
    let rolls = at("rolls");
    rollrec(&[
        "synth",
        "--electors",
        "1000",
        "--seed",
        "3",
        "--out",
        &rolls,
        "-q",
    ]);
    let (ec, sec, truth) = (
        format!("{rolls}/ec.csv"),
        format!("{rolls}/sec.csv"),
        format!("{rolls}/truth.csv"),
    );
    let mut scores = Vec::new();
    for (out, extra) in [("plain", None), ("excel", Some("--excel"))] {
        let out = at(out);
        let mut args = vec!["reconcile", "--ec", &ec, "--sec", &sec, "--out", &out, "-q"];
        args.extend(extra);
        rollrec(&args);
        let report = format!("{out}/eval.json");
        rollrec(&[
            "eval", "--truth", &truth, "--run", &out, "--report", &report,
        ]);
        let text = fs::read_to_string(report).expect("written");
        let mut json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let dir = json
            .as_object_mut()
            .and_then(|o| o.remove("run_dir"))
            .expect("the report names the run");
        assert_eq!(dir, serde_json::json!(out));
        scores.push(json);
    }
    assert!(
        scores[0]["pairs"]["tp"].as_u64() > Some(900),
        "{}",
        scores[0]
    );
    assert_eq!(scores[0], scores[1]);
}

/// The whole command (engine, checks, report) writes the same bytes with
/// one worker thread as with three, on synthetic rolls large enough that
/// every parallel step splits its work, and the same rows (group ids and
/// details included) with both rolls' rows in reverse order.
#[test]
fn report_is_the_same_whatever_the_threads_and_row_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let at = |name: &str| path_in(dir.path(), name);
    let rolls = at("rolls");
    rollrec(&[
        "synth",
        "--scenario",
        "derived-bilingual",
        "--electors",
        "6000",
        "--seed",
        "5",
        "--out",
        &rolls,
        "-q",
    ]);
    let (ec, sec) = (format!("{rolls}/ec.csv"), format!("{rolls}/sec.csv"));
    // Both rolls with their data rows reversed (the header stays first).
    let reverse = |path: &str, name: &str| {
        let text = fs::read_to_string(path).expect("read");
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        let reversed = at(name);
        fs::write(&reversed, lines.join("\n") + "\n").expect("write");
        reversed
    };
    let (ec_rev, sec_rev) = (reverse(&ec, "ec-rev.csv"), reverse(&sec, "sec-rev.csv"));
    let outputs: Vec<String> = [
        ("one", &ec, &sec, "1"),
        ("three", &ec, &sec, "3"),
        ("reversed", &ec_rev, &sec_rev, "2"),
    ]
    .iter()
    .map(|(name, ec, sec, threads)| {
        let out = at(name);
        rollrec(&[
            "reconcile",
            "--ec",
            ec,
            "--sec",
            sec,
            "--out",
            &out,
            "--threads",
            threads,
            "-q",
        ]);
        out
    })
    .collect();
    // Threads: byte for byte.
    for name in [
        "matches.csv",
        "discrepancies.csv",
        "summary.json",
        "report.html",
    ] {
        let one = fs::read(Path::new(&outputs[0]).join(name)).expect("written");
        assert!(one.len() > 1000, "{name} is nearly empty");
        let three = fs::read(Path::new(&outputs[1]).join(name)).expect("written");
        assert!(three == one, "{name} differs between one and three threads");
    }
    // Row order: the same rows (rows follow the input order, so they are
    // compared sorted).
    for name in ["matches.csv", "discrepancies.csv"] {
        let sorted = |dir: &str| {
            let text = fs::read_to_string(Path::new(dir).join(name)).expect("written");
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        let (a, b) = (sorted(&outputs[0]), sorted(&outputs[2]));
        let diff: Vec<_> = a.iter().filter(|l| !b.contains(l)).take(3).collect();
        assert!(
            a == b,
            "{name}: rows differ with the EC rows reversed, e.g. {diff:?}"
        );
    }
}
