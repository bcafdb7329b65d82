//! Stödrutin's application layer: what the app does with cases, over three ports — a key-value
//! storage, a clock and a source of randomness. No browser and no Leptos here: the app crate
//! plugs the browser's local storage, clock and Web Crypto into these ports, and the native tests
//! plug in memory, a fixed clock and a seeded generator.

pub mod device;
pub mod import;
pub mod ports;
mod service;
pub mod store;

pub use device::{Lang, Profile, Settings};
pub use import::{CheckedImport, ImportError, ImportStep, SealedImport};
pub use ports::{Clock, KeyValue, KvError, MemoryKv};
pub use service::{
    check_new_backup_passphrase, BackupError, CaseService, Loaded, RecordFailure,
    KEY_BACKUP_WORK_FACTOR, MIN_BACKUP_PASSPHRASE_CHARS,
};
pub use store::{LoadReport, ReadError, SaveError, Unreadable};
