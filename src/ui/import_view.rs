//! Importing a case file: choose it, drop it or paste it; see what it holds; then merge it in.
//! Nothing changes before the user confirms, and a bad file changes nothing at all.

use crate::domain::case_file::{self, ImportError, ImportPreview, MAX_FILE_BYTES};
use crate::domain::Case;
use crate::platform::files::{self, ReadFileError};
use crate::platform::{clock, settings};
use crate::ui::context::use_app;
use crate::ui::i18n::{import_error, import_summary, T};
use crate::ui::route::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

#[component]
pub fn ImportView() -> impl IntoView {
    let app = use_app();
    let pasted = RwSignal::new(String::new());
    let pending = RwSignal::new(None::<(Case, ImportPreview)>);
    let error = RwSignal::new(None::<String>);

    // The bytes of a sealed file that waits for its passphrase.
    let waiting = RwSignal::new(None::<Vec<u8>>);
    let passphrase = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let examine = move |bytes: Vec<u8>, phrase: Option<String>| {
        pending.set(None);
        busy.set(phrase.is_some());
        spawn_local(async move {
            // Opening a passphrase file takes about a second: let "working" show first.
            if phrase.is_some() {
                clock::yield_to_paint().await;
            }
            let key = settings::load_private_key();
            let result =
                case_file::read_any(&bytes, key.as_ref(), phrase.as_deref()).and_then(|imported| {
                    let local = app.case(&imported.id);
                    case_file::preview(&imported, local.as_ref()).map(|preview| (imported, preview))
                });
            busy.set(false);
            match result {
                Ok(found) => {
                    error.set(None);
                    waiting.set(None);
                    passphrase.set(String::new());
                    pending.set(Some(found));
                }
                Err(ImportError::NeedsPassphrase) => {
                    error.set(None);
                    waiting.set(Some(bytes));
                }
                Err(err) => {
                    if !matches!(err, ImportError::WrongPassphrase) {
                        waiting.set(None);
                    }
                    error.set(Some(import_error(app.lang(), &err).to_owned()));
                }
            }
        });
    };
    let take_file = move |file: web_sys::File| {
        spawn_local(async move {
            match files::read_bytes(&file, MAX_FILE_BYTES).await {
                Ok(bytes) => examine(bytes, None),
                Err(ReadFileError::TooLarge) => {
                    error.set(Some(app.t(T::ErrFileTooLarge).to_owned()))
                }
                Err(ReadFileError::Unreadable) => {
                    error.set(Some(app.t(T::ErrFileUnreadable).to_owned()))
                }
            }
        });
    };
    let on_choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|list| list.get(0)) {
            take_file(file);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|list| list.get(0))
        {
            take_file(file);
        }
    };
    let confirm = move |_| {
        let Some((case, _)) = pending.get_untracked() else {
            return;
        };
        match app.import(case) {
            Ok(id) => {
                pending.set(None);
                app.status.set(app.t(T::Imported).to_owned());
                app.navigate(Route::Case(id));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let summary = move || {
        pending.with(|p| {
            p.as_ref().map(|(_, preview)| {
                let incident = preview
                    .incident_at
                    .map(clock::display_local)
                    .unwrap_or_default();
                import_summary(app.lang(), preview, &incident)
            })
        })
    };

    view! {
        <section
            class="screen import"
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <h1>{move || app.t(T::Import)}</h1>
            <label class="button secondary big file-choice" for="import-file">{move || app.t(T::ImportChoose)}</label>
            <input id="import-file" class="visually-hidden" type="file" on:change=on_choose/>
            <p class="help">{move || app.t(T::ImportDrop)}</p>
            <form class="stack" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                examine(pasted.get_untracked().into_bytes(), None);
            }>
                <label for="import-text">{move || app.t(T::ImportPaste)}</label>
                <textarea id="import-text" rows="4" spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
                <button type="submit" class="secondary">{move || app.t(T::ImportRead)}</button>
            </form>
            <Show when=move || waiting.with(|w| w.is_some())>
                <form class="stack panel" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if let Some(bytes) = waiting.get_untracked() {
                        examine(bytes, Some(passphrase.get_untracked()));
                    }
                }>
                    <p class="help" id="import-passphrase-help">{move || app.t(T::ImportNeedsPassphrase)}</p>
                    <label for="import-passphrase">{move || app.t(T::Passphrase)}</label>
                    <input id="import-passphrase" type="password" autocomplete="off"
                        aria-describedby="import-passphrase-help"
                        prop:value=move || passphrase.get()
                        on:input=move |ev| passphrase.set(event_target_value(&ev))
                    />
                    <button type="submit" class="primary" disabled=move || busy.get()>{move || app.t(T::OpenFile)}</button>
                </form>
            </Show>
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <div role="alert" class="field-error">{move || error.get()}</div>
            {move || summary().map(|lines| view! {
                <div class="panel preview" aria-labelledby="preview-heading">
                    <h2 id="preview-heading">{app.t(T::ImportPreviewTitle)}</h2>
                    <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    <button type="button" class="primary big" on:click=confirm>{app.t(T::ImportConfirm)}</button>
                </div>
            })}
        </section>
    }
}

fn event_target<T: JsCast>(ev: &leptos::ev::Event) -> T {
    ev.target()
        .expect("change events have a target")
        .unchecked_into()
}
