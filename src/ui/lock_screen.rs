//! The lock screen: the one-tap calls first (an emergency call never waits for a PIN), then the
//! PIN, passphrase or passkey, the failed attempts and the wait, and what to do with a forgotten
//! PIN: nothing can be recovered on the phone by design; exported cases are with the officer;
//! a locked export where a recovery copy exists; wiping everything behind the countdown.

use crate::platform::{clock, files};
use crate::ui::call_bar::CallBar;
use crate::ui::confirm_countdown::ConfirmCountdown;
use crate::ui::context::{use_app, LockView};
use crate::ui::evidence_store;
use crate::ui::i18n::{lock_error, locked_export_left_out, T};
use crate::ui::language_button::LanguageButton;
use crate::ui::secret_field::SecretField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_domain::evidence::MAX_CASE_FILE_BYTES;
use stodrutin_service::lock::{LockInfo, SecretKind};

#[component]
pub fn LockScreen() -> impl IntoView {
    let app = use_app();
    let info = Memo::new(move |_| match app.lock.get() {
        LockView::Locked(info) => Some(info),
        _ => None,
    });
    let secret = SecretField::new();
    // Kept by the app, not this screen: what an attempt said outlives the screen's rebuilds.
    let message = app.lock_message;
    let busy = RwSignal::new(false);

    let with_secret = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kind) = info.with_untracked(|i| i.as_ref().and_then(|i| i.secret)) else {
            return;
        };
        let typed = secret.read();
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let said = app.unlock_with_secret(kind, typed).await;
            busy.set(false);
            secret.clear();
            message.set(said);
        });
    };
    let with_passkey = move |_| {
        let Some(keys) = info.with_untracked(|i| i.as_ref().map(|i| i.passkeys.clone())) else {
            return;
        };
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let said = app.unlock_with_passkeys(keys).await;
            busy.set(false);
            message.set(said);
        });
    };
    // The cases with their evidence files, as stored: nothing is opened on the locked phone.
    let locked_export = move |_| {
        busy.set(true);
        spawn_local(async move {
            let cases = app
                .with_service(|s| s.locked_export_cases())
                .unwrap_or_default();
            let read = evidence_store::sealed_of(Some(&cases), MAX_CASE_FILE_BYTES).await;
            // The files could not be read at all: the copy is still made (the cases matter
            // most), and says so, so nobody wipes the phone believing them in it.
            let (items, unread, unreadable) = match read {
                Ok((items, unread)) => (items, unread, false),
                Err(_) => (Vec::new(), 0, true),
            };
            let made = app.with_service(|s| s.locked_export(&items));
            drop(items);
            let said = match made {
                Ok(file) => {
                    let (extension, mime) = match file.container {
                        true => ("tar", "application/x-tar"),
                        false => ("age", files::AGE),
                    };
                    let name =
                        format!("stodrutin-last-export-{}.{extension}", clock::today_local());
                    match files::send(&name, &file.bytes, mime).await {
                        Err(files::SendError::Failed(_)) => {
                            Some(app.t(T::ErrFileNotSent).to_owned())
                        }
                        _ if unreadable => Some(app.t(T::LockedExportNoFiles).to_owned()),
                        _ if file.left_out + unread > 0 => {
                            Some(locked_export_left_out(app.lang(), file.left_out + unread))
                        }
                        _ => None,
                    }
                }
                Err(err) => Some(lock_error(app.lang(), &err)),
            };
            busy.set(false);
            message.set(said);
        });
    };
    let wipe_description = Signal::derive(move || app.t(T::ForgotWipeWhat).to_owned());
    let wipe = Callback::new(move |()| {
        if let Err(message_text) = app.wipe() {
            message.set(Some(message_text));
        }
    });

    let label = move || match info.with(|i| i.as_ref().and_then(|i| i.secret)) {
        Some(SecretKind::Passphrase) => app.t(T::Passphrase),
        _ => app.t(T::Pin),
    };
    let waiting = move || {
        info.with(|i| {
            i.as_ref().and_then(|i: &LockInfo| {
                i.next_attempt_at
                    .map(|at| crate::ui::i18n::wait_until(app.lang(), &clock::display_local(at)))
            })
        })
    };

    view! {
        <section class="screen lock-screen stack" aria-labelledby="lock-heading">
            <div class="screen-head">
                <h1 id="lock-heading">{app.tx(T::LockedTitle)}</h1>
                <LanguageButton/>
            </div>
            <CallBar/>
            <Show when=move || info.with(|i| i.as_ref().is_some_and(|i| i.secret.is_some()))>
                <form class="stack" novalidate on:submit=with_secret>
                    <label for="unlock-secret">{label}</label>
                    <input id="unlock-secret" type="password" autocomplete="current-password"
                        inputmode=move || match info.with(|i| i.as_ref().and_then(|i| i.secret)) {
                            Some(SecretKind::Pin) => "numeric",
                            _ => "text",
                        }
                        node_ref=secret.node()
                    />
                    <button type="submit" class="primary big" disabled=move || busy.get()>
                        {app.tx(T::Unlock)}
                    </button>
                </form>
            </Show>
            <Show when=move || info.with(|i| i.as_ref().is_some_and(|i| !i.passkeys.is_empty()))>
                <button type="button" class="primary big" disabled=move || busy.get() on:click=with_passkey>
                    {app.tx(T::UnlockWithPasskey)}
                </button>
            </Show>
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <div role="alert" class="field-error unlock-message">
                {move || message.get()}
                {move || message.with(|m| m.is_none()).then(waiting).flatten()}
            </div>
            <details class="panel">
                <summary>{app.tx(T::ForgotSecret)}</summary>
                <div class="stack">
                    <p>{app.tx(T::ForgotHelp)}</p>
                    <Show when=move || info.with(|i| i.as_ref().is_some_and(|i| i.recovery_to.is_some()))>
                        <p class="help">{app.tx(T::LockedExportHelp)}</p>
                        <button type="button" class="secondary" disabled=move || busy.get() on:click=locked_export>
                            {app.tx(T::LockedExport)}
                        </button>
                    </Show>
                    <ConfirmCountdown label=T::WipeAll what=wipe_description on_confirm=wipe/>
                </div>
            </details>
        </section>
    }
}
