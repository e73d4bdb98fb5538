//! Each entry turned once into the comparable form the engine works on.
//!
//! Names repeat: a roll of a million entries holds far fewer distinct
//! printed names, so each distinct (text, language hint) is normalised once
//! and entries refer to it by number. Equal normalised names (one joined
//! key) share a *class*, the unit of exact agreement and of term frequency;
//! blocking skeletons and house numbers are numbered too, so blocking and
//! comparison hash and compare integers, not strings.

use rayon::prelude::*;
use rollrec_model::{Elector, EpicForm, Gender, Location, RelationType, Roll, normalize_house};
use rollrec_names::{Lang, NormalizedName, normalize};

use rollrec_model::hash::{FastMap, fast_map};

/// "No value" in the numbered fields.
pub(crate) const NONE: u32 = u32::MAX;

/// The distinct names of both rolls.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// The normalised form of each distinct (text, hint).
    pub forms: Vec<NormalizedName>,
    /// The class of each form (its joined key, numbered), or [`NONE`] for a
    /// form with no name token.
    pub class: Vec<u32>,
    /// The blocking skeleton of each form, numbered, or [`NONE`] if empty.
    pub skeleton: Vec<u32>,
    /// Number of classes.
    pub classes: usize,
}

/// An entry in comparable form.
#[derive(Debug, Clone)]
pub(crate) struct Prep {
    /// The printed name and, on bilingual rolls, its English twin: form
    /// numbers into [`Names`], [`NONE`] when absent; one per class.
    pub names: [u32; 2],
    /// Relative names, likewise.
    pub relatives: [u32; 2],
    /// Age moved to the EC roll's qualifying date (SEC ages minus the date
    /// offset), in years.
    pub age: Option<f64>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Relation to the relative.
    pub relation: Option<RelationType>,
    /// House number, normalised (see [`normalize_house`]) and numbered.
    pub house: u32,
    /// EPIC, normalised, with whether it has a valid form.
    pub epic: Option<(Box<str>, bool)>,
    /// The assembly part (EC) or back-reference (SEC).
    pub part: Option<(u32, u32)>,
    /// The local body and ward (SEC), numbered; [`NONE`] on the EC roll.
    pub ward: u32,
    /// The assembly constituency: an EC entry's own, an SEC entry's
    /// back-reference.
    pub ac: Option<u32>,
    /// The local body (SEC), numbered; [`NONE`] on the EC roll.
    pub local_body: u32,
}

/// Numbers values in first-seen order.
pub(crate) struct Interner<K> {
    pub(crate) ids: FastMap<K, u32>,
}

impl<K: std::hash::Hash + Eq> Interner<K> {
    pub(crate) fn new() -> Self {
        Interner { ids: fast_map() }
    }

    pub(crate) fn id(&mut self, k: K) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(k).or_insert(next)
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Everything prepared for one run: the name table and both rolls'
/// entries in key order, with each entry's index in its roll.
pub(crate) struct Prepared {
    pub names: Names,
    pub ec: Vec<Prep>,
    pub ec_at: Vec<usize>,
    pub sec: Vec<Prep>,
    pub sec_at: Vec<usize>,
}

/// Entries of a roll in key order (so that nothing downstream depends on
/// the order of the input rows): the order of [`Elector::key`], found
/// without building the keys (an SEC key holds its local body as a
/// `String`, and sorting five million of them took a second at district
/// size). Each key becomes integers: its kind, then the AC, part and
/// serial, or the rank of the local body's name among the roll's local
/// bodies, the ward and serial.
pub(crate) fn key_order(roll: &Roll) -> Vec<usize> {
    let mut bodies: Vec<&str> = Vec::new();
    for e in &roll.electors {
        if let Location::LocalBody(l) = &e.location
            && bodies.last() != Some(&l.local_body.as_ref())
        {
            bodies.push(&l.local_body);
        }
    }
    bodies.sort_unstable();
    bodies.dedup();
    let rank = |body: &str| bodies.binary_search(&body).map_or(0, |r| r as u64);
    let mut keyed: Vec<((u64, u64), usize)> = roll
        .electors
        .par_iter()
        .enumerate()
        .map_init(
            || None::<(&str, u64)>,
            |last, (i, e)| {
                let key = match &e.location {
                    Location::Assembly(a) => (
                        u64::from(a.ac_no),
                        u64::from(a.part_no) << 32 | u64::from(e.serial_no),
                    ),
                    Location::LocalBody(l) => {
                        let body: &str = &l.local_body;
                        let r = match *last {
                            Some((b, r)) if std::ptr::eq(b, body) => r,
                            _ => rank(body),
                        };
                        *last = Some((body, r));
                        (
                            1 << 63 | r,
                            u64::from(l.ward_no) << 32 | u64::from(e.serial_no),
                        )
                    }
                };
                (key, i)
            },
        )
        .collect();
    keyed.par_sort_unstable();
    // A new list: collecting from `keyed.into_iter()` would reuse its
    // allocation, three times the size, for the whole run.
    keyed.par_iter().map(|&(_, i)| i).collect()
}

/// Prepares both rolls. `age_shift` is subtracted from SEC ages.
pub(crate) fn prepare<'r>(ec_roll: &'r Roll, sec_roll: &'r Roll, age_shift: f64) -> Prepared {
    let ec_at = key_order(ec_roll);
    let sec_at = key_order(sec_roll);
    let entries = || {
        ec_at
            .iter()
            .map(|&i| &ec_roll.electors[i])
            .chain(sec_at.iter().map(|&i| &sec_roll.electors[i]))
    };

    // Distinct texts, numbered in key order of the entries (deterministic).
    let mut texts: Interner<(&'r str, Option<Lang>)> = Interner::new();
    let mut houses: Interner<String> = Interner::new();
    let mut wards: Interner<(&str, u32)> = Interner::new();
    let mut bodies: Interner<&str> = Interner::new();
    let mut refs: Vec<[u32; 4]> = Vec::with_capacity(ec_at.len() + sec_at.len());
    let mut other: Vec<(u32, u32, u32)> = Vec::with_capacity(ec_at.len() + sec_at.len());
    for e in entries() {
        let hint = e.state_code.as_deref().and_then(Lang::from_state_code);
        let mut id = |t: Option<&'r str>| match t {
            Some(t) if !t.trim().is_empty() => texts.id((t, hint)),
            _ => NONE,
        };
        refs.push([
            id(Some(e.name.as_ref())),
            id(e.name_en.as_deref()),
            id(e.relative_name.as_deref()),
            id(e.relative_name_en.as_deref()),
        ]);
        let house = e
            .house_no
            .as_deref()
            .and_then(normalize_house)
            .map_or(NONE, |h| houses.id(h));
        let (ward, body) = match &e.location {
            Location::LocalBody(l) => (
                wards.id((l.local_body.as_ref(), l.ward_no)),
                bodies.id(l.local_body.as_ref()),
            ),
            Location::Assembly(_) => (NONE, NONE),
        };
        other.push((house, ward, body));
    }

    // Normalise each distinct text once, in parallel.
    let mut distinct: Vec<((&str, Option<Lang>), u32)> = texts.ids.into_iter().collect();
    distinct.sort_unstable_by_key(|&(_, id)| id);
    let forms: Vec<NormalizedName> = distinct
        .par_iter()
        .map(|&((t, hint), _)| normalize(t, hint))
        .collect();
    let mut classes: Interner<&str> = Interner::new();
    let mut skeletons: Interner<String> = Interner::new();
    let mut class = Vec::with_capacity(forms.len());
    let mut skeleton = Vec::with_capacity(forms.len());
    for f in &forms {
        if f.is_empty() {
            class.push(NONE);
            skeleton.push(NONE);
            continue;
        }
        class.push(classes.id(f.joined_key()));
        let s = f.skeleton();
        skeleton.push(if s.is_empty() { NONE } else { skeletons.id(s) });
    }
    let n_classes = classes.len();
    drop(classes);
    let names = Names {
        forms,
        class,
        skeleton,
        classes: n_classes,
    };

    // One form per class, printed name first.
    let pick = |a: u32, b: u32| -> [u32; 2] {
        let ok = |f: u32| f != NONE && names.class[f as usize] != NONE;
        match (ok(a), ok(b)) {
            (true, true) if names.class[a as usize] == names.class[b as usize] => [a, NONE],
            (true, true) => [a, b],
            (true, false) => [a, NONE],
            (false, true) => [b, NONE],
            (false, false) => [NONE, NONE],
        }
    };
    let build =
        |e: &Elector, r: &[u32; 4], (house, ward, local_body): (u32, u32, u32), shift: f64| Prep {
            names: pick(r[0], r[1]),
            relatives: pick(r[2], r[3]),
            age: e.age.map(|a| f64::from(a) - shift),
            gender: e.gender,
            relation: e.relation_type,
            house,
            epic: e
                .epic
                .as_ref()
                .map(|x| (x.as_str().into(), x.form() != EpicForm::Malformed)),
            part: e.location.assembly_part(),
            ward,
            ac: match &e.location {
                Location::Assembly(a) => Some(a.ac_no),
                Location::LocalBody(l) => l.ac_no,
            },
            local_body,
        };
    let n_ec = ec_at.len();
    let ec: Vec<Prep> = ec_at
        .par_iter()
        .enumerate()
        .map(|(k, &i)| build(&ec_roll.electors[i], &refs[k], other[k], 0.0))
        .collect();
    let sec: Vec<Prep> = sec_at
        .par_iter()
        .enumerate()
        .map(|(k, &i)| {
            build(
                &sec_roll.electors[i],
                &refs[n_ec + k],
                other[n_ec + k],
                age_shift,
            )
        })
        .collect();
    Prepared {
        names,
        ec,
        ec_at,
        sec,
        sec_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollrec_model::{AssemblyLocation, LocalBodyLocation, RollKind};
    use std::sync::Arc;

    fn entry(location: Location, serial_no: u32) -> Elector {
        Elector {
            state_code: None,
            location,
            serial_no,
            epic: None,
            name: "A".into(),
            relation_type: None,
            relative_name: None,
            house_no: None,
            age: None,
            gender: None,
            name_en: None,
            relative_name_en: None,
            line: 0,
        }
    }

    /// Whether `key_order` gives the order of sorting by `Elector::key`.
    fn agrees(roll: &Roll) {
        let mut want: Vec<usize> = (0..roll.electors.len()).collect();
        want.sort_by_key(|&i| roll.electors[i].key());
        assert_eq!(key_order(roll), want);
    }

    #[test]
    fn key_order_is_the_order_of_the_keys() {
        // Local bodies out of name order, some rows sharing one copy of the
        // name and others holding their own; wards and serials that differ
        // in the high and low halves of the packed key.
        let shared: Arc<str> = "Ward Nagar".into();
        let bodies = [
            shared.clone(),
            "Amta GP".into(),
            shared,
            "Ward Nagar".into(),
            "Zeta".into(),
            "Amta GP".into(),
        ];
        let mut electors = Vec::new();
        for (k, body) in bodies.iter().enumerate() {
            for (ward, serial) in [(2, 1), (1, 70_000), (1, 3), (u32::MAX, 1)] {
                let l = LocalBodyLocation {
                    local_body: body.clone(),
                    ward_no: ward,
                    ac_no: None,
                    part_no: None,
                };
                electors.push(entry(Location::LocalBody(l), serial + k as u32));
            }
        }
        agrees(&Roll {
            kind: RollKind::LocalBody,
            electors,
        });
        let electors = [(7, 1, 5), (3, 9, 1), (3, 2, u32::MAX), (7, 1, 4), (3, 2, 8)]
            .into_iter()
            .map(|(ac_no, part_no, serial)| {
                let a = AssemblyLocation {
                    ac_no,
                    part_no,
                    section_no: None,
                };
                entry(Location::Assembly(a), serial)
            })
            .collect();
        agrees(&Roll {
            kind: RollKind::Assembly,
            electors,
        });
    }
}
