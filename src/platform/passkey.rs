//! Passkeys with the WebAuthn PRF extension: the phone's own screen lock or fingerprint yields 32
//! secret bytes (the PRF output for a salt the app chose), from which the service derives the key
//! that unwraps the data key. Nothing here decides anything: it asks the browser and hands the
//! bytes on. Support is found by trying: a passkey is kept only once a PRF output came back.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

/// Why no PRF output came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasskeyError {
    /// The browser has no WebAuthn (or no platform authenticator).
    Unsupported,
    /// The passkey was made or used, but the authenticator gave no PRF output.
    NoPrf,
    /// The user cancelled, or the phone refused (no screen lock set, timeout).
    Cancelled,
}

impl std::fmt::Display for PasskeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PasskeyError::Unsupported => "this browser has no passkeys",
            PasskeyError::NoPrf => "the passkey gives no PRF output",
            PasskeyError::Cancelled => "the passkey was not used",
        })
    }
}

impl std::error::Error for PasskeyError {}

/// A passkey made for this device: its credential id, and the PRF output for `salt`.
pub struct NewPasskey {
    pub credential_id: Vec<u8>,
    pub prf_output: Zeroizing<[u8; 32]>,
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        set(&object, key, value);
    }
    object
}

fn bytes(data: &[u8]) -> JsValue {
    Uint8Array::from(data).buffer().into()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    // The challenge and user handle need not be secret: the app checks no assertion (the PRF
    // output is what unlocks), so getrandom failing would only weaken nothing that matters.
    let _ = getrandom::getrandom(&mut out);
    out
}

fn credentials() -> Result<JsValue, PasskeyError> {
    let window = web_sys::window().ok_or(PasskeyError::Unsupported)?;
    if Reflect::get(&window, &"PublicKeyCredential".into())
        .map(|v| v.is_undefined())
        .unwrap_or(true)
    {
        return Err(PasskeyError::Unsupported);
    }
    let credentials = Reflect::get(&window.navigator(), &"credentials".into())
        .map_err(|_| PasskeyError::Unsupported)?;
    if credentials.is_undefined() {
        return Err(PasskeyError::Unsupported);
    }
    Ok(credentials)
}

async fn call(method: &str, options: &Object) -> Result<JsValue, PasskeyError> {
    let credentials = credentials()?;
    let function: js_sys::Function = Reflect::get(&credentials, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(PasskeyError::Unsupported)?;
    let promise: js_sys::Promise = function
        .call1(&credentials, options)
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or(PasskeyError::Unsupported)?;
    JsFuture::from(promise)
        .await
        .map_err(|_| PasskeyError::Cancelled)
}

fn prf_extension(salt: &[u8; 32]) -> Object {
    object(&[(
        "prf",
        object(&[("eval", object(&[("first", bytes(salt))]).into())]).into(),
    )])
}

/// The PRF output in a credential's client extension results, if any.
fn prf_output(credential: &JsValue) -> Option<Zeroizing<[u8; 32]>> {
    let results: js_sys::Function = Reflect::get(credential, &"getClientExtensionResults".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let results = results.call0(credential).ok()?;
    let first = Reflect::get(&results, &"prf".into())
        .and_then(|prf| Reflect::get(&prf, &"results".into()))
        .and_then(|r| Reflect::get(&r, &"first".into()))
        .ok()?;
    if first.is_undefined() || first.is_null() {
        return None;
    }
    let view = Uint8Array::new(&first);
    let mut out = Zeroizing::new([0u8; 32]);
    if view.length() != 32 {
        return None;
    }
    view.copy_to(out.as_mut_slice());
    view.fill(0, 0, 32);
    Some(out)
}

fn raw_id(credential: &JsValue) -> Option<Vec<u8>> {
    let id = Reflect::get(credential, &"rawId".into()).ok()?;
    Some(Uint8Array::new(&id).to_vec())
}

/// Makes a passkey on this phone (its screen lock or fingerprint) and asks it at once for the
/// PRF output for `salt`: kept only if that comes back.
pub async fn create(salt: &[u8; 32], user_name: &str) -> Result<NewPasskey, PasskeyError> {
    let host = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default();
    let public_key = object(&[
        (
            "rp",
            object(&[("name", "Stödrutin".into()), ("id", host.into())]).into(),
        ),
        (
            "user",
            object(&[
                ("id", bytes(&random_bytes::<16>())),
                ("name", user_name.into()),
                ("displayName", user_name.into()),
            ])
            .into(),
        ),
        ("challenge", bytes(&random_bytes::<32>())),
        (
            "pubKeyCredParams",
            Array::of2(
                &object(&[("type", "public-key".into()), ("alg", (-7).into())]),
                &object(&[("type", "public-key".into()), ("alg", (-257).into())]),
            )
            .into(),
        ),
        (
            "authenticatorSelection",
            object(&[
                ("userVerification", "required".into()),
                ("residentKey", "preferred".into()),
            ])
            .into(),
        ),
        ("timeout", 120_000.into()),
        ("extensions", prf_extension(salt).into()),
    ]);
    let created = call("create", &object(&[("publicKey", public_key.into())])).await?;
    let credential_id = raw_id(&created).ok_or(PasskeyError::NoPrf)?;
    // Some authenticators give the PRF output at creation; the others at the first use.
    let prf_output = match prf_output(&created) {
        Some(output) => output,
        None => evaluate(&credential_id, salt).await?,
    };
    Ok(NewPasskey {
        credential_id,
        prf_output,
    })
}

/// Asks the passkey `credential_id` (the phone's screen lock or fingerprint) for the PRF output
/// for `salt`.
pub async fn evaluate(
    credential_id: &[u8],
    salt: &[u8; 32],
) -> Result<Zeroizing<[u8; 32]>, PasskeyError> {
    let allowed = object(&[("type", "public-key".into()), ("id", bytes(credential_id))]);
    let public_key = object(&[
        ("challenge", bytes(&random_bytes::<32>())),
        ("allowCredentials", Array::of1(&allowed).into()),
        ("userVerification", "required".into()),
        ("timeout", 120_000.into()),
        ("extensions", prf_extension(salt).into()),
    ]);
    let asserted = call("get", &object(&[("publicKey", public_key.into())])).await?;
    prf_output(&asserted).ok_or(PasskeyError::NoPrf)
}

/// Whether this browser offers WebAuthn at all (the PRF extension is found only by trying).
pub fn available() -> bool {
    credentials().is_ok()
}
