//! BroadcastChannel carrying `hindsight_core::sync` messages between tabs.

use js_sys::Uint8Array;
use wasm_bindgen::{closure::Closure, JsCast};

pub struct TabChannel {
    channel: web_sys::BroadcastChannel,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl TabChannel {
    /// Opens the channel; `on_message` gets the bytes of every message other
    /// tabs post. Messages that are not bytes are ignored.
    pub fn open(name: &str, mut on_message: impl FnMut(Vec<u8>) + 'static) -> Result<Self, String> {
        let channel = web_sys::BroadcastChannel::new(name).map_err(|e| format!("{e:?}"))?;
        let cb = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(arr) = ev.data().dyn_ref::<Uint8Array>() {
                on_message(arr.to_vec());
            }
        });
        channel.set_onmessage(Some(cb.as_ref().unchecked_ref()));
        Ok(Self { channel, _on_message: cb })
    }

    pub fn post(&self, bytes: &[u8]) -> Result<(), String> {
        let arr = Uint8Array::from(bytes);
        self.channel.post_message(&arr).map_err(|e| format!("{e:?}"))
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
