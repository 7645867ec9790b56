//! No panic reaches the user as a silently frozen page: the panic hook logs it to the console (as
//! `console_error_panic_hook` does) and shows a banner that says what happened and what to do.
//!
//! The banner is built with plain DOM calls, not Leptos: a panic may have left the reactive system half
//! way through an update. Release builds abort on panic (`panic = "abort"`), so after the hook returns
//! the WebAssembly instance is dead and nothing on the page answers any more; the banner says so, and its
//! Reload control is a plain link to the page (no Rust, no script, nothing the Content-Security-Policy
//! has to allow), so it works with the instance gone. Styles are set through the CSSOM (allowed by
//! `style-src 'self'`, unlike a `style` attribute), and the page's stylesheet can restyle
//! `.panic-banner`.
//!
//! Test hook: a page opened with `#__panic_test` in its address panics on purpose once it is mounted
//! (see [`test_panic_asked`]); the browser test `tests/e2e/reliability.test.mjs` uses it. It is harmless:
//! only that exact fragment triggers it, and the banner's Reload link drops the fragment.

use wasm_bindgen::JsCast;

/// The address fragment that makes the page panic on purpose, for the browser test of the banner.
pub const TEST_FRAGMENT: &str = "#__panic_test";

/// Installs the hook. Call first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // If the DOM itself is unavailable there is nothing more to show; the console has the message.
        let _ = show_banner(&info.to_string());
    }));
}

/// Whether the page was opened with [`TEST_FRAGMENT`] as its address fragment. Read before the page
/// mounts (its router may rewrite the fragment).
pub fn test_panic_asked() -> bool {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| h == TEST_FRAGMENT)
}

/// The panic of the browser test of the banner.
#[allow(clippy::panic)] // On purpose: this is the test of what a panic shows.
pub fn test_panic() {
    panic!("a test panic, asked for by the address fragment {TEST_FRAGMENT}");
}

fn show_banner(message: &str) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    if document.get_element_by_id("panic-banner").is_some() {
        return Some(()); // a second panic while the first is shown
    }
    let el = |tag: &str, text: &str| -> Option<web_sys::HtmlElement> {
        let e: web_sys::HtmlElement = document.create_element(tag).ok()?.dyn_into().ok()?;
        e.set_text_content(Some(text)); // text, never HTML: the message may quote file contents
        Some(e)
    };

    let banner = el("div", "")?;
    banner.set_id("panic-banner");
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "panic-banner");
    let title = el("strong", "Margin Lab stopped working.")?;
    let what = el(
        "p",
        "An internal error stopped the page: nothing on it will respond until you reload it. Your unit \
         costs and settings are saved in this browser and will be there after the reload; dropped files \
         are never stored, so drop them again.",
    )?;
    let report = el(
        "p",
        "If it happens again, please report it with this message:",
    )?;
    let details = el("pre", message)?;
    let _ = details.set_attribute("data-testid", "panic-message");
    // A link to the page itself, without the fragment: a full reload, even from `#__panic_test`.
    let href = window.location().href().ok()?;
    let reload: web_sys::HtmlAnchorElement = el("a", "Reload the page")?.dyn_into().ok()?;
    reload.set_href(href.split('#').next().unwrap_or(&href));
    let _ = reload.set_attribute("data-testid", "panic-reload");
    let _ = reload.set_attribute("role", "button");

    for (e, css) in [
        (
            &banner,
            "position:fixed;top:0;left:0;right:0;z-index:2147483647;margin:0;padding:16px 20px;\
             background:#fff4f4;color:#3b0000;border-bottom:3px solid #b00020;\
             font:15px/1.45 system-ui,sans-serif;box-shadow:0 2px 12px rgba(0,0,0,.25)",
        ),
        (
            &details,
            "white-space:pre-wrap;word-break:break-word;max-height:30vh;overflow:auto;padding:8px;\
             background:#fff;border:1px solid #e0b4b4;font:13px/1.4 ui-monospace,monospace;",
        ),
        (
            reload.unchecked_ref::<web_sys::HtmlElement>(),
            "display:inline-block;padding:6px 14px;background:#b00020;color:#fff;border-radius:4px;\
             text-decoration:none;font-weight:600",
        ),
    ] {
        for decl in css.split(';').filter(|d| !d.is_empty()) {
            if let Some((k, v)) = decl.split_once(':') {
                let _ = e.style().set_property(k, v);
            }
        }
    }
    for child in [&title, &what, &report, &details] {
        banner.append_child(child).ok()?;
    }
    banner.append_child(&reload).ok()?;
    document.body()?.prepend_with_node_1(&banner).ok()?;
    let _ = reload.focus();
    Some(())
}
