//! Screens as URL fragments, so the phone's back button moves between them and a reload keeps the
//! user where they were.

use stodrutin_domain::CaseId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    NewCase,
    Case(CaseId),
    Profile,
    Import,
    Settings,
    Report(CaseId),
    /// What to bring to the police: the case's facts and evidence gathered on one sheet.
    PoliceSheet(CaseId),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        match path.split_once('/') {
            Some(("case", rest)) => match rest.split_once('/') {
                None if is_id(rest) => Route::Case(CaseId(rest.to_owned())),
                Some((id, "report")) if is_id(id) => Route::Report(CaseId(id.to_owned())),
                Some((id, "police")) if is_id(id) => Route::PoliceSheet(CaseId(id.to_owned())),
                _ => Route::Home,
            },
            _ => match path {
                "new" => Route::NewCase,
                "me" => Route::Profile,
                "import" => Route::Import,
                "settings" => Route::Settings,
                _ => Route::Home,
            },
        }
    }

    pub fn hash(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::NewCase => "#/new".into(),
            Route::Case(id) => format!("#/case/{}", id.as_str()),
            Route::Profile => "#/me".into(),
            Route::Import => "#/import".into(),
            Route::Settings => "#/settings".into(),
            Route::Report(id) => format!("#/case/{}/report", id.as_str()),
            Route::PoliceSheet(id) => format!("#/case/{}/police", id.as_str()),
        }
    }
}

/// Anything but a case id in the address is not ours to interpret.
fn is_id(text: &str) -> bool {
    CaseId::is_well_formed(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        for route in [
            Route::Home,
            Route::NewCase,
            Route::Profile,
            Route::Import,
            Route::Case(CaseId("0123abcd".into())),
            Route::Settings,
            Route::Report(CaseId("0123abcd".into())),
            Route::PoliceSheet(CaseId("0123abcd".into())),
        ] {
            assert_eq!(Route::parse(&route.hash()), route);
        }
    }

    #[test]
    fn strange_addresses_lead_home() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/case/<script>"), Route::Home);
        assert_eq!(Route::parse("#/case/"), Route::Home);
        assert_eq!(Route::parse("#/nowhere"), Route::Home);
        assert_eq!(Route::parse("#/case/abc/<b>"), Route::Home);
        assert_eq!(Route::parse("#/case/<b>/police"), Route::Home);
        assert_eq!(Route::parse("#/case/abc/police/x"), Route::Home);
    }
}
