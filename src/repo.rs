//! The postmortems of this tab: one Automerge document each, saved to
//! localStorage (debounced, and flushed when the page is hidden) and kept in
//! sync with the other tabs over a BroadcastChannel.
//!
//! Data flow of an edit: a component calls [`edit`] -> the document changes
//! -> its view signal is refreshed (the UI re-renders what changed) -> the
//! sync engine produces messages for the other tabs -> a save is scheduled.
//! A message from another tab goes the same way from [`on_channel_message`].

use crate::adapters::server_socket::{ServerSocket, SocketEvent};
use crate::adapters::{clock, local_store::LocalStorageKv, tab_channel::TabChannel};
use hindsight_core::domain::settings::DeviceSettings;
use hindsight_core::sync::presence::{self, Presence};
use hindsight_core::sync::server::{Connection, DocStatus, ServerDocs, ServerEvent, ServerSync};
use gloo_timers::callback::Timeout;
use hindsight_core::document::{DocError, PostmortemDoc};
use hindsight_core::domain::settings::Settings;
use hindsight_core::domain::{Postmortem, PostmortemId};
use hindsight_core::import::{self, ImportError};
use hindsight_core::store::KeyValue;
use hindsight_core::store::{self, KvError, LoadError, SaveState};
use hindsight_core::sync::{url::DocumentId, DocSet, TabSync};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use wasm_bindgen::{closure::Closure, JsCast};

const CHANNEL: &str = "hindsight-tabs-v1";
const SETTINGS_KEY: &str = "hindsight/v1/settings";
const DEVICE_KEY: &str = "hindsight/v1/device";
const MAX_BACKOFF_MS: u32 = 30_000;

/// The sync server connection as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ServerState {
    /// No server configured: nothing leaves this browser.
    #[default]
    Off,
    Connecting,
    Connected,
    /// Disconnected; retrying after a pause.
    Offline(String),
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerView {
    pub state: ServerState,
    /// Per postmortem (slot key).
    pub docs: BTreeMap<String, DocStatus>,
}
const SAVE_DEBOUNCE_MS: u32 = 250;

/// What the UI knows of one postmortem.
#[derive(Debug, Clone, PartialEq)]
pub enum DocView {
    Ready(Arc<Postmortem>),
    /// Its stored data could not be read; the data is left as it is.
    Failed(String),
}

/// Signals the UI reads. Cheap to copy.
#[derive(Clone, Copy)]
pub struct RepoSignals {
    pub docs: RwSignal<BTreeMap<String, DocView>>,
    /// A problem the person should know about (saving failed, sync failed).
    pub problem: RwSignal<Option<String>>,
    /// Postmortems deleted in another tab while open here.
    pub deleted_elsewhere: RwSignal<BTreeSet<String>>,
    /// The team's labels and display choices (see [`save_settings`]).
    pub settings: RwSignal<Settings>,
    /// This device's sync server and display name (see [`save_device`]).
    pub device: RwSignal<DeviceSettings>,
    pub server: RwSignal<ServerView>,
    /// The others in the open postmortem now (display names).
    pub presence: RwSignal<Vec<String>>,
    /// Bumped on every document change, including those that leave the
    /// visible postmortem equal (e.g. a concurrent value that lost).
    pub revision: RwSignal<u64>,
}

struct Slot {
    doc: PostmortemDoc,
    save: SaveState,
    dirty: bool,
}

struct Repo {
    kv: LocalStorageKv,
    slots: BTreeMap<String, Slot>,
    failed: HashMap<String, String>,
    deleted: BTreeSet<String>,
    sync: TabSync,
    channel: Option<TabChannel>,
    save_timer: Option<Timeout>,
    signals: RepoSignals,
    server: ServerSync,
    socket: Option<ServerSocket>,
    retry: Option<Timeout>,
    backoff_ms: u32,
    server_state: ServerState,
    presence: Presence,
    /// The postmortem open in this tab's editor (slot key).
    open_doc: Option<String>,
    ticks: u64,
}

/// The documents the server engine sees: every postmortem, by its
/// automerge-repo document id.
struct ServerDocsOf<'a>(&'a mut BTreeMap<String, Slot>);

fn slot_key_for(slots: &BTreeMap<String, Slot>, id: &DocumentId) -> Option<String> {
    if slots.contains_key(id.as_str()) {
        return Some(id.to_string());
    }
    slots
        .keys()
        .find(|k| PostmortemId::parse(k).is_ok_and(|p| DocumentId::for_postmortem(&p) == *id))
        .cloned()
}

impl ServerDocs for ServerDocsOf<'_> {
    fn shared(&self) -> Vec<DocumentId> {
        self.0.keys().filter_map(|k| PostmortemId::parse(k).ok()).map(|p| DocumentId::for_postmortem(&p)).collect()
    }
    fn doc_mut(&mut self, id: &DocumentId) -> Option<&mut automerge::AutoCommit> {
        let key = slot_key_for(self.0, id)?;
        self.0.get_mut(&key).map(|s| s.doc.automerge_mut())
    }
}

thread_local! {
    static REPO: RefCell<Option<Repo>> = const { RefCell::new(None) };
}

fn with_repo<R>(f: impl FnOnce(&mut Repo) -> R) -> Option<R> {
    REPO.with(|r| r.borrow_mut().as_mut().map(f))
}

impl DocSet for Repo {
    fn doc_ids(&self) -> Vec<String> {
        self.slots.keys().cloned().collect()
    }
    fn doc_mut(&mut self, id: &str) -> Option<&mut automerge::AutoCommit> {
        self.slots.get_mut(id).map(|s| s.doc.automerge_mut())
    }
    fn create_for_sync(&mut self, id: &str) -> Option<&mut automerge::AutoCommit> {
        if self.failed.contains_key(id) || self.deleted.contains(id) || PostmortemId::parse(id).is_err() {
            return None;
        }
        let slot = self.slots.entry(id.to_string()).or_insert_with(|| Slot {
            doc: PostmortemDoc::empty(),
            save: SaveState::default(),
            dirty: false,
        });
        Some(slot.doc.automerge_mut())
    }
}

impl Repo {
    /// Sends a document's news to the sync server, if connected.
    fn push_to_server(&mut self, key: &str) {
        let Ok(pid) = PostmortemId::parse(key) else { return };
        let doc_id = DocumentId::for_postmortem(&pid);
        let msg = match self.slots.get_mut(key) {
            Some(slot) => self.server.doc_changed(&doc_id, slot.doc.automerge_mut()),
            None => None,
        };
        if let (Some(m), Some(sock)) = (msg, &self.socket) {
            if let Err(e) = sock.send(&m) {
                leptos::logging::warn!("could not send to the sync server: {e}");
            }
        }
        // Only this document's status can have changed (a keystroke must not
        // recompute the status of every postmortem).
        if self.server_state != ServerState::Off {
            if let Some(slot) = self.slots.get_mut(key) {
                let status = self.server.status(&doc_id, slot.doc.automerge_mut());
                self.signals.server.update(|v| {
                    v.docs.insert(key.to_string(), status);
                });
            }
        }
    }

    fn open_doc_id(&self) -> Option<DocumentId> {
        let key = self.open_doc.as_ref()?;
        PostmortemId::parse(key).ok().map(|p| DocumentId::for_postmortem(&p))
    }

    /// Tells the others in the open postmortem who is here, and drops those
    /// not heard from lately.
    fn announce(&mut self) {
        let now = js_sys::Date::now() as u64;
        self.ticks += 1;
        // Every other tick, start the open postmortem's sync over (cheap: one
        // small message; the server answers only with what is missing).
        if self.ticks % 2 == 0 {
            // The open postmortem, and one other in turn, so that postmortems
            // not open here also catch up (one every ~6 s).
            let n = self.slots.len().max(1) as u64;
            let other = self.slots.keys().nth(((self.ticks / 2) % n) as usize).cloned();
            let keys: Vec<String> = self.open_doc.iter().cloned().chain(other).collect();
            for key in keys {
                let Ok(pid) = PostmortemId::parse(&key) else { continue };
                let doc_id = DocumentId::for_postmortem(&pid);
                let msg = self.slots.get_mut(&key).and_then(|s| self.server.resync(&doc_id, s.doc.automerge_mut()));
                self.send_server(msg.into_iter().collect());
            }
        }
        if let Some(doc) = self.open_doc_id() {
            let name = self.signals.device.get_untracked().display_name;
            if let Some(m) = self.server.ephemeral(&doc, presence::encode(&name)) {
                self.send_server(vec![m]);
            }
        }
        self.presence.forget_old(now);
        self.publish_presence();
    }

    fn publish_presence(&self) {
        let now = js_sys::Date::now() as u64;
        let names = self.open_doc_id().map(|d| self.presence.names(&d, now)).unwrap_or_default();
        if self.signals.presence.get_untracked() != names {
            self.signals.presence.set(names);
        }
    }

    fn publish_server(&mut self) {
        let state = self.server_state.clone();
        let docs = if state == ServerState::Off {
            BTreeMap::new()
        } else {
            let server = &self.server;
            self.slots
                .iter_mut()
                .filter_map(|(k, s)| {
                    let pid = PostmortemId::parse(k).ok()?;
                    Some((k.clone(), server.status(&DocumentId::for_postmortem(&pid), s.doc.automerge_mut())))
                })
                .collect()
        };
        self.signals.server.set(ServerView { state, docs });
    }

    /// Opens the connection to the configured server (closing any other).
    fn connect(&mut self) {
        self.retry = None;
        self.socket = None;
        self.server.disconnected();
        let url = self.signals.device.get_untracked().server_url;
        if url.is_empty() {
            self.server_state = ServerState::Off;
            self.publish_server();
            return;
        }
        match ServerSocket::open(&url, |ev| on_socket_event(ev)) {
            Ok(sock) => {
                self.socket = Some(sock);
                self.server_state = ServerState::Connecting;
            }
            Err(e) => {
                self.server_state = ServerState::Error(format!("cannot open {url}: {e}"));
                self.schedule_reconnect();
            }
        }
        self.publish_server();
    }

    fn schedule_reconnect(&mut self) {
        if self.signals.device.get_untracked().server_url.is_empty() {
            return;
        }
        let wait = self.backoff_ms;
        self.backoff_ms = (self.backoff_ms * 2).min(MAX_BACKOFF_MS);
        self.retry = Some(Timeout::new(wait, || {
            with_repo(|r| r.connect());
        }));
    }

    fn send_server(&self, frames: Vec<Vec<u8>>) {
        if let Some(sock) = &self.socket {
            for f in frames {
                if let Err(e) = sock.send(&f) {
                    leptos::logging::warn!("could not send to the sync server: {e}");
                }
            }
        }
    }

    fn post(&self, messages: Vec<Vec<u8>>) {
        if let Some(ch) = &self.channel {
            for m in messages {
                if let Err(e) = ch.post(&m) {
                    leptos::logging::warn!("could not reach other tabs: {e}");
                }
            }
        }
    }

    fn view_of(&self, id: &str) -> Option<DocView> {
        match self.slots.get(id) {
            Some(slot) if slot.doc.is_empty() => None, // still arriving
            Some(slot) => Some(match slot.doc.view() {
                Ok(p) => DocView::Ready(Arc::new(p)),
                Err(e) => DocView::Failed(e.to_string()),
            }),
            None => self.failed.get(id).map(|e| DocView::Failed(e.clone())),
        }
    }

    /// Re-reads one document into its view signal.
    fn refresh(&self, id: &str) {
        refresh_many(self, &[id.to_string()]);
    }

    fn schedule_save(&mut self) {
        if self.save_timer.is_none() {
            self.save_timer = Some(Timeout::new(SAVE_DEBOUNCE_MS, || {
                with_repo(|r| {
                    r.save_timer = None;
                    r.save_all();
                });
            }));
        }
    }

    fn save_all(&mut self) {
        let mut problem = None;
        let mut merged = vec![];
        for (id, slot) in self.slots.iter_mut().filter(|(_, s)| s.dirty && !s.doc.is_empty()) {
            let Ok(pid) = PostmortemId::parse(id) else { continue };
            match store::save(&mut self.kv, &pid, &mut slot.doc, &mut slot.save) {
                Ok(out) => {
                    slot.dirty = false;
                    if out.merged_foreign {
                        merged.push(id.clone());
                    }
                }
                Err(KvError::QuotaExceeded) => {
                    problem = Some(
                        "Not saved: the browser's storage for this page is full. Your edits are kept in this tab \
                         and will be saved when space is freed: download the postmortem as JSON to be safe, \
                         or delete postmortems you no longer need."
                            .to_string(),
                    );
                }
                Err(e) => problem = Some(format!("Not saved: {e}. Your edits are kept in this tab.")),
            }
        }
        for id in merged {
            self.refresh(&id);
        }
        self.signals.problem.set(problem);
    }
}

/// Loads every stored postmortem and joins the other tabs. Called once.
pub fn start() {
    let signals = RepoSignals {
        docs: RwSignal::new(BTreeMap::new()),
        problem: RwSignal::new(None),
        deleted_elsewhere: RwSignal::new(BTreeSet::new()),
        settings: RwSignal::new(Settings::default()),
        device: RwSignal::new(DeviceSettings::default()),
        server: RwSignal::new(ServerView::default()),
        presence: RwSignal::new(vec![]),
        revision: RwSignal::new(0),
    };
    let kv = LocalStorageKv;
    if let Ok(Some(text)) = kv.get(SETTINGS_KEY) {
        signals.settings.set(Settings::from_json(&text));
    }
    if let Ok(Some(text)) = kv.get(DEVICE_KEY) {
        signals.device.set(DeviceSettings::from_json(&text));
    }
    let me = uuid::Uuid::new_v4().to_string();
    let mut repo = Repo {
        kv,
        slots: BTreeMap::new(),
        failed: HashMap::new(),
        deleted: BTreeSet::new(),
        sync: TabSync::new(me.clone()),
        channel: None,
        save_timer: None,
        signals,
        server: ServerSync::new(me, uuid::Uuid::new_v4().to_string()),
        socket: None,
        retry: None,
        backoff_ms: 1000,
        server_state: ServerState::Off,
        presence: Presence::default(),
        open_doc: None,
        ticks: 0,
    };
    match store::list(&repo.kv) {
        Ok(ids) => {
            for id in ids {
                match store::load(&repo.kv, &id) {
                    Ok((doc, save)) => {
                        repo.slots.insert(id.to_string(), Slot { doc, save, dirty: false });
                    }
                    Err(LoadError::Missing) => {
                        repo.failed.insert(id.to_string(), "its stored data is missing".into());
                    }
                    Err(e) => {
                        repo.failed.insert(id.to_string(), e.to_string());
                    }
                }
            }
        }
        Err(e) => signals.problem.set(Some(format!("Stored postmortems could not be read: {e}"))),
    }
    let ids: Vec<String> = repo.slots.keys().chain(repo.failed.keys()).cloned().collect();
    refresh_many(&repo, &ids);
    match TabChannel::open(CHANNEL, |bytes| on_channel_message(&bytes)) {
        Ok(ch) => repo.channel = Some(ch),
        Err(e) => leptos::logging::warn!("no BroadcastChannel, tabs will not sync live: {e}"),
    }
    let hello = repo.sync.hello();
    repo.post(vec![hello]);
    REPO.with(|r| *r.borrow_mut() = Some(repo));
    install_page_hide_flush();
    install_online_listeners();
    with_repo(|r| r.connect());
    gloo_timers::callback::Interval::new(presence::ANNOUNCE_EVERY_MS as u32, || {
        with_repo(|r| r.announce());
    })
    .forget();
}

fn install_page_hide_flush() {
    // Leaving with edits that could not be saved (e.g. storage full) asks first.
    let unload = Closure::<dyn FnMut(web_sys::BeforeUnloadEvent)>::new(|ev: web_sys::BeforeUnloadEvent| {
        let unsaved = with_repo(|r| {
            r.save_all();
            r.slots.values().any(|s| s.dirty)
        })
        .unwrap_or(false);
        if unsaved {
            ev.prevent_default();
            ev.set_return_value("Some edits could not be saved in this browser yet.");
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("beforeunload", unload.as_ref().unchecked_ref());
    }
    unload.forget();
    let cb = Closure::<dyn FnMut()>::new(|| {
        with_repo(|r| {
            r.save_timer = None;
            r.save_all();
            let bye = r.sync.bye();
            r.post(vec![bye]);
        });
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("pagehide", cb.as_ref().unchecked_ref());
    }
    cb.forget();
    let vis = Closure::<dyn FnMut()>::new(|| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .map(|d| d.hidden())
            .unwrap_or(false);
        if hidden {
            with_repo(|r| r.save_all());
        }
    });
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        let _ = d.add_event_listener_with_callback("visibilitychange", vis.as_ref().unchecked_ref());
    }
    vis.forget();
}

fn on_channel_message(bytes: &[u8]) {
    with_repo(|r| {
        let mut sync = std::mem::replace(&mut r.sync, TabSync::new(""));
        let result = sync.receive(bytes, r);
        r.sync = sync;
        match result {
            Ok(out) => {
                r.post(out.send);
                for id in &out.changed {
                    if let Some(slot) = r.slots.get_mut(id) {
                        slot.dirty = true;
                    }
                    if let Ok(pid) = PostmortemId::parse(id) {
                        let _ = store::ensure_listed(&mut r.kv, &pid);
                    }
                    r.push_to_server(id);
                    r.refresh(id);
                }
                if !out.changed.is_empty() {
                    r.schedule_save();
                }
                for id in out.deleted {
                    r.slots.remove(&id);
                    r.deleted.insert(id.clone());
                    r.refresh(&id);
                    r.signals.deleted_elsewhere.update(|s| {
                        s.insert(id);
                    });
                }
            }
            Err(e) => leptos::logging::warn!("ignored a message from another tab: {e}"),
        }
    });
}

/// The UI's signals.
pub fn signals() -> RepoSignals {
    with_repo(|r| r.signals).expect("repo::start() runs before the UI")
}

/// Creates an empty postmortem and returns its id.
pub fn create() -> Result<String, String> {
    with_repo(|r| {
        // The id is an automerge-repo document id, so the postmortem's
        // automerge: URL is its own id.
        let doc_id = DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes());
        let id = PostmortemId::parse(doc_id.as_str()).map_err(|e| e.to_string())?;
        let mut doc = PostmortemDoc::create(&id, clock::now(), "");
        let save = match store::create(&mut r.kv, &id, &mut doc) {
            Ok(s) => s,
            Err(e) => return Err(format!("Could not create a postmortem: {e}.")),
        };
        let key = id.to_string();
        r.slots.insert(key.clone(), Slot { doc, save, dirty: false });
        let msgs = {
            let slot = r.slots.get_mut(&key).expect("just inserted");
            r.sync.doc_changed(&key, slot.doc.automerge_mut())
        };
        r.post(msgs);
        r.refresh(&key);
        Ok(key)
    })
    .unwrap_or_else(|| Err("the app has not started".into()))
}

/// Applies an edit to a postmortem; the view, the other tabs and storage follow.
pub fn edit(id: &str, f: impl FnOnce(&mut PostmortemDoc) -> Result<(), DocError>) -> Result<(), String> {
    with_repo(|r| {
        let Some(slot) = r.slots.get_mut(id) else {
            return Err("This postmortem is not open in this tab.".to_string());
        };
        let before = slot.doc.heads();
        // The view before the edit is the one already shown.
        let before_view = r.signals.docs.with_untracked(|m| match m.get(id) {
            Some(DocView::Ready(p)) => Some(p.clone()),
            _ => None,
        });
        let result = f(&mut slot.doc).map_err(|e| e.to_string());
        // Commit with who and what before anything reads the heads (reading
        // them would commit the edit without a message).
        let after = slot.doc.view();
        if let Ok(after) = &after {
            let what = hindsight_core::document::describe(before_view.as_deref(), after);
            let by = r.signals.device.get_untracked().display_name;
            slot.doc.commit(&by, &what, clock::now());
        }
        if slot.doc.heads() != before {
            slot.dirty = true;
            let msgs = r.sync.doc_changed(id, slot.doc.automerge_mut());
            r.post(msgs);
            r.push_to_server(id);
            let view = match after {
                Ok(p) => DocView::Ready(Arc::new(p)),
                Err(e) => DocView::Failed(e.to_string()),
            };
            publish_views(r, vec![(id.to_string(), Some(view))]);
            r.schedule_save();
        }
        result
    })
    .unwrap_or_else(|| Err("the app has not started".into()))
}

/// Deletes a postmortem here, in storage and in the other tabs.
pub fn delete(id: &str) -> Result<(), String> {
    with_repo(|r| {
        let pid = PostmortemId::parse(id).map_err(|e| e.to_string())?;
        store::delete(&mut r.kv, &pid).map_err(|e| format!("Could not delete: {e}"))?;
        r.slots.remove(id);
        r.failed.remove(id);
        r.deleted.insert(id.to_string());
        let msg = r.sync.deleted(id);
        r.post(vec![msg]);
        r.refresh(id);
        Ok(())
    })
    .unwrap_or_else(|| Err("the app has not started".into()))
}

/// Saves now, without waiting for the debounce (used by tests and on export).
pub fn flush() {
    with_repo(|r| {
        r.save_timer = None;
        r.save_all();
    });
}

/// Stores the settings and applies them.
pub fn save_settings(settings: Settings) -> Result<(), String> {
    let mut kv = LocalStorageKv;
    let r = kv.set(SETTINGS_KEY, &settings.to_json()).map_err(|e| format!("Settings not saved: {e}"));
    signals().settings.set(settings);
    r
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub merged: usize,
}

/// Imports a postmortem file or an archive. The whole file is checked first;
/// if anything is wrong nothing changes. A postmortem that exists already is
/// merged into (same id), not duplicated.
pub fn import(text: &str) -> Result<ImportSummary, ImportError> {
    let postmortems = import::parse(text)?;
    let fail = |path: String, reason: String| ImportError {
        problems: vec![import::ImportProblem { path, reason }],
        truncated: false,
    };
    with_repo(|r| {
        // Refuse before changing anything if a target cannot be written.
        for (i, p) in postmortems.iter().enumerate() {
            if let Some(e) = r.failed.get(p.id.as_str()) {
                return Err(fail(
                    format!("postmortem {} ({})", i + 1, p.id),
                    format!("a stored postmortem with this id could not be loaded ({e}); it is left as it is"),
                ));
            }
        }
        let mut summary = ImportSummary::default();
        let mut touched = vec![];
        for p in &postmortems {
            let key = p.id.to_string();
            r.deleted.remove(&key);
            if let Some(slot) = r.slots.get_mut(&key) {
                slot.doc.merge_import(p).map_err(|e| fail(key.clone(), e.to_string()))?;
                slot.dirty = true;
                summary.merged += 1;
            } else {
                let mut doc = PostmortemDoc::from_postmortem(p).map_err(|e| fail(key.clone(), e.to_string()))?;
                let save = store::create(&mut r.kv, &p.id, &mut doc).map_err(|e| {
                    fail(key.clone(), format!("{e}; postmortems imported before this one are kept"))
                });
                let save = match save {
                    Ok(s) => s,
                    Err(e) => {
                        // Keep it in this tab so nothing is lost; saving retries later.
                        r.slots.insert(key.clone(), Slot { doc, save: SaveState::default(), dirty: true });
                        r.refresh(&key);
                        r.schedule_save();
                        return Err(e);
                    }
                };
                r.slots.insert(key.clone(), Slot { doc, save, dirty: false });
                summary.created += 1;
            }
            touched.push(key);
        }
        for key in &touched {
            let msgs = match r.slots.get_mut(key) {
                Some(slot) => r.sync.doc_changed(key, slot.doc.automerge_mut()),
                None => vec![],
            };
            r.post(msgs);
        }
        refresh_many(r, &touched);
        r.schedule_save();
        Ok(summary)
    })
    .unwrap_or_else(|| Err(fail("$".into(), "the app has not started".into())))
}

/// Refreshes several documents with one signal update (an import of
/// thousands would otherwise re-render thousands of times).
fn refresh_many(r: &Repo, ids: &[String]) {
    let views: Vec<(String, Option<DocView>)> = ids.iter().map(|id| (id.clone(), r.view_of(id))).collect();
    publish_views(r, views);
}

/// Puts views into the `docs` signal with one update.
fn publish_views(r: &Repo, views: Vec<(String, Option<DocView>)>) {
    r.signals.revision.update(|n| *n += 1);
    r.signals.docs.update(|m| {
        for (id, v) in views {
            match v {
                Some(v) => {
                    m.insert(id, v);
                }
                None => {
                    m.remove(&id);
                }
            }
        }
    });
}

/// Opens what can be read of a postmortem that failed to load: damaged
/// chunks are skipped and left in storage as they are. Returns how many
/// chunks were skipped.
pub fn recover(id: &str) -> Result<usize, String> {
    with_repo(|r| {
        let pid = PostmortemId::parse(id).map_err(|e| e.to_string())?;
        let (doc, save, skipped) = store::load_readable(&r.kv, &pid).map_err(|e| format!("Nothing could be read: {e}"))?;
        if let Err(e) = doc.view() {
            return Err(format!("What could be read is not a postmortem: {e}"));
        }
        r.failed.remove(id);
        r.slots.insert(id.to_string(), Slot { doc, save, dirty: false });
        r.refresh(id);
        Ok(skipped.len())
    })
    .unwrap_or_else(|| Err("the app has not started".into()))
}

fn on_socket_event(ev: SocketEvent) {
    with_repo(|r| {
        match ev {
            SocketEvent::Open => {
                let join = r.server.connected(uuid::Uuid::new_v4().to_string());
                r.send_server(vec![join]);
            }
            SocketEvent::Frame(bytes) => {
                let result = r.server.receive(&bytes, &mut ServerDocsOf(&mut r.slots));
                match result {
                    Ok(out) => {
                        r.send_server(out.send);
                        for e in out.events {
                            match e {
                                ServerEvent::Connected { .. } => {
                                    r.server_state = ServerState::Connected;
                                    r.backoff_ms = 1000;
                                }
                                ServerEvent::ServerError(m) => {
                                    r.server_state = ServerState::Error(format!("the server said: {m}"));
                                }
                                ServerEvent::Changed(doc_id) => {
                                    let Some(key) = slot_key_for(&r.slots, &doc_id) else { continue };
                                    if let Some(slot) = r.slots.get_mut(&key) {
                                        slot.dirty = true;
                                        let msgs = r.sync.doc_changed(&key, slot.doc.automerge_mut());
                                        r.post(msgs);
                                    }
                                    if let Ok(pid) = PostmortemId::parse(&key) {
                                        let _ = store::ensure_listed(&mut r.kv, &pid);
                                    }
                                    r.refresh(&key);
                                    r.schedule_save();
                                }
                                ServerEvent::Ephemeral { doc, from, data } => {
                                    if r.presence.heard(&doc, &from, &data, js_sys::Date::now() as u64) {
                                        r.publish_presence();
                                    }
                                }
                                ServerEvent::Unavailable(_) => {}
                            }
                        }
                    }
                    Err(e) => {
                        leptos::logging::warn!("ignored a message from the sync server: {e}");
                        r.server_state = ServerState::Error(format!("the server sent something unreadable ({e}); ignored"));
                    }
                }
            }
            SocketEvent::Closed(reason) => {
                r.socket = None;
                r.server.disconnected();
                r.server_state = ServerState::Offline(reason);
                r.schedule_reconnect();
            }
        }
        r.publish_server();
    });
}

fn install_online_listeners() {
    let online = Closure::<dyn FnMut()>::new(|| {
        with_repo(|r| {
            r.backoff_ms = 1000;
            r.connect();
        });
    });
    let offline = Closure::<dyn FnMut()>::new(|| {
        with_repo(|r| {
            if r.socket.take().is_some() {
                r.server.disconnected();
                r.server_state = ServerState::Offline("the browser is offline".into());
                r.retry = None;
                r.publish_server();
            }
        });
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        let _ = w.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
    }
    online.forget();
    offline.forget();
}

/// Stores this device's sync settings and (re)connects.
pub fn save_device(device: DeviceSettings) -> Result<(), String> {
    let mut kv = LocalStorageKv;
    let r = kv.set(DEVICE_KEY, &device.to_json()).map_err(|e| format!("Settings not saved: {e}"));
    signals().device.set(device);
    with_repo(|r| {
        r.backoff_ms = 1000;
        r.connect();
    });
    r
}

/// Opens a shared postmortem this browser does not have: it is fetched from
/// the sync server. Returns false when the address is not a document id.
pub fn fetch(id: &str) -> bool {
    let Ok(doc_id) = DocumentId::parse(id) else { return false };
    with_repo(|r| {
        if r.slots.contains_key(doc_id.as_str()) || r.failed.contains_key(doc_id.as_str()) {
            return true;
        }
        r.deleted.remove(doc_id.as_str());
        r.slots.insert(
            doc_id.to_string(),
            Slot { doc: PostmortemDoc::empty(), save: SaveState::default(), dirty: false },
        );
        r.push_to_server(doc_id.as_str());
        true
    })
    .unwrap_or(false)
}

/// Is the server connection up?
pub fn server_connected() -> bool {
    with_repo(|r| r.server.connection() == Connection::Connected).unwrap_or(false)
}

/// The editor tells which postmortem is open (None when it closes), for presence.
pub fn set_open(id: Option<String>) {
    with_repo(|r| {
        r.open_doc = id;
        r.announce();
    });
}

/// Fields two people set at the same time, for the editor to show.
pub fn conflicts(id: &str) -> Vec<hindsight_core::document::Conflict> {
    with_repo(|r| r.slots.get(id).map(|s| s.doc.conflicts()).unwrap_or_default()).unwrap_or_default()
}

/// The conflicts of a postmortem as a memo: it changes only when the
/// conflicts do, so their buttons are not re-rendered under a click.
pub fn conflicts_memo(id: String) -> Memo<Vec<hindsight_core::document::Conflict>> {
    let revision = signals().revision;
    Memo::new(move |_| {
        revision.track();
        conflicts(&id)
    })
}

/// The postmortem's history, newest first.
pub fn history(id: &str) -> Vec<hindsight_core::document::HistoryItem> {
    with_repo(|r| r.slots.get_mut(id).map(|s| s.doc.history()).unwrap_or_default()).unwrap_or_default()
}

/// The postmortem with its full history, as Automerge bytes.
pub fn automerge_bytes(id: &str) -> Option<Vec<u8>> {
    with_repo(|r| r.slots.get_mut(id).map(|s| s.doc.save())).flatten()
}

/// What a `.automerge` file holds, before anything is merged.
pub struct AutomergeFile {
    pub doc: PostmortemDoc,
    pub id: String,
    pub title: String,
}

pub fn read_automerge_file(bytes: &[u8]) -> Result<AutomergeFile, String> {
    let doc = PostmortemDoc::load(bytes).map_err(|e| format!("This file cannot be read: {e}"))?;
    let p = doc.view().map_err(|e| format!("This file is not a Hindsight postmortem: {e}"))?;
    Ok(AutomergeFile { id: p.id.to_string(), title: p.display_title().to_string(), doc })
}

/// Merges a `.automerge` file into the postmortem with the same id, or adds
/// it as a new postmortem. Returns the id.
pub fn merge_automerge_file(mut file: AutomergeFile) -> Result<String, String> {
    with_repo(|r| {
        let key = file.id.clone();
        let pid = PostmortemId::parse(&key).map_err(|e| e.to_string())?;
        if r.failed.contains_key(&key) {
            return Err("A stored postmortem with this id could not be loaded; it is left as it is.".into());
        }
        r.deleted.remove(&key);
        match r.slots.get_mut(&key) {
            Some(slot) => {
                slot.doc.merge(&mut file.doc).map_err(|e| e.to_string())?;
                slot.dirty = true;
            }
            None => {
                let save = store::create(&mut r.kv, &pid, &mut file.doc).map_err(|e| format!("Could not store it: {e}"))?;
                r.slots.insert(key.clone(), Slot { doc: file.doc, save, dirty: false });
            }
        }
        let msgs = match r.slots.get_mut(&key) {
            Some(slot) => r.sync.doc_changed(&key, slot.doc.automerge_mut()),
            None => vec![],
        };
        r.post(msgs);
        r.push_to_server(&key);
        r.refresh(&key);
        r.schedule_save();
        Ok(key)
    })
    .unwrap_or_else(|| Err("the app has not started".into()))
}
