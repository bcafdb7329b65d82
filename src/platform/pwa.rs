//! The service worker that makes the app work offline, its updates, and how the app was opened.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// Where offline use stands on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfflineState {
    /// The browser has no service workers (or refused to register one).
    Unsupported,
    /// The service worker is installing: the app's files are being cached.
    Preparing,
    /// Every file of this version is cached; the app opens with no network.
    Ready,
    /// The first install failed: the app does not open without network yet.
    Failed,
}

#[derive(Clone, Copy)]
pub struct Pwa {
    pub offline: RwSignal<OfflineState>,
    /// A new version is installed and waits for the user's go-ahead.
    pub update_waiting: RwSignal<bool>,
}

const SCRIPT: &str = "/sw.js";
/// How often an open app asks for a new version.
const UPDATE_CHECK_MS: i32 = 30 * 60 * 1000;

impl Pwa {
    /// Registers the service worker and follows it. Nothing here ever reloads the page.
    pub fn start() -> Pwa {
        let pwa = Pwa {
            offline: RwSignal::new(OfflineState::Preparing),
            update_waiting: RwSignal::new(false),
        };
        let Some(window) = web_sys::window() else {
            pwa.offline.set(OfflineState::Unsupported);
            return pwa;
        };
        let navigator = window.navigator();
        if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
            pwa.offline.set(OfflineState::Unsupported);
            return pwa;
        }
        let container = navigator.service_worker();
        let registering = container.register(SCRIPT);
        spawn_local(async move {
            let Ok(registration) = JsFuture::from(registering).await else {
                pwa.offline.set(OfflineState::Unsupported);
                return;
            };
            let registration: ServiceWorkerRegistration = registration.unchecked_into();
            pwa.watch(&registration);
            let Ok(ready) = container.ready() else {
                return;
            };
            if JsFuture::from(ready).await.is_ok() {
                pwa.offline.set(OfflineState::Ready);
            }
        });
        pwa
    }

    fn watch(self, registration: &ServiceWorkerRegistration) {
        if registration.waiting().is_some() && has_controller() {
            self.update_waiting.set(true);
        }
        // An install begun before the app got here (the browser's own check at the page's
        // start): its "update found" has passed, so it is followed from here.
        if let Some(worker) = registration.installing() {
            self.follow_install(registration.clone(), worker);
        }
        let watched = registration.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            if let Some(worker) = watched.installing() {
                self.follow_install(watched.clone(), worker);
            }
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();

        // An app left open for hours (a long follow-up at the scene) still learns of new versions.
        let checked = registration.clone();
        let check = Closure::<dyn FnMut()>::new(move || {
            let _ = checked.update();
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
                check.as_ref().unchecked_ref(),
                UPDATE_CHECK_MS,
            );
        }
        check.forget();
    }

    fn follow_install(self, registration: ServiceWorkerRegistration, worker: ServiceWorker) {
        let followed = worker.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            match followed.state() {
                // Installed while another version controls the page: an update, and it waits.
                ServiceWorkerState::Installed if has_controller() => self.update_waiting.set(true),
                // The first install failed (a file missing on the host, a full phone): the app
                // does not work without network yet, and must not say it is getting ready.
                // (No active worker: after a hard reload the page has no controller, yet the
                // app works offline, and a failed update must not say otherwise.)
                ServiceWorkerState::Redundant if registration.active().is_none() => {
                    self.offline.set(OfflineState::Failed)
                }
                _ => {}
            }
        });
        worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    }

    /// The user chose to reload into the new version: activate it, then reload once it controls
    /// the page.
    pub fn apply_update(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let container = window.navigator().service_worker();
        let on_change = Closure::<dyn FnMut()>::new(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
        spawn_local(async move {
            let Ok(registration) = JsFuture::from(container.get_registration()).await else {
                return;
            };
            let registration: ServiceWorkerRegistration = registration.unchecked_into();
            match registration.waiting() {
                Some(waiting) => {
                    let _ = waiting.post_message(&"skip-waiting".into());
                }
                None => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                }
            }
        });
    }
}

fn has_controller() -> bool {
    web_sys::window()
        .map(|w| w.navigator().service_worker().controller().is_some())
        .unwrap_or(false)
}

/// Whether the app runs from the home screen (installed) rather than in a browser tab.
pub fn is_installed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let standalone = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    // iOS Safari says so on the navigator instead.
    let ios_standalone = js_sys::Reflect::get(&window.navigator(), &"standalone".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    standalone || ios_standalone
}

/// The build id that tools/postbuild.mjs wrote into index.html (empty in tests and dev builds).
pub fn build_id() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name='stodrutin-build']")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default()
}
