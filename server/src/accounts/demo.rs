//! Demo accounts, one per role, made when the demo data is loaded. Their
//! passwords are generated on the spot (no secret lives in the repository),
//! shown by the server at start, and kept in `<data-dir>/demo-logins.txt`
//! (readable only by its owner) so that later starts can show them again.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use sqlx::PgPool;

use super::users::{NewUser, create_user};
use crate::http::error::ApiError;
use crate::policy::Role;

/// One demo login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: &'static str,
    pub password: String,
    pub role: Role,
    pub who: &'static str,
}

/// Username, display name, role, operator, scope (GSO codes).
type Account = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    &'static [&'static str],
);

const ACCOUNTS: &[Account] = &[
    ("admin", "Quản trị hệ thống", Role::Admin, None, &[]),
    (
        "canbo.camthanh",
        "Cán bộ Địa chính - Xây dựng phường Cẩm Thành",
        Role::Reviewer,
        None,
        &["21025"],
    ),
    (
        "quyhoach.qng",
        "Chuyên viên quy hoạch, Sở Xây dựng Quảng Ngãi",
        Role::Planner,
        None,
        &["51"],
    ),
    (
        "vnpt.qng",
        "VNPT Quảng Ngãi",
        Role::OperatorMember,
        Some("VNPT"),
        &[],
    ),
    (
        "viettel.qng",
        "Viettel Quảng Ngãi",
        Role::OperatorMember,
        Some("VIETTEL"),
        &[],
    ),
    (
        "mobifone.qng",
        "MobiFone Quảng Ngãi",
        Role::OperatorMember,
        Some("MOBIFONE"),
        &[],
    ),
    (
        "fpt.qng",
        "FPT Telecom Quảng Ngãi",
        Role::OperatorMember,
        Some("FPT"),
        &[],
    ),
];

/// The file the demo logins are kept in.
pub fn logins_file(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-logins.txt")
}

/// Creates the demo accounts that do not exist yet and returns their logins.
pub async fn create(pool: &PgPool) -> Result<Vec<DemoLogin>, ApiError> {
    let mut tx = pool.begin().await?;
    let mut logins = Vec::new();
    for (username, display_name, role, operator, scope) in ACCOUNTS {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from app_user where username = $1)")
                .bind(username)
                .fetch_one(&mut *tx)
                .await?;
        if exists {
            continue;
        }
        let (_, password) = create_user(
            &mut tx,
            NewUser {
                username: username.to_string(),
                display_name: display_name.to_string(),
                role: *role,
                operator: operator.map(str::to_string),
                scope: scope.iter().map(|s| s.to_string()).collect(),
                password: None,
            },
        )
        .await?;
        logins.push(DemoLogin {
            username,
            password,
            role: *role,
            who: display_name,
        });
    }
    tx.commit().await?;
    Ok(logins)
}

/// Writes the logins to the data folder, readable by the owner only.
pub fn save(data_dir: &Path, logins: &[DemoLogin]) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(logins_file(data_dir))?;
    for login in logins {
        writeln!(
            file,
            "{:<15} {:<20} {:<16} {}",
            login.username,
            login.password,
            login.role.as_str(),
            login.who
        )?;
    }
    Ok(())
}

/// The saved logins, as lines to print.
pub fn saved(data_dir: &Path) -> Option<String> {
    std::fs::read_to_string(logins_file(data_dir))
        .ok()
        .filter(|text| !text.trim().is_empty())
}
