//! One saved item of evidence in the case's list, and one witness. A file item's stored bytes
//! are opened and checked against the recorded SHA-256 when the entry is shown; a picture of a
//! type the browser shows without running anything appears through a `blob:` URL, every other
//! file (an SVG, an HTML page, a PDF) only as a download, never opened in the app's origin.

use crate::platform::dom::{el, text_el, El};
use crate::platform::{clock, files};
use crate::ui::built::built;
use crate::ui::context::use_app;
use crate::ui::evidence_store;
use crate::ui::i18n::{author_text, evidence_kind, size_text, tr, Lang, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_domain::evidence::{EvidenceItem, Witness};
use stodrutin_domain::{CaseId, Recorded};
use stodrutin_service::evidence::ItemError;

/// Where the check of a file item's bytes stands. The bytes themselves are not kept: a
/// download opens and checks them again.
#[derive(Clone)]
enum Check {
    Checking,
    /// The bytes match; with a picture's URL when it is one to show.
    Verified(Option<String>),
    Failed(ItemError),
}

#[component]
pub fn EvidenceEntry(case_id: CaseId, recorded: Recorded<EvidenceItem>) -> impl IntoView {
    let app = use_app();
    let Recorded { at, by, what: item } = recorded;
    let check = RwSignal::new(Check::Checking);
    if item.kind.has_file() {
        let item = item.clone();
        let case_id = case_id.clone();
        spawn_local(async move {
            let wanted = move || check.try_get_untracked().is_some();
            let Some(outcome) = evidence_store::check_in_turn(app, &case_id, &item, wanted).await
            else {
                return;
            };
            let next = match outcome {
                Ok(bytes) => Check::Verified(
                    item.is_viewable_image()
                        .then(|| files::picture_url(&bytes, item.media_type.as_deref()?))
                        .flatten(),
                ),
                Err(err) => Check::Failed(err),
            };
            // The entry left the screen while the bytes were read: its picture is let go now.
            if let Some(Check::Verified(Some(url))) = check.try_set(next) {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        });
        on_cleanup(move || {
            if let Some(Check::Verified(Some(url))) = check.try_get_untracked() {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        });
    }
    let download_name = item
        .file_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| item.archive_name().replace("evidence/", ""));
    let download = {
        let (case_id, item) = (case_id.clone(), item.clone());
        move |_| {
            let (case_id, item, name) = (case_id.clone(), item.clone(), download_name.clone());
            spawn_local(async move {
                match evidence_store::load(app, &case_id, &item).await {
                    // Always a download with a neutral type: never opened as a document here.
                    Ok(bytes) => {
                        let _ = files::download(&name, &bytes, "application/octet-stream");
                        // Read this time, and checked against its SHA-256.
                        let _ = check.try_update(|shown| {
                            if matches!(shown, Check::Failed(ItemError::Unavailable)) {
                                *shown = Check::Verified(None);
                            }
                        });
                    }
                    Err(err) => {
                        // Its picture goes too: what no longer checks is not shown.
                        if let Some(Check::Verified(Some(url))) = check.try_set(Check::Failed(err))
                        {
                            let _ = web_sys::Url::revoke_object_url(&url);
                        }
                    }
                }
            });
        }
    };
    let has_file = item.kind.has_file();
    let is_link = item.kind == stodrutin_domain::evidence::EvidenceKind::Link;
    let item_id = item.id.clone();
    // What the entry says, built whole (`platform::dom`): again when its picture is ready or
    // the language changes (every text is read in the closure).
    let shown = built(Box::new(move |host: &El| {
        let lang = app.lang();
        let channel = item.channel.map(|c| c.name().get(lang).to_owned());
        let details: Vec<(T, String)> = [
            (T::EvidenceFileName, item.file_name.clone()),
            (
                T::EvidenceSize,
                item.kind.has_file().then(|| size_text(lang, item.size)),
            ),
            (T::EvidenceMediaType, item.media_type.clone()),
            (
                T::EvidenceFileTime,
                item.file_modified.map(clock::display_local),
            ),
            (T::EvidenceChannel, channel),
            (T::EvidencePlatform, item.platform.clone()),
            (T::EvidenceSender, item.sender.clone()),
            (T::EvidenceKeptWhere, item.kept_where.clone()),
            (T::EvidenceNote, item.note.clone()),
        ]
        .into_iter()
        .filter_map(|(label, value)| Some((label, value?)))
        .collect();
        let picture_alt = match &item.file_name {
            Some(name) => format!("{}: {name}", app.t(T::EvidencePictureAlt)),
            None => app.t(T::EvidencePictureAlt).to_owned(),
        };
        let meta = format!(
            " · {} · {}",
            clock::display_local(at),
            author_text(&by, lang)
        );
        host.push(
            el("p")
                .child(text_el("strong", "", evidence_kind(lang, item.kind)))
                .child(text_el("span", "meta", &meta)),
        );
        if let Check::Verified(Some(url)) = check.get() {
            host.push(
                el("img")
                    .class("evidence-thumb")
                    .attr("src", &url)
                    .attr("alt", &picture_alt),
            );
        }
        if let Some(text) = &item.text {
            host.push(if is_link {
                el("p")
                    .class("evidence-link")
                    .child(text_el("code", "", text))
            } else {
                text_el("blockquote", "evidence-message", text)
            });
        }
        let list = el("dl").class("evidence-details");
        for (label, value) in &details {
            list.push(pair(tr(lang, *label), text_el("dd", "", value)));
        }
        list.push(pair(
            "SHA-256",
            el("dd").child(text_el("code", "sha256", &item.sha256)),
        ));
        host.push(list);
    }));
    view! {
        <li class="evidence-entry" data-evidence=item_id>
            {shown}
            {has_file.then(|| view! {
                <p class="evidence-check" data-check=move || match check.get() {
                    Check::Checking => "checking",
                    Check::Verified(..) => "verified",
                    Check::Failed(ItemError::Missing) => "missing",
                    Check::Failed(ItemError::Unavailable) => "unavailable",
                    Check::Failed(_) => "damaged",
                }>
                    {move || app.t(match check.get() {
                        Check::Checking => T::EvidenceChecking,
                        Check::Verified(..) => T::EvidenceVerified,
                        Check::Failed(ItemError::Missing) => T::EvidenceMissing,
                        Check::Failed(ItemError::Unavailable) => T::EvidenceUnavailable,
                        Check::Failed(_) => T::EvidenceDamaged,
                    })}
                </p>
                // Enabled too when the store did not answer: the tap is the next try.
                <button type="button" class="secondary"
                    disabled=move || !matches!(check.get(), Check::Verified(..) | Check::Failed(ItemError::Unavailable))
                    on:click=download>
                    {app.tx(T::EvidenceDownloadOriginal)}
                </button>
            })}
        </li>
    }
}

/// One witness: name and phone, what they saw, when and by whom it was noted.
pub fn witness_entry(recorded: &Recorded<Witness>, lang: Lang) -> El {
    let Recorded { at, by, what } = recorded;
    let name = el("p").child(text_el("strong", "", &what.name));
    if let Some(phone) = &what.phone {
        name.push(text_el("span", "", &format!(" · {phone}")));
    }
    el("li")
        .class("witness-entry")
        .child(name)
        .maybe(what.saw.as_deref().map(|saw| text_el("p", "", saw)))
        .child(text_el(
            "p",
            "meta",
            &format!("{} · {}", clock::display_local(*at), author_text(by, lang)),
        ))
}

/// `<div class="pair"><dt>label</dt>dd</div>`.
fn pair(label: &str, value: El) -> El {
    el("div")
        .class("pair")
        .child(text_el("dt", "", label))
        .child(value)
}
