//! The first matcher: exact, unambiguous agreement only.

use std::collections::HashMap;
use std::hash::Hash;

use rollrec_model::{Elector, EpicForm, Gender, Roll, fold_text as fold};

use crate::{MatchPair, MatchResult, Matcher};

/// Pairs entries only on exact, unambiguous evidence, in three passes over
/// the entries still unmatched:
///
/// 1. **`epic`** (score 0.95): the same well-formed EPIC (current or old
///    slash form) held by exactly one entry in each roll, with genders that
///    do not contradict each other.
/// 2. **`name_in_part`** (score 0.90): the same folded name, relative name
///    and gender, unique on both sides within one assembly part (the SEC
///    entry's back-reference to AC and part).
/// 3. **`name_unique`** (score 0.80): the same folded name, relative name
///    and gender, unique across both whole rolls.
///
/// Names are folded by NFC normalisation, lower-casing and collapsing white
/// space and dots. Each name pass is tried for the native columns, the
/// English twins, and across them (an SEC roll printed in English against an
/// EC roll's `name_en`). The scores are fixed per rule, ranked by how
/// strong the rule's evidence is; they are not calibrated probabilities.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExactMatcher;

/// Which name columns a key is built from.
#[derive(Clone, Copy)]
enum Script {
    Native,
    English,
}

/// The (name, relative name, gender) key of an entry in the given columns;
/// `None` when the name is absent there.
fn name_key(e: &Elector, script: Script) -> Option<(String, String, Option<Gender>)> {
    let (name, relative) = match script {
        Script::Native => (Some(e.name.as_ref()), e.relative_name.as_deref()),
        Script::English => (e.name_en.as_deref(), e.relative_name_en.as_deref()),
    };
    let name = fold(name?);
    if name.is_empty() {
        return None;
    }
    Some((name, relative.map(fold).unwrap_or_default(), e.gender))
}

/// The state the passes share: who is taken, and the pairs so far.
struct Passes<'a> {
    ec: &'a Roll,
    sec: &'a Roll,
    ec_used: Vec<bool>,
    sec_used: Vec<bool>,
    pairs: Vec<MatchPair>,
}

impl<'a> Passes<'a> {
    fn new(ec: &'a Roll, sec: &'a Roll) -> Self {
        Passes {
            ec,
            sec,
            ec_used: vec![false; ec.len()],
            sec_used: vec![false; sec.len()],
            pairs: Vec::new(),
        }
    }

    /// The (EC, SEC) index pairs whose key occurs exactly once among the
    /// untaken entries of each roll, sorted. `key_of` returns `None` for
    /// entries that take no part.
    fn unique_keys<K: Hash + Eq>(
        &self,
        ec_key: impl Fn(&Elector) -> Option<K>,
        sec_key: impl Fn(&Elector) -> Option<K>,
    ) -> Vec<(usize, usize)> {
        fn index<K: Hash + Eq>(
            roll: &Roll,
            used: &[bool],
            key: impl Fn(&Elector) -> Option<K>,
        ) -> HashMap<K, Vec<usize>> {
            let mut map: HashMap<K, Vec<usize>> = HashMap::new();
            for (i, e) in roll.electors.iter().enumerate() {
                if !used[i]
                    && let Some(k) = key(e)
                {
                    map.entry(k).or_default().push(i);
                }
            }
            map
        }
        let ec_index = index(self.ec, &self.ec_used, ec_key);
        let sec_index = index(self.sec, &self.sec_used, sec_key);
        let mut found: Vec<(usize, usize)> = sec_index
            .iter()
            .filter_map(
                |(k, js)| match (ec_index.get(k).map(Vec::as_slice), js.as_slice()) {
                    (Some([i]), [j]) => Some((*i, *j)),
                    _ => None,
                },
            )
            .collect();
        // Hash-map order is not deterministic; the output must be.
        found.sort_unstable();
        found
    }

    fn take(&mut self, found: Vec<(usize, usize)>, score: f64, method: &'static str) {
        for (i, j) in found {
            self.ec_used[i] = true;
            self.sec_used[j] = true;
            self.pairs.push(MatchPair {
                ec: i,
                sec: j,
                score,
                method,
                weights: Default::default(),
            });
        }
    }
}

fn genders_agree(a: &Elector, b: &Elector) -> bool {
    match (a.gender, b.gender) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

impl Matcher for ExactMatcher {
    fn name(&self) -> &'static str {
        "exact-v1"
    }

    fn match_rolls(&self, ec: &Roll, sec: &Roll) -> MatchResult {
        let mut passes = Passes::new(ec, sec);

        // Pass 1: EPIC. Uniqueness is judged over the whole roll (nothing is
        // taken yet), so an EPIC printed on two entries pairs neither.
        let well_formed = |e: &Elector| {
            e.epic
                .as_ref()
                .filter(|x| x.form() != EpicForm::Malformed)
                .map(|x| x.as_str().to_string())
        };
        let by_epic: Vec<(usize, usize)> = passes
            .unique_keys(well_formed, well_formed)
            .into_iter()
            .filter(|&(i, j)| genders_agree(&ec.electors[i], &sec.electors[j]))
            .collect();
        passes.take(by_epic, 0.95, "epic");

        let combos = [
            (Script::Native, Script::Native),
            (Script::English, Script::English),
            (Script::English, Script::Native),
            (Script::Native, Script::English),
        ];
        // Pass 2: within one assembly part.
        for (ec_script, sec_script) in combos {
            let found = passes.unique_keys(
                |e| Some((e.location.assembly_part()?, name_key(e, ec_script)?)),
                |e| Some((e.location.assembly_part()?, name_key(e, sec_script)?)),
            );
            passes.take(found, 0.90, "name_in_part");
        }
        // Pass 3: unique in both whole rolls.
        for (ec_script, sec_script) in combos {
            let found = passes.unique_keys(|e| name_key(e, ec_script), |e| name_key(e, sec_script));
            passes.take(found, 0.80, "name_unique");
        }
        MatchResult::from_pairs(passes.pairs, ec.len(), sec.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollrec_model::{AssemblyLocation, Epic, LocalBodyLocation, Location, RollKind};

    fn ec_entry(part: u32, serial: u32, name: &str, rel: &str) -> Elector {
        Elector {
            state_code: None,
            location: Location::Assembly(AssemblyLocation {
                ac_no: 1,
                part_no: part,
                section_no: None,
            }),
            serial_no: serial,
            epic: None,
            name: name.into(),
            relation_type: None,
            relative_name: Some(rel.into()),
            house_no: None,
            age: None,
            gender: Some(Gender::Female),
            name_en: None,
            relative_name_en: None,
            line: 0,
        }
    }

    fn sec_entry(part: Option<u32>, serial: u32, name: &str, rel: &str) -> Elector {
        Elector {
            location: Location::LocalBody(LocalBodyLocation {
                local_body: "GP".into(),
                ward_no: 1,
                ac_no: part.map(|_| 1),
                part_no: part,
            }),
            ..ec_entry(1, serial, name, rel)
        }
    }

    fn rolls(ec: Vec<Elector>, sec: Vec<Elector>) -> (Roll, Roll) {
        (
            Roll {
                kind: RollKind::Assembly,
                electors: ec,
            },
            Roll {
                kind: RollKind::LocalBody,
                electors: sec,
            },
        )
    }

    #[test]
    fn namesakes_in_one_part_stay_unmatched_but_part_scope_separates_others() {
        // Two Asha Das d/o Ram in part 1: ambiguous, never paired. One in
        // part 2 and one in part 3: paired within their parts even though
        // the name is not unique across the roll.
        let (ec, sec) = rolls(
            vec![
                ec_entry(1, 1, "Asha Das", "Ram"),
                ec_entry(1, 2, "Asha Das", "Ram"),
                ec_entry(2, 1, "Gita Das", "Ram"),
                ec_entry(3, 1, "Gita Das", "Ram"),
            ],
            vec![
                sec_entry(Some(1), 1, "asha das", "ram"),
                sec_entry(Some(3), 2, "Gita  Das", "Ram"),
                sec_entry(Some(2), 3, "Gita Das", "Ram"),
            ],
        );
        let r = ExactMatcher.match_rolls(&ec, &sec);
        r.check(ec.len(), sec.len()).expect("conservation");
        let got: Vec<(usize, usize, &str)> =
            r.pairs.iter().map(|p| (p.ec, p.sec, p.method)).collect();
        assert_eq!(got, [(2, 2, "name_in_part"), (3, 1, "name_in_part")]);
        assert_eq!(r.unmatched_ec, [0, 1]);
        assert_eq!(r.unmatched_sec, [0]);
    }

    #[test]
    fn shared_epic_pairs_nobody_and_gender_conflict_blocks() {
        let mut a = ec_entry(1, 1, "A", "X");
        let mut b = ec_entry(1, 2, "B", "Y");
        let mut s = sec_entry(None, 1, "Q", "Z");
        for e in [&mut a, &mut b, &mut s] {
            e.epic = Epic::parse("ABC1234567");
        }
        let mut c = ec_entry(2, 1, "C", "W");
        c.epic = Epic::parse("XYZ7654321");
        let mut t = sec_entry(None, 2, "C2", "W2");
        t.epic = Epic::parse("xyz 7654321");
        t.gender = Some(Gender::Male);
        let (ec, sec) = rolls(vec![a, b, c], vec![s, t]);
        let r = ExactMatcher.match_rolls(&ec, &sec);
        assert!(r.pairs.is_empty(), "{:?}", r.pairs);
        r.check(3, 2).expect("conservation");
    }

    #[test]
    fn english_twin_meets_english_sec_roll() {
        let mut e = ec_entry(1, 1, "মমতা দাস", "সুব্রত দাস");
        e.name_en = Some("Mamata Das".into());
        e.relative_name_en = Some("Subrata Das".into());
        let (ec, sec) = rolls(
            vec![e],
            vec![sec_entry(None, 1, "MAMATA DAS", "Subrata  Das")],
        );
        let r = ExactMatcher.match_rolls(&ec, &sec);
        assert_eq!(r.pairs.len(), 1);
        assert_eq!(r.pairs[0].method, "name_unique");
    }
}
