//! The state every screen shares, and the one path by which anything is recorded: check the event
//! in the domain, write it to storage, and only then show it as saved.

use crate::domain::store::{CaseRepository, SaveError, Unreadable};
use crate::domain::{
    Author, Case, CaseId, EventId, EventMeta, Payload, RecordError, Role, Routine,
};
use crate::platform::clock;
use crate::platform::ids::random_id;
use crate::platform::profile::{Lang, Profile};
use crate::platform::settings::Settings;
use crate::platform::storage::LocalStorageKv;
use crate::ui::i18n::{record_error, save_error, tr, T};
use crate::ui::route::Route;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy)]
pub struct AppContext {
    pub profile: RwSignal<Profile>,
    pub settings: RwSignal<Settings>,
    /// Every readable case on this device.
    pub cases: RwSignal<Vec<Case>>,
    /// Cases with events held in memory that storage refused.
    pub unsaved: RwSignal<BTreeSet<CaseId>>,
    /// Stored values that could not be read, kept untouched (and offered for raw export).
    pub unreadable: RwSignal<Vec<Unreadable>>,
    pub route: RwSignal<Route>,
    /// Confirmations, announced politely (`role="status"`).
    pub status: RwSignal<String>,
    /// Errors that concern the whole app, announced at once (`role="alert"`).
    pub alert: RwSignal<Option<String>>,
    /// Event counts at each case's last export.
    pub exported: RwSignal<BTreeMap<CaseId, usize>>,
    /// One repository for the app's life: it remembers what it wrote, to skip needless re-reads.
    repository: StoredValue<Repository>,
}

pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}

type Repository = CaseRepository<LocalStorageKv>;

impl AppContext {
    pub fn new() -> AppContext {
        let context = AppContext {
            profile: RwSignal::new(Profile::load()),
            settings: RwSignal::new(Settings::load()),
            cases: RwSignal::new(Vec::new()),
            unsaved: RwSignal::new(BTreeSet::new()),
            unreadable: RwSignal::new(Vec::new()),
            route: RwSignal::new(Route::parse(&current_hash())),
            status: RwSignal::new(String::new()),
            alert: RwSignal::new(None),
            exported: RwSignal::new(BTreeMap::new()),
            repository: StoredValue::new(CaseRepository::new(LocalStorageKv)),
        };
        context.reload_cases();
        context
    }

    pub fn lang(&self) -> Lang {
        self.profile.with(|p| p.lang)
    }

    pub fn t(&self, key: T) -> &'static str {
        tr(self.lang(), key)
    }

    /// Reads every case from storage again (at start, and when another tab wrote). Cases with
    /// unsaved events keep them: the stored copy is merged into the one in memory.
    pub fn reload_cases(&self) {
        let report = match self.repository.with_value(|r| r.load_all()) {
            Ok(report) => report,
            Err(err) => {
                self.alert
                    .set(Some(save_error(self.lang(), &SaveError::Storage(err))));
                return;
            }
        };
        let unsaved = self.unsaved.get_untracked();
        let in_memory = self.cases.get_untracked();
        let mut cases: Vec<Case> = report
            .cases
            .into_iter()
            .map(|stored| {
                in_memory
                    .iter()
                    .find(|c| c.id == stored.id && unsaved.contains(&c.id))
                    .and_then(|mine| mine.merge(&stored).ok())
                    .unwrap_or(stored)
            })
            .collect();
        for mine in in_memory {
            if unsaved.contains(&mine.id) && !cases.iter().any(|c| c.id == mine.id) {
                cases.push(mine);
            }
        }
        self.cases.set(cases);
        self.unreadable.set(report.unreadable);
        if let Some(Ok(counts)) = self.repository.try_with_value(|r| r.exported_counts()) {
            self.exported.set(counts);
        }
    }

    pub fn navigate(&self, route: Route) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&route.hash());
        }
        self.route.set(route);
    }

    fn meta(&self) -> EventMeta {
        let profile = self.profile.get_untracked();
        let name = profile.name.trim();
        EventMeta {
            id: EventId(random_id()),
            now: clock::now(),
            device: crate::domain::DeviceId(profile.device_id.clone()),
            author: Author {
                role: profile.role.unwrap_or(Role::InitialSupport),
                name: (!name.is_empty()).then(|| name.to_owned()),
            },
        }
    }

    pub fn case(&self, id: &CaseId) -> Option<Case> {
        self.cases
            .with(|cases| cases.iter().find(|c| &c.id == id).cloned())
    }

    /// Opens a new case following the built-in routine and stores it.
    pub fn open_case(&self, incident_at: DateTime<Utc>) -> Result<CaseId, String> {
        let case = Case::open(
            CaseId(random_id()),
            self.meta(),
            Routine::oxelosund(),
            incident_at,
        )
        .map_err(|err| record_error(self.lang(), &err))?;
        let id = case.id.clone();
        self.store(case);
        Ok(id)
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
        let lang = self.lang();
        let mut case = self
            .case(case_id)
            .ok_or_else(|| (None, tr(lang, T::CaseNotFound).to_owned()))?;
        let routine = case
            .routine()
            .and_then(|r| Routine::known(&r))
            .ok_or_else(|| (None, tr(lang, T::RoutineUnknown).to_owned()))?;
        if let Err(err) = case.record(routine, self.meta(), payload) {
            let message = record_error(lang, &err);
            return Err((Some(err), message));
        }
        self.store(case);
        Ok(())
    }

    /// Writes the case (merged with what storage holds) and shows it; on failure shows it too,
    /// marked as not saved, and says why.
    fn store(&self, case: Case) {
        let id = case.id.clone();
        let result = self
            .repository
            .try_update_value(|r| r.save(&case))
            .unwrap_or(Err(SaveError::Storage(
                crate::domain::store::KvError::Unavailable,
            )));
        let (shown, saved) = match result {
            Ok(merged) => (merged, Ok(())),
            Err(err) => (case, Err(err)),
        };
        self.cases
            .update(|cases| match cases.iter_mut().find(|c| c.id == id) {
                Some(existing) => *existing = shown,
                None => cases.push(shown),
            });
        match saved {
            Ok(()) => {
                self.unsaved.update(|u| {
                    u.remove(&id);
                });
                self.alert.set(None);
                self.status.set(self.t(T::Saved).to_owned());
            }
            Err(err) => {
                self.unsaved.update(|u| {
                    u.insert(id);
                });
                self.status.set(String::new());
                self.alert.set(Some(save_error(self.lang(), &err)));
            }
        }
    }

    /// Tries again to store every case whose events storage refused.
    pub fn retry_unsaved(&self) {
        let waiting: Vec<Case> = self.unsaved.with_untracked(|ids| {
            self.cases.with_untracked(|cases| {
                cases
                    .iter()
                    .filter(|c| ids.contains(&c.id))
                    .cloned()
                    .collect()
            })
        });
        for case in waiting {
            self.store(case);
        }
    }

    /// Deletes a case from this device (the user confirmed it).
    pub fn delete_case(&self, id: &CaseId) -> Result<(), String> {
        let result = self
            .repository
            .try_update_value(|r| r.delete(id))
            .unwrap_or(Err(crate::domain::store::KvError::Unavailable));
        match result {
            Ok(()) => {
                self.cases.update(|cases| cases.retain(|c| &c.id != id));
                self.unsaved.update(|u| {
                    u.remove(id);
                });
                Ok(())
            }
            Err(err) => Err(save_error(self.lang(), &SaveError::Storage(err))),
        }
    }

    /// Deletes everything the app keeps on this device, settings included.
    pub fn wipe(&self) -> Result<(), String> {
        let result = self
            .repository
            .try_update_value(|r| r.wipe())
            .unwrap_or(Err(crate::domain::store::KvError::Unavailable));
        match result {
            Ok(()) => {
                self.cases.set(Vec::new());
                self.unsaved.set(BTreeSet::new());
                self.unreadable.set(Vec::new());
                self.exported.set(BTreeMap::new());
                self.profile.set(crate::platform::profile::Profile::load());
                self.settings.set(Settings::default());
                Ok(())
            }
            Err(err) => Err(save_error(self.lang(), &SaveError::Storage(err))),
        }
    }

    /// Bytes the app's data takes in local storage.
    pub fn used_bytes(&self) -> usize {
        self.repository
            .try_with_value(|r| r.used_bytes().unwrap_or(0))
            .unwrap_or(0)
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
        let stored = self
            .repository
            .try_update_value(|r| r.mark_exported(case))
            .is_some_and(|r| r.is_ok());
        // Not being able to note the export only leaves the "not exported" mark up: no data is lost.
        if stored {
            self.exported.update(|counts| {
                counts.insert(case.id.clone(), case.event_count());
            });
        }
    }

    /// Merges an imported case into this device's copy (or adds it) and stores it.
    pub fn import(&self, imported: Case) -> Result<CaseId, String> {
        let id = imported.id.clone();
        let merged = match self.case(&id) {
            Some(local) => local
                .merge(&imported)
                .map_err(|_| self.t(T::ErrContradictory).to_owned())?,
            None => imported,
        };
        self.store(merged);
        Ok(id)
    }

    pub fn set_settings(&self, settings: Settings) -> Result<(), String> {
        let result = settings.save();
        self.settings.set(settings);
        result.map_err(|_| self.t(T::ErrStorageOther).to_owned())
    }

    pub fn set_profile(&self, profile: Profile) -> Result<(), String> {
        let result = profile.save();
        self.profile.set(profile);
        result.map_err(|_| self.t(T::ErrStorageOther).to_owned())
    }
}

impl Default for AppContext {
    fn default() -> Self {
        AppContext::new()
    }
}

pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
