//! [ssr] What a member edits of themselves: practice address and commune, mobile phone,
//! teleconsultation, quiet hours, and which notices reach them on which channel.

use chrono::NaiveTime;

use super::MembersError;
use crate::domain::fields::has_forbidden_chars;
use crate::domain::phone::FrenchPhone;
use crate::domain::{Field, FieldErrors, FieldProblem};
use crate::i18n::Lang;
use crate::members::dto::{NoticeChoice, ProfileInput, ProfileView};
use crate::members::rules::{Channels, Notice, QuietHours};
use crate::members::store::{self, MemberRow, ProfileChange};
use crate::platform::audit::Audit;
use crate::platform::live::LiveEvent;
use crate::platform::AppState;

const MAX_ADDRESS: usize = 200;

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The member's profile page.
///
/// # Errors
/// On a database failure.
pub async fn my_profile(state: &AppState, me: &MemberRow) -> Result<ProfileView, MembersError> {
    let mut conn = state.store.reader().await?;
    let p = store::profile(&mut conn, me.id).await?.ok_or(MembersError::NotFound)?;
    let prefs = store::preferences(&mut conn, me.id).await?;
    let communes = store::communes(&mut conn, me.cpts_id).await?.into_iter().map(|c| c.name).collect();
    let sessions = crate::auth::open_sessions(&mut conn, me.id, state.now()).await?;
    Ok(ProfileView {
        name: me.display_name.clone(),
        email: me.email.clone(),
        role: me.role,
        profession: me.profession,
        rpps: p.rpps,
        commune: me.commune.clone(),
        communes,
        address: p.address.unwrap_or_default(),
        phone: p.phone.as_deref().map(crate::domain::phone::shown).unwrap_or_default(),
        teleconsult: me.teleconsult,
        quiet_start: p.quiet.map(|q| hhmm(q.start)).unwrap_or_default(),
        quiet_end: p.quiet.map(|q| hhmm(q.end)).unwrap_or_default(),
        notices: Notice::ALL.iter().map(|n| NoticeChoice { notice: *n, channels: prefs.channels(*n) }).collect(),
        other_sessions: (sessions - 1).max(0),
        lang: me.lang,
    })
}

/// The language a form names: `fr`, `en`, or empty for the browser's.
///
/// # Errors
/// [`FieldProblem::UnknownChoice`] on [`Field::Language`] for any other.
pub fn check_language(code: &str) -> Result<Option<Lang>, FieldErrors> {
    match code.trim() {
        "" => Ok(None),
        code => Lang::ALL.into_iter().find(|l| l.code() == code).map(Some).ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.add(Field::Language, FieldProblem::UnknownChoice);
            errors
        }),
    }
}

/// Records the language the member chose for the interface (one audit line).
///
/// # Errors
/// [`MembersError::Invalid`] as [`check_language`]; nothing changes then.
pub async fn save_language(state: &AppState, me: &MemberRow, code: &str) -> Result<Option<Lang>, MembersError> {
    let lang = check_language(code).map_err(MembersError::Invalid)?;
    let mut tx = state.store.begin().await?;
    store::set_language(&mut tx, me.id, lang).await?;
    Audit::by(me, "language_changed")
        .detail(serde_json::json!({ "lang": lang.map(Lang::code) }))
        .write(&mut tx, state.now())
        .await?;
    tx.commit().await?;
    // The sessions every instance remembers carry the member's language.
    state.announce(vec![LiveEvent::member_notice(me.id, crate::auth::MEMBER_CHANGED)]).await;
    Ok(lang)
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// Checks the profile form.
///
/// # Errors
/// Every field's problem: an address too long or with control characters, a commune not the
/// CPTS's, a phone that is not a French mobile (06 or 07), quiet hours with one end only or
/// both the same.
pub fn check_profile(input: &ProfileInput, communes: &[store::Commune]) -> Result<ProfileChange, FieldErrors> {
    let mut errors = FieldErrors::default();
    let address = input.address.trim();
    if address.chars().count() > MAX_ADDRESS {
        errors.add(Field::Address, FieldProblem::TooLong);
    } else if has_forbidden_chars(address, false) {
        errors.add(Field::Address, FieldProblem::InvalidCharacters);
    }
    let commune = if input.commune.trim().is_empty() {
        None
    } else {
        let c = communes.iter().find(|c| c.name == input.commune.trim());
        if c.is_none() {
            errors.add(Field::Commune, FieldProblem::UnknownChoice);
        }
        c
    };
    let phone = if input.phone.trim().is_empty() {
        None
    } else {
        match FrenchPhone::parse(&input.phone) {
            Some(p) if p.e164().starts_with("+336") || p.e164().starts_with("+337") => Some(p.e164().to_string()),
            _ => {
                errors.add(Field::Phone, FieldProblem::InvalidPhone);
                None
            }
        }
    };
    let quiet = match (input.quiet_start.trim(), input.quiet_end.trim()) {
        ("", "") => None,
        (s, e) => match (parse_time(s), parse_time(e)) {
            (Some(start), Some(end)) if start != end => Some(QuietHours { start, end }),
            _ => {
                errors.add(Field::QuietHours, FieldProblem::InvalidTimeRange);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProfileChange {
        teleconsult: input.teleconsult,
        address: (!address.is_empty()).then(|| address.to_string()),
        commune: commune.map(|c| c.name.clone()),
        location: commune.map(|c| c.location),
        phone,
        quiet,
    })
}

/// Saves the member's profile (one audit line naming the fields, not their values).
///
/// # Errors
/// [`MembersError::Invalid`] as [`check_profile`]; nothing changes then.
pub async fn save_profile(state: &AppState, me: &MemberRow, input: &ProfileInput) -> Result<(), MembersError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let communes = store::communes(&mut tx, me.cpts_id).await?;
    let change = check_profile(input, &communes).map_err(MembersError::Invalid)?;
    store::update_profile(&mut tx, me.id, &change).await?;
    Audit::by(me, "profile_changed")
        .detail(serde_json::json!({
            "teleconsult": change.teleconsult, "commune": change.commune, "phone": change.phone.is_some(),
            "address": change.address.is_some(), "quiet_hours": change.quiet.is_some(),
        }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    // The sessions every instance remembers carry the member's commune and teleconsultation.
    state.announce(vec![LiveEvent::member_notice(me.id, crate::auth::MEMBER_CHANGED)]).await;
    Ok(())
}

/// Saves which channels carry each kind of notice (each notice named once; those not named
/// keep their choice).
///
/// # Errors
/// [`MembersError::Invalid`] when a notice is named twice.
pub async fn save_preferences(state: &AppState, me: &MemberRow, choices: &[NoticeChoice]) -> Result<(), MembersError> {
    let mut seen = std::collections::HashSet::new();
    if !choices.iter().all(|c| seen.insert(c.notice)) {
        let mut errors = FieldErrors::default();
        errors.add(Field::Kind, FieldProblem::Duplicate);
        return Err(MembersError::Invalid(errors));
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    for c in choices {
        store::set_preference(&mut tx, me.id, c.notice, Channels { ..c.channels }).await?;
    }
    let detail: serde_json::Map<String, serde_json::Value> = choices
        .iter()
        .map(|c| (c.notice.code().to_string(), serde_json::json!([c.channels.push, c.channels.email, c.channels.sms])))
        .collect();
    Audit::by(me, "preferences_changed").detail(serde_json::Value::Object(detail)).write(&mut tx, now).await?;
    tx.commit().await?;
    Ok(())
}

/// When notice `n` reaches member `member_id` at `now`, as they chose: (push at, e-mail or not,
/// SMS at), `None` for a channel that is off. Quiet hours move push and SMS to their end.
///
/// # Errors
/// On a database failure.
pub async fn deliveries(
    conn: &mut sqlx::AnyConnection,
    member_id: i64,
    n: Notice,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<
    (Option<chrono::DateTime<chrono::Utc>>, bool, Option<chrono::DateTime<chrono::Utc>>),
    crate::platform::db::StoreError,
> {
    use crate::members::rules::{resolve, Delivery};
    use chrono::TimeZone;
    let prefs = store::preferences(conn, member_id).await?;
    let paris = chrono_tz::Europe::Paris;
    let at = |d: Delivery| match d {
        Delivery::Off => None,
        Delivery::Now => Some(now),
        // A local time the clocks skip (spring) is taken an hour later, never lost.
        Delivery::After(local) => Some(
            paris
                .from_local_datetime(&local)
                .earliest()
                .or_else(|| paris.from_local_datetime(&(local + chrono::Duration::hours(1))).earliest())
                .map_or(now, |t| t.with_timezone(&chrono::Utc)),
        ),
    };
    let (push, email, sms) = resolve(&prefs, n, now.with_timezone(&paris).naive_local());
    Ok((at(push), email == Delivery::Now, at(sms)))
}
