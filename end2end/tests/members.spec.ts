import { expect, hydrated, login, test } from "./helpers";

// The admin brings in members: one invited by e-mail (the demo shows the link instead of sending
// it), whose link opens the account on a phone; a file previewed line by line before anything is
// created; a member suspended while logged in on another phone. A clinician edits her profile and
// which notices reach her.

test("the admin invites a nurse, whose link opens her account logged in on her phone", async ({ page, browser }) => {
  await login(page, "admin");
  await page.getByRole("link", { name: "Membres" }).click();
  await expect(page).toHaveURL(/\/membres$/);
  await hydrated(page);
  const form = page.locator("#invite-form");
  await form.getByLabel("Adresse e-mail").fill("lea.durand@exemple.fr");
  await form.getByLabel("Nom (tel que les collègues le verront)").fill("Léa Durand");
  await form.getByLabel("Profession", { exact: true }).selectOption("nurse");
  // A mistyped RPPS first: refused with the reason, nothing created.
  await form.getByLabel("Numéro RPPS (11 chiffres)").fill("10003456787");
  await form.getByLabel("Commune").selectOption("Bruz");
  await form.getByRole("button", { name: "Envoyer l'invitation" }).click();
  await expect(form.locator(".field-error")).toContainText("clé de contrôle");
  await form.getByLabel("Numéro RPPS (11 chiffres)").fill("10003456786");
  await form.getByRole("button", { name: "Envoyer l'invitation" }).click();
  await expect(page.locator("#invited")).toContainText("Invitation envoyée à Léa Durand");
  await expect(page.locator("#invitations")).toContainText("lea.durand@exemple.fr");
  const link = await page.locator("#demo-link").getAttribute("href");
  expect(link).toMatch(/\/invitation\/[A-Za-z0-9_-]{43}$/);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const lea = await phone.newPage();
  await lea.goto(link!);
  await hydrated(lea);
  await expect(lea.locator("#invitation-who")).toContainText("Léa Durand, CPTS Rennes Nord-Est (démo) vous invite");
  await lea.getByLabel("Choisissez un mot de passe").fill("une phrase de passe");
  await lea.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(lea).toHaveURL(/\/offres$/);
  await expect(lea.locator(".who")).toContainText("Léa Durand");
  // The link served once.
  await lea.goto(link!);
  await expect(lea.locator("#invitation-unusable")).toContainText("déjà servi");
  await phone.close();

  await page.reload();
  await expect(page.locator("#members")).toContainText("Léa Durand");
  await expect(page.locator("#invitations")).toHaveCount(0);
});

test("the admin previews a file of members with each line's problems, then invites the valid ones", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/membres");
  await hydrated(page);
  await page.locator("#import summary").click();
  const file = [
    "email;nom;profession;rpps;commune;role",
    "kine.blanc@exemple.fr;Hugo Blanc;Masseur-kinésithérapeute;10003456794;Rennes;",
    "faux@exemple.fr;Faux;gp;12345678901;Rennes;",
    "dr.martin@demo.relais.test;Doublon;gp;;Rennes;",
  ].join("\n");
  await page.locator("#import-file").setInputFiles({ name: "membres.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await expect(page.locator("#import-text")).toHaveValue(/kine\.blanc/);
  await page.getByRole("button", { name: "Vérifier" }).click();
  const preview = page.locator("#import-preview");
  await expect(preview).toContainText("1 ligne(s) valide(s), 2 ligne(s) en erreur");
  await expect(preview.locator("tr", { hasText: "Faux" })).toContainText("clé de contrôle");
  await expect(preview.locator("tr", { hasText: "Doublon" })).toContainText("Déjà utilisé");
  await page.getByRole("button", { name: "Inviter les 1 ligne(s) valide(s)" }).click();
  await expect(page.locator("#imported")).toContainText("1 invitation(s) envoyée(s)");
  await expect(page.locator("#invitations")).toContainText("kine.blanc@exemple.fr");
  await expect(page.locator("#invitations")).not.toContainText("faux@exemple.fr");
});

test("a suspended member's open phone is turned away and his login told why", async ({ page, browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const fabre = await phone.newPage();
  await login(fabre, "dr.fabre");
  await expect(fabre).toHaveURL(/\/offres$/);

  await login(page, "admin");
  await page.goto("/membres");
  await hydrated(page);
  const item = page.locator("#members li", { hasText: "Dr Louis Fabre" });
  await item.getByText("Suspendre l'accès…").click();
  await expect(item).toContainText("ses places dans les vacations à venir reviennent au pot commun");
  await item.getByRole("button", { name: "Confirmer la suspension" }).click();
  await expect(page.locator("#suspended")).toContainText("Dr Louis Fabre");

  // His phone still shows the app: the next screen he opens is the login page.
  await fabre.getByRole("link", { name: "Mes gardes" }).click();
  await expect(fabre).toHaveURL(/\/connexion$/);
  await hydrated(fabre);
  await fabre.getByLabel("Adresse e-mail").fill("dr.fabre@demo.relais.test");
  await fabre.getByLabel("Mot de passe").fill("relais-demo");
  await fabre.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(fabre.getByRole("alert")).toContainText("Votre accès à la CPTS est suspendu");
  await phone.close();

  // Reinstated: in again.
  const back = page.locator("#suspended li", { hasText: "Dr Louis Fabre" });
  await back.getByRole("button", { name: "Rétablir l'accès" }).click();
  await expect(page.locator("#members")).toContainText("Dr Louis Fabre");
});

test("a physiotherapist sets his mobile, quiet hours and notices, and logs out her other devices", async ({ page, browser }) => {
  const other = await browser.newContext();
  const desktop = await other.newPage();
  await login(desktop, "kine.laurent");
  await login(page, "kine.laurent");
  await page.goto("/reglages");
  await hydrated(page);
  const profile = page.locator("#profile-form");
  await profile.getByLabel("Téléphone mobile").fill("02 99 12 34 56");
  await profile.getByRole("button", { name: "Enregistrer" }).click();
  await expect(profile.locator(".field-error")).toContainText("Numéro français attendu");
  await profile.getByLabel("Téléphone mobile").fill("06 11 22 33 44");
  await profile.locator("input[name=quiet_start]").fill("21:00");
  await profile.locator("input[name=quiet_end]").fill("07:00");
  await profile.getByRole("button", { name: "Enregistrer" }).click();
  await expect(profile.getByRole("status")).toHaveText("Enregistré.");
  const sms = page.getByLabel("Rappels de garde — SMS");
  await expect(sms).toBeChecked();
  await sms.uncheck();
  // A plain form: the page comes back from the server once saved; reload only then.
  const back = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === "GET" && new URL(r.url()).pathname === "/reglages");
  await page.locator("#notices-form").getByRole("button", { name: "Enregistrer" }).click();
  await back;
  await page.waitForLoadState("load");
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Rappels de garde — SMS")).not.toBeChecked();
  await expect(page.getByLabel("Téléphone mobile")).toHaveValue("06 11 22 33 44");
  await expect(page.locator("#other-sessions")).toContainText("1 autre appareil");
  await page.getByRole("button", { name: "Déconnecter mes autres appareils" }).click();
  await expect(page.locator("#sessions")).toContainText("1 autre connexion fermée");
  await desktop.goto("/gardes");
  await expect(desktop).toHaveURL(/\/connexion$/);
  await other.close();
});
