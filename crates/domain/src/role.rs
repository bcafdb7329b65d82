use crate::text::Text;
use serde::{Deserialize, Serialize};

/// The parties the routine names. Every responsibility in the routine, and every recorded event's
/// author, is one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Den utsatte.
    Affected,
    /// Initialt stöd, or another representative (ombud) the affected person chose.
    InitialSupport,
    /// Partiets säkerhetsansvarig.
    PartySecurityOfficer,
    /// Kommunens säkerhetsstrateg.
    SecurityStrategist,
    /// Kommunchefen.
    MunicipalChief,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::InitialSupport,
        Role::Affected,
        Role::PartySecurityOfficer,
        Role::SecurityStrategist,
        Role::MunicipalChief,
    ];

    /// The stable name used in stored data and in form values.
    pub fn key(self) -> &'static str {
        match self {
            Role::Affected => "affected",
            Role::InitialSupport => "initial_support",
            Role::PartySecurityOfficer => "party_security_officer",
            Role::SecurityStrategist => "security_strategist",
            Role::MunicipalChief => "municipal_chief",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    /// The role's name in both languages (a pack's roles carry their local titles besides).
    pub const fn name(self) -> Text<&'static str> {
        match self {
            Role::Affected => Text::new("Den utsatte", "The affected person"),
            Role::InitialSupport => {
                Text::new("Initialt stöd / ombud", "Initial support / representative")
            }
            Role::PartySecurityOfficer => {
                Text::new("Partiets säkerhetsansvarig", "The party's security officer")
            }
            Role::SecurityStrategist => Text::new(
                "Kommunens säkerhetsstrateg",
                "The municipality's security strategist",
            ),
            Role::MunicipalChief => Text::new("Kommunchefen", "The municipal chief executive"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_serde() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.key()));
        }
        assert_eq!(Role::from_key("police"), None);
    }
}
