//! Checks of one roll on its own: entries that contradict themselves.

use rollrec_model::{Elector, EpicForm, Gender, Location, RelationType, Roll, RollKind, fold_text};

use rayon::prelude::*;

use rollrec_model::hash::hash_one;

use crate::{DiscrepancyKind, FastMap, Finding, fast_map};

/// The voting age.
pub const MIN_AGE: u8 = 18;
/// Ages above this are implausible.
pub const MAX_PLAUSIBLE_AGE: u8 = 120;
/// A parent must be at least this many years older than their child.
pub const MIN_PARENT_GAP: u8 = 15;
/// Above this age an elector's own age is the likelier error, so a
/// namesake much younger is not taken for a later generation (the parent
/// check then still reports the gap).
const MAX_USUAL_AGE: u8 = 100;

/// Whether a namesake of `namesake_age` in the house of an elector of
/// `elector_age` is of a later generation (at least [`MIN_PARENT_GAP`]
/// years younger), with both ages believable: an adult namesake, an
/// elector of at most [`MAX_USUAL_AGE`].
fn later_generation(elector_age: u8, namesake_age: u8) -> bool {
    namesake_age >= MIN_AGE
        && elector_age <= MAX_USUAL_AGE
        && namesake_age.saturating_add(MIN_PARENT_GAP) <= elector_age
}

fn finding(roll: &Roll, i: usize, fields: Vec<&'static str>, detail: String) -> Finding {
    let (ec, sec) = match roll.kind {
        RollKind::Assembly => (Some(i), None),
        RollKind::LocalBody => (None, Some(i)),
    };
    Finding {
        kind: DiscrepancyKind::LogicalError,
        ec,
        sec,
        group_id: None,
        fields,
        detail,
        score: None,
    }
}

/// A household: local body (blank for EC), AC (0 for SEC), part or ward,
/// folded house number.
type Household<'r> = (&'r str, u32, u32, &'r str);

/// The entries of a roll by household and folded name: (hash of household
/// and name, entry index) sorted, so the entries of one household and name
/// are one run found by binary search. Hash collisions are told apart by
/// comparing the household and name themselves. A sorted list of 12-byte
/// items instead of a map of maps: at district size a map per household
/// and a list per name took about a gigabyte for the two rolls.
struct HouseIndex(Vec<(u64, u32)>);

impl HouseIndex {
    fn of(roll: &Roll, folded: &FoldedRoll) -> HouseIndex {
        let mut v: Vec<(u64, u32)> = roll
            .electors
            .par_iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let h = household(e, folded.house(i))?;
                let name = folded.name(i)?;
                Some((hash_one((h, name)), u32::try_from(i).ok()?))
            })
            .collect();
        v.par_sort_unstable();
        HouseIndex(v)
    }

    /// Entries whose household and folded name hash like `(h, name)`, in
    /// roll order (the caller compares the household and name).
    fn get(&self, h: Household<'_>, name: &str) -> impl Iterator<Item = usize> + '_ {
        let key = hash_one((h, name));
        let start = self.0.partition_point(|&(k, _)| k < key);
        self.0[start..]
            .iter()
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, i)| i as usize)
    }
}

/// No text (a blank field) in [`FoldedRoll::entries`].
const NO_TEXT: u32 = u32::MAX;

/// The texts of a roll that the checks compare, folded once per distinct
/// text (names, house numbers and relative names repeat a lot).
struct FoldedRoll {
    /// Folded forms of the distinct texts.
    text: Vec<String>,
    /// Per entry: its name, house number and relative name, as indices
    /// into `text` ([`NO_TEXT`] when blank).
    entries: Vec<[u32; 3]>,
}

impl FoldedRoll {
    fn of<'r>(roll: &'r Roll) -> FoldedRoll {
        let mut ids: FastMap<&'r str, u32> = fast_map();
        let mut distinct: Vec<&'r str> = Vec::new();
        let mut id = |t: Option<&'r str>| -> u32 {
            let Some(t) = t else { return NO_TEXT };
            *ids.entry(t).or_insert_with(|| {
                distinct.push(t);
                // Fewer distinct texts than 3 x entries, and a roll's
                // entries are counted in u32 elsewhere too.
                u32::try_from(distinct.len() - 1).unwrap_or(NO_TEXT)
            })
        };
        let entries = roll
            .electors
            .iter()
            .map(|e| {
                [
                    id(Some(&e.name)),
                    id(e.house_no.as_deref()),
                    id(e.relative_name.as_deref()),
                ]
            })
            .collect();
        let text = distinct.par_iter().map(|t| fold_text(t)).collect();
        FoldedRoll { text, entries }
    }

    fn get(&self, entry: usize, field: usize) -> Option<&str> {
        let id = *self.entries.get(entry)?.get(field)?;
        if id == NO_TEXT {
            return None;
        }
        self.text.get(id as usize).map(String::as_str)
    }

    /// The folded name of entry `i`.
    fn name(&self, i: usize) -> Option<&str> {
        self.get(i, 0)
    }

    /// The folded house number of entry `i`, if not blank.
    fn house(&self, i: usize) -> Option<&str> {
        self.get(i, 1).filter(|h| !h.is_empty())
    }

    /// The folded relative name of entry `i`.
    fn relative(&self, i: usize) -> Option<&str> {
        self.get(i, 2)
    }
}

/// Where an entry's household is: its part (EC) or ward (SEC) and its
/// house number, folded. `None` without a house number.
fn household<'r>(e: &'r Elector, house: Option<&'r str>) -> Option<Household<'r>> {
    let house = house?;
    Some(match &e.location {
        Location::Assembly(a) => ("", a.ac_no, a.part_no, house),
        Location::LocalBody(l) => (l.local_body.as_ref(), 0, l.ward_no, house),
    })
}

/// Finds the logical errors of one roll, in roll order:
///
/// * age under [`MIN_AGE`] or over [`MAX_PLAUSIBLE_AGE`];
/// * a male elector whose relation is Husband, or a female elector whose
///   relation is Wife;
/// * a blank EPIC, or one that is neither the current nor the old slash
///   form;
/// * a parent found in the same house (same part or ward, same house
///   number, name equal to the relative name after folding, the parent's
///   gender fitting Father or Mother, not naming the elector as their own
///   parent, not an adult [`MIN_PARENT_GAP`] or more years younger than
///   an elector of at most 100, exactly one such entry) who is less than
///   [`MIN_PARENT_GAP`] years older than the elector.
///
/// Each problem is its own finding, so an entry can have several. Entries
/// are checked in parallel; the result does not depend on the thread count.
pub fn logical_errors(roll: &Roll) -> Vec<Finding> {
    let folded = FoldedRoll::of(roll);
    // Household members by folded name, for the parent-age check.
    let by_house_name = HouseIndex::of(roll, &folded);
    let ctx = Ctx {
        roll,
        folded: &folded,
        index: &by_house_name,
    };
    roll.electors
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, e)| ctx.check(i, e))
        .collect()
}

/// What the per-entry checks of one roll look at.
struct Ctx<'r> {
    roll: &'r Roll,
    folded: &'r FoldedRoll,
    index: &'r HouseIndex,
}

impl Ctx<'_> {
    /// The logical errors of entry `i`, in rule order.
    fn check(&self, i: usize, e: &Elector) -> Vec<Finding> {
        let roll = self.roll;
        let mut out = Vec::new();
        if let Some(age) = e.age {
            if age < MIN_AGE {
                out.push(finding(
                    roll,
                    i,
                    vec!["age"],
                    format!("age {age} is under the voting age of {MIN_AGE}"),
                ));
            } else if age > MAX_PLAUSIBLE_AGE {
                out.push(finding(
                    roll,
                    i,
                    vec!["age"],
                    format!("age {age} is over {MAX_PLAUSIBLE_AGE}"),
                ));
            }
        }
        match (e.gender, e.relation_type) {
            (Some(Gender::Male), Some(RelationType::Husband)) => out.push(finding(
                roll,
                i,
                vec!["gender", "relation_type"],
                "a male elector whose relation is Husband".to_string(),
            )),
            (Some(Gender::Female), Some(RelationType::Wife)) => out.push(finding(
                roll,
                i,
                vec!["gender", "relation_type"],
                "a female elector whose relation is Wife".to_string(),
            )),
            _ => {}
        }
        match &e.epic {
            None => out.push(finding(
                roll,
                i,
                vec!["epic_no"],
                "EPIC number is blank".to_string(),
            )),
            Some(epic) if epic.form() == EpicForm::Malformed => out.push(finding(
                roll,
                i,
                vec!["epic_no"],
                format!(
                    "EPIC number {epic} is malformed (expected 3 letters and 7 digits, or the old slash form)"
                ),
            )),
            Some(_) => {}
        }
        if let Some(f) = self.parent_gap(i, e) {
            out.push(f);
        }
        out
    }

    fn parent_gap(&self, i: usize, e: &Elector) -> Option<Finding> {
        let (parent_gender, word) = match e.relation_type? {
            RelationType::Father => (Gender::Male, "father"),
            RelationType::Mother => (Gender::Female, "mother"),
            _ => return None,
        };
        let age = e.age?;
        let own_name = self.folded.name(i)?;
        let home = household(e, self.folded.house(i))?;
        let parent_name = self.folded.relative(i)?;
        // A namesake who names the elector as their own father or mother is
        // the elector's child, not their parent (sons named after
        // grandfathers); nor is an adult namesake at least MIN_PARENT_GAP
        // years younger than the elector, who is of a later generation (a
        // grandson named after the elector's late father, whose own father
        // is the elector's son). A namesake whose age is itself under the
        // voting age, or an elector over MAX_USUAL_AGE, is an entry with a
        // wrong age, not evidence of a generation: the namesake still
        // counts.
        let parents: Vec<usize> = self
            .index
            .get(home, parent_name)
            .filter(|&j| {
                let c = &self.roll.electors[j];
                self.folded.name(j) == Some(parent_name)
                    && household(c, self.folded.house(j)) == Some(home)
                    && j != i
                    && c.gender.is_none_or(|g| g == parent_gender)
                    && !c.age.is_some_and(|a| later_generation(age, a))
                    && !(matches!(
                        c.relation_type,
                        Some(RelationType::Father | RelationType::Mother)
                    ) && self.folded.relative(j) == Some(own_name))
            })
            .collect();
        let [j] = parents.as_slice() else {
            return None;
        };
        let parent = &self.roll.electors[*j];
        let parent_age = parent.age?;
        if parent_age >= age.saturating_add(MIN_PARENT_GAP) {
            return None;
        }
        let gap = match parent_age.cmp(&age) {
            std::cmp::Ordering::Greater => format!("is {} years older than", parent_age - age),
            std::cmp::Ordering::Equal => "is as old as".to_string(),
            std::cmp::Ordering::Less => format!("is {} years younger than", age - parent_age),
        };
        Some(finding(
            self.roll,
            i,
            vec!["age", "relative_name"],
            format!(
                "{word} {} ({}, age {parent_age}) {gap} the elector (age {age}); expected at least {MIN_PARENT_GAP} years older",
                parent.name,
                parent.key()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollrec_model::{AssemblyLocation, Epic};

    fn entry(serial: u32, name: &str, gender: Gender, age: u8) -> Elector {
        Elector {
            state_code: None,
            location: Location::Assembly(AssemblyLocation {
                ac_no: 1,
                part_no: 1,
                section_no: None,
            }),
            serial_no: serial,
            epic: Epic::parse("ABC1234567"),
            name: name.into(),
            relation_type: None,
            relative_name: None,
            house_no: Some("16-A".into()),
            age: Some(age),
            gender: Some(gender),
            name_en: None,
            relative_name_en: None,
            line: 0,
        }
    }

    fn details(roll: &Roll) -> Vec<(usize, String)> {
        logical_errors(roll)
            .into_iter()
            .map(|f| (f.ec.expect("an EC roll"), f.detail))
            .collect()
    }

    #[test]
    fn clean_household_has_no_findings() {
        let mut son = entry(2, "Amit Das", Gender::Male, 30);
        son.relation_type = Some(RelationType::Father);
        son.relative_name = Some("Ram  Das".into());
        let roll = Roll {
            kind: RollKind::Assembly,
            electors: vec![entry(1, "Ram Das", Gender::Male, 55), son],
        };
        assert_eq!(details(&roll), []);
    }

    #[test]
    fn each_rule_fires() {
        let mut young = entry(1, "A", Gender::Female, 17);
        young.epic = None;
        let old = entry(2, "B", Gender::Male, 121);
        let mut husband = entry(3, "C", Gender::Male, 40);
        husband.relation_type = Some(RelationType::Husband);
        husband.epic = Epic::parse("AB12");
        let mut child = entry(4, "D", Gender::Male, 30);
        child.relation_type = Some(RelationType::Father);
        child.relative_name = Some("Ravi Pal".into());
        let father = entry(5, "ravi pal", Gender::Male, 40);
        let roll = Roll {
            kind: RollKind::Assembly,
            electors: vec![young, old, husband, child, father],
        };
        let got = details(&roll);
        let want = [
            (0, "age 17 is under"),
            (0, "EPIC number is blank"),
            (1, "age 121 is over 120"),
            (2, "male elector whose relation is Husband"),
            (2, "EPIC number AB12 is malformed"),
            (
                3,
                "father ravi pal (AC 1 part 1 serial 5, age 40) is 10 years older",
            ),
        ];
        assert_eq!(got.len(), want.len(), "{got:#?}");
        for ((i, d), (wi, wd)) in got.iter().zip(want) {
            assert_eq!(*i, wi);
            assert!(d.contains(wd), "{d:?} lacks {wd:?}");
        }
    }

    #[test]
    fn parent_check_needs_one_fitting_parent_in_the_same_house() {
        let mut child = entry(1, "D", Gender::Male, 30);
        child.relation_type = Some(RelationType::Father);
        child.relative_name = Some("Ravi Pal".into());
        // Two namesakes in the house: no finding. A mother of that name
        // does not count as the father.
        let a = entry(2, "Ravi Pal", Gender::Male, 40);
        let b = entry(3, "Ravi Pal", Gender::Male, 41);
        let c = entry(4, "Ravi Pal", Gender::Female, 20);
        let roll = Roll {
            kind: RollKind::Assembly,
            electors: vec![child.clone(), a.clone(), b],
        };
        assert_eq!(details(&roll), []);
        let roll = Roll {
            kind: RollKind::Assembly,
            electors: vec![child.clone(), c],
        };
        assert_eq!(details(&roll), []);
        // A namesake son (whose father is the elector) is not the parent.
        let mut father = entry(5, "Ravi Pal", Gender::Male, 60);
        father.relation_type = Some(RelationType::Father);
        father.relative_name = Some("Ravi Pal".into());
        let mut son = entry(6, "Ravi Pal", Gender::Male, 25);
        son.relation_type = Some(RelationType::Father);
        son.relative_name = Some("Ravi Pal".into());
        let roll = Roll {
            kind: RollKind::Assembly,
            electors: vec![father, son],
        };
        assert_eq!(details(&roll), []);
        // The child at `elector_age` with one namesake of the father, of
        // `father_age`, in the house: the findings.
        let with_father = |elector_age: u8, father_age: u8| {
            let mut elector = child.clone();
            elector.age = Some(elector_age);
            details(&Roll {
                kind: RollKind::Assembly,
                electors: vec![elector, entry(7, "Ravi Pal", Gender::Male, father_age)],
            })
        };
        // A namesake grandson (at least MIN_PARENT_GAP years younger) is
        // not the parent; a "parent" younger by less is reported, in words.
        assert_eq!(with_father(60, 60 - MIN_PARENT_GAP), []);
        let got = with_father(30, 26);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .1
                .contains("age 26) is 4 years younger than the elector (age 30)"),
            "{got:?}"
        );
        assert!(
            with_father(30, 30)[0]
                .1
                .contains("is as old as the elector")
        );
        // A namesake under the voting age is a wrong age, not a generation:
        // still the parent (an elector of 40 and a father entered as 16).
        let got = with_father(40, 16);
        assert!(
            got.iter()
                .any(|(_, d)| d.contains("is 24 years younger than the elector (age 40)")),
            "{got:?}"
        );
        // Nor is an elector's age over MAX_USUAL_AGE: a father of 44 for a
        // daughter entered as 118 is reported.
        let got = with_father(118, 44);
        assert!(
            got.iter()
                .any(|(_, d)| d.contains("is 74 years younger than the elector (age 118)")),
            "{got:?}"
        );
        // In another house: no finding.
        let mut far = a;
        far.house_no = Some("17".into());
        let roll = Roll {
            kind: RollKind::Assembly,
            electors: vec![child, far],
        };
        assert_eq!(details(&roll), []);
    }
}
