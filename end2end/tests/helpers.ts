import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

export { expect };

/** Every Content Security Policy violation a page of the current test reported. */
const cspViolations: string[] = [];

function watchCsp(page: Page) {
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });
}

function watchContext(context: BrowserContext) {
  context.pages().forEach(watchCsp);
  context.on("page", watchCsp);
}

/** The violations reported so far in this test, which then no longer count against it. */
export function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

/**
 * The tests' `test`: each one fails if any page it opened (in its own context or in the other
 * phones' contexts it created) reported a Content Security Policy violation, so the app, the
 * service worker, Web Push and the offline pages are all checked under the CSP the server sends.
 */
export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ browser, context }, use) => {
      cspViolations.length = 0;
      watchContext(context);
      const newContext = browser.newContext.bind(browser);
      // Another person's phone speaks French too, unless the test says otherwise (the project's
      // contexts are French; a bare browser context would send the browser's English).
      browser.newContext = async (options) => {
        const created = await newContext({ locale: "fr-FR", ...options });
        watchContext(created);
        return created;
      };
      await use();
      browser.newContext = newContext;
      expect(cspViolations, "no Content Security Policy violation").toEqual([]);
    },
    { auto: true },
  ],
});

export const DEMO_PASSWORD = "relais-demo";
export const email = (login: string) => `${login}@demo.relais.test`;

/** Waits until the WebAssembly has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export async function login(page: Page, who: string, { js = true } = {}) {
  await page.goto("/connexion");
  if (js) await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill(email(who));
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
}

/** A fresh browser context (its own cookies: another person's phone), logged in. */
export async function phoneOf(browser: Browser, who: string, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await login(page, who);
  return page;
}

export async function fillRequest(page: Page, patient: string) {
  await page.getByLabel("Motif").selectOption("fever");
  await page.getByLabel("Profession demandée").selectOption("gp");
  await page.getByLabel("Prénom ou initiales du patient").fill(patient);
  await page.getByLabel("Tranche d'âge").selectOption("16-64");
  await page.getByLabel("Téléphone de rappel").fill("06 12 34 56 78");
  await page.getByLabel("Commune").selectOption("Rennes");
  await page.getByLabel("Délai").selectOption("today");
  await page.getByLabel("Origine de la demande").selectOption("patient_call");
}
