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

    // A change to the lock asks for the lock first (its PIN, passphrase or a passkey), once
    // while the settings are shown: whoever picks up an unlocked phone must not turn the lock
    // off, add a passkey of their own or set a PIN that locks the owner out. A wrong answer
    // counts as a failed unlock (the delay, and the wipe where it is on, follow).
    let confirmed = app.lock_confirmed;
    let current = SecretField::new();
    let confirmed_or = move |said: Option<String>| match said {
        None => {
            error.set(None);
            confirmed.set(true);
            // The form that had the focus is gone: it goes to the first of the changes.
            request_animation_frame(|| {
                crate::platform::dom::focus_first(&["#lock-new-secret", "#lock-settings-heading"]);
            });
        }
        Some(message) => error.set(Some(message)),
    };
    let confirm_secret = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kind) = info.with_untracked(|i| i.as_ref().and_then(|i| i.secret)) else {
            return;
        };
        let typed = current.read();
        busy.set(true);
        spawn_local(async move {
            let said = app.unlock_with_secret(kind, typed).await;
            busy.set(false);
            current.clear();
            confirmed_or(said);
        });
    };
    let confirm_passkey = move |_| {
        let keys = info.with_untracked(|i| i.as_ref().map(|i| i.passkeys.clone()));
        busy.set(true);
        spawn_local(async move {
            let said = app.unlock_with_passkeys(keys.unwrap_or_default()).await;
            busy.set(false);
            confirmed_or(said);
        });
    };
    // Built when shown: the lock's ways as they are then (the branch is built again after
    // each lock, and a change of them here needs this confirmation first).
    let confirm_form = move || {
        let (secret, passkeys) = info.with_untracked(|i| {
            i.as_ref()
                .map_or((None, false), |i| (i.secret, !i.passkeys.is_empty()))
        });
        view! {
            <div class="stack panel confirm-lock">
                <p>{app.tx(T::ConfirmLockHelp)}</p>
                {secret.map(|kind| view! {
                    <form class="stack" novalidate on:submit=confirm_secret>
                        <label for="lock-current-secret">{app.t(match kind {
                            SecretKind::Passphrase => T::CurrentPassphrase,
                            SecretKind::Pin => T::CurrentPin,
                        })}</label>
                        <input id="lock-current-secret" type="password"
                            autocomplete="current-password" node_ref=current.node()/>
                        <button type="submit" class="secondary" disabled=move || busy.get()>
                            {app.t(T::ConfirmLock)}
                        </button>
                    </form>
                })}
                {(passkeys && passkey::available()).then(|| view! {
                    <button type="button" class="secondary" disabled=move || busy.get()
                        on:click=confirm_passkey>
                        {app.t(T::ConfirmLockWithPasskey)}
                    </button>
                })}
                {(secret.is_none() && !passkey::available()).then(|| view! {
                    <p class="warning">{app.t(T::ConfirmLockNotHere)}</p>
                })}
            </div>
        }
    };
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
                    <p class="help">{move || if own_phone() {
                        app.t(T::RecoveryOwnPhone)
                    } else {
                        // The key the stored copy is sealed to, against the officer's now: a
                        // renewal that failed leaves a copy for another key.
                        let to = info.with(|i| i.as_ref().and_then(|i| i.recovery_to.clone()));
                        let officer = app.settings.with(|s| s.officer_key());
                        match to {
                            None => app.t(T::RecoveryMissing),
                            Some(to) if officer.is_some_and(|key| key.as_str() == to) => {
                                app.t(T::RecoveryStored)
                            }
                            Some(_) => app.t(T::RecoveryNotRenewed),
                        }
                    }}</p>
                    <Show when=move || confirmed.get() fallback=confirm_form>
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
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || info.with(|i| i.as_ref().is_some_and(|i| i.wipe_after_failures))
                            on:change=set_wipe/>
                        {app.tx(T::WipeAfterFailures)}
                    </label>
                    <p class="help warning">{app.tx(T::WipeAfterFailuresWarning)}</p>
                    <details class="panel">
                        <summary>{app.tx(T::TurnOffLock)}</summary>
                        <p class="warning">{app.tx(T::TurnOffLockWarning)}</p>
                        <button type="button" class="secondary" on:click=turn_off>{app.tx(T::TurnOffLock)}</button>
                    </details>
                    </Show>
                }.into_any(),
            }}
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <FieldError error=error/>
        </section>
    }
}
