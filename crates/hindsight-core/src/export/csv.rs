//! Per-incident metrics as CSV, one row per incident, for spreadsheets.

use crate::domain::dashboard::IncidentRow;
use crate::domain::{EntryKind, Span};

fn minutes(v: Option<f64>) -> String {
    v.map(|m| if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.2}") }).unwrap_or_default()
}

/// Columns: id, title, severity, start (UTC), tags, services, the four
/// milestones (RFC 3339 with offset), ttd/ttr/ttf/impact minutes (empty
/// when not measurable), warnings.
pub fn metrics_csv<'a>(rows: impl IntoIterator<Item = &'a IncidentRow>) -> String {
    let mut w = ::csv::Writer::from_writer(vec![]);
    let mut header = vec!["id", "title", "severity", "incident_start_utc", "tags", "services"];
    header.extend(EntryKind::MILESTONES.iter().map(|k| k.as_str()));
    header.extend(["ttd_minutes", "ttr_minutes", "ttf_minutes", "impact_minutes", "warnings"]);
    w.write_record(&header).expect("writing to memory");
    for r in rows {
        let mut rec = vec![
            r.id.to_string(),
            // A leading = + - @ would be run as a formula by spreadsheets.
            if r.title.starts_with(['=', '+', '-', '@']) { format!("'{}", r.title) } else { r.title.clone() },
            r.severity.as_str().to_string(),
            r.start.to_rfc3339(),
            r.tags.join(" "),
            r.services.join("; "),
        ];
        rec.extend(EntryKind::MILESTONES.iter().map(|k| r.metrics.milestone(*k).map(|p| p.at.to_rfc3339()).unwrap_or_default()));
        rec.extend(Span::ALL.iter().map(|s| minutes(r.metrics.span(*s).minutes())));
        let warnings: Vec<String> = Span::ALL
            .iter()
            .filter_map(|s| match r.metrics.span(*s) {
                crate::domain::SpanValue::Measured { warning: Some(w), .. } => Some(format!("{} {:?}", s.key(), w).to_lowercase()),
                _ => None,
            })
            .collect();
        rec.push(warnings.join("; "));
        w.write_record(&rec).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 fields is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::PostmortemDoc;
    use crate::domain::{EntryId, Moment, PostmortemId, TimelineEntry};
    use chrono::Utc;

    #[test]
    fn one_row_per_incident_with_empty_cells_when_not_measurable() {
        let mut d = PostmortemDoc::create(&PostmortemId::parse("pm").unwrap(), Utc::now(), "=HYPERLINK(\"x\"), \"quoted\"");
        d.add_entry(&TimelineEntry::new(EntryId::parse("d").unwrap(), Moment::parse("2022-06-01T09:37:00Z").unwrap(), EntryKind::Detected, "")).unwrap();
        d.add_entry(&TimelineEntry::new(EntryId::parse("f").unwrap(), Moment::parse("2022-06-01T09:40:00Z").unwrap(), EntryKind::FailureStarts, "")).unwrap();
        let row = IncidentRow::of(&d.view().unwrap());
        let csv = metrics_csv([&row]);
        let mut r = ::csv::Reader::from_reader(csv.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[1], "'=HYPERLINK(\"x\"), \"quoted\"");
        assert_eq!(&rec[10], "-3");
        assert_eq!(&rec[11], "");
        assert_eq!(&rec[14], "ttd negative");
    }
}
