//! The application shell: shared state, the announcement regions and the current screen.

use crate::platform::pwa::{self, Pwa};
use crate::ui::blocked_screen::BlockedScreen;
use crate::ui::case_list::CaseList;
use crate::ui::case_view::CaseView;
use crate::ui::context::{current_hash, AppContext, LockView};
use crate::ui::i18n::{html_lang, T};
use crate::ui::import_view::ImportView;
use crate::ui::lock_screen::LockScreen;
use crate::ui::lock_setup::LockSetup;
use crate::ui::new_case::NewCase;
use crate::ui::police_sheet::PoliceSheet;
use crate::ui::profile_view::ProfileView;
use crate::ui::report_view::ReportView;
use crate::ui::route::Route;
use crate::ui::settings_view::SettingsView;
use crate::ui::top_bar::TopBar;
use leptos::ev;
use leptos::prelude::*;
use stodrutin_service::device::{PRIVATE_KEY_KEY, PROFILE_KEY, SETTINGS_KEY};
use stodrutin_service::lock::LOCK_KEY;
use stodrutin_service::routines::ROUTINE_PREFIX;

#[component]
pub fn App() -> impl IntoView {
    let app = AppContext::new();
    provide_context(app);
    app.load_shipped_routines();
    let pwa = Pwa::start();
    provide_context(pwa);
    let build = pwa::build_id();

    crate::ui::lock_watch::watch(app);
    // "Ny version" was tapped with something a reload would lose, the user was told what, and
    // when: a second tap soon after, for the same reason, reloads all the same.
    let update_warned = StoredValue::new(None::<(T, f64)>);

    // The back button and links change the fragment; the screen follows it.
    let hash_listener = window_event_listener(ev::hashchange, move |_| {
        app.route.set(Route::parse(&current_hash()));
        // Another screen: it starts at its top, and its heading takes the focus, so that a
        // screen reader says where the user is and the keyboard goes on from there.
        request_animation_frame(focus_screen_heading);
    });
    // Another tab or window of the app wrote: read storage again so no one's events are hidden.
    // (A case imported in another tab may follow a pack this tab has not read yet.)
    let storage_listener = window_event_listener(ev::storage, move |event| {
        let key = event.key();
        // The lock changed there, or everything was wiped (clearing storage names no key;
        // removing the lock record leaves no new value).
        if key.as_deref().is_none_or(|key| key == LOCK_KEY) {
            app.follow_other_tab(key.is_none() || event.new_value().is_none());
        }
        if !matches!(app.lock.get_untracked(), LockView::Open { .. }) {
            return;
        }
        if matches!(key.as_deref(), Some(PROFILE_KEY | SETTINGS_KEY)) {
            app.reload_device_values();
        }
        if key.as_deref() == Some(PRIVATE_KEY_KEY) {
            app.reload_own_key();
        }
        app.reload_cases();
        // A pack kept there (a case imported there follows it): the screens look packs up
        // again. Only then: that rebuilds the case screen, and takes the focus from where it
        // was.
        if key
            .as_deref()
            .is_some_and(|key| key.starts_with(ROUTINE_PREFIX))
        {
            app.refresh_kept_routines();
        }
    });
    on_cleanup(move || {
        hash_listener.remove();
        storage_listener.remove();
    });

    // Storage refused a write: try again now and then, as well as on the user's next change.
    let retry = set_interval_with_handle(
        move || {
            if app.unsaved.with_untracked(|u| !u.is_empty()) {
                app.retry_unsaved();
            }
        },
        std::time::Duration::from_secs(15),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = retry {
            handle.clear();
        }
    });

    // The screen is built in a task after this one, which read storage and the lock: the two
    // in one task kept a tap on the page's own first screen (its calls) waiting for both.
    let started = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::platform::clock::pause().await;
        started.set(true);
    });

    // The app's first screen is in place (effects run after it): the page's own first screen
    // (index.html's, with its calls, for before the app and without it) goes, and the benchmark
    // gets its mark. If the app never starts, the page's first screen stays.
    Effect::new(move |_| {
        if !started.get() {
            return;
        }
        if let Some(shell) = document().get_element_by_id("shell") {
            shell.remove();
        }
        if let Some(performance) = window().performance() {
            let _ = performance.mark("stodrutin-ready");
        }
    });
    Effect::new(move |_| {
        let lang = app.lang();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", html_lang(lang));
        }
        document().set_title(app.t(T::AppName));
    });

    // The screens are built again when the lock's state changes, not when only whether a lock is
    // set does: setting or removing the PIN on the settings screen keeps that screen, and what is
    // typed on it (its draft is dropped when the screen goes).
    let shown = Memo::new(move |_| match app.lock.get() {
        LockView::Open { .. } => LockView::Open { protected: true },
        other => other,
    });
    let unprotected = move || app.lock.with(|l| *l == LockView::Open { protected: false });
    move || {
        if !started.get() {
            return ().into_any();
        }
        match shown.get() {
        LockView::Setup => view! { <main id="main"><LockSetup first_start=true/></main> }.into_any(),
        LockView::Locked(_) => view! { <main id="main"><LockScreen/></main> }.into_any(),
        LockView::Blocked { message, damaged } => view! {
            <main id="main"><BlockedScreen message=message damaged=damaged/></main>
        }
        .into_any(),
        LockView::Open { .. } => view! {
            <TopBar/>
            <Show when=unprotected>
                <a class="not-protected" href=Route::Settings.hash()>{app.tx(T::NotProtected)}</a>
            </Show>
            <Show when=move || pwa.update_waiting.get()>
                <div class="update" role="status">
                    <button type="button" class="primary" on:click=move |_| {
                        let now = js_sys::Date::now();
                        match app.reload_would_lose() {
                            // Said first; a second tap within a minute reloads all the same (a
                            // draft no form shows any more must not keep the update away).
                            Some(why) if !update_warned.get_value().is_some_and(|(told, at)| {
                                told == why && now - at < 60_000.0
                            }) => {
                                update_warned.set_value(Some((why, now)));
                                app.alert.set(Some(app.t(why).to_owned()));
                            }
                            _ => pwa.apply_update(),
                        }
                    }>
                        {app.tx(T::UpdateAvailable)}
                    </button>
                </div>
            </Show>
            <div class="alert" role="alert">
                {move || app.alert.get().map(|message| view! { <p>{message}</p> })}
            </div>
            <Show when=move || app.unsaved.with(|u| !u.is_empty())>
                <div class="alert-actions button-row">
                    <button type="button" class="primary" on:click=move |_| app.retry_unsaved()>
                        {app.tx(T::Retry)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| {
                        if let Some(id) = app.unsaved.with_untracked(|u| u.iter().next().cloned()) {
                            app.navigate(Route::Case(id));
                        }
                    }>
                        {app.tx(T::ExportNow)}
                    </button>
                </div>
            </Show>
            <main id="main">
                {move || match app.route.get() {
                    Route::Home => view! { <CaseList/> }.into_any(),
                    Route::NewCase => view! { <NewCase/> }.into_any(),
                    Route::Case(id) => view! { <CaseView id=id/> }.into_any(),
                    Route::Profile => view! { <ProfileView/> }.into_any(),
                    Route::Import => view! { <ImportView/> }.into_any(),
                    Route::Settings => view! { <SettingsView/> }.into_any(),
                    Route::Report(id) => view! { <ReportView id=id/> }.into_any(),
                    Route::PoliceSheet(id) => view! { <PoliceSheet id=id/> }.into_any(),
                }}
            </main>
            <p class="visually-hidden" role="status" aria-live="polite">{move || app.status.get()}</p>
            <footer class="footer">
                <p>{app.tx(T::Version)} " " {env!("CARGO_PKG_VERSION")} <span class="build">{build.clone()}</span></p>
            </footer>
        }
        .into_any(),
    }
    }
}

/// Focuses the shown screen's heading (or its main region, on a screen without one: one that
/// waits, or says a case is missing) and scrolls to the top. Only if the focus was lost: a frame
/// can come late (a slow phone, a page in the background), and by then the user may be typing
/// on the new screen.
fn focus_screen_heading() {
    if crate::platform::dom::focus_first(&["main h1", "main"]) {
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}
