//! The Arrow form of a roll.
//!
//! One schema serves both roll kinds; the kind is recorded in the schema
//! metadata and the location columns of the other kind are null. Schema
//! metadata:
//!
//! | key | value |
//! |---|---|
//! | `rollrec.schema` | `elector` |
//! | `rollrec.schema_version` | [`SCHEMA_VERSION`] |
//! | `rollrec.roll_kind` | `assembly` or `local_body` |
//!
//! Columns, in order: `state_code` utf8, `ac_no` u32, `part_no` u32,
//! `section_no` u32, `local_body` utf8, `ward_no` u32, `serial_no` u32 (not
//! null), `epic_no` utf8, `epic_form` utf8 (`current`, `old_slash`,
//! `malformed`), `name` utf8 (not null), `relation_type` utf8 (EC code),
//! `relative_name` utf8, `house_no` utf8, `age` u8, `gender` utf8 (EC code),
//! `name_en` utf8, `relative_name_en` utf8, `line` u64 (not null).
//!
//! ```
//! use rollrec_io::arrow::{from_record_batch, to_record_batch};
//! use rollrec_io::csv::{read_roll, ReadOptions};
//! use rollrec_model::RollKind;
//!
//! let src = "local_body,ward_no,serial_no,name,age\nGP Rampur,3,1,Asha Devi,34\n";
//! let roll = read_roll(src.as_bytes(), RollKind::LocalBody, "sec.csv", &ReadOptions::default())?.roll;
//! let batch = to_record_batch(&roll)?;
//! assert_eq!(batch.num_rows(), 1);
//! assert_eq!(from_record_batch(&batch)?, roll);
//! # Ok::<(), rollrec_io::IoError>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{UInt8Type, UInt32Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, RecordBatch, StringArray, UInt8Array, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use rollrec_model::{
    AssemblyLocation, Elector, Epic, Gender, LocalBodyLocation, Location, RelationType, Roll,
    RollKind,
};

use crate::IoError;

/// Version of the elector schema. Bumped on any change to columns or their
/// meaning; readers refuse other versions.
pub const SCHEMA_VERSION: &str = "1";

const META_SCHEMA: &str = "rollrec.schema";
const META_VERSION: &str = "rollrec.schema_version";
const META_KIND: &str = "rollrec.roll_kind";

fn kind_name(kind: RollKind) -> &'static str {
    match kind {
        RollKind::Assembly => "assembly",
        RollKind::LocalBody => "local_body",
    }
}

/// The elector schema for a roll of `kind`.
pub fn elector_schema(kind: RollKind) -> SchemaRef {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let u32f = |name: &str, nullable: bool| Field::new(name, DataType::UInt32, nullable);
    let fields = vec![
        utf8("state_code", true),
        u32f("ac_no", true),
        u32f("part_no", true),
        u32f("section_no", true),
        utf8("local_body", true),
        u32f("ward_no", true),
        u32f("serial_no", false),
        utf8("epic_no", true),
        utf8("epic_form", true),
        utf8("name", false),
        utf8("relation_type", true),
        utf8("relative_name", true),
        utf8("house_no", true),
        Field::new("age", DataType::UInt8, true),
        utf8("gender", true),
        utf8("name_en", true),
        utf8("relative_name_en", true),
        Field::new("line", DataType::UInt64, false),
    ];
    let metadata = HashMap::from([
        (META_SCHEMA.to_string(), "elector".to_string()),
        (META_VERSION.to_string(), SCHEMA_VERSION.to_string()),
        (META_KIND.to_string(), kind_name(kind).to_string()),
    ]);
    Arc::new(Schema::new_with_metadata(fields, metadata))
}

fn strings<'a>(roll: &'a Roll, f: impl Fn(&'a Elector) -> Option<&'a str>) -> ArrayRef {
    Arc::new(StringArray::from_iter(roll.electors.iter().map(f)))
}

fn u32s(roll: &Roll, f: impl Fn(&Elector) -> Option<u32>) -> ArrayRef {
    Arc::new(UInt32Array::from_iter(roll.electors.iter().map(f)))
}

fn assembly(e: &Elector) -> Option<&AssemblyLocation> {
    match &e.location {
        Location::Assembly(a) => Some(a),
        Location::LocalBody(_) => None,
    }
}

fn local(e: &Elector) -> Option<&LocalBodyLocation> {
    match &e.location {
        Location::LocalBody(l) => Some(l),
        Location::Assembly(_) => None,
    }
}

/// Converts a roll to one record batch in the elector schema.
pub fn to_record_batch(roll: &Roll) -> Result<RecordBatch, IoError> {
    if let Some(e) = roll.electors.iter().find(|e| e.kind() != roll.kind) {
        return Err(IoError::Schema(format!(
            "a {} roll holds a {} entry ({})",
            roll.kind,
            e.kind(),
            e.key()
        )));
    }
    let columns: Vec<ArrayRef> = vec![
        strings(roll, |e| e.state_code.as_deref()),
        u32s(roll, |e| match &e.location {
            Location::Assembly(a) => Some(a.ac_no),
            Location::LocalBody(l) => l.ac_no,
        }),
        u32s(roll, |e| match &e.location {
            Location::Assembly(a) => Some(a.part_no),
            Location::LocalBody(l) => l.part_no,
        }),
        u32s(roll, |e| assembly(e).and_then(|a| a.section_no)),
        strings(roll, |e| local(e).map(|l| &*l.local_body)),
        u32s(roll, |e| local(e).map(|l| l.ward_no)),
        u32s(roll, |e| Some(e.serial_no)),
        strings(roll, |e| e.epic.as_ref().map(Epic::as_str)),
        strings(roll, |e| e.epic.as_ref().map(|x| x.form().as_str())),
        strings(roll, |e| Some(&*e.name)),
        strings(roll, |e| e.relation_type.map(RelationType::code)),
        strings(roll, |e| e.relative_name.as_deref()),
        strings(roll, |e| e.house_no.as_deref()),
        Arc::new(UInt8Array::from_iter(roll.electors.iter().map(|e| e.age))),
        strings(roll, |e| e.gender.map(Gender::code)),
        strings(roll, |e| e.name_en.as_deref()),
        strings(roll, |e| e.relative_name_en.as_deref()),
        Arc::new(UInt64Array::from_iter_values(
            roll.electors.iter().map(|e| e.line),
        )),
    ];
    Ok(RecordBatch::try_new(elector_schema(roll.kind), columns)?)
}

/// Typed access to the columns of a batch, with errors that name the column.
struct Columns<'a> {
    batch: &'a RecordBatch,
}

impl<'a> Columns<'a> {
    fn column(&self, name: &str) -> Result<&'a ArrayRef, IoError> {
        self.batch
            .column_by_name(name)
            .ok_or_else(|| IoError::Schema(format!("missing column {name}")))
    }

    fn utf8(&self, name: &str) -> Result<&'a StringArray, IoError> {
        self.column(name)?
            .as_string_opt::<i32>()
            .ok_or_else(|| IoError::Schema(format!("column {name} is not utf8")))
    }

    fn u32(&self, name: &str) -> Result<&'a UInt32Array, IoError> {
        self.column(name)?
            .as_primitive_opt::<UInt32Type>()
            .ok_or_else(|| IoError::Schema(format!("column {name} is not uint32")))
    }
}

fn get_str(a: &StringArray, i: usize) -> Option<&str> {
    a.is_valid(i).then(|| a.value(i))
}

fn get_u32(a: &UInt32Array, i: usize) -> Option<u32> {
    a.is_valid(i).then(|| a.value(i))
}

fn required<T>(v: Option<T>, column: &str, row: usize) -> Result<T, IoError> {
    v.ok_or_else(|| IoError::Schema(format!("row {row}: column {column} is null")))
}

/// Converts a batch in the elector schema back to a roll. Refuses batches
/// of another schema version and rows whose coded fields do not parse.
pub fn from_record_batch(batch: &RecordBatch) -> Result<Roll, IoError> {
    let schema = batch.schema();
    let meta = schema.metadata();
    if meta.get(META_SCHEMA).map(String::as_str) != Some("elector") {
        return Err(IoError::Schema("not a rollrec elector batch".to_string()));
    }
    match meta.get(META_VERSION) {
        Some(v) if v == SCHEMA_VERSION => {}
        other => {
            return Err(IoError::Schema(format!(
                "schema version {other:?} is not supported (expected {SCHEMA_VERSION})"
            )));
        }
    }
    let kind = match meta.get(META_KIND).map(String::as_str) {
        Some("assembly") => RollKind::Assembly,
        Some("local_body") => RollKind::LocalBody,
        other => return Err(IoError::Schema(format!("unknown roll kind {other:?}"))),
    };
    let c = Columns { batch };
    let state_code = c.utf8("state_code")?;
    let ac_no = c.u32("ac_no")?;
    let part_no = c.u32("part_no")?;
    let section_no = c.u32("section_no")?;
    let local_body = c.utf8("local_body")?;
    let ward_no = c.u32("ward_no")?;
    let serial_no = c.u32("serial_no")?;
    let epic_no = c.utf8("epic_no")?;
    let name = c.utf8("name")?;
    let relation_type = c.utf8("relation_type")?;
    let relative_name = c.utf8("relative_name")?;
    let house_no = c.utf8("house_no")?;
    let age = c
        .column("age")?
        .as_primitive_opt::<UInt8Type>()
        .ok_or_else(|| IoError::Schema("column age is not uint8".to_string()))?;
    let gender = c.utf8("gender")?;
    let name_en = c.utf8("name_en")?;
    let relative_name_en = c.utf8("relative_name_en")?;
    let line = c
        .column("line")?
        .as_primitive_opt::<UInt64Type>()
        .ok_or_else(|| IoError::Schema("column line is not uint64".to_string()))?;

    let owned = |a: &StringArray, i| get_str(a, i).map(Box::<str>::from);
    let mut roll = Roll::new(kind);
    roll.electors.reserve(batch.num_rows());
    for i in 0..batch.num_rows() {
        let location = match kind {
            RollKind::Assembly => Location::Assembly(AssemblyLocation {
                ac_no: required(get_u32(ac_no, i), "ac_no", i)?,
                part_no: required(get_u32(part_no, i), "part_no", i)?,
                section_no: get_u32(section_no, i),
            }),
            RollKind::LocalBody => Location::LocalBody(LocalBodyLocation {
                local_body: required(get_str(local_body, i).map(Arc::from), "local_body", i)?,
                ward_no: required(get_u32(ward_no, i), "ward_no", i)?,
                ac_no: get_u32(ac_no, i),
                part_no: get_u32(part_no, i),
            }),
        };
        let coded =
            |a: &StringArray, column: &str, parse: &dyn Fn(&str) -> bool| match get_str(a, i) {
                Some(t) if !parse(t) => Err(IoError::Schema(format!(
                    "row {i}: column {column}: unknown code {t:?}"
                ))),
                _ => Ok(()),
            };
        coded(relation_type, "relation_type", &|t| {
            RelationType::parse(t).is_some()
        })?;
        coded(gender, "gender", &|t| Gender::parse(t).is_some())?;
        roll.electors.push(Elector {
            state_code: get_str(state_code, i).map(Arc::from),
            location,
            serial_no: required(get_u32(serial_no, i), "serial_no", i)?,
            epic: get_str(epic_no, i).and_then(Epic::parse),
            name: required(owned(name, i), "name", i)?,
            relation_type: get_str(relation_type, i).and_then(RelationType::parse),
            relative_name: owned(relative_name, i),
            house_no: owned(house_no, i),
            age: age.is_valid(i).then(|| age.value(i)),
            gender: get_str(gender, i).and_then(Gender::parse),
            name_en: owned(name_en, i),
            relative_name_en: owned(relative_name_en, i),
            line: if line.is_valid(i) { line.value(i) } else { 0 },
        });
    }
    Ok(roll)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::{ReadOptions, read_roll};

    #[test]
    fn round_trip_both_kinds() {
        let ec = "state_code,ac_no,part_no,section_no,serial_no,epic_no,name,relation_type,relative_name,house_no,age,gender,name_en,relative_name_en\n\
                  S25,12,1,2,1,abc1234567,মমতা দাস,H,সুব্রত দাস,16-A,৪৫,মহিলা,Mamata Das,Subrata Das\n\
                  S25,12,1,,2,,Ravi,,,,,,,\n";
        let sec = "local_body,ward_no,ac_no,part_no,serial_no,name,epic_no\nGP A,3,12,1,9,X,PY/01/015/063676\nGP A,4,,,1,Y,\n";
        for (kind, src) in [(RollKind::Assembly, ec), (RollKind::LocalBody, sec)] {
            let roll = read_roll(src.as_bytes(), kind, "t", &ReadOptions::default())
                .expect("valid")
                .roll;
            assert_eq!(roll.len(), 2);
            let batch = to_record_batch(&roll).expect("one kind");
            assert_eq!(
                batch.schema().metadata().get("rollrec.schema_version"),
                Some(&SCHEMA_VERSION.to_string())
            );
            assert_eq!(from_record_batch(&batch).expect("same schema"), roll);
        }
    }

    #[test]
    fn refuses_other_versions() {
        let roll = Roll::new(RollKind::Assembly);
        let batch = to_record_batch(&roll).expect("empty roll");
        let mut meta = batch.schema().metadata().clone();
        meta.insert(META_VERSION.to_string(), "0".to_string());
        let schema = Arc::new(batch.schema().as_ref().clone().with_metadata(meta));
        let old = RecordBatch::try_new(schema, batch.columns().to_vec()).expect("same fields");
        let err = from_record_batch(&old).expect_err("version 0");
        assert!(err.to_string().contains("version"));
    }
}
