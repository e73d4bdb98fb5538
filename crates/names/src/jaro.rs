//! Jaro-Winkler similarity of short ASCII keys without allocation.
//!
//! Gives exactly what `strsim::jaro_winkler` gives (the same steps, in the
//! same floating-point order; a test compares the two), but on bytes with
//! the match flags on the stack: phonetic keys are short lowercase ASCII,
//! and `strsim`'s generic version allocates and walks `char`s, which made it
//! the largest single cost of matching two rolls.

/// Longest key handled on the stack; longer or non-ASCII input goes to
/// `strsim`.
const MAX: usize = 64;

/// Jaro-Winkler similarity, equal to `strsim::jaro_winkler(a, b)`.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > MAX || y.len() > MAX || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    let mut a_flags = [false; MAX];
    let mut b_flags = [false; MAX];
    let mut matches = 0_usize;
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(search_range);
        let hi = b_len.min(i + search_range + 1);
        for j in lo..hi {
            if !b_flags[j] && b[j] == c {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0_usize;
    let mut j = 0;
    for i in (0..a_len).filter(|&i| a_flags[i]) {
        while !b_flags[j] {
            j += 1;
        }
        if a[i] != b[j] {
            transpositions += 1;
        }
        j += 1;
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "ramesh",
            "rajesh",
            "ramachandran",
            "ramchandran",
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "mohammad",
            "mohd",
            "lakshmi",
            "laxmi",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop",
            "subramaniam",
            "subramanian",
            "kkkk",
            "k",
            "sunita",
            "sumita",
        ];
        for a in words {
            for b in words {
                let (x, y) = (jaro_winkler(a, b), strsim::jaro_winkler(a, b));
                assert_eq!(x.to_bits(), y.to_bits(), "{a:?} {b:?}: {x} vs {y}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn equals_strsim_on_random_keys(a in "[a-z]{0,70}", b in "[a-z]{0,70}") {
            proptest::prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }

        #[test]
        fn equals_strsim_on_similar_keys(a in "[abkmnr]{1,12}", b in "[abkmnr]{1,12}") {
            proptest::prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }
    }
}
