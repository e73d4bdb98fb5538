//! Configuration of a synthetic run: scenario, sizes, dates and injection
//! rates.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::SynthError;
use crate::date::Date;
use crate::names::Language;

/// How the SEC roll relates to the EC roll (see the domain brief, "Who keeps
/// which roll").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// The SEC roll is the EC roll cut by ward, in the same script, with the
    /// same qualifying date; SEC rows carry the back-reference to the EC part.
    /// Typical drift: names left out and wrong-ward allocation.
    #[default]
    Derived,
    /// Like `derived`, but one roll prints names in the native script and the
    /// other in English (alternating by AC: odd ACs have a native EC roll and
    /// an English SEC roll, even ACs the reverse). The native roll carries
    /// English twins (`name_en`, `relative_name_en`) in a share of its parts.
    DerivedBilingual,
    /// The SEC keeps its own roll: own serial order, own qualifying date (by
    /// default six months after the EC's), spelling divergence, its own EPIC
    /// blanks and damage, no back-reference, and more drift (extra entries,
    /// duplicates, edits, marriages).
    Independent,
}

impl Scenario {
    /// Every scenario.
    pub const ALL: [Scenario; 3] = [
        Scenario::Derived,
        Scenario::DerivedBilingual,
        Scenario::Independent,
    ];

    /// The name used on the command line and in `synth.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Derived => "derived",
            Scenario::DerivedBilingual => "derived-bilingual",
            Scenario::Independent => "independent",
        }
    }

    /// Whether the SEC roll is cut from the EC roll (EC-side errors carry
    /// over into it).
    pub fn is_derived(self) -> bool {
        !matches!(self, Scenario::Independent)
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scenario {
    type Err = SynthError;
    fn from_str(s: &str) -> Result<Scenario, SynthError> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "derived" => Ok(Scenario::Derived),
            "derived-bilingual" | "bilingual" => Ok(Scenario::DerivedBilingual),
            "independent" => Ok(Scenario::Independent),
            _ => Err(SynthError::Config(format!(
                "unknown scenario {s:?} (expected derived, derived-bilingual or independent)"
            ))),
        }
    }
}

/// Injection rates. Every rate is a probability in `[0, 1]`; unless said
/// otherwise it is per EC elector (person on the EC roll).
///
/// The structural events `missing_in_sec`, `wrong_ward`, `duplicate_ec` and
/// `duplicate_sec` exclude each other (an elector gets at most one), so their
/// sum must not exceed 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// Elector left out of the SEC roll (`missing_in_sec`). Default 0.04.
    pub missing_in_sec: f64,
    /// An SEC entry with no EC counterpart (stale, dead, shifted, never
    /// eligible; `missing_in_ec`), per EC elector. Default 0.005 derived,
    /// 0.04 independent.
    pub extra_in_sec: f64,
    /// SEC entry allocated to the wrong ward (`wrong_ward`). Default 0.03
    /// derived, 0.02 independent.
    pub wrong_ward: f64,
    /// Elector entered twice in the EC roll (`duplicate_in_ec`; in the
    /// derived scenarios the copy is carried into the SEC roll too, giving a
    /// `duplicate_in_sec` group). Default 0.01.
    pub duplicate_ec: f64,
    /// Elector entered twice in the SEC roll (`duplicate_in_sec`). Default
    /// 0.005 derived, 0.015 independent.
    pub duplicate_sec: f64,
    /// Share of duplicates whose copy sits in another part (EC) or ward
    /// (SEC) rather than the same one. Default 0.5.
    pub cross_duplicate_share: f64,
    /// Per true pair: the SEC entry differs from the EC entry in a substantive
    /// attribute (`attribute_mismatch`): a name or relative-name typo, another
    /// relative, an age beyond the qualifying-date offset, the gender, or the
    /// house number. Default 0.01 derived, 0.02 independent.
    pub attribute_edit: f64,
    /// Per eligible woman (relation Father, aged 18-35, in both rolls): she
    /// married between the rolls and the SEC shows her husband (relation
    /// F -> H, an `attribute_mismatch` on `relation_type;relative_name`).
    /// Default 0.02 derived, 0.1 independent.
    pub marriage: f64,
    /// EPIC printed blank (a `logical_error`). Default 0.05.
    pub epic_blank: f64,
    /// Elector whose EPIC is in the old slash form (`PY/01/015/063676`; valid,
    /// not an error). Default 0.03.
    pub epic_old_format: f64,
    /// EPIC printed with an OCR swap (O/0, I/1, S/5, B/8, ...), so malformed
    /// (a `logical_error`). Default 0.02.
    pub epic_ocr: f64,
    /// Elector given the EPIC of another person of the same part
    /// (`epic_conflict`). Default 0.002.
    pub epic_shared: f64,
    /// Entry with an injected logical error (`logical_error`): age under 18 or
    /// over 120, a male elector with relation Husband, a parent-child age gap
    /// under 15. Default 0.002.
    pub logical_error: f64,
    /// Per SEC entry whose names are printed afresh (bilingual and
    /// independent scenarios): a spelling variant that is not a discrepancy
    /// (native variants such as anusvara vs nasal + virama, nukta precomposed
    /// or not, chillu encodings; joined tokens). Default 0 derived, 0.15
    /// otherwise.
    pub spelling_variant: f64,
    /// Per English name token: a romanisation variant instead of the common
    /// spelling (Laxmi/Lakshmi, Md/Mohammad). Default 0.25.
    pub romanisation: f64,
    /// Independent scenario: the SEC prints the house number in another
    /// format (`16-A`, `16/A`, `H.No. 16A`, Indic digits). Not a
    /// discrepancy. Default 0.3.
    pub house_format: f64,
}

impl Rates {
    /// The default rates of a scenario, following the rates seen in reality
    /// (domain brief): 3-5% missing or extra, 1-10% wrong ward, 0.2-5%
    /// duplicates, 0.5-2% attribute edits, 5-15% EPIC blank, old-format or
    /// OCR-damaged.
    pub fn for_scenario(scenario: Scenario) -> Rates {
        let derived = scenario.is_derived();
        Rates {
            missing_in_sec: 0.04,
            extra_in_sec: if derived { 0.005 } else { 0.04 },
            wrong_ward: if derived { 0.03 } else { 0.02 },
            duplicate_ec: 0.01,
            duplicate_sec: if derived { 0.005 } else { 0.015 },
            cross_duplicate_share: 0.5,
            attribute_edit: if derived { 0.01 } else { 0.02 },
            marriage: if derived { 0.02 } else { 0.1 },
            epic_blank: 0.05,
            epic_old_format: 0.03,
            epic_ocr: 0.02,
            epic_shared: 0.002,
            logical_error: 0.002,
            spelling_variant: if scenario == Scenario::Derived {
                0.0
            } else {
                0.15
            },
            romanisation: 0.25,
            house_format: 0.3,
        }
    }

    /// Every rate with its name, for validation and summaries.
    pub fn named(&self) -> [(&'static str, f64); 16] {
        [
            ("missing_in_sec", self.missing_in_sec),
            ("extra_in_sec", self.extra_in_sec),
            ("wrong_ward", self.wrong_ward),
            ("duplicate_ec", self.duplicate_ec),
            ("duplicate_sec", self.duplicate_sec),
            ("cross_duplicate_share", self.cross_duplicate_share),
            ("attribute_edit", self.attribute_edit),
            ("marriage", self.marriage),
            ("epic_blank", self.epic_blank),
            ("epic_old_format", self.epic_old_format),
            ("epic_ocr", self.epic_ocr),
            ("epic_shared", self.epic_shared),
            ("logical_error", self.logical_error),
            ("spelling_variant", self.spelling_variant),
            ("romanisation", self.romanisation),
            ("house_format", self.house_format),
        ]
    }

    /// Checks every rate is a probability and the exclusive ones fit.
    pub fn validate(&self) -> Result<(), SynthError> {
        for (name, v) in self.named() {
            if !(0.0..=1.0).contains(&v) {
                return Err(SynthError::Config(format!(
                    "rate {name} = {v} is not in [0, 1]"
                )));
            }
        }
        let structural =
            self.missing_in_sec + self.wrong_ward + self.duplicate_ec + self.duplicate_sec;
        if structural > 1.0 {
            return Err(SynthError::Config(format!(
                "missing_in_sec + wrong_ward + duplicate_ec + duplicate_sec = {structural} exceeds 1"
            )));
        }
        if self.epic_blank + self.epic_ocr > 1.0 {
            return Err(SynthError::Config(
                "epic_blank + epic_ocr exceeds 1".to_string(),
            ));
        }
        Ok(())
    }
}

impl Default for Rates {
    fn default() -> Rates {
        Rates::for_scenario(Scenario::default())
    }
}

/// Everything that shapes a synthetic run. Build with
/// [`SynthConfig::for_scenario`] (or `Default` for `derived`) and adjust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthConfig {
    /// Number of electors (people) on the EC roll, before duplicates. The EC
    /// file has this many rows plus the duplicate copies.
    pub electors: u64,
    /// Seed: the same seed and configuration give byte-identical files,
    /// whatever the number of threads.
    pub seed: u64,
    /// The scenario.
    pub scenario: Scenario,
    /// Injection rates.
    pub rates: Rates,
    /// Languages of the ACs, used in turn (AC 1 the first, AC 2 the second,
    /// ...). Default: all eleven.
    pub languages: Vec<Language>,
    /// Target electors per AC (each AC draws within +-20% of it). `None`:
    /// the electors divided by the number of languages, kept between 2,000
    /// and 250,000, so that small runs still show every script.
    pub ac_size: Option<u32>,
    /// Qualifying date of the EC roll. Default 2025-01-01.
    pub ec_date: Date,
    /// Qualifying date of the SEC roll. `None`: the EC date in the derived
    /// scenarios, six months later (2025-07-01 by default) when independent.
    pub sec_date: Option<Date>,
    /// Bilingual scenario: share of the native-script roll's parts that
    /// carry English twin columns. Default 0.5.
    pub twin_share: f64,
}

impl SynthConfig {
    /// The defaults of a scenario.
    pub fn for_scenario(scenario: Scenario) -> SynthConfig {
        SynthConfig {
            electors: 10_000,
            seed: 1,
            scenario,
            rates: Rates::for_scenario(scenario),
            languages: Language::ALL.to_vec(),
            ac_size: None,
            ec_date: Date::new(2025, 1, 1).expect("2025-01-01 is a valid date"),
            sec_date: None,
            twin_share: 0.5,
        }
    }

    /// The SEC qualifying date in force.
    pub fn effective_sec_date(&self) -> Date {
        self.sec_date.unwrap_or_else(|| {
            if self.scenario.is_derived() {
                self.ec_date
            } else {
                Date::from_days(self.ec_date.days() + 181)
            }
        })
    }

    /// Checks the configuration.
    pub fn validate(&self) -> Result<(), SynthError> {
        self.rates.validate()?;
        if self.languages.is_empty() {
            return Err(SynthError::Config("no language given".to_string()));
        }
        if let Some(s) = self.ac_size
            && !(1..=1_000_000).contains(&s)
        {
            return Err(SynthError::Config(format!(
                "ac_size {s} is not in 1..=1000000"
            )));
        }
        if !(0.0..=1.0).contains(&self.twin_share) {
            return Err(SynthError::Config(format!(
                "twin_share {} is not in [0, 1]",
                self.twin_share
            )));
        }
        let gap = (self.effective_sec_date().days() - self.ec_date.days()).abs();
        if gap > 366 * 20 {
            return Err(SynthError::Config(
                "the qualifying dates are more than 20 years apart".to_string(),
            ));
        }
        Ok(())
    }
}

impl Default for SynthConfig {
    fn default() -> SynthConfig {
        SynthConfig::for_scenario(Scenario::default())
    }
}
