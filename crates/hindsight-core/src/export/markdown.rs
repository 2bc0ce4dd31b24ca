//! A postmortem as Markdown, for wikis.

use crate::domain::metrics::format_duration;
use crate::domain::settings::Settings;
use crate::domain::{measure, EntryKind, Postmortem, Span};

/// Makes text safe inside a table cell or a heading: no line breaks, pipes
/// escaped, and characters that would start HTML or links escaped.
fn inline(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace(['\r', '\n'], " ")
}

fn block(s: &str) -> String {
    if s.trim().is_empty() {
        "_Not written yet._".into()
    } else {
        s.replace('<', "&lt;").replace('>', "&gt;")
    }
}

pub fn markdown(p: &Postmortem, settings: &Settings) -> String {
    let m = measure(&p.timeline);
    let mut out = String::new();
    out += &format!("# {}\n\n", inline(p.display_title()));
    out += &format!("- Severity: {}\n", p.severity.label());
    if !p.tags.is_empty() {
        out += &format!("- Tags: {}\n", inline(&p.tags.join(", ")));
    }
    if !p.services.is_empty() {
        out += &format!("- Services: {}\n", inline(&p.services.join(", ")));
    }
    out += &format!("- Postmortem created: {}\n\n", p.created_at.format("%Y-%m-%d"));
    out += "## Measurements\n\n| | Span | From | To |\n|---|---|---|---|\n";
    for span in Span::ALL {
        let l = settings.label(span);
        let v = m.span(span);
        let value = match v.seconds() {
            Some(s) => format_duration(s),
            None => "not measurable".into(),
        };
        let warn = v.explanation(span).map(|e| format!(" ({})", inline(&e))).unwrap_or_default();
        let (from, to) = span.bounds();
        out += &format!(
            "| {} ({}) | {value}{warn} | {} | {} |\n",
            inline(&l.short),
            inline(&l.name),
            from.label(),
            to.label()
        );
    }
    for n in m.multiple_entry_notes() {
        out += &format!("\n_{}_\n", inline(&n));
    }
    out += &format!("\n## What happened\n\n{}\n", block(&p.summary));
    out += "\n## Timeline\n\n| Time | Milestone | What happened |\n|---|---|---|\n";
    for e in &p.timeline {
        let at = e.at.map(|a| a.display()).unwrap_or_else(|| format!("unreadable: {}", e.at_raw));
        let approx = if e.approximate { " (approx.)" } else { "" };
        let kind = if e.kind == EntryKind::Event { String::new() } else { e.kind.label().to_string() };
        let evidence = e.evidence.as_ref().map(|l| format!(" ([evidence](<{}>))", l.replace('>', "%3E"))).unwrap_or_default();
        out += &format!("| {at}{approx} | {kind} | {}{evidence} |\n", inline(&e.text));
    }
    out += &format!("\n## What we learned\n\n{}\n", block(&p.learned));
    out += &format!("\n## What is worth improving\n\n{}\n", block(&p.improvements));
    out += "\n## Action items\n\n";
    if p.action_items.is_empty() {
        out += "_None yet._\n";
    }
    for a in &p.action_items {
        let owner = if a.owner.trim().is_empty() { String::new() } else { format!(" (owner: {})", inline(&a.owner)) };
        out += &format!("- [{}] {}{owner}\n", if a.done { "x" } else { " " }, inline(&a.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::PostmortemDoc;
    use crate::domain::{EntryId, Moment, PostmortemId, TimelineEntry, ActionItem};
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_wiki_page_with_measurements_timeline_and_actions() {
        let mut d = PostmortemDoc::create(&PostmortemId::parse("pm").unwrap(), Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap(), "DB | outage <b>");
        for (id, at, k) in [("a", "2017-01-31T23:27:00+00:00", EntryKind::FailureStarts), ("b", "2017-01-31T23:27:00+00:00", EntryKind::Detected)] {
            d.add_entry(&TimelineEntry::new(EntryId::parse(id).unwrap(), Moment::parse(at).unwrap(), k, "x|y")).unwrap();
        }
        d.add_action(&ActionItem { id: "1".into(), text: "Test backups".into(), owner: "DB team".into(), done: true }).unwrap();
        let mut s = Settings::default();
        s.set_label(Span::Ttf, "TTM", "Time to mitigate");
        let md = markdown(&d.view().unwrap(), &s);
        assert!(md.starts_with("# DB \\| outage &lt;b&gt;\n"), "{md}");
        assert!(md.contains("| TTD (Time to detect) | 0 min (Zero:"), "{md}");
        assert!(md.contains("| TTM (Time to mitigate) | not measurable"), "{md}");
        assert!(md.contains("| 2017-01-31 23:27 UTC | Failure starts | x\\|y |"), "{md}");
        assert!(md.contains("- [x] Test backups (owner: DB team)"), "{md}");
        assert!(md.contains("_Not written yet._"));
    }
}
