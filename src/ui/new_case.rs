//! Starting a case: the routine it follows (when the build ships more than one), the incident's
//! time (now, unless corrected) and the recorder's role. One tap to get here, one to start.

use crate::platform::clock;
use crate::ui::context::use_app;
use crate::ui::drafts::keep_screen_draft;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{role_name, T};
use crate::ui::route::Route;
use leptos::prelude::*;
use stodrutin_domain::Role;
use stodrutin_service::Profile;

#[component]
pub fn NewCase() -> impl IntoView {
    let app = use_app();
    let now = clock::now();
    let incident = RwSignal::new(clock::to_local_input(now));
    let role = RwSignal::new(app.profile.with_untracked(Profile::acting_role));
    let error = RwSignal::new(None::<String>);
    // The routine chosen, by its place in the build's list (the first unless changed).
    let chosen = RwSignal::new(0usize);
    let (first_time, first_role) = (incident.get_untracked(), role.get_untracked());
    let typed = move || {
        let (at, r, i) = (incident.get(), role.get(), chosen.get());
        (at != first_time || r != first_role || i != 0)
            .then(|| vec![at, r.key().to_owned(), i.to_string()])
    };
    if let Some(kept) = keep_screen_draft(app, Route::NewCase, typed) {
        if let [at, r, i] = &kept[..] {
            incident.set(at.clone());
            role.set(Role::from_key(r).unwrap_or(first_role));
            chosen.set(i.parse().unwrap_or(0));
        }
    }

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = incident.get_untracked();
        let Some(incident_at) = clock::from_local_input(&value) else {
            error.set(Some(app.t(T::ErrBadTime).to_owned()));
            return;
        };
        let chosen_role = Some(role.get_untracked());
        if app.profile.with_untracked(|p| p.role != chosen_role) {
            let _ = app.change_profile(&|profile| profile.role = chosen_role);
        }
        let Some(routine) = app.offered_routines().get(chosen.get_untracked()).copied() else {
            error.set(Some(app.t(T::RoutinesUnavailable).to_owned()));
            return;
        };
        match app.open_case(routine, incident_at) {
            Ok(id) => app.navigate(Route::Case(id)),
            Err(message) => error.set(Some(message)),
        }
    };

    view! {
        <section class="screen">
            <h1>{app.tx(T::NewCase)}</h1>
            <form class="stack" on:submit=start novalidate>
                {move || {
                    let packs = app.offered_routines();
                    let lang = app.lang();
                    (packs.len() > 1).then(|| view! {
                        <fieldset class="choices">
                            <legend>{app.t(T::ChooseRoutine)}</legend>
                            {packs.iter().enumerate().map(|(i, routine)| {
                                let label = routine_label(routine, lang);
                                view! {
                                    <label class="choice">
                                        <input type="radio" name="routine" value=i.to_string()
                                            prop:checked=move || chosen.get() == i
                                            on:change=move |_| chosen.set(i)/>
                                        {label}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    })
                }}
                <label for="incident-time">{app.tx(T::IncidentTime)}</label>
                <input
                    id="incident-time"
                    type="datetime-local"
                    aria-describedby="incident-help"
                    prop:value=move || incident.get()
                    on:input=move |ev| incident.set(event_target_value(&ev))
                />
                <p id="incident-help" class="help">{app.tx(T::IncidentTimeHelp)}</p>
                <label for="recorder-role">{app.tx(T::YourRole)}</label>
                <select
                    id="recorder-role"
                    on:change=move |ev| {
                        if let Some(r) = Role::from_key(&event_target_value(&ev)) {
                            role.set(r);
                        }
                    }
                >
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=move || role.get() == r>
                            {move || role_name(r, app.lang())}
                        </option>
                    }).collect_view()}
                </select>
                <FieldError error=error/>
                <button class="primary big" type="submit">{app.tx(T::StartCase)}</button>
            </form>
        </section>
    }
}

/// A pack as a choice names it: organisation and title, marked when it is only an example.
pub fn routine_label(routine: &stodrutin_domain::Routine, lang: crate::ui::i18n::Lang) -> String {
    let organisation = routine.provenance.organisation.get(lang);
    let title = routine.title(lang);
    let example = if routine.example {
        format!(" ({})", crate::ui::i18n::tr(lang, T::ExampleRoutine))
    } else {
        String::new()
    };
    format!("{organisation}: {title}{example}")
}
