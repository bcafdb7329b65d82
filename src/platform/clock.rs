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
    after(30).await
}

/// Lets the page handle what waits (a tap, a key, a paint) before long work goes on: a message
/// posted to itself, which the browser queues as a task without the 4 ms floor of nested
/// timers, nor the second-long delay of timers in a hidden tab (the work goes on while the
/// phone shows another app).
pub async fn pause() {
    // Held until the message arrives, so neither port is collected before.
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return after(0).await;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel
            .port2()
            .post_message(&wasm_bindgen::JsValue::UNDEFINED);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}

/// How many bytes one step of long work (hashing, sealing, opening) takes on: a few
/// milliseconds even on a slow phone.
pub const STEP_BYTES: usize = 256 * 1024;

/// How long long work runs before it pauses for the page: a tap waits no longer than about
/// this on any phone, and a fast phone pauses seldom.
const SLICE_MS: f64 = 40.0;

/// The wall clock in milliseconds, for short spans measured as the code runs (an event's own
/// `timeStamp` is not that in WebKit: it can lag the handler by seconds).
pub fn millis() -> f64 {
    js_sys::Date::now()
}

/// Paces long work on the main thread in slices of `SLICE_MS`: `tick` after every step pauses
/// for the page once the slice is used up.
pub struct Pacer {
    since: f64,
}

impl Pacer {
    /// A pacer whose first slice starts now.
    pub fn start() -> Pacer {
        Pacer { since: millis() }
    }

    /// Pauses if this slice is used up; true if it paused (a moment to show progress).
    pub async fn tick(&mut self) -> bool {
        let due = millis() - self.since >= SLICE_MS;
        if due {
            self.pause().await;
        }
        due
    }

    /// Pauses now, and starts a new slice.
    pub async fn pause(&mut self) {
        pause().await;
        self.since = millis();
    }
}

pub(crate) async fn after(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
