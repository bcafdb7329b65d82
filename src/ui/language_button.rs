//! The button that switches the interface between Swedish and English: in the top bar, and on
//! the lock screen and the first start's lock offer, before anything is open.

use crate::ui::context::use_app;
use crate::ui::i18n::{html_lang, other, T};
use leptos::prelude::*;

#[component]
pub fn LanguageButton() -> impl IntoView {
    let app = use_app();
    let switch = move |_| {
        if let Err(message) = app.switch_language() {
            app.alert.set(Some(message));
        }
    };
    view! {
        <button class="chip" type="button" lang=move || html_lang(other(app.lang())) on:click=switch>
            {app.tx(T::SwitchLanguage)}
        </button>
    }
}
