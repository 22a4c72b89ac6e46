//! The indicators' queries on both back-ends, over a small October written by hand (a CPTS of
//! its own, so the demo's data must not leak in): every figure below is counted by hand from
//! the history in `history`, and the comments say how.

use app::domain::{Profession, Role};
use app::indicators::ops::{self, Figures};
use app::indicators::rules::{Period, RequestCell};
use app::members::store::{create_cpts, create_member, NewMember};
use app::platform::db::{ms, Tx};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;

use crate::support::{backends, member, seeded, NowUtc};

/// A Paris wall-clock time.
fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(2026, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

const PATIENT: &str = "Zoé Secrète";
const PHONE: &str = "+33698765432";

fn october() -> Period {
    Period { from: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), to: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap() }
}

async fn new_member(tx: &mut Tx, cpts: i64, name: &str, role: Role, profession: Option<Profession>) -> i64 {
    let m = NewMember {
        cpts_id: cpts,
        email: format!("{}@indicateurs.test", name.to_lowercase().replace(' ', ".")),
        display_name: name.into(),
        role,
        profession,
        rpps: None,
        commune: None,
        location: None,
        teleconsult: false,
        weekly_cap: 10,
        password_hash: "inutilisé".into(),
    };
    create_member(tx, &m, None, at(9, 1, 8, 0)).await.unwrap().unwrap()
}

/// One request: (source, motive, profession, commune, status, created, pushed, accepted (by, at), reoriented to).
#[allow(clippy::too_many_arguments)]
async fn request(
    tx: &mut Tx,
    cpts: i64,
    by: i64,
    (source, motive, profession, commune, status): (&str, &str, &str, &str, &str),
    created: DateTime<Utc>,
    pushed: Option<DateTime<Utc>>,
    accepted: Option<(i64, DateTime<Utc>)>,
    reoriented_to: Option<&str>,
) -> i64 {
    sqlx::query_scalar(
        "insert into snp_request (cpts_id, created_by, created_at, motive, profession, patient_name, age_band, \
         callback_phone, commune, lat, lon, teleconsult_ok, deadline, deadline_at, source, status, pushed_at, \
         accepted_by, accepted_at, reoriented_to) \
         values ($1, $2, $3, $4, $5, $6, '16-64', $7, $8, 48.1, -1.6, 0, 'today', $9, $10, $11, $12, $13, $14, $15) returning id",
    )
    .bind(cpts)
    .bind(by)
    .bind(ms(created))
    .bind(motive)
    .bind(profession)
    .bind(PATIENT)
    .bind(PHONE)
    .bind(commune)
    .bind(ms(created) + 86_400_000)
    .bind(source)
    .bind(status)
    .bind(pushed.map(ms))
    .bind(accepted.map(|a| a.0))
    .bind(accepted.map(|a| ms(a.1)))
    .bind(reoriented_to)
    .fetch_one(&mut **tx)
    .await
    .unwrap()
}

async fn exec(tx: &mut Tx, sql: &str, args: &[i64], text: &[&str]) {
    let mut q = sqlx::query(sql);
    for a in args {
        q = q.bind(*a);
    }
    for s in text {
        q = q.bind(*s);
    }
    q.execute(&mut **tx).await.unwrap();
}

async fn insert_id(tx: &mut Tx, sql: &str, args: &[i64], text: &[&str]) -> i64 {
    let mut q = sqlx::query_scalar(sql);
    for a in args {
        q = q.bind(*a);
    }
    for s in text {
        q = q.bind(*s);
    }
    q.fetch_one(&mut **tx).await.unwrap()
}

struct Members {
    gp1: i64,
}

/// The hand-made October of the CPTS "Test Indicateurs" (plus one request of the demo CPTS, which
/// must not count). The clock stands at Friday 30 October, 12:00.
async fn history(tx: &mut Tx, demo_cpts: i64, demo_member: i64) -> (i64, Members) {
    let cpts = create_cpts(tx, "CPTS Test Indicateurs", at(9, 1, 8, 0)).await.unwrap();
    let gp1 = new_member(tx, cpts, "Dr Alpha", Role::Clinician, Some(Profession::Gp)).await;
    let gp2 = new_member(tx, cpts, "Dr Bravo", Role::Clinician, Some(Profession::Gp)).await;
    let gp3 = new_member(tx, cpts, "Dr Charlie", Role::Clinician, Some(Profession::Gp)).await;
    let gp4 = new_member(tx, cpts, "Dr Delta", Role::Clinician, Some(Profession::Gp)).await;
    let nurse = new_member(tx, cpts, "Inf Echo", Role::Clinician, Some(Profession::Nurse)).await;
    let dentist = new_member(tx, cpts, "Dent Foxtrot", Role::Clinician, Some(Profession::Dentist)).await;
    let pharma = new_member(tx, cpts, "Pharm Golf", Role::Clinician, Some(Profession::Pharmacist)).await;
    let coord = new_member(tx, cpts, "Coord Hotel", Role::Coordinator, None).await;
    // Dr Charlie has left: no longer an active member.
    exec(tx, "update member set active = 0 where id = $1", &[gp3], &[]).await;

    let r = |s, m, p, c, st| (s, m, p, c, st);
    // R1: 1 Oct 00:30 Paris (30 Sep 22:30 UTC: in October all the same); accepted in 5 min; done.
    let r1 = request(
        tx,
        cpts,
        coord,
        r("patient_call", "fever", "gp", "Rennes", "done"),
        at(10, 1, 0, 30),
        Some(at(10, 1, 0, 31)),
        Some((gp1, at(10, 1, 0, 36))),
        None,
    )
    .await;
    // R2: 6 Oct, 12 min, booked.
    request(
        tx,
        cpts,
        coord,
        r("patient_call", "fever", "gp", "Rennes", "booked"),
        at(10, 6, 9, 0),
        Some(at(10, 6, 9, 0)),
        Some((gp1, at(10, 6, 9, 12))),
        None,
    )
    .await;
    // R3: 7 Oct, SAS, 3 min, patient absent.
    request(
        tx,
        cpts,
        coord,
        r("sas", "pain", "gp", "Rennes", "no_show"),
        at(10, 7, 10, 0),
        Some(at(10, 7, 10, 0)),
        Some((gp2, at(10, 7, 10, 3))),
        None,
    )
    .await;
    // R4: 8 Oct, SAS, 30 min, done.
    request(
        tx,
        cpts,
        coord,
        r("sas", "pain", "gp", "Rennes", "done"),
        at(10, 8, 11, 0),
        Some(at(10, 8, 11, 0)),
        Some((gp2, at(10, 8, 11, 30))),
        None,
    )
    .await;
    // R5: 13 Oct, a pharmacist's teleconsultation nobody took: reoriented to the PDSA.
    let r5 = request(
        tx,
        cpts,
        pharma,
        r("pharmacist", "renewal", "gp", "Cesson-Sévigné", "reoriented"),
        at(10, 13, 16, 0),
        Some(at(10, 13, 16, 0)),
        None,
        Some("pdsa"),
    )
    .await;
    // R6: Sunday 25 Oct 23:30 (winter time since 3:00), accepted Monday 00:11 (40 min): not the same day.
    request(
        tx,
        cpts,
        coord,
        r("treating_doctor", "wound", "nurse", "Cesson-Sévigné", "accepted"),
        at(10, 25, 23, 30),
        Some(at(10, 25, 23, 31)),
        Some((nurse, at(10, 26, 0, 11))),
        None,
    )
    .await;
    // R7: 20 Oct, cancelled before any push.
    request(
        tx,
        cpts,
        coord,
        r("patient_call", "fever", "gp", "Cesson-Sévigné", "cancelled"),
        at(10, 20, 8, 0),
        None,
        None,
        None,
    )
    .await;
    // R8: 21 Oct, SAS, booked straight into Dr Alpha's slot (never pushed).
    request(
        tx,
        cpts,
        coord,
        r("sas", "fever", "gp", "Rennes", "booked"),
        at(10, 21, 9, 0),
        None,
        Some((gp1, at(10, 21, 9, 5))),
        None,
    )
    .await;
    // R9: 27 Oct, accepted 48 h 30 later, done.
    request(
        tx,
        cpts,
        coord,
        r("patient_call", "pain", "gp", "Rennes", "done"),
        at(10, 27, 10, 0),
        Some(at(10, 27, 10, 0)),
        Some((gp2, at(10, 29, 10, 30))),
        None,
    )
    .await;
    // Outside the period: 30 Sep 23:30 Paris, 1 Nov 00:10 Paris.
    let r10 = request(
        tx,
        cpts,
        coord,
        r("patient_call", "fever", "gp", "Rennes", "done"),
        at(9, 30, 23, 30),
        Some(at(9, 30, 23, 31)),
        Some((gp1, at(9, 30, 23, 50))),
        None,
    )
    .await;
    request(tx, cpts, coord, r("sas", "fever", "gp", "Rennes", "new"), at(11, 1, 0, 10), None, None, None).await;
    // Another CPTS's request in October.
    request(
        tx,
        demo_cpts,
        demo_member,
        r("sas", "fever", "gp", "Rennes", "done"),
        at(10, 10, 10, 0),
        Some(at(10, 10, 10, 0)),
        Some((demo_member, at(10, 10, 10, 1))),
        None,
    )
    .await;

    // Refusals: two on R5 (no slot, too far), one on R1 without a reason; one on R10, given in September.
    let offer =
        "insert into offer (request_id, member_id, wave, state, refusal_reason, sent_at, answered_at, cpts_id) \
         values ($1, $2, 1, 'refused', nullif($5, ''), $3, $4, (select cpts_id from snp_request where id = $1))";
    exec(tx, offer, &[r5, gp1, ms(at(10, 13, 16, 0)), ms(at(10, 13, 16, 5))], &["no_slot"]).await;
    exec(tx, offer, &[r5, gp2, ms(at(10, 13, 16, 0)), ms(at(10, 13, 16, 6))], &["too_far"]).await;
    exec(tx, offer, &[r1, gp2, ms(at(10, 1, 0, 31)), ms(at(10, 1, 0, 33))], &[""]).await;
    exec(tx, offer, &[r10, gp2, ms(at(9, 30, 23, 31)), ms(at(9, 30, 23, 40))], &["no_slot"]).await;

    // Vacations: Alpha 5 Oct (4 h) and 12 Oct (6 h); Bravo 28 Oct (4 h); Alpha and Bravo together on
    // 30 Oct 20:00–24:00 (not over at noon); Delta 3 Nov (outside); Charlie 14 Oct (2 h).
    let planning = insert_id(
        tx,
        "insert into planning (cpts_id, name, created_at) values ($1, 'SNP', 0) returning id",
        &[cpts],
        &[],
    )
    .await;
    // Bravo's of 28 Oct is a SAS regulation morning.
    let vacation = "insert into vacation (planning_id, kind, starts_at, ends_at, capacity, created_at) values ($1, $5, $2, $3, $4, 0) returning id";
    for (start, end, capacity, holders, kind) in [
        (at(10, 5, 8, 0), at(10, 5, 12, 0), 1, vec![gp1], "snp_office"),
        (at(10, 12, 14, 0), at(10, 12, 20, 0), 1, vec![gp1], "snp_office"),
        (at(10, 28, 8, 0), at(10, 28, 12, 0), 1, vec![gp2], "sas_regulation"),
        (at(10, 30, 20, 0), at(10, 31, 0, 0), 2, vec![gp1, gp2], "snp_office"),
        (at(11, 3, 8, 0), at(11, 3, 12, 0), 1, vec![gp4], "snp_office"),
        (at(10, 14, 8, 0), at(10, 14, 10, 0), 1, vec![gp3], "snp_office"),
    ] {
        let v = insert_id(tx, vacation, &[planning, ms(start), ms(end), capacity], &[kind]).await;
        for h in holders {
            exec(tx, "insert into assignment (vacation_id, member_id, created_at) values ($1, $2, 0)", &[v, h], &[])
                .await;
        }
    }

    // Slots: Alpha to the SAS (15 Oct) and to the CPTS (16 Oct); the nurse to the SAS (17 Oct);
    // Bravo to the SAS on 2 Nov (outside).
    let slot = "insert into slot (cpts_id, member_id, starts_at, ends_at, mode, audience, created_at) values ($1, $2, $3, $4, 'office', $5, 0) returning id";
    let s1 = insert_id(tx, slot, &[cpts, gp1, ms(at(10, 15, 14, 0)), ms(at(10, 15, 14, 15))], &["sas"]).await;
    let s2 = insert_id(tx, slot, &[cpts, gp1, ms(at(10, 16, 14, 0)), ms(at(10, 16, 14, 15))], &["cpts"]).await;
    let s3 = insert_id(tx, slot, &[cpts, nurse, ms(at(10, 17, 9, 0)), ms(at(10, 17, 9, 15))], &["sas"]).await;
    insert_id(tx, slot, &[cpts, gp2, ms(at(11, 2, 9, 0)), ms(at(11, 2, 9, 15))], &["sas"]).await;
    // Bookings: the SAS on s1 (patient absent), the coordination on s2 (honoured), the SAS on s3
    // cancelled then booked again.
    let booking = "insert into slot_booking (slot_id, cpts_id, source, status, patient_name, callback_phone, created_at) values ($1, $2, $3, $4, $5, $6, 0)";
    exec(tx, booking, &[s1, cpts], &["sas", "no_show", PATIENT, PHONE]).await;
    exec(tx, booking, &[s2, cpts], &["coordination", "honoured", PATIENT, PHONE]).await;
    exec(tx, booking, &[s3, cpts], &["sas", "cancelled", PATIENT, PHONE]).await;
    exec(tx, booking, &[s3, cpts], &["sas", "booked", PATIENT, PHONE]).await;

    // Dental referrals: 9 Oct answered in time, seen; 22 Oct answered late, patient absent;
    // 28 Oct not answered yet; 29 Sep (outside).
    let referral = "insert into dental_referral (cpts_id, referrer_id, dentist_id, status, patient_name, age_band, \
         callback_phone, commune, criteria, created_at, seen_from, due_at, answered_at, outcome) \
         values ($1, $2, $3, $7, $8, '16-64', $9, 'Rennes', '[]', $4, $4, $5, $6, nullif($10, '')) returning id";
    for (created, answered, status, outcome) in [
        (at(10, 9, 9, 0), Some(at(10, 9, 15, 0)), "closed", "seen"),
        (at(10, 22, 10, 0), Some(at(10, 23, 12, 0)), "closed", "no_show"),
        (at(10, 28, 10, 0), None, "waiting", ""),
        (at(9, 29, 10, 0), Some(at(9, 29, 11, 0)), "answered", ""),
    ] {
        let due = ms(created) + 86_400_000;
        sqlx::query_scalar::<_, i64>(referral)
            .bind(cpts)
            .bind(gp1)
            .bind(dentist)
            .bind(ms(created))
            .bind(due)
            .bind(answered.map(ms))
            .bind(status)
            .bind(PATIENT)
            .bind(PHONE)
            .bind(outcome)
            .fetch_one(&mut **tx)
            .await
            .unwrap();
    }
    // The pharmacist's teleconsultation (R5).
    exec(
        tx,
        "insert into teleconsultation (request_id, cpts_id, pharmacist_id, room, consent_at, created_at) values ($1, $2, $3, 'salle-test', $4, $4)",
        &[r5, cpts, pharma, ms(at(10, 13, 16, 0))],
        &[],
    )
    .await;
    (cpts, Members { gp1 })
}

fn cell<'a>(f: &'a Figures, status: &'a str) -> impl Iterator<Item = &'a RequestCell> {
    f.cells.iter().filter(move |c| c.status == status)
}

#[tokio::test]
async fn a_hand_made_october_is_counted_as_by_hand() {
    for db in backends().await {
        let (state, clock) = seeded(&db.url, 0).await;
        clock.set(at(10, 30, 12, 0));
        let demo = member(&state, "coordination").await;
        let mut tx = state.store.begin().await.unwrap();
        let (cpts, people) = history(&mut tx, demo.cpts_id, demo.id).await;
        tx.commit().await.unwrap();
        let f = ops::figures(&state.store, cpts, october(), clock.now_utc()).await.unwrap();

        // Demand: R1–R9 (R10, R11 and the demo's request are outside).
        use app::indicators::rules as r;
        assert_eq!(r::requests(&f.cells), 9, "{}", db.url);
        assert_eq!(
            r::by(&f.cells, |c| &c.source),
            vec![
                ("patient_call".into(), 4),
                ("sas".into(), 3),
                ("pharmacist".into(), 1),
                ("treating_doctor".into(), 1)
            ]
        );
        assert_eq!(
            r::by(&f.cells, |c| &c.motive),
            vec![("fever".into(), 4), ("pain".into(), 3), ("renewal".into(), 1), ("wound".into(), 1)]
        );
        assert_eq!(r::by(&f.cells, |c| &c.profession), vec![("gp".into(), 8), ("nurse".into(), 1)]);
        let mut communes = f.communes.clone();
        r::sort_counts(&mut communes);
        assert_eq!(communes, vec![("Rennes".into(), 6), ("Cesson-Sévigné".into(), 3)]);
        // Answer: consultations R1, R2, R4, R8, R9 (R3 was a no-show).
        assert_eq!(r::consultations(&f.cells), 5);
        assert_eq!(r::rate(5, 9), Some(55.6));
        assert_eq!(r::sas_with_appointment(&f.cells), 3, "R3 (absent), R4, R8");
        assert_eq!(cell(&f, "no_show").map(|c| c.n).sum::<i64>(), 1);
        assert_eq!(r::reoriented(&f.cells), vec![("pdsa".into(), 1)]);
        // Same Paris day: R1, R2, R3, R4, R8 (R6 crossed midnight, R9 took two days); 24 h adds R6;
        // 48 h adds nothing (R9 took 48 h 30).
        assert_eq!(r::answered(&f.cells), (5, 6, 6));
        // Minutes from first push to acceptance: 5, 12, 3, 30, 40, 2910 (R8 was never pushed).
        let mut minutes = f.first_accept.clone();
        minutes.sort();
        assert_eq!(minutes, vec![(3, 1), (5, 1), (12, 1), (30, 1), (40, 1), (2910, 1)]);
        assert_eq!(r::percentile(&f.first_accept, 50), Some(12), "rank 3 of 6");
        assert_eq!(r::percentile(&f.first_accept, 90), Some(2910), "rank 6 of 6");
        let mut refusals = f.refusals.clone();
        refusals.sort();
        assert_eq!(refusals, vec![("".into(), 1), ("no_slot".into(), 1), ("too_far".into(), 1)]);
        // Weeks from Monday 28 Sep: R1 | R2 R3 R4 | R5 | R7 R8 R6 | R9.
        let weeks: Vec<(i64, i64)> =
            r::weeks(october(), &f.days).iter().map(|w| (w.requests, w.consultations)).collect();
        assert_eq!(weeks, vec![(1, 1), (3, 2), (1, 0), (3, 1), (1, 1)]);

        // Participation: Alpha, Bravo (accepted), the nurse, the dentist (answered), the pharmacist
        // (teleconsultation); Delta only in November; Charlie inactive; the coordinator has no part.
        let mut p = f.participation.clone();
        p.sort();
        assert_eq!(
            p,
            vec![
                ("".into(), 1, 0),
                ("dentist".into(), 1, 1),
                ("gp".into(), 3, 2),
                ("nurse".into(), 1, 1),
                ("pharmacist".into(), 1, 1)
            ]
        );
        let v: Vec<(&str, i64, i64, i64)> =
            f.vacations.iter().map(|v| (v.name.as_str(), v.held, v.done, v.minutes_done)).collect();
        assert_eq!(v, vec![("Dr Alpha", 3, 2, 600), ("Dr Bravo", 2, 1, 240), ("Dr Charlie", 1, 1, 120)]);
        assert_eq!(
            (f.slots.openers, f.slots.slots, f.slots.sas_slots, f.slots.sas_gps),
            (2, 3, 2, 2),
            "opened: Alpha and the nurse; SAS GPs: Alpha (a SAS slot) and Bravo (regulation), not the nurse"
        );
        let mut b = f.bookings.clone();
        b.sort();
        assert_eq!(
            b,
            vec![
                ("coordination".into(), "honoured".into(), 1),
                ("sas".into(), "booked".into(), 1),
                ("sas".into(), "cancelled".into(), 1),
                ("sas".into(), "no_show".into(), 1)
            ]
        );
        let d = f.dental;
        assert_eq!((d.referrals, d.answered, d.answered_in_time, d.seen, d.no_show, d.reoriented), (3, 2, 1, 1, 1, 0));
        assert_eq!(f.teleconsult, vec![("reoriented".into(), 1)]);

        // In words: the answer table and the SAS's ACI line (3 requests + 2 SAS bookings).
        let coord_row = member(&state, "coordination").await;
        let mut me = coord_row.clone();
        me.cpts_id = cpts;
        let report = ops::report(&state, &me, october(), true).await.unwrap();
        let table = |id: &str| report.sections.iter().flat_map(|s| &s.tables).find(|t| t.id == id).unwrap().clone();
        let answer = table("reponse");
        assert_eq!(answer.rows[0], vec!["Demandes", "9", ""]);
        assert_eq!(answer.rows[1], vec!["Consultations (rendez-vous fixé ou fait)", "5", "55,6"]);
        assert_eq!(answer.rows[5][1], "12");
        assert_eq!(table("sas").rows[3][1], "5");
        assert_eq!(table("sas").rows[4][1], "2");
        assert_eq!(table("absences").rows.last().unwrap()[1], "3", "1 request, 1 SAS booking, 1 dental referral");
        assert_eq!(
            table("vacations").rows.last().unwrap(),
            &vec!["Total".to_string(), String::new(), "6".into(), "4".into(), "16,0".into()]
        );
        assert!(table("origines")
            .chart
            .as_deref()
            .is_some_and(|svg| svg.contains("<title id=\"chart-origines-title\">")));
        assert!(table("semaines").chart.is_some());
        assert_eq!(report.headline[2].1, "55,6 %");
        let dossier = ops::dossier(&report.sections, october());
        assert!(dossier.iter().any(|l| l[2] == "Demandes" && l[3] == "Valeur" && l[4] == "9"), "{dossier:?}");
        // No patient's identity anywhere.
        let all = format!("{report:?}{dossier:?}");
        assert!(!all.contains("Zoé") && !all.contains("98765432"), "patient data in the indicators");

        // Dr Alpha's own October: R1, R2, R8 answered; 2 vacations over (10 h).
        let mut alpha = coord_row;
        (alpha.id, alpha.cpts_id, alpha.role) = (people.gp1, cpts, Role::Clinician);
        let mine = ops::mine(&state, &alpha).await.unwrap();
        assert_eq!(
            (mine.month.as_str(), mine.answered, mine.vacations_done, mine.hours_done.as_str()),
            ("octobre 2026", 3, 2, "10,0")
        );
        // The coordination's figures are not a clinician's.
        assert!(matches!(ops::report(&state, &alpha, october(), false).await, Err(ops::IndicatorsError::Forbidden)));
        db.drop_db().await;
    }
}
