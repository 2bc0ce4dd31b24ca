//! Hindsight's core: the postmortem domain and the Automerge document layer.
//!
//! Nothing here knows about the browser. The web app (the root crate) wraps
//! these types with thin adapters for localStorage and BroadcastChannel.
//!
//! - [`domain`]: plain Rust types of a postmortem, its timeline and the spans
//!   measured from it (TTD, TTR, TTF, impact).
//! - [`document`]: a postmortem as one Automerge CRDT document, and the edits a
//!   person can make to it.
//! - [`store`]: how documents are kept in a key-value store (localStorage in
//!   the browser) without two tabs overwriting each other.
//! - [`sync`]: sans-IO sync between tabs of one browser (bytes in, bytes out).
//! - [`export`]: the versioned JSON export format.

pub mod document;
pub mod domain;
pub mod export;
pub mod import;
pub mod store;
pub mod sync;
