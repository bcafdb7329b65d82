//! Who is using this device: its id, the user's role and name, and their language. Remembered per
//! device in local storage.

use crate::domain::Role;
use crate::platform::ids::random_id;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const PROFILE_KEY: &str = "stodrutin.profile";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub device_id: String,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub lang: Lang,
}

impl Profile {
    /// The stored profile, or a new one with a fresh device id (stored at once, so the id stays).
    pub fn load() -> Profile {
        LocalStorage::get(PROFILE_KEY).unwrap_or_else(|_| {
            let profile = Profile {
                device_id: random_id(),
                role: None,
                name: String::new(),
                lang: Lang::Sv,
            };
            // A failure here is not fatal: the id is only needed once an event is recorded, and
            // the case's own save reports storage problems.
            let _ = profile.save();
            profile
        })
    }

    pub fn save(&self) -> Result<(), gloo_storage::errors::StorageError> {
        LocalStorage::set(PROFILE_KEY, self)
    }
}
