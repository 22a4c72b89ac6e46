//! Who is asked: the panel of a wave.
//!
//! Wave 0 asks the patient's treating doctor alone, when they are a member. Each wider wave asks
//! the members of the right profession who are on duty or have said they are available now, are
//! under their weekly cap, within the wave's radius of the patient's commune, and have not been
//! asked yet; from `neighbours_from_wave` on, neighbouring professions join where the motive
//! allows it.
//!
//! A request that must be seen by teleconsultation (a pharmacy's patient at the counter) is
//! offered only to members who teleconsult, and counts as availability only a vacation that
//! allows teleconsultation or "available now"; a wave whose radius is [`WHOLE_CPTS`] asks
//! every such member of the CPTS, wherever they practise.

use serde::{Deserialize, Serialize};

use super::lifecycle::WavePolicy;
use crate::domain::geo::GeoPoint;
use crate::domain::{Motive, Profession};

/// A member as the panel sees them at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub member_id: i64,
    pub profession: Profession,
    pub location: Option<GeoPoint>,
    /// Holds a duty vacation now.
    pub on_duty: bool,
    /// Has said "available now".
    pub volunteering: bool,
    /// Requests accepted this week (Monday to Sunday, Paris time).
    pub accepted_this_week: u32,
    pub weekly_cap: u32,
    /// Already offered this request (in any state, refusal included).
    pub already_asked: bool,
    /// Teleconsults (a member setting).
    pub teleconsults: bool,
    /// Holds now a vacation that allows teleconsultation.
    pub on_remote_duty: bool,
}

/// The radius of a wave that asks the whole CPTS, whatever the distance (or a missing address).
pub const WHOLE_CPTS: f64 = f64::MAX;

/// What the panel is computed for.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelQuery {
    pub motive: Motive,
    pub profession: Profession,
    pub location: GeoPoint,
    pub treating_member_id: Option<i64>,
    /// The patient must be seen by teleconsultation.
    pub teleconsultation: bool,
}

/// Why a member is left out of a wave.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    AlreadyAsked,
    WrongProfession,
    NotAvailable,
    CapReached,
    TooFar,
    NoAddress,
    NotTreatingDoctor,
    NoTeleconsultation,
}

/// One member offered the request in a wave.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelEntry {
    pub member_id: i64,
    pub distance_km: Option<f64>,
}

/// Decides whether one candidate is offered the request in `wave`.
///
/// # Errors
/// The first reason that excludes them.
pub fn eligibility(query: &PanelQuery, c: &Candidate, wave: u8, policy: &WavePolicy) -> Result<PanelEntry, Exclusion> {
    if c.already_asked {
        return Err(Exclusion::AlreadyAsked);
    }
    let distance_km = c.location.map(|l| l.distance_km(query.location));
    if c.accepted_this_week >= c.weekly_cap {
        return Err(Exclusion::CapReached);
    }
    if wave == 0 {
        // The patient's own doctor is asked whatever their duty and distance.
        return if query.treating_member_id == Some(c.member_id) {
            Ok(PanelEntry { member_id: c.member_id, distance_km })
        } else {
            Err(Exclusion::NotTreatingDoctor)
        };
    }
    let neighbours =
        if wave >= policy.neighbours_from_wave { query.motive.neighbour_professions(query.profession) } else { &[] };
    if c.profession != query.profession && !neighbours.contains(&c.profession) {
        return Err(Exclusion::WrongProfession);
    }
    if query.teleconsultation && !c.teleconsults {
        return Err(Exclusion::NoTeleconsultation);
    }
    let on_duty = if query.teleconsultation { c.on_remote_duty } else { c.on_duty };
    if !(on_duty || c.volunteering) {
        return Err(Exclusion::NotAvailable);
    }
    let radius = policy.radius_km(wave);
    match distance_km {
        _ if radius >= WHOLE_CPTS => Ok(PanelEntry { member_id: c.member_id, distance_km }),
        None => Err(Exclusion::NoAddress),
        Some(d) if d > radius => Err(Exclusion::TooFar),
        Some(_) => Ok(PanelEntry { member_id: c.member_id, distance_km }),
    }
}

/// The members offered the request in `wave`, nearest first.
pub fn select_panel(query: &PanelQuery, candidates: &[Candidate], wave: u8, policy: &WavePolicy) -> Vec<PanelEntry> {
    let mut panel: Vec<PanelEntry> =
        candidates.iter().filter_map(|c| eligibility(query, c, wave, policy).ok()).collect();
    panel.sort_by(|a, b| {
        a.distance_km
            .unwrap_or(f64::MAX)
            .total_cmp(&b.distance_km.unwrap_or(f64::MAX))
            .then(a.member_id.cmp(&b.member_id))
    });
    panel
}

/// The first wave worth pushing: 0 when the treating doctor can be asked, else 1.
pub fn first_wave(query: &PanelQuery, candidates: &[Candidate], policy: &WavePolicy) -> u8 {
    if query.treating_member_id.is_some() && !select_panel(query, candidates, 0, policy).is_empty() {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RENNES: GeoPoint = GeoPoint { lat: 48.1173, lon: -1.6778 };

    fn gp(id: i64, km_north: f64) -> Candidate {
        Candidate {
            member_id: id,
            profession: Profession::Gp,
            // one degree of latitude is about 111.2 km
            location: Some(GeoPoint::new(RENNES.lat + km_north / 111.2, RENNES.lon)),
            on_duty: true,
            volunteering: false,
            accepted_this_week: 0,
            weekly_cap: 10,
            already_asked: false,
            teleconsults: false,
            on_remote_duty: false,
        }
    }

    fn query() -> PanelQuery {
        PanelQuery {
            motive: Motive::Fever,
            profession: Profession::Gp,
            location: RENNES,
            treating_member_id: None,
            teleconsultation: false,
        }
    }

    #[test]
    fn nearest_members_come_first() {
        let panel = select_panel(&query(), &[gp(1, 8.0), gp(2, 2.0)], 1, &WavePolicy::default());
        assert_eq!(panel.iter().map(|e| e.member_id).collect::<Vec<_>>(), vec![2, 1]);
    }

    #[test]
    fn a_member_beyond_the_radius_waits_for_the_wider_wave() {
        let far = gp(1, 15.0);
        let p = WavePolicy::default();
        assert_eq!(eligibility(&query(), &far, 1, &p), Err(Exclusion::TooFar));
        assert!(eligibility(&query(), &far, 2, &p).is_ok());
    }

    #[test]
    fn a_member_at_their_cap_is_not_asked() {
        let c = Candidate { accepted_this_week: 10, ..gp(1, 1.0) };
        assert_eq!(eligibility(&query(), &c, 1, &WavePolicy::default()), Err(Exclusion::CapReached));
    }

    #[test]
    fn an_off_duty_member_is_asked_only_when_volunteering() {
        let off = Candidate { on_duty: false, ..gp(1, 1.0) };
        assert_eq!(eligibility(&query(), &off, 1, &WavePolicy::default()), Err(Exclusion::NotAvailable));
        let volunteer = Candidate { volunteering: true, ..off };
        assert!(eligibility(&query(), &volunteer, 1, &WavePolicy::default()).is_ok());
    }

    #[test]
    fn the_treating_doctor_alone_gets_the_first_wave_even_off_duty() {
        let q = PanelQuery { treating_member_id: Some(2), ..query() };
        let cands = [gp(1, 1.0), Candidate { on_duty: false, ..gp(2, 30.0) }];
        let p = WavePolicy::default();
        assert_eq!(first_wave(&q, &cands, &p), 0);
        let panel = select_panel(&q, &cands, 0, &p);
        assert_eq!(panel.len(), 1);
        assert_eq!(panel[0].member_id, 2);
    }

    #[test]
    fn a_nurse_joins_the_wider_wave_for_a_wound() {
        let q = PanelQuery { motive: Motive::Wound, ..query() };
        let nurse = Candidate { profession: Profession::Nurse, ..gp(5, 1.0) };
        let p = WavePolicy::default();
        assert_eq!(eligibility(&q, &nurse, 1, &p), Err(Exclusion::WrongProfession));
        assert!(eligibility(&q, &nurse, 2, &p).is_ok());
        let fever = PanelQuery { motive: Motive::Fever, ..query() };
        assert_eq!(eligibility(&fever, &nurse, 2, &p), Err(Exclusion::WrongProfession));
    }

    #[test]
    fn a_teleconsultation_goes_only_to_members_who_teleconsult() {
        let q = PanelQuery { teleconsultation: true, ..query() };
        let p = WavePolicy::default();
        let office_only = Candidate { volunteering: true, ..gp(1, 1.0) };
        assert_eq!(eligibility(&q, &office_only, 1, &p), Err(Exclusion::NoTeleconsultation));
        let remote = Candidate { teleconsults: true, volunteering: true, ..gp(1, 1.0) };
        assert!(eligibility(&q, &remote, 1, &p).is_ok());
    }

    #[test]
    fn an_office_vacation_does_not_make_a_doctor_available_for_teleconsultation() {
        let q = PanelQuery { teleconsultation: true, ..query() };
        let p = WavePolicy::default();
        let at_the_office = Candidate { teleconsults: true, on_duty: true, ..gp(1, 1.0) };
        assert_eq!(eligibility(&q, &at_the_office, 1, &p), Err(Exclusion::NotAvailable));
        let on_remote_duty = Candidate { on_remote_duty: true, ..at_the_office };
        assert!(eligibility(&q, &on_remote_duty, 1, &p).is_ok());
    }

    #[test]
    fn a_whole_cpts_wave_asks_far_members_and_members_without_an_address() {
        let q = PanelQuery { teleconsultation: true, ..query() };
        let p = WavePolicy { radii_km: vec![10.0, WHOLE_CPTS], ..WavePolicy::default() };
        let far = Candidate { teleconsults: true, volunteering: true, ..gp(1, 60.0) };
        let nowhere = Candidate { location: None, ..far.clone() };
        assert_eq!(eligibility(&q, &far, 1, &p), Err(Exclusion::TooFar));
        assert_eq!(eligibility(&q, &nowhere, 1, &p), Err(Exclusion::NoAddress));
        assert!(eligibility(&q, &far, 2, &p).is_ok());
        assert!(eligibility(&q, &nowhere, 2, &p).is_ok());
    }

    fn any_candidate() -> impl Strategy<Value = Candidate> {
        (
            1..50i64,
            proptest::sample::select(Profession::ALL.to_vec()),
            proptest::option::of((-1.0..1.0f64, -1.0..1.0f64)),
            any::<bool>(),
            any::<bool>(),
            0..15u32,
            0..15u32,
            any::<bool>(),
            (any::<bool>(), any::<bool>()),
        )
            .prop_map(|(id, profession, loc, on_duty, volunteering, accepted, cap, asked, (tele, remote))| {
                Candidate {
                    member_id: id,
                    profession,
                    location: loc.map(|(dlat, dlon)| GeoPoint::new(RENNES.lat + dlat, RENNES.lon + dlon)),
                    on_duty,
                    volunteering,
                    accepted_this_week: accepted,
                    weekly_cap: cap,
                    already_asked: asked,
                    teleconsults: tele,
                    on_remote_duty: remote,
                }
            })
    }

    proptest! {
        /// Nobody ineligible is ever offered a request, whatever the wave.
        #[test]
        fn the_panel_never_offers_to_an_ineligible_member(
            cands in proptest::collection::vec(any_candidate(), 0..30),
            motive in proptest::sample::select(Motive::ALL.to_vec()),
            profession in proptest::sample::select(Profession::ALL.to_vec()),
            treating in proptest::option::of(1..50i64),
            wave in 0..3u8,
            teleconsultation in any::<bool>(),
        ) {
            let q = PanelQuery { motive, profession, location: RENNES, treating_member_id: treating, teleconsultation };
            let p = WavePolicy::default();
            for entry in select_panel(&q, &cands, wave, &p) {
                let c = cands.iter().find(|c| c.member_id == entry.member_id && eligibility(&q, c, wave, &p).is_ok());
                let c = c.expect("panel entry is an eligible candidate");
                prop_assert!(!c.already_asked);
                prop_assert!(c.accepted_this_week < c.weekly_cap);
                if wave == 0 {
                    prop_assert_eq!(Some(c.member_id), treating);
                } else {
                    if teleconsultation {
                        // Only members who teleconsult, on a teleconsultation duty or available now.
                        prop_assert!(c.teleconsults);
                        prop_assert!(c.on_remote_duty || c.volunteering);
                    } else {
                        prop_assert!(c.on_duty || c.volunteering);
                    }
                    let d = c.location.map(|l| l.distance_km(RENNES)).expect("located");
                    prop_assert!(d <= p.radius_km(wave));
                    prop_assert!(c.profession == profession || motive.neighbour_professions(profession).contains(&c.profession));
                }
            }
        }
    }
}
