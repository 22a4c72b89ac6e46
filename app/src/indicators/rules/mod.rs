//! The definitions of the indicators, pure: the period asked (Paris dates), the Paris day of an
//! instant, percentiles, rates, the weeks of the trend, and what is counted as a request, a
//! consultation, an answer — each written once, here or as one commented query in `store`.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

use crate::dispatch::rules::RequestStatus;

#[cfg(test)]
mod tests;

/// The longest period a page or an export covers: three years.
pub const MAX_DAYS: i64 = 3 * 366;

const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A period of whole Paris days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodError {
    /// A date that is not `AAAA-MM-JJ`: the start's, or the end's (`end`).
    NotADate { end: bool },
    /// The end before the start.
    Reversed,
    /// Longer than [`MAX_DAYS`].
    TooLong,
}

/// The periods one tap away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    LastQuarter,
    ThisYear,
    LastYear,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::ThisQuarter,
        Preset::LastQuarter,
        Preset::ThisYear,
        Preset::LastYear,
    ];

    /// The period this preset means on `today` (a Paris date): whole months, quarters, years.
    pub fn period(self, today: NaiveDate) -> Period {
        let month = first_of_month(today);
        let quarter = month - Months::new(today.month0() % 3);
        let year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let span =
            |start: NaiveDate, months: u32| Period { from: start, to: start + Months::new(months) - Duration::days(1) };
        match self {
            Preset::ThisMonth => span(month, 1),
            Preset::LastMonth => span(month - Months::new(1), 1),
            Preset::ThisQuarter => span(quarter, 3),
            Preset::LastQuarter => span(quarter - Months::new(3), 3),
            Preset::ThisYear => span(year, 12),
            Preset::LastYear => span(year - Months::new(12), 12),
        }
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

impl Period {
    /// Reads `du` and `au` as typed (`AAAA-MM-JJ`); an empty one takes this month's bound.
    ///
    /// # Errors
    /// [`PeriodError`] for a date that does not parse, an end before the start, or a period of
    /// more than [`MAX_DAYS`] days.
    pub fn parse(du: &str, au: &str, today: NaiveDate) -> Result<Period, PeriodError> {
        let default = Preset::ThisMonth.period(today);
        let date = |s: &str, fallback: NaiveDate, end: bool| match s.trim() {
            "" => Ok(fallback),
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| PeriodError::NotADate { end }),
        };
        let period = Period { from: date(du, default.from, false)?, to: date(au, default.to, true)? };
        if period.to < period.from {
            return Err(PeriodError::Reversed);
        }
        if period.days() > MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(period)
    }

    /// How many days it covers.
    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Its first instant and the first instant after it (midnight, Paris).
    pub fn instants(self) -> (DateTime<Utc>, DateTime<Utc>) {
        (paris_midnight(self.from), paris_midnight(self.to + Duration::days(1)))
    }

    /// The preset this period is, if it is one (to mark it in the picker).
    pub fn preset(self, today: NaiveDate) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.period(today) == self)
    }
}

/// Midnight in Paris at the start of a date.
pub fn paris_midnight(d: NaiveDate) -> DateTime<Utc> {
    // Midnight always exists in Paris (clocks change at 2:00 and 3:00).
    Paris.from_local_datetime(&d.and_time(NaiveTime::MIN)).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// The instants (unix ms) Paris is on summer time, `[start, end)`, for the years around a span:
/// from the last Sunday of March to the last Sunday of October, at 1:00 UTC (the EU rule, in
/// force since 1996). With them a query finds the Paris day of an instant without a time-zone
/// database (`store::paris_day`).
pub fn summer_times(from_ms: i64, to_ms: i64) -> Vec<(i64, i64)> {
    let year = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).map_or(1970, |t| t.year());
    (year(from_ms) - 1..=year(to_ms) + 1)
        .filter_map(|y| {
            let at = |month: u32| {
                let last = NaiveDate::from_ymd_opt(y, month, 31)?;
                let back = i64::from(last.weekday().num_days_from_sunday());
                let sunday = last - Duration::days(back);
                Some(Utc.from_utc_datetime(&sunday.and_hms_opt(1, 0, 0)?).timestamp_millis())
            };
            Some((at(3)?, at(10)?))
        })
        .collect()
}

/// Paris's offset from UTC at an instant (ms), by [`summer_times`].
pub fn paris_offset_ms(t_ms: i64, summers: &[(i64, i64)]) -> i64 {
    if summers.iter().any(|&(s, e)| s <= t_ms && t_ms < e) {
        2 * HOUR_MS
    } else {
        HOUR_MS
    }
}

/// The Paris date of a day number (days since 1970-01-01, as `store::paris_day` gives).
pub fn date_of_day(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + Duration::days(day)
}

/// The day number of a date (the inverse of [`date_of_day`]).
pub fn day_of_date(d: NaiveDate) -> i64 {
    (d - date_of_day(0)).num_days()
}

/// The `p`-th percentile (0–100) of values given as (value, how many): the smallest value that
/// at least `p` % of the values do not exceed (nearest rank). `None` without values.
pub fn percentile(histogram: &[(i64, i64)], p: u32) -> Option<i64> {
    let mut sorted: Vec<(i64, i64)> = histogram.iter().copied().filter(|&(_, n)| n > 0).collect();
    sorted.sort_unstable();
    let total: i64 = sorted.iter().map(|&(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // Nearest rank: ceil(p/100 × total), at least 1.
    let rank = ((i64::from(p.min(100)) * total + 99) / 100).max(1);
    let mut seen = 0;
    sorted.into_iter().find_map(|(v, n)| {
        seen += n;
        (seen >= rank).then_some(v)
    })
}

/// A share in per cent, one decimal; `None` when there is nothing to divide by.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// One group of requests of the period, as `store::request_cells` counts them: all requests
/// with the same source, motive, profession asked, state and reorientation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCell {
    pub source: String,
    pub motive: String,
    pub profession: String,
    pub status: String,
    /// Where it was reoriented; empty when it was not.
    pub reoriented_to: String,
    pub n: i64,
    /// Of them, answered on the Paris day they came in, within 24 h, within 48 h.
    pub answered: (i64, i64, i64),
}

/// A **request** is every SNP request received in the period (created then), whatever became of
/// it — cancelled ones included (they are demand nobody answered; they are also counted apart).
pub fn requests(cells: &[RequestCell]) -> i64 {
    cells.iter().map(|c| c.n).sum()
}

/// A **consultation** is a request whose patient got an appointment that was not missed: booked
/// (accepted with a time, or a teleconsultation under way) or done. A no-show is not one.
pub fn is_consultation(status: &str) -> bool {
    matches!(RequestStatus::parse(status), Some(RequestStatus::Booked | RequestStatus::Done))
}

/// An **appointment** was given: a consultation, or a no-show.
pub fn had_appointment(status: &str) -> bool {
    is_consultation(status) || status == RequestStatus::NoShow.code()
}

/// How many requests of the cells pass a test.
pub fn count(cells: &[RequestCell], keep: impl Fn(&RequestCell) -> bool) -> i64 {
    cells.iter().filter(|c| keep(c)).map(|c| c.n).sum()
}

/// Consultations of the period (see [`is_consultation`]).
pub fn consultations(cells: &[RequestCell]) -> i64 {
    count(cells, |c| is_consultation(&c.status))
}

/// Requests that came from the SAS and got an appointment (consultation or no-show): the ACI's
/// "demandes du SAS ayant abouti à un rendez-vous" through the coordination.
pub fn sas_with_appointment(cells: &[RequestCell]) -> i64 {
    count(cells, |c| c.source == crate::domain::Source::Sas.code() && had_appointment(&c.status))
}

/// Requests counted by one of their traits (source, motive…), largest first, then by code.
pub fn by(cells: &[RequestCell], key: impl Fn(&RequestCell) -> &str) -> Vec<(String, i64)> {
    let mut groups: Vec<(String, i64)> = vec![];
    for c in cells {
        let k = key(c);
        match groups.iter_mut().find(|(g, _)| g == k) {
            Some((_, n)) => *n += c.n,
            None => groups.push((k.to_string(), c.n)),
        }
    }
    sort_counts(&mut groups);
    groups
}

/// Requests answered on the day they came in, within 24 h, within 48 h.
pub fn answered(cells: &[RequestCell]) -> (i64, i64, i64) {
    cells.iter().fold((0, 0, 0), |(a, b, c), x| (a + x.answered.0, b + x.answered.1, c + x.answered.2))
}

/// Reoriented requests by where they were sent.
pub fn reoriented(cells: &[RequestCell]) -> Vec<(String, i64)> {
    let reoriented: Vec<RequestCell> =
        cells.iter().filter(|c| c.status == RequestStatus::Reoriented.code()).cloned().collect();
    by(&reoriented, |c| &c.reoriented_to)
}

/// Largest first, then by name: the order of every breakdown.
pub fn sort_counts(groups: &mut [(String, i64)]) {
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Week {
    /// Its Monday (it may start before the period; only the period's days are counted).
    pub monday: NaiveDate,
    pub requests: i64,
    pub consultations: i64,
}

impl Week {
    pub fn rate(&self) -> Option<f64> {
        rate(self.consultations, self.requests)
    }
}

/// The weeks (Monday to Sunday, Paris) that meet the period, each with the requests received on
/// its days and their consultations; `days` are (day number, requests, consultations).
pub fn weeks(period: Period, days: &[(i64, i64, i64)]) -> Vec<Week> {
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let mut out: Vec<Week> = vec![];
    let mut m = monday(period.from);
    while m <= period.to {
        out.push(Week { monday: m, requests: 0, consultations: 0 });
        m += Duration::days(7);
    }
    let (first, last) = (day_of_date(period.from), day_of_date(period.to));
    for &(day, requests, consultations) in days.iter().filter(|(d, _, _)| (first..=last).contains(d)) {
        let index = ((day - day_of_date(monday(period.from))) / 7) as usize;
        if let Some(w) = out.get_mut(index) {
            w.requests += requests;
            w.consultations += consultations;
        }
    }
    debug_assert!(out.first().is_none_or(|w| w.monday.weekday() == Weekday::Mon));
    out
}

/// Vacations of one member in the period, as `store::vacations_by_member` counts them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberVacations {
    pub member_id: i64,
    pub name: String,
    pub profession: String,
    /// Vacations of the period the member holds now (assigned, whether done yet or not).
    pub held: i64,
    /// Of those, the ones already over.
    pub done: i64,
    /// Minutes of the ones over.
    pub minutes_done: i64,
}

/// Hours, one decimal, from minutes.
pub fn hours(minutes: i64) -> f64 {
    (minutes as f64 / 6.0).round() / 10.0
}

/// A number with one decimal, as a reader of the current language writes it: a decimal comma in
/// French, a point in English.
pub fn decimal(x: f64) -> String {
    let point = format!("{x:.1}");
    crate::i18n::pick(point.replace('.', ","), point)
}

/// A percentage with one decimal, as a reader of the current language writes it: "45,3 %" in
/// French (a space before the sign), "45.3%" in English.
pub fn percent(x: f64) -> String {
    crate::i18n::pick(format!("{} %", decimal(x)), format!("{}%", decimal(x)))
}
