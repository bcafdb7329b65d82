//! Files in and out: the phone's share sheet where the browser has one for files, a download
//! elsewhere, and reading a chosen or dropped file.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, FilePropertyBag};

pub const JSON: &str = "application/json";
/// Armored age files: text, so any channel carries them.
pub const AGE: &str = "text/plain";
pub const CALENDAR: &str = "text/calendar";

/// Why a file did not leave the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// The user closed the share sheet: nothing to report.
    Cancelled,
    /// The browser could not make or save the file.
    Failed(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Cancelled => f.write_str("the share was cancelled"),
            SendError::Failed(why) => write!(f, "the file was not sent: {why}"),
        }
    }
}

impl std::error::Error for SendError {}

fn failed(err: JsValue) -> SendError {
    SendError::Failed(format!("{err:?}"))
}

/// How the file left the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sent {
    Shared,
    Downloaded,
}

/// The file's content as a blob part: bytes, so one path carries text and pictures.
fn parts(bytes: &[u8]) -> js_sys::Array {
    js_sys::Array::of1(&js_sys::Uint8Array::from(bytes))
}

/// Offers the file to the share sheet (Web Share API with files) where the browser can share
/// files, and downloads it otherwise or when sharing fails for any reason but the user's cancel.
pub async fn send(name: &str, bytes: &[u8], mime: &str) -> Result<Sent, SendError> {
    let window = web_sys::window().ok_or_else(|| SendError::Failed("no window".into()))?;
    let navigator = window.navigator();
    let file = file_in_steps(name, bytes, mime).await?;
    let files = js_sys::Array::of1(&file);
    let data = js_sys::Object::new();
    js_sys::Reflect::set(&data, &"files".into(), &files).map_err(failed)?;
    let can_share = js_sys::Reflect::get(&navigator, &"canShare".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&navigator, &data).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if can_share {
        let share = js_sys::Reflect::get(&navigator, &"share".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(share) = share {
            if let Ok(promise) = share.call1(&navigator, &data) {
                match JsFuture::from(js_sys::Promise::from(promise)).await {
                    Ok(_) => return Ok(Sent::Shared),
                    Err(err) if is_abort(&err) => return Err(SendError::Cancelled),
                    Err(_) => {}
                }
            }
        }
    }
    download_blob(name, &file)?;
    Ok(Sent::Downloaded)
}

/// The bytes as a browser file, copied out of the app's memory a share at a time with a pause
/// for the page between: a 50 MB case file copied at once would hold the page for a second on a
/// slow phone. The file is made of the parts, which the browser joins without a copy.
async fn file_in_steps(name: &str, bytes: &[u8], mime: &str) -> Result<File, SendError> {
    let blobs = js_sys::Array::new();
    let mut pacer = crate::platform::clock::Pacer::start();
    for piece in bytes.chunks(crate::platform::clock::STEP_BYTES) {
        let blob = Blob::new_with_u8_array_sequence(&parts(piece)).map_err(failed)?;
        blobs.push(&blob);
        pacer.tick().await;
    }
    let options = FilePropertyBag::new();
    options.set_type(mime);
    File::new_with_blob_sequence_and_options(&blobs, name, &options).map_err(failed)
}

fn is_abort(err: &JsValue) -> bool {
    err.dyn_ref::<js_sys::Error>()
        .is_some_and(|e| e.name() == "AbortError")
}

/// Saves the bytes as a file through the browser's download.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), SendError> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        Blob::new_with_u8_array_sequence_and_options(&parts(bytes), &options).map_err(failed)?;
    download_blob(name, &blob)
}

/// Saves a blob (a file made in steps) through the browser's download.
fn download_blob(name: &str, blob: &Blob) -> Result<(), SendError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| SendError::Failed("no document".into()))?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(failed)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    // In the page while it is clicked, and the URL revoked a little later rather than at once:
    // WebKit and Firefox may fail a download whose link is detached or whose blob URL is gone
    // when the click returns. Ten seconds keep the bytes reachable no longer than needed.
    let body = document.body();
    if let Some(body) = &body {
        let _ = body.append_child(&anchor);
    }
    anchor.click();
    anchor.remove();
    PENDING_DOWNLOADS.with(|pending| pending.borrow_mut().push(url.clone()));
    wasm_bindgen_futures::spawn_local(async move {
        crate::platform::clock::after(10_000).await;
        revoke_download(&url);
    });
    Ok(())
}

thread_local! {
    /// The `blob:` URLs of downloads the browser may still be reading (`download_blob`).
    static PENDING_DOWNLOADS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn revoke_download(url: &str) {
    PENDING_DOWNLOADS.with(|pending| pending.borrow_mut().retain(|u| u != url));
    let _ = web_sys::Url::revoke_object_url(url);
}

/// Revokes every download's URL now (at a lock: a case file's bytes are not left reachable
/// behind the lock screen).
pub fn revoke_downloads() {
    let urls = PENDING_DOWNLOADS.with(|pending| std::mem::take(&mut *pending.borrow_mut()));
    for url in urls {
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// The bytes of a chosen or dropped file (a case file is JSON or an age file, armored or
/// binary), refusing files larger than `max_bytes` unread.
pub async fn read_bytes(file: &File, max_bytes: usize) -> Result<Vec<u8>, ReadFileError> {
    if file.size() > max_bytes as f64 {
        return Err(ReadFileError::TooLarge);
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| ReadFileError::Unreadable)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A `blob:` URL for bytes of a type the browser shows as a picture (the CSP allows `blob:`
/// for images only). The caller revokes it when the picture leaves the screen.
pub fn picture_url(bytes: &[u8], mime: &str) -> Option<String> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts(bytes), &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The bytes of a chosen file and their SHA-256 (lowercase hex), refusing files larger than
/// `max_bytes` unread. The digest is taken a share at a time with a pause for the page now and
/// then (`clock::Pacer`), `progress` told the share done (0.0 to 1.0): a 25 MB photo keeps the
/// page responsive while it is hashed.
pub async fn read_hashed(
    file: &File,
    max_bytes: u64,
    progress: impl Fn(f64),
) -> Result<(Vec<u8>, String), ReadFileError> {
    use sha2::{Digest, Sha256};
    let bytes = read_bytes(file, max_bytes as usize).await?;
    let mut hasher = Sha256::new();
    let mut pacer = crate::platform::clock::Pacer::start();
    let mut done = 0;
    for piece in bytes.chunks(crate::platform::clock::STEP_BYTES) {
        hasher.update(piece);
        done += piece.len();
        if pacer.tick().await {
            progress(done as f64 / bytes.len() as f64);
        }
    }
    progress(1.0);
    let digest = stodrutin_domain::digest::hex(&hasher.finalize());
    Ok((bytes, digest))
}

/// Puts text on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), SendError> {
    let window = web_sys::window().ok_or_else(|| SendError::Failed("no window".into()))?;
    JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(failed)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFileError {
    TooLarge,
    Unreadable,
}
