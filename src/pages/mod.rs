//! One module per page.

pub mod dashboard;
pub mod editor;
pub mod list;
pub mod settings;
