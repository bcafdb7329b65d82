//! What the case's routine pack adds beside its rows: which routine it is (and whether it is only
//! an example), the routine's own contacts with their hours and out-of-hours route, and its
//! checklists by how the threat arrived. Folded by default: the rows come first at the scene.

use crate::ui::context::use_app;
use crate::ui::i18n::{role_name, tr, Lang, T};
use leptos::prelude::*;
use stodrutin_domain::routine::{Channel, Contact};
use stodrutin_domain::Routine;

/// A number as the pack writes it becomes a call. From a pack this build ships, one tap; from a
/// pack that came with an imported case, the user confirms the number first: a file must not be
/// able to put a one-tap call to anyone on the screen.
#[component]
fn PackCall(number: String, label: String, shipped: bool) -> impl IntoView {
    let app = use_app();
    let href = format!("tel:{number}");
    if shipped {
        return view! {
            <a class="button call" href=href on:click=move |_| app.opened_external.set_value(true)>
                {label} <span class="number">{number}</span>
            </a>
        }
        .into_any();
    }
    let asking = RwSignal::new(false);
    let confirm_text = {
        let number = number.clone();
        move || format!("{} {number}", app.t(T::ConfirmCarriedCall))
    };
    view! {
        <div class="carried-call">
            <button type="button" class="button secondary" on:click=move |_| asking.set(true)>
                {label} <span class="number">{number.clone()}</span>
            </button>
            <Show when=move || asking.get()>
                <p class="warning" role="alert">{confirm_text.clone()}</p>
                <div class="button-row">
                    <a class="button call" href=href.clone()
                        on:click=move |_| { app.opened_external.set_value(true); asking.set(false); }>
                        {app.tx(T::CallAnyway)}
                    </a>
                    <button type="button" class="button secondary" on:click=move |_| asking.set(false)>
                        {app.tx(T::Cancel)}
                    </button>
                </div>
            </Show>
        </div>
    }
    .into_any()
}

fn contact_view(contact: &'static Contact, lang: Lang, shipped: bool) -> impl IntoView {
    let name = contact.name.get(lang).to_owned();
    view! {
        <li class="contact">
            <p class="contact-name">{name.clone()}</p>
            {contact.hours.as_ref().map(|h| view! { <p class="help">{h.get(lang).to_owned()}</p> })}
            {contact.phone.clone().map(|n| view! { <PackCall number=n label=name.clone() shipped=shipped/> })}
            {contact.out_of_hours.as_ref().map(|out| {
                let label = format!("{}: {}", tr(lang, T::OutOfHours), out.name.get(lang));
                view! {
                    <PackCall number=out.phone.clone() label=label shipped=shipped/>
                }
            })}
        </li>
    }
}

fn channel_names(channels: &[Channel], lang: Lang) -> String {
    channels
        .iter()
        .map(|c| c.name().get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn RoutineGuide(routine: &'static Routine) -> impl IntoView {
    let app = use_app();
    let shipped = app.with_service(|s| s.is_shipped(routine));
    move || {
        let lang = app.lang();
        let prov = &routine.provenance;
        view! {
            <details class="routine-guide">
                <summary>
                    {format!("{}: {}", tr(lang, T::RoutineFollowed), prov.organisation.get(lang))}
                </summary>
                <p>{format!("{} ({} {}, {} {})", routine.title(lang), tr(lang, T::Adopted), prov.adopted, tr(lang, T::PackVersion), routine.version)}</p>
                <p class="help">{prov.source.get(lang).to_owned()}</p>
                {routine.example.then(|| view! { <p class="warning">{tr(lang, T::ExampleRoutineNotice)}</p> })}
                {(!shipped).then(|| view! { <p class="help">{tr(lang, T::CarriedRoutine)}</p> })}
                <h3>{tr(lang, T::RoutineRoles)}</h3>
                <ul class="roles">
                    {routine.roles.iter().map(|role| view! {
                        <li>
                            {role.title.get(lang).to_owned()}
                            <span class="help">{format!(" ({}: {})", tr(lang, T::RoleInApp), role_name(role.actor, lang))}</span>
                        </li>
                    }).collect_view()}
                </ul>
                {(!routine.contacts.is_empty()).then(|| view! {
                    <h3>{tr(lang, T::RoutineContacts)}</h3>
                    <ul class="contacts">
                        {routine.contacts.iter().map(|c| contact_view(c, lang, shipped)).collect_view()}
                    </ul>
                })}
                {(!routine.checklists.is_empty()).then(|| view! {
                    <h3>{tr(lang, T::Checklists)}</h3>
                    {routine.checklists.iter().map(|list| view! {
                        <details class="checklist" data-checklist=list.id.as_str()>
                            <summary>{list.title.get(lang).to_owned()}</summary>
                            <p class="help">{channel_names(&list.channels, lang)}</p>
                            <ul>
                                {list.items.iter().map(|item| view! { <li>{item.get(lang).to_owned()}</li> }).collect_view()}
                            </ul>
                        </details>
                    }).collect_view()}
                })}
            </details>
        }
    }
}
