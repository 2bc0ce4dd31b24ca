use super::*;
use crate::document::PostmortemDoc;
use crate::domain::{EntryId, EntryKind, Moment, Narrative, PostmortemId, TimelineEntry};
use std::collections::{BTreeMap, VecDeque};

#[derive(Default)]
struct Tab {
    docs: BTreeMap<String, AutoCommit>,
    refused: Vec<String>,
}

impl DocSet for Tab {
    fn doc_ids(&self) -> Vec<String> {
        self.docs.keys().cloned().collect()
    }
    fn doc_mut(&mut self, id: &str) -> Option<&mut AutoCommit> {
        self.docs.get_mut(id)
    }
    fn create_for_sync(&mut self, id: &str) -> Option<&mut AutoCommit> {
        if self.refused.iter().any(|r| r == id) {
            return None;
        }
        Some(self.docs.entry(id.to_string()).or_default())
    }
}

/// Tabs on one BroadcastChannel: every message reaches every other tab.
struct Browser {
    tabs: Vec<(TabSync, Tab)>,
    wire: VecDeque<(usize, Vec<u8>)>,
}

impl Browser {
    fn new(n: usize) -> Self {
        let tabs = (0..n).map(|i| (TabSync::new(format!("tab{i}")), Tab::default())).collect();
        Self { tabs, wire: VecDeque::new() }
    }
    fn open(&mut self, i: usize) {
        let hello = self.tabs[i].0.hello();
        self.wire.push_back((i, hello));
    }
    fn edit(&mut self, i: usize, doc: &str, f: impl FnOnce(&mut PostmortemDoc)) {
        let (sync, tab) = &mut self.tabs[i];
        let am = tab.docs.get_mut(doc).unwrap();
        let mut pm = PostmortemDoc::load(&am.save()).unwrap();
        // Edit through the domain API, then bring the change into the tab's doc.
        f(&mut pm);
        am.merge(pm.automerge_mut()).unwrap();
        for m in sync.doc_changed(doc, am) {
            self.wire.push_back((i, m));
        }
    }
    fn pump(&mut self) -> usize {
        let mut delivered = 0;
        while let Some((from, bytes)) = self.wire.pop_front() {
            for i in 0..self.tabs.len() {
                if i == from {
                    continue;
                }
                let (sync, tab) = &mut self.tabs[i];
                let out = sync.receive(&bytes, tab).unwrap();
                delivered += 1;
                for m in out.send {
                    self.wire.push_back((i, m));
                }
            }
            assert!(delivered < 10_000, "sync does not settle");
        }
        delivered
    }
    fn view(&self, i: usize, doc: &str) -> crate::domain::Postmortem {
        let am = &self.tabs[i].1.docs[doc];
        PostmortemDoc::load(&am.clone().save()).unwrap().view().unwrap()
    }
}

fn new_pm(id: &str) -> AutoCommit {
    let mut d = PostmortemDoc::create(&PostmortemId::parse(id).unwrap(), chrono::Utc::now(), "Outage");
    AutoCommit::load(&d.save()).unwrap()
}

fn entry(id: &str, at: &str) -> TimelineEntry {
    TimelineEntry::new(EntryId::parse(id).unwrap(), Moment::parse(at).unwrap(), EntryKind::Event, id)
}

#[test]
fn a_tab_opened_later_receives_existing_documents() {
    let mut b = Browser::new(2);
    b.tabs[0].1.docs.insert("pm".into(), new_pm("pm"));
    b.open(0);
    b.pump();
    b.open(1);
    b.pump();
    assert_eq!(b.view(1, "pm").title, "Outage");
}

#[test]
fn concurrent_edits_in_two_tabs_both_survive() {
    let mut b = Browser::new(2);
    b.tabs[0].1.docs.insert("pm".into(), new_pm("pm"));
    b.open(0);
    b.open(1);
    b.pump();
    b.edit(0, "pm", |d| d.add_entry(&entry("a", "2020-01-01T10:00:00Z")).unwrap());
    b.edit(1, "pm", |d| d.add_entry(&entry("b", "2020-01-01T09:00:00Z")).unwrap());
    b.edit(0, "pm", |d| d.set_narrative(Narrative::Summary, "left").unwrap());
    b.edit(1, "pm", |d| d.set_narrative(Narrative::Summary, "right").unwrap());
    b.pump();
    let (x, y) = (b.view(0, "pm"), b.view(1, "pm"));
    assert_eq!(x, y);
    assert_eq!(x.timeline.len(), 2);
    assert!(x.summary.contains("left") && x.summary.contains("right"), "{}", x.summary);
}

#[test]
fn three_tabs_converge_and_a_closed_tab_is_forgotten() {
    let mut b = Browser::new(3);
    b.tabs[0].1.docs.insert("pm".into(), new_pm("pm"));
    for i in 0..3 {
        b.open(i);
    }
    b.pump();
    for i in 0..3 {
        b.edit(i, "pm", |d| d.add_entry(&entry(&format!("e{i}"), "2020-01-01T10:00:00Z")).unwrap());
    }
    b.pump();
    for i in 0..3 {
        assert_eq!(b.view(i, "pm").timeline.len(), 3, "tab {i}");
    }
    let bye = b.tabs[2].0.bye();
    b.wire.push_back((2, bye));
    b.pump();
    assert_eq!(b.tabs[0].0.peers().count(), 1);
}

#[test]
fn deletion_is_announced_and_a_refused_document_is_not_recreated() {
    let mut b = Browser::new(2);
    b.tabs[0].1.docs.insert("pm".into(), new_pm("pm"));
    b.tabs[1].1.refused.push("pm".into());
    b.open(0);
    b.open(1);
    b.pump();
    assert!(b.tabs[1].1.docs.is_empty());
    let del = b.tabs[0].0.deleted("pm");
    let out = b.tabs[1].0.receive(&del, &mut Tab::default()).unwrap();
    assert_eq!(out.deleted, vec!["pm".to_string()]);
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let mut s = TabSync::new("me");
    assert!(matches!(s.receive(b"\xff\x00garbage", &mut Tab::default()), Err(SyncError::Malformed(_))));
    let bad = TabMessage::Sync { from: "x".into(), to: "me".into(), doc: "pm".into(), data: vec![1, 2, 3] }.encode();
    assert!(matches!(s.receive(&bad, &mut Tab::default()), Err(SyncError::Rejected { .. })));
}
