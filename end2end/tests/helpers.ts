import { expect, type Browser, type Page } from "@playwright/test";

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
  await page.getByRole("button", { name: "Se connecter" }).click();
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
