import { readFileSync } from "node:fs";

import { expect, fillRequest, hydrated, login, test } from "./helpers";
import type { Page } from "@playwright/test";

// The coordination opens Indicateurs, picks a period in one tap and by typing two dates, reads a
// chart and the table beside it, and downloads that table as a CSV for a French spreadsheet — at a
// desktop and at a phone viewport. A clinician reads her own month on Réglages.

async function newRequest(page: Page) {
  await page.goto("/coordination/nouvelle");
  await hydrated(page);
  await fillRequest(page, "Indic. I.");
  await page.getByRole("button", { name: "Enregistrer la demande" }).click();
  await expect(page).toHaveURL(/\/demandes\/\d+$/);
}

for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test.describe(name, () => {
    test.use({ viewport });

    test(`the coordination picks a period, reads a chart and its table, downloads the CSV (${name})`, async ({ page }) => {
      await login(page, "coordination");
      await newRequest(page);
      await page.getByRole("link", { name: "Indicateurs" }).click();
      await expect(page).toHaveURL(/\/indicateurs$/);
      await hydrated(page);
      await expect(page.locator("#period-label")).toHaveText("Du 01/11/2026 au 30/11/2026 (heure de Paris)");
      await expect(page.getByRole("link", { name: "Ce mois-ci" })).toHaveAttribute("aria-current", "page");

      // One tap: last month.
      await page.getByRole("link", { name: "Mois dernier" }).click();
      await expect(page.locator("#period-label")).toHaveText("Du 01/10/2026 au 31/10/2026 (heure de Paris)");
      await expect(page).toHaveURL(/du=2026-10-01&au=2026-10-31/);
      // Two dates typed: November again.
      await page.locator("#period-form input[name=du]").fill("2026-11-01");
      await page.locator("#period-form input[name=au]").fill("2026-11-30");
      await page.getByRole("button", { name: "Afficher" }).click();
      await expect(page.locator("#period-label")).toHaveText("Du 01/11/2026 au 30/11/2026 (heure de Paris)");

      // The chart (an image with a title) and its table: the request made above is counted.
      const origins = page.locator("#t-origines");
      await expect(origins.getByRole("img", { name: "Demandes par origine" })).toBeVisible();
      const total = origins.locator("tbody tr").last();
      await expect(total.locator("th")).toHaveText("Total");
      const requests = Number(await total.locator("td").first().innerText());
      expect(requests).toBeGreaterThanOrEqual(1);
      await expect(page.locator("#headline dd").first()).toHaveText(String(requests));

      // The CSV: UTF-8 with a BOM, `;`, French headers, the same figure.
      const download = page.waitForEvent("download");
      await origins.getByRole("link", { name: "Télécharger ce tableau (CSV)" }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe("relais-origines-2026-11-01_2026-11-30.csv");
      const bytes = readFileSync(await file.path());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString("utf8").trim().split("\n");
      expect(lines[0]).toBe("Origine;Demandes;Consultations;Taux de réponse (%)");
      expect(lines.at(-1)).toMatch(new RegExp(`^Total;${requests};\\d+;`));

      if (name === "phone") {
        // Nothing wider than the phone: wide tables scroll inside their card.
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(390);
      }
    });
  });
}

test("a clinician reads her own month on Réglages; the coordination's figures are not hers", async ({ page }) => {
  await login(page, "dr.martin");
  await page.goto("/reglages");
  await hydrated(page);
  const mine = page.locator("#my-figures");
  await expect(mine.getByRole("heading")).toHaveText("Mon activité — novembre 2026");
  await expect(mine.locator("dt")).toHaveText(["Demandes acceptées", "Vacations réalisées", "Heures réalisées"]);
  await expect(page.getByRole("link", { name: "Indicateurs" })).toHaveCount(0);
  await page.goto("/indicateurs");
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.locator("#t-origines")).toHaveCount(0);
});

test("without JavaScript the page, its charts and the period form work", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page, "coordination", { js: false });
  await page.goto("/indicateurs?du=2026-10-01&au=2026-12-31");
  await expect(page.locator("#period-label")).toHaveText("Du 01/10/2026 au 31/12/2026 (heure de Paris)");
  await expect(page.locator("#t-semaines svg[role=img]")).toHaveCount(1);
  await expect(page.locator("#t-semaines tbody tr")).toHaveCount(14);
  await page.locator("#period-form input[name=du]").fill("2026-12-31");
  await page.locator("#period-form input[name=au]").fill("2026-12-01");
  await page.getByRole("button", { name: "Afficher" }).click();
  await expect(page.getByRole("alert")).toContainText("Au :");
  await context.close();
});
