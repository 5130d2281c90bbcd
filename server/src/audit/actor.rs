//! Who made a change, as the history and the change log record it.

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
