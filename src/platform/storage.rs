//! The browser's local storage behind the domain's `KeyValue` interface.

use stodrutin_service::{KeyValue, KvError};
use wasm_bindgen::JsCast;

/// Local storage of this origin. It holds nothing: each call asks the browser, so another tab's
/// writes are always seen.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalStorageKv;

fn storage() -> Result<web_sys::Storage, KvError> {
    web_sys::window()
        .ok_or(KvError::Unavailable)?
        .local_storage()
        .map_err(|_| KvError::Unavailable)?
        .ok_or(KvError::Unavailable)
}

/// Browsers name a full storage differently (`QuotaExceededError`, Firefox's
/// `NS_ERROR_DOM_QUOTA_REACHED`, old code 22).
fn kv_error(err: wasm_bindgen::JsValue) -> KvError {
    match err.dyn_into::<js_sys::Error>() {
        Ok(error) => {
            let name = String::from(error.name());
            if name.contains("Quota") || name.contains("QUOTA") {
                KvError::QuotaExceeded
            } else if name == "SecurityError" {
                KvError::Unavailable
            } else {
                KvError::Other(format!("{name}: {}", String::from(error.message())))
            }
        }
        Err(value) => KvError::Other(format!("{value:?}")),
    }
}

impl KeyValue for LocalStorageKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        storage()?.get_item(key).map_err(kv_error)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        storage()?.set_item(key, value).map_err(kv_error)
    }

    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        storage()?.remove_item(key).map_err(kv_error)
    }

    fn keys(&self) -> Result<Vec<String>, KvError> {
        let storage = storage()?;
        let length = storage.length().map_err(kv_error)?;
        let mut keys = Vec::with_capacity(length as usize);
        for index in 0..length {
            if let Some(key) = storage.key(index).map_err(kv_error)? {
                keys.push(key);
            }
        }
        Ok(keys)
    }
}

/// Asks the browser to keep this site's data from automatic clearing
/// (`navigator.storage.persist()`). `None` where the browser has no such request.
pub async fn request_persistence() -> Option<bool> {
    let manager = web_sys::window()?.navigator().storage();
    if let Ok(promise) = manager.persisted() {
        if let Ok(value) = wasm_bindgen_futures::JsFuture::from(promise).await {
            if value.as_bool() == Some(true) {
                return Some(true);
            }
        }
    }
    let promise = manager.persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_bool()
}
