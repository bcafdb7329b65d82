//! Every limit a case is held to, in one place: how long its texts may be, how many events a file
//! may bring, and how far ahead of a clock a recorded time may lie. Recording and importing read
//! them from here, so the two can never drift apart.

use chrono::{DateTime, TimeDelta, Utc};

/// The longest note, reason or free-text field: enough for a careful account, short enough to keep
/// a phone's storage and the screen usable.
pub const MAX_TEXT_CHARS: usize = 4000;

/// The longest one-line field (a name, a place, a reference number) and an author's name.
pub const MAX_SHORT_CHARS: usize = 200;

/// The longest event or device id. The app makes 32 hexadecimal digits; the room above that is for
/// other writers of the format, not for content.
pub const MAX_ID_CHARS: usize = 64;

/// Larger case files are refused before they are parsed: a real case is a few hundred kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The most events a case file may bring. A real case has tens, at most a few hundred; the cap
/// bounds the work of checking a file whatever its events hold.
pub const MAX_EVENTS: usize = 10_000;

/// How far a time recorded on this phone may lie ahead of its clock: typing is to the minute and a
/// clock may run a little fast.
pub const RECORDING_CLOCK_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

/// How far a time in an imported file may lie ahead of this phone's clock. The file was recorded
/// on another phone, whose clock may be minutes or hours off this one's (a wrong time zone, no
/// network time); a day covers that and still refuses a time that cannot have happened yet.
pub const IMPORT_CLOCK_TOLERANCE: TimeDelta = TimeDelta::days(1);

/// Why a time is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// Later than the clock allows.
    InFuture,
    /// Earlier than the incident.
    BeforeIncident,
}

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeError::InFuture => f.write_str("the time lies in the future"),
            TimeError::BeforeIncident => f.write_str("the time lies before the incident"),
        }
    }
}

impl std::error::Error for TimeError {}

/// When a time the routine records may lie: not after a clock (plus its tolerance), and not before
/// the incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    /// The latest acceptable time.
    pub latest: DateTime<Utc>,
    /// The incident's time, once the case has one.
    pub incident_at: Option<DateTime<Utc>>,
}

impl TimeWindow {
    /// The window of a time recorded on this phone at `now`.
    pub fn recording(now: DateTime<Utc>, incident_at: Option<DateTime<Utc>>) -> TimeWindow {
        TimeWindow {
            latest: now + RECORDING_CLOCK_TOLERANCE,
            incident_at,
        }
    }

    /// The window as it applies to an event that carries the recording time `at`: its times no
    /// later than `at` and the tolerance, and an incident typed up to the tolerance ahead of the
    /// clock no bar to what was done before the clock reached it. Recording (`Case::record`) and
    /// reading a file (`case_file`) both apply it to the time the event carries, so what one phone
    /// records every phone reads, and a file is held to what its phone could have recorded.
    pub fn of_event(self, at: DateTime<Utc>) -> TimeWindow {
        TimeWindow {
            latest: self.latest.min(at + RECORDING_CLOCK_TOLERANCE),
            incident_at: self
                .incident_at
                .map(|incident| incident.min(at - RECORDING_CLOCK_TOLERANCE)),
        }
    }

    /// The window of a time in a file imported at `now`.
    pub fn import(now: DateTime<Utc>, incident_at: Option<DateTime<Utc>>) -> TimeWindow {
        TimeWindow {
            latest: now + IMPORT_CLOCK_TOLERANCE,
            incident_at,
        }
    }

    /// A time that has happened (or happens within the clock's tolerance).
    pub fn check_not_future(&self, at: DateTime<Utc>) -> Result<(), TimeError> {
        if at > self.latest {
            Err(TimeError::InFuture)
        } else {
            Ok(())
        }
    }

    /// A time that may lie ahead (a booked talk) but not before the incident.
    pub fn check_not_before_incident(&self, at: DateTime<Utc>) -> Result<(), TimeError> {
        match self.incident_at {
            Some(incident) if at < incident => Err(TimeError::BeforeIncident),
            _ => Ok(()),
        }
    }

    /// Something the routine asks to be done, done at `at`: after the incident, not in the future.
    pub fn check_happened(&self, at: DateTime<Utc>) -> Result<(), TimeError> {
        self.check_not_future(at)?;
        self.check_not_before_incident(at)
    }
}

/// A text with at most `max` characters, counted without walking texts far longer than that.
pub fn within_chars(text: &str, max: usize) -> bool {
    // A character takes at least one byte, so a text of at most `max` bytes fits; only one with more
    // bytes needs counting, and counting stops one character past `max`.
    text.len() <= max || text.chars().nth(max).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_text_may_have_exactly_the_maximum_of_characters() {
        assert!(within_chars("", 3));
        assert!(within_chars("åäö", 3), "characters, not bytes, are counted");
        assert!(!within_chars("åäöx", 3));
        assert!(!within_chars(&"x".repeat(100_000), 4000));
    }

    #[test]
    fn an_incident_typed_ahead_of_the_clock_does_not_refuse_what_is_done_now() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
        let ahead = now + TimeDelta::minutes(3);
        let recording = TimeWindow::recording(now, Some(ahead)).of_event(now);
        assert_eq!(recording.check_not_future(ahead), Ok(()));
        assert_eq!(recording.check_happened(now), Ok(()));
        assert_eq!(
            recording.check_happened(now - TimeDelta::minutes(6)),
            Err(TimeError::BeforeIncident)
        );
        // A file's event is held to the time it carries: no later than that and the tolerance,
        // whatever the reading phone's clock.
        let read = TimeWindow::import(now + TimeDelta::hours(5), Some(ahead)).of_event(now);
        assert_eq!(
            read.check_not_future(now + TimeDelta::minutes(6)),
            Err(TimeError::InFuture)
        );
        assert_eq!(read.check_happened(now), Ok(()));
    }

    #[test]
    fn recording_allows_minutes_and_import_a_day_ahead_of_the_clock() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
        let recording = TimeWindow::recording(now, None);
        assert_eq!(
            recording.check_not_future(now + TimeDelta::minutes(5)),
            Ok(())
        );
        assert_eq!(
            recording.check_not_future(now + TimeDelta::minutes(6)),
            Err(TimeError::InFuture)
        );
        let import = TimeWindow::import(now, None);
        assert_eq!(import.check_not_future(now + TimeDelta::hours(23)), Ok(()));
        assert_eq!(
            import.check_not_future(now + TimeDelta::hours(25)),
            Err(TimeError::InFuture)
        );
    }

    #[test]
    fn a_done_time_lies_between_the_incident_and_the_clock() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
        let window = TimeWindow::recording(now, Some(now - TimeDelta::hours(1)));
        assert_eq!(window.check_happened(now - TimeDelta::minutes(30)), Ok(()));
        assert_eq!(
            window.check_happened(now - TimeDelta::hours(2)),
            Err(TimeError::BeforeIncident)
        );
        assert_eq!(
            window.check_not_before_incident(now + TimeDelta::days(7)),
            Ok(()),
            "a booked talk may lie ahead"
        );
    }
}
