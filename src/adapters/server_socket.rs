//! A WebSocket to a sync server, carrying binary frames.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

pub struct ServerSocket {
    ws: WebSocket,
    _callbacks: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

pub enum SocketEvent {
    Open,
    Frame(Vec<u8>),
    /// Closed or failed, with a reason for the status line.
    Closed(String),
}

impl ServerSocket {
    pub fn open(url: &str, on_event: impl Fn(SocketEvent) + Clone + 'static) -> Result<Self, String> {
        let ws = WebSocket::new(url).map_err(|e| format!("{e:?}"))?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let mut callbacks = vec![];
        let f = on_event.clone();
        let open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| f(SocketEvent::Open));
        ws.set_onopen(Some(open.as_ref().unchecked_ref()));
        callbacks.push(open);
        let f = on_event.clone();
        let message = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Ok(ev) = ev.dyn_into::<MessageEvent>() else { return };
            match ev.data().dyn_into::<ArrayBuffer>() {
                Ok(buf) => f(SocketEvent::Frame(Uint8Array::new(&buf).to_vec())),
                // A text frame is not part of the protocol.
                Err(_) => f(SocketEvent::Frame(b"text frame".to_vec())),
            }
        });
        ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
        callbacks.push(message);
        let f = on_event;
        let close = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let reason = match ev.dyn_ref::<CloseEvent>() {
                Some(c) if !c.reason().is_empty() => format!("closed ({}: {})", c.code(), c.reason()),
                Some(c) => format!("closed (code {})", c.code()),
                None => "connection failed".to_string(),
            };
            f(SocketEvent::Closed(reason));
        });
        ws.set_onclose(Some(close.as_ref().unchecked_ref()));
        callbacks.push(close);
        Ok(Self { ws, _callbacks: callbacks })
    }

    pub fn send(&self, bytes: &[u8]) -> Result<(), String> {
        self.ws.send_with_u8_array(bytes).map_err(|e| format!("{e:?}"))
    }

    pub fn is_open(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }
}

impl Drop for ServerSocket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
