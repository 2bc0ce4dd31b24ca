//! Thin browser adapters. Each one only moves data between the browser and
//! `hindsight-core`; the logic they serve is tested natively there.

pub mod clock;
pub mod download;
pub mod local_store;
pub mod server_socket;
pub mod tab_channel;
