//! Deadlines relative to the incident, such as Oxelösund's 3.2.4: an initial follow-up talk
//! within two weeks. The pack says how many days (`routine::Deadline`).

use crate::routine::Routine;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The moment `days` after the incident.
pub fn due_after(incident_at: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    incident_at + Duration::days(days)
}

/// The moment by which the routine's follow-up is due, if the routine sets one.
pub fn follow_up_due(routine: &Routine, incident_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    routine
        .follow_up()
        .map(|follow_up| due_after(incident_at, follow_up.days))
}

/// Where a deadline stands, counted in whole calendar days of the user's local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeadlineStatus {
    DaysLeft(i64),
    DueToday,
    Overdue(i64),
}

pub fn status(due_local: NaiveDate, today_local: NaiveDate) -> DeadlineStatus {
    let days = (due_local - today_local).num_days();
    match days {
        0 => DeadlineStatus::DueToday,
        d if d > 0 => DeadlineStatus::DaysLeft(d),
        d => DeadlineStatus::Overdue(-d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn due_two_weeks_after_incident() {
        let incident = Utc.with_ymd_and_hms(2026, 3, 1, 21, 30, 0).unwrap();
        assert_eq!(
            follow_up_due(crate::testing::oxelosund(), incident),
            Some(Utc.with_ymd_and_hms(2026, 3, 15, 21, 30, 0).unwrap())
        );
    }

    #[test]
    fn counts_calendar_days() {
        let due = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let on = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert_eq!(status(due, on(1)), DeadlineStatus::DaysLeft(14));
        assert_eq!(status(due, on(14)), DeadlineStatus::DaysLeft(1));
        assert_eq!(status(due, on(15)), DeadlineStatus::DueToday);
        assert_eq!(status(due, on(18)), DeadlineStatus::Overdue(3));
    }
}
