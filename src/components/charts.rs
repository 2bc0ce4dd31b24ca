//! The two SVG charts, drawn by hand (no chart crate: it would add more to
//! the bundle than these ~150 lines): the trend of a statistic per period,
//! and the per-incident strip of milestone segments. Both have a title, axes,
//! tooltips (`<title>`), colours from CSS variables (light and dark themes)
//! and a table view for screen readers.

use hindsight_core::domain::dashboard::{IncidentRow, TrendPoint};
use hindsight_core::domain::metrics::format_duration;
use hindsight_core::domain::stats::Summary;
use hindsight_core::domain::{settings::Settings, Span};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    Mean,
    Median,
    P90,
}

impl Statistic {
    pub fn pick(self, s: &Summary) -> f64 {
        match self {
            Statistic::Mean => s.mean,
            Statistic::Median => s.median,
            Statistic::P90 => s.p90,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Statistic::Mean => "mean",
            Statistic::Median => "median",
            Statistic::P90 => "p90",
        }
    }
}

pub fn minutes_text(m: f64) -> String {
    format_duration((m * 60.0).round() as i64)
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|c| *c >= v).unwrap_or(10.0 * p)
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

#[component]
pub fn TrendChart(points: Vec<TrendPoint>, stat: Statistic, #[prop(into)] title: String) -> impl IntoView {
    let values: Vec<Option<f64>> = points.iter().map(|p| p.summary.map(|s| stat.pick(&s))).collect();
    let lo = values.iter().flatten().fold(0f64, |a, b| a.min(*b));
    let hi = nice_max(values.iter().flatten().fold(0f64, |a, b| a.max(*b)));
    let lo = if lo < 0.0 { -nice_max(-lo) } else { 0.0 };
    let n = points.len().max(1) as f64;
    let x = move |i: usize| LEFT + (i as f64 + 0.5) * (W - LEFT - RIGHT) / n;
    let y = move |v: f64| TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM);
    let path: String = values
        .iter()
        .enumerate()
        .fold((String::new(), false), |(mut d, drawing), (i, v)| match v {
            Some(v) => {
                d += &format!("{}{:.1},{:.1} ", if drawing { "L" } else { "M" }, x(i), y(*v));
                (d, true)
            }
            None => (d, false),
        })
        .0;
    let mut ticks: Vec<f64> = (0..=4).map(|k| hi * k as f64 / 4.0).collect();
    if lo < 0.0 {
        ticks.insert(0, lo);
    }
    let label_every = points.len().div_ceil(8).max(1);
    let table_rows = points.clone();
    view! {
        <figure class="chart" data-testid="trend-chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone()>
                <title>{title.clone()}</title>
                {ticks.into_iter().map(|t| view! {
                    <g class="tick">
                        <line x1=LEFT x2=W - RIGHT y1=y(t) y2=y(t) class="grid" />
                        <text x=LEFT - 6.0 y=y(t) + 4.0 text-anchor="end">{minutes_text(t)}</text>
                    </g>
                }).collect_view()}
                <line x1=LEFT x2=LEFT y1=TOP y2=H - BOTTOM class="axis" />
                <line x1=LEFT x2=W - RIGHT y1=y(0.0) y2=y(0.0) class="axis" />
                <path d=path class="series" fill="none" />
                {points.iter().enumerate().map(|(i, p)| {
                    let label = (i % label_every == 0).then(|| view! {
                        <text x=x(i) y=H - BOTTOM + 16.0 text-anchor="middle" class="xlabel">{p.label.clone()}</text>
                    });
                    let dot = p.summary.map(|s| {
                        let v = stat.pick(&s);
                        view! {
                            <circle cx=x(i) cy=y(v) r="4" class="point" data-period=p.label.clone() data-minutes=format!("{v:.2}")>
                                <title>{format!("{}: {} {} over {} incident{}", p.label, stat.name(), minutes_text(v), s.n, if s.n == 1 { "" } else { "s" })}</title>
                            </circle>
                        }
                    });
                    view! { <g>{label}{dot}</g> }
                }).collect_view()}
            </svg>
            <details class="table-view">
                <summary>"Table view"</summary>
                <table>
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">"Period"</th><th scope="col">{stat.name()}</th><th scope="col">"n"</th></tr></thead>
                    <tbody>
                        {table_rows.into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{p.label}</th>
                                <td>{p.summary.map(|s| minutes_text(stat.pick(&s))).unwrap_or_else(|| "no incidents".into())}</td>
                                <td>{p.summary.map(|s| s.n).unwrap_or(0)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Each incident as a row of segments on one axis of minutes since its
/// failure started: detect | start repair | fix, the classic TTD|TTR|TTF diagram.
#[component]
pub fn IncidentStrip(rows: Vec<IncidentRow>, settings: Settings) -> impl IntoView {
    const ROW: f64 = 22.0;
    let label_w = 180.0;
    let spans = [Span::Ttd, Span::Ttr, Span::Ttf];
    // The end of each segment, in minutes since failure start.
    let ends = |r: &IncidentRow| -> Vec<Option<f64>> {
        let start = r.metrics.failure_starts.as_ref().map(|p| p.at);
        [&r.metrics.detected, &r.metrics.repair_starts, &r.metrics.fixed]
            .iter()
            .map(|m| Some(start?.seconds_until(&m.as_ref()?.at) as f64 / 60.0))
            .collect()
    };
    let max = nice_max(rows.iter().flat_map(|r| ends(r)).flatten().fold(0f64, f64::max));
    let h = TOP + ROW * rows.len() as f64 + BOTTOM;
    let x = move |m: f64| label_w + m.max(0.0) / max * (W - label_w - RIGHT);
    let title = format!(
        "Each incident from failure start: {} | {} | {}",
        settings.ttd.short, settings.ttr.short, settings.ttf.short
    );
    let table = rows.clone();
    let s2 = settings.clone();
    view! {
        <figure class="chart strip" data-testid="incident-strip">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {h}") role="img" aria-label=title.clone()>
                <title>{title.clone()}</title>
                {(0..=4).map(|k| {
                    let m = max * k as f64 / 4.0;
                    view! {
                        <line x1=x(m) x2=x(m) y1=TOP y2=h - BOTTOM class="grid" />
                        <text x=x(m) y=h - BOTTOM + 16.0 text-anchor=if k == 4 { "end" } else { "middle" } class="xlabel">{minutes_text(m)}</text>
                    }
                }).collect_view()}
                {rows.iter().enumerate().map(|(i, r)| {
                    let y = TOP + ROW * i as f64;
                    // Milestones in minutes since failure start: [0, detected, repair, fixed].
                    let mut pts: Vec<Option<f64>> = vec![r.metrics.failure_starts.as_ref().map(|_| 0.0)];
                    pts.extend(ends(r));
                    let known: Vec<usize> = (0..4).filter(|&k| pts[k].is_some()).collect();
                    let segs = known.windows(2).map(|w| {
                        let (a, b) = (pts[w[0]].unwrap_or(0.0), pts[w[1]].unwrap_or(0.0));
                        let (class, tip) = if w[1] == w[0] + 1 {
                            let span = spans[w[0]];
                            (format!("seg seg{}{}", w[0], if b < a { " negative" } else { "" }),
                             format!("{}: {} ({})", settings.label(span).short, minutes_text(b - a), r.title))
                        } else {
                            ("seg seg-unknown".to_string(),
                             format!("{} with no breakdown: a milestone in between is missing ({})", minutes_text(b - a), r.title))
                        };
                        view! {
                            <rect x=x(a.min(b)) y=y + 3.0 width=(x(b.max(a)) - x(a.min(b))).max(1.5) height=ROW - 6.0 class=class>
                                <title>{tip}</title>
                            </rect>
                        }
                    }).collect_view();
                    let name: String = r.title.chars().take(26).collect();
                    view! {
                        <g class="strip-row" data-id=r.id.to_string()>
                            <text x=label_w - 6.0 y=y + ROW / 2.0 + 4.0 text-anchor="end" class="ylabel">
                                {name}<title>{r.title.clone()}</title>
                            </text>
                            {segs}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <p class="legend">
                <span class="key seg0"></span>{s2.ttd.name.clone()}
                <span class="key seg1"></span>{s2.ttr.name.clone()}
                <span class="key seg2"></span>{s2.ttf.name.clone()}
                <span class="key seg-unknown"></span>"no breakdown (a milestone is missing)"
            </p>
            <details class="table-view">
                <summary>"Table view"</summary>
                <table>
                    <caption>{title}</caption>
                    <thead><tr>
                        <th scope="col">"Incident"</th>
                        {spans.iter().map(|s| view! { <th scope="col">{s2.label(*s).short.clone()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.title.clone()}</th>
                                {spans.iter().map(|s| view! {
                                    <td>{r.metrics.span(*s).minutes().map(minutes_text).unwrap_or_else(|| "not measurable".into())}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
