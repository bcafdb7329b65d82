//! The head of a case: when the incident happened (correctable) and the follow-up deadline.

use crate::platform::clock;
use crate::ui::context::use_app;
use crate::ui::details_form::stored_time;
use crate::ui::drafts::keep_draft;
use crate::ui::field_error::FieldError;
use crate::ui::form_actions::FormActions;
use crate::ui::i18n::{deadline_left, talk_after_deadline, time_since, T};
use leptos::prelude::*;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::{CaseId, CaseState, Payload, Routine, RowStatus};

#[component]
pub fn IncidentHeader(
    case_id: CaseId,
    state: Memo<Option<CaseState>>,
    routine: &'static Routine,
) -> impl IntoView {
    // The routine's follow-up deadline (Oxelösund's 3.2.4: the initial talk within two weeks):
    // the row whose completion meets it and the form field that books it.
    let follow_up = routine.follow_up();
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    let incident_at = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.incident_at)));
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let draft_key = format!(
        "incident/{}",
        case_id.with_value(|id| id.as_str().to_owned())
    );
    if let Some(kept) = keep_draft(app, draft_key, move || editing.get().then(|| draft.get())) {
        draft.set(kept);
        editing.set(true);
    }
    let error = RwSignal::new(None::<String>);
    // The time since the incident moves on while the case is open: the clock is read again
    // every 20 seconds (the text changes once a minute).
    let now = RwSignal::new(clock::now());
    let ticker = set_interval_with_handle(
        move || now.set(clock::now()),
        std::time::Duration::from_secs(20),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = ticker {
            handle.clear();
        }
    });
    let since = move || {
        let at = incident_at.get()?;
        Some(time_since(app.lang(), (now.get() - at).num_minutes()))
    };

    let shown = move || {
        incident_at
            .get()
            .map(clock::display_local)
            .unwrap_or_default()
    };
    let deadline = move || {
        let at = incident_at.get()?;
        let follow_up = follow_up?;
        let due = follow_up_due(routine, at)?;
        let held = state.with(|s| {
            s.as_ref()
                .is_some_and(|s| matches!(s.row(&follow_up.row.id).status, RowStatus::Done { .. }))
        });
        let date = clock::display_local(due);
        Some(if held {
            format!("{}: {}", app.t(T::FollowUpDone), date)
        } else {
            format!(
                "{} {} ({})",
                app.t(T::FollowUpDue),
                date,
                deadline_left(app.lang(), due)
            )
        })
    };
    // The booked talk (the deadline's form field), and whether it falls after the deadline.
    let booked = move || {
        let met_by = follow_up?.met_by;
        let talk = state.with(|s| {
            s.as_ref()
                .and_then(|s| s.value(&met_by.form, &met_by.field))
                .and_then(stored_time)
        })?;
        let late = incident_at.get().is_some_and(|at| {
            follow_up_due(routine, at)
                .is_some_and(|due| clock::local_date(talk) > clock::local_date(due))
        });
        Some((
            format!("{} {}", app.t(T::TalkBooked), clock::display_local(talk)),
            late,
        ))
    };
    let begin_edit = move |_| {
        if let Some(at) = incident_at.get_untracked() {
            draft.set(clock::to_local_input(at));
        }
        error.set(None);
        editing.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(at) = clock::from_local_input(&draft.get_untracked()) else {
            error.set(Some(app.t(T::ErrBadTime).to_owned()));
            return;
        };
        match app.record(
            &case_id.get_value(),
            Payload::IncidentTimeSet { incident_at: at },
        ) {
            Ok(()) => editing.set(false),
            Err(message) => error.set(Some(message)),
        }
    };

    view! {
        <header class="incident">
            <div class="case-clock">
                <h1 id="case-heading">{app.tx(T::Incident)} " " <time>{shown}</time></h1>
                <div class="since">
                    <p>{since}</p>
                    <Show when=move || !editing.get()>
                        <button type="button" class="secondary small" on:click=begin_edit>
                            {app.tx(T::ChangeIncidentTime)}
                        </button>
                    </Show>
                </div>
                <p class="deadline">{deadline}</p>
            </div>
            {move || booked().map(|(text, late)| view! {
                <p class="booked">{text}</p>
                {late.then(|| view! { <p class="warning">{talk_after_deadline(app.lang(), follow_up.map_or(0, |f| f.days))}</p> })}
            })}
            <Show when=move || editing.get()>
                <form class="stack" on:submit=save novalidate>
                    <label for="incident-edit">{app.tx(T::IncidentTime)}</label>
                    <input
                        id="incident-edit"
                        type="datetime-local"
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                    />
                    <FieldError error=error/>
                    <FormActions on_cancel=move || editing.set(false)/>
                </form>
            </Show>
        </header>
    }
}
