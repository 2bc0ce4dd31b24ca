//! The team's words for the spans, and how durations are shown.

use crate::repo;
use hindsight_core::domain::settings::{DeviceSettings, DurationStyle, Settings};
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
    let device = signals.device.get_untracked();
    let server_url = RwSignal::new(device.server_url.clone());
    let name = RwSignal::new(device.display_name.clone());
    let (device_status, set_device_status) = signal(None::<Result<String, String>>);
    let save_device = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = DeviceSettings::parse_server_url(&server_url.get_untracked()).and_then(|url| {
            let d = DeviceSettings { server_url: url.clone(), display_name: name.get_untracked().trim().chars().take(60).collect() };
            repo::save_device(d).map(|_| {
                if url.is_empty() {
                    "Saved. No sync server: nothing leaves this browser.".to_string()
                } else {
                    format!("Saved. Syncing with {url}.")
                }
            })
        });
        set_device_status.set(Some(r));
    };
    view! {
        <section class="page settings-page">
            <h1>"Settings"</h1>
            <form class="panel" on:submit=save_device>
                <h2>"This device"</h2>
                <p class="hint">"To co-edit from several laptops, run an automerge-repo sync server (for example `npx @automerge/automerge-repo-sync-server`, port 3030) or use your organisation's, and enter its address here. Until then nothing leaves this browser."</p>
                <label class="field wide"><span class="label">"Sync server"</span>
                    <input type="text" data-testid="server-url" placeholder="ws://localhost:3030"
                        prop:value=move || server_url.get() on:input=move |ev| server_url.set(event_target_value(&ev)) /></label>
                <label class="field wide"><span class="label">"Your name (shown to others in the meeting)"</span>
                    <input type="text" data-testid="display-name" maxlength="60"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) /></label>
                <div class="actions"><button type="submit" class="primary" data-testid="save-device">"Save"</button></div>
                {move || device_status.get().map(|s| match s {
                    Ok(m) => view! { <p class="ok" role="status" data-testid="device-saved">{m}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert" data-testid="device-error">{e}</p> }.into_any(),
                })}
            </form>
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
