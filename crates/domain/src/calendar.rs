//! The follow-up talk's deadline as a calendar event (iCalendar, RFC 5545), so the officer's
//! calendar reminds them. The event names the case by a short id and no person.

use crate::case::CaseId;
use crate::routine::Row;
use crate::text::Lang;
use crate::time::{basic_date, basic_utc};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// An all-day event on `due` (the deadline's local date), with a reminder two days before; its
/// description quotes `rule`, the pack's row that sets the deadline.
pub fn follow_up_event(
    case_id: &CaseId,
    due: NaiveDate,
    now: DateTime<Utc>,
    lang: Lang,
    rule: &Row,
) -> String {
    let short = case_id.short();
    let (summary, routine) = match lang {
        Lang::Sv => (
            format!("Sista dag för uppföljande samtal (Stödrutin, ärende {short})"),
            "Rutin",
        ),
        Lang::En => (
            format!("Last day for the follow-up talk (Stödrutin, case {short})"),
            "Routine",
        ),
    };
    let description = format!("{routine} {}: {}", rule.section, rule.text.get(lang));
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Stodrutin//Stodrutin//SV".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}-follow-up@stodrutin", case_id.as_str()),
        format!("DTSTAMP:{}", basic_utc(now)),
        format!("DTSTART;VALUE=DATE:{}", basic_date(due)),
        format!("DTEND;VALUE=DATE:{}", basic_date(due + Duration::days(1))),
        format!("SUMMARY:{}", escape(&summary)),
        format!("DESCRIPTION:{}", escape(&description)),
        "TRANSP:TRANSPARENT".to_owned(),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        format!("DESCRIPTION:{}", escape(&summary)),
        "TRIGGER:-P2D".to_owned(),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("")
}

/// Text values escape backslash, semicolon, comma and line breaks; other control characters (a
/// carried pack's text may hold a bare CR, which some readers take as a line's end) are dropped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// Lines longer than 75 octets continue on the next line after a space, never inside a
/// character; every line ends in CR LF.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_is_all_day_on_the_due_date_and_well_formed() {
        let now = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let due = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let oxelosund = crate::testing::oxelosund();
        let rule = oxelosund.follow_up().unwrap().row;
        let ics = follow_up_event(&CaseId("0123456789abcdef".into()), due, now, Lang::Sv, rule);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20261204\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20261205\r\n"));
        assert!(ics.contains("UID:0123456789abcdef-follow-up@stodrutin"));
        assert!(ics.contains("ärende 01234567"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line too long: {line}");
        }
        // Unfolded, the description reads whole, with its comma escaped.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(
            "Rutin 3.2.4: Ett initialt uppföljande samtal med inblandade\\, inom två veckor efter händelsen\\, har hålls"
        ));
        // Another pack's deadline row is quoted, not Oxelösund's.
        let example = crate::testing::example();
        let rule = example.follow_up().unwrap().row;
        let ics = follow_up_event(&CaseId("ab".into()), due, now, Lang::En, rule);
        let unfolded = ics.replace("\r\n ", "");
        assert!(!unfolded.contains("3.2.4"), "{unfolded}");
        assert!(unfolded.contains(&format!("Routine {}: ", rule.section)));
    }

    #[test]
    fn escaping_and_folding() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(escape("a\rDTSTART:x\u{7}"), "aDTSTART:x");
        let long = "å".repeat(60);
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}
