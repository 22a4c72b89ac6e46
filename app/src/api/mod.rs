//! The server functions: thin shims that read the session, check the role, call the backend
//! operation and return a DTO. Each has an explicit, stable endpoint under `/api/`, listed in
//! `docs/api.md`. They take form-encoded or JSON bodies and answer JSON.

pub mod dto;
pub mod error;
pub mod planning;
pub mod push;

use leptos::prelude::*;

use crate::domain::request::RequestForm;
use dto::*;
use error::AppError;

#[cfg(feature = "ssr")]
pub mod ctx {
    //! Access to the application state and the caller's session inside a server function.

    use axum::http::{header, request::Parts, HeaderValue, StatusCode};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    use super::AppError;
    use crate::backend::auth;
    use crate::backend::store::MemberRow;
    use crate::backend::AppState;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or(AppError::Internal)
    }

    fn parts() -> Option<Parts> {
        use_context::<Parts>()
    }

    pub fn session_token() -> Option<String> {
        let parts = parts()?;
        let header = parts.headers.get(header::COOKIE)?.to_str().ok()?;
        auth::token_from_cookie_header(header)
    }

    /// The caller's address: the socket's, or behind a declared proxy the last
    /// `X-Forwarded-For` hop (the one the proxy itself appended).
    pub fn client_ip() -> String {
        let Some(parts) = parts() else { return "unknown".into() };
        let behind_proxy = use_context::<AppState>().is_some_and(|s| s.settings.behind_proxy);
        if behind_proxy {
            if let Some(fwd) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
                if let Some(last) = fwd.rsplit(',').next().map(str::trim).filter(|h| !h.is_empty()) {
                    return last.to_string();
                }
            }
        }
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    }

    /// The logged-in member.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] without a valid session.
    pub async fn member() -> Result<(AppState, MemberRow), AppError> {
        let state = state()?;
        let token = session_token().ok_or(AppError::Unauthenticated)?;
        let member = auth::member_for_token(&state, &token).await?.ok_or(AppError::Unauthenticated)?;
        Ok((state, member))
    }

    /// Whether the call comes from a plain HTML form (no JavaScript).
    pub fn from_html_form() -> bool {
        parts()
            .and_then(|p| p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
            .unwrap_or(false)
    }

    /// Gives API clients the HTTP status of an error. Plain forms keep the redirect that carries
    /// the error back to their page.
    pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if !from_html_form() {
                if let Some(res) = use_context::<ResponseOptions>() {
                    res.set_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
                }
            }
        }
        result
    }

    pub fn set_cookie(value: &str) {
        if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
            res.append_header(header::SET_COOKIE, v);
        }
    }
}

// ---------------------------------------------------------------- auth

/// Opens a session. Sets the cookie and sends the browser to its home page.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            let (_, token) =
                crate::backend::auth::login(&state, &email, password, &ctx::client_ip(), ctx::session_token()).await?;
            ctx::set_cookie(&crate::backend::auth::session_cookie(
                &token,
                state.settings.secure_cookies,
                state.settings.session_hours,
            ));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Ends the session.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            if let Some(token) = ctx::session_token() {
                crate::backend::auth::logout(&state, &token).await?;
            }
            ctx::set_cookie(&crate::backend::auth::clear_cookie(state.settings.secure_cookies));
            leptos_axum::redirect("/connexion");
            Ok(())
        }
        .await,
    )
}

/// The logged-in member, or `None`.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    ctx::finish(
        async {
            match ctx::member().await {
                Ok((state, m)) => Ok(Some(crate::backend::dispatch::me(&state, &m).await?)),
                Err(AppError::Unauthenticated) => Ok(None),
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

/// What the login page shows (the demo accounts in demo mode).
#[server(prefix = "/api", endpoint = "auth/login_page")]
pub async fn login_info() -> Result<LoginPageData, AppError> {
    ctx::finish(
        async {
            let state = ctx::state()?;
            if !state.settings.demo_mode {
                return Ok(LoginPageData { demo_accounts: vec![], demo_password: None });
            }
            let mut conn = state.store.reader().await?;
            let Some((cpts_id, _)) = crate::backend::store::first_cpts(&mut conn).await? else {
                return Ok(LoginPageData { demo_accounts: vec![], demo_password: None });
            };
            let demo_accounts = crate::backend::store::members(&mut conn, cpts_id)
                .await?
                .into_iter()
                .filter(|m| m.email.ends_with("@demo.relais.test"))
                .map(|m| DemoAccount {
                    email: m.email,
                    display_name: m.display_name,
                    role: m.role,
                    profession: m.profession,
                })
                .collect();
            Ok(LoginPageData { demo_accounts, demo_password: Some(crate::DEMO_PASSWORD.into()) })
        }
        .await,
    )
}

// ---------------------------------------------------------------- coordination

/// Choices of the request form (communes, clinicians) and whether the CPTS is open now.
#[server(prefix = "/api", endpoint = "requests/form_data")]
pub async fn request_form_choices() -> Result<RequestFormData, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::form_data(&state, &m).await
        }
        .await,
    )
}

/// Creates a request from the qualification form, then opens its page.
#[server(prefix = "/api", endpoint = "requests/create")]
pub async fn create_request(form: RequestForm) -> Result<i64, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            let id = crate::backend::dispatch::create_request(&state, &m, form).await?;
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
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::push(&state, &m, request_id).await
        }
        .await,
    )
}

/// The requests of the day and every open one, with their offers.
#[server(prefix = "/api", endpoint = "requests/board")]
pub async fn board() -> Result<Vec<BoardItem>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::board(&state, &m).await
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
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::detail(&state, &m, request_id).await
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
            use crate::domain::request::{Field, FieldErrors, FieldProblem, Outcome};
            use crate::domain::{AppointmentMode, Reorientation};
            let (state, m) = ctx::member().await?;
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
            crate::backend::dispatch::record_outcome(&state, &m, request_id, outcome).await
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
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::inbox(&state, &m).await
        }
        .await,
    )
}

/// Accepts an offer. The first acceptance wins; later ones get `already_taken`.
/// The winner's browser is sent to the request's page.
#[server(prefix = "/api", endpoint = "offers/accept")]
pub async fn accept_offer(request_id: i64) -> Result<AcceptOutcome, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            let outcome = crate::backend::dispatch::accept(&state, &m, request_id).await?;
            match &outcome {
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
            let (state, m) = ctx::member().await?;
            let reason = match reason.trim() {
                "" => None,
                code => {
                    use crate::domain::request::{Field, FieldErrors, FieldProblem};
                    let parsed = crate::domain::RefusalReason::parse(code);
                    if parsed.is_none() {
                        let mut errors = FieldErrors::default();
                        errors.add(Field::Reason, FieldProblem::UnknownChoice);
                        return Err(AppError::Invalid(errors));
                    }
                    parsed
                }
            };
            crate::backend::dispatch::refuse(&state, &m, request_id, reason).await
        }
        .await,
    )
}

/// Records that the clinician has seen an offer.
#[server(prefix = "/api", endpoint = "offers/seen")]
pub async fn offer_seen(request_id: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::seen(&state, &m, request_id).await
        }
        .await,
    )
}

/// The requests the logged-in clinician accepted (open ones, and today's closed ones).
#[server(prefix = "/api", endpoint = "cases/mine")]
pub async fn my_cases() -> Result<Vec<RequestSummary>, AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::cases(&state, &m).await
        }
        .await,
    )
}

/// "Available now" for `hours` hours (0 ends it), outside duty slots.
#[server(prefix = "/api", endpoint = "members/availability")]
pub async fn set_availability(hours: i64) -> Result<(), AppError> {
    ctx::finish(
        async {
            let (state, m) = ctx::member().await?;
            crate::backend::dispatch::set_available(&state, &m, hours).await
        }
        .await,
    )
}
