//! The list of postmortems: create, open, delete (with confirmation).

use crate::components::archive_tools::{all_postmortems, download_archive, ImportButton};
use crate::repo::{self, DocView};
use crate::route::{go, Route};
use hindsight_core::domain::{measure, metrics::format_duration};
use leptos::prelude::*;

#[component]
pub fn ListPage() -> impl IntoView {
    let signals = repo::signals();
    let (error, set_error) = signal(None::<String>);
    let (confirming, set_confirming) = signal(None::<String>);
    // A double-click must not create two postmortems.
    let creating = StoredValue::new(false);
    let create = move |_| {
        if creating.get_value() {
            return;
        }
        creating.set_value(true);
        match repo::create() {
            Ok(id) => go(&Route::Postmortem(id)),
            Err(e) => {
                creating.set_value(false);
                set_error.set(Some(e))
            }
        }
    };
    let rows = move || {
        let mut v: Vec<(String, DocView)> =
            signals.docs.get().into_iter().collect();
        // Newest first; unreadable ones last.
        v.sort_by(|(a_id, a), (b_id, b)| match (a, b) {
            (DocView::Ready(x), DocView::Ready(y)) => y.created_at.cmp(&x.created_at).then(a_id.cmp(b_id)),
            (DocView::Ready(_), DocView::Failed(_)) => std::cmp::Ordering::Less,
            (DocView::Failed(_), DocView::Ready(_)) => std::cmp::Ordering::Greater,
            _ => a_id.cmp(b_id),
        });
        v
    };
    view! {
        <section class="page list-page">
            <div class="page-head">
                <h1>"Postmortems"</h1>
                <div class="actions">
                    <ImportButton />
                    <button data-testid="download-archive" on:click=move |_| set_error.set(download_archive(&all_postmortems(), "archive").err())>
                        "Download archive"
                    </button>
                    <button class="primary" data-testid="new-postmortem" on:click=create>"New postmortem"</button>
                </div>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <Show
                when=move || !signals.docs.get().is_empty()
                fallback=|| view! {
                    <p class="empty" data-testid="empty-list">
                        "No postmortems yet. Start one after an incident: the timeline first, then what you learned."
                    </p>
                }
            >
                <ul class="postmortem-list" data-testid="postmortem-list">
                    <For each=rows key=|(id, v)| format!("{id} {v:?}") let:((id, v))>
                        {
                            let id_for_delete = id.clone();
                            let id_for_confirm = id.clone();
                            let id_for_cancel = id.clone();
                            let href = Route::Postmortem(id.clone()).href();
                            let (title, detail, failed) = match &v {
                                DocView::Ready(p) => {
                                    let m = measure(&p.timeline);
                                    let impact = m.impact.seconds().map(format_duration)
                                        .map(|d| format!("impact {d}"))
                                        .unwrap_or_else(|| "impact not measurable yet".into());
                                    (p.display_title().to_string(),
                                     format!("{} · {} entries · {} · created {}", p.severity.label(),
                                        p.timeline.len(), impact, p.created_at.format("%Y-%m-%d")),
                                     false)
                                }
                                DocView::Failed(e) => ("This postmortem could not be loaded".to_string(),
                                    format!("{e}. Its stored data is left as it is."), true),
                            };
                            let title_for_confirm = title.clone();
                            view! {
                                <li class="postmortem-row" class:failed=failed data-id=id.clone() data-testid="postmortem-row">
                                    <div class="row-main">
                                        <a class="row-title" href=href>{title}</a>
                                        <span class="row-detail">{detail}</span>
                                    </div>
                                    <Show
                                        when=move || confirming.get().as_deref() == Some(id_for_confirm.as_str())
                                        fallback=move || {
                                            let id = id_for_delete.clone();
                                            view! {
                                                <button class="danger subtle" data-testid="delete"
                                                    on:click=move |_| set_confirming.set(Some(id.clone()))>"Delete"</button>
                                            }
                                        }
                                    >
                                        <div class="confirm" role="alertdialog">
                                            <span>{format!("Delete \u{201c}{}\u{201d}? This cannot be undone.", title_for_confirm)}</span>
                                            <button class="danger" data-testid="confirm-delete" on:click={
                                                let id = id_for_cancel.clone();
                                                move |_| {
                                                    if let Err(e) = repo::delete(&id) { set_error.set(Some(e)); }
                                                    set_confirming.set(None);
                                                }
                                            }>"Delete"</button>
                                            <button on:click=move |_| set_confirming.set(None)>"Cancel"</button>
                                        </div>
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
