//! Who made a change, as the history and the change log record it.

use crate::policy::Principal;

/// Who made a change: a user, an operator's API token, or the system itself
/// (demo load, migrations).
#[derive(Debug, Clone)]
pub struct Actor {
    /// As shown in the history: `user:<username>`, `token:<id> (<operator> – <name>)`, `system`.
    pub name: String,
    pub user_id: Option<i64>,
    pub token_id: Option<i64>,
}

impl Actor {
    pub fn system() -> Self {
        Self::named("system")
    }

    /// An actor known only by name (a job, a loader).
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            user_id: None,
            token_id: None,
        }
    }
}

// Beside the actor, not in the policy: the policy sits below the audit trail.
impl Principal {
    /// Who to record in the history.
    pub fn actor(&self) -> Actor {
        match self {
            Self::Public => Actor::system(),
            Self::User(user) => Actor {
                name: format!("user:{}", user.username),
                user_id: Some(user.id),
                token_id: None,
            },
            Self::Token { id, name, operator } => Actor {
                name: format!("token:{id} ({} – {name})", operator.code),
                user_id: None,
                token_id: Some(*id),
            },
        }
    }
}
