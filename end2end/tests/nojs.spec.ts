import { expect, fillRequest, login, test } from "./helpers";

// JavaScript is off in this project: every page must render on the server and every form post.

test("without JavaScript the coordinator logs in, qualifies and pushes a request", async ({ page }) => {
  await login(page, "coordination", { js: false });
  await expect(page).toHaveURL(/\/coordination$/);
  await expect(page.getByRole("heading", { name: "Demandes du jour" })).toBeVisible();
  await page.getByRole("link", { name: "Nouvelle demande" }).click();
  await fillRequest(page, "Sans JS");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page).toHaveURL(/\/demandes\/\d+$/);
  await expect(page.getByRole("heading", { name: /Demande #\d+ · Fièvre/ })).toBeVisible();
  await page.getByRole("button", { name: "Envoyer au panel" }).click();
  await expect(page.locator("#request-status")).toHaveText("Envoyée");
});

test("without JavaScript a clinician accepts from the inbox", async ({ page }) => {
  await login(page, "dr.bernard", { js: false });
  await expect(page).toHaveURL(/\/offres$/);
  const offer = page.locator("li.offer").first();
  await expect(offer).toBeVisible();
  await offer.getByRole("button", { name: "Accepter" }).click();
  await expect(page).toHaveURL(/\/demandes\/\d+$/);
  await expect(page.getByText("Sans JS")).toBeVisible();
});

test("without JavaScript a bad form comes back with French errors", async ({ page }) => {
  await page.goto("/connexion");
  await expect(page.locator("#passkey-login"), "no passkey button that could not work").toBeHidden();
  await login(page, "coordination", { js: false });
  await page.goto("/coordination/nouvelle");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page).toHaveURL(/\/coordination\/nouvelle/);
  await expect(page.locator("#err-Motive")).toHaveText("Ce champ est obligatoire.");
});

test("without JavaScript a pharmacist refers and the dentist answers", async ({ page, browser }) => {
  await login(page, "ph.moreau", { js: false });
  await page.goto("/dentaire/adresser");
  await page.getByLabel("Gonflement de la joue ou de la gencive").check();
  await page.getByLabel("Pas de chirurgien-dentiste traitant disponible sous 24 h").check();
  await page.getByLabel("Prénom ou initiales du patient").fill("Sans JS D.");
  await page.getByLabel("Tranche d'âge").selectOption("16-64");
  await page.getByLabel("Téléphone de rappel").fill("06 11 22 33 44");
  await page.getByLabel("Commune").selectOption("Rennes");
  await page.getByRole("button", { name: "Adresser au dentiste de permanence" }).click();
  await expect(page).toHaveURL(/\/dentaire\/\d+$/);
  const url = page.url();
  await expect(page.locator("#referral-status")).toHaveText("En attente de solution");
  // The dentist of the next held morning (another test may have taken the Mondays).
  const dentists: Record<string, string> = { "Dr Hugo Durand": "dr.durand", "Dr Anne Renard": "dr.renard" };
  const named = (await page.locator("#referral-dentist").textContent()) ?? "";

  const context = await browser.newContext({ javaScriptEnabled: false });
  const dentist = await context.newPage();
  await login(dentist, dentists[named], { js: false });
  await dentist.goto(url);
  await dentist.getByLabel("Conseil donné par téléphone").check();
  await dentist.getByRole("button", { name: "Envoyer la solution" }).click();
  await expect(dentist.locator("#solution")).toContainText("Conseil donné par téléphone");

  await page.reload();
  await expect(page.locator("#referral-status")).toHaveText("Solution proposée");
});

test("without JavaScript a GP opens a slot and closes it; the admin corrects the CPTS's FINESS", async ({ page, browser }) => {
  await login(page, "dr.roux", { js: false });
  await page.goto("/creneaux");
  await page.getByLabel("À partir de").fill("18:00");
  await page.getByLabel("Nombre de créneaux (1 à 12)").fill("1");
  await page.getByRole("button", { name: "Ouvrir des créneaux" }).click();
  await expect(page).toHaveURL(/\/creneaux$/);
  const slot = page.locator("#slots li").first();
  await expect(slot).toContainText("18:00");
  await expect(slot).toContainText("Libre");
  await slot.getByRole("button", { name: "Fermer" }).click();
  await expect(page.locator("#slots li").first()).toContainText("Fermé");

  const admin = await browser.newPage({ javaScriptEnabled: false });
  await login(admin, "admin", { js: false });
  await admin.goto("/sas");
  await expect(admin.getByRole("heading", { name: "Interface SAS" })).toBeVisible();
  await admin.getByLabel("FINESS de la CPTS (9 caractères)").fill("35 12");
  await admin.getByRole("button", { name: "Enregistrer" }).click();
  await expect(admin.locator("#err-Finess")).toBeVisible();
  await admin.getByLabel("FINESS de la CPTS (9 caractères)").fill("350 012 346");
  await admin.getByRole("button", { name: "Enregistrer" }).click();
  await expect(admin).toHaveURL(/\/sas$/);
  await expect(admin.getByLabel("FINESS de la CPTS (9 caractères)")).toHaveValue("350012346");
});
