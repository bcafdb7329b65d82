//! The state every screen shares: signals over the application service. Every change goes
//! through the service (which checks it, stores it, and only then reports it done); this file
//! only turns the outcome into what the screens show.

use crate::platform::clock;
use crate::platform::storage::LocalStorageKv;
use crate::ui::i18n::{kv_error, record_error, save_error, tr, T};
use crate::ui::route::Route;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use rand_core::OsRng;
use std::collections::{BTreeMap, BTreeSet};
use stodrutin_age::PrivateKey;
use stodrutin_domain::{Case, CaseId, Payload, RecordError, Routine, RoutineRef};
use stodrutin_service::lock::{LockInfo, PreUnlock, SealedKv};
use stodrutin_service::{
    CaseService, KvError, Lang, Loaded, Profile, RecordFailure, SaveError, Settings, Unreadable,
};

/// The application service as the browser runs it: local storage sealed under the data key, the
/// phone's clock, Web Crypto.
pub type AppService = CaseService<SealedKv<LocalStorageKv>, fn() -> DateTime<Utc>, OsRng>;

/// What the app shows as to the lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockView {
    /// No lock yet: the first start offers one (and "Senare").
    Setup,
    /// The data key is not in memory: the lock screen (with the calls).
    Locked(LockInfo),
    /// The app is open; `protected` is false in the "Senare" mode ("Inte skyddat").
    Open { protected: bool },
    /// The lock record cannot be read (damaged, or from a newer version): nothing is
    /// overwritten; the screen says why and keeps the calls. `damaged`: the record itself no
    /// longer reads, so nothing stored will ever open again here; the screen offers to save it
    /// all as stored and to start over.
    Blocked { message: String, damaged: bool },
}

/// Where the build's routine packs stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutinesView {
    /// `routines/index.json` is being read (a few milliseconds from the service worker's cache).
    Loading,
    /// The service holds the build's packs (`AppContext::offered_routines`).
    Ready,
    /// The list could not be read; stored cases still open in the packs this device keeps.
    Failed,
}

#[derive(Clone, Copy)]
pub struct AppContext {
    /// The build's packs; views that look a pack up track it (kept packs load with it).
    pub routines: RwSignal<RoutinesView>,
    pub lock: RwSignal<LockView>,
    /// What the last unlock attempt said (wrong, wait, wiped) on the lock screen.
    pub lock_message: RwSignal<Option<String>>,
    pub profile: RwSignal<Profile>,
    pub settings: RwSignal<Settings>,
    /// The officer's private key, when this device holds one.
    pub own_key: RwSignal<Option<PrivateKey>>,
    /// Every readable case on this device.
    pub cases: RwSignal<Vec<Case>>,
    /// Cases with events held in memory that storage refused.
    pub unsaved: RwSignal<BTreeSet<CaseId>>,
    /// Stored values that could not be read, kept untouched (and offered for raw export).
    pub unreadable: RwSignal<Vec<Unreadable>>,
    /// The screen shown. Only the URL fragment writes it (`App`'s hashchange listener).
    pub route: RwSignal<Route>,
    /// Confirmations, announced politely (`role="status"`).
    pub status: RwSignal<String>,
    /// Errors that concern the whole app, announced at once (`role="alert"`).
    pub alert: RwSignal<Option<String>>,
    /// Event counts at each case's last export.
    pub exported: RwSignal<BTreeMap<CaseId, usize>>,
    /// The user answered the lock (or set it) since this tab was last unlocked: changes of the
    /// lock and of the officer key (where the recovery copy goes) are open. Cleared at a lock.
    pub lock_confirmed: RwSignal<bool>,
    /// Drafts of open forms, by form (JSON): sealed in memory across a lock (`ui::drafts`).
    pub drafts: StoredValue<BTreeMap<String, String>>,
    /// Files chosen in open forms and not yet saved, by form: sealed in memory across a lock
    /// with the drafts (`ui::drafts`).
    pub draft_files: StoredValue<Vec<(String, crate::ui::drafts::DraftFile)>>,
    /// The drafts, their files and the unsaved cases of the time of the last lock, sealed under
    /// the data key (`lock_control::KeptMemory`).
    pub(crate) kept_memory: StoredValue<Option<crate::ui::lock_control::KeptMemory>>,
    /// When the user last touched or typed (for the idle lock).
    pub(crate) last_activity: StoredValue<DateTime<Utc>>,
    /// A call, the camera or the share sheet the app itself opened is in front: being hidden then
    /// does not lock (the idle rule applies after return).
    pub(crate) opened_external: StoredValue<bool>,
    /// When and where a row's state was last recorded by a tap: see `record_tap`.
    last_row_tap: StoredValue<Option<(f64, i32, i32)>>,
    /// A language chosen before the data was open (the lock screen, the first start): the
    /// profile takes it at the opening.
    lang_chosen_closed: StoredValue<Option<Lang>>,
    /// One service for the app's life: its repository remembers what it wrote, to skip needless
    /// re-reads.
    service: StoredValue<AppService>,
}

pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}

impl AppContext {
    pub fn new() -> AppContext {
        let mut service: AppService =
            CaseService::new(SealedKv::new(LocalStorageKv), clock::now, OsRng);
        // Before the data key is known only the plain pre-unlock record can be read: the
        // language and the numbers the lock screen's calls need.
        let pre = service.pre_unlock();
        let status = service.open_storage();
        let mut profile = Profile::new(String::new());
        profile.lang = pre.lang;
        let settings = Settings {
            officer_phone: pre.officer_phone,
            strategist_phone: pre.strategist_phone,
            ..Settings::default()
        };
        let context = AppContext {
            routines: RwSignal::new(RoutinesView::Loading),
            lock: RwSignal::new(LockView::Setup),
            lock_message: RwSignal::new(None),
            alert: RwSignal::new(None),
            profile: RwSignal::new(profile),
            settings: RwSignal::new(settings),
            own_key: RwSignal::new(None),
            cases: RwSignal::new(Vec::new()),
            unsaved: RwSignal::new(BTreeSet::new()),
            unreadable: RwSignal::new(Vec::new()),
            route: RwSignal::new(Route::parse(&current_hash())),
            status: RwSignal::new(String::new()),
            exported: RwSignal::new(BTreeMap::new()),
            lock_confirmed: RwSignal::new(false),
            drafts: StoredValue::new(BTreeMap::new()),
            draft_files: StoredValue::new(Vec::new()),
            kept_memory: StoredValue::new(None),
            last_activity: StoredValue::new(clock::now()),
            opened_external: StoredValue::new(false),
            last_row_tap: StoredValue::new(None),
            lang_chosen_closed: StoredValue::new(None),
            service: StoredValue::new(service),
        };
        context.show_lock_status(status);
        context
    }

    /// Reads the device's values and cases (the data key is in place).
    pub(crate) fn load_data(&self) {
        let mut unreadable = Vec::new();
        let mut alert = None;
        let fallback_id = self.with_service(|s| s.random_id());
        let profile = keep(
            self.with_service(|s| s.load_profile()),
            || Profile::new(fallback_id),
            &mut unreadable,
            &mut alert,
        );
        let settings = keep(
            self.with_service(|s| s.load_settings()),
            Settings::default,
            &mut unreadable,
            &mut alert,
        );
        let own_key = keep(
            self.with_service(|s| s.load_private_key()),
            || None,
            &mut unreadable,
            &mut alert,
        );
        if let Some(err) = alert {
            self.alert.set(Some(kv_error(profile.lang, &err)));
        }
        let chosen = self.lang_chosen_closed.get_value();
        self.lang_chosen_closed.set_value(None);
        self.profile.set(profile);
        self.settings.set(settings);
        self.own_key.set(own_key);
        self.unreadable.set(unreadable);
        self.reload_cases();
        self.refresh_kept_routines();
        // A language chosen on the lock screen or the lock offer: the profile takes it.
        if let Some(lang) = chosen.filter(|lang| *lang != self.lang()) {
            if let Err(message) = self.change_profile(&|profile| profile.lang = lang) {
                self.alert.set(Some(message));
            }
        }
        self.save_pre_unlock();
    }

    /// Reads the build's routine packs (`platform::packs`), once, at start.
    pub(crate) fn load_shipped_routines(&self) {
        let app = *self;
        leptos::task::spawn_local(async move {
            let files = crate::platform::packs::shipped().await;
            let lang = app.lang();
            let files = match files {
                Ok(files) => files,
                Err(_) => {
                    app.alert
                        .set(Some(tr(lang, T::RoutinesUnavailable).to_owned()));
                    app.routines.set(RoutinesView::Failed);
                    return;
                }
            };
            // A pack at a time, each in a task of its own: read together at start they made
            // one long task, which kept a first tap (on a call) waiting. The first one waits
            // too: it then comes after the app's first screen, queued the same way (`ui::app`).
            let mut first_error = None;
            for (file, text) in &files {
                crate::platform::clock::pause().await;
                let added = app.with_service(|s| s.add_shipped_routine(file, text));
                if let (Err(error), None) = (added, &first_error) {
                    first_error = Some(error);
                }
            }
            if let Some(first) = first_error {
                app.alert
                    .set(Some(crate::ui::i18n::shipped_pack_error(lang, &first)));
            }
            if matches!(app.lock.get_untracked(), LockView::Open { .. }) {
                app.refresh_kept_routines();
            }
            app.routines.set(RoutinesView::Ready);
        });
    }

    /// Loads the packs this device keeps and keeps those of stored cases (after the data key is in
    /// place). A storage error leaves cases whose pack is not kept yet to be kept at their next save.
    pub(crate) fn refresh_kept_routines(&self) {
        let cases = self.cases.get_untracked();
        let _ = self.with_service(|s| s.load_routines(&cases));
        // Views that looked a pack up look again.
        self.routines.update(|_| {});
    }

    /// The routine pack a case follows, shipped or kept here.
    pub fn routine(&self, reference: &RoutineRef) -> Option<&'static Routine> {
        self.routines.track();
        self.with_service(|s| s.routine(reference))
    }

    /// The packs a new case may follow: the build's, each routine in its newest version (empty
    /// until they are read).
    pub fn offered_routines(&self) -> Vec<&'static Routine> {
        // Only once every pack is read (they are read one task at a time): a part of the list
        // would start a case on whichever came first, without the choice.
        if !self
            .routines
            .with(|view| matches!(view, RoutinesView::Ready))
        {
            return Vec::new();
        }
        self.with_service(|s| s.offered_routines())
    }

    /// The role the user acts in (`Profile::acting_role`), tracked.
    pub fn role(&self) -> stodrutin_domain::Role {
        self.profile.with(Profile::acting_role)
    }

    /// Whether the user's role is among those responsible for `row` (tracked: follows a change of
    /// role).
    pub fn is_mine(&self, routine: &Routine, row: &stodrutin_domain::routine::Row) -> bool {
        routine.actors_of(row).contains(&self.role())
    }

    /// Whether the app is open (not locked, blocked or being set up): work that finishes after
    /// a wait checks it before it shows a case again.
    pub fn is_open(&self) -> bool {
        matches!(self.lock.get_untracked(), LockView::Open { .. })
    }

    /// Switches the interface to the other language. Open, the profile keeps it; before the
    /// data is open, the lock screen's own record does, and the profile takes it at the opening.
    pub fn switch_language(&self) -> Result<(), String> {
        let lang = crate::ui::i18n::other(self.lang());
        if self.is_open() {
            return self.change_profile(&|profile| profile.lang = lang);
        }
        self.profile.update(|profile| profile.lang = lang);
        self.lang_chosen_closed.set_value(Some(lang));
        let mut pre = self.with_service(|s| s.pre_unlock());
        pre.lang = lang;
        // Not kept (no room for the lock screen's record): the screen still switches, and the
        // profile takes the language at the opening; the lock screen has no alert to say more.
        let _ = self.with_service(|s| s.save_pre_unlock(&pre));
        Ok(())
    }

    pub fn lang(&self) -> Lang {
        self.profile.with(|p| p.lang)
    }

    pub fn t(&self, key: T) -> &'static str {
        tr(self.lang(), key)
    }

    /// The text `key` in the UI's language, following it: for a view's text. One closure type
    /// serves every text of the interface (a `move || app.t(T::…)` at each place was a closure
    /// type, and its code in the wasm, per text).
    pub fn tx(self, key: T) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// Runs `f` with the application service (the one door to storage).
    pub fn with_service<O>(&self, f: impl FnOnce(&mut AppService) -> O) -> O {
        self.service
            .try_update_value(f)
            .expect("the service lives as long as the app")
    }

    /// Reads every case from storage again (at start, and when another tab wrote). The stored
    /// copy is merged into the one in memory, never put in its place: events memory holds that
    /// storage lacks (a write that read storage just before another tab's landed) stay, and the
    /// case is marked unsaved, so the retry stores them. Device values found unreadable at start
    /// stay listed.
    pub fn reload_cases(&self) {
        let report = match self.with_service(|s| s.load_cases()) {
            Ok(report) => report,
            Err(err) => {
                self.alert.set(Some(kv_error(self.lang(), &err)));
                return;
            }
        };
        let unsaved = self.unsaved.get_untracked();
        let in_memory = self.cases.get_untracked();
        let mut behind = Vec::new();
        let mut cases: Vec<Case> = report
            .cases
            .into_iter()
            .map(|stored| {
                let Some(mine) = in_memory.iter().find(|c| c.id == stored.id) else {
                    return stored;
                };
                match mine.merge(&stored) {
                    Ok(merged) => {
                        if merged.event_count() > stored.event_count() {
                            behind.push(stored.id.clone());
                        }
                        merged
                    }
                    // Copies that do not merge: unsaved events are not given up for the stored.
                    Err(_) if unsaved.contains(&mine.id) => mine.clone(),
                    Err(_) => stored,
                }
            })
            .collect();
        // Cases in memory that storage no longer holds: one with unsaved events stays; one
        // deleted in another tab goes, and its open forms' drafts with it, as in that tab (a
        // case whose stored value no longer reads keeps them).
        for mine in in_memory {
            if cases.iter().any(|c| c.id == mine.id) {
                continue;
            }
            if unsaved.contains(&mine.id) {
                cases.push(mine);
                continue;
            }
            let stored_key = stodrutin_service::store::case_key(&mine.id);
            if !report.unreadable.iter().any(|u| u.key == stored_key) {
                self.drop_drafts_of(&mine.id);
            }
        }
        let catch_up = !behind.is_empty();
        if catch_up {
            self.unsaved.update(|ids| ids.extend(behind));
        }
        self.cases.set(cases);
        self.unreadable.update(|list| {
            list.retain(|u| !u.key.starts_with(stodrutin_service::store::CASE_PREFIX));
            list.extend(report.unreadable);
        });
        if let Ok(counts) = self.with_service(|s| s.exported_counts()) {
            self.exported.set(counts);
        }
        // What memory held that storage lacked is stored now, not at the next retry.
        if catch_up {
            self.retry_unsaved();
        }
    }

    /// Goes to `route` by changing the URL fragment; the hashchange listener shows it.
    pub fn navigate(&self, route: Route) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&route.hash());
        }
    }

    pub fn case(&self, id: &CaseId) -> Option<Case> {
        self.cases
            .with(|cases| cases.iter().find(|c| &c.id == id).cloned())
    }

    /// A case and the routine it follows, when this device shows both.
    pub fn case_with_routine(&self, id: &CaseId) -> Option<(Case, &'static Routine)> {
        let case = self.case(id)?;
        let routine = case.routine().and_then(|r| self.routine(&r))?;
        Some((case, routine))
    }

    /// The stored value of a case that could not be read, if that is why it is not shown.
    pub fn unreadable_case(&self, id: &CaseId) -> Option<Unreadable> {
        let key = stodrutin_service::store::case_key(id);
        self.unreadable
            .with(|list| list.iter().find(|u| u.key == key).cloned())
    }

    /// Opens a new case following `routine` (one the build ships) and stores it.
    pub fn open_case(
        &self,
        routine: &'static Routine,
        incident_at: DateTime<Utc>,
    ) -> Result<CaseId, String> {
        let profile = self.profile.get_untracked();
        let outcome = self.with_service(|s| s.open_case(&profile, routine, incident_at));
        self.show(outcome).map_err(|(_, message)| message)
    }

    /// Records `payload` on the case. A refused event returns the message to show beside the
    /// control; a storage failure keeps the event in memory and raises the app-wide alert.
    pub fn record(&self, case_id: &CaseId, payload: Payload) -> Result<(), String> {
        self.record_checked(case_id, payload)
            .map_err(|(_, message)| message)
    }

    /// As `record`, also giving the domain's reason (when it was the domain that refused), so a
    /// form can point at the field at fault.
    pub fn record_checked(
        &self,
        case_id: &CaseId,
        payload: Payload,
    ) -> Result<(), (Option<RecordError>, String)> {
        let case = self
            .case(case_id)
            .ok_or_else(|| (None, self.t(T::CaseNotFound).to_owned()))?;
        let profile = self.profile.get_untracked();
        let outcome = self.with_service(|s| s.record(&case, &profile, payload));
        self.show(outcome).map(|_| ())
    }

    /// Says `text` in the polite status region. The same words again are said again: a live
    /// region speaks only a change, so a repeat gets an invisible mark (a zero-width space).
    pub fn announce(&self, text: &str) {
        self.status.update(|shown| {
            *shown = match shown == text {
                true => format!("{text}\u{200B}"),
                false => text.to_owned(),
            }
        });
    }

    /// Why reloading now would lose something, if it would: events storage refused (held only
    /// in memory), or a form open with what is typed or a file chosen in it.
    pub fn reload_would_lose(&self) -> Option<T> {
        if self.unsaved.with_untracked(|unsaved| !unsaved.is_empty()) {
            return Some(T::UpdateWaitsUnsaved);
        }
        let drafts = self.drafts.with_value(|drafts| !drafts.is_empty())
            || self.draft_files.with_value(|files| !files.is_empty());
        drafts.then_some(T::UpdateWaitsDraft)
    }

    /// Records `payload` for a tap on a row's "Klar" or "Öppna igen" (or "Nu"'s "Klar"), unless
    /// the tap is the second of a double tap (the same place, within a third of a second): `None`
    /// then. The tapped row leaves "Nu", or its buttons change, under the finger: the second tap
    /// would record the next row done, or the reopened row done again. Measured from when the
    /// first tap's record was done: the second tap waits while the first is recorded, however
    /// long that takes on a slow phone. A key press on the button (no pointer) is always taken.
    pub fn record_tap(
        &self,
        tap: &leptos::ev::MouseEvent,
        case_id: &CaseId,
        payload: Payload,
    ) -> Option<Result<(), String>> {
        const DOUBLE_TAP_MS: f64 = 350.0;
        const SAME_PLACE_PX: i32 = 24;
        let pointer = tap.detail() != 0;
        let (x, y) = (tap.client_x(), tap.client_y());
        let second_of_two = pointer
            && self
                .last_row_tap
                .get_value()
                .is_some_and(|(at, last_x, last_y)| {
                    clock::millis() - at < DOUBLE_TAP_MS
                        && (x - last_x).abs() <= SAME_PLACE_PX
                        && (y - last_y).abs() <= SAME_PLACE_PX
                });
        if second_of_two {
            return None;
        }
        let recorded = self.record(case_id, payload);
        if pointer {
            self.last_row_tap.set_value(Some((clock::millis(), x, y)));
        }
        Some(recorded)
    }

    /// Shows the outcome of a change: the stored case, or the case kept in memory as not saved
    /// (with the app-wide alert), or the reason the change was refused.
    pub(crate) fn show(
        &self,
        outcome: Result<Case, RecordFailure>,
    ) -> Result<CaseId, (Option<RecordError>, String)> {
        let lang = self.lang();
        let (shown, saved) = match outcome {
            Ok(stored) => (stored, Ok(())),
            Err(RecordFailure::NotSaved { case, error }) => (case, Err(error)),
            Err(RecordFailure::Refused(err)) => {
                let message = record_error(lang, &err);
                return Err((Some(err), message));
            }
            Err(RecordFailure::UnknownRoutine) => {
                return Err((None, tr(lang, T::RoutineUnknown).to_owned()))
            }
        };
        let id = shown.id.clone();
        let (shown, saved) = self.with_held_events(shown, saved);
        // Deleted meanwhile: not shown again, and the caller hears it was not kept.
        if matches!(saved, Err(SaveError::Deleted)) {
            self.announce_saved(&id, Err(SaveError::Deleted));
            return Err((None, save_error(lang, &SaveError::Deleted)));
        }
        self.cases
            .update(|cases| match cases.iter_mut().find(|c| c.id == id) {
                Some(existing) => *existing = shown,
                None => cases.push(shown),
            });
        self.announce_saved(&id, saved);
        Ok(id)
    }

    /// The outcome of a change made on a copy of a case taken before an await (an evidence file
    /// sealed and written, an import confirmed), with the events recorded in memory meanwhile:
    /// they are stored with it now, or kept as not saved. Shown as it came, the copy would drop
    /// them from memory, and a success would clear the marker of events storage had refused.
    fn with_held_events(
        &self,
        outcome: Case,
        saved: Result<(), SaveError>,
    ) -> (Case, Result<(), SaveError>) {
        let held = self.cases.with_untracked(|cases| {
            cases
                .iter()
                .find(|c| c.id == outcome.id)
                .and_then(|held| held.merge(&outcome).ok())
        });
        match held {
            Some(merged) if merged.event_count() > outcome.event_count() => {
                match self.with_service(|s| s.save(merged)) {
                    Ok(stored) => (stored, saved),
                    Err(RecordFailure::NotSaved { case, error }) => (case, Err(error)),
                    Err(_) => (outcome, saved),
                }
            }
            _ => (outcome, saved),
        }
    }

    fn announce_saved(&self, id: &CaseId, saved: Result<(), SaveError>) {
        match saved {
            Ok(()) => {
                self.unsaved.update(|u| {
                    u.remove(id);
                });
                // Another case's events still unsaved: its message stays.
                if self.unsaved.with_untracked(|u| u.is_empty()) {
                    self.alert.set(None);
                }
                self.announce(self.t(T::Saved));
            }
            // Deleted here (in this tab or another) while something still wrote to it: it is
            // not brought back, and this tab lets it go too.
            Err(SaveError::Deleted) => {
                self.cases.update(|cases| cases.retain(|c| &c.id != id));
                self.unsaved.update(|u| {
                    u.remove(id);
                });
                self.alert
                    .set(Some(save_error(self.lang(), &SaveError::Deleted)));
            }
            Err(err) => {
                self.unsaved.update(|u| {
                    u.insert(id.clone());
                });
                self.status.set(String::new());
                self.alert.set(Some(save_error(self.lang(), &err)));
            }
        }
    }

    /// The cases whose events storage refused, as shown (the events kept in memory).
    pub(crate) fn unsaved_cases(&self) -> Vec<Case> {
        self.unsaved.with_untracked(|ids| {
            self.cases.with_untracked(|cases| {
                cases
                    .iter()
                    .filter(|c| ids.contains(&c.id))
                    .cloned()
                    .collect()
            })
        })
    }

    /// Tries again to store every case whose events storage refused.
    pub fn retry_unsaved(&self) {
        for case in self.unsaved_cases() {
            let outcome = self.with_service(|s| s.save(case));
            let _ = self.show(outcome);
        }
    }

    /// Stores a checked import (the user confirmed it) and shows the case.
    pub fn commit_import(
        &self,
        checked: stodrutin_service::CheckedImport,
    ) -> Result<CaseId, String> {
        // Locked while the files were stored (an import waits on IndexedDB): the merged case is
        // not brought back into memory behind the lock screen; the caller takes the files back.
        if !self.is_open() {
            return Err(kv_error(self.lang(), &KvError::Locked));
        }
        let outcome = self.with_service(|s| s.commit_import(checked));
        self.show(outcome).map_err(|(_, message)| message)
    }

    /// Deletes a case from this device (the user confirmed it).
    pub fn delete_case(&self, id: &CaseId) -> Result<(), String> {
        match self.with_service(|s| s.delete_case(id)) {
            Ok(()) => {
                let items_of = id.clone();
                leptos::task::spawn_local(async move {
                    crate::ui::evidence_store::remove_case(&items_of).await
                });
                self.cases.update(|cases| cases.retain(|c| &c.id != id));
                self.unsaved.update(|u| {
                    u.remove(id);
                });
                self.drop_drafts_of(id);
                Ok(())
            }
            Err(err) => Err(kv_error(self.lang(), &err)),
        }
    }

    /// Deletes everything the app keeps on this device, settings included.
    pub fn wipe(&self) -> Result<(), String> {
        match self.with_service(|s| s.wipe_all()) {
            Ok(()) => {
                // The item key went with the values (every item is unreadable from now on);
                // the sealed bytes go too.
                leptos::task::spawn_local(crate::ui::evidence_store::remove_all());
                self.forget_shown();
                self.kept_memory.set_value(None);
                // What an unlock attempt said is not said again on the first start's screen.
                self.lock_message.set(None);
                self.settings.set(Settings::default());
                // Nothing is left, the lock included: the first start's offer comes again.
                self.lock.set(LockView::Setup);
                Ok(())
            }
            Err(err) => Err(kv_error(self.lang(), &err)),
        }
    }

    /// Bytes the app's data takes in local storage.
    pub fn used_bytes(&self) -> usize {
        self.with_service(|s| s.used_bytes()).unwrap_or(0)
    }

    /// Whether the case has events that were never exported from this device.
    pub fn is_unexported(&self, id: &CaseId, event_count: usize) -> bool {
        self.exported.with(|counts| {
            counts
                .get(id)
                .is_none_or(|exported| *exported < event_count)
        })
    }

    pub fn mark_exported(&self, case: &Case) {
        // Not being able to note the export only leaves the "not exported" mark up: no data is lost.
        if self.with_service(|s| s.mark_exported(case)).is_ok() {
            self.exported.update(|counts| {
                counts.insert(case.id.clone(), case.event_count());
            });
        }
    }

    /// Changes the settings as they are stored, not as this tab last read them: another tab
    /// may have stored the officer's key since, and writing this tab's older copy back would
    /// take it away (and with it the recovery copy).
    /// Not read (storage refused even keeping a damaged value aside), nothing is written; not
    /// stored, nothing changes: a number or key shown must be one the phone keeps.
    pub fn change_settings(&self, change: &dyn Fn(&mut Settings)) -> Result<(), String> {
        let loaded = self
            .with_service(|s| s.load_settings())
            .map_err(|err| kv_error(self.lang(), &err))?;
        // Stored settings that do not read (kept aside now): the change goes on the settings
        // shown, never on defaults (an empty officer key would take the recovery copy away).
        let mut settings = match loaded.unreadable {
            Some(_) => self.settings.get_untracked(),
            None => loaded.value,
        };
        self.note_unreadable(loaded.unreadable);
        change(&mut settings);
        self.with_service(|s| s.save_settings(&settings))
            .map_err(|err| kv_error(self.lang(), &err))?;
        self.settings.set(settings);
        self.save_pre_unlock();
        self.refresh_recovery();
        Ok(())
    }

    /// Changes the profile as it is stored (as `change_settings`). Not read (nothing is written
    /// then) or not stored, the change holds in this tab all the same (the language, the role a
    /// case opens with), and the error says it was not kept.
    pub fn change_profile(&self, change: &dyn Fn(&mut Profile)) -> Result<(), String> {
        let loaded = match self.with_service(|s| s.load_profile()) {
            Ok(loaded) => loaded,
            Err(err) => {
                self.profile.update(|profile| change(profile));
                return Err(kv_error(self.lang(), &err));
            }
        };
        // A stored profile that does not read (kept aside now): the change goes on the one
        // shown, not on a fresh one.
        let mut profile = match loaded.unreadable {
            Some(_) => self.profile.get_untracked(),
            None => loaded.value,
        };
        self.note_unreadable(loaded.unreadable);
        change(&mut profile);
        let result = self.with_service(|s| s.save_profile(&profile));
        self.profile.set(profile);
        self.save_pre_unlock();
        result.map_err(|err| kv_error(self.lang(), &err))
    }

    /// Drops a deleted case's open forms' drafts and chosen files (`<kind>/<case id>/…`): they
    /// would come back after a lock, and keep a reload waiting.
    fn drop_drafts_of(&self, id: &CaseId) {
        let of_case = |key: &str| key.split('/').nth(1) == Some(id.as_str());
        self.drafts
            .update_value(|drafts| drafts.retain(|key, _| !of_case(key)));
        self.draft_files
            .update_value(|files| files.retain(|(key, _)| !of_case(key)));
    }

    /// Lists a value found unreadable (and kept aside) once, however often it is met.
    fn note_unreadable(&self, found: Option<Unreadable>) {
        if let Some(found) = found {
            self.unreadable.update(|list| {
                if !list.iter().any(|known| known.key == found.key) {
                    list.push(found);
                }
            });
        }
    }

    /// The officer's key as stored now (made or restored in another tab).
    pub fn reload_own_key(&self) {
        if let Ok(loaded) = self.with_service(|s| s.load_private_key()) {
            // A stored key that does not read was kept aside: listed, like one found at start.
            self.note_unreadable(loaded.unreadable);
            let changed = self.own_key.with_untracked(|shown| {
                shown.as_ref().map(|k| k.public()) != loaded.value.as_ref().map(|k| k.public())
            });
            if changed {
                self.own_key.set(loaded.value);
            }
        }
    }

    /// Another tab stored the profile or the settings: this tab shows them too. Set only when
    /// they differ, as every screen follows the language.
    /// Only read: a value this tab cannot read (a newer version's, in its tab) is left as it
    /// is, neither kept aside nor replaced.
    pub fn reload_device_values(&self) {
        if let Some(stored) = self.with_service(|s| s.read_settings()) {
            if self.settings.with_untracked(|shown| *shown != stored) {
                self.settings.set(stored);
            }
        }
        if let Some(stored) = self.with_service(|s| s.read_profile()) {
            if self.profile.with_untracked(|shown| *shown != stored) {
                self.profile.set(stored);
            }
        }
    }

    /// The lock screen's language and call numbers follow the profile and settings.
    fn save_pre_unlock(&self) {
        let pre = PreUnlock::of(
            &self.settings.get_untracked(),
            Some(&self.profile.get_untracked()),
        );
        // Written only when it changed: every start and unlock comes through here. Not fatal:
        // the lock screen then shows Swedish and the two public numbers only.
        if self.with_service(|s| s.pre_unlock()) != pre {
            let _ = self.with_service(|s| s.save_pre_unlock(&pre));
        }
    }
}

impl Default for AppContext {
    fn default() -> Self {
        AppContext::new()
    }
}

/// A device value as loaded at start: an unreadable stored value is listed (it was kept aside),
/// and storage that cannot be read at all leaves the default and raises the alert.
fn keep<T>(
    loaded: Result<Loaded<T>, KvError>,
    fallback: impl FnOnce() -> T,
    unreadable: &mut Vec<Unreadable>,
    alert: &mut Option<KvError>,
) -> T {
    match loaded {
        Ok(Loaded {
            value,
            unreadable: damaged,
        }) => {
            unreadable.extend(damaged);
            value
        }
        Err(err) => {
            *alert = Some(err);
            fallback()
        }
    }
}

pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
