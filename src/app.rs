//! The page frame: header, problem banner, and the current page.

use crate::pages::{editor::EditorPage, list::ListPage};
use crate::repo;
use crate::route::{use_route, Route};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let route = use_route();
    let signals = repo::signals();
    view! {
        <header class="app-header">
            <a class="brand" href="#/">"Hindsight"</a>
            <span class="tagline">"Blameless postmortems, kept in your browser"</span>
        </header>
        <Show when=move || signals.problem.get().is_some()>
            <div class="banner problem" role="alert" data-testid="problem">
                {move || signals.problem.get().unwrap_or_default()}
            </div>
        </Show>
        <main>
            {move || match route.get() {
                Route::List => view! { <ListPage /> }.into_any(),
                Route::Postmortem(id) => view! { <EditorPage id=id /> }.into_any(),
            }}
        </main>
    }
}
