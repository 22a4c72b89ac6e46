import { expect, fillRequest, hydrated, login, phoneOf, test } from "./helpers";

test("a pushed request reaches two clinicians live; the first to accept wins, the other sees it withdrawn", async ({ page, browser, contextOptions }) => {
  // Two clinicians on their phones, on their inbox, before anything is pushed.
  const martin = await phoneOf(browser, "dr.martin", contextOptions);
  await expect(martin).toHaveURL(/\/offres$/);
  const leroy = await phoneOf(browser, "dr.leroy", contextOptions);
  await expect(leroy).toHaveURL(/\/offres$/);
  await expect(martin.locator(".live-dot.on")).toBeVisible();
  await expect(leroy.locator(".live-dot.on")).toBeVisible();

  // The coordinator qualifies the call and pushes it.
  await login(page, "coordination");
  await expect(page).toHaveURL(/\/coordination$/);
  await page.getByRole("link", { name: "Nouvelle demande" }).click();
  await hydrated(page);
  await fillRequest(page, "Camille E2E");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page).toHaveURL(/\/demandes\/\d+$/);
  const requestUrl = page.url();
  await expect(page.getByRole("heading", { name: /Panel — Vague 1 : 3 professionnel/ })).toBeVisible();
  await page.getByRole("button", { name: "Envoyer au panel" }).click();
  await expect(page.getByRole("status")).toContainText("Demande envoyée à 3");

  // Both phones show it without a reload, without the patient's name.
  const martinOffer = martin.locator("li.offer").filter({ hasText: "Fièvre" });
  const leroyOffer = leroy.locator("li.offer").filter({ hasText: "Fièvre" });
  await expect(martinOffer).toBeVisible();
  await expect(leroyOffer).toBeVisible();
  await expect(martinOffer).not.toContainText("Camille E2E");
  // On screen is seen: the coordinator's panel says so, live.
  await expect(page.locator('tr[data-member="Dr Paul Leroy"]')).toHaveAttribute("data-state", "seen");

  // Martin accepts: he gets the patient's details.
  await martinOffer.getByRole("button", { name: "Accepter" }).click();
  await expect(martin).toHaveURL(/\/demandes\/\d+$/);
  await expect(martin.getByText("Camille E2E")).toBeVisible();
  await expect(martin.getByRole("link", { name: /Rappeler le 06 12 34 56 78/ })).toBeVisible();

  // Leroy's offer vanishes live, with the reason.
  await expect(leroyOffer).toHaveCount(0);
  await expect(leroy.locator("#taken-notice")).toContainText("Déjà pris par un·e collègue");

  // The coordinator's page and board show the winner.
  await expect(page.locator("#winner")).toHaveText("Dr Sophie Martin");
  await page.goto("/coordination");
  await expect(page.locator("li.request").filter({ hasText: "Camille E2E" })).toContainText("Dr Sophie Martin");

  // Martin books the appointment from his phone.
  await martin.getByLabel("Rendez-vous (heure de Paris)").fill("2026-11-23T11:30");
  await martin.getByLabel("Mode").selectOption("office");
  await martin.getByRole("button", { name: "Enregistrer le rendez-vous" }).click();
  await expect(martin.locator("#request-status")).toHaveText("Rendez-vous fixé");
  await page.goto(requestUrl);
  await expect(page.locator("#request-status")).toHaveText("Rendez-vous fixé");
});

test("a red flag sends the operator to the 15 and pushes nothing", async ({ page }) => {
  await login(page, "coordination");
  // Count once the board has loaded (a list, or the "no request" line).
  await expect(page.locator("ul.board, p.empty").first()).toBeVisible();
  const before = await page.locator("li.request").count();
  await page.getByRole("link", { name: "Nouvelle demande" }).click();
  await hydrated(page);
  await fillRequest(page, "Urgence");
  await page.getByLabel("Douleur thoracique").check();
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  const alert = page.locator(".banner.redflag");
  await expect(alert).toContainText("appelez le 15");
  await expect(alert.getByRole("link", { name: "Appeler le 15" })).toHaveAttribute("href", "tel:15");
  await expect(page).toHaveURL(/\/coordination\/nouvelle$/);
  await page.goto("/coordination");
  await expect(page.locator("li.request")).toHaveCount(before);
});

test("a bad form shows French errors next to each field", async ({ page }) => {
  await login(page, "coordination");
  await page.goto("/coordination/nouvelle");
  await hydrated(page);
  await page.getByLabel("Téléphone de rappel").fill("12 34");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Le formulaire contient des erreurs");
  await expect(page.locator("#err-Motive")).toHaveText("Ce champ est obligatoire.");
  await expect(page.locator("#err-CallbackPhone")).toHaveText("Numéro français attendu, par exemple 06 12 34 56 78.");
  await expect(page.locator("#err-Commune")).toHaveText("Ce champ est obligatoire.");
  await expect(page).toHaveURL(/\/coordination\/nouvelle$/);
});

test("a wrong password is refused in French", async ({ page }) => {
  await page.goto("/connexion");
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill("dr.petit@demo.relais.test");
  await page.getByLabel("Mot de passe").fill("pas le bon");
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Adresse e-mail ou mot de passe incorrect.");
});

test("the pages fit a 320 px wide phone", async ({ browser, contextOptions }) => {
  const context = await browser.newContext({ ...contextOptions, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await login(page, "dr.bernard");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
