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
  await login(page, "coordination", { js: false });
  await page.goto("/coordination/nouvelle");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page).toHaveURL(/\/coordination\/nouvelle/);
  await expect(page.locator("#err-Motive")).toHaveText("Ce champ est obligatoire.");
});
