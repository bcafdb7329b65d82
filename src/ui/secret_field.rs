//! A PIN, passphrase or backup passphrase field whose text the app does not keep in a signal.
//!
//! Mirrored into a `String` signal on every keystroke, each partial secret was left behind in the
//! wasm memory when the next keystroke replaced it, unwiped. Here the text stays in the input
//! element until it is used: it is read once, into a string wiped when dropped, and the field is
//! emptied after. (The browser's own copy, in the element, is out of the app's reach.) Secrets
//! are also never kept as a draft across a lock: after an unlock the field is empty.

use leptos::html::Input;
use leptos::prelude::*;
use zeroize::Zeroizing;

#[derive(Clone, Copy, Default)]
pub struct SecretField(NodeRef<Input>);

impl SecretField {
    pub fn new() -> Self {
        Self::default()
    }

    /// For the input element's `node_ref`.
    pub fn node(self) -> NodeRef<Input> {
        self.0
    }

    /// The input element, if it is on the screen. `try_`: a long task (an export, a key
    /// derivation) may end after its screen is gone, and reading a disposed reference would abort
    /// the app.
    fn input(self) -> Option<web_sys::HtmlInputElement> {
        self.0.try_get_untracked().flatten()
    }

    /// What is typed now (empty when the field is not on the screen).
    pub fn read(self) -> Zeroizing<String> {
        Zeroizing::new(self.input().map(|input| input.value()).unwrap_or_default())
    }

    pub fn clear(self) {
        if let Some(input) = self.input() {
            input.set_value("");
        }
    }
}
