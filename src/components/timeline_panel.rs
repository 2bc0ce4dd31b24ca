//! The incident timeline: entries in time order, add, edit, delete.

use super::entry_form::{EntryDraft, EntryForm};
use super::zone::{DisplayZone, EntryZone};
use crate::repo;
use hindsight_core::document::EntryPatch;
use hindsight_core::domain::{EntryId, Postmortem, TimelineEntry};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn TimelinePanel(
    id: String,
    pm: Memo<Option<Arc<Postmortem>>>,
    display: RwSignal<DisplayZone>,
) -> impl IntoView {
    let zone = RwSignal::new(EntryZone::Browser);
    let editing = RwSignal::new(None::<TimelineEntry>);
    let (error, set_error) = signal(None::<String>);
    let entries = Memo::new(move |_| pm.get().map(|p| p.timeline.clone()).unwrap_or_default());

    let id_add = id.clone();
    let add = Callback::new(move |d: EntryDraft| {
        let entry = TimelineEntry {
            id: EntryId::parse(&uuid::Uuid::new_v4().simple().to_string()[..12]).expect("valid id"),
            at_raw: d.at.to_rfc3339(),
            at: Some(d.at),
            kind: d.kind,
            text: d.text,
            evidence: d.evidence,
            approximate: d.approximate,
        };
        repo::edit(&id_add, |doc| doc.add_entry(&entry))
    });
    let id_save = id.clone();
    let save = Callback::new(move |d: EntryDraft| {
        let Some(e) = editing.get_untracked() else { return Ok(()) };
        let patch = EntryPatch {
            at: Some(d.at),
            kind: Some(d.kind),
            text: Some(d.text),
            evidence: Some(d.evidence),
            approximate: Some(d.approximate),
        };
        repo::edit(&id_save, |doc| doc.update_entry(&e.id, &patch))?;
        editing.set(None);
        Ok(())
    });
    let cancel = Callback::new(move |_| editing.set(None));
    let id_rows = StoredValue::new(id.clone());

    view! {
        <section class="panel timeline-panel" aria-labelledby="timeline-h">
            <div class="panel-head">
                <h2 id="timeline-h">"Timeline"</h2>
                <label class="field inline">
                    <span class="label">"Show times in"</span>
                    <select data-testid="display-zone" on:change=move |ev| display.set(match event_target_value(&ev).as_str() {
                        "utc" => DisplayZone::Utc,
                        "browser" => DisplayZone::Browser,
                        _ => DisplayZone::AsEntered,
                    })>
                        <option value="entered">"the zone each time was entered in"</option>
                        <option value="browser">"your zone"</option>
                        <option value="utc">"UTC"</option>
                    </select>
                </label>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <Show
                when=move || !entries.get().is_empty()
                fallback=|| view! { <p class="empty">"No entries yet. Add when the failure started, when it was detected, when repair started and when it was fixed, and anything in between."</p> }
            >
                <ol class="timeline" data-testid="timeline">
                    <For each=move || entries.get() key=|e| format!("{e:?}") let:entry>
                        {
                            let doc_id = id_rows.get_value();
                            let entry_id = entry.id.clone();
                            let for_edit = entry.clone();
                            let when = entry.at;
                            let raw = entry.at_raw.clone();
                            let unreadable = format!("time unreadable: {raw}");
                            view! {
                                <li class=format!("entry kind-{}", entry.kind.as_str())
                                    data-testid="timeline-entry" data-entry-id=entry.id.to_string()
                                    data-kind=entry.kind.as_str() data-at=raw.clone()>
                                    <time class="when" datetime=raw.clone()>
                                        {move || match when {
                                            Some(m) => display.get().show(&m),
                                            None => unreadable.clone(),
                                        }}
                                        {entry.approximate.then_some(" (approx.)")}
                                    </time>
                                    {entry.kind.is_milestone().then(|| view! { <span class="badge">{entry.kind.label()}</span> })}
                                    <span class="text">{entry.text.clone()}</span>
                                    {entry.evidence.clone().map(|href| view! {
                                        <a class="evidence" href=href.clone() target="_blank" rel="noopener noreferrer">"evidence"</a>
                                    })}
                                    <span class="row-actions">
                                        <button class="subtle" data-testid="entry-edit"
                                            on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                                        <button class="subtle danger" data-testid="entry-delete" on:click=move |_| {
                                            let r = repo::edit(&doc_id, |d| d.remove_entry(&entry_id));
                                            set_error.set(r.err());
                                        }>"Delete"</button>
                                    </span>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </Show>
            {move || match editing.get() {
                Some(e) => view! {
                    <h3>"Edit entry"</h3>
                    <EntryForm existing=Some(e) zone=zone on_submit=save on_cancel=cancel />
                }.into_any(),
                None => view! {
                    <h3>"Add an entry"</h3>
                    <EntryForm existing=None zone=zone on_submit=add />
                }.into_any(),
            }}
        </section>
    }
}
