//! A destructive action behind two steps: a confirmation that names what will go, then a short
//! countdown that can still be cancelled.

use crate::ui::context::use_app;
use crate::ui::i18n::{deleting_in, T};
use leptos::prelude::*;
use std::time::Duration;

pub const COUNTDOWN_SECONDS: u32 = 5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Idle,
    Asked,
    Counting(u32),
}

#[component]
pub fn ConfirmCountdown(
    /// The button that starts it, e.g. "Radera ärendet".
    label: T,
    /// What will go, said in full before anything happens.
    what: Signal<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    let step = RwSignal::new(Step::Idle);
    // The user has moved through the steps: the focus follows (never at the first showing).
    let moved = StoredValue::new(false);
    let timer = StoredValue::new(None::<IntervalHandle>);
    let stop = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
    };
    let start = move |_| {
        moved.set_value(true);
        step.set(Step::Counting(COUNTDOWN_SECONDS));
        let handle = set_interval_with_handle(
            move || match step.get_untracked() {
                Step::Counting(n) if n > 1 => step.set(Step::Counting(n - 1)),
                Step::Counting(_) => {
                    stop();
                    step.set(Step::Idle);
                    on_confirm.run(());
                }
                _ => stop(),
            },
            Duration::from_secs(1),
        )
        .ok();
        timer.set_value(handle);
    };
    let cancel = move |_| {
        stop();
        moved.set_value(true);
        step.set(Step::Idle);
    };
    on_cleanup(stop);

    // The panel is built again only when the step's kind changes, not each second of the
    // countdown (its button would go from under the focus). The button the user pressed goes
    // with its step: the focus moves to the safe choice, "Avbryt" (and back to the first button
    // after a cancel), so a keyboard or screen reader user is not left nowhere as it counts down.
    let kind = Memo::new(move |_| match step.get() {
        Step::Idle => Step::Idle,
        Step::Asked => Step::Asked,
        Step::Counting(_) => Step::Counting(0),
    });
    let seconds = move || match step.get() {
        Step::Counting(n) => n,
        _ => 0,
    };
    let focused = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = focused.get() {
            if moved.get_value() {
                let _ = button.focus();
            }
        }
    });
    let to = move |next: Step| {
        moved.set_value(true);
        step.set(next);
    };

    view! {
        <div class="confirm">
            {move || match kind.get() {
                Step::Idle => view! {
                    <button type="button" class="danger" node_ref=focused on:click=move |_| to(Step::Asked)>
                        {app.t(label)}
                    </button>
                }.into_any(),
                Step::Asked => view! {
                    <div class="panel stack" role="group" aria-label=app.t(label)>
                        <p class="warning">{move || what.get()}</p>
                        <button type="button" class="danger" on:click=start>{app.t(T::ConfirmDelete)}</button>
                        <button type="button" class="secondary" node_ref=focused on:click=cancel>{app.t(T::Cancel)}</button>
                    </div>
                }.into_any(),
                Step::Counting(_) => view! {
                    <div class="panel stack">
                        <p class="countdown" role="status">{move || deleting_in(app.lang(), seconds())}</p>
                        <button type="button" class="primary" node_ref=focused on:click=cancel>{app.t(T::Cancel)}</button>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}
