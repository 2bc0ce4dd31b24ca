//! A postmortem as one Automerge document, and the edits a person makes to it.
//!
//! Every edit is a small, intention-revealing operation (`set_narrative`,
//! `add_entry`, ...), so that the CRDT merges concurrent edits field by field.
//! Text edits go through Automerge's own `update_text`, which diffs in the
//! document's text units; reading goes through autosurgeon.

mod history;
mod model;

pub use history::{describe, HistoryItem};

pub use model::{DocAction, DocEntry, DocModel, SCHEMA};

use crate::domain::{
    ActionItem, EntryId, EntryKind, Moment, Narrative, Postmortem, PostmortemId, Severity,
    TimelineEntry,
};
use automerge::{transaction::Transactable, AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ROOT};
use autosurgeon::{hydrate, reconcile, Text};
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the stored bytes are not an Automerge document: {0}")]
    Corrupt(String),
    #[error("the document is not a Hindsight postmortem: {0}")]
    NotAPostmortem(String),
    #[error("this postmortem was written by a newer Hindsight (schema {0})")]
    NewerSchema(String),
    #[error("no timeline entry or action item with id {0:?}")]
    NoSuchItem(String),
    #[error("the document could not be changed: {0}")]
    Change(String),
}

impl From<automerge::AutomergeError> for DocError {
    fn from(e: automerge::AutomergeError) -> Self {
        DocError::Change(e.to_string())
    }
}
impl From<autosurgeon::ReconcileError> for DocError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        DocError::Change(e.to_string())
    }
}

/// A single-valued field that two people set at the same time: both values
/// are kept by Automerge, and shown until a person picks one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    Severity(Vec<Severity>),
    /// Concurrent times of one timeline entry (RFC 3339 strings).
    EntryTime { entry: EntryId, values: Vec<String> },
    EntryKind { entry: EntryId, values: Vec<EntryKind> },
}

/// What one edit to a timeline entry changes; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct EntryPatch {
    pub at: Option<Moment>,
    pub kind: Option<EntryKind>,
    pub text: Option<String>,
    pub evidence: Option<Option<String>>,
    pub approximate: Option<bool>,
}

/// A postmortem's Automerge document.
#[derive(Debug, Clone)]
pub struct PostmortemDoc {
    doc: AutoCommit,
}

impl PostmortemDoc {
    /// A new, empty postmortem.
    pub fn create(id: &PostmortemId, created_at: DateTime<Utc>, title: &str) -> Self {
        let mut doc = AutoCommit::new();
        let model = DocModel {
            schema: SCHEMA.to_string(),
            id: id.as_str().to_string(),
            created_at: created_at.to_rfc3339(),
            title: Text::with_value(title),
            severity: Severity::Unset.as_str().to_string(),
            summary: Text::with_value(""),
            learned: Text::with_value(""),
            improvements: Text::with_value(""),
            timeline: vec![],
            action_items: vec![],
            tags: vec![],
            services: vec![],
        };
        reconcile(&mut doc, &model).expect("reconciling into an empty document cannot fail");
        doc.commit();
        Self { doc }
    }

    /// A new document holding an imported postmortem.
    pub fn from_postmortem(p: &Postmortem) -> Result<Self, DocError> {
        let mut doc = Self::create(&p.id, p.created_at, "");
        doc.merge_import(p)?;
        Ok(doc)
    }

    /// Brings an imported copy of this postmortem into the document as
    /// edits: fields take the imported values (text is diffed, so it merges
    /// like typing), entries and action items are matched by id, and
    /// entries this copy has but the import lacks are kept. Importing the
    /// same file twice changes nothing the second time.
    pub fn merge_import(&mut self, p: &Postmortem) -> Result<(), DocError> {
        let mut m = self.model()?;
        if m.id != p.id.as_str() {
            return Err(DocError::Change(format!("the import is postmortem {}, not {}", p.id, m.id)));
        }
        for e in &p.timeline {
            let at = e.at.map(|a| a.to_rfc3339()).unwrap_or_else(|| e.at_raw.clone());
            match m.timeline.iter_mut().find(|d| d.id == e.id.as_str()) {
                Some(d) => {
                    d.at = at;
                    d.kind = e.kind.as_str().to_string();
                    d.evidence = e.evidence.clone().unwrap_or_default();
                    d.approximate = e.approximate;
                }
                None => m.timeline.push(DocEntry {
                    id: e.id.to_string(),
                    at,
                    kind: e.kind.as_str().to_string(),
                    text: Text::with_value(&e.text),
                    evidence: e.evidence.clone().unwrap_or_default(),
                    approximate: e.approximate,
                }),
            }
        }
        for a in &p.action_items {
            match m.action_items.iter_mut().find(|d| d.id == a.id) {
                Some(d) => {
                    d.owner = a.owner.clone();
                    d.done = a.done;
                }
                None => m.action_items.push(DocAction {
                    id: a.id.clone(),
                    text: Text::with_value(&a.text),
                    owner: a.owner.clone(),
                    done: a.done,
                }),
            }
        }
        m.severity = p.severity.as_str().to_string();
        for t in &p.tags {
            if !m.tags.contains(t) {
                m.tags.push(t.clone());
            }
        }
        m.tags.sort();
        for s in &p.services {
            if !m.services.contains(s) {
                m.services.push(s.clone());
            }
        }
        m.services.sort();
        // Keep the earlier creation time of the two copies.
        if DateTime::parse_from_rfc3339(&m.created_at).map_or(true, |c| p.created_at < c) {
            m.created_at = p.created_at.to_rfc3339();
        }
        reconcile(&mut self.doc, &m)?;
        // Text goes through Automerge's own diff, in its text units
        // (autosurgeon's Text::update counts bytes, wrong for non-ASCII).
        self.set_title(&p.title)?;
        for which in Narrative::ALL {
            self.set_narrative(which, p.narrative(which))?;
        }
        for e in &p.timeline {
            let obj = self.item_obj("timeline", e.id.as_str())?;
            let t = self.text_at(&obj, "text")?;
            self.update_text(&t, &e.text)?;
        }
        for a in &p.action_items {
            self.set_action_text(&a.id, &a.text)?;
        }
        Ok(())
    }

    /// An empty document that will be filled by sync or by loading chunks.
    pub fn empty() -> Self {
        Self { doc: AutoCommit::new() }
    }

    /// Loads saved bytes (a snapshot, incremental chunks, or both concatenated).
    pub fn load(bytes: &[u8]) -> Result<Self, DocError> {
        let doc = AutoCommit::load(bytes).map_err(|e| DocError::Corrupt(e.to_string()))?;
        Ok(Self { doc })
    }

    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// Adds more saved bytes (another tab's chunk) to this document.
    /// The bytes are checked whole first: Automerge alone would skip a
    /// damaged tail without saying so.
    pub fn load_incremental(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        let strict = automerge::LoadOptions::new().on_partial_load(automerge::OnPartialLoad::Error);
        match AutoCommit::load_with_options(bytes, strict) {
            // Parsed whole; its changes build on changes in other chunks.
            Ok(_) | Err(automerge::AutomergeError::MissingDeps) => {}
            Err(e) => return Err(DocError::Corrupt(e.to_string())),
        }
        self.doc
            .load_incremental(bytes)
            .map(|_| ())
            .map_err(|e| DocError::Corrupt(e.to_string()))
    }

    pub fn merge(&mut self, other: &mut PostmortemDoc) -> Result<(), DocError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    pub fn save_after(&mut self, heads: &[ChangeHash]) -> Vec<u8> {
        self.doc.save_after(heads)
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// True while the document has no content (e.g. not yet synced).
    pub fn is_empty(&self) -> bool {
        self.doc.length(ROOT) == 0
    }

    fn model(&self) -> Result<DocModel, DocError> {
        let schema: Option<String> = match self.doc.get(ROOT, "schema") {
            Ok(Some((automerge::Value::Scalar(s), _))) => s.as_str().map(str::to_string),
            _ => None,
        };
        match schema.as_deref() {
            Some(SCHEMA) => {}
            Some(other) if other.starts_with("hindsight.postmortem/") => {
                return Err(DocError::NewerSchema(other.to_string()))
            }
            _ => return Err(DocError::NotAPostmortem("no \"schema\" field".into())),
        }
        hydrate(&self.doc).map_err(|e| DocError::NotAPostmortem(e.to_string()))
    }

    /// Reads the postmortem. Fields that cannot be read are reported, never
    /// silently replaced: an unreadable time stays visible as raw text.
    pub fn view(&self) -> Result<Postmortem, DocError> {
        let m = self.model()?;
        let id = PostmortemId::parse(&m.id).map_err(DocError::NotAPostmortem)?;
        let created_at = DateTime::parse_from_rfc3339(&m.created_at)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| DocError::NotAPostmortem(format!("created_at: {e}")))?;
        let timeline = m
            .timeline
            .iter()
            .filter_map(|e| {
                Some(TimelineEntry {
                    id: EntryId::parse(&e.id).ok()?,
                    at: Moment::parse(&e.at).ok(),
                    at_raw: e.at.clone(),
                    kind: EntryKind::parse(&e.kind).unwrap_or(EntryKind::Event),
                    text: e.text.as_str().to_string(),
                    evidence: Some(e.evidence.trim().to_string()).filter(|s| !s.is_empty()),
                    approximate: e.approximate,
                })
            })
            .collect();
        let action_items = m
            .action_items
            .iter()
            .map(|a| ActionItem {
                id: a.id.clone(),
                text: a.text.as_str().to_string(),
                owner: a.owner.clone(),
                done: a.done,
            })
            .collect();
        let mut p = Postmortem {
            id,
            created_at,
            title: m.title.as_str().to_string(),
            severity: Severity::parse(&m.severity).unwrap_or_default(),
            summary: m.summary.as_str().to_string(),
            learned: m.learned.as_str().to_string(),
            improvements: m.improvements.as_str().to_string(),
            timeline,
            action_items,
            tags: m.tags.clone(),
            services: m.services.clone(),
        };
        p.sort_timeline();
        Ok(p)
    }

    fn text_at(&self, parent: &ObjId, prop: &str) -> Result<ObjId, DocError> {
        match self.doc.get(parent, prop)? {
            Some((automerge::Value::Object(ObjType::Text), id)) => Ok(id),
            _ => Err(DocError::NotAPostmortem(format!("{prop:?} is not text"))),
        }
    }

    fn item_obj(&self, list: &str, id: &str) -> Result<ObjId, DocError> {
        let list_obj = match self.doc.get(ROOT, list)? {
            Some((automerge::Value::Object(ObjType::List), o)) => o,
            _ => return Err(DocError::NotAPostmortem(format!("{list:?} is not a list"))),
        };
        for i in 0..self.doc.length(&list_obj) {
            if let Some((automerge::Value::Object(ObjType::Map), item)) = self.doc.get(&list_obj, i)? {
                if let Some((automerge::Value::Scalar(s), _)) = self.doc.get(&item, "id")? {
                    if s.as_str() == Some(id) {
                        return Ok(item);
                    }
                }
            }
        }
        Err(DocError::NoSuchItem(id.to_string()))
    }

    fn update_text(&mut self, obj: &ObjId, value: &str) -> Result<(), DocError> {
        self.doc.update_text(obj, value)?;
        Ok(())
    }

    fn all_strings(&self, obj: &ObjId, prop: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .doc
            .get_all(obj, prop)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(v, _)| v.into_scalar().ok().and_then(|s| s.as_str().map(str::to_string)))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Fields with concurrent values, for a person to resolve.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut out = vec![];
        let sev = self.all_strings(&ROOT, "severity");
        if sev.len() > 1 {
            out.push(Conflict::Severity(sev.iter().filter_map(|s| Severity::parse(s).ok()).collect()));
        }
        let Ok(Some((automerge::Value::Object(ObjType::List), list))) = self.doc.get(ROOT, "timeline") else { return out };
        for i in 0..self.doc.length(&list) {
            let Ok(Some((automerge::Value::Object(ObjType::Map), item))) = self.doc.get(&list, i) else { continue };
            let Some(id) = self.all_strings(&item, "id").first().and_then(|s| EntryId::parse(s).ok()) else { continue };
            let at = self.all_strings(&item, "at");
            if at.len() > 1 {
                out.push(Conflict::EntryTime { entry: id.clone(), values: at });
            }
            let kinds = self.all_strings(&item, "kind");
            if kinds.len() > 1 {
                out.push(Conflict::EntryKind { entry: id, values: kinds.iter().filter_map(|k| EntryKind::parse(k).ok()).collect() });
            }
        }
        out
    }

    pub fn set_title(&mut self, title: &str) -> Result<(), DocError> {
        let obj = self.text_at(&ROOT, "title")?;
        self.update_text(&obj, title)
    }

    pub fn set_narrative(&mut self, which: Narrative, value: &str) -> Result<(), DocError> {
        let obj = self.text_at(&ROOT, which.key())?;
        self.update_text(&obj, value)
    }

    /// Replaces the tags (normalised with [`crate::domain::postmortem::parse_labels`]).
    pub fn set_tags(&mut self, tags: &[String]) -> Result<(), DocError> {
        let mut m = self.model()?;
        m.tags = tags.to_vec();
        reconcile(&mut self.doc, &m)?;
        Ok(())
    }

    pub fn set_services(&mut self, services: &[String]) -> Result<(), DocError> {
        let mut m = self.model()?;
        m.services = services.to_vec();
        reconcile(&mut self.doc, &m)?;
        Ok(())
    }

    pub fn set_severity(&mut self, severity: Severity) -> Result<(), DocError> {
        self.doc.put(ROOT, "severity", severity.as_str())?;
        Ok(())
    }

    /// Appends a timeline entry. Display order comes from the times, not from
    /// the list order, so concurrent appends in two tabs both survive.
    pub fn add_entry(&mut self, entry: &TimelineEntry) -> Result<(), DocError> {
        let mut m = self.model()?;
        if m.timeline.iter().any(|e| e.id == entry.id.as_str()) {
            return Err(DocError::Change(format!("entry {} exists already", entry.id)));
        }
        m.timeline.push(DocEntry {
            id: entry.id.as_str().to_string(),
            at: entry.at.map(|a| a.to_rfc3339()).unwrap_or_else(|| entry.at_raw.clone()),
            kind: entry.kind.as_str().to_string(),
            text: Text::with_value(&entry.text),
            evidence: entry.evidence.clone().unwrap_or_default(),
            approximate: entry.approximate,
        });
        reconcile(&mut self.doc, &m)?;
        Ok(())
    }

    pub fn update_entry(&mut self, id: &EntryId, patch: &EntryPatch) -> Result<(), DocError> {
        let obj = self.item_obj("timeline", id.as_str())?;
        if let Some(at) = patch.at {
            self.doc.put(&obj, "at", at.to_rfc3339())?;
        }
        if let Some(kind) = patch.kind {
            self.doc.put(&obj, "kind", kind.as_str())?;
        }
        if let Some(text) = &patch.text {
            let t = self.text_at(&obj, "text")?;
            self.update_text(&t, text)?;
        }
        if let Some(evidence) = &patch.evidence {
            self.doc.put(&obj, "evidence", evidence.clone().unwrap_or_default())?;
        }
        if let Some(approximate) = patch.approximate {
            self.doc.put(&obj, "approximate", approximate)?;
        }
        Ok(())
    }

    pub fn remove_entry(&mut self, id: &EntryId) -> Result<(), DocError> {
        let mut m = self.model()?;
        let before = m.timeline.len();
        m.timeline.retain(|e| e.id != id.as_str());
        if m.timeline.len() == before {
            return Err(DocError::NoSuchItem(id.to_string()));
        }
        reconcile(&mut self.doc, &m)?;
        Ok(())
    }

    pub fn add_action(&mut self, item: &ActionItem) -> Result<(), DocError> {
        let mut m = self.model()?;
        m.action_items.push(DocAction {
            id: item.id.clone(),
            text: Text::with_value(&item.text),
            owner: item.owner.clone(),
            done: item.done,
        });
        reconcile(&mut self.doc, &m)?;
        Ok(())
    }

    pub fn set_action_text(&mut self, id: &str, text: &str) -> Result<(), DocError> {
        let obj = self.item_obj("action_items", id)?;
        let t = self.text_at(&obj, "text")?;
        self.update_text(&t, text)
    }

    pub fn set_action_owner(&mut self, id: &str, owner: &str) -> Result<(), DocError> {
        let obj = self.item_obj("action_items", id)?;
        self.doc.put(&obj, "owner", owner)?;
        Ok(())
    }

    pub fn set_action_done(&mut self, id: &str, done: bool) -> Result<(), DocError> {
        let obj = self.item_obj("action_items", id)?;
        self.doc.put(&obj, "done", done)?;
        Ok(())
    }

    pub fn remove_action(&mut self, id: &str) -> Result<(), DocError> {
        let mut m = self.model()?;
        let before = m.action_items.len();
        m.action_items.retain(|a| a.id != id);
        if m.action_items.len() == before {
            return Err(DocError::NoSuchItem(id.to_string()));
        }
        reconcile(&mut self.doc, &m)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
