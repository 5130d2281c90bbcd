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
    /// Load the demo ward (Chánh Lộ, Quảng Ngãi and its neighbours) into an empty registry.
    LoadDemo {
        /// Delete every registered asset, operator and ward first.
        #[arg(long)]
        reset: bool,
    },
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
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            port: 0,
            bind: IpAddr::from([127, 0, 0, 1]),
            web_dir: PathBuf::from("web/dist"),
            tile_cache_mb: crate::tiles::DEFAULT_CACHE_MB,
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
    fn url_without_password_is_unchanged() {
        let url: DatabaseUrl = "postgres://hatang@localhost/hatang".parse().unwrap();
        assert_eq!(url.redacted(), "postgres://hatang@localhost/hatang");
    }
}
