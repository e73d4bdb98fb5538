//! Word lists: honorifics, particles, gender-marking tokens, spelled-out
//! initials. All entries are romanised (the output of the romaniser), so one
//! list serves every script.

/// Canonical honorific for a romanised token, if it is one.
///
/// `dotted` tells whether the token was written as an abbreviation (`Dr.`,
/// `स्व.`); a few short forms only count with the dot. `leading` is true
/// while no name token has been seen: "Kumari" is an honorific ("Miss") only
/// before the name, a gender marker after it.
pub(crate) fn honorific(text: &str, dotted: bool, leading: bool) -> Option<&'static str> {
    Some(match text {
        "shri" | "sri" | "shree" | "sree" | "sh" | "shriman" | "shrimaan" | "sriman" | "thiru"
        | "tiru" | "thiruvalar" => "shri",
        "smt" | "shrimati" | "srimati" | "shreemati" | "sreemati" | "shrimathi" | "srimathi"
        | "shrimti" | "thirumathi" | "thirumati" | "tirumati" | "sau" | "shrimatee" => "smt",
        "sushri" | "kumari" | "km" | "kum" | "ku" | "kumaari" if leading => {
            if text == "sushri" {
                "sushri"
            } else {
                "kumari"
            }
        }
        "km" | "kum" => "kumari",
        "late" | "lt" | "sv" | "sva" | "swa" | "svargiya" | "swargiya" | "svargiy" | "swargiy"
        | "marhum" | "marhoom" | "svargiyo" => "late",
        "dr" | "doctor" | "dakter" | "daktar" => "dr",
        "do" | "da" | "dah" | "daa" if dotted => "dr",
        "mr" | "mister" => "mr",
        "mrs" => "mrs",
        "ms" | "miss" => "ms",
        "md" | "mohd" | "mohammad" | "mohammed" | "muhammad" | "muhammed" | "mohamed"
        | "mohamad" | "mahammad" | "mohammod" | "mohmmad" | "mohmad" | "muhamad" | "mahamad"
        | "mahammed" | "mohamood" => "md",
        "mo" | "moh" | "mu" if dotted => "md",
        _ => return None,
    })
}

/// Gender-marking tokens: (romanised spelling, canonical form).
const MARKERS: &[(&str, &str)] = &[
    ("devi", "devi"),
    ("debi", "devi"),
    ("thevi", "devi"),
    ("dewi", "devi"),
    ("kumari", "kumari"),
    ("kumaari", "kumari"),
    ("kumary", "kumari"),
    ("kaur", "kaur"),
    ("kour", "kaur"),
    ("bai", "bai"),
    ("baai", "bai"),
    ("rani", "rani"),
    ("raani", "rani"),
    ("begum", "begum"),
    ("begam", "begum"),
    ("pegam", "begum"),
    ("khatun", "khatun"),
    ("khatoon", "khatun"),
    ("khaton", "khatun"),
    ("bibi", "bibi"),
    ("beebi", "bibi"),
    ("banu", "banu"),
    ("bano", "banu"),
    ("banoo", "banu"),
    ("beevi", "beevi"),
    ("bivi", "beevi"),
    ("pivi", "beevi"),
    ("ben", "ben"),
    ("behn", "ben"),
    ("bahen", "ben"),
    ("bhai", "bhai"),
    ("bhaai", "bhai"),
];

/// Suffixes split off a joined token (`sunitadevi` -> `sunita` + `devi`).
/// Longest first so that `bhai` wins over `bai` where both could apply.
const SUFFIXES: &[&str] = &[
    "khatoon", "kumari", "khatun", "begum", "begam", "beevi", "thevi", "bhai", "devi", "debi",
    "kaur", "bibi", "banu", "bano", "bivi", "ben", "bai",
];

/// Canonical form of a gender-marking token.
pub(crate) fn marker(text: &str) -> Option<&'static str> {
    MARKERS.iter().find(|(s, _)| *s == text).map(|(_, c)| *c)
}

/// Split a gender-marking suffix off a joined token: returns the stem
/// length. The stem must keep at least three letters and a vowel.
pub(crate) fn split_suffix(text: &str) -> Option<usize> {
    for suffix in SUFFIXES {
        if let Some(stem) = text.strip_suffix(suffix)
            && stem.len() >= 3
            && stem
                .bytes()
                .any(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
        {
            return Some(stem.len());
        }
    }
    None
}

/// The Latin letter named by a romanised native abbreviation (`के.` -> `ke`
/// -> `k`, `एस.` -> `es` -> `s`).
pub(crate) fn letter_name(text: &str) -> Option<char> {
    Some(match text {
        "e" | "a" | "ae" => 'a',
        "bi" | "bee" => 'b',
        "si" | "see" => 'c',
        "di" | "dee" => 'd',
        "i" | "ee" => 'e',
        "ef" | "eph" | "ephph" | "eff" => 'f',
        "ji" | "jee" => 'g',
        "ech" | "echch" | "eich" | "hech" | "ch" => 'h',
        "aai" | "ai" => 'i',
        "je" | "jai" => 'j',
        "ke" | "ka" | "kay" | "kke" => 'k',
        "el" | "al" | "yel" => 'l',
        "em" | "am" | "yam" => 'm',
        "en" | "yen" => 'n',
        "o" => 'o',
        "pi" | "pee" => 'p',
        "kyu" => 'q',
        "ar" | "aar" | "aara" => 'r',
        "es" | "esh" | "yes" | "yas" => 's',
        "ti" | "tee" | "thi" => 't',
        "yu" => 'u',
        "vi" | "vee" | "bhi" => 'v',
        "dablyu" | "dabalyu" => 'w',
        "eks" | "eksh" => 'x',
        "vai" | "vaai" | "vay" => 'y',
        "jed" | "zed" | "jhed" => 'z',
        _ => return None,
    })
}
