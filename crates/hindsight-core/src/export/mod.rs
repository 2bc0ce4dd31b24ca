//! Export formats: JSON version 1 (documented in `docs/export-format.md`,
//! JSON Schema in `docs/schema/`), Markdown for wikis ([`markdown`]) and a
//! CSV of per-incident metrics for spreadsheets ([`csv`]).
//!
//! Times are RFC 3339 with the offset they were entered in. Milestones and
//! computed metrics are included so that an archive can be read without
//! Hindsight; on import (a later version) they are recomputed, not trusted.

use crate::domain::{measure, metrics::IncidentMetrics, EntryKind, Postmortem, Span, SpanValue, SpanWarning};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod csv;
pub mod markdown;

pub const FORMAT: &str = "hindsight.postmortem";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostmortemExport {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub id: String,
    pub title: String,
    pub severity: String,
    pub created_at: String,
    pub narrative: Narrative,
    pub timeline: Vec<Entry>,
    pub action_items: Vec<Action>,
    /// Free-form labels; optional on import (empty when absent).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Services affected; optional on import.
    #[serde(default)]
    pub services: Vec<String>,
    pub milestones: BTreeMap<String, Option<Milestone>>,
    pub metrics: BTreeMap<String, Metric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    pub summary: String,
    pub learned: String,
    pub improvements: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// RFC 3339 with offset; the raw stored text when it could not be read.
    pub at: String,
    pub kind: String,
    pub text: String,
    pub evidence: Option<String>,
    pub approximate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub entry_id: String,
    pub at: String,
    /// How many entries had this kind; the rule picks one of them.
    pub candidates: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub from: String,
    pub to: String,
    /// `null` when not measurable.
    pub seconds: Option<i64>,
    pub minutes: Option<f64>,
    /// `"negative"`, `"zero"` or `null`.
    pub warning: Option<String>,
    /// Why there is no value, or what the warning means.
    pub note: Option<String>,
}

fn metric(span: Span, v: &SpanValue) -> Metric {
    let (from, to) = span.bounds();
    Metric {
        from: from.as_str().into(),
        to: to.as_str().into(),
        seconds: v.seconds(),
        minutes: v.minutes(),
        warning: match v {
            SpanValue::Measured { warning: Some(SpanWarning::Negative), .. } => Some("negative".into()),
            SpanValue::Measured { warning: Some(SpanWarning::Zero), .. } => Some("zero".into()),
            _ => None,
        },
        note: v.explanation(span),
    }
}

fn milestones(m: &IncidentMetrics) -> BTreeMap<String, Option<Milestone>> {
    EntryKind::MILESTONES
        .into_iter()
        .map(|k| {
            let pick = m.milestone(k).map(|p| Milestone {
                entry_id: p.entry.to_string(),
                at: p.at.to_rfc3339(),
                candidates: p.candidates,
            });
            (k.as_str().to_string(), pick)
        })
        .collect()
}

pub fn export(p: &Postmortem, exported_at: DateTime<Utc>) -> PostmortemExport {
    let m = measure(&p.timeline);
    PostmortemExport {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: exported_at.to_rfc3339(),
        id: p.id.to_string(),
        title: p.title.clone(),
        severity: p.severity.as_str().into(),
        created_at: p.created_at.to_rfc3339(),
        narrative: Narrative {
            summary: p.summary.clone(),
            learned: p.learned.clone(),
            improvements: p.improvements.clone(),
        },
        timeline: p
            .timeline
            .iter()
            .map(|e| Entry {
                id: e.id.to_string(),
                at: e.at.map(|a| a.to_rfc3339()).unwrap_or_else(|| e.at_raw.clone()),
                kind: e.kind.as_str().into(),
                text: e.text.clone(),
                evidence: e.evidence.clone(),
                approximate: e.approximate,
            })
            .collect(),
        action_items: p
            .action_items
            .iter()
            .map(|a| Action { id: a.id.clone(), text: a.text.clone(), owner: a.owner.clone(), done: a.done })
            .collect(),
        tags: p.tags.clone(),
        services: p.services.clone(),
        milestones: milestones(&m),
        metrics: Span::ALL.into_iter().map(|s| (s.key().to_string(), metric(s, m.span(s)))).collect(),
    }
}

pub const ARCHIVE_FORMAT: &str = "hindsight.archive";
pub const ARCHIVE_VERSION: u32 = 1;

/// Several postmortems in one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchiveExport {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub postmortems: Vec<PostmortemExport>,
}

pub fn archive<'a>(ps: impl IntoIterator<Item = &'a Postmortem>, exported_at: DateTime<Utc>) -> ArchiveExport {
    ArchiveExport {
        format: ARCHIVE_FORMAT.into(),
        version: ARCHIVE_VERSION,
        exported_at: exported_at.to_rfc3339(),
        postmortems: ps.into_iter().map(|p| export(p, exported_at)).collect(),
    }
}

pub fn archive_json<'a>(ps: impl IntoIterator<Item = &'a Postmortem>, exported_at: DateTime<Utc>) -> String {
    serde_json::to_string_pretty(&archive(ps, exported_at)).expect("the export types always serialize")
}

/// Pretty JSON for download.
pub fn to_json(p: &Postmortem, exported_at: DateTime<Utc>) -> String {
    serde_json::to_string_pretty(&export(p, exported_at)).expect("the export types always serialize")
}

/// A file name for the download: `hindsight-<date>-<title-slug>.json`.
pub fn file_name(p: &Postmortem, ext: &str) -> String {
    let slug: String = p
        .display_title()
        .chars()
        .flat_map(|c| if c.is_alphanumeric() { c.to_lowercase().collect::<Vec<_>>() } else { vec!['-'] })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(60)
        .collect::<String>();
    let slug = if slug.is_empty() { p.id.as_str().chars().take(12).collect() } else { slug };
    format!("hindsight-{}-{slug}.{ext}", p.created_at.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::PostmortemDoc;
    use crate::domain::{EntryId, Moment, PostmortemId, TimelineEntry};
    use chrono::TimeZone;

    #[test]
    fn export_has_versioned_format_times_with_offsets_and_metrics() {
        let mut d = PostmortemDoc::create(
            &PostmortemId::parse("pm").unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            "GCE: network loss / 2016",
        );
        for (id, at, kind) in [
            ("f", "2016-04-11T18:14:00-07:00", EntryKind::FailureStarts),
            ("d", "2016-04-11T18:14:00-07:00", EntryKind::Detected),
            ("x", "2016-04-11T19:27:00-07:00", EntryKind::Fixed),
        ] {
            d.add_entry(&TimelineEntry::new(EntryId::parse(id).unwrap(), Moment::parse(at).unwrap(), kind, "t"))
                .unwrap();
        }
        let p = d.view().unwrap();
        let json = to_json(&p, Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["format"], "hindsight.postmortem");
        assert_eq!(v["version"], 1);
        assert_eq!(v["timeline"][0]["at"], "2016-04-11T18:14:00-07:00");
        assert_eq!(v["metrics"]["ttd"]["minutes"], 0.0);
        assert_eq!(v["metrics"]["ttd"]["warning"], "zero");
        assert_eq!(v["metrics"]["ttr"]["minutes"], serde_json::Value::Null);
        assert!(v["metrics"]["ttr"]["note"].as_str().unwrap().contains("Repair starts"));
        assert_eq!(v["metrics"]["impact"]["minutes"], 73.0);
        assert_eq!(v["milestones"]["repair_starts"], serde_json::Value::Null);
        let back: PostmortemExport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, export(&p, Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap()));
        assert_eq!(file_name(&p, "json"), "hindsight-2026-01-02-gce-network-loss-2016.json");
        let mut q = p.clone();
        q.title = "תקלה ברשת".into();
        assert_eq!(file_name(&q, "md"), "hindsight-2026-01-02-תקלה-ברשת.md");
        q.title = "!!!".into();
        assert_eq!(file_name(&q, "md"), "hindsight-2026-01-02-pm.md");
        q.title = "x".repeat(300);
        assert!(file_name(&q, "md").len() < 90);
    }
}
