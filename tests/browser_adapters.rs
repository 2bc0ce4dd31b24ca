//! The browser adapters, in real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use hindsight::adapters::{clock, local_store::LocalStorageKv, tab_channel::TabChannel};
use hindsight_core::document::PostmortemDoc;
use hindsight_core::domain::{Narrative, PostmortemId};
use hindsight_core::store::{self, KeyValue, KvError};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear(prefix: &str) {
    let mut kv = LocalStorageKv;
    for k in kv.keys().unwrap() {
        if k.starts_with(prefix) {
            kv.remove(&k).unwrap();
        }
    }
}

#[wasm_bindgen_test]
fn local_storage_reads_writes_lists_and_removes() {
    clear("adapter-test/");
    let mut kv = LocalStorageKv;
    assert_eq!(kv.get("adapter-test/a").unwrap(), None);
    kv.set("adapter-test/a", "1").unwrap();
    kv.set("adapter-test/b", "ü ✓").unwrap();
    assert_eq!(kv.get("adapter-test/b").unwrap().as_deref(), Some("ü ✓"));
    let mut keys: Vec<_> = kv.keys().unwrap().into_iter().filter(|k| k.starts_with("adapter-test/")).collect();
    keys.sort();
    assert_eq!(keys, ["adapter-test/a", "adapter-test/b"]);
    kv.remove("adapter-test/a").unwrap();
    assert_eq!(kv.get("adapter-test/a").unwrap(), None);
    clear("adapter-test/");
}

#[wasm_bindgen_test]
fn a_full_local_storage_is_reported_as_quota_exceeded() {
    let mut kv = LocalStorageKv;
    // Larger than any browser's localStorage quota for one origin.
    let huge = "x".repeat(12 * 1024 * 1024);
    assert_eq!(kv.set("adapter-test/huge", &huge), Err(KvError::QuotaExceeded));
    assert_eq!(kv.get("adapter-test/huge").unwrap(), None);
}

#[wasm_bindgen_test]
fn a_postmortem_round_trips_through_local_storage() {
    clear("hindsight/v1/postmortem/adapter-rt/");
    let mut kv = LocalStorageKv;
    let id = PostmortemId::parse("adapter-rt").unwrap();
    let mut doc = PostmortemDoc::create(&id, clock::now(), "Stored in Chromium");
    let mut st = store::create(&mut kv, &id, &mut doc).unwrap();
    doc.set_narrative(Narrative::Summary, "Saved as a chunk").unwrap();
    assert!(store::save(&mut kv, &id, &mut doc, &mut st).unwrap().wrote);
    let (back, _) = store::load(&kv, &id).unwrap();
    let p = back.view().unwrap();
    assert_eq!((p.title.as_str(), p.summary.as_str()), ("Stored in Chromium", "Saved as a chunk"));
    assert!(store::list(&kv).unwrap().contains(&id));
    store::delete(&mut kv, &id).unwrap();
    assert!(!store::list(&kv).unwrap().contains(&id));
}

#[wasm_bindgen_test]
async fn broadcast_channel_carries_bytes_between_channels() {
    let got: Rc<RefCell<Vec<Vec<u8>>>> = Rc::default();
    let sink = got.clone();
    let receiver = TabChannel::open("adapter-test", move |b| sink.borrow_mut().push(b)).unwrap();
    let sender = TabChannel::open("adapter-test", |_| {}).unwrap();
    sender.post(&[0, 1, 2, 255]).unwrap();
    for _ in 0..50 {
        if !got.borrow().is_empty() {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    assert_eq!(*got.borrow(), vec![vec![0u8, 1, 2, 255]]);
    drop(receiver);
}

#[wasm_bindgen_test]
fn the_browser_zone_is_used_for_local_readings() {
    let m = clock::moment_in_browser_zone("2016-04-11T18:14").unwrap();
    assert_eq!(m.local_input_value(), "2016-04-11T18:14");
    let js = js_sys::Date::new(&(m.utc().timestamp_millis() as f64).into());
    assert_eq!(m.offset().minutes(), -(js.get_timezone_offset() as i32));
    assert!(clock::moment_in_browser_zone("not a time").is_err());
    assert!(!clock::zone_name().is_empty());
}
