//! The kind-specific part of an asset, dispatched to the kind's own module.
//!
//! Each kind's attributes are a typed struct that is parsed (unknown fields
//! refused), checked, and stored as one row of the kind's detail table. The
//! row is written from the struct's JSON with `jsonb_populate_record`, and read
//! back with `to_jsonb` (see `asset_details` in the schema), so the API names
//! and the column names are the same and a document round-trips.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sqlx::PgConnection;

use super::kind::AssetKind;
use crate::assets::kinds::cabinet::Cabinet;
use crate::assets::kinds::cable::Cable;
use crate::assets::kinds::duct::Duct;
use crate::assets::kinds::manhole::Manhole;
use crate::assets::kinds::pole::Pole;
use crate::assets::kinds::tower::Tower;
use crate::assets::kinds::trench::Trench;
use crate::http::error::Problems;

#[derive(Debug, Clone)]
pub enum Details {
    Tower(Tower),
    Pole(Pole),
    Duct(Duct),
    Manhole(Manhole),
    Trench(Trench),
    Cable(Cable),
    Cabinet(Cabinet),
}

impl Details {
    /// Parses and checks the kind-specific properties (everything that is not
    /// a core property).
    pub fn parse(
        kind: AssetKind,
        properties: Map<String, Value>,
        problems: &mut Problems,
    ) -> Option<Self> {
        let details = match kind {
            AssetKind::Tower => parse_as(properties, problems).map(Self::Tower),
            AssetKind::Pole => parse_as(properties, problems).map(Self::Pole),
            AssetKind::Duct => parse_as(properties, problems).map(Self::Duct),
            AssetKind::Manhole => parse_as(properties, problems).map(Self::Manhole),
            AssetKind::Trench => parse_as(properties, problems).map(Self::Trench),
            AssetKind::Cable => parse_as(properties, problems).map(Self::Cable),
            AssetKind::Cabinet => parse_as(properties, problems).map(Self::Cabinet),
        }?;
        match &details {
            Self::Tower(d) => d.check(problems),
            Self::Pole(d) => d.check(problems),
            Self::Duct(d) => d.check(problems),
            Self::Manhole(d) => d.check(problems),
            Self::Trench(d) => d.check(problems),
            Self::Cable(d) => d.check(problems),
            Self::Cabinet(d) => d.check(problems),
        }
        Some(details)
    }

    /// The attributes as the API names them (what `asset_details` gives back).
    pub fn to_json(&self) -> Value {
        let value = match self {
            Self::Tower(d) => serde_json::to_value(d),
            Self::Pole(d) => serde_json::to_value(d),
            Self::Duct(d) => serde_json::to_value(d),
            Self::Manhole(d) => serde_json::to_value(d),
            Self::Trench(d) => serde_json::to_value(d),
            Self::Cable(d) => serde_json::to_value(d),
            Self::Cabinet(d) => serde_json::to_value(d),
        };
        value.unwrap_or(Value::Null)
    }

    /// The detail table of a kind whose details are one row, if that is all
    /// they are (duct banks also list pipes, cables their supports).
    pub fn single_row_table(kind: AssetKind) -> Option<&'static str> {
        match kind {
            AssetKind::Tower => Some(Tower::TABLE),
            AssetKind::Pole => Some(Pole::TABLE),
            AssetKind::Manhole => Some(Manhole::TABLE),
            AssetKind::Trench => Some(Trench::TABLE),
            AssetKind::Cabinet => Some(Cabinet::TABLE),
            AssetKind::Duct | AssetKind::Cable => None,
        }
    }

    /// Writes (or replaces) the detail rows of asset `asset_id`. Problems found
    /// only against the database (an unknown occupant, a missing support) are
    /// added to `problems`; the caller rolls back if there are any.
    pub async fn save(
        &self,
        conn: &mut PgConnection,
        asset_id: i64,
        problems: &mut Problems,
    ) -> sqlx::Result<()> {
        match self {
            Self::Tower(d) => save_row(conn, Tower::TABLE, asset_id, d).await,
            Self::Pole(d) => save_row(conn, Pole::TABLE, asset_id, d).await,
            Self::Manhole(d) => save_row(conn, Manhole::TABLE, asset_id, d).await,
            Self::Trench(d) => save_row(conn, Trench::TABLE, asset_id, d).await,
            Self::Cabinet(d) => save_row(conn, Cabinet::TABLE, asset_id, d).await,
            Self::Duct(d) => {
                sqlx::query("delete from duct_pipe where duct_id = $1")
                    .bind(asset_id)
                    .execute(&mut *conn)
                    .await?;
                d.check_manholes(conn, problems).await?;
                save_row(conn, Duct::TABLE, asset_id, d).await?;
                d.save_pipes(conn, asset_id, problems).await
            }
            Self::Cable(d) => {
                sqlx::query("delete from cable_support where cable_id = $1")
                    .bind(asset_id)
                    .execute(&mut *conn)
                    .await?;
                save_row(conn, Cable::TABLE, asset_id, d).await?;
                d.save_supports(conn, asset_id, problems).await
            }
        }
    }
}

fn parse_as<T: DeserializeOwned>(
    properties: Map<String, Value>,
    problems: &mut Problems,
) -> Option<T> {
    match serde_path_to_error::deserialize(Value::Object(properties)) {
        Ok(value) => Some(value),
        Err(error) => {
            let path = error.path().to_string();
            let message = error.into_inner().to_string();
            let field = if path == "." {
                unknown_field_name(&message)
                    .unwrap_or("properties")
                    .to_string()
            } else {
                path
            };
            problems.add(field, message);
            None
        }
    }
}

/// serde names an unknown or missing field only in its message: "unknown field `x`, expected ...".
fn unknown_field_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

async fn save_row<T: Serialize>(
    conn: &mut PgConnection,
    table: &'static str,
    asset_id: i64,
    row: &T,
) -> sqlx::Result<()> {
    sqlx::query(&format!("delete from {table} where asset_id = $1"))
        .bind(asset_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "insert into {table} select * from jsonb_populate_record(null::{table}, $2 || jsonb_build_object('asset_id', $1::bigint))"
    ))
    .bind(asset_id)
    .bind(sqlx::types::Json(row))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
