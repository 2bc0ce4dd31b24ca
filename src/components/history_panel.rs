//! History of changes, and exchanging the postmortem as a `.automerge` file
//! (full history) for teams without a network between them.

use crate::adapters::download::download_bytes;
use crate::repo;
use hindsight_core::domain::Postmortem;
use hindsight_core::export;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Reads the chosen file's bytes.
pub async fn file_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.map_err(|_| "the file could not be read".to_string())?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let f = input.files()?.get(0);
    input.set_value("");
    f
}

#[component]
pub fn HistoryPanel(id: String, pm: Memo<Option<Arc<Postmortem>>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let (message, set_message) = signal(None::<Result<String, String>>);
    // A file of another postmortem, waiting for the person's answer.
    let pending = RwSignal::new(None::<(String, String)>);
    let pending_file = StoredValue::new_local(None::<repo::AutomergeFile>);
    let id_hist = id.clone();
    let revision = repo::signals().revision;
    let history = Memo::new(move |_| {
        revision.track();
        if open.get() { repo::history(&id_hist) } else { vec![] }
    });
    let id_dl = id.clone();
    let download = move |_| {
        repo::flush();
        let (Some(bytes), Some(p)) = (repo::automerge_bytes(&id_dl), pm.get_untracked()) else { return };
        set_message.set(download_bytes(&export::file_name(&p, "automerge"), "application/octet-stream", &bytes).err().map(Err));
    };
    let id_merge = id.clone();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else { return };
        let id = id_merge.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let read = file_bytes(file).await.and_then(|b| repo::read_automerge_file(&b));
            match read {
                Err(e) => set_message.set(Some(Err(e))),
                Ok(f) if f.id == id => set_message.set(Some(
                    repo::merge_automerge_file(f).map(|_| "Merged: this postmortem now holds the edits of both copies.".to_string()),
                )),
                Ok(f) => {
                    pending.set(Some((f.id.clone(), f.title.clone())));
                    pending_file.set_value(Some(f));
                }
            }
        });
    };
    let add_other = move |_| {
        pending.set(None);
        if let Some(f) = pending_file.try_update_value(|p| p.take()).flatten() {
            set_message.set(Some(repo::merge_automerge_file(f).map(|other| format!("Added as its own postmortem (#/p/{other})."))));
        }
    };
    view! {
        <section class="panel history-panel">
            <h2>"History and files"</h2>
            <div class="actions">
                <button data-testid="download-automerge" on:click=download>"Download .automerge (full history)"</button>
                <label class="button-like">"Merge from file…"
                    <input type="file" accept=".automerge,application/octet-stream" class="visually-hidden" data-testid="merge-file" on:change=on_file />
                </label>
            </div>
            <p class="hint">"For teams without a network between them: exchange .automerge files; merging two copies keeps the edits of both."</p>
            {move || pending.get().map(|(other, title)| view! {
                <div class="confirm" role="alertdialog" data-testid="merge-other">
                    <span>{format!("This file is a different postmortem (\u{201c}{title}\u{201d}, {other}); it is not merged into this one.")}</span>
                    <button data-testid="merge-add-other" on:click=add_other>"Add it as its own postmortem"</button>
                    <button on:click=move |_| { pending.set(None); pending_file.set_value(None); }>"Cancel"</button>
                </div>
            })}
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="ok" role="status" data-testid="merge-result">{t}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="merge-error">{e}</p> }.into_any(),
            })}
            <details on:toggle=move |ev| {
                let o = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
                open.set(o);
            }>
                <summary data-testid="history-toggle">"History of changes"</summary>
                <ol class="history" data-testid="history">
                    {move || history.get().into_iter().map(|h| view! {
                        <li>
                            <time>{h.at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| "time unknown".into())}</time>
                            " · "<strong>{h.by}</strong>" "{h.what}
                            {(h.changes > 1).then(|| format!(" ({} changes)", h.changes))}
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        </section>
    }
}
