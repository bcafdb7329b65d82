//! Handing a case over as a file: sealed with age to the party security officer's key (one tap,
//! nothing to type), or to a passphrase; unencrypted only after a warning. Then the share sheet
//! or a download. Also the follow-up deadline for a calendar, and the printable report.
//! The case stays marked "not exported" until it is exported in full.

use crate::platform::clock;
use crate::platform::files::{self, SendError, Sent};
use crate::ui::context::{use_app, AppContext};
use crate::ui::evidence_store;
use crate::ui::field_error::FieldError;
use crate::ui::i18n::{passphrase_error, T};
use crate::ui::route::Route;
use crate::ui::secret_field::SecretField;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stodrutin_age::check_new_passphrase;
use stodrutin_domain::calendar::follow_up_event;
use stodrutin_domain::case_file;
use stodrutin_domain::deadline::follow_up_due;
use stodrutin_domain::evidence::{EvidenceItem, MAX_CASE_FILE_BYTES};
use stodrutin_domain::{Case, CaseId};
use stodrutin_service::{ExportError, ExportSealing};
use zeroize::Zeroizing;

/// How the file is to be sealed.
#[derive(Clone)]
enum Seal {
    ToOfficer,
    Passphrase(Zeroizing<String>),
    None,
}

#[component]
pub fn ExportPanel(case_id: CaseId) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    let warning_open = RwSignal::new(false);
    let passphrase = SecretField::new();
    let repeat = SecretField::new();
    let busy = RwSignal::new(false);
    // The share of a long export done, while it runs.
    let progress = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<String>);
    let officer_key = move || app.settings.with(|s| s.officer_key());
    let unexported = move || {
        let id = case_id.get_value();
        let count = app
            .cases
            .with(|cases| cases.iter().find(|c| c.id == id).map(|c| c.event_count()))
            .unwrap_or(0);
        app.is_unexported(&id, count)
    };

    // What the last export left out of the file (unreadable, or too large to carry).
    let left_out = RwSignal::new(Vec::<(EvidenceItem, LeftOut)>::new());
    let too_large = RwSignal::new(None::<Seal>);
    let export = move |seal: Seal, without_largest: bool| {
        let Some(case) = app.case(&case_id.get_value()) else {
            return;
        };
        if let Seal::Passphrase(p) = &seal {
            if let Err(err) = check_new_passphrase(p, &repeat.read()) {
                error.set(Some(passphrase_error(app.lang(), err)));
                return;
            }
        }
        // Sealing to a passphrase takes about a second: let "working" show first. Busy in every
        // case, so a second tap does not send the file twice.
        let slow = matches!(seal, Seal::Passphrase(_));
        busy.set(true);
        too_large.set(None);
        spawn_local(async move {
            if slow {
                clock::yield_to_paint().await;
            }
            // The share sheet may come in front: being hidden then does not lock the app. Back
            // in view (or never hidden: a download, a failure), the usual rules apply again.
            app.opened_external.set_value(true);
            let result = send_case(
                app,
                &case,
                seal.clone(),
                officer_key(),
                without_largest,
                progress,
            )
            .await;
            if !crate::ui::lock_watch::page_hidden() {
                app.opened_external.set_value(false);
            }
            busy.set(false);
            progress.set(None);
            match result {
                Ok((missing, sent)) => {
                    if missing.is_empty() {
                        app.mark_exported(&case);
                    }
                    left_out.set(missing);
                    warning_open.set(false);
                    passphrase.clear();
                    repeat.clear();
                    error.set(None);
                    // A download cannot be seen to land: the user is told where it went.
                    app.announce(app.t(match sent {
                        Sent::Shared => T::Exported,
                        Sent::Downloaded => T::ExportedDownloaded,
                    }));
                }
                Err(ExportFailure::Send(SendError::Cancelled)) => {}
                Err(ExportFailure::Export(ExportError::TooLarge { .. })) => {
                    error.set(Some(app.t(T::ErrExportTooLarge).to_owned()));
                    // The way to seal, kept for the retry; the passphrase stays in its field.
                    too_large.set(Some(match seal {
                        Seal::Passphrase(_) => Seal::Passphrase(Zeroizing::default()),
                        other => other,
                    }));
                }
                Err(ExportFailure::Export(_)) | Err(ExportFailure::Send(SendError::Failed(_))) => {
                    error.set(Some(app.t(T::ErrFileNotSent).to_owned()))
                }
            }
        });
    };
    let has_routine = app
        .case(&case_id.get_value())
        .and_then(|case| case.routine())
        .is_some_and(|r| app.routine(&r).is_some());
    let calendar = move |_| {
        let Some(case) = app.case(&case_id.get_value()) else {
            return;
        };
        let routine = case.routine().and_then(|r| app.routine(&r));
        let Some((due, rule)) = case
            .incident_at()
            .zip(routine)
            .and_then(|(incident, routine)| {
                Some((follow_up_due(routine, incident)?, routine.follow_up()?.row))
            })
        else {
            return;
        };
        let due = clock::local_date(due);
        let id = case_id.get_value();
        let ics = follow_up_event(&id, due, clock::now(), app.lang(), rule);
        let name = format!("stodrutin-uppfoljning-{}.ics", id.short());
        spawn_local(async move {
            if let Err(SendError::Failed(_)) =
                files::send(&name, ics.as_bytes(), files::CALENDAR).await
            {
                error.set(Some(app.t(T::ErrFileNotSent).to_owned()));
            }
        });
    };

    view! {
        <section class="handover stack" aria-labelledby="handover-heading">
            <h2 id="handover-heading">
                {app.tx(T::Handover)}
                {move || unexported().then(|| view! { <span class="badge warn">{app.t(T::NotExported)}</span> })}
            </h2>
            {move || match officer_key() {
                Some(_) => view! {
                    <p class="help">{app.t(T::ExportToOfficerHelp)}</p>
                    <button type="button" class="primary big" disabled=move || busy.get()
                        on:click=move |_| export(Seal::ToOfficer, false)>
                        {app.t(T::ExportToOfficer)}
                    </button>
                }
                .into_any(),
                None => view! {
                    <p class="help">{app.t(T::NoOfficerKey)} " "
                        <a href=Route::Settings.hash()>{app.t(T::Settings)}</a>
                    </p>
                }
                .into_any(),
            }}
            <details class="panel" open=move || officer_key().is_none()>
                <summary>{app.tx(T::ExportWithPassphrase)}</summary>
                <form class="stack" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    export(Seal::Passphrase(passphrase.read()), false);
                }>
                    <label for="export-passphrase">{app.tx(T::Passphrase)}</label>
                    <input id="export-passphrase" type="password" autocomplete="new-password"
                        node_ref=passphrase.node()
                    />
                    <label for="export-passphrase-repeat">{app.tx(T::PassphraseRepeat)}</label>
                    <input id="export-passphrase-repeat" type="password" autocomplete="new-password"
                        node_ref=repeat.node()
                    />
                    <button type="submit" class="secondary" disabled=move || busy.get()>
                        {app.tx(T::ExportWithPassphrase)}
                    </button>
                </form>
            </details>
            <Show
                when=move || warning_open.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| warning_open.set(true)>
                        {app.tx(T::ExportUnencrypted)}
                    </button>
                }
            >
                <div class="panel stack">
                    <p class="warning">{app.tx(T::ExportWarning)}</p>
                    <button type="button" class="primary" disabled=move || busy.get()
                        on:click=move |_| export(Seal::None, false)>
                        {app.tx(T::ExportConfirm)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| {
                        warning_open.set(false);
                        // The retry without the largest files would export unencrypted too,
                        // with the warning gone: it goes with the warning.
                        if too_large.with_untracked(|seal| matches!(seal, Some(Seal::None))) {
                            too_large.set(None);
                            error.set(None);
                        }
                    }>
                        {app.tx(T::Cancel)}
                    </button>
                </div>
            </Show>
            <p role="status" class="help">{move || busy.get().then(|| app.t(T::Working))}</p>
            {move || progress.get().map(|p| view! {
                <progress max="100" value=p.to_string() aria-label=app.t(T::Working)></progress>
            })}
            <FieldError error=error/>
            {move || too_large.get().map(|seal| view! {
                <button type="button" class="secondary" disabled=move || busy.get()
                    on:click=move |_| {
                        let again = match &seal {
                            Seal::Passphrase(_) => Seal::Passphrase(passphrase.read()),
                            other => other.clone(),
                        };
                        export(again, true)
                    }>
                    {app.t(T::ExportWithoutLargest)}
                </button>
            })}
            {move || {
                let missing = left_out.get();
                let too_large = missing.iter().any(|(_, why)| *why == LeftOut::TooLarge);
                (!missing.is_empty()).then(|| view! {
                    <div class="warning" role="alert" data-testid="export-left-out">
                        <p>{app.t(if too_large { T::EvidenceLeftOutLarge } else { T::EvidenceNotExported })}</p>
                        <ul>
                            {missing.into_iter().map(|(item, why)| view! {
                                <li>
                                    {item.file_name.unwrap_or(item.id)} " · SHA-256 " <code class="sha256">{item.sha256}</code>
                                    {(why == LeftOut::Unreadable && too_large).then(|| view! { " · " {app.t(T::EvidenceDamaged)} })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            // The deadline, the report and the police sheet are read through the routine: a case
            // whose routine this device lacks is only handed over.
            {has_routine.then(|| view! {
                <div class="button-row">
                    <button type="button" class="secondary" on:click=calendar>{app.tx(T::CalendarExport)}</button>
                    <a class="button secondary" href=move || Route::Report(case_id.get_value()).hash()>
                        {app.tx(T::PrintReport)}
                    </a>
                    <a class="button secondary" href=move || Route::PoliceSheet(case_id.get_value()).hash()>
                        {app.tx(T::PoliceSheetTitle)}
                    </a>
                </div>
            })}
        </section>
    }
}

/// Room kept in a case file for its JSON and the container's headers when the largest files are
/// left out to fit `MAX_CASE_FILE_BYTES`.
const CASE_FILE_MARGIN: u64 = 5_000_000;

/// Exports the case with its evidence files; the files that are not in it come back (to name
/// to the user): unreadable ones, and with `without_largest` the largest ones, left out until
/// the rest fits.
async fn send_case(
    app: AppContext,
    case: &Case,
    seal: Seal,
    officer_key: Option<stodrutin_age::PublicKey>,
    without_largest: bool,
    progress: RwSignal<Option<u32>>,
) -> Result<(Vec<(EvidenceItem, LeftOut)>, Sent), ExportFailure> {
    let files: Vec<EvidenceItem> = case
        .state()
        .evidence
        .into_iter()
        .map(|recorded| recorded.what)
        .filter(|item| item.kind.has_file())
        .collect();
    // Known too large from the sizes the events record: no file is read into memory for it.
    let recorded: u64 = files.iter().map(|item| item.size).sum();
    if !without_largest && recorded > MAX_CASE_FILE_BYTES {
        return Err(ExportFailure::Export(ExportError::TooLarge {
            bytes: recorded,
        }));
    }
    let (mut loaded, unreadable) = evidence_store::load_all(app, &case.id, files, |share| {
        progress.set(Some((share * 50.0) as u32))
    })
    .await;
    // Locked meanwhile (another tab, the idle rule): the files read as unreadable without the
    // key, and nothing may go out over the lock screen. The case stays "not exported".
    if !app.is_open() {
        return Err(ExportFailure::Send(SendError::Cancelled));
    }
    let mut failed: Vec<(EvidenceItem, LeftOut)> = unreadable
        .into_iter()
        .map(|item| (item, LeftOut::Unreadable))
        .collect();
    if without_largest {
        let mut total: u64 = loaded.iter().map(|(item, _)| item.size).sum();
        while total + CASE_FILE_MARGIN > MAX_CASE_FILE_BYTES {
            let Some(largest) = (0..loaded.len()).max_by_key(|&i| loaded[i].0.size) else {
                break;
            };
            let (item, _) = loaded.swap_remove(largest);
            total -= item.size;
            failed.push((item, LeftOut::TooLarge));
        }
    }
    let items: Vec<(&EvidenceItem, &[u8])> = loaded
        .iter()
        .map(|(item, bytes)| (item, bytes.as_slice()))
        .collect();
    let how = match &seal {
        Seal::ToOfficer => ExportSealing::ToKey(
            officer_key
                .as_ref()
                .ok_or_else(|| ExportFailure::Send(SendError::Failed("no officer key".into())))?,
        ),
        Seal::Passphrase(p) => ExportSealing::Passphrase(p),
        Seal::None => ExportSealing::Plain,
    };
    // Written, then sealed a share at a time, each part with a pause for the page before it: 50
    // MB take seconds on a slow phone.
    let mut pacer = clock::Pacer::start();
    pacer.pause().await;
    let mut work = app
        .with_service(|s| s.exporting(case, &items, how))
        .map_err(ExportFailure::Export)?;
    while !work.step(clock::STEP_BYTES) {
        if pacer.tick().await {
            let (done, total) = work.progress();
            progress.set(Some(50 + (done as u64 * 50 / total.max(1) as u64) as u32));
        }
    }
    let file = work.finish().map_err(ExportFailure::Export)?;
    pacer.pause().await;
    let extension = match (file.sealed, file.container) {
        (true, _) => "age",
        (false, true) => "tar",
        (false, false) => "json",
    };
    if !app.is_open() {
        return Err(ExportFailure::Send(SendError::Cancelled));
    }
    let name = case_file::file_name(case, &clock::today_local(), extension);
    let mime = match (file.sealed, file.container) {
        (true, false) => files::AGE,
        (false, false) => files::JSON,
        (true, true) => "application/octet-stream",
        (false, true) => "application/x-tar",
    };
    let sent = files::send(&name, &file.bytes, mime)
        .await
        .map_err(ExportFailure::Send)?;
    Ok((failed, sent))
}

/// Why an evidence file is not in the case file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LeftOut {
    /// Its bytes are not on this device, or do not match their SHA-256.
    Unreadable,
    /// Left out, largest first, for the file to stay within 50 MB.
    TooLarge,
}

/// Why a case file did not leave the app.
enum ExportFailure {
    Export(ExportError),
    Send(SendError),
}
