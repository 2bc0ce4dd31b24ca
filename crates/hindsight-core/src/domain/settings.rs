//! The team's own words for the spans, and how durations are shown.
//!
//! Naming matters less than measuring consistently: whatever the labels,
//! each figure still says which milestones it measures from and to.

use super::metrics::Span;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanLabel {
    /// e.g. `TTD`, or the team's `TTM`.
    pub short: String,
    /// e.g. `Time to detect`, or `Time to mitigate`.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DurationStyle {
    /// `1 h 13 min`
    #[default]
    Relative,
    /// The two moments: `14:54 → 16:07 UTC`.
    Absolute,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub ttd: SpanLabel,
    pub ttr: SpanLabel,
    pub ttf: SpanLabel,
    pub impact: SpanLabel,
    #[serde(default)]
    pub durations: DurationStyle,
}

impl Default for Settings {
    fn default() -> Self {
        let l = |s: Span| SpanLabel { short: s.short().into(), name: s.name().into() };
        Self { ttd: l(Span::Ttd), ttr: l(Span::Ttr), ttf: l(Span::Ttf), impact: l(Span::Impact), durations: DurationStyle::Relative }
    }
}

impl Settings {
    pub fn label(&self, span: Span) -> &SpanLabel {
        match span {
            Span::Ttd => &self.ttd,
            Span::Ttr => &self.ttr,
            Span::Ttf => &self.ttf,
            Span::Impact => &self.impact,
        }
    }

    /// The "mean" name: MTTD for TTD, or "mean TTM" for a team label that
    /// does not start with T.
    pub fn mean_name(&self, span: Span) -> String {
        let short = &self.label(span).short;
        if short.starts_with('T') && short.len() <= 5 && short.chars().all(|c| c.is_ascii_uppercase()) {
            format!("M{short}")
        } else {
            format!("mean {short}")
        }
    }

    /// Sets a label; empty text falls back to the default.
    pub fn set_label(&mut self, span: Span, short: &str, name: &str) {
        let d = Settings::default();
        let fallback = d.label(span);
        let pick = |v: &str, f: &str| {
            let v = v.trim();
            if v.is_empty() { f.to_string() } else { v.chars().take(40).collect() }
        };
        let l = SpanLabel { short: pick(short, &fallback.short), name: pick(name, &fallback.name) };
        match span {
            Span::Ttd => self.ttd = l,
            Span::Ttr => self.ttr = l,
            Span::Ttf => self.ttf = l,
            Span::Impact => self.impact = l,
        }
    }

    /// Reads stored settings; anything unreadable gives the defaults.
    pub fn from_json(text: &str) -> Settings {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("settings always serialize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_team_words() {
        let mut s = Settings::default();
        assert_eq!(s.mean_name(Span::Ttd), "MTTD");
        s.set_label(Span::Ttf, "TTM", "Time to mitigate");
        assert_eq!(s.mean_name(Span::Ttf), "MTTM");
        s.set_label(Span::Ttr, "Response", "");
        assert_eq!(s.label(Span::Ttr).name, "Time to start repair");
        assert_eq!(s.mean_name(Span::Ttr), "mean Response");
        assert_eq!(Settings::from_json(&s.to_json()), s);
        assert_eq!(Settings::from_json("{broken"), Settings::default());
    }
}

/// Per-device choices: nothing leaves the browser until a sync server is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeviceSettings {
    /// `ws://` or `wss://` address of an automerge-repo sync server; empty: none.
    #[serde(default)]
    pub server_url: String,
    /// How this participant appears to others.
    #[serde(default)]
    pub display_name: String,
}

impl DeviceSettings {
    /// Checks and normalises a server address typed by a person.
    pub fn parse_server_url(s: &str) -> Result<String, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(String::new());
        }
        let lower = t.to_ascii_lowercase();
        let rest = lower.strip_prefix("ws://").or_else(|| lower.strip_prefix("wss://"));
        match rest {
            Some(r) if !r.is_empty() && !r.contains(char::is_whitespace) => Ok(t.to_string()),
            _ => Err(format!("{t:?} is not a sync server address; it starts with ws:// or wss://, e.g. ws://localhost:3030")),
        }
    }

    pub fn from_json(text: &str) -> DeviceSettings {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("settings always serialize")
    }
}

#[cfg(test)]
mod device_tests {
    use super::*;

    #[test]
    fn server_addresses_are_checked() {
        assert_eq!(DeviceSettings::parse_server_url("  ").unwrap(), "");
        assert_eq!(DeviceSettings::parse_server_url("ws://127.0.0.1:3030").unwrap(), "ws://127.0.0.1:3030");
        assert!(DeviceSettings::parse_server_url("wss://sync.example.org").is_ok());
        assert!(DeviceSettings::parse_server_url("http://x").is_err());
        assert!(DeviceSettings::parse_server_url("ws://").is_err());
        assert!(DeviceSettings::parse_server_url("ws://a b").is_err());
        assert_eq!(DeviceSettings::from_json("{bad"), DeviceSettings::default());
    }
}
