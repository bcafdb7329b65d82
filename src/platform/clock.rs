//! The device clock and its time zone, read through JavaScript's `Date`.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use stodrutin_domain::time::offset_from_js_minutes;

pub fn now() -> DateTime<Utc> {
    utc_from_millis(js_sys::Date::now())
}

fn utc_from_millis(millis: f64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(millis as i64)
        .single()
        .unwrap_or_default()
}

/// The phone's offset from UTC at `at` (daylight saving time makes it depend on the date).
pub fn local_offset(at: DateTime<Utc>) -> FixedOffset {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    offset_from_js_minutes(date.get_timezone_offset() as i32)
}

pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&local_offset(at)).date_naive()
}

/// Today's date in the phone's time zone, as `YYYY-MM-DD` (for file names).
pub fn today_local() -> String {
    stodrutin_domain::time::iso_date(local_date(now()))
}

/// Shows `at` in the phone's local time.
pub fn display_local(at: DateTime<Utc>) -> String {
    stodrutin_domain::time::display(at, local_offset(at))
}

/// The `datetime-local` input value for `at`.
pub fn to_local_input(at: DateTime<Utc>) -> String {
    stodrutin_domain::time::to_input(at, local_offset(at))
}

/// Reads a `datetime-local` value as the phone's local time, with the offset in force on that
/// date (not today's: daylight saving time may differ).
pub fn from_local_input(value: &str) -> Option<DateTime<Utc>> {
    let first = stodrutin_domain::time::from_input(value, local_offset(now()))?;
    stodrutin_domain::time::from_input(value, local_offset(first))
}

/// Lets the browser paint (a "working…" message) before a long computation on the main thread.
pub async fn yield_to_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
