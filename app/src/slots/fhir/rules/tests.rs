use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::domain::{AppointmentMode, Profession};
use crate::slots::fhir::resources::{outcome, search_bundle, ClinicianInfo, CptsInfo, SlotInfo};

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
}

const RPPS_A: &str = "urn:oid:1.2.250.1.71.4.2.1|810002909371";
const RPPS_B: &str = "urn:oid:1.2.250.1.71.4.2.1|810001288385";

/// The guide's own example search.
fn guide_search() -> Vec<(String, String)> {
    q(&[
        ("_include", "Slot:schedule"),
        ("_include:iterate", "Schedule:actor"),
        ("_include", "Slot:service-type-reference"),
        ("_include:iterate", "HealthcareService:organization"),
        ("start", "ge2024-06-12T16:20:00.000+02:00"),
        ("start", "le2024-06-15T16:20:00.000+02:00"),
        ("schedule.actor:Practitioner.identifier", &format!("{RPPS_A},{RPPS_B}")),
        ("status", "free"),
    ])
}

#[test]
fn the_guides_example_search_reads_as_two_practitioners_over_three_days_with_every_include() {
    let s = parse_search(&guide_search()).unwrap();
    assert_eq!(s.rpps, vec!["10002909371".to_string(), "10001288385".to_string()]);
    assert_eq!(s.from, Utc.with_ymd_and_hms(2024, 6, 12, 14, 20, 0).unwrap());
    assert_eq!(s.to, Utc.with_ymd_and_hms(2024, 6, 15, 14, 20, 0).unwrap());
    assert_eq!(s.includes, Includes { schedule: true, actors: true, service: true, organization: true });
}

#[test]
fn a_time_zone_plus_decoded_as_a_space_still_reads() {
    let mut pairs = guide_search();
    pairs[4].1 = "ge2024-06-12T16:20:00.000 02:00".into();
    assert_eq!(parse_search(&pairs).unwrap().from, Utc.with_ymd_and_hms(2024, 6, 12, 14, 20, 0).unwrap());
}

#[test]
fn a_day_alone_covers_the_whole_paris_day() {
    let mut pairs = guide_search();
    pairs[4].1 = "ge2026-12-02".into();
    pairs[5].1 = "le2026-12-02".into();
    let s = parse_search(&pairs).unwrap();
    assert_eq!(s.from, Utc.with_ymd_and_hms(2026, 12, 1, 23, 0, 0).unwrap());
    assert_eq!(s.to, Utc.with_ymd_and_hms(2026, 12, 2, 22, 59, 59).unwrap() + chrono::Duration::milliseconds(999));
}

#[test]
fn each_missing_or_wrong_parameter_is_named() {
    let without =
        |name: &str| guide_search().into_iter().filter(|(n, v)| n != name && !v.starts_with(name)).collect::<Vec<_>>();
    assert_eq!(parse_search(&without("status")).unwrap_err().expression.as_deref(), Some("status"));
    let only_start = guide_search().into_iter().filter(|(_, v)| !v.starts_with("le")).collect::<Vec<_>>();
    assert_eq!(parse_search(&only_start).unwrap_err().code, "required");
    let no_actor = without("schedule.actor:Practitioner.identifier");
    assert_eq!(parse_search(&no_actor).unwrap_err().expression.as_deref(), Some(ACTOR_PARAM));
    for (index, value, code) in [
        (4, "2024-06-12T16:20:00+02:00", "invalid"),
        (4, "geyesterday", "invalid"),
        (6, "urn:oid:1.2.250.1.71.4.2.1|10002909371", "invalid"),
        (6, "http://other|810002909371", "invalid"),
        (7, "busy", "not-supported"),
        (0, "Slot:nothing", "not-supported"),
    ] {
        let mut pairs = guide_search();
        pairs[index].1 = value.into();
        let p = parse_search(&pairs).unwrap_err();
        assert_eq!((p.status, p.code), (400, code), "{value}: {p:?}");
    }
    let mut unknown = guide_search();
    unknown.push(("_count".into(), "10".into()));
    assert_eq!(parse_search(&unknown).unwrap_err().diagnostics, "Paramètre de recherche non pris en charge : _count.");
}

#[test]
fn a_range_upside_down_or_longer_than_a_month_is_refused() {
    let mut pairs = guide_search();
    pairs[5].1 = "le2024-06-11T00:00:00+02:00".into();
    assert_eq!(parse_search(&pairs).unwrap_err().diagnostics, "La fin de la recherche précède son début.");
    pairs[5].1 = "le2024-07-14T00:00:00+02:00".into();
    assert_eq!(parse_search(&pairs).unwrap_err().code, "too-costly");
}

fn actors(n: usize) -> String {
    (0..n).map(|i| format!("{RPPS_SYSTEM}|8{:011}", 10_000_000_000u64 + i as u64)).collect::<Vec<_>>().join(",")
}

proptest! {
    /// From 1 to 25 distinct practitioners a search reads; from 26 on it is refused, too costly.
    #[test]
    fn at_most_twenty_five_practitioners_per_search(n in 1usize..60) {
        let mut pairs = guide_search();
        pairs[6].1 = actors(n);
        match parse_search(&pairs) {
            Ok(s) => prop_assert!(n <= MAX_PRACTITIONERS && s.rpps.len() == n),
            Err(p) => prop_assert!(n > MAX_PRACTITIONERS && p.code == "too-costly" && p.status == 400),
        }
    }

    /// Whatever a caller sends, a search is read or refused with a 400: never a panic.
    #[test]
    fn any_query_is_read_or_refused(pairs in proptest::collection::vec(("[a-z_:.]{1,12}|start|status|_include", "\\PC{0,30}"), 0..8)) {
        let pairs: Vec<(String, String)> = pairs;
        if let Err(p) = parse_search(&pairs) {
            prop_assert_eq!(p.status, 400);
        }
    }

    /// Whatever the prefix digits, only `8` followed by exactly 11 digits is an RPPS.
    #[test]
    fn a_prefixed_rpps_is_eight_and_eleven_digits(text in "[0-9]{0,14}") {
        let ok = rpps_of(&text).is_some();
        prop_assert_eq!(ok, text.len() == 12 && text.starts_with('8'));
    }
}

fn guide_appointment() -> serde_json::Value {
    json!({
        "resourceType": "Appointment",
        "extension": [{
            "url": OPERATOR_EXTENSION,
            "valueReference": { "identifier": { "system": RPPS_SYSTEM, "value": "3456780581/11242343" } },
        }],
        "identifier": [{ "system": "urn:oid:1.1.111.1.11.1.1.1", "value": "b6e39355-8a61-4556-b340-36f7b95fec6a" }],
        "status": "booked",
        "start": "2022-09-04T14:00:00+01:00",
        "end": "2022-09-04T14:15:00+01:00",
        "participant": [{ "actor": { "identifier": { "system": RPPS_SYSTEM, "value": "810100050075" } }, "status": "accepted" }],
    })
}

#[test]
fn the_guides_example_appointment_reads_with_its_regulator_and_practitioner() {
    let a = parse_appointment(&guide_appointment()).unwrap();
    assert_eq!(a.identifier.1, "b6e39355-8a61-4556-b340-36f7b95fec6a");
    assert_eq!((a.status, a.rpps.as_str()), (AppointmentStatus::Booked, "10100050075"));
    assert_eq!(a.operator, Some((RPPS_SYSTEM.to_string(), "3456780581/11242343".to_string())));
    assert_eq!(a.start, Utc.with_ymd_and_hms(2022, 9, 4, 13, 0, 0).unwrap());
    assert_eq!((a.slot_id, a.patient.as_str()), (None, ""));
}

#[test]
fn a_faulty_appointment_says_which_element() {
    let cases: [(&str, serde_json::Value, u16, &str); 5] = [
        ("identifier", json!([]), 400, "Appointment.identifier"),
        ("start", json!("demain"), 400, "Appointment.start"),
        (
            "participant",
            json!([{ "actor": { "identifier": { "system": RPPS_SYSTEM, "value": "12" } } }]),
            400,
            "Appointment.participant.actor.identifier",
        ),
        ("slot", json!([{ "reference": "Schedule/1" }]), 400, "Appointment.slot"),
        ("resourceType", json!("Patient"), 400, "resourceType"),
    ];
    for (element, value, status, expression) in cases {
        let mut body = guide_appointment();
        body[element] = value;
        let p = parse_appointment(&body).unwrap_err();
        assert_eq!((p.status, p.expression.as_deref()), (status, Some(expression)), "{element}: {p:?}");
    }
    let mut body = guide_appointment();
    body["status"] = json!("pending");
    assert_eq!(parse_appointment(&body).unwrap_err().status, 422);
}

#[test]
fn a_regulator_reads_with_its_national_or_sas_identifier_and_nothing_else() {
    let body = json!({
        "resourceType": "Practitioner",
        "meta": { "source": SAS_SYSTEM },
        "identifier": [{ "system": RPPS_SYSTEM, "value": "3456780581/11242343" }],
        "active": true,
        "name": [{ "family": "Loridon", "given": ["Sébastien"] }],
        "telecom": [{ "system": "email", "value": "sebastien.loridon@test.com" }],
    });
    let r = parse_regulator(&body).unwrap();
    assert_eq!(
        (r.family.as_str(), r.given.as_str(), r.email.as_str(), r.active),
        ("Loridon", "Sébastien", "sebastien.loridon@test.com", true)
    );
    let mut other = body.clone();
    other["identifier"][0]["system"] = json!("urn:oid:9.9");
    assert_eq!(parse_regulator(&other).unwrap_err().expression.as_deref(), Some("Practitioner.identifier"));
    let mut inactive = body;
    inactive["active"] = json!("no");
    assert_eq!(parse_regulator(&inactive).unwrap_err().status, 400);
}

#[test]
fn a_conditional_update_names_its_identifier_as_system_and_value() {
    let ok = identifier_param(&q(&[("Identifier", "urn:x|42")])).unwrap();
    assert_eq!(ok, ("urn:x".to_string(), "42".to_string()));
    assert_eq!(identifier_param(&q(&[])).unwrap_err().code, "required");
    assert_eq!(identifier_param(&q(&[("identifier", "42")])).unwrap_err().code, "invalid");
}

fn cpts() -> CptsInfo {
    CptsInfo { id: 1, name: "CPTS Test".into(), finess: "350012345".into() }
}

fn gp(member_id: i64) -> ClinicianInfo {
    ClinicianInfo {
        member_id,
        rpps: format!("1000000000{member_id}"),
        name: "Dr Sophie Martin".into(),
        profession: Some(Profession::Gp),
        commune: Some("Rennes".into()),
        postcode: Some("35000".into()),
    }
}

fn slot(id: i64, member_id: i64, mode: AppointmentMode) -> SlotInfo {
    let starts_at = Utc.with_ymd_and_hms(2026, 12, 2, 13, 0, 0).unwrap() + chrono::Duration::minutes(15 * id);
    SlotInfo { id, member_id, starts_at, ends_at: starts_at + chrono::Duration::minutes(15), mode }
}

#[test]
fn the_bundle_counts_slots_and_includes_each_clinician_once_and_the_cpts_once() {
    let all = Includes { schedule: true, actors: true, service: true, organization: true };
    let slots = [
        slot(1, 1, AppointmentMode::Office),
        slot(2, 1, AppointmentMode::HomeVisit),
        slot(3, 2, AppointmentMode::Teleconsultation),
    ];
    let b =
        search_bundle("https://r.example/fhir", "https://r.example/fhir/Slot?x", &cpts(), &[gp(1), gp(2)], &slots, all);
    assert_eq!((b["type"].as_str(), b["total"].as_u64()), (Some("searchset"), Some(3)));
    let kinds: Vec<&str> =
        b["entry"].as_array().unwrap().iter().map(|e| e["resource"]["resourceType"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "Slot",
            "Slot",
            "Slot",
            "Schedule",
            "Practitioner",
            "PractitionerRole",
            "Schedule",
            "Practitioner",
            "PractitionerRole",
            "HealthcareService",
            "Organization"
        ]
    );
    let codes: Vec<&str> =
        (0..3).map(|i| b["entry"][i]["resource"]["serviceType"][0]["coding"][0]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["AMB", "HH", "VR"]);
    assert_eq!(b["entry"][0]["fullUrl"], "https://r.example/fhir/Slot/1");
    assert_eq!(b["entry"][0]["resource"]["start"], "2026-12-02T14:15:00+01:00");
    assert_eq!(b["entry"][4]["resource"]["identifier"][0]["value"], "810000000001");
    assert_eq!(
        b["entry"][4]["resource"]["name"][0],
        json!({ "text": "Dr Sophie Martin", "family": "Martin", "given": ["Sophie"] })
    );
    assert_eq!(b["entry"][10]["resource"]["identifier"][0]["value"], "1350012345");
}

#[test]
fn without_includes_or_slots_the_bundle_holds_only_what_was_found() {
    let b = search_bundle("b", "s", &cpts(), &[gp(1)], &[slot(1, 1, AppointmentMode::Office)], Includes::default());
    assert_eq!(b["entry"].as_array().unwrap().len(), 1);
    let empty = search_bundle(
        "b",
        "s",
        &cpts(),
        &[],
        &[],
        Includes { schedule: true, actors: true, service: true, organization: true },
    );
    // FHIR JSON has no empty array: no `entry` at all.
    assert_eq!((empty["total"].as_u64(), empty.get("entry")), (Some(0), None));
}

#[test]
fn a_refusal_is_an_operation_outcome_naming_the_parameter() {
    let o = outcome(&Problem::required("status"));
    assert_eq!(o["resourceType"], "OperationOutcome");
    assert_eq!(o["issue"][0]["code"], "required");
    assert_eq!(o["issue"][0]["expression"], json!(["status"]));
}

#[test]
fn exclusive_bounds_leave_their_instant_out() {
    let mut pairs = guide_search();
    pairs[4].1 = "gt2024-06-12T16:20:00+02:00".into();
    pairs[5].1 = "lt2024-06-15T16:20:00+02:00".into();
    let s = parse_search(&pairs).unwrap();
    assert_eq!(s.from, Utc.with_ymd_and_hms(2024, 6, 12, 14, 20, 0).unwrap() + chrono::Duration::milliseconds(1));
    assert_eq!(s.to, Utc.with_ymd_and_hms(2024, 6, 15, 14, 20, 0).unwrap() - chrono::Duration::milliseconds(1));
}

#[test]
fn control_characters_or_overlong_texts_are_refused_but_the_narrative_is_left_alone() {
    let mut body = guide_appointment();
    body["identifier"][0]["value"] = json!("rdv\u{0}1");
    assert_eq!(parse_appointment(&body).unwrap_err().status, 400);
    let mut body = guide_appointment();
    body["identifier"][0]["value"] = json!("x".repeat(TEXT_MAX + 1));
    assert_eq!(parse_appointment(&body).unwrap_err().code, "invalid");
    let mut body = guide_appointment();
    body["text"] = json!({ "status": "generated", "div": format!("<div>\n{}</div>", "x".repeat(2000)) });
    assert!(parse_appointment(&body).is_ok());
    assert_eq!(identifier_param(&q(&[("identifier", "urn:x|a\u{7}b")])).unwrap_err().code, "invalid");
}

#[test]
fn names_are_split_after_the_given_name_and_a_practice_without_commune_has_no_address() {
    let mut c = gp(1);
    c.name = "Dr Anne De La Tour".into();
    c.commune = None;
    c.postcode = None;
    let all = Includes { schedule: true, actors: true, service: false, organization: false };
    let b = search_bundle("b", "s", &cpts(), &[c], &[slot(1, 1, AppointmentMode::Office)], all);
    assert_eq!(
        b["entry"][2]["resource"]["name"][0],
        json!({ "text": "Dr Anne De La Tour", "family": "De La Tour", "given": ["Anne"] })
    );
    assert_eq!(b["entry"][3]["resource"]["contained"][0].get("address"), None);
}
