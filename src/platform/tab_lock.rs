//! One tab at a time: the Web Locks API (`navigator.locks`), which every tab of the origin
//! shares. An unlock attempt reads the failed-attempt counter, raises and stores it, then
//! derives the key; two tabs doing that at the same moment both read the same count, and two
//! guesses counted once (tests/e2e/lock.test.mjs: four tabs' guesses at one instant counted as
//! two). Holding one lock across the read and the write makes every tab's attempt see the one
//! before it, so the waits and the wipe count every guess.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

// The lock is held while the promise the grant callback returns is pending. Made in JavaScript:
// the same closures made from Rust cost about 1 KB of wasm gzip. The module is a file of the
// build (script-src 'self'), not inline script. One tab holds at most one lock at a time (the
// unlock attempt's), so one release function is kept.
#[wasm_bindgen(inline_js = r#"
let held = null;
export function takeLock(name) {
  return new Promise((granted) => {
    const locks = globalThis.navigator && navigator.locks;
    if (!locks) return granted();
    const hold = () => new Promise((release) => {
      held = release;
      // A trap in the attempt never reaches the guard's drop: the lock goes at the latest
      // 10 s on, rather than with the tab. (It is held only across work that does not wait,
      // so this timer cannot run while the work does.)
      setTimeout(release, 10000);
      granted();
    });
    locks.request(name, hold).catch(() => granted());
  });
}
export function releaseLock() {
  const release = held;
  held = null;
  if (release) release();
}
"#)]
extern "C" {
    /// Resolves once `name` is granted to this tab; where there is no lock to take (no Web
    /// Locks), at once; when the request is refused, then, and the attempt runs without it.
    #[wasm_bindgen(js_name = takeLock)]
    fn take_lock(name: &str) -> js_sys::Promise;
    /// Lets the lock `take_lock` took go.
    #[wasm_bindgen(js_name = releaseLock)]
    fn release_lock();
}

/// The lock every unlock attempt takes, in any tab.
pub const UNLOCK_ATTEMPT: &str = "stodrutin.unlock-attempt";

/// The lock held by this tab; dropping it lets the next tab in. Holds nothing where the browser
/// has no Web Locks (Safari before 15.4): there, tabs' attempts run as they happen to.
pub struct HeldLock(());

impl Drop for HeldLock {
    fn drop(&mut self) {
        release_lock();
    }
}

/// Waits until no other tab holds `name`, then holds it. Hold it only across work that does not
/// wait: the other tabs wait as long, and this tab takes no second lock meanwhile. Not to be
/// cancelled (dropped unfinished, in a `select` or a timeout): a lock granted later would be
/// held by no guard, for 10 s.
pub async fn exclusive(name: &str) -> HeldLock {
    let _ = JsFuture::from(take_lock(name)).await;
    HeldLock(())
}
