//! What locking and unlocking do to the app's state: the lock seals the drafts of open forms and
//! the events storage refused (in memory, under the data key), drops the key, and empties every
//! signal that showed a case, so the views unmount; an unlock reads everything again and gives
//! the drafts and unsaved events back. The page never reloads (a reload would lose what storage
//! refused, and shows nothing offline before the service worker is in control).

use crate::platform::{passkey, tab_lock};
use crate::ui::context::{AppContext, LockView};
use crate::ui::drafts::is_screen_draft;
use crate::ui::i18n::{lock_error, passkey_error, T};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stodrutin_domain::Case;
use stodrutin_service::lock::{LockError, LockStatus, PasskeyInfo, SecretKind, UnlockError};
use stodrutin_service::{Profile, Settings};
use zeroize::Zeroizing;

/// What a lock keeps for after the unlock: the drafts and the cases with unsaved events.
#[derive(Serialize, Deserialize)]
pub(crate) struct KeptAcrossLock {
    drafts: BTreeMap<String, String>,
    unsaved: Vec<Case>,
}

/// What a lock keeps for after the unlock, in this tab's memory only (never stored).
pub(crate) enum KeptMemory {
    /// Under the data key: the drafts and unsaved cases as one sealed JSON value, and each
    /// form's chosen file sealed on its own (a photo is megabytes: it is not written out as
    /// JSON).
    Sealed {
        kept: Vec<u8>,
        files: Vec<(String, Vec<u8>)>,
    },
    /// As it was: a PIN set in another tab gave every stored value a new data key, which this
    /// tab never held, so there was no key to seal under. Losing the events storage refused
    /// here would be worse; they come back after the unlock like sealed ones.
    Held {
        kept: KeptAcrossLock,
        files: Vec<(String, crate::ui::drafts::DraftFile)>,
    },
}

/// The name of the channel on which tabs of the app tell each other to lock.
pub const LOCK_CHANNEL: &str = "stodrutin-lock";

impl AppContext {
    /// Shows what the lock status asks for; opens the data when the key is in place.
    pub(crate) fn show_lock_status(&self, status: Result<LockStatus, LockError>) {
        let view = match status {
            Ok(LockStatus::NotSetUp) => LockView::Setup,
            Ok(LockStatus::Locked(info)) => LockView::Locked(info),
            Ok(LockStatus::Unprotected { .. }) => LockView::Open { protected: false },
            Ok(LockStatus::Unlocked(_)) => LockView::Open { protected: true },
            Err(err) => LockView::Blocked {
                message: lock_error(self.lang(), &err),
                damaged: err == LockError::DamagedRecord,
            },
        };
        let opening = matches!(view, LockView::Open { .. })
            && !matches!(self.lock.get_untracked(), LockView::Open { .. });
        // Only a change rebuilds the screens: a PIN changed in the settings must not take away
        // what is typed there.
        if self.lock.with_untracked(|shown| *shown != view) {
            self.lock.set(view);
        }
        if opening {
            // What the lock screen or the first start said is over.
            self.lock_message.set(None);
            self.load_data();
            self.restore_kept();
        }
    }

    /// Another tab wrote the lock record (set a lock up, changed it, turned it off) or wiped
    /// everything (`wiped`: the record went, whatever stands by the time this tab hears of it,
    /// a new lock set up since among it): this tab follows.
    pub fn follow_other_tab(&self, wiped: bool) {
        // `open_storage`, not only the status: a lock turned off there (or "Senare") must leave
        // this tab holding the data key, or its screens open on data they cannot read.
        let status = self.with_service(|s| s.open_storage());
        let open_here = matches!(self.lock.get_untracked(), LockView::Open { .. });
        // Whether this tab locks now, and what it then keeps for after the unlock.
        let lock_keeping: Option<Option<KeptMemory>> = match &status {
            // Everything was wiped: nothing of it stays here either (an unsaved event kept
            // here would otherwise be written back).
            _ if wiped => Some(None),
            Ok(LockStatus::NotSetUp) => Some(None),
            // The key this tab holds no longer opens the storage (a PIN set there re-sealed
            // everything under a new one): it locks, as "Lås nu" would, and keeps what it held.
            Ok(LockStatus::Locked(_)) if open_here => Some(Some(KeptMemory::Held {
                kept: self.kept_now(),
                files: self.draft_files.get_value(),
            })),
            // The record no longer reads (damaged, or a newer app's): this tab will not be
            // unlocked again, so what it held could never come back; the key and the cases are
            // not left in memory behind a screen that cannot lock.
            Err(LockError::DamagedRecord | LockError::NewerRecord(_)) if open_here => Some(None),
            _ => None,
        };
        if let Some(kept) = lock_keeping {
            self.drop_key_keeping(kept);
        }
        self.show_lock_status(status);
    }

    /// What every lock does once it knows what it keeps for after the unlock (`kept`): drops
    /// the data key, empties the screens, revokes the downloads' URLs, and ends the call
    /// exemption and what the last unlock attempt said.
    fn drop_key_keeping(&self, kept: Option<KeptMemory>) {
        self.kept_memory.set_value(kept);
        self.with_service(|s| s.lock());
        self.forget_shown();
        crate::platform::files::revoke_downloads();
        self.opened_external.set_value(false);
        self.lock_message.set(None);
    }

    /// What a lock keeps of this moment: the drafts and the cases with unsaved events.
    fn kept_now(&self) -> KeptAcrossLock {
        KeptAcrossLock {
            drafts: self.drafts.get_value(),
            unsaved: self.unsaved_cases(),
        }
    }

    /// Asks the service again (after a change of the lock, here or in another tab).
    pub fn refresh_lock(&self) {
        let status = self.with_service(|s| s.open_storage());
        self.show_lock_status(status);
    }

    pub fn is_protected(&self) -> bool {
        matches!(self.lock.get(), LockView::Open { protected: true })
    }

    /// Locks now: keeps the drafts and unsaved events sealed in memory, drops the key, empties
    /// the screens. Other tabs are told to lock too when `tell_other_tabs`.
    pub fn lock_now(&self, tell_other_tabs: bool) {
        if !matches!(
            self.lock.get_untracked(),
            LockView::Open { protected: true }
        ) {
            return;
        }
        let kept = self.kept_now();
        let files = self.draft_files.get_value();
        let sealed = serde_json::to_vec(&kept).ok().and_then(|plain| {
            let plain = Zeroizing::new(plain);
            self.with_service(|s| {
                let kept = s.seal_in_memory(&plain)?;
                let files = files
                    .iter()
                    .map(|(key, bytes)| Ok((key.clone(), s.seal_in_memory(bytes)?)))
                    .collect::<Result<_, LockError>>()?;
                Ok::<_, LockError>(KeptMemory::Sealed { kept, files })
            })
            .ok()
        });
        // Not sealed (a key that would not seal): kept as it is rather than lost.
        let kept = sealed.unwrap_or_else(|| KeptMemory::Held { kept, files });
        self.drop_key_keeping(Some(kept));
        if tell_other_tabs {
            post_lock_to_other_tabs();
        }
        self.refresh_lock();
    }

    /// Empties every signal that showed something of the cases or the user (the language and
    /// the two call numbers stay: the lock screen shows them).
    pub(crate) fn forget_shown(&self) {
        self.lock_confirmed.set(false);
        self.drafts.set_value(BTreeMap::new());
        self.draft_files.set_value(Vec::new());
        self.cases.set(Vec::new());
        self.unsaved.set(BTreeSet::new());
        self.unreadable.set(Vec::new());
        self.exported.set(BTreeMap::new());
        self.own_key.set(None);
        self.status.set(String::new());
        self.alert.set(None);
        let (lang, settings) = (self.lang(), self.settings.get_untracked());
        let mut profile = Profile::new(String::new());
        profile.lang = lang;
        self.profile.set(profile);
        self.settings.set(Settings {
            officer_phone: settings.officer_phone,
            strategist_phone: settings.strategist_phone,
            ..Settings::default()
        });
    }

    /// After an unlock: the drafts and unsaved events kept at the lock come back.
    fn restore_kept(&self) {
        let kept = match self.kept_memory.try_update_value(Option::take).flatten() {
            None => return,
            Some(KeptMemory::Held { kept, files }) => {
                self.draft_files.set_value(files);
                kept
            }
            Some(KeptMemory::Sealed { kept, files }) => {
                let Ok(plain) = self.with_service(|s| s.open_in_memory(&kept)) else {
                    // Opened without the key that sealed it: kept for the next unlock.
                    self.kept_memory
                        .set_value(Some(KeptMemory::Sealed { kept, files }));
                    return;
                };
                let files = self.with_service(|s| {
                    files
                        .iter()
                        .filter_map(|(key, file)| Some((key.clone(), s.open_in_memory(file).ok()?)))
                        .collect::<Vec<_>>()
                });
                self.draft_files.set_value(
                    files
                        .into_iter()
                        .map(|(key, file)| (key, Arc::new(file)))
                        .collect(),
                );
                // Read as text, as every stored value is: `from_slice` would build a second
                // copy of the events' JSON reader into the wasm (about 25 KB before wasm-opt).
                let Some(kept) = std::str::from_utf8(&plain)
                    .ok()
                    .and_then(|text| serde_json::from_str::<KeptAcrossLock>(text).ok())
                else {
                    return;
                };
                kept
            }
        };
        // A screen's own draft comes back only to that screen: the user may have gone elsewhere
        // (the back button) behind the lock screen, and left it.
        let route = self.route.get_untracked().hash();
        let mut drafts = kept.drafts;
        drafts.retain(|key, _| !is_screen_draft(key) || *key == route);
        self.drafts.set_value(drafts);
        if kept.unsaved.is_empty() {
            return;
        }
        self.unsaved
            .update(|ids| ids.extend(kept.unsaved.iter().map(|c| c.id.clone())));
        self.cases.update(|cases| {
            for mine in kept.unsaved {
                match cases.iter_mut().find(|c| c.id == mine.id) {
                    Some(shown) => {
                        if let Ok(merged) = shown.merge(&mine) {
                            *shown = merged;
                        }
                    }
                    None => cases.push(mine),
                }
            }
        });
        self.retry_unsaved();
    }

    /// The outcome of an unlock attempt, as the lock screen says it (`None`: unlocked).
    pub fn after_unlock(&self, outcome: Result<(), UnlockError>) -> Option<String> {
        match outcome {
            Ok(()) => {
                self.refresh_lock();
                None
            }
            Err(UnlockError::Wiped) => {
                // The evidence bytes go with the rest (their key went with the values).
                leptos::task::spawn_local(crate::ui::evidence_store::remove_all());
                self.kept_memory.set_value(None);
                self.forget_shown();
                self.lock.set(LockView::Setup);
                // Said on the first start's screen, which takes the place of the one that asked.
                let said = self.t(T::LockWiped).to_owned();
                self.lock_message.set(Some(said.clone()));
                Some(said)
            }
            Err(err) => {
                // The counter and delay changed: the screen shows them.
                let message = crate::ui::i18n::unlock_error(self.lang(), &err);
                let status = self.with_service(|s| s.lock_status());
                if let Ok(LockStatus::Locked(info)) = status {
                    self.lock.set(LockView::Locked(info));
                }
                Some(message)
            }
        }
    }

    /// Unlocks with the PIN or passphrase typed (`kind`: the lock's); what to say, as
    /// `after_unlock` (`None`: unlocked). Unlocked already, it confirms the user. The key
    /// derivation takes about a second on a phone: the caller's "working" shows first.
    pub async fn unlock_with_secret(
        &self,
        kind: SecretKind,
        typed: Zeroizing<String>,
    ) -> Option<String> {
        crate::platform::clock::yield_to_paint().await;
        // Every tab's attempts one at a time, each reading the failed-attempt counter the one
        // before it stored. Not to be cancelled (`tab_lock::exclusive`): the callers are spawned
        // tasks, which run to the end.
        let held = tab_lock::exclusive(tab_lock::UNLOCK_ATTEMPT).await;
        let outcome = self.with_service(|s| match kind {
            SecretKind::Pin => s.unlock_with_pin(&typed),
            SecretKind::Passphrase => s.unlock_with_passphrase(&typed),
        });
        drop(held);
        self.after_unlock(outcome)
    }

    /// Asks the phone for one of the lock's passkeys (its screen lock or fingerprint) and
    /// unlocks with the first that answers; what to say, as `after_unlock` (`None`: unlocked).
    /// Unlocked already, it confirms the user (the lock settings ask before a change).
    pub async fn unlock_with_passkeys(&self, keys: Vec<PasskeyInfo>) -> Option<String> {
        let mut said = self.t(T::PasskeyNotUsed).to_owned();
        for key in keys {
            let Ok(id) = URL_SAFE_NO_PAD.decode(&key.credential_id) else {
                continue;
            };
            match passkey::evaluate(&id, &key.prf_salt).await {
                Ok(output) => {
                    // No tab lock (`unlock_with_secret`). This attempt stores the counter too,
                    // but it fails only when a stored wrap does not match (a passkey's answer is
                    // not guessed) and, right, resets the counter: a guess in another tab that
                    // it overwrites would be reset the same way.
                    let outcome =
                        self.with_service(|s| s.unlock_with_passkey(&key.credential_id, &output));
                    return self.after_unlock(outcome);
                }
                Err(err) => said = passkey_error(self.lang(), &err),
            }
        }
        Some(said)
    }

    /// After the lock was set up or changed: the new status, and the data if it just opened.
    pub fn after_lock_change(&self, outcome: Result<(), LockError>) -> Result<(), String> {
        match outcome {
            Ok(()) => {
                self.refresh_recovery();
                self.refresh_lock();
                Ok(())
            }
            Err(err) => Err(lock_error(self.lang(), &err)),
        }
    }

    /// Sets the PIN or passphrase typed twice (the two entries must match). The key derivation
    /// takes about a second on a phone, so the caller's "working" shows first.
    pub async fn set_secret(
        &self,
        kind: SecretKind,
        first: Zeroizing<String>,
        repeat: Zeroizing<String>,
    ) -> Result<(), String> {
        if *first != *repeat {
            return Err(self.t(T::ErrSecretsDiffer).to_owned());
        }
        crate::platform::clock::yield_to_paint().await;
        let outcome = self.with_service(|s| match kind {
            SecretKind::Pin => s.set_pin(&first),
            SecretKind::Passphrase => s.set_passphrase(&first),
        });
        let changed = self.after_lock_change(outcome);
        // The one who just set it needs not answer it again at once.
        if changed.is_ok() {
            self.lock_confirmed.set(true);
        }
        changed
    }

    /// Makes a passkey on this phone (its screen lock or fingerprint) and adds it to the lock:
    /// kept only when it gave its PRF output.
    pub async fn add_passkey_here(&self) -> Result<(), String> {
        let salt = self.with_service(|s| s.passkey_salt_for_new());
        let made = passkey::create(&salt, self.t(T::AppName))
            .await
            .map_err(|err| passkey_error(self.lang(), &err))?;
        let id = URL_SAFE_NO_PAD.encode(&made.credential_id);
        let added = self.with_service(|s| s.add_passkey(&id, &salt, &made.prf_output));
        let changed = self.after_lock_change(added);
        if changed.is_ok() {
            self.lock_confirmed.set(true);
        }
        changed
    }

    /// The recovery copy follows the officer's key in the settings. On the officer's own phone
    /// (the stored officer key is this device's own) there is none: the officer relies on the
    /// key backup instead. Not renewed (a full storage), the change that asked for it holds all
    /// the same: the alert says the copy was not renewed, and the lock settings, which compare
    /// the key the stored copy is sealed to with the officer's, keep saying it until a renewal
    /// succeeds (saving the settings again tries once more).
    pub(crate) fn refresh_recovery(&self) {
        if !matches!(self.lock.get_untracked(), LockView::Open { .. }) {
            return;
        }
        let officer = self.settings.with_untracked(|s| s.officer_key());
        let own = self
            .own_key
            .with_untracked(|k| k.as_ref().map(|k| k.public()));
        let recipient = officer.filter(|key| Some(key) != own.as_ref());
        if let Err(err) = self.with_service(|s| s.refresh_recovery(recipient.as_ref())) {
            self.alert.set(Some(format!(
                "{} {}",
                self.t(T::RecoveryRenewFailed),
                lock_error(self.lang(), &err)
            )));
        }
    }
}

/// Posts "lock" to the other tabs of the app.
fn post_lock_to_other_tabs() {
    if let Ok(channel) = web_sys::BroadcastChannel::new(LOCK_CHANNEL) {
        let _ = channel.post_message(&wasm_bindgen::JsValue::from_str("lock"));
        channel.close();
    }
}
