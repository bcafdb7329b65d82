//! Times are stored in UTC and shown in the phone's local time. The platform supplies the local
//! offset at a given instant (it changes with daylight saving time); these functions do the rest.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

// Formatting and parsing are written out rather than done with chrono's strftime machinery, which
// costs tens of kilobytes of WebAssembly for two fixed formats.

fn local(at: DateTime<Utc>, offset: FixedOffset) -> NaiveDateTime {
    at.with_timezone(&offset).naive_local()
}

fn date_and_time(at: NaiveDateTime, separator: char) -> String {
    format!(
        "{:04}-{:02}-{:02}{separator}{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// Shows `at` as local date and time, e.g. `2026-03-01 21:30`.
pub fn display(at: DateTime<Utc>, offset: FixedOffset) -> String {
    date_and_time(local(at, offset), ' ')
}

/// The value for a `datetime-local` input showing `at` in local time, to the minute.
pub fn to_input(at: DateTime<Utc>, offset: FixedOffset) -> String {
    date_and_time(local(at, offset), 'T')
}

/// Reads a `datetime-local` value (`2026-03-01T21:30`, seconds allowed) as local time at `offset`.
pub fn from_input(value: &str, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let (date, time) = value.trim().split_once('T')?;
    let mut date_parts = date.splitn(3, '-');
    let year: i32 = parse_digits(date_parts.next()?, 4)?;
    let month: u32 = parse_digits(date_parts.next()?, 2)?;
    let day: u32 = parse_digits(date_parts.next()?, 2)?;
    let mut time_parts = time.splitn(3, ':');
    let hour: u32 = parse_digits(time_parts.next()?, 2)?;
    let minute: u32 = parse_digits(time_parts.next()?, 2)?;
    let second: u32 = match time_parts.next() {
        // Browsers may add seconds and milliseconds; the minute is what counts.
        Some(rest) => parse_digits(rest.split('.').next()?, 2)?,
        None => 0,
    };
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|local| local.with_timezone(&Utc))
}

fn parse_digits<N: std::str::FromStr>(text: &str, length: usize) -> Option<N> {
    (text.len() == length && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
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
        assert_eq!(from_input(" 2026-06-13T21:05:00.000 ", cest), Some(at));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        let utc = offset_from_js_minutes(0);
        assert_eq!(from_input("", utc), None);
        assert_eq!(from_input("igår kväll", utc), None);
        assert_eq!(from_input("2026-13-40T25:61", utc), None);
        assert_eq!(from_input("2026-02-30T10:00", utc), None);
        assert_eq!(from_input("26-03-01T10:00", utc), None);
        assert_eq!(from_input("2026-03-01T+1:00", utc), None);
    }
}
