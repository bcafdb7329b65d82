//! Importing a case file: choose it, drop it or paste it; see what it holds; then merge it in.
//! Nothing changes before the user confirms, and a bad file changes nothing at all.

use crate::platform::clock;
use crate::platform::files::{self, ReadFileError};
use crate::ui::context::use_app;
use crate::ui::context::AppContext;
use crate::ui::evidence_store;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{evidence_kind, import_error, import_summary, kv_error, unread_cases, T};
use crate::ui::route::Route;
use crate::ui::secret_field::SecretField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use stodrutin_domain::evidence::MAX_CASE_FILE_BYTES;
use stodrutin_domain::CaseId;
use stodrutin_service::{
    CheckedFile, CheckedImport, ImportArrival, ImportError, ImportReading, KvError, SealedImport,
};
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

#[component]
pub fn ImportView() -> impl IntoView {
    let app = use_app();
    let pasted = RwSignal::new(String::new());
    // A checked file, merged with this device's copy, waiting for the user's confirmation.
    let pending = RwSignal::new(Vec::<CheckedImport>::new());
    let error = RwSignal::new(None::<String>);

    // A sealed file, read once, that waits for its passphrase (shared with an attempt to open
    // it, so the form stays while the attempt runs).
    let waiting = RwSignal::new(None::<Arc<SealedImport>>);
    let passphrase = SecretField::new();
    let busy = RwSignal::new(false);

    // The share of a long read or commit done, while it runs; and which reading is the last
    // one started: a file chosen while another is read replaces it, and the earlier reading
    // stops (as it does when the screen is left).
    let progress = RwSignal::new(None::<u32>);
    let attempt = StoredValue::new(0u32);
    let start_attempt = move || {
        attempt.update_value(|n| *n += 1);
        let this = attempt.get_value();
        move || attempt.try_get_value() == Some(this)
    };

    // The end of an attempt still wanted: the checked cases shown for confirmation (the file no
    // longer waits for a passphrase), or the error, with the file still waiting if it did.
    let settle = move |outcome: Result<CheckedFile, ImportError>| {
        busy.set(false);
        progress.set(None);
        match outcome {
            Ok(file) => {
                waiting.set(None);
                passphrase.clear();
                if !file.unread.is_empty() {
                    error.set(Some(unread_cases(app.lang(), &file.unread)));
                }
                pending.set(file.cases);
            }
            Err(err) => error.set(Some(import_error(app.lang(), &err))),
        }
    };

    let examine = move |bytes: Vec<u8>| {
        pending.set(Vec::new());
        waiting.set(None);
        error.set(None);
        busy.set(true);
        let current = start_attempt();
        spawn_local(async move {
            if !current() {
                return;
            }
            // Held here while its reading borrows it.
            let (sealed, locked);
            let reading = match app.with_service(|s| s.arrive(bytes)) {
                Ok(ImportArrival::Locked(file)) => {
                    locked = file;
                    app.with_service(|s| s.reading_locked(&locked))
                }
                Ok(ImportArrival::Sealed(file)) if file.needs_passphrase() => {
                    busy.set(false);
                    waiting.set(Some(Arc::new(file)));
                    return;
                }
                Ok(ImportArrival::Sealed(file)) => {
                    sealed = file;
                    app.with_service(|s| s.reading_with_key(&sealed))
                }
                Ok(ImportArrival::Reading(reading)) => Ok(reading),
                Err(err) => Err(err),
            };
            let outcome = match reading {
                Ok(reading) => read_in_steps(app, reading, progress, current).await,
                Err(err) => Some(Err(err)),
            };
            if let Some(outcome) = outcome.filter(|_| current()) {
                settle(outcome);
            }
        });
    };
    // Opening a passphrase file takes about a second before its steps: "working" shows first.
    // A wrong passphrase keeps the file waiting, to try again without reading it again.
    let open_sealed = move |phrase: Zeroizing<String>| {
        let Some(sealed) = waiting.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        let current = start_attempt();
        spawn_local(async move {
            clock::yield_to_paint().await;
            if !current() {
                return;
            }
            let outcome = match app.with_service(|s| s.reading_with_passphrase(&sealed, &phrase)) {
                Ok(reading) => read_in_steps(app, reading, progress, current).await,
                Err(err) => Some(Err(err)),
            };
            if let Some(outcome) = outcome.filter(|_| current()) {
                settle(outcome);
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
            // Every case's files are stored before any case is committed (a locked export may
            // hold several): a refusal on the way (a full storage, a lock) takes back the files
            // this import stored, commits nothing, and leaves the preview for another try.
            let mut written: Vec<(CaseId, Vec<String>)> = Vec::new();
            for checked in &all {
                match store_files(app, checked, progress).await {
                    Ok(keys) => written.push((checked.case_id().clone(), keys)),
                    Err(message) => {
                        for (_, keys) in &written {
                            evidence_store::remove_keys(keys).await;
                        }
                        busy.set(false);
                        progress.set(None);
                        pending.set(all);
                        error.set(Some(message));
                        return;
                    }
                }
            }
            let mut last = None;
            let mut left = all.into_iter();
            for checked in left.by_ref() {
                let id = checked.case_id().clone();
                match app.commit_import(checked) {
                    Ok(id) => last = Some(Ok(id)),
                    Err(message) => {
                        // Refused at the commit (the case as merged breaks a rule): the files of
                        // this case and of those after it go again (a retry stores them anew);
                        // the cases not yet committed stay in the preview.
                        let from = written.iter().position(|(case, _)| *case == id);
                        for (_, keys) in &written[from.unwrap_or(written.len())..] {
                            evidence_store::remove_keys(keys).await;
                        }
                        last = Some(Err(message));
                        break;
                    }
                }
            }
            let not_committed: Vec<CheckedImport> = left.collect();
            busy.set(false);
            progress.set(None);
            let Some(outcome) = last else {
                return;
            };
            let outcome = outcome.map(|id| if many { None } else { Some(id) });
            match outcome {
                Ok(id) => {
                    pending.set(Vec::new());
                    app.announce(app.t(T::Imported));
                    app.navigate(id.map(Route::Case).unwrap_or(Route::Home));
                }
                Err(message) => {
                    pending.set(not_committed);
                    error.set(Some(message));
                }
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
                    open_sealed(passphrase.read());
                }>
                    <p class="help" id="import-passphrase-help">{app.tx(T::ImportNeedsPassphrase)}</p>
                    <label for="import-passphrase">{app.tx(T::Passphrase)}</label>
                    <input id="import-passphrase" type="password" autocomplete="off"
                        aria-describedby="import-passphrase-help"
                        node_ref=passphrase.node()
                    />
                    <button type="submit" class="primary" disabled=move || busy.get()>{app.tx(T::OpenFile)}</button>
                </form>
            </Show>
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            {move || progress.get().map(|p| view! {
                <progress max="100" value=p.to_string() aria-label=app.t(T::Working)></progress>
            })}
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

/// Reads a file a share at a time, with a pause for the page between, showing the share done;
/// then checks it and merges it with this device's copy. `None` once `wanted` says the reading
/// was replaced or the screen left: it stops at the next pause.
async fn read_in_steps(
    app: AppContext,
    mut reading: ImportReading<'_>,
    progress: RwSignal<Option<u32>>,
    wanted: impl Fn() -> bool,
) -> Option<Result<CheckedFile, ImportError>> {
    let mut pacer = clock::Pacer::start();
    pacer.pause().await;
    loop {
        match reading.step(clock::STEP_BYTES) {
            Ok(true) => break,
            Ok(false) => {}
            Err(err) => return Some(Err(err)),
        }
        if pacer.tick().await {
            if !wanted() {
                return None;
            }
            progress.set(Some((reading.progress() * 100.0) as u32));
        }
    }
    pacer.pause().await;
    wanted().then(|| app.with_service(|s| s.finish_import(reading, &|id| app.case(id))))
}

/// `done` of `total` as a whole percentage.
fn percent((done, total): (usize, usize)) -> u32 {
    (done as u64 * 100 / total.max(1) as u64) as u32
}

/// Seals an import's evidence files (a share at a time, with a pause for the page between)
/// and stores those the item store does not hold yet (an item recorded here without its bytes
/// gets them) or holds damaged (mended): the store keys this call wrote new.
async fn store_files(
    app: AppContext,
    checked: &CheckedImport,
    progress: RwSignal<Option<u32>>,
) -> Result<Vec<String>, String> {
    let failed = |err: KvError| kv_error(app.lang(), &err);
    let mut stored = evidence_store::stored_keys(app, checked.brings_files())
        .await
        .map_err(failed)?;
    // A file stored here damaged or changed takes the file's checked bytes in its place.
    let mending = evidence_store::damaged_of(
        app,
        checked.case_id(),
        checked.brought_items(),
        &stored,
        |share| progress.set(Some((share * 100.0) as u32)),
    )
    .await;
    stored.retain(|key| !mending.contains(key));
    let mut sealing = app
        .with_service(|s| s.sealing_import_items(checked, &stored))
        .map_err(failed)?;
    let mut pacer = clock::Pacer::start();
    while !sealing.step(clock::STEP_BYTES) {
        if pacer.tick().await {
            progress.set(Some(percent(sealing.progress())));
        }
    }
    evidence_store::store_sealed(app, sealing.finish(), &mending)
        .await
        .map_err(failed)
}
