//! The screen for a case link that shows no case: either the case's stored value could not be
//! read (it is kept untouched, and can be exported as it is), or it was written by a newer app,
//! or this device does not hold it at all.

use crate::ui::context::use_app;
use crate::ui::i18n::T;
use crate::ui::storage_panel::export_raw;
use leptos::prelude::*;
use stodrutin_domain::CaseId;
use stodrutin_service::ReadError;

#[component]
pub fn MissingCase(id: CaseId) -> impl IntoView {
    let app = use_app();
    let unreadable = app.unreadable_case(&id);
    let message = match unreadable.as_ref().map(|u| &u.error) {
        Some(ReadError::NewerSchema(_)) => T::CaseFromNewerApp,
        Some(ReadError::Unreadable(_)) => T::CaseUnreadable,
        None => T::CaseNotFound,
    };
    let export = unreadable.map(|entry| {
        let entry = StoredValue::new(entry);
        view! {
            <button type="button" class="secondary"
                on:click=move |_| entry.with_value(|e| export_raw(app, std::slice::from_ref(e)))>
                {app.tx(T::ExportRaw)}
            </button>
        }
    });
    view! {
        <section class="screen">
            <p class="warning" role="alert">{app.tx(message)}</p>
            {export}
            <a class="button" href="#/">{app.tx(T::Home)}</a>
        </section>
    }
}
