//! Property tests: no panics, NFC/NFD invariance, idempotence.

use proptest::prelude::*;
use rollrec_names::{
    Lang, normalize, phonetic_key, phonetic_key_in, romanize, skeleton, skeleton_in,
};
use unicode_normalization::UnicodeNormalization;

/// Characters that exercise the romaniser: the nine Brahmic blocks, joiners,
/// Latin letters with and without accents, punctuation and spaces.
fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => (0x0900u32..0x0D80).prop_map(|c| char::from_u32(c).unwrap_or(' ')),
        2 => prop::sample::select(vec!['a', 'K', 'r', 'z', 'é', 'Ö', '.', ' ', '-', '\u{200D}', '\u{200C}', '\u{0301}', '।', '1']),
        1 => any::<char>(),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(name_char(), 0..24).prop_map(|v| v.into_iter().collect())
}

fn hint() -> impl Strategy<Value = Option<Lang>> {
    prop::sample::select(vec![
        None,
        Some(Lang::Hindi),
        Some(Lang::Marathi),
        Some(Lang::Assamese),
        Some(Lang::Tamil),
        Some(Lang::Punjabi),
        Some(Lang::Bengali),
        Some(Lang::English),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(s in any::<String>(), t in name(), h in hint()) {
        for x in [&s, &t] {
            let n = normalize(x, h);
            let _ = n.to_string();
            let _ = n.skeleton();
            let _ = rollrec_names::similarity(&n, &normalize("Ram", None));
            let _ = romanize(x, h);
            let _ = phonetic_key(x);
            let _ = skeleton(x);
            let _ = phonetic_key_in(x, h);
            let _ = skeleton_in(x, h);
        }
    }

    #[test]
    fn nfc_and_nfd_agree(s in name(), h in hint()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(normalize(&nfc, h), normalize(&nfd, h));
        prop_assert_eq!(romanize(&nfc, h), romanize(&nfd, h));
    }

    /// Idempotence: printing a normalised name (its `Display`, which is
    /// plain Latin) and normalising that text again with the same roll
    /// language gives the same tokens and honorifics; the romaniser maps its
    /// own output to itself.
    #[test]
    fn normalising_twice_changes_nothing(s in name(), h in hint()) {
        let once = normalize(&s, h);
        let twice = normalize(&once.to_string(), h);
        prop_assert_eq!(&once.tokens, &twice.tokens, "printed as {:?}", once.to_string());
        prop_assert_eq!(&once.honorifics, &twice.honorifics);
        prop_assert_eq!(once.joined_key(), twice.joined_key());
        let r = romanize(&s, h);
        prop_assert_eq!(romanize(&r, None), r.clone());
        prop_assert_eq!(phonetic_key(&r), phonetic_key(&romanize(&r, None)));
    }

    /// Only the Tamil, Punjabi, Bengali and Assamese hints fold keys; for every other
    /// language (and no hint) the key and skeleton of a word are those of
    /// `phonetic_key` and `skeleton`.
    #[test]
    fn other_hints_leave_keys_alone(w in "[a-zA-Z]{0,14}") {
        for l in [Lang::Hindi, Lang::Marathi, Lang::Gujarati, Lang::Odia,
                  Lang::Telugu, Lang::Kannada, Lang::Malayalam, Lang::English] {
            prop_assert_eq!(phonetic_key_in(&w, Some(l)), phonetic_key(&w));
            prop_assert_eq!(skeleton_in(&w, Some(l)), skeleton(&w));
        }
        prop_assert_eq!(phonetic_key_in(&w, None), phonetic_key(&w));
    }
}

/// Latin names from a few letters, so that pairs are often close.
fn latin_name() -> impl Strategy<Value = String> {
    let word = prop::collection::vec(
        prop::sample::select(vec!['a', 'e', 'i', 'r', 's', 'h', 'n', 'k', 'm', 'd', 'v']),
        1..8,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let token = prop_oneof![
        6 => word,
        1 => prop::sample::select(vec!["K.".to_string(), "Devi".into(), "Kumar".into(), "Smt".into(), "Md".into()]),
    ];
    prop::collection::vec(token, 1..4).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// The bound never rules out a pair that reaches the floor, and gives
    /// the similarity itself otherwise.
    #[test]
    fn similarity_bound_is_sound(
        x in latin_name(),
        y in prop_oneof![latin_name(), name()],
        h in hint(),
        floor in prop::sample::select(vec![0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.92, 1.0]),
    ) {
        let (a, b) = (normalize(&x, h), normalize(&y, h));
        let s = rollrec_names::similarity(&a, &b);
        match rollrec_names::similarity_at_least(&a, &b, floor) {
            None => prop_assert!(s < floor, "{x:?} {y:?}: {s} ruled out below {floor}"),
            Some(t) => prop_assert_eq!(t, s),
        }
    }
}
