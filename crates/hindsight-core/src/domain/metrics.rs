//! Per-incident spans between the four milestones:
//! failure starts -> detected (TTD) -> repair starts (TTR) -> fixed (TTF),
//! and the whole impact (failure starts -> fixed).
//!
//! Rules:
//! - A missing milestone makes a span "not measurable", with the reason;
//!   never 0.
//! - A zero or negative span is reported as it is, with a warning.
//! - With several entries of one milestone kind, the earliest counts for
//!   failure starts, detected and repair starts, and the latest for fixed
//!   (impact ends when the last fix lands).
//! - Entries whose time cannot be read are left out.

use super::timeline::{EntryId, EntryKind, Moment, TimelineEntry};

/// One of the measured spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Ttd,
    Ttr,
    Ttf,
    Impact,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Ttd, Span::Ttr, Span::Ttf, Span::Impact];

    pub fn key(self) -> &'static str {
        match self {
            Span::Ttd => "ttd",
            Span::Ttr => "ttr",
            Span::Ttf => "ttf",
            Span::Impact => "impact",
        }
    }
    pub fn short(self) -> &'static str {
        match self {
            Span::Ttd => "TTD",
            Span::Ttr => "TTR",
            Span::Ttf => "TTF",
            Span::Impact => "Impact",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Span::Ttd => "Time to detect",
            Span::Ttr => "Time to start repair",
            Span::Ttf => "Time to fix",
            Span::Impact => "Total impact",
        }
    }
    /// The milestones the span is measured from and to.
    pub fn bounds(self) -> (EntryKind, EntryKind) {
        match self {
            Span::Ttd => (EntryKind::FailureStarts, EntryKind::Detected),
            Span::Ttr => (EntryKind::Detected, EntryKind::RepairStarts),
            Span::Ttf => (EntryKind::RepairStarts, EntryKind::Fixed),
            Span::Impact => (EntryKind::FailureStarts, EntryKind::Fixed),
        }
    }
}

/// Why a measured span deserves a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanWarning {
    /// Both milestones are at the same moment.
    Zero,
    /// The "to" milestone is before the "from" milestone.
    Negative,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanValue {
    Measured {
        seconds: i64,
        warning: Option<SpanWarning>,
    },
    /// One or both milestones are missing from the timeline.
    NotMeasurable { missing: Vec<EntryKind> },
}

impl SpanValue {
    pub fn seconds(&self) -> Option<i64> {
        match self {
            SpanValue::Measured { seconds, .. } => Some(*seconds),
            SpanValue::NotMeasurable { .. } => None,
        }
    }

    /// Minutes, possibly fractional.
    pub fn minutes(&self) -> Option<f64> {
        self.seconds().map(|s| s as f64 / 60.0)
    }

    /// A sentence saying why there is no value, or what the warning means.
    pub fn explanation(&self, span: Span) -> Option<String> {
        let (from, to) = span.bounds();
        match self {
            SpanValue::NotMeasurable { missing } => {
                let names: Vec<_> = missing.iter().map(|k| format!("\"{}\"", k.label())).collect();
                Some(format!(
                    "Not measurable: the timeline has no {} entry.",
                    names.join(" or ")
                ))
            }
            SpanValue::Measured { warning: Some(SpanWarning::Negative), .. } => Some(format!(
                "Negative: \"{}\" is before \"{}\". Check the timeline; detection before the stated start can be real.",
                to.label(),
                from.label()
            )),
            SpanValue::Measured { warning: Some(SpanWarning::Zero), .. } => Some(format!(
                "Zero: \"{}\" and \"{}\" are at the same moment.",
                from.label(),
                to.label()
            )),
            SpanValue::Measured { warning: None, .. } => None,
        }
    }
}

/// The entry chosen for a milestone, and how many candidates there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestonePick {
    pub kind: EntryKind,
    pub entry: EntryId,
    pub at: Moment,
    pub candidates: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentMetrics {
    pub failure_starts: Option<MilestonePick>,
    pub detected: Option<MilestonePick>,
    pub repair_starts: Option<MilestonePick>,
    pub fixed: Option<MilestonePick>,
    pub ttd: SpanValue,
    pub ttr: SpanValue,
    pub ttf: SpanValue,
    pub impact: SpanValue,
}

impl IncidentMetrics {
    pub fn span(&self, span: Span) -> &SpanValue {
        match span {
            Span::Ttd => &self.ttd,
            Span::Ttr => &self.ttr,
            Span::Ttf => &self.ttf,
            Span::Impact => &self.impact,
        }
    }

    pub fn milestone(&self, kind: EntryKind) -> Option<&MilestonePick> {
        match kind {
            EntryKind::FailureStarts => self.failure_starts.as_ref(),
            EntryKind::Detected => self.detected.as_ref(),
            EntryKind::RepairStarts => self.repair_starts.as_ref(),
            EntryKind::Fixed => self.fixed.as_ref(),
            EntryKind::Event => None,
        }
    }

    /// Sentences about milestones that had several candidate entries.
    pub fn multiple_entry_notes(&self) -> Vec<String> {
        EntryKind::MILESTONES
            .into_iter()
            .filter_map(|k| self.milestone(k))
            .filter(|p| p.candidates > 1)
            .map(|p| {
                let rule = if p.kind == EntryKind::Fixed { "latest" } else { "earliest" };
                format!(
                    "{} entries are marked \"{}\"; the {rule} ({}) is used.",
                    p.candidates,
                    p.kind.label(),
                    p.at.display()
                )
            })
            .collect()
    }
}

fn pick(timeline: &[TimelineEntry], kind: EntryKind) -> Option<MilestonePick> {
    let mut candidates = timeline
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| e.at.map(|at| (at, &e.id)));
    let first = candidates.next()?;
    let mut count = 1;
    let best = candidates.fold(first, |best, c| {
        count += 1;
        let later_wins = kind == EntryKind::Fixed;
        let better = if later_wins {
            (c.0.utc(), c.1) > (best.0.utc(), best.1)
        } else {
            (c.0.utc(), c.1) < (best.0.utc(), best.1)
        };
        if better {
            c
        } else {
            best
        }
    });
    Some(MilestonePick {
        kind,
        entry: best.1.clone(),
        at: best.0,
        candidates: count,
    })
}

fn span_between(from: &Option<MilestonePick>, to: &Option<MilestonePick>, span: Span) -> SpanValue {
    match (from, to) {
        (Some(a), Some(b)) => {
            let seconds = a.at.seconds_until(&b.at);
            let warning = match seconds {
                s if s < 0 => Some(SpanWarning::Negative),
                0 => Some(SpanWarning::Zero),
                _ => None,
            };
            SpanValue::Measured { seconds, warning }
        }
        _ => {
            let (f, t) = span.bounds();
            let mut missing = vec![];
            if from.is_none() {
                missing.push(f);
            }
            if to.is_none() {
                missing.push(t);
            }
            SpanValue::NotMeasurable { missing }
        }
    }
}

/// Computes the incident's milestones and spans from its timeline.
pub fn measure(timeline: &[TimelineEntry]) -> IncidentMetrics {
    let failure_starts = pick(timeline, EntryKind::FailureStarts);
    let detected = pick(timeline, EntryKind::Detected);
    let repair_starts = pick(timeline, EntryKind::RepairStarts);
    let fixed = pick(timeline, EntryKind::Fixed);
    IncidentMetrics {
        ttd: span_between(&failure_starts, &detected, Span::Ttd),
        ttr: span_between(&detected, &repair_starts, Span::Ttr),
        ttf: span_between(&repair_starts, &fixed, Span::Ttf),
        impact: span_between(&failure_starts, &fixed, Span::Impact),
        failure_starts,
        detected,
        repair_starts,
        fixed,
    }
}

/// `1 h 13 min`, `56 min`, `-3 min`, `2 d 4 h`, `45 s`.
pub fn format_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    let body = if d > 0 {
        if h > 0 { format!("{d} d {h} h") } else { format!("{d} d") }
    } else if h > 0 {
        if m > 0 { format!("{h} h {m} min") } else { format!("{h} h") }
    } else if m > 0 {
        if sec > 0 { format!("{m} min {sec} s") } else { format!("{m} min") }
    } else {
        format!("{sec} s")
    };
    if s == 0 {
        "0 min".into()
    } else {
        format!("{sign}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::timeline::EntryId;

    fn entry(id: &str, at: &str, kind: EntryKind) -> TimelineEntry {
        TimelineEntry::new(EntryId::parse(id).unwrap(), Moment::parse(at).unwrap(), kind, id)
    }

    #[test]
    fn all_four_milestones() {
        let t = vec![
            entry("a", "2015-10-21T14:54:00Z", EntryKind::FailureStarts),
            entry("b", "2015-10-21T14:55:00Z", EntryKind::Detected),
            entry("c", "2015-10-21T15:04:00Z", EntryKind::RepairStarts),
            entry("d", "2015-10-21T16:00:00Z", EntryKind::Fixed),
        ];
        let m = measure(&t);
        assert_eq!(m.ttd.minutes(), Some(1.0));
        assert_eq!(m.ttr.minutes(), Some(9.0));
        assert_eq!(m.ttf.minutes(), Some(56.0));
        assert_eq!(m.impact.minutes(), Some(66.0));
        assert!(m.multiple_entry_notes().is_empty());
    }

    #[test]
    fn missing_milestone_is_not_measurable_not_zero() {
        let t = vec![
            entry("a", "2017-02-28T09:37:00-08:00", EntryKind::FailureStarts),
            entry("d", "2017-02-28T13:54:00-08:00", EntryKind::Fixed),
        ];
        let m = measure(&t);
        assert_eq!(m.ttd, SpanValue::NotMeasurable { missing: vec![EntryKind::Detected] });
        assert_eq!(
            m.ttr,
            SpanValue::NotMeasurable { missing: vec![EntryKind::Detected, EntryKind::RepairStarts] }
        );
        assert_eq!(m.impact.minutes(), Some(257.0));
        let why = m.ttd.explanation(Span::Ttd).unwrap();
        assert!(why.contains("\"Detected\""), "{why}");
        assert_eq!(measure(&[]).impact, SpanValue::NotMeasurable {
            missing: vec![EntryKind::FailureStarts, EntryKind::Fixed]
        });
    }

    #[test]
    fn negative_and_zero_spans_are_kept_with_warnings() {
        let t = vec![
            entry("det", "2022-06-01T09:37:00Z", EntryKind::Detected),
            entry("fail", "2022-06-01T09:40:00Z", EntryKind::FailureStarts),
            entry("rep", "2022-06-01T09:37:00Z", EntryKind::RepairStarts),
        ];
        let m = measure(&t);
        assert_eq!(m.ttd, SpanValue::Measured { seconds: -180, warning: Some(SpanWarning::Negative) });
        assert_eq!(m.ttr, SpanValue::Measured { seconds: 0, warning: Some(SpanWarning::Zero) });
        assert!(m.ttd.explanation(Span::Ttd).unwrap().starts_with("Negative"));
    }

    #[test]
    fn several_entries_of_one_kind_earliest_start_latest_fix() {
        let t = vec![
            entry("f2", "2020-01-01T10:05:00Z", EntryKind::FailureStarts),
            entry("f1", "2020-01-01T10:00:00Z", EntryKind::FailureStarts),
            entry("x1", "2020-01-01T11:00:00Z", EntryKind::Fixed),
            entry("x2", "2020-01-01T12:00:00Z", EntryKind::Fixed),
        ];
        let m = measure(&t);
        assert_eq!(m.failure_starts.as_ref().unwrap().entry.as_str(), "f1");
        assert_eq!(m.fixed.as_ref().unwrap().entry.as_str(), "x2");
        assert_eq!(m.impact.minutes(), Some(120.0));
        let notes = m.multiple_entry_notes();
        assert_eq!(notes.len(), 2);
        assert!(notes[1].contains("latest"), "{notes:?}");
    }

    #[test]
    fn unreadable_times_are_left_out() {
        let mut bad = entry("bad", "2020-01-01T09:00:00Z", EntryKind::FailureStarts);
        bad.at = None;
        let t = vec![bad, entry("ok", "2020-01-01T10:00:00Z", EntryKind::FailureStarts)];
        let m = measure(&t);
        assert_eq!(m.failure_starts.unwrap().candidates, 1);
    }

    #[test]
    fn durations_read_like_a_person_writes_them() {
        assert_eq!(format_duration(0), "0 min");
        assert_eq!(format_duration(60), "1 min");
        assert_eq!(format_duration(-180), "-3 min");
        assert_eq!(format_duration(73 * 60), "1 h 13 min");
        assert_eq!(format_duration(1127 * 60), "18 h 47 min");
        assert_eq!(format_duration(2 * 86_400 + 4 * 3600 + 5), "2 d 4 h");
        assert_eq!(format_duration(45), "45 s");
        assert_eq!(format_duration(90), "1 min 30 s");
    }
}
