//! The routine packs the build ships: `make dist` writes them into `routines/index.json` (the
//! files chosen with `ROUTINES=…`, each as its exact text), and the service worker precaches it,
//! so they load offline as the page does. Same origin only.

use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the build puts the list.
const INDEX: &str = "routines/index.json";

#[derive(Deserialize)]
struct Index {
    packs: Vec<ShippedFile>,
}

#[derive(Deserialize)]
struct ShippedFile {
    file: String,
    text: String,
}

/// Why the list was not read: the message is for the developer's console and the app's alert.
pub enum PacksError {
    /// No answer (offline before the service worker is in control) or not found.
    Unavailable,
    /// Not the list `make dist` writes.
    NotAnIndex,
}

/// `(file name, text)` of every shipped pack, in the build's order.
pub async fn shipped() -> Result<Vec<(String, String)>, PacksError> {
    let window = web_sys::window().ok_or(PacksError::Unavailable)?;
    let response = JsFuture::from(window.fetch_with_str(INDEX))
        .await
        .map_err(|_| PacksError::Unavailable)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| PacksError::Unavailable)?;
    if !response.ok() {
        return Err(PacksError::Unavailable);
    }
    let text = JsFuture::from(response.text().map_err(|_| PacksError::Unavailable)?)
        .await
        .map_err(|_| PacksError::Unavailable)?
        .as_string()
        .ok_or(PacksError::NotAnIndex)?;
    let index: Index = serde_json::from_str(&text).map_err(|_| PacksError::NotAnIndex)?;
    Ok(index
        .packs
        .into_iter()
        .map(|pack| (pack.file, pack.text))
        .collect())
}
