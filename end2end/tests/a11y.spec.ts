import AxeBuilder from "@axe-core/playwright";
import { type Browser, type Page } from "@playwright/test";
import { expect, hydrated, login, test } from "./helpers";

// WCAG 2.2 AA, checked by axe-core on every page of every role: hydrated in light and in dark
// (prefers-color-scheme, so the dark palette's contrasts are checked too), and as the server
// draws it for a phone without JavaScript. Any violation fails, with its rule and its elements.

const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/** The pages each demo account reaches from its navigation (ids resolved at run time). */
const TOUR: Record<string, string[]> = {
  coordination: ["/coordination", "/coordination/nouvelle", "/demandes/{request}", "/plannings", "/indicateurs", "/creneaux", "/dentaire", "/dentaire/adresser", "/reglages"],
  admin: ["/membres", "/sas", "/plannings/{planning}", "/dentaire/grille"],
  "dr.martin": ["/offres", "/gardes", "/creneaux", "/reglages"],
  "dr.durand": ["/dentaire"],
  "ph.moreau": ["/teleconsultation"],
};

const ANONYMOUS = ["/connexion", "/invitation/lien-inconnu", "/page-qui-n-existe-pas"];

type Mode = "hydrated" | "dark" | "no JavaScript";

/** The violations on the page as it stands, one line each: rule, impact, the elements. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`,
  );
}

/**
 * A phone's page in `mode`. "no JavaScript" is the page exactly as the server draws it: the app's
 * scripts and WebAssembly are not delivered (nothing hydrates, forms post to the server), while
 * the browser still runs the checker itself.
 */
async function open(browser: Browser, contextOptions: object, mode: Mode, who?: string): Promise<Page> {
  const context = await browser.newContext({ ...contextOptions, colorScheme: mode === "dark" ? "dark" : "light" });
  if (mode === "no JavaScript") await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
  const page = await context.newPage();
  if (who) await login(page, who, { js: mode !== "no JavaScript" });
  return page;
}

/** Where `{request}` and `{planning}` point: a request pushed for the tour, the first planning. */
async function resolve(page: Page, path: string): Promise<string> {
  if (path.includes("{request}")) {
    const headers = { accept: "application/json" };
    const form = {
      motive: "fever", profession: "gp", patient_name: "A11y", age_band: "16-64", callback_phone: "06 12 34 56 78",
      commune: "Rennes", teleconsult_ok: "on", deadline: "today", source: "patient_call", treating_member_id: "", note: "",
    };
    const created = await page.request.post("/api/requests/create", { data: { form }, headers });
    expect(created.ok()).toBeTruthy();
    return path.replace("{request}", String(await created.json()));
  }
  if (path.includes("{planning}")) {
    await page.goto("/plannings");
    const href = await page.locator('a[href^="/plannings/"]').first().getAttribute("href");
    expect(href).toBeTruthy();
    return href!;
  }
  return path;
}

for (const mode of ["hydrated", "dark", "no JavaScript"] as Mode[]) {
  test(`every page before login has no WCAG 2.2 AA violation (${mode})`, async ({ browser, contextOptions }) => {
    const page = await open(browser, contextOptions, mode);
    for (const path of ANONYMOUS) {
      await page.goto(path);
      if (mode !== "no JavaScript") await hydrated(page);
      expect(await violations(page), `${path} (${mode})`).toEqual([]);
    }
    await page.context().close();
  });

  for (const [who, paths] of Object.entries(TOUR)) {
    test(`every page of ${who} has no WCAG 2.2 AA violation (${mode})`, async ({ browser, contextOptions }) => {
      const page = await open(browser, contextOptions, mode, who);
      for (const template of paths) {
        const path = await resolve(page, template);
        const response = await page.goto(path);
        expect(response?.status(), `${path} answers`).toBe(200);
        if (mode !== "no JavaScript") await hydrated(page);
        await expect(page.locator("main h1").first()).toBeVisible();
        expect(await violations(page), `${path} (${mode})`).toEqual([]);
      }
      await page.context().close();
    });
  }
}

test("axe does find a violation when there is one (the check is live)", async ({ page }) => {
  await page.goto("/connexion");
  await hydrated(page);
  await page.evaluate(() => document.querySelector("label")?.remove());
  expect((await violations(page)).join("\n")).toContain("label");
});

test("the phone's controls are at least 44 px tall: links, buttons, fields", async ({ browser, contextOptions }) => {
  const small: string[] = [];
  for (const [who, paths] of [["dr.martin", TOUR["dr.martin"]], ["coordination", ["/coordination", "/coordination/nouvelle"]]] as const) {
    const page = await open(browser, contextOptions, "hydrated", who);
    for (const path of paths) {
      await page.goto(path);
      await hydrated(page);
      small.push(
        ...(await page.evaluate(() => {
          const found: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>("a[href], button, select, input:not([type=hidden]), summary")) {
            const box = el.getBoundingClientRect();
            // Invisible, or a link inside a sentence (WCAG 2.5.8's inline exception).
            if (box.width === 0 || box.height === 0) continue;
            if (el.tagName === "A" && getComputedStyle(el).display === "inline" && el.closest("p, li, td, dd")) continue;
            if (el.matches("input[type=checkbox], input[type=radio]")) continue;
            if (box.height < 44) found.push(`${location.pathname} ${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 30)}" ${Math.round(box.height)} px`);
          }
          return found;
        })),
      );
    }
    await page.context().close();
  }
  expect(small).toEqual([]);
});
