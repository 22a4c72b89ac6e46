//! [ssr] The indicators' operations: read a period's figures with the store's queries, in three
//! groups at once (`figures`), then put them in words and charts (`present`, `charts`). Nothing
//! here writes: the indicators change nothing and need no audit line.

mod charts;
mod present;

use chrono::{DateTime, Datelike, Utc};

use super::dto::{MyMonth, Report, Table};
use super::rules::{decimal, hours, MemberVacations, Period, PeriodError, Preset, RequestCell};
use super::store::{self, DentalCounts, SlotCounts, Span};
use crate::domain::{Field, FieldErrors, FieldProblem};
use crate::members::MemberRow;
use crate::platform::db::{ms, Store, StoreError};
use crate::platform::AppState;

pub use present::dossier;

#[derive(Debug, thiserror::Error)]
pub enum IndicatorsError {
    #[error("forbidden")]
    Forbidden,
    #[error("invalid period")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

crate::store_error_from_sqlx!(IndicatorsError);

impl From<PeriodError> for IndicatorsError {
    fn from(e: PeriodError) -> Self {
        let problem = match e {
            PeriodError::NotADate { end: false } => (Field::From, FieldProblem::InvalidDate),
            PeriodError::NotADate { end: true } => (Field::To, FieldProblem::InvalidDate),
            PeriodError::Reversed => (Field::To, FieldProblem::InvalidTimeRange),
            PeriodError::TooLong => (Field::To, FieldProblem::OutOfRange),
        };
        IndicatorsError::Invalid(FieldErrors(vec![problem]))
    }
}

/// Everything counted over a CPTS and a period: each field is one query of `store` (its comment
/// says what it counts); `rules` and `present` add them up.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub cells: Vec<RequestCell>,
    pub communes: Vec<(String, i64)>,
    pub first_accept: Vec<(i64, i64)>,
    pub days: Vec<(i64, i64, i64)>,
    pub refusals: Vec<(String, i64)>,
    pub participation: Vec<(String, i64, i64)>,
    pub vacations: Vec<MemberVacations>,
    pub slots: SlotCounts,
    pub bookings: Vec<(String, String, i64)>,
    pub dental: DentalCounts,
    pub teleconsult: Vec<(String, i64)>,
}

/// Reads a CPTS's figures for a period: three groups of queries, each on its own connection, at
/// the same time (they only read; on PostgreSQL and on SQLite's WAL readers they run side by side).
pub async fn figures(
    store: &Store,
    cpts_id: i64,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Figures, IndicatorsError> {
    let (from, to) = period.instants();
    let span = Span { cpts_id, from: ms(from), to: ms(to) };
    let requests = async {
        let mut conn = store.reader().await?;
        let cells = store::request_cells(&mut conn, span).await?;
        let communes = store::requests_by_commune(&mut conn, span).await?;
        Ok::<_, IndicatorsError>((cells, communes))
    };
    let answers = async {
        let mut conn = store.reader().await?;
        let first_accept = store::first_accept_minutes(&mut conn, span).await?;
        let days = store::requests_by_day(&mut conn, span).await?;
        Ok::<_, IndicatorsError>((first_accept, days))
    };
    let others = async {
        let mut conn = store.reader().await?;
        let refusals = store::refusals(&mut conn, span).await?;
        let participation = store::participation(&mut conn, span).await?;
        let vacations = store::vacations_by_member(&mut conn, span, ms(now)).await?;
        let slots = store::slot_counts(&mut conn, span).await?;
        let bookings = store::slot_bookings(&mut conn, span).await?;
        let dental = store::dental_counts(&mut conn, span).await?;
        let teleconsult = store::teleconsultations(&mut conn, span).await?;
        Ok::<_, IndicatorsError>((refusals, participation, vacations, slots, bookings, dental, teleconsult))
    };
    let (
        (cells, communes),
        (first_accept, days),
        (refusals, participation, vacations, slots, bookings, dental, teleconsult),
    ) = tokio::try_join!(requests, answers, others)?;
    Ok(Figures {
        cells,
        communes,
        first_accept,
        days,
        refusals,
        participation,
        vacations,
        slots,
        bookings,
        dental,
        teleconsult,
    })
}

/// Reads `du` and `au` (Paris dates; empty: this month) on the caller's clock.
pub fn period(state: &AppState, du: &str, au: &str) -> Result<Period, IndicatorsError> {
    Ok(Period::parse(du, au, crate::domain::hours::paris_date(state.now()))?)
}

/// The *Indicateurs* page of the caller's CPTS (coordination and admins only): every table,
/// with its chart when `charts`.
pub async fn report(state: &AppState, me: &MemberRow, period: Period, charts: bool) -> Result<Report, IndicatorsError> {
    if !crate::platform::access::is_staff(me.role) {
        return Err(IndicatorsError::Forbidden);
    }
    let now = state.now();
    let f = figures(&state.store, me.cpts_id, period, now).await?;
    let today = crate::domain::hours::paris_date(now);
    let mut sections = present::sections(&f, period);
    if charts {
        for table in sections.iter_mut().flat_map(|s| s.tables.iter_mut()) {
            table.chart = charts::draw(table);
        }
    }
    Ok(Report {
        period,
        label: present::period_label(period),
        preset: period.preset(today),
        presets: Preset::ALL.iter().map(|p| (*p, p.period(today))).collect(),
        headline: present::headline(&f),
        sections,
    })
}

/// One table of the report, for its CSV export; `None` when no table has this name.
pub async fn table(
    state: &AppState,
    me: &MemberRow,
    period: Period,
    id: &str,
) -> Result<Option<Table>, IndicatorsError> {
    let report = report(state, me, period, false).await?;
    Ok(report.sections.into_iter().flat_map(|s| s.tables).find(|t| t.id == id))
}

/// A clinician's own figures for the current month (Paris).
pub async fn mine(state: &AppState, me: &MemberRow) -> Result<MyMonth, IndicatorsError> {
    let now = state.now();
    let today = crate::domain::hours::paris_date(now);
    let month = Preset::ThisMonth.period(today);
    let (from, to) = month.instants();
    let mut conn = state.store.reader().await?;
    let span = Span { cpts_id: me.cpts_id, from: ms(from), to: ms(to) };
    let (answered, vacations_done, minutes) = store::my_figures(&mut conn, me.id, span, ms(now)).await?;
    Ok(MyMonth {
        month: present::month_name(today.month(), today.year()),
        answered,
        vacations_done,
        hours_done: decimal(hours(minutes)),
    })
}
