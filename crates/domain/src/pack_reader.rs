//! Reads a routine pack's JSON (already parsed into a `serde_json::Value`) into the pack's types,
//! naming the place of the first problem as a JSON path (`forms[1].fields[0].hint`).
//!
//! Written out rather than derived: serde's derived readers cost about 50 KB of WebAssembly for the
//! pack's seventeen types (a visitor, a field matcher and a sequence reader for each), and a JSON
//! path needed `serde_path_to_error` besides, which the app could not afford; these few generic
//! helpers over the `Value` the app already parses cost a fraction of that and give every reader,
//! the app's included, the path.

use crate::role::Role;
use crate::routine::{
    Channel, Checklist, Choice, Contact, Deadline, Expected, Field, FieldRef, Form, FormRule,
    Found, Group, Kind, OutOfHours, PackIssue, PackProblem, PackRole, Provenance, Routine, Row,
    RowId, Source,
};
use crate::text::Text;
use serde_json::{Map, Value};

type Read<T> = Result<T, PackProblem>;

/// Parses a pack's text as `serde_json::from_str::<Value>` does, except that an object naming a
/// member twice is refused (`PackIssue::MemberTwice`): `Value` keeps the last, so a reader of the
/// file and the app would see two different texts under one hash.
pub(crate) fn parse_json(text: &str) -> Read<Value> {
    let mut twice = None;
    let mut reader = serde_json::Deserializer::from_str(text);
    // Nothing but white space after the value, as `serde_json::from_str` holds it.
    let parsed = serde::de::DeserializeSeed::deserialize(StrictValue(&mut twice), &mut reader)
        .and_then(|value| reader.end().map(|()| value));
    match (parsed, twice) {
        (_, Some(member)) => Err(problem("", PackIssue::MemberTwice(member))),
        (Ok(value), None) => Ok(value),
        (Err(_), None) => Err(problem("", PackIssue::NotJson)),
    }
}

/// Reads one JSON value; the first member found twice is kept in the `Option`.
struct StrictValue<'a>(&'a mut Option<String>);

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictValue<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue(&mut *self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(StrictValue(&mut *self.0))?;
            if members.contains_key(&name) {
                *self.0 = Some(name);
                return Err(serde::de::Error::custom("a member given twice"));
            }
            members.insert(name, value);
        }
        Ok(Value::Object(members))
    }
}

fn problem(path: &str, issue: PackIssue) -> PackProblem {
    PackProblem {
        path: path.to_owned(),
        issue,
    }
}

/// `path.member`, or `member` at the top.
fn member_path(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

/// The start of a value a message names: a pack's value may be a long hostile text, and a message
/// shows the place and the start, not the whole of it.
pub(crate) fn shortened(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// A value of the wrong kind: what stands there (a text or number by its start) and what belongs.
fn wrong_type(path: &str, found: &Value, expected: Expected) -> PackProblem {
    let found = match found {
        Value::Null => Found::Null,
        Value::Bool(b) => Found::Boolean(*b),
        Value::Number(n) => Found::Number(shortened(&n.to_string())),
        Value::String(s) => Found::Text(shortened(s)),
        Value::Array(_) => Found::List,
        Value::Object(_) => Found::Object,
    };
    problem(path, PackIssue::WrongType { found, expected })
}

/// An object's members, taken one by one; `members` lists every member the format knows there.
struct Object {
    members: Map<String, Value>,
    path: String,
}

impl Object {
    fn new(value: Value, path: &str, known: &[&str]) -> Read<Object> {
        let Value::Object(members) = value else {
            return Err(wrong_type(path, &value, Expected::Object));
        };
        // An unknown member first: a misspelt one also reads as a missing one.
        if let Some(unknown) = members.keys().find(|key| !known.contains(&key.as_str())) {
            return Err(problem(
                &member_path(path, unknown),
                PackIssue::UnknownMember(unknown.clone()),
            ));
        }
        Ok(Object {
            members,
            path: path.to_owned(),
        })
    }

    /// A member the format requires, read by `read`.
    fn required<T>(&mut self, name: &str, read: impl FnOnce(Value, &str) -> Read<T>) -> Read<T> {
        match self.members.remove(name) {
            Some(value) => read(value, &member_path(&self.path, name)),
            None => Err(problem(&self.path, PackIssue::Missing(name.to_owned()))),
        }
    }

    /// A member that may be left out (or be `null`, as serde's `Option` takes it).
    fn optional<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(Value, &str) -> Read<T>,
    ) -> Read<Option<T>> {
        match self.members.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value, &member_path(&self.path, name)).map(Some),
        }
    }

    /// A list that may be left out: empty then.
    fn list_or_empty<T>(&mut self, name: &str, read: fn(Value, &str) -> Read<T>) -> Read<Vec<T>> {
        match self.members.remove(name) {
            None => Ok(Vec::new()),
            Some(value) => list(value, &member_path(&self.path, name), read),
        }
    }

    fn string(&mut self, name: &str) -> Read<String> {
        self.required(name, string)
    }

    fn text(&mut self, name: &str) -> Read<Text> {
        self.required(name, text)
    }

    fn flag(&mut self, name: &str) -> Read<bool> {
        match self.members.remove(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(wrong_type(
                &member_path(&self.path, name),
                &other,
                Expected::Boolean,
            )),
        }
    }
}

fn string(value: Value, path: &str) -> Read<String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(wrong_type(path, &other, Expected::Text)),
    }
}

fn number(value: Value, path: &str) -> Read<u32> {
    match value.as_u64().map(u32::try_from) {
        Some(Ok(n)) => Ok(n),
        _ => Err(wrong_type(path, &value, Expected::Count)),
    }
}

fn list<T>(value: Value, path: &str, read: fn(Value, &str) -> Read<T>) -> Read<Vec<T>> {
    let Value::Array(items) = value else {
        return Err(wrong_type(path, &value, Expected::List));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| read(item, &format!("{path}[{i}]")))
        .collect()
}

/// One of the format's words (`keys`, in the order the format lists them).
fn word<T: Copy>(value: Value, path: &str, keys: &[(&str, T)]) -> Read<T> {
    let Value::String(given) = value else {
        return Err(wrong_type(path, &value, Expected::Text));
    };
    if let Some((_, found)) = keys.iter().find(|(key, _)| *key == given) {
        return Ok(*found);
    }
    Err(problem(
        path,
        PackIssue::NotOneOf {
            given: shortened(&given),
            allowed: keys.iter().map(|(key, _)| (*key).to_owned()).collect(),
        },
    ))
}

fn text(value: Value, path: &str) -> Read<Text> {
    let mut o = Object::new(value, path, &["sv", "en"])?;
    Ok(Text {
        sv: o.string("sv")?,
        en: o.string("en")?,
    })
}

fn texts(value: Value, path: &str) -> Read<Vec<Text>> {
    list(value, path, text)
}

fn strings(value: Value, path: &str) -> Read<Vec<String>> {
    list(value, path, string)
}

/// The routine of a pack file; `hash` and `text` are left for `Routine::parse` to set.
pub(crate) fn routine(value: Value) -> Read<Routine> {
    let mut o = Object::new(
        value,
        "",
        &[
            "format",
            "format_version",
            "id",
            "version",
            "example",
            "provenance",
            "roles",
            "contacts",
            "groups",
            "rows",
            "forms",
            "checklists",
        ],
    )?;
    Ok(Routine {
        format: o.string("format")?,
        format_version: o.required("format_version", number)?,
        id: o.string("id")?,
        version: o.required("version", number)?,
        example: o.flag("example")?,
        provenance: o.required("provenance", provenance)?,
        roles: o.required("roles", |v, p| list(v, p, pack_role))?,
        contacts: o.list_or_empty("contacts", contact)?,
        groups: o.required("groups", |v, p| list(v, p, group))?,
        rows: o.required("rows", |v, p| list(v, p, row))?,
        forms: o.required("forms", |v, p| list(v, p, form))?,
        checklists: o.list_or_empty("checklists", checklist)?,
        hash: String::new(),
        text: String::new(),
    })
}

fn provenance(value: Value, path: &str) -> Read<Provenance> {
    let mut o = Object::new(
        value,
        path,
        &[
            "organisation",
            "title",
            "adopted",
            "diary_number",
            "source",
            "link",
            "revision",
            "sources",
        ],
    )?;
    Ok(Provenance {
        organisation: o.text("organisation")?,
        title: o.text("title")?,
        adopted: o.string("adopted")?,
        diary_number: o.optional("diary_number", string)?,
        source: o.text("source")?,
        link: o.optional("link", string)?,
        revision: o.text("revision")?,
        sources: o.list_or_empty("sources", source)?,
    })
}

fn source(value: Value, path: &str) -> Read<Source> {
    let mut o = Object::new(value, path, &["title", "link"])?;
    Ok(Source {
        title: o.string("title")?,
        link: o.optional("link", string)?,
    })
}

fn pack_role(value: Value, path: &str) -> Read<PackRole> {
    let mut o = Object::new(value, path, &["id", "actor", "title"])?;
    let actors = Role::ALL.map(|role| (role.key(), role));
    Ok(PackRole {
        id: o.string("id")?,
        actor: o.required("actor", |v, p| word(v, p, &actors))?,
        title: o.text("title")?,
    })
}

fn contact(value: Value, path: &str) -> Read<Contact> {
    let mut o = Object::new(
        value,
        path,
        &["id", "name", "phone", "hours", "out_of_hours"],
    )?;
    Ok(Contact {
        id: o.string("id")?,
        name: o.text("name")?,
        phone: o.optional("phone", string)?,
        hours: o.optional("hours", text)?,
        out_of_hours: o.optional("out_of_hours", out_of_hours)?,
    })
}

fn out_of_hours(value: Value, path: &str) -> Read<OutOfHours> {
    let mut o = Object::new(value, path, &["name", "phone"])?;
    Ok(OutOfHours {
        name: o.text("name")?,
        phone: o.string("phone")?,
    })
}

fn group(value: Value, path: &str) -> Read<Group> {
    let mut o = Object::new(value, path, &["id", "heading"])?;
    Ok(Group {
        id: o.string("id")?,
        heading: o.text("heading")?,
    })
}

fn row(value: Value, path: &str) -> Read<Row> {
    let mut o = Object::new(
        value,
        path,
        &[
            "id",
            "section",
            "text",
            "list",
            "responsible_text",
            "responsible",
            "deadline",
        ],
    )?;
    Ok(Row {
        id: RowId(o.string("id")?),
        section: o.string("section")?,
        text: o.text("text")?,
        list: o.list_or_empty("list", text)?,
        responsible_text: o.text("responsible_text")?,
        responsible: o.required("responsible", strings)?,
        deadline: o.optional("deadline", deadline)?,
    })
}

fn deadline(value: Value, path: &str) -> Read<Deadline> {
    let mut o = Object::new(value, path, &["within", "met_by"])?;
    Ok(Deadline {
        within: o.string("within")?,
        met_by: o.required("met_by", field_ref)?,
    })
}

fn field_ref(value: Value, path: &str) -> Read<FieldRef> {
    let mut o = Object::new(value, path, &["form", "field"])?;
    Ok(FieldRef {
        form: o.string("form")?,
        field: o.string("field")?,
    })
}

fn channel(value: Value, path: &str) -> Read<Channel> {
    word(value, path, &Channel::ALL.map(|c| (c.key(), c)))
}

fn checklist(value: Value, path: &str) -> Read<Checklist> {
    let mut o = Object::new(value, path, &["id", "channels", "title", "items"])?;
    Ok(Checklist {
        id: o.string("id")?,
        channels: o.required("channels", |v, p| list(v, p, channel))?,
        title: o.text("title")?,
        items: o.required("items", texts)?,
    })
}

fn form(value: Value, path: &str) -> Read<Form> {
    let mut o = Object::new(
        value,
        path,
        &[
            "id", "section", "title", "list", "required", "reminder", "fields", "rules",
        ],
    )?;
    Ok(Form {
        id: o.string("id")?,
        section: o.string("section")?,
        title: o.text("title")?,
        list: o.flag("list")?,
        required: o.list_or_empty("required", string)?,
        reminder: o.optional("reminder", text)?,
        fields: o.required("fields", |v, p| list(v, p, field))?,
        rules: o.list_or_empty("rules", form_rule)?,
    })
}

fn field(value: Value, path: &str) -> Read<Field> {
    let mut o = Object::new(value, path, &["key", "kind", "label", "choices"])?;
    let kinds = Kind::ALL.map(|kind| (kind.key(), kind));
    Ok(Field {
        key: o.string("key")?,
        kind: o.required("kind", |v, p| word(v, p, &kinds))?,
        label: o.text("label")?,
        choices: o.list_or_empty("choices", choice)?,
    })
}

fn choice(value: Value, path: &str) -> Read<Choice> {
    let mut o = Object::new(value, path, &["key", "label"])?;
    Ok(Choice {
        key: o.string("key")?,
        label: o.text("label")?,
    })
}

/// A form rule: `rule` names which, and only that rule's members may stand beside it.
fn form_rule(value: Value, path: &str) -> Read<FormRule> {
    #[derive(Clone, Copy)]
    enum Which {
        EndAfterStart,
        NeedsConsent,
    }
    let rule = match &value {
        Value::Object(members) => members.get("rule").cloned(),
        _ => None,
    };
    let which = match rule {
        Some(rule) => word(
            rule,
            &member_path(path, "rule"),
            &[
                ("end_after_start", Which::EndAfterStart),
                ("needs_consent", Which::NeedsConsent),
            ],
        )?,
        None if value.is_object() => return Err(problem(path, PackIssue::Missing("rule".into()))),
        None => return Err(wrong_type(path, &value, Expected::Object)),
    };
    Ok(match which {
        Which::EndAfterStart => {
            let mut o = Object::new(value, path, &["rule", "start", "end"])?;
            FormRule::EndAfterStart {
                start: o.string("start")?,
                end: o.string("end")?,
            }
        }
        Which::NeedsConsent => {
            let mut o = Object::new(value, path, &["rule", "consent", "fields"])?;
            FormRule::NeedsConsent {
                consent: o.string("consent")?,
                fields: o.required("fields", strings)?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_rule(json: &str) -> Read<FormRule> {
        form_rule(serde_json::from_str(json).unwrap(), "rules[0]")
    }

    #[test]
    fn a_form_rule_takes_only_its_own_members() {
        assert_eq!(
            read_rule(r#"{"start":"from","rule":"end_after_start","end":"to"}"#),
            Ok(FormRule::EndAfterStart {
                start: "from".to_owned(),
                end: "to".to_owned()
            })
        );
        let mixed = r#"{"rule":"needs_consent","consent":"ok","fields":[],"start":"from"}"#;
        assert_eq!(
            read_rule(mixed),
            Err(problem(
                "rules[0].start",
                PackIssue::UnknownMember("start".into())
            ))
        );
        assert_eq!(
            read_rule(r#"{"rule":"needs_consent","consent":"ok"}"#),
            Err(problem("rules[0]", PackIssue::Missing("fields".into())))
        );
        assert_eq!(
            read_rule(r#"{"consent":"ok"}"#),
            Err(problem("rules[0]", PackIssue::Missing("rule".into())))
        );
        let Err(unknown) = read_rule(r#"{"rule":"within_a_week"}"#) else {
            panic!("an unknown rule was read");
        };
        assert_eq!(unknown.path, "rules[0].rule");
    }

    #[test]
    fn a_wrong_type_names_what_stands_there_and_what_belongs() {
        let wrong = |found, expected| PackIssue::WrongType { found, expected };
        let err = text(serde_json::json!({"sv": 5, "en": "x"}), "title").unwrap_err();
        assert_eq!(err.path, "title.sv");
        assert_eq!(err.issue, wrong(Found::Number("5".into()), Expected::Text));
        assert_eq!(
            err.issue.to_string(),
            "invalid type: number `5`, expected a string"
        );
        let err = list(serde_json::json!("x"), "rows", row).unwrap_err();
        assert_eq!(err.issue, wrong(Found::Text("x".into()), Expected::List));
        let err = number(serde_json::json!(-1), "version").unwrap_err();
        assert_eq!(
            err.issue,
            wrong(Found::Number("-1".into()), Expected::Count)
        );
        // A long value is named by its start only.
        let long = "å".repeat(100_000);
        let err = list(Value::String(long), "rows", row).unwrap_err();
        let expected = format!("{}…", "å".repeat(40));
        assert_eq!(err.issue, wrong(Found::Text(expected), Expected::List));
        assert!(err.issue.to_string().chars().count() < 100);
    }

    #[test]
    fn a_word_outside_the_format_names_the_allowed_ones() {
        let err = channel(Value::String("fax".into()), "channels[0]").unwrap_err();
        let PackIssue::NotOneOf { given, allowed } = &err.issue else {
            panic!("{:?}", err.issue);
        };
        assert_eq!(given, "fax");
        assert!(allowed.iter().any(|word| word == "sms"));
        assert!(err
            .issue
            .to_string()
            .starts_with("unknown word `fax`, expected one of `sms`, "));
    }

    #[test]
    fn a_channel_reads_in_a_pack_by_the_word_a_case_file_writes_for_it() {
        // Channels stand in packs (read here) and in evidence events (serde): one word for each.
        for c in Channel::ALL {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                Value::String(c.key().into())
            );
            assert_eq!(channel(Value::String(c.key().into()), "c"), Ok(c));
        }
    }
}
