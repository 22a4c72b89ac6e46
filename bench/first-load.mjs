// What a phone downloads on a first visit: the login page, then (logged in as a demo clinician)
// *Mes offres*, in Debian's Chromium at a phone viewport, as a running Relais serves them. Counts
// every JS, WASM and CSS file of /pkg the browser fetched (the main module, then each island's
// part of the WebAssembly as the page wakes it), once each, with its size as received (brotli
// when the server sends brotli) — the service worker is kept out, so that only what the pages
// themselves ask for is counted (its copies come from the browser's cache). Run by
// bench/first-load.sh.
//   node bench/first-load.mjs http://127.0.0.1:3000 [dr.martin]
import { createRequire } from "node:module";

const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const who = process.argv[3] ?? "dr.martin";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"],
});
const context = await browser.newContext({
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  locale: "fr-FR",
  serviceWorkers: "block",
});
const page = await context.newPage();

/** The /pkg files fetched, in order: path, bytes received, encoding, the page that asked. */
const files = new Map();
let current = "";
page.on("requestfinished", async (request) => {
  const url = new URL(request.url());
  if (!url.pathname.startsWith("/pkg/") || files.has(url.pathname)) return;
  const asked = current;
  files.set(url.pathname, null);
  const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
  const encoding = (await response?.headerValue("content-encoding")) ?? "-";
  const cache = (await response?.headerValue("cache-control")) ?? "-";
  files.set(url.pathname, { bytes: sizes.responseBodySize, encoding, cache, asked });
});

/** Waits until the page woke its islands and fetched nothing more for a while. */
async function settled() {
  await page.waitForSelector("body[data-hydrated=true]", { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1_000);
  await page.waitForLoadState("networkidle");
}

current = "/connexion";
await page.goto(`${base}/connexion`);
await settled();
await page.getByLabel(/Adresse e-mail/).fill(`${who}@demo.relais.test`);
await page.getByLabel(/Mot de passe/).fill("relais-demo");
current = "/offres";
await Promise.all([
  page.waitForURL((url) => url.pathname !== "/connexion", { timeout: 30_000 }),
  page.getByRole("button", { name: "Se connecter", exact: true }).click(),
]);
if (new URL(page.url()).pathname !== "/offres") await page.goto(`${base}/offres`);
await settled();
await browser.close();

let total = 0;
for (const page of ["/connexion", "/offres"]) {
  let sum = 0;
  for (const [path, f] of files) {
    if (!f || f.asked !== page) continue;
    console.log(`${page.padEnd(11)} ${path.padEnd(58)} ${String(f.bytes).padStart(8)} bytes  ${f.encoding.padEnd(4)} ${f.cache}`);
    sum += f.bytes;
  }
  total += sum;
  console.log(`${"".padEnd(11)} ${`${page}: new files`.padEnd(58)} ${String(sum).padStart(8)} bytes`);
}
console.log(`${"JS + WASM + CSS of a first visit, login then Mes offres".padEnd(70)} ${String(total).padStart(8)} bytes`);
