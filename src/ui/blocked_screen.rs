//! When the lock's own record cannot be read, nothing stored can be opened and nothing is
//! written over it. The calls come first, as on the lock screen, then a reload (a newer version
//! that wrote the record reads it; a storage may answer again). A damaged record will not open
//! here: the screen also offers to save everything as it is stored (sealed), for someone who may
//! repair the record, and to start over, so that a new case can begin at the scene.

use crate::ui::call_bar::CallBar;
use crate::ui::confirm_countdown::ConfirmCountdown;
use crate::ui::context::use_app;
use crate::ui::evidence_store;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{kv_error, T};
use crate::ui::storage_panel::download_as_stored;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_domain::evidence::MAX_CASE_FILE_BYTES;

#[component]
pub fn BlockedScreen(
    /// Why, as the lock's error says it.
    message: String,
    /// The record itself no longer reads: saving and starting over are offered.
    damaged: bool,
) -> impl IntoView {
    let app = use_app();
    let error = RwSignal::new(None::<String>);
    // The stored values as they are, and the evidence files' records as the item store holds
    // them (sealed; base64, under `evidence/<store key>`): a start over removes those too.
    let busy = RwSignal::new(false);
    let save_as_stored = move |_| {
        busy.set(true);
        spawn_local(async move {
            let said = match app.with_service(|s| s.stored_as_is()) {
                Err(err) => Some(kv_error(app.lang(), &err)),
                Ok(mut stored) => {
                    // Every record of the item store, a case's or not (the start over removes
                    // them all); one that could not be read is said to be left out.
                    let (files, left_out) =
                        match evidence_store::sealed_of(None, MAX_CASE_FILE_BYTES).await {
                            Ok(read) => read,
                            Err(_) => (Vec::new(), 1),
                        };
                    // Each file's bytes go as soon as they are written out as text.
                    stored.extend(
                        files.into_iter().map(|(key, bytes)| {
                            (format!("evidence/{key}"), STANDARD.encode(bytes))
                        }),
                    );
                    let pairs = stored.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                    match download_as_stored(app, pairs) {
                        Err(message) => Some(message),
                        Ok(()) if left_out > 0 => Some(app.t(T::SavedWithoutSomeFiles).to_owned()),
                        Ok(()) => None,
                    }
                }
            };
            busy.set(false);
            error.set(said);
        });
    };
    let what = Signal::derive(move || app.t(T::StartOverWhat).to_owned());
    let start_over = Callback::new(move |()| {
        if let Err(message) = app.wipe() {
            error.set(Some(message));
        }
    });

    view! {
        <section class="screen stack" aria-labelledby="blocked-heading">
            <h1 id="blocked-heading">{app.tx(T::LockUnreadableTitle)}</h1>
            <p class="warning" role="alert">{message}</p>
            <CallBar/>
            // First, whatever the cause: an installed app has no reload button of its own, and
            // a newer version that wrote the record (or a storage that answers again) comes
            // with a reload. Nothing stored is touched by it.
            <button type="button" class="primary big" on:click=move |_| {
                let _ = window().location().reload();
            }>
                {app.tx(T::ReloadPage)}
            </button>
            {damaged.then(|| view! {
                <div class="stack panel">
                    <p>{app.tx(T::DamagedLockHelp)}</p>
                    <button type="button" class="secondary" disabled=move || busy.get()
                        on:click=save_as_stored>
                        {app.tx(T::SaveStoredAsIs)}
                    </button>
                    <ConfirmCountdown label=T::WipeAll what=what on_confirm=start_over/>
                </div>
            })}
            <FieldError error=error/>
        </section>
    }
}
