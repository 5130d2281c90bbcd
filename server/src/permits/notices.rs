//! What a permit application tells people: both sides hear of every change
//! of state, and the ward's reviewers of a deadline about to pass. The words
//! are made here; `notifications` delivers them.

use sqlx::PgConnection;

use super::clock::{Clock, ClockStatus};
use super::state::PermitState;
use super::store::Application;
use crate::notifications;
use crate::policy::Principal;

/// Tells both sides that an application changed state, except the person who changed it.
pub async fn state_changed(
    conn: &mut PgConnection,
    application: &Application,
    to: PermitState,
    by: &Principal,
) -> sqlx::Result<()> {
    let except = by.user().map(|u| u.id);
    let vi = format!(
        "Hồ sơ {} ({}): {} → {}.",
        application.reference,
        application.title,
        application.state.label_vi(),
        to.label_vi()
    );
    let en = format!(
        "Application {} ({}): {} → {}.",
        application.reference,
        application.title,
        application.state.as_str(),
        to.as_str()
    );
    notifications::to_operator_but(
        conn,
        application.operator_id,
        Some(application.id),
        "state",
        &vi,
        &en,
        None,
        except,
    )
    .await?;
    notifications::to_reviewers_but(
        conn,
        application.ward_id,
        Some(application.id),
        "state",
        &vi,
        &en,
        None,
        except,
    )
    .await
}

/// Warns the ward's reviewers of a case about to breach, or breached (once a day each).
pub async fn deadline(
    conn: &mut PgConnection,
    application: &Application,
    clock: &Clock,
) -> sqlx::Result<()> {
    let left = clock.working_days_left.unwrap_or(0);
    let (vi, en) = if clock.status == ClockStatus::Breached {
        (
            format!(
                "Hồ sơ {} đã quá hạn {} ngày làm việc.",
                application.reference, -left
            ),
            format!(
                "Application {} is {} working days overdue.",
                application.reference, -left
            ),
        )
    } else {
        (
            format!(
                "Hồ sơ {} còn {left} ngày làm việc đến hạn.",
                application.reference
            ),
            format!(
                "Application {} is due in {left} working days.",
                application.reference
            ),
        )
    };
    let key = format!(
        "deadline:{}:{}:{}",
        application.id,
        crate::vn_time::today(),
        left
    );
    notifications::to_reviewers(
        conn,
        application.ward_id,
        Some(application.id),
        "deadline",
        &vi,
        &en,
        Some(key),
    )
    .await
}
