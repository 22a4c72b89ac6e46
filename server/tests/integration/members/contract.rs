//! Members against both back-ends: an invitation opens one account, once; a suspension ends
//! everything the member held.

use app::domain::{Field, FieldProblem, Profession, Role};
use app::members::dto::{NoticeChoice, ProfileInput};
use app::members::ops;
use app::members::rules::{Channels, InvitationState, InviteeInput, Notice};
use app::members::MembersError;
use app::platform::audit::count_audit;
use app::platform::AppState;
use chrono::Duration;

use crate::support::{backends, member, seeded};

const ORIGIN: &str = "http://relais.test";

fn invitee(email: &str, rpps: &str) -> InviteeInput {
    InviteeInput {
        email: email.into(),
        name: "Dr Anne Leroux".into(),
        profession: "gp".into(),
        rpps: rpps.into(),
        commune: "Rennes".into(),
        role: String::new(),
    }
}

/// The token at the end of a demo link.
fn token(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

async fn invite(state: &AppState, email: &str, rpps: &str) -> (i64, String) {
    let admin = member(state, "admin").await;
    let (view, link) = ops::invite(state, &admin, &invitee(email, rpps), ORIGIN).await.expect("invited");
    (view.id, token(&link.expect("demo mode: the link is answered")))
}

fn problem(e: MembersError, field: Field) -> Option<FieldProblem> {
    match e {
        MembersError::Invalid(errors) => errors.get(field),
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

#[tokio::test]
async fn an_invitation_link_opens_one_account_once_and_logs_it_in() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let (_, token) = invite(&state, "anne.leroux@exemple.fr", "10003456786").await;
        let page = ops::invitation_page(&state, &token).await.unwrap();
        assert_eq!((page.name.as_str(), page.email.as_str()), ("Dr Anne Leroux", "anne.leroux@exemple.fr"));
        // A short password changes nothing.
        let short = ops::accept(&state, &token, "court".into(), "1.2.3.4", None).await.unwrap_err();
        assert_eq!(problem(short, Field::Password), Some(FieldProblem::OutOfRange));
        let (m, session) = ops::accept(&state, &token, "cheval agrafe batterie".into(), "1.2.3.4", None).await.unwrap();
        assert_eq!(
            (m.role, m.profession, m.commune.as_deref()),
            (Role::Clinician, Some(Profession::Gp), Some("Rennes"))
        );
        assert!(m.location.is_some(), "placed on the map from the CPTS's commune");
        assert_eq!(app::auth::member_for_token(&state, &session).await.unwrap().map(|x| x.id), Some(m.id));
        let again = ops::accept(&state, &token, "cheval agrafe batterie".into(), "1.2.3.4", None).await.unwrap_err();
        assert!(matches!(again, MembersError::Invitation(InvitationState::Used)), "{again:?}");
        assert!(matches!(
            ops::invitation_page(&state, &token).await,
            Err(MembersError::Invitation(InvitationState::Used))
        ));
        // The same person cannot be invited twice, by e-mail or RPPS.
        let admin = member(&state, "admin").await;
        let dup =
            ops::invite(&state, &admin, &invitee("ANNE.LEROUX@exemple.fr", "10003456794"), ORIGIN).await.unwrap_err();
        assert_eq!(problem(dup, Field::Email), Some(FieldProblem::Duplicate));
        let dup = ops::invite(&state, &admin, &invitee("autre@exemple.fr", "10003456786"), ORIGIN).await.unwrap_err();
        assert_eq!(problem(dup, Field::Rpps), Some(FieldProblem::Duplicate));
        let mut conn = state.store.reader().await.unwrap();
        assert_eq!(count_audit(&mut conn, "invitation_accepted", None).await.unwrap(), 1);
        drop(conn);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn two_tabs_opening_the_same_link_make_one_account() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let (_, token) = invite(&state, "deux.onglets@exemple.fr", "10003456786").await;
        let tabs: Vec<_> = (0..2)
            .map(|_| {
                let (state, token) = (state.clone(), token.clone());
                tokio::spawn(
                    async move { ops::accept(&state, &token, "cheval agrafe batterie".into(), "ip", None).await },
                )
            })
            .collect();
        let mut results = vec![];
        for t in tabs {
            results.push(t.await.unwrap());
        }
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        assert!(results.iter().any(|r| matches!(r, Err(MembersError::Invitation(InvitationState::Used)))));
        let n: i64 = sqlx::query_scalar("select count(*) from member where email = 'deux.onglets@exemple.fr'")
            .fetch_one(&mut *state.store.reader().await.unwrap())
            .await
            .unwrap();
        assert_eq!(n, 1);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_link_expires_after_seven_days_and_a_resent_one_replaces_it() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        let admin = member(&state, "admin").await;
        let (id, first) = invite(&state, "lent@exemple.fr", "10003456794").await;
        clock.advance(Duration::days(7));
        let expired = ops::accept(&state, &first, "cheval agrafe batterie".into(), "ip", None).await.unwrap_err();
        assert!(matches!(expired, MembersError::Invitation(InvitationState::Expired)), "{expired:?}");
        let second = token(&ops::resend(&state, &admin, id, ORIGIN).await.unwrap().unwrap());
        assert!(
            matches!(ops::invitation_page(&state, &first).await, Err(MembersError::NotFound)),
            "the old link is dead"
        );
        assert!(ops::invitation_page(&state, &second).await.is_ok());
        ops::withdraw(&state, &admin, id).await.unwrap();
        assert!(matches!(
            ops::accept(&state, &second, "cheval agrafe batterie".into(), "ip", None).await,
            Err(MembersError::Invitation(InvitationState::Withdrawn))
        ));
        // Another CPTS's admin sees no such invitation.
        let other = crate::members::http::other_cpts_admin(&state).await;
        assert!(matches!(ops::resend(&state, &other, id, ORIGIN).await, Err(MembersError::NotFound)));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_import_previews_each_line_and_invites_only_the_valid_ones() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let admin = member(&state, "admin").await;
        let file = "\u{feff}email;nom;profession;rpps;commune;role\n\
                    a.un@exemple.fr;Dr Un;Médecin généraliste;10003456786;Rennes;\n\
                    b.deux@exemple.fr;Deux;Infirmier·e;10003456787;Rennes;\n\
                    c.trois@exemple.fr;Trois;;;;Coordination\n\
                    a.un@exemple.fr;Doublon;gp;10000000025;;\n";
        let preview = ops::preview_import(&state, &admin, file).await.unwrap();
        assert_eq!(preview.valid, 2, "{preview:?}");
        let line = |n: usize| preview.lines.iter().find(|l| l.line == n).unwrap();
        assert!(line(2).errors.is_empty() && line(4).errors.is_empty());
        assert_eq!(line(3).errors, vec![(Field::Rpps, FieldProblem::CheckDigit)]);
        assert!(line(5).errors.contains(&(Field::Email, FieldProblem::Duplicate)), "{:?}", line(5));
        assert!(line(5).errors.contains(&(Field::Rpps, FieldProblem::Duplicate)), "a demo member's RPPS");
        let count = |state: AppState| async move {
            sqlx::query_scalar::<_, i64>("select count(*) from invitation")
                .fetch_one(&mut *state.store.reader().await.unwrap())
                .await
                .unwrap()
        };
        assert_eq!(count(state.clone()).await, 0, "a preview creates nothing");
        ops::import(&state, &admin, file, ORIGIN).await.unwrap();
        assert_eq!(count(state.clone()).await, 2);
        assert!(matches!(ops::read_file("pas un fichier"), Err(MembersError::Invalid(_))));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_suspended_member_loses_sessions_devices_places_and_gets_a_clear_refusal() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let admin = member(&state, "admin").await;
        let gp = member(&state, "dr.martin").await;
        let (_, session) =
            app::auth::ops::login(&state, &gp.email, app::DEMO_PASSWORD.into(), "ip", None).await.unwrap();
        let now = state.now();
        let mut tx = state.store.begin().await.unwrap();
        sqlx::query("insert into push_subscription (member_id, endpoint, p256dh, auth, label, created_at) values ($1, 'http://127.0.0.1:9/x', 'k', 'a', 'Android', $2)")
            .bind(gp.id)
            .bind(now.timestamp_millis())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let vacation = crate::members::http::future_vacation_taken_by(&state, &gp).await;
        ops::suspend(&state, &admin, gp.id).await.unwrap();
        assert!(app::auth::member_for_token(&state, &session).await.unwrap().is_none(), "the session ended");
        let mut conn = state.store.reader().await.unwrap();
        let devices: i64 = sqlx::query_scalar("select count(*) from push_subscription where member_id = $1")
            .bind(gp.id)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(devices, 0);
        let holders: i64 =
            sqlx::query_scalar("select count(*) from assignment where vacation_id = $1 and member_id = $2")
                .bind(vacation)
                .bind(gp.id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(holders, 0, "back to the pool");
        let told: i64 =
            sqlx::query_scalar("select count(*) from notification where member_id = $1 and body like '%pot commun%'")
                .bind(admin.id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(told, 1, "the admin is told");
        assert_eq!(count_audit(&mut conn, "member_suspended", None).await.unwrap(), 1);
        drop(conn);
        let refused =
            app::auth::ops::login(&state, &gp.email, app::DEMO_PASSWORD.into(), "ip", None).await.unwrap_err();
        assert!(matches!(refused, app::auth::AuthError::Suspended), "{refused:?}");
        let wrong = app::auth::ops::login(&state, &gp.email, "mauvais".into(), "ip", None).await.unwrap_err();
        assert!(matches!(wrong, app::auth::AuthError::BadCredentials), "a wrong password says nothing of the standing");
        assert!(matches!(ops::suspend(&state, &admin, gp.id).await, Err(MembersError::Conflict)));
        assert!(matches!(ops::suspend(&state, &admin, admin.id).await, Err(MembersError::Forbidden)));
        ops::reinstate(&state, &admin, gp.id).await.unwrap();
        assert!(app::auth::ops::login(&state, &gp.email, app::DEMO_PASSWORD.into(), "ip", None).await.is_ok());
        ops::remove(&state, &admin, gp.id).await.unwrap();
        assert!(matches!(ops::reinstate(&state, &admin, gp.id).await, Err(MembersError::Conflict)), "removal is final");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_member_edits_profile_and_notice_channels_and_bad_input_changes_nothing() {
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let gp = member(&state, "dr.martin").await;
        let good = ProfileInput {
            teleconsult: true,
            address: "12 rue de la Santé".into(),
            commune: "Bruz".into(),
            phone: "06 12 34 56 78".into(),
            quiet_start: "21:00".into(),
            quiet_end: "07:30".into(),
        };
        ops::save_profile(&state, &gp, &good).await.unwrap();
        let bad = ProfileInput {
            phone: "01 23 45 67 89".into(),
            quiet_end: String::new(),
            commune: "Paris".into(),
            ..good.clone()
        };
        let e = ops::save_profile(&state, &gp, &bad).await.unwrap_err();
        assert_eq!(problem(e, Field::Phone), Some(FieldProblem::InvalidPhone), "a landline gets no SMS");
        let p = ops::my_profile(&state, &member(&state, "dr.martin").await).await.unwrap();
        assert_eq!((p.commune.as_deref(), p.phone.as_str()), (Some("Bruz"), "06 12 34 56 78"));
        assert_eq!((p.quiet_start.as_str(), p.quiet_end.as_str(), p.teleconsult), ("21:00", "07:30", true));
        let choice =
            NoticeChoice { notice: Notice::Reminder, channels: Channels { push: false, email: true, sms: true } };
        ops::save_preferences(&state, &gp, &[choice]).await.unwrap();
        let twice = ops::save_preferences(&state, &gp, &[choice, choice]).await.unwrap_err();
        assert_eq!(problem(twice, Field::Kind), Some(FieldProblem::Duplicate));
        let prefs = app::members::preferences(&mut state.store.reader().await.unwrap(), gp.id).await.unwrap();
        assert_eq!(prefs.channels(Notice::Reminder), choice.channels);
        assert_eq!(prefs.channels(Notice::Offer), app::members::rules::default_channels(Notice::Offer));
        assert!(prefs.has_phone && prefs.quiet.is_some());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_new_cpts_takes_its_communes_from_the_reference_list_once() {
    use server::communes::{import, of_departements, within, REFERENCE};
    for db in backends().await {
        let (state, _) = seeded(&db.url, 0).await;
        let now = state.now();
        let mut tx = state.store.begin().await.unwrap();
        let cpts = app::members::store::create_cpts(&mut tx, "CPTS du Pays de Fougères", now).await.unwrap();
        tx.commit().await.unwrap();
        let territory = within(of_departements(REFERENCE, &["35".into()]).unwrap(), "Fougères", 15.0).unwrap();
        let first = import(&state.store, cpts, &territory, now).await.unwrap();
        assert_eq!(first.added, territory.len());
        assert!(first.added > 10, "{first:?}");
        let again = import(&state.store, cpts, &territory, now).await.unwrap();
        assert_eq!((again.added, again.kept), (0, territory.len()), "nothing twice");
        let communes = app::members::communes(&mut state.store.reader().await.unwrap(), cpts).await.unwrap();
        let fougeres = communes.iter().find(|c| c.name == "Fougères").unwrap();
        assert_eq!(fougeres.postcode, "35300");
        assert!(!communes.iter().any(|c| c.name == "Rennes"), "Rennes is 45 km away");
        db.drop_db().await;
    }
}
