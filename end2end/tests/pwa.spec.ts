import { type APIRequestContext, type Page } from "@playwright/test";
import { expect, hydrated, login, phoneOf, test } from "./helpers";

/** The service worker of the page is installed and controls it. */
async function serviceWorkerReady(page: Page) {
  const state = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state;
  });
  expect(state).toBe("activated");
  // A page opened before activation is not controlled: reload once so that fetches go through it.
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await hydrated(page);
  }
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** The service worker's copy of the page `path` (its HTML), kept for offline use, or null. */
async function offlineCopy(page: Page, path: string): Promise<string | null> {
  return page.evaluate(async (path) => {
    const cached = await caches.match(path, { ignoreVary: true });
    return cached ? await cached.text() : null;
  }, path);
}

/** Creates and pushes a fever request in Rennes as the coordinator; returns its id. */
async function pushRequest(api: APIRequestContext, patient: string): Promise<number> {
  const headers = { accept: "application/json" };
  const form = {
    motive: "fever", profession: "gp", patient_name: patient, age_band: "16-64", callback_phone: "06 12 34 56 78",
    commune: "Rennes", teleconsult_ok: "on", deadline: "today", source: "patient_call", treating_member_id: "", note: "",
  };
  const created = await api.post("/api/requests/create", { data: { form }, headers });
  expect(created.ok()).toBeTruthy();
  const id = Number(await created.json());
  const pushed = await api.post("/api/requests/push", { data: { request_id: id }, headers });
  expect(pushed.ok()).toBeTruthy();
  return id;
}

test("the app is installable: a valid manifest, its icons, and a service worker that caches the shell", async ({ page }) => {
  const manifest = await (await page.request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ short_name: "Relais", lang: "fr", display: "standalone", start_url: "/", scope: "/" });
  expect(manifest.name).toContain("Relais");
  expect(manifest.description).toMatch(/soins non programmés/);
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  const sizes = new Map<string, string>();
  for (const icon of manifest.icons) sizes.set(`${icon.sizes}/${icon.purpose}`, icon.src);
  for (const [want, px] of [["192x192/any", 192], ["512x512/any", 512], ["512x512/maskable", 512]] as const) {
    const src = sizes.get(want);
    expect(src, want).toBeTruthy();
    const png = await (await page.request.get(src!)).body();
    // PNG signature, then the IHDR width and height.
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([px, px]);
  }
  await login(page, "dr.durand");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await serviceWorkerReady(page);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const shell = names.find((n) => n.startsWith("relais-shell-"));
    if (!shell) return [];
    const cache = await caches.open(shell);
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  // The release build names its files by their content (a new build is new names), and the
  // worker keeps this build's files; the offline page it shows asks for the same stylesheet.
  const files = await buildFiles(page);
  expect(files).toEqual([
    expect.stringMatching(/^\/pkg\/relais\.[\w-]{22}\.js$/),
    expect.stringMatching(/^\/pkg\/relais\.[\w-]{22}\.wasm$/),
    expect.stringMatching(/^\/pkg\/relais\.[\w-]{22}\.css$/),
  ]);
  expect(cached).toEqual(expect.arrayContaining([...files, "/hors-ligne.html"]));
  // And the loader of the WebAssembly's parts, which the module imports: without it no page
  // would start offline.
  expect(cached).toContainEqual(expect.stringMatching(LOADER));
  expect(await (await page.request.get("/hors-ligne.html")).text()).toContain(`href="${files[2]}"`);
});

/** The loader of the parts of the WebAssembly (`cargo leptos build --split`). */
const LOADER = /^\/pkg\/__wasm_split\.[\w-]{22}\.js$/;

/** The JavaScript, WebAssembly and CSS the page names. */
async function buildFiles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ['link[rel="modulepreload"]', 'link[rel="preload"][as="fetch"]', 'link[rel="stylesheet"]#leptos'].map(
      (selector) => document.querySelector(selector)?.getAttribute("href") ?? "",
    ),
  );
}

test("the first visit gets the app's files compressed at build time; a repeat visit downloads none of them again", async ({
  browser,
  contextOptions,
}) => {
  // The browser's own cache alone (no service worker), as after the worker was cleared.
  const context = await browser.newContext({ ...contextOptions, serviceWorkers: "block" });
  const page = await context.newPage();
  const first = new Map<string, Record<string, string>>();
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/pkg/")) first.set(path, r.headers());
  });
  await page.goto("/connexion");
  await hydrated(page);
  // The files the page names, and the loader of the WebAssembly's parts the module imports; the
  // login page's islands are all in the main module, so no part is fetched.
  const files = await buildFiles(page);
  const loader = [...first.keys()].filter((path) => LOADER.test(path));
  expect(loader).toHaveLength(1);
  files.push(loader[0]);
  expect([...first.keys()].sort()).toEqual([...files].sort());
  for (const [path, headers] of first) {
    expect(headers["content-encoding"], path).toBe("br");
    expect(headers["cache-control"], path).toBe("public, max-age=31536000, immutable");
  }

  // Every load of /pkg from here on, through the DevTools protocol: what came from the network
  // rather than a cache, and how many bytes were received for it.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const pkg = new Map<string, string>();
  const fromNetwork: string[] = [];
  let bytes = 0;
  cdp.on("Network.requestWillBeSent", (e) => {
    const path = new URL(e.request.url).pathname;
    if (path.startsWith("/pkg/")) pkg.set(e.requestId, path);
  });
  // From the memory cache (this tab's), the disk cache, or the network.
  const fromMemory = new Set<string>();
  cdp.on("Network.requestServedFromCache", (e) => fromMemory.add(e.requestId));
  cdp.on("Network.responseReceived", (e) => {
    const r = e.response;
    if (pkg.has(e.requestId) && !fromMemory.has(e.requestId) && !r.fromDiskCache && !r.fromPrefetchCache && !r.fromServiceWorker) {
      fromNetwork.push(pkg.get(e.requestId)!);
    }
  });
  cdp.on("Network.loadingFinished", (e) => {
    if (pkg.has(e.requestId)) bytes += e.encodedDataLength;
  });
  // Back to the login page, then a clinician's *Mes offres*: the same files, all from the cache.
  await login(page, "dr.durand");
  await page.goto("/offres");
  await hydrated(page);
  expect([...(await buildFiles(page)), loader[0]]).toEqual(files);
  expect([...new Set(pkg.values())].sort()).toEqual([...files].sort());
  expect(fromNetwork).toEqual([]);
  expect(bytes).toBe(0);
  await context.close();
});

test("the islands of a rarer page come with it, each in its part of the WebAssembly, compressed and kept for good", async ({
  browser,
  contextOptions,
}) => {
  const context = await browser.newContext({ ...contextOptions, serviceWorkers: "block" });
  const page = await context.newPage();
  await login(page, "dr.martin");
  const parts = new Map<string, Record<string, string>>();
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/pkg\/(split|chunk)_/.test(path)) parts.set(path, r.headers());
  });
  await page.goto("/reglages");
  await hydrated(page);
  // Réglages shows three lazy islands: adding a passkey, turning notifications on, "this device".
  // Each part is fetched as its island wakes, which may be after the page is hydrated.
  for (const island of ["add_passkey", "enable_notifications"]) {
    await expect
      .poll(() => [...parts.keys()], { message: island })
      .toContainEqual(expect.stringMatching(new RegExp(`^/pkg/split_${island}_loader_\\d+\\.[\\w-]{22}\\.wasm$`)));
  }
  for (const [path, headers] of parts) {
    expect(headers["content-encoding"], path).toBe("br");
    expect(headers["cache-control"], path).toBe("public, max-age=31536000, immutable");
  }
  // Awake: the passkey island, which the server cannot draw (only the browser knows it can make
  // passkeys), shows its form.
  await expect(page.getByRole("button", { name: "Ajouter une clé d'accès" })).toBeVisible();
  await context.close();
});

test("offline after a first visit, my vacations still show from the phone's copy under the offline banner", async ({ browser, contextOptions }) => {
  const phone = await phoneOf(browser, "dr.martin", contextOptions);
  await serviceWorkerReady(phone);
  await phone.goto("/gardes");
  await hydrated(phone);
  const mine = phone.getByRole("region", { name: "Mes vacations" }).locator("li.vacation .when");
  await expect(mine.first()).toBeVisible();
  const online = await mine.allInnerTexts();
  // The network watch asks the service worker to keep the page (at most once a minute).
  await expect.poll(() => offlineCopy(phone, "/gardes")).not.toBeNull();
  await expect(phone.locator("#offline-banner")).toHaveCount(0);

  await phone.context().setOffline(true);
  // A reload without network: the service worker serves its copy of the page.
  await phone.reload();
  await hydrated(phone);
  await expect(phone.locator("#offline-banner")).toContainText("Hors ligne — données du");
  await expect(mine).toHaveText(online);

  // Moving around offline too: the offers page, then back to the vacations, from the copies.
  await phone.getByRole("link", { name: "Demandes" }).click();
  await expect(phone.locator("#offline-banner")).toBeVisible();
  await phone.getByRole("link", { name: "Mes gardes" }).click();
  await expect(phone.locator("#offline-banner")).toContainText("Hors ligne — données du");
  await expect(mine).toHaveText(online);

  await phone.context().setOffline(false);
  await expect(phone.locator("#offline-banner")).toHaveCount(0);
  await expect(mine).toHaveText(online);
  await phone.context().close();
});

test("offline, accepting is disabled and a refusal waits; back online it is sent exactly once", async ({ page, browser, contextOptions }) => {
  await login(page, "coordination");
  const id = await pushRequest(page.request, "Offline E2E");

  const phone = await phoneOf(browser, "dr.bernard", contextOptions);
  const offer = phone.locator(`li.offer[data-request-id="${id}"]`);
  await expect(offer).toBeVisible();
  await expect.poll(() => offlineCopy(phone, "/offres")).toContain(`data-request-id="${id}"`);

  await phone.context().setOffline(true);
  const accept = offer.getByRole("button", { name: /Accepter/ });
  await expect(accept).toBeDisabled();
  await expect(accept).toHaveText("Accepter (réseau nécessaire)");
  await offer.getByLabel("Raison (facultative)").selectOption("no_slot");
  await offer.getByRole("button", { name: "Décliner" }).click();
  await expect(phone.locator("#outbox-pending")).toContainText("1 action en attente du réseau");
  await expect(offer.getByRole("status")).toContainText("Refus enregistré hors ligne");

  // Nothing reached the server yet.
  await page.goto(`/demandes/${id}`);
  await expect(page.locator('tr[data-member="Dr Inès Bernard"]')).not.toHaveAttribute("data-state", "refused");

  await phone.context().setOffline(false);
  await expect(phone.locator("#outbox-pending")).toHaveCount(0);
  await expect(offer).toHaveCount(0);
  // A reload replays whatever is left (nothing) and must not refuse twice.
  await phone.reload();
  await hydrated(phone);
  await expect(phone.locator("#outbox-pending")).toHaveCount(0);

  await page.goto("/coordination");
  const chips = page.locator("li.request").filter({ hasText: "Offline E2E" }).locator('li.chip[data-member="Dr Inès Bernard"]');
  await expect(chips).toHaveCount(1);
  await expect(chips).toHaveAttribute("data-state", "refused");
  await page.goto(`/demandes/${id}`);
  await expect(page.locator("ol.timeline li").filter({ hasText: "Proposition déclinée" })).toHaveCount(1);
  await phone.context().close();
});

test("a refusal an earlier version left in its IndexedDB outbox is sent once, and that database goes", async ({ page, browser, contextOptions }) => {
  await login(page, "coordination");
  const id = await pushRequest(page.request, "Legacy outbox E2E");
  const phone = await phoneOf(browser, "dr.bernard", contextOptions);
  const offer = phone.locator(`li.offer[data-request-id="${id}"]`);
  await expect(offer).toBeVisible();

  // What the earlier version wrote when the refusal was made offline: the form's post, under
  // "<milliseconds>:<key>" in the store "outbox" of the database "relais" (version 2).
  const decline = offer.locator("form").filter({ has: phone.getByRole("button", { name: "Décliner" }) });
  await phone.evaluate(async (form) => {
    const data = new URLSearchParams(new FormData(form as HTMLFormElement) as unknown as Record<string, string>);
    const key = "legacy-e2e-1";
    const item = { key, url: form.getAttribute("action"), body: data.toString(), label: "Refus", queued_at: new Date().toISOString() };
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open("relais", 2);
      open.onupgradeneeded = () => open.result.createObjectStore("outbox");
      open.onsuccess = () => {
        const tx = open.result.transaction("outbox", "readwrite");
        tx.objectStore("outbox").put(JSON.stringify(item), `${Date.now()}:${key}`);
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    });
    localStorage.removeItem("relais-outbox-moved");
  }, await decline.elementHandle());

  // The next page load moves it to this version's outbox and sends it.
  await phone.reload();
  await hydrated(phone);
  await expect(offer).toHaveCount(0);
  await expect(phone.locator("#outbox-pending")).toHaveCount(0);
  expect(await phone.evaluate(() => localStorage.getItem("relais-outbox-moved"))).toBe("1");
  expect(await phone.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain("relais");
  // Once: another load sends nothing again.
  await phone.reload();
  await hydrated(phone);
  await page.goto(`/demandes/${id}`);
  await expect(page.locator('tr[data-member="Dr Inès Bernard"]')).toHaveAttribute("data-state", "refused");
  await expect(page.locator("ol.timeline li").filter({ hasText: "Proposition déclinée" })).toHaveCount(1);
  await phone.context().close();
});

test("a notification's tap opens the offer; if a colleague took it, the page says so", async ({ page, browser, contextOptions }) => {
  await login(page, "coordination");
  const id = await pushRequest(page.request, "Tap E2E");
  const leroy = await phoneOf(browser, "dr.leroy", contextOptions);
  const martin = await phoneOf(browser, "dr.martin", contextOptions);

  await martin.goto(`/offres?demande=${id}`);
  await hydrated(martin);
  await expect(martin.locator(`li.offer.focus[data-request-id="${id}"]`)).toBeVisible();

  const taken = await leroy.request.post("/api/offers/accept", { data: { request_id: id }, headers: { accept: "application/json" } });
  expect(taken.ok()).toBeTruthy();
  await martin.goto(`/offres?demande=${id}`);
  await expect(martin.locator("#focus-notice")).toHaveText("Déjà pris par un·e collègue.");
  await expect(martin.locator(`li.offer[data-request-id="${id}"]`)).toHaveCount(0);
  await leroy.context().close();
  await martin.context().close();
});

test("on an iPhone outside the home screen, the app explains how to add it before any permission prompt", async ({ browser, contextOptions }) => {
  const iphone = await phoneOf(browser, "inf.simon", {
    ...contextOptions,
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
  });
  await iphone.goto("/offres");
  await hydrated(iphone);
  await expect(iphone.locator("#ios-home-screen")).toContainText("Sur l'écran d'accueil");
  await expect(iphone.getByRole("button", { name: "Activer les notifications" })).toHaveCount(0);
  await iphone.getByRole("link", { name: "Réglages" }).click();
  await expect(iphone.locator("#ios-home-screen")).toBeVisible();
  await expect(iphone.locator("#no-devices")).toHaveText("Aucun appareil abonné.");
  await iphone.context().close();
});

test("a cession proposed offline is sent once back online", async ({ browser, contextOptions }) => {
  const roux = await phoneOf(browser, "dr.roux", contextOptions);
  await roux.goto("/gardes");
  await hydrated(roux);
  const first = roux.getByRole("region", { name: "Mes vacations" }).locator("li.vacation").first();
  await expect(first).toBeVisible();
  await expect.poll(() => offlineCopy(roux, "/gardes")).not.toBeNull();

  await roux.context().setOffline(true);
  await first.getByText("Céder, échanger ou remettre").click();
  await first.getByLabel("Céder à").selectOption({ label: "Dr Marc Petit" });
  await first.getByRole("button", { name: "Proposer la cession" }).click();
  await expect(roux.locator("#outbox-pending")).toContainText("1 action en attente du réseau");
  await expect(first.getByRole("status")).toContainText("Proposition enregistrée hors ligne");

  await roux.context().setOffline(false);
  await expect(roux.locator("#outbox-pending")).toHaveCount(0);
  const pending = first.locator(".pending").filter({ hasText: "Cession proposée" });
  await expect(pending).toHaveCount(1);
  // Leave the planning as it was for the other scenarios.
  await pending.getByRole("button", { name: "Annuler la proposition" }).click();
  await expect(first.locator(".pending")).toHaveCount(0);
  await roux.context().close();
});

/** Records every layout shift from the first paint on (CLS as Chromium reports it). */
async function watchShifts(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { shifts: number };
    w.shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!e.hadRecentInput) w.shifts += e.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

const shifted = (page: Page) => page.evaluate(() => (window as unknown as { shifts: number }).shifts);

test("the login page is drawn whole by the server: its passkey button is there before the page runs, nothing moves", async ({ page }) => {
  const served = await (await page.request.get("/connexion")).text();
  expect(served, "the passkey button is in the page as served").toContain('id="passkey-login"');
  await watchShifts(page);
  await page.goto("/connexion");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Se connecter avec une clé d'accès" })).toBeVisible();
  expect(await shifted(page), "cumulative layout shift").toBeLessThanOrEqual(0.01);
});

test("the notification card is drawn by the server: nothing moves at hydration, and 'Plus tard' is remembered by the server", async ({
  browser,
  contextOptions,
}) => {
  const page = await phoneOf(browser, "dr.bernard", contextOptions);
  const served = await (await page.request.get("/offres")).text();
  expect(served, "the card is in the page as served").toContain("notif-offer");
  expect(served).toContain("Activer les notifications");
  await watchShifts(page);
  await page.goto("/offres");
  await hydrated(page);
  await expect(page.locator(".live-dot.on")).toBeVisible();
  await expect(page.locator(".notif-offer")).toBeVisible();
  expect(await shifted(page), "cumulative layout shift").toBeLessThanOrEqual(0.01);

  await page.getByRole("button", { name: "Plus tard" }).click();
  await expect(page.locator(".notif-offer")).toHaveCount(0);
  const later = await (await page.request.get("/offres")).text();
  expect(later, "the server no longer draws it").not.toContain("notif-offer");
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".notif-offer")).toHaveCount(0);
  await page.context().close();
});
