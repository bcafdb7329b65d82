//! One text model for everything the app shows: a routine pack's texts, its forms, its roles and
//! the interface's own table all hold a `Text` of both languages, picked by `Lang`.

use serde::{Deserialize, Serialize};

/// The language of the interface. Swedish is the default; the routine's Swedish text is shown
/// verbatim in either language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

/// A text in Swedish and English. Packs hold owned strings (`Text`); the interface's table holds
/// `Text<&'static str>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text<S = String> {
    pub sv: S,
    pub en: S,
}

impl<S: AsRef<str>> Text<S> {
    pub const fn new(sv: S, en: S) -> Text<S> {
        Text { sv, en }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => self.sv.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }
}

impl Text<&'static str> {
    pub fn to_owned_text(&self) -> Text {
        Text {
            sv: self.sv.to_owned(),
            en: self.en.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_and_reads_as_json() {
        let text: Text = serde_json::from_str(r#"{"sv":"Hot","en":"Threat"}"#).unwrap();
        assert_eq!(text.get(Lang::Sv), "Hot");
        assert_eq!(text.get(Lang::En), "Threat");
        assert!(serde_json::from_str::<Text>(r#"{"sv":"Hot","en":"Threat","de":"x"}"#).is_err());
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
    }
}
