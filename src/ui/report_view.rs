//! A case as a printable report, in Swedish (the routine's language), laid out for A4: the
//! routine it follows, the incident, the follow-up deadline, each section's rows and records (the
//! police report and access protection among them, as the routine's forms have them), the
//! evidence with its checksums and the witnesses, and the timeline. The browser's print gives the
//! PDF.

use crate::platform::clock;
use crate::ui::case_view::section_heading;
use crate::ui::context::use_app;
use crate::ui::details_form::{form_title, value_lines};
use crate::ui::i18n::{author_text, deadline_left, tr, Lang, T};
use crate::ui::missing_case::MissingCase;
use crate::ui::police_sheet::{evidence_list, witness_list};
use crate::ui::route::Route;
use crate::ui::routine_row::status_text;
use crate::ui::timeline::describe;
use leptos::prelude::*;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::details::Form;
use stodrutin_domain::routine::INCIDENT_SECTION;
use stodrutin_domain::{CaseId, CaseState};

const SV: Lang = Lang::Sv;

fn form_block(form: &'static Form, state: &CaseState) -> impl IntoView {
    let shown = state.shown_entries(form);
    view! {
        <div class="report-form">
            <h3>{form_title(form, SV)}</h3>
            {if shown.is_empty() {
                view! { <p>{tr(SV, T::NotRecorded)}</p> }.into_any()
            } else {
                shown.into_iter().map(|entry| view! {
                    <dl>
                        {value_lines(form, &entry.values, SV).into_iter().map(|(l, v)| view! {
                            <div class="pair"><dt>{l}</dt><dd>{v}</dd></div>
                        }).collect_view()}
                    </dl>
                    <p class="meta">{clock::display_local(entry.at)} " · " {author_text(&entry.by, SV)}</p>
                }).collect_view().into_any()
            }}
        </div>
    }
}

#[component]
pub fn ReportView(id: CaseId) -> impl IntoView {
    let app = use_app();
    let id = StoredValue::new(id);
    // Follows the stored case: another tab's records show here too.
    move || report(app, &id.get_value())
}

fn report(app: crate::ui::context::AppContext, id: &CaseId) -> AnyView {
    let case = app.case(id);
    let Some((case, routine)) = case.and_then(|c| {
        let routine = c.routine().and_then(|r| app.routine(&r))?;
        Some((c, routine))
    }) else {
        return view! { <MissingCase id=id.clone()/> }.into_any();
    };
    let state = case.state();
    let incident = state.incident_at;
    let deadline = incident
        .and_then(|at| follow_up_due(routine, at))
        .map(|due| format!("{} ({})", clock::display_local(due), deadline_left(SV, due)));
    let short = case.id.short().to_owned();
    let back = Route::Case(case.id.clone()).hash();
    let police = Route::PoliceSheet(case.id.clone()).hash();
    let print = move |_| {
        let _ = window().print();
    };

    view! {
        <div class="report-actions no-print button-row">
            <button type="button" class="primary" on:click=print>{app.tx(T::Print)}</button>
            <a class="button secondary" href=police data-testid="police-sheet-link">{app.tx(T::PoliceSheetTitle)}</a>
            <a class="button secondary" href=back>{app.tx(T::BackToCase)}</a>
        </div>
        <article class="report" lang="sv">
            <h1>{tr(SV, T::ReportTitle)}</h1>
            <p class="meta">
                {format!(
                    "{} {short} · {}: {} ({} {}) · {} {}",
                    tr(SV, T::ReportCase),
                    routine.provenance.organisation.sv,
                    routine.title(SV),
                    tr(SV, T::PackVersion),
                    routine.version,
                    tr(SV, T::ReportPrinted),
                    clock::display_local(clock::now()),
                )}
            </p>
            {routine.example.then(|| view! { <p class="warning">{tr(SV, T::ExampleRoutineNotice)}</p> })}
            <p class="sensitive">{tr(SV, T::ReportSensitive)}</p>
            <section>
                <h2>{tr(SV, T::Incident)}</h2>
                <dl>
                    <div class="pair"><dt>{tr(SV, T::ReportTime)}</dt><dd>{incident.map(clock::display_local).unwrap_or_default()}</dd></div>
                    {deadline.map(|deadline| view! {
                        <div class="pair"><dt>{tr(SV, T::FollowUpDue)}</dt><dd>{deadline}</dd></div>
                    })}
                </dl>
                {routine.forms_of(INCIDENT_SECTION).map(|f| form_block(f, &state)).collect_view()}
            </section>
            {routine.sections().into_iter().map(|section| {
                let number = section.number;
                view! {
                    <section class="report-section">
                        <h2>{section_heading(routine, number, SV)}</h2>
                        <ol class="report-rows">
                            {section.rows.into_iter().map(|row| {
                                let row_state = state.row(&row.id);
                                view! {
                                    <li>
                                        <p>{row.text.sv.clone()}</p>
                                        <p class="meta">{format!("{}: {}", tr(SV, T::Responsible), row.responsible_text.sv)}</p>
                                        <p class="status">{status_text(&row_state.status, SV)}</p>
                                        {row_state.notes.into_iter().map(|n| view! {
                                            <p class="note-text">{format!("{} ({}, {}): {}", tr(SV, T::Note), clock::display_local(n.at), author_text(&n.by, SV), n.text)}</p>
                                        }).collect_view()}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        {routine.forms_of(number).map(|f| form_block(f, &state)).collect_view()}
                    </section>
                }
            }).collect_view()}
            <section class="report-evidence">
                <h2>{tr(SV, T::PrintEvidence)}</h2>
                {evidence_list(&state.evidence, SV, Some(&case.id))}
            </section>
            <section class="report-witnesses">
                <h2>{tr(SV, T::WitnessesHeading)}</h2>
                {witness_list(app, &state.witnesses, SV)}
            </section>
            <section class="report-timeline">
                <h2>{tr(SV, T::Timeline)}</h2>
                <ol>
                    {case.events_in_order().into_iter().map(|e| view! {
                        <li>
                            <span class="meta">{format!("{} · {}: ", clock::display_local(e.at), author_text(&e.author, SV))}</span>
                            {describe(e, routine, SV)}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
    .into_any()
}
