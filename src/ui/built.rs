//! A part of a screen built with `platform::dom` rather than as a view: `build` fills a `<div>`,
//! and fills it again whenever what it read changes (a case, the language, a list). For parts that
//! are only ever shown whole (a printed document, the routine guide, a list of links): one effect
//! for all of them in the wasm, none of a view's code per element.

use crate::platform::dom::El;
use leptos::prelude::*;

pub fn built(build: Box<dyn Fn(&El)>) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(host) = host.get() {
            host.set_text_content(None);
            build(&El::from(web_sys::Element::from(host)));
        }
    });
    view! { <div class="built" node_ref=host></div> }
}
