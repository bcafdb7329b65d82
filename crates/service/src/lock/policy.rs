//! When the app locks itself, and when the next unlock attempt may be made: pure functions of
//! times, so the UI's timers and the tests ask the same question.

use chrono::{DateTime, Duration, Utc};

/// The idle limits the user chooses from, in minutes.
pub const IDLE_LIMIT_MINUTES: [i64; 3] = [1, 5, 15];
/// Hidden (another app in front, screen off) this long locks, unless the app itself opened what
/// is in front.
pub const HIDDEN_LIMIT_SECONDS: i64 = 60;
/// The longest the app stays open behind what it opened itself (a call, the camera, the share
/// sheet): a call to 112 can last long, but a picker cancelled without a word, or a call ended
/// and the phone pocketed, must not leave the cases open for hours.
pub const EXTERNAL_LIMIT_MINUTES: i64 = 30;

/// Whether the app should lock now. Idle beyond `idle_limit` locks. Hidden for a minute locks too
/// — a phone put away at the scene. Neither locks while what the app itself opened is in front
/// (a call, the camera, the share sheet: hidden with `app_opened_external`; a call to 112 can
/// last long), for up to `EXTERNAL_LIMIT_MINUTES`; the idle rule applies again after the return,
/// which the UI counts it from (`within_external_limit`).
pub fn lock_due(
    now: DateTime<Utc>,
    last_activity: DateTime<Utc>,
    hidden_since: Option<DateTime<Utc>>,
    app_opened_external: bool,
    idle_limit: Duration,
) -> bool {
    if app_opened_external && hidden_since.is_some_and(|since| within_external_limit(since, now)) {
        return false;
    }
    let idle = now - last_activity >= idle_limit;
    let hidden_too_long =
        hidden_since.is_some_and(|since| now - since >= Duration::seconds(HIDDEN_LIMIT_SECONDS));
    idle || hidden_too_long
}

/// Whether the time hidden since `since` is still within what the app opened may keep it open.
pub fn within_external_limit(since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - since < Duration::minutes(EXTERNAL_LIMIT_MINUTES)
}

/// Failed attempts allowed without a wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// The wait after the fifth failure; it doubles with each further one.
pub const FIRST_DELAY_SECONDS: i64 = 30;
/// The longest wait: a delay guards against guessing by hand, and a user who has forgotten
/// nothing should not be kept out for hours by a child's tapping.
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// With the wipe turned on, this many failures remove everything the app stored.
pub const WIPE_AFTER_FAILURES: u32 = 10;

/// The wait after `failures` failed attempts: none for the first five, then 30 s, 1, 2, 4, 8
/// minutes and 15 minutes from the tenth on.
pub fn delay_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let doublings = (failures - FREE_ATTEMPTS).min(16);
    Duration::seconds((FIRST_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS))
}

/// When the next attempt may be made after `failures` failures, the last at `last_failure`;
/// `None` when it may be made now. The device's clock is the only clock there is: moving it
/// forward skips a wait, so a clock found behind the last failure (moved back) does not keep
/// the user out either — the next failure is stamped with the clock as it now is.
pub fn next_attempt_at(
    failures: u32,
    last_failure: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let delay = delay_after(failures);
    let last = last_failure?;
    if delay.is_zero() || last > now {
        return None;
    }
    let allowed_at = last + delay;
    (allowed_at > now).then_some(allowed_at)
}
