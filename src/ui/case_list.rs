//! The first screen: a big button for a new case, and the cases on this device, newest first.

use crate::platform::clock;
use crate::platform::dom::{el, text_el, El};
use crate::ui::built::built;
use crate::ui::context::{use_app, AppContext, RoutinesView};
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
    /// The case follows a routine this app does not have (`None` while the packs load): it is
    /// listed all the same, to be opened and handed over.
    routine_missing: bool,
    sort_key: i64,
}

fn summarize(
    case: &Case,
    lang: Lang,
    unsaved: bool,
    unexported: bool,
    loading: bool,
) -> Option<Summary> {
    let state = case.state();
    let incident_at = state.incident_at?;
    let routine = state.routine.as_ref().and_then(|r| use_app().routine(r));
    let (progress, deadline) = match routine {
        Some(routine) => {
            let rows = routine.rows.iter().map(|r| &r.id);
            let deadline = follow_up_due(routine, incident_at)
                .map(|due| deadline_left(lang, due))
                .unwrap_or_default();
            let progress = open_items(lang, state.open_count(rows), routine.rows.len());
            (Some(progress), deadline)
        }
        None => (None, String::new()),
    };
    Some(Summary {
        href: Route::Case(case.id.clone()).hash(),
        incident: clock::display_local(incident_at),
        routine_missing: progress.is_none() && !loading,
        progress: progress.unwrap_or_default(),
        deadline,
        unsaved,
        unexported,
        sort_key: incident_at.timestamp_millis(),
    })
}

/// The cases as links, or the line saying there are none.
fn case_links(app: AppContext, summaries: &[Summary]) -> El {
    if summaries.is_empty() {
        return text_el("p", "empty", app.t(T::NoCases));
    }
    let list = el("ul").class("case-list");
    for s in summaries {
        let link = el("a")
            .class("case-link")
            .attr("href", &s.href)
            .child(text_el(
                "span",
                "case-title",
                &format!("{} {}", app.t(T::Incident), s.incident),
            ));
        if !s.progress.is_empty() {
            link.push(text_el("span", "case-meta", &s.progress));
            link.push(text_el(
                "span",
                "case-meta",
                &format!("{}: {}", app.t(T::FollowUpDue), s.deadline),
            ));
        }
        for (shown, badge) in [
            (s.routine_missing, T::RoutineMissing),
            (s.unsaved, T::NotSavedYet),
            (s.unexported, T::NotExported),
        ] {
            if shown {
                link.push(text_el("span", "badge warn", app.t(badge)));
            }
        }
        list.push(el("li").child(link));
    }
    list
}

#[component]
pub fn CaseList() -> impl IntoView {
    let app = use_app();
    let summaries = Memo::new(move |_| {
        let lang = app.lang();
        let unsaved = app.unsaved.get();
        let loading = app.routines.with(|r| *r == RoutinesView::Loading);
        let mut list: Vec<Summary> = app.cases.with(|cases| {
            cases
                .iter()
                .filter_map(|case| {
                    let unexported = app.is_unexported(&case.id, case.event_count());
                    summarize(case, lang, unsaved.contains(&case.id), unexported, loading)
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
            {built(Box::new(move |host| host.push(case_links(app, &summaries.get()))))}
            <StoragePanel/>
            <OfflineStatus/>
        </section>
    }
}
