//! SQL that is code, not schema: the functions in `server/sql/*.sql` (the
//! asset documents and what each viewer may see of them, checked_geometry and
//! its helpers, text folding). Each file is a list of `create or replace`
//! statements, applied in the order of the file names after the migrations,
//! at every start and in the tests, so that a change to a function is a diff
//! of its file instead of a copy in a new migration.
//!
//! What cannot be replaced this way still needs a migration: a new table or
//! column, a function's new signature or out columns (`drop function` first,
//! then the file), and a reindex when an indexed function such as `vi_fold`
//! changes what it returns. Migrations after a file took its functions over
//! ([`TAKEN_OVER_AFTER`]) must not define them; a test below fails when one does, and `tests/api/routines.rs`
//! applies them twice.

use sqlx::{Acquire, PgConnection};

use crate::coordinates::VIETNAM_EXTENT;

/// The files of `server/sql/`, in the order they are applied.
pub const FILES: &[(&str, &str)] = &[
    ("010_text.sql", include_str!("../../sql/010_text.sql")),
    (
        "020_geometry.sql",
        include_str!("../../sql/020_geometry.sql"),
    ),
    (
        "030_asset_documents.sql",
        include_str!("../../sql/030_asset_documents.sql"),
    ),
    (
        "040_visibility.sql",
        include_str!("../../sql/040_visibility.sql"),
    ),
    (
        "050_undergrounding.sql",
        include_str!("../../sql/050_undergrounding.sql"),
    ),
];

/// The last migration that may define a file's functions: the file owns them
/// from the next one on. The first files took over from migration 0091.
pub const TAKEN_OVER_AFTER: &[(&str, u32)] = &[
    ("010_text.sql", 91),
    ("020_geometry.sql", 91),
    ("030_asset_documents.sql", 91),
    ("040_visibility.sql", 91),
    // Migrations 0115 and 0125 made the tables and triggers and the first
    // versions of these functions.
    ("050_undergrounding.sql", 125),
];

/// The names of the functions one file defines (`create or replace function <name>(`).
fn names_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            line.trim_start()
                .strip_prefix("create or replace function ")
        })
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

/// `vietnam_bbox()`: [`VIETNAM_EXTENT`] for SQL, so that the extent is
/// written once.
pub fn vietnam_bbox() -> String {
    let [west, south, east, north] = VIETNAM_EXTENT;
    format!(
        "create or replace function vietnam_bbox() returns geometry
         language sql immutable parallel safe as
         $$ select ST_MakeEnvelope({west:?}, {south:?}, {east:?}, {north:?}, 4326) $$"
    )
}

/// The names of the functions the files define (`create or replace function
/// <name>(`), `vietnam_bbox` included.
pub fn function_names() -> Vec<String> {
    let mut names = vec!["vietnam_bbox".to_string()];
    for (_, text) in FILES {
        names.extend(names_in(text));
    }
    names
}

/// Applies `vietnam_bbox()` and every file, in one transaction. Servers that
/// start together take turns (an advisory lock), as the migrations do.
pub async fn apply(conn: &mut PgConnection) -> sqlx::Result<()> {
    let mut tx = conn.begin().await?;
    sqlx::query("select pg_advisory_xact_lock(hashtext('hatang routines'))")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(&vietnam_bbox()).execute(&mut *tx).await?;
    for (name, text) in FILES {
        sqlx::raw_sql(text)
            .execute(&mut *tx)
            .await
            .map_err(|error| {
                log::error!("server/sql/{name} does not apply: {error}");
                error
            })?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_are_every_file_of_the_folder_in_order() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/sql");
        let mut found: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        found.sort();
        let listed: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(found, listed);
    }

    #[test]
    fn every_statement_replaces() {
        for (name, text) in FILES {
            for line in text.lines() {
                let line = line.trim_start().to_lowercase();
                assert!(
                    !line.starts_with("create function") && !line.starts_with("create table"),
                    "{name}: `{line}` — only `create or replace` belongs here"
                );
            }
        }
        assert!(function_names().contains(&"checked_geometry".to_string()));
    }

    /// Each file took its functions over from the migrations up to a number
    /// ([`TAKEN_OVER_AFTER`]); a later migration that defines one would be
    /// overwritten at the next start: change the file instead.
    #[test]
    fn no_later_migration_defines_a_routine() {
        let listed: Vec<&str> = TAKEN_OVER_AFTER.iter().map(|(name, _)| *name).collect();
        let files: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            listed, files,
            "every file says since when it owns its functions"
        );
        // (function, its owner, the last migration that may define it)
        let mut owned = vec![("vietnam_bbox".to_string(), "routines.rs", 91)];
        for ((owner, text), (_, after)) in FILES.iter().zip(TAKEN_OVER_AFTER) {
            owned.extend(
                names_in(text)
                    .into_iter()
                    .map(|name| (name, *owner, *after)),
            );
        }
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let number: u32 = file.split('_').next().unwrap().parse().unwrap_or(0);
            let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
            for (name, owner, after) in &owned {
                if number <= *after {
                    continue;
                }
                for head in ["create function ", "create or replace function "] {
                    assert!(
                        !text.contains(&format!("{head}{name}(")),
                        "{file} defines {name}, which {owner} owns: change it there instead"
                    );
                }
            }
        }
    }

    #[test]
    fn the_extent_is_the_rust_one() {
        assert!(vietnam_bbox().contains("ST_MakeEnvelope(102.0, 6.0, 118.0, 23.5, 4326)"));
    }
}
