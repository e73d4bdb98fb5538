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
        | "marhum" | "marhoom" | "svargiyo" | "svargi" | "swargi" | "savargi"
        // Odia ସ୍ୱର୍ଗତ, Hindi स्वर्गवासी, Gujarati સ્વર્ગસ્થ
        | "svargat" | "swargat" | "svargata" | "swargata" | "svargavasi" | "swargavasi"
        | "svargasth" | "svargastha" | "swargasth" | "swargastha"
        // Tamil காலஞ்சென்ற, அமரர்
        | "kalanjendra" | "kalanjenra" | "kalanchendra" | "kalanchenra" | "kalanjentra"
        | "kaalanjendra" | "amarar"
        // Malayalam പരേതനായ, പരേതയായ, പരേതൻ, പരേത
        | "parethanaya" | "parethayaya" | "parethan" | "paretha" | "paretanaya" | "paretan"
        // Hindi, Kannada, Telugu दिवंगत; Bengali প্রয়াত
        | "divangat" | "divangata" | "divangatha" | "prayat" | "prayata" => "late",
        // Marathi कै. (kailasavasi)
        "kai" if dotted && leading => "late",
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

/// Canonical form of a gender-marking token (romanised spelling).
pub(crate) fn marker(text: &str) -> Option<&'static str> {
    // A `match` on constant strings compiles to length tests and inline
    // comparisons: most tokens are not markers and must fail fast.
    Some(match text {
        "devi" | "debi" | "thevi" | "dewi" => "devi",
        "kumari" | "kumaari" | "kumary" => "kumari",
        "kaur" | "kour" => "kaur",
        "bai" | "baai" => "bai",
        "rani" | "raani" => "rani",
        "begum" | "begam" | "pegam" => "begum",
        "khatun" | "khatoon" | "khaton" => "khatun",
        "bibi" | "beebi" => "bibi",
        "banu" | "bano" | "banoo" => "banu",
        "beevi" | "bivi" | "pivi" => "beevi",
        "ben" | "behn" | "bahen" => "ben",
        "bhai" | "bhaai" => "bhai",
        _ => return None,
    })
}

/// Is `tail` a gender-marking suffix split off joined tokens
/// (`sunitadevi` -> `sunita` + `devi`)?
fn is_suffix(tail: &[u8]) -> bool {
    matches!(
        tail,
        b"khatoon"
            | b"kumari"
            | b"khatun"
            | b"begum"
            | b"begam"
            | b"beevi"
            | b"thevi"
            | b"bhai"
            | b"devi"
            | b"debi"
            | b"kaur"
            | b"bibi"
            | b"banu"
            | b"bano"
            | b"bivi"
            | b"ben"
            | b"bai"
    )
}

/// Split a gender-marking suffix off a joined token: returns the stem
/// length. The stem must keep at least three letters and a vowel. Longest
/// suffix first, so that `bhai` wins over `bai` where both could apply.
pub(crate) fn split_suffix(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    for len in (3..=7).rev() {
        let Some(stem_len) = bytes.len().checked_sub(len) else {
            continue;
        };
        let (stem, tail) = bytes.split_at(stem_len);
        if stem.len() >= 3
            && is_suffix(tail)
            && stem
                .iter()
                .any(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
        {
            return Some(stem_len);
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

/// How an English given name whose letters mislead the phonetic rules is
/// said, in the letters its native spelling romanises to: George is ജോർജ്
/// (jorj), not a hard g; Lizy is ലിസി (lisi), not a z. (Mary is left alone:
/// keyed as മേരി, meri, it would come close to Meera.)
pub(crate) fn spoken(text: &str) -> Option<&'static str> {
    Some(match text {
        "george" => "jorj",
        "lizy" | "lizzy" | "lizzie" => "lisi",
        _ => return None,
    })
}
