//! The demo CPTS's past: ten weeks of SNP requests already closed (from 70 days to 8 days before
//! the demo starts), with the offers that answered them, so that *Indicateurs* and a clinician's
//! own month have something to show on a fresh demo. Weekdays, 2 to 5 requests a day, answered
//! by the demo's GPs (or its nurse for wounds); drawn from a fixed seed: the same history on every
//! machine. Nothing of it is open, recent or on anybody's screen: the board, the offers and the
//! weekly caps see only the last days.

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sqlx::AnyConnection;

const MIN: i64 = 60_000;

/// One of `weighted`, as often as its weight says.
fn pick<'a>(rng: &mut StdRng, weighted: &[(&'a str, u32)]) -> &'a str {
    weighted.choose_weighted(rng, |w| w.1).map_or(weighted[0].0, |w| w.0)
}

/// Writes the history; `gps` and `nurse` are member ids, `communes` the CPTS's, `coordinator` who
/// took the calls.
pub async fn seed(
    tx: &mut AnyConnection,
    cpts_id: i64,
    coordinator: i64,
    gps: &[i64],
    nurse: i64,
    communes: &[(&str, f64, f64)],
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(35);
    let sources = [("patient_call", 55), ("sas", 20), ("treating_doctor", 10), ("pharmacist", 10), ("other", 5)];
    let motives = [
        ("fever", 30),
        ("pain", 20),
        ("minor_trauma", 10),
        ("urinary_infection", 12),
        ("renewal", 10),
        ("wound", 10),
        ("other", 8),
    ];
    let outcomes = [("done", 68), ("no_show", 5), ("reoriented", 17), ("cancelled", 10)];
    let destinations = [("pdsa", 4), ("sas", 3), ("other_cpts", 2), ("come_back_later", 2), ("samu_15", 1)];
    let reasons = ["no_slot", "too_far", "out_of_scope", "absent", ""];
    let mut written = 0;
    for days_ago in (8..=70).rev() {
        let day = now - Duration::days(days_ago);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let midnight = day.timestamp_millis() - day.timestamp_millis().rem_euclid(86_400_000);
        for _ in 0..rng.gen_range(2..=5) {
            // 7:00 to 18:00 UTC: 8:00 to 19:00 or 20:00 in Paris.
            let created = midnight + rng.gen_range(7 * 60..18 * 60) * MIN;
            let (motive, outcome) = (pick(&mut rng, &motives), pick(&mut rng, &outcomes));
            let (profession, pool) = if motive == "wound" { ("nurse", vec![nurse]) } else { ("gp", gps.to_vec()) };
            let (commune, lat, lon) = communes[rng.gen_range(0..communes.len())];
            let pushed = created + rng.gen_range(1..4) * MIN;
            // Most are taken within minutes, a few wait hours.
            let accepted = pushed + ((rng.gen::<f64>().powi(3) * 240.0) as i64 + 1) * MIN;
            let answered = matches!(outcome, "done" | "no_show");
            let winner = pool[rng.gen_range(0..pool.len())];
            let reoriented = (outcome == "reoriented").then(|| pick(&mut rng, &destinations));
            let closed = if answered { accepted + 3 * 60 * MIN } else { pushed + 45 * MIN };
            let id: i64 = sqlx::query_scalar(
                "insert into snp_request (cpts_id, created_by, created_at, motive, profession, patient_name, age_band, \
                 callback_phone, commune, lat, lon, teleconsult_ok, deadline, deadline_at, source, status, pushed_at, \
                 accepted_by, accepted_at, appointment_at, appointment_mode, reoriented_to, closed_at) \
                 values ($1, $2, $3, $4, $5, 'Patient démo', '16-64', '+33600000000', $6, $7, $8, 1, 'today', $9, $10, $11, \
                 $12, $13, $14, $15, $16, $17, $18) returning id",
            )
            .bind(cpts_id)
            .bind(coordinator)
            .bind(created)
            .bind(motive)
            .bind(profession)
            .bind(commune)
            .bind(lat)
            .bind(lon)
            .bind(created + 10 * 60 * MIN)
            .bind(pick(&mut rng, &sources))
            .bind(outcome)
            .bind((outcome != "cancelled").then_some(pushed))
            .bind(answered.then_some(winner))
            .bind(answered.then_some(accepted))
            .bind(answered.then_some(accepted + 60 * MIN))
            .bind(answered.then_some("office"))
            .bind(reoriented)
            .bind(closed)
            .fetch_one(&mut *tx)
            .await?;
            if outcome != "cancelled" {
                for &member in &pool {
                    let (state, reason, at) = if answered && member == winner {
                        ("accepted", None, Some(accepted))
                    } else if rng.gen_range(0..3) == 0 {
                        (
                            "refused",
                            Some(reasons[rng.gen_range(0..reasons.len())]).filter(|r| !r.is_empty()),
                            Some(pushed + rng.gen_range(2..30) * MIN),
                        )
                    } else {
                        (if answered { "withdrawn" } else { "expired" }, None, None)
                    };
                    sqlx::query(
                        "insert into offer (request_id, member_id, wave, state, refusal_reason, sent_at, answered_at, cpts_id) \
                         values ($1, $2, 1, $3, $4, $5, $6, $7)",
                    )
                    .bind(id)
                    .bind(member)
                    .bind(state)
                    .bind(reason)
                    .bind(pushed)
                    .bind(at)
                    .bind(cpts_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            written += 1;
        }
    }
    Ok(written)
}
