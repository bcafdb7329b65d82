//! Thin adapters to the browser: storage, clock, random ids. No rules live here.

pub mod clock;
pub mod files;
pub mod ids;
pub mod profile;
pub mod pwa;
pub mod settings;
pub mod storage;
