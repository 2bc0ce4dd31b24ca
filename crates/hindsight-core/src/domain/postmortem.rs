//! The postmortem itself: narrative, timeline and action items.

use super::timeline::{sort_for_display, TimelineEntry};
use chrono::{DateTime, Utc};
use std::fmt;

/// Identity of a postmortem (and of its Automerge document).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostmortemId(String);

impl PostmortemId {
    /// Ids are URL- and storage-key-safe: ASCII letters, digits, `-` and `_`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(format!(
                "{s:?} is not a postmortem id (1 to 64 letters, digits, '-' or '_')"
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostmortemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How bad the incident was. `Unset` until the team agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Severity {
    #[default]
    Unset,
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Unset,
        Severity::Sev1,
        Severity::Sev2,
        Severity::Sev3,
        Severity::Sev4,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unset => "unset",
            Severity::Sev1 => "sev1",
            Severity::Sev2 => "sev2",
            Severity::Sev3 => "sev3",
            Severity::Sev4 => "sev4",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Unset => "Not set",
            Severity::Sev1 => "SEV1 (critical)",
            Severity::Sev2 => "SEV2 (major)",
            Severity::Sev3 => "SEV3 (minor)",
            Severity::Sev4 => "SEV4 (low)",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown severity {s:?}; expected unset or sev1 to sev4"))
    }
}

/// The three narrative fields of a postmortem. Each is mergeable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Narrative {
    /// What happened.
    Summary,
    /// What we learned.
    Learned,
    /// What is worth improving.
    Improvements,
}

impl Narrative {
    pub const ALL: [Narrative; 3] = [Narrative::Summary, Narrative::Learned, Narrative::Improvements];
    pub fn key(self) -> &'static str {
        match self {
            Narrative::Summary => "summary",
            Narrative::Learned => "learned",
            Narrative::Improvements => "improvements",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Narrative::Summary => "What happened",
            Narrative::Learned => "What we learned",
            Narrative::Improvements => "What is worth improving",
        }
    }
}

/// Something the team commits to doing after the postmortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub done: bool,
}

/// A postmortem as read from its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postmortem {
    pub id: PostmortemId,
    pub created_at: DateTime<Utc>,
    pub title: String,
    pub severity: Severity,
    pub summary: String,
    pub learned: String,
    pub improvements: String,
    /// In time order (see [`sort_for_display`]).
    pub timeline: Vec<TimelineEntry>,
    pub action_items: Vec<ActionItem>,
    /// Free-form labels (lower case, trimmed, unique, sorted).
    pub tags: Vec<String>,
    /// Services affected (trimmed, unique, sorted).
    pub services: Vec<String>,
}

impl Postmortem {
    pub fn narrative(&self, which: Narrative) -> &str {
        match which {
            Narrative::Summary => &self.summary,
            Narrative::Learned => &self.learned,
            Narrative::Improvements => &self.improvements,
        }
    }

    pub(crate) fn sort_timeline(&mut self) {
        sort_for_display(&mut self.timeline);
    }

    /// When the incident started, for placing it in time: the "failure
    /// starts" milestone, else the earliest readable entry, else when the
    /// postmortem was created.
    pub fn incident_start(&self) -> DateTime<Utc> {
        let m = super::metrics::measure(&self.timeline);
        m.failure_starts
            .map(|p| p.at.utc())
            .or_else(|| self.timeline.iter().filter_map(|e| e.at).map(|a| a.utc()).min())
            .unwrap_or(self.created_at)
    }

    /// The title, or a placeholder that says there is none yet.
    pub fn display_title(&self) -> &str {
        if self.title.trim().is_empty() {
            "Untitled postmortem"
        } else {
            &self.title
        }
    }
}

/// Parses a comma-separated list of labels: trimmed, empty ones dropped,
/// duplicates removed, sorted. Tags are also lower-cased.
pub fn parse_labels(text: &str, lower: bool) -> Vec<String> {
    let mut v: Vec<String> = text
        .split(',')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| if lower { s.to_lowercase() } else { s.to_string() })
        .map(|s| s.chars().take(64).collect())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_trimmed_deduplicated_sorted() {
        assert_eq!(super::parse_labels(" DB, deploy,,db ", true), ["db", "deploy"]);
        assert_eq!(super::parse_labels("Search API, Billing", false), ["Billing", "Search API"]);
        assert!(super::parse_labels(" , ", true).is_empty());
    }

    use super::*;

    #[test]
    fn ids_are_key_safe() {
        assert!(PostmortemId::parse("abc-123_X").is_ok());
        assert!(PostmortemId::parse("").is_err());
        assert!(PostmortemId::parse("a:b").is_err());
        assert!(PostmortemId::parse("a/b").is_err());
        assert!(PostmortemId::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn severities_round_trip() {
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()).unwrap(), s);
        }
        assert_eq!(Severity::parse("SEV2").unwrap(), Severity::Sev2);
        assert!(Severity::parse("p0").is_err());
    }
}
