//! `report.html` in a real browser: `rollrec reconcile` on the sample, the
//! page opened in headless Chromium (Debian's `chromium` package), the DOM
//! dumped after the page's script ran, and every total shown checked
//! against `summary.json`. A screenshot is saved to
//! `target/test-artifacts/report.png` for a person to look at.
//!
//! Without `/usr/bin/chromium` the test fails and says how to install it,
//! unless `ROLLREC_SKIP_BROWSER=1` is set, which skips it with a note.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";
mod common;

/// Chromium, or `None` when it is missing and the test may be skipped.
fn chromium() -> Option<&'static str> {
    if Path::new(CHROMIUM).exists() {
        return Some(CHROMIUM);
    }
    if std::env::var("ROLLREC_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("note: {CHROMIUM} missing and ROLLREC_SKIP_BROWSER=1: browser test skipped");
        return None;
    }
    panic!(
        "{CHROMIUM} is missing: install it with `apt-get install chromium` (as .ci/run does), \
         or set ROLLREC_SKIP_BROWSER=1 to skip this test"
    );
}

/// Runs headless Chromium with a fresh profile and the given extra
/// arguments on `url`; returns stdout.
fn run_chromium(bin: &str, profile: &Path, extra: &[&str], url: &str) -> String {
    let profile_arg = format!("--user-data-dir={}", profile.display());
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &profile_arg,
        ])
        .args(extra)
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    assert!(
        out.status.success(),
        "{bin} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the DOM is UTF-8")
}

/// Every `data-total="KEY" data-value="N"` pair in the page.
fn totals(dom: &str) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let mut rest = dom;
    while let Some(at) = rest.find("data-total=\"") {
        rest = &rest[at + "data-total=\"".len()..];
        let key_end = rest.find('"').expect("closing quote");
        let key = rest[..key_end].to_string();
        let after = &rest[key_end..];
        let Some(v) = after.strip_prefix("\" data-value=\"") else {
            continue;
        };
        let end = v.find('"').expect("closing quote");
        let n: u64 = v[..end].parse().expect("a count");
        // The cell's text must say the same number, with separators.
        let text = &v[end..];
        let text = &text[text.find('>').expect("cell text") + 1..];
        let text = &text[..text.find('<').expect("cell end")];
        assert_eq!(
            text.replace(',', "").parse::<u64>().ok(),
            Some(n),
            "{key}: shown {text:?}, attribute {n}"
        );
        out.insert(key, n);
    }
    out
}

/// The value of `data-shown` on the element with this id.
fn shown(dom: &str, id: &str) -> u64 {
    let tag = format!("id=\"{id}\" data-shown=\"");
    let at = dom.find(&tag).unwrap_or_else(|| panic!("no #{id}")) + tag.len();
    let v = &dom[at..];
    v[..v.find('"').expect("quote")].parse().expect("a count")
}

#[test]
fn report_html_shows_the_summary_in_a_browser() {
    let Some(bin) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    common::run_sample(&out, &[]);
    let page = out.join("report.html");
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("JSON");
    let url = format!("file://{}", page.display());

    let dom = run_chromium(
        bin,
        &dir.path().join("profile-dom"),
        &["--dump-dom", "--virtual-time-budget=2000"],
        &url,
    );
    assert!(
        dom.contains("Electoral roll reconciliation"),
        "page did not load"
    );

    // Every total shown equals summary.json.
    let shown_totals = totals(&dom);
    let n = |v: &serde_json::Value| v.as_u64().expect("a count");
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for side in ["ec", "sec"] {
        for field in ["rows_read", "accepted", "rejected", "matched", "unmatched"] {
            want.insert(format!("{side}.{field}"), n(&summary[side][field]));
        }
    }
    want.insert("matched_pairs".into(), n(&summary["matched_pairs"]));
    let mut all = 0;
    for (kind, count) in summary["discrepancies"].as_object().expect("counts") {
        want.insert(format!("discrepancies.{kind}"), n(count));
        all += n(count);
    }
    want.insert("discrepancies.all".into(), all);
    assert_eq!(shown_totals, want);

    // The script ran: it counted the rows it shows (all of them, the
    // sample is under the cap) and wrote the count with toLocaleString.
    let findings_rows = dom.matches("<tr data-kind=").count() as u64;
    assert_eq!(findings_rows, all);
    assert_eq!(shown(&dom, "findings-shown"), all);
    let rejected = n(&summary["ec"]["rejected"]) + n(&summary["sec"]["rejected"]);
    assert_eq!(shown(&dom, "rejects-shown"), rejected);
    assert!(!dom.contains("left out"), "the sample is under the cap");

    // One bar group per ward and per part with findings.
    let wards_with_findings = summary["by_ward"]
        .as_array()
        .expect("wards")
        .iter()
        .filter(|w| {
            w["discrepancies"]
                .as_object()
                .is_some_and(|d| d.values().any(|v| n(v) > 0))
        })
        .count();
    let chart = &dom[dom.find("id=\"chart-wards\"").expect("ward chart")..];
    let chart = &chart[..chart.find("</svg>").expect("svg end")];
    assert_eq!(chart.matches("<g>").count(), wards_with_findings);

    // The screenshot, for a person.
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    fs::create_dir_all(&artifacts).expect("mkdir");
    let png = artifacts.join("report.png");
    let _ = fs::remove_file(&png);
    let shot = format!("--screenshot={}", png.display());
    run_chromium(
        bin,
        &dir.path().join("profile-shot"),
        &[
            &shot,
            "--window-size=1400,2000",
            "--virtual-time-budget=2000",
        ],
        &url,
    );
    let bytes = fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    eprintln!("screenshot: {}", png.display());
}
