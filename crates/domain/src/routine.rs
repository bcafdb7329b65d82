//! The routine as data. The Oxelösund routine (Bilaga 3, 2018-06-13) is built in; its rows live in
//! `routines/oxelosund-2018-06-13.json` so the text can be checked against the source document.

use crate::role::Role;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A row's stable id, e.g. `3.1.1-a`: the section number and the row's place in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RowId(pub String);

impl RowId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which routine, and which revision of it, a case follows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoutineRef {
    pub id: String,
    pub version: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub heading_sv: String,
    pub heading_en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub id: RowId,
    pub section: String,
    /// The routine's own Swedish text, verbatim.
    pub sv: String,
    pub en: String,
    #[serde(default)]
    pub list_sv: Vec<String>,
    #[serde(default)]
    pub list_en: Vec<String>,
    /// The responsible party exactly as the routine writes it.
    pub responsible_sv: String,
    pub responsible_en: String,
    /// The roles that `responsible_sv` names.
    pub responsible: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    pub id: String,
    pub version: u32,
    pub issued: String,
    pub title_sv: String,
    pub title_en: String,
    pub source_sv: String,
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
}

/// A section (e.g. 3.1.2) and its rows, in the routine's order.
pub struct Section<'a> {
    pub number: &'a str,
    pub rows: Vec<&'a Row>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RoutineError {
    Json(String),
    NoRows,
    DuplicateRow(String),
    RowOutsideGroups(String),
    NoResponsible(String),
}

const OXELOSUND_JSON: &str = include_str!("../../../routines/oxelosund-2018-06-13.json");

impl Routine {
    /// Parses and checks a routine file.
    pub fn parse(json: &str) -> Result<Routine, RoutineError> {
        let routine: Routine =
            serde_json::from_str(json).map_err(|err| RoutineError::Json(err.to_string()))?;
        routine.check()?;
        Ok(routine)
    }

    fn check(&self) -> Result<(), RoutineError> {
        if self.rows.is_empty() {
            return Err(RoutineError::NoRows);
        }
        let mut seen = std::collections::BTreeSet::new();
        for row in &self.rows {
            if !seen.insert(&row.id) {
                return Err(RoutineError::DuplicateRow(row.id.0.clone()));
            }
            if !self.groups.iter().any(|g| row.section.starts_with(&g.id)) {
                return Err(RoutineError::RowOutsideGroups(row.id.0.clone()));
            }
            if row.responsible.is_empty() {
                return Err(RoutineError::NoResponsible(row.id.0.clone()));
            }
        }
        Ok(())
    }

    /// The built-in default: Oxelösunds kommun, Bilaga 3, 2018-06-13.
    pub fn oxelosund() -> &'static Routine {
        static ROUTINE: OnceLock<Routine> = OnceLock::new();
        ROUTINE.get_or_init(|| {
            Routine::parse(OXELOSUND_JSON).expect("the built-in routine is checked by tests")
        })
    }

    /// The routines this build knows, by reference.
    pub fn known(reference: &RoutineRef) -> Option<&'static Routine> {
        let builtin = Routine::oxelosund();
        (builtin.reference() == *reference).then_some(builtin)
    }

    pub fn reference(&self) -> RoutineRef {
        RoutineRef {
            id: self.id.clone(),
            version: self.version,
        }
    }

    pub fn row(&self, id: &RowId) -> Option<&Row> {
        self.rows.iter().find(|row| &row.id == id)
    }

    pub fn sections(&self) -> Vec<Section<'_>> {
        let mut sections: Vec<Section<'_>> = Vec::new();
        for row in &self.rows {
            match sections.last_mut() {
                Some(section) if section.number == row.section => section.rows.push(row),
                _ => sections.push(Section {
                    number: &row.section,
                    rows: vec![row],
                }),
            }
        }
        sections
    }

    pub fn group_of(&self, section: &str) -> Option<&Group> {
        self.groups.iter().find(|g| section.starts_with(&g.id))
    }
}
