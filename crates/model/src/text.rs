//! Light text folding for exact comparisons.

use unicode_normalization::UnicodeNormalization;

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
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfc().flat_map(char::to_lowercase) {
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
