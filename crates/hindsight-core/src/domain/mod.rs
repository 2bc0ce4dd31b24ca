//! The postmortem domain: what a postmortem is, independent of storage and UI.

pub mod metrics;
pub mod dashboard;
pub mod postmortem;
pub mod settings;
pub mod stats;
pub mod timeline;

pub use metrics::{measure, IncidentMetrics, MilestonePick, Span, SpanValue, SpanWarning};
pub use postmortem::{parse_labels, ActionItem, Narrative, Postmortem, PostmortemId, Severity};
pub use timeline::{EntryId, EntryKind, Moment, MomentError, TimelineEntry, UtcOffset};
