//! The frame of a case's printed document (the report, the police sheet): its actions above it,
//! and the document itself built into its `<article>` by plain DOM calls (`platform::dom`), again
//! whenever the case or the language changes. A case this device does not show gives the
//! missing-case screen instead.

use crate::platform::dom::{el, tapped, El};
use crate::platform::files;
use crate::ui::built::built;
use crate::ui::context::{use_app, AppContext};
use crate::ui::evidence_store;
use crate::ui::i18n::{tr, Lang, T};
use crate::ui::missing_case::MissingCase;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_domain::evidence::EvidenceItem;
use stodrutin_domain::{Case, CaseId, Routine};

/// What a document is built from.
pub struct Printing<'a> {
    pub app: AppContext,
    pub case: &'a Case,
    pub routine: &'static Routine,
    /// The interface's language (the report itself is always in Swedish).
    pub lang: Lang,
    pub pictures: Pictures,
}

/// The `blob:` URLs of the pictures a document shows: revoked when it is built again or leaves.
#[derive(Clone, Copy)]
pub struct Pictures(StoredValue<Vec<String>>);

impl Pictures {
    /// A picture of the evidence, small: its bytes opened and checked like the case's list's,
    /// one at a time with the list's (thirty photos opened at once would hold hundreds of
    /// megabytes on a phone); where they do not open, the frame says so (in Swedish: only the
    /// report, which is, prints pictures).
    pub fn picture(self, app: AppContext, case: &CaseId, item: &EvidenceItem) -> El {
        let frame = el("div").class("evidence-print-thumb");
        let holder = frame.element().clone();
        let (case, item) = (case.clone(), item.clone());
        spawn_local(async move {
            let wanted = {
                let holder = holder.clone();
                move || holder.is_connected()
            };
            let bytes = match evidence_store::check_in_turn(app, &case, &item, wanted).await {
                None => return,
                Some(Ok(bytes)) => bytes,
                Some(Err(_)) => {
                    holder.set_text_content(Some(tr(Lang::Sv, T::PrintPictureUnreadable)));
                    return;
                }
            };
            let Some(url) = item
                .media_type
                .as_deref()
                .and_then(|mime| files::picture_url(&bytes, mime))
            else {
                return;
            };
            // The document was rebuilt or left while the bytes were opened.
            if !holder.is_connected()
                || self
                    .0
                    .try_update_value(|urls| urls.push(url.clone()))
                    .is_none()
            {
                let _ = web_sys::Url::revoke_object_url(&url);
                return;
            }
            let picture = el("img")
                .attr("src", &url)
                .attr("alt", app.t(T::EvidencePictureAlt));
            let _ = holder.append_child(picture.element());
        });
        frame
    }

    fn revoke_all(self) {
        let urls = self.0.try_update_value(std::mem::take).unwrap_or_default();
        for url in urls {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

/// The screen of case `id`'s document: `actions`, then the `<article class=article_class>` that
/// `build` fills and returns.
pub fn printed_case(
    id: CaseId,
    actions: AnyView,
    article_class: &'static str,
    build: fn(&Printing, El) -> El,
) -> impl IntoView {
    let app = use_app();
    let id = StoredValue::new(id);
    let found = Memo::new(move |_| app.case_with_routine(&id.get_value()).is_some());
    let pictures = Pictures(StoredValue::new(Vec::new()));
    let document = built(Box::new(move |host| {
        let lang = app.lang();
        pictures.revoke_all();
        if let Some((case, routine)) = app.case_with_routine(&id.get_value()) {
            let printing = Printing {
                app,
                case: &case,
                routine,
                lang,
                pictures,
            };
            host.push(build(&printing, el("article").class(article_class)));
        }
    }));
    on_cleanup(move || pictures.revoke_all());
    // A call from a phone number on the sheet keeps the app unlocked while it lasts, as the call
    // bar's do.
    let tel_tapped = move |ev: leptos::ev::MouseEvent| {
        if tapped(&ev, "a.tel-link").is_some() {
            app.opened_external.set_value(true);
        }
    };
    view! {
        {move || (!found.get()).then(|| view! { <MissingCase id=id.get_value()/> })}
        <div hidden=move || !found.get() on:click=tel_tapped>
            {actions}
            {document}
        </div>
    }
}
