use crate::accounts::policy::Principal;
use crate::http::error::ApiResult;
use sqlx::PgConnection;
pub async fn check_access(
    _conn: &mut PgConnection,
    principal: &Principal,
    _violation: i64,
) -> ApiResult<()> {
    principal.require_login()
}
