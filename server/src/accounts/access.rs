//! What the asking person may read, said once so that a client offers only
//! what the server will not refuse: the public's search asks only for the
//! kinds it may list, its map asks only for the layers it may have, and no
//! screen leads it to a login error. The answers come from [`crate::policy`];
//! this module only collects them.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::error::ApiResult;
use crate::policy::Principal;
use crate::state::AppState;
use crate::tiles::layers::Layer;

/// What the principal may read.
#[derive(Debug, Serialize, ToSchema)]
pub struct Access {
    /// Whether a person or a token is signed in.
    pub signed_in: bool,
    /// The asset collections the principal may list (`/api/v1/{collection}`).
    pub collections: Vec<&'static str>,
    /// The tile layers the principal may ask for (`/tiles/{layers}/…`).
    pub tile_layers: Vec<&'static str>,
    /// The audit history (`/api/v1/history`), as far as the role reaches.
    pub history: bool,
    /// Permit applications (`/api/v1/permits`); the statistics are for everyone.
    pub permits: bool,
    /// The sharing analysis, undergrounding areas and projects, civil works.
    pub analysis: bool,
    /// GSO codes of the wards whose undergrounding figures (dashboard, flags)
    /// the principal may read; absent when every ward's.
    pub undergrounding_wards: Option<Vec<String>>,
    /// Whether the figures name who owns what (per-operator km).
    pub owners_in_figures: bool,
    /// Whether assets show their tenants and sharing (tile fields `shared`, `tenant_count`).
    pub sharing: bool,
}

/// `GET /api/v1/access`: what the caller may read.
#[utoipa::path(
    get,
    path = "/access",
    tag = "Accounts and audit",
    operation_id = "access",
    security(()),
    responses((status = 200, description = "What the caller may read.", body = Access))
)]
pub async fn access(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<Json<Access>> {
    let signed_in = !matches!(principal, Principal::Public);
    let tile_layers = Layer::ALL
        .into_iter()
        .filter(|layer| {
            if signed_in {
                *layer != Layer::PublicTowers
            } else {
                layer.is_public()
            }
        })
        .map(Layer::mvt_name)
        .collect();
    let undergrounding_wards = if principal.may_read_undergrounding(false).is_ok() {
        None
    } else {
        Some(
            sqlx::query_scalar(
                "select w.gso_code from ward_publication p join admin_unit w on w.id = p.ward_id
                 where p.undergrounding and w.gso_code is not null order by w.gso_code",
            )
            .fetch_all(&state.pool)
            .await?,
        )
    };
    Ok(Json(Access {
        signed_in,
        collections: principal
            .readable_kinds()
            .into_iter()
            .map(|kind| kind.collection())
            .collect(),
        tile_layers,
        history: principal.require_login().is_ok(),
        permits: principal.require_login().is_ok(),
        analysis: principal.may_read_analysis().is_ok(),
        undergrounding_wards,
        owners_in_figures: principal.sees_owners_in_figures(),
        sharing: principal.sees_sharing(),
    }))
}
