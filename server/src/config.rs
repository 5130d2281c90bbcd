//! Command line and environment: every setting in one place.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Hatang: registry and map of passive telecom infrastructure.
#[derive(Debug, Parser)]
#[command(name = "hatang", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(flatten)]
    pub server: ServerConfig,
    /// Start on an empty database without loading the demo ward and accounts.
    #[arg(long, env = "HATANG_NO_DEMO", global = true)]
    pub no_demo: bool,
    /// Log format: human-readable text or one JSON object per line.
    #[arg(long, env = "HATANG_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo ward (Chánh Lộ, Quảng Ngãi and its neighbours) and the demo
    /// accounts into an empty registry.
    LoadDemo {
        /// Delete every registered asset, operator, ward and account first.
        #[arg(long)]
        reset: bool,
    },
    /// Check the hash chain of the change history; exits with 1 if broken.
    VerifyHistory,
    /// Print the API's OpenAPI description (what `/api/openapi.json` serves);
    /// `make openapi` saves it as web/openapi.json. Needs no database.
    Openapi,
    /// Create a user account (for example the first admin of a production system).
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// admin, reviewer, planner or operator_member.
        #[arg(long)]
        role: String,
        /// Operator code, for an operator member.
        #[arg(long)]
        operator: Option<String>,
        /// GSO codes of wards or provinces, for a reviewer or planner.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
    },
    /// Import a file of one operator's assets (GeoJSON, CSV, XLSX, zipped
    /// Shapefile, GeoPackage, KML): validated whole, written in one transaction.
    Import(ImportArgs),
    /// Make this data folder a streaming replica (hot standby) of another
    /// PostgreSQL with `pg_basebackup -R`, and run it until Ctrl+C. Hatang
    /// servers read from it with `--database-replica-url`.
    Replica {
        /// The primary to copy and follow: postgres://user@host:port/db, or
        /// postgres:///hatang?host=/path/to/other/var/pg for another embedded cluster.
        #[arg(long)]
        from: DatabaseUrl,
    },
    /// Take a base backup of the embedded cluster into <data-dir>/backup and
    /// turn on archiving of its write-ahead log there, so `hatang restore` can
    /// go back to any moment after it.
    Backup {
        /// How many base backups to keep (older ones, and the log they need, are deleted).
        #[arg(long, default_value_t = 2)]
        keep: usize,
    },
    /// Restore the embedded cluster to a moment after a backup (point-in-time
    /// recovery from <data-dir>/backup). The server must be stopped; the
    /// current cluster is kept aside in <data-dir>/pg.before-restore-….
    Restore {
        /// The moment to go back to, e.g. "2026-12-01 14:30:00+07" (ISO 8601 / RFC 3339).
        #[arg(long)]
        to: String,
    },
}

/// `hatang import FILE --kind poles --operator VNPT [--crs EPSG:xxxx | --tm3 <province>] ...`
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The file to import; its extension says the format.
    pub file: PathBuf,
    /// Kind of asset in the file: towers, poles, ducts, manholes, trenches, cables, cabinets.
    #[arg(long)]
    pub kind: String,
    /// Code of the operator whose assets the file holds (e.g. VNPT).
    #[arg(long)]
    pub operator: String,
    /// CRS of the coordinates if the file does not declare it: EPSG:4756, EPSG:3405, TM3:107.5, ...
    #[arg(long, conflicts_with = "tm3")]
    pub crs: Option<String>,
    /// Or: the province whose VN-2000 TM-3 zone the coordinates are in (quang-ngai, "Kon Tum", 51, ...).
    #[arg(long)]
    pub tm3: Option<String>,
    /// Field mapping as JSON {"source column": "attribute" | null}, or a file holding it.
    #[arg(long)]
    pub mapping: Option<String>,
    /// The layer to read, for files with several.
    #[arg(long)]
    pub layer: Option<String>,
    /// Check every row and report what would change, without writing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where the data lives.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseConfig {
    /// PostgreSQL+PostGIS to use (production). Without it, Hatang runs its own
    /// private cluster in <data-dir>/pg.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<DatabaseUrl>,
    /// Folder for Hatang's own files: the embedded cluster, its log, uploads.
    #[arg(long, env = "HATANG_DATA_DIR", default_value = "var", global = true)]
    pub data_dir: PathBuf,
    /// Folder with the PostgreSQL server programs (found automatically if unset).
    #[arg(long, env = "HATANG_PG_BIN_DIR", global = true)]
    pub pg_bin_dir: Option<PathBuf>,
    /// OS user that runs the embedded PostgreSQL when Hatang runs as root.
    #[arg(long, env = "HATANG_PG_USER", global = true)]
    pub pg_user: Option<String>,
    /// A read replica (hot standby) of the database to send reads to (tiles,
    /// lists, OGC API, dashboards, exports). Repeat the flag, or separate URLs
    /// with commas in the environment variable.
    #[arg(
        long = "database-replica-url",
        env = "DATABASE_REPLICA_URLS",
        value_delimiter = ',',
        global = true
    )]
    pub replica_urls: Vec<DatabaseUrl>,
    /// A replica whose last replayed transaction is older than this (while it is
    /// behind) is not read from until it catches up.
    #[arg(
        long,
        env = "HATANG_REPLICA_MAX_LAG_SECONDS",
        default_value_t = 5.0,
        global = true
    )]
    pub replica_max_lag_seconds: f64,
}

/// How the web server listens.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerConfig {
    /// TCP port to listen on (0 picks a free one).
    #[arg(long, env = "HATANG_PORT", default_value_t = 8080, global = true)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, env = "HATANG_BIND", default_value = "127.0.0.1", global = true)]
    pub bind: IpAddr,
    /// Folder with the built web app (served at /).
    #[arg(
        long,
        env = "HATANG_WEB_DIR",
        default_value = "web/dist",
        global = true
    )]
    pub web_dir: PathBuf,
    /// Memory for cached vector tiles, MiB.
    #[arg(long, env = "HATANG_TILE_CACHE_MB", default_value_t = crate::tiles::DEFAULT_CACHE_MB, global = true)]
    pub tile_cache_mb: u64,
    #[command(flatten)]
    pub sessions: SessionSettings,
    /// Largest file an import takes, in MiB (a larger upload gets 413).
    #[arg(
        long,
        env = "HATANG_IMPORT_MAX_MB",
        default_value_t = 256,
        global = true
    )]
    pub import_max_mb: usize,
    /// Most rows one imported file may have.
    #[arg(
        long,
        env = "HATANG_IMPORT_MAX_ROWS",
        default_value_t = 1_000_000,
        global = true
    )]
    pub import_max_rows: u64,
    /// The address people reach Hatang at (`https://hatang.quangngai.gov.vn`):
    /// printed documents link their verification page and QR code to it, never
    /// to the address a request happened to use. Required with `DATABASE_URL`;
    /// the embedded demo uses its own address when it is not set.
    #[arg(long, env = "HATANG_PUBLIC_URL", global = true)]
    pub public_url: Option<PublicUrl>,
    /// Whether documents may be printed only with `public_url` (set by `hatang
    /// serve` on a production database).
    #[arg(skip)]
    pub public_url_required: bool,
    /// Most MiB a zipped import (Shapefile, XLSX) may unpack to (more gets 413).
    #[arg(
        long,
        env = "HATANG_IMPORT_MAX_UNPACKED_MB",
        default_value_t = 1024,
        global = true
    )]
    pub import_max_unpacked_mb: u64,
    /// Most files in a zipped import.
    #[arg(
        long,
        env = "HATANG_IMPORT_MAX_ENTRIES",
        default_value_t = 1000,
        global = true
    )]
    pub import_max_entries: usize,
    /// Highest ratio of unpacked to zipped size of an import (past 16 MiB unpacked).
    #[arg(
        long,
        env = "HATANG_IMPORT_MAX_RATIO",
        default_value_t = 100,
        global = true
    )]
    pub import_max_ratio: u64,
}

/// The public address of the server: `http(s)://host[:port][/path]`, without
/// a trailing slash, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for PublicUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim().trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or(
                "expected an http:// or https:// address, such as https://hatang.example.gov.vn",
            )?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || host.contains('@') || host.chars().any(char::is_whitespace) {
            return Err("expected a host name after http(s)://, without user or spaces".into());
        }
        if trimmed.contains(['?', '#']) {
            return Err("the public address may have a path but no query or fragment".into());
        }
        Ok(Self(trimmed.to_string()))
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long browser sessions live, and how their cookie is sent.
#[derive(Debug, Clone, clap::Args)]
pub struct SessionSettings {
    /// A session ends after this many minutes without a request.
    #[arg(
        long,
        env = "HATANG_SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: i64,
    /// A session ends this many hours after login, however busy.
    #[arg(
        long,
        env = "HATANG_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: i64,
    /// Mark the session cookie Secure (set it when served over HTTPS; it is also
    /// set when a proxy sends `X-Forwarded-Proto: https`).
    /// With it, responses also carry Strict-Transport-Security.
    #[arg(long, env = "HATANG_SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,
    /// Seconds a session's or token's principal is kept in memory after it was
    /// read (0: ask the database on every request). Logout, password and
    /// account changes and revocations still take effect at once.
    #[arg(
        long,
        env = "HATANG_SESSION_CACHE_SECONDS",
        default_value_t = 30,
        global = true
    )]
    pub session_cache_seconds: u64,
    /// HTTPS origins the web app may load from besides Hatang (a basemap's
    /// style, tiles and fonts), added to the Content-Security-Policy; comma-separated.
    #[arg(
        long,
        env = "HATANG_CSP_EXTRA_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub csp_extra_origins: Vec<String>,
    /// Reports and challenges the public may file from one address in an hour
    /// (an office or a phone network shares one address; raise it there).
    #[arg(
        long,
        env = "HATANG_PUBLIC_REPORTS_PER_HOUR",
        default_value_t = crate::incidents::guard::MAX_PER_HOUR,
        value_parser = clap::value_parser!(i64).range(1..),
        global = true
    )]
    pub public_reports_per_hour: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            session_idle_minutes: 120,
            session_max_hours: 12,
            secure_cookies: false,
            session_cache_seconds: 30,
            csp_extra_origins: Vec::new(),
            public_reports_per_hour: crate::incidents::guard::MAX_PER_HOUR,
        }
    }
}

impl ServerConfig {
    /// The limits of one import.
    pub fn import_limits(&self) -> crate::import::Limits {
        crate::import::Limits {
            max_bytes: self.import_max_mb.saturating_mul(1024 * 1024),
            max_rows: self.import_max_rows,
            archive: crate::import::archive::ArchiveLimits {
                max_unpacked_bytes: self.import_max_unpacked_mb.saturating_mul(1024 * 1024),
                max_entries: self.import_max_entries,
                max_ratio: self.import_max_ratio,
            },
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            port: 0,
            bind: IpAddr::from([127, 0, 0, 1]),
            web_dir: PathBuf::from("web/dist"),
            tile_cache_mb: crate::tiles::DEFAULT_CACHE_MB,
            sessions: SessionSettings::default(),
            import_max_mb: 256,
            import_max_rows: 1_000_000,
            public_url: None,
            public_url_required: false,
            import_max_unpacked_mb: 1024,
            import_max_entries: 1000,
            import_max_ratio: 100,
        }
    }
}

/// A database URL whose password never appears in logs or `Debug` output.
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match url_password_span(&self.0) {
            Some((start, end)) => format!("{}***{}", &self.0[..start], &self.0[end..]),
            None => self.0.clone(),
        }
    }
}

/// Byte range of the password in `scheme://user:password@host/...`, if any.
fn url_password_span(url: &str) -> Option<(usize, usize)> {
    let authority_start = url.find("://")? + 3;
    let rest = &url[authority_start..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    let colon = rest[..at].find(':')?;
    Some((authority_start + colon + 1, authority_start + at))
}

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(Self(s.to_string()))
        } else {
            Err("expected a postgres:// or postgresql:// URL".into())
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_redacted() {
        let url: DatabaseUrl = "postgres://hatang:s3cr%40t@db.example:5432/hatang?sslmode=require"
            .parse()
            .unwrap();
        assert_eq!(
            url.redacted(),
            "postgres://hatang:***@db.example:5432/hatang?sslmode=require"
        );
        assert!(!format!("{url:?}").contains("s3cr"));
    }

    #[test]
    fn public_urls_are_checked_and_lose_their_trailing_slash() {
        let url: PublicUrl = "https://hatang.quangngai.gov.vn/".parse().unwrap();
        assert_eq!(url.as_str(), "https://hatang.quangngai.gov.vn");
        let url: PublicUrl = "http://10.0.0.5:8080/hatang".parse().unwrap();
        assert_eq!(url.as_str(), "http://10.0.0.5:8080/hatang");
        for bad in [
            "hatang.gov.vn",
            "ftp://x",
            "https://",
            "https://a b",
            "https://x/?q=1",
            "https://u@x",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn url_without_password_is_unchanged() {
        let url: DatabaseUrl = "postgres://hatang@localhost/hatang".parse().unwrap();
        assert_eq!(url.redacted(), "postgres://hatang@localhost/hatang");
    }
}
