//! The first screen: a big button for a new case, and the cases on this device, newest first.

use crate::platform::clock;
use crate::ui::context::use_app;
use crate::ui::i18n::{deadline_left, open_items, Lang, T};
use crate::ui::offline_status::OfflineStatus;
use crate::ui::route::Route;
use crate::ui::storage_panel::StoragePanel;
use leptos::prelude::*;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::Case;

/// What one line of the list shows, computed once per change of the cases.
#[derive(Clone, PartialEq)]
struct Summary {
    href: String,
    incident: String,
    progress: String,
    deadline: String,
    unsaved: bool,
    unexported: bool,
    sort_key: i64,
}

fn summarize(case: &Case, lang: Lang, unsaved: bool, unexported: bool) -> Option<Summary> {
    let state = case.state();
    let incident_at = state.incident_at?;
    let routine = state.routine.as_ref().and_then(|r| use_app().routine(r))?;
    let rows = routine.rows.iter().map(|r| &r.id);
    let deadline = follow_up_due(routine, incident_at)
        .map(|due| deadline_left(lang, due))
        .unwrap_or_default();
    Some(Summary {
        href: Route::Case(case.id.clone()).hash(),
        incident: clock::display_local(incident_at),
        progress: open_items(lang, state.open_count(rows), routine.rows.len()),
        deadline,
        unsaved,
        unexported,
        sort_key: incident_at.timestamp_millis(),
    })
}

#[component]
pub fn CaseList() -> impl IntoView {
    let app = use_app();
    let summaries = Memo::new(move |_| {
        let lang = app.lang();
        let unsaved = app.unsaved.get();
        let mut list: Vec<Summary> = app.cases.with(|cases| {
            cases
                .iter()
                .filter_map(|case| {
                    let unexported = app.is_unexported(&case.id, case.event_count());
                    summarize(case, lang, unsaved.contains(&case.id), unexported)
                })
                .collect()
        });
        list.sort_by_key(|s| std::cmp::Reverse(s.sort_key));
        list
    });
    view! {
        <section class="screen" aria-labelledby="cases-heading">
            <p class="tagline">{app.tx(T::Tagline)}</p>
            <button class="primary big" type="button" on:click=move |_| app.navigate(Route::NewCase)>
                {app.tx(T::NewCase)}
            </button>
            <a class="button secondary big" href=Route::Import.hash()>{app.tx(T::Import)}</a>
            <h1 id="cases-heading">{app.tx(T::Cases)}</h1>
            <Show
                when=move || !summaries.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{app.tx(T::NoCases)}</p> }
            >
                <ul class="case-list">
                    {move || summaries.get().into_iter().map(|s| view! {
                        <li>
                            <a class="case-link" href=s.href>
                                <span class="case-title">{app.t(T::Incident)} " " {s.incident}</span>
                                <span class="case-meta">{s.progress}</span>
                                <span class="case-meta">{app.t(T::FollowUpDue)} ": " {s.deadline}</span>
                                {s.unsaved.then(|| view! { <span class="badge warn">{app.t(T::NotSavedYet)}</span> })}
                                {s.unexported.then(|| view! { <span class="badge warn">{app.t(T::NotExported)}</span> })}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
            <StoragePanel/>
            <OfflineStatus/>
        </section>
    }
}
