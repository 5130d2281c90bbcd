//! `hatang replica --from <primary>`: the embedded mode makes its own streaming
//! replica, so a primary with hot standbys can be tried on one machine.
//!
//! The first run copies the primary with `pg_basebackup -R` (PostgreSQL's own
//! tool: it writes `standby.signal` and the `primary_conninfo` to follow the
//! primary's log); every run then starts PostgreSQL on the copy, which replays
//! the primary's changes as they are made and answers read-only queries. Hatang
//! servers read from it with `--database-replica-url`. `pg_ctl promote -D
//! <data-dir>/pg` (or Patroni, in production) turns it into a primary.

use std::fs;
use std::path::{Path, PathBuf};

use super::embedded::{
    self, ClusterOptions, EmbeddedError, EmbeddedPostgres, find_binaries, hand_over, pg_command,
    run_logged,
};
use crate::config::{DatabaseConfig, DatabaseUrl};

/// Copies the primary into `<data-dir>/pg` unless that is done already, then
/// starts the standby and returns it running.
pub fn start(
    config: &DatabaseConfig,
    from: &DatabaseUrl,
) -> Result<EmbeddedPostgres, EmbeddedError> {
    fs::create_dir_all(&config.data_dir).map_err(|source| EmbeddedError::Io {
        context: format!("cannot create {}", config.data_dir.display()),
        source,
    })?;
    let data_dir = fs::canonicalize(&config.data_dir).map_err(|source| EmbeddedError::Io {
        context: format!("cannot resolve {}", config.data_dir.display()),
        source,
    })?;
    let pgdata = data_dir.join("pg");
    if !pgdata.join("PG_VERSION").exists() {
        base_backup(config, &data_dir, &pgdata, from)?;
    } else if !pgdata.join("standby.signal").exists() {
        tracing::warn!(pgdata = %pgdata.display(), "this cluster is no longer a standby (it was promoted): it runs as a primary");
    }
    EmbeddedPostgres::start(&ClusterOptions {
        data_dir,
        bin_dir: config.pg_bin_dir.clone(),
        os_user: config.pg_user.clone(),
        durable: true,
    })
}

/// The URL Hatang servers use to read from the replica in `data_dir`.
pub fn url_of(pgdata: &Path) -> String {
    format!(
        "postgres://hatang@localhost/hatang?host={}",
        pgdata.display()
    )
}

fn base_backup(
    config: &DatabaseConfig,
    data_dir: &Path,
    pgdata: &Path,
    from: &DatabaseUrl,
) -> Result<(), EmbeddedError> {
    let _lock = embedded::lock(data_dir)?;
    let (bin_dir, _) = find_binaries(config.pg_bin_dir.as_deref())?;
    let run_as = embedded::run_as(config.pg_user.as_deref())?;
    let scratch: PathBuf = data_dir.join("pg.basebackup");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(|source| EmbeddedError::Io {
            context: format!("cannot remove {}", scratch.display()),
            source,
        })?;
    }
    fs::create_dir(&scratch).map_err(|source| EmbeddedError::Io {
        context: format!("cannot create {}", scratch.display()),
        source,
    })?;
    hand_over(&scratch, run_as.as_ref())?;
    tracing::info!(primary = %from.redacted(), into = %pgdata.display(), "copying the primary (pg_basebackup -R)");
    let mut command = pg_command(&bin_dir, "pg_basebackup", run_as.as_ref());
    command
        .arg("--pgdata")
        .arg(&scratch)
        .args([
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-password",
        ])
        .arg("--dbname")
        .arg(from.expose())
        .current_dir(data_dir);
    run_logged(command, "pg_basebackup", &data_dir.join("postgres.log"))?;
    embedded::remove_copied_locks(&scratch);
    fs::rename(&scratch, pgdata).map_err(|source| EmbeddedError::Io {
        context: format!("cannot move the copy to {}", pgdata.display()),
        source,
    })
}
