//! One row of the routine in a case: what it says, who is responsible, where it stands, and the
//! controls to record it (done, not applicable, reopen, change time, note).

use crate::platform::clock;
use crate::ui::context::use_app;
use crate::ui::drafts::keep_draft;
use crate::ui::field_error::FieldError;
use crate::ui::form_actions::FormActions;
use crate::ui::i18n::{author_text, tr, Lang, T};
use leptos::prelude::*;
use stodrutin_domain::routine::Row;
use stodrutin_domain::state::Note;
use stodrutin_domain::{CaseId, CaseState, Payload, Routine, RowState, RowStatus};

/// The row's open form, if any (kept in its draft; "Nu" keeps its reason as `Reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Panel {
    Closed,
    Reason,
    Note,
    Time,
}

/// Where a row stands, in a line: open, done when and by whom, or not applicable and why.
pub fn status_text(status: &RowStatus, lang: Lang) -> String {
    match status {
        RowStatus::Open => tr(lang, T::StatusOpen).to_owned(),
        RowStatus::Done { at, by } => format!(
            "{} {} · {}",
            tr(lang, T::StatusDone),
            clock::display_local(*at),
            author_text(by, lang)
        ),
        RowStatus::NotApplicable { reason, by } => format!(
            "{}: {reason} · {}",
            tr(lang, T::StatusNotApplicable),
            author_text(by, lang)
        ),
    }
}

fn status_key(status: &RowStatus) -> &'static str {
    match status {
        RowStatus::Open => "open",
        RowStatus::Done { .. } => "done",
        RowStatus::NotApplicable { .. } => "not-applicable",
    }
}

#[component]
pub fn RoutineRow(
    case_id: CaseId,
    routine: &'static Routine,
    row: &'static Row,
    state: Memo<Option<CaseState>>,
    /// "Visa bara mina": rows the user's role is not responsible for are hidden.
    only_mine: RwSignal<bool>,
) -> impl IntoView {
    let app = use_app();
    let mine = move || app.is_mine(routine, row);
    let case_id = StoredValue::new(case_id);
    let row_state =
        Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.row(&row.id)).unwrap_or_default()));
    let panel = RwSignal::new(Panel::Closed);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let dom_id = row.id.as_str().replace('.', "-");
    let draft_key = format!(
        "row/{}/{}",
        case_id.with_value(|id| id.as_str().to_owned()),
        row.id.as_str()
    );
    let kept = keep_draft(app, draft_key, move || {
        let which = panel.get();
        (which != Panel::Closed).then(|| (which, draft.get()))
    });
    if let Some((which, text)) = kept {
        draft.set(text);
        panel.set(which);
    }
    // Stored so every closure below can read them without owning a copy.
    let text_id = StoredValue::new(format!("row-text-{dom_id}"));
    let field_id = StoredValue::new(format!("row-field-{dom_id}"));

    let record = move |payload: Payload| match app.record(&case_id.get_value(), payload) {
        Ok(()) => {
            panel.set(Panel::Closed);
            error.set(None);
        }
        Err(message) => error.set(Some(message)),
    };
    // "Klar" and "Återöppna": a double tap is one, and a note being typed stays open.
    let record_tapped = move |tap: leptos::ev::MouseEvent, payload: Payload| {
        let Some(recorded) = app.record_tap(&tap, &case_id.get_value(), payload) else {
            return;
        };
        match recorded {
            Ok(()) => {
                // Words being typed stay: a reason becomes a note (the row is no longer to be
                // marked "Ej aktuell"); anything else closes.
                let typed = !draft.with_untracked(|d| d.trim().is_empty());
                match panel.get_untracked() {
                    Panel::Note if typed => {}
                    Panel::Reason if typed => panel.set(Panel::Note),
                    _ => panel.set(Panel::Closed),
                }
                error.set(None);
                // The tapped button went with the row's state: the focus stays in the row.
                request_animation_frame(move || focus_row_button(row.id.as_str()));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let open_panel = move |which: Panel| {
        // Words typed in a note or a reason are never thrown away by another button: the same
        // panel stays as it is, the other of the two takes the words, and the time waits.
        let open = panel.get_untracked();
        let typed = matches!(open, Panel::Note | Panel::Reason)
            && !draft.with_untracked(|d| d.trim().is_empty());
        if typed {
            if matches!(which, Panel::Note | Panel::Reason) {
                panel.set(which);
            } else {
                error.set(Some(app.t(T::FinishTypingFirst).to_owned()));
            }
            return;
        }
        let initial = match (which, row_state.get_untracked().status) {
            (Panel::Time, RowStatus::Done { at, .. }) => clock::to_local_input(at),
            (Panel::Time, _) => clock::to_local_input(clock::now()),
            _ => String::new(),
        };
        draft.set(initial);
        error.set(None);
        panel.set(which);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        let row_id = row.id.clone();
        match panel.get_untracked() {
            Panel::Reason => record(Payload::RowNotApplicable {
                row: row_id,
                reason: text,
            }),
            Panel::Note => record(Payload::NoteAdded { row: row_id, text }),
            Panel::Time => match clock::from_local_input(&text) {
                Some(done_at) => record(Payload::RowDone {
                    row: row_id,
                    done_at,
                }),
                None => error.set(Some(app.t(T::ErrBadTime).to_owned())),
            },
            Panel::Closed => {}
        }
    };

    let is = move |pred: fn(&RowStatus) -> bool| row_state.with(|s| pred(&s.status));
    let text = move || row.text.get(app.lang());
    let list = move || {
        let lang = app.lang();
        row.list
            .iter()
            .map(|item| item.get(lang))
            .collect::<Vec<_>>()
    };
    let responsible = move || row.responsible_text.get(app.lang());
    let field_label = move || match panel.get() {
        Panel::Reason => app.t(T::Reason),
        Panel::Note => app.t(T::Note),
        Panel::Time | Panel::Closed => app.t(T::DoneAt),
    };
    let submit_label = Signal::derive(move || match panel.get() {
        Panel::Note => T::SaveNote,
        _ => T::Save,
    });

    view! {
        <li class="row" data-row=row.id.as_str() data-status=move || row_state.with(|s| status_key(&s.status))
            data-mine=move || mine().to_string() hidden=move || only_mine.get() && !mine()>
            <p class="row-text" id=text_id.get_value()>{text}</p>
            {move || {
                let items = list();
                (!items.is_empty()).then(|| view! {
                    <ul class="row-list">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                })
            }}
            {move || (app.lang() != Lang::Sv).then(|| view! {
                <p class="original" lang="sv">
                    <span class="label">{app.t(T::SwedishOriginal)} ": "</span>{row.text.sv.as_str()}
                </p>
            })}
            <p class="responsible">
                <span class="label">{app.tx(T::Responsible)} ": "</span>{responsible}
                {move || mine().then(|| view! { <span class="badge mine">{app.t(T::YourResponsibility)}</span> })}
            </p>
            <p class="status" class:visually-hidden=move || is(|s| matches!(s, RowStatus::Open))>{move || row_state.with(|s| status_text(&s.status, app.lang()))}</p>
            <div class="button-row">
                <Show when=move || is(|s| matches!(s, RowStatus::Open))>
                    <button type="button" class="primary" aria-describedby=text_id.get_value()
                        on:click=move |tap| record_tapped(tap, Payload::RowDone { row: row.id.clone(), done_at: clock::now() })>
                        {app.tx(T::Done)}
                    </button>
                    <button type="button" class="secondary" aria-describedby=text_id.get_value()
                        on:click=move |_| open_panel(Panel::Reason)>
                        {app.tx(T::NotApplicable)}
                    </button>
                </Show>
                <Show when=move || is(|s| matches!(s, RowStatus::Done { .. }))>
                    <button type="button" class="secondary" aria-describedby=text_id.get_value()
                        on:click=move |_| open_panel(Panel::Time)>
                        {app.tx(T::ChangeTime)}
                    </button>
                </Show>
                <Show when=move || !is(|s| matches!(s, RowStatus::Open))>
                    <button type="button" class="secondary" aria-describedby=text_id.get_value()
                        on:click=move |tap| record_tapped(tap, Payload::RowReopened { row: row.id.clone() })>
                        {app.tx(T::Reopen)}
                    </button>
                </Show>
                <button type="button" class="secondary" aria-describedby=text_id.get_value()
                    on:click=move |_| open_panel(Panel::Note)>
                    {app.tx(T::AddNote)}
                </button>
            </div>
            <Show when=move || panel.get() != Panel::Closed>
                <form class="stack panel" on:submit=submit novalidate>
                    <label for=field_id.get_value()>{field_label}</label>
                    <Show
                        when=move || panel.get() == Panel::Time
                        fallback=move || view! {
                            <textarea id=field_id.get_value() rows="3"
                                prop:value=move || draft.get()
                                on:input=move |ev| draft.set(event_target_value(&ev))
                            ></textarea>
                        }
                    >
                        <input id=field_id.get_value() type="datetime-local"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        />
                    </Show>
                    <FormActions submit=submit_label on_cancel=move || {
                        panel.set(Panel::Closed);
                        error.set(None);
                    }/>
                </form>
            </Show>
            <FieldError error=error/>
            <Notes row_state=row_state/>
        </li>
    }
}

#[component]
fn Notes(row_state: Memo<RowState>) -> impl IntoView {
    let app = use_app();
    let notes = move || row_state.with(|s| s.notes.clone());
    move || {
        let notes: Vec<Note> = notes();
        (!notes.is_empty()).then(|| {
            view! {
                <div class="notes">
                    <h3>{app.t(T::Notes)}</h3>
                    <ul>
                        {notes.into_iter().map(|note| view! {
                            <li class="note">
                                <p class="note-text">{note.text}</p>
                                <p class="meta">
                                    {clock::display_local(note.at)} " · " {author_text(&note.by, app.lang())}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Focuses the first button of the row `id` (its buttons change with its state).
fn focus_row_button(id: &str) {
    let selector = format!("li.row[data-row=\"{id}\"] .button-row button");
    crate::platform::dom::focus_first(&[&selector]);
}
