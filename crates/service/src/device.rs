//! What a device remembers besides its cases: who uses it (the profile), the numbers and key it
//! works with (the settings), and, on the officer's own phone, the officer's private key. Each is
//! one stored value under its own key, read and written only through the `KeyValue` port.

use serde::{Deserialize, Serialize};
use stodrutin_age::PublicKey;
use stodrutin_domain::Role;

pub const PROFILE_KEY: &str = "stodrutin.profile";
pub const SETTINGS_KEY: &str = "stodrutin.settings";
pub const PRIVATE_KEY_KEY: &str = "stodrutin.private-key";

/// The names under which an unreadable device value is kept aside (`stodrutin.aside.<name>.<n>`).
/// Each has a hyphen, which no case id has (`CaseId::is_well_formed`: letters and digits): a
/// case's copies kept aside (`aside.<case id>.<n>`), removed with the case, are never these.
pub const PROFILE_ASIDE: &str = "device-profile";
pub const SETTINGS_ASIDE: &str = "device-settings";
pub const PRIVATE_KEY_ASIDE: &str = "private-key";

pub use stodrutin_domain::text::Lang;

/// Who is using this device: its id (stamped on every event), the user's role and name, and
/// their language.
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
    pub fn new(device_id: String) -> Profile {
        Profile {
            device_id,
            role: None,
            name: String::new(),
            lang: Lang::Sv,
        }
    }

    /// The role this device acts in: the one chosen, or initial support before one is (the
    /// person at the scene who opens the app first).
    pub fn acting_role(&self) -> Role {
        self.role.unwrap_or(Role::InitialSupport)
    }
}

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
    /// Minutes without a touch after which the app locks (1, 5 or 15; 0: the default, 5).
    #[serde(default)]
    pub idle_lock_minutes: u32,
}

/// The idle limit when none is chosen.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 5;

impl Settings {
    /// The chosen idle limit, or the default.
    pub fn idle_lock_minutes(&self) -> u32 {
        match self.idle_lock_minutes {
            0 => DEFAULT_IDLE_LOCK_MINUTES,
            minutes => minutes,
        }
    }

    /// The stored officer key, if it is one (a key stored by an older version that this one
    /// refuses counts as none: nothing is sealed to it).
    pub fn officer_key(&self) -> Option<PublicKey> {
        PublicKey::parse(&self.officer_key).ok()
    }
}
