//! The demo ward: Chánh Lộ (Quảng Ngãi) and its neighbours with a synthetic but
//! plausible network of four operators, plus the other wards of the seed plans.
//! The SQL lives in `data/demo/` (see `data/README.md` for what is real and what
//! is synthetic) and is embedded in the binary, so a release build loads it
//! from anywhere.

use sqlx::PgPool;

/// Demo field work (reports, an inspection round, a violation), loaded after the accounts.
pub mod field;

/// A demo data call in season (one operator submitted, one draft, others not
/// started), loaded after the accounts.
pub mod filings;

/// The demo scripts, in the order they run.
const SCRIPTS: &[(&str, &str)] = &[
    (
        "01_admin_units.sql",
        include_str!("../../../data/demo/01_admin_units.sql"),
    ),
    (
        "02_operators.sql",
        include_str!("../../../data/demo/02_operators.sql"),
    ),
    (
        "03_streets.sql",
        include_str!("../../../data/demo/03_streets.sql"),
    ),
    (
        "04_network.sql",
        include_str!("../../../data/demo/04_network.sql"),
    ),
    (
        "05_history.sql",
        include_str!("../../../data/demo/05_history.sql"),
    ),
    (
        "06_plans.sql",
        include_str!("../../../data/demo/06_plans.sql"),
    ),
    (
        "07_development_plans.sql",
        include_str!("../../../data/demo/07_development_plans.sql"),
    ),
    (
        "08_seed_area_figures.sql",
        include_str!("../../../data/demo/08_seed_area_figures.sql"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the registry already holds data ({0} assets); the demo loads only into an empty registry (use `hatang load-demo --reset` to replace everything)"
    )]
    NotEmpty(i64),
    #[error("demo script {script} failed: {source}")]
    Script {
        script: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
}

/// Counts of what the demo loaded.
#[derive(Debug, Clone)]
pub struct Summary {
    pub wards: i64,
    pub operators: i64,
    pub per_kind: Vec<(String, i64)>,
    pub tenancies: i64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds: Vec<String> = self
            .per_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        write!(
            f,
            "{} wards, {} operators, {}, {} tenancies",
            self.wards,
            self.operators,
            kinds.join(", "),
            self.tenancies
        )
    }
}

/// Whether the registry has no operators, wards or assets yet.
pub async fn registry_is_empty(pool: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select not (exists (select 1 from asset) or exists (select 1 from operator) or exists (select 1 from admin_unit))",
    )
    .fetch_one(pool)
    .await
}

/// Loads the demo in one transaction. With `reset`, first deletes everything
/// in the registry (assets, history, operators, wards, streets).
pub async fn load(pool: &PgPool, reset: bool) -> Result<Summary, DemoError> {
    let mut tx = pool.begin().await?;
    if reset {
        sqlx::raw_sql(
            "truncate asset_history, tenancy, cable_support, cable, duct_pipe, duct, tower, pole, manhole, trench,
                      cabinet, asset, street, operator, admin_unit restart identity cascade",
        )
        .execute(&mut *tx)
        .await?;
    } else {
        let assets: i64 = sqlx::query_scalar("select count(*) from asset")
            .fetch_one(&mut *tx)
            .await?;
        if !registry_is_empty(pool).await? {
            return Err(DemoError::NotEmpty(assets));
        }
    }
    for (script, sql) in SCRIPTS {
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(|source| DemoError::Script { script, source })?;
    }
    tx.commit().await?;
    summary(pool).await.map_err(DemoError::from)
}

/// What the registry holds now.
pub async fn summary(pool: &PgPool) -> sqlx::Result<Summary> {
    let per_kind: Vec<(String, i64)> =
        sqlx::query_as("select kind, count(*) from asset group by kind order by min(id)")
            .fetch_all(pool)
            .await?;
    let (wards, operators, tenancies): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from admin_unit where level = 'ward'), (select count(*) from operator), (select count(*) from tenancy)",
    )
    .fetch_one(pool)
    .await?;
    Ok(Summary {
        wards,
        operators,
        per_kind,
        tenancies,
    })
}
