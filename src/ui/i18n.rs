//! Every text of the interface, in Swedish (the default) and English. Each key's match arm holds
//! both languages, so a text missing in one of them does not compile; the tests also check that
//! none is empty.

pub use crate::platform::profile::Lang;

use crate::domain::case_file::{ImportError, ImportPreview};
use crate::domain::deadline::DeadlineStatus;
use crate::domain::store::{KvError, SaveError};
use crate::domain::{RecordError, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T {
    AppName,
    Tagline,
    Cases,
    NoCases,
    NewCase,
    StartCase,
    IncidentTime,
    IncidentTimeHelp,
    YourRole,
    YourName,
    Home,
    Done,
    NotApplicable,
    Reopen,
    ChangeTime,
    AddNote,
    Note,
    Notes,
    SaveNote,
    Reason,
    Save,
    Cancel,
    Responsible,
    StatusOpen,
    StatusDone,
    StatusNotApplicable,
    Incident,
    ChangeIncidentTime,
    FollowUpDue,
    FollowUpDone,
    Saved,
    SwitchLanguage,
    Profile,
    ProfileHelp,
    SaveProfile,
    ProfileSaved,
    DoneAt,
    SwedishOriginal,
    CaseNotFound,
    RoutineUnknown,
    ErrUnknownRow,
    ErrEmptyReason,
    ErrEmptyNote,
    ErrTimeInFuture,
    ErrTimeBeforeIncident,
    ErrBadTime,
    ErrStorageFull,
    ErrStorageUnavailable,
    ErrStorageOther,
    ErrNewerSchema,
    ErrConflict,
    ErrInternal,
    NotSavedYet,
    OfflineReady,
    OfflinePreparing,
    OfflineUnsupported,
    InstallTitle,
    InstallSteps,
    InstallWhy,
    UpdateAvailable,
    Version,
    Handover,
    Export,
    ExportWarning,
    ExportConfirm,
    Exported,
    NotExported,
    Import,
    ImportChoose,
    ImportPaste,
    ImportRead,
    ImportDrop,
    ImportPreviewTitle,
    ImportConfirm,
    Imported,
    ErrFileTooLarge,
    ErrNotCaseFile,
    ErrTruncated,
    ErrNewerFormat,
    ErrTampered,
    ErrUnknownRoutine,
    ErrContradictory,
    ErrNoOpening,
    ErrFileUnreadable,
    StorageTitle,
    StorageLow,
    Persisted,
    NotPersisted,
    ExportUnreadable,
    NewerDataStored,
    Retry,
    ExportNow,
    DeleteCase,
    WipeAll,
    ConfirmDelete,
    Deleted,
}

impl T {
    pub const ALL: [T; 96] = [
        T::AppName,
        T::Tagline,
        T::Cases,
        T::NoCases,
        T::NewCase,
        T::StartCase,
        T::IncidentTime,
        T::IncidentTimeHelp,
        T::YourRole,
        T::YourName,
        T::Home,
        T::Done,
        T::NotApplicable,
        T::Reopen,
        T::ChangeTime,
        T::AddNote,
        T::Note,
        T::Notes,
        T::SaveNote,
        T::Reason,
        T::Save,
        T::Cancel,
        T::Responsible,
        T::StatusOpen,
        T::StatusDone,
        T::StatusNotApplicable,
        T::Incident,
        T::ChangeIncidentTime,
        T::FollowUpDue,
        T::FollowUpDone,
        T::Saved,
        T::SwitchLanguage,
        T::Profile,
        T::ProfileHelp,
        T::SaveProfile,
        T::ProfileSaved,
        T::DoneAt,
        T::SwedishOriginal,
        T::CaseNotFound,
        T::RoutineUnknown,
        T::ErrUnknownRow,
        T::ErrEmptyReason,
        T::ErrEmptyNote,
        T::ErrTimeInFuture,
        T::ErrTimeBeforeIncident,
        T::ErrBadTime,
        T::ErrStorageFull,
        T::ErrStorageUnavailable,
        T::ErrStorageOther,
        T::ErrNewerSchema,
        T::ErrConflict,
        T::ErrInternal,
        T::NotSavedYet,
        T::OfflineReady,
        T::OfflinePreparing,
        T::OfflineUnsupported,
        T::InstallTitle,
        T::InstallSteps,
        T::InstallWhy,
        T::UpdateAvailable,
        T::Version,
        T::Handover,
        T::Export,
        T::ExportWarning,
        T::ExportConfirm,
        T::Exported,
        T::NotExported,
        T::Import,
        T::ImportChoose,
        T::ImportPaste,
        T::ImportRead,
        T::ImportDrop,
        T::ImportPreviewTitle,
        T::ImportConfirm,
        T::Imported,
        T::ErrFileTooLarge,
        T::ErrNotCaseFile,
        T::ErrTruncated,
        T::ErrNewerFormat,
        T::ErrTampered,
        T::ErrUnknownRoutine,
        T::ErrContradictory,
        T::ErrNoOpening,
        T::ErrFileUnreadable,
        T::StorageTitle,
        T::StorageLow,
        T::Persisted,
        T::NotPersisted,
        T::ExportUnreadable,
        T::NewerDataStored,
        T::Retry,
        T::ExportNow,
        T::DeleteCase,
        T::WipeAll,
        T::ConfirmDelete,
        T::Deleted,
    ];

    /// (Swedish, English).
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            T::AppName => ("Stödrutin", "Stödrutin"),
            T::Tagline => (
                "Rutin vid hot, våld och trakasserier mot förtroendevalda",
                "Routine for threats, violence and harassment against elected officials",
            ),
            T::Cases => ("Ärenden", "Cases"),
            T::NoCases => (
                "Inga ärenden på den här enheten.",
                "No cases on this device.",
            ),
            T::NewCase => ("Nytt ärende", "New case"),
            T::StartCase => ("Starta ärendet", "Start the case"),
            T::IncidentTime => ("När hände det?", "When did it happen?"),
            T::IncidentTimeHelp => (
                "Förifyllt med nu. Ändra om det hände tidigare.",
                "Filled in with now. Change it if it happened earlier.",
            ),
            T::YourRole => ("Din roll", "Your role"),
            T::YourName => ("Ditt namn (frivilligt)", "Your name (optional)"),
            T::Home => ("Alla ärenden", "All cases"),
            T::Done => ("Klar", "Done"),
            T::NotApplicable => ("Ej aktuell", "Not applicable"),
            T::Reopen => ("Öppna igen", "Reopen"),
            T::ChangeTime => ("Ändra tid", "Change time"),
            T::AddNote => ("Anteckning", "Note"),
            T::Note => ("Anteckning", "Note"),
            T::Notes => ("Anteckningar", "Notes"),
            T::SaveNote => ("Spara anteckningen", "Save the note"),
            T::Reason => ("Skäl", "Reason"),
            T::Save => ("Spara", "Save"),
            T::Cancel => ("Avbryt", "Cancel"),
            T::Responsible => ("Ansvar", "Responsible"),
            T::StatusOpen => ("Öppen", "Open"),
            T::StatusDone => ("Klar", "Done"),
            T::StatusNotApplicable => ("Ej aktuell", "Not applicable"),
            T::Incident => ("Händelsen", "The incident"),
            T::ChangeIncidentTime => ("Ändra tidpunkt", "Change time"),
            T::FollowUpDue => (
                "Uppföljande samtal senast",
                "Follow-up talk due by",
            ),
            T::FollowUpDone => ("Uppföljande samtal hållet", "Follow-up talk held"),
            T::Saved => ("Sparat", "Saved"),
            T::SwitchLanguage => ("English", "Svenska"),
            T::Profile => ("Vem är jag?", "Who am I?"),
            T::ProfileHelp => (
                "Din roll och ditt namn sparas på den här enheten och står på det du registrerar.",
                "Your role and name are kept on this device and stamped on what you record.",
            ),
            T::SaveProfile => ("Spara", "Save"),
            T::ProfileSaved => ("Din roll är sparad", "Your role is saved"),
            T::DoneAt => ("Klar", "Done"),
            T::SwedishOriginal => ("Rutinens text", "The routine's Swedish text"),
            T::CaseNotFound => (
                "Ärendet finns inte på den här enheten.",
                "The case is not on this device.",
            ),
            T::RoutineUnknown => (
                "Ärendet följer en rutin som den här versionen av appen inte känner till.",
                "The case follows a routine this version of the app does not know.",
            ),
            T::ErrUnknownRow => (
                "Punkten finns inte i rutinen.",
                "That item is not in the routine.",
            ),
            T::ErrEmptyReason => (
                "Skriv varför punkten inte är aktuell.",
                "Write why the item does not apply.",
            ),
            T::ErrEmptyNote => ("Anteckningen är tom.", "The note is empty."),
            T::ErrTimeInFuture => (
                "Tiden ligger i framtiden. Ange när det hände.",
                "The time is in the future. Enter when it happened.",
            ),
            T::ErrTimeBeforeIncident => (
                "Tiden ligger före händelsen. Kontrollera tiden.",
                "The time is before the incident. Check the time.",
            ),
            T::ErrBadTime => (
                "Ange datum och klockslag.",
                "Enter a date and a time.",
            ),
            T::ErrStorageFull => (
                "Lagringen på telefonen är full. Det du registrerade finns kvar i appen men är inte sparat. Frigör utrymme och försök igen.",
                "The phone's storage is full. What you recorded is still in the app but not saved. Free some space and try again.",
            ),
            T::ErrStorageUnavailable => (
                "Webbläsaren tillåter inte lagring (privat läge?). Det du registrerade är inte sparat.",
                "The browser does not allow storage (private mode?). What you recorded is not saved.",
            ),
            T::ErrStorageOther => (
                "Det gick inte att spara. Det du registrerade finns kvar i appen. Försök igen.",
                "Saving failed. What you recorded is still in the app. Try again.",
            ),
            T::ErrNewerSchema => (
                "Ärendet är sparat av en nyare version av appen. Inget har ändrats. Ladda om sidan.",
                "The case was saved by a newer version of the app. Nothing was changed. Reload the page.",
            ),
            T::ErrConflict => (
                "Den sparade kopian av ärendet stämmer inte med den här. Inget har ändrats.",
                "The stored copy of the case disagrees with this one. Nothing was changed.",
            ),
            T::ErrInternal => (
                "Något gick fel. Inget har ändrats.",
                "Something went wrong. Nothing was changed.",
            ),
            T::NotSavedYet => ("Inte sparat", "Not saved"),
            T::OfflineReady => ("Klar att användas utan nät.", "Ready to use with no network."),
            T::OfflinePreparing => ("Förbereder användning utan nät …", "Getting ready for use with no network …"),
            T::OfflineUnsupported => ("Den här webbläsaren kan inte spara appen för användning utan nät. Använd en annan webbläsare om du kan.", "This browser cannot keep the app for use with no network. Use another browser if you can."),
            T::InstallTitle => ("Lägg till på hemskärmen", "Add to the home screen"),
            T::InstallSteps => ("Android: öppna webbläsarens meny (⋮) och välj Installera app eller Lägg till på startskärmen. iPhone: tryck på Dela-knappen och välj Lägg till på hemskärmen.", "Android: open the browser menu (⋮) and choose Install app or Add to Home screen. iPhone: tap the Share button and choose Add to Home Screen."),
            T::InstallWhy => ("Då öppnas appen direkt från hemskärmen, även utan nät. Vissa webbläsare raderar data från webbplatser som inte är installerade när utrymmet tar slut eller efter en tid, och då kan ärenden gå förlorade.", "Then the app opens straight from the home screen, even with no network. Some browsers delete the data of sites that are not installed when space runs low or after a while, and cases could be lost."),
            T::UpdateAvailable => ("Ny version finns – ladda om", "New version available – reload"),
            T::Version => ("Version", "Version"),
            T::Handover => ("Lämna över ärendet", "Hand the case over"),
            T::Export => ("Exportera ärendet som fil", "Export the case as a file"),
            T::ExportWarning => ("Filen blir okrypterad. Den visar allt som registrerats i ärendet: tider, namn, roller och anteckningar om hot, våld och hälsa. Den som får filen kan läsa allt. Skicka den bara till partiets säkerhetsansvarig och radera kopior du inte behöver.", "The file will not be encrypted. It shows everything recorded in the case: times, names, roles and notes on threats, violence and health. Anyone who gets the file can read all of it. Send it only to the party's security officer and delete copies you do not need."),
            T::ExportConfirm => ("Jag förstår – exportera okrypterat", "I understand – export unencrypted"),
            T::Exported => ("Ärendet är exporterat.", "The case is exported."),
            T::NotExported => ("Ej exporterat", "Not exported"),
            T::Import => ("Importera ärende", "Import a case"),
            T::ImportChoose => ("Välj en fil", "Choose a file"),
            T::ImportPaste => ("… eller klistra in filens text", "… or paste the file's text"),
            T::ImportRead => ("Läs in texten", "Read the text"),
            T::ImportDrop => ("Du kan också dra och släppa filen här.", "You can also drag and drop the file here."),
            T::ImportPreviewTitle => ("Det här finns i filen", "What the file holds"),
            T::ImportConfirm => ("Importera", "Import"),
            T::Imported => ("Ärendet är importerat.", "The case is imported."),
            T::ErrFileTooLarge => ("Filen är för stor för att vara ett ärende. Inget har ändrats.", "The file is too large to be a case. Nothing was changed."),
            T::ErrNotCaseFile => ("Det här är inte en ärendefil från Stödrutin. Inget har ändrats.", "This is not a Stödrutin case file. Nothing was changed."),
            T::ErrTruncated => ("Filen är avklippt, troligen vid kopiering eller nedladdning. Be om filen igen. Inget har ändrats.", "The file is cut off, probably while copying or downloading. Ask for the file again. Nothing was changed."),
            T::ErrNewerFormat => ("Filen är gjord av en nyare version av appen. Uppdatera appen och försök igen. Inget har ändrats.", "The file was made by a newer version of the app. Update the app and try again. Nothing was changed."),
            T::ErrTampered => ("Filen har ändrats efter exporten eller är skadad: kontrollsumman stämmer inte. Inget har ändrats.", "The file was changed after export or is damaged: its checksum does not match. Nothing was changed."),
            T::ErrUnknownRoutine => ("Ärendet följer en rutin som den här appen inte känner till. Inget har ändrats.", "The case follows a routine this app does not know. Nothing was changed."),
            T::ErrContradictory => ("Filen innehåller uppgifter som motsäger varandra eller det som finns här. Inget har ändrats.", "The file holds records that contradict each other or what is here. Nothing was changed."),
            T::ErrNoOpening => ("Filen saknar ärendets början. Inget har ändrats.", "The file lacks the start of the case. Nothing was changed."),
            T::ErrFileUnreadable => ("Filen gick inte att läsa. Inget har ändrats.", "The file could not be read. Nothing was changed."),
            T::StorageTitle => ("Lagring på enheten", "Storage on this device"),
            T::StorageLow => ("Lagringen börjar ta slut. Exportera och lämna över ärenden, och radera dem som inte behövs här.", "Storage is running low. Export and hand cases over, and delete those not needed here."),
            T::Persisted => ("Webbläsaren har lovat att inte rensa appens data.", "The browser has promised not to clear the app's data."),
            T::NotPersisted => ("Webbläsaren kan rensa appens data om utrymmet tar slut. Lägg till appen på hemskärmen och exportera ärenden i tid.", "The browser may clear the app's data when space runs low. Add the app to the home screen and export cases in good time."),
            T::ExportUnreadable => ("Exportera oläsbara data", "Export unreadable data"),
            T::NewerDataStored => ("Vissa data är sparade av en nyare version av appen och lämnas orörda. Ladda om sidan för att få den nya versionen.", "Some data was saved by a newer version of the app and is left untouched. Reload the page to get the new version."),
            T::Retry => ("Försök spara igen", "Try saving again"),
            T::ExportNow => ("Exportera ärendet nu", "Export the case now"),
            T::DeleteCase => ("Radera ärendet från enheten", "Delete the case from this device"),
            T::WipeAll => ("Radera allt på enheten", "Delete everything on this device"),
            T::ConfirmDelete => ("Radera", "Delete"),
            T::Deleted => ("Raderat.", "Deleted."),
        }
    }
}

pub fn tr(lang: Lang, key: T) -> &'static str {
    let (sv, en) = key.texts();
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Sv => Lang::En,
        Lang::En => Lang::Sv,
    }
}

pub fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    }
}

pub fn role_name(role: Role, lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => role.name_sv(),
        Lang::En => role.name_en(),
    }
}

pub fn open_items(lang: Lang, open: usize, total: usize) -> String {
    match lang {
        Lang::Sv => format!("{open} av {total} punkter öppna"),
        Lang::En => format!("{open} of {total} items open"),
    }
}

pub fn deadline_status(lang: Lang, status: DeadlineStatus) -> String {
    match (lang, status) {
        (Lang::Sv, DeadlineStatus::DaysLeft(1)) => "1 dag kvar".into(),
        (Lang::Sv, DeadlineStatus::DaysLeft(n)) => format!("{n} dagar kvar"),
        (Lang::Sv, DeadlineStatus::DueToday) => "senast i dag".into(),
        (Lang::Sv, DeadlineStatus::Overdue(1)) => "försenat 1 dag".into(),
        (Lang::Sv, DeadlineStatus::Overdue(n)) => format!("försenat {n} dagar"),
        (Lang::En, DeadlineStatus::DaysLeft(1)) => "1 day left".into(),
        (Lang::En, DeadlineStatus::DaysLeft(n)) => format!("{n} days left"),
        (Lang::En, DeadlineStatus::DueToday) => "due today".into(),
        (Lang::En, DeadlineStatus::Overdue(1)) => "overdue by 1 day".into(),
        (Lang::En, DeadlineStatus::Overdue(n)) => format!("overdue by {n} days"),
    }
}

pub fn import_error(lang: Lang, error: &ImportError) -> &'static str {
    tr(
        lang,
        match error {
            ImportError::TooLarge => T::ErrFileTooLarge,
            ImportError::NotACaseFile => T::ErrNotCaseFile,
            ImportError::Truncated => T::ErrTruncated,
            ImportError::NewerFormat(_) => T::ErrNewerFormat,
            ImportError::Tampered => T::ErrTampered,
            ImportError::UnknownRoutine => T::ErrUnknownRoutine,
            ImportError::Contradictory => T::ErrContradictory,
            ImportError::NoOpening => T::ErrNoOpening,
        },
    )
}

pub fn import_summary(lang: Lang, preview: &ImportPreview, incident: &str) -> Vec<String> {
    let known = match (lang, preview.known_here) {
        (Lang::Sv, true) => "Ärendet finns redan här; filen läggs ihop med det.",
        (Lang::Sv, false) => "Ärendet är nytt på den här enheten.",
        (Lang::En, true) => "The case is already here; the file is merged into it.",
        (Lang::En, false) => "The case is new on this device.",
    };
    match lang {
        Lang::Sv => vec![
            format!("Händelsen {incident}"),
            format!(
                "{} registreringar, varav {} nya här",
                preview.events, preview.new_here
            ),
            format!(
                "Rutin {} version {}",
                preview.routine.id, preview.routine.version
            ),
            known.to_owned(),
        ],
        Lang::En => vec![
            format!("The incident {incident}"),
            format!(
                "{} records, {} of them new here",
                preview.events, preview.new_here
            ),
            format!(
                "Routine {} version {}",
                preview.routine.id, preview.routine.version
            ),
            known.to_owned(),
        ],
    }
}

pub fn storage_used(lang: Lang, used_bytes: usize, budget_bytes: usize) -> String {
    let (used, budget) = (used_bytes.div_ceil(1024), budget_bytes / 1024);
    match lang {
        Lang::Sv => format!("Ärendena använder {used} kB av cirka {budget} kB."),
        Lang::En => format!("The cases use {used} kB of about {budget} kB."),
    }
}

pub fn unreadable_count(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Sv => {
            format!("{count} sparade poster kunde inte läsas. De ligger kvar orörda på enheten.")
        }
        Lang::En => format!(
            "{count} stored entries could not be read. They are kept untouched on the device."
        ),
    }
}

pub fn delete_case_what(lang: Lang, incident: &str, events: usize) -> String {
    match lang {
        Lang::Sv => format!("Ärendet om händelsen {incident}, med {events} registreringar, raderas från den här enheten. Det går inte att ångra."),
        Lang::En => format!("The case of the incident {incident}, with {events} records, is deleted from this device. This cannot be undone."),
    }
}

pub fn wipe_what(lang: Lang, cases: usize, unexported: usize) -> String {
    match lang {
        Lang::Sv => format!("Alla {cases} ärenden ({unexported} ej exporterade), din roll och dina inställningar raderas från den här enheten. Det går inte att ångra."),
        Lang::En => format!("All {cases} cases ({unexported} not exported), your role and your settings are deleted from this device. This cannot be undone."),
    }
}

pub fn deleting_in(lang: Lang, seconds: u32) -> String {
    match lang {
        Lang::Sv => format!("Raderas om {seconds} s – tryck Avbryt för att stoppa"),
        Lang::En => format!("Deleting in {seconds} s – tap Cancel to stop"),
    }
}

pub fn too_long(lang: Lang, max: usize) -> String {
    match lang {
        Lang::Sv => format!("Texten är för lång. Högst {max} tecken."),
        Lang::En => format!("The text is too long. At most {max} characters."),
    }
}

pub fn record_error(lang: Lang, error: &RecordError) -> String {
    let key = match error {
        RecordError::UnknownRow => T::ErrUnknownRow,
        RecordError::EmptyReason => T::ErrEmptyReason,
        RecordError::EmptyNote => T::ErrEmptyNote,
        RecordError::TextTooLong { max } => return too_long(lang, *max),
        RecordError::TimeInFuture => T::ErrTimeInFuture,
        RecordError::TimeBeforeIncident => T::ErrTimeBeforeIncident,
        RecordError::DuplicateEventId | RecordError::AlreadyOpened => T::ErrInternal,
    };
    tr(lang, key).to_owned()
}

pub fn save_error(lang: Lang, error: &SaveError) -> String {
    let key = match error {
        SaveError::Storage(KvError::QuotaExceeded) => T::ErrStorageFull,
        SaveError::Storage(KvError::Unavailable) => T::ErrStorageUnavailable,
        SaveError::Storage(KvError::Other(_)) => T::ErrStorageOther,
        SaveError::NewerSchema(_) => T::ErrNewerSchema,
        SaveError::Conflict => T::ErrConflict,
    };
    tr(lang, key).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        for key in T::ALL {
            let (sv, en) = key.texts();
            assert!(!sv.trim().is_empty(), "{key:?} lacks Swedish");
            assert!(!en.trim().is_empty(), "{key:?} lacks English");
        }
    }

    #[test]
    fn the_list_of_keys_is_complete_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for key in T::ALL {
            assert!(seen.insert(format!("{key:?}")), "{key:?} twice");
        }
        // Listed in declaration order, so a key added in the middle and not listed fails here.
        for (index, key) in T::ALL.iter().enumerate() {
            assert_eq!(*key as usize, index, "{key:?} out of place in T::ALL");
        }
        assert_eq!(T::ALL.len(), T::Deleted as usize + 1);
    }

    #[test]
    fn parameterised_texts_read_naturally() {
        assert_eq!(open_items(Lang::Sv, 3, 19), "3 av 19 punkter öppna");
        assert_eq!(
            deadline_status(Lang::Sv, DeadlineStatus::DaysLeft(1)),
            "1 dag kvar"
        );
        assert_eq!(
            deadline_status(Lang::En, DeadlineStatus::Overdue(2)),
            "overdue by 2 days"
        );
        assert_eq!(
            record_error(Lang::En, &RecordError::TextTooLong { max: 4000 }),
            "The text is too long. At most 4000 characters."
        );
    }
}
