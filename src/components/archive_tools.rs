//! Importing files, and downloading the archive and the metrics CSV.

use crate::adapters::{clock, download::download};
use crate::repo::{self, DocView};
use hindsight_core::domain::dashboard::IncidentRow;
use hindsight_core::domain::Postmortem;
use hindsight_core::export::{archive_json, csv::metrics_csv};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Every readable postmortem, in list order.
pub fn all_postmortems() -> Vec<Arc<Postmortem>> {
    repo::signals().docs.with_untracked(|m| {
        m.values()
            .filter_map(|v| match v {
                DocView::Ready(p) => Some(p.clone()),
                DocView::Failed(_) => None,
            })
            .collect()
    })
}

pub fn download_archive(ps: &[Arc<Postmortem>], name: &str) -> Result<(), String> {
    repo::flush();
    let json = archive_json(ps.iter().map(|p| p.as_ref()), clock::now());
    download(&format!("hindsight-{name}-{}.json", clock::now().format("%Y-%m-%d")), "application/json", &json)
}

pub fn download_csv(rows: &[&IncidentRow], name: &str) -> Result<(), String> {
    let csv = metrics_csv(rows.iter().copied());
    download(&format!("hindsight-{name}-{}.csv", clock::now().format("%Y-%m-%d")), "text/csv", &csv)
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Idle,
    Working(String),
    Done(String),
    Failed { file: String, problems: Vec<String>, truncated: bool },
}

/// "Import JSON or .automerge…": a postmortem or an archive; merges by id; all or nothing.
#[component]
pub fn ImportButton() -> impl IntoView {
    let outcome = RwSignal::new(Outcome::Idle);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        let name = file.name();
        outcome.set(Outcome::Working(name.clone()));
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = match crate::components::history_panel::file_bytes(file).await {
                Ok(b) => b,
                Err(e) => {
                    outcome.set(Outcome::Failed { file: name, problems: vec![e], truncated: false });
                    return;
                }
            };
            // An Automerge file (full history) starts with Automerge's magic bytes.
            if bytes.starts_with(&[0x85, 0x6f, 0x4a, 0x83]) {
                let r = repo::read_automerge_file(&bytes).and_then(repo::merge_automerge_file);
                outcome.set(match r {
                    Ok(_) => Outcome::Done(format!("Imported {name}: 1 postmortem with its full history (merged if it was here already).")),
                    Err(e) => Outcome::Failed { file: name, problems: vec![e], truncated: false },
                });
                return;
            }
            let Ok(text) = String::from_utf8(bytes) else {
                outcome.set(Outcome::Failed { file: name, problems: vec!["the file is neither JSON text nor an .automerge file".into()], truncated: false });
                return;
            };
            outcome.set(match repo::import(&text) {
                Ok(s) => Outcome::Done(format!(
                    "Imported {name}: {} new postmortem{}, {} merged into existing ones.",
                    s.created,
                    if s.created == 1 { "" } else { "s" },
                    s.merged
                )),
                Err(e) => Outcome::Failed {
                    file: name,
                    problems: e.problems.iter().map(|p| format!("{}: {}", p.path, p.reason)).collect(),
                    truncated: e.truncated,
                },
            });
        });
    };
    view! {
        <div class="import">
            <label class="button-like">
                "Import JSON or .automerge…"
                <input type="file" accept=".json,application/json,.automerge" data-testid="import-file" class="visually-hidden" on:change=on_change />
            </label>
            {move || match outcome.get() {
                Outcome::Idle => ().into_any(),
                Outcome::Working(f) => view! { <p class="hint" role="status">{format!("Importing {f}…")}</p> }.into_any(),
                Outcome::Done(msg) => view! { <p class="ok" role="status" data-testid="import-result">{msg}</p> }.into_any(),
                Outcome::Failed { file, problems, truncated } => view! {
                    <div class="error" role="alert" data-testid="import-error">
                        <p>{format!("Nothing was imported from {file}. The first problems:")}</p>
                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        {truncated.then_some(view! { <p>"… and more."</p> })}
                    </div>
                }.into_any(),
            }}
        </div>
    }
}
