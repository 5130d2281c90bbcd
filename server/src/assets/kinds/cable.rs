//! Cable routes (tuyến cáp): an operator's fibre, copper or coaxial cable,
//! overhead on poles (cáp treo) or underground in ducts and trenches (cáp ngầm),
//! trunk or subscriber. Overhead cable in the city centre is what undergrounding
//! plans remove, so each route records what carries it.

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::{Code, Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CablePlacement {
    Overhead,
    Underground,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    Fibre,
    Copper,
    Coax,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CableRole {
    Trunk,
    Subscriber,
}

/// What is particular to a cable route.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cable {
    pub placement: CablePlacement,
    pub medium: Medium,
    pub role: CableRole,
    /// Fibres, or copper pairs.
    #[serde(default)]
    pub core_count: Option<i32>,
    /// Ids of the poles (overhead) or ducts, trenches and manholes
    /// (underground) that carry the cable, in order along the route.
    #[serde(default)]
    pub carried_by: Vec<i64>,
}

impl Cable {
    /// Writes the supports (after the cable row), checking that each exists and
    /// can carry this kind of cable.
    pub async fn save_supports(
        &self,
        conn: &mut PgConnection,
        asset_id: i64,
        problems: &mut Problems,
    ) -> sqlx::Result<()> {
        let allowed: &[&str] = match self.placement {
            CablePlacement::Overhead => &["pole", "tower"],
            CablePlacement::Underground => &["duct", "trench", "manhole"],
        };
        let found: Vec<(i64, String)> =
            sqlx::query_as("select id, kind from asset where id = any($1)")
                .bind(&self.carried_by)
                .fetch_all(&mut *conn)
                .await?;
        for id in &self.carried_by {
            match found.iter().find(|(found_id, _)| found_id == id) {
                None => problems.add("carried_by", format!("asset {id} does not exist")),
                Some((_, kind)) if !allowed.contains(&kind.as_str()) => problems.add(
                    "carried_by",
                    format!(
                        "asset {id} is a {kind}; {} cable is carried by {}",
                        match self.placement {
                            CablePlacement::Overhead => "overhead",
                            CablePlacement::Underground => "underground",
                        },
                        allowed.join(", ")
                    ),
                ),
                Some(_) => {}
            }
        }
        if !problems.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "insert into cable_support (cable_id, seq, support_id)
             select $1, s.seq, s.id from unnest($2::bigint[]) with ordinality as s(id, seq)",
        )
        .bind(asset_id)
        .bind(&self.carried_by)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

impl Kind for Cable {
    const KIND: AssetKind = AssetKind::Cable;
    const TABLE: &'static str = "cable";
    const SINGLE_ROW: bool = false;
    const TILE_COLUMNS: &'static str = "d.placement, d.medium, d.role";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] = &[
        ("placement", "String"),
        ("medium", "String"),
        ("role", "String"),
    ];
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[("core_count", "cores")];

    fn check(&self, problems: &mut Problems) {
        if let Some(c) = self.core_count
            && !(1..=10_000).contains(&c)
        {
            problems.add(
                "core_count",
                Problem::new(Code::OutOfRange, "must be between 1 and 10000")
                    .with("min", 1)
                    .with("max", 10000),
            );
        }
        let mut seen = Vec::new();
        for id in &self.carried_by {
            if seen.contains(id) {
                problems.add("carried_by", format!("lists asset {id} twice"));
                return;
            }
            seen.push(*id);
        }
    }

    async fn save(
        &self,
        conn: &mut PgConnection,
        asset_id: i64,
        problems: &mut Problems,
    ) -> sqlx::Result<()> {
        sqlx::query("delete from cable_support where cable_id = $1")
            .bind(asset_id)
            .execute(&mut *conn)
            .await?;
        super::save_row(conn, Self::TABLE, asset_id, self).await?;
        self.save_supports(conn, asset_id, problems).await
    }
}
