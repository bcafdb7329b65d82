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
        "{}{separator}{:02}:{:02}",
        iso_date(at.date()),
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
    let mut time_parts = time.splitn(3, ':');
    let hour: u32 = parse_digits(time_parts.next()?, 2)?;
    let minute: u32 = parse_digits(time_parts.next()?, 2)?;
    let second: u32 = match time_parts.next() {
        // Browsers may add seconds and milliseconds; the minute is what counts.
        Some(rest) => parse_digits(rest.split('.').next()?, 2)?,
        None => 0,
    };
    let naive = parse_iso_date(date)?.and_hms_opt(hour, minute, second)?;
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

/// A date as `YYYY-MM-DD`.
pub fn iso_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Reads a `YYYY-MM-DD` date (exactly that: four, two and two digits, a real day).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parse_digits(parts.next()?, 4)?;
    let month: u32 = parse_digits(parts.next()?, 2)?;
    let day: u32 = parse_digits(parts.next()?, 2)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date as iCalendar writes it: `YYYYMMDD`.
pub fn basic_date(date: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// An instant as iCalendar's UTC form: `YYYYMMDDTHHMMSSZ`.
pub fn basic_utc(at: DateTime<Utc>) -> String {
    format!(
        "{}T{:02}{:02}{:02}Z",
        basic_date(at.date_naive()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// An offset from JavaScript's `Date.getTimezoneOffset()`, which counts minutes *behind* UTC.
pub fn offset_from_js_minutes(minutes_behind_utc: i32) -> FixedOffset {
    FixedOffset::west_opt(minutes_behind_utc * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap())
}

/// Times as the stored records and the case file hold them: RFC 3339 in UTC, e.g.
/// `2026-03-01T20:09:00.250Z`. For `#[serde(with = "…")]` on `DateTime<Utc>` fields; it replaces
/// chrono's serde, whose generic parser and formatter cost about 15 KB of WebAssembly.
pub mod rfc3339 {
    use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
    use std::fmt::{self, Write};

    /// `at` exactly as chrono's serde wrote it: the fraction of a second in 3, 6 or 9 digits,
    /// the fewest that hold it, and none for a whole second.
    pub fn write(at: DateTime<Utc>) -> String {
        write_with(at, true)
    }

    /// `at` to the whole second (a fraction is cut off, not rounded), as the forms store times;
    /// what chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)` wrote.
    pub fn write_secs(at: DateTime<Utc>) -> String {
        write_with(at, false)
    }

    fn write_with(at: DateTime<Utc>, fraction: bool) -> String {
        let year = at.year();
        let mut second = at.second();
        let mut nano = at.nanosecond();
        // chrono keeps a leap second as second 59 and a nanosecond past 10⁹; it is written `:60`.
        if nano >= 1_000_000_000 {
            second += 1;
            nano -= 1_000_000_000;
        }
        // Years outside four digits take a sign, as in chrono; `parse` does not read them back.
        let mut text = if (0..=9999).contains(&year) {
            format!("{year:04}")
        } else {
            format!("{year:+05}")
        };
        // Writing to a `String` cannot fail.
        let _ = write!(
            text,
            "-{:02}-{:02}T{:02}:{:02}:{second:02}",
            at.month(),
            at.day(),
            at.hour(),
            at.minute()
        );
        if fraction && nano != 0 {
            let _ = if nano.is_multiple_of(1_000_000) {
                write!(text, ".{:03}", nano / 1_000_000)
            } else if nano.is_multiple_of(1_000) {
                write!(text, ".{:06}", nano / 1_000)
            } else {
                write!(text, ".{nano:09}")
            };
        }
        text.push('Z');
        text
    }

    /// Reads an RFC 3339 time, converted to UTC: `YYYY-MM-DDTHH:MM:SS` (`t` or a space allowed
    /// for the `T`; second 60 is a leap second), an optional fraction of 1 to 9 digits, then `Z`,
    /// `z` or `±HH:MM`. Nothing else is accepted, not even surrounding spaces.
    pub fn parse(text: &str) -> Option<DateTime<Utc>> {
        let bytes = text.as_bytes();
        let (fixed, mut rest) = bytes.split_at_checked(19)?;
        let [_, _, _, _, b'-', _, _, b'-', _, _, b'T' | b't' | b' ', _, _, b':', _, _, b':', _, _] =
            fixed
        else {
            return None;
        };
        let year = number(&fixed[0..4])?;
        let month = number(&fixed[5..7])?;
        let day = number(&fixed[8..10])?;
        let hour = number(&fixed[11..13])?;
        let minute = number(&fixed[14..16])?;
        let second = number(&fixed[17..19])?;
        let mut nano = 0;
        if let [b'.', after @ ..] = rest {
            let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 {
                return None;
            }
            nano = number(&after[..digits])? * 10u32.pow(9 - digits as u32);
            rest = &after[digits..];
        }
        let offset_seconds = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let seconds = (hours * 3600 + minutes * 60) as i32;
                if *sign == b'-' {
                    -seconds
                } else {
                    seconds
                }
            }
            _ => return None,
        };
        // As chrono reads a leap second: second 59 and a further whole second of nanoseconds.
        let (second, nano) = if second == 60 {
            (59, nano + 1_000_000_000)
        } else {
            (second, nano)
        };
        let local = NaiveDate::from_ymd_opt(year as i32, month, day)?
            .and_hms_nano_opt(hour, minute, second, nano)?;
        let at = FixedOffset::east_opt(offset_seconds)?
            .from_local_datetime(&local)
            .single()?;
        Some(at.with_timezone(&Utc))
    }

    /// The value of one or more ASCII digits.
    fn number(digits: &[u8]) -> Option<u32> {
        if digits.is_empty() {
            return None;
        }
        digits.iter().try_fold(0u32, |value, digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    }

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&write(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_str(TimeVisitor)
    }

    struct TimeVisitor;

    impl de::Visitor<'_> for TimeVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an RFC 3339 time")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
            parse(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
        }
    }

    /// A time that serializes as this module does, so `Option`'s own serde can carry it.
    struct Rfc3339(DateTime<Utc>);

    impl Serialize for Rfc3339 {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(&self.0, serializer)
        }
    }

    impl<'de> Deserialize<'de> for Rfc3339 {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rfc3339, D::Error> {
            deserialize(deserializer).map(Rfc3339)
        }
    }

    /// The same for `Option<DateTime<Utc>>`: `null` is `None`. A field that may be missing
    /// also needs `#[serde(default)]`, which a plain `Option` field has implicitly.
    pub mod option {
        use super::Rfc3339;
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            at.map(Rfc3339).serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Ok(Option::<Rfc3339>::deserialize(deserializer)?.map(|at| at.0))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use chrono::SecondsFormat;

        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Ours(#[serde(with = "super")] DateTime<Utc>);

        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Maybe {
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                with = "super::option"
            )]
            at: Option<DateTime<Utc>>,
        }

        /// Fixed pseudo-random numbers (SplitMix64), so a failure repeats.
        fn numbers() -> impl Iterator<Item = u64> {
            let mut state = 0x5eed_u64;
            std::iter::repeat_with(move || {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            })
        }

        fn utc(year: i32, month: u32, day: u32, hms: (u32, u32, u32), nano: u32) -> DateTime<Utc> {
            let (hour, minute, second) = hms;
            NaiveDate::from_ymd_opt(year, month, day)
                .and_then(|date| date.and_hms_nano_opt(hour, minute, second, nano))
                .unwrap()
                .and_utc()
        }

        /// Instants in the years 1000–9999 with every kind of fraction, and the edges.
        fn instants() -> Vec<DateTime<Utc>> {
            let first = utc(1000, 1, 1, (0, 0, 0), 0).timestamp();
            let last = utc(9999, 12, 31, (23, 59, 59), 0).timestamp();
            let span = (last - first + 1) as u64;
            let mut random = numbers();
            let mut instants: Vec<DateTime<Utc>> = (0..20_000)
                .map(|i| {
                    let seconds = first + (random.next().unwrap() % span) as i64;
                    let any = (random.next().unwrap() % 1_000_000_000) as u32;
                    let nano = match i % 5 {
                        0 => 0,
                        1 => any / 1_000_000 * 1_000_000,
                        2 => any / 1_000 * 1_000,
                        _ => any,
                    };
                    DateTime::from_timestamp(seconds, nano).unwrap()
                })
                .collect();
            for nano in [
                0,
                1,
                10,
                999,
                1_000,
                10_000,
                999_000,
                1_000_000,
                100_000_000,
                250_000_000,
                999_000_000,
                999_999_000,
                999_999_999,
            ] {
                instants.push(utc(1000, 1, 1, (0, 0, 0), nano));
                instants.push(utc(2026, 3, 1, (20, 9, 0), nano));
                instants.push(utc(2024, 2, 29, (12, 0, 59), nano));
                instants.push(utc(9999, 12, 31, (23, 59, 59), nano));
            }
            instants
        }

        #[test]
        fn writes_what_chrono_wrote() {
            for at in instants() {
                let chrono_json = serde_json::to_string(&at).unwrap();
                assert_eq!(serde_json::to_string(&Ours(at)).unwrap(), chrono_json);
                let secs = at.to_rfc3339_opts(SecondsFormat::Secs, true);
                assert_eq!(write_secs(at), secs);
            }
            // Outside the four-digit years, and a leap second, as chrono has them too.
            let leap = utc(2016, 12, 31, (23, 59, 59), 1_500_000_000);
            let far = [
                utc(-1, 6, 1, (1, 2, 3), 4_000),
                utc(10_000, 1, 1, (0, 0, 0), 0),
            ];
            for at in far.into_iter().chain([leap]) {
                assert_eq!(
                    serde_json::to_string(&Ours(at)).unwrap(),
                    serde_json::to_string(&at).unwrap()
                );
                assert_eq!(
                    write_secs(at),
                    at.to_rfc3339_opts(SecondsFormat::Secs, true)
                );
            }
            assert_eq!(write(leap), "2016-12-31T23:59:60.500Z");
        }

        #[test]
        fn reads_what_it_and_other_writers_write() {
            let mut random = numbers();
            for at in instants() {
                let json = serde_json::to_string(&at).unwrap();
                assert_eq!(serde_json::from_str::<Ours>(&json).unwrap(), Ours(at));
                // The same instant at some offset, as another writer may give it.
                let minutes = (random.next().unwrap() % (2 * 24 * 60 - 1)) as i32 - (24 * 60 - 1);
                let offset = FixedOffset::east_opt(minutes * 60).unwrap();
                let elsewhere = at.with_timezone(&offset);
                if (1000..=9999).contains(&elsewhere.year()) {
                    for digits in [SecondsFormat::AutoSi, SecondsFormat::Nanos] {
                        let text = elsewhere.to_rfc3339_opts(digits, false);
                        assert_eq!(parse(&text), Some(at), "{text}");
                    }
                }
            }
        }

        #[test]
        fn reads_the_forms_of_rfc_3339() {
            let at = utc(2026, 3, 1, (20, 9, 0), 0);
            for text in [
                "2026-03-01T20:09:00Z",
                "2026-03-01t20:09:00z",
                "2026-03-01 20:09:00Z",
                "2026-03-01T20:09:00+00:00",
                "2026-03-01T20:09:00-00:00",
                "2026-03-01T22:09:00+02:00",
                "2026-03-01T14:39:00-05:30",
                "2026-03-02T19:08:00+22:59",
                "2026-03-01T20:09:00.0Z",
                "2026-03-01T20:09:00.000000000Z",
            ] {
                assert_eq!(parse(text), Some(at), "{text}");
            }
            let fraction = |nano| Some(utc(2026, 3, 1, (20, 9, 0), nano));
            assert_eq!(parse("2026-03-01T20:09:00.2Z"), fraction(200_000_000));
            assert_eq!(parse("2026-03-01T20:09:00.25Z"), fraction(250_000_000));
            assert_eq!(parse("2026-03-01T20:09:00.0001Z"), fraction(100_000));
            assert_eq!(
                parse("2026-03-01T20:09:00.123456789Z"),
                fraction(123_456_789)
            );
            assert_eq!(
                parse("2026-03-01T00:30:00.5+01:00"),
                Some(utc(2026, 2, 28, (23, 30, 0), 500_000_000))
            );
            assert_eq!(
                parse("2016-12-31T23:59:60Z"),
                Some(utc(2016, 12, 31, (23, 59, 59), 1_000_000_000))
            );
            assert_eq!(
                parse("0000-01-01T00:00:00Z"),
                Some(utc(0, 1, 1, (0, 0, 0), 0))
            );
            // Each agrees with chrono's strict reader.
            for text in [
                "2026-03-01T14:39:00.75-05:30",
                "2024-02-29t23:59:59.999999+23:59",
            ] {
                let chrono = DateTime::parse_from_rfc3339(text)
                    .unwrap()
                    .with_timezone(&Utc);
                assert_eq!(parse(text), Some(chrono), "{text}");
            }
        }

        #[test]
        fn refuses_what_is_not_rfc_3339() {
            for text in [
                "",
                "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z",
                "2026-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z",
                "2026-03-01T24:00:00Z",
                "2026-03-01T20:60:00Z",
                "2026-03-01T20:09:61Z",
                "2026-03-01T20:09:00",
                "2026-03-01T20:09Z",
                "2026-03-01",
                "20260-03-01T20:09:00Z",
                "+2026-03-01T20:09:00Z",
                "-0001-03-01T20:09:00Z",
                "226-03-01T20:09:00Z",
                "2026-3-01T20:09:00Z",
                "2026-03-01X20:09:00Z",
                "2026/03/01T20:09:00Z",
                "2026-03-01T20:09:00ZZ",
                "2026-03-01T20:09:00Z ",
                " 2026-03-01T20:09:00Z",
                "2026-03-01T20:09:00Z junk",
                "2026-03-01T20:09:00+02:00:00",
                "2026-03-01T20:09:00.Z",
                "2026-03-01T20:09:00.1234567890Z",
                "2026-03-01T20:09:00,5Z",
                "2026-03-01T20:09:00 Z",
                "2026-03-01T20:09:00UTC",
                "2026-03-01T20:09:00+0200",
                "2026-03-01T20:09:00+2:00",
                "2026-03-01T20:09:00+24:00",
                "2026-03-01T20:09:00+02:60",
                "2026-03-01T20:09:00+02",
                "2026-03-01T20:09:00−02:00",
                "2026-03-01T2O:09:00Z",
                "2026-03-01T20:09:00.1a3Z",
                "２０26-03-01T20:09:00Z",
            ] {
                assert_eq!(parse(text), None, "{text}");
                let json = serde_json::to_string(text).unwrap();
                let err = serde_json::from_str::<Ours>(&json).unwrap_err().to_string();
                assert!(err.contains("expected an RFC 3339 time"), "{err}");
            }
            assert!(serde_json::from_str::<Ours>("1772395740").is_err());
            assert!(serde_json::from_str::<Ours>("null").is_err());
        }

        #[test]
        fn an_optional_time_may_be_missing_or_null() {
            let at = utc(2026, 3, 1, (20, 9, 0), 250_000_000);
            let json = serde_json::to_string(&Maybe { at: Some(at) }).unwrap();
            assert_eq!(json, r#"{"at":"2026-03-01T20:09:00.250Z"}"#);
            assert_eq!(serde_json::from_str::<Maybe>(&json).unwrap().at, Some(at));
            assert_eq!(serde_json::to_string(&Maybe { at: None }).unwrap(), "{}");
            assert_eq!(serde_json::from_str::<Maybe>("{}").unwrap().at, None);
            assert_eq!(
                serde_json::from_str::<Maybe>(r#"{"at":null}"#).unwrap().at,
                None
            );
            assert!(serde_json::from_str::<Maybe>(r#"{"at":"2026-03-01"}"#).is_err());
        }
    }
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
