//! Every shared incident fixture, entered as a timeline, gives the spans its
//! `expected` block states.

use hindsight_core::domain::{measure, EntryId, EntryKind, Moment, Span, TimelineEntry};
use std::path::PathBuf;

fn fixtures_dir() -> PathBuf {
    std::env::var_os("HINDSIGHT_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/incidents"))
}

fn timeline_of(fixture: &serde_json::Value) -> Vec<TimelineEntry> {
    fixture["events"]
        .as_array()
        .expect("events")
        .iter()
        .enumerate()
        .map(|(i, e)| {
            TimelineEntry::new(
                EntryId::parse(&format!("e{i}")).unwrap(),
                Moment::parse(e["at"].as_str().unwrap()).unwrap(),
                EntryKind::parse(e["kind"].as_str().unwrap()).unwrap(),
                e["text"].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

fn minutes(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
}

#[test]
fn every_fixture_gives_its_expected_spans() {
    let dir = fixtures_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "expected the shared fixtures, found {files:?}");
    for path in files {
        let fixture: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let m = measure(&timeline_of(&fixture));
        let exp = &fixture["expected"];
        let name = path.file_name().unwrap().to_string_lossy();
        for (span, key) in [(Span::Ttd, "ttd_minutes"), (Span::Ttr, "ttr_minutes"), (Span::Ttf, "ttf_minutes")] {
            assert_eq!(m.span(span).minutes(), minutes(&exp[key]), "{name}: {key}");
        }
        assert_eq!(
            m.impact.minutes(),
            minutes(&fixture["impact_minutes_failure_to_fixed"]),
            "{name}: impact"
        );
    }
}

#[test]
fn github_2022_detection_before_start_is_negative_with_a_warning() {
    let path = fixtures_dir().join("github-2022-06-01-actions-delays.json");
    let fixture: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let m = measure(&timeline_of(&fixture));
    assert_eq!(m.ttd.minutes(), Some(-3.0));
    assert!(m.ttd.explanation(Span::Ttd).unwrap().starts_with("Negative"));
}
