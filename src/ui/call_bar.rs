//! One-tap calls at the scene: 112, the police's 114 14, and the party security officer and the
//! municipality's security strategist when their numbers are stored in the settings.

use crate::ui::context::{use_app, LockView};
use crate::ui::i18n::T;
use crate::ui::route::Route;
use leptos::prelude::*;

#[component]
pub fn CallBar() -> impl IntoView {
    let app = use_app();
    let stored = move |pick: fn(&stodrutin_service::Settings) -> &String| {
        app.settings
            .with(|s| Some(pick(s).clone()).filter(|n| !n.is_empty()))
    };
    // A call can last long: while the phone app is in front, the app does not lock for being
    // hidden.
    let opened_call = move |_| app.opened_external.set_value(true);
    let call = move |number: String, label: T| {
        view! {
            <a class="button call" href=format!("tel:{number}") on:click=opened_call>
                {app.tx(label)}
                <span class="number">{number.clone()}</span>
            </a>
        }
    };
    view! {
        <nav class="calls" aria-labelledby="calls-heading">
            <h2 id="calls-heading" class="visually-hidden">{app.tx(T::Calls)}</h2>
            <a class="button call emergency" href="tel:112" on:click=opened_call>
                {app.tx(T::CallEmergency)} <span class="number">"112"</span>
            </a>
            <a class="button call" href="tel:11414" on:click=opened_call>
                {app.tx(T::CallPolice)} <span class="number">"114 14"</span>
            </a>
            {move || stored(|s| &s.officer_phone).map(|n| call(n, T::CallOfficer))}
            {move || stored(|s| &s.strategist_phone).map(|n| call(n, T::CallStrategist))}
            // The settings are out of reach on the lock screen: no link there.
            {move || (matches!(app.lock.get(), LockView::Open { .. })
                && (stored(|s| &s.officer_phone).is_none() || stored(|s| &s.strategist_phone).is_none())).then(|| view! {
                <a class="button add-numbers" href=Route::Settings.hash()>{app.t(T::AddNumbers)}</a>
            })}
        </nav>
    }
}
