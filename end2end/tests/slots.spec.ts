import { expect, fillRequest, hydrated, login, phoneOf, test } from "./helpers";

// Dr Martin puts aside two SNP slots this afternoon on her phone; the coordinator books a
// patient's request into one of them; her phone shows the booking without a reload.

test("a GP opens two slots, the coordinator books one from a request, the GP sees it live", async ({ page, browser }) => {
  const gp = await phoneOf(browser, "dr.martin");
  await gp.goto("/creneaux");
  await hydrated(gp);
  await gp.getByLabel("À partir de").fill("14:00");
  await gp.getByLabel("Nombre de créneaux (1 à 12)").fill("2");
  await gp.getByRole("button", { name: "Ouvrir des créneaux" }).click();
  await expect(gp.getByRole("status")).toContainText("2 créneaux ouverts.");
  await expect(gp.locator("#slots li")).toHaveCount(2);
  await expect(gp.locator("#slots li").first()).toContainText("Libre");

  await login(page, "coordination");
  await page.goto("/coordination/nouvelle");
  await hydrated(page);
  await fillRequest(page, "Créneau C.");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page).toHaveURL(/\/demandes\/\d+$/);
  const fitting = page.locator("#fitting-slots li");
  await expect(fitting).toHaveCount(2);
  await expect(fitting.first()).toContainText("Dr Sophie Martin");
  await fitting.first().getByRole("button", { name: "Réserver" }).click();
  await expect(page.locator("#request-status")).toHaveText("Rendez-vous fixé");
  await expect(page.locator("#winner")).toHaveText("Dr Sophie Martin");

  // Live on the GP's phone: the first slot is now booked, with the patient to call back.
  await expect(gp.locator("#slots li").first()).toContainText("Réservé · Créneau C.");
  await expect(gp.locator("#slots li").nth(1)).toContainText("Libre");
  const width = await gp.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});
