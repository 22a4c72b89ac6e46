//! What Relais answers the SAS, as FHIR R4 JSON (pure): the search Bundle of the guide's profile
//! `sas-cpts-bundle-aggregator` and the resources it includes, the OperationOutcome of a refusal.
//! The canonical URLs are the guide's own (two different bases, as its release 1.2.0 has them).

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use serde_json::{json, Value};

use super::rules::{Includes, Problem, FINESS_SYSTEM, RPPS_SYSTEM};
use crate::domain::{AppointmentMode, Profession};

const IG: &str = "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition";
const SAS: &str = "http://sas.fr/fhir/StructureDefinition";
const SLOT_TYPE: &str = "https://mos.esante.gouv.fr/NOS/TRE_R314-TypeCreneau/FHIR/TRE-R314-TypeCreneau";
const ESTABLISHMENT: &str =
    "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement";
const SPECIALTY: &str = "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale";
const R5_SERVICE_TYPE: &str = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType";
const FR_0203: &str = "http://interopsante.org/fhir/CodeSystem/fr-v2-0203";
const FR_CORE_0203: &str = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";

/// The CPTS, as the SAS sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct CptsInfo {
    pub id: i64,
    pub name: String,
    /// 9 characters.
    pub finess: String,
}

/// A clinician who shares slots with the SAS.
#[derive(Clone, Debug, PartialEq)]
pub struct ClinicianInfo {
    pub member_id: i64,
    /// 11 digits, without the prefix.
    pub rpps: String,
    pub name: String,
    pub profession: Option<Profession>,
    pub commune: Option<String>,
    pub postcode: Option<String>,
}

/// A free slot.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotInfo {
    pub id: i64,
    pub member_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: AppointmentMode,
}

/// An instant as the guide writes them: Paris wall-clock time with its offset.
pub fn paris(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn entry(base: &str, resource: Value, mode: &str) -> Value {
    let kind = resource["resourceType"].as_str().unwrap_or_default().to_string();
    let id = resource["id"].as_str().unwrap_or_default().to_string();
    json!({ "fullUrl": format!("{base}/{kind}/{id}"), "resource": resource, "search": { "mode": mode } })
}

/// The consultation type: ActEncounterCode AMB (at the practice), HH (at home), VR (remote).
pub fn encounter_code(mode: AppointmentMode) -> &'static str {
    match mode {
        AppointmentMode::Office => "AMB",
        AppointmentMode::HomeVisit => "HH",
        AppointmentMode::Teleconsultation => "VR",
    }
}

fn slot(s: &SlotInfo, cpts: &CptsInfo, profession: Option<Profession>) -> Value {
    let mut slot = json!({
        "resourceType": "Slot",
        "id": s.id.to_string(),
        "meta": {
            "profile": [format!("{IG}/sas-cpts-slot-aggregator")],
            "security": [{ "system": SLOT_TYPE, "code": "SNP" }, { "system": SLOT_TYPE, "code": "CPTS" }],
        },
        "serviceType": [
            { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": encounter_code(s.mode) }] },
            {
                "extension": [{ "url": R5_SERVICE_TYPE, "valueReference": { "reference": format!("HealthcareService/cpts-{}", cpts.id) } }],
                "coding": [{ "system": ESTABLISHMENT, "code": "604" }],
            },
        ],
        "appointmentType": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0276", "code": "ROUTINE" }] },
        "schedule": { "reference": format!("Schedule/member-{}", s.member_id) },
        "status": "free",
        "start": paris(s.starts_at),
        "end": paris(s.ends_at),
    });
    if profession == Some(Profession::Gp) {
        // TRE-R38 SM54: general medicine.
        slot["specialty"] = json!([{ "coding": [{ "system": SPECIALTY, "code": "SM54" }] }]);
    }
    slot
}

/// The name as FHIR writes it: "Dr Sophie Martin" → given "Sophie", family "Martin" (the first
/// word after the title is the given name, the rest the family name: "Anne De La Tour"); the
/// whole name in `text` as it is shown.
fn human_name(display: &str) -> Value {
    let mut words: Vec<&str> = display.split_whitespace().collect();
    if words.len() > 1 && ["Dr", "Dr.", "Pr", "Pr."].contains(&words[0]) {
        words.remove(0);
    }
    let mut name = json!({ "text": display.trim() });
    match words.as_slice() {
        [] => {}
        [family] => name["family"] = json!(family),
        [given, family @ ..] => {
            name["family"] = json!(family.join(" "));
            name["given"] = json!([given]);
        }
    }
    name
}

fn practitioner(c: &ClinicianInfo) -> Value {
    json!({
        "resourceType": "Practitioner",
        "id": format!("member-{}", c.member_id),
        "meta": { "profile": [format!("{SAS}/FrPractitionerAgregateur")] },
        "identifier": [{
            "type": { "coding": [{ "system": FR_0203, "code": "IDNPS" }] },
            "system": RPPS_SYSTEM,
            "value": format!("8{}", c.rpps),
        }],
        "name": [human_name(&c.name)],
    })
}

fn practitioner_role(c: &ClinicianInfo, cpts: &CptsInfo) -> Value {
    let mut address = serde_json::Map::new();
    if let Some(city) = &c.commune {
        address.insert("city".into(), json!(city));
    }
    if let Some(postcode) = &c.postcode {
        address.insert("postalCode".into(), json!(postcode));
    }
    let mut location = json!({
        "resourceType": "Location",
        "id": "practice",
        "meta": { "profile": [format!("{SAS}/FrLocationAgregateur")] },
    });
    // FHIR JSON has no empty object: no address when the commune is unknown.
    if !address.is_empty() {
        location["address"] = Value::Object(address);
    }
    json!({
        "resourceType": "PractitionerRole",
        "id": format!("member-{}", c.member_id),
        "meta": { "profile": [format!("{SAS}/FrPractitionerRoleExerciceAgregateur")] },
        "contained": [location],
        "practitioner": { "reference": format!("Practitioner/member-{}", c.member_id) },
        "organization": { "reference": format!("Organization/cpts-{}", cpts.id) },
        "location": [{ "reference": "#practice" }],
    })
}

fn schedule(c: &ClinicianInfo) -> Value {
    json!({
        "resourceType": "Schedule",
        "id": format!("member-{}", c.member_id),
        "meta": { "profile": [format!("{SAS}/FrScheduleAgregateur")] },
        "actor": [
            { "reference": format!("Practitioner/member-{}", c.member_id) },
            { "reference": format!("PractitionerRole/member-{}", c.member_id) },
        ],
    })
}

fn healthcare_service(cpts: &CptsInfo) -> Value {
    json!({
        "resourceType": "HealthcareService",
        "id": format!("cpts-{}", cpts.id),
        "meta": { "profile": [format!("{IG}/sas-cpts-healthcareservice-aggregator")] },
        "providedBy": { "reference": format!("Organization/cpts-{}", cpts.id) },
        "name": cpts.name,
    })
}

fn organization(cpts: &CptsInfo) -> Value {
    json!({
        "resourceType": "Organization",
        "id": format!("cpts-{}", cpts.id),
        "meta": { "profile": [format!("{IG}/sas-cpts-organization-aggregator")] },
        "identifier": [{
            "type": { "coding": [{ "system": FR_CORE_0203, "code": "IDNST" }] },
            "system": FINESS_SYSTEM,
            // The guide's rule: the FINESS number prefixed by 1.
            "value": format!("1{}", cpts.finess),
        }],
        "name": cpts.name,
    })
}

/// The answer to a slot search: a `searchset` Bundle with `total` (the slots found), a `self`
/// link, then each slot (`match`) and, as asked, each clinician's Schedule, Practitioner and
/// PractitionerRole (its Location contained), the CPTS's HealthcareService and Organization
/// (`include`), every entry with its `fullUrl` under `base` (`https://…/fhir`).
pub fn search_bundle(
    base: &str,
    self_url: &str,
    cpts: &CptsInfo,
    clinicians: &[ClinicianInfo],
    slots: &[SlotInfo],
    includes: Includes,
) -> Value {
    let profession = |member_id| clinicians.iter().find(|c| c.member_id == member_id).and_then(|c| c.profession);
    let mut entries: Vec<Value> =
        slots.iter().map(|s| entry(base, slot(s, cpts, profession(s.member_id)), "match")).collect();
    let mut seen: Vec<i64> = Vec::new();
    for s in slots {
        if seen.contains(&s.member_id) {
            continue;
        }
        seen.push(s.member_id);
        let Some(c) = clinicians.iter().find(|c| c.member_id == s.member_id) else { continue };
        if includes.schedule {
            entries.push(entry(base, schedule(c), "include"));
            if includes.actors {
                entries.push(entry(base, practitioner(c), "include"));
                entries.push(entry(base, practitioner_role(c, cpts), "include"));
            }
        }
    }
    if includes.service && !slots.is_empty() {
        entries.push(entry(base, healthcare_service(cpts), "include"));
        if includes.organization {
            entries.push(entry(base, organization(cpts), "include"));
        }
    }
    let mut bundle = json!({
        "resourceType": "Bundle",
        "meta": { "profile": [format!("{IG}/sas-cpts-bundle-aggregator")] },
        "type": "searchset",
        "total": slots.len(),
        "link": [{ "relation": "self", "url": self_url }],
    });
    // FHIR JSON has no empty array: nothing found, no `entry`.
    if !entries.is_empty() {
        bundle["entry"] = Value::Array(entries);
    }
    bundle
}

/// The OperationOutcome of a refusal.
pub fn outcome(p: &Problem) -> Value {
    let mut issue = json!({ "severity": "error", "code": p.code, "diagnostics": p.diagnostics });
    if let Some(expression) = &p.expression {
        issue["expression"] = json!([expression]);
    }
    json!({ "resourceType": "OperationOutcome", "issue": [issue] })
}

/// The resource as stored: what the SAS sent, with the id Relais gives it.
pub fn with_id(mut resource: Value, id: &str) -> Value {
    if let Some(fields) = resource.as_object_mut() {
        fields.insert("id".into(), json!(id));
    }
    resource
}
