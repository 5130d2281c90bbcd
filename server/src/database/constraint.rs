//! Refusals by the database, told apart by the constraint's name (as the
//! sqlx examples' `on_constraint`): a unique key, an exclusion or a check
//! becomes a problem of the input the caller words; every other error stays
//! a database error.
//!
//! ```ignore
//! insert(...).await.on_constraint("operator_code_key", || {
//!     ApiError::invalid("code", "is already registered")
//! })?;
//! ```

/// The name of the constraint `error` violates, if it is a violation.
pub fn violated(error: &sqlx::Error) -> Option<&str> {
    match error {
        sqlx::Error::Database(db) => db.constraint(),
        _ => None,
    }
}

/// [`on_constraint`](OnConstraint::on_constraint) on a query's result.
pub trait OnConstraint<T> {
    /// A violation of `name` becomes `problem()`; any other error `E::from`.
    fn on_constraint<E: From<sqlx::Error>>(
        self,
        name: &str,
        problem: impl FnOnce() -> E,
    ) -> Result<T, E>;

    /// [`Self::on_constraint`] for any of `names`.
    fn on_constraints<E: From<sqlx::Error>>(
        self,
        names: &[&str],
        problem: impl FnOnce() -> E,
    ) -> Result<T, E>;
}

impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
    fn on_constraint<E: From<sqlx::Error>>(
        self,
        name: &str,
        problem: impl FnOnce() -> E,
    ) -> Result<T, E> {
        self.on_constraints(&[name], problem)
    }

    fn on_constraints<E: From<sqlx::Error>>(
        self,
        names: &[&str],
        problem: impl FnOnce() -> E,
    ) -> Result<T, E> {
        self.map_err(|error| match violated(&error) {
            Some(name) if names.contains(&name) => problem(),
            _ => E::from(error),
        })
    }
}
