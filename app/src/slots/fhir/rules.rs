//! What the SAS sends, read as the ANS guide writes it (pure): a slot search's parameters, an
//! Appointment, a regulator's Practitioner, a conditional update's identifier. Every refusal is a
//! [`Problem`]: the HTTP status and the OperationOutcome's issue, in French.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use serde_json::Value;

/// National identifiers of health professionals (RPPS with prefix `8`, ADELI with prefix `0`).
pub const RPPS_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.1";
/// The SAS platform's own identifiers (a regulator without a national one).
pub const SAS_SYSTEM: &str = "urn:oid:1.2.250.1.213.3.6";
/// FINESS numbers of organisations.
pub const FINESS_SYSTEM: &str = "urn:oid:1.2.250.1.71.4.2.2";
/// The extension naming who took an appointment.
pub const OPERATOR_EXTENSION: &str = "http://interopsante.org/fhir/StructureDefinition/FrAppointmentOperator";
/// At most this many practitioners per search (the guide's cardinality 1..25).
pub const MAX_PRACTITIONERS: usize = 25;
/// A search covers at most this many days.
pub const MAX_SEARCH_DAYS: i64 = 31;

/// Why a call is refused: its HTTP status, the OperationOutcome issue's `code` (FHIR IssueType),
/// a French explanation and, when one parameter or element is at fault, its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    pub code: &'static str,
    pub diagnostics: String,
    pub expression: Option<String>,
}

impl Problem {
    /// 400: the request is malformed.
    pub fn invalid(expression: &str, diagnostics: impl Into<String>) -> Self {
        Self { status: 400, code: "invalid", diagnostics: diagnostics.into(), expression: Some(expression.into()) }
    }

    /// 400: something required is missing.
    pub fn required(expression: &str) -> Self {
        Self {
            status: 400,
            code: "required",
            diagnostics: format!("Élément obligatoire absent : {expression}."),
            expression: Some(expression.into()),
        }
    }

    /// 400: Relais does not take this parameter or value.
    pub fn not_supported(expression: &str, diagnostics: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: "not-supported",
            diagnostics: diagnostics.into(),
            expression: Some(expression.into()),
        }
    }

    /// 422: well formed, but a rule of the CPTS forbids it.
    pub fn rule(code: &'static str, diagnostics: impl Into<String>) -> Self {
        Self { status: 422, code, diagnostics: diagnostics.into(), expression: None }
    }
}

/// What a search asks to include beside the slots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Includes {
    /// `_include=Slot:schedule`
    pub schedule: bool,
    /// `_include:iterate=Schedule:actor`: Practitioner and PractitionerRole
    pub actors: bool,
    /// `_include=Slot:service-type-reference`: the CPTS's HealthcareService
    pub service: bool,
    /// `_include:iterate=HealthcareService:organization`: the CPTS's Organization
    pub organization: bool,
}

/// A slot search, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotSearch {
    /// Slots starting at or after this instant…
    pub from: DateTime<Utc>,
    /// …and at or before this one.
    pub to: DateTime<Utc>,
    /// The practitioners' RPPS numbers (11 digits, without the prefix `8`), each once.
    pub rpps: Vec<String>,
    pub includes: Includes,
}

const ACTOR_PARAM: &str = "schedule.actor:Practitioner.identifier";

/// Reads `GET /fhir/Slot`'s query parameters (already percent-decoded, in order).
///
/// # Errors
/// A 400 [`Problem`] naming the parameter: a missing or malformed `start` bound, no practitioner
/// or more than [`MAX_PRACTITIONERS`], an identifier that is not a prefixed RPPS, a `status`
/// other than `free`, an include or parameter Relais does not take, a range upside down or
/// longer than [`MAX_SEARCH_DAYS`].
pub fn parse_search(pairs: &[(String, String)]) -> Result<SlotSearch, Problem> {
    let (mut from, mut to, mut status) = (None, None, None);
    let mut rpps: Vec<String> = Vec::new();
    let mut includes = Includes::default();
    for (name, value) in pairs {
        match name.as_str() {
            "start" => {
                // A `+` of a time zone sent unencoded arrives as a space.
                let value = value.replace(' ', "+");
                let (prefix, date) = (value.get(..2).unwrap_or_default(), value.get(2..).unwrap_or_default());
                match prefix {
                    "ge" if from.is_none() => from = Some(instant(date, false)?),
                    "gt" if from.is_none() => from = Some(instant(date, true)? + Duration::milliseconds(1)),
                    "le" if to.is_none() => to = Some(instant(date, true)?),
                    "lt" if to.is_none() => to = Some(instant(date, false)? - Duration::milliseconds(1)),
                    "ge" | "gt" | "le" | "lt" => {
                        return Err(Problem::invalid("start", "Une seule borne de chaque côté pour « start »."))
                    }
                    _ => return Err(Problem::invalid(
                        "start",
                        "« start » s'écrit avec le préfixe ge (début) ou le (fin) : start=ge2026-12-02T08:00:00+01:00.",
                    )),
                }
            }
            ACTOR_PARAM => {
                for token in value.split(',').filter(|t| !t.is_empty()) {
                    let number = prefixed_rpps(token)?;
                    if !rpps.contains(&number) {
                        rpps.push(number);
                    }
                }
            }
            "status" => status = Some(value.clone()),
            "_include" | "_include:iterate" => match value.as_str() {
                "Slot:schedule" => includes.schedule = true,
                "Schedule:actor" => includes.actors = true,
                "Slot:service-type-reference" => includes.service = true,
                "HealthcareService:organization" => includes.organization = true,
                other => {
                    return Err(Problem::not_supported("_include", format!("Inclusion non prise en charge : {other}.")))
                }
            },
            "_format" => {
                if !["json", "application/json", "application/fhir+json", "application/json+fhir"]
                    .contains(&value.replace(' ', "+").as_str())
                {
                    return Err(Problem::not_supported("_format", "Seul le format JSON est servi."));
                }
            }
            other => {
                return Err(Problem::not_supported(
                    other,
                    format!("Paramètre de recherche non pris en charge : {other}."),
                ))
            }
        }
    }
    let from = from.ok_or_else(|| Problem::required("start=ge…"))?;
    let to = to.ok_or_else(|| Problem::required("start=le…"))?;
    match status.as_deref() {
        Some("free") => {}
        Some(_) => {
            return Err(Problem::not_supported("status", "Seuls les créneaux libres se cherchent : status=free."))
        }
        None => return Err(Problem::required("status")),
    }
    if rpps.is_empty() {
        return Err(Problem::required(ACTOR_PARAM));
    }
    if rpps.len() > MAX_PRACTITIONERS {
        return Err(Problem {
            status: 400,
            code: "too-costly",
            diagnostics: format!("{MAX_PRACTITIONERS} praticiens au plus par recherche ({} demandés).", rpps.len()),
            expression: Some(ACTOR_PARAM.into()),
        });
    }
    if to < from {
        return Err(Problem::invalid("start", "La fin de la recherche précède son début."));
    }
    if to - from > Duration::days(MAX_SEARCH_DAYS) {
        return Err(Problem {
            status: 400,
            code: "too-costly",
            diagnostics: format!("Une recherche couvre {MAX_SEARCH_DAYS} jours au plus."),
            expression: Some("start".into()),
        });
    }
    Ok(SlotSearch { from, to, rpps, includes })
}

/// A FHIR `date` or `dateTime`: with its offset; without one, Paris time; a day alone is its
/// first instant (or, as an upper bound, its last).
fn instant(text: &str, upper: bool) -> Result<DateTime<Utc>, Problem> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| {
                if upper {
                    d.succ_opt()?.and_hms_opt(0, 0, 0).map(|t| t - Duration::milliseconds(1))
                } else {
                    d.and_hms_opt(0, 0, 0)
                }
            })
        });
    local.and_then(|t| Paris.from_local_datetime(&t).earliest()).map(|t| t.with_timezone(&Utc)).ok_or_else(|| {
        Problem::invalid("start", format!("Date illisible : « {text} » (attendu : 2026-12-02T08:00:00+01:00)."))
    })
}

/// `urn:oid:1.2.250.1.71.4.2.1|8XXXXXXXXXXX` → the 11-digit RPPS.
fn prefixed_rpps(token: &str) -> Result<String, Problem> {
    let (system, value) = token.split_once('|').unwrap_or(("", token));
    if system != RPPS_SYSTEM {
        return Err(Problem::invalid(
            ACTOR_PARAM,
            format!("Identifiant « {token} » : le système attendu est {RPPS_SYSTEM} (RPPS préfixé par 8)."),
        ));
    }
    rpps_of(value).ok_or_else(|| {
        Problem::invalid(ACTOR_PARAM, format!("« {value} » n'est pas un RPPS préfixé (8 suivi de 11 chiffres)."))
    })
}

/// A prefixed RPPS (`8` and 11 digits) → the RPPS.
pub fn rpps_of(prefixed: &str) -> Option<String> {
    let digits = prefixed.strip_prefix('8')?;
    (digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_string())
}

/// A conditional update's `identifier=system|value`.
///
/// # Errors
/// 400 when it is missing or has no system.
pub fn identifier_param(pairs: &[(String, String)]) -> Result<(String, String), Problem> {
    let value = pairs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("identifier"))
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| Problem::required("identifier"))?;
    acceptable("identifier", value)?;
    match value.split_once('|') {
        Some((system, id)) if !system.is_empty() && !id.is_empty() => Ok((system.to_string(), id.to_string())),
        _ => Err(Problem::invalid("identifier", "L'identifiant s'écrit système|valeur.")),
    }
}

/// Where an appointment stands, as the SAS says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppointmentStatus {
    Booked,
    Cancelled,
    Fulfilled,
    NoShow,
}

impl AppointmentStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Cancelled => "cancelled",
            Self::Fulfilled => "fulfilled",
            Self::NoShow => "noshow",
        }
    }
}

/// An Appointment the SAS sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppointmentIn {
    /// The SAS's identifier of the appointment (system, value).
    pub identifier: (String, String),
    pub status: AppointmentStatus,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    /// The practitioner who sees the patient (RPPS, without the prefix).
    pub rpps: String,
    /// The regulator who booked (system, value), from the FrAppointmentOperator extension.
    pub operator: Option<(String, String)>,
    /// `slot: [{ reference: "Slot/12" }]`, when the SAS names the slot.
    pub slot_id: Option<i64>,
    /// A Patient participant's `display` (first name or initials), when sent.
    pub patient: String,
}

/// The longest text Relais keeps from the SAS (an identifier, a name, an e-mail).
pub const TEXT_MAX: usize = 256;

/// A text the SAS sent, if it can be kept: not too long, no control characters.
fn acceptable(expression: &str, s: &str) -> Result<(), Problem> {
    if s.chars().count() > TEXT_MAX || crate::domain::fields::has_forbidden_chars(s, false) {
        return Err(Problem::invalid(
            expression,
            format!("Texte refusé ({TEXT_MAX} caractères au plus, sans caractère de contrôle)."),
        ));
    }
    Ok(())
}

/// Every text of a resource the SAS sent, checked at once (its strings at any depth).
fn all_acceptable(v: &Value, expression: &str) -> Result<(), Problem> {
    match v {
        Value::String(s) => acceptable(expression, s),
        Value::Array(items) => items.iter().try_for_each(|i| all_acceptable(i, expression)),
        // The narrative (`text.div`, XHTML) is neither kept nor checked.
        Value::Object(fields) => fields.iter().filter(|(k, _)| k.as_str() != "div").try_for_each(|(k, v)| {
            acceptable(expression, k)?;
            all_acceptable(v, &format!("{expression}.{k}"))
        }),
        _ => Ok(()),
    }
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, key| v.get(key)).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

fn identifier_of(v: &Value) -> Option<(String, String)> {
    Some((text(v, &["system"])?.to_string(), text(v, &["value"])?.to_string()))
}

fn resource<'a>(body: &'a Value, kind: &str) -> Result<&'a Value, Problem> {
    if body.get("resourceType").and_then(Value::as_str) == Some(kind) {
        all_acceptable(body, kind)?;
        Ok(body)
    } else {
        Err(Problem::invalid("resourceType", format!("Une ressource {kind} est attendue.")))
    }
}

fn date_time(v: &Value, element: &str) -> Result<Option<DateTime<Utc>>, Problem> {
    match v.get(element) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| Problem::invalid(&format!("Appointment.{element}"), format!("Date illisible : « {s} »."))),
        Some(_) => Err(Problem::invalid(&format!("Appointment.{element}"), "Une date est attendue.")),
    }
}

/// Reads an Appointment (`POST` or conditional `PUT /fhir/Appointment`).
///
/// # Errors
/// 400 for what is malformed or missing (identifier, start, the practitioner's RPPS), 422
/// `not-supported` for a status other than booked, cancelled, fulfilled and noshow.
pub fn parse_appointment(body: &Value) -> Result<AppointmentIn, Problem> {
    let a = resource(body, "Appointment")?;
    let identifier = a
        .get("identifier")
        .and_then(Value::as_array)
        .and_then(|ids| ids.iter().find_map(identifier_of))
        .ok_or_else(|| Problem::required("Appointment.identifier"))?;
    let status = match a.get("status").and_then(Value::as_str) {
        Some("booked") => AppointmentStatus::Booked,
        Some("cancelled") => AppointmentStatus::Cancelled,
        Some("fulfilled") => AppointmentStatus::Fulfilled,
        Some("noshow") => AppointmentStatus::NoShow,
        Some(other) => {
            return Err(Problem::rule("not-supported", format!("Statut de rendez-vous non pris en charge : {other}.")))
        }
        None => return Err(Problem::required("Appointment.status")),
    };
    let start = date_time(a, "start")?.ok_or_else(|| Problem::required("Appointment.start"))?;
    let end = date_time(a, "end")?;
    let participants = a.get("participant").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let practitioner = participants
        .iter()
        .filter_map(|p| p.get("actor")?.get("identifier"))
        .find(|id| text(id, &["system"]) == Some(RPPS_SYSTEM))
        .ok_or_else(|| Problem::required("Appointment.participant.actor.identifier"))?;
    let prefixed = text(practitioner, &["value"]).unwrap_or_default();
    let rpps = rpps_of(prefixed).ok_or_else(|| {
        Problem::invalid(
            "Appointment.participant.actor.identifier",
            format!("« {prefixed} » n'est pas un RPPS préfixé (8 suivi de 11 chiffres)."),
        )
    })?;
    let operator = a
        .get("extension")
        .and_then(Value::as_array)
        .and_then(|xs| xs.iter().find(|x| text(x, &["url"]) == Some(OPERATOR_EXTENSION)))
        .and_then(|x| x.get("valueReference")?.get("identifier"))
        .and_then(identifier_of);
    let slot_id = match a.get("slot").and_then(Value::as_array).and_then(|s| s.first()) {
        Some(s) => Some(
            text(s, &["reference"])
                .and_then(|r| r.strip_prefix("Slot/"))
                .and_then(|id| id.parse::<i64>().ok())
                .ok_or_else(|| {
                    Problem::invalid("Appointment.slot", "Créneau inconnu : la référence attendue est Slot/<id>.")
                })?,
        ),
        None => None,
    };
    let patient = participants
        .iter()
        .filter_map(|p| p.get("actor"))
        .find(|actor| text(actor, &["reference"]).is_some_and(|r| r.starts_with("Patient")))
        .and_then(|actor| text(actor, &["display"]))
        .map(|d| d.chars().take(crate::domain::patient::PATIENT_NAME_MAX).collect())
        .unwrap_or_default();
    Ok(AppointmentIn { identifier, status, start, end, rpps, operator, slot_id, patient })
}

/// A regulator's account, as the SAS sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegulatorIn {
    pub identifier: (String, String),
    pub family: String,
    pub given: String,
    pub email: String,
    pub active: bool,
}

/// Reads a regulator's Practitioner (`POST` or conditional `PUT /fhir/Practitioner`).
///
/// # Errors
/// 400 when it is not a Practitioner, or its identifier is missing or of another system than the
/// national one or the SAS's.
pub fn parse_regulator(body: &Value) -> Result<RegulatorIn, Problem> {
    let p = resource(body, "Practitioner")?;
    let identifier = p
        .get("identifier")
        .and_then(Value::as_array)
        .and_then(|ids| ids.iter().find_map(identifier_of))
        .ok_or_else(|| Problem::required("Practitioner.identifier"))?;
    if ![RPPS_SYSTEM, SAS_SYSTEM].contains(&identifier.0.as_str()) || identifier.1.len() > 64 {
        return Err(Problem::invalid(
            "Practitioner.identifier",
            format!("Identifiant attendu : national ({RPPS_SYSTEM}) ou technique SAS ({SAS_SYSTEM})."),
        ));
    }
    let name = p.get("name").and_then(Value::as_array).and_then(|n| n.first());
    let family = name.and_then(|n| text(n, &["family"])).unwrap_or_default().to_string();
    let given = name
        .and_then(|n| n.get("given")?.as_array())
        .map(|g| g.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let email = p
        .get("telecom")
        .and_then(Value::as_array)
        .and_then(|t| t.iter().find(|c| text(c, &["system"]) == Some("email")))
        .and_then(|c| text(c, &["value"]))
        .unwrap_or_default()
        .to_string();
    let active = match p.get("active") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Problem::invalid("Practitioner.active", "« active » vaut true ou false.")),
    };
    Ok(RegulatorIn { identifier, family, given, email, active })
}

#[cfg(test)]
mod tests;
