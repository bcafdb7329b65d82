//! One case: the incident and its deadline, then the routine section by section.

use crate::platform::clock;
use crate::ui::call_bar::CallBar;
use crate::ui::confirm_countdown::ConfirmCountdown;
use crate::ui::context::{use_app, RoutinesView};
use crate::ui::details_form::DetailsForm;
use crate::ui::export_panel::ExportPanel;
use crate::ui::i18n::{delete_case_what, open_items, Lang, T};
use crate::ui::incident_header::IncidentHeader;
use crate::ui::missing_case::MissingCase;
use crate::ui::routine_guide::RoutineGuide;
use crate::ui::routine_row::RoutineRow;
use crate::ui::timeline::Timeline;
use leptos::prelude::*;
use stodrutin_domain::routine::INCIDENT_SECTION;
use stodrutin_domain::{CaseId, Routine};

/// A section's heading: its number and its group's heading, e.g. "3.2 Aktivitet".
pub fn section_heading(routine: &Routine, number: &str, lang: Lang) -> String {
    let heading = routine
        .group_of(number)
        .map(|g| g.heading.get(lang))
        .unwrap_or_default();
    format!("{number} {heading}")
}

#[component]
pub fn CaseView(id: CaseId) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(id);
    let state = Memo::new(move |_| {
        let id = case_id.get_value();
        app.cases
            .with(|cases| cases.iter().find(|c| c.id == id).map(|c| c.state()))
    });
    // The screen is built once per case and routine; each row follows the state on its own, so a
    // change never rebuilds the list (an open form or the focus stays where it is).
    let routine_ref = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.routine.clone())));

    move || {
        let Some(reference) = routine_ref.get() else {
            return view! { <MissingCase id=case_id.get_value()/> }.into_any();
        };
        let Some(routine) = reference.as_ref().and_then(|r| app.routine(r)) else {
            if app.routines.with(|r| *r == RoutinesView::Loading) {
                // The build's packs come from the cache in a moment: no message before that.
                return view! { <section class="screen" aria-busy="true"></section> }.into_any();
            }
            return view! {
                <section class="screen">
                    <p class="warning" role="alert">{move || app.t(T::RoutineUnknown)}</p>
                    <a class="button" href="#/">{move || app.t(T::Home)}</a>
                </section>
            }
            .into_any();
        };
        let progress = move || {
            state.with(|s| {
                s.as_ref()
                    .map(|s| s.open_count(routine.rows.iter().map(|r| &r.id)))
                    .map(|open| open_items(app.lang(), open, routine.rows.len()))
                    .unwrap_or_default()
            })
        };
        let unsaved = move || app.unsaved.with(|u| u.contains(&case_id.get_value()));
        let delete_description = Signal::derive(move || {
            let id = case_id.get_value();
            let events = app.cases.with(|cases| {
                cases
                    .iter()
                    .find(|c| c.id == id)
                    .map_or(0, |c| c.event_count())
            });
            let incident = state
                .with(|s| s.as_ref().and_then(|s| s.incident_at))
                .map(clock::display_local)
                .unwrap_or_default();
            delete_case_what(app.lang(), &incident, events)
        });
        let delete = Callback::new(move |()| match app.delete_case(&case_id.get_value()) {
            Ok(()) => {
                app.status.set(app.t(T::Deleted).to_owned());
                app.navigate(crate::ui::route::Route::Home);
            }
            Err(message) => app.alert.set(Some(message)),
        });
        view! {
            <section class="screen case">
                <IncidentHeader case_id=case_id.get_value() state=state routine=routine/>
                <CallBar/>
                <RoutineGuide routine=routine/>
                {routine.forms_of(INCIDENT_SECTION).map(|form| view! {
                    <DetailsForm case_id=case_id.get_value() form=form state=state/>
                }).collect_view()}
                <p class="progress">
                    {progress}
                    {move || unsaved().then(|| view! { <span class="badge warn">{app.t(T::NotSavedYet)}</span> })}
                </p>
                {routine.sections().into_iter().map(|section| {
                    let number = section.number;
                    let heading_id = format!("section-{}", number.replace('.', "-"));
                    view! {
                        <section class="routine-section" aria-labelledby=heading_id.clone()>
                            <h2 id=heading_id.clone()>{move || section_heading(routine, number, app.lang())}</h2>
                            <ol class="rows">
                                {section.rows.into_iter().map(|row| view! {
                                    <RoutineRow case_id=case_id.get_value() row=row state=state/>
                                }).collect_view()}
                            </ol>
                            {routine.forms_of(number).map(|form| view! {
                                <DetailsForm case_id=case_id.get_value() form=form state=state/>
                            }).collect_view()}
                        </section>
                    }
                }).collect_view()}
                <Timeline case_id=case_id.get_value()/>
                <ExportPanel case_id=case_id.get_value()/>
                <ConfirmCountdown label=T::DeleteCase what=delete_description on_confirm=delete/>
            </section>
        }
        .into_any()
    }
}
