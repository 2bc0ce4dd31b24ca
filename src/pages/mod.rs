//! One module per page.

pub mod editor;
pub mod list;
