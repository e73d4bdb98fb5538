//! Runs `fixtures/names/name_pairs.tsv`: every "match" pair must satisfy
//! `is_match` and every "nomatch" pair must not.

use std::path::PathBuf;

use rollrec_names::{Lang, MATCH_THRESHOLD, normalize, similarity};

fn hint(code: &str) -> Option<Lang> {
    if code == "-" {
        None
    } else {
        Lang::from_code(code)
    }
}

#[test]
fn name_pairs_fixture() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/names/name_pairs.tsv");
    let text = std::fs::read_to_string(&path).expect("fixture file is present in the repository");
    let mut failures = Vec::new();
    let (mut matches, mut nomatches) = (0, 0);
    let mut scripts = std::collections::BTreeSet::new();
    for (lineno, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("expect\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() >= 5,
            "line {}: expected 5+ columns: {line}",
            lineno + 1
        );
        let expect = match cols[0] {
            "match" => true,
            "nomatch" => false,
            other => panic!("line {}: bad expectation {other}", lineno + 1),
        };
        if expect {
            matches += 1
        } else {
            nomatches += 1
        }
        for name in [cols[1], cols[2]] {
            if let Some(l) = Lang::detect(name) {
                scripts.insert(format!("{:?}", l));
            }
        }
        let a = normalize(cols[1], hint(cols[3]));
        let b = normalize(cols[2], hint(cols[4]));
        let s = similarity(&a, &b);
        assert!((0.0..=1.0).contains(&s), "similarity out of range: {s}");
        assert_eq!(
            s,
            similarity(&b, &a),
            "similarity is not symmetric on line {}",
            lineno + 1
        );
        if (s >= MATCH_THRESHOLD) != expect {
            failures.push(format!(
                "line {}: expected {} got {s:.3}: {:?} [{a}] vs {:?} [{b}] ({})",
                lineno + 1,
                cols[0],
                cols[1],
                cols[2],
                cols.get(5).unwrap_or(&"")
            ));
        }
    }
    assert!(
        matches + nomatches >= 200,
        "fixture too small: {}",
        matches + nomatches
    );
    assert!(
        nomatches >= 50,
        "too few should-not-match pairs: {nomatches}"
    );
    // Eleven scripts incl. Latin: Assamese and Marathi share blocks with
    // Bengali and Hindi, so `detect` sees ten languages plus Assamese.
    assert!(scripts.len() >= 11, "scripts covered: {scripts:?}");
    assert!(
        failures.is_empty(),
        "{} of {} pairs failed:\n{}",
        failures.len(),
        matches + nomatches,
        failures.join("\n")
    );
}

/// "Late" in the scripts where typists write the word out: it is split off
/// as the honorific `late`, not kept as a name token.
#[test]
fn late_in_every_script() {
    let forms = [
        ("स्व. राम लाल", "hi"),
        ("कै. राम पाटील", "mr"),
        ("ସ୍ୱର୍ଗତ ରାମ ଦାସ", "or"),
        ("காலஞ்சென்ற முருகன்", "ta"),
        ("അമരർ രാമൻ", "ta"),
        ("പരേതനായ രാമൻ", "ml"),
        ("പരേതയായ സീത", "ml"),
        ("ದಿವಂಗತ ರಾಮ", "kn"),
        ("స్వర్గీయ రామారావు", "te"),
        ("স্বর্গীয় রাম দাস", "bn"),
        ("પ્રયાત રામ", "gu"),
        ("સ્વર્ગસ્થ રમેશ", "gu"),
        ("ਸਵਰਗੀ ਹਰਜੀਤ ਸਿੰਘ", "pa"),
    ];
    for (name, lang) in forms {
        let n = normalize(name, Lang::from_code(lang));
        assert_eq!(
            n.honorifics.first().map(|h| h.text.as_str()),
            Some("late"),
            "{name}: {n}"
        );
        assert!(n.tokens.iter().all(|t| t.text != "late"), "{name}: {n}");
    }
    // Without the dot, Marathi कै is not a title.
    assert!(normalize("कै राम", None).honorifics.is_empty());
}
