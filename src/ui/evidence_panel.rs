//! Evidence and witnesses in a case: take a photo, choose a file or screenshot, paste a message,
//! add a link, note a witness; and the list of what is saved, each item checked again against
//! its SHA-256 when it is shown.
//!
//! A chosen file is read and hashed first (a mebibyte at a time, with progress), then described
//! (channel, sender, where the original is kept) and saved: its bytes sealed and stored before
//! the event that names them. A file that storage refuses stays on screen, not saved, with the
//! retry and a download of the original.
//!
//! What is being added (the file chosen, the text, the description) is a draft: a lock keeps it,
//! sealed, and it is back on screen after the unlock (a photo taken in the app exists nowhere
//! else).

use crate::platform::clock;
use crate::platform::dom::{el, text_el, El};
use crate::platform::files::{self, ReadFileError};
use crate::ui::built::built;
use crate::ui::context::{use_app, LockView};
use crate::ui::details_form::{draft_key as form_draft_key, DetailsForm};
use crate::ui::drafts::{keep_draft, keep_file, kept_file, DraftFile};
use crate::ui::evidence_item::{witness_entry, EvidenceEntry};
use crate::ui::evidence_store::{self, AttachFailure};
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{evidence_error, kv_error, size_text, tr, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use stodrutin_domain::evidence::{
    check_item, file_item, text_item, EvidenceItem, EvidenceKind, Witness, MAX_ITEM_BYTES,
};
use stodrutin_domain::routine::Channel;
use stodrutin_domain::{CaseId, CaseState, Payload, Routine};
use stodrutin_service::KvError;

/// What the add area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Adding {
    Nothing,
    /// A chosen file: being read and hashed, then described.
    File,
    Message,
    Link,
    Witness,
}

impl Adding {
    /// In a draft's order (a number there: a derived reader of its own costs the wasm more).
    const ALL: [Adding; 5] = [
        Adding::Nothing,
        Adding::File,
        Adding::Message,
        Adding::Link,
        Adding::Witness,
    ];
}

/// A chosen file, read and hashed, not yet saved.
#[derive(Clone)]
struct Chosen {
    item: EvidenceItem,
    bytes: DraftFile,
}

/// What is being added, as typed, kept across a lock (the chosen file's bytes are kept beside
/// it, `keep_file`).
#[derive(Serialize, Deserialize)]
struct AddingDraft {
    /// The index of the form in `Adding::ALL`.
    adding: u8,
    /// The chosen file's item, its description not yet applied.
    chosen: Option<EvidenceItem>,
    not_stored: bool,
    /// The message or link; channel, platform, sender, note, where the original is kept; the
    /// witness's name, phone and what they saw.
    fields: Vec<String>,
}

/// The description every item has, as typed.
#[derive(Clone, Copy)]
struct Describe {
    channel: RwSignal<String>,
    platform: RwSignal<String>,
    sender: RwSignal<String>,
    note: RwSignal<String>,
    kept_where: RwSignal<String>,
}

impl Describe {
    fn new() -> Describe {
        Describe {
            channel: RwSignal::new(String::new()),
            platform: RwSignal::new(String::new()),
            sender: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            kept_where: RwSignal::new(String::new()),
        }
    }

    fn signals(&self) -> [RwSignal<String>; 5] {
        [
            self.channel,
            self.platform,
            self.sender,
            self.note,
            self.kept_where,
        ]
    }

    fn clear(&self) {
        for signal in self.signals() {
            signal.set(String::new());
        }
    }

    fn apply(&self, item: &mut EvidenceItem) {
        let some = |s: RwSignal<String>| {
            let text = s.get_untracked().trim().to_owned();
            (!text.is_empty()).then_some(text)
        };
        item.channel = channel_of(&self.channel.get_untracked());
        item.platform = some(self.platform);
        item.sender = some(self.sender);
        item.note = some(self.note);
        item.kept_where = some(self.kept_where);
    }
}

fn channel_of(key: &str) -> Option<Channel> {
    Channel::ALL.into_iter().find(|c| c.key() == key)
}

/// The time the phone gives a file, if it is a plausible one.
fn file_time(file: &web_sys::File) -> Option<chrono::DateTime<chrono::Utc>> {
    let at = chrono::DateTime::from_timestamp_millis(file.last_modified() as i64)?;
    (at <= clock::now() && at.timestamp() > 0).then_some(at)
}

#[component]
pub fn EvidencePanel(
    case_id: CaseId,
    routine: &'static Routine,
    state: Memo<Option<CaseState>>,
) -> impl IntoView {
    let app = use_app();
    // The pack's list of witnesses; a pack without one (cases opened before it had one) notes
    // witnesses with the panel's own form.
    let witness_form = routine.witness_form();
    let case_id = StoredValue::new(case_id);
    let adding = RwSignal::new(Adding::Nothing);
    let chosen = RwSignal::new(None::<Chosen>);
    let progress = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<String>);
    // Storage refused the chosen file: it stays, with the retry and a download.
    let not_stored = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let describe = Describe::new();
    let witness_name = RwSignal::new(String::new());
    let witness_phone = RwSignal::new(String::new());
    let witness_saw = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    // The typed fields, in the draft's order.
    let fields = move || {
        let [a, b, c, d, e] = describe.signals();
        [
            text,
            a,
            b,
            c,
            d,
            e,
            witness_name,
            witness_phone,
            witness_saw,
        ]
    };
    let draft_key = case_id.with_value(|id| format!("evidence/{}", id.as_str()));
    let kept_bytes = kept_file(app, &draft_key);
    let kept = keep_draft(app, draft_key.clone(), move || {
        let adding = adding.get();
        (adding != Adding::Nothing).then(|| AddingDraft {
            adding: Adding::ALL.iter().position(|a| *a == adding).unwrap_or(0) as u8,
            chosen: chosen.with(|c| c.as_ref().map(|c| c.item.clone())),
            not_stored: not_stored.get(),
            fields: fields().iter().map(|s| s.get()).collect(),
        })
    });
    let draft_key = StoredValue::new(draft_key);
    // After an unlock the form opens again as it was; a file still being read when the lock
    // came is not (it is chosen again).
    let restored = kept.is_some_and(|draft| {
        let form = Adding::ALL.get(usize::from(draft.adding)).copied();
        let chosen_back = draft
            .chosen
            .zip(kept_bytes)
            .map(|(item, bytes)| Chosen { item, bytes });
        if form == Some(Adding::File) && chosen_back.is_none() {
            return false;
        }
        for (signal, value) in fields().into_iter().zip(draft.fields) {
            signal.set(value);
        }
        not_stored.set(draft.not_stored && chosen_back.is_some());
        chosen.set(chosen_back);
        adding.set(form.unwrap_or(Adding::Nothing));
        true
    });

    // A witness being noted when the app locked: its form opens again (`DetailsForm`), so the
    // panel around it does too.
    let witness_typed = witness_form.is_some_and(|form| {
        let key = case_id.with_value(|id| form_draft_key(id, form));
        app.drafts.with_value(|drafts| drafts.contains_key(&key))
    });
    let unprotected = move || matches!(app.lock.get(), LockView::Open { protected: false });
    let count = move || state.with(|s| s.as_ref().map_or(0, |s| s.evidence_count(routine)));
    // Which choice of a file is the current one: a file still being read when another is chosen
    // (or the form is closed) is dropped when its reading ends, never shown in the other's place.
    let choice = StoredValue::new(0u32);
    let discard_asked = RwSignal::new(false);
    let close = move || {
        choice.update_value(|n| *n = n.wrapping_add(1));
        adding.set(Adding::Nothing);
        chosen.set(None);
        draft_key.with_value(|key| keep_file(app, key, None));
        progress.set(None);
        error.set(None);
        not_stored.set(false);
        text.set(String::new());
        describe.clear();
        witness_name.set(String::new());
        witness_phone.set(String::new());
        witness_saw.set(String::new());
        discard_asked.set(false);
    };
    // A file storage refused may exist nowhere else (a photo taken in the app): letting it go
    // (cancel, another file, another kind of item) takes a second tap, after a message saying so.
    // `true` when it asked, and what was tapped must wait for the second tap.
    let ask_first = move || {
        let unsaved_file = not_stored.get_untracked() && chosen.with_untracked(Option::is_some);
        if unsaved_file && !discard_asked.get_untracked() {
            discard_asked.set(true);
            error.set(Some(app.t(T::EvidenceDiscardAsk).to_owned()));
            return true;
        }
        false
    };
    let leave = move || {
        if ask_first() {
            return false;
        }
        close();
        true
    };
    // The camera or the file picker: asked before it opens (a photo taken and then refused
    // would be lost).
    let open_picker = move |ev: leptos::ev::MouseEvent| {
        if ask_first() {
            ev.prevent_default();
        } else {
            app.opened_external.set_value(true);
        }
    };

    let choose = move |ev: leptos::ev::Event, kind: EvidenceKind| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        if !leave() {
            return;
        }
        adding.set(Adding::File);
        if file.size() > MAX_ITEM_BYTES as f64 {
            error.set(Some(app.t(T::ErrEvidenceTooLarge).to_owned()));
            return;
        }
        progress.set(Some(0));
        let mine = choice.get_value();
        let current = move || choice.try_get_value() == Some(mine);
        spawn_local(async move {
            let read = files::read_hashed(&file, MAX_ITEM_BYTES, |share| {
                if current() {
                    progress.set(Some((share * 100.0) as u32));
                }
            })
            .await;
            if !current() {
                return;
            }
            progress.set(None);
            match read {
                Ok((bytes, sha256)) => {
                    let bytes: DraftFile = std::sync::Arc::new(zeroize::Zeroizing::new(bytes));
                    // Locked while it was read: the form is gone, and so are the bytes.
                    if !app.is_open() {
                        return;
                    }
                    let media_type = file.type_();
                    let item = EvidenceItem {
                        media_type: (!media_type.is_empty()).then_some(media_type),
                        file_name: Some(file.name()).filter(|n| !n.is_empty()),
                        file_modified: file_time(&file),
                        ..file_item(
                            app.with_service(|s| s.random_id()),
                            kind,
                            sha256,
                            bytes.len() as u64,
                        )
                    };
                    draft_key.try_with_value(|key| keep_file(app, key, Some(bytes.clone())));
                    chosen.set(Some(Chosen { item, bytes }));
                }
                Err(ReadFileError::TooLarge) => {
                    error.set(Some(app.t(T::ErrEvidenceTooLarge).to_owned()))
                }
                Err(ReadFileError::Unreadable) => {
                    error.set(Some(app.t(T::ErrFileUnreadable).to_owned()))
                }
            }
        });
    };

    let save = move |item: EvidenceItem, bytes: Option<DraftFile>| {
        if busy.get_untracked() {
            return;
        }
        discard_asked.set(false);
        if let Err(err) = check_item(&item, clock::now()) {
            error.set(Some(evidence_error(app.lang(), &err)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let outcome = evidence_store::attach(
                app,
                &case_id.get_value(),
                item,
                bytes.as_ref().map(|b| b.as_slice()),
            )
            .await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    app.announce(app.t(T::EvidenceAdded));
                    close();
                }
                Err(AttachFailure::NotStored(err)) => {
                    not_stored.set(true);
                    let message = match err {
                        KvError::Unavailable => app.t(T::ErrItemsUnavailable).to_owned(),
                        KvError::QuotaExceeded => app.t(T::ErrItemsFull).to_owned(),
                        other => kv_error(app.lang(), &other),
                    };
                    error.set(Some(message));
                }
                Err(AttachFailure::Refused(message)) => error.set(Some(message)),
            }
        });
    };

    let save_chosen = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(Chosen { mut item, bytes }) = chosen.get_untracked() else {
            return;
        };
        describe.apply(&mut item);
        save(item, Some(bytes));
    };
    let save_text = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let kind = match adding.get_untracked() {
            Adding::Link => EvidenceKind::Link,
            _ => EvidenceKind::Message,
        };
        let typed = text.get_untracked();
        let typed = if kind == EvidenceKind::Link {
            typed.trim().to_owned()
        } else {
            typed
        };
        let mut item = text_item(app.with_service(|s| s.random_id()), kind, typed);
        describe.apply(&mut item);
        save(item, None);
    };
    let save_witness = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: RwSignal<String>| {
            let text = s.get_untracked().trim().to_owned();
            (!text.is_empty()).then_some(text)
        };
        let witness = Witness {
            id: app.with_service(|s| s.random_id()),
            name: witness_name.get_untracked().trim().to_owned(),
            phone: some(witness_phone),
            saw: some(witness_saw),
        };
        match app.record(&case_id.get_value(), Payload::WitnessAdded { witness }) {
            Ok(()) => {
                app.announce(app.t(T::WitnessAdded));
                close();
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let download_chosen = move |_| {
        if let Some(Chosen { item, bytes }) = chosen.get_untracked() {
            let name = item
                .file_name
                .clone()
                .unwrap_or_else(|| item.archive_name().replace("evidence/", ""));
            let _ = files::download(&name, &bytes, "application/octet-stream");
        }
    };

    let describe_fields = move || {
        view! {
            <div class="field">
                <label for="evidence-channel">{app.tx(T::EvidenceChannel)}</label>
                <select id="evidence-channel"
                    prop:value=move || describe.channel.get()
                    on:change=move |ev| describe.channel.set(event_target_value(&ev))>
                    <option value="">{app.tx(T::EvidenceChannelOther)}</option>
                    {Channel::ALL.into_iter().map(|channel| view! {
                        <option value=channel.key()>{move || channel.name().get(app.lang()).to_owned()}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextField id="evidence-platform" label=T::EvidencePlatform value=describe.platform/>
            <TextField id="evidence-sender" label=T::EvidenceSender value=describe.sender/>
            <TextField id="evidence-kept" label=T::EvidenceKeptWhere value=describe.kept_where/>
            <div class="field">
                <label for="evidence-note">{app.tx(T::EvidenceNote)}</label>
                <textarea id="evidence-note" rows="2"
                    prop:value=move || describe.note.get()
                    on:input=move |ev| describe.note.set(event_target_value(&ev))></textarea>
            </div>
        }
    };

    let actions = move || {
        view! {
            <div class="button-row">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if not_stored.get() { app.t(T::TryAgain) } else { app.t(T::Save) }}
                </button>
                <button type="button" class="secondary" on:click=move |_| { leave(); }>
                    {app.tx(T::Cancel)}
                </button>
            </div>
        }
    };

    view! {
        <details class="evidence-section" id="evidence" aria-labelledby="evidence-heading" open=restored || witness_typed>
            <summary>
                <h2 id="evidence-heading">{app.tx(T::EvidenceHeading)}</h2>
                <span class="section-count">{count}</span>
            </summary>
            <p class="help">{app.tx(T::EvidenceHelp)}</p>
            {move || unprotected().then(|| view! {
                <p class="warning" data-testid="evidence-unprotected">{app.t(T::EvidenceUnprotected)}</p>
            })}
            <div class="evidence-add button-row">
                <label class="button secondary file-button">
                    {app.tx(T::EvidenceTakePhoto)}
                    <input type="file" class="visually-hidden" accept="image/*" capture="environment"
                        data-testid="evidence-photo"
                        on:click=open_picker
                        on:change=move |ev| choose(ev, EvidenceKind::Photo)/>
                </label>
                <label class="button secondary file-button">
                    {app.tx(T::EvidenceChooseFile)}
                    <input type="file" class="visually-hidden" data-testid="evidence-file"
                        on:click=open_picker
                        on:change=move |ev| choose(ev, EvidenceKind::File)/>
                </label>
                <button type="button" class="secondary" on:click=move |_| if leave() { adding.set(Adding::Message); }>
                    {app.tx(T::EvidencePasteMessage)}
                </button>
                <button type="button" class="secondary" on:click=move |_| if leave() { adding.set(Adding::Link); }>
                    {app.tx(T::EvidenceAddLink)}
                </button>
                {witness_form.is_none().then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| if leave() { adding.set(Adding::Witness); }>
                        {app.tx(T::WitnessAdd)}
                    </button>
                })}
            </div>
            {move || match adding.get() {
                Adding::Nothing => ().into_any(),
                Adding::File => view! {
                    <form class="stack panel evidence-form" novalidate on:submit=save_chosen>
                        {move || progress.get().map(|p| view! {
                            <p role="status">
                                {app.t(T::EvidenceHashing)} " "
                                <progress max="100" value=p.to_string() aria-label=app.t(T::EvidenceHashing)></progress>
                            </p>
                        })}
                        {move || chosen.get().map(|Chosen { item, .. }| view! {
                            <p class="evidence-chosen">
                                <strong>{item.file_name.clone().unwrap_or_default()}</strong>
                                " · " {size_text(app.lang(), item.size)}
                                " · " {item.media_type.clone().unwrap_or_default()}
                            </p>
                            <p class="meta">"SHA-256 " <code class="sha256">{item.sha256.clone()}</code></p>
                            {item.media_type.as_deref().is_some_and(|t| t.starts_with("image/")).then(|| view! {
                                <p class="help">{app.t(T::EvidencePlaceNote)}</p>
                            })}
                            {describe_fields()}
                            {actions()}
                        })}
                        <FieldError error=error/>
                        {move || (not_stored.get() && chosen.with(Option::is_some)).then(|| view! {
                            <button type="button" class="secondary" on:click=download_chosen>
                                {app.t(T::EvidenceDownloadOriginal)}
                            </button>
                        })}
                        {move || chosen.with(Option::is_none).then(|| view! {
                            <button type="button" class="secondary" on:click=move |_| close()>
                                {app.t(T::Cancel)}
                            </button>
                        })}
                    </form>
                }
                .into_any(),
                Adding::Message | Adding::Link => {
                    let link = adding.get_untracked() == Adding::Link;
                    view! {
                        <form class="stack panel evidence-form" novalidate on:submit=save_text>
                            <div class="field">
                                <label for="evidence-text">
                                    {move || app.t(if link { T::EvidenceLinkLabel } else { T::EvidenceMessageLabel })}
                                </label>
                                {if link {
                                    view! {
                                        <input id="evidence-text" type="url" inputmode="url" autocomplete="off"
                                            prop:value=move || text.get()
                                            on:input=move |ev| text.set(event_target_value(&ev))/>
                                    }
                                    .into_any()
                                } else {
                                    view! {
                                        <textarea id="evidence-text" rows="5"
                                            prop:value=move || text.get()
                                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                                    }
                                    .into_any()
                                }}
                            </div>
                            {describe_fields()}
                            <FieldError error=error/>
                            {actions()}
                        </form>
                    }
                    .into_any()
                }
                Adding::Witness => view! {
                    <form class="stack panel evidence-form" novalidate on:submit=save_witness>
                        <TextField id="witness-name" label=T::WitnessName value=witness_name/>
                        <div class="field">
                            <label for="witness-phone">{app.tx(T::WitnessPhone)}</label>
                            <input id="witness-phone" type="tel" inputmode="tel" autocomplete="off"
                                prop:value=move || witness_phone.get()
                                on:input=move |ev| witness_phone.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for="witness-saw">{app.tx(T::WitnessSaw)}</label>
                            <textarea id="witness-saw" rows="3"
                                prop:value=move || witness_saw.get()
                                on:input=move |ev| witness_saw.set(event_target_value(&ev))></textarea>
                        </div>
                        <FieldError error=error/>
                        {actions()}
                    </form>
                }
                .into_any(),
            }}
            // Keyed: recording anything else in the case leaves the entries (and the pictures
            // they opened and checked) as they are.
            <ol class="evidence-list"
                hidden=move || state.with(|s| s.as_ref().is_none_or(|s| s.evidence.is_empty()))>
                <For
                    each=move || state.with(|s| s.as_ref().map_or_else(Vec::new, |s| s.evidence.clone()))
                    key=|recorded| recorded.what.id.clone()
                    let:recorded
                >
                    <EvidenceEntry case_id=case_id.get_value() recorded=recorded/>
                </For>
            </ol>
            {built(Box::new(move |host: &El| {
                state.with(|s| {
                    let Some(witnesses) = s.as_ref().map(|s| &s.witnesses).filter(|w| !w.is_empty())
                    else {
                        return;
                    };
                    let lang = app.lang();
                    // Under a pack with a list of witnesses, its form below has the heading.
                    if witness_form.is_none() {
                        host.push(text_el("h3", "", tr(lang, T::WitnessesHeading)));
                    }
                    let list = el("ul").class("witness-list");
                    for recorded in witnesses {
                        list.push(witness_entry(recorded, lang));
                    }
                    host.push(list);
                });
            }))}
            {witness_form.map(|form| view! {
                <DetailsForm case_id=case_id.get_value() form=form state=state/>
            })}
        </details>
    }
}

/// One labelled line of text.
#[component]
fn TextField(id: &'static str, label: T, value: RwSignal<String>) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="field">
            <label for=id>{app.tx(label)}</label>
            <input id=id type="text" autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}
