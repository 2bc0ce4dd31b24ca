//! The JSON Schema files in docs/schema describe what the exporter writes.

use chrono::{TimeZone, Utc};
use hindsight_core::document::PostmortemDoc;
use hindsight_core::domain::{EntryId, EntryKind, Moment, PostmortemId, TimelineEntry};
use hindsight_core::export::{archive, export};
use serde_json::Value;
use std::path::PathBuf;

fn schema(name: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema").join(name);
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn sample() -> hindsight_core::domain::Postmortem {
    let mut d = PostmortemDoc::create(&PostmortemId::parse("pm").unwrap(), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), "x");
    d.add_entry(&TimelineEntry::new(EntryId::parse("a").unwrap(), Moment::parse("2022-06-01T09:37:00Z").unwrap(), EntryKind::Detected, "t")).unwrap();
    d.view().unwrap()
}

#[test]
fn exports_validate_against_the_schemas() {
    let when = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
    let pm_schema = schema("postmortem-v1.schema.json");
    let v = jsonschema::validator_for(&pm_schema).unwrap();
    let good = serde_json::to_value(export(&sample(), when)).unwrap();
    if let Err(e) = v.validate(&good) {
        panic!("export does not match its schema: {e}");
    }
    let mut bad = good.clone();
    bad["timeline"][0]["kind"] = Value::from("blame");
    assert!(!v.is_valid(&bad));
    // The archive schema, with the postmortem schema inlined for the reference.
    let mut arch = schema("archive-v1.schema.json");
    arch["properties"]["postmortems"]["items"] = pm_schema;
    let av = jsonschema::validator_for(&arch).unwrap();
    let s = sample();
    assert!(av.is_valid(&serde_json::to_value(archive([&s], when)).unwrap()));
}
