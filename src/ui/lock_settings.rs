//! The lock in the settings: set it (from "Senare"), change the PIN or passphrase, add or remove
//! a passkey, choose when the app locks itself, the wipe after ten failed attempts, the recovery
//! copy for the officer, and turning the lock off (with a warning).

use crate::platform::passkey;
use crate::ui::context::{use_app, LockView};
use crate::ui::field_error::FieldError;
use crate::ui::i18n::T;
use crate::ui::lock_setup::LockSetup;
use crate::ui::secret_field::SecretField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_service::lock::{LockStatus, SecretKind, IDLE_LIMIT_MINUTES};

#[component]
pub fn LockSettings() -> impl IntoView {
    let app = use_app();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let new_secret = SecretField::new();
    let new_repeat = SecretField::new();
    // The lock as the service has it now, read again after each change.
    let revision = RwSignal::new(0u32);
    let info = Memo::new(move |_| {
        revision.track();
        app.lock.track();
        // Saving the officer's key re-seals the recovery copy.
        app.settings.track();
        match app.with_service(|s| s.lock_status()) {
            Ok(LockStatus::Unlocked(info)) => Some(info),
            _ => None,
        }
    });
    let shown = move |outcome: Result<(), String>| {
        match outcome {
            Ok(()) => {
                error.set(None);
                app.announce(app.t(T::LockChanged));
            }
            Err(message) => error.set(Some(message)),
        }
        revision.update(|r| *r += 1);
    };
    let changed = move |outcome| shown(app.after_lock_change(outcome));
    let has_secret =
        Memo::new(move |_| info.with(|i| i.as_ref().is_some_and(|i| i.secret.is_some())));
    let change_secret = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (a, b) = (new_secret.read(), new_repeat.read());
        // The kind the lock has; a lock with only a passkey gets a PIN when only digits are typed,
        // else a passphrase (each held to its own rules).
        let kind = info
            .with_untracked(|i| i.as_ref().and_then(|i| i.secret))
            .unwrap_or_else(|| {
                if !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) {
                    SecretKind::Pin
                } else {
                    SecretKind::Passphrase
                }
            });
        busy.set(true);
        spawn_local(async move {
            let outcome = app.set_secret(kind, a, b).await;
            busy.set(false);
            new_secret.clear();
            new_repeat.clear();
            shown(outcome);
        });
    };
    let add_passkey = move |_| {
        busy.set(true);
        spawn_local(async move {
            let outcome = app.add_passkey_here().await;
            busy.set(false);
            shown(outcome);
        });
    };
    let remove_passkey = move |id: String| changed(app.with_service(|s| s.remove_passkey(&id)));
    let set_idle = move |ev: leptos::ev::Event| {
        let minutes = event_target_value(&ev).parse().unwrap_or(5);
        if let Err(message) = app.change_settings(&|s| s.idle_lock_minutes = minutes) {
            error.set(Some(message));
        }
    };
    let set_wipe = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        changed(app.with_service(|s| s.set_wipe_after_failures(on)));
    };
    let turn_off = move |_| changed(app.with_service(|s| s.turn_off()));
    let own_phone = move || {
        let own = app.own_key.with(|k| k.as_ref().map(|k| k.public()));
        own.is_some() && app.settings.with(|s| s.officer_key()) == own
    };

    view! {
        <section class="lock-settings stack" aria-labelledby="lock-settings-heading">
            <h2 id="lock-settings-heading">{app.tx(T::LockTitle)}</h2>
            {move || match app.lock.get() {
                LockView::Open { protected: false } => view! { <LockSetup first_start=false/> }.into_any(),
                _ => view! {
                    <p>{move || info.with(|i| i.as_ref().map(|i| match (i.secret, i.passkeys.len()) {
                        (Some(SecretKind::Pin), 0) => app.t(T::LockedWithPin),
                        (Some(SecretKind::Passphrase), 0) => app.t(T::LockedWithPassphrase),
                        (Some(SecretKind::Pin), _) => app.t(T::LockedWithPinOrPasskey),
                        (Some(SecretKind::Passphrase), _) => app.t(T::LockedWithPassphraseOrPasskey),
                        (None, _) => app.t(T::LockedWithPasskey),
                    }))}</p>
                    <button type="button" class="primary" on:click=move |_| app.lock_now(true)>{app.tx(T::LockNow)}</button>
                    {move || {
                        // Built again only when a PIN or passphrase comes or goes: a passkey added or
                        // the wipe turned on must not take away what is being typed.
                        let has_secret = has_secret.get();
                        view! {
                        <form class="stack panel" novalidate on:submit=change_secret>
                            {(!has_secret).then(|| view! { <p class="warning" data-testid="add-secret-help">{app.t(T::AddSecretHelp)}</p> })}
                            <label for="lock-new-secret">{app.tx(T::NewSecret)}</label>
                            <input id="lock-new-secret" type="password" autocomplete="new-password"
                                node_ref=new_secret.node()/>
                            <label for="lock-new-secret-repeat">{app.tx(T::SecretRepeat)}</label>
                            <input id="lock-new-secret-repeat" type="password" autocomplete="new-password"
                                node_ref=new_repeat.node()/>
                            <button type="submit" class="secondary" disabled=move || busy.get()>
                                {app.t(if has_secret { T::ChangeSecret } else { T::AddEntry })}
                            </button>
                        </form>
                        }
                    }}
                    {passkey::available().then(|| view! {
                        <button type="button" class="secondary" disabled=move || busy.get() on:click=add_passkey>
                            {app.tx(T::AddPasskey)}
                        </button>
                    })}
                    <ul class="passkeys">
                        {move || info.with(|i| i.as_ref().map(|i| i.passkeys.clone()).unwrap_or_default())
                            .into_iter().enumerate().map(|(n, key)| {
                                let id = key.credential_id.clone();
                                view! {
                                    <li>
                                        {app.tx(T::Passkey)} " " {n + 1} " "
                                        <button type="button" class="secondary" on:click=move |_| remove_passkey(id.clone())>
                                            {app.tx(T::RemovePasskey)}
                                            <span class="visually-hidden">" " {app.tx(T::Passkey)} " " {n + 1}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                    </ul>
                    <label for="lock-idle">{app.tx(T::LockAfter)}</label>
                    <select id="lock-idle" on:change=set_idle>
                        {IDLE_LIMIT_MINUTES.iter().map(|m| {
                            let m = *m as u32;
                            view! {
                                <option value=m.to_string() selected=move || app.settings.with(|s| s.idle_lock_minutes()) == m>
                                    {m} " min"
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || info.with(|i| i.as_ref().is_some_and(|i| i.wipe_after_failures))
                            on:change=set_wipe/>
                        {app.tx(T::WipeAfterFailures)}
                    </label>
                    <p class="help warning">{app.tx(T::WipeAfterFailuresWarning)}</p>
                    <p class="help">{move || if own_phone() {
                        app.t(T::RecoveryOwnPhone)
                    } else if info.with(|i| i.as_ref().is_some_and(|i| i.recovery)) {
                        app.t(T::RecoveryStored)
                    } else {
                        app.t(T::RecoveryMissing)
                    }}</p>
                    <details class="panel">
                        <summary>{app.tx(T::TurnOffLock)}</summary>
                        <p class="warning">{app.tx(T::TurnOffLockWarning)}</p>
                        <button type="button" class="secondary" on:click=turn_off>{app.tx(T::TurnOffLock)}</button>
                    </details>
                }.into_any(),
            }}
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <FieldError error=error/>
        </section>
    }
}
