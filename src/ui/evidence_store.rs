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

/// The item store, opened at the first use (and opened again by itself when the browser
/// closes it, `IdbItems`). `Unavailable` where the browser has no IndexedDB (some private
/// modes): text evidence still works, files do not.
pub async fn items() -> Result<IdbItems, KvError> {
    if let Some(items) = ITEMS.with(|cell| cell.borrow().clone()) {
        return Ok(items);
    }
    let opened = IdbItems::open().await?;
    ITEMS.with(|cell| *cell.borrow_mut() = Some(opened.clone()));
    Ok(opened)
}

/// Before the first file under a new item key: bytes still in the store were sealed under a
/// key that is gone (a wipe whose clearing was cut short). They would only ever show as
/// damaged, and an import would take them for its items already here. Checked once the store
/// is open and cleared at once: a file another tab stores later is not touched (only one
/// whose key that tab made in the moment a lost connection takes to open again).
async fn clear_leftovers(app: AppContext) -> Result<(), KvError> {
    let mut store = items().await?;
    if matches!(app.with_service(|s| s.stored_item_key()), Ok(None)) {
        store.clear().await?;
    }
    Ok(())
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
    if bytes.is_some() {
        clear_leftovers(app)
            .await
            .map_err(AttachFailure::NotStored)?;
    }
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
        let mut store = items().await.map_err(AttachFailure::NotStored)?;
        store
            .put(&prepared.store_key, sealed)
            .await
            .map_err(AttachFailure::NotStored)?;
        // Locked while the bytes were written: the case is not brought back into memory behind
        // the lock screen, and the bytes no event names go again.
        if !app.is_open() {
            let _ = store.remove(&prepared.store_key).await;
            return Err(AttachFailure::NotStored(KvError::Locked));
        }
    }
    let case_id = prepared.case.id.clone();
    let outcome = app.with_service(|s| s.save(prepared.case));
    let shown = app.show(outcome);
    // The case was deleted meanwhile: the bytes no stored event names go too (the file stays
    // on screen with the message).
    if shown.is_err() && prepared.sealed.is_some() && app.case(&case_id).is_none() {
        if let Ok(mut store) = items().await {
            let _ = store.remove(&prepared.store_key).await;
        }
    }
    shown
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
    let store = items().await.map_err(|_| ItemError::Unavailable)?;
    let stored = store.get(&name).await.map_err(|_| ItemError::Unavailable)?;
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

thread_local! {
    /// The last check waiting its turn (`check_in_turn`): a promise it resolves when done.
    static LAST_CHECK: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// `load`, one item at a time: a case's list checks every file it shows, and thirty photos
/// opened at once would hold hundreds of megabytes in the page's memory on a phone (which
/// the wasm never gives back). Each check waits for the one before to end.
/// `None` when by its turn the check is no longer `wanted` (its entry left the screen, or the
/// app locked): nothing is read then.
pub async fn check_in_turn(
    app: AppContext,
    case: &CaseId,
    item: &EvidenceItem,
    wanted: impl Fn() -> bool,
) -> Option<Result<Vec<u8>, ItemError>> {
    let mut done = None;
    let mine = js_sys::Promise::new(&mut |resolve, _| done = Some(resolve));
    if let Some(before) = LAST_CHECK.with(|last| last.replace(Some(mine))) {
        let _ = wasm_bindgen_futures::JsFuture::from(before).await;
    }
    let loaded = if wanted() && app.is_open() {
        Some(load(app, case, item).await)
    } else {
        None
    };
    if let Some(done) = done {
        let _ = done.call0(&wasm_bindgen::JsValue::UNDEFINED);
    }
    loaded
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

/// Of the items of `case` an import brings the bytes of (`brought`), the store keys of those
/// this store holds (`stored`) damaged or changed: the import puts its checked bytes in their
/// place (`store_sealed`'s `mending`), so a file damaged here is mended by a case file that
/// holds it. Read one at a time, as the case's list does.
pub async fn damaged_of(
    app: AppContext,
    case: &CaseId,
    brought: Vec<EvidenceItem>,
    stored: &[String],
    progress: impl Fn(f64),
) -> Vec<String> {
    // Without a readable item key every item would read as damaged, and the sealing for the
    // mending would fail on the same key: an import whose files are all here already needs
    // none, and must not be refused for it.
    if !matches!(app.with_service(|s| s.stored_item_key()), Ok(Some(_))) {
        return Vec::new();
    }
    let here: Vec<(String, EvidenceItem)> = brought
        .into_iter()
        .map(|item| (store_key(case, &item.id), item))
        .filter(|(key, _)| stored.contains(key))
        .collect();
    let total: u64 = here.iter().map(|(_, item)| item.size).sum();
    let mut done = 0;
    let mut damaged = Vec::new();
    for (key, item) in here {
        progress(done as f64 / total.max(1) as f64);
        done += item.size;
        if let Err(ItemError::Damaged | ItemError::Mismatch) = load(app, case, &item).await {
            damaged.push(key);
        }
    }
    damaged
}

/// Stores an import's new items (sealed by the service; none is one this device already
/// records) before its case is committed; on a refusal, or a lock meanwhile, the ones this call
/// stored are removed again and nothing is committed. An item another tab stored meanwhile
/// under the same key is left as it is, and never removed. The keys in `mending` (stored here
/// damaged, `damaged_of`) are written over with the checked bytes and never taken back. The
/// keys this call stored new, to take back should the import stop later (`remove_keys`).
pub async fn store_sealed(
    app: AppContext,
    sealed: Vec<(String, Vec<u8>)>,
    mending: &[String],
) -> Result<Vec<String>, KvError> {
    if sealed.is_empty() {
        return Ok(Vec::new());
    }
    let mut store = items().await?;
    let mut stored: Vec<String> = Vec::new();
    for (key, bytes) in &sealed {
        let written = if mending.contains(key) {
            store.put(key, bytes).await
        } else {
            store.add(key, bytes).await.map(|created| {
                if created {
                    stored.push(key.clone());
                }
            })
        };
        let outcome = written.and_then(|()| {
            // Locked meanwhile: the case is not committed behind the lock screen.
            if app.is_open() {
                Ok(())
            } else {
                Err(KvError::Locked)
            }
        });
        if let Err(err) = outcome {
            remove_keys(&stored).await;
            return Err(err);
        }
    }
    Ok(stored)
}

/// Removes the items under `keys`, on a new connection if need be.
pub async fn remove_keys(keys: &[String]) {
    if let Ok(mut store) = items().await {
        for key in keys {
            let _ = store.remove(key).await;
        }
    }
}

/// The store keys of every item the item store holds, for an import of `new_items` (`true`:
/// it brings files): leftovers of a gone key are cleared first (`clear_leftovers`). Where the
/// store cannot be read, the import must not go on as if it held nothing.
pub async fn stored_keys(app: AppContext, new_items: bool) -> Result<Vec<String>, KvError> {
    // A file without evidence files needs none (and imports where there is no IndexedDB).
    if !new_items {
        return Ok(Vec::new());
    }
    clear_leftovers(app).await?;
    items().await?.keys().await
}

/// The records of the item store for the cases `case_ids` (`None`: every record), as stored
/// (sealed), by store key, read one at a time while they fit within `budget` bytes (a case
/// file's largest): for the locked export, made while locked (the records need no key to be
/// read), and for saving everything as stored. Also how many were left out: too large to fit,
/// or unreadable. An error where the store cannot be read at all (the export would leave every
/// file out unsaid).
pub async fn sealed_of(
    case_ids: Option<&[String]>,
    budget: u64,
) -> Result<(Vec<(String, Vec<u8>)>, usize), KvError> {
    let of_cases = |key: &String| {
        case_ids.is_none_or(|case_ids| {
            key.rsplit_once('/')
                .is_some_and(|(case, _)| case_ids.iter().any(|id| id == case))
        })
    };
    let store = match items().await {
        Ok(store) => store,
        // No item store in this browser: no file was ever stored.
        Err(KvError::Unavailable) => return Ok((Vec::new(), 0)),
        Err(err) => return Err(err),
    };
    let keys: Vec<String> = store.keys().await?.into_iter().filter(of_cases).collect();
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
    Ok((taken, left_out))
}

/// Removes a deleted case's items.
pub async fn remove_case(case: &CaseId) {
    if let Ok(mut store) = items().await {
        let _ = store.remove_prefix(&case_prefix(case)).await;
    }
}

/// Removes every item (a wipe, by the user or after failed unlocks). Should this fail, the
/// bytes left are sealed under an item key that went with the wipe, and the next file stored
/// clears them (`clear_leftovers`).
pub async fn remove_all() {
    if let Ok(mut store) = items().await {
        let _ = store.clear().await;
    }
}
