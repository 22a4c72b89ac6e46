import { expect, hydrated, test } from "./helpers";

// A midwife adds a passkey on her phone from Réglages — a real WebAuthn ceremony with Chromium's
// virtual authenticator (DevTools protocol), a discoverable credential that asks for the phone's
// lock —, logs out, and logs in again with one tap, without typing her e-mail.
// Passkeys need a host name: the page is opened at localhost, not at 127.0.0.1.

test("a passkey added on Réglages logs its member in with one tap", async ({ page, baseURL }) => {
  const site = baseURL!.replace("127.0.0.1", "localhost");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  await page.goto(`${site}/connexion`);
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill("sf.michel@demo.relais.test");
  await page.getByLabel("Mot de passe").fill("relais-demo");
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();

  await page.goto(`${site}/reglages`);
  await hydrated(page);
  const card = page.locator("#passkeys");
  await expect(card.locator("#no-passkeys")).toBeVisible();
  await card.getByLabel("Nom de la clé (l'appareil)").fill("Téléphone d'Emma");
  await card.getByRole("button", { name: "Ajouter une clé d'accès" }).click();
  await expect(card.getByRole("status")).toHaveText("Clé d'accès ajoutée : vous pourrez vous connecter avec elle.");
  await expect(card.locator("#passkey-list")).toContainText("Téléphone d'Emma");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);

  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page).toHaveURL(/\/connexion$/);
  await hydrated(page);
  await page.getByRole("button", { name: "Se connecter avec une clé d'accès" }).click();
  await expect(page.locator(".who")).toContainText("Emma Michel");
  // The passkey was used: Réglages says when.
  await page.goto(`${site}/reglages`);
  await expect(page.locator("#passkey-list")).toContainText("utilisée le");
  const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(after.credentials[0].signCount).toBeGreaterThan(credentials[0].signCount);
});
