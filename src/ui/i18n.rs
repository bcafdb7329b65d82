//! Every text of the interface, in Swedish (the default) and English. Each key's match arm holds
//! both languages, so a text missing in one of them does not compile; the tests also check that
//! none is empty.

pub use stodrutin_service::device::Lang;

use crate::platform::passkey::PasskeyError;
use stodrutin_age::PassphraseError;
use stodrutin_age::{AgeError, KeyError};
use stodrutin_domain::case_file::{CaseFileError, ImportPreview};
use stodrutin_domain::deadline::DeadlineStatus;
use stodrutin_domain::details::{DetailError, Problem};
use stodrutin_domain::routine::{Expected, Found, PackIssue, PackProblem};
use stodrutin_domain::{Author, RecordError, Role, Text};
use stodrutin_service::lock::{
    LockError, LockPassphraseError, LockedExportError, PinError, UnlockError,
};
use stodrutin_service::store::ReadError;
use stodrutin_service::{BackupError, ImportError, ShippedPackError, UnreadCase};
use stodrutin_service::{KvError, SaveError};

/// Declares the text keys, their list, and both languages of each in one place: a key cannot
/// exist without its Swedish and English text.
macro_rules! texts {
    ($($key:ident => ($sv:expr, $en:expr $(,)?),)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T {
            $($key,)*
        }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key,)*];

            /// The key's text: the same `Text` type the routine packs, their forms and roles use.
            pub const fn text(self) -> Text<&'static str> {
                match self {
                    $(T::$key => Text::new($sv, $en),)*
                }
            }
        }
    };
}

texts! {
    EvidenceHeading => ("Bevis och vittnen", "Evidence and witnesses"),
    EvidenceHelp => (
        "Spara bevisen direkt: skärmbilder, foton, meddelanden, länkar. Filen sparas oförändrad med sin kontrollsumma (SHA-256), krypterad på telefonen. Behåll också originalet: radera inget, och lägg ett brev i en plastficka.",
        "Save the evidence now: screenshots, photos, messages, links. The file is kept unchanged with its checksum (SHA-256), encrypted on the phone. Keep the original too: delete nothing, and put a letter in a plastic sleeve.",
    ),
    EvidenceUnprotected => (
        "Telefonen är inte skyddad med PIN eller lösenfras: den som har telefonen kan se bevisen. Ställ in ett lås under Inställningar – då skyddas de också.",
        "The phone is not protected by a PIN or passphrase: whoever has the phone can see the evidence. Set up a lock in Settings – that protects them too.",
    ),
    EvidenceTakePhoto => ("Ta foto", "Take a photo"),
    EvidenceChooseFile => ("Välj fil eller skärmbild", "Choose a file or screenshot"),
    EvidencePasteMessage => ("Klistra in meddelande", "Paste a message"),
    EvidenceAddLink => ("Lägg till länk", "Add a link"),
    WitnessAdd => ("Lägg till vittne", "Add a witness"),
    EvidenceHashing => ("Läser filen och räknar kontrollsumman …", "Reading the file and computing its checksum …"),
    EvidencePlaceNote => (
        "Bilder kan innehålla platsen där de togs. Originalet sparas som det är, eftersom det är beviset – tänk på det när du lämnar det vidare.",
        "Pictures may hold the place where they were taken. The original is kept as it is, because it is the evidence – bear that in mind when you hand it on.",
    ),
    EvidenceDownloadOriginal => ("Spara en kopia av originalet", "Save a copy of the original"),
    EvidenceDiscardAsk => (
        "Filen är inte sparad, och ett foto taget här finns kanske ingen annanstans. Spara en kopia av originalet eller försök igen – eller tryck en gång till för att släppa den.",
        "The file is not saved, and a photo taken here may exist nowhere else. Save a copy of the original or try again – or tap once more to let it go.",
    ),
    EvidenceMessageLabel => ("Meddelandets exakta ord", "The message's exact words"),
    EvidenceLinkLabel => ("Länk (https://…)", "Link (https://…)"),
    EvidenceChannel => ("Kanal", "Channel"),
    EvidenceChannelOther => ("Annat eller okänt", "Other or unknown"),
    EvidencePlatform => ("Plattform eller app", "Platform or app"),
    EvidenceSender => ("Avsändare (namn, nummer, adress eller användarnamn)", "Sender (name, number, address or handle)"),
    EvidenceKeptWhere => ("Var originalet finns", "Where the original is kept"),
    EvidenceNote => ("Anteckning", "Note"),
    EvidenceFileName => ("Filnamn", "File name"),
    EvidenceSize => ("Storlek", "Size"),
    EvidenceMediaType => ("Filtyp", "File type"),
    EvidenceFileTime => ("Filens tid", "File's time"),
    EvidencePictureAlt => ("Bild sparad som bevis", "Picture saved as evidence"),
    EvidenceChecking => ("Kontrollerar filen …", "Checking the file …"),
    EvidenceVerified => ("Kontrollerad: filen är oförändrad (SHA-256 stämmer).", "Checked: the file is unchanged (SHA-256 matches)."),
    EvidenceMissing => ("Filen finns inte på den här enheten. Resten av ärendet går att använda.", "The file is not on this device. The rest of the case can be used."),
    PrintPictureUnreadable => ("Bilden kunde inte läsas på enheten när detta skrevs ut (se appen); kontrollsumman gäller originalet.", "The picture could not be read on the device when this was printed (see the app); the checksum is the original's."),
    EvidenceUnavailable => ("Webbläsarens lagring svarade inte, så filen kunde inte läsas just nu. Tryck \"Spara en kopia av originalet\" för att försöka igen, eller ladda om sidan.", "The browser's storage did not answer, so the file could not be read just now. Tap \"Save a copy of the original\" to try again, or reload the page."),
    EvidenceDamaged => ("Filen är skadad eller ändrad och visas inte. Resten av ärendet går att använda.", "The file is damaged or changed and is not shown. The rest of the case can be used."),
    EvidenceNotExported => (
        "Några bevisfiler kunde inte läsas och följer inte med i filen:",
        "Some evidence files could not be read and are not in the file:",
    ),
    EvidenceLeftOutLarge => (
        "Filen skulle bli större än 50 MB, så de största bevisfilerna följer inte med. Lämna dem separat: tryck \"Spara en kopia av originalet\" vid varje fil och lämna kopian (t.ex. på USB-minne); kontrollsumman visar att det är samma fil. En bild tagen ur telefonens bildbibliotek kan vara omvandlad och ha en annan kontrollsumma.",
        "The file would be larger than 50 MB, so the largest evidence files are not in it. Hand them over separately: tap \"Save a copy of the original\" by each file and hand over the copy (e.g. on a USB stick); the checksum shows it is the same file. A picture taken from the phone's photo library may have been converted and have another checksum.",
    ),
    ErrExportTooLarge => (
        "Filen blir större än 50 MB. Lämna de största bevisfilerna separat (\"Spara en kopia av originalet\" vid varje fil, t.ex. på USB-minne) och exportera utan dem.",
        "The file would be larger than 50 MB. Hand the largest evidence files over separately (\"Save a copy of the original\" by each file, e.g. on a USB stick) and export without them.",
    ),
    ExportWithoutLargest => ("Exportera utan de största filerna", "Export without the largest files"),
    WitnessName => ("Vittnets namn", "Witness's name"),
    WitnessPhone => ("Telefon", "Phone"),
    WitnessSaw => ("Vad vittnet såg eller hörde", "What the witness saw or heard"),
    WitnessesHeading => ("Vittnen", "Witnesses"),
    TryAgain => ("Försök igen", "Try again"),
    ErrItemsFull => (
        "Telefonens lagring är full: filen är inte sparad. Frigör utrymme och försök igen, eller spara en kopia av originalet.",
        "The phone's storage is full: the file is not saved. Free some space and try again, or save a copy of the original.",
    ),
    ErrItemsUnavailable => (
        "Den här webbläsaren kan inte spara filer här (privat läge?). Meddelanden, länkar och vittnen går att spara; behåll originalfilen i telefonen.",
        "This browser cannot store files here (private mode?). Messages, links and witnesses can be saved; keep the original file on the phone.",
    ),
    LockedExportNoFiles => (
        "Telefonens bevisfiler gick inte att läsa och finns inte med i kopian. De finns kvar på telefonen: radera inte allt förrän de har räddats. Försök igen om en stund.",
        "The phone's evidence files could not be read and are not in the copy. They stay on the phone: do not erase everything until they are saved. Try again in a moment.",
    ),
    EvidenceStorageUsed => ("Bevisfiler (storlek som registrerats)", "Evidence files (size as recorded)"),
    EvidenceAdded => ("Bevis sparat", "Evidence saved"),
    WitnessAdded => ("Vittne antecknat", "Witness noted"),
    EvidencePhoto => ("Foto", "Photo"),
    EvidenceFile => ("Fil eller skärmbild", "File or screenshot"),
    EvidenceMessage => ("Meddelande", "Message"),
    EvidenceLink => ("Länk", "Link"),
    ErrEvidenceTooLarge => (
        "Filen är större än 25 MB. Spara originalet kvar i telefonen och lämna det separat till polisen eller säkerhetsansvarig.",
        "The file is larger than 25 MB. Keep the original on the phone and hand it to the police or the security officer separately.",
    ),
    ErrEvidenceEmpty => ("Skriv eller klistra in texten först.", "Write or paste the text first."),
    ErrEvidenceLink => (
        "Länken ska börja med https:// eller http:// och stå på en rad.",
        "The link must start with https:// or http:// and be on one line.",
    ),
    ErrEvidenceTime => ("Filens tid ligger i framtiden.", "The file's time lies in the future."),
    NowHelp => (
        "Nästa steg i rutinens ordning.",
        "The next steps, in the routine's order.",
    ),
    NowAllDone => (
        "Alla steg i rutinen är klara eller inte aktuella.",
        "Every step of the routine is done or not applicable.",
    ),
    NowNoneMine => (
        "Inga öppna steg har din roll som ansvarig.",
        "No open step has your role as responsible.",
    ),
    OnlyMine => ("Visa bara mina", "Show only mine"),
    YourResponsibility => ("Ditt ansvar", "Your responsibility"),
    SectionIndex => ("Avsnitt", "Sections"),
    RoutinesUnavailable => (
        "Rutinerna i den här versionen av appen kunde inte läsas. Sparade ärenden öppnas i de rutiner enheten har sparat; ladda om sidan med nätet på för att starta ett nytt.",
        "The routines of this version of the app could not be read. Stored cases open in the routines this device keeps; reload the page with the network on to start a new one.",
    ),
    ChooseRoutine => ("Vilken rutin följer ärendet?", "Which routine does the case follow?"),
    ExampleRoutine => ("exempel", "example"),
    ExampleRoutineNotice => (
        "Det här är en exempelrutin, skriven som förebild för kommuner. Den är inte antagen av någon organisation.",
        "This is an example routine, written as a model for municipalities. No organisation has adopted it.",
    ),
    RoutineFollowed => ("Rutin", "Routine"),
    Adopted => ("antagen", "adopted"),
    PackVersion => ("version", "version"),
    CarriedRoutine => (
        "Den här versionen av appen har inte rutinen med sig: den kom med ett importerat ärende eller från en tidigare version och är sparad med ärendet på enheten.",
        "This version of the app does not ship the routine: it came with an imported case or from an earlier version, and is kept with the case on this device.",
    ),
    RoutineContacts => ("Rutinens kontakter", "The routine's contacts"),
    RoutineRoles => ("Rutinens roller", "The routine's roles"),
    RoleInApp => ("i appen", "in the app"),
    OutOfHours => ("Utanför kontorstid", "Out of hours"),
    ConfirmCarriedCall => (
        "Numret kommer från en rutin som följde med en fil, inte från appen. Kontrollera att det stämmer innan du ringer:",
        "The number comes from a routine that came with a file, not from the app. Check that it is right before you call:",
    ),
    CallAnyway => ("Ring numret", "Call the number"),
    Checklists => ("Checklistor efter hur hotet kom", "Checklists by how the threat arrived"),
    ReportTitle => (
        "Ärenderapport: hot, våld och trakasserier mot förtroendevald",
        "Case report: threats, violence and harassment against an elected official",
    ),
    ReportCase => ("Ärende", "Case"),
    ReportPrinted => ("Utskriven", "Printed"),
    ReportTime => ("Tidpunkt", "Time"),
    ErrBadPack => (
        "Filen har med sig en rutin som inte går att läsa, så ärendet kan inte visas i sin egen rutin. Inget har ändrats. Fel i rutinen:",
        "The file carries a routine that cannot be read, so the case cannot be shown in its own routine. Nothing was changed. Problem in the routine:",
    ),
    ErrPackConflict => (
        "Filen har med sig en rutin med samma namn och version som en som appen redan har, men med annat innehåll. Inget har ändrats.",
        "The file carries a routine with the same name and version as one the app already has, but with other content. Nothing was changed.",
    ),
    ErrShippedPack => (
        "En av rutinerna i den här versionen av appen är felaktig och används inte:",
        "One of the routines of this version of the app is faulty and is not used:",
    ),
    AppName => ("Stödrutin", "Stödrutin"),
    Tagline => (
        "Rutin vid hot, våld och trakasserier mot förtroendevalda",
        "Routine for threats, violence and harassment against elected officials",
    ),
    Cases => ("Ärenden", "Cases"),
    NoCases => (
        "Inga ärenden på den här enheten.",
        "No cases on this device.",
    ),
    NewCase => ("Nytt ärende", "New case"),
    StartCase => ("Starta ärendet", "Start the case"),
    IncidentTime => ("När hände det?", "When did it happen?"),
    IncidentTimeHelp => (
        "Förifyllt med nu. Ändra om det hände tidigare.",
        "Filled in with now. Change it if it happened earlier.",
    ),
    YourRole => ("Din roll", "Your role"),
    YourName => ("Ditt namn (frivilligt)", "Your name (optional)"),
    Home => ("Alla ärenden", "All cases"),
    Done => ("Klar", "Done"),
    NotApplicable => ("Ej aktuell", "Not applicable"),
    Reopen => ("Öppna igen", "Reopen"),
    ChangeTime => ("Ändra tid", "Change time"),
    AddNote => ("Anteckning", "Note"),
    Note => ("Anteckning", "Note"),
    Notes => ("Anteckningar", "Notes"),
    SaveNote => ("Spara anteckningen", "Save the note"),
    Reason => ("Skäl", "Reason"),
    Save => ("Spara", "Save"),
    Cancel => ("Avbryt", "Cancel"),
    Responsible => ("Ansvar", "Responsible"),
    StatusOpen => ("Öppen", "Open"),
    StatusDone => ("Klar", "Done"),
    StatusNotApplicable => ("Ej aktuell", "Not applicable"),
    Incident => ("Händelsen", "The incident"),
    ChangeIncidentTime => ("Ändra tidpunkt", "Change time"),
    FollowUpDue => (
        "Uppföljande samtal senast",
        "Follow-up talk due by",
    ),
    FollowUpDone => ("Uppföljande samtal hållet", "Follow-up talk held"),
    Saved => ("Sparat", "Saved"),
    SwitchLanguage => ("English", "Svenska"),
    Profile => ("Vem är jag?", "Who am I?"),
    ProfileHelp => (
        "Din roll och ditt namn sparas på den här enheten och står på det du registrerar.",
        "Your role and name are kept on this device and stamped on what you record.",
    ),
    SaveProfile => ("Spara", "Save"),
    ProfileSaved => ("Din roll är sparad", "Your role is saved"),
    DoneAt => ("Klar", "Done"),
    SwedishOriginal => ("Rutinens text", "The routine's Swedish text"),
    CaseNotFound => (
        "Ärendet finns inte på den här enheten.",
        "The case is not on this device.",
    ),
    RoutineUnknown => (
        "Ärendet följer en rutin som den här versionen av appen inte känner till. Det kan ändå exporteras till säkerhetsansvarig.",
        "The case follows a routine this version of the app does not know. It can still be exported to the security officer.",
    ),
    RoutineMissing => ("Rutinen saknas", "Routine missing"),
    FinishTypingFirst => ("Spara eller avbryt det du har skrivit först.", "Save or cancel what you have written first."),
    ErrUnknownRow => (
        "Punkten finns inte i rutinen.",
        "That item is not in the routine.",
    ),
    ErrEmptyReason => (
        "Skriv varför punkten inte är aktuell.",
        "Write why the item does not apply.",
    ),
    ErrEmptyNote => ("Anteckningen är tom.", "The note is empty."),
    ErrTimeInFuture => (
        "Tiden ligger i framtiden. Ange när det hände.",
        "The time is in the future. Enter when it happened.",
    ),
    ErrTimeBeforeIncident => (
        "Tiden ligger före händelsen. Kontrollera tiden, händelsens tid överst och telefonens klocka.",
        "The time is before the incident. Check the time, the incident's time at the top and the phone's clock.",
    ),
    ErrBadTime => (
        "Ange datum och klockslag.",
        "Enter a date and a time.",
    ),
    ErrStorageFull => (
        "Lagringen på telefonen är full. Det du registrerade finns kvar i appen men är inte sparat. Frigör utrymme och försök igen.",
        "The phone's storage is full. What you recorded is still in the app but not saved. Free some space and try again.",
    ),
    ErrStorageUnavailable => (
        "Webbläsaren tillåter inte lagring (privat läge?). Det du registrerade är inte sparat.",
        "The browser does not allow storage (private mode?). What you recorded is not saved.",
    ),
    ErrStorageOther => (
        "Det gick inte att spara. Det du registrerade finns kvar i appen. Försök igen.",
        "Saving failed. What you recorded is still in the app. Try again.",
    ),
    ErrNewerSchema => (
        "Ärendet är sparat av en nyare version av appen. Inget har ändrats. Ladda om sidan.",
        "The case was saved by a newer version of the app. Nothing was changed. Reload the page.",
    ),
    ErrConflict => (
        "Den sparade kopian av ärendet stämmer inte med den här. Inget har ändrats.",
        "The stored copy of the case disagrees with this one. Nothing was changed.",
    ),
    ErrInternal => (
        "Något gick fel. Inget har ändrats.",
        "Something went wrong. Nothing was changed.",
    ),
    NotSavedYet => ("Inte sparat", "Not saved"),
    OfflineReady => ("Klar att användas utan nät.", "Ready to use with no network."),
    OfflinePreparing => ("Förbereder användning utan nät …", "Getting ready for use with no network …"),
    OfflineUnsupported => ("Den här webbläsaren kan inte spara appen för användning utan nät. Använd en annan webbläsare om du kan.", "This browser cannot keep the app for use with no network. Use another browser if you can."),
    OfflineFailed => (
        "Appen kunde inte förberedas för användning utan nät. Öppna den igen när du har nät.",
        "The app could not be made ready for use with no network. Open it again when you have a network.",
    ),
    InstallIphone => (
        "På iPhone följer ärenden i Safari inte med till appen på hemskärmen: lägg till appen innan du börjar ett ärende, eller exportera ärendena och ta in dem i appen på hemskärmen.",
        "On an iPhone, cases in Safari do not come along to the app on the home screen: add the app before you start a case, or export the cases and import them in the app on the home screen.",
    ),
    InstallTitle => ("Lägg till på hemskärmen", "Add to the home screen"),
    InstallSteps => ("Android: öppna webbläsarens meny (⋮) och välj Installera app eller Lägg till på startskärmen. iPhone: tryck på Dela-knappen och välj Lägg till på hemskärmen.", "Android: open the browser menu (⋮) and choose Install app or Add to Home screen. iPhone: tap the Share button and choose Add to Home Screen."),
    InstallWhy => ("Då öppnas appen direkt från hemskärmen, även utan nät. Vissa webbläsare raderar data från webbplatser som inte är installerade när utrymmet tar slut eller efter en tid, och då kan ärenden gå förlorade.", "Then the app opens straight from the home screen, even with no network. Some browsers delete the data of sites that are not installed when space runs low or after a while, and cases could be lost."),
    UpdateAvailable => ("Ny version finns – ladda om", "New version available – reload"),
    KeyUnprotected => (
        "Telefonen är inte skyddad med PIN eller lösenfras: den som har telefonen kan använda nyckeln och läsa varje ärende som skickats till dig. Ställ in ett lås ovan först.",
        "The phone is not protected by a PIN or passphrase: whoever has the phone can use the key and read every case sent to you. Set up a lock above first.",
    ),
    ErrCaseDeleted => (
        "Ärendet har raderats på den här enheten och sparas inte igen. Ta in en exporterad kopia om det ska finnas kvar.",
        "The case was deleted on this device and is not stored again. Import an exported copy if it is to be kept.",
    ),
    ErrKeyStored => (
        "Det finns redan en nyckel på den här enheten (gjord i en annan flik eller ett annat fönster). Den visas nu; ingen ny nyckel gjordes.",
        "There is a key on this device already (made in another tab or window). It is shown now; no new key was made.",
    ),
    UpdateWaitsUnsaved => (
        "Ett ärende har händelser som inte är sparade: de försvinner om appen laddas om. Frigör utrymme först (exportera och radera ett gammalt ärende), eller tryck igen för att ladda om ändå.",
        "A case has events that are not saved: they are lost if the app reloads. Free some space first (export and delete an old case), or tap again to reload anyway.",
    ),
    UpdateWaitsDraft => (
        "Det som står i ett öppet formulär försvinner om appen laddas om. Spara eller stäng formuläret först, eller tryck igen för att ladda om ändå.",
        "What is in an open form is lost if the app reloads. Save or close the form first, or tap again to reload anyway.",
    ),
    Version => ("Version", "Version"),
    Handover => ("Lämna över ärendet", "Hand the case over"),
    Export => ("Exportera ärendet som fil", "Export the case as a file"),
    ExportWarning => ("Filen blir okrypterad. Den visar allt som registrerats i ärendet: tider, namn, roller och anteckningar om hot, våld och hälsa, och bevisen med bilderna (som kan visa var de togs). Den som får filen kan läsa allt. Skicka den bara till partiets säkerhetsansvarig och radera kopior du inte behöver.", "The file will not be encrypted. It shows everything recorded in the case: times, names, roles and notes on threats, violence and health, and the evidence with its pictures (which may show where they were taken). Anyone who gets the file can read all of it. Send it only to the party's security officer and delete copies you do not need."),
    ExportConfirm => ("Jag förstår – exportera okrypterat", "I understand – export unencrypted"),
    Exported => ("Ärendet är exporterat.", "The case is exported."),
    ExportedDownloaded => (
        "Ärendet är exporterat till en fil i Hämtade filer. Skicka filen till partiets säkerhetsansvarig.",
        "The case is exported to a file in Downloads. Send the file to the party's security officer.",
    ),
    NotExported => ("Ej exporterat", "Not exported"),
    Import => ("Importera ärende", "Import a case"),
    ImportChoose => ("Välj en fil", "Choose a file"),
    ImportPaste => ("… eller klistra in filens text", "… or paste the file's text"),
    ImportRead => ("Läs in texten", "Read the text"),
    ImportDrop => ("Du kan också dra och släppa filen här.", "You can also drag and drop the file here."),
    ImportPreviewTitle => ("Det här finns i filen", "What the file holds"),
    ImportConfirm => ("Importera", "Import"),
    Imported => ("Ärendet är importerat.", "The case is imported."),
    ErrFileTooLarge => ("Filen är för stor för att vara ett ärende. Inget har ändrats.", "The file is too large to be a case. Nothing was changed."),
    ErrNotCaseFile => ("Det här är inte en ärendefil från Stödrutin. Inget har ändrats.", "This is not a Stödrutin case file. Nothing was changed."),
    ErrTruncated => ("Filen är avklippt, troligen vid kopiering eller nedladdning. Be om filen igen. Inget har ändrats.", "The file is cut off, probably while copying or downloading. Ask for the file again. Nothing was changed."),
    ErrNewerFormat => ("Filen är gjord av en nyare version av appen. Uppdatera appen och försök igen. Inget har ändrats.", "The file was made by a newer version of the app. Update the app and try again. Nothing was changed."),
    ErrTampered => ("Filen har ändrats efter exporten eller är skadad: kontrollsumman stämmer inte. Inget har ändrats.", "The file was changed after export or is damaged: its checksum does not match. Nothing was changed."),
    ErrUnknownRoutine => ("Ärendet följer en rutin som den här appen inte känner till. Inget har ändrats.", "The case follows a routine this app does not know. Nothing was changed."),
    ErrContradictory => ("Filen innehåller uppgifter som motsäger varandra eller det som finns här. Inget har ändrats.", "The file holds records that contradict each other or what is here. Nothing was changed."),
    ErrNoOpening => ("Filen saknar ärendets början. Inget har ändrats.", "The file lacks the start of the case. Nothing was changed."),
    ErrWrongKey => ("Filen är krypterad till en annan nyckel än den här enhetens. Be avsändaren kryptera till din publika nyckel. Inget har ändrats.", "The file is encrypted to another key than this device's. Ask the sender to encrypt to your public key. Nothing was changed."),
    ErrNoKey => ("Filen är krypterad till en nyckel, men den här enheten har ingen. Skapa eller återställ din nyckel under Inställningar. Inget har ändrats.", "The file is encrypted to a key, but this device has none. Create or restore your key under Settings. Nothing was changed."),
    ErrWrongPassphrase => ("Fel lösenfras. Kontrollera stavning och stora och små bokstäver. Inget har ändrats.", "Wrong passphrase. Check spelling and upper and lower case. Nothing was changed."),
    ErrTooMuchWork => ("Filen är krypterad med en lösenfras som kräver mer arbete än en telefon klarar. Be om en ny fil från Stödrutin. Inget har ändrats.", "The file is encrypted with a passphrase that needs more work than a phone can do. Ask for a new file from Stödrutin. Nothing was changed."),
    ErrDamaged => ("Den krypterade filen är skadad. Be om filen igen. Inget har ändrats.", "The encrypted file is damaged. Ask for the file again. Nothing was changed."),
    Yes => ("Ja", "Yes"),
    No => ("Nej", "No"),
    AddEntry => ("Lägg till", "Add"),
    FillIn => ("Fyll i", "Fill in"),
    Change => ("Ändra", "Change"),
    Cleared => ("Uppgifterna tömdes.", "The details were emptied."),
    Now => ("Nu", "Now"),
    ValueEmptied => ("(tömt)", "(emptied)"),
    Calls => ("Ring", "Call"),
    CallEmergency => ("Ring nödnumret", "Call emergency"),
    CallPolice => ("Ring polisen", "Call the police"),
    CallOfficer => ("Ring partiets säkerhetsansvarig", "Call the party's security officer"),
    CallStrategist => ("Ring kommunens säkerhetsstrateg", "Call the municipality's security strategist"),
    AddNumbers => ("Lägg in fler nummer", "Add more numbers"),
    Settings => ("Inställningar", "Settings"),
    OfficerPhone => ("Partiets säkerhetsansvarig, telefon", "The party's security officer, phone"),
    StrategistPhone => ("Kommunens säkerhetsstrateg, telefon", "The municipality's security strategist, phone"),
    OfficerKeyTitle => ("Kryptering till säkerhetsansvarig", "Encryption to the security officer"),
    OfficerKeyHelp => ("Klistra in den publika nyckel (age1…) som partiets säkerhetsansvarig har gett dig. Då krypteras exporterade ärenden till hen utan att du behöver skriva någon lösenfras.", "Paste the public key (age1…) the party's security officer gave you. Exported cases are then encrypted to them with no passphrase to type."),
    OfficerKey => ("Säkerhetsansvarigs publika nyckel", "The security officer's public key"),
    ErrBadPublicKey => ("Det här är ingen publik nyckel. Den börjar med age1 och är 62 tecken lång. Be säkerhetsansvarig om den igen.", "This is not a public key. It starts with age1 and is 62 characters long. Ask the security officer for it again."),
    ErrPrivateKeyGiven => ("Det här är en hemlig nyckel (AGE-SECRET-KEY-…), inte den publika. Klistra in den publika nyckeln som börjar med age1, och be säkerhetsansvarig att skapa en ny nyckel: den hemliga ska aldrig lämna hens telefon.", "This is a secret key (AGE-SECRET-KEY-…), not the public one. Paste the public key that starts with age1, and ask the security officer to create a new key: the secret one must never leave their phone."),
    ErrKeyLowOrder => ("Den här nyckeln är ogiltig: allt som krypterades till den skulle kunna läsas av vem som helst. Den sparas inte. Be säkerhetsansvarig om rätt nyckel.", "This key is invalid: anything encrypted to it could be read by anyone. It is not saved. Ask the security officer for the right key."),
    LockedTitle => ("Stödrutin är låst", "Stödrutin is locked"),
    Pin => ("PIN-kod", "PIN"),
    Unlock => ("Lås upp", "Unlock"),
    UnlockWithPasskey => ("Lås upp med telefonens skärmlås", "Unlock with the phone's screen lock"),
    PasskeyNotUsed => ("Telefonens skärmlås användes inte. Försök igen eller använd PIN-koden.", "The phone's screen lock was not used. Try again or use the PIN."),
    LockWiped => ("För många felaktiga försök: allt som appen sparat på enheten är raderat.", "Too many failed attempts: everything the app stored on this device is deleted."),
    ForgotSecret => ("Glömt PIN-koden?", "Forgot the PIN?"),
    ForgotHelp => ("PIN-koden kan inte återställas på telefonen – så är appen byggd, för att ingen annan ska komma åt ärendena. Ärenden som redan exporterats finns kvar hos partiets säkerhetsansvarig. Du kan radera allt och börja om.", "The PIN cannot be recovered on the phone – the app is built that way, so that nobody else can reach the cases. Cases already exported are safe with the party security officer. You can delete everything and start again."),
    ForgotWipeWhat => ("Alla ärenden, inställningar och låset raderas från den här enheten. Ärenden som inte exporterats går förlorade. Det går inte att ångra.", "All cases, settings and the lock are deleted from this device. Cases not exported are lost. This cannot be undone."),
    LockedExportHelp => ("En låst kopia av ärendena kan skickas till säkerhetsansvarig, som kan öppna den med sin nyckel.", "A locked copy of the cases can be sent to the security officer, who can open it with their key."),
    LockedExport => ("Skicka låst kopia till säkerhetsansvarig", "Send a locked copy to the security officer"),
    LockSetupTitle => ("Skydda ärendena på telefonen", "Protect the cases on this phone"),
    LockSetupHelp => ("Med ett lås är allt som appen sparar krypterat.\nAppen låser sig själv när den inte används.\nSamtal till 112 fungerar alltid utan att låsa upp.", "With a lock, everything the app stores is encrypted.\nThe app locks itself when not in use.\nCalls to 112 always work without unlocking."),
    LockHonesty => ("En PIN-kod skyddar mot den som hittar eller tar telefonen.\nMot den som kopierar telefonens lagring och provar alla koder med en dator håller den inte länge.\nEn lång lösenfras eller telefonens skärmlås (nyckel) skyddar då mycket bättre.", "A PIN protects against someone who finds or takes the phone.\nAgainst someone who copies the phone's storage and tries every code with a computer it does not hold long.\nA long passphrase or the phone's screen lock (passkey) protects much better then."),
    LockLater => ("Senare – starta utan lås", "Later – start without a lock"),
    UsePasskey => ("Använd telefonens skärmlås (nyckel)", "Use the phone's screen lock (passkey)"),
    LockWith => ("Lås med", "Lock with"),
    ChoosePin => ("Välj en PIN-kod (minst 6 siffror)", "Choose a PIN (at least 6 digits)"),
    ChoosePassphrase => ("Välj en lösenfras (minst 12 tecken)", "Choose a passphrase (at least 12 characters)"),
    SecretRepeat => ("En gång till", "Once more"),
    WipeAfterFailures => ("Radera allt efter 10 felaktiga försök", "Delete everything after 10 failed attempts"),
    WipeAfterFailuresWarning => ("Varning: då raderas också ärenden som inte exporterats.", "Warning: cases not yet exported are deleted too."),
    SetLock => ("Sätt låset", "Set the lock"),
    LockSet => ("Låset är satt", "The lock is set"),
    LockChanged => ("Låset är ändrat", "The lock is changed"),
    ErrSecretsDiffer => ("De två inmatningarna är olika. Skriv samma två gånger.", "The two entries differ. Type the same twice."),
    LockTitle => ("Lås", "Lock"),
    LockedWithPin => ("Appen låses med en PIN-kod.", "The app is locked with a PIN."),
    LockedWithPassphrase => ("Appen låses med en lösenfras.", "The app is locked with a passphrase."),
    LockedWithPasskey => ("Appen låses med telefonens skärmlås (nyckel).", "The app is locked with the phone's screen lock (passkey)."),
    LockedWithPinOrPasskey => ("Appen låses upp med en PIN-kod eller telefonens skärmlås (nyckel).", "The app is unlocked with a PIN or the phone's screen lock (passkey)."),
    LockedWithPassphraseOrPasskey => ("Appen låses upp med en lösenfras eller telefonens skärmlås (nyckel).", "The app is unlocked with a passphrase or the phone's screen lock (passkey)."),
    AddSecretHelp => (
        "Lägg till en PIN-kod eller lösenfras som reserv: slutar nyckeln fungera (borttagen, ny telefon, återställd webbläsare) går ärendena annars inte att öppna.",
        "Add a PIN or passphrase as a fallback: if the passkey stops working (removed, a new phone, a reset browser), the cases cannot be opened otherwise.",
    ),
    LockNow => ("Lås nu", "Lock now"),
    NewSecret => ("Ny PIN-kod eller lösenfras", "New PIN or passphrase"),
    ChangeSecret => ("Byt", "Change"),
    AddPasskey => ("Lägg till telefonens skärmlås (nyckel)", "Add the phone's screen lock (passkey)"),
    Passkey => ("Nyckel", "Passkey"),
    RemovePasskey => ("Ta bort", "Remove"),
    LockAfter => ("Lås efter så här lång tid utan användning", "Lock after this long without use"),
    RecoveryOwnPhone => ("Det här är säkerhetsansvarigs egen telefon: ingen återställningskopia behövs. Om du glömmer PIN-koden återställer du nyckeln från säkerhetskopian.", "This is the security officer's own phone: no recovery copy is needed. If you forget the PIN, restore the key from its backup."),
    RecoveryStored => ("En återställningskopia finns, krypterad till säkerhetsansvarigs nyckel.", "A recovery copy is stored, encrypted to the security officer's key."),
    RecoveryNotRenewed => ("Återställningskopian är krypterad till en annan nyckel än säkerhetsansvarigs nyckel ovan: den kunde inte förnyas. Spara inställningarna igen för att försöka på nytt.", "The recovery copy is encrypted to another key than the security officer's key above: it could not be renewed. Save the settings again to try once more."),
    RecoveryRenewFailed => ("Återställningskopian kunde inte förnyas.", "The recovery copy could not be renewed."),
    RecoveryMissing => ("Ingen återställningskopia: spara säkerhetsansvarigs publika nyckel ovan för att få en.", "No recovery copy: store the security officer's public key above to have one."),
    ConfirmLockHelp => ("Bekräfta med låset för att ändra det. Då kan ingen som tar upp en olåst telefon stänga av låset, byta PIN-kod eller lägga till en egen nyckel.", "Confirm with the lock to change it. Then nobody who picks up an unlocked phone can turn the lock off, change the PIN or add a passkey of their own."),
    ConfirmLockNotHere => ("Låset är telefonens skärmlås (nyckel), och den här webbläsaren kan inte använda det. Öppna appen i webbläsaren där låset sattes för att ändra det.", "The lock is the phone's screen lock (a passkey), and this browser cannot use it. Open the app in the browser where the lock was set to change it."),
    ConfirmLockFirst => ("Nyckeln sparades inte. Bekräfta med låset (under Lås nedan) och klistra sedan in den igen: återställningskopian krypteras till den.", "The key was not saved. Confirm with the lock (under Lock below), then paste it again: the recovery copy is encrypted to it."),
    CurrentPin => ("Nuvarande PIN-kod", "Current PIN"),
    CurrentPassphrase => ("Nuvarande lösenfras", "Current passphrase"),
    ConfirmLock => ("Bekräfta", "Confirm"),
    ConfirmLockWithPasskey => ("Bekräfta med telefonens skärmlås", "Confirm with the phone's screen lock"),
    TurnOffLock => ("Stäng av låset", "Turn the lock off"),
    TurnOffLockWarning => ("Utan lås kan den som får tag i telefonen läsa ärendena.", "Without a lock, anyone who gets hold of the phone can read the cases."),
    NotProtected => ("Inte skyddat – välj en PIN-kod", "Not protected – choose a PIN"),
    ErrPinDigits => ("PIN-koden får bara innehålla siffror.", "The PIN may only contain digits."),
    ErrPinSimple => ("PIN-koden är för lätt att gissa (en följd, upprepningar, ett datum eller en vanlig kod). Välj en annan.", "The PIN is too easy to guess (a sequence, repeats, a date or a common code). Choose another."),
    ErrPassphraseSimple => ("Lösenfrasen är för lätt att gissa (samma tecken eller en kort grupp upprepad, eller en lätt sifferföljd). Välj en annan.", "The passphrase is too easy to guess (one character or a short group repeated, or easy digits). Choose another."),
    ErrLockDamaged => ("Låsets uppgifter på enheten är skadade. Inget har ändrats. Ärenden som exporterats finns hos säkerhetsansvarig.", "The lock's data on this device is damaged. Nothing was changed. Exported cases are with the security officer."),
    LockUnreadableTitle => ("Låset går inte att läsa", "The lock cannot be read"),
    DamagedLockHelp => (
        "Om omladdning inte hjälper: utan låsets uppgifter går ärendena på den här enheten inte att öppna, inte ens med rätt PIN-kod, lösenfras eller nyckel. Spara dem som de är lagrade om säkerhetsansvarig ska försöka laga låset. Filen är lika känslig som telefonen: ge den bara till säkerhetsansvarig och radera den sedan. Radera därefter allt och börja om, så kan ett nytt ärende startas.",
        "If a reload does not help: without the lock's data, the cases on this device cannot be opened, not even with the right PIN, passphrase or passkey. Save them as they are stored if the security officer is to try to repair the lock. The file is as sensitive as the phone: give it only to the security officer, and delete it afterwards. Then delete everything and start over, and a new case can be started.",
    ),
    ReloadPage => ("Ladda om sidan", "Reload the page"),
    SaveStoredAsIs => ("Spara allt som det är lagrat", "Save everything as it is stored"),
    SavedWithoutSomeFiles => ("Filen är sparad, men alla bevisfiler kom inte med: den rymmer högst 50 MB, och en fil som inte gick att läsa lämnas utanför. De som inte kom med raderas om du börjar om.", "The file is saved, but not every evidence file is in it: it holds 50 MB at most, and a file that could not be read is left out. Those left out are deleted if you start over."),
    StartOverWhat => ("Allt på enheten raderas: ärendena, bevisen, inställningarna och låset. Det går inte att ångra. Spara först det som finns lagrat om någon ska försöka laga låset.", "Everything on this device is deleted: the cases, the evidence, the settings and the lock. This cannot be undone. Save what is stored first if someone is to try to repair the lock."),
    ErrLockNewer => ("Låset sparades av en nyare version av appen. Ladda om sidan för att få den nya versionen. Inget har ändrats.", "The lock was saved by a newer version of the app. Reload the page to get the new version. Nothing was changed."),
    ErrLockedExport => ("Den låsta kopian går inte att öppna med nyckeln på den här enheten, eller är skadad. Inget har ändrats.", "The locked copy does not open with the key on this device, or is damaged. Nothing was changed."),
    ErrSealedDamaged => ("En sparad uppgift är skadad och går inte att öppna. Den ligger kvar orörd.", "A stored value is damaged and cannot be opened. It is kept untouched."),
    ErrWrongDataKey => ("Nyckeln öppnar inte de sparade uppgifterna. Inget har ändrats.", "The key does not open the stored data. Nothing was changed."),
    ErrLastMethod => ("Det sista sättet att låsa upp kan inte tas bort. Stäng av låset i stället.", "The last way to unlock cannot be removed. Turn the lock off instead."),
    ErrSealingIncomplete => ("Alla uppgifter kunde inte krypteras (lagringen är full?). Inget har gått förlorat; det fortsätter nästa gång.", "Not all data could be encrypted (storage full?). Nothing was lost; it continues next time."),
    ErrWrongSecret => ("Det låste inte upp.", "That did not unlock."),
    ErrNoSuchMethod => ("Låset öppnas inte på det sättet.", "The lock does not open that way."),
    ErrPasskeyUnsupported => ("Den här webbläsaren kan inte använda telefonens skärmlås här. Välj en PIN-kod.", "This browser cannot use the phone's screen lock here. Choose a PIN."),
    ErrPasskeyNoPrf => ("Telefonens skärmlås kan inte låsa appen i den här webbläsaren. Välj en PIN-kod.", "The phone's screen lock cannot lock the app in this browser. Choose a PIN."),
    ErrTooManyRecipients => ("Filen har fler mottagare än appen tar emot och öppnas inte. Be om en ny fil. Inget har ändrats.", "The file has more recipients than the app accepts and is not opened. Ask for a new file. Nothing was changed."),
    ErrTooManyEvents => ("Filen har fler registreringar än ett ärende kan ha och tas inte emot. Inget har ändrats.", "The file has more records than a case can have and is not accepted. Nothing was changed."),
    SettingsSaved => ("Inställningarna är sparade", "The settings are saved"),
    OwnKeyTitle => ("Min nyckel (för partiets säkerhetsansvarig)", "My key (for the party's security officer)"),
    OwnKeyHelp => ("Är du partiets säkerhetsansvarig? Skapa en nyckel här. Ge den publika nyckeln till stödpersonerna; ärenden de exporterar kan bara öppnas med din nyckel.", "Are you the party's security officer? Create a key here. Give the public key to the support people; cases they export can only be opened with your key."),
    YourPublicKey => ("Din publika nyckel (dela den fritt)", "Your public key (share it freely)"),
    CopyPublicKey => ("Kopiera den publika nyckeln", "Copy the public key"),
    Copied => ("Kopierat", "Copied"),
    ErrCopy => ("Det gick inte att kopiera. Markera texten och kopiera den själv.", "Copying failed. Select the text and copy it yourself."),
    NewBackup => ("Spara en ny säkerhetskopia av nyckeln", "Save a new backup of the key"),
    SaveBackup => ("Spara säkerhetskopian", "Save the backup"),
    CreateKeyHelp => ("Välj en lösenfras för säkerhetskopian. Kopian sparas som fil direkt; förvara den säkert. Utan nyckeln går krypterade ärenden inte att öppna.", "Choose a passphrase for the backup. The backup is saved as a file at once; keep it safe. Without the key, encrypted cases cannot be opened."),
    CreateKey => ("Skapa min nyckel", "Create my key"),
    RestoreKey => ("Återställ nyckeln från en säkerhetskopia", "Restore the key from a backup"),
    ChooseBackup => ("Säkerhetskopians fil", "The backup file"),
    Passphrase => ("Lösenfras", "Passphrase"),
    PassphraseRepeat => ("Lösenfrasen en gång till", "The passphrase again"),
    Working => ("Arbetar … det tar ungefär en sekund.", "Working … it takes about a second."),
    ErrPassphrasesDiffer => ("Lösenfraserna är olika.", "The passphrases differ."),
    KeyBackupSaved => ("Nyckeln är sparad och säkerhetskopian nedladdad", "The key is saved and the backup downloaded"),
    ErrChooseBackup => ("Välj säkerhetskopians fil först.", "Choose the backup file first."),
    ErrNotBackup => ("Filen är ingen säkerhetskopia av en nyckel.", "The file is not a backup of a key."),
    KeyRestored => ("Nyckeln är återställd", "The key is restored"),
    Timeline => ("Tidslinje", "Timeline"),
    CaseStarted => ("Ärendet startades. Händelsen:", "The case was started. The incident:"),
    IncidentTimeChanged => ("Händelsens tid ändrades till", "The incident's time was changed to"),
    Reopened => ("Öppnad igen", "Reopened"),
    Print => ("Skriv ut eller spara som PDF", "Print or save as PDF"),
    BackToCase => ("Tillbaka till ärendet", "Back to the case"),
    ReportSensitive => ("Innehåller känsliga personuppgifter. Förvara och dela enligt partiets och kommunens regler.", "Holds sensitive personal data. Keep and share it by the party's and the municipality's rules."),
    NotRecorded => ("Inte registrerat", "Not recorded"),
    NotRecordedNo => ("Nej eller inte registrerat", "No or not recorded"),
    TalkBooked => ("Uppföljande samtal:", "Follow-up talk:"),
    ErrFileNotSent => ("Filen kunde inte delas eller sparas. Ärendet finns kvar här. Försök igen.", "The file could not be shared or saved. The case is still here. Try again."),
    ErrDetailsEmpty => ("Inget är ifyllt.", "Nothing is filled in."),
    ErrDetailsUnchanged => ("Inget är ändrat.", "Nothing was changed."),
    ErrRequired => ("Fyll i det här fältet.", "Fill in this field."),
    ErrEndBeforeStart => ("Sluttiden ligger före starttiden.", "The end time is before the start time."),
    ErrBadPhone => ("Ange ett telefonnummer med siffror, till exempel 070-123 45 67.", "Enter a phone number in digits, for example 070-123 45 67."),
    ErrConsentMissing => ("Uppgifterna om personen sparas bara med samtycke. Kryssa i samtycket eller töm fälten om personen.", "The details about the person are stored only with consent. Tick the consent or empty the fields about the person."),
    ImportNeedsPassphrase => ("Filen är krypterad med en lösenfras. Skriv lösenfrasen du fått av avsändaren.", "The file is encrypted with a passphrase. Type the passphrase the sender gave you."),
    OpenFile => ("Öppna filen", "Open the file"),
    ExportToOfficer => ("Kryptera och skicka till säkerhetsansvarig", "Encrypt and send to the security officer"),
    ExportToOfficerHelp => ("Filen krypteras till säkerhetsansvarigs nyckel. Bara hen kan öppna den.", "The file is encrypted to the security officer's key. Only they can open it."),
    NoOfficerKey => ("Ingen nyckel för partiets säkerhetsansvarig är inlagd. Lägg in den under Inställningar, eller kryptera med en lösenfras som du ger mottagaren på annat sätt (till exempel per telefon).", "No key for the party's security officer is stored. Add it under Settings, or encrypt with a passphrase you give the recipient another way (by phone, for example)."),
    ExportWithPassphrase => ("Kryptera med lösenfras och skicka", "Encrypt with a passphrase and send"),
    OtherWays => ("Andra sätt att exportera", "Other ways to export"),
    ExportUnencrypted => ("Exportera okrypterat …", "Export unencrypted …"),
    CalendarExport => ("Lägg uppföljningens sista dag i kalendern (.ics)", "Put the follow-up's last day in the calendar (.ics)"),
    PrintReport => ("Rapport för utskrift", "Report for printing"),
    ErrFileUnreadable => ("Filen gick inte att läsa. Inget har ändrats.", "The file could not be read. Nothing was changed."),
    StorageTitle => ("Lagring på enheten", "Storage on this device"),
    StorageLow => ("Lagringen börjar ta slut. Exportera och lämna över ärenden, och radera dem som inte behövs här.", "Storage is running low. Export and hand cases over, and delete those not needed here."),
    Persisted => ("Webbläsaren har lovat att inte rensa appens data.", "The browser has promised not to clear the app's data."),
    NotPersisted => ("Webbläsaren kan rensa appens data om utrymmet tar slut. Lägg till appen på hemskärmen och exportera ärenden i tid.", "The browser may clear the app's data when space runs low. Add the app to the home screen and export cases in good time."),
    LockedExportUnread => (
        "Det som inte går att läsa i den låsta kopian (ärenden eller bevisfiler) tas inte in; resten kan tas in nedan.",
        "What cannot be read in the locked copy (cases or evidence files) is not taken in; the rest can be taken in below.",
    ),
    CaseDamaged => ("skadat", "damaged"),
    CaseNewer => (
        "gjort i en nyare version av appen: uppdatera appen och ta in kopian igen",
        "made by a newer version of the app: update the app and take in the copy again",
    ),
    ExportUnreadable => ("Exportera oläsbara data", "Export unreadable data"),
    CaseUnreadable => (
        "Ärendet finns på enheten men kunde inte läsas. Det ligger kvar orört. Exportera det som det är och ge filen till partiets säkerhetsansvarig.",
        "The case is on this device but could not be read. It is kept untouched. Export it as it is and give the file to the party security officer.",
    ),
    CaseFromNewerApp => (
        "Ärendet sparades av en nyare version av appen och lämnas orört. Ladda om sidan för att få den nya versionen.",
        "The case was saved by a newer version of the app and is left untouched. Reload the page to get the new version.",
    ),
    ExportRaw => ("Exportera ärendet som det är", "Export the case as it is"),
    NewerDataStored => ("Vissa data är sparade av en nyare version av appen och lämnas orörda. Ladda om sidan för att få den nya versionen.", "Some data was saved by a newer version of the app and is left untouched. Reload the page to get the new version."),
    Retry => ("Försök spara igen", "Try saving again"),
    ExportNow => ("Exportera ärendet nu", "Export the case now"),
    DeleteCase => ("Radera ärendet från enheten", "Delete the case from this device"),
    WipeAll => ("Radera allt på enheten", "Delete everything on this device"),
    ConfirmDelete => ("Radera", "Delete"),
    Deleted => ("Raderat.", "Deleted."),
    // The police report preparation sheet (police_sheet.rs) and the evidence and witnesses of the
    // printable report.
    PoliceSheetTitle => ("Underlag för polisanmälan", "Preparing the police report"),
    PoliceSheetIntro => (
        "Allt här kommer från ärendet. Ta med underlaget när du anmäler, eller läs från det i telefonen.",
        "Everything here comes from the case. Bring the sheet when you report, or read from it on the phone.",
    ),
    PoliceSheetWhenWhere => ("Tid och plats", "Time and place"),
    PoliceSheetNoWhenWhere => ("Ingen tid eller plats antecknad.", "No time or place recorded."),
    PoliceSheetChannels => ("Hur det kom", "How it came"),
    PoliceSheetNoChannels => ("Inget sätt antecknat i bevisen.", "No way recorded with the evidence."),
    PoliceSheetWords => ("De exakta orden", "The exact words"),
    PoliceSheetNoWords => ("Inga meddelanden inklistrade.", "No messages pasted."),
    PoliceSheetWho => ("Vem gjorde det", "Who did it"),
    PoliceSheetNoSenders => (
        "Ingen avsändare antecknad i bevisen. Se beskrivningen under Tid och plats.",
        "No sender recorded with the evidence. See the description under Time and place.",
    ),
    PoliceSheetSoFar => ("Polisanmälan i ärendet", "The police report in the case"),
    PoliceSheetNothingYet => ("Inget antecknat om polisanmälan ännu.", "Nothing recorded about the police report yet."),
    PoliceSheetAdvice => ("Att tänka på när du anmäler", "When you report"),
    PoliceSheetAdviceElected => (
        "Säg att du är förtroendevald och att det som hänt hänger ihop med ditt uppdrag.",
        "Say that you are an elected official and that what happened is linked to your assignment.",
    ),
    PoliceSheetAdviceLaw => (
        "Sedan 1 januari 2020 är det en försvårande omständighet när ett brott riktas mot någon för att hen har ett uppdrag som förtroendevald (brottsbalken 29 kap. 2 § 9).",
        "Since 1 January 2020 it is an aggravating circumstance when a crime targets someone because they hold office as an elected official (the Swedish Penal Code, chapter 29, section 2, point 9).",
    ),
    PoliceSheetAdviceDemocracy => (
        "Kopplingen till uppdraget gör att anmälan går till polisens utredare av demokratibrott.",
        "The link to the assignment brings the report to the police's investigators of crimes against democracy (demokratibrott).",
    ),
    PoliceSheetAdviceProtection => (
        "Be om åtkomstskydd för din adress och dina personuppgifter.",
        "Ask for access protection (åtkomstskydd) for your address and personal details.",
    ),
    PoliceSheetAdviceWorkPhone => (
        "Lämna ett telefonnummer i arbetet, inte ditt privata.",
        "Give a work phone number, not your private one.",
    ),
    PoliceSheetAdviceEveryTime => (
        "Anmäl varje gång, även det som verkar litet. Flera händelser kan tillsammans vara ett brott.",
        "Report every time, even what seems small. Several incidents can together be a crime.",
    ),
    PoliceSheetAdviceEvidence => (
        "Ta med eller bifoga bevislistan med kontrollsummorna. Behåll originalen.",
        "Bring or attach the evidence list with its checksums. Keep the originals.",
    ),
    PoliceSheetAdviceCall => ("Ring polisen på", "Call the police on"),
    PoliceSheetAdviceNow => ("Händer det just nu, ring", "If it is happening now, call"),
    PrintEvidence => ("Bevis", "Evidence"),
    PrintNoEvidence => ("Inga bevis sparade.", "No evidence saved."),
    PrintNoWitnesses => ("Inga vittnen antecknade.", "No witnesses noted."),
    PrintWitnessSaw => ("Såg eller hörde", "Saw or heard"),
    PrintItemKind => ("Slag", "Kind"),
    PrintItemChannel => ("Kom via", "Came by"),
    PrintItemSender => ("Avsändare", "Sender"),
    PrintItemKept => ("Originalet finns", "The original is kept"),
    PrintItemAddress => ("Adress", "Address"),
    PrintItemWords => ("Orden", "The words"),
    PrintItemSha256 => ("Kontrollsumma (SHA-256)", "Checksum (SHA-256)"),
}

pub fn tr(lang: Lang, key: T) -> &'static str {
    let text = key.text();
    match lang {
        Lang::Sv => text.sv,
        Lang::En => text.en,
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

/// A role in a word or two, for the top bar (the full name is on the profile screen).
pub fn role_short_name(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Affected, Lang::Sv) => "Utsatt",
        (Role::Affected, Lang::En) => "Affected",
        (Role::InitialSupport, Lang::Sv) => "Initialt stöd",
        (Role::InitialSupport, Lang::En) => "Initial support",
        (Role::PartySecurityOfficer, Lang::Sv) => "Säkerhetsansvarig",
        (Role::PartySecurityOfficer, Lang::En) => "Security officer",
        (Role::SecurityStrategist, Lang::Sv) => "Säkerhetsstrateg",
        (Role::SecurityStrategist, Lang::En) => "Strategist",
        (Role::MunicipalChief, Lang::Sv) => "Kommunchef",
        (Role::MunicipalChief, Lang::En) => "Chief executive",
    }
}

pub fn role_name(role: Role, lang: Lang) -> &'static str {
    let name = role.name();
    match lang {
        Lang::Sv => name.sv,
        Lang::En => name.en,
    }
}

/// Who recorded something: the role, and the name in brackets when one was given.
pub fn author_text(author: &Author, lang: Lang) -> String {
    match &author.name {
        Some(name) => format!("{} ({name})", role_name(author.role, lang)),
        None => role_name(author.role, lang).to_owned(),
    }
}

/// The evidence files a locked export could not carry (it is kept within 50 MB, and a file
/// the phone cannot read stays out).
pub fn locked_export_left_out(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Sv => format!(
            "{count} bevisfiler kom inte med i kopian: den rymmer högst 50 MB, och en fil som inte \
             gick att läsa lämnas utanför. Filerna finns kvar på telefonen och följer med om \
             telefonen låses upp och ärendet exporteras."
        ),
        Lang::En => format!(
            "{count} evidence files are not in the copy: it holds 50 MB at most, and a file that \
             could not be read is left out. The files stay on the phone and go with the case if \
             the phone is unlocked and the case exported."
        ),
    }
}

pub fn open_items(lang: Lang, open: usize, total: usize) -> String {
    match lang {
        Lang::Sv => format!("{open} av {total} punkter öppna"),
        Lang::En => format!("{open} of {total} items open"),
    }
}

/// A section's line when folded: "3 av 3 klara".
pub fn handled_count(lang: Lang, handled: usize, total: usize) -> String {
    match lang {
        Lang::Sv => format!("{handled} av {total} klara"),
        Lang::En => format!("{handled} of {total} done"),
    }
}

/// How long ago the incident was, to the minute: "för 25 min sedan", "för 3 h 5 min sedan",
/// "för 2 dagar sedan".
pub fn time_since(lang: Lang, minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match lang {
        Lang::Sv if days >= 2 => format!("för {days} dagar sedan"),
        Lang::Sv if days == 1 => format!("för 1 dag och {hours} h sedan"),
        Lang::Sv if hours > 0 => format!("för {hours} h {mins} min sedan"),
        Lang::Sv => format!("för {mins} min sedan"),
        Lang::En if days >= 2 => format!("{days} days ago"),
        Lang::En if days == 1 => format!("1 day and {hours} h ago"),
        Lang::En if hours > 0 => format!("{hours} h {mins} min ago"),
        Lang::En => format!("{mins} min ago"),
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

/// How the follow-up deadline `due` stands today, counted in the phone's local dates: "3 dagar
/// kvar", "senast i dag", "försenat 1 dag".
pub fn deadline_left(lang: Lang, due: chrono::DateTime<chrono::Utc>) -> String {
    use crate::platform::clock::{local_date, now};
    let left = stodrutin_domain::deadline::status(local_date(due), local_date(now()));
    deadline_status(lang, left)
}

pub fn import_error(lang: Lang, error: &ImportError) -> String {
    let key = match error {
        ImportError::TooLarge => T::ErrFileTooLarge,
        ImportError::File(err) => return case_file_error(lang, err),
        ImportError::Sealed(err) => age_error(err),
        ImportError::NoKey => T::ErrNoKey,
        ImportError::Contradictory => T::ErrContradictory,
        // Made by a newer app, the copy is refused for a reason the officer can mend.
        ImportError::LockedExport(
            LockedExportError::NewerVersion(_)
            | LockedExportError::Case {
                error: ReadError::NewerSchema(_),
                ..
            },
        ) => T::ErrNewerFormat,
        ImportError::LockedExport(_) => T::ErrLockedExport,
    };
    tr(lang, key).to_owned()
}

/// The booked talk falls after the routine's deadline of `days` days from the incident.
pub fn talk_after_deadline(lang: Lang, days: i64) -> String {
    match lang {
        Lang::Sv => {
            format!("Samtalet ligger senare än rutinens tidsfrist, {days} dagar efter händelsen.")
        }
        Lang::En => format!(
            "The talk is later than the routine's deadline, {days} days after the incident."
        ),
    }
}

/// The cases of a locked export left out, each by its id and why.
pub fn unread_cases(lang: Lang, unread: &[UnreadCase]) -> String {
    let each: Vec<String> = unread
        .iter()
        .map(|case| {
            let why = match &case.error {
                ImportError::LockedExport(LockedExportError::Case {
                    error: ReadError::NewerSchema(_),
                    ..
                }) => tr(lang, T::CaseNewer).to_owned(),
                ImportError::LockedExport(_) => tr(lang, T::CaseDamaged).to_owned(),
                other => import_error(lang, other),
            };
            format!("{}: {why}", case.id)
        })
        .collect();
    format!("{} {}", tr(lang, T::LockedExportUnread), each.join("; "))
}

fn case_file_error(lang: Lang, error: &CaseFileError) -> String {
    let key = match error {
        CaseFileError::TooLarge => T::ErrFileTooLarge,
        CaseFileError::NotACaseFile => T::ErrNotCaseFile,
        CaseFileError::Truncated => T::ErrTruncated,
        CaseFileError::NewerFormat(_) => T::ErrNewerFormat,
        CaseFileError::Tampered => T::ErrTampered,
        CaseFileError::UnknownRoutine => T::ErrUnknownRoutine,
        CaseFileError::BadPack(err) => {
            let first = err.problems.first().map(|p| pack_problem(lang, p));
            return format!("{} {}", tr(lang, T::ErrBadPack), first.unwrap_or_default());
        }
        CaseFileError::PackConflict { .. } => T::ErrPackConflict,
        CaseFileError::Contradictory => T::ErrContradictory,
        CaseFileError::NoOpening => T::ErrNoOpening,
        CaseFileError::TooManyEvents => T::ErrTooManyEvents,
        CaseFileError::InvalidEvent { index, reason, .. } => {
            return invalid_event(lang, index + 1, &record_error(lang, reason))
        }
        CaseFileError::Container(_) | CaseFileError::NoCaseInContainer => T::ErrDamaged,
        CaseFileError::UnexpectedEntry(name) => return unexpected_entry(lang, name),
        CaseFileError::ItemMismatch { item, file_name } => {
            return item_mismatch(lang, file_name.as_deref().unwrap_or(item))
        }
    };
    tr(lang, key).to_owned()
}

fn age_error(error: &AgeError) -> T {
    match error {
        AgeError::Truncated => T::ErrTruncated,
        AgeError::Armor | AgeError::Header => T::ErrDamaged,
        AgeError::UnsupportedVersion => T::ErrNewerFormat,
        AgeError::NoMatch => T::ErrWrongKey,
        AgeError::WrongPassphrase => T::ErrWrongPassphrase,
        AgeError::TooMuchWork => T::ErrTooMuchWork,
        AgeError::TooManyStanzas => T::ErrTooManyRecipients,
        AgeError::HeaderMac | AgeError::Payload => T::ErrTampered,
    }
}

pub fn backup_error(lang: Lang, error: &BackupError) -> String {
    let key = match error {
        BackupError::NotABackup => T::ErrNotBackup,
        BackupError::Sealed(err) => age_error(err),
        BackupError::Storage(err) => return kv_error(lang, err),
    };
    tr(lang, key).to_owned()
}

/// A file refused for one event that breaks the rules of recording, named by its place.
fn invalid_event(lang: Lang, number: usize, reason: &str) -> String {
    match lang {
        Lang::Sv => format!(
            "Filen tas inte emot: registrering nr {number} i filen bryter mot appens regler ({reason}) Inget har ändrats."
        ),
        Lang::En => format!(
            "The file is not accepted: record number {number} in it breaks the app's rules ({reason}) Nothing was changed."
        ),
    }
}

pub fn key_error(lang: Lang, error: &KeyError) -> String {
    let key = match error {
        KeyError::NotAKey | KeyError::WrongCase | KeyError::Misspelt => T::ErrBadPublicKey,
        KeyError::PrivateKeyGiven => T::ErrPrivateKeyGiven,
        KeyError::LowOrder => T::ErrKeyLowOrder,
    };
    tr(lang, key).to_owned()
}

/// The lock's own errors.
pub fn lock_error(lang: Lang, error: &LockError) -> String {
    let key = match error {
        LockError::Storage(err) | LockError::SealingIncomplete(err)
            if *err == KvError::QuotaExceeded =>
        {
            T::ErrSealingIncomplete
        }
        LockError::Storage(err) => return kv_error(lang, err),
        LockError::SealingIncomplete(_) => T::ErrSealingIncomplete,
        LockError::DamagedRecord => T::ErrLockDamaged,
        LockError::NewerRecord(_) => T::ErrLockNewer,
        LockError::WrongDataKey => T::ErrWrongDataKey,
        LockError::LastMethod => T::ErrLastMethod,
        LockError::Pin(PinError::NotDigits) => T::ErrPinDigits,
        LockError::Pin(PinError::TooShort { min }) => return pin_too_short(lang, *min),
        LockError::Pin(_) => T::ErrPinSimple,
        LockError::Passphrase(LockPassphraseError::TooShort { min }) => {
            return passphrase_error(lang, PassphraseError::TooShort { min: *min })
        }
        LockError::Passphrase(LockPassphraseError::TooSimple) => T::ErrPassphraseSimple,
        LockError::RecoveryKey(err) => return key_error(lang, err),
        LockError::NotSetUp
        | LockError::Locked
        | LockError::AlreadySetUp
        | LockError::NoSuchPasskey
        | LockError::BadCredentialId
        | LockError::NoRecovery
        | LockError::MemoryNotOpened => T::ErrInternal,
    };
    tr(lang, key).to_owned()
}

fn pin_too_short(lang: Lang, min: usize) -> String {
    match lang {
        Lang::Sv => format!("PIN-koden är för kort. Minst {min} siffror."),
        Lang::En => format!("The PIN is too short. At least {min} digits."),
    }
}

/// Why an unlock attempt did not unlock: the failures so far and the wait, when there is one.
pub fn unlock_error(lang: Lang, error: &UnlockError) -> String {
    match error {
        UnlockError::Wrong {
            failures,
            next_attempt_at,
        } => {
            let wait = next_attempt_at
                .map(|at| {
                    format!(
                        " {}",
                        wait_until(lang, &crate::platform::clock::display_local(at))
                    )
                })
                .unwrap_or_default();
            match lang {
                Lang::Sv => format!(
                    "{} {failures} misslyckade försök.{wait}",
                    tr(lang, T::ErrWrongSecret)
                ),
                Lang::En => format!(
                    "{} {failures} failed attempts.{wait}",
                    tr(lang, T::ErrWrongSecret)
                ),
            }
        }
        UnlockError::TooEarly { until } => {
            wait_until(lang, &crate::platform::clock::display_local(*until))
        }
        UnlockError::Wiped => tr(lang, T::LockWiped).to_owned(),
        UnlockError::NoSuchMethod => tr(lang, T::ErrNoSuchMethod).to_owned(),
        UnlockError::Lock(err) => lock_error(lang, err),
    }
}

pub fn wait_until(lang: Lang, at: &str) -> String {
    match lang {
        Lang::Sv => format!("För många försök: nästa försök går att göra {at}."),
        Lang::En => format!("Too many attempts: the next attempt can be made at {at}."),
    }
}

pub fn passkey_error(lang: Lang, error: &PasskeyError) -> String {
    let key = match error {
        PasskeyError::Unsupported => T::ErrPasskeyUnsupported,
        PasskeyError::NoPrf => T::ErrPasskeyNoPrf,
        PasskeyError::Cancelled => T::PasskeyNotUsed,
    };
    tr(lang, key).to_owned()
}

pub fn kv_error(lang: Lang, error: &KvError) -> String {
    let key = match error {
        KvError::QuotaExceeded => T::ErrStorageFull,
        KvError::Unavailable => T::ErrStorageUnavailable,
        KvError::Other(_) => T::ErrStorageOther,
        KvError::Locked => T::LockedTitle,
        KvError::WrongKey => T::ErrWrongDataKey,
        KvError::Damaged(_) => T::ErrSealedDamaged,
    };
    tr(lang, key).to_owned()
}

pub fn import_summary(
    lang: Lang,
    preview: &ImportPreview,
    incident: &str,
    routine: &stodrutin_domain::Routine,
    brings_routine: bool,
) -> Vec<String> {
    let sv = lang == Lang::Sv;
    let known = match (sv, preview.known_here) {
        (true, true) => "Ärendet finns redan här; filen läggs ihop med det.",
        (true, false) => "Ärendet är nytt på den här enheten.",
        (false, true) => "The case is already here; the file is merged into it.",
        (false, false) => "The case is new on this device.",
    };
    let example = if routine.example {
        format!(" ({})", tr(lang, T::ExampleRoutine))
    } else {
        String::new()
    };
    let carried = match (sv, brings_routine) {
        (true, true) => " – rutinen följer med filen och sparas med ärendet",
        (false, true) => " – the routine comes with the file and is kept with the case",
        (_, false) => "",
    };
    let routine_line = format!(
        "{} {}: {} ({} {}){example}{carried}",
        tr(lang, T::RoutineFollowed),
        routine.provenance.organisation.get(lang),
        routine.title(lang),
        tr(lang, T::PackVersion),
        routine.version,
    );
    if sv {
        vec![
            format!("Händelsen {incident}"),
            format!(
                "{} registreringar, varav {} nya här",
                preview.events, preview.new_here
            ),
            routine_line,
            known.to_owned(),
        ]
    } else {
        vec![
            format!("The incident {incident}"),
            format!(
                "{} records, {} of them new here",
                preview.events, preview.new_here
            ),
            routine_line,
            known.to_owned(),
        ]
    }
}

pub fn passphrase_error(lang: Lang, error: PassphraseError) -> String {
    match (error, lang) {
        (PassphraseError::TooShort { min }, Lang::Sv) => {
            format!("Lösenfrasen är för kort. Minst {min} tecken.")
        }
        (PassphraseError::TooShort { min }, Lang::En) => {
            format!("The passphrase is too short. At least {min} characters.")
        }
        (PassphraseError::Differ, _) => tr(lang, T::ErrPassphrasesDiffer).to_owned(),
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
        Lang::Sv => format!("Alla {cases} ärenden ({unexported} ej exporterade), din roll, dina inställningar och din nyckel om du har en raderas från den här enheten. Nyckeln går bara att få tillbaka från säkerhetskopian. Det går inte att ångra."),
        Lang::En => format!("All {cases} cases ({unexported} not exported), your role, your settings and your key if you have one are deleted from this device. The key can only be brought back from its backup. This cannot be undone."),
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
        RecordError::TextTooLong { max } | RecordError::NameTooLong { max } => {
            return too_long(lang, *max)
        }
        RecordError::IdTooLong { .. } => T::ErrInternal,
        RecordError::TimeInFuture => T::ErrTimeInFuture,
        RecordError::TimeBeforeIncident => T::ErrTimeBeforeIncident,
        RecordError::Details(err) => return detail_error(lang, err),
        RecordError::DuplicateEventId | RecordError::AlreadyOpened => T::ErrInternal,
        RecordError::Evidence(err) => return evidence_error(lang, err),
    };
    tr(lang, key).to_owned()
}

pub fn detail_error(lang: Lang, error: &DetailError) -> String {
    let key = match error.problem {
        Problem::TooLong { max } => return too_long(lang, max),
        Problem::UnknownForm | Problem::UnknownField | Problem::NotCanonical => T::ErrInternal,
        Problem::Empty => T::ErrDetailsEmpty,
        Problem::Unchanged => T::ErrDetailsUnchanged,
        Problem::Required => T::ErrRequired,
        Problem::BadTime => T::ErrBadTime,
        Problem::TimeInFuture => T::ErrTimeInFuture,
        Problem::BeforeIncident => T::ErrTimeBeforeIncident,
        Problem::EndBeforeStart => T::ErrEndBeforeStart,
        Problem::BadPhone => T::ErrBadPhone,
        Problem::BadChoice => T::ErrInternal,
        Problem::ConsentMissing => T::ErrConsentMissing,
    };
    tr(lang, key).to_owned()
}

pub fn save_error(lang: Lang, error: &SaveError) -> String {
    let key = match error {
        SaveError::Storage(err) => return kv_error(lang, err),
        SaveError::NewerSchema(_) => T::ErrNewerSchema,
        SaveError::Conflict => T::ErrConflict,
        SaveError::Deleted => T::ErrCaseDeleted,
    };
    tr(lang, key).to_owned()
}

/// A shipped pack that was left out, for the app-wide alert.
pub fn shipped_pack_error(lang: Lang, error: &ShippedPackError) -> String {
    let detail = match error {
        ShippedPackError::Invalid { file, error } => {
            let first = error.problems.first().map(|p| pack_problem(lang, p));
            format!("{file}: {}", first.unwrap_or_default())
        }
        ShippedPackError::Conflict { file, .. } => {
            format!("{file}: {}", tr(lang, T::ErrPackConflict))
        }
    };
    format!("{} {detail}", tr(lang, T::ErrShippedPack))
}

/// One problem of a routine pack, with its place in the file, in the UI's language.
pub fn pack_problem(lang: Lang, problem: &PackProblem) -> String {
    let text = match lang {
        Lang::Sv => pack_issue_sv(&problem.issue),
        Lang::En => problem.issue.to_string(),
    };
    if problem.path.is_empty() {
        text
    } else {
        format!("{}: {text}", problem.path)
    }
}

/// A pack's problem in Swedish (English is its `Display`): every kind has its words here.
fn pack_issue_sv(issue: &PackIssue) -> String {
    match issue {
        PackIssue::TooLarge => "filen är för stor för en rutin".to_owned(),
        PackIssue::NotJson => "filen är inte JSON".to_owned(),
        PackIssue::MemberTwice(name) => format!("ett objekt har `{name}` två gånger"),
        PackIssue::NotAPack => "det är inget rutinpaket".to_owned(),
        PackIssue::NewerFormat(v) => {
            format!("skriven i ett nyare format ({v}) än appen läser")
        }
        PackIssue::Missing(name) => format!("`{name}` saknas"),
        PackIssue::UnknownMember(name) => format!("`{name}` finns inte i formatet"),
        PackIssue::WrongType { found, expected } => {
            format!(
                "{} står där {} ska stå",
                found_sv(found),
                expected_sv(*expected)
            )
        }
        PackIssue::NotOneOf { given, allowed } => {
            let allowed: Vec<String> = allowed.iter().map(|word| format!("`{word}`")).collect();
            format!("`{given}` är inte ett av orden {}", allowed.join(", "))
        }
        PackIssue::NotAnId(id) => {
            format!("`{id}` är inget id (1 till 64 byte, utan mellanslag och kommatecken)")
        }
        PackIssue::VersionZero => "versioner räknas från 1".to_owned(),
        PackIssue::EmptyText => "texten är tom".to_owned(),
        PackIssue::Duplicate(id) => format!("id:t `{id}` används två gånger"),
        PackIssue::UnknownRole(id) => format!("okänd roll `{id}`"),
        PackIssue::UnknownSection(id) => format!("okänt avsnitt `{id}`"),
        PackIssue::RowInIncident => "en rad kan inte höra till avsnittet `incident`".to_owned(),
        PackIssue::UnknownField(id) => format!("okänt fält `{id}`"),
        PackIssue::UnknownForm(id) => format!("okänt formulär `{id}`"),
        PackIssue::NoRows => "rutinen har inga rader".to_owned(),
        PackIssue::NoResponsible => "raden saknar ansvarig".to_owned(),
        PackIssue::NoFields => "formuläret saknar fält".to_owned(),
        PackIssue::NoChoices => "fältet saknar val".to_owned(),
        PackIssue::ChoicesOnPlainField => "bara flervalsfält har val".to_owned(),
        PackIssue::BadDeadline => {
            "en tidsfrist skrivs i hela dagar eller veckor, t.ex. P14D eller P2W".to_owned()
        }
        PackIssue::NotATimeField(id) => format!("`{id}` måste vara ett tidsfält"),
        PackIssue::NotAYesNoField(id) => format!("`{id}` måste vara ett ja/nej-fält"),
        PackIssue::BadPhone => "inget telefonnummer".to_owned(),
        PackIssue::BadDate => "inget datum på formen ÅÅÅÅ-MM-DD".to_owned(),
        PackIssue::Empty => "listan är tom".to_owned(),
    }
}

fn found_sv(found: &Found) -> String {
    match found {
        Found::Null => "`null`".to_owned(),
        Found::Boolean(b) => format!("`{b}`"),
        Found::Number(n) => format!("talet `{n}`"),
        Found::Text(s) => format!("texten \"{s}\""),
        Found::List => "en lista".to_owned(),
        Found::Object => "ett objekt".to_owned(),
    }
}

fn expected_sv(expected: Expected) -> &'static str {
    match expected {
        Expected::Object => "ett objekt",
        Expected::Text => "en text",
        Expected::Count => "ett heltal från 0 till 4 294 967 295",
        Expected::List => "en lista",
        Expected::Boolean => "true eller false",
    }
}

pub fn evidence_kind(lang: Lang, kind: stodrutin_domain::evidence::EvidenceKind) -> &'static str {
    use stodrutin_domain::evidence::EvidenceKind;
    tr(
        lang,
        match kind {
            EvidenceKind::Photo => T::EvidencePhoto,
            EvidenceKind::File => T::EvidenceFile,
            EvidenceKind::Message => T::EvidenceMessage,
            EvidenceKind::Link => T::EvidenceLink,
        },
    )
}

pub fn evidence_error(lang: Lang, error: &stodrutin_domain::evidence::EvidenceError) -> String {
    use stodrutin_domain::evidence::EvidenceError;
    let key = match error {
        EvidenceError::TooLarge { .. } => T::ErrEvidenceTooLarge,
        EvidenceError::Empty => T::ErrEvidenceEmpty,
        EvidenceError::BadLink => T::ErrEvidenceLink,
        EvidenceError::TextTooLong { max } => return too_long(lang, *max),
        EvidenceError::TimeInFuture => T::ErrEvidenceTime,
        EvidenceError::BadId
        | EvidenceError::BadDigest
        | EvidenceError::WrongShape
        | EvidenceError::DigestMismatch
        | EvidenceError::DuplicateId => T::ErrInternal,
    };
    tr(lang, key).to_owned()
}

/// Digits grouped by thousands: a no-break space in Swedish, a comma in English.
fn grouped(number: u64, lang: Lang) -> String {
    let digits = number.to_string();
    let separator = match lang {
        Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A size as a reader takes it in, with the exact count of bytes: "2,4 MB (2 431 012 byte)".
pub fn size_text(lang: Lang, bytes: u64) -> String {
    let unit = match lang {
        Lang::En if bytes != 1 => "bytes",
        _ => "byte",
    };
    let exact = format!("{} {unit}", grouped(bytes, lang));
    let (divisor, suffix) = match bytes {
        0..=999 => return exact,
        1_000..=999_949 => (1_000, "kB"),
        _ => (1_000_000, "MB"),
    };
    // Tenths, rounded half up, in integers (no float formatting in the wasm).
    let tenths = (bytes + divisor / 20) / (divisor / 10);
    let point = match lang {
        Lang::Sv => ',',
        Lang::En => '.',
    };
    format!("{}{point}{} {suffix} ({exact})", tenths / 10, tenths % 10)
}

/// A container entry that no item of the case names: named, nothing taken.
pub fn unexpected_entry(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Sv => format!("Filen innehåller {name}, som inget bevis i ärendet nämner: den har ändrats. Inget har lästs in."),
        Lang::En => format!("The file holds {name}, which no evidence of the case names: it was changed. Nothing was imported."),
    }
}

/// An item in a case file whose bytes do not match its recorded SHA-256: named, nothing taken.
pub fn item_mismatch(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Sv => format!("Bevisfilen {name} i filen stämmer inte med sin kontrollsumma (SHA-256): den har ändrats eller skadats. Inget har lästs in."),
        Lang::En => format!("The evidence file {name} in the file does not match its checksum (SHA-256): it was changed or damaged. Nothing was imported."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        for key in T::ALL {
            let Text { sv, en } = key.text();
            assert!(!sv.trim().is_empty(), "{key:?} lacks Swedish");
            assert!(!en.trim().is_empty(), "{key:?} lacks English");
        }
    }

    #[test]
    fn no_two_keys_share_a_swedish_text_by_accident() {
        // Same words for different keys are allowed only where listed: a copy-paste slip shows.
        let allowed = ["Klar", "Anteckning", "Spara", "Ej aktuell"];
        let mut seen = std::collections::BTreeMap::new();
        for key in T::ALL {
            let Text { sv, .. } = key.text();
            if let Some(first) = seen.insert(sv, *key) {
                assert!(
                    allowed.contains(&sv),
                    "{first:?} and {key:?} both say {sv:?}"
                );
            }
        }
    }

    #[test]
    fn parameterised_texts_read_naturally() {
        assert_eq!(open_items(Lang::Sv, 3, 19), "3 av 19 punkter öppna");
        assert_eq!(
            deadline_status(Lang::Sv, DeadlineStatus::DaysLeft(1)),
            "1 dag kvar"
        );
        let problem = PackProblem {
            path: "roles[4].actor".into(),
            issue: PackIssue::NotOneOf {
                given: "police".into(),
                allowed: vec!["support_person".into(), "municipal_chief".into()],
            },
        };
        assert_eq!(
            pack_problem(Lang::Sv, &problem),
            "roles[4].actor: `police` är inte ett av orden `support_person`, `municipal_chief`"
        );
        let problem = PackProblem {
            path: "title.sv".into(),
            issue: PackIssue::WrongType {
                found: Found::Number("5".into()),
                expected: Expected::Text,
            },
        };
        assert_eq!(
            pack_problem(Lang::Sv, &problem),
            "title.sv: talet `5` står där en text ska stå"
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
