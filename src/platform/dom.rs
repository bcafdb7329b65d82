//! Elements built straight into the DOM, for the parts only ever shown whole (the printed
//! documents, the routine guide, the case list's links, the timeline; `ui::built` builds them
//! again when what they show changes): never updated in place, they need none of Leptos' view
//! machinery. A `view!` tree is a type of its own per element, with its own code in
//! the wasm to build, mount and drop it; built that way, these two screens took 5.6 KB more of the
//! gzipped wasm. Here every element is the same three calls. (An interactive screen does not pay:
//! the import screen built this way, with bindings for its changing parts, came out 1.4 KB larger,
//! as Leptos' code for forms is shared by every screen and compresses well.)
//!
//! Text goes in as text nodes and values through `setAttribute`, never as markup, so any string
//! from a case (a sender's handle, a message's words) shows as the characters it is.

use wasm_bindgen::JsCast;
use web_sys::Element;

/// An element being built.
pub struct El(Element);

/// A new `<tag>` element.
pub fn el(tag: &str) -> El {
    El(web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element(tag).ok())
        .expect("the page has a document, and the tags are the app's own"))
}

/// `<tag class=…>text</tag>`: the commonest element of a document.
pub fn text_el(tag: &str, class: &str, text: &str) -> El {
    el(tag).class(class).text(text)
}

impl El {
    /// Sets the class (an empty one is left out).
    pub fn class(self, class: &str) -> El {
        if !class.is_empty() {
            self.0.set_class_name(class);
        }
        self
    }

    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Adds `text` as a text node after what the element holds.
    pub fn text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: El) -> El {
        self.push(child);
        self
    }

    /// Adds `child` when there is one.
    pub fn maybe(self, child: Option<El>) -> El {
        if let Some(child) = child {
            self.push(child);
        }
        self
    }

    /// Adds `child` last, for children made in a loop.
    pub fn push(&self, child: El) {
        let _ = self.0.append_child(&child.0);
    }

    pub fn element(&self) -> &Element {
        &self.0
    }
}

impl From<Element> for El {
    fn from(element: Element) -> El {
        El(element)
    }
}

/// The element matching `selector` that an event (a click on a part built here, caught by one
/// listener around it) happened in, if any.
pub fn tapped(event: &web_sys::Event, selector: &str) -> Option<Element> {
    event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// Whether the focus was lost (it is on the page's body, or nowhere): the element that had it
/// went with a change on screen. Moving the focus is then the app's to do; otherwise the user has
/// put it somewhere already (typing in a field), and a late move would take their keys away.
fn focus_was_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *body.as_ref(),
        (Some(_), None) => false,
    }
}

/// Moves the focus to the first element matching one of `selectors`, in their order, if the
/// focus was lost (`focus_was_lost`); true if it moved. An element that takes no focus of its
/// own (a heading, a region) is made focusable by script only (`tabindex="-1"`).
pub fn focus_first(selectors: &[&str]) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    if !focus_was_lost() {
        return false;
    }
    let found = selectors
        .iter()
        .find_map(|selector| document.query_selector(selector).ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(element) = found else {
        return false;
    };
    if element.tab_index() < 0 {
        let _ = element.set_attribute("tabindex", "-1");
    }
    element.focus().is_ok()
}
