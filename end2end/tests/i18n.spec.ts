import { expect, hydrated, test, email, DEMO_PASSWORD, type Page } from "./helpers";

// Relais speaks French, and English to whoever asks: before login, the browser's language
// decides; a member's choice on Réglages then holds on every device, whatever the browser.

async function signIn(page: Page, who: string, button: string) {
  await hydrated(page);
  await page.locator("#email").fill(email(who));
  await page.locator("#password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: button, exact: true }).click();
}

async function chooseLanguage(page: Page, label: string, value: string) {
  await page.goto("/reglages");
  await hydrated(page);
  const form = page.locator("#language-form");
  await form.getByLabel(label, { exact: true }).selectOption(value);
  // The page is drawn anew, by the server, in the language chosen.
  await Promise.all([page.waitForEvent("load"), form.getByRole("button").click()]);
  await hydrated(page);
}

test("an English browser gets Relais in English, until the member chooses French", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await page.goto("/connexion");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByLabel("E-mail address")).toBeVisible();
  await signIn(page, "dr.garnier", "Sign in");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("link", { name: "My duties" })).toBeVisible();
  // A router navigation keeps the language (the WebAssembly read it from the page).
  await page.getByRole("link", { name: "My duties" }).click();
  await expect(page).toHaveURL(/\/gardes$/);
  await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();

  await chooseLanguage(page, "Language", "fr");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { name: "Langue" })).toBeVisible();
  await page.getByRole("link", { name: "Mes gardes" }).click();
  await expect(page.getByRole("link", { name: "Réglages" })).toBeVisible();

  // Back to the browser's language.
  await chooseLanguage(page, "Langue", "");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Language" })).toBeVisible();
  await context.close();
});

test("a member who chose English finds it on another phone, right after logging in", async ({ page, browser }) => {
  await page.goto("/connexion");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await signIn(page, "dr.garnier", "Se connecter");
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await chooseLanguage(page, "Langue", "en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "My profile" })).toBeVisible();
  // A bad choice is refused with its reason, in the page's language, and changes nothing.
  const refused = await page.request.post("/api/members/save_language", {
    headers: { accept: "application/json" },
    data: { lang: "de" },
  });
  expect(refused.status()).toBe(422);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  // Another phone, in French: the login page is French, the member's pages English.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const phone = await other.newPage();
  await phone.goto("/connexion");
  await expect(phone.getByRole("heading", { name: "Connexion" })).toBeVisible();
  await signIn(phone, "dr.garnier", "Se connecter");
  await expect(phone.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(phone.locator("html")).toHaveAttribute("lang", "en");
  await expect(phone.getByRole("link", { name: "My duties" })).toBeVisible();
  await other.close();

  await chooseLanguage(page, "Language", "");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
});
