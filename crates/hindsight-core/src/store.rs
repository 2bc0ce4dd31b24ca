//! Keeping postmortem documents in a string key-value store (the browser's
//! localStorage), safely shared by several tabs.
//!
//! Layout, after automerge-repo's storage: every save writes a new chunk
//! under a key derived from the chunk's content hash, so two tabs never write
//! different bytes to the same key and never overwrite each other. Loading
//! reads every chunk of a document. From time to time a tab compacts: it
//! first loads every chunk it has not seen, writes one snapshot holding all
//! of them, and only then removes the chunks that snapshot includes. A chunk
//! written by another tab in the meantime is not removed, so nothing is lost
//! even when a tab closes before the other has received its edits.
//!
//! Keys (prefix `hindsight/v1/`):
//! - `postmortem/<id>/meta`: JSON `{"id", "created_at"}`; the index of postmortems.
//! - `postmortem/<id>/chunk/<incr|snapshot>/<sha256>`: base64 of Automerge bytes.

use crate::document::{DocError, PostmortemDoc};
use crate::domain::PostmortemId;
use automerge::ChangeHash;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

pub const PREFIX: &str = "hindsight/v1/";

/// Compact once a document has this many chunks.
pub const COMPACT_AFTER_CHUNKS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KvError {
    #[error("the browser's storage is full")]
    QuotaExceeded,
    #[error("the browser's storage is not available: {0}")]
    Unavailable(String),
}

/// A string key-value store such as localStorage.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, KvError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError>;
    fn remove(&mut self, key: &str) -> Result<(), KvError>;
    fn keys(&self) -> Result<Vec<String>, KvError>;
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Storage(#[from] KvError),
    #[error("stored chunk {key} is damaged: {reason}")]
    Corrupt { key: String, reason: String },
    #[error("no stored data for this postmortem")]
    Missing,
}

/// What this tab knows about the stored form of one document.
#[derive(Debug, Clone, Default)]
pub struct SaveState {
    saved_heads: Vec<ChangeHash>,
    known_chunks: BTreeSet<String>,
}

impl SaveState {
    pub fn chunk_count(&self) -> usize {
        self.known_chunks.len()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveOutcome {
    /// Bytes were written.
    pub wrote: bool,
    /// The document was compacted into one snapshot.
    pub compacted: bool,
    /// Chunks written by another tab were merged into the document.
    pub merged_foreign: bool,
}

fn doc_prefix(id: &PostmortemId) -> String {
    format!("{PREFIX}postmortem/{id}/")
}

fn meta_key(id: &PostmortemId) -> String {
    format!("{}meta", doc_prefix(id))
}

fn chunk_prefix(id: &PostmortemId) -> String {
    format!("{}chunk/", doc_prefix(id))
}

fn chunk_key(id: &PostmortemId, kind: &str, bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    format!("{}{kind}/{}", chunk_prefix(id), hex::encode(&hash[..16]))
}

fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("not base64: {e}"))
}

fn chunk_keys(kv: &impl KeyValue, id: &PostmortemId) -> Result<Vec<String>, KvError> {
    let prefix = chunk_prefix(id);
    let mut keys: Vec<_> = kv.keys()?.into_iter().filter(|k| k.starts_with(&prefix)).collect();
    keys.sort();
    Ok(keys)
}

/// Ids of all stored postmortems, from their meta keys.
pub fn list(kv: &impl KeyValue) -> Result<Vec<PostmortemId>, KvError> {
    let prefix = format!("{PREFIX}postmortem/");
    let mut ids: Vec<_> = kv
        .keys()?
        .into_iter()
        .filter_map(|k| {
            let rest = k.strip_prefix(&prefix)?;
            let id = rest.strip_suffix("/meta")?;
            PostmortemId::parse(id).ok()
        })
        .collect();
    ids.sort();
    Ok(ids)
}

/// Registers a new postmortem in the index and writes its first snapshot.
pub fn create(kv: &mut impl KeyValue, id: &PostmortemId, doc: &mut PostmortemDoc) -> Result<SaveState, KvError> {
    let mut state = SaveState::default();
    save(kv, id, doc, &mut state)?;
    let meta = serde_json::json!({ "id": id.as_str() }).to_string();
    kv.set(&meta_key(id), &meta)?;
    Ok(state)
}

/// Registers a postmortem that arrived from another tab or device.
pub fn ensure_listed(kv: &mut impl KeyValue, id: &PostmortemId) -> Result<(), KvError> {
    if kv.get(&meta_key(id))?.is_none() {
        let meta = serde_json::json!({ "id": id.as_str() }).to_string();
        kv.set(&meta_key(id), &meta)?;
    }
    Ok(())
}

/// Reads every chunk of a document. Nothing is changed in the store, whatever
/// happens: a damaged chunk is reported with its key and left in place.
pub fn load(kv: &impl KeyValue, id: &PostmortemId) -> Result<(PostmortemDoc, SaveState), LoadError> {
    let keys = chunk_keys(kv, id)?;
    if keys.is_empty() {
        return Err(LoadError::Missing);
    }
    let mut doc = PostmortemDoc::empty();
    let mut state = SaveState::default();
    for key in keys {
        let Some(text) = kv.get(&key)? else { continue };
        let bytes = decode(&text).map_err(|reason| LoadError::Corrupt { key: key.clone(), reason })?;
        if bytes.is_empty() {
            return Err(LoadError::Corrupt { key, reason: "the chunk is empty".into() });
        }
        doc.load_incremental(&bytes).map_err(|e| LoadError::Corrupt {
            key: key.clone(),
            reason: match e {
                DocError::Corrupt(r) => r,
                other => other.to_string(),
            },
        })?;
        state.known_chunks.insert(key);
    }
    state.saved_heads = doc.heads();
    if doc.is_empty() {
        return Err(LoadError::Corrupt { key: chunk_prefix(id), reason: "the stored chunks hold no content".into() });
    }
    Ok((doc, state))
}

/// Loads what can be read, skipping damaged chunks (which stay in the store,
/// untouched: compaction never removes a chunk it could not read). Returns the
/// skipped chunks with the reason.
pub fn load_readable(
    kv: &impl KeyValue,
    id: &PostmortemId,
) -> Result<(PostmortemDoc, SaveState, Vec<(String, String)>), LoadError> {
    let mut doc = PostmortemDoc::empty();
    let mut state = SaveState::default();
    let mut skipped = vec![];
    for key in chunk_keys(kv, id)? {
        let Some(text) = kv.get(&key)? else { continue };
        let loaded = decode(&text).and_then(|b| {
            if b.is_empty() {
                Err("the chunk is empty".to_string())
            } else {
                doc.load_incremental(&b).map_err(|e| e.to_string())
            }
        });
        match loaded {
            Ok(()) => {
                state.known_chunks.insert(key);
            }
            Err(reason) => skipped.push((key, reason)),
        }
    }
    if doc.is_empty() {
        return Err(LoadError::Missing);
    }
    state.saved_heads = doc.heads();
    Ok((doc, state, skipped))
}

/// Saves what changed since the last save as a new chunk; compacts when the
/// document has many chunks. On error nothing this tab knows is forgotten:
/// the next save writes everything not yet stored.
pub fn save(
    kv: &mut impl KeyValue,
    id: &PostmortemId,
    doc: &mut PostmortemDoc,
    state: &mut SaveState,
) -> Result<SaveOutcome, KvError> {
    let mut outcome = SaveOutcome::default();
    let heads = doc.heads();
    if heads != state.saved_heads || state.known_chunks.is_empty() {
        let bytes = if state.known_chunks.is_empty() {
            doc.save()
        } else {
            doc.save_after(&state.saved_heads)
        };
        if !bytes.is_empty() {
            let key = chunk_key(id, "incr", &bytes);
            kv.set(&key, &encode(&bytes))?;
            state.known_chunks.insert(key);
            outcome.wrote = true;
        }
        state.saved_heads = heads;
    }
    if state.known_chunks.len() > COMPACT_AFTER_CHUNKS {
        outcome.merged_foreign = compact(kv, id, doc, state)?;
        outcome.compacted = true;
    }
    Ok(outcome)
}

/// Writes one snapshot with everything stored so far, then removes the
/// chunks it includes. Returns whether chunks of other tabs were merged.
pub fn compact(
    kv: &mut impl KeyValue,
    id: &PostmortemId,
    doc: &mut PostmortemDoc,
    state: &mut SaveState,
) -> Result<bool, KvError> {
    let mut merged_foreign = false;
    let mut included = state.known_chunks.clone();
    for key in chunk_keys(kv, id)? {
        if included.contains(&key) {
            continue;
        }
        let Some(text) = kv.get(&key)? else { continue };
        // A damaged chunk is neither merged nor removed.
        if let Ok(bytes) = decode(&text) {
            if doc.load_incremental(&bytes).is_ok() {
                included.insert(key);
                merged_foreign = true;
            }
        }
    }
    let snapshot = doc.save();
    let snapshot_key = chunk_key(id, "snapshot", &snapshot);
    kv.set(&snapshot_key, &encode(&snapshot))?;
    for key in &included {
        if *key != snapshot_key {
            kv.remove(key)?;
        }
    }
    state.known_chunks = BTreeSet::from([snapshot_key]);
    state.saved_heads = doc.heads();
    Ok(merged_foreign)
}

/// Removes a postmortem and all its chunks.
pub fn delete(kv: &mut impl KeyValue, id: &PostmortemId) -> Result<(), KvError> {
    kv.remove(&meta_key(id))?;
    for key in chunk_keys(kv, id)? {
        kv.remove(&key)?;
    }
    Ok(())
}

/// An in-memory store for tests and for running without localStorage. Clones
/// share the same map, as tabs share one origin's localStorage.
#[derive(Debug, Clone, Default)]
pub struct MemoryKv {
    map: std::rc::Rc<std::cell::RefCell<std::collections::BTreeMap<String, String>>>,
    /// Total bytes of keys and values allowed; `None` for no limit.
    pub quota: Option<usize>,
}

impl MemoryKv {
    pub fn with_quota(quota: usize) -> Self {
        Self { quota: Some(quota), ..Self::default() }
    }
    fn used(&self) -> usize {
        self.map.borrow().iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

impl KeyValue for MemoryKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        Ok(self.map.borrow().get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        if let Some(q) = self.quota {
            let old = self.map.borrow().get(key).map(|v| key.len() + v.len()).unwrap_or(0);
            if self.used() - old + key.len() + value.len() > q {
                return Err(KvError::QuotaExceeded);
            }
        }
        self.map.borrow_mut().insert(key.to_string(), value.to_string());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, KvError> {
        Ok(self.map.borrow().keys().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EntryId, EntryKind, Moment, Narrative, TimelineEntry};
    use chrono::{TimeZone, Utc};

    fn id() -> PostmortemId {
        PostmortemId::parse("pm").unwrap()
    }

    fn new_doc() -> PostmortemDoc {
        PostmortemDoc::create(&id(), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), "Outage")
    }

    fn add(doc: &mut PostmortemDoc, n: usize) {
        let at = Moment::parse("2020-01-01T00:00:00Z").unwrap();
        doc.add_entry(&TimelineEntry::new(EntryId::parse(&format!("e{n}")).unwrap(), at, EntryKind::Event, "x"))
            .unwrap();
    }

    #[test]
    fn create_list_load_delete() {
        let mut kv = MemoryKv::default();
        let mut doc = new_doc();
        create(&mut kv, &id(), &mut doc).unwrap();
        assert_eq!(list(&kv).unwrap(), vec![id()]);
        let (back, _) = load(&kv, &id()).unwrap();
        assert_eq!(back.view().unwrap().title, "Outage");
        delete(&mut kv, &id()).unwrap();
        assert!(kv.keys().unwrap().is_empty());
        assert!(matches!(load(&kv, &id()), Err(LoadError::Missing)));
    }

    #[test]
    fn saving_twice_without_change_writes_nothing() {
        let mut kv = MemoryKv::default();
        let mut doc = new_doc();
        let mut st = create(&mut kv, &id(), &mut doc).unwrap();
        assert!(!save(&mut kv, &id(), &mut doc, &mut st).unwrap().wrote);
        add(&mut doc, 1);
        assert!(save(&mut kv, &id(), &mut doc, &mut st).unwrap().wrote);
        assert_eq!(st.chunk_count(), 2);
    }

    /// Tab A and tab B both loaded the document; each edits and saves, then A
    /// compacts while B's latest chunk is already stored, and B closes before
    /// A ever received B's edit by any other way. Nothing is lost.
    #[test]
    fn two_tabs_never_overwrite_each_other() {
        let mut kv = MemoryKv::default();
        let mut first = new_doc();
        create(&mut kv, &id(), &mut first).unwrap();
        let (mut a, mut sa) = load(&kv, &id()).unwrap();
        let (mut b, mut sb) = load(&kv, &id()).unwrap();
        let mut kv_b = kv.clone();
        for n in 0..(COMPACT_AFTER_CHUNKS - 1) {
            add(&mut a, n);
            save(&mut kv, &id(), &mut a, &mut sa).unwrap();
        }
        b.set_narrative(Narrative::Summary, "written in tab B").unwrap();
        save(&mut kv_b, &id(), &mut b, &mut sb).unwrap();
        drop(b); // tab B closes
        add(&mut a, 100);
        let out = save(&mut kv, &id(), &mut a, &mut sa).unwrap();
        assert!(out.compacted && out.merged_foreign, "{out:?}");
        let (reloaded, st) = load(&kv, &id()).unwrap();
        assert_eq!(st.chunk_count(), 1);
        let p = reloaded.view().unwrap();
        assert_eq!(p.summary, "written in tab B");
        assert_eq!(p.timeline.len(), COMPACT_AFTER_CHUNKS);
    }

    #[test]
    fn compaction_takes_in_chunks_other_tabs_wrote() {
        let mut kv = MemoryKv::default();
        let mut a = new_doc();
        let mut sa = create(&mut kv, &id(), &mut a).unwrap();
        let (mut b, mut sb) = load(&kv, &id()).unwrap();
        b.set_title("from B").unwrap();
        save(&mut kv, &id(), &mut b, &mut sb).unwrap();
        // A never heard of B's chunk; compacting must merge it, not drop it.
        assert!(compact(&mut kv, &id(), &mut a, &mut sa).unwrap());
        assert_eq!(a.view().unwrap().title, "from B");
        let (reloaded, st) = load(&kv, &id()).unwrap();
        assert_eq!(st.chunk_count(), 1);
        assert_eq!(reloaded.view().unwrap().title, "from B");
    }

    #[test]
    fn a_damaged_chunk_is_reported_and_left_in_place() {
        let mut kv = MemoryKv::default();
        let mut doc = new_doc();
        create(&mut kv, &id(), &mut doc).unwrap();
        let key = format!("{}incr/ffff", chunk_prefix(&id()));
        kv.set(&key, "%%% not base64").unwrap();
        match load(&kv, &id()) {
            Err(LoadError::Corrupt { key: k, .. }) => assert_eq!(k, key),
            other => panic!("expected a corrupt-chunk error, got {other:?}"),
        }
        kv.set(&key, &encode(b"not automerge at all")).unwrap();
        assert!(matches!(load(&kv, &id()), Err(LoadError::Corrupt { .. })));
        assert_eq!(kv.get(&key).unwrap().unwrap(), encode(b"not automerge at all"));
        // What can be read is recovered; the damaged chunk stays as it is.
        let (doc, _, skipped) = load_readable(&kv, &id()).unwrap();
        assert_eq!(doc.view().unwrap().title, "Outage");
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, key);
        // An empty chunk is damage too, never silently "nothing".
        kv.set(&key, "").unwrap();
        assert!(matches!(load(&kv, &id()), Err(LoadError::Corrupt { .. })));
        // Another postmortem still loads.
        let other = PostmortemId::parse("other").unwrap();
        let mut d2 = PostmortemDoc::create(&other, Utc::now(), "fine");
        create(&mut kv, &other, &mut d2).unwrap();
        assert!(load(&kv, &other).is_ok());
    }

    #[test]
    fn a_full_store_loses_nothing_and_the_next_save_catches_up() {
        let mut kv = MemoryKv::with_quota(4_000);
        let mut doc = new_doc();
        let mut st = create(&mut kv, &id(), &mut doc).unwrap();
        let big = "y".repeat(5_000);
        doc.set_narrative(Narrative::Learned, &big).unwrap();
        assert_eq!(save(&mut kv, &id(), &mut doc, &mut st), Err(KvError::QuotaExceeded));
        assert_eq!(doc.view().unwrap().learned, big, "the edit is still in memory");
        kv.quota = None;
        add(&mut doc, 1);
        save(&mut kv, &id(), &mut doc, &mut st).unwrap();
        let (back, _) = load(&kv, &id()).unwrap();
        assert_eq!(back.view().unwrap().learned, big);
        assert_eq!(back.view().unwrap().timeline.len(), 1);
    }
}
