//! Phonetic key and skeleton of a Latin spelling.
//!
//! The **phonetic key** folds the spelling variation of Indian names in Latin
//! script: aspirates (`bh`/`b`), vowel length (`aa`/`a`, `ee`/`i`, `oo`/`u`),
//! diphthong spellings (`ai`/`ay`/`e`, `au`/`ou`/`ow`/`o`), `v`/`w`,
//! `sh`/`s`, `z`/`j`, `x`/`ks`, `ph`/`f`, `q`/`k`, `zh`/`l`, doubled letters
//! (`tch`/`chch`: Pitchai ~ Pichchai), English `-tion` as `-shan`,
//! a nasal before a consonant (`angkush`/`ankush`, `amka`/`anka`, also when
//! it meets the consonant only once a schwa is dropped:
//! `ramachandran`/`ramchandran`), the medial schwa after the first vowel
//! (`malavani`/`malvani`), the final schwa (`rama`/`ram`, `yadava`/`yadav`)
//! and, after the first letter, `u` with `a`/`o` (`custom`/`kastam`,
//! `hussain`/`hossain`, Tamil long o typed `oo`).
//!
//! The **skeleton** is coarser, meant for blocking: the key's consonants only
//! (vowels, `h` and `y` dropped), merged into classes (k/g, c/j/z/s, t/d,
//! p/b/f/v, n/m) with repeated classes collapsed, a leading marker when the
//! word starts with a vowel or a `y` glide, and a few rules that act on that
//! consonant string (so also across a dropped vowel: the Dakshina dev split
//! agrees more often that way than when they are limited to clusters):
//! `ks` -> `k` (ksh, x and Bengali ক্ষ typed kkh), a stop before `r`
//! dropped after the first consonant (Tamil ற்ற typed tr/rr/ttr/trtr), a
//! final nasal dropped after three other classes (a nasalised final vowel
//! is typed with or without `n`).
//! A word-initial `h` (also in `hy`),
//! `m` and `j` keep their own class: typists do not vary them, and the
//! finer start keeps false collisions down (measured on the Dakshina dev
//! split).

/// Phonetic key of one Latin word, appended to `out`. `letters` must be
/// lowercase ASCII letters only.
pub(crate) fn key_into(letters: &[u8], out: &mut String) {
    let start = out.len();
    let n = letters.len();
    let at = |i: usize| letters.get(i).copied().unwrap_or(0);
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let mut i = 0;
    let mut last: u8 = 0;
    let push = |c: u8, out: &mut String, last: &mut u8| {
        let c = match c {
            b'o' => b'a',
            b'e' => b'i',
            b'g' => b'k',
            b'd' => b't',
            b'b' | b'v' => b'p',
            _ => c,
        };
        if c != *last {
            out.push(char::from(c));
            *last = c;
        }
    };
    while i < n {
        let c = letters[i];
        let nx = at(i + 1);
        let nn = at(i + 2);
        let (emit, step): (&[u8], usize) = match c {
            b'a' => match nx {
                b'a' => (b"a", 2),
                // Long e typed "ae" (Vaelu ~ Velu); not at the start (Aesha).
                b'e' if i > 0 => (b"e", 2),
                b'y' if !vowel(nn) => (b"ai", 2),
                b'u' => (b"o", 2),
                // Rao; a final "av" stays (Yadav ~ Yadava ~ यादव).
                b'o' if i + 2 == n => (b"o", 2),
                // Telugu రావు "ravu" is written Rao.
                b'v' if i + 3 == n && nn == b'u' => (b"o", 3),
                b'w' if !vowel(nn) => (b"o", 2),
                _ => (b"a", 1),
            },
            b'e' => match nx {
                // Mathew, Andrew: final "ew" sounds "yu".
                b'w' if i + 2 == n && i > 0 => (b"yu", 2),
                // Sheikh ~ Shaikh
                b'i' => (b"ai", 2),
                b'e' => (b"i", 2),
                b'y' if !vowel(nn) => (b"e", 2),
                _ => (b"e", 1),
            },
            b'i' => match nx {
                b'i' => (b"i", 2),
                b'y' if vowel(nn) => (b"i", 2),
                _ => (b"i", 1),
            },
            b'o' => match nx {
                b'o' => (b"u", 2),
                b'u' => (b"o", 2),
                b'w' if !vowel(nn) => (b"o", 2),
                _ => (b"o", 1),
            },
            b'u' => (b"u", if nx == b'u' { 2 } else { 1 }),
            // "tch" is a doubled "ch" (Pitchai ~ Pichchai, Kamatchi).
            b't' if nx == b'c' && nn == b'h' => (b"", 1),
            // English "-tion" (station, nation) sounds "shan".
            b't' if nx == b'i' && nn == b'o' && at(i + 3) == b'n' => (b"sa", 3),
            b'b' | b'd' | b'g' | b'j' | b'k' | b't' | b's' => {
                let step = if nx == b'h' { 2 } else { 1 };
                if c == b'g' && last == b'n' && !vowel(at(i + step)) && at(i + step) != b'y' {
                    // "ng" before a consonant or at the end is just a nasal.
                    (b"", step)
                } else {
                    (std::slice::from_ref(&letters[i]), step)
                }
            }
            b'c' => match nx {
                b'h' => (b"c", if nn == b'h' { 3 } else { 2 }),
                // Doubled "ch" written cch (Bacchan ~ Bachchan).
                b'c' if nn == b'h' => (b"c", 1),
                b'k' => (b"k", 2),
                b'e' | b'i' | b'y' => (b"s", 1),
                _ => (b"k", 1),
            },
            b'p' => {
                if nx == b'h' {
                    (b"f", 2)
                } else {
                    (b"p", 1)
                }
            }
            b'f' => (b"f", 1),
            b'q' => (b"k", 1),
            b'x' => (b"ks", 1),
            b'z' => {
                if nx == b'h' {
                    (b"l", 2)
                } else {
                    (b"j", 1)
                }
            }
            b'v' | b'w' => (b"v", 1),
            // Initial "hy" keeps its h (Hyderabad, हाइपो ~ hypo).
            b'h' if (vowel(nx) || (i == 0 && nx == b'y')) && (last == 0 || vowel(last)) => {
                (b"h", 1)
            }
            b'm' | b'n' => {
                // Nasal before a consonant: place of the next consonant.
                let mut j = i + 1;
                while at(j) == c {
                    j += 1;
                }
                let next = at(j);
                if matches!(next, b'p' | b'b' | b'f') {
                    (b"m", 1)
                } else if matches!(
                    next,
                    b'k' | b'g' | b'q' | b'c' | b'j' | b's' | b'h' | b'x' | b'z'
                ) {
                    // amka ~ anka, hamsa ~ hansa, simha ~ sinha
                    (b"n", 1)
                } else {
                    (std::slice::from_ref(&letters[i]), 1)
                }
            }
            // An initial glide before e/i is typed or not (ela ~ yela).
            b'y' if i == 0 && matches!(nx, b'e' | b'i') => (b"", 1),
            b'y' => {
                if nx == 0 && last != 0 && !vowel(last) {
                    (b"i", 1)
                } else {
                    (b"y", 1)
                }
            }
            b'l' | b'r' => (std::slice::from_ref(&letters[i]), 1),
            _ => (b"", 1),
        };
        for &e in emit {
            push(e, out, &mut last);
        }
        i += step;
    }
    // Medial schwa: typists keep or drop it regardless of the rules
    // (malavani ~ malvani, Punjabi writes no virama at all): an "a" between
    // two consonants after the first vowel is dropped. Right to left, so
    // that indices stay valid; no two "a" are adjacent after the folding
    // above, so every decision sees the original neighbours.
    let first_vowel = out.as_bytes()[start..]
        .iter()
        .position(|b| vowel(*b))
        .map_or(out.len(), |p| start + p);
    let mut j = out.len().saturating_sub(2);
    while j > first_vowel {
        let b = out.as_bytes();
        if b[j] == b'a' && !vowel(b[j - 1]) && !vowel(b[j + 1]) {
            out.remove(j);
        }
        j -= 1;
    }
    // The schwa just dropped can bring a nasal next to a consonant: assimilate
    // it as above (Ramachandran ~ Ramchandran, Hemanta ~ Hemant-).
    assimilate_nasals(out, first_vowel);
    // Final schwa: "rama" ~ "ram".
    let key = &out[start..];
    if key.len() > 2 && key.ends_with('a') {
        let before = key.as_bytes()[key.len() - 2];
        if !vowel(before) {
            out.pop();
        }
    }
    // After the first letter, u joins a and o (folded above): typists
    // write a schwa as u (custom ~ kastam, Hussain ~ Hossain) and Tamil
    // long o as oo. i and e stay apart from a: Kiran/Karan, Ravi/Rabia,
    // Rita/Radha are different names (measured on the synth name lists:
    // folding i as well would merge 16 more groups of different names).
    fold_back_vowels(out, start + 1);
}

/// From byte `from` on, `u` joins the `a`/`o` class of the key (a
/// resulting `aa` becomes one `a`), and a `y` between a vowel and a
/// consonant (or the end) becomes `i`.
fn fold_back_vowels(out: &mut String, from: usize) {
    if from == 0
        || !out
            .as_bytes()
            .get(from..)
            .is_some_and(|t| t.iter().any(|&b| b == b'u' || b == b'y'))
    {
        return;
    }
    let mut bytes = std::mem::take(out).into_bytes();
    let mut w = from;
    for r in from..bytes.len() {
        let mut c = bytes[r];
        if c == b'u' {
            c = b'a';
        }
        // A glide after a vowel and before a consonant or the end is the
        // second half of a diphthong (aaykar ~ aayakar once the schwa is
        // gone ~ aikar; aaraayndha ~ araindha).
        if c == b'y'
            && matches!(bytes[w - 1], b'a' | b'e' | b'i' | b'o' | b'u')
            && !bytes
                .get(r + 1)
                .is_some_and(|&n| matches!(n, b'a' | b'e' | b'i' | b'o' | b'u'))
        {
            c = b'i';
            if bytes[w - 1] == b'i' {
                continue;
            }
        }
        // `from` is at least 1, so `w - 1` is in range.
        if c == b'a' && bytes[w - 1] == b'a' {
            continue;
        }
        bytes[w] = c;
        w += 1;
    }
    bytes.truncate(w);
    // Only ASCII letters were rewritten as ASCII letters.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// Nasal place assimilation on a key from byte `from` on: `m` before a velar,
/// palatal or sibilant becomes `n` (not before `h`: Maheta ~ Mehta), `n` before a labial becomes `m`
/// (a doubled result is collapsed).
fn assimilate_nasals(out: &mut String, from: usize) {
    let b = out.as_bytes();
    let needs = (from.max(1)..b.len().saturating_sub(1)).any(|j| match b[j] {
        b'm' => matches!(b[j + 1], b'k' | b'c' | b's' | b'j'),
        b'n' => matches!(b[j + 1], b'p' | b'f'),
        _ => false,
    });
    if !needs {
        return;
    }
    let mut bytes = std::mem::take(out).into_bytes();
    let mut w = from;
    for r in from..bytes.len() {
        let mut c = bytes[r];
        let next = bytes.get(r + 1).copied().unwrap_or(0);
        if r > 0 {
            if c == b'm' && matches!(next, b'k' | b'c' | b's' | b'j') {
                c = b'n';
            } else if c == b'n' && matches!(next, b'p' | b'f') {
                c = b'm';
            }
        }
        if w > from && bytes[w - 1] == c {
            continue;
        }
        bytes[w] = c;
        w += 1;
    }
    bytes.truncate(w);
    // Only ASCII letters were rewritten as ASCII letters.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// Skeleton of a phonetic key, appended to `out`.
pub(crate) fn skeleton_of_key(key: &str, out: &mut String) {
    let start = out.len();
    let mut last = 0u8;
    for (i, b) in key.bytes().enumerate() {
        let class = match b {
            // An initial "y" before a vowel is a glide typists add or leave
            // out (ela ~ yela, unani ~ yunani): same marker as a vowel.
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' if i == 0 => b'a',
            // A word-initial h is kept (Hari ~ Ari would be too coarse).
            b'h' if i == 0 => b'h',
            // An initial m is never an anusvara typed as heard, and an
            // initial j is rarely typed for s/ch: both kept apart.
            b'm' if i == 0 => b'm',
            b'j' if i == 0 => b'j',
            b'y' | b'h' => 0,
            b'k' | b'g' => b'k',
            b'c' | b'j' | b's' => b'c',
            b't' | b'd' => b't',
            b'p' | b'b' | b'f' | b'v' => b'p',
            b'n' | b'm' => b'n',
            b'l' => b'l',
            b'r' => b'r',
            _ => 0,
        };
        // ks ~ kkh (ksh/x and Bengali ক্ষ "kkh")
        if class == b'c' && last == b'k' {
            continue;
        }
        // A stop before r is dropped: Tamil ற்ற is typed tr, rr, ttr or
        // trtr, ன்ற ndr, nr or ntr.
        if class == b'r' && last == b't' && out.len() > start + 1 {
            out.pop();
            last = out.as_bytes()[start..].last().copied().unwrap_or(0);
        }
        if class != 0 && class != last {
            out.push(char::from(class));
            last = class;
        }
    }
    // A final nasal is where spellings of longer words differ most
    // (anusvara, chandrabindu, tippi and bindi typed or not; Gujarati's
    // silent final anusvara; Tamil -am/-an): dropped after three other
    // classes. Shorter words keep it, or unrelated ones would collide.
    if out.len() > start + 3 && out.ends_with('n') {
        out.pop();
    }
}

/// Consonant outline of a phonetic key used to tell spelling variants from
/// different names: vowels, `h` and `y` dropped, `v` merged with `p`/`b`/`f`,
/// repeated classes collapsed. Unlike the skeleton it keeps `n` apart from
/// `m` and `s` apart from `c`/`j`.
pub(crate) fn outline(key: &str) -> impl Iterator<Item = u8> + '_ {
    let mut last = 0u8;
    key.bytes().filter_map(move |b| {
        let class = match b {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h' => return None,
            b'v' | b'f' | b'b' => b'p',
            other => other,
        };
        if class == last {
            None
        } else {
            last = class;
            Some(class)
        }
    })
}
