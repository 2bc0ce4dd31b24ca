//! Hash routes: `#/` (the list) and `#/p/<id>` (one postmortem).

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    List,
    Postmortem(String),
    Dashboard,
    Settings,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        match h.strip_prefix("p/") {
            Some(id) if !id.is_empty() => Route::Postmortem(id.to_string()),
            _ if h == "dashboard" => Route::Dashboard,
            _ if h == "settings" => Route::Settings,
            _ => Route::List,
        }
    }
    pub fn href(&self) -> String {
        match self {
            Route::List => "#/".into(),
            Route::Postmortem(id) => format!("#/p/{id}"),
            Route::Dashboard => "#/dashboard".into(),
            Route::Settings => "#/settings".into(),
        }
    }
}

fn current() -> Route {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Route::parse(&hash)
}

/// The current route, kept up to date with `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(current());
    let cb = Closure::<dyn FnMut()>::new(move || set_route.set(current()));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    }
    cb.forget(); // lives as long as the page
    route
}

pub fn go(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.href());
    }
}
