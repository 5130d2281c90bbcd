//! The kinds of asset, one module each: what is particular to a tower, a
//! pole, a duct bank, a manhole, a trench, a cable route or a street cabinet.
//!
//! Each kind's attributes are a struct implementing [`Kind`]: its detail
//! table, its checks, its tile-layer columns, the names an import column may
//! have for its attributes, and (through `ToSchema`) its OpenAPI schema. The
//! tables that dispatch on the kind (`assets::details`, the import's targets
//! and synonyms, the export's short names, the tile layers, the API
//! description) are built from [`for_each_kind!`]'s one list, so adding a kind
//! is its module here, its line in that list and in `AssetKind`, and its
//! migration (see `tests::every_kind_is_wired_everywhere`).

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::kind::AssetKind;
use crate::validation::Problems;

pub mod cabinet;
pub mod cable;
pub mod duct;
pub mod manhole;
pub mod pole;
pub mod tower;
pub mod trench;

/// Calls `$callback!` with every kind: `Variant => module::Type`. The one list
/// of kinds that the dispatch tables are made from.
#[macro_export]
macro_rules! for_each_kind {
    ($callback:ident) => {
        $callback! {
            Tower => $crate::assets::kinds::tower::Tower,
            Pole => $crate::assets::kinds::pole::Pole,
            Duct => $crate::assets::kinds::duct::Duct,
            Manhole => $crate::assets::kinds::manhole::Manhole,
            Trench => $crate::assets::kinds::trench::Trench,
            Cable => $crate::assets::kinds::cable::Cable,
            Cabinet => $crate::assets::kinds::cabinet::Cabinet,
        }
    };
}

/// What a kind of asset adds to the core every asset has.
pub trait Kind:
    Serialize + DeserializeOwned + ToSchema + Clone + Debug + Send + Sync + 'static
{
    /// Which kind this is.
    const KIND: AssetKind;
    /// The detail table, one row per asset; its columns are the API's names.
    const TABLE: &'static str;
    /// Whether the detail row is all there is (duct banks also list their
    /// pipes, cable routes their supports).
    const SINGLE_ROW: bool = true;
    /// Select-list expressions over the detail row `d` for the kind's tile layer.
    const TILE_COLUMNS: &'static str;
    /// The properties those expressions give, with their TileJSON types.
    const TILE_FIELDS: &'static [(&'static str, &'static str)];
    /// Other names (slugs: lower case, no diacritics, `-` between words) an
    /// import column may have for an attribute of the kind.
    const SYNONYMS: &'static [(&'static str, &'static [&'static str])] = &[];
    /// Names of at most 10 characters for exports (Shapefile's limit), where
    /// an attribute's own name is longer.
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[];

    /// Checks that need no database: ranges and combinations of attributes.
    fn check(&self, problems: &mut Problems);

    /// Writes (or replaces) the kind's rows of asset `asset_id`: by default
    /// the one detail row. Problems found only against the database are added
    /// to `problems`; the caller rolls back if there are any.
    fn save(
        &self,
        conn: &mut PgConnection,
        asset_id: i64,
        problems: &mut Problems,
    ) -> impl Future<Output = sqlx::Result<()>> + Send {
        let _ = problems;
        save_row(conn, Self::TABLE, asset_id, self)
    }
}

/// The synonyms of a height in metres, which towers and poles share.
pub const HEIGHT_SYNONYMS: &[&str] = &["chieu-cao", "cao", "height", "do-cao", "chieu-cao-m"];

/// The synonyms of a depth in metres, which manholes and trenches share.
pub const DEPTH_SYNONYMS: &[&str] = &["do-sau", "sau"];

/// Writes the one detail row of asset `asset_id` from the attributes' JSON
/// (`jsonb_populate_record`, so the API's names are the columns' names).
pub async fn save_row<T: Serialize + Sync>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::details::Details;
    use crate::tiles::layers::Layer;

    macro_rules! kinds_of_the_list {
        ($($variant:ident => $ty:ty),* $(,)?) => {
            vec![$((AssetKind::$variant, <$ty as Kind>::KIND)),*]
        };
    }

    #[test]
    fn every_kind_is_wired_everywhere() {
        let listed = crate::for_each_kind!(kinds_of_the_list);
        for (variant, declared) in &listed {
            assert_eq!(
                variant, declared,
                "{declared:?} is listed under another name"
            );
        }
        for kind in AssetKind::ALL {
            assert!(
                listed.iter().any(|(k, _)| *k == kind),
                "{kind:?} is missing from for_each_kind!"
            );
            assert!(!Details::table(kind).is_empty());
            let (name, _, _) = Details::schema(kind);
            assert!(!name.is_empty(), "{kind:?} has an OpenAPI schema");
            assert!(
                Layer::ALL
                    .iter()
                    .any(|layer| layer.asset().is_some_and(|a| a.kind == kind.as_str())),
                "{kind:?} has a tile layer"
            );
            let targets = crate::import::mapping::targets(kind);
            let (_, schema, _) = Details::schema(kind);
            let schema = serde_json::to_value(schema).unwrap();
            for attribute in schema["properties"].as_object().unwrap().keys() {
                assert!(
                    targets.iter().any(|t| &t.name == attribute),
                    "{kind:?}'s {attribute} can be imported"
                );
            }
        }
    }
}
