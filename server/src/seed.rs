//! The demo CPTS: communes around Rennes with their coordinates, a coordinator, an admin and
//! clinicians of several professions, some on duty now.

use anyhow::Context;
use app::auth::ops::hash_password;
use app::domain::geo::GeoPoint;
use app::domain::{Profession, Role};
use app::members::store::{self, Commune, NewMember};
use app::platform::Store;
use chrono::{DateTime, Duration, Utc};

pub const DEMO_DOMAIN: &str = "demo.relais.test";
/// The demo CPTS's FINESS number (what the SAS interface sends, prefixed by 1).
pub const DEMO_FINESS: &str = "350012345";

/// The demo's RPPS numbers: 1000000000 and on, in the order of the members (clinicians only),
/// each with its check digit (10000000009, 10000000017…).
pub fn demo_rpps(index: usize) -> String {
    app::members::rules::with_check_digit(&format!("{:010}", 1_000_000_000 + index as u64)).expect("ten digits")
}

const COMMUNES: &[(&str, &str, f64, f64)] = &[
    ("Rennes", "35000", 48.1113, -1.6800),
    ("Cesson-Sévigné", "35510", 48.1214, -1.6031),
    ("Saint-Grégoire", "35760", 48.1508, -1.6850),
    ("Betton", "35830", 48.1828, -1.6406),
    ("Thorigné-Fouillard", "35235", 48.1597, -1.5797),
    ("Chantepie", "35135", 48.0886, -1.6172),
    ("Pacé", "35740", 48.1481, -1.7742),
    ("Bruz", "35170", 48.0247, -1.7458),
    ("Liffré", "35340", 48.2136, -1.5072),
];

struct DemoMember {
    login: &'static str,
    name: &'static str,
    role: Role,
    profession: Option<Profession>,
    commune: Option<&'static str>,
    on_duty: bool,
}

const fn clinician(
    login: &'static str,
    name: &'static str,
    p: Profession,
    commune: &'static str,
    on_duty: bool,
) -> DemoMember {
    DemoMember { login, name, role: Role::Clinician, profession: Some(p), commune: Some(commune), on_duty }
}

const MEMBERS: &[DemoMember] = &[
    DemoMember {
        login: "coordination",
        name: "Claire Coordination",
        role: Role::Coordinator,
        profession: None,
        commune: None,
        on_duty: false,
    },
    DemoMember {
        login: "admin",
        name: "Alain Admin",
        role: Role::Admin,
        profession: None,
        commune: None,
        on_duty: false,
    },
    clinician("dr.martin", "Dr Sophie Martin", Profession::Gp, "Rennes", true),
    clinician("dr.leroy", "Dr Paul Leroy", Profession::Gp, "Cesson-Sévigné", true),
    clinician("dr.bernard", "Dr Inès Bernard", Profession::Gp, "Saint-Grégoire", true),
    clinician("dr.petit", "Dr Marc Petit", Profession::Gp, "Bruz", false),
    clinician("dr.roux", "Dr Léa Roux", Profession::Gp, "Liffré", true),
    clinician("dr.durand", "Dr Hugo Durand", Profession::Dentist, "Rennes", true),
    clinician("dr.garnier", "Dr Claire Garnier", Profession::Dentist, "Cesson-Sévigné", false),
    clinician("dr.fabre", "Dr Louis Fabre", Profession::Dentist, "Saint-Grégoire", false),
    clinician("dr.renard", "Dr Anne Renard", Profession::Dentist, "Bruz", false),
    clinician("ph.moreau", "Julie Moreau", Profession::Pharmacist, "Chantepie", true),
    clinician("inf.simon", "Nadia Simon", Profession::Nurse, "Pacé", true),
    clinician("kine.laurent", "Yann Laurent", Profession::Physio, "Betton", false),
    clinician("sf.michel", "Emma Michel", Profession::Midwife, "Rennes", true),
];

/// The two GPs who teleconsult and are available now, near the demo pharmacy (Chantepie).
const TELECONSULTING: &[&str] = &["dr.leroy", "dr.bernard"];

/// What `seed-demo` did.
#[derive(Debug)]
pub struct SeedReport {
    pub created: bool,
    pub members: usize,
}

/// Creates the demo CPTS once (a second call changes nothing) and `extra_clinicians` more GPs
/// on duty around Rennes (for load benchmarks).
///
/// # Errors
/// On a database failure.
pub async fn seed_demo(store: &Store, now: DateTime<Utc>, extra_clinicians: usize) -> anyhow::Result<SeedReport> {
    let mut tx = store.begin().await?;
    if store::first_cpts(&mut tx).await?.is_some() {
        tx.rollback().await?;
        return Ok(SeedReport { created: false, members: 0 });
    }
    let cpts_id = store::create_cpts(&mut tx, "CPTS Rennes Nord-Est (démo)", now).await?;
    for (name, postcode, lat, lon) in COMMUNES {
        store::add_commune(
            &mut tx,
            cpts_id,
            &Commune { name: (*name).into(), postcode: (*postcode).into(), location: GeoPoint::new(*lat, *lon) },
        )
        .await?;
    }
    // One hash for every demo account: they share the published demo password.
    let hash = hash_password(app::DEMO_PASSWORD.to_string()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let location = |commune: &str| COMMUNES.iter().find(|c| c.0 == commune).map(|c| GeoPoint::new(c.2, c.3));
    let mut count = 0;
    let extra = (0..extra_clinicians).map(|i| {
        // Spread around Rennes, within about 5 km.
        let angle = i as f64 * 2.399_963;
        let radius = 0.045 * ((i % 10) as f64 + 1.0) / 10.0;
        (
            format!("bench.gp{i:04}"),
            format!("Dr Banc d'essai {i:04}"),
            GeoPoint::new(48.1113 + radius * angle.sin(), -1.68 + radius * 1.5 * angle.cos()),
        )
    });
    let demo = MEMBERS.iter().map(|m| {
        (
            m.login.to_string(),
            m.name.to_string(),
            m.role,
            m.profession,
            m.commune.map(str::to_string),
            m.commune.and_then(location),
            m.on_duty,
        )
    });
    let extra = extra.map(|(login, name, loc)| {
        (login, name, Role::Clinician, Some(Profession::Gp), Some("Rennes".to_string()), Some(loc), true)
    });
    for (index, (login, name, role, profession, commune, location, on_duty)) in demo.chain(extra).enumerate() {
        let member = NewMember {
            cpts_id,
            email: format!("{login}@{DEMO_DOMAIN}"),
            display_name: name,
            role,
            profession,
            rpps: profession.map(|_| demo_rpps(index)),
            commune,
            location,
            teleconsult: TELECONSULTING.contains(&login.as_str()),
            weekly_cap: if login.starts_with("bench.") { 1_000_000 } else { 20 },
            password_hash: hash.clone(),
        };
        let Some(id) = store::create_member(&mut tx, &member, None, now).await? else { continue };
        count += 1;
        if on_duty {
            // On duty from an hour ago for two weeks, so the demo works any day it is opened.
            store::add_availability(&mut tx, id, "duty", now - Duration::hours(1), now + Duration::days(14), now)
                .await?;
        }
        if TELECONSULTING.contains(&login.as_str()) {
            // "Available now" for two weeks: a pharmacy's teleconsultation reaches them.
            store::add_availability(&mut tx, id, "volunteer", now - Duration::hours(1), now + Duration::days(14), now)
                .await?;
        }
    }
    seed_plannings(&mut tx, cpts_id, now).await?;
    seed_sas_slots(&mut tx, cpts_id, now).await?;
    seed_history(&mut tx, cpts_id, now).await?;
    tx.commit().await?;
    Ok(SeedReport { created: true, members: count })
}

/// Ten weeks of closed requests before the demo starts (`demo_history`), for *Indicateurs*.
async fn seed_history(tx: &mut sqlx::AnyConnection, cpts_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    let members = store::members(tx, cpts_id).await?;
    let id_of = |login: &str| {
        members.iter().find(|m| m.email == format!("{login}@{DEMO_DOMAIN}")).map(|m| m.id).context("a demo member")
    };
    let gps = ["dr.martin", "dr.leroy", "dr.bernard", "dr.petit", "dr.roux"].map(id_of);
    let gps: Vec<i64> = gps.into_iter().collect::<anyhow::Result<_>>()?;
    let communes: Vec<(&str, f64, f64)> = COMMUNES.iter().map(|c| (c.0, c.2, c.3)).collect();
    crate::demo_history::seed(tx, cpts_id, id_of("coordination")?, &gps, id_of("inf.simon")?, &communes, now).await?;
    Ok(())
}

/// The FINESS, and SNP slots open to the SAS two days from now at 14:00 (Paris): Dr Leroy's
/// two at the practice and Dr Bernard's two by teleconsultation; and one of Dr Leroy's at 16:00
/// for the CPTS only, which the SAS never sees.
async fn seed_sas_slots(tx: &mut sqlx::AnyConnection, cpts_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    use app::domain::AppointmentMode;
    use app::slots::rules::Audience;
    use chrono::TimeZone;
    app::slots::store::sas::set_finess(tx, cpts_id, DEMO_FINESS).await?;
    let members = store::members(tx, cpts_id).await?;
    let id_of = |login: &str| members.iter().find(|m| m.email == format!("{login}@{DEMO_DOMAIN}")).map(|m| m.id);
    let day = app::domain::hours::paris_date(now + Duration::days(2));
    let at = |h: u32, m: u32| {
        chrono_tz::Europe::Paris
            .from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .context("a Paris time")
    };
    let slots = [
        ("dr.leroy", 14, 0, AppointmentMode::Office, Audience::Sas),
        ("dr.leroy", 14, 20, AppointmentMode::Office, Audience::Sas),
        ("dr.leroy", 16, 0, AppointmentMode::Office, Audience::Cpts),
        ("dr.bernard", 14, 0, AppointmentMode::Teleconsultation, Audience::Sas),
        ("dr.bernard", 14, 15, AppointmentMode::Teleconsultation, Audience::Sas),
    ];
    for (login, h, m, mode, audience) in slots {
        let Some(member) = id_of(login) else { continue };
        let span = app::planning::rules::Slot { starts_at: at(h, m)?, ends_at: at(h, m)? + Duration::minutes(15) };
        app::slots::store::insert_slot(tx, cpts_id, member, span, mode, audience, false, now).await?;
    }
    Ok(())
}

/// Two plannings, from tomorrow for four weeks: the GPs' SNP vacations (weekdays 8–12 and
/// 14–20, Saturday morning, two places, at most 3 a week each; a few taken from next week on,
/// so that "Mes gardes" has something to show) and the dental rota (weekday mornings).
async fn seed_plannings(tx: &mut sqlx::AnyConnection, cpts_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    use app::planning::rules::{generate_slots, GroupRule, TemplateSlot, VacationKind};
    use app::planning::store as sp;
    use chrono::{NaiveTime, Weekday};

    let members = store::members(tx, cpts_id).await?;
    let id_of = |login: &str| members.iter().find(|m| m.email == format!("{login}@{DEMO_DOMAIN}")).map(|m| m.id);
    let with_profession = |p: Profession| -> Vec<i64> {
        members
            .iter()
            .filter(|m| m.profession == Some(p) && m.email.ends_with(DEMO_DOMAIN) && !m.email.starts_with("bench."))
            .map(|m| m.id)
            .collect()
    };
    let h = |h: u32| NaiveTime::from_hms_opt(h, 0, 0).expect("valid hour");
    let tomorrow = now.with_timezone(&chrono_tz::Europe::Paris).date_naive() + Duration::days(1);
    let until = tomorrow + Duration::days(27);

    let gp = sp::create_planning(tx, cpts_id, "SNP médecins généralistes", 48, now).await?.context("planning")?;
    let group = sp::create_group(
        tx,
        gp,
        "Médecins généralistes",
        "profession",
        &GroupRule { max_per_week: Some(3), ..GroupRule::default() },
        now,
    )
    .await?
    .context("group")?;
    for m in with_profession(Profession::Gp) {
        sp::add_group_member(tx, group, m).await?;
    }
    let weekdays = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
    let mut template: Vec<TemplateSlot> = weekdays
        .iter()
        .flat_map(|d| [(h(8), h(12)), (h(14), h(20))].map(|(start, end)| TemplateSlot { weekday: *d, start, end }))
        .collect();
    template.push(TemplateSlot { weekday: Weekday::Sat, start: h(8), end: h(12) });
    let mut gp_vacations = vec![];
    for slot in generate_slots(&template, tomorrow, until, true) {
        gp_vacations.push((slot, sp::insert_vacation(tx, gp, VacationKind::SnpOffice, slot, 2, now).await?));
    }
    // Next week's first vacations (Monday or the first day after it).
    let next_week: Vec<i64> =
        gp_vacations.iter().filter(|(s, _)| s.starts_at >= now + Duration::days(6)).map(|(_, id)| *id).collect();
    let holdings = [
        ("dr.martin", &[0usize, 1][..]),
        ("dr.leroy", &[0][..]),
        ("dr.bernard", &[2][..]),
        ("dr.roux", &[4, 5, 6][..]),
    ];
    for (login, picks) in holdings {
        if let Some(member) = id_of(login) {
            for i in picks {
                if let Some(v) = next_week.get(*i) {
                    sp::assign(tx, *v, member, now).await?;
                }
            }
        }
    }

    // The dental rota: one emergency morning each weekday, one dentist each, one morning a week
    // per dentist. From next week on, Dr Durand holds the Tuesdays, Dr Garnier the Wednesdays,
    // Dr Fabre the Thursdays, Dr Renard the Friday of the week after; the rest is free to take.
    let dental = sp::create_planning(tx, cpts_id, "Urgences dentaires", 72, now).await?.context("planning")?;
    let one_a_week = GroupRule { max_per_week: Some(1), ..GroupRule::default() };
    let group = sp::create_group(tx, dental, "Chirurgiens-dentistes", "profession", &one_a_week, now)
        .await?
        .context("group")?;
    for m in with_profession(Profession::Dentist) {
        sp::add_group_member(tx, group, m).await?;
    }
    let half_past = |h: u32| NaiveTime::from_hms_opt(h, 30, 0).expect("valid hour");
    let mornings: Vec<TemplateSlot> =
        weekdays.iter().map(|d| TemplateSlot { weekday: *d, start: half_past(8), end: half_past(12) }).collect();
    let holder = |day: Weekday| match day {
        Weekday::Tue => id_of("dr.durand"),
        Weekday::Wed => id_of("dr.garnier"),
        Weekday::Thu => id_of("dr.fabre"),
        _ => None,
    };
    let mut a_friday = id_of("dr.renard");
    for slot in generate_slots(&mornings, tomorrow, until, true) {
        let v = sp::insert_vacation(tx, dental, VacationKind::DentalEmergency, slot, 1, now).await?;
        let day = chrono::Datelike::weekday(&slot.starts_at.with_timezone(&chrono_tz::Europe::Paris));
        let dentist = match day {
            _ if slot.starts_at < now + Duration::days(6) => None,
            Weekday::Fri if slot.starts_at >= now + Duration::days(13) => a_friday.take(),
            _ => holder(day),
        };
        if let Some(dentist) = dentist {
            sp::assign(tx, v, dentist, now).await?;
        }
    }
    seed_dental_referral(tx, cpts_id, now, id_of("dr.martin")).await
}

/// The default grid, and one referral from Dr Martin waiting at the dentist of the next
/// morning.
async fn seed_dental_referral(
    tx: &mut sqlx::AnyConnection,
    cpts_id: i64,
    now: DateTime<Utc>,
    referrer: Option<i64>,
) -> anyhow::Result<()> {
    use app::dental::rules::CriterionKind;
    use app::dental::store as ds;
    ds::insert_default_grid(tx, cpts_id, now).await?;
    let grid = ds::criteria(tx, cpts_id).await?;
    let next = app::dental::ops::next_route(tx, cpts_id, now).await?;
    let (Some(referrer), Some((to, _))) = (referrer, next) else { return Ok(()) };
    let label = |k: CriterionKind| grid.iter().find(|c| c.kind == k).map(|c| c.label.clone()).unwrap_or_default();
    let referral = ds::NewReferral {
        cpts_id,
        referrer_id: referrer,
        dentist_id: to.dentist_id,
        vacation_id: to.vacation_id,
        patient_name: "C. D.",
        age_band: "16-64",
        callback_phone: "+33622334455",
        commune: "Rennes",
        note: "Douleur depuis hier soir malgré le paracétamol",
        criteria: vec![label(CriterionKind::Inclusion), label(CriterionKind::Condition)],
        immediate: false,
        seen_from: to.seen_from,
        due_at: to.due_at,
    };
    let id = ds::insert_referral(tx, &referral, now).await?;
    app::platform::audit::Audit::new("dental_referred")
        .cpts(cpts_id)
        .actor(referrer)
        .referral(id)
        .subject(to.dentist_id)
        .write(tx, now)
        .await?;
    Ok(())
}
