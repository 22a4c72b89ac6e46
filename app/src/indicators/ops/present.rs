//! [ssr] The figures in words: the tables of the page and of the CSV exports (French headers,
//! numbers as a French reader writes them), the headline, the *Dossier ACI*.

use super::Figures;
use crate::dispatch::rules::RequestStatus;
use crate::domain::{Motive, Profession, RefusalReason, Reorientation, Source};
use crate::i18n::t;
use crate::indicators::dto::{Section, Table};
use crate::indicators::rules::{
    answered, by, consultations, count, decimal, hours, is_consultation, percent, percentile, rate, reoriented,
    requests, sas_with_appointment, sort_counts, weeks, Period,
};

/// "du 01/11/2026 au 30/11/2026".
pub fn period_label(p: Period) -> String {
    t::du_au(&p.from.format("%d/%m/%Y").to_string(), &p.to.format("%d/%m/%Y").to_string())
}

/// "novembre 2026".
pub fn month_name(month: u32, year: i32) -> String {
    format!("{} {year}", t::MOIS().get(month as usize - 1).copied().unwrap_or_default())
}

fn n(v: i64) -> String {
    v.to_string()
}

/// A rate in per cent, or "–" when there is nothing to divide by.
fn pct(part: i64, whole: i64) -> String {
    rate(part, whole).map_or_else(|| "–".to_string(), decimal)
}

fn minutes(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_string(), |m| m.to_string())
}

fn label<T: Copy>(code: &str, parse: fn(&str) -> Option<T>, word: fn(T) -> &'static str) -> String {
    match code {
        "" => t::NON_PRECISE().to_string(),
        c => parse(c).map_or_else(|| c.to_string(), |v| word(v).to_string()),
    }
}

fn profession(code: &str) -> String {
    match code {
        "" => t::SANS_PROFESSION().to_string(),
        c => label(c, Profession::parse, t::profession),
    }
}

fn table(id: &str, title: &str, note: &str, columns: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        id: id.into(),
        title: title.into(),
        note: note.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        chart: None,
    }
}

/// A two-column breakdown with its total.
fn breakdown(groups: &[(String, i64)], name: impl Fn(&str) -> String) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = groups.iter().map(|(k, v)| vec![name(k), n(*v)]).collect();
    rows.push(vec![t::TOTAL().into(), n(groups.iter().map(|(_, v)| v).sum())]);
    rows
}

/// The figures shown above everything.
pub fn headline(f: &Figures) -> Vec<(String, String)> {
    let (r, c) = (requests(&f.cells), consultations(&f.cells));
    vec![
        (t::DEMANDES().into(), n(r)),
        (t::CONSULTATIONS().into(), n(c)),
        (t::TAUX_DE_REPONSE().into(), rate(c, r).map_or_else(|| "–".into(), percent)),
        (t::DELAI_MEDIAN().into(), percentile(&f.first_accept, 50).map_or_else(|| "–".into(), t::minutes_court)),
    ]
}

/// Every table, by section: participation, demand, answer, trend.
pub fn sections(f: &Figures, period: Period) -> Vec<Section> {
    vec![
        Section { title: t::PARTICIPATION().into(), tables: participation(f) },
        Section { title: t::DEMANDE().into(), tables: demand(f) },
        Section { title: t::REPONSE().into(), tables: answer(f) },
        Section { title: t::TENDANCE().into(), tables: vec![trend(f, period)] },
    ]
}

fn participation(f: &Figures) -> Vec<Table> {
    let mut groups = f.participation.clone();
    groups.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then_with(|| a.0.cmp(&b.0)));
    let mut rows: Vec<Vec<String>> = groups.iter().map(|(p, m, part)| vec![profession(p), n(*m), n(*part)]).collect();
    rows.push(vec![t::TOTAL().into(), n(groups.iter().map(|g| g.1).sum()), n(groups.iter().map(|g| g.2).sum())]);
    let members = table(
        "participants",
        t::T_PARTICIPANTS(),
        t::N_PARTICIPANTS(),
        &[t::PROFESSION(), t::ADHERENTS(), t::PARTICIPANTS()],
        rows,
    );
    let mut rows: Vec<Vec<String>> = f
        .vacations
        .iter()
        .map(|v| vec![v.name.clone(), profession(&v.profession), n(v.held), n(v.done), decimal(hours(v.minutes_done))])
        .collect();
    let sum = |g: fn(&crate::indicators::rules::MemberVacations) -> i64| f.vacations.iter().map(g).sum::<i64>();
    rows.push(vec![
        t::TOTAL().into(),
        String::new(),
        n(sum(|v| v.held)),
        n(sum(|v| v.done)),
        decimal(hours(sum(|v| v.minutes_done))),
    ]);
    let vacations = table(
        "vacations",
        t::T_VACATIONS(),
        t::N_VACATIONS(),
        &[t::MEMBRE(), t::PROFESSION(), t::VACATIONS_TENUES(), t::VACATIONS_FAITES(), t::HEURES_FAITES()],
        rows,
    );
    let s = f.slots;
    let slots = table(
        "creneaux",
        t::T_CRENEAUX(),
        t::N_CRENEAUX(),
        &[t::INDICATEUR(), t::VALEUR()],
        vec![
            vec![t::PROS_AYANT_OUVERT().into(), n(s.openers)],
            vec![t::CRENEAUX_OUVERTS().into(), n(s.slots)],
            vec![t::DONT_OUVERTS_SAS().into(), n(s.sas_slots)],
            vec![t::MEDECINS_SAS().into(), n(s.sas_gps)],
        ],
    );
    vec![members, vacations, slots]
}

fn demand(f: &Figures) -> Vec<Table> {
    let sources: Vec<Vec<String>> = {
        let mut rows: Vec<Vec<String>> = by(&f.cells, |c| &c.source)
            .into_iter()
            .map(|(s, r)| {
                let c = count(&f.cells, |x| x.source == s && is_consultation(&x.status));
                vec![label(&s, Source::parse, t::source), n(r), n(c), pct(c, r)]
            })
            .collect();
        let (r, c) = (requests(&f.cells), consultations(&f.cells));
        rows.push(vec![t::TOTAL().into(), n(r), n(c), pct(c, r)]);
        rows
    };
    let mut communes = f.communes.clone();
    sort_counts(&mut communes);
    let d = f.dental;
    let tc = |keep: fn(&str) -> bool| f.teleconsult.iter().filter(|(s, _)| keep(s)).map(|(_, v)| v).sum::<i64>();
    let tc_all = tc(|_| true);
    let mut tc_rows = vec![
        vec![t::TELECONSULTATIONS_DEMANDEES().into(), n(tc_all), String::new()],
        vec![t::CONSULTATIONS().into(), n(tc(is_consultation)), pct(tc(is_consultation), tc_all)],
    ];
    let mut states: Vec<(String, i64)> = f.teleconsult.iter().filter(|(s, _)| !is_consultation(s)).cloned().collect();
    sort_counts(&mut states);
    tc_rows.extend(states.iter().map(|(s, v)| vec![label(s, RequestStatus::parse, t::status), n(*v), pct(*v, tc_all)]));
    vec![
        table(
            "origines",
            t::T_ORIGINES(),
            t::N_DEMANDES(),
            &[t::ORIGINE(), t::DEMANDES(), t::CONSULTATIONS(), t::TAUX_PCT()],
            sources,
        ),
        table(
            "motifs",
            t::T_MOTIFS(),
            t::N_DEMANDES(),
            &[t::MOTIF(), t::DEMANDES()],
            breakdown(&by(&f.cells, |c| &c.motive), |m| label(m, Motive::parse, t::motive)),
        ),
        table(
            "professions",
            t::T_PROFESSIONS(),
            t::N_DEMANDES(),
            &[t::PROFESSION_DEMANDEE(), t::DEMANDES()],
            breakdown(&by(&f.cells, |c| &c.profession), profession),
        ),
        table(
            "communes",
            t::T_COMMUNES(),
            t::N_DEMANDES(),
            &[t::COMMUNE(), t::DEMANDES()],
            breakdown(&communes, str::to_string),
        ),
        table(
            "dentaire",
            t::T_DENTAIRE(),
            t::N_DENTAIRE(),
            &[t::INDICATEUR(), t::VALEUR(), t::PART_PCT()],
            vec![
                vec![t::ADRESSEES().into(), n(d.referrals), String::new()],
                vec![t::REPONDUES().into(), n(d.answered), pct(d.answered, d.referrals)],
                vec![t::REPONDUES_24H().into(), n(d.answered_in_time), pct(d.answered_in_time, d.referrals)],
                vec![t::PATIENTS_VUS().into(), n(d.seen), pct(d.seen, d.referrals)],
                vec![t::PATIENTS_ABSENTS().into(), n(d.no_show), pct(d.no_show, d.referrals)],
                vec![t::REORIENTEES().into(), n(d.reoriented), pct(d.reoriented, d.referrals)],
            ],
        ),
        table(
            "teleconsultations",
            t::T_TELECONSULTATIONS(),
            t::N_TELECONSULTATIONS(),
            &[t::INDICATEUR(), t::VALEUR(), t::PART_PCT()],
            tc_rows,
        ),
    ]
}

fn bookings(f: &Figures, source: &str, keep: fn(&str) -> bool) -> i64 {
    f.bookings.iter().filter(|(s, st, _)| s == source && keep(st)).map(|(_, _, v)| v).sum()
}

fn answer(f: &Figures) -> Vec<Table> {
    let (r, c) = (requests(&f.cells), consultations(&f.cells));
    let (same_day, h24, h48) = answered(&f.cells);
    let no_show = count(&f.cells, |x| x.status == RequestStatus::NoShow.code());
    let cancelled = count(&f.cells, |x| x.status == RequestStatus::Cancelled.code());
    let main = table(
        "reponse",
        t::T_REPONSE(),
        t::N_REPONSE(),
        &[t::INDICATEUR(), t::VALEUR(), t::PART_PCT()],
        vec![
            vec![t::DEMANDES().into(), n(r), String::new()],
            vec![t::CONSULTATIONS_FAITES_OU_FIXEES().into(), n(c), pct(c, r)],
            vec![t::REPONDUES_JOUR().into(), n(same_day), pct(same_day, r)],
            vec![t::REPONDUES_EN_24H().into(), n(h24), pct(h24, r)],
            vec![t::REPONDUES_EN_48H().into(), n(h48), pct(h48, r)],
            vec![t::DELAI_MEDIAN_MIN().into(), minutes(percentile(&f.first_accept, 50)), String::new()],
            vec![t::DELAI_P90_MIN().into(), minutes(percentile(&f.first_accept, 90)), String::new()],
            vec![t::PATIENTS_ABSENTS().into(), n(no_show), pct(no_show, r)],
            vec![t::ANNULEES().into(), n(cancelled), pct(cancelled, r)],
        ],
    );
    let reoriented = table(
        "reorientations",
        t::T_REORIENTATIONS(),
        t::N_REORIENTATIONS(),
        &[t::ORIENTATION(), t::DEMANDES()],
        breakdown(&reoriented(&f.cells), |o| label(o, Reorientation::parse, t::reorientation)),
    );
    let mut refusals = f.refusals.clone();
    sort_counts(&mut refusals);
    let refusals = table(
        "refus",
        t::T_REFUS(),
        t::N_REFUS(),
        &[t::MOTIF(), t::REFUS()],
        breakdown(&refusals, |o| label(o, RefusalReason::parse, t::refusal_reason)),
    );
    let sas_requests = count(&f.cells, |x| x.source == Source::Sas.code());
    let sas_appointments = sas_with_appointment(&f.cells);
    let sas_direct = bookings(f, "sas", |s| s != "cancelled");
    let sas = table(
        "sas",
        t::T_SAS(),
        t::N_SAS(),
        &[t::INDICATEUR(), t::VALEUR()],
        vec![
            vec![t::SAS_DEMANDES().into(), n(sas_requests)],
            vec![t::SAS_DEMANDES_RDV().into(), n(sas_appointments)],
            vec![t::SAS_CRENEAUX_RESERVES().into(), n(sas_direct)],
            vec![t::SAS_ACI().into(), n(sas_appointments + sas_direct)],
            vec![t::MEDECINS_SAS().into(), n(f.slots.sas_gps)],
        ],
    );
    let absents = table(
        "absences",
        t::T_ABSENCES(),
        t::N_ABSENCES(),
        &[t::ORIGINE(), t::PATIENTS_ABSENTS()],
        vec![
            vec![t::DEMANDES_SNP().into(), n(no_show)],
            vec![t::RDV_SAS().into(), n(bookings(f, "sas", |s| s == "no_show"))],
            vec![t::URGENCES_DENTAIRES().into(), n(f.dental.no_show)],
            vec![t::TOTAL().into(), n(no_show + bookings(f, "sas", |s| s == "no_show") + f.dental.no_show)],
        ],
    );
    vec![main, reoriented, refusals, sas, absents]
}

fn trend(f: &Figures, period: Period) -> Table {
    let rows = weeks(period, &f.days)
        .iter()
        .map(|w| {
            vec![
                w.monday.format("%d/%m/%Y").to_string(),
                n(w.requests),
                n(w.consultations),
                w.rate().map_or_else(|| "–".into(), decimal),
            ]
        })
        .collect();
    table(
        "semaines",
        t::T_SEMAINES(),
        t::N_SEMAINES(),
        &[t::SEMAINE_DU(), t::DEMANDES(), t::CONSULTATIONS(), t::TAUX_PCT()],
        rows,
    )
}

/// The *Dossier ACI*: every figure of every table, one per line (section, table, row, measure,
/// value), so that a spreadsheet filters and pivots them; the period on each line.
pub fn dossier(sections: &[Section], period: Period) -> Vec<Vec<String>> {
    let (from, to) = (period.from.format("%d/%m/%Y").to_string(), period.to.format("%d/%m/%Y").to_string());
    let mut lines = vec![[t::RUBRIQUE(), t::TABLEAU(), t::LIGNE(), t::MESURE(), t::VALEUR(), t::DU(), t::AU()]
        .map(String::from)
        .to_vec()];
    for s in sections {
        for table in &s.tables {
            for row in &table.rows {
                let name = row.first().cloned().unwrap_or_default();
                for (column, value) in table.columns.iter().zip(row.iter()).skip(1) {
                    if !value.is_empty() {
                        lines.push(vec![
                            s.title.clone(),
                            table.title.clone(),
                            name.clone(),
                            column.clone(),
                            value.clone(),
                            from.clone(),
                            to.clone(),
                        ]);
                    }
                }
            }
        }
    }
    lines
}
