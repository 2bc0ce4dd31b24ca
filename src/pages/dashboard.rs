//! Measuring improvement across incidents: window and filters, mean /
//! median / p90 / n of each span, who was left out and why, the trend, and
//! the per-incident strip.

use crate::adapters::clock;
use crate::components::archive_tools::{download_archive, download_csv};
use crate::components::charts::{minutes_text, IncidentStrip, Statistic, TrendChart};
use crate::repo::{self, DocView};
use crate::route::Route;
use chrono::NaiveDate;
use hindsight_core::domain::dashboard::{dashboard, trend, Filter, IncidentRow, Period, Window};
use hindsight_core::domain::stats::SMALL_N;
use hindsight_core::domain::{Severity, Span};
use leptos::prelude::*;
use std::sync::Arc;

fn minutes_attr(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") }
}

/// Incidents shown in the strip, at most.
const STRIP_MAX: usize = 40;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let signals = repo::signals();
    let rows = Memo::new(move |_| {
        let perf = web_sys::window().and_then(|w| w.performance());
        if let Some(p) = &perf {
            let _ = p.mark("hindsight:rows:start");
        }
        let mut v: Vec<IncidentRow> = signals.docs.with(|m| {
            m.values()
                .filter_map(|d| match d {
                    DocView::Ready(p) => Some(IncidentRow::of(p)),
                    DocView::Failed(_) => None,
                })
                .collect()
        });
        v.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(p) = &perf {
            let _ = p.measure_with_start_mark("hindsight:rows", "hindsight:rows:start");
        }
        Arc::new(v)
    });
    let all_tags = Memo::new(move |_| {
        let mut t: Vec<String> = rows.get().iter().flat_map(|r| r.tags.clone()).collect();
        t.sort();
        t.dedup();
        t
    });
    let all_services = Memo::new(move |_| {
        let mut t: Vec<String> = rows.get().iter().flat_map(|r| r.services.clone()).collect();
        t.sort();
        t.dedup();
        t
    });

    // The window and filters.
    let window_kind = RwSignal::new("all".to_string());
    let last_n = RwSignal::new(10usize);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let severities = RwSignal::new(Vec::<Severity>::new());
    let tag = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let (range_error, set_range_error) = signal(None::<String>);
    let filter = Memo::new(move |_| {
        let window = match window_kind.get().as_str() {
            "last_n" => Window::LastIncidents(last_n.get().max(1)),
            "days30" => Window::LastDays(30),
            "days90" => Window::LastDays(90),
            "days365" => Window::LastDays(365),
            "range" => {
                let parse = |s: String| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
                match (parse(from.get()), parse(to.get())) {
                    (Some(f), Some(t)) if f <= t => {
                        set_range_error.set(None);
                        Window::Range { from: f, to: t }
                    }
                    (Some(_), Some(_)) => {
                        set_range_error.set(Some("The range ends before it starts.".into()));
                        Window::All
                    }
                    _ => {
                        set_range_error.set(Some("Choose both dates of the range; until then all incidents count.".into()));
                        Window::All
                    }
                }
            }
            _ => Window::All,
        };
        Filter {
            window,
            severities: severities.get(),
            tag: Some(tag.get()).filter(|t| !t.is_empty()),
            service: Some(service.get()).filter(|s| !s.is_empty()),
        }
    });
    let board = Memo::new(move |_| {
        let (rows, filter) = (rows.get(), filter.get());
        let perf = web_sys::window().and_then(|w| w.performance());
        // Marks for the benchmark (bench/): what computing the dashboard costs.
        if let Some(p) = &perf {
            let _ = p.mark("hindsight:dashboard:start");
        }
        let d = Arc::new(dashboard(&rows, &filter, clock::now()));
        if let Some(p) = &perf {
            let _ = p.measure_with_start_mark("hindsight:dashboard", "hindsight:dashboard:start");
        }
        d
    });

    // Trend controls.
    let trend_span = RwSignal::new(Span::Ttd);
    let trend_stat = RwSignal::new(Statistic::Median);
    let trend_period = RwSignal::new(Period::Month);

    let settings = signals.settings;
    let open_left_out = RwSignal::new(None::<Span>);
    let (error, set_error) = signal(None::<String>);

    let selected_rows = move || {
        let r = rows.get();
        board.get().incidents.iter().map(|&i| r[i].clone()).collect::<Vec<_>>()
    };

    let stats_rows = move || {
        let b = board.get();
        let s = settings.get();
        b.spans
            .iter()
            .map(|st| {
                let span = st.span;
                let label = s.label(span).clone();
                let (f, t) = span.bounds();
                let cell = |stat: &'static str, v: Option<f64>| {
                    view! {
                        <td data-span=span.key() data-stat=stat data-minutes=v.map(minutes_attr).unwrap_or_default()>
                            {v.map(minutes_text).unwrap_or_else(|| "—".into())}
                        </td>
                    }
                };
                let sum = st.summary;
                let n = sum.map(|x| x.n).unwrap_or(0);
                let left = st.left_out.clone();
                let left_count = left.len();
                let negative = sum.map(|x| x.negative).unwrap_or(0);
                view! {
                    <tr data-testid="stat-row" data-span=span.key()>
                        <th scope="row">
                            <div class="stat-name">{format!("{} · {}", label.short, label.name)}</div>
                            <div class="hint">{format!("from \u{201c}{}\u{201d} to \u{201c}{}\u{201d}; mean = {}", f.label(), t.label(), s.mean_name(span))}</div>
                            {(negative > 0).then(|| view! {
                                <div class="warn-text">{format!("⚠ includes {negative} negative span{} (end before start)", if negative == 1 { "" } else { "s" })}</div>
                            })}
                        </th>
                        {cell("mean", sum.map(|x| x.mean))}
                        {cell("median", sum.map(|x| x.median))}
                        {cell("p90", sum.map(|x| x.p90))}
                        <td data-span=span.key() data-stat="n" data-n=n.to_string()>
                            {n.to_string()}
                            {(n > 0 && n < SMALL_N).then(|| view! { <span class="warn-text" title="Too few incidents for these numbers to mean much">" ⚠ few"</span> })}
                        </td>
                        <td data-span=span.key() data-stat="left-out" data-n=left_count.to_string()>
                            {if left_count == 0 {
                                view! { <span>"0"</span> }.into_any()
                            } else {
                                view! {
                                    <button class="link" data-testid="left-out-toggle" aria-expanded=move || (open_left_out.get() == Some(span)).to_string()
                                        on:click=move |_| open_left_out.update(|o| *o = if *o == Some(span) { None } else { Some(span) })>
                                        {format!("{left_count} left out")}
                                    </button>
                                    <Show when=move || open_left_out.get() == Some(span)>
                                        <ul class="left-out" data-testid="left-out-list">
                                            {left.iter().map(|l| view! {
                                                <li>
                                                    <a href=Route::Postmortem(l.id.to_string()).href()>{l.title.clone()}</a>
                                                    {format!(": no {}", l.missing.iter().map(|k| format!("\u{201c}{}\u{201d}", k.label())).collect::<Vec<_>>().join(" or "))}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </Show>
                                }.into_any()
                            }}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    let toggle_sev = move |sev: Severity, on: bool| {
        severities.update(|v| {
            v.retain(|s| *s != sev);
            if on {
                v.push(sev);
            }
        })
    };

    view! {
        <section class="page dashboard-page" data-testid="dashboard">
            <div class="page-head">
                <h1>"Across incidents"</h1>
                <div class="actions">
                    <button data-testid="download-filtered-archive" on:click=move |_| {
                        let docs = repo::signals().docs.get_untracked();
                        let ids: Vec<String> = board.get_untracked().incidents.iter().map(|&i| rows.get_untracked()[i].id.to_string()).collect();
                        let ps: Vec<_> = ids.iter().filter_map(|id| match docs.get(id) { Some(DocView::Ready(p)) => Some(p.clone()), _ => None }).collect();
                        set_error.set(download_archive(&ps, "archive-filtered").err());
                    }>"Download these as JSON"</button>
                    <button data-testid="download-csv" on:click=move |_| {
                        let r = rows.get_untracked();
                        let sel: Vec<&IncidentRow> = board.get_untracked().incidents.iter().map(|&i| &r[i]).collect();
                        set_error.set(download_csv(&sel, "metrics").err());
                    }>"Download metrics CSV"</button>
                </div>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <form class="panel filters" on:submit=|ev| ev.prevent_default()>
                <label class="field">
                    <span class="label">"Incidents"</span>
                    <select data-testid="window" on:change=move |ev| window_kind.set(event_target_value(&ev))>
                        <option value="all">"All"</option>
                        <option value="last_n">"The last N"</option>
                        <option value="days30">"Last 30 days"</option>
                        <option value="days90">"Last 90 days"</option>
                        <option value="days365">"Last 365 days"</option>
                        <option value="range">"Between two dates"</option>
                    </select>
                </label>
                <Show when=move || window_kind.get() == "last_n">
                    <label class="field narrow">
                        <span class="label">"N"</span>
                        <input type="number" min="1" data-testid="window-n" prop:value=move || last_n.get().to_string()
                            on:input=move |ev| { if let Ok(n) = event_target_value(&ev).parse::<usize>() { last_n.set(n.max(1)) } } />
                    </label>
                </Show>
                <Show when=move || window_kind.get() == "range">
                    <label class="field"><span class="label">"From (UTC)"</span>
                        <input type="date" data-testid="window-from" on:input=move |ev| from.set(event_target_value(&ev)) /></label>
                    <label class="field"><span class="label">"To (UTC)"</span>
                        <input type="date" data-testid="window-to" on:input=move |ev| to.set(event_target_value(&ev)) /></label>
                </Show>
                <fieldset class="severities">
                    <legend class="label">"Severity (none checked: all)"</legend>
                    {Severity::ALL.into_iter().map(|s| view! {
                        <label class="check">
                            <input type="checkbox" data-testid=format!("sev-{}", s.as_str())
                                on:change=move |ev| toggle_sev(s, event_target_checked(&ev)) />
                            {s.label()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <label class="field">
                    <span class="label">"Tag"</span>
                    <select data-testid="tag-filter" on:change=move |ev| tag.set(event_target_value(&ev))>
                        <option value="">"any"</option>
                        <For each=move || all_tags.get() key=|t| t.clone() let:t>
                            <option value=t.clone()>{t.clone()}</option>
                        </For>
                    </select>
                </label>
                <label class="field">
                    <span class="label">"Service"</span>
                    <select data-testid="service-filter" on:change=move |ev| service.set(event_target_value(&ev))>
                        <option value="">"any"</option>
                        <For each=move || all_services.get() key=|t| t.clone() let:t>
                            <option value=t.clone()>{t.clone()}</option>
                        </For>
                    </select>
                </label>
            </form>
            <Show when=move || range_error.get().is_some() && window_kind.get() == "range">
                <p class="warn-text" role="status">{move || range_error.get().unwrap_or_default()}</p>
            </Show>
            <section class="panel">
                <h2>
                    <span data-testid="incident-count" data-n=move || board.get().incidents.len().to_string()>
                        {move || format!("{} incident{}", board.get().incidents.len(), if board.get().incidents.len() == 1 { "" } else { "s" })}
                    </span>
                </h2>
                <Show when=move || { let n = board.get().incidents.len(); n > 0 && n < SMALL_N }>
                    <p class="warn-text" role="note" data-testid="small-n">
                        {format!("⚠ Fewer than {SMALL_N} incidents: averages over so few say little; read them as examples, not a trend.")}
                    </p>
                </Show>
                <p class="hint">"Durations are skewed: a few long incidents pull the mean up, so the median (the middle incident) and p90 (9 in 10 incidents were at most this long) stand beside it. Percentiles interpolate linearly between ranks."</p>
                <table class="stats" data-testid="stats">
                    <thead><tr>
                        <th scope="col">"Span"</th><th scope="col">"Mean"</th><th scope="col">"Median"</th>
                        <th scope="col">"p90"</th><th scope="col">"n"</th><th scope="col">"Not measurable"</th>
                    </tr></thead>
                    <tbody>{stats_rows}</tbody>
                </table>
            </section>
            <section class="panel">
                <div class="panel-head">
                    <h2>"Trend"</h2>
                    <div class="row">
                        <select data-testid="trend-span" aria-label="Span" on:change=move |ev| trend_span.set(match event_target_value(&ev).as_str() {
                            "ttr" => Span::Ttr, "ttf" => Span::Ttf, "impact" => Span::Impact, _ => Span::Ttd })>
                            {move || Span::ALL.into_iter().map(|s| view! { <option value=s.key()>{settings.get().label(s).short.clone()}</option> }).collect_view()}
                        </select>
                        <select data-testid="trend-stat" aria-label="Statistic" on:change=move |ev| trend_stat.set(match event_target_value(&ev).as_str() {
                            "mean" => Statistic::Mean, "p90" => Statistic::P90, _ => Statistic::Median })>
                            <option value="median">"median"</option>
                            <option value="mean">"mean"</option>
                            <option value="p90">"p90"</option>
                        </select>
                        <select data-testid="trend-period" aria-label="Period" on:change=move |ev| trend_period.set(
                            if event_target_value(&ev) == "quarter" { Period::Quarter } else { Period::Month })>
                            <option value="month">"per month"</option>
                            <option value="quarter">"per quarter"</option>
                        </select>
                    </div>
                </div>
                {move || {
                    let b = board.get();
                    let points = trend(&rows.get(), &b.incidents, trend_span.get(), trend_period.get());
                    if points.is_empty() {
                        return view! { <p class="empty">"No incidents in this selection."</p> }.into_any();
                    }
                    let s = settings.get();
                    let title = format!("{} of {} ({}) per {}", trend_stat.get().name(), s.label(trend_span.get()).short,
                        s.label(trend_span.get()).name, if trend_period.get() == Period::Month { "month" } else { "quarter" });
                    view! { <TrendChart points=points stat=trend_stat.get() title=title /> }.into_any()
                }}
            </section>
            <section class="panel">
                <h2>"Each incident"</h2>
                {move || {
                    let mut sel = selected_rows();
                    let total = sel.len();
                    sel.truncate(STRIP_MAX);
                    view! {
                        {(total > STRIP_MAX).then(|| view! { <p class="hint">{format!("The {STRIP_MAX} most recent of {total} incidents.")}</p> })}
                        <IncidentStrip rows=sel settings=settings.get() />
                    }
                }}
            </section>
        </section>
    }
}
