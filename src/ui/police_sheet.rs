//! What to bring to the police, gathered from the case on one printable sheet: when and where it
//! happened, how it came, the exact words, who did it, the witnesses, the evidence with its
//! checksums, what the routine's forms already say about the police report, and short advice
//! for the report itself. Nothing is typed here: the sheet only gathers what the case holds.
//!
//! The evidence and witness lists are shared with the printable report (`report_view`).

use crate::platform::clock;
use crate::ui::context::{use_app, AppContext};
use crate::ui::details_form::{form_title, value_lines};
use crate::ui::evidence_item::PrintedPicture;
use crate::ui::i18n::{author_text, evidence_kind, html_lang, size_text, tr, Lang, T};
use crate::ui::missing_case::MissingCase;
use crate::ui::route::Route;
use leptos::prelude::*;
use stodrutin_domain::details::{normalize_phone, Form, Values};
use stodrutin_domain::evidence::{EvidenceItem, EvidenceKind, Witness};
use stodrutin_domain::routine::INCIDENT_SECTION;
use stodrutin_domain::{CaseId, CaseState, Recorded, Routine};

/// An optional text that says something: trimmed, `None` when blank.
fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// How an item came, with its platform: "Sociala medier (Instagram)".
pub fn channel_text(item: &EvidenceItem, lang: Lang) -> Option<String> {
    match (item.channel, given(&item.platform)) {
        (Some(channel), Some(platform)) => {
            Some(format!("{} ({platform})", channel.name().get(lang)))
        }
        (Some(channel), None) => Some(channel.name().get(lang).to_owned()),
        (None, Some(platform)) => Some(platform.to_owned()),
        (None, None) => None,
    }
}

/// Adds `text` to `list` unless it is there already (whatever its case).
fn push_once(list: &mut Vec<String>, text: String) {
    if !list.iter().any(|t| same_but_case(t, &text)) {
        list.push(text);
    }
}

/// Whether two texts are the same but for the case of their letters, as far as the Latin
/// letters of Europe go (Latin-1 and Latin Extended-A: Swedish, Finnish, Sámi, Polish, …):
/// enough to list "@Hotare" and "@hotare" once, without Unicode's case tables (kilobytes of
/// the download).
fn same_but_case(a: &str, b: &str) -> bool {
    a.chars().map(fold_case).eq(b.chars().map(fold_case))
}

/// A capital Latin letter as its small letter; anything else as it is.
fn fold_case(c: char) -> char {
    let code = c as u32;
    let small = match code {
        // A–Z, À–Ö, Ø–Þ: the small letter is 32 on.
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde => code + 32,
        // Latin Extended-A pairs a capital with the small letter after it: capitals on even
        // code points here, odd ones in the two runs after Ĺ and Ź. İ and ĸ have no pair.
        0x100..=0x12f | 0x132..=0x137 | 0x14a..=0x177 if code.is_multiple_of(2) => code + 1,
        0x139..=0x148 | 0x179..=0x17e if !code.is_multiple_of(2) => code + 1,
        0x178 => 0xff,
        _ => code,
    };
    char::from_u32(small).unwrap_or(c)
}

/// The ways the evidence came, each once, in the order first recorded.
pub fn channels(evidence: &[Recorded<EvidenceItem>], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for text in evidence.iter().filter_map(|e| channel_text(&e.what, lang)) {
        push_once(&mut out, text);
    }
    out
}

/// Someone the evidence names as its sender, and the ways their items came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub name: String,
    pub channels: Vec<String>,
}

/// The senders the evidence names, each once (as first spelt), in the order first recorded.
pub fn senders(evidence: &[Recorded<EvidenceItem>], lang: Lang) -> Vec<Sender> {
    let mut out: Vec<Sender> = Vec::new();
    for item in evidence.iter().map(|e| &e.what) {
        let Some(name) = given(&item.sender) else {
            continue;
        };
        let index = match out.iter().position(|s| same_but_case(&s.name, name)) {
            Some(index) => index,
            None => {
                out.push(Sender {
                    name: name.to_owned(),
                    channels: Vec::new(),
                });
                out.len() - 1
            }
        };
        if let Some(channel) = channel_text(item, lang) {
            push_once(&mut out[index].channels, channel);
        }
    }
    out
}

fn is_police_key(key: &str) -> bool {
    key == "police" || key.starts_with("police_")
}

/// The police report's own form (`report` in 3.1.3 of the Oxelösund pack, `police_report` in the
/// example pack): all of it is about the report.
fn is_report_form(form: &Form) -> bool {
    matches!(form.id.as_str(), "report" | "police_report")
}

/// The routine's forms that hold something about the police report, in the routine's order:
/// the report's own form, and any other with police fields (the officer's contact with the
/// police in 3.1.2).
pub fn police_forms(routine: &Routine) -> Vec<&Form> {
    routine
        .forms
        .iter()
        .filter(|f| is_report_form(f) || f.fields.iter().any(|x| is_police_key(&x.key)))
        .collect()
}

/// What of a record of one of `police_forms` is about the police report.
pub fn police_values(form: &Form, values: &Values) -> Values {
    let mut kept = values.clone();
    if !is_report_form(form) {
        kept.retain(|key, _| is_police_key(key));
    }
    kept
}

/// A `tel:` link that keeps the app unlocked while the call lasts, as the call bar's do.
fn tel_link(app: AppContext, shown: String) -> AnyView {
    match normalize_phone(&shown) {
        Some(number) => view! {
            <a class="tel-link" href=format!("tel:{number}")
                on:click=move |_| app.opened_external.set_value(true)>{shown}</a>
        }
        .into_any(),
        None => view! { <span>{shown}</span> }.into_any(),
    }
}

fn pairs_view(pairs: Vec<(&str, String)>) -> AnyView {
    pairs
        .into_iter()
        .map(|(label, value)| view! { <div class="pair"><dt>{label.to_owned()}</dt><dd>{value}</dd></div> })
        .collect_view()
        .into_any()
}

fn saved_by(
    at: chrono::DateTime<chrono::Utc>,
    by: &stodrutin_domain::Author,
    lang: Lang,
) -> String {
    format!("{} · {}", clock::display_local(at), author_text(by, lang))
}

/// The evidence as a numbered list: every item with its kind, when and by whom it was saved,
/// how it came, its file and where the original is kept, and its full SHA-256. The report
/// (`report` with the case's id) also gives a message's words and prints each picture small.
pub fn evidence_list(
    evidence: &[Recorded<EvidenceItem>],
    lang: Lang,
    report: Option<&CaseId>,
) -> AnyView {
    if evidence.is_empty() {
        return view! { <p class="empty">{tr(lang, T::PrintNoEvidence)}</p> }.into_any();
    }
    view! {
        <ol class="evidence-print-list">
            {evidence.iter().map(|e| evidence_entry(e, lang, report)).collect_view()}
        </ol>
    }
    .into_any()
}

fn evidence_entry(
    recorded: &Recorded<EvidenceItem>,
    lang: Lang,
    report: Option<&CaseId>,
) -> AnyView {
    let item = &recorded.what;
    let t = |key| tr(lang, key);
    let mut pairs = vec![
        (
            t(T::PrintItemKind),
            evidence_kind(lang, item.kind).to_owned(),
        ),
        (t(T::Saved), saved_by(recorded.at, &recorded.by, lang)),
    ];
    if let Some(at) = item.file_modified {
        pairs.push((t(T::EvidenceFileTime), clock::display_local(at)));
    }
    if let Some(name) = given(&item.file_name) {
        pairs.push((t(T::EvidenceFileName), name.to_owned()));
    }
    if item.kind.has_file() {
        pairs.push((t(T::EvidenceSize), size_text(lang, item.size)));
    }
    if let Some(channel) = channel_text(item, lang) {
        pairs.push((t(T::PrintItemChannel), channel));
    }
    if let Some(sender) = given(&item.sender) {
        pairs.push((t(T::PrintItemSender), sender.to_owned()));
    }
    if let Some(kept) = given(&item.kept_where) {
        pairs.push((t(T::PrintItemKept), kept.to_owned()));
    }
    if let Some(note) = given(&item.note) {
        pairs.push((t(T::Note), note.to_owned()));
    }
    // A link as plain text: the report is read, not followed.
    if let (EvidenceKind::Link, Some(url)) = (item.kind, item.text.as_ref()) {
        pairs.push((t(T::PrintItemAddress), url.clone()));
    }
    let words = match (report, item.kind, item.text.as_ref()) {
        (Some(_), EvidenceKind::Message, Some(words)) => Some(words.clone()),
        _ => None,
    };
    let thumb = report.filter(|_| item.is_viewable_image()).cloned();
    view! {
        <li class="evidence-print" data-evidence=item.id.clone()>
            <dl>
                {pairs_view(pairs)}
                <div class="pair">
                    <dt>{t(T::PrintItemSha256)}</dt>
                    <dd><code class="sha256">{item.sha256.clone()}</code></dd>
                </div>
            </dl>
            {words.map(|words| view! {
                <p class="evidence-words-label">{t(T::PrintItemWords)}</p>
                <blockquote class="evidence-words">{words}</blockquote>
            })}
            {thumb.map(|case_id| view! { <PrintedPicture case_id=case_id item=item.clone()/> })}
        </li>
    }
    .into_any()
}

/// The witnesses: name, phone and what they saw or heard.
pub fn witness_list(app: AppContext, witnesses: &[Recorded<Witness>], lang: Lang) -> AnyView {
    if witnesses.is_empty() {
        return view! { <p class="empty">{tr(lang, T::PrintNoWitnesses)}</p> }.into_any();
    }
    view! {
        <ul class="witness-print-list">
            {witnesses.iter().map(|w| {
                let witness = &w.what;
                view! {
                    <li class="witness-print" data-witness=witness.id.clone()>
                        <p class="witness-name">{witness.name.clone()}</p>
                        <dl>
                            {given(&witness.phone).map(|phone| view! {
                                <div class="pair"><dt>{tr(lang, T::WitnessPhone)}</dt><dd>{tel_link(app, phone.to_owned())}</dd></div>
                            })}
                            {given(&witness.saw).map(|saw| view! {
                                <div class="pair"><dt>{tr(lang, T::PrintWitnessSaw)}</dt><dd>{saw.to_owned()}</dd></div>
                            })}
                        </dl>
                        <p class="meta">{saved_by(w.at, &w.by, lang)}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A section with a heading: the list, or one line saying there is nothing.
fn part(heading: T, lang: Lang, body: Option<AnyView>, none: T) -> AnyView {
    view! {
        <section>
            <h2>{tr(lang, heading)}</h2>
            {body.unwrap_or_else(|| view! { <p class="empty">{tr(lang, none)}</p> }.into_any())}
        </section>
    }
    .into_any()
}

fn when_where(routine: &'static Routine, state: &CaseState, lang: Lang) -> AnyView {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(at) = state.incident_at {
        pairs.push((tr(lang, T::ReportTime), clock::display_local(at)));
    }
    for form in routine.forms_of(INCIDENT_SECTION) {
        for entry in state.shown_entries(form) {
            pairs.extend(value_lines(form, &entry.values, lang));
        }
    }
    let body = (!pairs.is_empty()).then(|| view! { <dl>{pairs_view(pairs)}</dl> }.into_any());
    part(
        T::PoliceSheetWhenWhere,
        lang,
        body,
        T::PoliceSheetNoWhenWhere,
    )
}

fn channels_part(state: &CaseState, lang: Lang) -> AnyView {
    let list = channels(&state.evidence, lang);
    let body = (!list.is_empty()).then(|| {
        view! { <ul>{list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }
            .into_any()
    });
    part(T::PoliceSheetChannels, lang, body, T::PoliceSheetNoChannels)
}

fn words_part(state: &CaseState, lang: Lang) -> AnyView {
    let messages: Vec<_> = state
        .evidence
        .iter()
        .filter_map(|e| match (e.what.kind, e.what.text.as_ref()) {
            (EvidenceKind::Message, Some(text)) => Some((e, text)),
            _ => None,
        })
        .collect();
    let body = (!messages.is_empty()).then(|| {
        view! {
            <ol class="police-words">
                {messages.into_iter().map(|(e, text)| {
                    let mut caption = Vec::new();
                    if let Some(sender) = given(&e.what.sender) {
                        caption.push(format!("{}: {sender}", tr(lang, T::PrintItemSender)));
                    }
                    if let Some(channel) = channel_text(&e.what, lang) {
                        caption.push(channel);
                    }
                    caption.push(format!("{}: {}", tr(lang, T::Saved), saved_by(e.at, &e.by, lang)));
                    view! {
                        <li data-evidence=e.what.id.clone()>
                            <figure>
                                <blockquote class="evidence-words">{text.clone()}</blockquote>
                                <figcaption class="meta">{caption.join(" · ")}</figcaption>
                            </figure>
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    });
    part(T::PoliceSheetWords, lang, body, T::PoliceSheetNoWords)
}

fn who_part(state: &CaseState, lang: Lang) -> AnyView {
    let list = senders(&state.evidence, lang);
    let body = (!list.is_empty()).then(|| {
        view! {
            <ul class="police-senders">
                {list.into_iter().map(|s| {
                    let via = (!s.channels.is_empty()).then(|| format!(" – {}", s.channels.join(", ")));
                    view! { <li><span class="sender">{s.name}</span>{via}</li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    });
    part(T::PoliceSheetWho, lang, body, T::PoliceSheetNoSenders)
}

/// What the routine's forms hold about the police report; nothing when the pack has no such
/// form.
fn police_part(routine: &'static Routine, state: &CaseState, lang: Lang) -> Option<AnyView> {
    let forms = police_forms(routine);
    if forms.is_empty() {
        return None;
    }
    let blocks: Vec<_> = forms
        .into_iter()
        .filter_map(|form| {
            let entries: Vec<_> = state
                .shown_entries(form)
                .into_iter()
                .filter_map(|entry| {
                    let values = police_values(form, &entry.values);
                    (!values.is_empty()).then(|| {
                        let pairs = value_lines(form, &values, lang);
                        (pairs, saved_by(entry.at, &entry.by, lang))
                    })
                })
                .collect();
            (!entries.is_empty()).then_some((form, entries))
        })
        .collect();
    let body = (!blocks.is_empty()).then(|| {
        blocks
            .into_iter()
            .map(|(form, entries)| {
                view! {
                    <div class="report-form" data-form=form.id.clone()>
                        <h3>{form_title(form, lang).to_owned()}</h3>
                        {entries.into_iter().map(|(pairs, meta)| view! {
                            <dl>{pairs_view(pairs)}</dl>
                            <p class="meta">{meta}</p>
                        }).collect_view()}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    });
    Some(part(
        T::PoliceSheetSoFar,
        lang,
        body,
        T::PoliceSheetNothingYet,
    ))
}

fn advice(app: AppContext, lang: Lang) -> AnyView {
    const ADVICE: [T; 7] = [
        T::PoliceSheetAdviceElected,
        T::PoliceSheetAdviceLaw,
        T::PoliceSheetAdviceDemocracy,
        T::PoliceSheetAdviceProtection,
        T::PoliceSheetAdviceWorkPhone,
        T::PoliceSheetAdviceEveryTime,
        T::PoliceSheetAdviceEvidence,
    ];
    view! {
        <section class="police-advice">
            <h2>{tr(lang, T::PoliceSheetAdvice)}</h2>
            <ul>
                {ADVICE.iter().map(|key| view! { <li>{tr(lang, *key)}</li> }).collect_view()}
                <li>{tr(lang, T::PoliceSheetAdviceCall)} " " {tel_link(app, "114 14".into())} "."</li>
                <li>{tr(lang, T::PoliceSheetAdviceNow)} " " {tel_link(app, "112".into())} "."</li>
            </ul>
        </section>
    }
    .into_any()
}

#[component]
pub fn PoliceSheet(id: CaseId) -> impl IntoView {
    let app = use_app();
    let id = StoredValue::new(id);
    // Follows the stored case and the language: built once from the data each time.
    move || sheet(app, &id.get_value(), app.lang())
}

fn sheet(app: AppContext, id: &CaseId, lang: Lang) -> AnyView {
    let Some((case, routine)) = app.case(id).and_then(|c| {
        let routine = c.routine().and_then(|r| app.routine(&r))?;
        Some((c, routine))
    }) else {
        return view! { <MissingCase id=id.clone()/> }.into_any();
    };
    let state = case.state();
    let back = Route::Case(case.id.clone()).hash();
    let print = move |_| {
        let _ = window().print();
    };
    let meta = format!(
        "{} {} · {} {}",
        tr(lang, T::ReportCase),
        case.id.short(),
        tr(lang, T::ReportPrinted),
        clock::display_local(clock::now()),
    );

    view! {
        <div class="report-actions no-print button-row">
            <button type="button" class="primary" data-testid="police-sheet-print" on:click=print>
                {tr(lang, T::Print)}
            </button>
            <a class="button secondary" href=back>{tr(lang, T::BackToCase)}</a>
        </div>
        <article class="report police-sheet" data-testid="police-sheet" lang=html_lang(lang)>
            <h1>{tr(lang, T::PoliceSheetTitle)}</h1>
            <p class="meta">{meta}</p>
            <p>{tr(lang, T::PoliceSheetIntro)}</p>
            <p class="sensitive">{tr(lang, T::ReportSensitive)}</p>
            {when_where(routine, &state, lang)}
            {channels_part(&state, lang)}
            {words_part(&state, lang)}
            {who_part(&state, lang)}
            <section class="police-witnesses">
                <h2>{tr(lang, T::WitnessesHeading)}</h2>
                {witness_list(app, &state.witnesses, lang)}
            </section>
            <section class="police-evidence">
                <h2>{tr(lang, T::PrintEvidence)}</h2>
                {evidence_list(&state.evidence, lang, None)}
            </section>
            {police_part(routine, &state, lang)}
            {advice(app, lang)}
        </article>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use stodrutin_domain::evidence::text_item;
    use stodrutin_domain::routine::Channel;
    use stodrutin_domain::{Author, Role};

    fn recorded(item: EvidenceItem) -> Recorded<EvidenceItem> {
        Recorded {
            at: Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap(),
            by: Author {
                role: Role::Affected,
                name: None,
            },
            what: item,
        }
    }

    fn message(
        sender: Option<&str>,
        channel: Option<Channel>,
        platform: Option<&str>,
    ) -> Recorded<EvidenceItem> {
        recorded(EvidenceItem {
            sender: sender.map(str::to_owned),
            channel,
            platform: platform.map(str::to_owned),
            ..text_item("a".repeat(32), EvidenceKind::Message, "Du ska få se".into())
        })
    }

    #[test]
    fn channels_are_gathered_once_with_their_platform() {
        let evidence = [
            message(None, Some(Channel::SocialMedia), Some("Instagram")),
            message(None, Some(Channel::Sms), None),
            message(None, Some(Channel::SocialMedia), Some(" instagram ")),
            message(None, None, None),
            message(None, None, Some("Signal")),
        ];
        assert_eq!(
            channels(&evidence, Lang::Sv),
            ["Sociala medier (Instagram)", "SMS", "Signal"]
        );
        assert_eq!(
            channels(&evidence[..1], Lang::En),
            ["Social media (Instagram)"]
        );
        assert!(channels(&[], Lang::Sv).is_empty());
    }

    #[test]
    fn senders_are_gathered_once_with_how_they_came() {
        let evidence = [
            message(Some("@troll"), Some(Channel::SocialMedia), Some("X")),
            message(Some("  "), Some(Channel::Email), None),
            message(Some("070-123 45 67"), Some(Channel::Sms), None),
            message(Some("@Troll"), Some(Channel::Email), None),
            message(Some("@troll"), Some(Channel::SocialMedia), Some("X")),
            message(None, Some(Channel::Phone), None),
        ];
        assert_eq!(
            senders(&evidence, Lang::Sv),
            [
                Sender {
                    name: "@troll".into(),
                    channels: vec!["Sociala medier (X)".into(), "E-post".into()],
                },
                Sender {
                    name: "070-123 45 67".into(),
                    channels: vec!["SMS".into()],
                },
            ]
        );
    }

    #[test]
    fn names_that_differ_only_in_case_are_one_name_swedish_letters_too() {
        assert!(same_but_case("Örjan Åström", "örjan åSTRÖM"));
        assert!(same_but_case("@HOTARE_ÆØ", "@hotare_æø"));
        assert!(!same_but_case("Örjan", "Orjan"));
        assert!(!same_but_case("@troll", "@troll2"));
        // × and ÷ are not letters: left as they are.
        assert!(!same_but_case("a×b", "a÷b"));
        // Sámi, Polish, Czech: Latin Extended-A.
        assert!(same_but_case(
            "ŠÁNDOR ČĐŽ ŁĘŃ ŊŦ ŸŹ",
            "šándor čđž łęń ŋŧ ÿź"
        ));
        assert!(!same_but_case("Łukasz", "Lukasz"));
        // Every capital the table folds has the small letter Unicode gives it.
        for c in (0x41..=0x17fu32).filter_map(char::from_u32) {
            let folded = fold_case(c);
            if folded != c {
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    folded.to_string(),
                    "{c}"
                );
            } else if c != 'İ' {
                assert!(
                    c.to_lowercase().eq([c]),
                    "{c} has a small letter the table misses"
                );
            }
        }
    }

    #[test]
    fn sizes_read_naturally_with_the_exact_count() {
        assert_eq!(size_text(Lang::Sv, 0), "0 byte");
        assert_eq!(size_text(Lang::En, 1), "1 byte");
        assert_eq!(size_text(Lang::En, 999), "999 bytes");
        assert_eq!(size_text(Lang::Sv, 1_000), "1,0 kB (1\u{a0}000 byte)");
        assert_eq!(size_text(Lang::En, 43_210), "43.2 kB (43,210 bytes)");
        assert_eq!(size_text(Lang::En, 999_950), "1.0 MB (999,950 bytes)");
        assert_eq!(
            size_text(Lang::Sv, 2_431_012),
            "2,4 MB (2\u{a0}431\u{a0}012 byte)"
        );
        assert_eq!(
            size_text(Lang::En, 25_000_000),
            "25.0 MB (25,000,000 bytes)"
        );
    }

    fn pack(file: &str) -> Routine {
        let path = format!("{}/routines/{file}", env!("CARGO_MANIFEST_DIR"));
        Routine::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn the_police_report_is_read_from_the_report_form_and_the_police_fields() {
        let oxelosund = pack("oxelosund-2018-06-13.json");
        let ids: Vec<_> = police_forms(&oxelosund)
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(ids, ["officer", "report"]);
        let officer = oxelosund.form("officer").unwrap();
        let values: Values = [
            ("informed_by", "Eva"),
            ("police", "contacted"),
            ("police_link", "yes"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let police: Vec<_> = police_values(officer, &values).into_keys().collect();
        assert_eq!(police, ["police", "police_link"]);
        let report = oxelosund.form("report").unwrap();
        assert_eq!(police_values(report, &values), values);

        let example = pack("exempel-kommun-2026.json");
        let ids: Vec<_> = police_forms(&example)
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(ids, ["police_report"]);
    }
}
