//! Importing the JSON export format: one postmortem or an archive.
//!
//! The file is checked in full before anything is changed; a failed import
//! names the first problems with their JSON path and reason. Older format
//! versions are migrated to the current one first (see [`migrate`]).
//! Derived data in the file (`milestones`, `metrics`) is ignored and
//! recomputed. Unknown fields are ignored, so that a file from a newer minor
//! revision of the same version still loads.

use crate::domain::{
    ActionItem, EntryId, EntryKind, Moment, Postmortem, PostmortemId, Severity, TimelineEntry,
};
use crate::export::{ARCHIVE_FORMAT, ARCHIVE_VERSION, FORMAT, VERSION};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Larger files are refused before parsing.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// At most this many problems are listed.
pub const MAX_PROBLEMS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// JSON path, e.g. `$.postmortems[2].timeline[0].at`.
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the file cannot be imported: {}", .problems.iter().map(|p| format!("{}: {}", p.path, p.reason)).collect::<Vec<_>>().join("; "))]
pub struct ImportError {
    pub problems: Vec<ImportProblem>,
    /// More problems were found than are listed.
    pub truncated: bool,
}

impl ImportError {
    fn one(path: &str, reason: impl Into<String>) -> Self {
        Self { problems: vec![ImportProblem { path: path.into(), reason: reason.into() }], truncated: false }
    }
}

struct Check {
    problems: Vec<ImportProblem>,
    truncated: bool,
}

impl Check {
    fn fail(&mut self, path: &str, reason: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(ImportProblem { path: path.to_string(), reason: reason.into() });
        } else {
            self.truncated = true;
        }
    }

    fn field<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str) -> Option<&'a Value> {
        let v = obj.get(key);
        if v.is_none() {
            self.fail(&format!("{path}.{key}"), "is missing");
        }
        v
    }

    fn string(&mut self, obj: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        match self.field(obj, path, key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.fail(&format!("{path}.{key}"), format!("must be a string, not {}", kind(other)));
                None
            }
        }
    }

    fn bool(&mut self, obj: &Map<String, Value>, path: &str, key: &str) -> Option<bool> {
        match self.field(obj, path, key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.fail(&format!("{path}.{key}"), format!("must be true or false, not {}", kind(other)));
                None
            }
        }
    }

    fn object<'a>(&mut self, v: &'a Value, path: &str) -> Option<&'a Map<String, Value>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.fail(path, format!("must be an object, not {}", kind(other)));
                None
            }
        }
    }

    fn array<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str, optional: bool) -> Option<&'a [Value]> {
        match obj.get(key) {
            None if optional => Some(&[]),
            None => {
                self.fail(&format!("{path}.{key}"), "is missing");
                None
            }
            Some(Value::Array(a)) => Some(a),
            Some(other) => {
                self.fail(&format!("{path}.{key}"), format!("must be a list, not {}", kind(other)));
                None
            }
        }
    }

    fn strings(&mut self, obj: &Map<String, Value>, path: &str, key: &str) -> Vec<String> {
        let Some(items) = self.array(obj, path, key, true) else { return vec![] };
        let mut out = vec![];
        for (i, v) in items.iter().enumerate() {
            match v {
                Value::String(s) => out.push(s.clone()),
                other => self.fail(&format!("{path}.{key}[{i}]"), format!("must be a string, not {}", kind(other))),
            }
        }
        out
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Brings a postmortem written in an older version of the format to the
/// current version. Version 1 is the first and current version, so this is
/// where the next version's migration goes (`1 => { ...; 2 }`).
pub fn migrate(value: Value, from_version: u64) -> Result<Value, String> {
    match from_version {
        v if v == u64::from(VERSION) => Ok(value),
        v if v > u64::from(VERSION) => Err(format!(
            "was written by a newer Hindsight (format version {v}); this one reads versions 1 to {VERSION}"
        )),
        v => Err(format!("format version {v} does not exist (versions start at 1)")),
    }
}

fn version_of(obj: &Map<String, Value>, path: &str) -> Result<u64, ImportError> {
    match obj.get("version") {
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| ImportError::one(&format!("{path}.version"), "must be a whole number")),
        Some(other) => Err(ImportError::one(&format!("{path}.version"), format!("must be a number, not {}", kind(other)))),
        None => Err(ImportError::one(&format!("{path}.version"), "is missing")),
    }
}

fn postmortem(c: &mut Check, v: &Value, path: &str) -> Option<Postmortem> {
    let o = c.object(v, path)?;
    let id = c.string(o, path, "id").and_then(|s| match PostmortemId::parse(&s) {
        Ok(id) => Some(id),
        Err(e) => {
            c.fail(&format!("{path}.id"), e);
            None
        }
    });
    let title = c.string(o, path, "title");
    let severity = c.string(o, path, "severity").and_then(|s| match Severity::parse(&s) {
        Ok(s) => Some(s),
        Err(e) => {
            c.fail(&format!("{path}.severity"), e);
            None
        }
    });
    let created_at = c.string(o, path, "created_at").and_then(|s| match DateTime::parse_from_rfc3339(&s) {
        Ok(d) => Some(d.with_timezone(&Utc)),
        Err(_) => {
            c.fail(&format!("{path}.created_at"), format!("{s:?} is not an RFC 3339 time"));
            None
        }
    });
    let narrative = c.field(o, path, "narrative").and_then(|n| c.object(n, &format!("{path}.narrative")));
    let (summary, learned, improvements) = match narrative {
        Some(n) => {
            let np = format!("{path}.narrative");
            (c.string(n, &np, "summary"), c.string(n, &np, "learned"), c.string(n, &np, "improvements"))
        }
        None => (None, None, None),
    };
    let mut timeline = vec![];
    let mut entry_ids = HashSet::new();
    for (i, e) in c.array(o, path, "timeline", false).unwrap_or(&[]).iter().enumerate() {
        let ep = format!("{path}.timeline[{i}]");
        let Some(eo) = c.object(e, &ep) else { continue };
        let id = c.string(eo, &ep, "id").and_then(|s| match EntryId::parse(&s) {
            Ok(id) if entry_ids.insert(id.clone()) => Some(id),
            Ok(id) => {
                c.fail(&format!("{ep}.id"), format!("{id:?} is used by another entry of this postmortem"));
                None
            }
            Err(e) => {
                c.fail(&format!("{ep}.id"), e);
                None
            }
        });
        let at = c.string(eo, &ep, "at").and_then(|s| match Moment::parse(&s) {
            Ok(m) => Some(m),
            Err(e) => {
                c.fail(&format!("{ep}.at"), e.to_string());
                None
            }
        });
        let kind_ = c.string(eo, &ep, "kind").and_then(|s| match EntryKind::parse(&s) {
            Ok(k) => Some(k),
            Err(e) => {
                c.fail(&format!("{ep}.kind"), e);
                None
            }
        });
        let text = c.string(eo, &ep, "text");
        let evidence = match eo.get("evidence") {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(Value::String(s)) if crate::domain::timeline::is_web_link(s) => Some(Some(s.clone())),
            Some(Value::String(s)) => {
                c.fail(&format!("{ep}.evidence"), format!("{s:?} is not an http(s) link"));
                None
            }
            Some(other) => {
                c.fail(&format!("{ep}.evidence"), format!("must be a link or null, not {}", kind(other)));
                None
            }
        };
        let approximate = match eo.get("approximate") {
            None => Some(false),
            Some(_) => c.bool(eo, &ep, "approximate"),
        };
        if let (Some(id), Some(at), Some(kind), Some(text), Some(evidence), Some(approximate)) =
            (id, at, kind_, text, evidence, approximate)
        {
            timeline.push(TimelineEntry { id, at_raw: at.to_rfc3339(), at: Some(at), kind, text, evidence, approximate });
        }
    }
    let mut action_items = vec![];
    let mut action_ids = HashSet::new();
    for (i, a) in c.array(o, path, "action_items", false).unwrap_or(&[]).iter().enumerate() {
        let ap = format!("{path}.action_items[{i}]");
        let Some(ao) = c.object(a, &ap) else { continue };
        let id = c.string(ao, &ap, "id").and_then(|s| {
            if s.is_empty() || s.len() > 64 {
                c.fail(&format!("{ap}.id"), "must be 1 to 64 characters");
                None
            } else if !action_ids.insert(s.clone()) {
                c.fail(&format!("{ap}.id"), format!("{s:?} is used by another action item of this postmortem"));
                None
            } else {
                Some(s)
            }
        });
        let (text, owner, done) = (c.string(ao, &ap, "text"), c.string(ao, &ap, "owner"), c.bool(ao, &ap, "done"));
        if let (Some(id), Some(text), Some(owner), Some(done)) = (id, text, owner, done) {
            action_items.push(ActionItem { id, text, owner, done });
        }
    }
    let tags = crate::domain::parse_labels(&c.strings(o, path, "tags").join(","), true);
    let services = crate::domain::parse_labels(&c.strings(o, path, "services").join(","), false);
    let mut p = Postmortem {
        id: id?,
        created_at: created_at?,
        title: title?,
        severity: severity?,
        summary: summary?,
        learned: learned?,
        improvements: improvements?,
        timeline,
        action_items,
        tags,
        services,
    };
    p.sort_timeline();
    Some(p)
}

/// Reads a postmortem file or an archive. Nothing is imported unless the
/// whole file is valid.
pub fn parse(text: &str) -> Result<Vec<Postmortem>, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::one(
            "$",
            format!(
                "the file is {:.1} MB; at most {} MB can be imported at once",
                text.len() as f64 / 1_048_576.0,
                MAX_IMPORT_BYTES / 1_048_576
            ),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ImportError::one("$", format!("not valid JSON (line {}, column {}): {e}", e.line(), e.column()))
    })?;
    let Value::Object(top) = &value else {
        return Err(ImportError::one("$", format!("must be an object, not {}", kind(&value))));
    };
    let format = match top.get("format") {
        Some(Value::String(f)) => f.as_str(),
        Some(other) => return Err(ImportError::one("$.format", format!("must be a string, not {}", kind(other)))),
        None => return Err(ImportError::one("$.format", "is missing: this is not a Hindsight export")),
    };
    let mut c = Check { problems: vec![], truncated: false };
    let mut out = vec![];
    if format == FORMAT {
        let v = migrate(value.clone(), version_of(top, "$")?).map_err(|e| ImportError::one("$.version", e))?;
        out.extend(postmortem(&mut c, &v, "$"));
    } else if format == ARCHIVE_FORMAT {
        let av = version_of(top, "$")?;
        if av != u64::from(ARCHIVE_VERSION) {
            return Err(ImportError::one("$.version", format!("archive format version {av} is not known; this Hindsight reads version {ARCHIVE_VERSION}")));
        }
        let mut ids = HashSet::new();
        for (i, p) in c.array(top, "$", "postmortems", false).unwrap_or(&[]).iter().enumerate() {
            let pp = format!("$.postmortems[{i}]");
            let version = match p.as_object().map(|o| version_of(o, &pp)) {
                Some(Ok(v)) => v,
                Some(Err(e)) => {
                    for pr in e.problems {
                        c.fail(&pr.path, pr.reason);
                    }
                    continue;
                }
                None => {
                    c.fail(&pp, format!("must be an object, not {}", kind(p)));
                    continue;
                }
            };
            let migrated = match migrate(p.clone(), version) {
                Ok(m) => m,
                Err(e) => {
                    c.fail(&format!("{pp}.version"), e);
                    continue;
                }
            };
            if let Some(pm) = postmortem(&mut c, &migrated, &pp) {
                if !ids.insert(pm.id.clone()) {
                    c.fail(&format!("{pp}.id"), format!("{:?} appears twice in this archive", pm.id.as_str()));
                    continue;
                }
                out.push(pm);
            }
        }
    } else {
        return Err(ImportError::one(
            "$.format",
            format!("{format:?} is not a Hindsight export (expected {FORMAT:?} or {ARCHIVE_FORMAT:?})"),
        ));
    }
    if c.problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError { problems: c.problems, truncated: c.truncated })
    }
}

#[cfg(test)]
mod tests;
