//! Shared SNP slots: the store and operations on both back-ends, HTTP, and the SAS interface.

mod contract;
mod fhir;
mod http;
mod sas;
