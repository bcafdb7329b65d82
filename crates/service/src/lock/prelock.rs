//! What the lock screen shows before the data key is known: the language, and the call numbers of
//! the party security officer and the municipality's security strategist, so a locked phone can
//! still call for help. Stored plain (`stodrutin.prelock`), the third of the three plain values;
//! nothing else of the settings or the profile is in it.

use crate::device::{Lang, Profile, Settings};
use serde::{Deserialize, Serialize};

pub const PRE_UNLOCK_KEY: &str = "stodrutin.prelock";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreUnlock {
    #[serde(default)]
    pub lang: Lang,
    /// As dialled (`details::normalize_phone`), or empty.
    #[serde(default)]
    pub officer_phone: String,
    #[serde(default)]
    pub strategist_phone: String,
}

impl PreUnlock {
    /// The pre-unlock values of a device's settings and profile.
    pub fn of(settings: &Settings, profile: Option<&Profile>) -> PreUnlock {
        PreUnlock {
            lang: profile.map(|p| p.lang).unwrap_or_default(),
            officer_phone: settings.officer_phone.clone(),
            strategist_phone: settings.strategist_phone.clone(),
        }
    }
}
