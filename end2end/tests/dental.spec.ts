import { expect, hydrated, login, phoneOf, test } from "./helpers";
import type { Page } from "@playwright/test";

// A GP refers a true dental emergency on her phone; the dentist of the day (Dr Durand holds the
// Tuesday mornings; the server's clock is a Monday) sees it arrive live and proposes an
// appointment; the GP's screen shows the answer live.

async function refer(page: Page, patient: string) {
  await page.getByLabel("Douleur dentaire non calmée par les antalgiques habituels").check();
  await page.getByLabel("Pas de chirurgien-dentiste traitant disponible sous 24 h").check();
  await page.getByLabel("Prénom ou initiales du patient").fill(patient);
  await page.getByLabel("Tranche d'âge").selectOption("16-64");
  await page.getByLabel("Téléphone de rappel").fill("06 11 22 33 44");
  await page.getByLabel("Commune").selectOption("Rennes");
  await page.getByRole("button", { name: "Adresser au dentiste de permanence" }).click();
}

test("a GP refers, the dentist of the day sees it live and answers, the GP sees the answer live", async ({ page, browser }) => {
  const dentist = await phoneOf(browser, "dr.durand");
  await dentist.goto("/dentaire");
  await hydrated(dentist);
  const before = await dentist.locator("#referrals li").count();

  await login(page, "dr.martin");
  await page.goto("/dentaire");
  await hydrated(page);
  await page.getByRole("link", { name: "Adresser une urgence dentaire" }).click();
  await expect(page.locator("#next-dentist")).toContainText("Dr Hugo Durand");
  await refer(page, "Dent A.");
  await expect(page).toHaveURL(/\/dentaire\/\d+$/);
  await expect(page.locator("#referral-status")).toHaveText("En attente de solution");

  // Live: the dentist's list grows without a reload.
  await expect(dentist.locator("#referrals li")).toHaveCount(before + 1);
  await dentist.locator("#referrals li").last().getByRole("link").click();
  await expect(dentist.getByText("Dent A.")).toBeVisible();
  await dentist.getByLabel("Heure du rendez-vous").fill("2026-11-24T09:15");
  await dentist.getByLabel("Lieu").fill("Cabinet Durand, Rennes");
  await dentist.getByRole("button", { name: "Envoyer la solution" }).click();
  await expect(dentist.locator("#solution")).toContainText("Cabinet Durand, Rennes");

  await expect(page.locator("#referral-status")).toHaveText("Solution proposée");
  await expect(page.locator("#solution")).toContainText("Rendez-vous");
  await expect(page.locator("#solution")).toContainText("Cabinet Durand, Rennes");
});

test("a sign of gravity stops the referral and says to call the 15", async ({ page }) => {
  await login(page, "dr.leroy");
  await page.goto("/dentaire/adresser");
  await hydrated(page);
  await page.getByLabel("Difficulté à respirer ou à avaler").check();
  await refer(page, "Grave B.");
  await expect(page.getByRole("alert")).toContainText("appelez le 15");
  await expect(page.getByRole("link", { name: "Appeler le 15" })).toBeVisible();
  await expect(page).toHaveURL(/\/dentaire\/adresser$/);
});

test("the rota fits a 320 px phone and a free dentist takes every Monday morning", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await login(page, "dr.renard");
  await page.goto("/dentaire");
  await hydrated(page);
  const free = page.locator("#rota li").filter({ has: page.getByRole("button", { name: "Je prends chaque lundi matin" }) });
  await free.first().getByRole("button", { name: "Je prends chaque lundi matin" }).click();
  await expect(page.getByRole("status")).toContainText("matinées prises");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(320);
});
