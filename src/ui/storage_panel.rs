//! On the first screen: how much storage the cases use, whether the browser keeps it safe from
//! clearing, stored data that could not be read (with a raw export), and wiping the device.

use crate::platform::{files, storage};
use crate::ui::confirm_countdown::ConfirmCountdown;
use crate::ui::context::{use_app, AppContext};
use crate::ui::i18n::{storage_used, unreadable_count, wipe_what, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_domain::Payload;
use stodrutin_service::{ReadError, Unreadable};

/// Local storage is about 5 MB per site in the browsers that matter; warn well before it is full.
pub const BUDGET_BYTES: usize = 5 * 1024 * 1024;
const WARN_AT_PERCENT: usize = 70;

#[component]
pub fn StoragePanel() -> impl IntoView {
    let app = use_app();
    // `None` until the browser answers; a browser that cannot be asked (WebKitGTK has no
    // `navigator.storage`) has promised nothing, and Safari clears the data of sites not added
    // to the home screen after some days without use: that counts as "may clear".
    let persisted = RwSignal::new(None::<bool>);
    spawn_local(async move {
        let kept = storage::request_persistence().await == Some(true);
        persisted.set(Some(kept));
    });
    let used = Memo::new(move |_| {
        app.cases.track();
        app.used_bytes()
    });
    let low = move || used.get() * 100 >= BUDGET_BYTES * WARN_AT_PERCENT;
    // The evidence files' bytes, as the cases record their sizes: reading the item store to
    // count would read every photo again at each change of a case.
    let evidence_bytes = Memo::new(move |_| {
        app.cases.with(|cases| {
            let sizes =
                cases
                    .iter()
                    .flat_map(|case| case.events())
                    .filter_map(|event| match &event.payload {
                        Payload::EvidenceAdded { item } if item.kind.has_file() => Some(item.size),
                        _ => None,
                    });
            let total: u64 = sizes.sum();
            (total > 0).then_some(total)
        })
    });
    let newer = move || {
        app.unreadable.with(|u| {
            u.iter()
                .any(|e| matches!(e.error, ReadError::NewerSchema(_)))
        })
    };
    let export_unreadable = move |_| app.unreadable.with(|entries| export_raw(app, entries));
    let wipe_description = Signal::derive(move || {
        let cases = app.cases.get();
        let unexported = cases
            .iter()
            .filter(|c| app.is_unexported(&c.id, c.event_count()))
            .count();
        wipe_what(app.lang(), cases.len(), unexported)
    });
    let wipe = Callback::new(move |()| match app.wipe() {
        Ok(()) => app.announce(app.t(T::Deleted)),
        Err(message) => app.alert.set(Some(message)),
    });

    view! {
        <section class="storage" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{app.tx(T::StorageTitle)}</h2>
            <p class="storage-used">{move || storage_used(app.lang(), used.get(), BUDGET_BYTES)}</p>
            {move || evidence_bytes.get().map(|bytes| view! {
                <p class="storage-evidence">{app.t(T::EvidenceStorageUsed)} ": " {crate::ui::i18n::size_text(app.lang(), bytes)}</p>
            })}
            {move || low().then(|| view! { <p class="warning" role="alert">{app.t(T::StorageLow)}</p> })}
            {move || persisted.get().map(|kept| view! {
                <p class="help">{app.t(if kept { T::Persisted } else { T::NotPersisted })}</p>
            })}
            {move || {
                let count = app.unreadable.with(Vec::len);
                (count > 0).then(|| view! {
                    <div class="warning unreadable" role="alert">
                        <p>{unreadable_count(app.lang(), count)}</p>
                        {newer().then(|| view! { <p>{app.t(T::NewerDataStored)}</p> })}
                        <button type="button" class="secondary" on:click=export_unreadable>
                            {app.t(T::ExportUnreadable)}
                        </button>
                    </div>
                })
            }}
            <ConfirmCountdown label=T::WipeAll what=wipe_description on_confirm=wipe/>
        </section>
    }
}

/// Downloads stored values that could not be read, exactly as stored, as one JSON object of
/// key → stored text, for someone who can repair them.
pub fn export_raw(app: AppContext, entries: &[Unreadable]) {
    let stored = entries.iter().map(|e| (e.key.as_str(), e.raw.as_str()));
    if let Err(message) = download_as_stored(app, stored) {
        app.alert.set(Some(message));
    }
}

/// Downloads `(key, stored text)` pairs as one JSON object, the texts exactly as stored. The
/// error is the message to show.
pub fn download_as_stored<'a>(
    app: AppContext,
    stored: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), String> {
    // Borrowed, not copied: the texts may be megabytes (evidence as base64).
    let raw: std::collections::BTreeMap<&str, &str> = stored.collect();
    let text = serde_json::to_vec(&raw).unwrap_or_default();
    files::download("stodrutin-olasbara-data.json", &text, files::JSON)
        .map_err(|_| app.t(T::ErrFileNotSent).to_owned())
}
