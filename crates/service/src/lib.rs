//! Stödrutin's application layer: what the app does with cases, over three ports — a key-value
//! storage, a clock and a source of randomness. No browser and no Leptos here: the app crate
//! plugs the browser's local storage, clock and Web Crypto into these ports, and the native tests
//! plug in memory, a fixed clock and a seeded generator. `lock` seals every stored value under a
//! data key (`SealedKv`, a `KeyValue` over the storage) and gives `CaseService<SealedKv<K>, …>`
//! the lock's API.

pub mod device;
pub mod evidence;
pub mod import;
pub mod lock;
pub mod ports;
pub mod routines;
mod service;
pub mod store;
mod xchacha;

pub use device::{Lang, Profile, Settings};
pub use import::{
    CheckedFile, CheckedImport, ImportArrival, ImportError, ImportReading, ImportSealing,
    ImportStep, LockedImport, SealedImport, UnreadCase,
};
pub use lock::{
    lock_due, open_locked_export, LockError, LockInfo, LockStatus, LockedExportError, PasskeyInfo,
    PreUnlock, SealedKv, SecretKind, UnlockError,
};
pub use ports::{Clock, ItemStore, KeyValue, KvError, MemoryItems, MemoryKv};
pub use routines::{intern, ShippedPackError};
pub use service::{
    check_new_backup_passphrase, BackupError, CaseService, ExportError, ExportSealing, ExportWork,
    ExportedFile, ItemFailure, Loaded, NewKeyError, PreparedEvidence, ReadyEvidence, RecordFailure,
    KEY_BACKUP_WORK_FACTOR, MIN_BACKUP_PASSPHRASE_CHARS,
};
pub use store::{LoadReport, ReadError, SaveError, Unreadable};
