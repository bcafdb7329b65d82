//! The interface: Leptos components, one screen or widget per file.

pub mod app;
pub mod blocked_screen;
pub mod built;
pub mod call_bar;
pub mod case_list;
pub mod case_view;
pub mod confirm_countdown;
pub mod context;
pub mod details_form;
pub mod drafts;
pub mod evidence_item;
pub mod evidence_panel;
pub mod evidence_store;
pub mod export_panel;
pub mod field_error;
pub mod form_actions;
pub mod i18n;
pub mod import_view;
pub mod incident_header;
pub mod language_button;
pub mod lock_control;
pub mod lock_screen;
pub mod lock_settings;
pub mod lock_setup;
pub mod lock_watch;
pub mod missing_case;
pub mod new_case;
pub mod now_panel;
pub mod offline_status;
pub mod own_key;
pub mod police_sheet;
pub mod printed;
pub mod profile_view;
pub mod report_view;
pub mod route;
pub mod routine_guide;
pub mod routine_row;
pub mod secret_field;
pub mod settings_view;
pub mod storage_panel;
pub mod timeline;
pub mod top_bar;

pub use app::App;

/// Mounts the app on the page, in a task of its own. The browser compiles and starts the wasm in
/// one long task; building the first screen in that same task made it longer still, and a tap on
/// the page's first screen (its calls to 112 and 114 14) waited for both. Between the two the
/// browser can take input and paint. The app removes the page's first screen once its own is in
/// place (`app::App`), so there is never a moment with neither.
pub fn mount() {
    leptos::prelude::set_timeout(
        || leptos::mount::mount_to_body(App),
        std::time::Duration::ZERO,
    );
}
