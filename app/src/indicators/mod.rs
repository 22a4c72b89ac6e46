//! Indicators: the CPTS's figures for its ACI contract and its own steering — participation,
//! demand, answer, the weekly trend — over any period of Paris days, as tables with server-drawn
//! charts and as CSV (`export`), for the coordination and the admins; and a clinician's own
//! month. Each figure's definition is written once: a pure function of `rules` or one commented
//! query of `store`; `ops::figures` reads them all in one pass.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod ops;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

#[cfg(feature = "ssr")]
pub use ops::IndicatorsError;
pub use ui::{IndicatorsPage, MyFiguresCard};
