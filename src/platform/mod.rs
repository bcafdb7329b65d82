//! Thin adapters to the browser: storage, clock, random ids. No rules live here.

pub mod clock;
pub mod dom;
pub mod files;
pub mod items;
pub mod packs;
pub mod passkey;
pub mod pwa;
pub mod storage;
pub mod tab_lock;
