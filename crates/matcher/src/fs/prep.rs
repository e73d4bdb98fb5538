//! Each entry turned once into the comparable form the engine works on.

use rayon::prelude::*;
use rollrec_model::{Elector, EpicForm, Gender, RelationType, Roll, normalize_house};
use rollrec_names::{Lang, NormalizedName, normalize};

/// An entry in comparable form.
#[derive(Debug, Clone)]
pub(crate) struct Prep {
    /// Normalised names: the printed name and, on bilingual rolls, its
    /// English twin.
    pub names: Vec<NormalizedName>,
    /// Normalised relative names, likewise.
    pub relatives: Vec<NormalizedName>,
    /// Blocking skeletons of `names`, deduplicated, non-empty.
    pub name_skeletons: Vec<String>,
    /// Blocking skeletons of `relatives`, deduplicated, non-empty.
    pub relative_skeletons: Vec<String>,
    /// Age moved to the EC roll's qualifying date (SEC ages minus the date
    /// offset), in years.
    pub age: Option<f64>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Relation to the relative.
    pub relation: Option<RelationType>,
    /// House number, normalised (see [`normalize_house`]).
    pub house: Option<String>,
    /// EPIC, normalised, with whether it has a valid form.
    pub epic: Option<(String, bool)>,
    /// The assembly part (EC) or back-reference (SEC).
    pub part: Option<(u32, u32)>,
}

fn norm_all(texts: [Option<&str>; 2], hint: Option<Lang>) -> Vec<NormalizedName> {
    let mut out: Vec<NormalizedName> = Vec::with_capacity(2);
    for t in texts.into_iter().flatten() {
        let n = normalize(t, hint);
        if !n.is_empty() && !out.iter().any(|o| o.joined_key() == n.joined_key()) {
            out.push(n);
        }
    }
    out
}

fn skeletons(names: &[NormalizedName]) -> Vec<String> {
    let mut out: Vec<String> = names
        .iter()
        .map(NormalizedName::skeleton)
        .filter(|s| !s.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Prepares one entry. `age_shift` is subtracted from its age.
pub(crate) fn prepare_one(e: &Elector, age_shift: f64) -> Prep {
    let hint = e.state_code.as_deref().and_then(Lang::from_state_code);
    let names = norm_all([Some(e.name.as_str()), e.name_en.as_deref()], hint);
    let relatives = norm_all(
        [e.relative_name.as_deref(), e.relative_name_en.as_deref()],
        hint,
    );
    let part = e.location.assembly_part();
    Prep {
        name_skeletons: skeletons(&names),
        relative_skeletons: skeletons(&relatives),
        names,
        relatives,
        age: e.age.map(|a| f64::from(a) - age_shift),
        gender: e.gender,
        relation: e.relation_type,
        house: e.house_no.as_deref().and_then(normalize_house),
        epic: e
            .epic
            .as_ref()
            .map(|x| (x.as_str().to_string(), x.form() != EpicForm::Malformed)),
        part,
    }
}

/// Prepares every entry of a roll, in parallel, in key order (so that
/// nothing downstream depends on the order of the input rows). Returns the
/// prepared entries and, for each, its index in the roll.
pub(crate) fn prepare(roll: &Roll, age_shift: f64) -> (Vec<Prep>, Vec<usize>) {
    let mut order: Vec<usize> = (0..roll.electors.len()).collect();
    order.par_sort_by_cached_key(|&i| roll.electors[i].key());
    let preps = order
        .par_iter()
        .map(|&i| prepare_one(&roll.electors[i], age_shift))
        .collect();
    (preps, order)
}
