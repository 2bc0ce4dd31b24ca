//! Sync engines, sans-IO: they take bytes (and the time) and return bytes to
//! send; the browser adapters only move the bytes.
//!
//! - [`tabs`]: between tabs of one browser (BroadcastChannel).
//! - [`url`]: automerge-repo document ids and `automerge:` URLs.
//! - [`wire`]: the automerge-repo network protocol's messages (CBOR).
//! - [`server`]: a client of an automerge-repo sync server (WebSocket).

pub mod presence;
pub mod server;
pub mod tabs;
pub mod url;
pub mod wire;

pub use tabs::{DocSet, Outcome, SyncError, TabMessage, TabSync};
