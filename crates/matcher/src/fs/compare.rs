//! Field-by-field comparison of a candidate pair into levels.

use rollrec_model::{Gender, RelationType};
use rollrec_names::{TokenKind, similarity_at_least};

use super::prep::{NONE, Names, Prep};

/// The compared fields, in pattern order.
pub const FIELDS: [&str; 7] = [
    "name", "relative", "age", "gender", "relation", "house", "epic",
];
/// Number of fields.
pub const NFIELDS: usize = FIELDS.len();
/// Levels per field; level 0 is always full disagreement and the last
/// level full agreement.
pub const LEVELS: [usize; NFIELDS] = [
    NAME_STEPS.len() + 2,
    RELATIVE_STEPS.len() + 2,
    4,
    2,
    3,
    2,
    3,
];

/// Lowest similarity of each name level from level 1 up to the one below
/// exact agreement (the top level, one normalised class). Level 1 takes in
/// one word written in two scripts or two romanisations (Chauhan ~
/// चव्हाण 0.75, Rathore ~ રાઠોડ 0.73, Gyaneshwar ~ Dnyaneshwar 0.72),
/// which without it fell to level 0 and left families whose names are
/// printed in two scripts unmatched; it also takes in two given names of
/// one family (Ramesh ~ Rajesh), and its learnt weight, between those of
/// levels 0 and 2, lets the other fields tell them apart.
const NAME_STEPS: [f64; 3] = [0.65, 0.80, 0.92];
/// The same for the relative's name. No level below 0.80: a relative
/// that is another person (a woman's husband in place of her father, a
/// father who died) is a change the users look for, and a finer grade
/// would make full disagreement, where those pairs lie, weigh more
/// against a match.
const RELATIVE_STEPS: [f64; 2] = [0.80, 0.92];

/// Name level of an exact agreement (one normalised class): the top one.
pub const NAME_EXACT: u8 = NAME_STEPS.len() as u8 + 1;
/// Name level of a close agreement (similarity 0.92 or more).
pub const NAME_CLOSE: u8 = NAME_EXACT - 1;
/// Relative-name level of a close agreement (similarity 0.92 or more).
const RELATIVE_CLOSE: u8 = RELATIVE_STEPS.len() as u8;

/// Level for a missing value: the field says nothing about the pair.
pub const NULL: u8 = u8::MAX;

/// One pair's levels, field by field (or [`NULL`]).
pub type Pattern = [u8; NFIELDS];

/// Packs a pattern into a small integer (3 bits a field), for counting.
pub fn pack(p: &Pattern) -> u32 {
    p.iter()
        .fold(0u32, |acc, &l| (acc << 3) | u32::from(l.min(7)))
}

/// Unpacks [`pack`].
pub fn unpack(mut code: u32) -> Pattern {
    let mut p = [0u8; NFIELDS];
    for slot in p.iter_mut().rev() {
        let l = (code & 7) as u8;
        *slot = if l == 7 { NULL } else { l };
        code >>= 3;
    }
    p
}

/// Best similarity between any of two lists of names (form numbers:
/// printed name and English twin on either side), and whether some pair
/// is exactly equal after normalisation (one class). A similarity that is
/// certainly below `floor` ([`similarity_at_least`]) counts as 0: only the
/// level is used.
pub fn best_similarity(
    names: &Names,
    a: &[u32; 2],
    b: &[u32; 2],
    floor: f64,
) -> Option<(f64, bool)> {
    let mut best: Option<(f64, bool)> = None;
    for &x in a.iter().filter(|&&x| x != NONE) {
        for &y in b.iter().filter(|&&y| y != NONE) {
            if names.class[x as usize] == names.class[y as usize] {
                return Some((1.0, true));
            }
            let s = similarity_at_least(&names.forms[x as usize], &names.forms[y as usize], floor)
                .unwrap_or(0.0);
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, false));
            }
        }
    }
    best
}

/// Whether two entries of one roll spell a name alike: some pair of their
/// forms has as many name tokens (gender markers aside), each within one
/// edit of a token of the other, in any order (optimal string alignment: a
/// swap of two letters is one edit). A second registration is typed from
/// the same papers, whereas two namesakes whose names only sound alike
/// (కొండా and గుండా, Swati and Savita under the phonetic key) are
/// different people.
pub fn spelt_alike(names: &Names, a: &[u32; 2], b: &[u32; 2]) -> bool {
    let tokens = |f: u32| {
        names.forms[f as usize]
            .tokens
            .iter()
            .filter(|t| t.kind != TokenKind::GenderMarker)
            .map(|t| t.text.as_str())
            .collect::<Vec<&str>>()
    };
    a.iter().filter(|&&x| x != NONE).any(|&x| {
        b.iter().filter(|&&y| y != NONE).any(|&y| {
            if x == y {
                return true;
            }
            let (s, mut t) = (tokens(x), tokens(y));
            s.len() == t.len()
                && s.iter().all(|u| {
                    let hit = t.iter().position(|v| strsim::osa_distance(u, v) <= 1);
                    hit.map(|k| t.swap_remove(k)).is_some()
                })
        })
    })
}

/// The level of a name similarity on a field's `steps`: the number of
/// steps it reaches, or the top level for exact agreement.
fn name_level(sim: Option<(f64, bool)>, steps: &[f64]) -> u8 {
    match sim {
        None => NULL,
        Some((_, true)) => steps.len() as u8 + 1,
        Some((s, false)) => steps.iter().take_while(|&&t| s >= t).count() as u8,
    }
}

/// The level of the names of two entries (lists of form numbers).
fn names_level(names: &Names, a: &[u32; 2], b: &[u32; 2], steps: &[f64]) -> u8 {
    name_level(best_similarity(names, a, b, steps[0]), steps)
}

/// Whether two EPIC numbers differ in exactly one character.
pub fn one_substitution(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
}

/// Compares a pair of prepared entries (EC first, SEC second; ages already
/// on the same date).
pub fn compare(names: &Names, a: &Prep, b: &Prep) -> Pattern {
    let mut p = compare_facts(a, b);
    compare_names(names, a, b, &mut p);
    p
}

/// Fills in the name and relative-name levels of a pattern from
/// [`compare_facts`].
pub fn compare_names(names: &Names, a: &Prep, b: &Prep, p: &mut Pattern) {
    p[0] = names_level(names, &a.names, &b.names, &NAME_STEPS);
    p[1] = names_level(names, &a.relatives, &b.relatives, &RELATIVE_STEPS);
    // Father on one side and husband on the other (level 1): a woman who
    // married between the rolls, whose relative is now another person.
    // Differing relative names are then expected and say nothing.
    if p[4] == 1 && p[1] != NULL && p[1] < RELATIVE_CLOSE {
        p[1] = NULL;
    }
}

/// The pattern of the fields other than the names (cheap), with the name
/// levels left [`NULL`].
pub fn compare_facts(a: &Prep, b: &Prep) -> Pattern {
    let age = match (a.age, b.age) {
        (Some(x), Some(y)) => {
            let d = (x - y).abs();
            if d < 1.0 {
                3
            } else if d < 2.0 {
                2
            } else if d <= 3.0 {
                1
            } else {
                0
            }
        }
        _ => NULL,
    };
    let gender = match (a.gender, b.gender) {
        (Some(x), Some(y)) => u8::from(x == y),
        _ => NULL,
    };
    let relation = match (a.relation, b.relation) {
        (Some(x), Some(y)) if x == y => 2,
        // A woman's relative changes from father to husband on marriage.
        (
            Some(RelationType::Father | RelationType::Husband),
            Some(RelationType::Father | RelationType::Husband),
        ) if a.gender != Some(Gender::Male) && b.gender != Some(Gender::Male) => 1,
        (Some(_), Some(_)) => 0,
        _ => NULL,
    };
    let house = match (a.house, b.house) {
        (NONE, _) | (_, NONE) => NULL,
        (x, y) => u8::from(x == y),
    };
    let epic = match (&a.epic, &b.epic) {
        (Some((x, _)), Some((y, _))) if x == y => 2,
        (Some((x, _)), Some((y, _))) if one_substitution(x, y) => 1,
        (Some(_), Some(_)) => 0,
        _ => NULL,
    };
    [NULL, NULL, age, gender, relation, house, epic]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollrec_model::{AssemblyLocation, Elector, Location, Roll, RollKind};

    /// Two EC entries of Maharashtra named `a` and `b`, prepared.
    fn prepared(a: &str, b: &str) -> super::super::prep::Prepared {
        let entry = |serial: u32, name: &str| Elector {
            state_code: Some("S13".into()),
            location: Location::Assembly(AssemblyLocation {
                ac_no: 1,
                part_no: 1,
                section_no: None,
            }),
            serial_no: serial,
            epic: None,
            name: name.into(),
            relation_type: None,
            relative_name: None,
            house_no: None,
            age: None,
            gender: None,
            name_en: None,
            relative_name_en: None,
            line: 0,
        };
        let ec = Roll {
            kind: RollKind::Assembly,
            electors: vec![entry(1, a), entry(2, b)],
        };
        let sec = Roll {
            kind: RollKind::LocalBody,
            electors: Vec::new(),
        };
        super::super::prep::prepare(&ec, &sec, 0.0)
    }

    /// Whether EC entries named `a` and `b` are spelt alike.
    fn alike(a: &str, b: &str) -> bool {
        let p = prepared(a, b);
        spelt_alike(&p.names, &p.ec[0].names, &p.ec[1].names)
    }

    /// The name level of EC entries named `a` and `b`.
    fn level(a: &str, b: &str) -> u8 {
        let p = prepared(a, b);
        compare(&p.names, &p.ec[0], &p.ec[1])[0]
    }

    #[test]
    fn name_levels_grade_similarity() {
        assert_eq!(
            level("Chauhan Manisha Suresh", "Chauhan Manisha Suresh"),
            NAME_EXACT
        );
        assert_eq!(
            level("Chauhan Manisha Suresh", "Chauhan Maneesha Suresh"),
            NAME_EXACT
        );
        assert_eq!(
            level("Chauhan Manisha Suresh", "Chauhan Manisha Sruesh"),
            NAME_CLOSE
        );
        assert_eq!(
            level("Chauhan Manisha Suresh", "Chauhan Manisha Suresh Kumar"),
            2
        );
        // One word in two scripts: a level of its own above full
        // disagreement.
        assert_eq!(level("Chauhan Manisha Suresh", "चव्हाण मनीषा सुरेश"), 1);
        assert_eq!(
            level("Chavan Mahadev Gyaneshwar", "Chavan Mahadev Dnyaneshwar"),
            1
        );
        // So do two given names of one family: the other fields decide.
        assert_eq!(
            level("Chauhan Manisha Suresh", "Chauhan Manisha Surendra"),
            1
        );
        assert_eq!(level("Chauhan Manisha Suresh", "Jadhav Sunita Ganesh"), 0);
    }

    #[test]
    fn spelt_alike_allows_one_edit_a_token_in_any_order() {
        assert!(alike("जाधव सविता संजय", "जाधव सविता संजय"));
        assert!(alike("Ramesh Kumar", "Kumar Ramesh"));
        assert!(alike("Ramesh Kumar", "Rmaesh Kumar"));
        assert!(alike("Ramesh Kumar", "Ramesh Kumer"));
        assert!(alike("Sunita Devi", "Sunita"));
        // Sisters of one father whose names sound alike.
        assert!(!alike("जाधव स्वाती संजय", "जाधव सविता संजय"));
        assert!(!alike("Konda Ramu", "Gunda Ramu"));
        assert!(!alike("Ramesh Kumar", "Ramesh Kumar Singh"));
    }

    #[test]
    fn pack_round_trips() {
        let p: Pattern = [3, NULL, 0, 1, 2, NULL, 1];
        assert_eq!(unpack(pack(&p)), p);
    }

    #[test]
    fn one_substitution_only() {
        assert!(one_substitution("ABC1234567", "ABC1234561"));
        assert!(!one_substitution("ABC1234567", "ABC1234567"));
        assert!(!one_substitution("ABC1234567", "ABC1234511"));
        assert!(!one_substitution("ABC123456", "ABC1234567"));
    }
}
