//! A client of an automerge-repo sync server (e.g. the stock
//! `@automerge/automerge-repo-sync-server`), sans-IO.
//!
//! The adapter calls [`ServerSync::connected`] when the WebSocket opens and
//! sends what it returns; it hands every binary frame to
//! [`ServerSync::receive`] and sends what comes back; after a local edit it
//! calls [`ServerSync::doc_changed`]. The engine never reads a clock: the
//! caller passes the time in milliseconds where it matters (presence).
//!
//! Pitfalls handled (from automerge-repo's history):
//! - `doc-unavailable` is not final: the server may later answer with `sync`
//!   once another peer uploads the document.
//! - Sync state is reset on every (re)connection; keeping it across
//!   connections makes sync loop or fail with missing dependencies.

use super::url::DocumentId;
use super::wire::{WireError, WireMessage, PROTOCOL_VERSION};
use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::AutoCommit;
use std::collections::{BTreeMap, HashMap};

/// The documents this client syncs with the server.
pub trait ServerDocs {
    /// Documents to sync once connected.
    fn shared(&self) -> Vec<DocumentId>;
    fn doc_mut(&mut self, id: &DocumentId) -> Option<&mut AutoCommit>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Disconnected,
    /// `join` sent, waiting for `peer`.
    Joining,
    Connected,
}

/// What the UI shows for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocStatus {
    /// Not connected; `unsent` changes are not known to be on the server.
    Offline { unsent: usize },
    /// Connected, waiting for the server's answer.
    Syncing,
    /// The server has everything this client has.
    InSync,
    /// The server does not have it (yet); another peer may still upload it.
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    Connected { server: String },
    /// The server reported a protocol error; the connection will close.
    ServerError(String),
    Changed(DocumentId),
    Unavailable(DocumentId),
    Ephemeral { doc: DocumentId, from: String, data: Vec<u8> },
}

#[derive(Debug, Default)]
pub struct Received {
    pub send: Vec<Vec<u8>>,
    pub events: Vec<ServerEvent>,
}

pub struct ServerSync {
    me: String,
    connection: Connection,
    server: Option<String>,
    states: HashMap<DocumentId, SyncState>,
    unavailable: BTreeMap<DocumentId, bool>,
    /// The server's heads as last known, kept across disconnections so that
    /// unsent changes can be counted while offline.
    server_heads: HashMap<DocumentId, Vec<automerge::ChangeHash>>,
    session: String,
    count: u64,
}

impl ServerSync {
    pub fn new(me: impl Into<String>, session: impl Into<String>) -> Self {
        Self {
            me: me.into(),
            connection: Connection::Disconnected,
            server: None,
            states: HashMap::new(),
            unavailable: BTreeMap::new(),
            server_heads: HashMap::new(),
            session: session.into(),
            count: 0,
        }
    }

    pub fn connection(&self) -> Connection {
        self.connection
    }

    /// The WebSocket is open: start the handshake under a new peer id (the
    /// caller makes one per connection). Sync state starts afresh. A fresh id
    /// matters: the server notices the old connection's end late (its
    /// heartbeat), and would then drop this peer if it had the same id.
    pub fn connected(&mut self, peer_id: impl Into<String>) -> Vec<u8> {
        self.me = peer_id.into();
        self.connection = Connection::Joining;
        self.server = None;
        self.states.clear();
        WireMessage::Join { sender_id: self.me.clone(), supported_protocol_versions: vec![PROTOCOL_VERSION.into()] }.encode()
    }

    /// The connection is gone (closed, failed, or the browser went offline).
    pub fn disconnected(&mut self) {
        for (id, st) in &self.states {
            if let Some(h) = &st.their_heads {
                self.server_heads.insert(id.clone(), h.clone());
            }
        }
        self.connection = Connection::Disconnected;
        self.server = None;
        self.states.clear();
    }

    pub fn leave(&self) -> Vec<u8> {
        WireMessage::Leave { sender_id: self.me.clone() }.encode()
    }

    /// The message that syncs one document with the server, if any is due.
    fn sync_message(&mut self, id: &DocumentId, doc: &mut AutoCommit) -> Option<Vec<u8>> {
        let server = self.server.clone()?;
        let state = self.states.entry(id.clone()).or_default();
        let msg = doc.sync().generate_sync_message(state)?;
        let (sender_id, target_id, document_id, data) = (self.me.clone(), server, id.to_string(), msg.encode());
        // An empty document asks for it; one with content offers it.
        Some(if doc.get_heads().is_empty() {
            WireMessage::Request { sender_id, target_id, document_id, data }
        } else {
            WireMessage::Sync { sender_id, target_id, document_id, data }
        }
        .encode())
    }

    /// After a local edit (or to start syncing a document).
    pub fn doc_changed(&mut self, id: &DocumentId, doc: &mut AutoCommit) -> Option<Vec<u8>> {
        if self.connection != Connection::Connected {
            return None;
        }
        self.sync_message(id, doc)
    }

    /// Starts the document's sync over, as on a new connection: the server
    /// answers with whatever this client lacks. A safety net against a push
    /// that never came (seen with the stock server right after a reconnect).
    pub fn resync(&mut self, id: &DocumentId, doc: &mut AutoCommit) -> Option<Vec<u8>> {
        if self.connection != Connection::Connected {
            return None;
        }
        self.states.remove(id);
        self.sync_message(id, doc)
    }

    /// A presence or other ephemeral message about a document.
    pub fn ephemeral(&mut self, id: &DocumentId, data: Vec<u8>) -> Option<Vec<u8>> {
        let server = self.server.clone()?;
        self.count += 1;
        Some(
            WireMessage::Ephemeral {
                sender_id: self.me.clone(),
                target_id: server,
                document_id: id.to_string(),
                session_id: self.session.clone(),
                count: self.count,
                data,
            }
            .encode(),
        )
    }

    pub fn status(&self, id: &DocumentId, doc: &mut AutoCommit) -> DocStatus {
        let heads = doc.get_heads();
        let state = self.states.get(id);
        let theirs = state.and_then(|s| s.their_heads.clone()).or_else(|| self.server_heads.get(id).cloned());
        match self.connection {
            Connection::Connected => {
                if self.unavailable.get(id).copied().unwrap_or(false) {
                    DocStatus::Unavailable
                } else if theirs.as_ref().is_some_and(|h| *h == heads) {
                    DocStatus::InSync
                } else {
                    DocStatus::Syncing
                }
            }
            _ => DocStatus::Offline { unsent: doc.get_changes(theirs.as_deref().unwrap_or(&[])).len() },
        }
    }

    /// Handles one frame from the server.
    pub fn receive(&mut self, bytes: &[u8], docs: &mut impl ServerDocs) -> Result<Received, WireError> {
        let mut out = Received::default();
        let msg = WireMessage::decode(bytes)?;
        let bad = |reason: String| WireError::Malformed { kind: msg.kind().to_string(), reason };
        match &msg {
            WireMessage::Peer { sender_id, selected_protocol_version, .. } => {
                if selected_protocol_version != PROTOCOL_VERSION {
                    return Err(bad(format!("the server chose protocol version {selected_protocol_version:?}")));
                }
                self.server = Some(sender_id.clone());
                self.connection = Connection::Connected;
                self.states.clear();
                out.events.push(ServerEvent::Connected { server: sender_id.clone() });
                for id in docs.shared() {
                    if let Some(doc) = docs.doc_mut(&id) {
                        out.send.extend(self.sync_message(&id, doc));
                    }
                }
            }
            _ if self.connection != Connection::Connected => {
                if let WireMessage::Error { message } = &msg {
                    out.events.push(ServerEvent::ServerError(message.clone()));
                } else {
                    return Err(bad("received before the handshake finished".into()));
                }
            }
            WireMessage::Error { message } => out.events.push(ServerEvent::ServerError(message.clone())),
            WireMessage::Sync { document_id, data, .. } | WireMessage::Request { document_id, data, .. } => {
                let id = DocumentId::parse(document_id).map_err(|e| bad(e.to_string()))?;
                let sync = SyncMessage::decode(data).map_err(|e| bad(e.to_string()))?;
                let Some(doc) = docs.doc_mut(&id) else { return Ok(out) };
                self.unavailable.insert(id.clone(), false);
                let before = doc.get_heads();
                let state = self.states.entry(id.clone()).or_default();
                doc.sync().receive_sync_message(state, sync).map_err(|e| bad(e.to_string()))?;
                if doc.get_heads() != before {
                    out.events.push(ServerEvent::Changed(id.clone()));
                }
                out.send.extend(self.sync_message(&id, doc));
            }
            WireMessage::DocUnavailable { document_id, .. } => {
                let id = DocumentId::parse(document_id).map_err(|e| bad(e.to_string()))?;
                self.unavailable.insert(id.clone(), true);
                out.events.push(ServerEvent::Unavailable(id));
            }
            WireMessage::Ephemeral { document_id, sender_id, data, .. } => {
                let id = DocumentId::parse(document_id).map_err(|e| bad(e.to_string()))?;
                out.events.push(ServerEvent::Ephemeral { doc: id, from: sender_id.clone(), data: data.clone() });
            }
            WireMessage::Join { .. } | WireMessage::Leave { .. } | WireMessage::Other { .. } => {}
        }
        Ok(out)
    }
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
