#![cfg(target_arch = "wasm32")]
//! Browser tests, in headless Chromium: local storage through the platform adapter, and the
//! checklist as a user drives it.

use chrono::{DateTime, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use stodrutin::platform::storage::LocalStorageKv;
use stodrutin::ui::App;

use rand_core::OsRng;
use stodrutin_service::lock::SealedKv;
use stodrutin_service::{CaseService, KeyValue, KvError};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

fn fresh_start() {
    local_storage().clear().unwrap();
    window().location().set_hash("").unwrap();
    serve_packs();
}

/// The test runner's server has no `routines/index.json`: the page's `fetch` answers it with the
/// Oxelösund pack as `make dist` would list it (the app fetches nothing else).
fn serve_packs() {
    use wasm_bindgen::closure::Closure;
    let index = serde_json::json!({
        "packs": [{
            "file": "oxelosund-2018-06-13.json",
            "text": include_str!("../routines/oxelosund-2018-06-13.json"),
        }]
    })
    .to_string();
    let answer = Closure::<dyn Fn(wasm_bindgen::JsValue) -> js_sys::Promise>::new(move |_| {
        let response = web_sys::Response::new_with_opt_str(Some(&index)).unwrap();
        js_sys::Promise::resolve(&wasm_bindgen::JsValue::from(response))
    });
    js_sys::Reflect::set(&window(), &"fetch".into(), answer.as_ref()).unwrap();
    answer.forget();
}

fn wrapper() -> HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

fn all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

/// The button a user would tap: the one with exactly this visible text.
fn button(root: &HtmlElement, text: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text:?}"))
}

/// Clicks `element` and lets the app react.
async fn click(element: &HtmlElement) {
    element.click();
    settle().await;
}

/// Taps the button with exactly this text and lets the app react.
async fn tap(root: &HtmlElement, text: &str) {
    click(&button(root, text)).await;
}

/// Types `text` into an input or a text area as a user would: the value changes, then comes the
/// `input` event the app listens for.
fn type_text(field: &HtmlElement, text: &str) {
    match field.dyn_ref::<HtmlInputElement>() {
        Some(input) => input.set_value(text),
        None => field.unchecked_ref::<HtmlTextAreaElement>().set_value(text),
    }
    field
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Lets the app react: a navigation shows its screen on the `hashchange` event, which the
/// browser queues as a task, so one timer turn passes as well as Leptos' microtask ticks.
async fn settle() {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(timer).await.unwrap();
    for _ in 0..3 {
        tick().await;
    }
}

/// The app's storage as the app opens it (the lock's data key in place: the tests take
/// "Senare", so the key lies in the lock record).
fn opened_storage() -> CaseService<SealedKv<LocalStorageKv>, fn() -> DateTime<Utc>, OsRng> {
    let mut service: CaseService<_, fn() -> DateTime<Utc>, _> = CaseService::new(
        SealedKv::new(LocalStorageKv),
        stodrutin::platform::clock::now,
        OsRng,
    );
    let _ = service.open_storage();
    service
}

/// Every stored case, opened, as stored JSON (the sealed values' plaintext).
fn stored_case_json() -> Vec<String> {
    opened_storage()
        .load_cases()
        .map(|report| {
            report
                .cases
                .iter()
                .map(stodrutin_service::store::encode)
                .collect()
        })
        .unwrap_or_default()
}

/// The first start offers a lock; these tests take "Senare" (later), as a user in a hurry may.
async fn take_lock_offer_later(root: &HtmlElement) {
    if let Some(later) = all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == "Senare – starta utan lås")
    {
        click(&later).await;
    }
}

/// The app mounted in a new element of the page, once it has settled; the handle keeps it
/// mounted, and dropping it unmounts the app as a reload would.
async fn mount_app() -> (HtmlElement, impl Sized) {
    let root = wrapper();
    let handle = mount_to(root.clone(), App);
    // The screen is built in a task after the mount's (`ui::app`): waited for, not guessed.
    for _ in 0..50 {
        settle().await;
        if root.query_selector("main").ok().flatten().is_some() {
            break;
        }
    }
    (root, handle)
}

/// The app mounted and past its lock offer: where a user who takes "Senare" starts.
async fn open_app() -> (HtmlElement, impl Sized) {
    let (root, handle) = mount_app().await;
    take_lock_offer_later(&root).await;
    (root, handle)
}

async fn start_case(root: &HtmlElement) {
    tap(root, "Nytt ärende").await;
    tap(root, "Starta ärendet").await;
}

#[wasm_bindgen_test]
fn local_storage_adapter_round_trips_and_lists_keys() {
    fresh_start();
    let mut kv = LocalStorageKv;
    kv.set("stodrutin.case.x", "värde med åäö").unwrap();
    assert_eq!(
        kv.get("stodrutin.case.x").unwrap().as_deref(),
        Some("värde med åäö")
    );
    assert_eq!(kv.get("missing").unwrap(), None);
    assert!(kv.keys().unwrap().contains(&"stodrutin.case.x".to_owned()));
}

#[wasm_bindgen_test]
fn a_full_storage_is_reported_as_quota_exceeded() {
    fresh_start();
    let mut kv = LocalStorageKv;
    // Chromium allows about 5 MB per origin; 6 MB in one value must be refused.
    let huge = "x".repeat(6 * 1024 * 1024);
    assert_eq!(
        kv.set("stodrutin.test.huge", &huge),
        Err(KvError::QuotaExceeded)
    );
    assert_eq!(kv.get("stodrutin.test.huge").unwrap(), None);
}

#[wasm_bindgen_test]
async fn starting_a_case_and_marking_a_row_is_stored_and_survives_a_remount() {
    fresh_start();
    let (root, handle) = open_app().await;
    assert!(root.text_content().unwrap().contains("Inga ärenden"));

    start_case(&root).await;
    let rows = all(&root, "li.row");
    assert_eq!(rows.len(), 19, "every row of the routine is listed");
    let row = find(&root, "li[data-row='3.1.1-a']");
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("open"));
    assert!(row
        .text_content()
        .unwrap()
        .contains("Den utsatte. Själv eller genom eget valt ombud, t ex initialt stöd"));

    tap(&row, "Klar").await;
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("done"));
    let stored = stored_case_json();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].contains("\"type\":\"row_done\"") && stored[0].contains("3.1.1-a"));

    // A reload: the app starts again from storage alone.
    drop(handle);
    let (root, _handle) = open_app().await;
    let row = find(&root, "li[data-row='3.1.1-a']");
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("done"));
    assert!(find(&root, ".progress")
        .text_content()
        .unwrap()
        .contains("18 av 19"));
}

#[wasm_bindgen_test]
async fn not_applicable_without_a_reason_is_refused_with_an_alert() {
    fresh_start();
    let (root, _handle) = open_app().await;
    start_case(&root).await;
    let before = stored_case_json();

    let row = find(&root, "li[data-row='3.2.3-b']");
    tap(&row, "Ej aktuell").await;
    tap(&row, "Spara").await;
    let alert = find(&row, "[role='alert']");
    assert_eq!(
        alert.text_content().unwrap(),
        "Skriv varför punkten inte är aktuell."
    );
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("open"));
    assert_eq!(stored_case_json(), before, "nothing stored changed");

    type_text(&find(&row, "textarea"), "<b>Ingen</b> mediekontakt");
    tap(&row, "Spara").await;
    assert_eq!(
        row.get_attribute("data-status").as_deref(),
        Some("not-applicable")
    );
    assert!(
        row.text_content()
            .unwrap()
            .contains("<b>Ingen</b> mediekontakt"),
        "shown as plain text"
    );
    assert!(row.query_selector("b").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_note_is_added_to_a_row() {
    fresh_start();
    let (root, _handle) = open_app().await;
    start_case(&root).await;
    let row = find(&root, "li[data-row='3.1.2-a']");
    tap(&row, "Anteckning").await;
    type_text(&find(&row, "textarea"), "Polisen ringd 21.10");
    tap(&row, "Spara anteckningen").await;
    assert_eq!(
        find(&row, ".note-text").text_content().unwrap(),
        "Polisen ringd 21.10"
    );
    let cases = opened_storage().load_cases().unwrap().cases;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].event_count(), 2);
}

#[wasm_bindgen_test]
async fn the_incident_time_must_be_a_time() {
    fresh_start();
    let (root, _handle) = open_app().await;
    tap(&root, "Nytt ärende").await;
    type_text(&find(&root, "#incident-time"), "");
    tap(&root, "Starta ärendet").await;
    assert_eq!(
        find(&root, "[role='alert'].field-error")
            .text_content()
            .unwrap(),
        "Ange datum och klockslag."
    );
    assert!(stored_case_json().is_empty());
}

/// Fills local storage until it refuses more; returns the filler keys.
fn fill_storage() -> Vec<String> {
    let storage = local_storage();
    let chunk = "f".repeat(256 * 1024);
    let mut keys = Vec::new();
    for n in 0.. {
        let key = format!("filler.{n}");
        if storage.set_item(&key, &chunk).is_err() {
            break;
        }
        keys.push(key);
    }
    // Top up with small pieces so even a tiny write fails.
    for n in 0.. {
        if storage
            .set_item(&format!("filler.small.{n}"), &"f".repeat(512))
            .is_err()
        {
            break;
        }
        keys.push(format!("filler.small.{n}"));
    }
    keys
}

#[wasm_bindgen_test]
async fn a_full_storage_keeps_events_in_memory_says_so_and_saves_on_retry() {
    fresh_start();
    let (root, _handle) = open_app().await;
    let fillers = fill_storage();
    assert!(!fillers.is_empty());

    start_case(&root).await;
    let alert = find(&root, "div.alert[role='alert']");
    assert!(
        alert
            .text_content()
            .unwrap()
            .starts_with("Lagringen på telefonen är full."),
        "{:?}",
        alert.text_content()
    );
    assert!(root.text_content().unwrap().contains("Inte sparat"));
    let row = find(&root, "li[data-row='3.1.1-a']");
    tap(&row, "Klar").await;
    assert_eq!(
        row.get_attribute("data-status").as_deref(),
        Some("done"),
        "kept in memory"
    );
    assert!(stored_case_json().is_empty(), "storage refused it");

    for key in &fillers {
        local_storage().remove_item(key).unwrap();
    }
    tap(&root, "Försök spara igen").await;
    let stored = stored_case_json();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].contains("case_opened") && stored[0].contains("row_done"));
    assert_eq!(
        find(&root, "div.alert[role='alert']")
            .text_content()
            .unwrap(),
        ""
    );
    assert!(!root.text_content().unwrap().contains("Inte sparat"));
}

#[wasm_bindgen_test]
async fn damaged_values_are_kept_untouched_and_every_other_case_loads() {
    fresh_start();
    let storage = local_storage();
    let fixture = include_str!("../crates/service/tests/fixtures/storage/schema-1.json");
    storage
        .set_item("stodrutin.case.5c1e0000000000000000000000000001", fixture)
        .unwrap();
    let damaged = [
        (
            "stodrutin.case.a1",
            "{\"schema\":1,\"case\":{\"id\":\"a1\",\"events\":[{\"id\":",
        ),
        ("stodrutin.case.a2", "inte json alls"),
        (
            "stodrutin.case.a3",
            "{\"schema\":1,\"case\":{\"events\":[]}}",
        ),
        (
            "stodrutin.case.a4",
            "{\"schema\":9,\"case\":{\"framtida\":true}}",
        ),
    ];
    for (key, value) in damaged {
        storage.set_item(key, value).unwrap();
    }
    let (root, _handle) = mount_app().await;
    // Opening the app reads and rewrites nothing before the user answers the lock's offer.
    for (key, value) in damaged {
        assert_eq!(
            storage.get_item(key).unwrap().as_deref(),
            Some(value),
            "{key} untouched"
        );
    }
    assert_eq!(
        storage
            .get_item("stodrutin.case.5c1e0000000000000000000000000001")
            .unwrap()
            .as_deref(),
        Some(fixture),
        "reading rewrote nothing"
    );
    take_lock_offer_later(&root).await;

    assert_eq!(all(&root, ".case-link").len(), 1, "the readable case loads");
    let warning = find(&root, ".unreadable").text_content().unwrap();
    assert!(
        warning.contains("4 sparade poster kunde inte läsas"),
        "{warning}"
    );
    assert!(warning.contains("nyare version"), "{warning}");
    button(&root, "Exportera oläsbara data");
    // "Senare" sealed every value under the data key, kept in place; each is listed with its
    // text as stored (sealed), never as opened: the raw export writes nothing in the clear.
    let report = opened_storage().load_cases().unwrap();
    for (key, value) in damaged {
        let kept = report.unreadable.iter().find(|u| u.key == key);
        let stored = storage.get_item(key).unwrap();
        assert_eq!(
            kept.map(|u| u.raw.clone()),
            stored,
            "{key} listed as stored"
        );
        // (Only a newer app's form, a4, is left as that app wrote it.)
        let stored = stored.unwrap();
        assert_eq!(stored == value, key == "stodrutin.case.a4", "{key}");
        if stored != value {
            assert!(
                stored.starts_with("{\"schema\":3,\"sealed\":"),
                "{key} sealed"
            );
            assert!(
                !stored.contains(&value[value.len() / 2..]),
                "{key}: nothing in the clear"
            );
        }
    }
    assert_eq!(report.cases.len(), 1, "the readable case reads back");

    // The old-schema case opens as it was recorded.
    find(&root, ".case-link").click();
    window()
        .dispatch_event(&web_sys::Event::new("hashchange").unwrap())
        .unwrap();
    settle().await;
    let row = find(&root, "li[data-row='3.2.3-b']");
    assert_eq!(
        row.get_attribute("data-status").as_deref(),
        Some("not-applicable")
    );
    assert!(row.text_content().unwrap().contains("Ingen mediekontakt"));
}

/// Sealing uses the browser's randomness (`OsRng` through getrandom and
/// `crypto.getRandomValues`): two seals of the same case differ, and each opens with the right key
/// or passphrase only.
#[wasm_bindgen_test]
fn sealing_works_in_the_browser() {
    use rand_core::OsRng;
    use stodrutin_age::{open_with_key, open_with_passphrase, seal_to_key, AgeError, PrivateKey};
    let key = PrivateKey::generate(&mut OsRng);
    assert_ne!(key.expose(), PrivateKey::generate(&mut OsRng).expose());
    let plain = b"{\"format\":\"stodrutin-case\"}";
    let first = seal_to_key(plain, &key.public(), &mut OsRng).unwrap();
    let second = seal_to_key(plain, &key.public(), &mut OsRng).unwrap();
    assert_ne!(first, second);
    assert_eq!(open_with_key(first.as_bytes(), &key).unwrap(), plain);
    let sealed =
        stodrutin_age::seal_with_passphrase_at(plain, "en lång lösenfras", 10, &mut OsRng).unwrap();
    assert_eq!(
        open_with_passphrase(sealed.as_bytes(), "en lång lösenfras").unwrap(),
        plain
    );
    assert_eq!(
        open_with_passphrase(sealed.as_bytes(), "fel lösenfras"),
        Err(AgeError::WrongPassphrase)
    );
}

/// The support person's form refuses a phone number of letters with a message beside the form,
/// and records nothing; a good number is recorded and shown as dialled.
#[wasm_bindgen_test]
async fn a_form_refuses_letters_for_a_phone_and_keeps_nothing() {
    fresh_start();
    let (root, _handle) = open_app().await;
    start_case(&root).await;
    let form = find(&root, "section[data-form=\"support\"]");
    click(&find(&form, "button")).await;
    let phone = find(&form, "#support-chosen_phone");
    type_text(&phone, "ring Robin");
    click(&find(&form, "#support-consent")).await;
    tap(&form, "Spara").await;
    let alert = find(&form, "[role=\"alert\"]").text_content().unwrap();
    assert!(
        alert.contains("Ange ett telefonnummer med siffror"),
        "{alert}"
    );
    assert!(all(&form, ".entry").is_empty());
    assert!(!stored_case_json().concat().contains("details_recorded"));

    type_text(&phone, "073-444 55 66");
    tap(&form, "Spara").await;
    let entry = find(&form, ".entry").text_content().unwrap();
    assert!(entry.contains("0734445566"), "{entry}");
    assert!(stored_case_json().concat().contains("0734445566"));
}
