//! [ssr] The SAS interface: Relais as the *gestionnaire d'agenda, cas d'usage CPTS* of the ANS
//! implementation guide for the SAS (`ans.fhir.fr.sas` 1.2.0, FHIR 4.0.1). The SAS platform
//! searches the free slots the CPTS's clinicians open to it (`GET /fhir/Slot`), books them and
//! updates its appointments (`POST`, conditional `PUT /fhir/Appointment`), and keeps its
//! regulators' accounts (`POST`, conditional `PUT /fhir/Practitioner`).
//!
//! `rules` reads what the SAS sends, `resources` writes what it receives (both pure), `http` is
//! the door (authentication by API client, OperationOutcome refusals); the operations are in
//! `slots::ops::sas`.

pub mod http;
pub mod resources;
pub mod rules;
