//! Languages, scripts, and how to guess one from text or from a state code.

/// A script handled by the romaniser.
///
/// The nine Brahmic scripts share one layout: the same letter sits at the same
/// offset from the start of its 128-code-point Unicode block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// U+0900: Hindi, Marathi.
    Devanagari,
    /// U+0980: Bengali and Assamese.
    Bengali,
    /// U+0A00: Punjabi.
    Gurmukhi,
    /// U+0A80.
    Gujarati,
    /// U+0B00.
    Odia,
    /// U+0B80.
    Tamil,
    /// U+0C00.
    Telugu,
    /// U+0C80.
    Kannada,
    /// U+0D00.
    Malayalam,
    /// ASCII and Latin-1 letters (English spellings of names).
    Latin,
}

impl Script {
    /// The script of one character, if it belongs to a supported script.
    ///
    /// ```
    /// use rollrec_names::Script;
    /// assert_eq!(Script::of('क'), Some(Script::Devanagari));
    /// assert_eq!(Script::of('x'), Some(Script::Latin));
    /// assert_eq!(Script::of('1'), None);
    /// ```
    #[must_use]
    pub fn of(c: char) -> Option<Script> {
        let cp = c as u32;
        match cp {
            0x0900..=0x0D7F => Some(BRAHMIC[((cp - 0x0900) >> 7) as usize]),
            _ if c.is_ascii_alphabetic() => Some(Script::Latin),
            // Latin-1, Extended-A/B and Extended Additional (Ḱ, ṛ...): the
            // precomposed letters of the last block must count as Latin like
            // their NFD forms do.
            0x00C0..=0x024F | 0x1E00..=0x1EFF => Some(Script::Latin),
            _ => None,
        }
    }

    /// First code point of the script's Unicode block (Brahmic scripts only).
    #[must_use]
    pub fn block_start(self) -> Option<u32> {
        BRAHMIC
            .iter()
            .position(|s| *s == self)
            .map(|i| 0x0900 + ((i as u32) << 7))
    }

    /// The language assumed for this script when no usable hint is given.
    #[must_use]
    pub fn default_lang(self) -> Lang {
        match self {
            Script::Devanagari => Lang::Hindi,
            Script::Bengali => Lang::Bengali,
            Script::Gurmukhi => Lang::Punjabi,
            Script::Gujarati => Lang::Gujarati,
            Script::Odia => Lang::Odia,
            Script::Tamil => Lang::Tamil,
            Script::Telugu => Lang::Telugu,
            Script::Kannada => Lang::Kannada,
            Script::Malayalam => Lang::Malayalam,
            Script::Latin => Lang::English,
        }
    }
}

const BRAHMIC: [Script; 9] = [
    Script::Devanagari,
    Script::Bengali,
    Script::Gurmukhi,
    Script::Gujarati,
    Script::Odia,
    Script::Tamil,
    Script::Telugu,
    Script::Kannada,
    Script::Malayalam,
];

/// A language of the rolls. It decides script-internal choices such as schwa
/// deletion and the Tamil voicing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Hindi (Devanagari).
    Hindi,
    /// Marathi (Devanagari).
    Marathi,
    /// Bengali.
    Bengali,
    /// Assamese (Bengali script with ৰ and ৱ).
    Assamese,
    /// Punjabi (Gurmukhi).
    Punjabi,
    /// Gujarati.
    Gujarati,
    /// Odia.
    Odia,
    /// Tamil.
    Tamil,
    /// Telugu.
    Telugu,
    /// Kannada.
    Kannada,
    /// Malayalam.
    Malayalam,
    /// English (Latin script).
    English,
}

impl Lang {
    /// The script the language is written in on the rolls.
    #[must_use]
    pub fn script(self) -> Script {
        match self {
            Lang::Hindi | Lang::Marathi => Script::Devanagari,
            Lang::Bengali | Lang::Assamese => Script::Bengali,
            Lang::Punjabi => Script::Gurmukhi,
            Lang::Gujarati => Script::Gujarati,
            Lang::Odia => Script::Odia,
            Lang::Tamil => Script::Tamil,
            Lang::Telugu => Script::Telugu,
            Lang::Kannada => Script::Kannada,
            Lang::Malayalam => Script::Malayalam,
            Lang::English => Script::Latin,
        }
    }

    /// ISO 639-1 code (`"hi"`, `"bn"`, ...), as used by the Dakshina files.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::Hindi => "hi",
            Lang::Marathi => "mr",
            Lang::Bengali => "bn",
            Lang::Assamese => "as",
            Lang::Punjabi => "pa",
            Lang::Gujarati => "gu",
            Lang::Odia => "or",
            Lang::Tamil => "ta",
            Lang::Telugu => "te",
            Lang::Kannada => "kn",
            Lang::Malayalam => "ml",
            Lang::English => "en",
        }
    }

    /// Inverse of [`Lang::code`].
    #[must_use]
    pub fn from_code(code: &str) -> Option<Lang> {
        Some(match code {
            "hi" => Lang::Hindi,
            "mr" => Lang::Marathi,
            "bn" => Lang::Bengali,
            "as" => Lang::Assamese,
            "pa" => Lang::Punjabi,
            "gu" => Lang::Gujarati,
            "or" => Lang::Odia,
            "ta" => Lang::Tamil,
            "te" => Lang::Telugu,
            "kn" => Lang::Kannada,
            "ml" => Lang::Malayalam,
            "en" => Lang::English,
            _ => return None,
        })
    }

    /// True for the Dravidian languages, which keep the inherent vowel at the
    /// end of a word and write a final anusvara as `m`.
    #[must_use]
    pub fn is_dravidian(self) -> bool {
        matches!(
            self,
            Lang::Tamil | Lang::Telugu | Lang::Kannada | Lang::Malayalam
        )
    }

    /// The roll language usually used by an EC state code (`"S25"` -> Bengali).
    ///
    /// This is only a **hint**: it is used when the name is written in that
    /// language's script (to tell Marathi from Hindi, or Assamese from
    /// Bengali) and ignored otherwise. States whose rolls are printed in
    /// English or in a script this crate does not handle return `None`.
    ///
    /// ```
    /// use rollrec_names::Lang;
    /// assert_eq!(Lang::from_state_code("S13"), Some(Lang::Marathi));
    /// assert_eq!(Lang::from_state_code("s22"), Some(Lang::Tamil));
    /// assert_eq!(Lang::from_state_code("S99"), None);
    /// ```
    #[must_use]
    pub fn from_state_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        if code.len() != 3 || !code.is_ascii() {
            return None;
        }
        let upper = code.to_ascii_uppercase();
        Some(match upper.as_str() {
            "S01" | "S29" => Lang::Telugu, // Andhra Pradesh, Telangana
            "S03" => Lang::Assamese,       // Assam
            "S04" | "S07" | "S08" | "S12" | "S20" | "S24" | "S26" | "S27" | "S28" | "U05" => {
                // Bihar, Haryana, Himachal Pradesh, Madhya Pradesh, Rajasthan,
                // Uttar Pradesh, Chhattisgarh, Jharkhand, Uttarakhand, Delhi
                Lang::Hindi
            }
            "S05" | "S13" => Lang::Marathi, // Goa (Devanagari rolls), Maharashtra
            "S06" => Lang::Gujarati,        // Gujarat
            "S10" => Lang::Kannada,         // Karnataka
            "S11" => Lang::Malayalam,       // Kerala
            "S18" => Lang::Odia,            // Odisha
            "S19" => Lang::Punjabi,         // Punjab
            "S22" => Lang::Tamil,           // Tamil Nadu
            "S23" | "S25" => Lang::Bengali, // Tripura, West Bengal
            _ => return None,
        })
    }

    /// Guess the language from the first letter of a supported script.
    ///
    /// Bengali-script text containing ৰ or ৱ is Assamese. Devanagari is taken
    /// as Hindi (Marathi needs a hint).
    ///
    /// ```
    /// use rollrec_names::Lang;
    /// assert_eq!(Lang::detect("মমতা"), Some(Lang::Bengali));
    /// assert_eq!(Lang::detect("ৰমেশ"), Some(Lang::Assamese));
    /// assert_eq!(Lang::detect("K. Ramesh"), Some(Lang::English));
    /// assert_eq!(Lang::detect("123"), None);
    /// ```
    #[must_use]
    pub fn detect(text: &str) -> Option<Lang> {
        let script = text
            .chars()
            .find_map(|c| Script::of(c).filter(|s| *s != Script::Latin || c.is_alphabetic()))?;
        if script == Script::Bengali && text.chars().any(|c| c == '\u{09F0}' || c == '\u{09F1}') {
            return Some(Lang::Assamese);
        }
        Some(script.default_lang())
    }

    /// The language to use for `script`, given an optional hint: the hint wins
    /// only if it is written in that script.
    #[must_use]
    pub fn resolve(script: Script, hint: Option<Lang>) -> Lang {
        match hint {
            Some(h) if h.script() == script => h,
            _ => script.default_lang(),
        }
    }
}
