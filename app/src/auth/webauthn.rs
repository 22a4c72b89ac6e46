//! [hydrate] The browser's side of passkeys: the server's options (WebAuthn JSON) handed to
//! `navigator.credentials`, and the credential returned as JSON (`PublicKeyCredential`'s own
//! `parse…FromJSON` and `toJSON`).

use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn class() -> Option<JsValue> {
    get(&web_sys::window()?.into(), "PublicKeyCredential")
}

/// Whether this browser can create and use passkeys from JSON options.
pub fn supported() -> bool {
    class().is_some_and(|c| {
        get(&c, "parseCreationOptionsFromJSON").is_some() && get(&c, "parseRequestOptionsFromJSON").is_some()
    })
}

async fn ceremony(options: &str, parse: &str, call: &str) -> Result<String, ()> {
    let class = class().ok_or(())?;
    let options = JSON::parse(options).map_err(|_| ())?;
    let public_key = get(&options, "publicKey").ok_or(())?;
    let parse = get(&class, parse).and_then(|f| f.dyn_into::<Function>().ok()).ok_or(())?;
    let parsed = parse.call1(&class, &public_key).map_err(|_| ())?;
    let init = Object::new();
    Reflect::set(&init, &JsValue::from_str("publicKey"), &parsed).map_err(|_| ())?;
    let navigator: JsValue = web_sys::window().ok_or(())?.navigator().into();
    let credentials = get(&navigator, "credentials").ok_or(())?;
    let call = get(&credentials, call).and_then(|f| f.dyn_into::<Function>().ok()).ok_or(())?;
    let promise = call.call1(&credentials, &init).map_err(|_| ())?.dyn_into::<Promise>().map_err(|_| ())?;
    let credential = JsFuture::from(promise).await.map_err(|_| ())?;
    let to_json = get(&credential, "toJSON").and_then(|f| f.dyn_into::<Function>().ok()).ok_or(())?;
    let json = to_json.call0(&credential).map_err(|_| ())?;
    JSON::stringify(&json).ok().and_then(|s| s.as_string()).ok_or(())
}

/// Makes a passkey with the server's creation options; its JSON, or `Err` when the person or the
/// device said no.
pub async fn create(options: &str) -> Result<String, ()> {
    ceremony(options, "parseCreationOptionsFromJSON", "create").await
}

/// Signs the server's challenge with a passkey the person picks; its JSON.
pub async fn sign(options: &str) -> Result<String, ()> {
    ceremony(options, "parseRequestOptionsFromJSON", "get").await
}
