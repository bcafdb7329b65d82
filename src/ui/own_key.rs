//! The party security officer's own key: made here, its public half shown to copy to the
//! support people's phones, and a passphrase-protected backup (an age file the standard tool
//! opens too) saved at once and restorable on a new phone.

use crate::platform::clock;
use crate::platform::files::{self, ReadFileError};
use crate::ui::context::{use_app, LockView};
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{backup_error, kv_error, passphrase_error, T};
use crate::ui::secret_field::SecretField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_age::PrivateKey;
use stodrutin_service::{check_new_backup_passphrase, NewKeyError};
use wasm_bindgen::JsCast;

const BACKUP_MAX_BYTES: usize = 64 * 1024;

/// Named by the date and the start of the key's public half, so two backups (a retry after a
/// key that was not kept) are told apart, and the one of the key in use is found.
fn backup_name(key: &PrivateKey) -> String {
    let public = key.public();
    let start: String = public.as_str().chars().skip(4).take(8).collect();
    format!("stodrutin-nyckel-{}-{start}.age", clock::today_local())
}

#[component]
pub fn OwnKey() -> impl IntoView {
    let app = use_app();
    let key = app.own_key;
    // The new backup's passphrase (shown in one place at a time), and the one a backup is
    // restored with.
    let passphrase = SecretField::new();
    let repeat = SecretField::new();
    let restore_passphrase = SecretField::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let restore_file = RwSignal::new(None::<Vec<u8>>);

    // Checks the two passphrases, then seals the key into a backup and offers it as a file.
    let save_backup = move |new_key: PrivateKey, store: bool| {
        let (first, second) = (passphrase.read(), repeat.read());
        if let Err(err) = check_new_backup_passphrase(&first, &second) {
            error.set(Some(passphrase_error(app.lang(), err)));
            return;
        }
        // A key made in another tab meanwhile: no backup of a key that will not be kept.
        if store && app.with_service(|s| s.has_private_key()) {
            error.set(Some(app.t(T::ErrKeyStored).to_owned()));
            app.reload_own_key();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            clock::yield_to_paint().await;
            let created = clock::to_local_input(clock::now());
            let sealed = app
                .with_service(|s| s.seal_key_backup(&new_key, &first, &created))
                .expect("length checked above");
            // The backup first: a key is kept only once its backup has been handed to the user.
            let saved = files::download(&backup_name(&new_key), sealed.as_bytes(), files::AGE)
                .map_err(|_| app.t(T::ErrFileNotSent).to_owned())
                .and_then(|()| {
                    if store {
                        app.with_service(|s| s.store_new_key(&new_key))
                            .map_err(|err| match err {
                                NewKeyError::KeyStored => app.t(T::ErrKeyStored).to_owned(),
                                NewKeyError::Storage(err) => kv_error(app.lang(), &err),
                            })
                    } else {
                        Ok(())
                    }
                });
            busy.set(false);
            match saved {
                Ok(()) => {
                    key.set(Some(new_key));
                    passphrase.clear();
                    repeat.clear();
                    error.set(None);
                    app.announce(app.t(T::KeyBackupSaved));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let restore = move |_| {
        let Some(bytes) = restore_file.get_untracked() else {
            error.set(Some(app.t(T::ErrChooseBackup).to_owned()));
            return;
        };
        let phrase = restore_passphrase.read();
        busy.set(true);
        spawn_local(async move {
            clock::yield_to_paint().await;
            // Only a passphrase file holding an age identity is a backup; anything else is
            // named as such.
            let restored = app
                .with_service(|s| s.restore_key_backup(&bytes, &phrase))
                .map_err(|err| backup_error(app.lang(), &err));
            busy.set(false);
            match restored {
                Ok(restored) => {
                    key.set(Some(restored));
                    restore_passphrase.clear();
                    error.set(None);
                    app.announce(app.t(T::KeyRestored));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let choose_backup = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("target").unchecked_into();
        if let Some(file) = input.files().and_then(|l| l.get(0)) {
            spawn_local(async move {
                match files::read_bytes(&file, BACKUP_MAX_BYTES).await {
                    Ok(bytes) => {
                        error.set(None);
                        restore_file.set(Some(bytes));
                    }
                    Err(ReadFileError::TooLarge) => {
                        error.set(Some(app.t(T::ErrNotBackup).to_owned()))
                    }
                    Err(ReadFileError::Unreadable) => {
                        error.set(Some(app.t(T::ErrFileUnreadable).to_owned()))
                    }
                }
            });
        }
    };
    // Its texts follow the language on their own (`tx`): a language switch does not rebuild the
    // branch, and so does not empty the passphrase fields in it.
    let public = move || key.with(|k| k.as_ref().map(|k| k.public().as_str().to_owned()));
    let copy = move |_| {
        if let Some(text) = public() {
            spawn_local(async move {
                match files::copy_text(&text).await {
                    Ok(()) => app.announce(app.t(T::Copied)),
                    Err(_) => error.set(Some(app.t(T::ErrCopy).to_owned())),
                }
            });
        }
    };
    let passphrase_fields = move |with_repeat: bool| {
        view! {
            <label for="key-passphrase">{app.tx(T::Passphrase)}</label>
            <input id="key-passphrase" type="password" autocomplete="new-password"
                node_ref=passphrase.node()
            />
            {with_repeat.then(|| view! {
                <label for="key-passphrase-repeat">{app.tx(T::PassphraseRepeat)}</label>
                <input id="key-passphrase-repeat" type="password" autocomplete="new-password"
                    node_ref=repeat.node()
                />
            })}
        }
    };

    view! {
        <section class="own-key stack" aria-labelledby="own-key-heading">
            <h2 id="own-key-heading">{app.tx(T::OwnKeyTitle)}</h2>
            <p class="help">{app.tx(T::OwnKeyHelp)}</p>
            <Show when=move || matches!(app.lock.get(), LockView::Open { protected: false })>
                <p class="warning">{app.tx(T::KeyUnprotected)}</p>
            </Show>
            {move || match public() {
                Some(public_key) => view! {
                    <label for="own-public-key">{app.tx(T::YourPublicKey)}</label>
                    <textarea id="own-public-key" rows="3" readonly spellcheck="false">{public_key}</textarea>
                    <button type="button" class="secondary" on:click=copy>{app.tx(T::CopyPublicKey)}</button>
                    <details class="panel">
                        <summary>{app.tx(T::NewBackup)}</summary>
                        <div class="stack">
                            {passphrase_fields(true)}
                            <button type="button" class="secondary" disabled=move || busy.get()
                                on:click=move |_| {
                                    if let Some(k) = key.get_untracked() {
                                        save_backup(k, false)
                                    }
                                }>
                                {app.tx(T::SaveBackup)}
                            </button>
                        </div>
                    </details>
                }
                .into_any(),
                None => view! {
                    <p class="help">{app.tx(T::CreateKeyHelp)}</p>
                    {passphrase_fields(true)}
                    <button type="button" class="primary" disabled=move || busy.get()
                        on:click=move |_| save_backup(app.with_service(|s| s.generate_key()), true)>
                        {app.tx(T::CreateKey)}
                    </button>
                    <details class="panel">
                        <summary>{app.tx(T::RestoreKey)}</summary>
                        <div class="stack">
                            <label for="key-backup-file">{app.tx(T::ChooseBackup)}</label>
                            <input id="key-backup-file" type="file" on:change=choose_backup/>
                            <label for="key-restore-passphrase">{app.tx(T::Passphrase)}</label>
                            <input id="key-restore-passphrase" type="password" autocomplete="current-password"
                                node_ref=restore_passphrase.node()
                            />
                            <button type="button" class="secondary" disabled=move || busy.get() on:click=restore>
                                {app.tx(T::RestoreKey)}
                            </button>
                        </div>
                    </details>
                }
                .into_any(),
            }}
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            <FieldError error=error/>
        </section>
    }
}
