//! [ssr] The operations of pharmacy teleconsultations. Sending saves an SNP request (source
//! pharmacy, mode teleconsultation) with its room and pushes it through the dispatch engine in
//! one transaction; the waves, first-accept-wins, Web Push, live events and outcomes are the
//! dispatch engine's. What is added: who may open the room and until when (`open_room`).

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::dto::{CounterView, Sent, TeleconsultView};
use super::rules::{
    party, room_access, room_name, room_url, template_host, token_window, FormError, JitsiAuth, JitsiClaims,
    JitsiContext, JitsiUser, Party, RoomAccess, TeleconsultForm, TeleconsultOutcome, COUNTER_ORIENTATIONS,
};
use super::store::{self, TeleconsultRow};
use crate::dispatch::rules::panel::{eligibility, PanelQuery};
use crate::dispatch::rules::{NewRequest, Outcome, RequestStatus};
use crate::dispatch::{DispatchError, RequestRow};
use crate::domain::geo::GeoPoint;
use crate::domain::hours::is_open;
use crate::domain::{
    AppointmentMode, Deadline, Field, FieldErrors, FieldProblem, Motive, Profession, RedFlag, Reorientation, Source,
};
use crate::members::MemberRow;
use crate::platform::access::is_staff;
use crate::platform::audit::Audit;
use crate::platform::db::StoreError;
use crate::platform::AppState;

/// What can go wrong with a teleconsultation.
#[derive(Debug, thiserror::Error)]
pub enum TeleconsultError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("red flags: call the 15")]
    RedFlags(Vec<RedFlag>),
    #[error("no teleconsulting doctor available now")]
    NobodyAvailable,
    #[error("already widened once")]
    AlreadyRewidened,
    #[error("room: {0:?}")]
    Room(RoomAccess),
    #[error("token: {0}")]
    Token(String),
    #[error(transparent)]
    Dispatch(#[from] DispatchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(TeleconsultError);

/// The pharmacy's place: its commune and where it is (the member's address, else the commune's).
async fn pharmacy(conn: &mut AnyConnection, actor: &MemberRow) -> Result<Option<(String, GeoPoint)>, TeleconsultError> {
    let Some(commune) = actor.commune.clone() else { return Ok(None) };
    if let Some(at) = actor.location {
        return Ok(Some((commune, at)));
    }
    let communes = crate::members::communes(conn, actor.cpts_id).await?;
    Ok(communes.into_iter().find(|c| c.name == commune).map(|c| (commune, c.location)))
}

fn require_pharmacist(actor: &MemberRow) -> Result<(), TeleconsultError> {
    if actor.profession == Some(Profession::Pharmacist) {
        Ok(())
    } else {
        Err(TeleconsultError::Forbidden)
    }
}

/// How many doctors of the CPTS would be asked now, by the panel's own rule at its widest wave.
async fn available_now(
    state: &AppState,
    conn: &mut AnyConnection,
    cpts_id: i64,
    at: GeoPoint,
    now: DateTime<Utc>,
) -> Result<u32, TeleconsultError> {
    let policy = &state.settings.teleconsult.waves;
    let query = PanelQuery {
        motive: Motive::Other,
        profession: Profession::Gp,
        location: at,
        treating_member_id: None,
        teleconsultation: true,
    };
    let candidates = crate::dispatch::candidates_at(conn, cpts_id, 0, now).await?;
    let n = candidates.iter().filter(|c| eligibility(&query, c, policy.last_wave(), policy).is_ok()).count();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The pharmacist's page.
///
/// # Errors
/// [`TeleconsultError::Forbidden`] for anyone but a pharmacist.
pub async fn counter(state: &AppState, actor: &MemberRow) -> Result<CounterView, TeleconsultError> {
    require_pharmacist(actor)?;
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let place = pharmacy(&mut conn, actor).await?;
    let open_now = !state.settings.enforce_opening_hours || is_open(now);
    let available = match &place {
        Some((_, at)) if open_now => available_now(state, &mut conn, actor.cpts_id, *at, now).await?,
        _ => 0,
    };
    let today = store::of_pharmacist(&mut conn, actor.id, now - chrono::Duration::hours(24)).await?;
    Ok(CounterView { available, open_now, commune: place.map(|(c, _)| c), today })
}

/// Sends the patient at the counter to the available teleconsulting doctors: the request, its
/// room and its first wave, in one transaction. Nothing is saved when nobody is available.
///
/// # Errors
/// [`TeleconsultError::RedFlags`] (traced, nothing saved), [`TeleconsultError::Invalid`] (the
/// consent among the fields), [`TeleconsultError::NobodyAvailable`], outside opening hours.
pub async fn send(state: &AppState, actor: &MemberRow, form: &TeleconsultForm) -> Result<Sent, TeleconsultError> {
    require_pharmacist(actor)?;
    let now = state.now();
    let place = {
        let mut conn = state.store.reader().await?;
        pharmacy(&mut conn, actor).await?
    };
    let commune = place.as_ref().map(|(c, _)| c.as_str()).unwrap_or_default();
    let (motive, patient) = match form.validate(commune) {
        Ok(checked) => checked,
        Err(FormError::RedFlags(flags)) => {
            let mut tx = state.store.begin().await?;
            Audit::by(actor, "red_flag_redirect")
                .detail(serde_json::json!({ "red_flags": flags.iter().map(|f| f.code()).collect::<Vec<_>>(), "motive": form.motive, "source": Source::Pharmacist.code() }))
                .write(&mut tx, now)
                .await?;
            tx.commit().await?;
            return Err(TeleconsultError::RedFlags(flags));
        }
        Err(FormError::Invalid(errors)) => return Err(TeleconsultError::Invalid(errors)),
    };
    let Some((_, location)) = place else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Commune, FieldProblem::Required);
        return Err(TeleconsultError::Invalid(errors));
    };
    if state.settings.enforce_opening_hours && !is_open(now) {
        return Err(DispatchError::OutsideOpeningHours.into());
    }
    let new = NewRequest {
        motive,
        profession: Profession::Gp,
        patient_name: patient.name,
        age_band: patient.age_band,
        callback_phone: patient.callback_phone,
        commune: patient.commune,
        teleconsult_ok: true,
        deadline: Deadline::Today,
        source: Source::Pharmacist,
        treating_member_id: None,
        note: patient.note,
        mode: Some(AppointmentMode::Teleconsultation),
    };
    let mut tx = state.store.begin().await?;
    if available_now(state, &mut tx, actor.cpts_id, location, now).await? == 0 {
        return Err(TeleconsultError::NobodyAvailable);
    }
    let deadline_at = now + state.settings.teleconsult.patient_wait;
    let id =
        crate::dispatch::insert_request(&mut tx, actor.cpts_id, actor.id, &new, location, deadline_at, now).await?;
    let room = {
        use rand::RngCore;
        let mut bytes = [0u8; 20];
        rand::thread_rng().fill_bytes(&mut bytes);
        room_name(&bytes)
    };
    store::insert(&mut tx, id, actor.cpts_id, actor.id, &room, now).await?;
    Audit::by(actor, "teleconsult_requested")
        .request(id)
        .detail(serde_json::json!({ "consent": true }))
        .write(&mut tx, now)
        .await?;
    let mut events = vec![];
    let pushed = crate::dispatch::push_in(state, &mut tx, actor, id, now, &mut events).await?;
    tx.commit().await?;
    pushed.count();
    state.announce(events).await;
    Ok(Sent { id, offered: pushed.offered })
}

/// The request and its teleconsultation, for a member of its CPTS (anyone else is told it does
/// not exist), with what the member is to it.
async fn load_in_cpts(
    conn: &mut AnyConnection,
    actor: &MemberRow,
    request_id: i64,
) -> Result<(RequestRow, TeleconsultRow, Option<Party>), TeleconsultError> {
    let t = store::teleconsultation(conn, request_id).await?.ok_or(TeleconsultError::NotFound)?;
    if t.cpts_id != actor.cpts_id {
        return Err(TeleconsultError::NotFound);
    }
    let r = crate::dispatch::request_row(conn, request_id).await?.ok_or(TeleconsultError::NotFound)?;
    let who = party(actor.id, t.pharmacist_id, r.accepted_by);
    Ok((r, t, who))
}

/// As [`load_in_cpts`], for a party to it or the coordination only: a third member is told it
/// does not exist.
async fn load(
    conn: &mut AnyConnection,
    actor: &MemberRow,
    request_id: i64,
) -> Result<(RequestRow, TeleconsultRow, Option<Party>), TeleconsultError> {
    let loaded = load_in_cpts(conn, actor, request_id).await?;
    if loaded.2.is_none() && !is_staff(actor.role) {
        return Err(TeleconsultError::NotFound);
    }
    Ok(loaded)
}

/// A teleconsultation's page.
///
/// # Errors
/// [`TeleconsultError::NotFound`] for anyone but its pharmacist, its doctor and the coordination.
pub async fn view(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<TeleconsultView, TeleconsultError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let (r, t, who) = load(&mut conn, actor, request_id).await?;
    let asked = store::asked(&mut conn, r.id).await?;
    let rewidened = t.rewidened_at.is_some();
    Ok(TeleconsultView {
        id: r.id,
        created_at: r.created_at,
        motive: Motive::parse(&r.motive).unwrap_or(Motive::Other),
        age_band: crate::domain::AgeBand::parse(&r.age_band).unwrap_or(crate::domain::AgeBand::Adult),
        patient_name: r.patient_name.clone(),
        callback_phone: crate::domain::phone::shown(&r.callback_phone),
        note: r.note.clone(),
        pharmacist_name: t.pharmacist_name.clone(),
        pharmacy_commune: r.commune.clone(),
        status: r.status,
        wave: r.wave,
        asked,
        nobody_in_time: r.status == RequestStatus::Escalated,
        doctor_name: r.accepted_by_name.clone(),
        accepted_at: r.accepted_at,
        room: room_access(r.status, r.accepted_at, now, state.settings.teleconsult.link_validity),
        party: who,
        can_rewiden: who == Some(Party::Pharmacist) && super::rules::may_rewiden(r.status, rewidened),
        reoriented_to: r.reoriented_to.as_deref().and_then(Reorientation::parse),
        conclusion: t.conclusion,
        version: r.version,
    })
}

/// Nobody accepted in time: the pharmacist asks every available doctor of the CPTS once more.
///
/// # Errors
/// [`TeleconsultError::AlreadyRewidened`] the second time; the dispatch engine's errors.
pub async fn rewiden(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<Sent, TeleconsultError> {
    let now = state.now();
    if state.settings.enforce_opening_hours && !is_open(now) {
        return Err(DispatchError::OutsideOpeningHours.into());
    }
    let mut tx = state.store.begin().await?;
    state.store.lock_request(&mut tx, request_id).await?;
    let (r, t, who) = load(&mut tx, actor, request_id).await?;
    if who != Some(Party::Pharmacist) {
        return Err(TeleconsultError::Forbidden);
    }
    if t.rewidened_at.is_some() {
        return Err(TeleconsultError::AlreadyRewidened);
    }
    // A request still in its waves, or taken, is refused by `push_in` (illegal transition), and
    // this transaction, the mark included, is rolled back.
    if !store::mark_rewidened(&mut tx, r.id, now).await? {
        return Err(TeleconsultError::AlreadyRewidened);
    }
    Audit::by(actor, "teleconsult_rewidened").request(r.id).write(&mut tx, now).await?;
    let mut events = vec![];
    let pushed = crate::dispatch::push_in(state, &mut tx, actor, r.id, now, &mut events).await?;
    tx.commit().await?;
    pushed.count();
    state.announce(events).await;
    Ok(Sent { id: r.id, offered: pushed.offered })
}

/// The pharmacist orients the patient elsewhere (SAS, 15, come back later): the request is
/// recorded as reoriented and its offers withdrawn.
///
/// # Errors
/// [`TeleconsultError::Forbidden`] for anyone but its pharmacist or the coordination, or a
/// destination the counter does not offer.
pub async fn orient(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
    to: Reorientation,
) -> Result<(), TeleconsultError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    state.store.lock_request(&mut tx, request_id).await?;
    let (r, _, who) = load(&mut tx, actor, request_id).await?;
    if who != Some(Party::Pharmacist) && !is_staff(actor.role) {
        return Err(TeleconsultError::Forbidden);
    }
    if !COUNTER_ORIENTATIONS.contains(&to) {
        let mut errors = FieldErrors::default();
        errors.add(Field::Reorientation, FieldProblem::UnknownChoice);
        return Err(TeleconsultError::Invalid(errors));
    }
    let mut events = vec![];
    crate::dispatch::apply_outcome(&mut tx, actor, &r, &Outcome::Reoriented(to), now, &mut events).await?;
    tx.commit().await?;
    state.announce(events).await;
    Ok(())
}

/// The doctor records what happened: done (with its conclusion), patient absent, reoriented.
///
/// # Errors
/// [`TeleconsultError::Forbidden`] for anyone but the doctor who accepted; the state machine's.
pub async fn record_outcome(
    state: &AppState,
    actor: &MemberRow,
    request_id: i64,
    version: i64,
    outcome: TeleconsultOutcome,
) -> Result<(), TeleconsultError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    state.store.lock_request(&mut tx, request_id).await?;
    let (r, _, who) = load(&mut tx, actor, request_id).await?;
    if who != Some(Party::Doctor) {
        return Err(TeleconsultError::Forbidden);
    }
    if r.version != version {
        return Err(DispatchError::Conflict.into());
    }
    let dispatched = match outcome {
        TeleconsultOutcome::Done(_) => Outcome::Done,
        TeleconsultOutcome::NoShow => Outcome::NoShow,
        TeleconsultOutcome::Reoriented(to) => Outcome::Reoriented(to),
    };
    let mut events = vec![];
    crate::dispatch::apply_outcome(&mut tx, actor, &r, &dispatched, now, &mut events).await?;
    if let TeleconsultOutcome::Done(conclusion) = outcome {
        store::set_conclusion(&mut tx, r.id, conclusion).await?;
        Audit::by(actor, "teleconsult_concluded")
            .request(r.id)
            .detail(serde_json::json!({ "conclusion": conclusion.code() }))
            .write(&mut tx, now)
            .await?;
    }
    tx.commit().await?;
    state.announce(events).await;
    Ok(())
}

/// The room's address for its pharmacist or its doctor while the link is valid, with a
/// short-lived token when the video service asks for one. Each opening is traced.
///
/// # Errors
/// [`TeleconsultError::NotFound`] outside the CPTS, [`TeleconsultError::Forbidden`] for a third
/// member, [`TeleconsultError::Room`] before an acceptance, after expiry or once closed.
pub async fn open_room(state: &AppState, actor: &MemberRow, request_id: i64) -> Result<String, TeleconsultError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let (r, t, who) = load_in_cpts(&mut tx, actor, request_id).await?;
    if who.is_none() {
        // A third member, the coordination included: the room is the patient's consultation.
        return Err(TeleconsultError::Forbidden);
    }
    let settings = &state.settings.teleconsult;
    let until = match room_access(r.status, r.accepted_at, now, settings.link_validity) {
        RoomAccess::Open { until } => until,
        other => return Err(TeleconsultError::Room(other)),
    };
    let token = match &settings.jitsi {
        Some(auth) => Some(jitsi_token(auth, &settings.room_url, &t.room, &actor.display_name, now, until)?),
        None => None,
    };
    Audit::by(actor, "teleconsult_room_opened").request(r.id).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(room_url(&settings.room_url, &t.room, token.as_deref()))
}

/// A Jitsi Meet token (HS256): the room, the user's display name, valid from now until the link
/// expires.
fn jitsi_token(
    auth: &JitsiAuth,
    template: &str,
    room: &str,
    name: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<String, TeleconsultError> {
    use jwt_simple::prelude::*;
    let (nbf, exp) = token_window(now, until);
    let secs = |t: DateTime<Utc>| jwt_simple::prelude::Duration::from_secs(u64::try_from(t.timestamp()).unwrap_or(0));
    let custom =
        JitsiClaims { room: room.to_string(), context: JitsiContext { user: JitsiUser { name: name.to_string() } } };
    let mut claims = Claims::with_custom_claims(custom, secs(exp) - secs(nbf))
        .with_issuer(&auth.app_id)
        .with_audience("jitsi")
        .with_subject(template_host(template).unwrap_or("*"));
    claims.issued_at = Some(secs(now));
    claims.invalid_before = Some(secs(nbf));
    claims.expires_at = Some(secs(exp));
    HS256Key::from_bytes(auth.secret.as_bytes())
        .authenticate(claims)
        .map_err(|e| TeleconsultError::Token(e.to_string()))
}
