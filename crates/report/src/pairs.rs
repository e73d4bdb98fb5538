//! Findings about matched pairs (attribute mismatches, wrong wards) and
//! about EPIC numbers shared inside one roll.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rollrec_match::{DuplicateGroup, MatchPair};
use rollrec_model::{Elector, Location, Roll, RollKind, fold_text, normalize_house, parse_number};
use rollrec_names::{Lang, NormalizedName, Script, normalize, similarity};

use crate::{DiscrepancyKind, Finding};

/// Errors reading a ward map.
#[derive(Debug, thiserror::Error)]
pub enum WardMapError {
    /// The file could not be read as CSV.
    #[error("{file}: {message}")]
    Csv {
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A row is wrong.
    #[error("{file}: line {line}: {message}")]
    Row {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// What was wrong.
        message: String,
    },
}

/// Which local-body ward each assembly part (or section of a part) belongs
/// to, from a CSV `ac_no,part_no[,section_no],local_body,ward_no`. A
/// section's row wins over its part's row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WardMap {
    map: HashMap<(u32, u32, Option<u32>), (String, u32)>,
}

impl WardMap {
    /// Reads a ward map from CSV text; `file` names it in errors.
    pub fn from_csv(text: &str, file: &str) -> Result<WardMap, WardMapError> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| WardMapError::Csv {
                file: file.into(),
                message: e.to_string(),
            })?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let need = |name: &str| {
            col(name).ok_or_else(|| WardMapError::Row {
                file: file.into(),
                line: 1,
                message: format!(
                    "missing column {name} (expected ac_no,part_no[,section_no],local_body,ward_no)"
                ),
            })
        };
        let (ac, part, lb, ward) = (
            need("ac_no")?,
            need("part_no")?,
            need("local_body")?,
            need("ward_no")?,
        );
        let section = col("section_no");
        let mut map = HashMap::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| WardMapError::Csv {
                file: file.into(),
                message: e.to_string(),
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let row_err = |message: String| WardMapError::Row {
                file: file.into(),
                line,
                message,
            };
            let num = |i: usize, name: &str| {
                let t = rec.get(i).unwrap_or_default();
                parse_number(t)
                    .ok_or_else(|| row_err(format!("{name}: expected a whole number, got {t:?}")))
            };
            let sec_no = match section.and_then(|i| rec.get(i)).map(str::trim) {
                None | Some("") => None,
                Some(t) => Some(parse_number(t).ok_or_else(|| {
                    row_err(format!("section_no: expected a whole number, got {t:?}"))
                })?),
            };
            let local_body = rec.get(lb).unwrap_or_default().trim().to_string();
            if local_body.is_empty() {
                return Err(row_err("local_body is blank".into()));
            }
            map.insert(
                (num(ac, "ac_no")?, num(part, "part_no")?, sec_no),
                (local_body, num(ward, "ward_no")?),
            );
        }
        Ok(WardMap { map })
    }

    /// Reads a ward map from a file.
    pub fn from_path(path: &Path) -> Result<WardMap, WardMapError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| WardMapError::Csv {
            file: file.clone(),
            message: e.to_string(),
        })?;
        WardMap::from_csv(&text, &file)
    }

    /// The ward of a part's section (or of the part).
    pub fn ward_of(&self, ac: u32, part: u32, section: Option<u32>) -> Option<&(String, u32)> {
        section
            .and_then(|s| self.map.get(&(ac, part, Some(s))))
            .or_else(|| self.map.get(&(ac, part, None)))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Options of the pair checks.
#[derive(Debug, Clone, Default)]
pub struct PairChecks {
    /// Years from the EC qualifying date to the SEC one.
    pub age_offset_years: f64,
    /// The part-to-ward map, if known; otherwise wards are inferred.
    pub ward_map: Option<WardMap>,
}

/// A name as printed, its script, and its normalised form.
struct Written {
    script: Option<Script>,
    /// The printed text folded, with white space removed.
    compact: String,
    /// The printed text folded, split at white space.
    words: Vec<String>,
    name: NormalizedName,
}

fn names_of(primary: Option<&str>, english: Option<&str>, hint: Option<Lang>) -> Vec<Written> {
    [primary, english]
        .into_iter()
        .flatten()
        .map(|t| Written {
            script: t.chars().find_map(Script::of),
            compact: fold_text(t).split(' ').collect(),
            words: fold_text(t).split(' ').map(str::to_string).collect(),
            name: normalize(t, hint),
        })
        .filter(|w| !w.name.is_empty())
        .collect()
}

/// Whether two lists of names (printed and English twin) have no pair that
/// is the same name. Written in one script, two spellings are the same name
/// when their phonetic keys agree (a spelling variant such as anusvara for
/// nasal + virama) or their text agrees once spaces are removed (a joined
/// or split token), so a typo that changes the sound is a mismatch. Across
/// scripts (or to English), where romanisation varies more, they are the
/// same name when their similarity is at least 0.9 or their skeletons
/// agree.
fn names_differ(a: &[Written], b: &[Written]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    !a.iter().any(|x| {
        b.iter().any(|y| {
            let (p, q) = (&x.name, &y.name);
            if p.joined_key() == q.joined_key() {
                return true;
            }
            if x.script == y.script {
                // A leading word added or dropped is a title ("Late" in
                // scripts whose form the normaliser does not know yet).
                let titled = |a: &[String], b: &[String]| a.len() == b.len() + 1 && a[1..] == *b;
                x.compact == y.compact || titled(&x.words, &y.words) || titled(&y.words, &x.words)
            } else {
                p.skeleton() == q.skeleton() || similarity(p, q) >= 0.9
            }
        })
    })
}

/// Field-by-field disagreements of one matched pair, each with a sentence.
fn mismatches(a: &Elector, b: &Elector, offset: f64) -> Vec<(&'static str, String)> {
    let hint_a = a.state_code.as_deref().and_then(Lang::from_state_code);
    let hint_b = b.state_code.as_deref().and_then(Lang::from_state_code);
    let mut out = Vec::new();
    let (na, nb) = (
        names_of(Some(&a.name), a.name_en.as_deref(), hint_a),
        names_of(Some(&b.name), b.name_en.as_deref(), hint_b),
    );
    if names_differ(&na, &nb) {
        out.push(("name", format!("name: {} vs {}", a.name, b.name)));
    }
    if a.relation_type.is_some() && b.relation_type.is_some() && a.relation_type != b.relation_type
    {
        out.push((
            "relation_type",
            format!(
                "relation: {} vs {}",
                a.relation_type.map_or("", |r| r.code()),
                b.relation_type.map_or("", |r| r.code())
            ),
        ));
    }
    let (ra, rb) = (
        names_of(
            a.relative_name.as_deref(),
            a.relative_name_en.as_deref(),
            hint_a,
        ),
        names_of(
            b.relative_name.as_deref(),
            b.relative_name_en.as_deref(),
            hint_b,
        ),
    );
    if names_differ(&ra, &rb) {
        out.push((
            "relative_name",
            format!(
                "relative: {} vs {}",
                a.relative_name.as_deref().unwrap_or_default(),
                b.relative_name.as_deref().unwrap_or_default()
            ),
        ));
    }
    if let (Some(x), Some(y)) = (a.age, b.age) {
        let beyond = f64::from(y) - f64::from(x) - offset;
        if beyond.abs() >= 1.5 {
            out.push((
                "age",
                format!("age: {x} vs {y} (expected offset {offset:+.1})"),
            ));
        }
    }
    if let (Some(x), Some(y)) = (a.gender, b.gender)
        && x != y
    {
        out.push(("gender", format!("gender: {x} vs {y}")));
    }
    if let (Some(x), Some(y)) = (&a.house_no, &b.house_no) {
        let (kx, ky) = (normalize_house(x), normalize_house(y));
        if kx.is_some() && ky.is_some() && kx != ky {
            out.push(("house_no", format!("house: {x} vs {y}")));
        }
    }
    out
}

/// `attribute_mismatch` findings: one per matched pair whose entries
/// disagree on name, relation, relative name, age beyond the date offset,
/// gender or house number. Spelling and romanisation variants of a name
/// (same skeleton) and house-number formats are not mismatches.
pub fn attribute_mismatches(
    ec: &Roll,
    sec: &Roll,
    pairs: &[MatchPair],
    offset: f64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in pairs {
        let (Some(a), Some(b)) = (ec.electors.get(p.ec), sec.electors.get(p.sec)) else {
            continue;
        };
        let found = mismatches(a, b, offset);
        if found.is_empty() {
            continue;
        }
        out.push(Finding {
            kind: DiscrepancyKind::AttributeMismatch,
            ec: Some(p.ec),
            sec: Some(p.sec),
            group_id: None,
            fields: found.iter().map(|(f, _)| *f).collect(),
            detail: found
                .into_iter()
                .map(|(_, d)| d)
                .collect::<Vec<_>>()
                .join("; "),
            score: Some(p.score),
        });
    }
    out
}

/// An assembly part's section: AC, part, section.
type Section = (u32, u32, Option<u32>);
/// A local-body ward: local body, ward number.
type Ward = (String, u32);

fn ward_of(e: &Elector) -> Option<Ward> {
    match &e.location {
        Location::LocalBody(l) => Some((l.local_body.clone(), l.ward_no)),
        Location::Assembly(_) => None,
    }
}

fn part_of(e: &Elector) -> Option<Section> {
    match &e.location {
        Location::Assembly(a) => Some((a.ac_no, a.part_no, a.section_no)),
        Location::LocalBody(_) => None,
    }
}

/// `wrong_ward` findings: matched pairs whose SEC ward is not the ward the
/// EC entry's part (section) belongs to. With a [`WardMap`] the expected
/// ward is the map's; without, it is the ward where most of the section's
/// (or part's) matched electors are, when at least 5 of them and at least
/// 60% are there.
pub fn wrong_wards(
    ec: &Roll,
    sec: &Roll,
    pairs: &[MatchPair],
    map: Option<&WardMap>,
) -> Vec<Finding> {
    // Where each section's matched electors went.
    let mut went: HashMap<Section, BTreeMap<Ward, u64>> = HashMap::new();
    if map.is_none() {
        for p in pairs {
            if let (Some(k), Some(w)) = (
                ec.electors.get(p.ec).and_then(part_of),
                sec.electors.get(p.sec).and_then(ward_of),
            ) {
                *went.entry(k).or_default().entry(w).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    for p in pairs {
        let (Some((ac, part, section)), Some(ward)) = (
            ec.electors.get(p.ec).and_then(part_of),
            sec.electors.get(p.sec).and_then(ward_of),
        ) else {
            continue;
        };
        let (expected, evidence) = match map {
            Some(m) => match m.ward_of(ac, part, section) {
                Some(w) => (w.clone(), "by the ward map".to_string()),
                None => continue,
            },
            None => {
                let Some(counts) = went.get(&(ac, part, section)) else {
                    continue;
                };
                let total: u64 = counts.values().sum();
                let Some((w, n)) = counts.iter().max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                else {
                    continue;
                };
                if *n < 5 || (*n as f64) < 0.6 * total as f64 {
                    continue;
                }
                let place = match section {
                    Some(s) => format!("AC {ac} part {part} section {s}"),
                    None => format!("AC {ac} part {part}"),
                };
                (
                    w.clone(),
                    format!("{n} of {total} matched electors of {place} are there"),
                )
            }
        };
        if expected != ward {
            out.push(Finding {
                kind: DiscrepancyKind::WrongWard,
                ec: Some(p.ec),
                sec: Some(p.sec),
                group_id: None,
                fields: vec!["ward_no"],
                detail: format!(
                    "in {} ward {}, expected {} ward {} ({evidence})",
                    ward.0, ward.1, expected.0, expected.1
                ),
                score: Some(p.score),
            });
        }
    }
    out
}

/// `epic_conflict` findings inside one roll: entries sharing an EPIC that
/// are not one person (not in one duplicate group). One row per entry, the
/// entries of one EPIC sharing a group id taken from `next_group`.
pub fn epic_conflicts(
    roll: &Roll,
    duplicates: &[DuplicateGroup],
    next_group: &mut u64,
) -> Vec<Finding> {
    let mut group_of = vec![usize::MAX; roll.len()];
    for (g, d) in duplicates.iter().enumerate() {
        for &m in &d.members {
            if let Some(x) = group_of.get_mut(m) {
                *x = g;
            }
        }
    }
    let mut by_epic: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in roll.electors.iter().enumerate() {
        if let Some(epic) = &e.epic {
            by_epic.entry(epic.as_str()).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (epic, members) in by_epic {
        if members.len() < 2 {
            continue;
        }
        // One person entered twice under one EPIC is a duplicate, not a
        // conflict: entries of one duplicate group, or with the same folded
        // name and relative name, count as one person.
        let people: std::collections::BTreeSet<String> = members
            .iter()
            .map(|&i| match group_of[i] {
                usize::MAX => {
                    let e = &roll.electors[i];
                    format!(
                        "{}|{}",
                        fold_text(&e.name),
                        fold_text(e.relative_name.as_deref().unwrap_or_default())
                    )
                }
                g => format!("group {g}"),
            })
            .collect();
        if people.len() < 2 {
            continue;
        }
        *next_group += 1;
        let keys: Vec<String> = members
            .iter()
            .map(|&i| roll.electors[i].key().to_string())
            .collect();
        for &i in &members {
            let (ec, sec) = match roll.kind {
                RollKind::Assembly => (Some(i), None),
                RollKind::LocalBody => (None, Some(i)),
            };
            out.push(Finding {
                kind: DiscrepancyKind::EpicConflict,
                ec,
                sec,
                group_id: Some(*next_group),
                fields: vec!["epic_no"],
                detail: format!(
                    "EPIC {epic} is on {} entries: {}",
                    members.len(),
                    keys.join("; ")
                ),
                score: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ward_map_reads_and_prefers_sections() {
        let m = WardMap::from_csv(
            "ac_no,part_no,section_no,local_body,ward_no\n1,2,,GP,3\n1,2,4,GP,5\n",
            "map.csv",
        )
        .expect("valid");
        assert_eq!(m.ward_of(1, 2, Some(4)), Some(&("GP".to_string(), 5)));
        assert_eq!(m.ward_of(1, 2, Some(1)), Some(&("GP".to_string(), 3)));
        assert_eq!(m.ward_of(1, 3, None), None);
        let err = WardMap::from_csv("ac_no,part_no,local_body,ward_no\n1,x,GP,3\n", "m.csv")
            .expect_err("bad part");
        assert!(err.to_string().contains("m.csv: line 2: part_no"), "{err}");
    }

    use rollrec_model::{AssemblyLocation, Epic, Gender, LocalBodyLocation, RelationType};

    fn ec_entry(part: u32, section: u32, serial: u32, name: &str) -> Elector {
        Elector {
            state_code: None,
            location: Location::Assembly(AssemblyLocation {
                ac_no: 1,
                part_no: part,
                section_no: Some(section),
            }),
            serial_no: serial,
            epic: None,
            name: name.into(),
            relation_type: Some(RelationType::Father),
            relative_name: Some("Ram Das".into()),
            house_no: Some("16-A".into()),
            age: Some(40),
            gender: Some(Gender::Male),
            name_en: None,
            relative_name_en: None,
            line: 0,
        }
    }

    fn sec_entry(ward: u32, serial: u32, name: &str) -> Elector {
        Elector {
            location: Location::LocalBody(LocalBodyLocation {
                local_body: "GP".into(),
                ward_no: ward,
                ac_no: None,
                part_no: None,
            }),
            ..ec_entry(1, 1, serial, name)
        }
    }

    fn pair(ec: usize, sec: usize) -> MatchPair {
        MatchPair {
            ec,
            sec,
            score: 0.99,
            method: "test",
            weights: Vec::new(),
        }
    }

    fn roll(kind: RollKind, electors: Vec<Elector>) -> Roll {
        Roll { kind, electors }
    }

    #[test]
    fn mismatch_rules() {
        let a = ec_entry(1, 1, 1, "Asha Das");
        let same = |b: &Elector| {
            mismatches(&a, b, 0.0)
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        // Formats, capitals, joined tokens, a title: not mismatches.
        let mut b = sec_entry(1, 1, "ASHA  DAS");
        b.house_no = Some("H.No. 16/A".into());
        assert_eq!(same(&b), Vec::<&str>::new());
        let b = sec_entry(1, 1, "AshaDas");
        assert_eq!(same(&b), Vec::<&str>::new());
        let mut b = sec_entry(1, 1, "Asha Das");
        b.relative_name = Some("Late Ram Das".into());
        assert_eq!(same(&b), Vec::<&str>::new());
        // Real differences, each named.
        let mut b = sec_entry(1, 1, "Usha Pal");
        b.age = Some(44);
        b.gender = Some(Gender::Female);
        b.relation_type = Some(RelationType::Husband);
        b.house_no = Some("17".into());
        assert_eq!(
            same(&b),
            ["name", "relation_type", "age", "gender", "house_no"]
        );
        // The date offset is allowed for.
        let mut b = sec_entry(1, 1, "Asha Das");
        b.age = Some(42);
        assert!(mismatches(&a, &b, 2.0).is_empty());
    }

    #[test]
    fn wrong_ward_inferred_from_the_section_majority() {
        let ec: Vec<Elector> = (1..=7).map(|i| ec_entry(1, 1, i, "X")).collect();
        let sec: Vec<Elector> = (1..=7)
            .map(|i| sec_entry(if i == 7 { 2 } else { 1 }, i, "X"))
            .collect();
        let pairs: Vec<MatchPair> = (0..7).map(|i| pair(i, i)).collect();
        let (ec, sec) = (roll(RollKind::Assembly, ec), roll(RollKind::LocalBody, sec));
        let found = wrong_wards(&ec, &sec, &pairs, None);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].ec, found[0].sec), (Some(6), Some(6)));
        assert!(
            found[0].detail.contains("expected GP ward 1 (6 of 7"),
            "{}",
            found[0].detail
        );
        // A map overrides the majority.
        let map = WardMap::from_csv(
            "ac_no,part_no,local_body,ward_no
1,1,GP,2
",
            "m",
        )
        .expect("valid");
        assert_eq!(wrong_wards(&ec, &sec, &pairs, Some(&map)).len(), 6);
        // Too few electors to infer: nothing.
        assert!(wrong_wards(&ec, &sec, &pairs[4..], None).is_empty());
    }

    #[test]
    fn shared_epic_is_a_conflict_unless_one_person() {
        let mut a = ec_entry(1, 1, 1, "Asha Das");
        let mut b = ec_entry(1, 1, 2, "Gita Pal");
        let mut c = ec_entry(1, 1, 3, "Asha  Das");
        for e in [&mut a, &mut b, &mut c] {
            e.epic = Epic::parse("ABC1234567");
        }
        let r = roll(RollKind::Assembly, vec![a.clone(), b]);
        let mut next = 10;
        let found = epic_conflicts(&r, &[], &mut next);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.group_id == Some(11)));
        // The same person twice (same name and relative): not a conflict.
        let r = roll(RollKind::Assembly, vec![a, c]);
        assert!(epic_conflicts(&r, &[], &mut next).is_empty());
    }

    #[test]
    fn house_formats_are_not_mismatches() {
        assert_eq!(normalize_house("H.No. 16/A"), normalize_house("16-a"));
        assert_ne!(normalize_house("16"), normalize_house("17"));
    }
}
