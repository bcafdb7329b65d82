//! Drafts of open forms, kept in one register of the app while they are open, so that a lock
//! (which unmounts every view and drops the data key) can seal them in memory and give them back
//! after the unlock: a form that was open opens again with what was typed.

use crate::ui::context::AppContext;
use crate::ui::route::Route;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Keeps the draft that `current` gives (None: the form is closed) in the register under `key`
/// while the component lives, and returns the draft the register held for `key` when it was
/// mounted (after an unlock), to open the form with.
pub fn keep_draft<T>(
    app: AppContext,
    key: String,
    current: impl Fn() -> Option<T> + Send + Sync + 'static,
) -> Option<T>
where
    T: Serialize + DeserializeOwned,
{
    let restored = app
        .drafts
        .with_value(|drafts| drafts.get(&key).cloned())
        .and_then(|text| serde_json::from_str(&text).ok());
    keep_text(
        app,
        key,
        Box::new(move || current().and_then(|draft| serde_json::to_string(&draft).ok())),
    );
    restored
}

/// `keep_draft` for a screen's own form (the profile, the settings, a new case): its fields as
/// texts, kept across a lock but dropped when the user leaves the screen, where leaving without
/// saving means leaving it as it was (a new case's time would otherwise come back stale).
pub fn keep_screen_draft(
    app: AppContext,
    screen: Route,
    current: impl Fn() -> Option<Vec<String>> + Send + Sync + 'static,
) -> Option<Vec<String>> {
    // Kept under the screen's own fragment, so that an unlock gives it back only to that screen.
    let key = screen.hash();
    let restored = keep_draft(app, key.clone(), current);
    // A lock has sealed the register before the screen goes, so this only drops a draft the user
    // left behind.
    on_cleanup(move || {
        app.drafts.update_value(|drafts| {
            drafts.remove(&key);
        })
    });
    restored
}

/// Whether a draft's key is a screen's own (`keep_screen_draft`: the screen's fragment).
pub fn is_screen_draft(key: &str) -> bool {
    key.starts_with("#/")
}

/// The register's side of `keep_draft`, one for every kind of draft (the effect, built once in
/// the wasm rather than once per form).
fn keep_text(app: AppContext, key: String, current: Box<dyn Fn() -> Option<String> + Send + Sync>) {
    let key = StoredValue::new(key);
    Effect::new(move |_| {
        let text = current();
        let key = key.get_value();
        app.drafts.update_value(|drafts| match text {
            Some(text) => {
                drafts.insert(key, text);
            }
            None => {
                drafts.remove(&key);
            }
        });
    });
}

/// The bytes of a file chosen in an open form and not yet saved (a photo taken in the app may
/// exist nowhere else): kept in the app's register under the form's draft key while the form
/// holds it (`keep_file`), sealed in memory across a lock with the drafts. Wiped when the last
/// holder lets go.
pub type DraftFile = std::sync::Arc<zeroize::Zeroizing<Vec<u8>>>;

/// Keeps `file` under `key` in the register of draft files, or lets the one there go (`None`).
pub fn keep_file(app: AppContext, key: &str, file: Option<DraftFile>) {
    app.draft_files.update_value(|files| {
        files.retain(|(k, _)| k != key);
        files.extend(file.map(|file| (key.to_owned(), file)));
    });
}

/// The file the register holds under `key`.
pub fn kept_file(app: AppContext, key: &str) -> Option<DraftFile> {
    app.draft_files
        .with_value(|files| files.iter().find(|(k, _)| k == key).map(|(_, f)| f.clone()))
}
