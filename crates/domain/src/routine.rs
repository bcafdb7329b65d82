//! A routine pack: one municipality's (or region's) routine as data — its provenance, the roles
//! it names, its contacts, its sections and rows (the Swedish text verbatim), the forms of each
//! section with their checks, and checklists by how a threat arrives. Documented in
//! docs/routine-pack-format.md; docs/routine-pack.schema.json describes the same shape.
//!
//! A pack is identified by id and version, and pinned by the SHA-256 of its file's bytes: a case
//! names all three, and a case file carries the pack's text, so a case opens in its own routine on
//! a phone that never shipped it.
//!
//! The pack's types are read by `pack_reader` (which members may be left out is said there and in
//! the format's documentation) and never written: a pack travels as its own text.

use crate::details::normalize_phone;
use crate::role::Role;
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The `format` member of every pack.
pub const PACK_FORMAT: &str = "stodrutin-routine-pack";
/// The newest pack format this app reads.
pub const PACK_FORMAT_VERSION: u32 = 1;
/// A pack file is a few tens of kilobytes; anything far larger is not one.
pub const MAX_PACK_BYTES: usize = 256 * 1024;
/// The section of the forms about the incident itself, shown before the routine's sections.
pub const INCIDENT_SECTION: &str = "incident";
/// The id of the list form that holds the case's witnesses: shown with the evidence rather than in
/// its section, and listed on the police sheet and the report. A pack without one (or with a sheet
/// of that id, an ordinary form then) has no witness list of its own.
pub const WITNESS_FORM: &str = "witnesses";

/// A row's stable id, e.g. `3.1.1-a`: the section number and the row's place in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RowId(pub String);

impl RowId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which routine a case follows: the pack's id and version, and the SHA-256 of the pack's bytes
/// (cases opened before packs were pinned name no hash: they follow the shipped pack of that id
/// and version).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoutineRef {
    pub id: String,
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl RoutineRef {
    /// Whether `routine` is the pack this reference names.
    pub fn names(&self, routine: &Routine) -> bool {
        self.id == routine.id
            && self.version == routine.version
            && self.hash.as_ref().is_none_or(|h| *h == routine.hash)
    }
}

/// Where the routine comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub organisation: Text,
    pub title: Text,
    /// The date the routine was adopted, `YYYY-MM-DD`.
    pub adopted: String,
    pub diary_number: Option<String>,
    /// The document the routine stands in, as a citation.
    pub source: Text,
    /// Where the document can be read (shown as text, never fetched).
    pub link: Option<String>,
    /// The pack's own revision note, e.g. "1: first pack of the 2018 routine".
    pub revision: Text,
    /// Published guidance the pack draws on (an example pack cites its sources here).
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub link: Option<String>,
}

/// A party the routine names, with its local title, mapped to one of the app's kinds of actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackRole {
    pub id: String,
    pub actor: Role,
    pub title: Text,
}

/// Someone to call: a function or a name, a number, when they answer, and where to turn out of
/// those hours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub name: Text,
    pub phone: Option<String>,
    pub hours: Option<Text>,
    pub out_of_hours: Option<OutOfHours>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfHours {
    pub name: Text,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub heading: Text,
}

/// A deadline relative to the incident, e.g. "inom två veckor", and the form field that records
/// when it was met.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    /// An ISO 8601 duration of whole days or weeks: `P14D`, `P2W`.
    pub within: String,
    pub met_by: FieldRef,
}

impl Deadline {
    /// The deadline in days, if `within` is written as the format asks (1 to 365 days).
    pub fn days(&self) -> Option<i64> {
        let body = self.within.strip_prefix('P')?;
        // The unit is stripped as text, never split at a byte count: a pack is input, and a
        // last character of several bytes ("Pé") would split inside it.
        let (number, weeks) = match (body.strip_suffix('D'), body.strip_suffix('W')) {
            (Some(number), _) => (number, false),
            (_, Some(number)) => (number, true),
            _ => return None,
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) || number.len() > 3 {
            return None;
        }
        let number: i64 = number.parse().ok()?;
        let days = if weeks { number * 7 } else { number };
        (1..=365).contains(&days).then_some(days)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    pub form: String,
    pub field: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: RowId,
    pub section: String,
    /// The routine's own text, the Swedish verbatim.
    pub text: Text,
    /// A list under the text (e.g. the target groups of 3.2.3), verbatim too.
    pub list: Vec<Text>,
    /// The responsible party exactly as the routine writes it.
    pub responsible_text: Text,
    /// The pack's role ids that `responsible_text` names.
    pub responsible: Vec<String>,
    pub deadline: Option<Deadline>,
}

/// How a threat or harassment arrives: one list for checklists and evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
    SocialMedia,
    Phone,
    LetterOrObject,
    InPerson,
    Meeting,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::Sms,
        Channel::Email,
        Channel::SocialMedia,
        Channel::Phone,
        Channel::LetterOrObject,
        Channel::InPerson,
        Channel::Meeting,
    ];

    /// The channel's word in a pack and a case file.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::SocialMedia => "social_media",
            Channel::Phone => "phone",
            Channel::LetterOrObject => "letter_or_object",
            Channel::InPerson => "in_person",
            Channel::Meeting => "meeting",
        }
    }

    pub fn name(self) -> Text<&'static str> {
        match self {
            Channel::Sms => Text::new("SMS", "Text message"),
            Channel::Email => Text::new("E-post", "E-mail"),
            Channel::SocialMedia => Text::new("Sociala medier", "Social media"),
            Channel::Phone => Text::new("Telefonsamtal", "Phone call"),
            Channel::LetterOrObject => Text::new(
                "Brev eller misstänkt föremål",
                "Letter or suspicious object",
            ),
            Channel::InPerson => Text::new("På plats, ansikte mot ansikte", "In person"),
            Channel::Meeting => Text::new("Hotat möte", "A threatened meeting"),
        }
    }
}

/// What to do when a threat arrives through the given channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checklist {
    pub id: String,
    pub channels: Vec<Channel>,
    pub title: Text,
    pub items: Vec<Text>,
}

/// The kind of a form field: what it holds and how it is checked (`details`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One line, at most `MAX_SHORT_CHARS`.
    Text,
    /// Free text, at most `MAX_TEXT_CHARS`.
    LongText,
    /// A time that has happened: not in the future, not before the incident (RFC 3339, UTC).
    At,
    /// A time that may lie ahead (a booked talk), but not before the incident.
    Scheduled,
    Phone,
    YesNo,
    /// One of the field's choices.
    OneOf,
    /// Any number of the field's choices, stored comma-separated in the choices' order.
    AnyOf,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Text,
        Kind::LongText,
        Kind::At,
        Kind::Scheduled,
        Kind::Phone,
        Kind::YesNo,
        Kind::OneOf,
        Kind::AnyOf,
    ];

    /// The kind's word in a pack.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::LongText => "long_text",
            Kind::At => "at",
            Kind::Scheduled => "scheduled",
            Kind::Phone => "phone",
            Kind::YesNo => "yes_no",
            Kind::OneOf => "one_of",
            Kind::AnyOf => "any_of",
        }
    }

    fn has_choices(self) -> bool {
        matches!(self, Kind::OneOf | Kind::AnyOf)
    }

    fn is_time(self) -> bool {
        matches!(self, Kind::At | Kind::Scheduled)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub key: String,
    pub label: Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: String,
    pub kind: Kind,
    pub label: Text,
    pub choices: Vec<Choice>,
}

/// A check across the fields of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormRule {
    /// `end` may not lie before `start` (both time fields).
    EndAfterStart { start: String, end: String },
    /// `fields` about a person are kept only when the yes/no field `consent` is "yes" (in this
    /// record, or, for a record that leaves it out, in an earlier one).
    NeedsConsent {
        consent: String,
        fields: Vec<String>,
    },
}

/// One form of a section: a sheet (each record replaces the values it changes) or a list (each
/// record adds an entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub id: String,
    /// The routine section the form belongs to ("3.1.3"), or `incident`.
    pub section: String,
    pub title: Text,
    pub list: bool,
    pub required: Vec<String>,
    /// A reminder from the routine shown with the form.
    pub reminder: Option<Text>,
    pub fields: Vec<Field>,
    pub rules: Vec<FormRule>,
}

impl Form {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The consent rule of the form, if it has one.
    pub fn consent_rule(&self) -> Option<(&str, &[String])> {
        self.rules.iter().find_map(|rule| match rule {
            FormRule::NeedsConsent { consent, fields } => Some((consent.as_str(), &fields[..])),
            FormRule::EndAfterStart { .. } => None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routine {
    /// Always `PACK_FORMAT`.
    pub format: String,
    pub format_version: u32,
    pub id: String,
    pub version: u32,
    /// An example written for municipalities to start from, not any organisation's adopted
    /// routine: the app says so wherever the pack is named.
    pub example: bool,
    pub provenance: Provenance,
    pub roles: Vec<PackRole>,
    pub contacts: Vec<Contact>,
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
    pub forms: Vec<Form>,
    pub checklists: Vec<Checklist>,
    /// SHA-256 of the pack file's bytes, lowercase hex; set by `parse`.
    pub(crate) hash: String,
    /// The pack file's text, as a case file carries it; set by `parse`.
    pub(crate) text: String,
}

/// A section (e.g. 3.1.2) and its rows, in the routine's order.
pub struct Section<'a> {
    pub number: &'a str,
    pub rows: Vec<&'a Row>,
}

/// What is wrong with a pack, at which place: a JSON path such as `forms[2].fields[0].kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackProblem {
    pub path: String,
    pub issue: PackIssue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackIssue {
    TooLarge,
    NotJson,
    /// An object names this member twice (JSON readers differ on which one they keep).
    MemberTwice(String),
    /// Not a routine pack (no or another `format`).
    NotAPack,
    /// A pack format newer than this app reads.
    NewerFormat(u32),
    /// A member the format needs is missing.
    Missing(String),
    /// A member the format does not have (a typo, or a newer format's member).
    UnknownMember(String),
    /// A value of another kind than the format's there (what stands there, at most its start).
    WrongType {
        found: Found,
        expected: Expected,
    },
    /// A word that is not one of the format's (`allowed`, in the order the format lists them).
    NotOneOf {
        given: String,
        allowed: Vec<String>,
    },
    /// Not an id: 1 to 64 bytes, no white space or commas (ids are stored in values and names).
    NotAnId(String),
    /// `format_version` 0: versions count from 1.
    VersionZero,
    EmptyText,
    Duplicate(String),
    UnknownRole(String),
    UnknownSection(String),
    /// A row in `incident`, the section of the form about the incident itself.
    RowInIncident,
    UnknownField(String),
    UnknownForm(String),
    NoRows,
    NoResponsible,
    NoFields,
    NoChoices,
    ChoicesOnPlainField,
    BadDeadline,
    NotATimeField(String),
    NotAYesNoField(String),
    BadPhone,
    BadDate,
    Empty,
}

impl std::fmt::Display for PackIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackIssue::TooLarge => write!(f, "the file is larger than {MAX_PACK_BYTES} bytes"),
            PackIssue::NotJson => f.write_str("the file is not JSON"),
            PackIssue::MemberTwice(name) => write!(f, "an object names `{name}` twice"),
            PackIssue::NotAPack => write!(f, "not a routine pack (format must be \"{PACK_FORMAT}\")"),
            PackIssue::NewerFormat(v) => write!(f, "written in a newer pack format ({v}); this app reads up to {PACK_FORMAT_VERSION}"),
            PackIssue::Missing(name) => write!(f, "`{name}` is missing"),
            PackIssue::UnknownMember(name) => write!(f, "`{name}` is not a member the format knows"),
            PackIssue::WrongType { found, expected } => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            PackIssue::NotOneOf { given, allowed } => {
                write!(f, "unknown word `{given}`, expected one of ")?;
                for (i, word) in allowed.iter().enumerate() {
                    write!(f, "{}`{word}`", if i == 0 { "" } else { ", " })?;
                }
                Ok(())
            }
            PackIssue::NotAnId(id) => {
                write!(f, "`{id}` is not an id (1 to 64 bytes, no spaces or commas)")
            }
            PackIssue::VersionZero => f.write_str("versions count from 1"),
            PackIssue::EmptyText => f.write_str("the text is empty"),
            PackIssue::Duplicate(id) => write!(f, "the id `{id}` is used twice"),
            PackIssue::UnknownRole(id) => write!(f, "unknown role `{id}` (not among `roles`)"),
            PackIssue::UnknownSection(s) => write!(f, "unknown section `{s}` (no group holds it, or no row has it)"),
            PackIssue::RowInIncident => write!(f, "a row cannot be in section `{INCIDENT_SECTION}`"),
            PackIssue::UnknownField(k) => write!(f, "unknown field `{k}` (not among the form's fields)"),
            PackIssue::UnknownForm(id) => write!(f, "unknown form `{id}`"),
            PackIssue::NoRows => f.write_str("the routine has no rows"),
            PackIssue::NoResponsible => f.write_str("the row names no responsible role"),
            PackIssue::NoFields => f.write_str("the form has no fields"),
            PackIssue::NoChoices => f.write_str("a one_of or any_of field needs choices"),
            PackIssue::ChoicesOnPlainField => f.write_str("only one_of and any_of fields have choices"),
            PackIssue::BadDeadline => f.write_str("a deadline is written as whole days or weeks, e.g. \"P14D\" or \"P2W\", at most a year"),
            PackIssue::NotATimeField(k) => write!(f, "`{k}` must be a time field (at or scheduled)"),
            PackIssue::NotAYesNoField(k) => write!(f, "`{k}` must be a yes_no field"),
            PackIssue::BadPhone => f.write_str("not a phone number (digits, an optional leading +, 3 to 15 digits)"),
            PackIssue::BadDate => f.write_str("not a date written YYYY-MM-DD"),
            PackIssue::Empty => f.write_str("the list is empty"),
        }
    }
}

fn is_witness_form(form: &Form) -> bool {
    form.list && form.id == WITNESS_FORM
}

/// What stands where a pack's value of another kind belongs (a text or number by its start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Null,
    Boolean(bool),
    Number(String),
    Text(String),
    List,
    Object,
}

/// The kind of value the format has at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Object,
    Text,
    /// A whole number from 0 to 2³² − 1.
    Count,
    List,
    Boolean,
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Found::Null => f.write_str("null"),
            Found::Boolean(b) => write!(f, "boolean `{b}`"),
            Found::Number(n) => write!(f, "number `{n}`"),
            Found::Text(s) => write!(f, "string \"{s}\""),
            Found::List => f.write_str("a list"),
            Found::Object => f.write_str("an object"),
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Expected::Object => "an object",
            Expected::Text => "a string",
            Expected::Count => "a whole number from 0 to 4,294,967,295",
            Expected::List => "a list",
            Expected::Boolean => "true or false",
        })
    }
}

impl std::fmt::Display for PackProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            self.issue.fmt(f)
        } else {
            write!(f, "{}: {}", self.path, self.issue)
        }
    }
}

/// Every problem found in a pack (at least one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    pub problems: Vec<PackProblem>,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            problem.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for PackError {}

fn one(path: impl Into<String>, issue: PackIssue) -> PackError {
    PackError {
        problems: vec![PackProblem {
            path: path.into(),
            issue,
        }],
    }
}

/// The SHA-256 of a pack file's bytes, lowercase hex.
pub fn pack_hash(text: &str) -> String {
    crate::digest::sha256_hex(text.as_bytes())
}

impl Routine {
    /// Reads and checks a pack file. Every problem the checks find is named, with its place.
    pub fn parse(text: &str) -> Result<Routine, PackError> {
        if text.len() > MAX_PACK_BYTES {
            return Err(one("", PackIssue::TooLarge));
        }
        let value = crate::pack_reader::parse_json(text).map_err(|problem| PackError {
            problems: vec![problem],
        })?;
        // The format and its version first: a newer pack's members would read as unknown ones.
        if value.get("format").and_then(|v| v.as_str()) != Some(PACK_FORMAT) {
            return Err(one("format", PackIssue::NotAPack));
        }
        match value.get("format_version").and_then(|v| v.as_u64()) {
            Some(v) if v > u64::from(PACK_FORMAT_VERSION) => {
                return Err(one(
                    "format_version",
                    PackIssue::NewerFormat(u32::try_from(v).unwrap_or(u32::MAX)),
                ))
            }
            _ => {}
        }
        let mut routine = crate::pack_reader::routine(value).map_err(|problem| PackError {
            problems: vec![problem],
        })?;
        routine.hash = pack_hash(text);
        routine.text = text.to_owned();
        let problems = routine.problems();
        if problems.is_empty() {
            Ok(routine)
        } else {
            Err(PackError { problems })
        }
    }

    /// The checks beyond the shape: ids, references between parts, texts, deadlines.
    pub fn problems(&self) -> Vec<PackProblem> {
        let mut found = Problems::default();
        let p = &mut found;
        if self.format_version == 0 {
            p.add("format_version", PackIssue::VersionZero);
        }
        let prov = &self.provenance;
        p.text("provenance.organisation", &prov.organisation);
        p.text("provenance.title", &prov.title);
        p.text("provenance.source", &prov.source);
        p.text("provenance.revision", &prov.revision);
        if !is_date(&prov.adopted) {
            p.add("provenance.adopted", PackIssue::BadDate);
        }
        p.id("id", &self.id);

        p.unique("roles", self.roles.iter().map(|r| r.id.as_str()));
        for (i, role) in self.roles.iter().enumerate() {
            p.id(&format!("roles[{i}].id"), &role.id);
            p.text(&format!("roles[{i}].title"), &role.title);
        }
        p.unique("contacts", self.contacts.iter().map(|c| c.id.as_str()));
        for (i, contact) in self.contacts.iter().enumerate() {
            let at = format!("contacts[{i}]");
            p.id(&format!("{at}.id"), &contact.id);
            p.text(&format!("{at}.name"), &contact.name);
            if let Some(phone) = &contact.phone {
                p.phone(&format!("{at}.phone"), phone);
            }
            if let Some(hours) = &contact.hours {
                p.text(&format!("{at}.hours"), hours);
            }
            if let Some(out) = &contact.out_of_hours {
                p.text(&format!("{at}.out_of_hours.name"), &out.name);
                p.phone(&format!("{at}.out_of_hours.phone"), &out.phone);
            }
        }
        p.unique("groups", self.groups.iter().map(|g| g.id.as_str()));
        for (i, group) in self.groups.iter().enumerate() {
            p.id(&format!("groups[{i}].id"), &group.id);
            p.text(&format!("groups[{i}].heading"), &group.heading);
        }

        if self.rows.is_empty() {
            p.add("rows", PackIssue::NoRows);
        }
        p.unique("rows", self.rows.iter().map(|r| r.id.as_str()));
        for (i, row) in self.rows.iter().enumerate() {
            let at = format!("rows[{i}]");
            p.id(&format!("{at}.id"), &row.id.0);
            if row.section == INCIDENT_SECTION {
                p.add(format!("{at}.section"), PackIssue::RowInIncident);
            } else if self.group_of(&row.section).is_none() {
                p.add(
                    format!("{at}.section"),
                    PackIssue::UnknownSection(row.section.clone()),
                );
            }
            p.text(&format!("{at}.text"), &row.text);
            for (j, item) in row.list.iter().enumerate() {
                p.text(&format!("{at}.list[{j}]"), item);
            }
            p.text(&format!("{at}.responsible_text"), &row.responsible_text);
            if row.responsible.is_empty() {
                p.add(format!("{at}.responsible"), PackIssue::NoResponsible);
            }
            for (j, role) in row.responsible.iter().enumerate() {
                if self.role(role).is_none() {
                    p.add(
                        format!("{at}.responsible[{j}]"),
                        PackIssue::UnknownRole(role.clone()),
                    );
                }
            }
            if let Some(deadline) = &row.deadline {
                if deadline.days().is_none() {
                    p.add(format!("{at}.deadline.within"), PackIssue::BadDeadline);
                }
                let met_by = &deadline.met_by;
                match self.form(&met_by.form) {
                    None => p.add(
                        format!("{at}.deadline.met_by.form"),
                        PackIssue::UnknownForm(met_by.form.clone()),
                    ),
                    Some(form) => match form.field(&met_by.field) {
                        None => p.add(
                            format!("{at}.deadline.met_by.field"),
                            PackIssue::UnknownField(met_by.field.clone()),
                        ),
                        Some(field) if !field.kind.is_time() => p.add(
                            format!("{at}.deadline.met_by.field"),
                            PackIssue::NotATimeField(met_by.field.clone()),
                        ),
                        Some(_) => {}
                    },
                }
            }
        }

        p.unique("forms", self.forms.iter().map(|f| f.id.as_str()));
        for (i, form) in self.forms.iter().enumerate() {
            let at = format!("forms[{i}]");
            p.id(&format!("{at}.id"), &form.id);
            if form.section != INCIDENT_SECTION
                && !self.rows.iter().any(|r| r.section == form.section)
            {
                p.add(
                    format!("{at}.section"),
                    PackIssue::UnknownSection(form.section.clone()),
                );
            }
            p.text(&format!("{at}.title"), &form.title);
            if let Some(reminder) = &form.reminder {
                p.text(&format!("{at}.reminder"), reminder);
            }
            if form.fields.is_empty() {
                p.add(format!("{at}.fields"), PackIssue::NoFields);
            }
            p.unique(
                &format!("{at}.fields"),
                form.fields.iter().map(|f| f.key.as_str()),
            );
            for (j, field) in form.fields.iter().enumerate() {
                let at = format!("{at}.fields[{j}]");
                p.id(&format!("{at}.key"), &field.key);
                p.text(&format!("{at}.label"), &field.label);
                match (field.kind.has_choices(), field.choices.is_empty()) {
                    (true, true) => p.add(format!("{at}.choices"), PackIssue::NoChoices),
                    (false, false) => {
                        p.add(format!("{at}.choices"), PackIssue::ChoicesOnPlainField)
                    }
                    _ => {}
                }
                p.unique(
                    &format!("{at}.choices"),
                    field.choices.iter().map(|c| c.key.as_str()),
                );
                for (k, choice) in field.choices.iter().enumerate() {
                    // A key is stored comma-separated in any_of values: no commas in it.
                    p.id(&format!("{at}.choices[{k}].key"), &choice.key);
                    p.text(&format!("{at}.choices[{k}].label"), &choice.label);
                }
            }
            for (j, key) in form.required.iter().enumerate() {
                if form.field(key).is_none() {
                    p.add(
                        format!("{at}.required[{j}]"),
                        PackIssue::UnknownField(key.clone()),
                    );
                }
            }
            for (j, rule) in form.rules.iter().enumerate() {
                let at = format!("{at}.rules[{j}]");
                match rule {
                    FormRule::EndAfterStart { start, end } => {
                        for (name, key) in [("start", start), ("end", end)] {
                            match form.field(key) {
                                None => p.add(
                                    format!("{at}.{name}"),
                                    PackIssue::UnknownField(key.clone()),
                                ),
                                Some(f) if !f.kind.is_time() => p.add(
                                    format!("{at}.{name}"),
                                    PackIssue::NotATimeField(key.clone()),
                                ),
                                Some(_) => {}
                            }
                        }
                    }
                    FormRule::NeedsConsent { consent, fields } => {
                        match form.field(consent) {
                            None => p.add(
                                format!("{at}.consent"),
                                PackIssue::UnknownField(consent.clone()),
                            ),
                            Some(f) if f.kind != Kind::YesNo => p.add(
                                format!("{at}.consent"),
                                PackIssue::NotAYesNoField(consent.clone()),
                            ),
                            Some(_) => {}
                        }
                        if fields.is_empty() {
                            p.add(format!("{at}.fields"), PackIssue::Empty);
                        }
                        for (k, key) in fields.iter().enumerate() {
                            if form.field(key).is_none() {
                                p.add(
                                    format!("{at}.fields[{k}]"),
                                    PackIssue::UnknownField(key.clone()),
                                );
                            }
                        }
                    }
                }
            }
        }

        p.unique("checklists", self.checklists.iter().map(|c| c.id.as_str()));
        for (i, list) in self.checklists.iter().enumerate() {
            let at = format!("checklists[{i}]");
            p.id(&format!("{at}.id"), &list.id);
            p.text(&format!("{at}.title"), &list.title);
            if list.channels.is_empty() {
                p.add(format!("{at}.channels"), PackIssue::Empty);
            }
            if list.items.is_empty() {
                p.add(format!("{at}.items"), PackIssue::Empty);
            }
            for (j, item) in list.items.iter().enumerate() {
                p.text(&format!("{at}.items[{j}]"), item);
            }
        }
        found.0
    }

    /// The SHA-256 of the pack file's bytes.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The pack file's text, byte for byte.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn reference(&self) -> RoutineRef {
        RoutineRef {
            id: self.id.clone(),
            version: self.version,
            hash: Some(self.hash.clone()),
        }
    }

    /// The organisation and title, as a list or a heading names the pack.
    pub fn title(&self, lang: Lang) -> &str {
        self.provenance.title.get(lang)
    }

    pub fn row(&self, id: &RowId) -> Option<&Row> {
        self.rows.iter().find(|row| &row.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&PackRole> {
        self.roles.iter().find(|role| role.id == id)
    }

    /// The kinds of actor responsible for a row.
    pub fn actors_of(&self, row: &Row) -> Vec<Role> {
        row.responsible
            .iter()
            .filter_map(|id| self.role(id))
            .map(|role| role.actor)
            .collect()
    }

    pub fn form(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|form| form.id == id)
    }

    /// The forms of one section (or `INCIDENT_SECTION`), in the pack's order; the witness list
    /// (`witness_form`) is not among them, as it is shown with the evidence.
    pub fn forms_of<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Form> + 'a {
        self.forms
            .iter()
            .filter(move |form| form.section == section && !is_witness_form(form))
    }

    /// The list form of the case's witnesses (`WITNESS_FORM`), if the pack has one.
    pub fn witness_form(&self) -> Option<&Form> {
        self.forms.iter().find(|form| is_witness_form(form))
    }

    pub fn sections(&self) -> Vec<Section<'_>> {
        // A section's rows gathered where it first comes, in the pack's order: a section whose
        // rows another's split is still one section (its forms shown once).
        let mut sections: Vec<Section<'_>> = Vec::new();
        for row in &self.rows {
            match sections.iter_mut().find(|s| s.number == row.section) {
                Some(section) => section.rows.push(row),
                None => sections.push(Section {
                    number: &row.section,
                    rows: vec![row],
                }),
            }
        }
        sections
    }

    pub fn group_of(&self, section: &str) -> Option<&Group> {
        self.groups.iter().find(|g| {
            section == g.id
                || section
                    .strip_prefix(g.id.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// The follow-up deadline: the first row with a deadline, how many days after the incident
    /// it falls, and the form field that records when it was met.
    pub fn follow_up(&self) -> Option<FollowUp<'_>> {
        self.rows.iter().find_map(|row| {
            let deadline = row.deadline.as_ref()?;
            Some(FollowUp {
                row,
                days: deadline.days()?,
                met_by: &deadline.met_by,
            })
        })
    }

    /// The checklists for one channel.
    pub fn checklists_for(&self, channel: Channel) -> impl Iterator<Item = &Checklist> {
        self.checklists
            .iter()
            .filter(move |list| list.channels.contains(&channel))
    }
}

/// A routine's follow-up deadline (`Routine::follow_up`).
#[derive(Clone, Copy, Debug)]
pub struct FollowUp<'a> {
    pub row: &'a Row,
    pub days: i64,
    pub met_by: &'a FieldRef,
}

#[derive(Default)]
struct Problems(Vec<PackProblem>);

impl Problems {
    fn add(&mut self, path: impl Into<String>, issue: PackIssue) {
        self.0.push(PackProblem {
            path: path.into(),
            issue,
        });
    }

    fn text(&mut self, path: &str, text: &Text) {
        if text.sv.trim().is_empty() {
            self.add(format!("{path}.sv"), PackIssue::EmptyText);
        }
        if text.en.trim().is_empty() {
            self.add(format!("{path}.en"), PackIssue::EmptyText);
        }
    }

    /// An id: not empty, no white space or commas (ids are stored in values and file names).
    fn id(&mut self, path: &str, id: &str) {
        if id.is_empty() || id.len() > 64 || id.chars().any(|c| c.is_whitespace() || c == ',') {
            self.add(path, PackIssue::NotAnId(crate::pack_reader::shortened(id)));
        }
    }

    fn unique<'a>(&mut self, path: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.add(format!("{path}[{i}]"), PackIssue::Duplicate(id.to_owned()));
            }
        }
    }

    fn phone(&mut self, path: &str, phone: &str) {
        if normalize_phone(phone).as_deref() != Some(phone) {
            self.add(path, PackIssue::BadPhone);
        }
    }
}

fn is_date(text: &str) -> bool {
    crate::time::parse_iso_date(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_days_or_weeks() {
        let d = |within: &str| {
            Deadline {
                within: within.into(),
                met_by: FieldRef {
                    form: "f".into(),
                    field: "x".into(),
                },
            }
            .days()
        };
        assert_eq!(d("P14D"), Some(14));
        assert_eq!(d("P2W"), Some(14));
        assert_eq!(d("P0D"), None);
        assert_eq!(d("P400D"), None);
        assert_eq!(d("14 dagar"), None);
        assert_eq!(d("P2M"), None);
        assert_eq!(d("P"), None);
        assert_eq!(d("PD"), None);
        assert_eq!(d("P-1D"), None);
        // A last character of several bytes is refused, not split inside.
        assert_eq!(d("Pé"), None);
        assert_eq!(d("P1ö"), None);
        assert_eq!(d("P14D€"), None);
    }

    #[test]
    fn a_deadline_of_other_characters_is_named_not_a_crash() {
        let shipped = crate::testing::OXELOSUND_PACK;
        assert!(
            shipped.contains(r#""within": "P14D""#),
            "the pack has the deadline"
        );
        let hostile = shipped.replace(r#""within": "P14D""#, r#""within": "Pé""#);
        let problems = Routine::parse(&hostile).unwrap_err().problems;
        assert!(
            problems.iter().any(|p| p.issue == PackIssue::BadDeadline),
            "{problems:?}"
        );
    }

    #[test]
    fn a_newer_format_and_a_foreign_file_are_named() {
        let newer = r#"{"format":"stodrutin-routine-pack","format_version":9,"extra":1}"#;
        assert_eq!(
            Routine::parse(newer).unwrap_err().problems[0].issue,
            PackIssue::NewerFormat(9)
        );
        assert_eq!(
            Routine::parse(r#"{"format":"stodrutin-case"}"#)
                .unwrap_err()
                .problems[0]
                .issue,
            PackIssue::NotAPack
        );
        assert_eq!(
            Routine::parse("{").unwrap_err().problems[0].issue,
            PackIssue::NotJson
        );
        // Text after the pack: not JSON (another reader may take either part).
        for after in [" x", "{}", "\n\"\""] {
            let text = format!("{}{after}", crate::testing::OXELOSUND_PACK);
            assert_eq!(
                Routine::parse(&text).unwrap_err().problems[0].issue,
                PackIssue::NotJson
            );
        }
        let spaced = format!("{}\n\n \t", crate::testing::OXELOSUND_PACK);
        assert!(Routine::parse(&spaced).is_ok());
    }

    #[test]
    fn a_member_given_twice_is_refused() {
        let shipped = crate::testing::OXELOSUND_PACK;
        assert!(Routine::parse(shipped).is_ok());
        // A row's text twice: one reader of the file would see the first, the app the last.
        let (before, after) = shipped.split_once(r#""sv": "#).unwrap();
        let twice = format!(r#"{before}"sv": "Ändrad text", "sv": {after}"#);
        assert_eq!(
            Routine::parse(&twice).unwrap_err().problems,
            vec![PackProblem {
                path: String::new(),
                issue: PackIssue::MemberTwice("sv".into())
            }]
        );
        // Twice at the top, and deep in a list.
        let top = shipped.replacen('{', r#"{"id": "x","#, 1);
        assert_eq!(
            Routine::parse(&top).unwrap_err().problems[0].issue,
            PackIssue::MemberTwice("id".into())
        );
        assert_eq!(
            Routine::parse(r#"{"a": [1, {"b": 1, "c": [{"d": 1, "d": 2}]}]}"#)
                .unwrap_err()
                .problems[0]
                .issue,
            PackIssue::MemberTwice("d".into())
        );
    }
}
