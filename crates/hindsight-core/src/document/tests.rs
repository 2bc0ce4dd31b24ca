use super::*;
use crate::domain::UtcOffset;

fn pid() -> PostmortemId {
    PostmortemId::parse("pm-1").unwrap()
}

fn created() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").unwrap().with_timezone(&Utc)
}

fn entry(id: &str, at: &str, kind: EntryKind, text: &str) -> TimelineEntry {
    TimelineEntry::new(EntryId::parse(id).unwrap(), Moment::parse(at).unwrap(), kind, text)
}

/// Two replicas of one document, as two tabs or two laptops have them.
fn two_replicas() -> (PostmortemDoc, PostmortemDoc) {
    let mut a = PostmortemDoc::create(&pid(), created(), "Search outage");
    let b = PostmortemDoc::load(&a.save()).unwrap();
    (a, b)
}

fn merged(a: &mut PostmortemDoc, b: &mut PostmortemDoc) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
    assert_eq!(a.view().unwrap(), b.view().unwrap());
}

#[test]
fn a_new_postmortem_reads_back() {
    let doc = PostmortemDoc::create(&pid(), created(), "Search outage");
    let p = doc.view().unwrap();
    assert_eq!(p.title, "Search outage");
    assert_eq!(p.severity, Severity::Unset);
    assert_eq!(p.created_at, created());
    assert!(p.timeline.is_empty());
}

#[test]
fn edits_round_trip_through_saved_bytes() {
    let mut doc = PostmortemDoc::create(&pid(), created(), "t");
    doc.set_severity(Severity::Sev2).unwrap();
    doc.set_narrative(Narrative::Learned, "Caches hide load.").unwrap();
    doc.add_entry(&entry("e1", "2017-01-31T23:27:00+00:00", EntryKind::FailureStarts, "db load")).unwrap();
    doc.update_entry(
        &EntryId::parse("e1").unwrap(),
        &EntryPatch {
            evidence: Some(Some("https://example.org/graph".into())),
            approximate: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    doc.add_action(&ActionItem { id: "a1".into(), text: "Test restores".into(), owner: "DB team".into(), done: false }).unwrap();
    doc.set_action_done("a1", true).unwrap();
    let back = PostmortemDoc::load(&doc.save()).unwrap().view().unwrap();
    assert_eq!(back.severity, Severity::Sev2);
    assert_eq!(back.learned, "Caches hide load.");
    assert_eq!(back.timeline[0].evidence.as_deref(), Some("https://example.org/graph"));
    assert!(back.timeline[0].approximate);
    assert!(back.action_items[0].done);
}

#[test]
fn timeline_is_shown_in_time_order_whatever_the_insert_order() {
    let mut doc = PostmortemDoc::create(&pid(), created(), "t");
    doc.add_entry(&entry("late", "2017-02-01T00:36:00+00:00", EntryKind::RepairStarts, "b")).unwrap();
    doc.add_entry(&entry("early", "2017-01-31T23:27:00+00:00", EntryKind::FailureStarts, "a")).unwrap();
    let ids: Vec<_> = doc.view().unwrap().timeline.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, ["early", "late"]);
}

#[test]
fn concurrent_inserts_are_neither_duplicated_nor_dropped() {
    let (mut a, mut b) = two_replicas();
    a.add_entry(&entry("from-a", "2020-01-01T10:00:00Z", EntryKind::Detected, "alert")).unwrap();
    b.add_entry(&entry("from-b", "2020-01-01T09:00:00Z", EntryKind::FailureStarts, "deploy")).unwrap();
    b.add_entry(&entry("from-b2", "2020-01-01T11:00:00Z", EntryKind::Fixed, "rollback")).unwrap();
    merged(&mut a, &mut b);
    let ids: Vec<_> = a.view().unwrap().timeline.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, ["from-b", "from-a", "from-b2"]);
    // A later edit after the merge still finds each entry once.
    a.remove_entry(&EntryId::parse("from-a").unwrap()).unwrap();
    merged(&mut a, &mut b);
    assert_eq!(b.view().unwrap().timeline.len(), 2);
}

#[test]
fn concurrent_edits_to_one_narrative_both_survive_including_non_ascii() {
    let (mut a, mut b) = two_replicas();
    a.set_narrative(Narrative::Summary, "Die Suche fiel aus.").unwrap();
    let mut b2 = PostmortemDoc::load(&a.save()).unwrap();
    b.merge(&mut b2).unwrap();
    a.set_narrative(Narrative::Summary, "Die Suche fiel aus. Grund: ein Leck.").unwrap();
    b.set_narrative(Narrative::Summary, "Ärger: Die Suche fiel für 66 min aus.").unwrap();
    merged(&mut a, &mut b);
    let s = a.view().unwrap().summary;
    assert!(s.contains("Grund: ein Leck."), "{s}");
    assert!(s.starts_with("Ärger: "), "{s}");
    assert!(s.contains("für 66 min"), "{s}");
}

#[test]
fn concurrent_title_edits_merge_as_text() {
    let (mut a, mut b) = two_replicas();
    a.set_title("Search outage (2015)").unwrap();
    b.set_title("Sonnet search outage").unwrap();
    merged(&mut a, &mut b);
    assert_eq!(a.view().unwrap().title, "Sonnet search outage (2015)");
}

#[test]
fn editing_and_removing_the_same_entry_concurrently_does_not_resurrect_it() {
    let (mut a, mut b) = two_replicas();
    a.add_entry(&entry("e", "2020-01-01T10:00:00Z", EntryKind::Event, "x")).unwrap();
    merged(&mut a, &mut b);
    a.remove_entry(&EntryId::parse("e").unwrap()).unwrap();
    b.update_entry(&EntryId::parse("e").unwrap(), &EntryPatch { text: Some("y".into()), ..Default::default() }).unwrap();
    merged(&mut a, &mut b);
    assert!(a.view().unwrap().timeline.is_empty());
}

#[test]
fn a_no_op_edit_records_no_change() {
    let mut doc = PostmortemDoc::create(&pid(), created(), "t");
    doc.add_entry(&entry("e", "2020-01-01T10:00:00Z", EntryKind::Event, "x")).unwrap();
    let heads = doc.heads();
    doc.set_title("t").unwrap();
    doc.add_action(&ActionItem { id: "a".into(), text: "x".into(), owner: String::new(), done: false }).unwrap();
    doc.remove_action("a").unwrap();
    let after_remove = doc.heads();
    assert_ne!(heads, after_remove);
    doc.set_narrative(Narrative::Summary, "").unwrap();
    assert_eq!(doc.heads(), after_remove);
}

#[test]
fn garbage_bytes_are_an_error_not_a_panic() {
    assert!(matches!(PostmortemDoc::load(b"not automerge"), Err(DocError::Corrupt(_))));
    let mut other = automerge::AutoCommit::new();
    other.put(ROOT, "hello", "world").unwrap();
    let doc = PostmortemDoc::load(&other.save()).unwrap();
    assert!(matches!(doc.view(), Err(DocError::NotAPostmortem(_))));
}

#[test]
fn an_unreadable_time_stays_visible() {
    let mut doc = PostmortemDoc::create(&pid(), created(), "t");
    doc.add_entry(&entry("e", "2020-01-01T10:00:00Z", EntryKind::Detected, "x")).unwrap();
    let obj = doc.item_obj("timeline", "e").unwrap();
    doc.automerge_mut().put(&obj, "at", "sometime Tuesday").unwrap();
    let p = doc.view().unwrap();
    assert_eq!(p.timeline[0].at, None);
    assert_eq!(p.timeline[0].at_raw, "sometime Tuesday");
}

#[test]
fn moments_keep_their_offset_in_the_document() {
    let mut doc = PostmortemDoc::create(&pid(), created(), "t");
    let at = Moment::from_local("2016-04-11T18:14", UtcOffset::parse("-07:00").unwrap()).unwrap();
    doc.add_entry(&TimelineEntry::new(EntryId::parse("e").unwrap(), at, EntryKind::FailureStarts, "x")).unwrap();
    let back = doc.view().unwrap();
    assert_eq!(back.timeline[0].at.unwrap().to_rfc3339(), "2016-04-11T18:14:00-07:00");
}

#[test]
fn concurrent_single_values_are_shown_as_conflicts_until_someone_picks() {
    let (mut a, mut b) = two_replicas();
    a.add_entry(&entry("e", "2020-01-01T10:00:00Z", EntryKind::Detected, "x")).unwrap();
    merged(&mut a, &mut b);
    let e = EntryId::parse("e").unwrap();
    a.set_severity(Severity::Sev1).unwrap();
    b.set_severity(Severity::Sev2).unwrap();
    a.update_entry(&e, &EntryPatch { at: Some(Moment::parse("2020-01-01T10:05:00Z").unwrap()), ..Default::default() }).unwrap();
    b.update_entry(&e, &EntryPatch { at: Some(Moment::parse("2020-01-01T10:07:00Z").unwrap()), kind: Some(EntryKind::FailureStarts), ..Default::default() }).unwrap();
    merged(&mut a, &mut b);
    let c = a.conflicts();
    assert!(c.contains(&Conflict::Severity(vec![Severity::Sev1, Severity::Sev2])), "{c:?}");
    assert!(c.contains(&Conflict::EntryTime { entry: e.clone(), values: vec!["2020-01-01T10:05:00+00:00".into(), "2020-01-01T10:07:00+00:00".into()] }), "{c:?}");
    // The kind was set by one side only: no conflict.
    assert!(!c.iter().any(|x| matches!(x, Conflict::EntryKind { .. })));
    // Picking a value resolves it, on both sides after sync.
    a.set_severity(Severity::Sev2).unwrap();
    a.update_entry(&e, &EntryPatch { at: Some(Moment::parse("2020-01-01T10:07:00Z").unwrap()), ..Default::default() }).unwrap();
    merged(&mut a, &mut b);
    assert!(b.conflicts().is_empty(), "{:?}", b.conflicts());
}
