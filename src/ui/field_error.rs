//! A form's error line: announced when it appears (`role="alert"`), empty otherwise. One widget
//! for every form, so each form does not build its own copy of the element.

use leptos::prelude::*;

#[component]
pub fn FieldError(error: RwSignal<Option<String>>) -> impl IntoView {
    view! { <div role="alert" class="field-error">{move || error.get()}</div> }
}
