import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fhirpath from "fhirpath";
import r4 from "fhirpath/fhir-context/r4";
import { expect, hydrated, login, phoneOf, test } from "./helpers";

// The SAS interface as the SAS's platform uses it: the admin issues a token on her phone; the
// guide's own example search (with the demo's RPPS) answers a Bundle that an independent FHIR R4
// model parses, that FHIRPath (an independent engine) finds as the guide's profile wants it, and
// that has the shape of the guide's example answer; the SAS books a slot and Dr Leroy's phone
// shows it live; a revoked token opens nothing.

const RPPS = "urn:oid:1.2.250.1.71.4.2.1";
// The demo's RPPS (server/src/seed.rs, `demo_rpps`): Dr Leroy and Dr Bernard.
const LEROY = "810000000033";
const BERNARD = "810000000041";

/** The guide's example request, word for word (its `+02:00` offsets sent unencoded), on the demo's days. */
const guideSearch =
  "/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&_include=Slot:service-type-reference" +
  "&_include:iterate=HealthcareService:organization&start=ge2026-11-23T10:20:00.000+01:00" +
  `&start=le2026-11-26T16:20:00.000+01:00&schedule.actor:Practitioner.identifier=${RPPS}|${LEROY},${RPPS}|${BERNARD}` +
  "&status=free";

/** Parses a resource with fhir.resources (PyPI), run from the tests' own virtual environment. */
function parsesAsFhirR4(resource: unknown) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "relais-fhir-")), "resource.json");
  writeFileSync(file, JSON.stringify(resource));
  const python = path.join(__dirname, "..", ".venv", "bin", "python");
  const run = spawnSync(python, [path.join(__dirname, "..", "fhir", "validate.py"), file], { encoding: "utf-8" });
  expect(run.error, "the FHIR model runs").toBeUndefined();
  expect(run.stdout + run.stderr, "fhir.resources parses it").toBe("");
  expect(run.status).toBe(0);
}

/** What the guide's profile wants of the answer, as FHIRPath expressions that must all be true. */
const constraints = [
  "Bundle.type = 'searchset' and Bundle.total.exists() and Bundle.link.where(relation = 'self').count() = 1",
  "Bundle.entry.all(fullUrl.exists() and search.mode.exists())",
  "Bundle.entry.resource.all(meta.profile.count() = 1)",
  "Bundle.total = Bundle.entry.resource.ofType(Slot).count()",
  "Bundle.meta.profile = 'https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/sas-cpts-bundle-aggregator'",
  "Bundle.entry.resource.ofType(Slot).all(status = 'free' and appointmentType.coding.code = 'ROUTINE')",
  "Bundle.entry.resource.ofType(Slot).all(meta.security.where(system = 'https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau').code contains 'CPTS')",
  "Bundle.entry.resource.ofType(Slot).all(serviceType.coding.where(system = 'http://terminology.hl7.org/CodeSystem/v3-ActCode').code.subsetOf('AMB' | 'HH' | 'VR'))",
  "Bundle.entry.resource.ofType(Slot).all(serviceType.where(coding.code = '604').extension.where(url = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType').value.reference.startsWith('HealthcareService/'))",
  "Bundle.entry.resource.ofType(Slot).serviceType.coding.where(system = 'http://terminology.hl7.org/CodeSystem/v3-ActCode').code contains 'VR'",
  "Bundle.entry.resource.ofType(Schedule).count() = 2 and Bundle.entry.resource.ofType(Practitioner).count() = 2",
  "Bundle.entry.resource.ofType(Practitioner).identifier.where(system = 'urn:oid:1.2.250.1.71.4.2.1').value.all(matches('^8[0-9]{11}$'))",
  "Bundle.entry.resource.ofType(PractitionerRole).all(contained.ofType(Location).exists() and location.reference = '#practice')",
  "Bundle.entry.resource.ofType(HealthcareService).count() = 1 and Bundle.entry.resource.ofType(HealthcareService).providedBy.reference.startsWith('Organization/')",
  "Bundle.entry.resource.ofType(Organization).identifier.where(system = 'urn:oid:1.2.250.1.71.4.2.2' and type.coding.code = 'IDNST').value.matches('^1[0-9]{9}$')",
];

function types(bundle: any): Map<string, { profile: string; mode: string }> {
  return new Map(
    bundle.entry.map((e: any) => [e.resource.resourceType, { profile: e.resource.meta.profile[0], mode: e.search.mode }]),
  );
}

test("the admin issues a token, the SAS searches as the guide does and books, the GP sees it live", async ({ page, browser, request }) => {
  await login(page, "admin");
  await page.goto("/sas");
  await hydrated(page);
  await expect(page.locator("#fhir-base")).toHaveText(/\/fhir$/);
  await page.getByLabel("Nom de l'accès (ex. : Plateforme SAS 35)").fill("Plateforme SAS 35");
  await page.getByRole("button", { name: "Créer un jeton" }).click();
  const token = (await page.locator("#issued-token code").textContent())!.trim();
  expect(token).toMatch(/^relais_sas_/);
  await expect(page.locator("#clients li")).toHaveCount(1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  const headers = { authorization: `Bearer ${token}`, accept: "application/fhir+json" };

  const res = await request.get(guideSearch, { headers });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/fhir+json");
  const bundle = await res.json();
  expect(bundle.total).toBe(4);
  parsesAsFhirR4(bundle);
  for (const expression of constraints) {
    expect(fhirpath.evaluate(bundle, expression, null, r4), expression).toEqual([true]);
  }

  // The same shape as the guide's example answer: the same resource types, each with the same
  // profile and search mode, and the same elements on a slot.
  const example = JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "sas", "Bundle-ExampleBundleCPTS1.json"), "utf-8"));
  parsesAsFhirR4(example);
  expect(types(bundle)).toEqual(types(example));
  const slotOf = (b: any) => b.entry.find((e: any) => e.resource.resourceType === "Slot").resource;
  const elements = (slot: any) => Object.keys(slot).filter((k) => !["text", "comment", "id"].includes(k)).sort();
  expect(elements(slotOf(bundle))).toEqual(elements(slotOf(example)));
  expect(slotOf(bundle).serviceType[1].coding).toEqual(slotOf(example).serviceType[1].coding);
  expect(slotOf(bundle).serviceType[1].extension[0].url).toBe(slotOf(example).serviceType[1].extension[0].url);

  // The SAS sends its regulator, then books Dr Leroy's first slot; his phone shows it live.
  const gp = await phoneOf(browser, "dr.leroy");
  await gp.goto("/creneaux");
  await hydrated(gp);
  await expect(gp.locator("#slots li").first()).toContainText("Libre");
  const regulator = {
    resourceType: "Practitioner",
    identifier: [{ system: RPPS, value: "3456780581/11242343" }],
    active: true,
    name: [{ family: "Loridon", given: ["Sébastien"] }],
  };
  const fhirHeaders = { ...headers, "content-type": "application/fhir+json" };
  const created = await request.post("/fhir/Practitioner", { headers: fhirHeaders, data: JSON.stringify(regulator) });
  expect(created.status()).toBe(201);
  const slot = slotOf(bundle);
  const appointment = {
    resourceType: "Appointment",
    extension: [
      {
        url: "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator",
        valueReference: { identifier: { system: RPPS, value: "3456780581/11242343" } },
      },
    ],
    identifier: [{ system: "urn:oid:1.1.111.1.11.1.1.1", value: "b6e39355-8a61-4556-b340-36f7b95fec6a" }],
    status: "booked",
    start: slot.start,
    end: slot.end,
    participant: [{ actor: { identifier: { system: RPPS, value: LEROY } }, status: "accepted" }],
  };
  const booked = await request.post("/fhir/Appointment", { headers: fhirHeaders, data: JSON.stringify(appointment) });
  expect(booked.status()).toBe(201);
  expect(booked.headers()["location"]).toMatch(/\/fhir\/Appointment\/\d+$/);
  const answer = await booked.json();
  parsesAsFhirR4(answer);
  await expect(gp.locator("#slots li").first()).toContainText("Réservé");
  await expect(gp.locator("#slots li").first()).toContainText("SAS");

  // Taken: the second booking gets an OperationOutcome that the FHIR model parses too.
  const again = await request.post("/fhir/Appointment", {
    headers: fhirHeaders,
    data: JSON.stringify({ ...appointment, identifier: [{ system: "urn:oid:1.1.111.1.11.1.1.1", value: "autre" }] }),
  });
  expect(again.status()).toBe(422);
  const outcome = await again.json();
  parsesAsFhirR4(outcome);
  expect(fhirpath.evaluate(outcome, "OperationOutcome.issue.code", null, r4)).toEqual(["conflict"]);

  // The admin revokes the token: the SAS is shut out.
  await page.reload();
  await hydrated(page);
  await expect(page.locator("#sas-count")).toContainText("1 rendez-vous pris par le SAS");
  await page.locator("#clients li").first().getByRole("button", { name: "Révoquer" }).click();
  await expect(page.locator("#clients li").first()).toContainText("Révoqué");
  expect((await request.get(guideSearch, { headers })).status()).toBe(401);
});
