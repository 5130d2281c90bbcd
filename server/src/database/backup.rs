//! Backups of the embedded cluster that restore: base backups plus archived
//! write-ahead log, so the registry can be brought back to any moment after
//! the oldest kept backup (point-in-time recovery, PostgreSQL's own mechanism).
//!
//! - `hatang backup` creates `<data-dir>/backup/wal` (from then on the running
//!   cluster copies each finished log segment there: its `archive_command`
//!   does nothing while that folder is missing), takes a base backup with
//!   `pg_basebackup` into `<data-dir>/backup/base/<time>/`, and deletes all but
//!   the newest `--keep` backups and the log only they needed.
//! - `hatang restore --to <time>` (server stopped) keeps the current cluster
//!   aside, copies the newest base backup finished before that time, and lets
//!   PostgreSQL replay the archived log (and the log of the cluster it
//!   replaces, for the last unarchived minutes) up to that moment, then opens
//!   it for writes on a new timeline.
//!
//! In production (`DATABASE_URL`) the database is not Hatang's to back up:
//! use pgBackRest or `pg_basebackup` with WAL archiving (see the README).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::embedded::{
    self, ClusterOptions, EmbeddedError, EmbeddedPostgres, find_binaries, hand_over, pg_command,
    run_logged,
};
use crate::config::DatabaseConfig;

/// Where the log is archived, relative to the data folder.
pub const WAL_ARCHIVE: &str = "backup/wal";
/// Where the base backups are, relative to the data folder.
const BASE_BACKUPS: &str = "backup/base";
/// What Hatang notes about each base backup, beside it.
const MANIFEST: &str = "hatang-backup.json";

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Embedded(#[from] EmbeddedError),
    #[error("database error during the backup")]
    Sql(#[from] sqlx::Error),
    #[error(
        "Hatang backs up only its embedded cluster; with DATABASE_URL use pgBackRest or pg_basebackup with WAL archiving (see the README, \"Backups\")"
    )]
    NotEmbedded,
    #[error("the server is running on {0}: stop it before restoring")]
    Running(PathBuf),
    #[error(
        "cannot read the time {0:?}: give it as 2026-12-01 14:30:00+07 (the offset may be left out for Vietnam's time)"
    )]
    BadTime(String),
    #[error("no backup finished before {target}{}", .oldest.as_ref().map(|o| format!("; the oldest finished at {o}")).unwrap_or_else(|| "; there are none yet (run `hatang backup`)".into()))]
    NoBackup {
        target: String,
        oldest: Option<String>,
    },
    #[error("the restored database did not finish recovering within {0} s; see postgres.log")]
    RecoveryTimeout(u64),
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let context = context.into();
    move |source| BackupError::Io { context, source }
}

/// What `hatang-backup.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupInfo {
    /// The folder name under `backup/base`.
    pub name: String,
    pub started_at: DateTime<Utc>,
    /// The database's clock when the backup was complete: it restores to any moment after this.
    pub finished_at: DateTime<Utc>,
    /// The first log segment the backup needs (`START WAL LOCATION … (file …)`).
    pub start_wal_file: String,
}

/// Takes a base backup of the embedded cluster of `config.data_dir`, running
/// or not, and keeps the newest `keep`.
pub async fn backup(config: &DatabaseConfig, keep: usize) -> Result<BackupInfo, BackupError> {
    if config.database_url.is_some() {
        return Err(BackupError::NotEmbedded);
    }
    let data_dir = fs::canonicalize(&config.data_dir)
        .map_err(io(format!("cannot resolve {}", config.data_dir.display())))?;
    let pgdata = data_dir.join("pg");
    let (bin_dir, _) = find_binaries(config.pg_bin_dir.as_deref())?;
    let run_as = embedded::run_as(config.pg_user.as_deref())?;

    // The archive folder first: from now on finished log segments are kept.
    let archive = data_dir.join(WAL_ARCHIVE);
    fs::create_dir_all(&archive).map_err(io(format!("cannot create {}", archive.display())))?;
    hand_over(&archive, run_as.as_ref())?;
    let base = data_dir.join(BASE_BACKUPS);
    fs::create_dir_all(&base).map_err(io(format!("cannot create {}", base.display())))?;

    // The cluster must run: a server may be running it; else start it here.
    let mut own_cluster = None;
    let options = match EmbeddedPostgres::start(&ClusterOptions {
        data_dir: data_dir.clone(),
        bin_dir: config.pg_bin_dir.clone(),
        os_user: config.pg_user.clone(),
        durable: true,
    }) {
        Ok(cluster) => {
            let options = cluster.connect_options("hatang");
            own_cluster = Some(cluster);
            options
        }
        Err(EmbeddedError::Locked(_)) => sqlx::postgres::PgConnectOptions::new()
            .socket(&pgdata)
            .port(5432)
            .username("hatang")
            .database("hatang"),
        Err(error) => return Err(error.into()),
    };
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;

    let started_at = Utc::now();
    let name = started_at.format("%Y%m%dT%H%M%SZ").to_string();
    let target = base.join(&name);
    let scratch = base.join(format!(".{name}.partial"));
    fs::create_dir_all(&scratch).map_err(io(format!("cannot create {}", scratch.display())))?;
    hand_over(&scratch, run_as.as_ref())?;
    let mut command = pg_command(&bin_dir, "pg_basebackup", run_as.as_ref());
    command
        .arg("--pgdata")
        .arg(&scratch)
        .args(["--wal-method=stream", "--checkpoint=fast", "--no-password"])
        .arg("--dbname")
        .arg(format!(
            "host={} port=5432 user=hatang dbname=hatang",
            pgdata.display()
        ))
        .current_dir(&data_dir);
    let log = data_dir.join("postgres.log");
    run_logged(command, "pg_basebackup", &log)?;
    // A backup is only as good as the log after it: make sure archiving works now.
    sqlx::query("select pg_switch_wal()").execute(&pool).await?;
    let finished_at: DateTime<Utc> = sqlx::query_scalar("select now()").fetch_one(&pool).await?;
    pool.close().await;
    if let Some(cluster) = own_cluster {
        cluster.stop()?;
    }

    let label = fs::read_to_string(scratch.join("backup_label"))
        .map_err(io("cannot read the backup's backup_label"))?;
    let start_wal_file = label
        .lines()
        .find_map(|l| l.strip_prefix("START WAL LOCATION:"))
        .and_then(|l| l.split("(file ").nth(1))
        .map(|f| f.trim_end_matches(')').trim().to_string())
        .unwrap_or_default();
    let info = BackupInfo {
        name: name.clone(),
        started_at,
        finished_at,
        start_wal_file,
    };
    fs::rename(&scratch, &target).map_err(io(format!(
        "cannot move the backup to {}",
        target.display()
    )))?;
    let manifest = serde_json::to_string_pretty(&info).map_err(|e| BackupError::Io {
        context: "cannot write the backup's manifest".into(),
        source: std::io::Error::other(e),
    })?;
    fs::write(target.join(MANIFEST), manifest).map_err(io("cannot write the backup's manifest"))?;
    prune(&data_dir, &bin_dir, keep.max(1))?;
    Ok(info)
}

/// The base backups, oldest first.
pub fn list(data_dir: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = fs::read_dir(data_dir.join(BASE_BACKUPS)) else {
        return Vec::new();
    };
    let mut backups: Vec<BackupInfo> = entries
        .filter_map(Result::ok)
        .filter_map(|e| fs::read_to_string(e.path().join(MANIFEST)).ok())
        .filter_map(|text| serde_json::from_str(&text).ok())
        .collect();
    backups.sort_by_key(|b| b.finished_at);
    backups
}

/// Deletes all but the newest `keep` backups, and the archived log older than
/// the oldest one kept (`pg_archivecleanup`).
fn prune(data_dir: &Path, bin_dir: &Path, keep: usize) -> Result<(), BackupError> {
    let backups = list(data_dir);
    let drop = backups.len().saturating_sub(keep);
    for old in &backups[..drop] {
        let path = data_dir.join(BASE_BACKUPS).join(&old.name);
        fs::remove_dir_all(&path).map_err(io(format!(
            "cannot remove the old backup {}",
            path.display()
        )))?;
        tracing::info!(backup = %old.name, "removed an old base backup");
    }
    if let Some(oldest) = backups.get(drop)
        && !oldest.start_wal_file.is_empty()
    {
        let mut command = std::process::Command::new(bin_dir.join("pg_archivecleanup"));
        command
            .arg(data_dir.join(WAL_ARCHIVE))
            .arg(&oldest.start_wal_file);
        run_logged(command, "pg_archivecleanup", &data_dir.join("postgres.log"))?;
    }
    Ok(())
}

/// Parses the moment to restore to; without an offset it is Vietnam's time (UTC+7).
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, BackupError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let vietnam = FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format)
            && let Some(t) = vietnam.from_local_datetime(&t).single()
        {
            return Ok(t.with_timezone(&Utc));
        }
    }
    Err(BackupError::BadTime(text.to_string()))
}

/// Restores the embedded cluster of `config.data_dir` to `target`.
pub async fn restore(
    config: &DatabaseConfig,
    target: DateTime<Utc>,
) -> Result<(BackupInfo, PathBuf), BackupError> {
    if config.database_url.is_some() {
        return Err(BackupError::NotEmbedded);
    }
    let data_dir = fs::canonicalize(&config.data_dir)
        .map_err(io(format!("cannot resolve {}", config.data_dir.display())))?;
    let backups = list(&data_dir);
    let Some(chosen) = backups
        .iter()
        .rev()
        .find(|b| b.finished_at <= target)
        .cloned()
    else {
        return Err(BackupError::NoBackup {
            target: target.to_rfc3339(),
            oldest: backups.first().map(|b| b.finished_at.to_rfc3339()),
        });
    };
    let run_as = embedded::run_as(config.pg_user.as_deref())?;
    let pgdata = data_dir.join("pg");
    let kept = data_dir.join(format!(
        "pg.before-restore-{}",
        Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    {
        let _lock = match embedded::lock(&data_dir) {
            Ok(lock) => lock,
            Err(EmbeddedError::Locked(dir)) => return Err(BackupError::Running(dir)),
            Err(error) => return Err(error.into()),
        };
        if pgdata.exists() {
            fs::rename(&pgdata, &kept).map_err(io(format!(
                "cannot move the current cluster to {}",
                kept.display()
            )))?;
        }
        let source = data_dir.join(BASE_BACKUPS).join(&chosen.name);
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(&source)
            .arg(&pgdata)
            .status()
            .map_err(io("cannot run cp"))?;
        if !status.success() {
            return Err(BackupError::Io {
                context: format!("copying {} failed", source.display()),
                source: std::io::Error::other(status.to_string()),
            });
        }
        let _ = fs::remove_file(pgdata.join(MANIFEST));
        embedded::remove_copied_locks(&pgdata);
        let _ = fs::remove_file(pgdata.join("standby.signal"));
        hand_over(&pgdata, run_as.as_ref())?;
        let archive = data_dir.join(WAL_ARCHIVE);
        // The log not yet archived is in the replaced cluster's pg_wal.
        let restore_command = format!(
            "cp '{}/%f' '%p' 2>/dev/null || cp '{}/pg_wal/%f' '%p'",
            archive.display(),
            kept.display()
        );
        let settings = format!(
            "\n# hatang restore --to {target}\nrestore_command = '{}'\nrecovery_target_time = '{}'\nrecovery_target_action = 'promote'\n",
            restore_command.replace('\'', "''"),
            target.format("%Y-%m-%d %H:%M:%S%.6f+00")
        );
        let auto_conf = pgdata.join("postgresql.auto.conf");
        let mut conf = fs::read_to_string(&auto_conf).unwrap_or_default();
        conf.push_str(&settings);
        fs::write(&auto_conf, conf).map_err(io("cannot write the recovery settings"))?;
        fs::write(pgdata.join("recovery.signal"), "")
            .map_err(io("cannot write recovery.signal"))?;
        if let Some(user) = &run_as {
            for file in [&auto_conf, &pgdata.join("recovery.signal")] {
                let _ = nix::unistd::chown(file.as_path(), Some(user.uid), Some(user.gid));
            }
        }
    }

    let cluster = EmbeddedPostgres::start(&ClusterOptions {
        data_dir: data_dir.clone(),
        bin_dir: config.pg_bin_dir.clone(),
        os_user: config.pg_user.clone(),
        durable: true,
    })?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster.connect_options("hatang"))
        .await?;
    let deadline = std::time::Instant::now() + Duration::from_secs(600);
    loop {
        let recovering: bool = sqlx::query_scalar("select pg_is_in_recovery()")
            .fetch_one(&pool)
            .await?;
        if !recovering {
            break;
        }
        if std::time::Instant::now() > deadline {
            return Err(BackupError::RecoveryTimeout(600));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for setting in [
        "restore_command",
        "recovery_target_time",
        "recovery_target_action",
    ] {
        sqlx::query(&format!("alter system reset {setting}"))
            .execute(&pool)
            .await?;
    }
    pool.close().await;
    cluster.stop()?;
    Ok((chosen, kept))
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn times_without_an_offset_are_vietnams() {
        let utc = parse_time("2026-12-01 14:30:00").unwrap();
        assert_eq!(utc.to_rfc3339(), "2026-12-01T07:30:00+00:00");
        assert_eq!(parse_time("2026-12-01T14:30:00+07:00").unwrap(), utc);
        assert_eq!(parse_time("2026-12-01 14:30:00+07").unwrap(), utc);
        assert!(parse_time("yesterday").is_err());
    }
}
