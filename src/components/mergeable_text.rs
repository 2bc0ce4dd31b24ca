//! A text field bound to mergeable document text.
//!
//! The element is not re-rendered when the document changes: a remote edit
//! is written into it with the caret kept in place (moved along when the
//! edit happened before it), so two people typing in one field do not fight
//! over the cursor.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the caret should go after `old` became `new`, in UTF-16 units as
/// the DOM counts them.
fn moved_caret(old: &[u16], new: &[u16], caret: usize) -> usize {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    if caret <= prefix {
        caret
    } else if caret >= old.len() - suffix {
        (caret + new.len()).saturating_sub(old.len())
    } else {
        new.len() - suffix
    }
}

#[derive(Clone)]
enum Field {
    Input(web_sys::HtmlInputElement),
    Area(web_sys::HtmlTextAreaElement),
}

impl Field {
    fn from(el: web_sys::Element) -> Option<Field> {
        el.clone()
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .map(Field::Area)
            .or_else(|_| el.dyn_into::<web_sys::HtmlInputElement>().map(Field::Input))
            .ok()
    }
    fn value(&self) -> String {
        match self {
            Field::Input(e) => e.value(),
            Field::Area(e) => e.value(),
        }
    }
    fn replace(&self, new: &str) {
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|a| match self {
                Field::Input(e) => a == ***e,
                Field::Area(e) => a == ***e,
            });
        let old: Vec<u16> = self.value().encode_utf16().collect();
        let new16: Vec<u16> = new.encode_utf16().collect();
        let (start, end) = match self {
            Field::Input(e) => (e.selection_start().ok().flatten(), e.selection_end().ok().flatten()),
            Field::Area(e) => (e.selection_start().ok().flatten(), e.selection_end().ok().flatten()),
        };
        match self {
            Field::Input(e) => e.set_value(new),
            Field::Area(e) => e.set_value(new),
        }
        if let (true, Some(s), Some(en)) = (focused, start, end) {
            let s = moved_caret(&old, &new16, s as usize) as u32;
            let en = moved_caret(&old, &new16, en as usize) as u32;
            let _ = match self {
                Field::Input(e) => e.set_selection_range(s, en),
                Field::Area(e) => e.set_selection_range(s, en),
            };
        }
    }
}

/// `value` is the document's text; `on_edit` gets the field's whole new text
/// after each keystroke (the document layer turns it into a minimal splice).
#[component]
pub fn MergeableText(
    #[prop(into)] value: Signal<String>,
    on_edit: Callback<String>,
    #[prop(into)] label: String,
    #[prop(into)] test_id: String,
    #[prop(optional)] multiline: bool,
    #[prop(optional, into)] placeholder: String,
    #[prop(optional, into)] hint: String,
) -> impl IntoView {
    let node: NodeRef<leptos::html::Div> = NodeRef::new();
    let field = move || -> Option<Field> {
        let div = node.get()?;
        Field::from(div.query_selector("input, textarea").ok()??)
    };
    Effect::new(move |_| {
        let v = value.get();
        if let Some(f) = field() {
            if f.value() != v {
                f.replace(&v);
            }
        }
    });
    let on_input = move |_| {
        if let Some(f) = field() {
            on_edit.run(f.value());
        }
    };
    let initial = value.get_untracked();
    let input = if multiline {
        view! {
            <textarea rows="5" data-testid=test_id.clone() aria-label=label.clone() placeholder=placeholder.clone()
                on:input=on_input>{initial}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input type="text" data-testid=test_id.clone() aria-label=label.clone() placeholder=placeholder.clone()
                value=initial on:input=on_input />
        }
        .into_any()
    };
    view! {
        <div class="field mergeable" node_ref=node>
            <label>
                <span class="label">{label.clone()}</span>
                {(!hint.is_empty()).then(|| view! { <span class="hint">{hint.clone()}</span> })}
            </label>
            {input}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::moved_caret;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn caret_stays_before_a_remote_edit_and_moves_after_one() {
        // Remote typed at the end: caret at 2 stays.
        assert_eq!(moved_caret(&u("abcd"), &u("abcdXY"), 2), 2);
        // Remote typed at the start: caret moves along by 2.
        assert_eq!(moved_caret(&u("abcd"), &u("XYabcd"), 2), 4);
        // Remote deleted before the caret.
        assert_eq!(moved_caret(&u("abcd"), &u("cd"), 3), 1);
    }
}
