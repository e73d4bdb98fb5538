//! Coded fields: gender and relation type, from codes, English words and
//! vernacular words as printed on rolls.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Gender as printed on the roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Gender {
    /// Male (`M`).
    #[serde(rename = "M")]
    Male,
    /// Female (`F`).
    #[serde(rename = "F")]
    Female,
    /// Third gender (`T`).
    #[serde(rename = "T")]
    Third,
}

/// Relation of an elector to the relative named beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelationType {
    /// Father (`F`).
    #[serde(rename = "F")]
    Father,
    /// Mother (`M`).
    #[serde(rename = "M")]
    Mother,
    /// Husband (`H`).
    #[serde(rename = "H")]
    Husband,
    /// Wife (`W`).
    #[serde(rename = "W")]
    Wife,
    /// Any other relative or guardian (`O`).
    #[serde(rename = "O")]
    Other,
}

/// Lower-cases ASCII and drops spaces, dots and a trailing colon so that
/// `Male`, ` MALE `, `m.` and `M:` compare alike. Vernacular text passes
/// through untouched apart from the trimming.
fn fold(text: &str) -> String {
    text.trim()
        .trim_end_matches(':')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Gender {
    /// Parses a gender code or word: `M`/`F`/`T`, English words, and the
    /// Hindi, Marathi, Bengali, Assamese, Gurmukhi, Gujarati, Odia, Tamil,
    /// Telugu, Kannada and Malayalam words printed on rolls. `None` for
    /// blank or unknown text.
    pub fn parse(text: &str) -> Option<Gender> {
        let folded = fold(text);
        let g = match folded.as_str() {
            "m"
            | "male"
            | "man"
            | "पुरुष"
            | "पुरूष"
            | "পুরুষ"
            | "পুৰুষ"
            | "ਪੁਰਸ਼"
            | "પુરુષ"
            | "ପୁରୁଷ"
            | "ஆண்"
            | "పురుషుడు"
            | "పురుషుడ"
            | "ಪುರುಷ"
            | "പുരുഷൻ"
            | "പുരുഷന്‍" => Gender::Male,
            "f" | "female" | "woman" | "महिला" | "स्त्री" | "মহিলা" | "স্ত্রী" | "ਮਹਿਲਾ" | "ਇਸਤਰੀ"
            | "ਔਰਤ" | "સ્ત્રી" | "મહિલા" | "ମହିଳା" | "ସ୍ତ୍ରୀ" | "பெண்" | "స్త్రీ" | "ಮಹಿಳೆ" | "ಸ್ತ್ರೀ"
            | "സ്ത്രീ" => Gender::Female,
            "t"
            | "tg"
            | "thirdgender"
            | "third"
            | "transgender"
            | "other"
            | "o"
            | "तृतीयलिंग"
            | "অন্যান্য"
            | "তৃতীয়লিঙ্গ"
            | "மூன்றாம்பாலினம்"
            | "ഭിന്നലിംഗം" => Gender::Third,
            _ => return None,
        };
        Some(g)
    }

    /// The EC code: `M`, `F` or `T`.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
            Gender::Third => "T",
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl RelationType {
    /// Parses a relation code or word: `F`/`M`/`H`/`W`/`O`, English words,
    /// the `S/O`, `D/O`, `W/O`, `H/O` abbreviations, and Hindi, Bengali and
    /// other vernacular words. `None` for blank or unknown text.
    pub fn parse(text: &str) -> Option<RelationType> {
        let folded = fold(text);
        let r = match folded.as_str() {
            "f" | "father" | "s/o" | "d/o" | "so" | "do" | "पिता" | "पिताजी" | "বাবা" | "পিতা"
            | "ਪਿਤਾ" | "પિતા" | "ପିତା" | "தந்தை" | "తండ్రి" | "ತಂದೆ" | "അച്ഛൻ" | "പിതാവ്" => {
                RelationType::Father
            }
            "m" | "mother" | "माता" | "माँ" | "মাতা" | "মা" | "ਮਾਤਾ" | "માતા" | "ମାତା" | "தாய்" | "తల్లి"
            | "ತಾಯಿ" | "അമ്മ" | "മാതാവ്" => RelationType::Mother,
            "h"
            | "husband"
            | "w/o"
            | "wo"
            | "पति"
            | "স্বামী"
            | "ਪਤੀ"
            | "પતિ"
            | "ସ୍ୱାମୀ"
            | "கணவர்"
            | "భర్త"
            | "ಗಂಡ"
            | "ಪತಿ"
            | "ഭർത്താവ്" => RelationType::Husband,
            "w" | "wife" | "h/o" | "ho" | "पत्नी" | "স্ত্রী" | "ਪਤਨੀ" | "પત્ની" | "ପତ୍ନୀ" | "மனைவி"
            | "భార్య" | "ಹೆಂಡತಿ" | "ಪತ್ನಿ" | "ഭാര്യ" => {
                RelationType::Wife
            }
            "o"
            | "other"
            | "others"
            | "guardian"
            | "c/o"
            | "अन्य"
            | "অন্যান্য"
            | "অন্য"
            | "ਹੋਰ"
            | "અન્ય"
            | "ଅନ୍ୟ"
            | "மற்றவை"
            | "ఇతర"
            | "ಇತರ"
            | "മറ്റുള്ളവ" => RelationType::Other,
            _ => return None,
        };
        Some(r)
    }

    /// The EC code: `F`, `M`, `H`, `W` or `O`.
    pub fn code(self) -> &'static str {
        match self {
            RelationType::Father => "F",
            RelationType::Mother => "M",
            RelationType::Husband => "H",
            RelationType::Wife => "W",
            RelationType::Other => "O",
        }
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_words_from_the_domain_brief() {
        for (text, want) in [
            ("M", Gender::Male),
            ("male", Gender::Male),
            (" Female ", Gender::Female),
            ("Third gender", Gender::Third),
            ("पुरुष", Gender::Male),
            ("पुरूष", Gender::Male),
            ("महिला", Gender::Female),
            ("तृतीय लिंग", Gender::Third),
            ("পুরুষ", Gender::Male),
            ("পুৰুষ", Gender::Male),
            ("মহিলা", Gender::Female),
        ] {
            assert_eq!(Gender::parse(text), Some(want), "{text:?}");
        }
        assert_eq!(Gender::parse(""), None);
        assert_eq!(Gender::parse("X"), None);
    }

    #[test]
    fn relation_words_and_codes() {
        for (text, want) in [
            ("F", RelationType::Father),
            ("father", RelationType::Father),
            ("S/O", RelationType::Father),
            ("W/O", RelationType::Husband),
            ("पिता", RelationType::Father),
            ("पति", RelationType::Husband),
            ("माता", RelationType::Mother),
            ("अन्य", RelationType::Other),
            ("পিতা", RelationType::Father),
            ("স্বামী", RelationType::Husband),
            ("Wife", RelationType::Wife),
        ] {
            assert_eq!(RelationType::parse(text), Some(want), "{text:?}");
        }
        assert_eq!(RelationType::parse("cousin"), None);
    }

    #[test]
    fn codes_round_trip() {
        for g in [Gender::Male, Gender::Female, Gender::Third] {
            assert_eq!(Gender::parse(g.code()), Some(g));
        }
        for r in [
            RelationType::Father,
            RelationType::Mother,
            RelationType::Husband,
            RelationType::Wife,
            RelationType::Other,
        ] {
            assert_eq!(RelationType::parse(r.code()), Some(r));
        }
    }
}
