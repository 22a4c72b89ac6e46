// Relais service worker: the app shell offline, the last "my offers" and "my vacations" pages,
// and Web Push notifications that open the offer in one tap.
//
// The server stamps BUILD with a hash of the app's files (GET /sw.js), so every new build
// installs a new worker that caches the new files and deletes the caches of older builds.
"use strict";

const BUILD = "__RELAIS_BUILD__";
const SHELL_CACHE = `relais-shell-${BUILD}`;
const PAGES_CACHE = `relais-pages-${BUILD}`;

// The loader of the WebAssembly's parts in a split build (the main module imports it), stamped
// by the server; empty otherwise. The parts themselves are kept as the pages fetch them.
const LOADER = "__RELAIS_LOADER__";

// Fetched at install: what any page needs to start without the network.
const SHELL = [
  ...(LOADER ? [LOADER] : []),
  "/pkg/relais.js",
  "/pkg/relais.wasm",
  "/pkg/relais.css",
  "/manifest.webmanifest",
  "/favicon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-512.png",
  "/hors-ligne.html",
];

// Pages kept for offline use (network first, the last good copy when offline).
const OFFLINE_PAGES = ["/offres", "/gardes"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith("relais-") && n !== SHELL_CACHE && n !== PAGES_CACHE)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function forgetPages() {
  return caches.delete(PAGES_CACHE);
}

// A page asks for fresh copies of the offline pages (the islands build: its pages are drawn by
// the server, so these copies are what shows offline). At most once a minute; a page that
// redirects (not a clinician's, the session ended) is not kept.
let keptAt = 0;
self.addEventListener("message", (event) => {
  if (event.data !== "keep-pages" || Date.now() - keptAt < 60_000) return;
  keptAt = Date.now();
  event.waitUntil(
    caches.open(PAGES_CACHE).then((cache) =>
      Promise.all(
        OFFLINE_PAGES.map((path) =>
          fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } })
            .then((response) => (response.ok && !response.redirected ? cache.put(path, response) : undefined))
            .catch(() => undefined),
        ),
      ),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  // Logging out: whoever uses the phone next sees no page of this member offline.
  if (request.method === "POST" && url.pathname === "/api/auth/logout") {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== "GET") return;
  // Server functions, the live stream and the calendar go to the network only.
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/calendrier/")) return;

  if (request.mode === "navigate") {
    if (url.pathname === "/connexion") {
      event.waitUntil(forgetPages());
      return;
    }
    // Only the plain pages: a page with a query would not match its cached copy.
    const keep = OFFLINE_PAGES.includes(url.pathname) && url.search === "";
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (keep && response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(PAGES_CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(async () => {
          const cached = keep ? await caches.match(url.pathname, { cacheName: PAGES_CACHE }) : undefined;
          // The offline page in the language it was cached in (it varies with Accept-Language).
          return cached || (await caches.match("/hors-ligne.html", { ignoreVary: true })) || Response.error();
        }),
    );
    return;
  }

  if (url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/icons/") || SHELL.includes(url.pathname)) {
    // The shell of this build: from the cache, else the network (and kept). The offline page
    // and the manifest vary with Accept-Language: the copy cached at install serves until the
    // next build.
    event.respondWith(
      caches.match(request, { cacheName: SHELL_CACHE, ignoreVary: true }).then(
        (hit) =>
          hit ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});

// A push message: { kind, title, body, url, tag, request_id }. The tag makes a repeat (at least
// once delivery) or a later message about the same offer replace the earlier notification.
self.addEventListener("push", (event) => {
  let message;
  try {
    message = event.data ? event.data.json() : null;
  } catch (_) {
    message = null;
  }
  if (!message) {
    message = { kind: "notice", title: "Relais", body: "Du nouveau dans Relais.", url: "/", tag: "relais" };
  }
  const urgent = message.kind === "offer_new";
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      renotify: urgent,
      requireInteraction: urgent,
      lang: "fr",
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      data: { url: message.url, kind: message.kind, request_id: message.request_id },
    }),
  );
});

// One tap: focus an open Relais window on the offer, or open one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(async (windows) => {
      const open = windows.find((c) => new URL(c.url).origin === self.location.origin && "focus" in c);
      if (open) {
        try {
          const focused = (await open.focus()) || open;
          // navigate() only works on a window this worker controls; otherwise open a new one.
          if (focused.navigate) return await focused.navigate(target);
        } catch (_) {
          // fall through
        }
      }
      return self.clients.openWindow(target);
    }),
  );
});

// The browser renewed or dropped the subscription: subscribe again with the server's key and tell
// the server (the session cookie goes with these same-origin requests).
self.addEventListener("pushsubscriptionchange", (event) => {
  const json = { "Content-Type": "application/json", Accept: "application/json" };
  event.waitUntil(
    fetch("/api/push/settings", { method: "POST", headers: json, body: "{}" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`settings ${r.status}`))))
      .then((settings) => {
        const raw = atob(settings.public_key.replace(/-/g, "+").replace(/_/g, "/"));
        const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
        return self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      })
      .then((subscription) => {
        const s = subscription.toJSON();
        return fetch("/api/push/subscribe", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth, label: "" }),
        });
      })
      .catch(() => undefined),
  );
});
