//! When the app locks itself: after the chosen idle time, and after about a minute hidden unless
//! a call, the camera or the share sheet the app itself opened is in front; at once on another
//! tab's lock. The moment the page is hidden a cover goes over it — set directly in the DOM in
//! the event handler, not through a signal, so it is there before the phone takes its snapshot
//! for the app switcher.

use crate::platform::clock;
use crate::ui::context::{AppContext, LockView};
use crate::ui::i18n::T;
use crate::ui::lock_control::LOCK_CHANNEL;
use chrono::{DateTime, Duration, Utc};
use leptos::ev;
use leptos::prelude::*;
use stodrutin_service::lock::{lock_due, within_external_limit};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

const COVER_ID: &str = "privacy-cover";
/// How often the idle rule is looked at.
const CHECK_EVERY_SECONDS: u64 = 5;

fn cover() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    if let Some(existing) = document.get_element_by_id(COVER_ID) {
        return Some(existing);
    }
    let cover = document.create_element("div").ok()?;
    cover.set_id(COVER_ID);
    cover.set_class_name("privacy-cover");
    let _ = cover.set_attribute("hidden", "");
    let _ = cover.set_attribute("aria-hidden", "true");
    document.body()?.append_child(&cover).ok()?;
    Some(cover)
}

fn set_covered(covered: bool, text: &str) {
    if let Some(cover) = cover() {
        if covered {
            cover.set_text_content(Some(text));
            let _ = cover.remove_attribute("hidden");
        } else {
            let _ = cover.set_attribute("hidden", "");
        }
    }
}

pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

/// Starts watching for the moments the app must lock. Lives as long as the app.
pub fn watch(app: AppContext) {
    let hidden_since = StoredValue::new(None::<DateTime<Utc>>);
    let due = move || {
        let idle = Duration::minutes(i64::from(
            app.settings.with_untracked(|s| s.idle_lock_minutes()),
        ));
        lock_due(
            clock::now(),
            app.last_activity.get_value(),
            hidden_since.get_value(),
            app.opened_external.get_value(),
            idle,
        )
    };
    // A tab the user is in locks the others with it. A hidden tab (left in the background, or
    // untouched while the user works in another) locks only itself: it must not lock the tab
    // in use, with what is being typed there.
    let check = move || {
        if matches!(app.lock.get_untracked(), LockView::Open { protected: true }) && due() {
            app.lock_now(!page_hidden());
        }
    };

    // A touch in the page after the app opened a call, the camera or a share sheet means that
    // did not come in front (a desktop without a phone app, say): the next time in the
    // background is not theirs.
    let touched = move || {
        app.last_activity.set_value(clock::now());
        app.opened_external.set_value(false);
    };
    let pointer = window_event_listener(ev::pointerdown, move |_| touched());
    let key = window_event_listener(ev::keydown, move |_| touched());
    let input = window_event_listener(ev::input, move |_| touched());
    let visibility = window_event_listener(ev::visibilitychange, move |_| {
        if page_hidden() {
            set_covered(true, app.t(T::AppName));
            hidden_since.set_value(Some(clock::now()));
        } else {
            // Back from what the app opened (a call to 112 can last long): the user was busy,
            // not idle, and the idle rule counts from the return.
            let now = clock::now();
            let back_in_time = hidden_since
                .get_value()
                .is_some_and(|since| within_external_limit(since, now));
            if app.opened_external.get_value() && back_in_time {
                app.last_activity.set_value(now);
            }
            check();
            hidden_since.set_value(None);
            app.opened_external.set_value(false);
            set_covered(false, "");
        }
    });
    let timer =
        set_interval_with_handle(check, std::time::Duration::from_secs(CHECK_EVERY_SECONDS)).ok();

    // Another tab locked: this one locks too.
    let channel = web_sys::BroadcastChannel::new(LOCK_CHANNEL).ok();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
            app.lock_now(false);
        });
    if let Some(channel) = &channel {
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    }
    let channel = StoredValue::new_local(channel);
    let on_message = StoredValue::new_local(Some(on_message));

    on_cleanup(move || {
        pointer.remove();
        key.remove();
        input.remove();
        visibility.remove();
        if let Some(timer) = timer {
            timer.clear();
        }
        channel.with_value(|c| {
            if let Some(c) = c {
                c.set_onmessage(None);
                c.close();
            }
        });
        on_message.update_value(|m| drop(m.take()));
    });
}
