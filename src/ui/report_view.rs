//! A case as a printable report, in Swedish (the routine's language), laid out for A4: the
//! routine it follows, the incident, the follow-up deadline, each section's rows and records (the
//! police report and access protection among them, as the routine's forms have them), the
//! evidence with its checksums and the witnesses, and the timeline. The browser's print gives the
//! PDF.

use crate::platform::clock;
use crate::platform::dom::{el, text_el, El};
use crate::ui::case_view::section_heading;
use crate::ui::context::use_app;
use crate::ui::details_form::{form_title, value_lines};
use crate::ui::i18n::{author_text, deadline_left, tr, Lang, T};
use crate::ui::police_sheet::{evidence_list, pair, witness_list};
use crate::ui::printed::{printed_case, Printing};
use crate::ui::route::Route;
use crate::ui::routine_row::status_text;
use crate::ui::timeline::describe;
use leptos::prelude::*;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::details::Form;
use stodrutin_domain::routine::INCIDENT_SECTION;
use stodrutin_domain::{CaseId, CaseState};

const SV: Lang = Lang::Sv;

fn form_block(form: &Form, state: &CaseState) -> El {
    let block = el("div")
        .class("report-form")
        .child(text_el("h3", "", form_title(form, SV)));
    let shown = state.shown_entries(form);
    if shown.is_empty() {
        block.push(text_el("p", "", tr(SV, T::NotRecorded)));
    }
    for entry in shown {
        let list = el("dl");
        for (label, value) in value_lines(form, &entry.values, SV) {
            list.push(pair(label, text_el("dd", "", &value)));
        }
        block.push(list);
        let meta = format!(
            "{} · {}",
            clock::display_local(entry.at),
            author_text(&entry.by, SV)
        );
        block.push(text_el("p", "meta", &meta));
    }
    block
}

#[component]
pub fn ReportView(id: CaseId) -> impl IntoView {
    let app = use_app();
    let back = Route::Case(id.clone()).hash();
    let police = Route::PoliceSheet(id.clone()).hash();
    let print = move |_| {
        let _ = window().print();
    };
    let actions = view! {
        <div class="report-actions no-print button-row">
            <button type="button" class="primary" on:click=print>{app.tx(T::Print)}</button>
            <a class="button secondary" href=police data-testid="police-sheet-link">{app.tx(T::PoliceSheetTitle)}</a>
            <a class="button secondary" href=back>{app.tx(T::BackToCase)}</a>
        </div>
    };
    // Follows the stored case: another tab's records show here too.
    printed_case(id, actions.into_any(), "report", report)
}

fn report(printing: &Printing, article: El) -> El {
    let Printing {
        app,
        case,
        routine,
        pictures,
        ..
    } = *printing;
    let state = case.state();
    let incident = state.incident_at;
    let deadline = incident
        .and_then(|at| follow_up_due(routine, at))
        .map(|due| format!("{} ({})", clock::display_local(due), deadline_left(SV, due)));
    let meta = format!(
        "{} {} · {}: {} ({} {}) · {} {}",
        tr(SV, T::ReportCase),
        case.id.short(),
        routine.provenance.organisation.sv,
        routine.title(SV),
        tr(SV, T::PackVersion),
        routine.version,
        tr(SV, T::ReportPrinted),
        clock::display_local(clock::now()),
    );
    let article = article
        .attr("lang", "sv")
        .child(text_el("h1", "", tr(SV, T::ReportTitle)))
        .child(text_el("p", "meta", &meta))
        .maybe(
            routine
                .example
                .then(|| text_el("p", "warning", tr(SV, T::ExampleRoutineNotice))),
        )
        .child(text_el("p", "sensitive", tr(SV, T::ReportSensitive)));

    let times = el("dl").child(pair(
        tr(SV, T::ReportTime),
        text_el(
            "dd",
            "",
            &incident.map(clock::display_local).unwrap_or_default(),
        ),
    ));
    if let Some(deadline) = deadline {
        times.push(pair(tr(SV, T::FollowUpDue), text_el("dd", "", &deadline)));
    }
    let incident_part = el("section")
        .child(text_el("h2", "", tr(SV, T::Incident)))
        .child(times);
    for form in routine.forms_of(INCIDENT_SECTION) {
        incident_part.push(form_block(form, &state));
    }
    article.push(incident_part);

    for section in routine.sections() {
        let number = section.number;
        let rows = el("ol").class("report-rows");
        for row in section.rows {
            let row_state = state.row(&row.id);
            let responsible = format!("{}: {}", tr(SV, T::Responsible), row.responsible_text.sv);
            let item = el("li")
                .child(text_el("p", "", &row.text.sv))
                .child(text_el("p", "meta", &responsible))
                .child(text_el("p", "status", &status_text(&row_state.status, SV)));
            for note in row_state.notes {
                let line = format!(
                    "{} ({}, {}): {}",
                    tr(SV, T::Note),
                    clock::display_local(note.at),
                    author_text(&note.by, SV),
                    note.text
                );
                item.push(text_el("p", "note-text", &line));
            }
            rows.push(item);
        }
        let part = el("section")
            .class("report-section")
            .child(text_el("h2", "", &section_heading(routine, number, SV)))
            .child(rows);
        for form in routine.forms_of(number) {
            part.push(form_block(form, &state));
        }
        article.push(part);
    }

    article.push(
        el("section")
            .class("report-evidence")
            .child(text_el("h2", "", tr(SV, T::PrintEvidence)))
            .child(evidence_list(
                &state.evidence,
                SV,
                Some((app, &case.id, pictures)),
            )),
    );
    article.push(
        el("section")
            .class("report-witnesses")
            .child(text_el("h2", "", tr(SV, T::WitnessesHeading)))
            .child(witness_list(routine, &state, SV)),
    );
    let timeline = el("ol");
    for event in case.events_in_order() {
        let meta = format!(
            "{} · {}: ",
            clock::display_local(event.at),
            author_text(&event.author, SV)
        );
        timeline.push(
            el("li")
                .child(text_el("span", "meta", &meta))
                .text(&describe(event, routine, SV)),
        );
    }
    article.push(
        el("section")
            .class("report-timeline")
            .child(text_el("h2", "", tr(SV, T::Timeline)))
            .child(timeline),
    );
    article
}
