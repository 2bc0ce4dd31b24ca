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
    // The last deleted entry, for Undo; and when, to ignore the second click
    // of a double-click (the next row moves under the pointer).
    let deleted = RwSignal::new(None::<TimelineEntry>);
    let last_delete = StoredValue::new(0f64);
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
        // Only what this person changed in the form: a field someone else
        // changed meanwhile in another tab is left as they set it.
        let patch = EntryPatch {
            at: (e.at != Some(d.at)).then_some(d.at),
            kind: (e.kind != d.kind).then_some(d.kind),
            text: (e.text != d.text).then_some(d.text),
            evidence: (e.evidence != d.evidence).then_some(d.evidence),
            approximate: (e.approximate != d.approximate).then_some(d.approximate),
        };
        repo::edit(&id_save, |doc| doc.update_entry(&e.id, &patch)).map_err(|err| {
            if err.contains("no timeline entry") {
                "This entry was deleted in another tab, so the edit could not be saved. Add it again if it is still needed.".to_string()
            } else {
                err
            }
        })?;
        editing.set(None);
        Ok(())
    });
    let cancel = Callback::new(move |_| editing.set(None));
    let id_rows = StoredValue::new(id.clone());
    let id_undo = id.clone();

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
            {
                let id_c = id_undo.clone();
                let current = repo::conflicts_memo(id_c.clone());
                move || {
                    let list = entries.get_untracked();
                    current.get().into_iter().filter_map(|c| {
                        // Each choice: its label, and the patch that keeps it.
                        let (test_id, what, entry, choices): (_, _, _, Vec<(String, EntryPatch)>) = match c {
                            hindsight_core::document::Conflict::EntryTime { entry, values } => ("time-conflict", "times were entered", entry,
                                values.iter().filter_map(|v| hindsight_core::domain::Moment::parse(v).ok())
                                    .map(|m| (m.display(), EntryPatch { at: Some(m), ..Default::default() })).collect()),
                            hindsight_core::document::Conflict::EntryKind { entry, values } => ("kind-conflict", "milestones were set", entry,
                                values.into_iter().map(|k| (k.label().to_string(), EntryPatch { kind: Some(k), ..Default::default() })).collect()),
                            _ => return None,
                        };
                        let text = list.iter().find(|e| e.id == entry).map(|e| e.text.clone()).unwrap_or_default();
                        let id = id_c.clone();
                        Some(view! {
                            <p class="conflict" role="alert" data-testid=test_id>
                                {format!("⚠ Two {what} at once for \u{201c}{text}\u{201d}. Keep: ")}
                                {choices.into_iter().map(|(label, patch)| {
                                    let (id, entry) = (id.clone(), entry.clone());
                                    view! { <button class="subtle" on:click=move |_| {
                                        set_error.set(repo::edit(&id, |d| d.update_entry(&entry, &patch)).err());
                                    }>{label}</button> }
                                }).collect_view()}
                            </p>
                        })
                    }).collect_view()
                }
            }
            {move || deleted.get().map(|e| {
                let id = id_undo.clone();
                view! {
                    <p class="undo" role="status" data-testid="entry-deleted">
                        {format!("Deleted \u{201c}{}\u{201d}. ", e.text)}
                        <button class="link" data-testid="entry-undo" on:click=move |_| {
                            let r = repo::edit(&id, |d| d.add_entry(&e));
                            set_error.set(r.err());
                            deleted.set(None);
                        }>"Undo"</button>
                    </p>
                }
            })}
            <Show
                when=move || !entries.get().is_empty()
                fallback=|| view! { <p class="empty">"No entries yet. Add when the failure started, when it was detected, when repair started and when it was fixed, and anything in between."</p> }
            >
                <ol class="timeline" data-testid="timeline">
                    <For each=move || entries.get() key=|e| format!("{e:?}") let:entry>
                        {
                            let doc_id = id_rows.get_value();
                            let entry_id = entry.id.clone();
                            let for_undo = entry.clone();
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
                                            let now = js_sys::Date::now();
                                            if now - last_delete.get_value() < 600.0 {
                                                return;
                                            }
                                            last_delete.set_value(now);
                                            let r = repo::edit(&doc_id, |d| d.remove_entry(&entry_id));
                                            if r.is_ok() {
                                                deleted.set(Some(for_undo.clone()));
                                            }
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
