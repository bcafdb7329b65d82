//! The structured records of a case: the incident's details and what each part of the routine
//! asks to be written down (who was told and when, the police report's reference, the support
//! person, company, who was informed, the follow-up talk). Each form is data here; a record is a
//! `DetailsRecorded` event holding the form's filled-in values as text.
//!
//! A form is either a sheet (each record replaces the form's values: corrections are new
//! records) or a list (each record adds an entry, e.g. one stretch of company).

use crate::limits::{within_chars, TimeError, TimeWindow, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

pub type Values = BTreeMap<String, String>;

/// One option of a choice: its stored key and its label in Swedish and English.
#[derive(Debug)]
pub struct Choice {
    pub key: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

#[derive(Debug)]
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
    /// One of the options.
    OneOf(&'static [Choice]),
    /// Any number of the options, stored comma-separated.
    AnyOf(&'static [Choice]),
}

#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    pub sv: &'static str,
    pub en: &'static str,
}

#[derive(Debug)]
pub struct Form {
    pub id: &'static str,
    /// The routine section the form belongs to ("3.1.3"), or "incident".
    pub section: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
    /// Each record adds an entry instead of replacing the values.
    pub list: bool,
    /// Fields a record must fill in.
    pub required: &'static [&'static str],
    /// A reminder from the routine shown with the form (Swedish, English).
    pub reminder: Option<(&'static str, &'static str)>,
    pub fields: &'static [Field],
}

const fn field(key: &'static str, kind: Kind, sv: &'static str, en: &'static str) -> Field {
    Field { key, kind, sv, en }
}

const fn choice(key: &'static str, sv: &'static str, en: &'static str) -> Choice {
    Choice { key, sv, en }
}

pub const INCIDENT_KINDS: &[Choice] = &[
    choice("hot", "Hot", "Threat"),
    choice("vald", "Våld", "Violence"),
    choice("trakasserier", "Trakasserier", "Harassment"),
];

const CONTACTED_OR_NOT_NEEDED: &[Choice] = &[
    choice("contacted", "Kontaktad", "Contacted"),
    choice("not_needed", "Behövs inte", "Not needed"),
];

const POLICE_CONTACT: &[Choice] = &[
    choice(
        "contacted",
        "Kontaktad för bedömning",
        "Contacted for an assessment",
    ),
    choice("not_contacted", "Inte kontaktad", "Not contacted"),
];

pub const REPORT_DECISIONS: &[Choice] = &[
    choice("report", "Polisanmälan görs", "A police report is made"),
    choice("no_report", "Ingen polisanmälan", "No police report"),
    choice("undecided", "Inte bestämt än", "Not decided yet"),
];

const DESTINATIONS: &[Choice] = &[
    choice("care", "Sjukvård", "Health care"),
    choice("home", "Hemmet", "Home"),
    choice("other", "Annan vald plats", "Another chosen place"),
    choice(
        "waiting",
        "I väntan på stödperson",
        "Waiting for the support person",
    ),
];

pub const TARGET_GROUPS: &[Choice] = &[
    choice("party", "Partikollegor", "Party colleagues"),
    choice(
        "elected",
        "Andra förtroendevalda",
        "Other elected officials",
    ),
    choice("staff", "Kommunens medarbetare", "Municipal staff"),
    choice("media", "Massmedia", "Mass media"),
];

const OCCUPATIONAL_HEALTH: &[Choice] = &[
    choice("ordered", "Beställt", "Ordered"),
    choice("not_needed", "Behövs inte", "Not needed"),
    choice("undecided", "Inte bestämt än", "Not decided yet"),
];

pub const FORMS: &[Form] = &[
    Form {
        id: "incident",
        section: "incident",
        sv: "Om händelsen",
        en: "About the incident",
        list: false,
        reminder: None,
        required: &[],
        fields: &[
            field(
                "place",
                Kind::Text,
                "Var hände det?",
                "Where did it happen?",
            ),
            field(
                "kinds",
                Kind::AnyOf(INCIDENT_KINDS),
                "Vad hände?",
                "What happened?",
            ),
            field(
                "description",
                Kind::LongText,
                "Kort beskrivning",
                "Short description",
            ),
            field(
                "affected",
                Kind::Text,
                "Vem drabbades?",
                "Who was affected?",
            ),
        ],
    },
    Form {
        id: "officer",
        section: "3.1.2",
        sv: "Säkerhetsansvarig, säkerhetsstrateg och polis",
        en: "Security officer, security strategist and police",
        list: false,
        reminder: None,
        required: &[],
        fields: &[
            field(
                "informed_at",
                Kind::At,
                "Partiets säkerhetsansvarig informerades",
                "The party's security officer was informed",
            ),
            field("informed_by", Kind::Text, "Informerad av", "Informed by"),
            field(
                "assessment",
                Kind::LongText,
                "Säkerhetsansvarigs bedömning",
                "The security officer's assessment",
            ),
            field(
                "strategist",
                Kind::OneOf(CONTACTED_OR_NOT_NEEDED),
                "Kommunens säkerhetsstrateg",
                "The municipality's security strategist",
            ),
            field(
                "strategist_at",
                Kind::At,
                "Säkerhetsstrategen kontaktad",
                "Security strategist contacted",
            ),
            field(
                "police",
                Kind::OneOf(POLICE_CONTACT),
                "Polisen",
                "The police",
            ),
            field(
                "police_at",
                Kind::At,
                "Polisen kontaktad",
                "Police contacted",
            ),
            field(
                "police_link",
                Kind::YesNo,
                "Kopplingen till det politiska uppdraget framfördes till polisen",
                "The link to the political assignment was stated to the police",
            ),
        ],
    },
    Form {
        id: "report",
        section: "3.1.3",
        sv: "Polisanmälan",
        en: "Police report",
        list: false,
        reminder: None,
        required: &["decision"],
        fields: &[
            field(
                "decision",
                Kind::OneOf(REPORT_DECISIONS),
                "Den utsattes beslut",
                "The affected person's decision",
            ),
            field(
                "reference",
                Kind::Text,
                "Anmälans diarienummer",
                "The report's reference number",
            ),
            field(
                "access_protection",
                Kind::YesNo,
                "Åtkomstskydd begärdes",
                "Access protection (åtkomstskydd) was requested",
            ),
            field(
                "link_stated",
                Kind::YesNo,
                "Kopplingen till det politiska uppdraget angavs",
                "The link to the political assignment was stated",
            ),
        ],
    },
    Form {
        id: "support",
        section: "3.2.1",
        sv: "Stöd till den utsatte",
        en: "Support for the affected person",
        list: false,
        reminder: None,
        required: &[],
        fields: &[
            field(
                "support_now",
                Kind::Text,
                "Vem ger initialt stöd nu?",
                "Who gives initial support now?",
            ),
            field(
                "chosen_name",
                Kind::Text,
                "Vald stödperson: namn",
                "Chosen support person: name",
            ),
            field(
                "chosen_relation",
                Kind::Text,
                "Relation till den utsatte",
                "Relation to the affected person",
            ),
            field(
                "chosen_phone",
                Kind::Phone,
                "Stödpersonens telefon",
                "The support person's phone",
            ),
            field(
                "consent",
                Kind::YesNo,
                "Den utsatte samtycker till att uppgifterna om stödpersonen sparas",
                "The affected person consents to storing the support person's details",
            ),
        ],
    },
    Form {
        id: "company",
        section: "3.2.2",
        sv: "Sällskap",
        en: "Company",
        list: true,
        reminder: None,
        required: &["who", "from_at"],
        fields: &[
            field("who", Kind::Text, "Vem gav sällskap?", "Who kept company?"),
            field(
                "destination",
                Kind::OneOf(DESTINATIONS),
                "Till eller i väntan på",
                "To or waiting for",
            ),
            field("from_at", Kind::At, "Från", "From"),
            field("to_at", Kind::At, "Till", "Until"),
        ],
    },
    Form {
        id: "inform",
        section: "3.2.3",
        sv: "Information till målgrupper",
        en: "Information to target groups",
        list: true,
        reminder: Some((
            "Endast nödvändig information om det inträffade lämnas (rutinen 3.2.3).",
            "Only necessary information about what happened is given (routine 3.2.3).",
        )),
        required: &["groups"],
        fields: &[
            field(
                "groups",
                Kind::AnyOf(TARGET_GROUPS),
                "Vilka informerades?",
                "Who was informed?",
            ),
            field("by", Kind::Text, "Informerade av", "Informed by"),
            field("said", Kind::LongText, "Vad sades?", "What was said?"),
        ],
    },
    Form {
        id: "followup",
        section: "3.2.4",
        sv: "Uppföljande samtal",
        en: "Follow-up talk",
        list: false,
        reminder: None,
        required: &[],
        fields: &[
            field(
                "talk_at",
                Kind::Scheduled,
                "Samtalet hålls eller hölls",
                "The talk is or was held",
            ),
            field(
                "documentation",
                Kind::LongText,
                "Dokumentation av samtalet",
                "Documentation of the talk",
            ),
            field(
                "further_need",
                Kind::LongText,
                "Behov av ytterligare uppföljning",
                "Need for further follow-up",
            ),
            field(
                "professional_need",
                Kind::LongText,
                "Behov av professionellt stöd",
                "Need for professional support",
            ),
            field(
                "occupational_health",
                Kind::OneOf(OCCUPATIONAL_HEALTH),
                "Stöd via företagshälsovården",
                "Support through the occupational health service",
            ),
        ],
    },
];

pub fn form(id: &str) -> Option<&'static Form> {
    FORMS.iter().find(|f| f.id == id)
}

impl Form {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The forms of one routine section, in order.
    pub fn of_section(section: &str) -> impl Iterator<Item = &'static Form> + '_ {
        FORMS.iter().filter(move |f| f.section == section)
    }
}

/// What is wrong with a record, and in which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailError {
    pub field: Option<&'static str>,
    pub problem: Problem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    UnknownForm,
    UnknownField,
    /// Nothing filled in.
    Empty,
    /// The same values as the form holds already.
    Unchanged,
    Required,
    TooLong {
        max: usize,
    },
    BadTime,
    TimeInFuture,
    BeforeIncident,
    EndBeforeStart,
    BadPhone,
    BadChoice,
    /// The chosen support person's details without the affected person's consent.
    ConsentMissing,
    /// A stored value that is not as the app stores it (trimmed; times, phone numbers and choices
    /// in their one written form): not recorded by the app.
    NotCanonical,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::UnknownForm => f.write_str("no such form"),
            Problem::UnknownField => f.write_str("no such field in the form"),
            Problem::Empty => f.write_str("nothing is filled in"),
            Problem::Unchanged => f.write_str("nothing changed"),
            Problem::Required => f.write_str("a required field is empty"),
            Problem::TooLong { max } => write!(f, "longer than {max} characters"),
            Problem::BadTime => f.write_str("not a time"),
            Problem::TimeInFuture => f.write_str("the time lies in the future"),
            Problem::BeforeIncident => f.write_str("the time lies before the incident"),
            Problem::EndBeforeStart => f.write_str("the end lies before the start"),
            Problem::BadPhone => f.write_str("not a phone number"),
            Problem::BadChoice => f.write_str("not one of the choices"),
            Problem::ConsentMissing => {
                f.write_str("the support person's details need the affected person's consent")
            }
            Problem::NotCanonical => f.write_str("the value is not written as the app writes it"),
        }
    }
}

impl std::fmt::Display for DetailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.field {
            Some(field) => write!(f, "{field}: {}", self.problem),
            None => self.problem.fmt(f),
        }
    }
}

impl std::error::Error for DetailError {}

fn err(field: &'static str, problem: Problem) -> DetailError {
    DetailError {
        field: Some(field),
        problem,
    }
}

fn whole(problem: Problem) -> DetailError {
    DetailError {
        field: None,
        problem,
    }
}

/// What a record is checked against: the case as it stands.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// When the record's times may lie: not after the clock, not before the incident.
    pub times: TimeWindow,
    /// The sheet's current values (for a sheet form that has been filled in before).
    pub previous: Option<&'a Values>,
}

/// Checks a new record of `form_id`, as filled in, and returns what is stored: for a list the
/// values trimmed and empty ones left out; for a sheet only what changed ("" for a value emptied).
pub fn check(form_id: &str, values: &Values, context: Context) -> Result<Values, DetailError> {
    let form = form(form_id).ok_or(whole(Problem::UnknownForm))?;
    let mut clean = Values::new();
    for (key, value) in values {
        let field = form.field(key).ok_or(whole(Problem::UnknownField))?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let value = check_value(field, value, context.times)?;
        clean.insert(field.key.to_owned(), value);
    }
    if clean.is_empty() && context.previous.is_none() && form.required.is_empty() {
        return Err(whole(Problem::Empty));
    }
    check_required(form, &clean)?;
    // What is filled in is the whole record: a consent not in it is not given.
    check_rules(form, &clean, false)?;
    if form.list {
        return Ok(clean);
    }
    // A sheet records only what changed ("" for a value emptied), so two phones that each changed
    // other fields of the same sheet both keep their change when their copies merge.
    let changes = sheet_changes(form, context.previous, &clean);
    if changes.is_empty() {
        return Err(whole(Problem::Unchanged));
    }
    Ok(changes)
}

/// Checks a record as a case holds it (a list's entry, or a sheet's changes), e.g. one a file
/// brings, by the rules `check` applies to a new record: known form and fields, each value as
/// `check` would have stored it, required fields, and the rules across fields.
///
/// The record may have been made on a copy that lacked some of the events before it in this log
/// (copies merge), so it is held only to what its phone must have seen: the sheet as this log has
/// it (`context.previous`) for the required fields alone, which no record ever empties; and, for
/// a record that leaves the consent as it was, `consent_given_before`: whether an earlier record
/// gave it (this log may hold a withdrawal the recording phone had not seen yet).
pub fn check_stored(
    form_id: &str,
    values: &Values,
    context: Context,
    consent_given_before: bool,
) -> Result<(), DetailError> {
    let form = form(form_id).ok_or(whole(Problem::UnknownForm))?;
    for (key, value) in values {
        let field = form.field(key).ok_or(whole(Problem::UnknownField))?;
        if value.is_empty() {
            if form.list {
                // A new record leaves empty values out.
                return Err(err(field.key, Problem::NotCanonical));
            }
            // A sheet's value emptied.
            continue;
        }
        if check_value(field, value.trim(), context.times)? != *value {
            return Err(err(field.key, Problem::NotCanonical));
        }
    }
    if form.list {
        check_required(form, values)?;
    } else {
        let mut sheet = context.previous.cloned().unwrap_or_default();
        apply_changes(&mut sheet, values);
        check_required(form, &sheet)?;
    }
    check_rules(form, values, consent_given_before)
}

fn check_required(form: &Form, values: &Values) -> Result<(), DetailError> {
    match form
        .required
        .iter()
        .find(|k| values.get(**k).is_none_or(String::is_empty))
    {
        Some(missing) => Err(err(missing, Problem::Required)),
        None => Ok(()),
    }
}

/// Whether a stored record gives the affected person's consent to keep the chosen support
/// person's details.
pub fn gives_consent(form_id: &str, values: &Values) -> bool {
    form_id == SUPPORT_FORM && values.get(CONSENT_FIELD).map(String::as_str) == Some("yes")
}

fn sheet_changes(form: &Form, previous: Option<&Values>, wanted: &Values) -> Values {
    form.fields
        .iter()
        .filter_map(|field| {
            let old = previous.and_then(|p| p.get(field.key));
            let new = wanted.get(field.key);
            (old != new).then(|| (field.key.to_owned(), new.cloned().unwrap_or_default()))
        })
        .collect()
}

/// Applies a sheet record to the sheet's values: a value sets the field, "" empties it.
pub fn apply_changes(sheet: &mut Values, changes: &Values) {
    for (key, value) in changes {
        if value.is_empty() {
            sheet.remove(key);
        } else {
            sheet.insert(key.clone(), value.clone());
        }
    }
}

/// Checks one filled-in value (trimmed, not empty) and returns it as stored.
fn check_value(
    field: &'static Field,
    value: &str,
    times: TimeWindow,
) -> Result<String, DetailError> {
    let fail = |problem| Err(err(field.key, problem));
    let time_problem = |error| match error {
        TimeError::InFuture => Problem::TimeInFuture,
        TimeError::BeforeIncident => Problem::BeforeIncident,
    };
    match &field.kind {
        Kind::Text if !within_chars(value, MAX_SHORT_CHARS) => fail(Problem::TooLong {
            max: MAX_SHORT_CHARS,
        }),
        Kind::LongText if !within_chars(value, MAX_TEXT_CHARS) => fail(Problem::TooLong {
            max: MAX_TEXT_CHARS,
        }),
        Kind::Text | Kind::LongText => Ok(value.to_owned()),
        Kind::At | Kind::Scheduled => {
            let Ok(at) = DateTime::parse_from_rfc3339(value).map(|t| t.with_timezone(&Utc)) else {
                return fail(Problem::BadTime);
            };
            let checked = if matches!(field.kind, Kind::At) {
                times.check_happened(at)
            } else {
                times.check_not_before_incident(at)
            };
            match checked {
                Ok(()) => Ok(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                Err(error) => fail(time_problem(error)),
            }
        }
        Kind::Phone => normalize_phone(value).map_or(fail(Problem::BadPhone), Ok),
        Kind::YesNo if value == "yes" || value == "no" => Ok(value.to_owned()),
        Kind::OneOf(options) if options.iter().any(|o| o.key == value) => Ok(value.to_owned()),
        Kind::AnyOf(options) => {
            let mut chosen: Vec<&str> = value.split(',').map(str::trim).collect();
            chosen.dedup();
            if chosen.iter().all(|c| options.iter().any(|o| o.key == *c)) {
                // Stored in the options' order, so equal choices read the same.
                let ordered: Vec<&str> = options
                    .iter()
                    .map(|o| o.key)
                    .filter(|k| chosen.contains(k))
                    .collect();
                Ok(ordered.join(","))
            } else {
                fail(Problem::BadChoice)
            }
        }
        Kind::YesNo | Kind::OneOf(_) => fail(Problem::BadChoice),
    }
}

const SUPPORT_FORM: &str = "support";
const CONSENT_FIELD: &str = "consent";
/// The support form's fields about the chosen support person, kept only with consent.
const CHOSEN_PERSON_FIELDS: [&str; 3] = ["chosen_name", "chosen_relation", "chosen_phone"];

/// Rules across the fields of one record. `consent_given_before` stands for a record that leaves
/// the consent out: a new record's values are the whole sheet, so for them it is `false`.
fn check_rules(
    form: &Form,
    record: &Values,
    consent_given_before: bool,
) -> Result<(), DetailError> {
    match form.id {
        "company" => match (record.get("from_at"), record.get("to_at")) {
            // Both are canonical RFC 3339 UTC with the same layout: text order is time order.
            (Some(from), Some(to)) if to < from => Err(err("to_at", Problem::EndBeforeStart)),
            _ => Ok(()),
        },
        SUPPORT_FORM => {
            let about_chosen = CHOSEN_PERSON_FIELDS
                .iter()
                .any(|k| record.get(*k).is_some_and(|v| !v.is_empty()));
            let consent = match record.get(CONSENT_FIELD) {
                Some(value) => value == "yes",
                None => consent_given_before,
            };
            if about_chosen && !consent {
                Err(err(CONSENT_FIELD, Problem::ConsentMissing))
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// A phone number as dialled: digits with an optional leading +; spaces, dashes, dots and
/// brackets are dropped. Between 3 (112) and 15 digits (the international maximum).
pub fn normalize_phone(text: &str) -> Option<String> {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", text),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => return None,
        }
    }
    (3..=15)
        .contains(&digits.len())
        .then(|| format!("{plus}{digits}"))
}

/// The labels of a stored choice value ("hot,vald" → ["Hot", "Våld"]).
pub fn choice_labels(field: &Field, value: &str, swedish: bool) -> Vec<&'static str> {
    let options = match &field.kind {
        Kind::OneOf(options) | Kind::AnyOf(options) => *options,
        _ => return Vec::new(),
    };
    value
        .split(',')
        .filter_map(|key| options.iter().find(|o| o.key == key))
        .map(|o| if swedish { o.sv } else { o.en })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    use crate::testing::values;

    const INCIDENT: &str = "2026-11-20T10:00:00Z";
    const NOW: &str = "2026-11-21T10:00:00Z";

    fn check_now(form: &str, pairs: &[(&str, &str)]) -> Result<Values, DetailError> {
        check(
            form,
            &values(pairs),
            Context {
                times: TimeWindow::recording(t(NOW), Some(t(INCIDENT))),
                previous: None,
            },
        )
    }

    #[test]
    fn every_form_and_field_is_unique_and_required_fields_exist() {
        let mut ids = std::collections::BTreeSet::new();
        for form in FORMS {
            assert!(ids.insert(form.id), "{} twice", form.id);
            let mut keys = std::collections::BTreeSet::new();
            for field in form.fields {
                assert!(keys.insert(field.key), "{}.{} twice", form.id, field.key);
            }
            for key in form.required {
                assert!(
                    form.field(key).is_some(),
                    "{}.{key} required but absent",
                    form.id
                );
            }
        }
    }

    #[test]
    fn a_clean_record_is_trimmed_and_empty_values_dropped() {
        let clean = check_now(
            "incident",
            &[
                ("place", "  Stadshuset "),
                ("kinds", "vald,hot"),
                ("description", ""),
            ],
        )
        .unwrap();
        assert_eq!(
            clean,
            values(&[("place", "Stadshuset"), ("kinds", "hot,vald")])
        );
    }

    #[test]
    fn times_are_checked_against_the_incident_and_the_clock() {
        assert_eq!(
            check_now("officer", &[("informed_at", "2026-11-19T10:00:00Z")]).unwrap_err(),
            err("informed_at", Problem::BeforeIncident)
        );
        assert_eq!(
            check_now("officer", &[("informed_at", "2026-11-22T10:00:00Z")]).unwrap_err(),
            err("informed_at", Problem::TimeInFuture)
        );
        assert_eq!(
            check_now("officer", &[("informed_at", "igår")]).unwrap_err(),
            err("informed_at", Problem::BadTime)
        );
        // A follow-up talk may be booked ahead, but not before the incident.
        assert!(check_now("followup", &[("talk_at", "2026-12-01T09:00:00Z")]).is_ok());
        assert_eq!(
            check_now("followup", &[("talk_at", "2026-11-01T09:00:00Z")]).unwrap_err(),
            err("talk_at", Problem::BeforeIncident)
        );
        assert_eq!(
            check_now(
                "company",
                &[
                    ("who", "Eva"),
                    ("from_at", "2026-11-20T12:00:00Z"),
                    ("to_at", "2026-11-20T11:00:00Z")
                ]
            )
            .unwrap_err(),
            err("to_at", Problem::EndBeforeStart)
        );
    }

    #[test]
    fn phones_choices_and_lengths() {
        assert_eq!(normalize_phone("070-123 45 67"), Some("0701234567".into()));
        assert_eq!(normalize_phone("+46 (0)70 123"), Some("+46070123".into()));
        assert_eq!(normalize_phone("114 14"), Some("11414".into()));
        assert_eq!(normalize_phone("ring Eva"), None);
        assert_eq!(normalize_phone("12"), None);
        assert_eq!(
            check_now("support", &[("chosen_phone", "abc"), ("consent", "yes")]).unwrap_err(),
            err("chosen_phone", Problem::BadPhone)
        );
        assert_eq!(
            check_now("report", &[("decision", "<script>")]).unwrap_err(),
            err("decision", Problem::BadChoice)
        );
        assert_eq!(
            check_now("incident", &[("place", &"x".repeat(201))]).unwrap_err(),
            err(
                "place",
                Problem::TooLong {
                    max: MAX_SHORT_CHARS
                }
            )
        );
        assert_eq!(
            check_now("incident", &[("description", &"x".repeat(10_000))]).unwrap_err(),
            err(
                "description",
                Problem::TooLong {
                    max: MAX_TEXT_CHARS
                }
            )
        );
    }

    #[test]
    fn the_support_person_needs_consent_and_lists_need_their_fields() {
        assert_eq!(
            check_now("support", &[("chosen_name", "Kim")]).unwrap_err(),
            err("consent", Problem::ConsentMissing)
        );
        assert!(check_now("support", &[("chosen_name", "Kim"), ("consent", "yes")]).is_ok());
        assert!(check_now("support", &[("support_now", "Ali")]).is_ok());
        assert_eq!(
            check_now("company", &[("who", "Eva")]).unwrap_err(),
            err("from_at", Problem::Required)
        );
        assert_eq!(
            check_now("inform", &[("by", "Ali")]).unwrap_err(),
            err("groups", Problem::Required)
        );
        assert_eq!(
            check_now("nope", &[]).unwrap_err().problem,
            Problem::UnknownForm
        );
        assert_eq!(
            check_now("report", &[("nope", "x")]).unwrap_err().problem,
            Problem::UnknownField
        );
    }

    #[test]
    fn empty_and_unchanged_records_are_refused_but_a_sheet_can_be_cleared() {
        assert_eq!(
            check_now("incident", &[("place", " ")])
                .unwrap_err()
                .problem,
            Problem::Empty
        );
        let previous = values(&[("place", "Torget")]);
        let context = Context {
            times: TimeWindow::recording(t(NOW), Some(t(INCIDENT))),
            previous: Some(&previous),
        };
        assert_eq!(
            check("incident", &values(&[("place", "Torget ")]), context)
                .unwrap_err()
                .problem,
            Problem::Unchanged
        );
        assert_eq!(
            check("incident", &values(&[("place", "")]), context),
            Ok(values(&[("place", "")])),
            "emptying a field is recorded as a change"
        );
        assert_eq!(
            check(
                "incident",
                &values(&[("place", "Torget"), ("affected", "Kim")]),
                context
            ),
            Ok(values(&[("affected", "Kim")])),
            "only what changed is recorded"
        );
    }

    #[test]
    fn html_is_kept_as_text() {
        let clean = check_now("incident", &[("place", "<b>Torget</b>")]).unwrap();
        assert_eq!(clean["place"], "<b>Torget</b>");
    }
}
