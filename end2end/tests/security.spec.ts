import { expect, hydrated, login, takeCspViolations, test } from "./helpers";

test("an injected inline script is refused by the page's policy, and the hydrated app keeps working", async ({ page }) => {
  await login(page, "dr.petit");
  await page.goto("/offres");
  await hydrated(page);
  // What an injection would do: an inline script without the response's nonce.
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "document.body.dataset.injected = 'ran'";
    document.head.appendChild(s);
  });
  await expect.poll(() => takeCspViolations().length).toBeGreaterThan(0);
  await expect(page.locator("body")).not.toHaveAttribute("data-injected", "ran");
  // The app itself still runs under the policy: the availability button answers.
  await page.getByRole("button", { name: /Disponible/ }).first().click();
  await expect(page.getByText(/Disponible jusqu/)).toBeVisible();
});

test("the app cannot be framed by another page", async ({ page, request }) => {
  const res = await request.get("/connexion");
  expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  await page.setContent(`<iframe src="${res.url()}" title="cadre"></iframe>`);
  const frame = page.frameLocator("iframe[title=cadre]");
  await expect(frame.getByLabel("Adresse e-mail")).toHaveCount(0);
  takeCspViolations();
});
