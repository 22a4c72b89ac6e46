//! Notifications on the phone: the offer to enable them (drawn by the server, after login),
//! the explanation iPhones need first, and the settings page listing the member's devices.

use leptos::prelude::*;

use crate::i18n::t;
use crate::push::api::{push_settings, PushTest, PushUnsubscribe};
use crate::ui::widgets::{day_hm, Authed, ErrorBanner};

/// What the browser allows.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Not known yet (on the server, before hydration).
    Unknown,
    /// No service worker or Push API (an old browser, or iOS outside the home screen).
    Unsupported,
    /// iOS: Web Push needs the app added to the home screen first.
    NeedsHomeScreen,
    /// The person has not answered yet.
    Ask,
    Granted,
    Denied,
}

#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use js_sys::{Promise, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use super::Support;

    fn window() -> Option<web_sys::Window> {
        web_sys::window()
    }

    fn is_ios(w: &web_sys::Window) -> bool {
        let nav = w.navigator();
        let ua = nav.user_agent().unwrap_or_default();
        ua.contains("iPhone")
            || ua.contains("iPad")
            || ua.contains("iPod")
            || (ua.contains("Macintosh") && nav.max_touch_points() > 1)
    }

    fn standalone(w: &web_sys::Window) -> bool {
        w.match_media("(display-mode: standalone)").ok().flatten().is_some_and(|m| m.matches())
            || Reflect::get(&w.navigator(), &JsValue::from_str("standalone")).ok().and_then(|v| v.as_bool())
                == Some(true)
    }

    pub fn support() -> Support {
        let Some(w) = window() else { return Support::Unsupported };
        let has = |name: &str| Reflect::has(&w, &JsValue::from_str(name)).unwrap_or(false);
        if is_ios(&w) && !standalone(&w) {
            return Support::NeedsHomeScreen;
        }
        if !has("PushManager")
            || !has("Notification")
            || !Reflect::has(&w.navigator(), &JsValue::from_str("serviceWorker")).unwrap_or(false)
        {
            return Support::Unsupported;
        }
        match web_sys::Notification::permission() {
            web_sys::NotificationPermission::Granted => Support::Granted,
            web_sys::NotificationPermission::Denied => Support::Denied,
            _ => Support::Ask,
        }
    }

    /// Registers the service worker (offline copy of the app, push messages).
    pub fn register_service_worker() {
        let Some(w) = window() else { return };
        if !Reflect::has(&w.navigator(), &JsValue::from_str("serviceWorker")).unwrap_or(false) {
            return;
        }
        let promise = w.navigator().service_worker().register("/sw.js");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = JsFuture::from(promise).await {
                leptos::logging::warn!("service worker not registered: {e:?}");
            }
        });
    }

    fn b64url_decode(s: &str) -> Option<Vec<u8>> {
        let w = window()?;
        let mut std = s.replace('-', "+").replace('_', "/");
        while !std.len().is_multiple_of(4) {
            std.push('=');
        }
        let bin = w.atob(&std).ok()?;
        Some(bin.chars().map(|c| c as u32 as u8).collect())
    }

    /// A short name for this device ("Android · Chrome").
    pub fn device_label() -> String {
        let ua = window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
        let os = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"]
            .into_iter()
            .find(|o| ua.contains(o))
            .unwrap_or("");
        let browser = if ua.contains("Firefox") {
            "Firefox"
        } else if ua.contains("Edg/") {
            "Edge"
        } else if ua.contains("Chrom") {
            "Chrome"
        } else if ua.contains("Safari") {
            "Safari"
        } else {
            crate::i18n::t::NAVIGATEUR()
        };
        if os.is_empty() {
            browser.to_string()
        } else {
            format!("{} · {browser}", os.replace("Mac OS", "Mac"))
        }
    }

    async fn registration() -> Result<web_sys::ServiceWorkerRegistration, JsValue> {
        let w = window().ok_or(JsValue::NULL)?;
        let ready: Promise = w.navigator().service_worker().ready()?;
        Ok(JsFuture::from(ready).await?.unchecked_into())
    }

    /// This browser's subscription, as (endpoint, p256dh, auth), if it has one.
    pub async fn current() -> Option<(String, String, String)> {
        let reg = registration().await.ok()?;
        let sub = JsFuture::from(reg.push_manager().ok()?.get_subscription().ok()?).await.ok()?;
        if sub.is_null() || sub.is_undefined() {
            return None;
        }
        parse(&sub)
    }

    /// A subscription's endpoint and keys, from its `toJSON()`.
    fn parse(sub: &JsValue) -> Option<(String, String, String)> {
        let to_json = Reflect::get(sub, &JsValue::from_str("toJSON")).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let json = to_json.call0(sub).ok()?;
        let text = |target: &JsValue, name: &str| Reflect::get(target, &JsValue::from_str(name)).ok()?.as_string();
        let keys = Reflect::get(&json, &JsValue::from_str("keys")).ok()?;
        Some((text(&json, "endpoint")?, text(&keys, "p256dh")?, text(&keys, "auth")?))
    }

    /// Asks for permission (this must follow a tap) and subscribes with the server's key.
    pub async fn subscribe(public_key: &str) -> Result<(String, String, String), Support> {
        let permission = web_sys::Notification::request_permission().map_err(|_| Support::Unsupported)?;
        let answer = JsFuture::from(permission).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
        if answer != "granted" {
            return Err(if answer == "denied" { Support::Denied } else { Support::Ask });
        }
        let reg = registration().await.map_err(|_| Support::Unsupported)?;
        let key = b64url_decode(public_key).ok_or(Support::Unsupported)?;
        let options = web_sys::PushSubscriptionOptionsInit::new();
        options.set_user_visible_only(true);
        options.set_application_server_key(&Uint8Array::from(key.as_slice()));
        let manager = reg.push_manager().map_err(|_| Support::Unsupported)?;
        let promise = manager.subscribe_with_options(&options).map_err(|_| Support::Unsupported)?;
        let sub = JsFuture::from(promise).await.map_err(|e| {
            leptos::logging::warn!("push subscription failed: {e:?}");
            Support::Unsupported
        })?;
        parse(&sub).ok_or(Support::Unsupported)
    }
}

/// The cookie that remembers, for 30 days, that the person answered "Plus tard" on this
/// device; a cookie so that the server knows it too and never draws a card the page would drop.
const LATER_COOKIE: &str = "relais-notif=plus-tard";

/// Whether a `Cookie` header (or `document.cookie`) holds the "Plus tard" answer.
fn later_in(cookies: &str) -> bool {
    cookies.split(';').any(|c| c.trim() == LATER_COOKIE)
}

/// Whether the person dismissed the offer on this device ("Plus tard"), read alike by the server
/// from the request and by the browser from its cookies, so that hydration finds what was drawn.
fn dismissed() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| p.headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok()).map(later_in))
            .unwrap_or(false)
    }
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .is_some_and(|c| later_in(&c))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    false
}

fn dismiss() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(d) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = d.set_cookie(&format!("{LATER_COOKIE}; Max-Age=2592000; Path=/; SameSite=Lax"));
        }
    }
}

/// The browser's support, read after hydration.
fn use_support() -> RwSignal<Support> {
    let support = RwSignal::new(Support::Unknown);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        support.set(browser::support());
    });
    support
}

/// Subscribes this device (after a tap) with the server's VAPID public key `key` (which the
/// server draws into the island) and stores the subscription. Sets `message`.
fn enable(
    key: String,
    support: RwSignal<Support>,
    message: RwSignal<Option<&'static str>>,
    done: Option<Callback<()>>,
) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if key.is_empty() {
            message.set(Some(t::NOTIF_ECHEC()));
            return;
        }
        match browser::subscribe(&key).await {
            Ok((endpoint, p256dh, auth)) => {
                let saved =
                    crate::push::api::push_subscribe(endpoint, p256dh, auth, browser::device_label()).await.is_ok();
                support.set(Support::Granted);
                message.set(Some(if saved { t::NOTIF_ACTIVEES() } else { t::NOTIF_ECHEC() }));
                if let (true, Some(done)) = (saved, done) {
                    done.run(());
                }
            }
            Err(Support::Denied) => {
                support.set(Support::Denied);
                message.set(Some(t::NOTIF_REFUSEES()));
            }
            Err(Support::Ask) => {}
            Err(_) => message.set(Some(t::NOTIF_NON_DISPONIBLES())),
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, support, message, done);
}

/// The offer to enable notifications, on the clinician's offers page, while the person has not
/// answered (nor said "later"). Drawn by the server when the member has no device yet (the page
/// waits for it, so nothing moves at hydration); the browser only takes it away when it cannot
/// or need not ask.
#[component]
pub fn NotificationOffer() -> impl IntoView {
    let setup = Resource::new(|| (), |_| push_settings());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (no_device, public_key) = match setup.await {
                    Ok(s) => (s.devices.is_empty(), s.public_key),
                    Err(_) => (false, String::new()),
                };
                view! { <NotificationCard no_device public_key/> }
            })}
        </Transition>
    }
}

/// The card itself, an island: what it shows depends on this browser (support, permission, the
/// "Plus tard" cookie), which only the browser knows for sure.
#[island]
fn NotificationCard(no_device: bool, public_key: String) -> impl IntoView {
    crate::ui::widgets::island_awake();
    let support = use_support();
    let message = RwSignal::new(None::<&'static str>);
    let hidden = RwSignal::new(dismissed());
    view! {
        {move || {
            let s = support.get();
            let show = no_device && !hidden.get() && matches!(s, Support::Unknown | Support::Ask | Support::NeedsHomeScreen);
            show.then(|| view! {
                <section class="card notif-offer" aria-label=t::NOTIFICATIONS()>
                    {if s == Support::NeedsHomeScreen {
                        view! { <p id="ios-home-screen">{t::IOS_ECRAN_ACCUEIL()}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t::NOTIF_PROPOSITION()}</p>
                            <button type="button" class="primary" on:click={
                                let key = public_key.clone();
                                move |_| enable(key.clone(), support, message, None)
                            }>
                                {t::ACTIVER_LES_NOTIFICATIONS()}
                            </button>
                        }.into_any()
                    }}
                    <button type="button" class="link" on:click=move |_| { dismiss(); hidden.set(true); }>{t::PLUS_TARD()}</button>
                </section>
            })
        }}
        {move || message.get().map(|m| view! { <p class="banner info" role="status">{m}</p> })}
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <Authed><Settings/></Authed> }
}

#[component]
fn Settings() -> impl IntoView {
    let remove = ServerAction::<PushUnsubscribe>::new();
    let test = ServerAction::<PushTest>::new();
    let data = Resource::new(move || remove.version().get(), |_| push_settings());
    // Back on the page after subscribing (`?notifications=activees`).
    let just_enabled = leptos_router::hooks::use_query_map().read_untracked().get("notifications").is_some();
    view! {
        <main class="page phone">
            <h1>{t::REGLAGES()}</h1>
            <crate::indicators::MyFiguresCard/>
            <crate::members::ProfileCard/>
            <crate::auth::PasskeysCard/>
            <section class="card" aria-label=t::NOTIFICATIONS()>
                <h2>{t::NOTIFICATIONS()}</h2>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let public_key = data.await.map(|s| s.public_key).unwrap_or_default();
                        view! { <EnableNotifications just_enabled public_key/> }
                    })}
                </Transition>
                <h3>{t::MES_APPAREILS()}</h3>
                <Transition fallback=|| view! { <p class="loading">{t::CHARGEMENT()}</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(s) if s.devices.is_empty() => view! { <p class="empty" id="no-devices">{t::AUCUN_APPAREIL()}</p> }.into_any(),
                            Ok(s) => view! {
                                <ul class="devices" aria-label=t::MES_APPAREILS()>
                                    {s.devices.into_iter().map(|d| view! {
                                        <li class="card device">
                                            <strong>{d.label.clone()}</strong>
                                            <ThisDevice endpoint=d.endpoint.clone()/>
                                            <small>{t::depuis_le(&day_hm(d.created_at))}</small>
                                            <ActionForm action=remove attr:class="inline">
                                                <input type="hidden" name="device_id" value=d.id/>
                                                <button type="submit" class="link">{t::RETIRER()}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=test attr:class="inline">
                                    <button type="submit">{t::ENVOYER_UN_ESSAI()}</button>
                                </ActionForm>
                            }.into_any(),
                            Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                        }
                    })}
                </Transition>
                {move || test.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="banner info" role="status">{t::ESSAI_ENVOYE()}</p> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                })}
                {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            </section>
        </main>
    }
}

/// What this browser can do about notifications, and the button that subscribes it (an island).
/// Once subscribed, the page is drawn again saying so (`just_enabled`), its list of devices
/// with this one.
#[island(lazy)]
fn EnableNotifications(just_enabled: bool, public_key: String) -> impl IntoView {
    crate::ui::widgets::island_awake();
    let support = use_support();
    let message = RwSignal::new(just_enabled.then(t::NOTIF_ACTIVEES));
    let on_enabled = Callback::new(move |_| crate::ui::widgets::go_to("/reglages?notifications=activees"));
    view! {
        {move || match support.get() {
            Support::NeedsHomeScreen => view! { <p id="ios-home-screen">{t::IOS_ECRAN_ACCUEIL()}</p> }.into_any(),
            Support::Unsupported => view! { <p>{t::NOTIF_NON_DISPONIBLES()}</p> }.into_any(),
            Support::Denied => view! { <p>{t::NOTIF_REFUSEES()}</p> }.into_any(),
            _ => view! {
                <p>{t::NOTIF_PROPOSITION()}</p>
                <button type="button" class="primary" on:click={
                    let key = public_key.clone();
                    move |_| enable(key.clone(), support, message, Some(on_enabled))
                }>
                    {t::ACTIVER_LES_NOTIFICATIONS()}
                </button>
            }.into_any(),
        }}
        {move || message.get().map(|m| view! { <p class="banner info" role="status">{m}</p> })}
    }
}

/// " (cet appareil)" after the device that is this browser (an island: only the browser knows
/// its own subscription).
#[island(lazy)]
fn ThisDevice(endpoint: String) -> impl IntoView {
    crate::ui::widgets::island_awake();
    let mine = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let endpoint = endpoint.clone();
            leptos::task::spawn_local(async move {
                mine.set(browser::current().await.is_some_and(|(own, _, _)| own == endpoint));
            });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = &endpoint;
    view! { {move || mine.get().then(|| format!(" ({})", t::CET_APPAREIL()))} }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_later_answer_is_found_among_the_cookies_only_under_its_own_name() {
        assert!(super::later_in("relais-notif=plus-tard"));
        assert!(super::later_in("relais_session=abc; relais-notif=plus-tard; x=1"));
        assert!(!super::later_in("relais_session=abc"));
        assert!(!super::later_in("relais-notif=plus-tard-pas; autre-relais-notif=plus-tard"));
        assert!(!super::later_in(""));
    }
}
