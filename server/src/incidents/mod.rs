//! Reports of incidents and complaints in the street (phản ánh, sự cố): a
//! pole fallen or leaning, cable sagging low or tangled without labels, a
//! broken manhole cover, an unsafe tower, works without a permit, vandalism,
//! an outage. The seed plans give the ward the duty to receive them and see
//! them dealt with (Phú Sơn IV.4: "tiếp nhận thông tin phản ánh về các
//! trường hợp … không đúng quy định, không đảm bảo an toàn; các sự cố";
//! Trương Quang Trọng VII.4a: vandalism and obstruction of works).
//!
//! Anyone may report, with a photo and the place from the phone's GPS or the
//! map, and gets a tracking code (`PA-2026-000123`) and a public status page
//! with no personal data. The ward triages each report, assigns it to the
//! operator that owns what is wrong (proposed from the nearest asset), the
//! operator acknowledges and fixes it with a photo, and the ward closes or
//! reopens it — each step with its deadline in working days, reminders and
//! escalation. Open311 GeoReport v2 clients (FixMyStreet's apps and the
//! like) file and follow reports through [`crate::open311`].
//!
//! - [`kinds`]: the types of report, one file each;
//! - [`state`]: the steps, and who may take them;
//! - [`clock`]: the deadlines, in the working-day calendar;
//! - [`guard`]: the proof of work, honeypot and rate limit for the public;
//! - [`store`] and [`handlers`]: the reports and their API.

pub mod clock;
pub mod guard;
pub mod handlers;
pub mod kinds;
pub mod state;
pub mod store;

pub use handlers::router;
