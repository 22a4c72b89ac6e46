import { type Locator } from "@playwright/test";
import { expect, hydrated, login, phoneOf, test } from "./helpers";

/** The vacation cards of a list whose title (start → end) contains `when`. */
const at = (list: Locator, when: string) => list.filter({ has: list.page().locator(".when", { hasText: when }) });

// The demo planning "SNP médecins généralistes" gives, from next Monday (30/11 for the test
// clock): Dr Martin 30/11 08:00 and 14:00, Dr Leroy 30/11 08:00, Dr Bernard 01/12 08:00, and
// Dr Roux three vacations that week (the group's cap is 3 a week).

test("a cession to a colleague is accepted live and both lists update", async ({ browser, contextOptions }) => {
  const martin = await phoneOf(browser, "dr.martin", contextOptions);
  const leroy = await phoneOf(browser, "dr.leroy", contextOptions);
  await martin.goto("/gardes");
  await hydrated(martin);
  await leroy.goto("/gardes");
  await hydrated(leroy);
  const martinMine = martin.getByRole("region", { name: "Mes vacations" }).locator("li.vacation");
  const leroyMine = leroy.getByRole("region", { name: "Mes vacations" }).locator("li.vacation");
  await expect(martinMine).toHaveCount(2);
  await expect(leroyMine).toHaveCount(1);

  const afternoon = at(martinMine, "30/11 14:00");
  await afternoon.getByText("Céder, échanger ou remettre").click();
  await afternoon.getByLabel("Céder à").selectOption({ label: "Dr Paul Leroy" });
  await afternoon.getByRole("button", { name: "Proposer la cession" }).click();
  await expect(afternoon).toContainText("Cession proposée");

  const offer = leroy.locator("li.change").filter({ hasText: "Cession de Dr Sophie Martin" });
  await expect(offer).toBeVisible();
  await offer.getByRole("button", { name: "Accepter" }).click();
  await expect(leroyMine).toHaveCount(2);
  await expect(at(leroyMine, "30/11 14:00")).toBeVisible();
  await expect(martinMine).toHaveCount(1);
  await expect(at(martinMine, "30/11 14:00")).toHaveCount(0);
});

test("an échange declined leaves both vacations where they were", async ({ browser, contextOptions }) => {
  const martin = await phoneOf(browser, "dr.martin", contextOptions);
  const bernard = await phoneOf(browser, "dr.bernard", contextOptions);
  await martin.goto("/gardes");
  await hydrated(martin);
  await bernard.goto("/gardes");
  await hydrated(bernard);
  const morning = at(martin.getByRole("region", { name: "Mes vacations" }).locator("li.vacation"), "30/11 08:00");
  await morning.getByText("Céder, échanger ou remettre").click();
  const swap = morning.getByLabel("Échanger contre");
  const bernards = await swap.locator("option", { hasText: /01\/12 08:00.*Dr Inès Bernard/ }).getAttribute("value");
  await swap.selectOption(bernards!);
  await morning.getByRole("button", { name: "Proposer l'échange" }).click();

  const proposal = bernard.locator("li.change").filter({ hasText: "Échange de Dr Sophie Martin" });
  await expect(proposal).toContainText("contre votre vacation du 01/12 08:00");
  await proposal.getByRole("button", { name: "Refuser" }).click();
  await expect(proposal).toHaveCount(0);
  await expect(morning).not.toContainText("Échange proposée");
  await expect(at(bernard.getByRole("region", { name: "Mes vacations" }).locator("li.vacation"), "01/12 08:00")).toBeVisible();
  await expect(morning).toBeVisible();
});

test("a take beyond the weekly cap is refused with the rule in French", async ({ page }) => {
  await login(page, "dr.roux");
  await page.goto("/gardes");
  await hydrated(page);
  const open = page.getByRole("region", { name: "Vacations ouvertes" });
  const next = open.locator("details.week", { hasText: "Semaine prochaine" });
  if ((await next.getAttribute("open")) === null) await next.locator("summary").click();
  const friday = at(open.locator("li.vacation"), "04/12 08:00");
  await friday.getByRole("button", { name: "Prendre" }).click();
  await expect(page.locator("#vacation-errors")).toContainText("plafond de 3 vacation(s) par semaine");
  await expect(page.getByRole("region", { name: "Mes vacations" }).locator("li.vacation")).toHaveCount(3);
});

test("the admin generates a month of vacations and sees the gaps", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/plannings");
  await hydrated(page);
  await page.getByLabel("Nom").fill("Urgences dentaires de décembre");
  await page.getByRole("button", { name: "Créer le planning" }).click();
  await expect(page).toHaveURL(/\/plannings\/\d+$/);
  await hydrated(page);
  await page.getByLabel("Type de vacation").selectOption("dental_emergency");
  for (const day of ["lun.", "mar.", "mer.", "jeu.", "ven."]) await page.getByLabel(day).uncheck();
  await page.getByLabel("sam.").check();
  await page.getByLabel("Horaires").fill("08:00-12:00");
  await page.getByLabel("Du", { exact: true }).fill("2026-12-01");
  await page.getByLabel("Au", { exact: true }).fill("2026-12-31");
  await page.getByRole("button", { name: "Générer" }).click();
  await expect(page.getByRole("status")).toContainText("4 vacations créées.");
  await page.goto(page.url() + "?du=2026-12-01&jours=31");
  await expect(page.locator("#gaps")).toHaveText("4 place(s) à pourvoir");
  await expect(page.locator("table.grid tr.gap")).toHaveCount(4);
});

test("open places come counted and grouped by week, the first unfolded; a filter finds a given day", async ({ page }) => {
  await login(page, "dr.roux");
  await page.goto("/gardes");
  await hydrated(page);
  const open = page.getByRole("region", { name: "Vacations ouvertes" });
  const weeks = open.locator("details.week");
  expect(await weeks.count()).toBeGreaterThan(1);
  await expect(weeks.first()).toHaveAttribute("open", "");
  await expect(weeks.nth(1)).not.toHaveAttribute("open");
  await expect(weeks.nth(1).locator("li.vacation").first()).toBeHidden();
  // The count is the sum of the weeks' free places.
  const perWeek = await weeks.locator(".week-count").allTextContents();
  const sum = perWeek.map((t) => Number(t.match(/^(\d+)/)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
  await expect(open.locator("#open-count")).toHaveText(`${sum} places ouvertes`);

  await open.getByLabel("Jour").selectOption("vendredi");
  await open.getByLabel("Moment").selectOption("matin");
  await open.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/jour=vendredi/);
  await expect(page).toHaveURL(/periode=matin/);
  const whens = await open.locator("details.week[open] li.vacation .when").allTextContents();
  expect(whens.length).toBeGreaterThan(0);
  for (const when of whens) {
    const [day, month] = when.slice(0, 5).split("/").map(Number);
    const date = new Date(Date.UTC(month >= 11 ? 2026 : 2027, month - 1, day));
    expect(date.getUTCDay(), when).toBe(5);
    expect(Number(when.slice(6, 8)), when).toBeLessThan(12);
  }
  await open.getByRole("link", { name: "Tout afficher" }).click();
  await expect(page).not.toHaveURL(/jour=/);
  await expect(open.getByLabel("Jour")).toHaveValue("");
});
