//! What the *Indicateurs* page and a clinician's own figures receive: tables already in words
//! (the same ones the CSV exports write), each with its chart drawn on the server.

use serde::{Deserialize, Serialize};

use super::rules::{Period, Preset};

/// The whole page for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    /// The period, as a reader says it ("du 01/11/2026 au 30/11/2026").
    pub label: String,
    /// The preset it is, to mark it in the picker.
    pub preset: Option<Preset>,
    /// The presets on this day, for one-tap links.
    pub presets: Vec<(Preset, Period)>,
    /// The figures shown first: requests, consultations, response rate, median time to accept.
    pub headline: Vec<(String, String)>,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub tables: Vec<Table>,
}

/// One table: what the page shows and one CSV export writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Its name in the export's address (`/indicateurs/{id}.csv`).
    pub id: String,
    pub title: String,
    /// What exactly is counted.
    pub note: String,
    pub columns: Vec<String>,
    /// The first cell names the row; the others are numbers as a French reader writes them.
    pub rows: Vec<Vec<String>>,
    /// Its chart, SVG drawn by the server (a title, a description), when it has one.
    pub chart: Option<String>,
}

/// A clinician's own month, on their *Réglages*.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyMonth {
    /// "novembre 2026".
    pub month: String,
    /// Requests they accepted (or were booked into their slot).
    pub answered: i64,
    /// Their vacations of the month already over, and their hours.
    pub vacations_done: i64,
    pub hours_done: String,
}
