#![cfg(target_arch = "wasm32")]
//! Browser tests, in headless Chromium: evidence bytes in IndexedDB through the platform adapter.
//! The tests run one after another; each starts from an empty store.

use stodrutin::platform::items::IdbItems;
use stodrutin_service::ItemStore;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn empty() -> IdbItems {
    let mut items = IdbItems::open().await.unwrap();
    items.clear().await.unwrap();
    items
}

/// Bytes that are not all alike, so a shifted or truncated copy shows.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[wasm_bindgen_test]
async fn put_then_get_returns_the_same_bytes() {
    let mut items = empty().await;
    items.put("case-a/1", b"hello").await.unwrap();
    items.put("case-a/empty", b"").await.unwrap();
    let large = pattern(3 * 1024 * 1024, 7);
    items.put("case-a/large", &large).await.unwrap();

    assert_eq!(
        items.get("case-a/1").await.unwrap().as_deref(),
        Some(&b"hello"[..])
    );
    assert_eq!(items.get("case-a/empty").await.unwrap(), Some(Vec::new()));
    assert_eq!(items.get("case-a/large").await.unwrap(), Some(large));
}

#[wasm_bindgen_test]
async fn put_replaces_the_bytes_under_a_key() {
    let mut items = empty().await;
    items.put("k", b"first").await.unwrap();
    items.put("k", b"second").await.unwrap();
    assert_eq!(items.get("k").await.unwrap(), Some(b"second".to_vec()));
    assert_eq!(items.keys().await.unwrap(), vec!["k".to_owned()]);
}

#[wasm_bindgen_test]
async fn a_missing_key_is_none() {
    let mut items = empty().await;
    assert_eq!(items.get("nothing/here").await.unwrap(), None);
    items.remove("nothing/here").await.unwrap();
    assert_eq!(items.keys().await.unwrap(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn keys_lists_every_item_and_remove_deletes_one() {
    let mut items = empty().await;
    for key in ["b/2", "a/1", "b/1"] {
        items.put(key, key.as_bytes()).await.unwrap();
    }
    assert_eq!(items.keys().await.unwrap(), vec!["a/1", "b/1", "b/2"]);

    items.remove("b/1").await.unwrap();
    assert_eq!(items.keys().await.unwrap(), vec!["a/1", "b/2"]);
    assert_eq!(items.get("b/1").await.unwrap(), None);
    assert_eq!(items.get("b/2").await.unwrap(), Some(b"b/2".to_vec()));
}

#[wasm_bindgen_test]
async fn remove_prefix_removes_only_that_prefix() {
    let mut items = empty().await;
    for key in [
        "case-1/a",
        "case-1/b",
        "case-1/ü/ä",
        "case-10/a",
        "case-1",
        "case-0/a",
        "case-2/a",
    ] {
        items.put(key, b"x").await.unwrap();
    }
    items.remove_prefix("case-1/").await.unwrap();
    assert_eq!(
        items.keys().await.unwrap(),
        vec!["case-0/a", "case-1", "case-10/a", "case-2/a"]
    );
}

#[wasm_bindgen_test]
async fn clear_deletes_everything() {
    let mut items = empty().await;
    items.put("a", b"1").await.unwrap();
    items.put("b/c", b"2").await.unwrap();
    items.clear().await.unwrap();
    assert_eq!(items.keys().await.unwrap(), Vec::<String>::new());
    assert_eq!(items.get("a").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn items_survive_closing_and_reopening() {
    let mut items = empty().await;
    let bytes = pattern(100_000, 3);
    items.put("kept/1", &bytes).await.unwrap();
    items.close();
    drop(items);

    let reopened = IdbItems::open().await.unwrap();
    assert_eq!(reopened.keys().await.unwrap(), vec!["kept/1"]);
    assert_eq!(reopened.get("kept/1").await.unwrap(), Some(bytes));
}

/// The browser may close the connection under the app (WebKit does after it was in the
/// background): the next call opens a new one, for every clone of the handle.
#[wasm_bindgen_test]
async fn a_closed_connection_is_opened_again() {
    let mut items = empty().await;
    let clone = items.clone();
    items.close();
    items.put("x", b"1").await.unwrap();
    assert_eq!(clone.get("x").await.unwrap(), Some(b"1".to_vec()));
    clone.close();
    assert_eq!(items.keys().await.unwrap(), vec!["x"]);
}

#[wasm_bindgen_test]
async fn add_leaves_an_item_already_there_as_it_is() {
    let mut items = empty().await;
    assert_eq!(items.add("case-a/1", b"first").await, Ok(true));
    assert_eq!(items.add("case-a/1", b"second").await, Ok(false));
    assert_eq!(
        items.get("case-a/1").await.unwrap(),
        Some(b"first".to_vec())
    );
    assert_eq!(items.add("case-a/2", b"other").await, Ok(true));
    assert_eq!(items.keys().await.unwrap(), vec!["case-a/1", "case-a/2"]);
}

/// WebKit closes the app's connection while it is in the background: the moment the lock
/// screen's wipe, or a deletion, comes. Both still reach the items.
#[wasm_bindgen_test]
async fn a_deletion_and_a_wipe_reach_the_items_after_the_browser_closed_the_connection() {
    use stodrutin::ui::evidence_store;
    use stodrutin_domain::CaseId;
    let mut items = empty().await;
    for key in ["c1/a", "c1/b", "c2/a"] {
        items.put(key, b"sealed").await.unwrap();
    }
    evidence_store::items().await.unwrap().close();
    evidence_store::remove_case(&CaseId("c1".into())).await;
    assert_eq!(items.keys().await.unwrap(), vec!["c2/a"]);

    evidence_store::items().await.unwrap().close();
    evidence_store::remove_all().await;
    assert_eq!(items.keys().await.unwrap(), Vec::<String>::new());
}
