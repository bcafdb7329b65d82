//! One case: the incident and its deadline, then the routine section by section.

use crate::platform::clock;
use crate::platform::dom::{el, tapped, text_el, El};
use crate::ui::built::built;
use crate::ui::call_bar::CallBar;
use crate::ui::confirm_countdown::ConfirmCountdown;
use crate::ui::context::{use_app, RoutinesView};
use crate::ui::details_form::DetailsForm;
use crate::ui::evidence_panel::EvidencePanel;
use crate::ui::export_panel::ExportPanel;
use crate::ui::i18n::{delete_case_what, handled_count, open_items, tr, Lang, T};
use crate::ui::incident_header::IncidentHeader;
use crate::ui::missing_case::MissingCase;
use crate::ui::now_panel::NowPanel;
use crate::ui::routine_guide::RoutineGuide;
use crate::ui::routine_row::RoutineRow;
use crate::ui::timeline::Timeline;
use leptos::prelude::*;
use stodrutin_domain::routine::{Row, INCIDENT_SECTION};
use stodrutin_domain::{CaseId, CaseState, Routine, RowStatus};

/// A section's heading: its number and its group's heading, e.g. "3.2 Aktivitet".
pub fn section_heading(routine: &Routine, number: &str, lang: Lang) -> String {
    let heading = routine
        .group_of(number)
        .map(|g| g.heading.get(lang))
        .unwrap_or_default();
    format!("{number} {heading}")
}

/// How many of a section's rows are handled (done or not applicable), and how many it has.
fn section_counts(state: &Option<CaseState>, rows: &[&Row]) -> (usize, usize) {
    let handled = state.as_ref().map_or(0, |s| {
        rows.iter()
            .filter(|row| !matches!(s.row(&row.id).status, RowStatus::Open))
            .count()
    });
    (handled, rows.len())
}

fn section_dom_id(number: &str) -> String {
    format!("section-{}", number.replace('.', "-"))
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
            // Without its routine the case cannot be followed here, but it is still handed over
            // (to the officer, whose app may know the routine) or deleted.
            return view! {
                <section class="screen stack">
                    <p class="warning" role="alert">{app.tx(T::RoutineUnknown)}</p>
                    <ExportPanel case_id=case_id.get_value()/>
                    <a class="button" href="#/">{app.tx(T::Home)}</a>
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
                app.announce(app.t(T::Deleted));
                app.navigate(crate::ui::route::Route::Home);
            }
            Err(message) => app.alert.set(Some(message)),
        });
        let only_mine = RwSignal::new(false);
        let sections = routine.sections();
        // One section is open at a time to begin with: the one where the routine stands (its
        // first open row). Every other section is one line with its count ("3 av 3 klara"),
        // opened by a tap or from the index; when the open section's last row is handled it folds
        // and the next one with open rows opens.
        // Each section's count, shared by the index and the section's own line.
        let counts: Vec<SectionCount> = sections
            .iter()
            .map(|section| {
                let rows = section.rows.clone();
                Memo::new(move |_| state.with(|s| section_counts(s, &rows)))
            })
            .collect();
        let index_counts = counts.clone();
        let all_counts = StoredValue::new(counts.clone());
        let current = counts.iter().position(|count| {
            let (handled, total) = count.get_untracked();
            handled < total
        });
        let open: Vec<RwSignal<bool>> = (0..sections.len())
            .map(|index| RwSignal::new(Some(index) == current))
            .collect();
        let open = StoredValue::new(open);
        let numbers: StoredValue<Vec<&'static str>> =
            StoredValue::new(sections.iter().map(|s| s.number).collect());
        let jump = move |index: usize| {
            if let Some(signal) = open.with_value(|o| o.get(index).copied()) {
                signal.set(true);
            }
            let id = numbers.with_value(|n| section_dom_id(n[index]));
            if let Some(element) = document().get_element_by_id(&id) {
                element.scroll_into_view();
            }
        };
        // Evidence first of all, the guidance says: one tap from the index opens its section.
        let evidence_count =
            Memo::new(move |_| state.with(|s| s.as_ref().map_or(0, |s| s.evidence_count(routine))));
        let open_evidence = move || {
            if let Some(element) = document().get_element_by_id("evidence") {
                let _ = element.set_attribute("open", "");
                element.scroll_into_view();
            }
        };
        // The index of sections, built whole again only when a count or the language changes
        // (one effect, none of a view's code per chip; a chip that has the focus keeps it while
        // anything else is recorded); one listener for the chips. The progress line apart.
        let index = built(Box::new(move |host: &El| {
            let lang = app.lang();
            let list = el("ul");
            for (number, count) in numbers.get_value().into_iter().zip(&index_counts) {
                let (handled, total) = count.get();
                list.push(
                    el("li").child(
                        text_el("button", "chip", &format!("{number} · {handled}/{total}"))
                            .attr("type", "button")
                            .attr("data-section", number),
                    ),
                );
            }
            list.push(
                el("li").child(
                    text_el(
                        "button",
                        "chip",
                        &format!(
                            "{} · {}",
                            tr(lang, T::EvidenceHeading),
                            evidence_count.get()
                        ),
                    )
                    .attr("type", "button")
                    .attr("data-section", "evidence"),
                ),
            );
            host.push(
                el("nav")
                    .class("section-index")
                    .attr("aria-labelledby", "section-index-heading")
                    .child(
                        text_el("h2", "visually-hidden", tr(lang, T::SectionIndex))
                            .attr("id", "section-index-heading"),
                    )
                    .child(list),
            );
        }));
        let progress_line = built(Box::new(move |host: &El| {
            let progress = text_el("p", "progress", &progress());
            if unsaved() {
                progress.push(text_el(
                    "span",
                    "badge warn",
                    tr(app.lang(), T::NotSavedYet),
                ));
            }
            host.push(progress);
        }));
        let index_tapped = move |ev: leptos::ev::MouseEvent| {
            let Some(chip) = tapped(&ev, "button[data-section]") else {
                return;
            };
            match chip.get_attribute("data-section").as_deref() {
                Some("evidence") => open_evidence(),
                Some(number) => {
                    if let Some(index) = numbers.with_value(|n| n.iter().position(|n| *n == number))
                    {
                        jump(index);
                    }
                }
                None => {}
            }
        };
        view! {
            <section class="screen case">
                <IncidentHeader case_id=case_id.get_value() state=state routine=routine/>
                <CallBar/>
                <NowPanel case_id=case_id.get_value() routine=routine state=state only_mine=only_mine/>
                <div on:click=index_tapped>{index}</div>
                {progress_line}
                {routine.forms_of(INCIDENT_SECTION).map(|form| view! {
                    <DetailsForm case_id=case_id.get_value() form=form state=state/>
                }).collect_view()}
                <EvidencePanel case_id=case_id.get_value() routine=routine state=state/>
                <RoutineGuide routine=routine/>
                {sections.into_iter().zip(counts).enumerate().map(|(index, (section, counts))| {
                    let number = section.number;
                    let heading_id = format!("{}-heading", section_dom_id(number));
                    let is_open = open.with_value(|o| o[index]);
                    // The later sections, each with its open flag and its count.
                    let later: Vec<(RwSignal<bool>, SectionCount)> = open.with_value(|o| {
                        all_counts.with_value(|c| {
                            o[index + 1..].iter().copied().zip(c[index + 1..].iter().copied()).collect()
                        })
                    });
                    // Folds when its last row is handled (and the next section opens); opens again
                    // when a row is reopened.
                    Effect::new(move |was_done: Option<bool>| {
                        let (handled, total) = counts.get();
                        let done = handled == total;
                        if was_done.is_some_and(|was| was != done) {
                            is_open.set(!done);
                            // The next section that still has open rows (not merely the next).
                            if done {
                                let next = later.iter().find(|(_, count)| {
                                    let (handled, total) = count.get_untracked();
                                    handled < total
                                });
                                if let Some((next, _)) = next {
                                    next.set(true);
                                }
                            }
                        }
                        done
                    });
                    let mine_in_section: Vec<&'static Row> = section.rows.clone();
                    let has_mine = move || mine_in_section.iter().any(|row| app.is_mine(routine, row));
                    view! {
                        <details class="routine-section" id=section_dom_id(number)
                            prop:open=move || is_open.get()
                            on:toggle=move |ev| {
                                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                                is_open.set(details.open());
                            }
                            hidden=move || only_mine.get() && !has_mine()>
                            <summary>
                                <h2 id=heading_id>{move || section_heading(routine, number, app.lang())}</h2>
                                <span class="section-count">{move || { let (h, t) = counts.get(); handled_count(app.lang(), h, t) }}</span>
                            </summary>
                            <ol class="rows">
                                {section.rows.into_iter().map(|row| view! {
                                    <RoutineRow case_id=case_id.get_value() routine=routine row=row state=state only_mine=only_mine/>
                                }).collect_view()}
                            </ol>
                            {routine.forms_of(number).map(|form| view! {
                                <DetailsForm case_id=case_id.get_value() form=form state=state/>
                            }).collect_view()}
                        </details>
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

/// A section's handled rows and all its rows.
type SectionCount = Memo<(usize, usize)>;
