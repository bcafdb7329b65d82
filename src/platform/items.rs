//! Evidence bytes (photos, screenshots) in the browser's IndexedDB, behind the service's
//! `ItemStore` port. Local storage holds only a few megabytes of strings; IndexedDB holds binary
//! values up to the origin's quota.
//!
//! One database, "stodrutin-items", version 1, with one object store "items": out-of-line keys
//! (the item key string), values the bytes as a `Uint8Array`.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use stodrutin_service::{ItemStore, KvError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbDatabase, IdbKeyRange, IdbObjectStore};
use web_sys::{IdbRequest, IdbTransaction};

const DATABASE: &str = "stodrutin-items";
const STORE: &str = "items";

#[wasm_bindgen]
extern "C" {
    /// `IDBDatabase` seen for its `transaction(store, mode, options)`: web-sys offers the
    /// options only behind `web_sys_unstable_apis`. Browsers without `durability` ignore it.
    type Database;
    #[wasm_bindgen(method, catch)]
    fn transaction(
        this: &Database,
        store: &str,
        mode: &str,
        options: &Object,
    ) -> Result<IdbTransaction, JsValue>;
}

/// The open item database. A handle: clones share one connection, and the new one it is
/// replaced by when the browser closes it (`transaction`).
#[derive(Clone, Debug)]
pub struct IdbItems {
    db: Rc<RefCell<IdbDatabase>>,
}

/// A full disk or origin quota is `QuotaExceededError`; any other failure keeps its name only
/// (the messages differ by browser and say nothing more to the user).
fn dom_error(error: Option<DomException>) -> KvError {
    let name = error.map(|e| e.name()).unwrap_or_default();
    if name.contains("Quota") {
        KvError::QuotaExceeded
    } else {
        KvError::Other(name)
    }
}

/// What a call throws at once (a closed connection, a missing store) is a DOMException too.
fn js_error(error: JsValue) -> KvError {
    dom_error(error.dyn_into().ok())
}

/// Waits for the first of `target`'s `ok` or `fail` events: true on `ok`. The promise's own
/// `resolve` and `reject` are the handlers, so no Rust closure is made (or leaked) per call.
async fn event(target: &JsValue, ok: &str, fail: &[&str]) -> bool {
    let settled = Promise::new(&mut |resolve, reject| {
        let _ = Reflect::set(target, &ok.into(), &resolve);
        for name in fail {
            let _ = Reflect::set(target, &(*name).into(), &reject);
        }
    });
    JsFuture::from(settled).await.is_ok()
}

/// The request's result once it succeeds. Only for reads: a write is done at its transaction's
/// `complete`, not at its request's `success`.
async fn request(request: Result<IdbRequest, JsValue>) -> Result<JsValue, KvError> {
    let request = request.map_err(js_error)?;
    if event(&request, "onsuccess", &["onerror"]).await {
        request.result().map_err(js_error)
    } else {
        Err(dom_error(request.error().ok().flatten()))
    }
}

/// Waits for the transaction to commit. A failed request aborts its transaction with that
/// request's error, and a quota refused at commit aborts it too: both are read from `error`.
async fn committed(tx: &IdbTransaction) -> Result<(), KvError> {
    if event(tx, "oncomplete", &["onabort"]).await {
        Ok(())
    } else {
        Err(dom_error(tx.error()))
    }
}

/// Opens (at first use, creates) the database. `Unavailable` where the browser has no
/// IndexedDB (some private modes); an open refused or blocked by another tab is its error.
async fn open_database() -> Result<IdbDatabase, KvError> {
    let factory = web_sys::window()
        .and_then(|window| window.indexed_db().ok().flatten())
        .ok_or(KvError::Unavailable)?;
    let open = factory
        .open_with_u32(DATABASE, 1)
        .map_err(|_| KvError::Unavailable)?;
    // The store must be made inside `upgradeneeded`, which fires only on the first open: the
    // closure lives until the open settles and is dropped then, never leaked.
    let upgrade = Closure::<dyn FnMut()>::new({
        let open = open.clone();
        move || {
            if let Ok(db) = open.result() {
                let _ = db
                    .unchecked_into::<IdbDatabase>()
                    .create_object_store(STORE);
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = event(&open, "onsuccess", &["onerror", "onblocked"]).await;
    open.set_onupgradeneeded(None);
    drop(upgrade);
    // Refused or blocked at this moment: not "no IndexedDB here", which would say that no
    // file was ever stored.
    if !opened {
        return Err(dom_error(open.error().ok().flatten()));
    }
    let db: IdbDatabase = open
        .result()
        .map_err(|_| KvError::Unavailable)?
        .unchecked_into();
    // A later version of the app, open in another tab, must not be blocked by this
    // connection: give way on `versionchange` (the next call here opens a new one).
    if let Ok(close) = Reflect::get(&db, &"close".into()) {
        let close: js_sys::Function = close.unchecked_into();
        db.set_onversionchange(Some(&close.bind0(&db)));
    }
    Ok(db)
}

impl IdbItems {
    /// Opens (at first use, creates) the database (`open_database`).
    pub async fn open() -> Result<IdbItems, KvError> {
        Ok(IdbItems {
            db: Rc::new(RefCell::new(open_database().await?)),
        })
    }

    /// Closes the connection, for every clone of this handle. Transactions under way finish
    /// first; the next call opens a new connection.
    pub fn close(&self) {
        self.db.borrow().close();
    }

    /// A transaction over the store (`readwrite` when `write`) and the store, on a new
    /// connection if the browser closed this one: WebKit does after the app was in the
    /// background (just when a lock screen's wipe, or a deletion, comes), and a newer version
    /// of the app in another tab makes it give way. Every clone then uses the new one.
    ///
    /// A write has `strict` durability: `complete` then means flushed to disk, where the
    /// default (Chromium's since 121, Firefox's, Safari's) means in the OS's cache; an event
    /// may refer to an item only once it is stored.
    async fn transaction(&self, write: bool) -> Result<(IdbTransaction, IdbObjectStore), KvError> {
        match self.begin(write) {
            Err(KvError::Other(name)) if name == "InvalidStateError" => {
                self.reopen().await?;
                self.begin(write)
            }
            begun => begun,
        }
    }

    async fn reopen(&self) -> Result<(), KvError> {
        let reopened = open_database().await?;
        *self.db.borrow_mut() = reopened;
        Ok(())
    }

    async fn put_once(&self, key: &str, bytes: &[u8]) -> Result<(), KvError> {
        let (tx, store) = self.transaction(true).await?;
        store
            .put_with_key(&Uint8Array::from(bytes), &key.into())
            .map_err(js_error)?;
        committed(&tx).await
    }

    async fn remove_once(&self, key: &str) -> Result<(), KvError> {
        let (tx, store) = self.transaction(true).await?;
        store.delete(&key.into()).map_err(js_error)?;
        committed(&tx).await
    }

    async fn get_once(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        let value = request(self.transaction(false).await?.1.get(&key.into())).await?;
        if value.is_undefined() {
            return Ok(None);
        }
        // Ours are `Uint8Array`s; an `ArrayBuffer` is read through a view of it.
        let bytes = value
            .dyn_into::<Uint8Array>()
            .unwrap_or_else(|value| Uint8Array::new(&value));
        Ok(Some(bytes.to_vec()))
    }

    fn begin(&self, write: bool) -> Result<(IdbTransaction, IdbObjectStore), KvError> {
        let db = self.db.borrow();
        let tx = if write {
            let options = Object::new();
            let _ = Reflect::set(&options, &"durability".into(), &"strict".into());
            db.unchecked_ref::<Database>()
                .transaction(STORE, "readwrite", &options)
        } else {
            db.transaction_with_str(STORE)
        }
        .map_err(js_error)?;
        let store = tx.object_store(STORE).map_err(js_error)?;
        Ok((tx, store))
    }

    /// Stores `bytes` under `key` unless an item is there already: `false` then, and the one
    /// there is left as it is (IndexedDB's `add` refuses an existing key, in the same
    /// transaction, so no other tab's write can come between the check and the store).
    pub async fn add(&mut self, key: &str, bytes: &[u8]) -> Result<bool, KvError> {
        let (tx, store) = self.transaction(true).await?;
        store
            .add_with_key(&Uint8Array::from(bytes), &key.into())
            .map_err(js_error)?;
        match committed(&tx).await {
            Ok(()) => Ok(true),
            Err(KvError::Other(name)) if name == "ConstraintError" => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// `op`, and once more on a new connection if it failed otherwise than for room: WebKit may
    /// lose the connection while a transaction runs, the first one after the app was in the
    /// background. Writes, reads and removals all go through it (a case's photos left behind
    /// by a failed removal would stay readable).
    async fn once_more<T>(&self, op: impl AsyncFn() -> Result<T, KvError>) -> Result<T, KvError> {
        match op().await {
            Err(KvError::Other(_)) => {
                self.reopen().await?;
                op().await
            }
            done => done,
        }
    }

    /// Deletes every item, `once_more`.
    pub async fn clear(&mut self) -> Result<(), KvError> {
        self.once_more(async || self.clear_once().await).await
    }

    async fn clear_once(&self) -> Result<(), KvError> {
        let (tx, store) = self.transaction(true).await?;
        store.clear().map_err(js_error)?;
        committed(&tx).await
    }

    /// Deletes every item whose key starts with `prefix` (a case's items, `"<case id>/"`): the
    /// key range from `prefix` to `prefix` + U+FFFF, which holds every such key but one going
    /// on with U+FFFF itself (no item key does); `once_more`.
    pub async fn remove_prefix(&mut self, prefix: &str) -> Result<(), KvError> {
        self.once_more(async || self.remove_prefix_once(prefix).await)
            .await
    }

    async fn remove_prefix_once(&self, prefix: &str) -> Result<(), KvError> {
        let mut upper = String::with_capacity(prefix.len() + 3);
        upper.push_str(prefix);
        upper.push('\u{ffff}');
        let range = IdbKeyRange::bound(&prefix.into(), &upper.into()).map_err(js_error)?;
        let (tx, store) = self.transaction(true).await?;
        store.delete(&range).map_err(js_error)?;
        committed(&tx).await
    }
}

impl ItemStore for IdbItems {
    /// `once_more`, as every call of the store.
    async fn put(&mut self, key: &str, bytes: &[u8]) -> Result<(), KvError> {
        self.once_more(async || self.put_once(key, bytes).await)
            .await
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.once_more(async || self.get_once(key).await).await
    }

    async fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.once_more(async || self.remove_once(key).await).await
    }

    async fn keys(&self) -> Result<Vec<String>, KvError> {
        let keys = request(self.transaction(false).await?.1.get_all_keys()).await?;
        Ok(Array::from(&keys)
            .iter()
            .filter_map(|key| key.as_string())
            .collect())
    }
}
