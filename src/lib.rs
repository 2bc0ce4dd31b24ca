//! Hindsight web app: Leptos (CSR) on top of `hindsight-core`.
//!
//! - [`adapters`]: thin browser adapters (localStorage, BroadcastChannel,
//!   clock and time zone, file download). They move bytes and strings; all
//!   decisions are in `hindsight-core`.
//! - [`repo`]: the postmortems open in this tab: their Automerge documents,
//!   saving, and tab-to-tab sync, exposed to the UI as signals.
//! - [`pages`]: one module per page (list, editor).
//! - [`components`]: one module per panel or field.

pub mod adapters;
pub mod app;
pub mod components;
pub mod pages;
pub mod repo;
pub mod route;

/// Starts the app in the page's `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    repo::start();
    leptos::mount::mount_to_body(app::App);
}
