//! What to bring to the police, gathered from the case on one printable sheet: when and where it
//! happened, how it came, the exact words, who did it, the witnesses, the evidence with its
//! checksums, what the routine's forms already say about the police report, and short advice
//! for the report itself. Nothing is typed here: the sheet only gathers what the case holds.
//!
//! The evidence and witness lists are shared with the printable report (`report_view`).

use crate::platform::clock;
use crate::platform::dom::{el, text_el, El};
use crate::ui::context::{use_app, AppContext};
use crate::ui::details_form::{field_label, form_title, shown_value, value_lines};
use crate::ui::i18n::{author_text, evidence_kind, html_lang, size_text, tr, Lang, T};
use crate::ui::printed::{printed_case, Pictures, Printing};
use crate::ui::route::Route;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use stodrutin_domain::details::{normalize_phone, Form, Kind, Values};
use stodrutin_domain::evidence::{EvidenceItem, EvidenceKind};
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

/// A phone number as a `tel:` link when it reads as one (the article's click keeps the app
/// unlocked while the call lasts, as the call bar's do).
fn tel_link(shown: &str) -> El {
    match normalize_phone(shown) {
        Some(number) => el("a")
            .class("tel-link")
            .attr("href", &format!("tel:{number}"))
            .text(shown),
        None => text_el("span", "", shown),
    }
}

/// A label and its value in a `<dl>`: `<div class="pair"><dt>…</dt><dd>…</dd></div>`.
pub fn pair(label: &str, value: El) -> El {
    el("div")
        .class("pair")
        .child(text_el("dt", "", label))
        .child(value)
}

fn pairs_list(pairs: Vec<(&str, String)>) -> El {
    let list = el("dl");
    for (label, value) in pairs {
        list.push(pair(label, text_el("dd", "", &value)));
    }
    list
}

fn saved_by(
    at: chrono::DateTime<chrono::Utc>,
    by: &stodrutin_domain::Author,
    lang: Lang,
) -> String {
    format!("{} · {}", clock::display_local(at), author_text(by, lang))
}

/// Where the printed report shows its pictures: the app, the case and the document's pictures.
pub type ReportPictures<'a> = (AppContext, &'a CaseId, Pictures);

/// The evidence as a numbered list: every item with its kind, when and by whom it was saved,
/// how it came, its file and where the original is kept, and its full SHA-256. The report
/// (`report` given) also gives a message's words and prints each picture small.
pub fn evidence_list(
    evidence: &[Recorded<EvidenceItem>],
    lang: Lang,
    report: Option<ReportPictures>,
) -> El {
    if evidence.is_empty() {
        return text_el("p", "empty", tr(lang, T::PrintNoEvidence));
    }
    let list = el("ol").class("evidence-print-list");
    for recorded in evidence {
        list.push(evidence_entry(recorded, lang, report));
    }
    list
}

fn evidence_entry(
    recorded: &Recorded<EvidenceItem>,
    lang: Lang,
    report: Option<ReportPictures>,
) -> El {
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
    let list = pairs_list(pairs).child(pair(
        t(T::PrintItemSha256),
        el("dd").child(text_el("code", "sha256", &item.sha256)),
    ));
    let entry = el("li")
        .class("evidence-print")
        .attr("data-evidence", &item.id)
        .child(list);
    let Some((app, case, pictures)) = report else {
        return entry;
    };
    if let (EvidenceKind::Message, Some(words)) = (item.kind, item.text.as_ref()) {
        entry.push(text_el("p", "evidence-words-label", t(T::PrintItemWords)));
        entry.push(text_el("blockquote", "evidence-words", words));
    }
    if item.is_viewable_image() {
        entry.push(pictures.picture(app, case, item));
    }
    entry
}

/// The witnesses: the entries of the pack's witness list (`Routine::witness_form`), each field
/// with its label and a phone number as a link, and those noted before packs had that list (name,
/// phone and what they saw or heard).
pub fn witness_list(routine: &Routine, state: &CaseState, lang: Lang) -> El {
    let listed = routine
        .witness_form()
        .map(|form| (form, state.entries(&form.id)))
        .filter(|(_, entries)| !entries.is_empty());
    if state.witnesses.is_empty() && listed.is_none() {
        return text_el("p", "empty", tr(lang, T::PrintNoWitnesses));
    }
    // In the order they were noted, whichever way.
    let mut noted: Vec<(DateTime<Utc>, El)> = Vec::new();
    for recorded in &state.witnesses {
        let witness = &recorded.what;
        let facts = el("dl");
        if let Some(phone) = given(&witness.phone) {
            facts.push(pair(
                tr(lang, T::WitnessPhone),
                el("dd").child(tel_link(phone)),
            ));
        }
        if let Some(saw) = given(&witness.saw) {
            facts.push(pair(tr(lang, T::PrintWitnessSaw), text_el("dd", "", saw)));
        }
        let item = el("li")
            .class("witness-print")
            .attr("data-witness", &witness.id)
            .child(text_el("p", "witness-name", &witness.name))
            .child(facts)
            .child(text_el(
                "p",
                "meta",
                &saved_by(recorded.at, &recorded.by, lang),
            ));
        noted.push((recorded.at, item));
    }
    if let Some((form, entries)) = listed {
        for entry in entries {
            let facts = el("dl");
            for field in &form.fields {
                let Some(value) = entry.values.get(&field.key).map(|v| v.trim()) else {
                    continue;
                };
                if value.is_empty() {
                    continue;
                }
                let shown = match field.kind {
                    Kind::Phone => el("dd").child(tel_link(value)),
                    _ => text_el("dd", "", &shown_value(field, value, lang)),
                };
                facts.push(pair(field_label(field, lang), shown));
            }
            let item = el("li").class("witness-print").child(facts).child(text_el(
                "p",
                "meta",
                &saved_by(entry.at, &entry.by, lang),
            ));
            noted.push((entry.at, item));
        }
    }
    noted.sort_by_key(|(at, _)| *at);
    let list = el("ul").class("witness-print-list");
    for (_, item) in noted {
        list.push(item);
    }
    list
}

/// A section with a heading: the list, or one line saying there is nothing.
fn part(heading: T, lang: Lang, body: Option<El>, none: T) -> El {
    el("section")
        .child(text_el("h2", "", tr(lang, heading)))
        .child(body.unwrap_or_else(|| text_el("p", "empty", tr(lang, none))))
}

fn when_where(routine: &Routine, state: &CaseState, lang: Lang) -> El {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(at) = state.incident_at {
        pairs.push((tr(lang, T::ReportTime), clock::display_local(at)));
    }
    for form in routine.forms_of(INCIDENT_SECTION) {
        for entry in state.shown_entries(form) {
            pairs.extend(value_lines(form, &entry.values, lang));
        }
    }
    let body = (!pairs.is_empty()).then(|| pairs_list(pairs));
    part(
        T::PoliceSheetWhenWhere,
        lang,
        body,
        T::PoliceSheetNoWhenWhere,
    )
}

fn channels_part(state: &CaseState, lang: Lang) -> El {
    let list = channels(&state.evidence, lang);
    let body = (!list.is_empty()).then(|| {
        let shown = el("ul");
        for channel in list {
            shown.push(text_el("li", "", &channel));
        }
        shown
    });
    part(T::PoliceSheetChannels, lang, body, T::PoliceSheetNoChannels)
}

fn words_part(state: &CaseState, lang: Lang) -> El {
    let shown = el("ol").class("police-words");
    let mut any = false;
    for e in &state.evidence {
        let (EvidenceKind::Message, Some(text)) = (e.what.kind, e.what.text.as_ref()) else {
            continue;
        };
        any = true;
        let mut caption = Vec::new();
        if let Some(sender) = given(&e.what.sender) {
            caption.push(format!("{}: {sender}", tr(lang, T::PrintItemSender)));
        }
        if let Some(channel) = channel_text(&e.what, lang) {
            caption.push(channel);
        }
        caption.push(format!(
            "{}: {}",
            tr(lang, T::Saved),
            saved_by(e.at, &e.by, lang)
        ));
        shown.push(
            el("li").attr("data-evidence", &e.what.id).child(
                el("figure")
                    .child(text_el("blockquote", "evidence-words", text))
                    .child(text_el("figcaption", "meta", &caption.join(" · "))),
            ),
        );
    }
    part(
        T::PoliceSheetWords,
        lang,
        any.then_some(shown),
        T::PoliceSheetNoWords,
    )
}

fn who_part(state: &CaseState, lang: Lang) -> El {
    let list = senders(&state.evidence, lang);
    let body = (!list.is_empty()).then(|| {
        let shown = el("ul").class("police-senders");
        for sender in list {
            let item = el("li").child(text_el("span", "sender", &sender.name));
            if !sender.channels.is_empty() {
                shown.push(item.text(&format!(" – {}", sender.channels.join(", "))));
            } else {
                shown.push(item);
            }
        }
        shown
    });
    part(T::PoliceSheetWho, lang, body, T::PoliceSheetNoSenders)
}

/// What the routine's forms hold about the police report; nothing when the pack has no such
/// form.
fn police_part(routine: &Routine, state: &CaseState, lang: Lang) -> Option<El> {
    let forms = police_forms(routine);
    if forms.is_empty() {
        return None;
    }
    let blocks = el("div");
    let mut any = false;
    for form in forms {
        let block = el("div")
            .class("report-form")
            .attr("data-form", &form.id)
            .child(text_el("h3", "", form_title(form, lang)));
        let mut filled = false;
        for entry in state.shown_entries(form) {
            let values = police_values(form, &entry.values);
            if values.is_empty() {
                continue;
            }
            filled = true;
            block.push(pairs_list(value_lines(form, &values, lang)));
            block.push(text_el("p", "meta", &saved_by(entry.at, &entry.by, lang)));
        }
        if filled {
            any = true;
            blocks.push(block);
        }
    }
    Some(part(
        T::PoliceSheetSoFar,
        lang,
        any.then_some(blocks),
        T::PoliceSheetNothingYet,
    ))
}

fn advice(lang: Lang) -> El {
    const ADVICE: [T; 7] = [
        T::PoliceSheetAdviceElected,
        T::PoliceSheetAdviceLaw,
        T::PoliceSheetAdviceDemocracy,
        T::PoliceSheetAdviceProtection,
        T::PoliceSheetAdviceWorkPhone,
        T::PoliceSheetAdviceEveryTime,
        T::PoliceSheetAdviceEvidence,
    ];
    let list = el("ul");
    for key in ADVICE {
        list.push(text_el("li", "", tr(lang, key)));
    }
    for (key, number) in [
        (T::PoliceSheetAdviceCall, "114 14"),
        (T::PoliceSheetAdviceNow, "112"),
    ] {
        list.push(
            el("li")
                .text(tr(lang, key))
                .text(" ")
                .child(tel_link(number))
                .text("."),
        );
    }
    el("section")
        .class("police-advice")
        .child(text_el("h2", "", tr(lang, T::PoliceSheetAdvice)))
        .child(list)
}

#[component]
pub fn PoliceSheet(id: CaseId) -> impl IntoView {
    let app = use_app();
    let back = Route::Case(id.clone()).hash();
    let print = move |_| {
        let _ = window().print();
    };
    let actions = view! {
        <div class="report-actions no-print button-row">
            <button type="button" class="primary" data-testid="police-sheet-print" on:click=print>
                {app.tx(T::Print)}
            </button>
            <a class="button secondary" href=back>{app.tx(T::BackToCase)}</a>
        </div>
    };
    // Follows the stored case and the language: built again from the data each time.
    printed_case(id, actions.into_any(), "report police-sheet", sheet)
}

fn sheet(printing: &Printing, article: El) -> El {
    let Printing {
        case,
        routine,
        lang,
        ..
    } = *printing;
    let state = case.state();
    let meta = format!(
        "{} {} · {} {}",
        tr(lang, T::ReportCase),
        case.id.short(),
        tr(lang, T::ReportPrinted),
        clock::display_local(clock::now()),
    );
    article
        .attr("data-testid", "police-sheet")
        .attr("lang", html_lang(lang))
        .child(text_el("h1", "", tr(lang, T::PoliceSheetTitle)))
        .child(text_el("p", "meta", &meta))
        .child(text_el("p", "", tr(lang, T::PoliceSheetIntro)))
        .child(text_el("p", "sensitive", tr(lang, T::ReportSensitive)))
        .child(when_where(routine, &state, lang))
        .child(channels_part(&state, lang))
        .child(words_part(&state, lang))
        .child(who_part(&state, lang))
        .child(
            el("section")
                .class("police-witnesses")
                .child(text_el("h2", "", tr(lang, T::WitnessesHeading)))
                .child(witness_list(routine, &state, lang)),
        )
        .child(
            el("section")
                .class("police-evidence")
                .child(text_el("h2", "", tr(lang, T::PrintEvidence)))
                .child(evidence_list(&state.evidence, lang, None)),
        )
        .maybe(police_part(routine, &state, lang))
        .child(advice(lang))
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
