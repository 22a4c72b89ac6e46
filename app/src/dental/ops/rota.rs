//! [ssr] The rota (a planning whose vacations are `dental_emergency`: taking, leaving and
//! swapping a morning are the planning's own operations) and the CPTS's grid.

use chrono::{Datelike, Timelike};
use chrono_tz::Europe::Paris;

use super::{may_refer, next_route, summary, DentalError, ROTA_AHEAD};
use crate::dental::dto::{GridAdmin, ReferralFormData, RotaMorningView, RotaView};
use crate::dental::rules::forms::criterion_label;
use crate::dental::rules::CriterionKind;
use crate::dental::store::{self, Whose};
use crate::domain::{Field, FieldErrors, FieldProblem, Profession, Role};
use crate::members::{self, MemberRow};
use crate::platform::access::is_staff;
use crate::platform::audit::Audit;
use crate::platform::AppState;

/// A standing weekly commitment takes the same morning this many weeks ahead (as far as the
/// rota is generated).
const STANDING_WEEKS: i64 = 12;

/// The grid of the CPTS, seeding the default the first time anyone needs it.
async fn grid(state: &AppState, cpts_id: i64) -> Result<Vec<crate::dental::rules::Criterion>, DentalError> {
    let mut conn = state.store.reader().await?;
    if store::has_grid(&mut conn, cpts_id).await? {
        return Ok(store::criteria(&mut conn, cpts_id).await?);
    }
    drop(conn);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::has_grid(&mut tx, cpts_id).await? {
        store::insert_default_grid(&mut tx, cpts_id, now).await?;
    }
    let criteria = store::criteria(&mut tx, cpts_id).await?;
    tx.commit().await?;
    Ok(criteria)
}

/// *Urgences dentaires*: the rota of the coming four weeks and the caller's referrals (waiting
/// at them if they are a dentist of the rota, sent by them otherwise; all open ones for the
/// coordination).
pub async fn rota(state: &AppState, actor: &MemberRow) -> Result<RotaView, DentalError> {
    let now = state.now();
    let mut conn = state.store.reader().await?;
    let mornings = store::mornings(&mut conn, actor.cpts_id, now, now + ROTA_AHEAD).await?;
    let is_dentist = actor.role == Role::Clinician && actor.profession == Some(Profession::Dentist);
    let can_refer = may_refer(actor, &store::referrer_professions(&mut conn, actor.cpts_id).await?);
    let whose = if is_staff(actor.role) {
        vec![Whose::Cpts(actor.cpts_id)]
    } else if is_dentist {
        vec![Whose::Dentist(actor.id), Whose::Referrer(actor.id)]
    } else {
        vec![Whose::Referrer(actor.id)]
    };
    let mut referrals = vec![];
    for w in whose {
        for r in store::referrals(&mut conn, w, now).await? {
            if !referrals.iter().any(|s: &crate::dental::dto::ReferralSummary| s.id == r.id) {
                referrals.push(summary(&r, now));
            }
        }
    }
    let mornings = mornings
        .into_iter()
        .map(|m| {
            let mine = m.morning.holders.contains(&actor.id);
            RotaMorningView {
                vacation_id: m.morning.vacation_id,
                starts_at: m.morning.starts_at,
                ends_at: m.morning.ends_at,
                holders: m.morning.holders.iter().copied().zip(m.names).collect(),
                capacity: m.capacity,
                mine,
                can_take: is_dentist
                    && !mine
                    && m.morning.starts_at > now
                    && (m.morning.holders.len() as i64) < m.capacity,
            }
        })
        .collect();
    Ok(RotaView { mornings, is_dentist, can_refer, referrals })
}

/// "Je prends le mardi matin": takes this morning and the same morning of each following week
/// (as far as the rota is generated, 12 weeks at most), each under the planning's rules. Returns
/// (taken, refused by a rule); the first morning's refusal is the caller's error.
///
/// # Errors
/// [`DentalError::Planning`] when the first morning cannot be taken (full, cap, notice…).
pub async fn take_weekly(state: &AppState, actor: &MemberRow, vacation_id: i64) -> Result<(usize, usize), DentalError> {
    let now = state.now();
    let mornings = {
        let mut conn = state.store.reader().await?;
        store::mornings(&mut conn, actor.cpts_id, now, now + chrono::Duration::weeks(STANDING_WEEKS)).await?
    };
    let first = mornings.iter().find(|m| m.morning.vacation_id == vacation_id).ok_or(DentalError::NotFound)?;
    let local = first.morning.starts_at.with_timezone(&Paris);
    let same_slot = |m: &store::MorningRow| {
        let t = m.morning.starts_at.with_timezone(&Paris);
        t.weekday() == local.weekday() && t.hour() == local.hour() && t.minute() == local.minute()
    };
    crate::planning::take_vacation(state, actor, vacation_id).await?;
    let (mut taken, mut refused) = (1, 0);
    for m in mornings.iter().filter(|m| m.morning.starts_at > first.morning.starts_at && same_slot(m)) {
        if m.morning.holders.contains(&actor.id) {
            continue;
        }
        match crate::planning::take_vacation(state, actor, m.morning.vacation_id).await {
            Ok(()) => taken += 1,
            Err(crate::planning::PlanningError::Rule(_)) => refused += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok((taken, refused))
}

/// What the referral form needs: the grid, the communes, and who it would go to now.
///
/// # Errors
/// [`DentalError::Forbidden`] for a profession the CPTS does not let refer.
pub async fn referral_form(state: &AppState, actor: &MemberRow) -> Result<ReferralFormData, DentalError> {
    let now = state.now();
    let criteria = grid(state, actor.cpts_id).await?;
    let mut conn = state.store.reader().await?;
    if !may_refer(actor, &store::referrer_professions(&mut conn, actor.cpts_id).await?) {
        return Err(DentalError::Forbidden);
    }
    let communes = members::communes(&mut conn, actor.cpts_id).await?.into_iter().map(|c| c.name).collect();
    let next_dentist = next_route(&mut conn, actor.cpts_id, now).await?.map(|(r, name)| (name, r.seen_from));
    Ok(ReferralFormData { criteria, communes, next_dentist })
}

/// The grid and who may refer, for the admin.
pub async fn grid_admin(state: &AppState, actor: &MemberRow) -> Result<GridAdmin, DentalError> {
    let criteria = grid(state, actor.cpts_id).await?;
    let mut conn = state.store.reader().await?;
    Ok(GridAdmin { criteria, referrer_professions: store::referrer_professions(&mut conn, actor.cpts_id).await? })
}

/// Adds a criterion to the grid (admin).
///
/// # Errors
/// [`DentalError::Invalid`] for an empty or over-long label or an unknown kind.
pub async fn add_criterion(
    state: &AppState,
    actor: &MemberRow,
    label: &str,
    kind: &str,
    immediate: bool,
) -> Result<i64, DentalError> {
    let now = state.now();
    let label = criterion_label(label);
    let kind = CriterionKind::parse(kind.trim());
    let (label, kind) = match (label, kind) {
        (Ok(l), Some(k)) => (l, k),
        (label, kind) => {
            let mut errors = label.err().unwrap_or_default();
            if kind.is_none() {
                errors.add(Field::Kind, FieldProblem::UnknownChoice);
            }
            return Err(DentalError::Invalid(errors));
        }
    };
    grid(state, actor.cpts_id).await?;
    let mut tx = state.store.begin().await?;
    let id = store::insert_criterion(&mut tx, actor.cpts_id, &label, kind, immediate, now).await?;
    Audit::by(actor, "dental_criterion_added")
        .detail(serde_json::json!({ "criterion": id, "kind": kind.code() }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a criterion from the grid (admin); referrals that ticked it keep its label.
///
/// # Errors
/// [`DentalError::NotFound`] for a criterion that is not an active one of the CPTS.
pub async fn remove_criterion(state: &AppState, actor: &MemberRow, id: i64) -> Result<(), DentalError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::remove_criterion(&mut tx, actor.cpts_id, id).await? {
        return Err(DentalError::NotFound);
    }
    Audit::by(actor, "dental_criterion_removed")
        .detail(serde_json::json!({ "criterion": id }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets which professions may refer (admin).
///
/// # Errors
/// [`DentalError::Invalid`] for an unknown profession or none at all.
pub async fn set_referrers(state: &AppState, actor: &MemberRow, professions: &[String]) -> Result<(), DentalError> {
    let now = state.now();
    let parsed: Option<Vec<Profession>> = professions.iter().map(|p| Profession::parse(p.trim())).collect();
    let Some(parsed) = parsed.filter(|p| !p.is_empty()) else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Profession, FieldProblem::UnknownChoice);
        return Err(DentalError::Invalid(errors));
    };
    let mut tx = state.store.begin().await?;
    store::set_referrer_professions(&mut tx, actor.cpts_id, &parsed).await?;
    Audit::by(actor, "dental_referrers_set")
        .detail(serde_json::json!({ "professions": parsed.iter().map(|p| p.code()).collect::<Vec<_>>() }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(())
}
