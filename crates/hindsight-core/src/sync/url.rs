//! automerge-repo document ids: 16 bytes, written as base58check
//! (`automerge:` + id in a URL).

use crate::domain::PostmortemId;
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("{0:?} is not an automerge document id (base58check of 16 bytes)")]
    NotADocumentId(String),
}

impl DocumentId {
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bs58::encode(bytes).with_check().into_string())
    }

    /// Parses a bare id or an `automerge:` URL.
    pub fn parse(s: &str) -> Result<Self, UrlError> {
        let t = s.trim();
        let t = t.strip_prefix("automerge:").unwrap_or(t);
        let bytes = bs58::decode(t).with_check(None).into_vec().map_err(|_| UrlError::NotADocumentId(s.into()))?;
        if bytes.len() != 16 {
            return Err(UrlError::NotADocumentId(s.into()));
        }
        Ok(Self(t.to_string()))
    }

    /// The document id of a postmortem: a postmortem whose id is itself a
    /// document id keeps it (new postmortems are created that way); any other
    /// id (imported, older) maps to the first 16 bytes of its SHA-256.
    pub fn for_postmortem(id: &PostmortemId) -> Self {
        DocumentId::parse(id.as_str()).unwrap_or_else(|_| {
            let h = Sha256::digest(id.as_str().as_bytes());
            let mut b = [0u8; 16];
            b.copy_from_slice(&h[..16]);
            Self::from_bytes(b)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn url(&self) -> String {
        format!("automerge:{}", self.0)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let id = DocumentId::from_bytes([7; 16]);
        assert_eq!(DocumentId::parse(&id.url()).unwrap(), id);
        assert_eq!(DocumentId::parse(id.as_str()).unwrap(), id);
        assert!(DocumentId::parse("automerge:notbase58!!").is_err());
        // Valid base58 but wrong checksum.
        let mut s = id.as_str().to_string();
        let last = s.pop().unwrap();
        s.push(if last == '2' { '3' } else { '2' });
        assert!(DocumentId::parse(&s).is_err());
        // Valid base58check of the wrong length.
        assert!(DocumentId::parse(&bs58::encode([1u8; 8]).with_check().into_string()).is_err());
    }

    #[test]
    fn postmortem_ids_map_stably() {
        let doc = DocumentId::from_bytes([1; 16]);
        assert_eq!(DocumentId::for_postmortem(&PostmortemId::parse(doc.as_str()).unwrap()), doc);
        let legacy = PostmortemId::parse("gitlab-2017-01-31-db-outage").unwrap();
        assert_eq!(DocumentId::for_postmortem(&legacy), DocumentId::for_postmortem(&legacy));
        assert!(DocumentId::parse(DocumentId::for_postmortem(&legacy).as_str()).is_ok());
    }
}
