#![allow(dead_code)]
//! Helpers shared by the native tests.

use chrono::{DateTime, Duration, TimeZone, Utc};
use stodrutin::domain::{Author, Case, CaseId, DeviceId, EventId, EventMeta, Role, Routine};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap()
}

pub fn minutes(n: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(n)
}

pub struct Recorder {
    pub device: &'static str,
    pub role: Role,
    pub next: u32,
}

impl Recorder {
    pub fn new(device: &'static str, role: Role) -> Self {
        Recorder {
            device,
            role,
            next: 0,
        }
    }

    pub fn meta(&mut self, now: DateTime<Utc>) -> EventMeta {
        self.next += 1;
        EventMeta {
            id: EventId(format!("{}-{:04}", self.device, self.next)),
            now,
            device: DeviceId(self.device.to_owned()),
            author: Author {
                role: self.role,
                name: None,
            },
        }
    }
}

pub fn open_case(recorder: &mut Recorder) -> Case {
    Case::open(
        CaseId("case-1".into()),
        recorder.meta(minutes(5)),
        Routine::oxelosund(),
        t0(),
    )
    .unwrap()
}
