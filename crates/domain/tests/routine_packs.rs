#![cfg(not(target_arch = "wasm32"))]
//! The routine packs: every pack the repository ships passes the app's checks; the example pack
//! uses every part of the format; each broken pack in tests/fixtures/routine-packs/ is refused with
//! the place and problem its expected.json names (the same file tools/check-pack-schema.mjs reads
//! for the schema's verdict); and a pack's hash follows its bytes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use stodrutin_domain::routine::{Channel, FormRule, Kind, PACK_FORMAT, PACK_FORMAT_VERSION};
use stodrutin_domain::{Role, Routine};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.json` files of a folder of the repository, by name.
fn json_files(folder: &str) -> Vec<(String, String)> {
    let dir = repository().join(folder);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, text)
        })
        .collect();
    files.sort();
    files
}

fn shipped() -> Vec<(String, Routine)> {
    json_files("routines")
        .into_iter()
        .map(|(name, text)| {
            let routine = Routine::parse(&text)
                .unwrap_or_else(|err| panic!("routines/{name} is refused: {err}"));
            (name, routine)
        })
        .collect()
}

#[test]
fn every_shipped_pack_parses_and_names_itself_once() {
    let packs = shipped();
    assert!(packs.len() >= 2, "the Oxelösund pack and the example");
    let mut names = BTreeSet::new();
    for (name, routine) in &packs {
        assert_eq!(routine.format, PACK_FORMAT, "{name}");
        assert_eq!(routine.format_version, PACK_FORMAT_VERSION, "{name}");
        assert!(
            names.insert((routine.id.clone(), routine.version)),
            "{name}: another shipped pack has id {} version {}",
            routine.id,
            routine.version
        );
        assert!(!routine.text().ends_with("\n\n"), "{name}");
    }
}

#[test]
fn the_example_says_it_is_one_and_the_adopted_routine_does_not() {
    for (name, routine) in shipped() {
        let prov = &routine.provenance;
        let says_example =
            prov.organisation.sv.contains("xempel") && prov.organisation.en.contains("xample");
        assert_eq!(routine.example, says_example, "{name}");
        if routine.example {
            assert!(prov.title.sv.starts_with("Exempel"), "{name}");
            assert!(prov.title.en.starts_with("Example"), "{name}");
            assert!(
                prov.sources.len() >= 3,
                "{name}: an example cites its sources"
            );
            assert!(prov.sources.iter().all(|s| !s.title.trim().is_empty()));
        }
    }
}

/// Swedish numbers set aside for fiction (PTS): the example's numbers must not ring anyone.
fn is_fictional_or_public(phone: &str) -> bool {
    let fictional = |prefix: &str, from: u32, to: u32| {
        phone
            .strip_prefix(prefix)
            .and_then(|rest| rest.parse::<u32>().ok())
            .is_some_and(|n| (from..=to).contains(&n) && phone.len() == prefix.len() + 3)
    };
    matches!(phone, "112" | "11414" | "11313")
        || fictional("0701740", 605, 699)
        || fictional("0313900", 600, 699)
}

#[test]
fn the_example_uses_every_part_of_the_format() {
    let example = stodrutin_domain::testing::example();
    assert_eq!(example.id, "exempel-kommun");
    assert!(example.example);

    // Every kind of actor, under local titles of its own.
    let actors: BTreeSet<Role> = example.roles.iter().map(|r| r.actor).collect();
    assert_eq!(actors.len(), Role::ALL.len());
    let title = |actor: Role| {
        let role = example.roles.iter().find(|r| r.actor == actor).unwrap();
        role.title.sv.as_str()
    };
    assert_eq!(title(Role::PartySecurityOfficer), "Partiets gruppledare");
    assert_eq!(title(Role::SecurityStrategist), "Säkerhetschef");
    assert_eq!(title(Role::MunicipalChief), "Kommundirektör");

    // Contacts with hours and a route out of hours; every number fictional or a public one.
    assert!(example
        .contacts
        .iter()
        .any(|c| c.hours.is_some() && c.out_of_hours.is_some()));
    assert!(example.contacts.iter().any(|c| c.phone.is_none()));
    for contact in &example.contacts {
        let numbers = contact
            .phone
            .iter()
            .chain(contact.out_of_hours.as_ref().map(|o| &o.phone));
        for phone in numbers {
            assert!(is_fictional_or_public(phone), "{}: {phone}", contact.id);
        }
    }

    // A checklist for every channel.
    for channel in Channel::ALL {
        assert!(
            example.checklists_for(channel).next().is_some(),
            "no checklist for {channel:?}"
        );
    }

    // Another follow-up deadline than Oxelösund's, met by a scheduled time.
    let follow_up = example.follow_up().unwrap();
    assert_eq!(follow_up.days, 7);
    let met_by = example.form(&follow_up.met_by.form).unwrap();
    assert_eq!(
        met_by.field(&follow_up.met_by.field).unwrap().kind,
        Kind::Scheduled
    );

    // The incident form, the police report and the protective measures.
    assert!(example.forms_of("incident").next().is_some());
    let report = example.form("police_report").unwrap();
    assert_eq!(report.field("access_protection").unwrap().kind, Kind::YesNo);
    assert_eq!(report.field("reference").unwrap().kind, Kind::Text);
    let measures = example
        .form("protection")
        .unwrap()
        .field("measures")
        .unwrap();
    assert_eq!(measures.kind, Kind::AnyOf);
    let keys: Vec<&str> = measures.choices.iter().map(|c| c.key.as_str()).collect();
    for key in ["alarm", "contact_ban", "route", "home_review", "work_phone"] {
        assert!(keys.contains(&key), "{key}");
    }

    // Both kinds of rule, a list form, a reminder and a list under a row.
    let rules: Vec<&FormRule> = example.forms.iter().flat_map(|f| &f.rules).collect();
    assert!(rules
        .iter()
        .any(|r| matches!(r, FormRule::NeedsConsent { .. })));
    assert!(rules
        .iter()
        .any(|r| matches!(r, FormRule::EndAfterStart { .. })));
    assert!(example.forms.iter().any(|f| f.list));
    assert!(example.forms.iter().any(|f| f.reminder.is_some()));
    assert!(example.rows.iter().any(|r| !r.list.is_empty()));
    assert!(example.provenance.diary_number.is_some());
}

#[test]
fn each_broken_pack_is_refused_with_its_place_and_problem() {
    let fixtures = json_files("tests/fixtures/routine-packs");
    let (_, expected) = fixtures
        .iter()
        .find(|(name, _)| name == "expected.json")
        .expect("tests/fixtures/routine-packs/expected.json");
    let expected: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(expected).unwrap();
    let packs: Vec<&(String, String)> = fixtures
        .iter()
        .filter(|(name, _)| name != "expected.json")
        .collect();
    assert!(packs.len() >= 5);
    assert_eq!(
        packs
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<BTreeSet<_>>(),
        expected.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        "every fixture has an expectation, and every expectation a fixture"
    );
    for (name, text) in packs {
        let expectation = &expected[name];
        let path = expectation.get("path").and_then(|v| v.as_str());
        let problem = expectation.get("problem").and_then(|v| v.as_str());
        match (path, problem, Routine::parse(text)) {
            (None, None, Ok(_)) => {}
            (None, None, Err(err)) => panic!("{name} should pass, but: {err}"),
            (Some(path), Some(problem), Err(err)) => {
                let found: Vec<(String, String)> = err
                    .problems
                    .iter()
                    .map(|p| (p.path.clone(), format!("{:?}", p.issue)))
                    .collect();
                assert_eq!(
                    found,
                    vec![(path.to_owned(), problem.to_owned())],
                    "{name}: each fixture breaks one thing"
                );
            }
            (Some(_), Some(_), Ok(_)) => panic!("{name} should be refused"),
            _ => panic!("{name}: expected.json needs both `path` and `problem`, or neither"),
        }
    }
}

#[test]
fn changed_bytes_under_a_shipped_id_and_version_are_another_pack() {
    for (name, shipped) in shipped() {
        // The same content as far as JSON goes, other bytes: one more space before the end.
        let text = shipped.text();
        let changed = format!("{} }}", &text[..text.trim_end().len() - 1]);
        let changed = Routine::parse(&changed).unwrap();
        assert_eq!(
            (&changed.id, changed.version),
            (&shipped.id, shipped.version)
        );
        assert_eq!(changed.rows, shipped.rows, "{name}");
        assert_ne!(changed.hash(), shipped.hash(), "{name}");
        assert!(!shipped.reference().names(&changed), "{name}");
        assert!(!changed.reference().names(&shipped), "{name}");
        assert_eq!(shipped.hash().len(), 64);
    }
}

#[test]
fn a_section_split_by_another_is_one_section() {
    let path = repository().join("tests/fixtures/routine-packs/section-split.json");
    let routine = Routine::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rows: Vec<&str> = routine.rows.iter().map(|r| r.section.as_str()).collect();
    assert_eq!(rows, ["1.1", "2.1", "1.1"]);
    // Shown once, where it first comes, with all its rows (and so its forms once).
    let sections: Vec<(&str, Vec<&str>)> = routine
        .sections()
        .iter()
        .map(|s| (s.number, s.rows.iter().map(|r| r.id.as_str()).collect()))
        .collect();
    assert_eq!(
        sections,
        [("1.1", vec!["1.1-a", "1.1-b"]), ("2.1", vec!["2.1-a"])]
    );
}
