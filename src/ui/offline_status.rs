//! On the first screen: whether the app is ready for use with no network, and, where it is not
//! installed, how to add it to the home screen and why.

use crate::platform::pwa::{self, OfflineState, Pwa};
use crate::ui::context::use_app;
use crate::ui::i18n::T;
use leptos::prelude::*;

#[component]
pub fn OfflineStatus() -> impl IntoView {
    let app = use_app();
    let pwa = expect_context::<Pwa>();
    let installed = pwa::is_installed();
    let state_text = move || match pwa.offline.get() {
        OfflineState::Ready => app.t(T::OfflineReady),
        OfflineState::Preparing => app.t(T::OfflinePreparing),
        OfflineState::Unsupported => app.t(T::OfflineUnsupported),
        OfflineState::Failed => app.t(T::OfflineFailed),
    };
    let state_key = move || match pwa.offline.get() {
        OfflineState::Ready => "ready",
        OfflineState::Preparing => "preparing",
        OfflineState::Unsupported => "unsupported",
        OfflineState::Failed => "failed",
    };
    view! {
        <section class="offline" data-offline=state_key>
            <p class="offline-state">{state_text}</p>
            {(!installed).then(|| view! {
                <details class="install">
                    <summary>{app.tx(T::InstallTitle)}</summary>
                    <p>{app.tx(T::InstallSteps)}</p>
                    <p>{app.tx(T::InstallWhy)}</p>
                    <p>{app.tx(T::InstallIphone)}</p>
                </details>
            })}
        </section>
    }
}
