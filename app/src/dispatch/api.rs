//! Server functions of SNP dispatch: the coordination qualifies, pushes and follows requests;
//! clinicians answer offers and record outcomes.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx;
use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::platform::access::{Access, AccessTable};

/// Who may call each server function of dispatch. The operations then restrict members to
/// their CPTS and, for clinicians, to the requests offered to them or accepted by them.
#[cfg(feature = "ssr")]
pub const ACCESS: AccessTable = &[
    ("requests/form_data", Access::Staff),
    ("requests/create", Access::Staff),
    ("requests/push", Access::Staff),
    ("requests/board", Access::Staff),
    // The coordination, or the clinician who accepted the request.
    ("requests/detail", Access::Member),
    ("requests/outcome", Access::Member),
    ("offers/inbox", Access::Clinician),
    ("offers/accept", Access::Clinician),
    ("offers/refuse", Access::Clinician),
    ("offers/seen", Access::Clinician),
    ("offers/state", Access::Clinician),
    ("cases/mine", Access::Clinician),
];
use super::dto::*;
use super::rules::RequestForm;

/// Choices of the request form (communes, clinicians) and whether the CPTS is open now.
#[server(prefix = "/api", endpoint = "requests/form_data")]
pub async fn request_form_choices() -> Result<RequestFormData, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "requests/form_data").await?;
            Ok(crate::dispatch::ops::form_data(&state, &m).await?)
        }
        .await,
    )
}

/// Creates a request from the qualification form, then opens its page.
#[server(prefix = "/api", endpoint = "requests/create")]
pub async fn create_request(form: RequestForm) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "requests/create").await?;
            let id = crate::dispatch::ops::create_request(&state, &m, form).await?;
            leptos_axum::redirect(&format!("/demandes/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Sends a new or escalated request to its panel.
#[server(prefix = "/api", endpoint = "requests/push")]
pub async fn push_request(request_id: i64) -> Result<PushOutcome, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "requests/push").await?;
            let pushed = crate::dispatch::ops::push(&state, &m, request_id).await?;
            crate::api::flash::keep::<PushRequest>(&pushed);
            Ok(pushed)
        }
        .await,
    )
}

/// The requests of the day and every open one, with their offers.
#[server(prefix = "/api", endpoint = "requests/board")]
pub async fn board() -> Result<Vec<BoardItem>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "requests/board").await?;
            Ok(crate::dispatch::ops::board(&state, &m).await?)
        }
        .await,
    )
}

/// One request: offers, timeline and next panel for the coordination; the patient's details
/// for the clinician who accepted it.
#[server(prefix = "/api", endpoint = "requests/detail")]
pub async fn get_request(request_id: i64) -> Result<RequestDetail, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "requests/detail").await?;
            Ok(crate::dispatch::ops::detail(&state, &m, request_id).await?)
        }
        .await,
    )
}

/// Records an outcome: `booked` (with `appointment_at`, Paris time, and `mode`), `done`,
/// `no_show`, `reoriented` (with `reoriented_to`) or `cancelled`.
#[server(prefix = "/api", endpoint = "requests/outcome")]
pub async fn record_outcome(
    request_id: i64,
    outcome: String,
    #[server(default)] appointment_at: String,
    #[server(default)] mode: String,
    #[server(default)] reoriented_to: String,
) -> Result<RequestSummary, AppError> {
    ctx::finish(
        async {
            use crate::dispatch::rules::Outcome;
            use crate::domain::{AppointmentMode, Reorientation};
            use crate::domain::{Field, FieldErrors, FieldProblem};
            let (state, m) = ctx::caller(ACCESS, "requests/outcome").await?;
            let mut errors = FieldErrors::default();
            let outcome = match outcome.as_str() {
                "booked" => {
                    let at = crate::domain::hours::parse_paris_datetime(&appointment_at);
                    let parsed_mode = AppointmentMode::parse(mode.trim());
                    if appointment_at.trim().is_empty() {
                        errors.add(Field::AppointmentAt, FieldProblem::Required);
                    } else if at.is_none() {
                        errors.add(Field::AppointmentAt, FieldProblem::InvalidDate);
                    } else if at.is_some_and(|at| at < state.now() - chrono::Duration::minutes(5)) {
                        errors.add(Field::AppointmentAt, FieldProblem::InPast);
                    }
                    if parsed_mode.is_none() {
                        let problem =
                            if mode.trim().is_empty() { FieldProblem::Required } else { FieldProblem::UnknownChoice };
                        errors.add(Field::Mode, problem);
                    }
                    at.zip(parsed_mode).map(|(at, mode)| Outcome::Booked { at, mode })
                }
                "done" => Some(Outcome::Done),
                "no_show" => Some(Outcome::NoShow),
                "reoriented" => {
                    let to = Reorientation::parse(reoriented_to.trim());
                    if to.is_none() {
                        let problem = if reoriented_to.trim().is_empty() {
                            FieldProblem::Required
                        } else {
                            FieldProblem::UnknownChoice
                        };
                        errors.add(Field::Reorientation, problem);
                    }
                    to.map(Outcome::Reoriented)
                }
                "cancelled" => Some(Outcome::Cancelled),
                _ => None,
            };
            let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
                return Err(if errors.is_empty() {
                    AppError::Request("unknown outcome".into())
                } else {
                    AppError::Invalid(errors)
                });
            };
            Ok(crate::dispatch::ops::record_outcome(&state, &m, request_id, outcome).await?)
        }
        .await,
    )
}

// ---------------------------------------------------------------- clinicians

/// The live offers of the logged-in clinician (no patient identity).
#[server(prefix = "/api", endpoint = "offers/inbox")]
pub async fn inbox() -> Result<Vec<InboxItem>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "offers/inbox").await?;
            Ok(crate::dispatch::ops::inbox(&state, &m).await?)
        }
        .await,
    )
}

/// Accepts an offer. The first acceptance wins; later ones get `already_taken`.
/// The winner's browser is sent to the request's page (a teleconsultation's, for one).
#[server(prefix = "/api", endpoint = "offers/accept")]
pub async fn accept_offer(request_id: i64) -> Result<AcceptOutcome, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "offers/accept").await?;
            let outcome = crate::dispatch::ops::accept(&state, &m, request_id).await?;
            match &outcome {
                // A pharmacy's teleconsultation opens on its page, with the room's button.
                AcceptOutcome::Won { request }
                    if request.mode == Some(crate::domain::AppointmentMode::Teleconsultation) =>
                {
                    leptos_axum::redirect(&format!("/teleconsultation/suivi/{}", request.id))
                }
                AcceptOutcome::Won { request } => leptos_axum::redirect(&format!("/demandes/{}", request.id)),
                AcceptOutcome::AlreadyTaken => leptos_axum::redirect("/offres?deja_pris=1"),
            }
            Ok(outcome)
        }
        .await,
    )
}

/// Declines an offer, with an optional reason code.
#[server(prefix = "/api", endpoint = "offers/refuse")]
pub async fn refuse_offer(request_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "offers/refuse").await?;
            let reason = match reason.trim() {
                "" => None,
                code => {
                    use crate::domain::{Field, FieldErrors, FieldProblem};
                    let parsed = crate::domain::RefusalReason::parse(code);
                    if parsed.is_none() {
                        let mut errors = FieldErrors::default();
                        errors.add(Field::Reason, FieldProblem::UnknownChoice);
                        return Err(AppError::Invalid(errors));
                    }
                    parsed
                }
            };
            Ok(crate::dispatch::ops::refuse(&state, &m, request_id, reason).await?)
        }
        .await,
    )
}

/// Records that the clinician has seen an offer.
#[server(prefix = "/api", endpoint = "offers/seen")]
pub async fn offer_seen(request_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "offers/seen").await?;
            Ok(crate::dispatch::ops::seen(&state, &m, request_id).await?)
        }
        .await,
    )
}

/// The requests the logged-in clinician accepted (open ones, and today's closed ones).
#[server(prefix = "/api", endpoint = "cases/mine")]
pub async fn my_cases() -> Result<Vec<RequestSummary>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "cases/mine").await?;
            Ok(crate::dispatch::ops::cases(&state, &m).await?)
        }
        .await,
    )
}

/// Where an offer made to the logged-in clinician stands: still open, taken by a colleague,
/// closed, expired…
#[server(prefix = "/api", endpoint = "offers/state")]
pub async fn offer_state(request_id: i64) -> Result<OfferLookup, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::caller(ACCESS, "offers/state").await?;
            Ok(crate::dispatch::ops::offer_lookup(&state, &m, request_id).await?)
        }
        .await,
    )
}
