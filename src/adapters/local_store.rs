//! localStorage as `hindsight_core::store::KeyValue`.

use gloo_storage::{LocalStorage, Storage};
use hindsight_core::store::{KeyValue, KvError};
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, Copy, Default)]
pub struct LocalStorageKv;

fn storage() -> Result<web_sys::Storage, KvError> {
    // `raw()` panics where there is no localStorage; ask the window first.
    let window = web_sys::window().ok_or_else(|| KvError::Unavailable("no window".into()))?;
    match window.local_storage() {
        Ok(Some(_)) => Ok(LocalStorage::raw()),
        Ok(None) => Err(KvError::Unavailable("localStorage is disabled".into())),
        Err(e) => Err(KvError::Unavailable(describe(&e))),
    }
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Maps a failed write to `QuotaExceeded` when the browser says so.
pub fn write_error(e: &JsValue) -> KvError {
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) if d.name() == "QuotaExceededError" || d.code() == 22 => KvError::QuotaExceeded,
        _ => KvError::Unavailable(describe(e)),
    }
}

impl KeyValue for LocalStorageKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        storage()?.get_item(key).map_err(|e| KvError::Unavailable(describe(&e)))
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        storage()?.set_item(key, value).map_err(|e| write_error(&e))
    }
    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        storage()?.remove_item(key).map_err(|e| KvError::Unavailable(describe(&e)))
    }
    fn keys(&self) -> Result<Vec<String>, KvError> {
        let s = storage()?;
        let n = s.length().map_err(|e| KvError::Unavailable(describe(&e)))?;
        Ok((0..n).filter_map(|i| s.key(i).ok().flatten()).collect())
    }
}
