//! Numbers written in ASCII or any Brahmic script's digits.

/// The zero code point of each Brahmic digit set rolls are printed in. Each
/// set is ten consecutive code points.
const DIGIT_ZEROS: [u32; 9] = [
    0x0966, // Devanagari ०
    0x09E6, // Bengali and Assamese ০
    0x0A66, // Gurmukhi ੦
    0x0AE6, // Gujarati ૦
    0x0B66, // Odia ୦
    0x0BE6, // Tamil ௦
    0x0C66, // Telugu ౦
    0x0CE6, // Kannada ೦
    0x0D66, // Malayalam ൦
];

/// The value of a decimal digit written in ASCII or in one of the Brahmic
/// digit sets (Devanagari, Bengali-Assamese, Gurmukhi, Gujarati, Odia, Tamil,
/// Telugu, Kannada, Malayalam).
///
/// ```
/// use rollrec_model::indic_digit_value;
/// assert_eq!(indic_digit_value('7'), Some(7));
/// assert_eq!(indic_digit_value('७'), Some(7));
/// assert_eq!(indic_digit_value('৭'), Some(7));
/// assert_eq!(indic_digit_value('x'), None);
/// ```
pub fn indic_digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    let cp = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .map(|&zero| cp - zero)
}

/// Parses a non-negative whole number written in ASCII or Brahmic digits,
/// ignoring surrounding white space. Digit sets may not be mixed with
/// anything else; returns `None` for blank text, signs, decimals, or a value
/// that does not fit in `u32`.
///
/// ```
/// use rollrec_model::parse_number;
/// assert_eq!(parse_number(" 42 "), Some(42));
/// assert_eq!(parse_number("४२"), Some(42));
/// assert_eq!(parse_number("4.2"), None);
/// assert_eq!(parse_number(""), None);
/// ```
pub fn parse_number(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for c in text.chars() {
        let d = indic_digit_value(c)?;
        value = value.checked_mul(10)?.checked_add(d)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_digit_set_parses() {
        for zero in DIGIT_ZEROS {
            let s: String = [1u32, 2, 0]
                .iter()
                .map(|d| char::from_u32(zero + d).expect("digit code points are valid chars"))
                .collect();
            assert_eq!(parse_number(&s), Some(120), "digit set at {zero:#x}");
        }
    }

    #[test]
    fn rejects_junk_and_overflow() {
        assert_eq!(parse_number("-1"), None);
        assert_eq!(parse_number("1 2"), None);
        assert_eq!(parse_number("99999999999"), None);
        assert_eq!(parse_number("१२a"), None);
        // Digits just past each set's nine are not digits.
        assert_eq!(indic_digit_value('\u{0970}'), None);
    }
}
