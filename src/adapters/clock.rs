//! The browser's clock and time zone.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use hindsight_core::domain::{Moment, UtcOffset};

pub fn now() -> DateTime<Utc> {
    let ms = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// The IANA name of the browser's zone, e.g. `Europe/Berlin`.
pub fn zone_name() -> String {
    let fmt = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&fmt.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "local time".into())
}

fn offset_from_js(date: &js_sys::Date) -> UtcOffset {
    // getTimezoneOffset() is minutes *west* of UTC.
    UtcOffset::from_minutes(-(date.get_timezone_offset() as i32)).unwrap_or(UtcOffset::UTC)
}

/// The browser zone's offset at an instant.
pub fn offset_at(utc: DateTime<Utc>) -> UtcOffset {
    offset_from_js(&js_sys::Date::new(&(utc.timestamp_millis() as f64).into()))
}

/// The browser zone's offset for a wall-clock reading in that zone.
pub fn offset_for_local(local: NaiveDateTime) -> UtcOffset {
    let d = js_sys::Date::new_with_year_month_day_hr_min_sec(
        local.year() as u32,
        local.month0() as i32,
        local.day() as i32,
        local.hour() as i32,
        local.minute() as i32,
        local.second() as i32,
    );
    offset_from_js(&d)
}

/// Reads a `datetime-local` value in the browser's zone.
pub fn moment_in_browser_zone(local: &str) -> Result<Moment, String> {
    // Parse with a dummy offset to get the wall-clock reading, then ask the
    // browser what its offset was at that reading.
    let probe = Moment::from_local(local, UtcOffset::UTC).map_err(|e| e.to_string())?;
    let naive = probe.utc().naive_utc();
    Moment::from_local(local, offset_for_local(naive)).map_err(|e| e.to_string())
}
