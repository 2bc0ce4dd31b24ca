//! Time zones: in which zone a time is entered, and in which it is shown.

use crate::adapters::clock;
use hindsight_core::domain::{Moment, UtcOffset};

/// The zone a new time is entered in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryZone {
    /// The browser's own zone (the default).
    Browser,
    Utc,
    /// A fixed offset typed by the person, e.g. `-07:00` for Pacific daylight time.
    Offset(String),
}

impl EntryZone {
    pub fn key(&self) -> &'static str {
        match self {
            EntryZone::Browser => "browser",
            EntryZone::Utc => "utc",
            EntryZone::Offset(_) => "offset",
        }
    }

    /// Reads a `datetime-local` value in this zone.
    pub fn moment(&self, local: &str) -> Result<Moment, String> {
        if local.trim().is_empty() {
            return Err("Enter a date and time.".into());
        }
        match self {
            EntryZone::Browser => clock::moment_in_browser_zone(local),
            EntryZone::Utc => Moment::from_local(local, UtcOffset::UTC).map_err(|e| e.to_string()),
            EntryZone::Offset(o) => {
                let off = UtcOffset::parse(o).map_err(|e| e.to_string())?;
                Moment::from_local(local, off).map_err(|e| e.to_string())
            }
        }
    }
}

/// The zone times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DisplayZone {
    /// Each time in the offset it was entered in (the incident's own zone).
    #[default]
    AsEntered,
    Browser,
    Utc,
}

impl DisplayZone {
    pub fn show(self, m: &Moment) -> String {
        match self {
            DisplayZone::AsEntered => m.display(),
            DisplayZone::Utc => m.in_offset(UtcOffset::UTC).display(),
            DisplayZone::Browser => m.in_offset(clock::offset_at(m.utc())).display(),
        }
    }
}

/// `Europe/Berlin (UTC+01:00 now)`.
pub fn browser_zone_label() -> String {
    format!("{} ({} now)", clock::zone_name(), clock::offset_at(clock::now()))
}
