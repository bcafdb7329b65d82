//! Times are stored in UTC and shown in the phone's local time. The platform supplies the local
//! offset at a given instant (it changes with daylight saving time); these functions do the rest.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

/// The format of an `<input type="datetime-local">` value, to the minute.
const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Shows `at` as local date and time, e.g. `2026-03-01 21:30`.
pub fn display(at: DateTime<Utc>, offset: FixedOffset) -> String {
    at.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The value for a `datetime-local` input showing `at` in local time.
pub fn to_input(at: DateTime<Utc>, offset: FixedOffset) -> String {
    at.with_timezone(&offset).format(INPUT_FORMAT).to_string()
}

/// Reads a `datetime-local` value (with or without seconds) as local time at `offset`.
pub fn from_input(value: &str, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let naive = NaiveDateTime::parse_from_str(value, INPUT_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|local| local.with_timezone(&Utc))
}

/// An offset from JavaScript's `Date.getTimezoneOffset()`, which counts minutes *behind* UTC.
pub fn offset_from_js_minutes(minutes_behind_utc: i32) -> FixedOffset {
    FixedOffset::west_opt(minutes_behind_utc * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_round_trip_in_swedish_summer_time() {
        let cest = offset_from_js_minutes(-120);
        let at = Utc.with_ymd_and_hms(2026, 6, 13, 19, 5, 0).unwrap();
        assert_eq!(to_input(at, cest), "2026-06-13T21:05");
        assert_eq!(display(at, cest), "2026-06-13 21:05");
        assert_eq!(from_input("2026-06-13T21:05", cest), Some(at));
        assert_eq!(from_input("2026-06-13T21:05:00", cest), Some(at));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        let utc = offset_from_js_minutes(0);
        assert_eq!(from_input("", utc), None);
        assert_eq!(from_input("igår kväll", utc), None);
        assert_eq!(from_input("2026-13-40T25:61", utc), None);
    }
}
