//! Action items: what the team will improve, who owns it, whether it is done.

use super::mergeable_text::MergeableText;
use crate::repo;
use hindsight_core::domain::{ActionItem, Postmortem};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ActionItems(id: String, pm: Memo<Option<Arc<Postmortem>>>) -> impl IntoView {
    let ids = Memo::new(move |_| {
        pm.get().map(|p| p.action_items.iter().map(|a| a.id.clone()).collect::<Vec<_>>()).unwrap_or_default()
    });
    let (error, set_error) = signal(None::<String>);
    let id_add = id.clone();
    let add = move |_| {
        let item = ActionItem { id: uuid::Uuid::new_v4().simple().to_string()[..12].to_string(), text: String::new(), owner: String::new(), done: false };
        set_error.set(repo::edit(&id_add, |d| d.add_action(&item)).err());
    };
    view! {
        <section class="panel actions-panel" aria-labelledby="actions-h">
            <h2 id="actions-h">"Action items"</h2>
            <p class="hint">"Every postmortem ends in a few concrete improvements, each with an owner."</p>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <ul class="action-items">
                <For each=move || ids.get() key=|a| a.clone() let:item_id>
                    {
                        let find = {
                            let item_id = item_id.clone();
                            move || pm.get().and_then(|p| p.action_items.iter().find(|a| a.id == item_id).cloned())
                        };
                        let find2 = find.clone();
                        let find3 = find.clone();
                        let (doc1, doc2, doc3, doc4) = (id.clone(), id.clone(), id.clone(), id.clone());
                        let (i1, i2, i3, i4) = (item_id.clone(), item_id.clone(), item_id.clone(), item_id.clone());
                        view! {
                            <li class="action-item" data-testid="action-item">
                                <input type="checkbox" aria-label="Done" data-testid="action-done"
                                    prop:checked=move || find().is_some_and(|a| a.done)
                                    on:change=move |ev| { let v = event_target_checked(&ev); set_error.set(repo::edit(&doc1, |d| d.set_action_done(&i1, v)).err()); } />
                                <MergeableText label="Action" test_id="action-text" placeholder="What will we change?"
                                    value=Signal::derive(move || find2().map(|a| a.text).unwrap_or_default())
                                    on_edit=Callback::new(move |v: String| { let _ = repo::edit(&doc2, |d| d.set_action_text(&i2, &v)); }) />
                                <label class="field narrow">
                                    <span class="label">"Owner"</span>
                                    <input type="text" data-testid="action-owner" placeholder="team or role"
                                        prop:value=move || find3().map(|a| a.owner).unwrap_or_default()
                                        on:input=move |ev| { let v = event_target_value(&ev); set_error.set(repo::edit(&doc3, |d| d.set_action_owner(&i3, &v)).err()); } />
                                </label>
                                <button class="subtle danger" data-testid="action-delete"
                                    on:click=move |_| set_error.set(repo::edit(&doc4, |d| d.remove_action(&i4)).err())>"Remove"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <button data-testid="add-action" on:click=add>"Add action item"</button>
        </section>
    }
}
