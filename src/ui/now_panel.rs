//! "Nu": the next open rows of the routine, in its order (three at most), each with who is
//! responsible and one large "Klar" and "Ej aktuell". A row recorded here leaves the list and the
//! next one comes up. Rows whose responsible party is the user's own role are marked; with "Visa
//! bara mina" only those are offered.

use crate::platform::clock;
use crate::ui::context::use_app;
use crate::ui::drafts::keep_draft;
use crate::ui::field_error::FieldError;
use crate::ui::form_actions::FormActions;
use crate::ui::i18n::T;
use crate::ui::routine_row::Panel;
use leptos::prelude::*;
use stodrutin_domain::routine::Row;
use stodrutin_domain::{CaseId, CaseState, Payload, Routine, RowStatus};

/// How many rows "Nu" offers at once.
const NOW_ROWS: usize = 3;

#[component]
pub fn NowPanel(
    case_id: CaseId,
    routine: &'static Routine,
    state: Memo<Option<CaseState>>,
    only_mine: RwSignal<bool>,
) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    // The ids of the next open rows: the list changes only when a row's status does.
    let next = Memo::new(move |_| {
        let mine_only = only_mine.get();
        state.with(|s| {
            let Some(s) = s.as_ref() else {
                return Vec::new();
            };
            routine
                .rows
                .iter()
                .filter(|row| matches!(s.row(&row.id).status, RowStatus::Open))
                .filter(|row| !mine_only || app.is_mine(routine, row))
                .take(NOW_ROWS)
                .map(|row| row.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let empty_text = move || {
        if only_mine.get() {
            app.t(T::NowNoneMine)
        } else {
            app.t(T::NowAllDone)
        }
    };

    view! {
        <section class="now" aria-labelledby="now-heading" aria-describedby="now-help">
            <p id="now-help" class="visually-hidden">{app.tx(T::NowHelp)}</p>
            <div class="now-head">
                <h2 id="now-heading">{app.tx(T::Now)}</h2>
                <button type="button" class="chip toggle" aria-pressed=move || only_mine.get().to_string()
                    on:click=move |_| only_mine.update(|on| *on = !*on)>
                    {app.tx(T::OnlyMine)}
                </button>
            </div>
            <Show when=move || next.with(Vec::is_empty)>
                <p class="now-empty">{empty_text}</p>
            </Show>
            <ol class="now-rows">
                <For
                    each=move || next.get()
                    key=|id| id.clone()
                    children=move |id| {
                        let row = routine.row(&id).expect("the id comes from the routine");
                        view! { <NowRow case_id=case_id.get_value() routine=routine row=row/> }
                    }
                />
            </ol>
        </section>
    }
}

#[component]
fn NowRow(case_id: CaseId, routine: &'static Routine, row: &'static Row) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    let asking_reason = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The reason being typed is a draft: a lock keeps it (the same shape as a row's drafts).
    let draft_key = case_id.with_value(|id| format!("now/{}/{}", id.as_str(), row.id.as_str()));
    if let Some((_, text)) = keep_draft(app, draft_key, move || {
        asking_reason.get().then(|| (Panel::Reason, reason.get()))
    }) {
        reason.set(text);
        asking_reason.set(true);
    }
    let dom_id = row.id.as_str().replace('.', "-");
    let text_id = format!("now-text-{dom_id}");
    let reason_id = format!("now-reason-{dom_id}");
    let mine = move || app.is_mine(routine, row);
    let record = move |payload: Payload| match app.record(&case_id.get_value(), payload) {
        Ok(()) => true,
        Err(message) => {
            error.set(Some(message));
            false
        }
    };
    let done = move |tap: leptos::ev::MouseEvent| {
        // A reason typed is not thrown away (shown or folded away with "Ej aktuell"): the row
        // would leave "Nu" with it. "Avbryt" lets it go.
        if !reason.with_untracked(|r| r.trim().is_empty()) {
            asking_reason.set(true);
            error.set(Some(app.t(T::FinishTypingFirst).to_owned()));
            return;
        }
        let done = Payload::RowDone {
            row: row.id.clone(),
            done_at: clock::now(),
        };
        match app.record_tap(&tap, &case_id.get_value(), done) {
            Some(Ok(())) => {
                asking_reason.set(false);
                request_animation_frame(focus_next_row);
            }
            Some(Err(message)) => error.set(Some(message)),
            None => {}
        }
    };
    let not_applicable = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if record(Payload::RowNotApplicable {
            row: row.id.clone(),
            reason: reason.get_untracked(),
        }) {
            // Recorded: the draft goes (the row leaves "Nu" and may come back if reopened).
            asking_reason.set(false);
            reason.set(String::new());
            request_animation_frame(focus_next_row);
        }
    };
    let described_by = text_id.clone();
    let described_by_2 = text_id.clone();
    view! {
        <li class="now-row" data-now-row=row.id.as_str() data-mine=move || mine().to_string()>
            <p class="row-text" id=text_id>
                <span class="row-number">{row.section.as_str()} " "</span>
                {move || row.text.get(app.lang()).to_owned()}
            </p>
            <p class="responsible">
                <span class="label">{app.tx(T::Responsible)} ": "</span>
                {move || row.responsible_text.get(app.lang()).to_owned()}
                {move || mine().then(|| view! { <span class="badge mine">{app.t(T::YourResponsibility)}</span> })}
            </p>
            <div class="now-buttons">
                <button type="button" class="primary" aria-describedby=described_by on:click=done>
                    {app.tx(T::Done)}
                </button>
                <button type="button" class="secondary" aria-describedby=described_by_2
                    aria-expanded=move || asking_reason.get().to_string()
                    on:click=move |_| asking_reason.update(|a| *a = !*a)>
                    {app.tx(T::NotApplicable)}
                </button>
            </div>
            <Show when=move || asking_reason.get()>
                <form class="stack panel" on:submit=not_applicable novalidate>
                    <label for=reason_id.clone()>{app.tx(T::Reason)}</label>
                    <textarea id=reason_id.clone() rows="2"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <FormActions on_cancel=move || {
                        asking_reason.set(false);
                        reason.set(String::new());
                        error.set(None);
                    }/>
                </form>
            </Show>
            <FieldError error=error/>
        </li>
    }
}

/// The row just recorded has left "Nu", and with it the button that had the focus: the focus
/// goes to the next row's "Klar" (or to the heading when none is left), so a keyboard or screen
/// reader user goes on from where they were rather than from the top of the page.
fn focus_next_row() {
    crate::platform::dom::focus_first(&[
        "section.now li.now-row .now-buttons button.primary",
        "#now-heading",
    ]);
}
