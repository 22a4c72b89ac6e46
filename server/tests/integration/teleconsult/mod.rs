//! Pharmacy teleconsultations: the store and operations on both back-ends, and HTTP (the room's
//! door above all).

mod contract;
mod http;
