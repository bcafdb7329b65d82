//! Settings: the numbers for one-tap calls and the party security officer's public key (on the
//! support person's phone), and the officer's own key (on the officer's phone).

use crate::ui::context::{use_app, LockView};
use crate::ui::drafts::keep_screen_draft;
use crate::ui::i18n::{key_error, T};
use crate::ui::lock_settings::LockSettings;
use crate::ui::own_key::OwnKey;
use crate::ui::route::Route;
use leptos::prelude::*;
use stodrutin_age::PublicKey;
use stodrutin_domain::details::normalize_phone;
use stodrutin_service::Settings;

#[component]
pub fn SettingsView() -> impl IntoView {
    let app = use_app();
    let initial = app.settings.get_untracked();
    // What the form began with: only a field the user changed is written (another tab may have
    // stored the officer's key since this screen opened).
    let began = StoredValue::new(form_values(&initial));
    let officer_phone = RwSignal::new(initial.officer_phone);
    let strategist_phone = RwSignal::new(initial.strategist_phone);
    let officer_key = RwSignal::new(initial.officer_key);
    let error = RwSignal::new(None::<(&'static str, String)>);
    let fields = [officer_phone, strategist_phone, officer_key];
    let typed = move || {
        let typed = fields.map(|field| field.get());
        let stored = app.settings.with(form_values);
        (typed != stored).then(|| typed.to_vec())
    };
    if let Some(kept) = keep_screen_draft(app, Route::Settings, typed) {
        for (field, text) in fields.into_iter().zip(kept) {
            field.set(text);
        }
    }

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let phone = |signal: RwSignal<String>, field: &'static str| {
            let text = signal.get_untracked();
            if text.trim().is_empty() {
                return Ok(String::new());
            }
            normalize_phone(&text).ok_or((field, app.t(T::ErrBadPhone).to_owned()))
        };
        let key_text = officer_key.get_untracked();
        let checked = phone(officer_phone, "settings-officer-phone").and_then(|officer| {
            let strategist = phone(strategist_phone, "settings-strategist-phone")?;
            let key = if key_text.trim().is_empty() {
                String::new()
            } else {
                PublicKey::parse(&key_text)
                    .map(|k| k.as_str().to_owned())
                    .map_err(|err| ("settings-officer-key", key_error(app.lang(), &err)))?
            };
            Ok((officer, strategist, key))
        });
        // The recovery copy goes to the officer key: on a locked phone, only someone who
        // answered the lock may change it (else whoever picks the phone up could put their own
        // key there, and later take the cases from the locked phone with it).
        let guarded = matches!(checked, Ok((_, _, ref key)) if began.with_value(|b| b[OFFICER_KEY] != *key))
            && matches!(app.lock.get_untracked(), LockView::Open { protected: true })
            && !app.lock_confirmed.get_untracked();
        if guarded {
            // The key typed goes: left in the field (or in the screen's draft), it would be
            // saved with the next change made after the owner confirmed the lock for another.
            officer_key.set(began.with_value(|b| b[OFFICER_KEY].clone()));
            error.set(Some((
                "settings-officer-key",
                app.t(T::ConfirmLockFirst).to_owned(),
            )));
            return;
        }
        match checked {
            Ok((officer, strategist, key)) => {
                let typed = [officer, strategist, key];
                let changed = app.change_settings(&|settings| {
                    let stored = [
                        &mut settings.officer_phone,
                        &mut settings.strategist_phone,
                        &mut settings.officer_key,
                    ];
                    began.with_value(|began| {
                        for ((stored, typed), began) in stored.into_iter().zip(&typed).zip(began) {
                            if typed != began {
                                stored.clone_from(typed);
                            }
                        }
                    });
                });
                match changed {
                    Ok(()) => {
                        // Saved: the next save compares with this.
                        began.set_value(typed);
                        error.set(None);
                        app.announce(app.t(T::SettingsSaved));
                    }
                    Err(message) => error.set(Some(("", message))),
                }
            }
            Err(problem) => error.set(Some(problem)),
        }
    };
    let invalid = move |id: &'static str| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|(f, _)| *f == id))
                .to_string()
        }
    };

    view! {
        <section class="screen settings">
            <h1>{app.tx(T::Settings)}</h1>
            <form class="stack" novalidate on:submit=save>
                <h2>{app.tx(T::Calls)}</h2>
                <label for="settings-officer-phone">{app.tx(T::OfficerPhone)}</label>
                <input id="settings-officer-phone" type="tel" inputmode="tel" autocomplete="off"
                    aria-invalid=invalid("settings-officer-phone")
                    prop:value=move || officer_phone.get()
                    on:input=move |ev| officer_phone.set(event_target_value(&ev))
                />
                <label for="settings-strategist-phone">{app.tx(T::StrategistPhone)}</label>
                <input id="settings-strategist-phone" type="tel" inputmode="tel" autocomplete="off"
                    aria-invalid=invalid("settings-strategist-phone")
                    prop:value=move || strategist_phone.get()
                    on:input=move |ev| strategist_phone.set(event_target_value(&ev))
                />
                <h2>{app.tx(T::OfficerKeyTitle)}</h2>
                <p class="help" id="settings-officer-key-help">{app.tx(T::OfficerKeyHelp)}</p>
                <label for="settings-officer-key">{app.tx(T::OfficerKey)}</label>
                <textarea id="settings-officer-key" rows="3" spellcheck="false" autocomplete="off"
                    aria-describedby="settings-officer-key-help"
                    aria-invalid=invalid("settings-officer-key")
                    prop:value=move || officer_key.get()
                    on:input=move |ev| officer_key.set(event_target_value(&ev))
                ></textarea>
                <div role="alert" class="field-error">{move || error.get().map(|(_, m)| m)}</div>
                <button class="primary big" type="submit">{app.tx(T::Save)}</button>
            </form>
            <LockSettings/>
            <OwnKey/>
        </section>
    }
}

/// Where the officer's key stands among `form_values`.
const OFFICER_KEY: usize = 2;

/// What the form shows of the settings, in its fields' order.
fn form_values(settings: &Settings) -> [String; 3] {
    [
        settings.officer_phone.clone(),
        settings.strategist_phone.clone(),
        settings.officer_key.clone(),
    ]
}
