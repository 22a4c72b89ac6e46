import { defineConfig, devices } from "@playwright/test";

// The release server on a fresh SQLite database with the demo CPTS, its clock set to a Monday
// 10:00 in Paris so that dispatch is open whatever time the tests run.
const port = Number(process.env.RELAIS_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A local OpenID provider standing in for Pro Santé Connect (oidc/psc-provider.mjs).
const pscPort = Number(process.env.RELAIS_E2E_PSC_PORT ?? 3200);

const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  locale: "fr-FR",
  timezoneId: "Europe/Paris",
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "phone", use: { ...devices["Pixel 5"], ...phone }, testIgnore: /nojs/ },
    { name: "phone-nojs", use: { ...devices["Pixel 5"], ...phone, javaScriptEnabled: false }, testMatch: /nojs/ },
  ],
  webServer: [
    {
      command: `node oidc/psc-provider.mjs ${pscPort}`,
      url: `http://localhost:${pscPort}/.well-known/openid-configuration`,
      env: { PSC_REDIRECT_URIS: `${baseURL}/auth/psc/retour,http://localhost:${port}/auth/psc/retour` },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `bash ../scripts/e2e-server.sh ${port} ${pscPort}`,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
