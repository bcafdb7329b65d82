//! The case as it happened: every event in the log, oldest first, with when it was recorded and
//! by whom. Corrections show as the new events they are.

use crate::platform::clock;
use crate::platform::dom::{el, text_el};
use crate::ui::built::built;
use crate::ui::context::use_app;
use crate::ui::details_form::{form_title, value_lines};
use crate::ui::i18n::{author_text, tr, Lang, T};
use leptos::prelude::*;
use stodrutin_domain::details::{self, Form};
use stodrutin_domain::{CaseId, Event, Payload, Routine};

/// What an event says, in a line.
pub fn describe(event: &Event, routine: &Routine, lang: Lang) -> String {
    let t = |key| tr(lang, key);
    let row = |id: &stodrutin_domain::RowId| {
        routine.row(id).map_or_else(
            || id.as_str().to_owned(),
            |r| {
                let text = r.text.get(lang);
                let short: String = text.chars().take(70).collect();
                let more = if text.chars().count() > 70 { "…" } else { "" };
                format!("{} {short}{more}", r.section)
            },
        )
    };
    match &event.payload {
        Payload::CaseOpened { incident_at, .. } => {
            format!(
                "{} {}",
                t(T::CaseStarted),
                clock::display_local(*incident_at)
            )
        }
        Payload::IncidentTimeSet { incident_at } => {
            format!(
                "{} {}",
                t(T::IncidentTimeChanged),
                clock::display_local(*incident_at)
            )
        }
        Payload::RowDone { row: id, done_at } => format!(
            "{}: {} ({})",
            t(T::StatusDone),
            row(id),
            clock::display_local(*done_at)
        ),
        Payload::RowNotApplicable { row: id, reason } => {
            format!("{}: {} – {reason}", t(T::StatusNotApplicable), row(id))
        }
        Payload::RowReopened { row: id } => format!("{}: {}", t(T::Reopened), row(id)),
        Payload::NoteAdded { row: id, text } => format!("{}: {} – {text}", t(T::Note), row(id)),
        Payload::DetailsRecorded { form, values } => match routine.form(form) {
            Some(form) => describe_details(form, values, lang),
            None => form.clone(),
        },
        Payload::EvidenceAdded { item } => format!(
            "{}: {} – SHA-256 {}",
            t(T::EvidenceAdded),
            crate::ui::i18n::evidence_kind(lang, item.kind),
            &item.sha256
        ),
        Payload::WitnessAdded { witness } => format!("{}: {}", t(T::WitnessAdded), witness.name),
    }
}

fn describe_details(form: &Form, values: &details::Values, lang: Lang) -> String {
    let lines = value_lines(form, values, lang);
    if lines.is_empty() {
        return format!("{}: {}", form_title(form, lang), tr(lang, T::Cleared));
    }
    let parts: Vec<String> = lines
        .into_iter()
        .map(|(l, v)| format!("{l}: {v}"))
        .collect();
    format!("{} – {}", form_title(form, lang), parts.join("; "))
}

#[component]
pub fn Timeline(case_id: CaseId) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    // Built only while open: a long log is not re-described on every record.
    let open = RwSignal::new(false);
    let items = move || {
        if !open.get() {
            return None;
        }
        let (case, routine) = app.case_with_routine(&case_id.get_value())?;
        let lang = app.lang();
        Some(
            case.events_in_order()
                .into_iter()
                .map(|e| {
                    (
                        clock::display_local(e.at),
                        author_text(&e.author, lang),
                        describe(e, routine, lang),
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    view! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <details on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(details.open());
            }>
                <summary><h2 id="timeline-heading">{app.tx(T::Timeline)}</h2></summary>
                {built(Box::new(move |host| {
                    let list = el("ol").class("timeline-list");
                    for (at, by, what) in items().unwrap_or_default() {
                        list.push(
                            el("li")
                                .child(text_el("p", "meta", &format!("{at} · {by}")))
                                .child(text_el("p", "", &what)),
                        );
                    }
                    host.push(list);
                }))}
            </details>
        </section>
    }
}
