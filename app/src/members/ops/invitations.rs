//! [ssr] Invitations: an admin invites one person or a file of them; the invitee's link, valid
//! seven days and used once, opens their account and logs them in.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::MembersError;
use crate::domain::{Field, FieldErrors, FieldProblem};
use crate::i18n::t;
use crate::members::dto::{ImportLine, ImportPreview, InvitationView, InvitePage};
use crate::members::rules::{
    check_invitee, invitation_expires_at, password_is_acceptable, InvitationState, Invitee, InviteeInput,
};
use crate::members::store::{self, InvitationRow, MemberRow, NewMember};
use crate::platform::audit::Audit;
use crate::platform::{new_token, AppState};

/// The most lines an imported file may hold.
pub const MAX_IMPORT_LINES: usize = 1000;

fn token_hash(state: &AppState, token: &str) -> String {
    crate::auth::token_hash(&state.settings.secret_key, token)
}

/// The link an invitee opens.
pub fn invitation_link(origin: &str, token: &str) -> String {
    format!("{}/invitation/{token}", origin.trim_end_matches('/'))
}

/// Checks one person against the rules and against the CPTS's members and open invitations: every
/// problem at once (an address already a member's is said even when another field is wrong).
async fn checked(
    conn: &mut sqlx::AnyConnection,
    admin: &MemberRow,
    communes: &[String],
    input: &InviteeInput,
) -> Result<Invitee, FieldErrors> {
    let result = check_invitee(input, communes, t::role, t::profession);
    let email = input.email.trim().to_lowercase();
    let rpps: String = input.rpps.chars().filter(|c| !c.is_whitespace()).collect();
    let rpps = crate::members::rules::rpps_is_valid(&rpps).then_some(rpps);
    let (email_taken, rpps_taken) = store::taken(conn, admin.cpts_id, &email, rpps.as_deref()).await.map_err(|e| {
        tracing::error!(error = %e, "duplicate check failed");
        FieldErrors::default()
    })?;
    let mut errors = result.as_ref().err().cloned().unwrap_or_default();
    if email_taken && !email.is_empty() {
        errors.add(Field::Email, FieldProblem::Duplicate);
    }
    if rpps_taken {
        errors.add(Field::Rpps, FieldProblem::Duplicate);
    }
    if errors.is_empty() {
        result
    } else {
        Err(errors)
    }
}

async fn commune_names(conn: &mut sqlx::AnyConnection, cpts_id: i64) -> Result<Vec<String>, MembersError> {
    Ok(store::communes(conn, cpts_id).await?.into_iter().map(|c| c.name).collect())
}

/// E-mails an invitation's link (after the commit). Returns whether it left.
async fn mail(state: &AppState, cpts_name: &str, invitee: &Invitee, link: &str) -> bool {
    let body = t::invitation_email(&invitee.name, cpts_name, link, crate::members::rules::INVITATION_DAYS);
    match state.notifier.mailer.send(&invitee.email, &t::invitation_subject(cpts_name), &body).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = e, "invitation e-mail not delivered");
            false
        }
    }
}

/// What an invitation shows on the members' page.
pub(super) fn view(row: &InvitationRow, now: DateTime<Utc>) -> InvitationView {
    InvitationView {
        id: row.id,
        email: row.invitee.email.clone(),
        name: row.invitee.name.clone(),
        role: row.invitee.role,
        profession: row.invitee.profession,
        rpps: row.invitee.rpps.clone(),
        commune: row.invitee.commune.clone(),
        state: row.state(now),
        sent_at: row.sent_at,
        expires_at: invitation_expires_at(row.sent_at),
    }
}

/// Invites one person: checked, recorded, audited, then e-mailed. In demo mode the answer
/// carries the link (no e-mail leaves a demonstration).
///
/// # Errors
/// [`MembersError::Invalid`] with every field's problem (a duplicate e-mail or RPPS in the CPTS
/// included); nothing is recorded.
pub async fn invite(
    state: &AppState,
    admin: &MemberRow,
    input: &InviteeInput,
    origin: &str,
) -> Result<(InvitationView, Option<String>), MembersError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let communes = commune_names(&mut tx, admin.cpts_id).await?;
    let invitee = checked(&mut tx, admin, &communes, input).await.map_err(MembersError::Invalid)?;
    let token = new_token();
    let Some(id) =
        store::insert_invitation(&mut tx, admin.cpts_id, &invitee, &token_hash(state, &token), admin.id, now).await?
    else {
        let mut errors = FieldErrors::default();
        errors.add(Field::Email, FieldProblem::Duplicate);
        return Err(MembersError::Invalid(errors));
    };
    Audit::by(admin, "invitation_sent")
        .detail(serde_json::json!({ "invitation_id": id, "role": invitee.role.code() }))
        .write(&mut tx, now)
        .await?;
    let cpts_name = store::cpts_name(&mut tx, admin.cpts_id).await?.unwrap_or_default();
    let row = store::invitation(&mut tx, id).await?.ok_or(MembersError::NotFound)?;
    tx.commit().await?;
    let link = invitation_link(origin, &token);
    mail(state, &cpts_name, &invitee, &link).await;
    Ok((view(&row, now), state.settings.demo_mode.then_some(link)))
}

/// Reads a file of members (CSV, `;` or `,`, UTF-8 with or without BOM; a header line naming
/// the columns `email`, `nom`, `profession`, `rpps`, `commune`, `role`, in any order, French or
/// English names) into lines as typed.
///
/// # Errors
/// [`MembersError::Invalid`] on the file field when it is not such a file.
pub fn read_file(text: &str) -> Result<Vec<InviteeInput>, MembersError> {
    let invalid = || {
        let mut e = FieldErrors::default();
        e.add(Field::File, FieldProblem::Invalid);
        MembersError::Invalid(e)
    };
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() >= first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().map_err(|_| invalid())?.iter().map(|h| h.to_lowercase()).collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let email = col(&["email", "e-mail", "courriel", "adresse e-mail", "mail"]).ok_or_else(invalid)?;
    let name = col(&["nom", "name", "nom affiché", "prénom nom"]).ok_or_else(invalid)?;
    let (profession, rpps) = (col(&["profession"]), col(&["rpps", "numéro rpps"]));
    let (commune, role) = (col(&["commune", "commune d'exercice"]), col(&["role", "rôle"]));
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| invalid())?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default().to_string();
        lines.push(InviteeInput {
            email: get(Some(email)),
            name: get(Some(name)),
            profession: get(profession),
            rpps: get(rpps),
            commune: get(commune),
            role: get(role),
        });
        if lines.len() > MAX_IMPORT_LINES {
            let mut e = FieldErrors::default();
            e.add(Field::File, FieldProblem::TooLong);
            return Err(MembersError::Invalid(e));
        }
    }
    if lines.is_empty() {
        return Err(invalid());
    }
    Ok(lines)
}

/// The preview of an import: each line checked (a line repeating an earlier line's e-mail or
/// RPPS is refused too); nothing is created.
///
/// # Errors
/// [`MembersError::Invalid`] when the file cannot be read.
pub async fn preview_import(state: &AppState, admin: &MemberRow, text: &str) -> Result<ImportPreview, MembersError> {
    let inputs = read_file(text)?;
    let mut conn = state.store.reader().await?;
    let communes = commune_names(&mut conn, admin.cpts_id).await?;
    let mut lines = Vec::with_capacity(inputs.len());
    let mut seen_emails = std::collections::HashSet::new();
    let mut seen_rpps = std::collections::HashSet::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let mut errors = checked(&mut conn, admin, &communes, &input).await.err().unwrap_or_default();
        // A line repeating an earlier line's address or number is refused too.
        let email = input.email.trim().to_lowercase();
        if !email.is_empty() && !seen_emails.insert(email) {
            errors.add(Field::Email, FieldProblem::Duplicate);
        }
        let rpps: String = input.rpps.chars().filter(|c| !c.is_whitespace()).collect();
        if !rpps.is_empty() && !seen_rpps.insert(rpps) {
            errors.add(Field::Rpps, FieldProblem::Duplicate);
        }
        lines.push(ImportLine { line: i + 2, input, errors: errors.0 });
    }
    let valid = lines.iter().filter(|l| l.errors.is_empty()).count();
    Ok(ImportPreview { valid, lines })
}

/// Imports a file: previews it again, then invites every valid line in one transaction (one
/// audit line each) and e-mails them after the commit. Returns the preview as imported.
///
/// # Errors
/// As [`preview_import`]; nothing is created when the file cannot be read.
pub async fn import(
    state: &AppState,
    admin: &MemberRow,
    text: &str,
    origin: &str,
) -> Result<ImportPreview, MembersError> {
    let preview = preview_import(state, admin, text).await?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let communes = commune_names(&mut tx, admin.cpts_id).await?;
    let mut outgoing = Vec::new();
    for line in preview.lines.iter().filter(|l| l.errors.is_empty()) {
        let Ok(invitee) = check_invitee(&line.input, &communes, t::role, t::profession) else { continue };
        let token = new_token();
        if let Some(id) =
            store::insert_invitation(&mut tx, admin.cpts_id, &invitee, &token_hash(state, &token), admin.id, now)
                .await?
        {
            Audit::by(admin, "invitation_sent")
                .detail(serde_json::json!({ "invitation_id": id, "role": invitee.role.code(), "import": true }))
                .write(&mut tx, now)
                .await?;
            outgoing.push((invitee, token));
        }
    }
    let cpts_name = store::cpts_name(&mut tx, admin.cpts_id).await?.unwrap_or_default();
    tx.commit().await?;
    // The e-mails leave in the background: a file of 500 members is not a 500-e-mail wait.
    let (state, origin) = (state.clone(), origin.to_string());
    tokio::spawn(async move {
        for (invitee, token) in outgoing {
            mail(&state, &cpts_name, &invitee, &invitation_link(&origin, &token)).await;
        }
    });
    Ok(preview)
}

/// Sends an open invitation again with a new link (the old one stops working; seven days again).
///
/// # Errors
/// [`MembersError::NotFound`] for another CPTS's, [`MembersError::Invitation`] for a used or
/// withdrawn one.
pub async fn resend(
    state: &AppState,
    admin: &MemberRow,
    id: i64,
    origin: &str,
) -> Result<Option<String>, MembersError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let row =
        store::invitation(&mut tx, id).await?.filter(|r| r.cpts_id == admin.cpts_id).ok_or(MembersError::NotFound)?;
    let token = new_token();
    if !store::renew_invitation(&mut tx, id, admin.cpts_id, &token_hash(state, &token), now).await? {
        return Err(MembersError::Invitation(row.state(now)));
    }
    Audit::by(admin, "invitation_resent")
        .detail(serde_json::json!({ "invitation_id": id }))
        .write(&mut tx, now)
        .await?;
    let cpts_name = store::cpts_name(&mut tx, admin.cpts_id).await?.unwrap_or_default();
    tx.commit().await?;
    let link = invitation_link(origin, &token);
    mail(state, &cpts_name, &row.invitee, &link).await;
    Ok(state.settings.demo_mode.then_some(link))
}

/// Withdraws an open invitation: its link stops working.
///
/// # Errors
/// As [`resend`].
pub async fn withdraw(state: &AppState, admin: &MemberRow, id: i64) -> Result<(), MembersError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let row =
        store::invitation(&mut tx, id).await?.filter(|r| r.cpts_id == admin.cpts_id).ok_or(MembersError::NotFound)?;
    if !store::withdraw_invitation(&mut tx, id, admin.cpts_id, now).await? {
        return Err(MembersError::Invitation(row.state(now)));
    }
    Audit::by(admin, "invitation_withdrawn")
        .detail(serde_json::json!({ "invitation_id": id }))
        .write(&mut tx, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What the invitation page shows for a link: who is invited, to which CPTS, until when.
///
/// # Errors
/// [`MembersError::NotFound`] for a link that never was one (or was replaced by a re-send),
/// [`MembersError::Invitation`] for a used, withdrawn or expired one.
pub async fn invitation_page(state: &AppState, token: &str) -> Result<InvitePage, MembersError> {
    let row = pending(state, token).await?;
    let mut conn = state.store.reader().await?;
    Ok(InvitePage {
        name: row.invitee.name.clone(),
        email: row.invitee.email.clone(),
        cpts_name: store::cpts_name(&mut conn, row.cpts_id).await?.unwrap_or_default(),
        expires_at: invitation_expires_at(row.sent_at),
        password_login: store::password_login(&mut conn, row.cpts_id).await?,
    })
}

/// The invitation of a link that may still open an account.
async fn pending(state: &AppState, token: &str) -> Result<InvitationRow, MembersError> {
    let row = {
        let mut conn = state.store.reader().await?;
        store::invitation_by_token(&mut conn, &token_hash(state, token)).await?.ok_or(MembersError::NotFound)?
    };
    match row.state(state.now()) {
        InvitationState::Pending => Ok(row),
        other => Err(MembersError::Invitation(other)),
    }
}

/// Opens the invited account, in the caller's transaction: claims the invitation (of two
/// simultaneous uses, the second is told it was used), creates the member, audits.
async fn open_account(
    tx: &mut AnyConnection,
    row: &InvitationRow,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<MemberRow, MembersError> {
    if !store::claim_invitation(tx, row.id, row.sent_at, now).await? {
        return Err(MembersError::Invitation(InvitationState::Used));
    }
    let location = match &row.invitee.commune {
        Some(c) => store::communes(tx, row.cpts_id).await?.into_iter().find(|x| &x.name == c).map(|x| x.location),
        None => None,
    };
    let new = NewMember {
        cpts_id: row.cpts_id,
        email: row.invitee.email.clone(),
        display_name: row.invitee.name.clone(),
        role: row.invitee.role,
        profession: row.invitee.profession,
        rpps: row.invitee.rpps.clone(),
        commune: row.invitee.commune.clone(),
        location,
        teleconsult: false,
        weekly_cap: 10,
        password_hash,
    };
    let Some(member_id) = store::create_member(tx, &new, Some(row.invited_by), now).await.map_err(|e| {
        // The RPPS index refuses a number a member took meanwhile.
        if e.is_unique_violation() {
            MembersError::Conflict
        } else {
            MembersError::Store(e)
        }
    })?
    else {
        return Err(MembersError::Conflict);
    };
    store::link_member(tx, row.id, member_id).await?;
    let member = store::member(tx, member_id).await?.ok_or(MembersError::NotFound)?;
    Audit::by(&member, "invitation_accepted")
        .detail(serde_json::json!({ "invitation_id": row.id }))
        .write(tx, now)
        .await?;
    Ok(member)
}

/// Opens the invited account with the password chosen, and a session: (member, session token).
/// The link works once: of two simultaneous uses, the first claims it and the second is told it
/// was used.
///
/// # Errors
/// As [`invitation_page`]; [`MembersError::Invalid`] for a password of fewer than 10 characters,
/// [`MembersError::PasswordDisabled`] where the CPTS accepts passkeys only; nothing is created then.
pub async fn accept(
    state: &AppState,
    token: &str,
    password: String,
    ip: &str,
    previous_session: Option<String>,
) -> Result<(MemberRow, String), MembersError> {
    if !password_is_acceptable(&password) {
        let mut errors = FieldErrors::default();
        errors.add(Field::Password, FieldProblem::OutOfRange);
        return Err(MembersError::Invalid(errors));
    }
    let row = pending(state, token).await?;
    if !store::password_login(&mut *state.store.reader().await?, row.cpts_id).await? {
        return Err(MembersError::PasswordDisabled);
    }
    let hash = crate::auth::hash_password(password).await.map_err(|_| MembersError::Internal)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let member = open_account(&mut tx, &row, hash, now).await?;
    let session = crate::auth::open_session(state, &mut tx, &member, previous_session, "invitation", ip)
        .await
        .map_err(|_| MembersError::Internal)?;
    tx.commit().await?;
    Ok((member, session))
}

/// Starts the invitee's passkey, chosen instead of a password: the ceremony's token and the
/// options for the browser (JSON).
///
/// # Errors
/// As [`invitation_page`]; [`MembersError::Passkey`] where passkeys cannot work.
pub async fn accept_passkey_start(
    state: &AppState,
    token: &str,
    origin: &str,
) -> Result<(String, String), MembersError> {
    let row = pending(state, token).await?;
    crate::auth::newcomer_register_start(state, row.id, &row.invitee.email, &row.invitee.name, origin)
        .await
        .map_err(MembersError::Passkey)
}

/// What the invitee's device answered to [`accept_passkey_start`].
pub struct NewcomerPasskey<'a> {
    pub ceremony: &'a str,
    pub credential: &'a str,
    pub label: &'a str,
}

/// Opens the invited account with the passkey just made (checked against its ceremony, which
/// must be this invitation's), keeps it, and opens a session: (member, session token). The
/// account has no password. Single use as [`accept`].
///
/// # Errors
/// As [`invitation_page`]; [`MembersError::Passkey`] for a label out of bounds or an answer
/// that does not match the ceremony; nothing is created then.
pub async fn accept_with_passkey(
    state: &AppState,
    token: &str,
    answer: &NewcomerPasskey<'_>,
    origin: &str,
    ip: &str,
    previous_session: Option<String>,
) -> Result<(MemberRow, String), MembersError> {
    let label = crate::auth::check_passkey_label(answer.label).map_err(MembersError::Passkey)?;
    let row = pending(state, token).await?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let (user, passkey) =
        crate::auth::newcomer_register_finish(&mut tx, state, origin, answer.ceremony, answer.credential, row.id)
            .await
            .map_err(MembersError::Passkey)?;
    let member = open_account(&mut tx, &row, String::new(), now).await?;
    crate::auth::keep_newcomer_passkey(&mut tx, &member, user, &passkey, &label, now)
        .await
        .map_err(MembersError::Passkey)?;
    let session = crate::auth::open_session(state, &mut tx, &member, previous_session, "passkey", ip)
        .await
        .map_err(|_| MembersError::Internal)?;
    tx.commit().await?;
    Ok((member, session))
}
