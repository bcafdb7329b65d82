//! The evidence bytes beside the cases: the browser's item store (IndexedDB), opened once, and
//! the steps that join it to the service — seal, store, then record; open and check against the
//! recorded digest; remove with a case or a wipe. The service is never held across a wait for
//! IndexedDB: each step borrows it for a moment.

use crate::platform::clock;
use crate::platform::items::IdbItems;
use crate::ui::context::AppContext;
use crate::ui::i18n::{record_error, T};
use leptos::prelude::*;
use std::cell::RefCell;
use stodrutin_domain::evidence::EvidenceItem;
use stodrutin_domain::CaseId;
use stodrutin_service::evidence::{case_prefix, store_key, ItemError};
use stodrutin_service::{ItemFailure, ItemStore, KvError, RecordFailure};

thread_local! {
    /// The open database (a handle: clones share it), once opened.
    static ITEMS: RefCell<Option<IdbItems>> = const { RefCell::new(None) };
}

/// The item store, opened at the first use. `Unavailable` where the browser has no IndexedDB
/// (some private modes): text evidence still works, files do not.
pub async fn items() -> Result<IdbItems, KvError> {
    if let Some(items) = ITEMS.with(|cell| cell.borrow().clone()) {
        return Ok(items);
    }
    let opened = IdbItems::open().await?;
    ITEMS.with(|cell| *cell.borrow_mut() = Some(opened.clone()));
    Ok(opened)
}

/// Opens the item store afresh: the browser closed the connection (another tab's newer
/// version, or WebKit after the app was in the background), and a new one is needed.
async fn reopened() -> Result<IdbItems, KvError> {
    ITEMS.with(|cell| cell.borrow_mut().take());
    items().await
}

/// Stores `bytes`, on a new connection once if the held one was closed under the app.
async fn put(key: &str, bytes: &[u8]) -> Result<IdbItems, KvError> {
    let mut store = items().await?;
    match store.put(key, bytes).await {
        Err(KvError::Other(_)) => {
            let mut store = reopened().await?;
            store.put(key, bytes).await.map(|()| store)
        }
        other => other.map(|()| store),
    }
}

/// Why evidence was not attached.
#[derive(Clone, Debug)]
pub enum AttachFailure {
    /// The item store refused or lacks the bytes: nothing was recorded. The item stays on
    /// screen, to try again or save elsewhere.
    NotStored(KvError),
    /// The rules refused the item (the message says why): nothing was stored.
    Refused(String),
}

/// Attaches evidence to the case: for a file, its bytes are sealed and stored first, and the
/// event is saved only after; a message or link is an event alone. A log that storage refuses
/// is held in memory as not saved, as any record is.
pub async fn attach(
    app: AppContext,
    case_id: &CaseId,
    item: EvidenceItem,
    bytes: Option<&[u8]>,
) -> Result<(), AttachFailure> {
    let lang = app.lang();
    let case = app
        .case(case_id)
        .ok_or_else(|| AttachFailure::Refused(app.t(T::CaseNotFound).to_owned()))?;
    let profile = app.profile.get_untracked();
    let refused = |failure| match failure {
        ItemFailure::ItemNotStored(err) => AttachFailure::NotStored(err),
        ItemFailure::Record(RecordFailure::Refused(err)) => {
            AttachFailure::Refused(record_error(lang, &err))
        }
        ItemFailure::Record(_) => AttachFailure::Refused(app.t(T::RoutineUnknown).to_owned()),
    };
    let mut prepared = app
        .with_service(|s| s.prepare_evidence(&case, &profile, item))
        .map_err(refused)?;
    // Sealed a share at a time, with a pause for the page between: a 25 MB file takes seconds
    // on a slow phone.
    let mut pacer = clock::Pacer::start();
    for piece in bytes.unwrap_or_default().chunks(clock::STEP_BYTES) {
        prepared.push(piece);
        pacer.tick().await;
    }
    let prepared = prepared.ready().map_err(refused)?;
    if let Some(sealed) = &prepared.sealed {
        let mut store = put(&prepared.store_key, sealed)
            .await
            .map_err(AttachFailure::NotStored)?;
        // Locked while the bytes were written: the case is not brought back into memory behind
        // the lock screen, and the bytes no event names go again.
        if !app.is_open() {
            let _ = store.remove(&prepared.store_key).await;
            return Err(AttachFailure::NotStored(KvError::Locked));
        }
    }
    let outcome = app.with_service(|s| s.save(prepared.case));
    app.show(outcome)
        .map(|_| ())
        .map_err(|(_, message)| AttachFailure::Refused(message))
}

/// An item's original bytes, opened and checked against the SHA-256 its event records.
pub async fn load(
    app: AppContext,
    case: &CaseId,
    item: &EvidenceItem,
) -> Result<Vec<u8>, ItemError> {
    let name = store_key(case, &item.id);
    let store = items().await.map_err(|_| ItemError::Missing)?;
    let stored = match store.get(&name).await {
        Err(KvError::Other(_)) => {
            reopened()
                .await
                .map_err(|_| ItemError::Missing)?
                .get(&name)
                .await
        }
        other => other,
    }
    .map_err(|_| ItemError::Missing)?;
    let item_key = match app.with_service(|s| s.stored_item_key()) {
        Ok(Some(item_key)) => item_key,
        Ok(None) => return Err(ItemError::Missing),
        Err(_) => return Err(ItemError::Damaged),
    };
    // Opened and checked a share at a time, with a pause for the page between.
    let stored = stored.ok_or(ItemError::Missing)?;
    let mut opening = item_key.opening(&name, &stored)?;
    // Reading the record took a task of its own (the browser copies megabytes out of the
    // database); opening starts in a fresh one.
    let mut pacer = clock::Pacer::start();
    pacer.pause().await;
    while !opening.step(clock::STEP_BYTES) {
        pacer.tick().await;
    }
    opening.finish_checked(item).map(|bytes| bytes.to_vec())
}

/// The file items `files` of `case` with their bytes, for a case file; the items whose bytes
/// are missing or do not match are named apart (the file is made without them, and the user
/// told).
pub async fn load_all(
    app: AppContext,
    case: &CaseId,
    files: Vec<EvidenceItem>,
    progress: impl Fn(f64),
) -> (Vec<(EvidenceItem, Vec<u8>)>, Vec<EvidenceItem>) {
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    let total: u64 = files.iter().map(|item| item.size).sum();
    let mut done = 0;
    for item in files {
        progress(done as f64 / total.max(1) as f64);
        done += item.size;
        match load(app, case, &item).await {
            Ok(bytes) => loaded.push((item, bytes)),
            Err(_) => failed.push(item),
        }
    }
    (loaded, failed)
}

/// Stores an import's new items (sealed by the service; none is one this device already
/// records) before its case is committed; on a refusal, or a lock meanwhile, the ones stored
/// are removed again and nothing is committed.
pub async fn store_sealed(app: AppContext, sealed: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
    if sealed.is_empty() {
        return Ok(());
    }
    let mut store = items().await?;
    let mut stored = Vec::new();
    for (key, bytes) in &sealed {
        let outcome = match put(key, bytes).await.map(|reopened| store = reopened) {
            Ok(()) if !app.is_open() => Err(KvError::Locked),
            other => other,
        };
        if let Err(err) = outcome {
            for key in stored.into_iter().chain([key.as_str()]) {
                let _ = store.remove(key).await;
            }
            return Err(err);
        }
        stored.push(key.as_str());
    }
    Ok(())
}

/// The store keys of every item the item store holds (none where it cannot be read).
pub async fn stored_keys() -> Vec<String> {
    match items().await {
        Ok(store) => store.keys().await.unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// The records of the item store for the cases `case_ids`, as stored (sealed), by store key,
/// read one at a time while they fit within `budget` bytes (a case file's largest): for the
/// locked export, made while locked (the records need no key to be read). Also how many were
/// left out: too large to fit, or unreadable (all of them where the store cannot be opened).
pub async fn sealed_of(case_ids: &[String], budget: u64) -> (Vec<(String, Vec<u8>)>, usize) {
    let of_cases = |key: &String| {
        key.rsplit_once('/')
            .is_some_and(|(case, _)| case_ids.iter().any(|id| id == case))
    };
    let Ok(store) = items().await else {
        return (Vec::new(), 0);
    };
    let keys: Vec<String> = match store.keys().await {
        Ok(keys) => keys.into_iter().filter(of_cases).collect(),
        Err(_) => return (Vec::new(), 0),
    };
    let mut taken = Vec::new();
    let mut room = budget;
    let mut left_out = 0;
    for key in keys {
        match store.get(&key).await {
            Ok(Some(bytes)) if bytes.len() as u64 <= room => {
                room -= bytes.len() as u64;
                taken.push((key, bytes));
            }
            _ => left_out += 1,
        }
    }
    (taken, left_out)
}

/// Removes a deleted case's items.
pub async fn remove_case(case: &CaseId) {
    if let Ok(mut store) = items().await {
        let _ = store.remove_prefix(&case_prefix(case)).await;
    }
}

/// Removes every item (a wipe, by the user or after failed unlocks).
pub async fn remove_all() {
    if let Ok(mut store) = items().await {
        let _ = store.clear().await;
    }
}

/// The bytes evidence takes in the item store (sealed), if it can be asked.
pub async fn used_bytes() -> Option<u64> {
    items().await.ok()?.total_bytes().await.ok()
}
