//! The structured records of a case: the incident's details and what each part of the routine
//! asks to be written down (who was told and when, the police report's reference, the support
//! person, company, who was informed, the follow-up talk). The forms are data of the routine pack
//! (`routine::Form`); here they are checked. A record is a `DetailsRecorded` event holding the
//! form's filled-in values as text.
//!
//! A form is either a sheet (each record replaces the form's values: corrections are new
//! records) or a list (each record adds an entry, e.g. one stretch of company).

use crate::limits::{within_chars, TimeError, TimeWindow, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
pub use crate::routine::{Choice, Field, Form, FormRule, Kind};
use crate::text::Lang;
use crate::time::rfc3339;
use std::collections::BTreeMap;

pub type Values = BTreeMap<String, String>;

/// What is wrong with a record, and in which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailError {
    pub field: Option<String>,
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
                f.write_str("the details about the person need their consent")
            }
            Problem::NotCanonical => f.write_str("the value is not written as the app writes it"),
        }
    }
}

impl std::fmt::Display for DetailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.problem),
            None => self.problem.fmt(f),
        }
    }
}

impl std::error::Error for DetailError {}

fn err(field: &str, problem: Problem) -> DetailError {
    DetailError {
        field: Some(field.to_owned()),
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

/// Checks a new record of `form` (`None`: a form the routine does not have), as filled in, and
/// returns what is stored: for a list the values trimmed and empty ones left out; for a sheet only
/// what changed ("" for a value emptied).
pub fn check(
    form: Option<&Form>,
    values: &Values,
    context: Context,
) -> Result<Values, DetailError> {
    let form = form.ok_or(whole(Problem::UnknownForm))?;
    let mut clean = Values::new();
    for (key, value) in values {
        let field = form.field(key).ok_or(whole(Problem::UnknownField))?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        // A sheet's value as it stands is kept as it is: held to today's window, a time recorded
        // before the incident was corrected later (or on a phone whose clock ran ahead) would keep
        // every other field of the sheet from being saved.
        let unchanged = !form.list
            && context
                .previous
                .and_then(|p| p.get(key))
                .map(String::as_str)
                == Some(value);
        let value = if unchanged {
            value.to_owned()
        } else {
            check_value(field, value, context.times)?
        };
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
    form: Option<&Form>,
    values: &Values,
    context: Context,
    consent_given_before: bool,
) -> Result<(), DetailError> {
    let form = form.ok_or(whole(Problem::UnknownForm))?;
    for (key, value) in values {
        let field = form.field(key).ok_or(whole(Problem::UnknownField))?;
        if value.is_empty() {
            if form.list {
                // A new record leaves empty values out.
                return Err(err(&field.key, Problem::NotCanonical));
            }
            // A sheet's value emptied.
            continue;
        }
        if check_value(field, value.trim(), context.times)? != *value {
            return Err(err(&field.key, Problem::NotCanonical));
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
        .find(|k| values.get(*k).is_none_or(String::is_empty))
    {
        Some(missing) => Err(err(missing, Problem::Required)),
        None => Ok(()),
    }
}

/// Whether a stored record gives the affected person's consent to keep the chosen support
/// person's details.
pub fn gives_consent(form: &Form, values: &Values) -> bool {
    form.consent_rule()
        .is_some_and(|(consent, _)| values.get(consent).map(String::as_str) == Some("yes"))
}

fn sheet_changes(form: &Form, previous: Option<&Values>, wanted: &Values) -> Values {
    form.fields
        .iter()
        .filter_map(|field| {
            let old = previous.and_then(|p| p.get(&field.key));
            let new = wanted.get(&field.key);
            (old != new).then(|| (field.key.clone(), new.cloned().unwrap_or_default()))
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
fn check_value(field: &Field, value: &str, times: TimeWindow) -> Result<String, DetailError> {
    let fail = |problem| Err(err(&field.key, problem));
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
            let Some(at) = rfc3339::parse(value) else {
                return fail(Problem::BadTime);
            };
            let checked = if matches!(field.kind, Kind::At) {
                times.check_happened(at)
            } else {
                times.check_not_before_incident(at)
            };
            match checked {
                Ok(()) => Ok(rfc3339::write_secs(at)),
                Err(error) => fail(time_problem(error)),
            }
        }
        Kind::Phone => normalize_phone(value).map_or(fail(Problem::BadPhone), Ok),
        Kind::YesNo if value == "yes" || value == "no" => Ok(value.to_owned()),
        Kind::OneOf if field.choices.iter().any(|o| o.key == value) => Ok(value.to_owned()),
        Kind::AnyOf => {
            let options = &field.choices;
            let mut chosen: Vec<&str> = value.split(',').map(str::trim).collect();
            chosen.dedup();
            if chosen.iter().all(|c| options.iter().any(|o| o.key == *c)) {
                // Stored in the options' order, so equal choices read the same.
                let ordered: Vec<&str> = options
                    .iter()
                    .map(|o| o.key.as_str())
                    .filter(|k| chosen.contains(k))
                    .collect();
                Ok(ordered.join(","))
            } else {
                fail(Problem::BadChoice)
            }
        }
        Kind::YesNo | Kind::OneOf => fail(Problem::BadChoice),
    }
}

/// Rules across the fields of one record (the form's `rules`). `consent_given_before` stands for
/// a record that leaves the consent out: a new record's values are the whole sheet, so for them
/// it is `false`.
fn check_rules(
    form: &Form,
    record: &Values,
    consent_given_before: bool,
) -> Result<(), DetailError> {
    for rule in &form.rules {
        match rule {
            FormRule::EndAfterStart { start, end } => {
                // Both are canonical RFC 3339 UTC with the same layout: text order is time order.
                if let (Some(from), Some(to)) = (record.get(start), record.get(end)) {
                    if to < from {
                        return Err(err(end, Problem::EndBeforeStart));
                    }
                }
            }
            FormRule::NeedsConsent { consent, fields } => {
                let about_person = fields
                    .iter()
                    .any(|k| record.get(k).is_some_and(|v| !v.is_empty()));
                let given = match record.get(consent) {
                    Some(value) => value == "yes",
                    None => consent_given_before,
                };
                if about_person && !given {
                    return Err(err(consent, Problem::ConsentMissing));
                }
            }
        }
    }
    Ok(())
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
pub fn choice_labels<'a>(field: &'a Field, value: &str, lang: Lang) -> Vec<&'a str> {
    value
        .split(',')
        .filter_map(|key| field.choices.iter().find(|o| o.key == key))
        .map(|o| o.label.get(lang))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    use crate::testing::{oxelosund, values};

    const INCIDENT: &str = "2026-11-20T10:00:00Z";
    const NOW: &str = "2026-11-21T10:00:00Z";

    fn check_now(form: &str, pairs: &[(&str, &str)]) -> Result<Values, DetailError> {
        check(
            oxelosund().form(form),
            &values(pairs),
            Context {
                times: TimeWindow::recording(t(NOW), Some(t(INCIDENT))),
                previous: None,
            },
        )
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
    fn a_sheets_time_as_it_stands_does_not_keep_its_other_fields_from_being_saved() {
        // Recorded before the incident was corrected to a later time.
        let previous = values(&[("informed_at", "2026-11-20T09:30:00Z")]);
        let context = Context {
            times: TimeWindow::recording(t(NOW), Some(t(INCIDENT))),
            previous: Some(&previous),
        };
        let officer = oxelosund().form("officer");
        let with_assessment = values(&[
            ("informed_at", "2026-11-20T09:30:00Z"),
            ("assessment", "Hög risk"),
        ]);
        assert_eq!(
            check(officer, &with_assessment, context),
            Ok(values(&[("assessment", "Hög risk")]))
        );
        // Changed, the time is held to the window again.
        let moved = values(&[("informed_at", "2026-11-20T09:40:00Z")]);
        assert_eq!(
            check(officer, &moved, context)
                .unwrap_err()
                .field
                .as_deref(),
            Some("informed_at")
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
            check(
                oxelosund().form("incident"),
                &values(&[("place", "Torget ")]),
                context
            )
            .unwrap_err()
            .problem,
            Problem::Unchanged
        );
        assert_eq!(
            check(
                oxelosund().form("incident"),
                &values(&[("place", "")]),
                context
            ),
            Ok(values(&[("place", "")])),
            "emptying a field is recorded as a change"
        );
        assert_eq!(
            check(
                oxelosund().form("incident"),
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
