//! Sync between tabs of one browser, sans-IO: bytes in, bytes out.
//!
//! Every tab is a peer with a random id. Messages are CBOR maps broadcast to
//! all tabs (BroadcastChannel in the browser); a tab ignores messages
//! addressed to another. Documents are exchanged with Automerge's sync
//! protocol, one `sync::State` per (peer, document), so a tab that opens late,
//! or misses a message, still converges:
//!
//! 1. A tab starts by broadcasting `hello`. Every other tab answers with
//!    `hello` (reply) and both start syncing every document they hold.
//! 2. After a local edit, the tab sends a `sync` message for that document to
//!    every known peer. A receiver applies it and answers until both sides
//!    have nothing more to send.
//! 3. `deleted` tells the others a postmortem was deleted; `bye` that a tab
//!    closes, so its sync states are dropped.

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::AutoCommit;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum TabMessage {
    Hello { from: String, reply: bool },
    Sync {
        from: String,
        to: String,
        doc: String,
        #[serde(with = "serde_bytes")]
        data: Vec<u8>,
    },
    Deleted { from: String, doc: String },
    Bye { from: String },
}

impl TabMessage {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(self, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }
    pub fn decode(bytes: &[u8]) -> Result<Self, SyncError> {
        ciborium::from_reader(bytes).map_err(|e| SyncError::Malformed(e.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("a tab message could not be read: {0}")]
    Malformed(String),
    #[error("a sync message for {doc} could not be applied: {reason}")]
    Rejected { doc: String, reason: String },
}

/// The documents a tab holds, as the sync engine sees them.
pub trait DocSet {
    fn doc_ids(&self) -> Vec<String>;
    fn doc_mut(&mut self, id: &str) -> Option<&mut AutoCommit>;
    /// A document another tab has and this one does not: create it empty to
    /// receive it, or refuse (`None`), e.g. when it was deleted here.
    fn create_for_sync(&mut self, id: &str) -> Option<&mut AutoCommit>;
}

/// What handling one message asks the tab to do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Messages to broadcast.
    pub send: Vec<Vec<u8>>,
    /// Documents whose content changed.
    pub changed: Vec<String>,
    /// Documents another tab deleted.
    pub deleted: Vec<String>,
}

pub struct TabSync {
    me: String,
    peers: BTreeSet<String>,
    states: HashMap<(String, String), SyncState>,
}

impl TabSync {
    pub fn new(me: impl Into<String>) -> Self {
        Self { me: me.into(), peers: BTreeSet::new(), states: HashMap::new() }
    }

    pub fn me(&self) -> &str {
        &self.me
    }

    pub fn peers(&self) -> impl Iterator<Item = &String> {
        self.peers.iter()
    }

    /// The first message a tab sends.
    pub fn hello(&self) -> Vec<u8> {
        TabMessage::Hello { from: self.me.clone(), reply: false }.encode()
    }

    /// The last message a tab sends.
    pub fn bye(&self) -> Vec<u8> {
        TabMessage::Bye { from: self.me.clone() }.encode()
    }

    pub fn deleted(&mut self, doc: &str) -> Vec<u8> {
        self.states.retain(|(_, d), _| d != doc);
        TabMessage::Deleted { from: self.me.clone(), doc: doc.to_string() }.encode()
    }

    fn message_for(&mut self, peer: &str, doc_id: &str, doc: &mut AutoCommit) -> Option<Vec<u8>> {
        let state = self.states.entry((peer.to_string(), doc_id.to_string())).or_default();
        let msg = doc.sync().generate_sync_message(state)?;
        Some(
            TabMessage::Sync {
                from: self.me.clone(),
                to: peer.to_string(),
                doc: doc_id.to_string(),
                data: msg.encode(),
            }
            .encode(),
        )
    }

    /// After a local edit: what to send so every other tab gets it.
    pub fn doc_changed(&mut self, doc_id: &str, doc: &mut AutoCommit) -> Vec<Vec<u8>> {
        let peers: Vec<String> = self.peers.iter().cloned().collect();
        peers.iter().filter_map(|p| self.message_for(p, doc_id, doc)).collect()
    }

    fn greet(&mut self, peer: &str, docs: &mut impl DocSet, out: &mut Outcome) {
        self.peers.insert(peer.to_string());
        // A (re)appearing peer starts from scratch: stale sync state would
        // make Automerge wait for replies that will never come.
        self.states.retain(|(p, _), _| p != peer);
        for id in docs.doc_ids() {
            if let Some(doc) = docs.doc_mut(&id) {
                if let Some(m) = self.message_for(peer, &id, doc) {
                    out.send.push(m);
                }
            }
        }
    }

    /// Handles one message from the channel.
    pub fn receive(&mut self, bytes: &[u8], docs: &mut impl DocSet) -> Result<Outcome, SyncError> {
        let mut out = Outcome::default();
        match TabMessage::decode(bytes)? {
            TabMessage::Hello { from, .. } if from == self.me => {}
            TabMessage::Hello { from, reply } => {
                if !reply {
                    out.send.push(TabMessage::Hello { from: self.me.clone(), reply: true }.encode());
                }
                self.greet(&from, docs, &mut out);
            }
            TabMessage::Sync { from, to, doc: doc_id, data } => {
                if to != self.me {
                    return Ok(out);
                }
                if !self.peers.contains(&from) {
                    // We missed its hello (e.g. we opened in between).
                    self.peers.insert(from.clone());
                }
                let reject = |reason: String| SyncError::Rejected { doc: doc_id.clone(), reason };
                let msg = SyncMessage::decode(&data).map_err(|e| reject(e.to_string()))?;
                let exists = docs.doc_mut(&doc_id).is_some();
                let Some(doc) = (if exists { docs.doc_mut(&doc_id) } else { docs.create_for_sync(&doc_id) }) else {
                    return Ok(out);
                };
                let before = doc.get_heads();
                let state = self.states.entry((from.clone(), doc_id.clone())).or_default();
                doc.sync().receive_sync_message(state, msg).map_err(|e| reject(e.to_string()))?;
                if doc.get_heads() != before {
                    out.changed.push(doc_id.clone());
                }
                // Answer this peer, and pass the news on to the others.
                let peers: Vec<String> = self.peers.iter().cloned().collect();
                for p in peers {
                    if p != from && before == doc.get_heads() {
                        continue;
                    }
                    if let Some(m) = self.message_for(&p, &doc_id, doc) {
                        out.send.push(m);
                    }
                }
            }
            TabMessage::Deleted { from, doc } => {
                if from != self.me {
                    self.states.retain(|(_, d), _| *d != doc);
                    out.deleted.push(doc);
                }
            }
            TabMessage::Bye { from } => {
                self.peers.remove(&from);
                self.states.retain(|(p, _), _| *p != from);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
#[path = "tabs_tests.rs"]
mod tests;
