//! Who is in a postmortem right now: display names carried in automerge-repo
//! ephemeral messages (a CBOR map `{"name": ...}`), forgotten when a peer has
//! not been heard from for a while.

use super::url::DocumentId;
use ciborium::Value;
use std::collections::BTreeMap;

/// How often a client announces itself, and how long it is remembered.
pub const ANNOUNCE_EVERY_MS: u64 = 3_000;
pub const FORGET_AFTER_MS: u64 = 10_000;

pub fn encode(name: &str) -> Vec<u8> {
    let v = Value::Map(vec![(Value::Text("name".into()), Value::Text(name.chars().take(60).collect()))]);
    let mut out = vec![];
    ciborium::into_writer(&v, &mut out).expect("writing CBOR to a Vec cannot fail");
    out
}

/// The name in a presence message, if it is one.
pub fn decode(data: &[u8]) -> Option<String> {
    let v: Value = ciborium::from_reader(data).ok()?;
    let Value::Map(m) = v else { return None };
    m.into_iter()
        .find(|(k, _)| k.as_text() == Some("name"))
        .and_then(|(_, v)| v.as_text().map(|s| s.chars().take(60).collect()))
}

#[derive(Debug, Default, Clone)]
pub struct Presence {
    seen: BTreeMap<(DocumentId, String), (String, u64)>,
}

impl Presence {
    /// Records an ephemeral message; returns whether it was a presence message.
    pub fn heard(&mut self, doc: &DocumentId, from: &str, data: &[u8], now_ms: u64) -> bool {
        match decode(data) {
            Some(name) => {
                self.seen.insert((doc.clone(), from.to_string()), (name, now_ms));
                true
            }
            None => false,
        }
    }

    /// Names of the others in a document now, sorted; unnamed peers count as "Someone".
    pub fn names(&self, doc: &DocumentId, now_ms: u64) -> Vec<String> {
        let mut v: Vec<String> = self
            .seen
            .iter()
            .filter(|((d, _), (_, at))| d == doc && now_ms.saturating_sub(*at) <= FORGET_AFTER_MS)
            .map(|(_, (name, _))| if name.trim().is_empty() { "Someone".to_string() } else { name.clone() })
            .collect();
        v.sort();
        v
    }

    pub fn forget_old(&mut self, now_ms: u64) {
        self.seen.retain(|_, (_, at)| now_ms.saturating_sub(*at) <= FORGET_AFTER_MS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_and_go() {
        let d = DocumentId::from_bytes([1; 16]);
        let other = DocumentId::from_bytes([2; 16]);
        let mut p = Presence::default();
        assert!(p.heard(&d, "peer-b", &encode("Ben"), 1_000));
        assert!(p.heard(&d, "peer-a", &encode(""), 2_000));
        assert!(p.heard(&other, "peer-c", &encode("Cy"), 2_000));
        assert!(!p.heard(&d, "peer-x", b"\xffnot cbor", 2_000));
        assert_eq!(p.names(&d, 3_000), ["Ben", "Someone"]);
        assert_eq!(p.names(&d, 1_000 + FORGET_AFTER_MS + 1), ["Someone"]);
        p.forget_old(50_000);
        assert!(p.names(&other, 50_000).is_empty());
    }
}
