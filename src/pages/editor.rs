//! One postmortem: title, severity, narrative, timeline, measurements,
//! action items, export.

use crate::adapters::{clock, download::download};
use crate::components::{
    action_items::ActionItems, history_panel::HistoryPanel, mergeable_text::MergeableText, metrics_panel::MetricsPanel, sync_status::SyncStatus,
    timeline_panel::TimelinePanel, zone::DisplayZone,
};
use crate::repo::{self, DocView};
use hindsight_core::domain::{parse_labels, Narrative, Severity};
use hindsight_core::export::{self, markdown::markdown};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Ready,
    Failed(String),
    Missing { deleted_elsewhere: bool },
}

#[component]
pub fn EditorPage(id: String) -> impl IntoView {
    let signals = repo::signals();
    let id_status = id.clone();
    let status = Memo::new(move |_| match signals.docs.with(|m| m.get(&id_status).cloned()) {
        Some(DocView::Ready(_)) => Status::Ready,
        Some(DocView::Failed(e)) => Status::Failed(e),
        None => Status::Missing {
            deleted_elsewhere: signals.deleted_elsewhere.with(|s| s.contains(&id_status)),
        },
    });
    move || match status.get() {
        Status::Ready => view! { <Editor id=id.clone() /> }.into_any(),
        Status::Failed(e) => {
            let (note, set_note) = signal(None::<String>);
            let id = id.clone();
            view! {
                <section class="page">
                    <p><a href="#/">"← All postmortems"</a></p>
                    <div class="banner problem" role="alert" data-testid="load-error">
                        <strong>"This postmortem could not be loaded. "</strong>{e}
                        " Its stored data is left exactly as it is; the rest of Hindsight works as usual."
                    </div>
                    <p>
                        <button data-testid="recover" on:click=move |_| set_note.set(Some(match repo::recover(&id) {
                            Ok(n) => format!("Opened what could be read; {n} damaged part{} skipped and left in storage.", if n == 1 { " was" } else { "s were" }),
                            Err(e) => e,
                        }))>"Open what can be read"</button>
                    </p>
                    {move || note.get().map(|n| view! { <p role="status">{n}</p> })}
                </section>
            }
            .into_any()
        }
        Status::Missing { deleted_elsewhere } => {
            let has_server = !signals.device.get_untracked().server_url.is_empty();
            let fetching = !deleted_elsewhere && has_server && repo::fetch(&id);
            let text = if deleted_elsewhere {
                "This postmortem was deleted in another tab."
            } else if fetching {
                "Fetching this postmortem from the sync server…"
            } else if hindsight_core::sync::url::DocumentId::parse(&id).is_ok() {
                "This postmortem is not in this browser. If it was shared with you, set the team's sync server in Settings and open the link again."
            } else {
                "There is no postmortem with this address in this browser."
            };
            view! {
                <section class="page">
                    <p><a href="#/">"← All postmortems"</a></p>
                    <p class="banner" data-testid="missing">{text}</p>
                    {fetching.then(|| view! { <SyncStatus id=id.clone() /> })}
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn Editor(id: String) -> impl IntoView {
    let signals = repo::signals();
    let id_pm = id.clone();
    let pm = Memo::new(move |_| match signals.docs.with(|m| m.get(&id_pm).cloned()) {
        Some(DocView::Ready(p)) => Some(p),
        _ => None,
    });
    let display = RwSignal::new(DisplayZone::default());
    let (error, set_error) = signal(None::<String>);
    repo::set_open(Some(id.clone()));
    on_cleanup(|| repo::set_open(None));
    let presence = signals.presence;

    let text_of = move |f: fn(&hindsight_core::domain::Postmortem) -> String| {
        Signal::derive(move || pm.with(|p| p.as_ref().map(|p| f(p)).unwrap_or_default()))
    };
    let id_title = id.clone();
    let on_title = Callback::new(move |v: String| set_error.set(repo::edit(&id_title, |d| d.set_title(&v)).err()));
    let id_sev = id.clone();
    let on_severity = move |ev| {
        let v = event_target_value(&ev);
        let r = Severity::parse(&v).map_err(|e| e.to_string()).and_then(|s| repo::edit(&id_sev, |d| d.set_severity(s)));
        set_error.set(r.err());
    };
    let id_narrative = id.clone();
    let narrative = move |which: Narrative| {
        let id = id_narrative.clone();
        let value = Signal::derive(move || pm.with(|p| p.as_ref().map(|p| p.narrative(which).to_string()).unwrap_or_default()));
        let on_edit = Callback::new(move |v: String| set_error.set(repo::edit(&id, |d| d.set_narrative(which, &v)).err()));
        let hint = match which {
            Narrative::Summary => "Facts: what users saw, for how long, and how it ended.",
            Narrative::Learned => "What surprised us; what worked well. Root cause may honestly be \u{201c}unknown\u{201d}, with hypotheses.",
            Narrative::Improvements => "Systems and processes, not people: what would make this less likely or less bad?",
        };
        view! {
            <MergeableText label=which.label() test_id=format!("narrative-{}", which.key()) multiline=true
                hint=hint value=value on_edit=on_edit />
        }
    };
    let export_json = move |_| {
        repo::flush();
        let Some(p) = pm.get_untracked() else { return };
        let json = export::to_json(&p, clock::now());
        set_error.set(download(&export::file_name(&p, "json"), "application/json", &json).err());
    };

    let export_md = move |_| {
        let Some(p) = pm.get_untracked() else { return };
        let md = markdown(&p, &signals.settings.get_untracked());
        set_error.set(download(&export::file_name(&p, "md"), "text/markdown", &md).err());
    };
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    // Tags (lower-cased) and services: comma-separated, saved on change.
    let id_labels = id.clone();
    let labels_field = move |tags: bool| {
        let id = id_labels.clone();
        let (label, test_id, placeholder) = if tags {
            ("Tags (comma-separated)", "tags", "database, deploy")
        } else {
            ("Services affected (comma-separated)", "services", "Search API, Checkout")
        };
        let value = move || pm.with(|p| p.as_ref().map(|p| if tags { p.tags.join(", ") } else { p.services.join(", ") }).unwrap_or_default());
        let on_change = move |ev| {
            let v = parse_labels(&event_target_value(&ev), tags);
            let r = repo::edit(&id, |d| if tags { d.set_tags(&v) } else { d.set_services(&v) });
            set_error.set(r.err());
        };
        view! {
            <label class="field wide">
                <span class="label">{label}</span>
                <input type="text" data-testid=test_id placeholder=placeholder prop:value=value on:change=on_change />
            </label>
        }
    };

    view! {
        <section class="page editor-page" data-testid="editor" data-postmortem-id=id.clone()>
            <div class="page-head">
                <a href="#/">"← All postmortems"</a>
                <div class="actions">
                    <button data-testid="export-json" on:click=export_json>"Download JSON"</button>
                    <button data-testid="export-markdown" on:click=export_md>"Download Markdown"</button>
                    <button data-testid="print" on:click=print title="Print, or save as PDF from the print dialog">"Print / PDF"</button>
                </div>
            </div>
            <SyncStatus id=id.clone() />
            <Show when=move || !presence.get().is_empty()>
                <p class="presence" data-testid="presence">
                    "Here now: "{move || presence.get().join(", ")}
                </p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="edit-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            {
                let id_c = id.clone();
                let current = repo::conflicts_memo(id_c.clone());
                move || {
                    current.get().into_iter().filter_map(|c| match c {
                        hindsight_core::document::Conflict::Severity(values) => {
                            let id = id_c.clone();
                            Some(view! {
                                <p class="conflict" role="alert" data-testid="severity-conflict">
                                    "⚠ Two people set the severity at the same time: "
                                    {values.iter().map(|s| s.label()).collect::<Vec<_>>().join(" and ")}
                                    ". Keep: "
                                    {values.into_iter().map(|s| {
                                        let id = id.clone();
                                        view! { <button class="subtle" on:click=move |_| set_error.set(repo::edit(&id, |d| d.set_severity(s)).err())>{s.label()}</button> }
                                    }).collect_view()}
                                </p>
                            }.into_any())
                        }
                        _ => None,
                    }).collect_view()
                }
            }
            <div class="title-row">
                <MergeableText label="Title" test_id="title" placeholder="e.g. Search outage after a traffic spike"
                    value=text_of(|p| p.title.clone()) on_edit=on_title />
                <label class="field">
                    <span class="label">"Severity"</span>
                    <select data-testid="severity" on:change=on_severity
                        prop:value=move || pm.with(|p| p.as_ref().map(|p| p.severity.as_str()).unwrap_or("unset").to_string())>
                        {Severity::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="row labels-row">
                {labels_field(true)}
                {labels_field(false)}
            </div>
            <div class="columns">
                <div class="main-column">
                    <TimelinePanel id=id.clone() pm=pm display=display />
                    <section class="panel narrative-panel">
                        <h2>"Narrative"</h2>
                        {narrative(Narrative::Summary)}
                        {narrative(Narrative::Learned)}
                        {narrative(Narrative::Improvements)}
                    </section>
                    <ActionItems id=id.clone() pm=pm />
                    <HistoryPanel id=id.clone() pm=pm />
                </div>
                <aside class="side-column">
                    <MetricsPanel pm=pm display=display />
                </aside>
            </div>
        </section>
    }
}
