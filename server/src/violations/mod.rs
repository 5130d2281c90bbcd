//! Violations (vi phạm) in the construction and upkeep of passive telecom
//! works: a rule broken — an unlabelled cable (QCVN 33:2019/BTTTT §2.7.2), a
//! cable too low over the road, a broken manhole cover, works without a
//! permit (Construction Law 2014 Art. 89) — with its legal basis, the
//! operator responsible, a deadline in working days and a follow-up
//! inspection to check it was put right. The seed plans give wards this duty
//! (Thủy Nguyên V.1: inspect and handle violations in building passive
//! telecom infrastructure).
//!
//! Violations come from inspection findings that fail a rule, from the
//! detection lists ([`crate::detection`]), from reports, or by hand. The
//! operator sees its own, reports each fixed with a photo; the ward verifies
//! (usually at the follow-up) or finds it not fixed.
//!
//! - [`state`]: the steps and who takes them;
//! - [`store`] and [`handlers`]: violations and their API.

pub mod handlers;
pub mod state;
pub mod store;

pub use handlers::router;
