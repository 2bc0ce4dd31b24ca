//! Timeline entries: what happened, when, and which milestone it marks.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use std::fmt;

/// Stable identity of a timeline entry. Chosen once when the entry is
/// created; concurrent inserts are told apart by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(String);

impl EntryId {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() || s.len() > 64 {
            return Err("an entry id must be 1 to 64 characters".into());
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which milestone a timeline entry marks, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    FailureStarts,
    Detected,
    RepairStarts,
    Fixed,
    Event,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        EntryKind::FailureStarts,
        EntryKind::Detected,
        EntryKind::RepairStarts,
        EntryKind::Fixed,
        EntryKind::Event,
    ];
    pub const MILESTONES: [EntryKind; 4] = [
        EntryKind::FailureStarts,
        EntryKind::Detected,
        EntryKind::RepairStarts,
        EntryKind::Fixed,
    ];

    /// The stable name used in documents and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::FailureStarts => "failure_starts",
            EntryKind::Detected => "detected",
            EntryKind::RepairStarts => "repair_starts",
            EntryKind::Fixed => "fixed",
            EntryKind::Event => "event",
        }
    }

    /// How a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::FailureStarts => "Failure starts",
            EntryKind::Detected => "Detected",
            EntryKind::RepairStarts => "Repair starts",
            EntryKind::Fixed => "Fixed",
            EntryKind::Event => "Event",
        }
    }

    pub fn is_milestone(self) -> bool {
        self != EntryKind::Event
    }

    /// Accepts Hindsight's own names and the shared fixtures' names
    /// (`failure_start`, `repair_started`, `other`).
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "failure_starts" | "failure_start" => Ok(EntryKind::FailureStarts),
            "detected" => Ok(EntryKind::Detected),
            "repair_starts" | "repair_started" => Ok(EntryKind::RepairStarts),
            "fixed" => Ok(EntryKind::Fixed),
            "event" | "other" => Ok(EntryKind::Event),
            other => Err(format!(
                "unknown entry kind {other:?}; expected one of failure_starts, detected, repair_starts, fixed, event"
            )),
        }
    }
}

/// A UTC offset such as `+00:00` or `-07:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UtcOffset(FixedOffset);

impl UtcOffset {
    pub const UTC: UtcOffset = UtcOffset(match FixedOffset::east_opt(0) {
        Some(o) => o,
        None => unreachable!(),
    });

    pub fn from_minutes(minutes: i32) -> Result<Self, MomentError> {
        if minutes.abs() > 18 * 60 {
            return Err(MomentError::OffsetOutOfRange(minutes));
        }
        FixedOffset::east_opt(minutes * 60)
            .map(UtcOffset)
            .ok_or(MomentError::OffsetOutOfRange(minutes))
    }

    /// Parses `Z`, `UTC`, `+HH:MM`, `-HH:MM`, `+HHMM` or `+HH`.
    pub fn parse(s: &str) -> Result<Self, MomentError> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
            return Ok(Self::UTC);
        }
        let t = t
            .strip_prefix("UTC")
            .or_else(|| t.strip_prefix("utc"))
            .unwrap_or(t);
        let bad = || MomentError::BadOffset(s.to_string());
        let (sign, rest) = match t.as_bytes().first() {
            Some(b'+') => (1, &t[1..]),
            Some(b'-') => (-1, &t[1..]),
            _ => return Err(bad()),
        };
        let (h, m) = match rest.split_once(':') {
            Some((h, m)) => (h, m),
            None if rest.len() == 4 => (&rest[..2], &rest[2..]),
            None if rest.len() <= 2 => (rest, "0"),
            None => return Err(bad()),
        };
        let digits = |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return Err(bad());
        }
        let h: i32 = h.parse().map_err(|_| bad())?;
        let m: i32 = m.parse().map_err(|_| bad())?;
        if !(0..60).contains(&m) {
            return Err(bad());
        }
        Self::from_minutes(sign * (h * 60 + m))
    }

    pub fn minutes(self) -> i32 {
        self.0.local_minus_utc() / 60
    }

    pub fn fixed(self) -> FixedOffset {
        self.0
    }
}

impl fmt::Display for UtcOffset {
    /// `UTC` for zero, otherwise `UTC+05:30` style.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.minutes();
        if m == 0 {
            return f.write_str("UTC");
        }
        let sign = if m < 0 { '-' } else { '+' };
        write!(f, "UTC{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MomentError {
    #[error("{0:?} is not a time with a UTC offset (expected RFC 3339, e.g. 2017-01-31T23:27:00+00:00)")]
    NotRfc3339(String),
    #[error("{0:?} is not a date and time (expected YYYY-MM-DDTHH:MM)")]
    BadLocal(String),
    #[error("{0:?} is not a UTC offset (expected e.g. +00:00 or -07:00)")]
    BadOffset(String),
    #[error("a UTC offset of {0} minutes is out of range (at most ±18 hours)")]
    OffsetOutOfRange(i32),
}

/// An instant, together with the UTC offset it was entered in, so it can be
/// shown in the incident's own zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Moment(DateTime<FixedOffset>);

impl Moment {
    /// Parses RFC 3339 with an explicit offset (`Z` counts as `+00:00`).
    pub fn parse(s: &str) -> Result<Self, MomentError> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(Moment)
            .map_err(|_| MomentError::NotRfc3339(s.to_string()))
    }

    /// A wall-clock reading (`YYYY-MM-DDTHH:MM` or with `:SS`) in a zone of
    /// the given offset.
    pub fn from_local(local: &str, offset: UtcOffset) -> Result<Self, MomentError> {
        let t = local.trim();
        let naive = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
            .map_err(|_| MomentError::BadLocal(local.to_string()))?;
        naive
            .and_local_timezone(offset.fixed())
            .single()
            .map(Moment)
            .ok_or_else(|| MomentError::BadLocal(local.to_string()))
    }

    pub fn from_utc(utc: DateTime<Utc>, offset: UtcOffset) -> Self {
        Moment(utc.with_timezone(&offset.fixed()))
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    pub fn offset(&self) -> UtcOffset {
        UtcOffset(*self.0.offset())
    }

    /// The same instant read in another offset.
    pub fn in_offset(&self, offset: UtcOffset) -> Moment {
        Moment(self.0.with_timezone(&offset.fixed()))
    }

    /// RFC 3339 in the offset it was entered in, e.g. `2017-01-31T23:27:00+00:00`.
    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
    }

    /// Wall-clock reading for a `datetime-local` input: `YYYY-MM-DDTHH:MM`
    /// (with `:SS` when the seconds are not zero).
    pub fn local_input_value(&self) -> String {
        if self.0.format("%S").to_string() == "00" {
            self.0.format("%Y-%m-%dT%H:%M").to_string()
        } else {
            self.0.format("%Y-%m-%dT%H:%M:%S").to_string()
        }
    }

    /// Human reading, e.g. `2017-01-31 23:27 UTC` or `2016-04-11 18:14 UTC-07:00`.
    pub fn display(&self) -> String {
        let secs = if self.0.format("%S").to_string() == "00" {
            self.0.format("%Y-%m-%d %H:%M")
        } else {
            self.0.format("%Y-%m-%d %H:%M:%S")
        };
        format!("{secs} {}", self.offset())
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    pub fn seconds_until(&self, later: &Moment) -> i64 {
        (later.0 - self.0).num_seconds()
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Moment {
    /// Ordered by instant; equal instants in different offsets are ordered by
    /// offset so that the order is total and stable.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.utc()
            .cmp(&other.utc())
            .then(self.offset().minutes().cmp(&other.offset().minutes()))
    }
}

/// One line of the incident timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub id: EntryId,
    /// `None` when the stored time could not be read; the raw text is kept in
    /// `at_raw` and the entry is left out of the metrics.
    pub at: Option<Moment>,
    pub at_raw: String,
    pub kind: EntryKind,
    pub text: String,
    pub evidence: Option<String>,
    /// The source gives the time only roughly.
    pub approximate: bool,
}

impl TimelineEntry {
    pub fn new(id: EntryId, at: Moment, kind: EntryKind, text: impl Into<String>) -> Self {
        Self {
            id,
            at_raw: at.to_rfc3339(),
            at: Some(at),
            kind,
            text: text.into(),
            evidence: None,
            approximate: false,
        }
    }
}

/// An evidence link must be a web link: `http://` or `https://` (any case).
pub fn is_web_link(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).is_some_and(|rest| !rest.is_empty())
}

/// Entries in time order for display: by instant, then milestone order (so
/// that "failure starts" comes before "detected" at the same minute), then id.
/// Entries whose time cannot be read come last.
pub fn sort_for_display(entries: &mut [TimelineEntry]) {
    entries.sort_by(|a, b| match (&a.at, &b.at) {
        (Some(x), Some(y)) => x
            .utc()
            .cmp(&y.utc())
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets() {
        assert_eq!(UtcOffset::parse("+00:00").unwrap().minutes(), 0);
        assert_eq!(UtcOffset::parse("-07:00").unwrap().minutes(), -420);
        assert_eq!(UtcOffset::parse("+0530").unwrap().minutes(), 330);
        assert_eq!(UtcOffset::parse("UTC-08:00").unwrap().minutes(), -480);
        assert_eq!(UtcOffset::parse("Z").unwrap(), UtcOffset::UTC);
        assert!(UtcOffset::parse("7").is_err());
        assert!(UtcOffset::parse("+25:00").is_err());
        assert!(UtcOffset::parse("+01:75").is_err());
        for bad in ["+-05:30", "+-5", "+05:+30", "+ 5", "+", "+05:"] {
            assert!(UtcOffset::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(UtcOffset::parse("-07:00").unwrap().to_string(), "UTC-07:00");
    }

    #[test]
    fn moment_keeps_its_offset_and_orders_by_instant() {
        let pacific = Moment::parse("2016-04-11T18:14:00-07:00").unwrap();
        let utc = Moment::parse("2016-04-12T02:00:00Z").unwrap();
        assert_eq!(pacific.to_rfc3339(), "2016-04-11T18:14:00-07:00");
        assert_eq!(pacific.offset().minutes(), -420);
        assert!(pacific < utc);
        assert_eq!(pacific.seconds_until(&utc), 46 * 60);
        assert_eq!(pacific.display(), "2016-04-11 18:14 UTC-07:00");
        assert_eq!(
            pacific.in_offset(UtcOffset::UTC).display(),
            "2016-04-12 01:14 UTC"
        );
    }

    #[test]
    fn local_readings_across_midnight() {
        let off = UtcOffset::parse("-08:00").unwrap();
        let m = Moment::from_local("2017-02-28T21:37", off).unwrap();
        assert_eq!(m.utc().to_rfc3339(), "2017-03-01T05:37:00+00:00");
        assert_eq!(m.local_input_value(), "2017-02-28T21:37");
        assert!(Moment::from_local("yesterday", off).is_err());
        assert!(Moment::parse("2017-02-28 21:37").is_err());
    }

    #[test]
    fn kinds_round_trip_and_accept_fixture_names() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()).unwrap(), k);
        }
        assert_eq!(EntryKind::parse("repair_started").unwrap(), EntryKind::RepairStarts);
        assert_eq!(EntryKind::parse("other").unwrap(), EntryKind::Event);
        assert!(EntryKind::parse("root_cause").is_err());
    }
}
