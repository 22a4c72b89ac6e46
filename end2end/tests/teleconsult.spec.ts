import { expect, hydrated, login, phoneOf, test } from "./helpers";
import type { Page } from "@playwright/test";

// A patient without a doctor comes to the pharmacy in Chantepie. The pharmacist sends a
// teleconsultation to the two demo GPs who teleconsult and are available now (Dr Leroy, Dr
// Bernard); the first to accept gets the room, the other sees "Déjà pris"; the pharmacist's
// screen says live who joins; both open the same room through Relais.

async function send(page: Page, patient: string) {
  await page.getByLabel("Motif").selectOption("renewal");
  await page.getByLabel("Prénom ou initiales du patient").fill(patient);
  await page.getByLabel("Tranche d'âge").selectOption("65-79");
  await page.getByLabel("Téléphone de rappel").fill("06 22 33 44 55");
  await page.getByLabel("Le patient consent à une téléconsultation").check();
  await page.getByRole("button", { name: "Demander une téléconsultation" }).click();
  await expect(page).toHaveURL(/\/teleconsultation\/suivi\/\d+$/);
}

/** Where the room's door sends this page's member (without following the redirect). */
async function door(page: Page, href: string) {
  const res = await page.request.get(href, { maxRedirects: 0 });
  return { status: res.status(), location: res.headers()["location"] };
}

test("the pharmacist sends, a doctor accepts, both get the same room and a colleague sees Déjà pris", async ({ page, browser }) => {
  const leroy = await phoneOf(browser, "dr.leroy");
  const bernard = await phoneOf(browser, "dr.bernard");
  await hydrated(leroy);
  await hydrated(bernard);

  await login(page, "ph.moreau");
  await expect(page).toHaveURL(/\/teleconsultation$/);
  await hydrated(page);
  await expect(page.locator("#available")).toHaveText("2 médecins disponibles maintenant en téléconsultation");
  // Without the patient's consent, nothing leaves.
  await page.getByLabel("Motif").selectOption("renewal");
  await page.getByRole("button", { name: "Demander une téléconsultation" }).click();
  await expect(page.locator("#err-Consent")).toHaveText("Ce champ est obligatoire.");
  await send(page, "Télé A.");
  await expect(page.locator("#tc-status")).toContainText("Recherche d'un médecin");
  const id = page.url().split("/").pop();

  // Live on both doctors' phones; Dr Leroy accepts.
  const offer = leroy.locator(`li.offer[data-request-id="${id}"]`);
  await expect(offer).toContainText("téléconsultation depuis une pharmacie");
  await expect(bernard.locator(`li.offer[data-request-id="${id}"]`)).toBeVisible();
  await offer.getByRole("button", { name: "Accepter" }).click();
  await expect(leroy).toHaveURL(new RegExp(`/teleconsultation/suivi/${id}$`));
  await expect(leroy.locator("#tc-status")).toHaveText("Vous avez accepté : la pharmacie vous attend.");
  await expect(bernard.locator("#taken-notice")).toContainText("Déjà pris");

  // The pharmacist's screen changes by itself.
  await expect(page.locator("#tc-status")).toHaveText("Dr Paul Leroy vous rejoint");
  const join = page.getByRole("link", { name: "Rejoindre la téléconsultation" });
  const href = await join.getAttribute("href");
  expect(href).toBe(`/teleconsultation/${id}`);
  await expect(leroy.getByRole("link", { name: "Rejoindre la téléconsultation" })).toHaveAttribute("href", href!);

  // Relais lets the two of them in, to the same room, and no one else.
  const mine = await door(page, href!);
  const his = await door(leroy, href!);
  expect(mine.status).toBe(303);
  expect(mine.location).toMatch(/^https:\/\/meet\.jit\.si\/relais-[0-9a-f]{40}$/);
  expect(his.location).toBe(mine.location);
  expect((await door(bernard, href!)).status).toBe(403);

  // The doctor records the outcome; the pharmacist sees it live.
  await leroy.getByLabel("Conclusion").selectOption("prescription");
  await leroy.getByRole("button", { name: "Téléconsultation faite" }).click();
  await expect(leroy.locator("#tc-status")).toHaveText("Téléconsultation faite — Prescription");
  await expect(page.locator("#tc-status")).toHaveText("Téléconsultation faite — Prescription");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});

test("without JavaScript the pharmacist sends, the doctor accepts and both see the room's button", async ({ browser }) => {
  const pharmacy = await browser.newContext({ javaScriptEnabled: false });
  const page = await pharmacy.newPage();
  await login(page, "ph.moreau", { js: false });
  await page.goto("/teleconsultation");
  await send(page, "Sans JS T.");
  const id = page.url().split("/").pop();

  const doctorContext = await browser.newContext({ javaScriptEnabled: false });
  const doctor = await doctorContext.newPage();
  await login(doctor, "dr.bernard", { js: false });
  await doctor.goto("/offres");
  await doctor.locator(`li.offer[data-request-id="${id}"]`).getByRole("button", { name: "Accepter" }).click();
  await expect(doctor).toHaveURL(new RegExp(`/teleconsultation/suivi/${id}$`));
  await expect(doctor.getByText("Sans JS T.")).toBeVisible();
  const href = `/teleconsultation/${id}`;
  await expect(doctor.getByRole("link", { name: "Rejoindre la téléconsultation" })).toHaveAttribute("href", href);

  await page.reload();
  await expect(page.locator("#tc-status")).toHaveText("Dr Inès Bernard vous rejoint");
  await expect(page.getByRole("link", { name: "Rejoindre la téléconsultation" })).toHaveAttribute("href", href);
  expect((await door(page, href)).status).toBe(303);

  await doctor.getByRole("button", { name: "Patient absent" }).click();
  await expect(doctor.locator("#tc-status")).toHaveText("Patient absent");
});
