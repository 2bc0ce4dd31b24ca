use super::*;
use crate::document::PostmortemDoc;
use crate::domain::{Narrative, UtcOffset};
use crate::export::{archive_json, to_json};
use chrono::TimeZone;
use proptest::prelude::*;

fn when() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap()
}

fn sample() -> Postmortem {
    let mut d = PostmortemDoc::create(&PostmortemId::parse("pm-1").unwrap(), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), "Sample");
    d.set_narrative(Narrative::Summary, "Fünf Minuten ausgefallen 🔥").unwrap();
    d.add_entry(&TimelineEntry::new(
        EntryId::parse("e1").unwrap(),
        Moment::parse("2016-04-11T18:14:00-07:00").unwrap(),
        EntryKind::FailureStarts,
        "start",
    ))
    .unwrap();
    d.set_tags(&["db".into()]).unwrap();
    d.view().unwrap()
}

fn problems(text: &str) -> Vec<(String, String)> {
    parse(text).unwrap_err().problems.into_iter().map(|p| (p.path, p.reason)).collect()
}

fn with(mutate: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&to_json(&sample(), when())).unwrap();
    mutate(&mut v);
    v.to_string()
}

#[test]
fn a_single_postmortem_and_an_archive_import() {
    let p = sample();
    assert_eq!(parse(&to_json(&p, when())).unwrap(), vec![p.clone()]);
    let mut q = p.clone();
    q.id = PostmortemId::parse("pm-2").unwrap();
    assert_eq!(parse(&archive_json([&p, &q], when())).unwrap(), vec![p, q]);
}

#[test]
fn malformed_json_names_line_and_column() {
    let p = problems("{\n  \"format\": ");
    assert_eq!(p[0].0, "$");
    assert!(p[0].1.contains("line 2"), "{p:?}");
    assert!(problems("[1,2]")[0].1.contains("must be an object"));
    assert!(problems("{}")[0].1.contains("not a Hindsight export"));
    assert!(problems(r#"{"format":"something-else","version":1}"#)[0].1.contains("not a Hindsight export"));
}

#[test]
fn wrong_types_and_missing_fields_are_named_by_path() {
    let p = problems(&with(|v| v["title"] = Value::from(5)));
    assert_eq!(p, vec![("$.title".into(), "must be a string, not a number".into())]);
    let p = problems(&with(|v| {
        v.as_object_mut().unwrap().remove("narrative");
    }));
    assert_eq!(p[0].0, "$.narrative");
    let p = problems(&with(|v| v["timeline"][0]["approximate"] = Value::from("yes")));
    assert_eq!(p[0].0, "$.timeline[0].approximate");
    let p = problems(&with(|v| v["action_items"] = Value::from("none")));
    assert_eq!(p[0], ("$.action_items".into(), "must be a list, not a string".into()));
}

#[test]
fn unknown_and_newer_versions_are_refused() {
    assert!(problems(&with(|v| v["version"] = Value::from(2)))[0].1.contains("newer Hindsight"));
    assert!(problems(&with(|v| v["version"] = Value::from(0)))[0].1.contains("does not exist"));
    assert!(problems(&with(|v| v["version"] = Value::from("1")))[0].1.contains("must be a number"));
    let archive = archive_json([&sample()], when()).replace("\"version\": 1,\n  \"exported_at\"", "\"version\": 7,\n  \"exported_at\"");
    assert!(problems(&archive)[0].1.contains("archive format version 7"));
}

#[test]
fn invalid_times_kinds_ids_and_links() {
    let p = problems(&with(|v| v["timeline"][0]["at"] = Value::from("2016-04-11 18:14")));
    assert_eq!(p[0].0, "$.timeline[0].at");
    assert!(p[0].1.contains("RFC 3339"));
    assert_eq!(problems(&with(|v| v["timeline"][0]["kind"] = Value::from("blame")))[0].0, "$.timeline[0].kind");
    assert_eq!(problems(&with(|v| v["id"] = Value::from("a/b")))[0].0, "$.id");
    assert_eq!(problems(&with(|v| v["created_at"] = Value::from("yesterday")))[0].0, "$.created_at");
    assert!(problems(&with(|v| v["timeline"][0]["evidence"] = Value::from("javascript:alert(1)")))[0].1.contains("http(s)"));
}

#[test]
fn duplicate_ids_are_refused() {
    let p = problems(&with(|v| {
        let e = v["timeline"][0].clone();
        v["timeline"].as_array_mut().unwrap().push(e);
    }));
    assert!(p[0].1.contains("used by another entry"), "{p:?}");
    let s = sample();
    assert!(problems(&archive_json([&s, &s], when()))[0].1.contains("appears twice"));
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let huge = " ".repeat(MAX_IMPORT_BYTES + 1);
    assert!(problems(&huge)[0].1.contains("at most 64 MB"));
}

#[test]
fn many_problems_are_listed_up_to_a_limit() {
    let text = with(|v| {
        let e = v["timeline"][0].clone();
        let list = v["timeline"].as_array_mut().unwrap();
        for i in 0..30 {
            let mut x = e.clone();
            x["id"] = Value::from(format!("x{i}"));
            x["at"] = Value::from("bad");
            list.push(x);
        }
    });
    let err = parse(&text).unwrap_err();
    assert_eq!(err.problems.len(), MAX_PROBLEMS);
    assert!(err.truncated);
}

#[test]
fn importing_into_an_existing_postmortem_merges_by_id() {
    let original = sample();
    let mut doc = PostmortemDoc::from_postmortem(&original).unwrap();
    assert_eq!(doc.view().unwrap(), original);
    // Someone else's copy: one more entry, an edited summary.
    let mut theirs = original.clone();
    theirs.summary.push_str(" Danach: Neustart.");
    theirs.timeline.push(TimelineEntry::new(
        EntryId::parse("e2").unwrap(),
        Moment::from_local("2016-04-11T19:27", UtcOffset::parse("-07:00").unwrap()).unwrap(),
        EntryKind::Fixed,
        "fixed",
    ));
    // Ours meanwhile got an entry theirs does not have.
    doc.add_entry(&TimelineEntry::new(EntryId::parse("mine").unwrap(), Moment::parse("2016-04-11T18:20:00-07:00").unwrap(), EntryKind::Detected, "alert"))
        .unwrap();
    doc.merge_import(&theirs).unwrap();
    let merged = doc.view().unwrap();
    assert_eq!(merged.timeline.len(), 3, "nothing duplicated, nothing dropped");
    assert_eq!(merged.summary, "Fünf Minuten ausgefallen 🔥 Danach: Neustart.");
    let heads = doc.heads();
    doc.merge_import(&theirs).unwrap();
    assert_eq!(doc.heads(), heads, "importing the same file again changes nothing");
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-zA-Z0-9 .,:;!?'\"<>&/\\\\-]{1,40}", "\\PC{0,20}"]
}

prop_compose! {
    fn arb_entry(i: usize)(
        secs in -2_000_000_000i64..4_000_000_000,
        offset in -(14 * 60)..=(14 * 60),
        kind in 0usize..5,
        text in arb_text(),
        evidence in prop::option::of("https://[a-z]{1,10}\\.example/[a-z0-9]{0,10}"),
        approximate in any::<bool>(),
    ) -> TimelineEntry {
        let at = Moment::from_utc(DateTime::from_timestamp(secs, 0).unwrap(), UtcOffset::from_minutes(offset).unwrap());
        let mut e = TimelineEntry::new(EntryId::parse(&format!("e{i}")).unwrap(), at, EntryKind::ALL[kind], text);
        e.evidence = evidence;
        e.approximate = approximate;
        e
    }
}

fn arb_postmortem() -> impl Strategy<Value = Postmortem> {
    (
        "[a-z0-9]{1,20}",
        0i64..4_000_000_000,
        arb_text(),
        0usize..5,
        (arb_text(), arb_text(), arb_text()),
        prop::collection::vec(0usize..1, 0..8),
        prop::collection::vec((arb_text(), "[a-z ]{0,10}", any::<bool>()), 0..4),
        prop::collection::vec("[a-z]{1,8}", 0..4),
        prop::collection::vec("[A-Za-z ]{1,12}", 0..3),
    )
        .prop_flat_map(|(id, created, title, sev, (summary, learned, improvements), entries, actions, tags, services)| {
            let n = entries.len();
            let entries = (0..n).map(arb_entry).collect::<Vec<_>>();
            (
                Just((id, created, title, sev, summary, learned, improvements, actions, tags, services)),
                entries,
            )
        })
        .prop_map(|((id, created, title, sev, summary, learned, improvements, actions, tags, services), timeline)| {
            let mut p = Postmortem {
                id: PostmortemId::parse(&id).unwrap(),
                created_at: DateTime::from_timestamp(created, 0).unwrap(),
                title,
                severity: Severity::ALL[sev],
                summary,
                learned,
                improvements,
                timeline,
                action_items: actions
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, owner, done))| ActionItem { id: format!("a{i}"), text, owner, done })
                    .collect(),
                tags: crate::domain::parse_labels(&tags.join(","), true),
                services: crate::domain::parse_labels(&services.join(","), false),
            };
            p.sort_timeline();
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn export_import_export_is_identical(p in arb_postmortem()) {
        let first = to_json(&p, when());
        let back = parse(&first).unwrap();
        prop_assert_eq!(&back, &vec![p.clone()]);
        prop_assert_eq!(to_json(&back[0], when()), first);
        // And through an Automerge document, as the app imports it.
        let doc = PostmortemDoc::from_postmortem(&back[0]).unwrap();
        prop_assert_eq!(to_json(&doc.view().unwrap(), when()), to_json(&p, when()));
    }
}
