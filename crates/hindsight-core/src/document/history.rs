//! A readable history of a postmortem: who changed what, when.
//!
//! Every local edit is committed with a small JSON message
//! `{"by": "<display name>", "what": "<kind of change>"}` and the time the
//! caller supplies. Reading groups consecutive changes by the same person of
//! the same kind within a few minutes (typing a paragraph is one line).

use super::PostmortemDoc;
use crate::domain::{Narrative, Postmortem};
use automerge::transaction::CommitOptions;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Consecutive changes this close together are one history line.
pub const GROUP_WITHIN_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Message {
    by: String,
    what: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    pub by: String,
    pub what: String,
    /// Of the last change in the group; `None` when the change has no time.
    pub at: Option<DateTime<Utc>>,
    /// How many changes the line stands for.
    pub changes: usize,
}

/// What kind of change turned `before` into `after`, in words.
pub fn describe(before: Option<&Postmortem>, after: &Postmortem) -> String {
    let Some(b) = before else { return "created the postmortem".into() };
    let mut parts: Vec<String> = vec![];
    if b.title != after.title {
        parts.push("edited the title".into());
    }
    if b.severity != after.severity {
        parts.push(format!("set the severity to {}", after.severity.label()));
    }
    for n in Narrative::ALL {
        if b.narrative(n) != after.narrative(n) {
            parts.push(format!("edited \u{201c}{}\u{201d}", n.label()));
        }
    }
    let (bt, at) = (b.timeline.len(), after.timeline.len());
    if at > bt {
        parts.push("added a timeline entry".into());
    } else if at < bt {
        parts.push("removed a timeline entry".into());
    } else if b.timeline != after.timeline {
        parts.push("edited a timeline entry".into());
    }
    let (ba, aa) = (b.action_items.len(), after.action_items.len());
    if aa > ba {
        parts.push("added an action item".into());
    } else if aa < ba {
        parts.push("removed an action item".into());
    } else if b.action_items != after.action_items {
        parts.push("edited an action item".into());
    }
    if b.tags != after.tags || b.services != after.services {
        parts.push("changed tags or services".into());
    }
    if parts.is_empty() {
        "changed the postmortem".into()
    } else {
        parts.join(", ")
    }
}

impl PostmortemDoc {
    /// Closes the pending edit as one change, with who and what, at `time`.
    pub fn commit(&mut self, by: &str, what: &str, time: DateTime<Utc>) {
        let msg = serde_json::to_string(&Message { by: by.to_string(), what: what.to_string() }).expect("serializes");
        self.automerge_mut().commit_with(CommitOptions::default().with_message(msg).with_time(time.timestamp()));
    }

    /// The history, newest first.
    pub fn history(&mut self) -> Vec<HistoryItem> {
        let doc = self.automerge_mut();
        let mut items: Vec<(HistoryItem, i64)> = vec![];
        for c in doc.get_changes(&[]) {
            let (by, what) = match c.message().and_then(|m| serde_json::from_str::<Message>(m).ok()) {
                Some(m) => (if m.by.trim().is_empty() { "Someone".to_string() } else { m.by }, m.what),
                None => ("Someone".to_string(), c.message().map(str::to_string).unwrap_or_else(|| "a change made elsewhere".into())),
            };
            let t = c.timestamp();
            let at = (t > 0).then(|| DateTime::from_timestamp(t, 0)).flatten();
            match items.last_mut() {
                Some((last, last_t)) if last.by == by && last.what == what && (t - *last_t).abs() <= GROUP_WITHIN_SECS => {
                    last.changes += 1;
                    last.at = at.or(last.at);
                    *last_t = t;
                }
                _ => items.push((HistoryItem { by, what, at, changes: 1 }, t)),
            }
        }
        items.into_iter().rev().map(|(i, _)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EntryId, EntryKind, Moment, PostmortemId, Severity, TimelineEntry};
    use chrono::TimeZone;

    #[test]
    fn edits_read_as_who_did_what_when_grouped() {
        let t = |m: i64| Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap() + chrono::Duration::minutes(m);
        let mut d = PostmortemDoc::create(&PostmortemId::parse("pm").unwrap(), t(0), "");
        let mut prev = d.view().unwrap();
        let mut step = |d: &mut PostmortemDoc, by: &str, at: i64, f: &dyn Fn(&mut PostmortemDoc)| {
            f(d);
            let now = d.view().unwrap();
            let what = describe(Some(&prev), &now);
            d.commit(by, &what, t(at));
            prev = now;
        };
        step(&mut d, "Ana", 1, &|d| d.set_narrative(Narrative::Summary, "S").unwrap());
        step(&mut d, "Ana", 2, &|d| d.set_narrative(Narrative::Summary, "Se").unwrap());
        step(&mut d, "Ben", 3, &|d| d.set_severity(Severity::Sev2).unwrap());
        step(&mut d, "Ben", 4, &|d| {
            d.add_entry(&TimelineEntry::new(EntryId::parse("e").unwrap(), Moment::parse("2020-01-01T10:00:00Z").unwrap(), EntryKind::Fixed, "x")).unwrap()
        });
        let h = d.history();
        let lines: Vec<_> = h.iter().map(|i| (i.by.as_str(), i.what.as_str(), i.changes)).collect();
        assert_eq!(lines[0], ("Ben", "added a timeline entry", 1));
        assert_eq!(lines[1], ("Ben", "set the severity to SEV2 (major)", 1));
        assert_eq!(lines[2], ("Ana", "edited \u{201c}What happened\u{201d}", 2));
        assert_eq!(h[0].at, Some(t(4)));
        // The creating change has no message: it still shows.
        assert_eq!(lines.last().unwrap().0, "Someone");
    }
}
