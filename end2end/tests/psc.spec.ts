import { expect, hydrated, test } from "./helpers";
import type { Page } from "@playwright/test";

// Pro Santé Connect, against the local OpenID provider the tests start (oidc/psc-provider.mjs):
// a real authorization code flow with PKCE, signed ID tokens and the user info PSC gives. Its
// login page stands in for the e-CPS app: the professional's national identifier, "8" then the
// RPPS. Each test is a new browser, so the provider has no session yet and asks.

/** From Relais' login page to the provider's, then its answer as `nationalId` (or a refusal). */
async function throughPsc(page: Page, nationalId: string | null) {
  await page.goto("/connexion");
  await hydrated(page);
  await page.getByRole("link", { name: "Se connecter avec Pro Santé Connect" }).click();
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/interaction\//);
  if (nationalId === null) {
    await page.getByRole("button", { name: "Refuser" }).click();
  } else {
    await page.getByLabel("Identifiant national").fill(nationalId);
    await page.getByRole("button", { name: "Valider avec e-CPS" }).click();
  }
}

test("a member logs in with Pro Santé Connect, matched by the RPPS PSC vouches for", async ({ page, baseURL }) => {
  // Dr Léa Roux's RPPS in the demo is 10000000066.
  await throughPsc(page, "810000000066");
  await expect(page.locator(".who")).toContainText("Dr Léa Roux");
  expect(page.url().startsWith(baseURL!)).toBe(true);
  // A real session: her pages open, and logging out ends it.
  await page.goto("/reglages");
  await expect(page.locator(".who")).toContainText("Dr Léa Roux");
  await hydrated(page);
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/connexion$/);
});

test("a professional PSC knows but the CPTS does not is told so, and nobody is created", async ({ page }) => {
  // A valid RPPS that no member has.
  await throughPsc(page, "810000999994");
  await expect(page).toHaveURL(/\/connexion\?psc=inconnu$/);
  await expect(page.locator("#psc-failure")).toContainText("ne correspond à aucun membre");
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toHaveCount(0);
});

test("a professional who refuses at PSC comes back to the login page, told it was cancelled", async ({ page }) => {
  await throughPsc(page, null);
  await expect(page).toHaveURL(/\/connexion\?psc=annule$/);
  await expect(page.locator("#psc-failure")).toHaveText("Connexion Pro Santé Connect annulée.");
  // The other ways in are still there.
  await expect(page.getByLabel("Adresse e-mail")).toBeVisible();
});
