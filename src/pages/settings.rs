//! The team's words for the spans, and how durations are shown.

use crate::repo;
use hindsight_core::domain::settings::{DurationStyle, Settings};
use hindsight_core::domain::Span;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let signals = repo::signals();
    let draft = RwSignal::new(signals.settings.get_untracked());
    let (status, set_status) = signal(None::<Result<String, String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_status.set(Some(repo::save_settings(draft.get_untracked()).map(|_| "Saved.".to_string())));
    };
    view! {
        <section class="page settings-page">
            <h1>"Settings"</h1>
            <form class="panel" on:submit=save>
                <h2>"What the team calls each span"</h2>
                <p class="hint">"Teams use different words (\u{201c}time to mitigate\u{201d}, \u{201c}time to respond\u{201d}); what matters is measuring the same way every time. Each figure keeps saying which milestones it measures from and to."</p>
                {Span::ALL.into_iter().map(|span| {
                    let (f, t) = span.bounds();
                    view! {
                        <div class="row label-row">
                            <span class="bounds">{format!("\u{201c}{}\u{201d} → \u{201c}{}\u{201d}", f.label(), t.label())}</span>
                            <label class="field narrow"><span class="label">"Short"</span>
                                <input type="text" maxlength="40" data-testid=format!("label-short-{}", span.key())
                                    prop:value=move || draft.get().label(span).short.clone()
                                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| { let n = d.label(span).name.clone(); d.set_label(span, &v, &n) }) } /></label>
                            <label class="field wide"><span class="label">"Name"</span>
                                <input type="text" maxlength="40" data-testid=format!("label-name-{}", span.key())
                                    prop:value=move || draft.get().label(span).name.clone()
                                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| { let s = d.label(span).short.clone(); d.set_label(span, &s, &v) }) } /></label>
                        </div>
                    }
                }).collect_view()}
                <h2>"Durations of one incident"</h2>
                <label class="check"><input type="radio" name="durations" data-testid="durations-relative"
                    prop:checked=move || draft.get().durations == DurationStyle::Relative
                    on:change=move |_| draft.update(|d| d.durations = DurationStyle::Relative) />" as spans (1 h 13 min)"</label>
                <label class="check"><input type="radio" name="durations" data-testid="durations-absolute"
                    prop:checked=move || draft.get().durations == DurationStyle::Absolute
                    on:change=move |_| draft.update(|d| d.durations = DurationStyle::Absolute) />" as the two moments (14:54 → 16:07)"</label>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save-settings">"Save"</button>
                    <button type="button" on:click=move |_| draft.set(Settings::default())>"Back to the defaults"</button>
                </div>
                {move || status.get().map(|s| match s {
                    Ok(m) => view! { <p class="ok" role="status">{m}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}
