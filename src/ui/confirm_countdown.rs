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
    let timer = StoredValue::new(None::<IntervalHandle>);
    let stop = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
    };
    let start = move |_| {
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
        step.set(Step::Idle);
    };
    on_cleanup(stop);

    view! {
        <div class="confirm">
            {move || match step.get() {
                Step::Idle => view! {
                    <button type="button" class="danger" on:click=move |_| step.set(Step::Asked)>
                        {app.t(label)}
                    </button>
                }.into_any(),
                Step::Asked => view! {
                    <div class="panel stack" role="group" aria-label=app.t(label)>
                        <p class="warning">{move || what.get()}</p>
                        <button type="button" class="danger" on:click=start>{app.t(T::ConfirmDelete)}</button>
                        <button type="button" class="secondary" on:click=cancel>{app.t(T::Cancel)}</button>
                    </div>
                }.into_any(),
                Step::Counting(n) => view! {
                    <div class="panel stack">
                        <p class="countdown" role="status">{deleting_in(app.lang(), n)}</p>
                        <button type="button" class="primary" on:click=cancel>{app.t(T::Cancel)}</button>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}
