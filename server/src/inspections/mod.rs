//! Inspections in the street (kiểm tra): planned rounds over an area or a
//! street on a day, by an inspector of the ward, each with a worklist of the
//! assets there — all of them, or a random sample, as UK Street Manager's
//! sample inspections — and a checklist per kind of asset built from the
//! rules that apply (QCVN 33:2019/BTTTT on outside cable plant, the shared-use
//! circular 21/2013, the Construction Law and the permit's own conditions),
//! each item citing its clause. A finding that fails a rule opens a
//! violation for the operator responsible, with a deadline and a follow-up
//! round; at the follow-up, the same rule passing closes it.
//!
//! Categories: `routine`, `sample`, `complaint` (after reports), `follow_up`
//! (of violations) and `permit` (of permitted works).

pub mod handlers;
pub mod rules;
pub mod store;

pub use handlers::router;
