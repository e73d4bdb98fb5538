//! EPIC (Electors Photo Identity Card) numbers.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::digits::indic_digit_value;

/// The shape of an EPIC number after normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpicForm {
    /// The current form: three letters and seven digits (`ABC1234567`).
    Current,
    /// The old form with slashes: two or three letters, then at least two
    /// groups of digits (`PY/01/015/063676`).
    OldSlash,
    /// Anything else: OCR damage, typos, truncation.
    Malformed,
}

impl EpicForm {
    /// Lower-case name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            EpicForm::Current => "current",
            EpicForm::OldSlash => "old_slash",
            EpicForm::Malformed => "malformed",
        }
    }
}

/// A normalised EPIC number and its form.
///
/// Normalisation trims, removes all white space, upper-cases ASCII letters
/// and writes Brahmic digits as ASCII. EPIC numbers are strong evidence that
/// two entries are one person, but they are **not** unique (series were
/// reused across states, OCR swaps O/0, I/1, S/5, B/8), so rollrec never uses
/// one as a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Epic {
    normalized: Box<str>,
    form: EpicForm,
}

impl Epic {
    /// Normalises and classifies `raw`; `None` when it is blank.
    pub fn parse(raw: &str) -> Option<Epic> {
        let normalized: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match indic_digit_value(c) {
                Some(d) => char::from_digit(d, 10).expect("a digit value is below 10"),
                None => c.to_ascii_uppercase(),
            })
            .collect();
        if normalized.is_empty() {
            return None;
        }
        let form = classify(&normalized);
        Some(Epic {
            normalized: normalized.into_boxed_str(),
            form,
        })
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    /// The form of the number.
    pub fn form(&self) -> EpicForm {
        self.form
    }
}

impl fmt::Display for Epic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

fn classify(s: &str) -> EpicForm {
    let b = s.as_bytes();
    if b.len() == 10
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit)
    {
        return EpicForm::Current;
    }
    let mut groups = s.split('/');
    let prefix = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    if (2..=3).contains(&prefix.len())
        && prefix.bytes().all(|c| c.is_ascii_uppercase())
        && rest.len() >= 2
        && rest
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|c| c.is_ascii_digit()))
    {
        return EpicForm::OldSlash;
    }
    EpicForm::Malformed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(s: &str) -> Option<EpicForm> {
        Epic::parse(s).map(|e| e.form())
    }

    #[test]
    fn forms() {
        assert_eq!(form("ABC1234567"), Some(EpicForm::Current));
        assert_eq!(form(" abc 123 4567\t"), Some(EpicForm::Current));
        assert_eq!(form("PY/01/015/063676"), Some(EpicForm::OldSlash));
        assert_eq!(form("wb/23/156/1234"), Some(EpicForm::OldSlash));
        assert_eq!(form("ABC123456"), Some(EpicForm::Malformed));
        assert_eq!(form("AB01234567"), Some(EpicForm::Malformed));
        assert_eq!(form("ABCI234567"), Some(EpicForm::Malformed));
        assert_eq!(form("PY//015"), Some(EpicForm::Malformed));
        assert_eq!(form("PY/01"), Some(EpicForm::Malformed));
        assert_eq!(form("   "), None);
    }

    #[test]
    fn indic_digits_become_ascii() {
        let e = Epic::parse("ABC১২৩৪৫৬৭").expect("not blank");
        assert_eq!(e.as_str(), "ABC1234567");
        assert_eq!(e.form(), EpicForm::Current);
    }
}
