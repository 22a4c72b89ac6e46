//! [ssr] The operations of SNP dispatch: create, push, answer, escalate, close.
//!
//! Each runs in one transaction that locks the request first, applies the rules' decision,
//! writes its audit events, and, once committed, announces the change to the screens concerned.
//! Reads are in `views`, pushing and widening in `waves`, the clinicians' answers and outcomes
//! (accepting an offer: `answers::accept`) in `answers`.

mod answers;
mod views;
mod waves;

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

pub use answers::{accept, apply_outcome, book_into, record_outcome, refuse, seen};
pub use views::{board, cases, detail, form_data, inbox, offer_lookup};
pub use waves::{create_request, erase_old_patient_data, push, push_in, tick};

use super::dto::{OfferView, Patient, RequestSummary};
use super::rules::panel::{Candidate, PanelQuery};
use super::rules::{AcceptOfferError, IllegalTransition, OfferState, WavePolicy};
use super::store::{self, OfferRow, RequestRow};
use crate::domain::hours::week_start;
use crate::domain::{AgeBand, AppointmentMode, Deadline, FieldErrors, Motive, Profession, RedFlag, Source};
use crate::members::MemberRow;
use crate::platform::access::is_staff;
use crate::platform::audit::Audit;
use crate::platform::db::StoreError;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

/// What can go wrong in a dispatch operation.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("red flags: call the 15")]
    RedFlags(Vec<RedFlag>),
    #[error("outside opening hours")]
    OutsideOpeningHours,
    #[error("deadline passed")]
    DeadlinePassed,
    #[error("offer: {0}")]
    Offer(AcceptOfferError),
    #[error("illegal transition")]
    Illegal(IllegalTransition),
    #[error("changed by someone else")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(DispatchError);

/// Closed requests stay on screens until the end of the day (Paris).
fn today_start(now: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = now.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    chrono_tz::Europe::Paris
        .from_local_datetime(&local.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now - Duration::hours(24))
}

pub fn summary(r: &RequestRow, with_patient: bool) -> RequestSummary {
    RequestSummary {
        id: r.id,
        created_at: r.created_at,
        motive: Motive::parse(&r.motive).unwrap_or(Motive::Other),
        profession: Profession::parse(&r.profession).unwrap_or(Profession::Gp),
        age_band: AgeBand::parse(&r.age_band).unwrap_or(AgeBand::Adult),
        commune: r.commune.clone(),
        teleconsult_ok: r.teleconsult_ok,
        deadline: Deadline::parse(&r.deadline).unwrap_or(Deadline::Today),
        deadline_at: r.deadline_at,
        source: Source::parse(&r.source).unwrap_or(Source::Other),
        status: r.status,
        wave: r.wave,
        escalation: r.escalation.clone(),
        accepted_by_name: r.accepted_by_name.clone(),
        accepted_at: r.accepted_at,
        appointment_at: r.appointment_at,
        appointment_mode: r.appointment_mode.clone(),
        reoriented_to: r.reoriented_to.clone(),
        mode: r.mode,
        patient: with_patient.then(|| Patient {
            name: r.patient_name.clone(),
            callback_phone: crate::domain::phone::shown(&r.callback_phone),
            note: r.note.clone(),
        }),
    }
}

fn offer_view(o: &OfferRow) -> OfferView {
    OfferView {
        member_id: o.member_id,
        member_name: o.member_name.clone(),
        profession: o.profession.as_deref().and_then(Profession::parse),
        wave: o.wave,
        distance_km: o.distance_km,
        state: o.state,
        refusal_reason: o.refusal_reason.clone(),
        sent_at: o.sent_at,
        answered_at: o.answered_at,
    }
}

/// Who may see a request, patient details included: the coordination of its CPTS and the
/// clinician who accepted it. Others are told it does not exist.
fn require_access(actor: &MemberRow, r: &RequestRow) -> Result<(), DispatchError> {
    let allowed = actor.cpts_id == r.cpts_id && (is_staff(actor.role) || r.accepted_by == Some(actor.id));
    if allowed {
        Ok(())
    } else {
        Err(DispatchError::NotFound)
    }
}

/// The panel's view of the CPTS's clinicians at `now`: on duty when a duty slot or a vacation
/// covers `now` (the domain's `on_duty_at`), on a teleconsultation duty when that vacation allows
/// it, volunteering, their weekly count, already asked (`request_id` 0: a request not yet saved).
pub async fn candidates_at(
    conn: &mut AnyConnection,
    cpts_id: i64,
    request_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, DispatchError> {
    let mut candidates = store::candidates(conn, cpts_id, request_id, now, week_start(now)).await?;
    let on_duty = crate::planning::on_duty_now(conn, cpts_id, now).await?;
    for c in &mut candidates {
        c.on_duty |= on_duty.all.contains(&c.member_id);
        c.on_remote_duty = on_duty.remote.contains(&c.member_id);
    }
    Ok(candidates)
}

fn panel_query(r: &RequestRow) -> PanelQuery {
    PanelQuery {
        motive: Motive::parse(&r.motive).unwrap_or(Motive::Other),
        profession: Profession::parse(&r.profession).unwrap_or(Profession::Gp),
        location: r.location,
        treating_member_id: r.treating_member_id,
        teleconsultation: r.mode == Some(AppointmentMode::Teleconsultation),
    }
}

/// The waves a request goes through: a teleconsultation for a patient waiting at a pharmacy's
/// counter has its own, short ones.
fn policy<'a>(state: &'a AppState, r: &RequestRow) -> &'a WavePolicy {
    if r.mode == Some(AppointmentMode::Teleconsultation) {
        &state.settings.teleconsult.waves
    } else {
        &state.settings.waves
    }
}

/// The screens that show a request: the coordination's, and its author's when a clinician
/// wrote it (a pharmacist follows their teleconsultation live).
fn request_changed(r: &RequestRow) -> [LiveEvent; 2] {
    [
        LiveEvent::to_coordination(r.cpts_id, "request_changed", r.id),
        LiveEvent::to_member(r.created_by, "request_changed", r.id),
    ]
}

/// Tells `members` of an offer event of `r`: live on their open screens (once committed) and by
/// Web Push on their devices (queued in this transaction, in one statement, sent by the push job).
async fn offer_events(
    tx: &mut AnyConnection,
    events: &mut Vec<LiveEvent>,
    members: &[i64],
    kind: &str,
    r: &RequestRow,
    ttl: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<(), DispatchError> {
    if members.is_empty() {
        return Ok(());
    }
    events.extend(members.iter().map(|m| LiveEvent::to_member(*m, kind, r.id)));
    let when = r.deadline_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m %H:%M").to_string();
    let message = crate::push::Outgoing::in_both(|| {
        let motive = crate::i18n::t::motive(Motive::parse(&r.motive).unwrap_or(Motive::Other));
        crate::push::offer_message(kind, r.id, &crate::i18n::t::offer_summary(motive, &r.commune, &when), ttl)
    });
    crate::push::enqueue_all(tx, members, &message, now).await?;
    Ok(())
}

/// Why the live offers of a request are withdrawn, and what their members are told.
#[derive(Clone, Copy, Debug)]
enum Withdrawal {
    /// A colleague accepted.
    Taken,
    /// The request was closed (reoriented, cancelled…): its new status.
    Closed(super::rules::RequestStatus),
    /// The deadline passed.
    Expired,
}

/// Withdraws every live offer of `r`: each one audited, its member told live and by Web Push
/// (under the same tag as the offer, so the phone replaces the notification).
async fn withdraw_offers(
    tx: &mut AnyConnection,
    events: &mut Vec<LiveEvent>,
    r: &RequestRow,
    why: Withdrawal,
    now: DateTime<Utc>,
) -> Result<usize, DispatchError> {
    let (state, kind, live_kind, reason) = match why {
        Withdrawal::Taken => (OfferState::Withdrawn, "offer_withdrawn", "offer_taken", Some("taken")),
        Withdrawal::Closed(status) => (OfferState::Withdrawn, "offer_withdrawn", "offer_closed", Some(status.code())),
        Withdrawal::Expired => (OfferState::Expired, "offer_expired", "offer_expired", None),
    };
    let withdrawn = store::withdraw_live_offers(tx, r.id, state, now).await?;
    let audits = withdrawn.iter().map(|(offer_id, member_id)| {
        let audit = Audit::new(kind).cpts(r.cpts_id).request(r.id).offer(*offer_id).subject(*member_id);
        match reason {
            Some(reason) => audit.detail(serde_json::json!({ "reason": reason })),
            None => audit,
        }
    });
    crate::platform::audit::write_all(tx, audits.collect(), now).await?;
    let members: Vec<i64> = withdrawn.iter().map(|(_, member_id)| *member_id).collect();
    offer_events(tx, events, &members, live_kind, r, Duration::hours(1), now).await?;
    Ok(members.len())
}

/// Withdraws a leaving member's live offers (suspended or removed), in the caller's transaction:
/// each one audited; the coordination's screens are told (the events to announce after commit).
///
/// # Errors
/// On a database failure.
pub async fn withdraw_member_offers(
    tx: &mut AnyConnection,
    member_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<LiveEvent>, DispatchError> {
    let withdrawn = store::withdraw_member_offers(tx, member_id, now).await?;
    let audits = withdrawn.iter().map(|(offer_id, request_id, cpts_id)| {
        Audit::new("offer_withdrawn")
            .cpts(*cpts_id)
            .request(*request_id)
            .offer(*offer_id)
            .subject(member_id)
            .detail(serde_json::json!({ "reason": "member_left" }))
    });
    crate::platform::audit::write_all(tx, audits.collect(), now).await?;
    Ok(withdrawn
        .iter()
        .map(|(_, request_id, cpts_id)| LiveEvent::to_coordination(*cpts_id, "request_changed", *request_id))
        .collect())
}
