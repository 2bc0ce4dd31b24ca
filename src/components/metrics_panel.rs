//! TTD, TTR, TTF and total impact of this incident, each saying what it
//! measures from and to. Values are machine-readable: `data-metric`,
//! `data-minutes` (empty when not measurable), `data-warning`.

use super::zone::DisplayZone;
use crate::repo;
use hindsight_core::domain::settings::DurationStyle;
use hindsight_core::domain::{measure, metrics::format_duration, Postmortem, Span, SpanValue, SpanWarning};
use leptos::prelude::*;
use std::sync::Arc;

fn minutes_attr(v: &SpanValue) -> String {
    match v.seconds() {
        Some(s) if s % 60 == 0 => (s / 60).to_string(),
        Some(s) => format!("{:.2}", s as f64 / 60.0),
        None => String::new(),
    }
}

#[component]
pub fn MetricsPanel(pm: Memo<Option<Arc<Postmortem>>>, display: RwSignal<DisplayZone>) -> impl IntoView {
    let metrics = Memo::new(move |_| pm.get().map(|p| measure(&p.timeline)));
    let settings = repo::signals().settings;
    let cards = move || {
        let Some(m) = metrics.get() else { return vec![] };
        let zone = display.get();
        let settings = settings.get();
        Span::ALL
            .into_iter()
            .map(|span| {
                let v = m.span(span).clone();
                let (from, to) = span.bounds();
                let at = |k| m.milestone(k).map(|p| format!(" ({})", zone.show(&p.at))).unwrap_or_default();
                let warning = match &v {
                    SpanValue::Measured { warning: Some(SpanWarning::Negative), .. } => "negative",
                    SpanValue::Measured { warning: Some(SpanWarning::Zero), .. } => "zero",
                    _ => "",
                };
                let shown = match (v.seconds(), settings.durations, m.milestone(from), m.milestone(to)) {
                    (Some(_), DurationStyle::Absolute, Some(a), Some(b)) => format!("{} → {}", zone.show(&a.at), zone.show(&b.at)),
                    (Some(s), _, _, _) => format_duration(s),
                    (None, _, _, _) => "not measurable".into(),
                };
                let label = settings.label(span).clone();
                view! {
                    <div class="metric" class:warn=!warning.is_empty() class:missing=v.seconds().is_none()
                        data-testid="metric" data-metric=span.key() data-minutes=minutes_attr(&v)
                        data-seconds=v.seconds().map(|s| s.to_string()).unwrap_or_default()
                        data-warning=warning>
                        <div class="metric-name"><abbr title=label.name.clone()>{label.short.clone()}</abbr>" · "{label.name.clone()}</div>
                        <div class="metric-value">{shown}</div>
                        <div class="metric-bounds">
                            {format!("from \u{201c}{}\u{201d}{} to \u{201c}{}\u{201d}{}", from.label(), at(from), to.label(), at(to))}
                        </div>
                        {v.explanation(span).map(|e| view! {
                            <div class="metric-note" role=if warning.is_empty() { "note" } else { "alert" }>
                                {(!warning.is_empty()).then_some("⚠ ")}{e}
                            </div>
                        })}
                    </div>
                }
            })
            .collect_view()
    };
    let notes = move || metrics.get().map(|m| m.multiple_entry_notes()).unwrap_or_default();
    view! {
        <section class="panel metrics-panel" aria-labelledby="metrics-h">
            <h2 id="metrics-h">"Measurements"</h2>
            <p class="hint">"Spans between the milestones marked in the timeline: failure starts → detected → repair starts → fixed."</p>
            <div class="metrics">{cards}</div>
            <ul class="metric-notes" data-testid="metric-notes">
                {move || notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        </section>
    }
}
