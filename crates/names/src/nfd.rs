//! A fast path for NFD over the text names are written in.
//!
//! Decomposing every name with the general NFD iterator costs more than the
//! rest of the romaniser. Names use ASCII, the nine Brahmic blocks
//! (U+0900..U+0D7F) and the joiners; for those the canonical decompositions
//! and combining classes are read once from `unicode-normalization` into a
//! small table, so this path yields exactly what `nfd()` yields. Text with
//! any other character, or whose marks would need canonical reordering,
//! takes the general path.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

const START: u32 = 0x0900;
const END: u32 = 0x0D80;

/// Decomposition (up to three code points) and combining class of one code
/// point of the Brahmic blocks.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    len: u8,
    ccc: u8,
    dec: [u16; 3],
}

fn table() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (START..END)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return Entry::default();
                };
                let mut e = Entry {
                    len: 0,
                    ccc: canonical_combining_class(c),
                    dec: [0; 3],
                };
                let parts: Vec<char> = c.nfd().collect();
                let fits =
                    parts.len() <= 3 && parts.iter().all(|p| (START..END).contains(&(*p as u32)));
                if parts != [c] && fits {
                    for (slot, p) in e.dec.iter_mut().zip(&parts) {
                        *slot = u16::try_from(*p as u32).unwrap_or(0);
                    }
                    e.len = parts.len() as u8;
                } else if parts != [c] {
                    // Not representable here: marks the code point as
                    // unsupported by the fast path.
                    e.len = u8::MAX;
                }
                e
            })
            .collect()
    })
}

fn entry(table: &[Entry], cp: u32) -> Option<&Entry> {
    cp.checked_sub(START)
        .and_then(|i| table.get(usize::try_from(i).ok()?))
}

/// Feeds `f` the NFD form of `text` and returns true, or returns false
/// without calling `f` when the text needs the general algorithm.
pub(crate) fn for_each_nfd(text: &str, f: &mut dyn FnMut(char)) -> bool {
    let table = table();
    // Check pass: only supported code points, marks already in canonical
    // order after decomposition.
    let mut last = 0u8;
    for c in text.chars() {
        let cp = c as u32;
        if cp < 0x80 || cp == 0x200C || cp == 0x200D {
            last = 0;
            continue;
        }
        let Some(e) = entry(table, cp) else {
            return false;
        };
        let classes = match e.len {
            0 => [e.ccc, 0, 0],
            u8::MAX => return false,
            n => {
                let mut k = [0u8; 3];
                for (slot, d) in k.iter_mut().zip(&e.dec[..usize::from(n)]) {
                    *slot = entry(table, u32::from(*d)).map_or(0, |d| d.ccc);
                }
                k
            }
        };
        for k in &classes[..usize::from(e.len.max(1))] {
            if *k != 0 && *k < last {
                return false;
            }
            last = *k;
        }
    }
    for c in text.chars() {
        let cp = c as u32;
        match entry(table, cp) {
            Some(e) if e.len > 0 => {
                for d in &e.dec[..usize::from(e.len)] {
                    if let Some(d) = char::from_u32(u32::from(*d)) {
                        f(d);
                    }
                }
            }
            _ => f(c),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str) {
        let mut fast = Vec::new();
        if for_each_nfd(s, &mut |c| fast.push(c)) {
            let slow: Vec<char> = s.nfd().collect();
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    #[test]
    fn every_code_point_of_the_blocks() {
        for cp in START..END {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            check(&c.to_string());
            // Each code point after a consonant and before marks.
            check(&format!("क{c}\u{094D}\u{093C}"));
            check(&format!("{c}\u{093C}\u{094D}"));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2048,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Random runs of Brahmic code points, marks, joiners and ASCII:
        /// whenever the fast path is taken it agrees with `nfd()`.
        #[test]
        fn agrees_with_the_library(v in proptest::collection::vec(
            proptest::prop_oneof![
                6 => 0x0900u32..0x0D80,
                2 => proptest::sample::select(vec![0x093Cu32, 0x094D, 0x09BC, 0x09CD, 0x0C55, 0x0C56, 0x0D3B, 0x0951]),
                1 => proptest::sample::select(vec![0x200Cu32, 0x200D, 0x20, 0x41, 0x2E, 0xE9]),
            ],
            0..12,
        )) {
            let s: String = v.into_iter().filter_map(char::from_u32).collect();
            check(&s);
        }
    }

    #[test]
    fn reordering_needed_falls_back() {
        // virama (ccc 9) then nukta (ccc 7): NFD swaps them.
        assert!(!for_each_nfd("क\u{094D}\u{093C}", &mut |_| {}));
        check("क\u{094D}\u{093C}");
        check("ಕೋ");
        check("মমতা বন্দ্যোপাধ্যায়");
    }
}
