//! [ssr] The admin's side of the SAS interface: the CPTS's FINESS, and the API clients allowed
//! to call `/fhir` (a token issued once, listed, revoked).

use super::sas::{recent_bookings, token_hash, SAS_COUNT_DAYS};
use super::SlotsError;
use crate::domain::{Field, FieldErrors, FieldProblem, Role};
use crate::members::MemberRow;
use crate::platform::audit::Audit;
use crate::platform::AppState;
use crate::slots::dto::{ApiClientView, IssuedClient, RegulatorView, SasPage};
use crate::slots::rules::check_finess;
use crate::slots::store::sas;

/// A client's name: what the admin calls it ("Plateforme SAS 35").
pub const CLIENT_NAME_MAX: usize = 80;
/// A token starts with this, so that one found in a log or a file says what it opens.
pub const TOKEN_PREFIX: &str = "relais_sas_";

fn admin_only(actor: &MemberRow) -> Result<(), SlotsError> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(SlotsError::Forbidden)
    }
}

fn invalid(field: Field, problem: FieldProblem) -> SlotsError {
    let mut errors = FieldErrors::default();
    errors.add(field, problem);
    SlotsError::Invalid(errors)
}

/// *Interface SAS*: the address to give the SAS, the FINESS, the clients, the regulators the
/// SAS sent, and what it booked lately.
///
/// # Errors
/// [`SlotsError::Forbidden`] for anyone but an admin.
pub async fn page(state: &AppState, actor: &MemberRow, fhir_base: String) -> Result<SasPage, SlotsError> {
    admin_only(actor)?;
    let (clients, regulators, finess) = {
        let mut conn = state.store.reader().await?;
        let clients = sas::clients(&mut conn, actor.cpts_id).await?;
        let regulators = sas::regulators(&mut conn, actor.cpts_id).await?;
        let finess = sas::cpts_identity(&mut conn, actor.cpts_id).await?.and_then(|(_, f)| f);
        (clients, regulators, finess)
    };
    let (sas_booked, sas_standing) = recent_bookings(state, actor.cpts_id).await?;
    Ok(SasPage {
        fhir_base,
        finess: finess.unwrap_or_default(),
        clients: clients
            .into_iter()
            .map(|c| ApiClientView {
                id: c.id,
                name: c.name,
                created_at: c.created_at,
                last_used_at: c.last_used_at,
                revoked: c.revoked_at.is_some(),
            })
            .collect(),
        regulators: regulators
            .into_iter()
            .map(|r| RegulatorView { identifier: format!("{}|{}", r.system, r.value), name: r.name, active: r.active })
            .collect(),
        sas_booked,
        sas_standing,
        days: SAS_COUNT_DAYS,
    })
}

/// Sets the CPTS's FINESS.
///
/// # Errors
/// [`SlotsError::Invalid`] `finess` for anything but 9 characters of a FINESS number.
pub async fn set_finess(state: &AppState, actor: &MemberRow, finess: &str) -> Result<(), SlotsError> {
    admin_only(actor)?;
    let finess = check_finess(finess).map_err(|p| invalid(Field::Finess, p))?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    sas::set_finess(&mut tx, actor.cpts_id, &finess).await?;
    Audit::by(actor, "cpts_finess_set").detail(serde_json::json!({ "finess": finess })).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Issues a client: its token is returned this once; the database keeps only its hash.
///
/// # Errors
/// [`SlotsError::Invalid`] `name` when empty or longer than [`CLIENT_NAME_MAX`].
pub async fn issue(state: &AppState, actor: &MemberRow, name: &str) -> Result<IssuedClient, SlotsError> {
    admin_only(actor)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(Field::Name, FieldProblem::Required));
    }
    if name.chars().count() > CLIENT_NAME_MAX {
        return Err(invalid(Field::Name, FieldProblem::TooLong));
    }
    if crate::domain::fields::has_forbidden_chars(name, false) {
        return Err(invalid(Field::Name, FieldProblem::InvalidCharacters));
    }
    let token = format!("{TOKEN_PREFIX}{}", crate::platform::new_token());
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let id = sas::insert_client(&mut tx, actor.cpts_id, name, &token_hash(&token), actor.id, now).await?;
    Audit::by(actor, "api_client_issued")
        .detail(serde_json::json!({ "api_client": id, "name": name }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(IssuedClient { id, name: name.to_string(), token })
}

/// Revokes a client of the CPTS: its token opens nothing from now on.
///
/// # Errors
/// [`SlotsError::NotFound`] for another CPTS's client or one already revoked.
pub async fn revoke(state: &AppState, actor: &MemberRow, id: i64) -> Result<(), SlotsError> {
    admin_only(actor)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !sas::revoke_client(&mut tx, actor.cpts_id, id, now).await? {
        return Err(SlotsError::NotFound);
    }
    Audit::by(actor, "api_client_revoked").detail(serde_json::json!({ "api_client": id })).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(())
}
