import { expect, hydrated, test } from "./helpers";
import type { Page } from "@playwright/test";

// Chromium's virtual authenticator on `page` (DevTools protocol): a phone's platform
// authenticator that keeps discoverable credentials and checks its user.
async function authenticator(page: Page) {
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
  return { cdp, authenticatorId };
}

// Logs `who` in with the demo password at `site` (a host name: passkeys need one).
async function passwordLogin(page: Page, site: string, who: string) {
  await page.goto(`${site}/connexion`);
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill(`${who}@demo.relais.test`);
  await page.getByLabel("Mot de passe").fill("relais-demo");
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
}

// A midwife adds a passkey on her phone from Réglages — a real WebAuthn ceremony with Chromium's
// virtual authenticator, a discoverable credential that asks for the phone's lock —, logs out,
// and logs in again with one tap, without typing her e-mail.
// Passkeys need a host name: the page is opened at localhost, not at 127.0.0.1.
test("a passkey added on Réglages logs its member in with one tap", async ({ page, baseURL }) => {
  const site = baseURL!.replace("127.0.0.1", "localhost");
  const { cdp, authenticatorId } = await authenticator(page);
  await passwordLogin(page, site, "sf.michel");

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

// The admin makes a passkey, then has the CPTS accept passkeys only: the invitee's link offers no
// password, only a passkey made on her phone, which opens her account and logs her in again later.
test("with passwords off, an invitee opens her account with a passkey made on her phone", async ({ page, browser, baseURL }) => {
  const site = baseURL!.replace("127.0.0.1", "localhost");
  await authenticator(page);
  await passwordLogin(page, site, "admin");

  // Passwords off needs the admin's own passkey first.
  await page.goto(`${site}/membres`);
  await hydrated(page);
  const access = page.locator("#password-login");
  await access.getByText("N'accepter que les clés d'accès…").click();
  await access.getByRole("button", { name: "Confirmer : clés d'accès seulement" }).click();
  await expect(page.getByRole("alert")).toContainText("Ajoutez d'abord une clé d'accès");
  await page.goto(`${site}/reglages`);
  await hydrated(page);
  await page.locator("#passkeys").getByRole("button", { name: "Ajouter une clé d'accès" }).click();
  await expect(page.locator("#passkey-list")).toBeVisible();
  await page.goto(`${site}/membres`);
  await hydrated(page);
  await access.getByText("N'accepter que les clés d'accès…").click();
  await access.getByRole("button", { name: "Confirmer : clés d'accès seulement" }).click();
  await expect(access).toContainText("uniquement avec une clé d'accès");

  const form = page.locator("#invite-form");
  await form.getByLabel("Adresse e-mail").fill("dr.roche@exemple.fr");
  await form.getByLabel("Nom (tel que les collègues le verront)").fill("Dr Anne Roche");
  await form.getByLabel("Profession", { exact: true }).selectOption("gp");
  await form.getByLabel("Numéro RPPS (11 chiffres)").fill("10003456802");
  await form.getByRole("button", { name: "Envoyer l'invitation" }).click();
  const link = await page.locator("#demo-link").getAttribute("href");
  expect(link).toContain("localhost");

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const anne = await phone.newPage();
  await authenticator(anne);
  await anne.goto(link!);
  await hydrated(anne);
  await expect(anne.locator("#invitation-who")).toContainText("Dr Anne Roche");
  await expect(anne.getByLabel("Choisissez un mot de passe")).toHaveCount(0);
  await anne.getByRole("button", { name: "Créer ma clé d'accès et entrer" }).click();
  await expect(anne).toHaveURL(/\/offres$/);
  await expect(anne.locator(".who")).toContainText("Dr Anne Roche");
  await anne.getByRole("button", { name: "Se déconnecter" }).click();
  await hydrated(anne);
  await anne.getByRole("button", { name: "Se connecter avec une clé d'accès" }).click();
  await expect(anne.locator(".who")).toContainText("Dr Anne Roche");
  await phone.close();

  // Passwords back, for everyone else.
  await page.reload();
  await hydrated(page);
  await access.getByRole("button", { name: "Accepter de nouveau les mots de passe" }).click();
  await expect(access).toContainText("avec leur mot de passe ou une clé d'accès");
});
