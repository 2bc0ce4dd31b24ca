//! The form to add or edit a timeline entry.

use super::zone::{browser_zone_label, EntryZone};
use hindsight_core::domain::{timeline::is_web_link, EntryKind, Moment, TimelineEntry};
use leptos::prelude::*;

/// What the form produces.
#[derive(Debug, Clone)]
pub struct EntryDraft {
    pub at: Moment,
    pub kind: EntryKind,
    pub text: String,
    pub evidence: Option<String>,
    pub approximate: bool,
}

fn parse_evidence(s: &str) -> Result<Option<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if is_web_link(s) {
        Ok(Some(s.to_string()))
    } else {
        Err("An evidence link must start with https:// or http://".into())
    }
}

/// `existing` fills the form for editing; `zone` is shared across forms so
/// that a person entering a Pacific-time timeline picks the zone once.
#[component]
pub fn EntryForm(
    existing: Option<TimelineEntry>,
    zone: RwSignal<EntryZone>,
    on_submit: Callback<EntryDraft, Result<(), String>>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let editing = existing.is_some();
    // When editing, start in the entry's own offset so the reading is
    // unchanged, in a zone of this form only: the add form keeps its zone.
    let zone = match existing.as_ref().and_then(|e| e.at) {
        Some(at) => RwSignal::new(if at.offset().minutes() == 0 {
            EntryZone::Utc
        } else {
            EntryZone::Offset(at.offset().to_string().trim_start_matches("UTC").to_string())
        }),
        None => zone,
    };
    let local = RwSignal::new(existing.as_ref().and_then(|e| e.at).map(|m| m.local_input_value()).unwrap_or_default());
    let kind = RwSignal::new(existing.as_ref().map(|e| e.kind).unwrap_or(EntryKind::Event));
    let text = RwSignal::new(existing.as_ref().map(|e| e.text.clone()).unwrap_or_default());
    let evidence = RwSignal::new(existing.as_ref().and_then(|e| e.evidence.clone()).unwrap_or_default());
    let approximate = RwSignal::new(existing.as_ref().is_some_and(|e| e.approximate));
    let offset_text = RwSignal::new(match zone.get_untracked() {
        EntryZone::Offset(o) => o,
        _ => String::new(),
    });
    let (error, set_error) = signal(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let z = match zone.get_untracked() {
            EntryZone::Offset(_) => EntryZone::Offset(offset_text.get_untracked()),
            other => other,
        };
        let draft = z.moment(&local.get_untracked()).and_then(|at| {
            if text.get_untracked().trim().is_empty() {
                return Err("Say what happened at this time.".to_string());
            }
            Ok(EntryDraft {
                at,
                kind: kind.get_untracked(),
                text: text.get_untracked().trim().to_string(),
                evidence: parse_evidence(&evidence.get_untracked())?,
                approximate: approximate.get_untracked(),
            })
        });
        match draft.and_then(|d| on_submit.run(d)) {
            Ok(()) => {
                set_error.set(None);
                if !editing {
                    text.set(String::new());
                    evidence.set(String::new());
                    approximate.set(false);
                    kind.set(EntryKind::Event);
                }
            }
            Err(e) => set_error.set(Some(e)),
        }
    };

    let zone_select = move |ev| {
        let v = event_target_value(&ev);
        zone.set(match v.as_str() {
            "utc" => EntryZone::Utc,
            "offset" => EntryZone::Offset(offset_text.get_untracked()),
            _ => EntryZone::Browser,
        });
    };

    view! {
        <form class="entry-form" data-testid=if editing { "entry-edit-form" } else { "entry-form" } on:submit=submit>
            <div class="row">
                <label class="field">
                    <span class="label">"When"</span>
                    <input type="datetime-local" step="60" required data-testid="entry-at"
                        prop:value=move || local.get() on:input=move |ev| local.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span class="label">"Zone"</span>
                    <select data-testid="entry-zone" on:change=zone_select
                        prop:value=move || zone.get().key().to_string()>
                        <option value="browser">{format!("Your zone: {}", browser_zone_label())}</option>
                        <option value="utc">"UTC"</option>
                        <option value="offset">"Other UTC offset…"</option>
                    </select>
                </label>
                <Show when=move || matches!(zone.get(), EntryZone::Offset(_))>
                    <label class="field narrow">
                        <span class="label">"Offset"</span>
                        <input type="text" placeholder="-07:00" data-testid="entry-offset"
                            prop:value=move || offset_text.get()
                            on:input=move |ev| offset_text.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <button type="button" data-testid="entry-zone-utc"
                    on:click=move |_| zone.set(EntryZone::Utc)>"Use UTC"</button>
                <label class="field">
                    <span class="label">"Marks"</span>
                    <select data-testid="entry-kind"
                        prop:value=move || kind.get().as_str()
                        on:change=move |ev| kind.set(EntryKind::parse(&event_target_value(&ev)).unwrap_or(EntryKind::Event))>
                        {EntryKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str()>{if k.is_milestone() { k.label().to_string() } else { "Event (no milestone)".to_string() }}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <label class="field wide">
                <span class="label">"What happened"</span>
                <input type="text" data-testid="entry-text" placeholder="What was seen or done (facts, not blame)"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
            </label>
            <div class="row">
                <label class="field wide">
                    <span class="label">"Evidence link (optional)"</span>
                    <input type="url" data-testid="entry-evidence" placeholder="https://…"
                        prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev)) />
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="entry-approximate"
                        prop:checked=move || approximate.get()
                        on:change=move |ev| approximate.set(event_target_checked(&ev)) />
                    " Time is approximate"
                </label>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="entry-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button type="submit" class="primary" data-testid="entry-save">
                    {if editing { "Save entry" } else { "Add to timeline" }}
                </button>
                {on_cancel.map(|c| view! { <button type="button" on:click=move |_| c.run(())>"Cancel"</button> })}
            </div>
        </form>
    }
}
