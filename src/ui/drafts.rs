//! Drafts of open forms, kept in one register of the app while they are open, so that a lock
//! (which unmounts every view and drops the data key) can seal them in memory and give them back
//! after the unlock: a form that was open opens again with what was typed.

use crate::ui::context::AppContext;
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
    let key = StoredValue::new(key);
    Effect::new(move |_| {
        let text = current().and_then(|draft| serde_json::to_string(&draft).ok());
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
    restored
}
