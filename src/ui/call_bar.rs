//! One-tap calls at the scene: 112, the police's 114 14, and the party security officer and the
//! municipality's security strategist when their numbers are stored in the settings.

use crate::platform::dom::{el, tapped, text_el, El};
use crate::ui::built::built;
use crate::ui::context::{use_app, LockView};
use crate::ui::i18n::{tr, T};
use crate::ui::route::Route;
use leptos::prelude::*;

#[component]
pub fn CallBar() -> impl IntoView {
    let app = use_app();
    // Built whole (`platform::dom`), again when the numbers, the language or the lock change.
    let calls = built(Box::new(move |host: &El| {
        let lang = app.lang();
        let call = |number: &str, shown: &str, label: T| {
            el("a")
                .class("button call")
                .attr("href", &format!("tel:{number}"))
                .text(tr(lang, label))
                .text(" ")
                .child(text_el("span", "number", shown))
        };
        let nav = el("nav")
            .class("calls")
            .attr("aria-labelledby", "calls-heading")
            .child(text_el("h2", "visually-hidden", tr(lang, T::Calls)).attr("id", "calls-heading"))
            .child(call("112", "112", T::CallEmergency).class("button call emergency"))
            .child(call("11414", "114 14", T::CallPolice));
        let (officer, strategist) = app
            .settings
            .with(|s| (s.officer_phone.clone(), s.strategist_phone.clone()));
        for (number, label) in [(&officer, T::CallOfficer), (&strategist, T::CallStrategist)] {
            if !number.is_empty() {
                nav.push(call(number, number, label));
            }
        }
        // The settings are out of reach on the lock screen: no link there.
        if matches!(app.lock.get(), LockView::Open { .. })
            && (officer.is_empty() || strategist.is_empty())
        {
            nav.push(
                text_el("a", "button add-numbers", tr(lang, T::AddNumbers))
                    .attr("href", &Route::Settings.hash()),
            );
        }
        host.push(nav);
    }));
    // A call can last long: while the phone app is in front, the app does not lock for being
    // hidden.
    let opened_call = move |ev: leptos::ev::MouseEvent| {
        if tapped(&ev, "a.call").is_some() {
            app.opened_external.set_value(true);
        }
    };
    view! { <div on:click=opened_call>{calls}</div> }
}
