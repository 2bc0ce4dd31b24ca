//! The automerge-repo network protocol's messages: CBOR maps, one per
//! WebSocket binary frame (protocol version "1"). Decoding is lenient about
//! unknown fields and message types and strict about sizes and types.

use ciborium::Value;

pub const PROTOCOL_VERSION: &str = "1";
/// Frames larger than this are refused without decoding.
pub const MAX_FRAME_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireMessage {
    Join { sender_id: String, supported_protocol_versions: Vec<String> },
    Peer { sender_id: String, target_id: String, selected_protocol_version: String },
    Leave { sender_id: String },
    Error { message: String },
    Request { sender_id: String, target_id: String, document_id: String, data: Vec<u8> },
    Sync { sender_id: String, target_id: String, document_id: String, data: Vec<u8> },
    DocUnavailable { sender_id: String, target_id: String, document_id: String },
    Ephemeral { sender_id: String, target_id: String, document_id: String, session_id: String, count: u64, data: Vec<u8> },
    /// Any other type (e.g. remote-heads gossip); ignored by this client.
    Other { kind: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("a {0}-byte message is larger than the {MAX_FRAME_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("not a CBOR message: {0}")]
    NotCbor(String),
    #[error("malformed {kind} message: {reason}")]
    Malformed { kind: String, reason: String },
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn map(kind: &str, fields: Vec<(&str, Value)>) -> Value {
    let mut m = vec![(text("type"), text(kind))];
    m.extend(fields.into_iter().map(|(k, v)| (text(k), v)));
    Value::Map(m)
}

impl WireMessage {
    pub fn kind(&self) -> &str {
        match self {
            WireMessage::Join { .. } => "join",
            WireMessage::Peer { .. } => "peer",
            WireMessage::Leave { .. } => "leave",
            WireMessage::Error { .. } => "error",
            WireMessage::Request { .. } => "request",
            WireMessage::Sync { .. } => "sync",
            WireMessage::DocUnavailable { .. } => "doc-unavailable",
            WireMessage::Ephemeral { .. } => "ephemeral",
            WireMessage::Other { kind } => kind,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let v = match self {
            WireMessage::Join { sender_id, supported_protocol_versions } => map(
                "join",
                vec![
                    ("senderId", text(sender_id)),
                    ("supportedProtocolVersions", Value::Array(supported_protocol_versions.iter().map(|s| text(s)).collect())),
                    ("peerMetadata", Value::Map(vec![(text("isEphemeral"), Value::Bool(true))])),
                ],
            ),
            WireMessage::Peer { sender_id, target_id, selected_protocol_version } => map(
                "peer",
                vec![
                    ("senderId", text(sender_id)),
                    ("targetId", text(target_id)),
                    ("selectedProtocolVersion", text(selected_protocol_version)),
                    ("peerMetadata", Value::Map(vec![(text("isEphemeral"), Value::Bool(true))])),
                ],
            ),
            WireMessage::Leave { sender_id } => map("leave", vec![("senderId", text(sender_id))]),
            WireMessage::Error { message } => map("error", vec![("message", text(message))]),
            WireMessage::Request { sender_id, target_id, document_id, data }
            | WireMessage::Sync { sender_id, target_id, document_id, data } => map(
                self.kind(),
                vec![
                    ("senderId", text(sender_id)),
                    ("targetId", text(target_id)),
                    ("documentId", text(document_id)),
                    ("data", Value::Bytes(data.clone())),
                ],
            ),
            WireMessage::DocUnavailable { sender_id, target_id, document_id } => map(
                "doc-unavailable",
                vec![("senderId", text(sender_id)), ("targetId", text(target_id)), ("documentId", text(document_id))],
            ),
            WireMessage::Ephemeral { sender_id, target_id, document_id, session_id, count, data } => map(
                "ephemeral",
                vec![
                    ("senderId", text(sender_id)),
                    ("targetId", text(target_id)),
                    ("documentId", text(document_id)),
                    ("sessionId", text(session_id)),
                    ("count", Value::Integer((*count).into())),
                    ("data", Value::Bytes(data.clone())),
                ],
            ),
            WireMessage::Other { kind } => map(kind, vec![]),
        };
        let mut out = Vec::new();
        ciborium::into_writer(&v, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        if bytes.len() > MAX_FRAME_BYTES {
            return Err(WireError::TooLarge(bytes.len()));
        }
        let v: Value = ciborium::from_reader(bytes).map_err(|e| WireError::NotCbor(e.to_string()))?;
        let Value::Map(fields) = v else {
            return Err(WireError::NotCbor("the message is not a map".into()));
        };
        let get = |k: &str| fields.iter().find(|(key, _)| key.as_text() == Some(k)).map(|(_, v)| v);
        let kind = get("type").and_then(Value::as_text).ok_or_else(|| WireError::NotCbor("no \"type\"".into()))?.to_string();
        let bad = |reason: &str| WireError::Malformed { kind: kind.clone(), reason: reason.to_string() };
        let s = |k: &str| get(k).and_then(Value::as_text).map(str::to_string).ok_or_else(|| bad(&format!("{k} must be text")));
        let b = |k: &str| match get(k) {
            Some(Value::Bytes(b)) => Ok(b.clone()),
            // cbor-x may tag typed arrays.
            Some(Value::Tag(_, inner)) => inner.as_bytes().cloned().ok_or_else(|| bad(&format!("{k} must be bytes"))),
            _ => Err(bad(&format!("{k} must be bytes"))),
        };
        Ok(match kind.as_str() {
            "join" => WireMessage::Join {
                sender_id: s("senderId")?,
                supported_protocol_versions: get("supportedProtocolVersions")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_text().map(str::to_string)).collect())
                    .unwrap_or_default(),
            },
            "peer" => WireMessage::Peer {
                sender_id: s("senderId")?,
                target_id: s("targetId")?,
                selected_protocol_version: s("selectedProtocolVersion")?,
            },
            "leave" => WireMessage::Leave { sender_id: s("senderId")? },
            "error" => WireMessage::Error { message: s("message").unwrap_or_else(|_| "no reason given".into()) },
            "request" | "sync" => {
                let (sender_id, target_id, document_id, data) = (s("senderId")?, s("targetId")?, s("documentId")?, b("data")?);
                if kind == "request" {
                    WireMessage::Request { sender_id, target_id, document_id, data }
                } else {
                    WireMessage::Sync { sender_id, target_id, document_id, data }
                }
            }
            "doc-unavailable" => WireMessage::DocUnavailable { sender_id: s("senderId")?, target_id: s("targetId")?, document_id: s("documentId")? },
            "ephemeral" => WireMessage::Ephemeral {
                sender_id: s("senderId")?,
                target_id: s("targetId")?,
                document_id: s("documentId")?,
                session_id: s("sessionId")?,
                count: get("count").and_then(|v| v.as_integer()).and_then(|i| u64::try_from(i).ok()).ok_or_else(|| bad("count must be a whole number"))?,
                data: b("data")?,
            },
            _ => WireMessage::Other { kind },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_round_trips() {
        let msgs = vec![
            WireMessage::Join { sender_id: "a".into(), supported_protocol_versions: vec!["1".into()] },
            WireMessage::Peer { sender_id: "s".into(), target_id: "a".into(), selected_protocol_version: "1".into() },
            WireMessage::Leave { sender_id: "a".into() },
            WireMessage::Error { message: "bad".into() },
            WireMessage::Request { sender_id: "a".into(), target_id: "s".into(), document_id: "d".into(), data: vec![1, 2] },
            WireMessage::Sync { sender_id: "a".into(), target_id: "s".into(), document_id: "d".into(), data: vec![] },
            WireMessage::DocUnavailable { sender_id: "s".into(), target_id: "a".into(), document_id: "d".into() },
            WireMessage::Ephemeral { sender_id: "a".into(), target_id: "s".into(), document_id: "d".into(), session_id: "x".into(), count: 3, data: vec![9] },
        ];
        for m in msgs {
            assert_eq!(WireMessage::decode(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn garbage_and_oversized_frames_are_errors() {
        assert!(matches!(WireMessage::decode(b"\xff\xff"), Err(WireError::NotCbor(_))));
        let mut arr = vec![];
        ciborium::into_writer(&Value::Array(vec![]), &mut arr).unwrap();
        assert!(matches!(WireMessage::decode(&arr), Err(WireError::NotCbor(_))));
        let no_data = map("sync", vec![("senderId", text("a")), ("targetId", text("b")), ("documentId", text("d"))]);
        let mut bytes = vec![];
        ciborium::into_writer(&no_data, &mut bytes).unwrap();
        assert!(matches!(WireMessage::decode(&bytes), Err(WireError::Malformed { .. })));
        assert!(matches!(WireMessage::decode(&vec![0u8; MAX_FRAME_BYTES + 1]), Err(WireError::TooLarge(_))));
        let other = map("remote-heads-changed", vec![("senderId", text("s"))]);
        let mut bytes = vec![];
        ciborium::into_writer(&other, &mut bytes).unwrap();
        assert_eq!(WireMessage::decode(&bytes).unwrap(), WireMessage::Other { kind: "remote-heads-changed".into() });
    }
}
