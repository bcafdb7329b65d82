//! "Who am I": the user's role and optional name, remembered on this device and stamped on every
//! event they record.

use crate::ui::context::use_app;
use crate::ui::drafts::keep_screen_draft;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{role_name, T};
use crate::ui::route::Route;
use leptos::prelude::*;
use stodrutin_domain::Role;

#[component]
pub fn ProfileView() -> impl IntoView {
    let app = use_app();
    let initial = app.profile.get_untracked();
    let role = RwSignal::new(initial.role.unwrap_or(Role::InitialSupport));
    let name = RwSignal::new(initial.name);
    let error = RwSignal::new(None::<String>);
    let typed = move || {
        let (role, name) = (role.get(), name.get());
        let changed = app
            .profile
            .with(|p| p.role.unwrap_or(Role::InitialSupport) != role || p.name != name);
        changed.then(|| vec![role.key().to_owned(), name])
    };
    if let Some(kept) = keep_screen_draft(app, Route::Profile, typed) {
        if let [kept_role, kept_name] = &kept[..] {
            role.set(Role::from_key(kept_role).unwrap_or(role.get_untracked()));
            name.set(kept_name.clone());
        }
    }

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let changed = app.change_profile(&|profile| {
            profile.role = Some(role.get_untracked());
            profile.name = name.get_untracked().trim().chars().take(80).collect();
        });
        match changed {
            Ok(()) => {
                error.set(None);
                app.announce(app.t(T::ProfileSaved));
                if let Some(window) = web_sys::window() {
                    let _ = window.history().map(|h| h.back());
                }
            }
            Err(message) => error.set(Some(message)),
        }
    };

    view! {
        <section class="screen">
            <h1>{app.tx(T::Profile)}</h1>
            <p class="help">{app.tx(T::ProfileHelp)}</p>
            <form class="stack" on:submit=save novalidate>
                <fieldset>
                    <legend>{app.tx(T::YourRole)}</legend>
                    {Role::ALL.into_iter().map(|r| view! {
                        <label class="choice">
                            <input type="radio" name="role" value=r.key()
                                prop:checked=move || role.get() == r
                                on:change=move |_| role.set(r)
                            />
                            <span>{move || role_name(r, app.lang())}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <label for="profile-name">{app.tx(T::YourName)}</label>
                <input id="profile-name" type="text" autocomplete="name" maxlength="80"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <FieldError error=error/>
                <button class="primary big" type="submit">{app.tx(T::SaveProfile)}</button>
            </form>
        </section>
    }
}
