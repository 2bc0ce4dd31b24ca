//! Clients against a fake sync server that behaves like automerge-repo's:
//! it keeps every document, answers `request` for an unknown document with
//! `doc-unavailable`, relays changes and ephemeral messages to the other
//! clients syncing that document.

use super::*;
use crate::document::PostmortemDoc;
use crate::domain::{EntryId, EntryKind, Moment, Narrative, PostmortemId, TimelineEntry};
use proptest::prelude::*;
use std::collections::{BTreeSet, VecDeque};

struct Client {
    sync: ServerSync,
    docs: BTreeMap<DocumentId, AutoCommit>,
}

impl ServerDocs for Client {
    fn shared(&self) -> Vec<DocumentId> {
        self.docs.keys().cloned().collect()
    }
    fn doc_mut(&mut self, id: &DocumentId) -> Option<&mut AutoCommit> {
        self.docs.get_mut(id)
    }
}

#[derive(Default)]
struct Hub {
    docs: BTreeMap<DocumentId, AutoCommit>,
    states: HashMap<(String, DocumentId), SyncState>,
    interested: BTreeMap<DocumentId, BTreeSet<String>>,
}

impl Hub {
    /// Returns (to, bytes) pairs.
    fn receive(&mut self, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut out = vec![];
        match WireMessage::decode(bytes).unwrap() {
            WireMessage::Join { sender_id, .. } => {
                self.states.retain(|(p, _), _| *p != sender_id);
                out.push((sender_id.clone(), WireMessage::Peer { sender_id: "hub".into(), target_id: sender_id, selected_protocol_version: "1".into() }.encode()));
            }
            m @ (WireMessage::Request { .. } | WireMessage::Sync { .. }) => {
                let is_request = matches!(m, WireMessage::Request { .. });
                let (WireMessage::Request { sender_id, document_id, data, .. } | WireMessage::Sync { sender_id, document_id, data, .. }) = m else { unreachable!() };
                let id = DocumentId::parse(&document_id).unwrap();
                self.interested.entry(id.clone()).or_default().insert(sender_id.clone());
                let doc = self.docs.entry(id.clone()).or_default();
                let before = doc.get_heads();
                let st = self.states.entry((sender_id.clone(), id.clone())).or_default();
                doc.sync().receive_sync_message(st, SyncMessage::decode(&data).unwrap()).unwrap();
                let changed = doc.get_heads() != before;
                if is_request && doc.get_heads().is_empty() {
                    out.push((sender_id.clone(), WireMessage::DocUnavailable { sender_id: "hub".into(), target_id: sender_id.clone(), document_id: document_id.clone() }.encode()));
                    return out;
                }
                let peers: Vec<String> = self.interested[&id].iter().cloned().collect();
                for p in peers {
                    if p != sender_id && !changed {
                        continue;
                    }
                    let st = self.states.entry((p.clone(), id.clone())).or_default();
                    if let Some(m) = doc.sync().generate_sync_message(st) {
                        out.push((p.clone(), WireMessage::Sync { sender_id: "hub".into(), target_id: p.clone(), document_id: document_id.clone(), data: m.encode() }.encode()));
                    }
                }
            }
            WireMessage::Ephemeral { sender_id, document_id, session_id, count, data, .. } => {
                let id = DocumentId::parse(&document_id).unwrap();
                for p in self.interested.get(&id).into_iter().flatten().filter(|p| **p != sender_id) {
                    out.push((p.clone(), WireMessage::Ephemeral { sender_id: sender_id.clone(), target_id: p.clone(), document_id: document_id.clone(), session_id: session_id.clone(), count, data: data.clone() }.encode()));
                }
            }
            _ => {}
        }
        out
    }
}

/// Frames in flight: (from client index or None for hub, to client index or hub, bytes).
struct Net {
    hub: Hub,
    clients: Vec<Client>,
    wire: VecDeque<(Option<usize>, Vec<u8>)>, // Some(i): to client i; None: to hub
    events: Vec<(usize, ServerEvent)>,
}

impl Net {
    fn new(n: usize) -> Self {
        let clients = (0..n).map(|i| Client { sync: ServerSync::new(format!("c{i}"), format!("s{i}")), docs: BTreeMap::new() }).collect();
        Self { hub: Hub::default(), clients, wire: VecDeque::new(), events: vec![] }
    }
    fn connect(&mut self, i: usize) {
        let join = self.clients[i].sync.connected(format!("c{i}"));
        self.wire.push_back((None, join));
    }
    fn deliver(&mut self, to: Option<usize>, bytes: Vec<u8>) {
        match to {
            None => {
                for (p, b) in self.hub.receive(&bytes) {
                    let i: usize = p[1..].parse().unwrap();
                    self.wire.push_back((Some(i), b));
                }
            }
            Some(i) if self.clients[i].sync.connection() == Connection::Disconnected => {} // the socket is gone
            Some(i) => {
                let Client { sync, docs } = &mut self.clients[i];
                let c = &mut Client { sync: std::mem::replace(sync, ServerSync::new("", "")), docs: std::mem::take(docs) };
                let r = c.sync.receive(&bytes, &mut ClientDocs(&mut c.docs));
                self.clients[i] = Client { sync: std::mem::replace(&mut c.sync, ServerSync::new("", "")), docs: std::mem::take(&mut c.docs) };
                let r = r.unwrap();
                for m in r.send {
                    self.wire.push_back((None, m));
                }
                self.events.extend(r.events.into_iter().map(|e| (i, e)));
            }
        }
    }
    fn pump(&mut self) {
        let mut n = 0;
        while let Some((to, b)) = self.wire.pop_front() {
            self.deliver(to, b);
            n += 1;
            assert!(n < 100_000, "sync does not settle");
        }
    }
    fn edit(&mut self, i: usize, id: &DocumentId, f: impl FnOnce(&mut PostmortemDoc)) {
        let c = &mut self.clients[i];
        let am = c.docs.get_mut(id).unwrap();
        let mut pm = PostmortemDoc::load(&am.save()).unwrap();
        f(&mut pm);
        am.merge(pm.automerge_mut()).unwrap();
        if let Some(m) = c.sync.doc_changed(id, am) {
            self.wire.push_back((None, m));
        }
    }
    fn view(&self, i: usize, id: &DocumentId) -> crate::domain::Postmortem {
        PostmortemDoc::load(&self.clients[i].docs[id].clone().save()).unwrap().view().unwrap()
    }
}

struct ClientDocs<'a>(&'a mut BTreeMap<DocumentId, AutoCommit>);
impl ServerDocs for ClientDocs<'_> {
    fn shared(&self) -> Vec<DocumentId> {
        self.0.keys().cloned().collect()
    }
    fn doc_mut(&mut self, id: &DocumentId) -> Option<&mut AutoCommit> {
        self.0.get_mut(id)
    }
}

fn new_pm(id: &DocumentId) -> AutoCommit {
    let mut d = PostmortemDoc::create(&PostmortemId::parse(id.as_str()).unwrap(), chrono::Utc::now(), "Outage");
    AutoCommit::load(&d.save()).unwrap()
}

fn entry(id: &str) -> TimelineEntry {
    TimelineEntry::new(EntryId::parse(id).unwrap(), Moment::parse("2020-01-01T10:00:00Z").unwrap(), EntryKind::Event, id)
}

#[test]
fn a_shared_document_reaches_a_second_device_and_edits_flow_both_ways() {
    let id = DocumentId::from_bytes([3; 16]);
    let mut net = Net::new(2);
    net.clients[0].docs.insert(id.clone(), new_pm(&id));
    net.connect(0);
    net.pump();
    // B opens the link: an empty document it requests.
    net.clients[1].docs.insert(id.clone(), AutoCommit::new());
    net.connect(1);
    net.pump();
    assert_eq!(net.view(1, &id).title, "Outage");
    net.edit(0, &id, |d| d.add_entry(&entry("a")).unwrap());
    net.edit(1, &id, |d| d.set_narrative(Narrative::Summary, "from B").unwrap());
    net.pump();
    assert_eq!(net.view(0, &id), net.view(1, &id));
    assert_eq!(net.view(0, &id).summary, "from B");
    let c = &mut net.clients[0];
    let st = c.sync.status(&id, c.docs.get_mut(&id).unwrap());
    assert_eq!(st, DocStatus::InSync);
}

#[test]
fn unavailable_is_not_final() {
    let id = DocumentId::from_bytes([4; 16]);
    let mut net = Net::new(2);
    net.clients[1].docs.insert(id.clone(), AutoCommit::new());
    net.connect(1);
    net.pump();
    assert!(net.events.iter().any(|(i, e)| *i == 1 && *e == ServerEvent::Unavailable(id.clone())));
    let c = &mut net.clients[1];
    assert_eq!(c.sync.status(&id, c.docs.get_mut(&id).unwrap()), DocStatus::Unavailable);
    // A uploads it later; B receives it without asking again.
    net.clients[0].docs.insert(id.clone(), new_pm(&id));
    net.connect(0);
    net.pump();
    assert_eq!(net.view(1, &id).title, "Outage");
}

#[test]
fn offline_edits_are_counted_and_sent_on_reconnect() {
    let id = DocumentId::from_bytes([5; 16]);
    let mut net = Net::new(2);
    for i in 0..2 {
        net.clients[i].docs.insert(id.clone(), if i == 0 { new_pm(&id) } else { AutoCommit::new() });
        net.connect(i);
        net.pump();
    }
    net.clients[1].sync.disconnected();
    net.edit(1, &id, |d| d.add_entry(&entry("offline-1")).unwrap());
    net.edit(1, &id, |d| d.add_entry(&entry("offline-2")).unwrap());
    net.edit(0, &id, |d| d.add_entry(&entry("online")).unwrap());
    net.pump();
    let c = &mut net.clients[1];
    assert_eq!(c.sync.status(&id, c.docs.get_mut(&id).unwrap()), DocStatus::Offline { unsent: 2 });
    net.connect(1);
    net.pump();
    assert_eq!(net.view(0, &id).timeline.len(), 3);
    assert_eq!(net.view(0, &id), net.view(1, &id));
}

#[test]
fn presence_is_relayed_as_ephemeral_messages() {
    let id = DocumentId::from_bytes([6; 16]);
    let mut net = Net::new(2);
    for i in 0..2 {
        net.clients[i].docs.insert(id.clone(), new_pm(&id));
        net.connect(i);
    }
    net.pump();
    let m = net.clients[0].sync.ephemeral(&id, b"{\"name\":\"Ana\"}".to_vec()).unwrap();
    net.wire.push_back((None, m));
    net.pump();
    assert!(net.events.iter().any(|(i, e)| *i == 1 && matches!(e, ServerEvent::Ephemeral { from, .. } if from == "c0")));
}

#[test]
fn garbage_from_the_server_is_an_error() {
    let mut c = Client { sync: ServerSync::new("me", "s"), docs: BTreeMap::new() };
    c.sync.connected("me");
    assert!(c.sync.receive(b"garbage", &mut ClientDocs(&mut c.docs)).is_err());
    let early = WireMessage::Sync { sender_id: "x".into(), target_id: "me".into(), document_id: "d".into(), data: vec![] }.encode();
    assert!(c.sync.receive(&early, &mut ClientDocs(&mut c.docs)).is_err(), "sync before the handshake");
    let peer = WireMessage::Peer { sender_id: "hub".into(), target_id: "me".into(), selected_protocol_version: "2".into() }.encode();
    assert!(c.sync.receive(&peer, &mut ClientDocs(&mut c.docs)).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Two or three devices edit while frames are lost, duplicated and
    /// reordered; once the network heals (everyone reconnects), all converge.
    #[test]
    fn clients_converge_despite_loss_duplication_and_reordering(
        n in 2usize..=3,
        ops in prop::collection::vec((0usize..3, 0u8..3), 1..25),
        chaos in prop::collection::vec((0u8..10, 0usize..8), 0..200),
    ) {
        let id = DocumentId::from_bytes([9; 16]);
        let mut net = Net::new(n);
        for i in 0..n {
            net.clients[i].docs.insert(id.clone(), if i == 0 { new_pm(&id) } else { AutoCommit::new() });
            net.connect(i);
        }
        net.pump();
        let mut chaos = chaos.into_iter();
        for (k, (who, what)) in ops.into_iter().enumerate() {
            let who = who % n;
            if net.clients[who].docs.get_mut(&id).unwrap().get_heads().is_empty() { continue; }
            net.edit(who, &id, |d| match what {
                0 => d.add_entry(&entry(&format!("e{k}"))).unwrap(),
                1 => d.set_narrative(Narrative::Learned, &format!("{}{k}", d.view().unwrap().learned)).unwrap(),
                _ => d.set_title(&format!("t{k}")).unwrap(),
            });
            // Deliver some frames with chaos: drop, duplicate or reorder.
            for _ in 0..3 {
                let Some((roll, pos)) = chaos.next() else { break };
                let Some(frame) = net.wire.pop_front() else { break };
                match roll {
                    0 | 1 => {}                                              // lost
                    2 => { net.wire.push_back(frame.clone()); net.deliver(frame.0, frame.1); } // duplicated
                    3 => { let p = pos.min(net.wire.len()); net.wire.insert(p, frame); }      // reordered
                    _ => net.deliver(frame.0, frame.1),
                }
            }
        }
        // Heal: drop what is in flight, everyone reconnects, deliver reliably.
        net.wire.clear();
        for i in 0..n {
            net.connect(i);
        }
        net.pump();
        for i in 1..n {
            prop_assert_eq!(net.view(0, &id), net.view(i, &id));
        }
    }
}

#[test]
fn resync_sends_a_fresh_start_only_while_connected() {
    let id = DocumentId::from_bytes([8; 16]);
    let mut net = Net::new(1);
    net.clients[0].docs.insert(id.clone(), new_pm(&id));
    net.connect(0);
    net.pump();
    let c = &mut net.clients[0];
    // In sync: nothing more to say, until the sync is started over.
    assert!(c.sync.doc_changed(&id, c.docs.get_mut(&id).unwrap()).is_none());
    let m = c.sync.resync(&id, c.docs.get_mut(&id).unwrap()).expect("a fresh start while connected");
    assert!(matches!(WireMessage::decode(&m).unwrap(), WireMessage::Sync { .. }));
    net.wire.push_back((None, m));
    net.pump();
    let c = &mut net.clients[0];
    c.sync.disconnected();
    assert!(c.sync.resync(&id, c.docs.get_mut(&id).unwrap()).is_none(), "nothing is sent while offline");
}
