//! What the case's routine pack adds beside its rows: which routine it is (and whether it is only
//! an example), the routine's own contacts with their hours and out-of-hours route, and its
//! checklists by how the threat arrived. Folded by default: the rows come first at the scene.

use crate::platform::dom::{el, tapped, text_el, El};
use crate::ui::built::built;
use crate::ui::context::use_app;
use crate::ui::i18n::{role_name, tr, Lang, T};
use leptos::prelude::*;
use stodrutin_domain::routine::{Channel, Contact};
use stodrutin_domain::Routine;

/// A number as the pack writes it becomes a call. From a pack this build ships, one tap; from a
/// pack that came with an imported case, the user confirms the number first: a file must not be
/// able to put a one-tap call to anyone on the screen (the link is only made once asked for, by
/// `confirm_call`).
fn pack_call(number: &str, label: &str, shipped: bool) -> El {
    let shown = |element: El| {
        element
            .text(label)
            .text(" ")
            .child(text_el("span", "number", number))
    };
    if shipped {
        return shown(
            el("a")
                .class("button call")
                .attr("href", &format!("tel:{number}")),
        );
    }
    el("div")
        .class("carried-call")
        .attr("data-number", number)
        .child(shown(
            el("button")
                .class("button secondary ask")
                .attr("type", "button"),
        ))
}

/// The confirmation a carried pack's number asks for, with the call it makes.
fn confirm_call(number: &str, lang: Lang) -> El {
    el("div")
        .class("call-confirm")
        .child(
            text_el(
                "p",
                "warning",
                &format!("{} {number}", tr(lang, T::ConfirmCarriedCall)),
            )
            .attr("role", "alert"),
        )
        .child(
            el("div")
                .class("button-row")
                .child(
                    text_el("a", "button call", tr(lang, T::CallAnyway))
                        .attr("href", &format!("tel:{number}")),
                )
                .child(
                    text_el("button", "button secondary", tr(lang, T::Cancel))
                        .attr("type", "button"),
                ),
        )
}

fn contact_view(contact: &Contact, lang: Lang, shipped: bool) -> El {
    let name = contact.name.get(lang);
    let item = el("li")
        .class("contact")
        .child(text_el("p", "contact-name", name));
    if let Some(hours) = &contact.hours {
        item.push(text_el("p", "help", hours.get(lang)));
    }
    if let Some(number) = &contact.phone {
        item.push(pack_call(number, name, shipped));
    }
    if let Some(out) = &contact.out_of_hours {
        let label = format!("{}: {}", tr(lang, T::OutOfHours), out.name.get(lang));
        item.push(pack_call(&out.phone, &label, shipped));
    }
    item
}

fn channel_names(channels: &[Channel], lang: Lang) -> String {
    channels
        .iter()
        .map(|c| c.name().get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The guide, a `<details>` (built with `platform::dom` once per language: it holds no state but
/// the confirmations, which its clicks make).
fn guide(routine: &Routine, shipped: bool, lang: Lang) -> El {
    let prov = &routine.provenance;
    let about = format!(
        "{} ({} {}, {} {})",
        routine.title(lang),
        tr(lang, T::Adopted),
        prov.adopted,
        tr(lang, T::PackVersion),
        routine.version
    );
    let roles = el("ul").class("roles");
    for role in &routine.roles {
        let actor = format!(
            " ({}: {})",
            tr(lang, T::RoleInApp),
            role_name(role.actor, lang)
        );
        roles.push(
            el("li")
                .text(role.title.get(lang))
                .child(text_el("span", "help", &actor)),
        );
    }
    let details = el("details")
        .class("routine-guide")
        .child(text_el(
            "summary",
            "",
            &format!(
                "{}: {}",
                tr(lang, T::RoutineFollowed),
                prov.organisation.get(lang)
            ),
        ))
        .child(text_el("p", "", &about))
        .child(text_el("p", "help", prov.source.get(lang)))
        .maybe(
            routine
                .example
                .then(|| text_el("p", "warning", tr(lang, T::ExampleRoutineNotice))),
        )
        .maybe((!shipped).then(|| text_el("p", "help", tr(lang, T::CarriedRoutine))))
        .child(text_el("h3", "", tr(lang, T::RoutineRoles)))
        .child(roles);
    if !routine.contacts.is_empty() {
        details.push(text_el("h3", "", tr(lang, T::RoutineContacts)));
        let contacts = el("ul").class("contacts");
        for contact in &routine.contacts {
            contacts.push(contact_view(contact, lang, shipped));
        }
        details.push(contacts);
    }
    if !routine.checklists.is_empty() {
        details.push(text_el("h3", "", tr(lang, T::Checklists)));
    }
    for list in &routine.checklists {
        let items = el("ul");
        for item in &list.items {
            items.push(text_el("li", "", item.get(lang)));
        }
        details.push(
            el("details")
                .class("checklist")
                .attr("data-checklist", list.id.as_str())
                .child(text_el("summary", "", list.title.get(lang)))
                .child(text_el("p", "help", &channel_names(&list.channels, lang)))
                .child(items),
        );
    }
    details
}

#[component]
pub fn RoutineGuide(routine: &'static Routine) -> impl IntoView {
    let app = use_app();
    let shipped = app.with_service(|s| s.is_shipped(routine));
    let shown = built(Box::new(move |host| {
        host.push(guide(routine, shipped, app.lang()));
    }));
    // One listener for the guide's calls: a call keeps the app unlocked while it lasts (as the
    // call bar's do); a carried number asks first, and its confirmation goes once answered.
    let tapped = move |ev: leptos::ev::MouseEvent| {
        let closest = |selector: &str| tapped(&ev, selector);
        if closest("a.call").is_some() {
            app.opened_external.set_value(true);
        }
        if let Some(confirm) =
            closest(".call-confirm a, .call-confirm button").and_then(|_| closest(".call-confirm"))
        {
            // After the click: a link taken out of the page while it is tapped calls no one.
            set_timeout(move || confirm.remove(), std::time::Duration::ZERO);
        } else if let Some(carried) = closest("button.ask").and_then(|b| b.parent_element()) {
            let asked = carried
                .query_selector(".call-confirm")
                .ok()
                .flatten()
                .is_some();
            if let (false, Some(number)) = (asked, carried.get_attribute("data-number")) {
                let _ = carried.append_child(confirm_call(&number, app.lang()).element());
            }
        }
    };
    view! { <div on:click=tapped>{shown}</div> }
}
