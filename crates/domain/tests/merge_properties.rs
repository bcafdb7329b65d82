#![cfg(not(target_arch = "wasm32"))]
//! Two copies of a case merge by the union of their events: idempotent, commutative,
//! associative, and losing no event.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use std::collections::BTreeSet;
use stodrutin_domain::{
    Author, Case, CaseId, DeviceId, Event, EventId, MergeError, Payload, Role, RowId,
};

/// A pool of distinct events; copies of a case are subsets of it, so equal ids carry equal content
/// as they do between real devices.
fn event_pool() -> impl Strategy<Value = Vec<Event>> {
    let rows: Vec<RowId> = stodrutin_domain::testing::oxelosund()
        .rows
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let event = (0usize..19, 0u8..4, 0i64..600, 0u8..3, "[a-zåäö ]{1,12}");
    prop::collection::vec(event, 1..40).prop_map(move |specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(n, (row, kind, minute, device, text))| {
                let row = rows[row].clone();
                let base = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
                let payload = match kind {
                    0 => Payload::RowDone {
                        row,
                        done_at: base + Duration::minutes(minute),
                    },
                    1 => Payload::RowNotApplicable { row, reason: text },
                    2 => Payload::RowReopened { row },
                    _ => Payload::NoteAdded { row, text },
                };
                Event {
                    id: EventId(format!("{n:032x}")),
                    // Few distinct minutes, so equal timestamps are common and ids decide.
                    at: base + Duration::minutes(minute % 7),
                    device: DeviceId(format!("device-{device}")),
                    author: Author {
                        role: Role::InitialSupport,
                        name: None,
                    },
                    payload,
                }
            })
            .collect()
    })
}

fn copy_of(pool: &[Event], mask: &[bool]) -> Case {
    let events = pool
        .iter()
        .zip(mask.iter().cycle())
        .filter(|(_, keep)| **keep)
        .map(|(e, _)| e.clone());
    Case::from_events(CaseId("case".into()), events).unwrap()
}

fn copies() -> impl Strategy<Value = (Vec<Event>, Case, Case, Case)> {
    event_pool().prop_flat_map(|pool| {
        let n = pool.len();
        (
            Just(pool),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(any::<bool>(), n),
        )
            .prop_map(|(pool, a, b, c)| {
                let (a, b, c) = (copy_of(&pool, &a), copy_of(&pool, &b), copy_of(&pool, &c));
                (pool, a, b, c)
            })
    })
}

fn ids(case: &Case) -> BTreeSet<EventId> {
    case.events().map(|e| e.id.clone()).collect()
}

proptest! {
    #[test]
    fn merge_is_idempotent((_pool, a, _b, _c) in copies()) {
        prop_assert_eq!(a.merge(&a).unwrap(), a);
    }

    #[test]
    fn merge_is_commutative((_pool, a, b, _c) in copies()) {
        let ab = a.merge(&b).unwrap();
        let ba = b.merge(&a).unwrap();
        prop_assert_eq!(&ab, &ba);
        prop_assert_eq!(ab.state(), ba.state());
    }

    #[test]
    fn merge_is_associative((_pool, a, b, c) in copies()) {
        let left = a.merge(&b).unwrap().merge(&c).unwrap();
        let right = a.merge(&b.merge(&c).unwrap()).unwrap();
        prop_assert_eq!(left, right);
    }

    #[test]
    fn merge_loses_no_event((_pool, a, b, _c) in copies()) {
        let merged = a.merge(&b).unwrap();
        let expected: BTreeSet<EventId> = ids(&a).union(&ids(&b)).cloned().collect();
        prop_assert_eq!(ids(&merged), expected);
        for event in a.events().chain(b.events()) {
            prop_assert_eq!(merged.events().find(|e| e.id == event.id), Some(event));
        }
    }

    #[test]
    fn the_fold_does_not_depend_on_arrival_order((pool, _a, _b, _c) in copies()) {
        let forward = Case::from_events(CaseId("case".into()), pool.clone()).unwrap();
        let backward = Case::from_events(CaseId("case".into()), pool.into_iter().rev()).unwrap();
        prop_assert_eq!(forward.state(), backward.state());
    }
}

#[test]
fn different_cases_do_not_merge() {
    let a = Case::from_events(CaseId("a".into()), []).unwrap();
    let b = Case::from_events(CaseId("b".into()), []).unwrap();
    assert_eq!(a.merge(&b), Err(MergeError::DifferentCase));
}

#[test]
fn one_id_with_two_contents_is_a_conflict_not_a_silent_loss() {
    let base = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
    let event = |text: &str| Event {
        id: EventId("same".into()),
        at: base,
        device: DeviceId("d".into()),
        author: Author {
            role: Role::Affected,
            name: None,
        },
        payload: Payload::NoteAdded {
            row: RowId("3.1.1-a".into()),
            text: text.into(),
        },
    };
    let a = Case::from_events(CaseId("c".into()), [event("ett")]).unwrap();
    let b = Case::from_events(CaseId("c".into()), [event("två")]).unwrap();
    assert_eq!(
        a.merge(&b),
        Err(MergeError::ConflictingEvent(EventId("same".into())))
    );
}
