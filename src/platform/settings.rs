//! What this device remembers besides the cases: the phone numbers for one-tap calls, the party
//! security officer's public key (exports are sealed to it), and, on the officer's own device,
//! the officer's private key.

use crate::domain::encryption::{PrivateKey, PublicKey};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const SETTINGS_KEY: &str = "stodrutin.settings";
const PRIVATE_KEY_KEY: &str = "stodrutin.private-key";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The party security officer's phone, as dialled (`details::normalize_phone`).
    #[serde(default)]
    pub officer_phone: String,
    /// The municipality's security strategist's phone.
    #[serde(default)]
    pub strategist_phone: String,
    /// The officer's public key (`age1…`); empty when none is stored.
    #[serde(default)]
    pub officer_key: String,
}

impl Settings {
    pub fn load() -> Settings {
        LocalStorage::get(SETTINGS_KEY).unwrap_or_default()
    }

    pub fn save(&self) -> Result<(), gloo_storage::errors::StorageError> {
        LocalStorage::set(SETTINGS_KEY, self)
    }

    pub fn officer_key(&self) -> Option<PublicKey> {
        PublicKey::parse(&self.officer_key)
    }
}

/// This device's private key, if the officer made or restored one here.
pub fn load_private_key() -> Option<PrivateKey> {
    LocalStorage::raw()
        .get_item(PRIVATE_KEY_KEY)
        .ok()
        .flatten()
        .and_then(|text| PrivateKey::parse(&text))
}

pub fn save_private_key(key: &PrivateKey) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(PRIVATE_KEY_KEY, key.expose())
        .map_err(|e| format!("{e:?}"))
}
