//! Importing a case file: choose it, drop it or paste it; see what it holds; then merge it in.
//! Nothing changes before the user confirms, and a bad file changes nothing at all.

use crate::platform::clock;
use crate::platform::files::{self, ReadFileError};
use crate::ui::context::use_app;
use crate::ui::evidence_store;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{evidence_kind, import_error, import_summary, kv_error, T};
use crate::ui::route::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_domain::evidence::MAX_CASE_FILE_BYTES;
use stodrutin_service::{CheckedImport, ImportStep, SealedImport};
use wasm_bindgen::JsCast;

#[component]
pub fn ImportView() -> impl IntoView {
    let app = use_app();
    let pasted = RwSignal::new(String::new());
    // A checked file, merged with this device's copy, waiting for the user's confirmation.
    let pending = RwSignal::new(Vec::<CheckedImport>::new());
    let error = RwSignal::new(None::<String>);

    // A sealed file, read once, that waits for its passphrase.
    let waiting = RwSignal::new(None::<SealedImport>);
    let passphrase = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let local = move |id: &stodrutin_domain::CaseId| app.case(id);
    let examine = move |bytes: Vec<u8>| {
        pending.set(Vec::new());
        waiting.set(None);
        let step = app.with_service(|s| s.begin_import(&bytes, local));
        match step {
            Ok(ImportStep::Checked(checked)) => {
                error.set(None);
                pending.set(vec![checked]);
            }
            Ok(ImportStep::CheckedMany(all)) => {
                error.set(None);
                pending.set(all);
            }
            Ok(ImportStep::NeedsPassphrase(sealed)) => {
                error.set(None);
                waiting.set(Some(sealed));
            }
            Err(err) => error.set(Some(import_error(app.lang(), &err))),
        }
    };
    // Opening a passphrase file takes about a second: "working" shows first. A wrong
    // passphrase keeps the file waiting, to try again without reading it again.
    let open_sealed = move |phrase: String| {
        busy.set(true);
        spawn_local(async move {
            clock::yield_to_paint().await;
            let opened = waiting.with_untracked(|sealed| {
                sealed
                    .as_ref()
                    .map(|sealed| app.with_service(|s| s.open_import(sealed, &phrase, local)))
            });
            busy.set(false);
            match opened {
                Some(Ok(checked)) => {
                    error.set(None);
                    waiting.set(None);
                    passphrase.set(String::new());
                    pending.set(vec![checked]);
                }
                Some(Err(err)) => error.set(Some(import_error(app.lang(), &err))),
                None => {}
            }
        });
    };
    let take_file = move |file: web_sys::File| {
        spawn_local(async move {
            match files::read_bytes(&file, MAX_CASE_FILE_BYTES as usize).await {
                Ok(bytes) => examine(bytes),
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
        let all = pending.try_update(std::mem::take).unwrap_or_default();
        let many = all.len() > 1;
        busy.set(true);
        spawn_local(async move {
            let mut last = None;
            for checked in all {
                // The file's evidence bytes are sealed and stored first; the case only after.
                let sealed = app.with_service(|s| s.seal_import_items(&checked));
                let stored = match sealed {
                    Ok(sealed) => evidence_store::store_sealed(app, sealed)
                        .await
                        .map_err(|err| kv_error(app.lang(), &err)),
                    Err(err) => Err(kv_error(app.lang(), &err)),
                };
                let committed = stored.and_then(|()| app.commit_import(checked));
                match committed {
                    Ok(id) => last = Some(Ok(id)),
                    Err(message) => {
                        last = Some(Err(message));
                        break;
                    }
                }
            }
            busy.set(false);
            let Some(outcome) = last else {
                return;
            };
            let outcome = outcome.map(|id| if many { None } else { Some(id) });
            match outcome {
                Ok(id) => {
                    pending.set(Vec::new());
                    app.status.set(app.t(T::Imported).to_owned());
                    app.navigate(id.map(Route::Case).unwrap_or(Route::Home));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let evidence = move || {
        pending.with(|all| {
            all.iter()
                .flat_map(|checked| checked.evidence())
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        pending.with(|all| {
            (!all.is_empty()).then(|| {
                all.iter()
                    .flat_map(|checked| {
                        let preview = &checked.preview;
                        let incident = preview
                            .incident_at
                            .map(clock::display_local)
                            .unwrap_or_default();
                        import_summary(
                            app.lang(),
                            preview,
                            &incident,
                            checked.routine,
                            checked.brings_routine(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    view! {
        <section
            class="screen import"
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <h1>{app.tx(T::Import)}</h1>
            <label class="button secondary big file-choice" for="import-file">{app.tx(T::ImportChoose)}</label>
            <input id="import-file" class="visually-hidden" type="file" on:change=on_choose/>
            <p class="help">{app.tx(T::ImportDrop)}</p>
            <form class="stack" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                examine(pasted.get_untracked().into_bytes());
            }>
                <label for="import-text">{app.tx(T::ImportPaste)}</label>
                <textarea id="import-text" rows="4" spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
                <button type="submit" class="secondary">{app.tx(T::ImportRead)}</button>
            </form>
            <Show when=move || waiting.with(|w| w.is_some())>
                <form class="stack panel" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    open_sealed(passphrase.get_untracked());
                }>
                    <p class="help" id="import-passphrase-help">{app.tx(T::ImportNeedsPassphrase)}</p>
                    <label for="import-passphrase">{app.tx(T::Passphrase)}</label>
                    <input id="import-passphrase" type="password" autocomplete="off"
                        aria-describedby="import-passphrase-help"
                        prop:value=move || passphrase.get()
                        on:input=move |ev| passphrase.set(event_target_value(&ev))
                    />
                    <button type="submit" class="primary" disabled=move || busy.get()>{app.tx(T::OpenFile)}</button>
                </form>
            </Show>
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <FieldError error=error/>
            {move || summary().map(|lines| view! {
                <div class="panel preview" aria-labelledby="preview-heading">
                    <h2 id="preview-heading">{app.t(T::ImportPreviewTitle)}</h2>
                    <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    {move || {
                        let items = evidence();
                        (!items.is_empty()).then(|| view! {
                            <h3>{app.t(T::EvidenceHeading)}</h3>
                            <ul class="import-evidence">
                                {items.into_iter().map(|(item, here)| view! {
                                    <li data-evidence=item.id.clone()>
                                        {evidence_kind(app.lang(), item.kind)} " · "
                                        {item.file_name.clone().or(item.text.clone()).unwrap_or_default()} " · SHA-256 "
                                        <code class="sha256">{item.sha256.clone()}</code>
                                        {(!here).then(|| view! { " · " {app.t(T::EvidenceMissing)} })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                    <button type="button" class="primary big" disabled=move || busy.get() on:click=confirm>{app.t(T::ImportConfirm)}</button>
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
