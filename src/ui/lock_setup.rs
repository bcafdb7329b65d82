//! Setting the lock: a PIN (at least six digits) or a passphrase, or the phone's own screen lock
//! through a passkey where the phone supports it; at the first start also "Senare", which never
//! keeps anyone from starting a case. Says plainly what each protects against.

use crate::platform::passkey;
use crate::ui::context::use_app;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::T;
use crate::ui::language_button::LanguageButton;
use crate::ui::secret_field::SecretField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_service::lock::SecretKind;

#[component]
pub fn LockSetup(
    /// The first start: "Senare" is offered, and the screen is the whole page.
    first_start: bool,
) -> impl IntoView {
    let app = use_app();
    let choice = RwSignal::new(SecretKind::Pin);
    let first = SecretField::new();
    let repeat = SecretField::new();
    let wipe_after_failures = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let finish = move |outcome: Result<(), String>| match outcome {
        Ok(()) => {
            first.clear();
            repeat.clear();
            error.set(None);
            if wipe_after_failures.get_untracked() {
                let set = app.with_service(|s| s.set_wipe_after_failures(true));
                if let Err(message) = app.after_lock_change(set) {
                    error.set(Some(message));
                    return;
                }
            }
            app.announce(app.t(T::LockSet));
        }
        Err(message) => error.set(Some(message)),
    };
    let set_secret = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (a, b) = (first.read(), repeat.read());
        let kind = choice.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let outcome = app.set_secret(kind, a, b).await;
            busy.set(false);
            finish(outcome);
        });
    };
    let use_passkey = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = app.add_passkey_here().await;
            busy.set(false);
            finish(outcome);
        });
    };
    let later = move |_| {
        let outcome = app.with_service(|s| s.set_up_later());
        if let Err(message) = app.after_lock_change(outcome) {
            error.set(Some(message));
        }
    };
    let is_pin = move || choice.get() == SecretKind::Pin;

    view! {
        <section class=if first_start { "screen lock-setup stack" } else { "lock-setup stack" }
            aria-labelledby="lock-setup-heading">
            {if first_start {
                view! {
                    <div class="screen-head">
                        <h1 id="lock-setup-heading">{app.tx(T::LockSetupTitle)}</h1>
                        <LanguageButton/>
                    </div>
                }.into_any()
            } else {
                view! { <h3 id="lock-setup-heading">{app.tx(T::LockSetupTitle)}</h3> }.into_any()
            }}
            // Why the first start's screen is back, when ten wrong answers wiped everything.
            {first_start.then(|| view! {
                <p class="warning" role="alert">{move || app.lock_message.get()}</p>
            })}
            // Short points rather than paragraphs: the screen stays short at the scene, and the
            // "Senare" button stays in view on a small phone.
            <ul class="points">{move || points(app.t(T::LockSetupHelp))}</ul>
            <ul class="points help">{move || points(app.t(T::LockHonesty))}</ul>
            {first_start.then(|| view! {
                <button type="button" class="secondary big" on:click=later>{app.tx(T::LockLater)}</button>
            })}
            {passkey::available().then(|| view! {
                <button type="button" class="primary big" disabled=move || busy.get() on:click=use_passkey>
                    {app.tx(T::UsePasskey)}
                </button>
            })}
            <form class="stack panel" novalidate on:submit=set_secret>
                <fieldset>
                    <legend>{app.tx(T::LockWith)}</legend>
                    <label class="choice">
                        <input type="radio" name="lock-kind" prop:checked=is_pin
                            on:change=move |_| choice.set(SecretKind::Pin)/>
                        {app.tx(T::Pin)}
                    </label>
                    <label class="choice">
                        <input type="radio" name="lock-kind" prop:checked=move || !is_pin()
                            on:change=move |_| choice.set(SecretKind::Passphrase)/>
                        {app.tx(T::Passphrase)}
                    </label>
                </fieldset>
                <label for="lock-secret">{move || if is_pin() { app.t(T::ChoosePin) } else { app.t(T::ChoosePassphrase) }}</label>
                <input id="lock-secret" type="password" autocomplete="new-password"
                    inputmode=move || if is_pin() { "numeric" } else { "text" }
                    node_ref=first.node()
                />
                <label for="lock-secret-repeat">{app.tx(T::SecretRepeat)}</label>
                <input id="lock-secret-repeat" type="password" autocomplete="new-password"
                    inputmode=move || if is_pin() { "numeric" } else { "text" }
                    node_ref=repeat.node()
                />
                <label class="choice">
                    <input type="checkbox" prop:checked=move || wipe_after_failures.get()
                        on:change=move |ev| wipe_after_failures.set(event_target_checked(&ev))/>
                    {app.tx(T::WipeAfterFailures)}
                </label>
                <p class="help warning">{app.tx(T::WipeAfterFailuresWarning)}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {app.tx(T::SetLock)}
                </button>
            </form>
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <FieldError error=error/>
        </section>
    }
}

/// One list item per line of a text (the texts that are read as points keep them apart with `\n`).
fn points(text: &'static str) -> Vec<impl IntoView> {
    text.lines().map(|line| view! { <li>{line}</li> }).collect()
}
