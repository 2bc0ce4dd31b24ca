//! The page frame: header with navigation, problem banner, and the current page.

use crate::pages::{dashboard::DashboardPage, editor::EditorPage, list::ListPage, settings::SettingsPage};
use crate::repo;
use crate::route::{use_route, Route};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let route = use_route();
    let signals = repo::signals();
    let current = move |r: Route| move || if route.get() == r { Some("page") } else { None };
    view! {
        <header class="app-header">
            <a class="brand" href="#/">"Hindsight"</a>
            <nav aria-label="Main">
                <a href="#/" aria-current=current(Route::List)>"Postmortems"</a>
                <a href="#/dashboard" data-testid="nav-dashboard" aria-current=current(Route::Dashboard)>"Across incidents"</a>
                <a href="#/settings" data-testid="nav-settings" aria-current=current(Route::Settings)>"Settings"</a>
            </nav>
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
                Route::Dashboard => view! { <DashboardPage /> }.into_any(),
                Route::Settings => view! { <SettingsPage /> }.into_any(),
            }}
        </main>
    }
}
