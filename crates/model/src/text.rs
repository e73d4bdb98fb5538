//! Light text folding for exact comparisons.

use unicode_normalization::UnicodeNormalization;

use crate::indic_digit_value;

/// Folds text for exact comparison: Unicode NFC, lower case, dots read as
/// spaces, runs of white space collapsed to one space, trimmed. This is not
/// name normalisation (see `rollrec-names` for that); it only makes two
/// spellings that differ by case, spacing or Unicode composition equal.
///
/// ```
/// use rollrec_model::fold_text;
/// assert_eq!(fold_text(" Smt.  Asha\tDAS "), "smt asha das");
/// // NFD input (decomposed nukta) folds to the same text as NFC input.
/// assert_eq!(fold_text("\u{0921}\u{093C}"), fold_text("\u{095C}"));
/// ```
pub fn fold_text(s: &str) -> String {
    if s.is_ascii() {
        return fold_ascii(s);
    }
    // Most text is already in NFC; composing it again costs more than the
    // rest of the folding.
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        fold_chars(s.chars())
    } else {
        fold_chars(s.nfc())
    }
}

/// [`fold_chars`] for ASCII text (already NFC), a byte at a time.
fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        // `char::is_whitespace` in ASCII (with the vertical tab).
        if matches!(b, b'.' | b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(char::from(b.to_ascii_lowercase()));
    }
    out
}

fn fold_chars(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in chars.flat_map(char::to_lowercase) {
        if c == '.' || c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Normalises a house number for comparison: drops a leading `H.No.`,
/// `House No` or `HNo` label, writes Brahmic digits as ASCII, upper-cases,
/// and keeps only letters and digits, so `16-A`, `16A`, `16/a`,
/// `H.No. 16 A` and `१६-A` agree. `None` when nothing is left.
///
/// ```
/// use rollrec_model::normalize_house;
/// assert_eq!(normalize_house("H.No. 16/a").as_deref(), Some("16A"));
/// assert_eq!(normalize_house(" - "), None);
/// ```
pub fn normalize_house(raw: &str) -> Option<String> {
    let mut s: String = raw
        .chars()
        .map(|c| match indic_digit_value(c) {
            Some(d) => char::from_digit(d, 10).expect("a digit value is below 10"),
            None => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    for label in ["HOUSENO", "HNO", "HOUSE"] {
        if let Some(rest) = s.strip_prefix(label)
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            s = rest.to_string();
            break;
        }
    }
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_folding_is_the_general_folding() {
        let mut byte = 0u8;
        let mut next = || {
            // A fixed pseudo-random walk over all ASCII bytes.
            byte = byte.wrapping_mul(73).wrapping_add(41);
            char::from(byte & 0x7f)
        };
        for len in 0..40 {
            for _ in 0..50 {
                let s: String = (0..len).map(|_| next()).collect();
                assert_eq!(fold_ascii(&s), fold_chars(s.chars()), "{s:?}");
            }
        }
        assert_eq!(fold_text(" Smt. ASHA\x0bDevi "), "smt asha devi");
    }

    #[test]
    fn house_numbers_agree_across_formats() {
        for raw in [
            "16-A",
            "16A",
            "16/a",
            "H.No. 16 A",
            "H. No.16/A",
            "House No 16A",
            "१६-A",
        ] {
            assert_eq!(normalize_house(raw).as_deref(), Some("16A"), "{raw}");
        }
        assert_eq!(normalize_house(" - "), None);
        assert_eq!(normalize_house("HOUSE"), Some("HOUSE".to_string()));
    }
}
