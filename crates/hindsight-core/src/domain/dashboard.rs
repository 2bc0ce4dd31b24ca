//! Measuring across incidents: which incidents count (window and filters),
//! the statistics of each span over them, and the trend per month or quarter.

use super::metrics::{measure, IncidentMetrics, Span};
use super::postmortem::{Postmortem, PostmortemId, Severity};
use super::stats::{summarize, Summary};
use super::timeline::EntryKind;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// One incident, measured once, as the dashboard needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRow {
    pub id: PostmortemId,
    pub title: String,
    pub severity: Severity,
    pub tags: Vec<String>,
    pub services: Vec<String>,
    /// See [`Postmortem::incident_start`].
    pub start: DateTime<Utc>,
    pub metrics: IncidentMetrics,
}

impl IncidentRow {
    pub fn of(p: &Postmortem) -> Self {
        Self {
            id: p.id.clone(),
            title: p.display_title().to_string(),
            severity: p.severity,
            tags: p.tags.clone(),
            services: p.services.clone(),
            start: p.incident_start(),
            metrics: measure(&p.timeline),
        }
    }
}

/// Which incidents, in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window {
    All,
    /// The N most recent incidents (after the filters).
    LastIncidents(usize),
    /// Incidents that started in the last N days before `now`.
    LastDays(u32),
    /// Incidents that started on these UTC dates, both included.
    Range { from: NaiveDate, to: NaiveDate },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub window: Window,
    /// Empty: every severity.
    pub severities: Vec<Severity>,
    pub tag: Option<String>,
    pub service: Option<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Self { window: Window::All, severities: vec![], tag: None, service: None }
    }
}

/// An incident left out of a span's statistics, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub id: PostmortemId,
    pub title: String,
    pub missing: Vec<EntryKind>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpanStats {
    pub span: Span,
    /// In minutes; `None` when no incident has this span.
    pub summary: Option<Summary>,
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// Indices into the rows given, most recent first.
    pub incidents: Vec<usize>,
    pub spans: Vec<SpanStats>,
}

/// The incidents the filter selects, most recent first.
pub fn select(rows: &[IncidentRow], filter: &Filter, now: DateTime<Utc>) -> Vec<usize> {
    let mut picked: Vec<usize> = (0..rows.len())
        .filter(|&i| {
            let r = &rows[i];
            (filter.severities.is_empty() || filter.severities.contains(&r.severity))
                && filter.tag.as_ref().is_none_or(|t| r.tags.iter().any(|x| x == t))
                && filter.service.as_ref().is_none_or(|s| r.services.iter().any(|x| x == s))
        })
        .filter(|&i| match &filter.window {
            Window::LastDays(d) => rows[i].start >= now - Duration::days(i64::from(*d)) && rows[i].start <= now,
            Window::Range { from, to } => {
                let day = rows[i].start.date_naive();
                day >= *from && day <= *to
            }
            Window::All | Window::LastIncidents(_) => true,
        })
        .collect();
    picked.sort_by(|&a, &b| rows[b].start.cmp(&rows[a].start).then(rows[a].id.cmp(&rows[b].id)));
    if let Window::LastIncidents(n) = filter.window {
        picked.truncate(n);
    }
    picked
}

fn span_stats(rows: &[IncidentRow], picked: &[usize], span: Span) -> SpanStats {
    let mut values = Vec::with_capacity(picked.len());
    let mut left_out = vec![];
    for &i in picked {
        let r = &rows[i];
        match r.metrics.span(span) {
            v @ super::metrics::SpanValue::Measured { .. } => values.push(v.minutes().unwrap_or_default()),
            super::metrics::SpanValue::NotMeasurable { missing } => left_out.push(LeftOut {
                id: r.id.clone(),
                title: r.title.clone(),
                missing: missing.clone(),
            }),
        }
    }
    SpanStats { span, summary: summarize(&values), left_out }
}

pub fn dashboard(rows: &[IncidentRow], filter: &Filter, now: DateTime<Utc>) -> Dashboard {
    let incidents = select(rows, filter, now);
    let spans = Span::ALL.into_iter().map(|s| span_stats(rows, &incidents, s)).collect();
    Dashboard { incidents, spans }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Quarter,
}

/// At most this many periods are drawn (the most recent ones).
pub const MAX_PERIODS: usize = 120;

#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// `2024-03` or `2024 Q1`.
    pub label: String,
    pub start: NaiveDate,
    /// In minutes; `None` for a period with no measurable incident.
    pub summary: Option<Summary>,
}

fn period_start(d: NaiveDate, period: Period) -> NaiveDate {
    let month = match period {
        Period::Month => d.month(),
        Period::Quarter => (d.month() - 1) / 3 * 3 + 1,
    };
    NaiveDate::from_ymd_opt(d.year(), month, 1).expect("first of a month exists")
}

fn next_period(d: NaiveDate, period: Period) -> NaiveDate {
    let step = if period == Period::Month { 1 } else { 3 };
    d.checked_add_months(chrono::Months::new(step)).unwrap_or(NaiveDate::MAX)
}

fn label(d: NaiveDate, period: Period) -> String {
    match period {
        Period::Month => format!("{}-{:02}", d.year(), d.month()),
        Period::Quarter => format!("{} Q{}", d.year(), (d.month() - 1) / 3 + 1),
    }
}

/// The span's statistics per period, from the earliest to the latest
/// selected incident, empty periods included.
pub fn trend(rows: &[IncidentRow], picked: &[usize], span: Span, period: Period) -> Vec<TrendPoint> {
    let Some(first) = picked.iter().map(|&i| rows[i].start.date_naive()).min() else { return vec![] };
    let last = picked.iter().map(|&i| rows[i].start.date_naive()).max().unwrap_or(first);
    let mut starts = vec![];
    let mut d = period_start(first, period);
    while d <= last {
        starts.push(d);
        d = next_period(d, period);
        if d == NaiveDate::MAX {
            break;
        }
    }
    if starts.len() > MAX_PERIODS {
        starts.drain(..starts.len() - MAX_PERIODS);
    }
    let mut buckets: Vec<Vec<f64>> = vec![vec![]; starts.len()];
    for &i in picked {
        let ps = period_start(rows[i].start.date_naive(), period);
        if let Ok(k) = starts.binary_search(&ps) {
            if let Some(m) = rows[i].metrics.span(span).minutes() {
                buckets[k].push(m);
            }
        }
    }
    starts
        .into_iter()
        .zip(buckets)
        .map(|(start, values)| TrendPoint { label: label(start, period), start, summary: summarize(&values) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EntryId, Moment, TimelineEntry};
    use chrono::TimeZone;

    fn row(id: &str, start: &str, sev: Severity, tags: &[&str], spans: [Option<i64>; 3]) -> IncidentRow {
        // Build a real timeline whose spans are the given minutes.
        let t0 = Moment::parse(start).unwrap();
        let mut entries = vec![TimelineEntry::new(EntryId::parse("f").unwrap(), t0, EntryKind::FailureStarts, "")];
        let mut at = t0.utc();
        for (k, (kind, minutes)) in [EntryKind::Detected, EntryKind::RepairStarts, EntryKind::Fixed]
            .into_iter()
            .zip(spans)
            .enumerate()
        {
            if let Some(m) = minutes {
                at += Duration::minutes(m);
                entries.push(TimelineEntry::new(
                    EntryId::parse(&format!("e{k}")).unwrap(),
                    Moment::from_utc(at, t0.offset()),
                    kind,
                    "",
                ));
            }
        }
        IncidentRow {
            id: PostmortemId::parse(id).unwrap(),
            title: id.into(),
            severity: sev,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            services: vec![],
            start: t0.utc(),
            metrics: measure(&entries),
        }
    }

    fn rows() -> Vec<IncidentRow> {
        vec![
            row("a", "2024-01-10T10:00:00Z", Severity::Sev1, &["db"], [Some(1), Some(9), Some(56)]),
            row("b", "2024-02-20T10:00:00Z", Severity::Sev2, &[], [Some(3), Some(17), Some(7)]),
            row("c", "2024-02-25T10:00:00Z", Severity::Sev1, &["db"], [Some(216), None, None]),
            row("d", "2024-05-01T10:00:00Z", Severity::Sev3, &["deploy"], [Some(0), Some(69), Some(1058)]),
        ]
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 15, 0, 0, 0).unwrap()
    }

    #[test]
    fn all_incidents_means_medians_and_left_out() {
        let r = rows();
        let d = dashboard(&r, &Filter::default(), now());
        assert_eq!(d.incidents, vec![3, 2, 1, 0]);
        let ttd = d.spans[0].summary.unwrap();
        assert_eq!((ttd.n, ttd.mean, ttd.median), (4, 55.0, 2.0));
        let ttr = &d.spans[1];
        assert_eq!(ttr.summary.unwrap().n, 3);
        assert_eq!(ttr.summary.unwrap().mean, (9.0 + 17.0 + 69.0) / 3.0);
        assert_eq!(ttr.left_out.len(), 1);
        assert_eq!(ttr.left_out[0].missing, vec![EntryKind::RepairStarts]);
    }

    #[test]
    fn windows_and_filters_select_incidents() {
        let r = rows();
        let last2 = Filter { window: Window::LastIncidents(2), ..Filter::default() };
        assert_eq!(select(&r, &last2, now()), vec![3, 2]);
        let days = Filter { window: Window::LastDays(90), ..Filter::default() };
        assert_eq!(select(&r, &days, now()), vec![3, 2, 1]);
        let range = Filter {
            window: Window::Range { from: NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(), to: NaiveDate::from_ymd_opt(2024, 2, 20).unwrap() },
            ..Filter::default()
        };
        assert_eq!(select(&r, &range, now()), vec![1]);
        let sev1 = Filter { severities: vec![Severity::Sev1], ..Filter::default() };
        assert_eq!(select(&r, &sev1, now()), vec![2, 0]);
        let tag = Filter { tag: Some("db".into()), window: Window::LastIncidents(1), ..Filter::default() };
        assert_eq!(select(&r, &tag, now()), vec![2]);
        let none = Filter { service: Some("search".into()), ..Filter::default() };
        let d = dashboard(&r, &none, now());
        assert!(d.incidents.is_empty());
        assert!(d.spans.iter().all(|s| s.summary.is_none()));
    }

    #[test]
    fn trend_per_month_and_quarter_with_empty_periods() {
        let r = rows();
        let all = select(&r, &Filter::default(), now());
        let months = trend(&r, &all, Span::Ttd, Period::Month);
        let labels: Vec<_> = months.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]);
        assert_eq!(months[1].summary.unwrap().median, (3.0 + 216.0) / 2.0);
        assert!(months[2].summary.is_none());
        let quarters = trend(&r, &all, Span::Ttf, Period::Quarter);
        assert_eq!(quarters.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["2024 Q1", "2024 Q2"]);
        assert_eq!(quarters[0].summary.unwrap().n, 2);
        assert!(trend(&r, &[], Span::Ttd, Period::Month).is_empty());
    }

    #[test]
    fn a_very_long_history_is_capped() {
        let r = vec![
            row("old", "1990-01-01T00:00:00Z", Severity::Sev1, &[], [Some(1), None, None]),
            row("new", "2024-01-01T00:00:00Z", Severity::Sev1, &[], [Some(2), None, None]),
        ];
        let t = trend(&r, &[0, 1], Span::Ttd, Period::Month);
        assert_eq!(t.len(), MAX_PERIODS);
        assert_eq!(t.last().unwrap().label, "2024-01");
    }
}
