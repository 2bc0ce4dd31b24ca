//! The shape of a postmortem inside its Automerge document.
//!
//! Narrative fields and entry texts are Automerge text objects, so that
//! concurrent edits by two people both survive. Lists of timeline entries and
//! action items are reconciled by their `id` (`#[key]`), so that concurrent
//! inserts are never duplicated or dropped.

use autosurgeon::{Hydrate, Reconcile, Text};

/// Identifies the document's schema. Bumped when the shape changes.
pub const SCHEMA: &str = "hindsight.postmortem/1";

#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct DocModel {
    pub schema: String,
    pub id: String,
    pub created_at: String,
    pub title: Text,
    pub severity: String,
    pub summary: Text,
    pub learned: Text,
    pub improvements: Text,
    pub timeline: Vec<DocEntry>,
    pub action_items: Vec<DocAction>,
    /// Free-form labels, e.g. `database`, `deploy`. Absent in documents
    /// written before tags existed.
    #[autosurgeon(missing = "Vec::new")]
    pub tags: Vec<String>,
    /// Services affected.
    #[autosurgeon(missing = "Vec::new")]
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct DocEntry {
    #[key]
    pub id: String,
    /// RFC 3339 with the offset the time was entered in.
    pub at: String,
    pub kind: String,
    pub text: Text,
    pub evidence: String,
    pub approximate: bool,
}

#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct DocAction {
    #[key]
    pub id: String,
    pub text: Text,
    pub owner: String,
    pub done: bool,
}
