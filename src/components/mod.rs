//! Panels and fields of the editor, one per module.

pub mod action_items;
pub mod archive_tools;
pub mod charts;
pub mod entry_form;
pub mod history_panel;
pub mod mergeable_text;
pub mod sync_status;
pub mod metrics_panel;
pub mod timeline_panel;
pub mod zone;
