use crate::accounts::policy::Principal;
use crate::http::error::ApiResult;
use sqlx::PgConnection;
pub async fn check_finding_access(
    _conn: &mut PgConnection,
    principal: &Principal,
    _finding: i64,
) -> ApiResult<()> {
    principal.require_login()
}
