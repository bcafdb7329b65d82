//! The evidence bytes beside the cases: the browser's item store (IndexedDB), opened once, and
//! the steps that join it to the service — seal, store, then record; open and check against the
//! recorded digest; remove with a case or a wipe. The service is never held across a wait for
//! IndexedDB: each step borrows it for a moment.

use crate::platform::items::IdbItems;
use crate::ui::context::AppContext;
use crate::ui::i18n::{record_error, T};
use leptos::prelude::*;
use std::cell::RefCell;
use stodrutin_domain::evidence::EvidenceItem;
use stodrutin_domain::{Case, CaseId};
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
    let prepared = app
        .with_service(|s| s.prepare_evidence(&case, &profile, item, bytes))
        .map_err(|failure| match failure {
            ItemFailure::ItemNotStored(err) => AttachFailure::NotStored(err),
            ItemFailure::Record(RecordFailure::Refused(err)) => {
                AttachFailure::Refused(record_error(lang, &err))
            }
            ItemFailure::Record(_) => AttachFailure::Refused(app.t(T::RoutineUnknown).to_owned()),
        })?;
    if let Some(sealed) = &prepared.sealed {
        let mut store = items().await.map_err(AttachFailure::NotStored)?;
        store
            .put(&prepared.store_key, sealed)
            .await
            .map_err(AttachFailure::NotStored)?;
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
    let store = items().await.map_err(|_| ItemError::Missing)?;
    let stored = store
        .get(&store_key(case, &item.id))
        .await
        .map_err(|_| ItemError::Missing)?;
    let key = app
        .with_service(|s| s.item_key())
        .map_err(|_| ItemError::Damaged)?;
    key.open_checked(case, item, stored.as_deref())
        .map(|bytes| bytes.to_vec())
}

/// Every file item of `case` with its bytes, for a case file; the items whose bytes are missing
/// or do not match are named apart (the file is made without them, and the user told).
pub async fn load_all(
    app: AppContext,
    case: &Case,
) -> (Vec<(EvidenceItem, Vec<u8>)>, Vec<EvidenceItem>) {
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for recorded in case.state().evidence {
        let item = recorded.what;
        if !item.kind.has_file() {
            continue;
        }
        match load(app, &case.id, &item).await {
            Ok(bytes) => loaded.push((item, bytes)),
            Err(_) => failed.push(item),
        }
    }
    (loaded, failed)
}

/// Stores an import's items (sealed by the service) before its case is committed; on a refusal
/// the ones stored are removed again and nothing is committed.
pub async fn store_sealed(sealed: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
    if sealed.is_empty() {
        return Ok(());
    }
    let mut store = items().await?;
    let mut stored = Vec::new();
    for (key, bytes) in &sealed {
        if let Err(err) = store.put(key, bytes).await {
            for key in stored {
                let _ = store.remove(key).await;
            }
            return Err(err);
        }
        stored.push(key.as_str());
    }
    Ok(())
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
