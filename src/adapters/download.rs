//! Saving a file from the page (a Blob behind a temporary link).

use wasm_bindgen::JsCast;

pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    save_parts(file_name, mime, js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents)))
}

pub fn download_bytes(file_name: &str, mime: &str, contents: &[u8]) -> Result<(), String> {
    save_parts(file_name, mime, js_sys::Array::of1(&js_sys::Uint8Array::from(contents)))
}

fn save_parts(file_name: &str, mime: &str, parts: js_sys::Array) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(err)?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.set_attribute("style", "display:none").map_err(err)?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&a).map_err(err)?;
    a.click();
    body.remove_child(&a).map_err(err)?;
    // Revoke later: revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
