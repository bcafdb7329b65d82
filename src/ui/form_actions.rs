//! The row under a form that records something: submit ("Spara" unless told otherwise) and cancel,
//! which closes the form without recording anything.

use crate::ui::context::use_app;
use crate::ui::i18n::T;
use leptos::prelude::*;

#[component]
pub fn FormActions(
    /// Closes the form; nothing is recorded.
    #[prop(into)]
    on_cancel: Callback<()>,
    /// The submit button's text.
    #[prop(into, default = T::Save.into())]
    submit: Signal<T>,
) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="button-row">
            <button type="submit" class="primary">{move || app.t(submit.get())}</button>
            <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                {app.tx(T::Cancel)}
            </button>
        </div>
    }
}
