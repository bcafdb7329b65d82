//! A form's error line: announced when it appears (`role="alert"`), empty otherwise. One widget
//! for the forms whose error is a plain message, so each does not build its own copy of the
//! element (the forms that name a field in their error build their own line).

use leptos::prelude::*;

#[component]
pub fn FieldError(error: RwSignal<Option<String>>) -> impl IntoView {
    view! { <div role="alert" class="field-error">{move || error.get()}</div> }
}
