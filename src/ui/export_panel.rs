//! Handing a case over as a file: the warning first (the file is not encrypted), then the share
//! sheet or a download. The case stays marked "not exported" until it is exported in full.

use crate::domain::case_file;
use crate::domain::CaseId;
use crate::platform::{clock, files};
use crate::ui::context::use_app;
use crate::ui::i18n::T;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ExportPanel(case_id: CaseId) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    let warning_open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let unexported = move || {
        let id = case_id.get_value();
        let count = app
            .cases
            .with(|cases| cases.iter().find(|c| c.id == id).map(|c| c.event_count()))
            .unwrap_or(0);
        app.is_unexported(&id, count)
    };

    let export = move |_| {
        let Some(case) = app.case(&case_id.get_value()) else {
            return;
        };
        let text = case_file::export(&case);
        let today = clock::to_local_input(clock::now());
        let name = case_file::file_name(&case, &today[..10]);
        spawn_local(async move {
            match files::send(&name, &text).await {
                Ok(_) => {
                    app.mark_exported(&case);
                    warning_open.set(false);
                    error.set(None);
                    app.status.set(app.t(T::Exported).to_owned());
                }
                Err(reason) if reason == "aborted" => {}
                Err(_) => error.set(Some(app.t(T::ErrStorageOther).to_owned())),
            }
        });
    };

    view! {
        <section class="handover" aria-labelledby="handover-heading">
            <h2 id="handover-heading">
                {move || app.t(T::Handover)}
                {move || unexported().then(|| view! { <span class="badge warn">{app.t(T::NotExported)}</span> })}
            </h2>
            <Show
                when=move || warning_open.get()
                fallback=move || view! {
                    <button type="button" class="secondary big" on:click=move |_| warning_open.set(true)>
                        {move || app.t(T::Export)}
                    </button>
                }
            >
                <div class="panel stack">
                    <p class="warning">{move || app.t(T::ExportWarning)}</p>
                    <button type="button" class="primary" on:click=export>{move || app.t(T::ExportConfirm)}</button>
                    <button type="button" class="secondary" on:click=move |_| warning_open.set(false)>
                        {move || app.t(T::Cancel)}
                    </button>
                </div>
            </Show>
            <div role="alert" class="field-error">{move || error.get()}</div>
        </section>
    }
}
