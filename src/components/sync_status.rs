//! The sync line of a postmortem: where its edits go, and its share link.

use crate::repo::{self, ServerState};
use hindsight_core::domain::PostmortemId;
use hindsight_core::sync::server::DocStatus;
use hindsight_core::sync::url::DocumentId;
use leptos::prelude::*;

#[component]
pub fn SyncStatus(id: String) -> impl IntoView {
    let signals = repo::signals();
    let key = id.clone();
    let status = Memo::new(move |_| {
        let view = signals.server.get();
        let doc = view.docs.get(&key).cloned();
        match (view.state, doc) {
            (ServerState::Off, _) => ("local", "Local only: kept in this browser and its tabs. Set a sync server in Settings to share it.".to_string()),
            (ServerState::Connecting, _) => ("connecting", "Connecting to the sync server…".to_string()),
            (ServerState::Connected, Some(DocStatus::InSync)) => ("synced", "Synced with the server.".to_string()),
            (ServerState::Connected, Some(DocStatus::Unavailable)) => ("unavailable", "The server does not have this postmortem yet; it will arrive when someone who has it connects.".to_string()),
            (ServerState::Connected, _) => ("syncing", "Syncing…".to_string()),
            (ServerState::Offline(why), doc) => {
                let unsent = match doc { Some(DocStatus::Offline { unsent }) => unsent, _ => 0 };
                ("offline", format!("Offline ({why}); {unsent} change{} not sent yet. Edits are saved here and sent when the connection returns.", if unsent == 1 { "" } else { "s" }))
            }
            (ServerState::Error(why), _) => ("error", format!("Sync error: {why}. Retrying.")),
        }
    });
    let link = PostmortemId::parse(&id).ok().map(|p| {
        let doc = DocumentId::for_postmortem(&p);
        let base = web_sys::window()
            .and_then(|w| Some(format!("{}{}", w.location().origin().ok()?, w.location().pathname().ok()?)))
            .unwrap_or_default();
        format!("{base}#/p/{}", doc.as_str())
    });
    view! {
        <div class="sync-line">
            <span class="sync-status" data-testid="sync-status" data-status=move || status.get().0 role="status">
                {move || status.get().1}
            </span>
            {link.map(|l| view! {
                <label class="share">
                    <span class="label">"Share link"</span>
                    <input type="text" readonly data-testid="share-link" value=l on:focus=|ev| {
                        if let Some(t) = ev.target() {
                            use wasm_bindgen::JsCast;
                            if let Ok(i) = t.dyn_into::<web_sys::HtmlInputElement>() { i.select(); }
                        }
                    } />
                </label>
            })}
        </div>
    }
}
