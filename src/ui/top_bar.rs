//! The bar at the top of every screen: the way home, who I am, and the language.

use crate::ui::context::use_app;
use crate::ui::i18n::{role_short_name, T};
use crate::ui::language_button::LanguageButton;
use crate::ui::route::Route;
use leptos::prelude::*;

#[component]
pub fn TopBar() -> impl IntoView {
    let app = use_app();
    let role_name = move || {
        app.profile.with(|p| {
            p.role
                .map(|role| role_short_name(role, p.lang))
                .unwrap_or_else(|| app.t(T::Profile))
        })
    };
    view! {
        <header class="top-bar">
            <a class="brand" href="#/">{app.tx(T::AppName)}</a>
            <nav class="top-actions">
                <a class="chip" href=Route::Profile.hash()>
                    {move || app.profile.with(|p| p.role.is_some()).then(|| view! {
                        <span class="visually-hidden">{app.t(T::Profile)} " "</span>
                    })}
                    {role_name}
                </a>
                <a class="chip" href=Route::Settings.hash()>{app.tx(T::Settings)}</a>
                <Show when=move || app.is_protected()>
                    <button class="chip" type="button" on:click=move |_| app.lock_now(true)>
                        {app.tx(T::LockNow)}
                    </button>
                </Show>
                <LanguageButton/>
            </nav>
        </header>
    }
}
