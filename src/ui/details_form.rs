//! One of the case's forms (the routine pack's `forms`): what has been recorded, and a form to
//! record it, correct it (a sheet) or add to it (a list). Every save is one event in the log.

use crate::platform::clock;
use crate::ui::context::use_app;
use crate::ui::drafts::keep_draft;
use crate::ui::form_actions::FormActions;
use crate::ui::i18n::{author_text, detail_error, Lang, T};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use stodrutin_domain::details::{choice_labels, Choice, Field, Form, Kind, Values};
use stodrutin_domain::time::rfc3339;
use stodrutin_domain::{CaseId, CaseState, DetailEntry, Payload, RecordError};

/// A field's label in the UI's language.
pub fn field_label(field: &Field, lang: Lang) -> &str {
    field.label.get(lang)
}

pub fn form_title(form: &Form, lang: Lang) -> &str {
    form.title.get(lang)
}

/// An option's label in the UI's language.
fn choice_label(choice: &Choice, lang: Lang) -> &str {
    choice.label.get(lang)
}

/// A stored time value (RFC 3339, as the forms record times), or `None` when it is not one.
pub fn stored_time(value: &str) -> Option<DateTime<Utc>> {
    rfc3339::parse(value)
}

/// A stored value as a reader sees it: local times, choice labels, yes or no.
pub fn shown_value(field: &Field, value: &str, lang: Lang) -> String {
    match &field.kind {
        Kind::At | Kind::Scheduled => stored_time(value)
            .map(clock::display_local)
            .unwrap_or_else(|| value.to_owned()),
        Kind::YesNo => {
            crate::ui::i18n::tr(lang, if value == "yes" { T::Yes } else { T::No }).into()
        }
        Kind::OneOf | Kind::AnyOf => choice_labels(field, value, lang).join(", "),
        Kind::Text | Kind::LongText | Kind::Phone => value.to_owned(),
    }
}

/// The values as `label: value` lines, in the form's field order; an emptied value (a sheet's
/// change) says so.
pub fn value_lines<'a>(form: &'a Form, values: &Values, lang: Lang) -> Vec<(&'a str, String)> {
    form.fields
        .iter()
        .filter_map(|field| {
            values.get(&field.key).map(|v| {
                let shown = if v.is_empty() {
                    crate::ui::i18n::tr(lang, T::ValueEmptied).to_owned()
                } else {
                    shown_value(field, v, lang)
                };
                (field_label(field, lang), shown)
            })
        })
        .collect()
}

/// Stored values → what the inputs hold (times in the phone's local `datetime-local` form).
fn to_inputs(form: &Form, values: &Values) -> Values {
    values
        .iter()
        .map(|(key, value)| {
            let input = match form.field(key).map(|f| &f.kind) {
                // A value the phone cannot read stays as it is, so saving the sheet keeps it.
                Some(Kind::At | Kind::Scheduled) => stored_time(value)
                    .map(clock::to_local_input)
                    .unwrap_or_else(|| value.clone()),
                _ => value.clone(),
            };
            (key.clone(), input)
        })
        .collect()
}

/// Whether a field's input says the same as it did: empty and erased, choices ticked in another
/// order, a yes/no box that was "no" and is unticked.
fn same_input(form: &Form, key: &str, was: &str, now: &str) -> bool {
    let (was, now) = (was.trim(), now.trim());
    match form.field(key).map(|f| &f.kind) {
        Some(Kind::AnyOf) => {
            fn chosen(value: &str) -> Vec<&str> {
                let mut keys: Vec<&str> = value.split(',').filter(|k| !k.is_empty()).collect();
                keys.sort_unstable();
                keys
            }
            chosen(was) == chosen(now)
        }
        Some(Kind::YesNo) => (was == "yes") == (now == "yes"),
        _ => was == now,
    }
}

/// What the inputs hold → values to record. A time the phone cannot read is passed on as it is,
/// so the domain's check names the field.
fn from_inputs(form: &Form, inputs: &Values) -> Values {
    form.fields
        .iter()
        .map(|field| {
            let input = inputs.get(&field.key).cloned().unwrap_or_default();
            let value = match field.kind {
                Kind::At | Kind::Scheduled if !input.trim().is_empty() => {
                    clock::from_local_input(&input)
                        .map(rfc3339::write_secs)
                        .unwrap_or(input)
                }
                _ => input,
            };
            (field.key.clone(), value)
        })
        .collect()
}

/// The key of the draft of `form` in the case `case_id`, kept while it is open (across a lock).
pub fn draft_key(case_id: &CaseId, form: &Form) -> String {
    format!("form/{}/{}", case_id.as_str(), form.id)
}

#[component]
pub fn DetailsForm(
    case_id: CaseId,
    form: &'static Form,
    state: Memo<Option<CaseState>>,
) -> impl IntoView {
    let app = use_app();
    let case_id = StoredValue::new(case_id);
    let entries = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref()
                .map(|s| s.shown_entries(form))
                .unwrap_or_default()
        })
    });
    let open = RwSignal::new(false);
    let inputs = RwSignal::new(Values::new());
    // A sheet's values as the form opened with them: only the fields changed from these are
    // sent, so a field another tab or an import changed meanwhile keeps its new value.
    let opened_with = RwSignal::new(Values::new());
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let draft_key = case_id.with_value(|id| draft_key(id, form));
    if let Some((draft, opened)) = keep_draft(app, draft_key, move || {
        open.get().then(|| (inputs.get(), opened_with.get()))
    }) {
        inputs.set(draft);
        opened_with.set(opened);
        open.set(true);
    }
    // A sheet's values as stored now.
    let stored_sheet =
        move || entries.with_untracked(|e| e.last().map(|e| e.values.clone()).unwrap_or_default());
    let dom = |key: &str| format!("{}-{key}", form.id);

    let begin = move |_| {
        let current = if form.list {
            Values::new()
        } else {
            to_inputs(form, &stored_sheet())
        };
        opened_with.set(current.clone());
        inputs.set(current);
        error.set(None);
        open.set(true);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values = if form.list {
            inputs.with_untracked(|i| from_inputs(form, i))
        } else {
            // The sheet as stored now, with the fields changed on the form in their place: an
            // untouched time is not sent through the local-time input and back (seconds, or the
            // hour that repeats when summer time ends, would read as a change).
            let mut wanted = stored_sheet();
            inputs.with_untracked(|typed| {
                opened_with.with_untracked(|opened| {
                    let recorded = from_inputs(form, typed);
                    for (key, value) in typed {
                        let was = opened.get(key).map_or("", String::as_str);
                        if !same_input(form, key, was, value) {
                            let value = recorded.get(key).cloned().unwrap_or_default();
                            wanted.insert(key.clone(), value);
                        }
                    }
                })
            });
            wanted
        };
        let payload = Payload::DetailsRecorded {
            form: form.id.clone(),
            values,
        };
        match app.record_checked(&case_id.get_value(), payload) {
            Ok(()) => {
                open.set(false);
                error.set(None);
            }
            Err((Some(RecordError::Details(err)), _)) => {
                error.set(Some((err.field.clone(), detail_error(app.lang(), &err))))
            }
            Err((_, message)) => error.set(Some((None, message))),
        }
    };
    let error_text = move || {
        error.get().map(
            |(field, message)| match field.and_then(|k| form.field(&k)) {
                Some(f) => format!("{}: {message}", field_label(f, app.lang())),
                None => message,
            },
        )
    };
    let heading_id = format!("form-{}", form.id);
    let labelled_by = heading_id.clone();

    view! {
        <section class="details" data-form=form.id.as_str() aria-labelledby=labelled_by>
            <h3 id=heading_id>{move || form_title(form, app.lang())}</h3>
            {form.reminder.as_ref().map(|reminder| view! {
                <p class="warning reminder">{move || reminder.get(app.lang())}</p>
            })}
            {move || {
                let shown = entries.get();
                (!shown.is_empty()).then(|| view! {
                    <ul class="entries">
                        {shown.into_iter().map(|entry| view! { <Entry form=form entry=entry/> }).collect_view()}
                    </ul>
                })
            }}
            <Show when=move || !open.get()>
                <button type="button" class="secondary" on:click=begin>
                    {move || match (form.list, entries.with(|e| e.is_empty())) {
                        (true, _) => app.t(T::AddEntry),
                        (false, true) => app.t(T::FillIn),
                        (false, false) => app.t(T::Change),
                    }}
                    <span class="visually-hidden">": " {move || form_title(form, app.lang())}</span>
                </button>
            </Show>
            <Show when=move || open.get()>
                <form class="stack panel" novalidate on:submit=submit>
                    {form.fields.iter().map(|field| {
                        let invalid = move || error.with(|e| e.as_ref().is_some_and(|(f, _)| f.as_deref() == Some(field.key.as_str())));
                        view! { <FieldInput field=field id=dom(&field.key) inputs=inputs invalid=Signal::derive(invalid)/> }
                    }).collect_view()}
                    <div role="alert" class="field-error">{error_text}</div>
                    <FormActions on_cancel=move || open.set(false)/>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Entry(form: &'static Form, entry: DetailEntry) -> impl IntoView {
    let app = use_app();
    let entry = StoredValue::new(entry);
    // Rebuilt when the language changes: labels, choices and yes/no are words.
    move || {
        let lang = app.lang();
        entry.with_value(|entry| {
            let lines = value_lines(form, &entry.values, lang);
            let empty = lines.is_empty();
            view! {
                <li class="entry">
                    <dl>
                        {lines.into_iter().map(|(label, value)| view! {
                            <div class="pair"><dt>{label}</dt><dd>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                    {empty.then(|| view! { <p class="help">{app.t(T::Cleared)}</p> })}
                    <p class="meta">{clock::display_local(entry.at)} " · " {author_text(&entry.by, lang)}</p>
                </li>
            }
        })
    }
}

#[component]
fn FieldInput(
    field: &'static Field,
    id: String,
    inputs: RwSignal<Values>,
    invalid: Signal<bool>,
) -> impl IntoView {
    let app = use_app();
    let value = move || inputs.with(|i| i.get(&field.key).cloned().unwrap_or_default());
    let set = move |v: String| {
        inputs.update(|i| {
            i.insert(field.key.clone(), v);
        })
    };
    let label = move || field_label(field, app.lang());
    match &field.kind {
        Kind::Text | Kind::Phone => {
            let phone = matches!(field.kind, Kind::Phone);
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <input id=id type=if phone { "tel" } else { "text" }
                        inputmode=if phone { "tel" } else { "text" }
                        autocomplete="off"
                        aria-invalid=move || invalid.get().to_string()
                        prop:value=value
                        on:input=move |ev| set(event_target_value(&ev))
                    />
                </div>
            }
            .into_any()
        }
        Kind::LongText => view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <textarea id=id rows="3"
                    aria-invalid=move || invalid.get().to_string()
                    prop:value=value
                    on:input=move |ev| set(event_target_value(&ev))
                ></textarea>
            </div>
        }
        .into_any(),
        Kind::At | Kind::Scheduled => view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <div class="input-with-button">
                    <input id=id type="datetime-local"
                        aria-invalid=move || invalid.get().to_string()
                        prop:value=value
                        on:input=move |ev| set(event_target_value(&ev))
                    />
                    <button type="button" class="secondary" on:click=move |_| set(clock::to_local_input(clock::now()))>
                        {app.tx(T::Now)}
                        <span class="visually-hidden">": " {label}</span>
                    </button>
                </div>
            </div>
        }
        .into_any(),
        Kind::YesNo => view! {
            <label class="choice">
                <input id=id type="checkbox"
                    aria-invalid=move || invalid.get().to_string()
                    prop:checked=move || value() == "yes"
                    on:change=move |ev| set(if event_target_checked(&ev) { "yes".into() } else { String::new() })
                />
                <span>{label}</span>
            </label>
        }
        .into_any(),
        Kind::OneOf => view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id
                    aria-invalid=move || invalid.get().to_string()
                    prop:value=value
                    on:change=move |ev| set(event_target_value(&ev))
                >
                    <option value="">"—"</option>
                    {field.choices.iter().map(|o| view! {
                        <option value=o.key.as_str() selected=move || value() == o.key>
                            {move || choice_label(o, app.lang())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
        Kind::AnyOf => {
            let has = move |key: &str| value().split(',').any(|k| k == key);
            let toggle = move |key: &'static str, on: bool| {
                let mut chosen: Vec<String> = value()
                    .split(',')
                    .filter(|k| !k.is_empty() && *k != key)
                    .map(str::to_owned)
                    .collect();
                if on {
                    chosen.push(key.to_owned());
                }
                set(chosen.join(","));
            };
            view! {
                <fieldset id=id aria-invalid=move || invalid.get().to_string()>
                    <legend>{label}</legend>
                    {field.choices.iter().map(|o| view! {
                        <label class="choice">
                            <input type="checkbox" value=o.key.as_str()
                                prop:checked=move || has(&o.key)
                                on:change=move |ev| toggle(&o.key, event_target_checked(&ev))
                            />
                            <span>{move || choice_label(o, app.lang())}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stodrutin_domain::testing::oxelosund;

    #[test]
    fn an_input_that_says_the_same_is_no_change() {
        let incident = oxelosund().form("incident").unwrap();
        let officer = oxelosund().form("officer").unwrap();
        assert!(same_input(incident, "place", "", " "), "typed, then erased");
        assert!(!same_input(incident, "place", "Torget", "Torg"));
        assert!(
            same_input(incident, "kinds", "hot,vald", "vald,hot"),
            "ticked again"
        );
        assert!(!same_input(incident, "kinds", "hot,vald", "hot"));
        assert!(
            same_input(officer, "police_link", "no", ""),
            "\"no\", then unticked"
        );
        assert!(!same_input(officer, "police_link", "yes", ""));
    }
}
