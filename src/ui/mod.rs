//! The interface: Leptos components, one screen or widget per file.

pub mod app;
pub mod call_bar;
pub mod case_list;
pub mod case_view;
pub mod confirm_countdown;
pub mod context;
pub mod details_form;
pub mod drafts;
pub mod export_panel;
pub mod form_actions;
pub mod i18n;
pub mod import_view;
pub mod incident_header;
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
pub mod profile_view;
pub mod report_view;
pub mod route;
pub mod routine_guide;
pub mod routine_row;
pub mod settings_view;
pub mod storage_panel;
pub mod timeline;
pub mod top_bar;

pub use app::App;
