//! The kind-specific part of an asset, dispatched to the kind's own module.
//!
//! Each kind's attributes are a typed struct that is parsed (unknown fields
//! refused), checked, and stored as one row of the kind's detail table. The
//! row is written from the struct's JSON with `jsonb_populate_record`, and read
//! back with `to_jsonb` (see `asset_details` in the schema), so the API names
//! and the column names are the same and a document round-trips.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sqlx::PgConnection;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use super::kind::AssetKind;
use super::kinds::Kind;
use crate::validation::Problems;

/// What a kind's tile layer reads of its detail row: select-list
/// expressions over `d`, and the properties they give with their TileJSON types.
pub type TileColumns = (&'static str, &'static [(&'static str, &'static str)]);

macro_rules! details {
    ($($variant:ident => $ty:ty),* $(,)?) => {
        /// The attributes particular to an asset's kind.
        #[derive(Debug, Clone)]
        pub enum Details {
            $($variant($ty),)*
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
                    $(AssetKind::$variant => parse_as::<$ty>(properties, problems).map(Self::$variant),)*
                }?;
                match &details {
                    $(Self::$variant(d) => d.check(problems),)*
                }
                Some(details)
            }

            /// The attributes as the API names them (what `asset_details` gives back).
            pub fn to_json(&self) -> Value {
                let value = match self {
                    $(Self::$variant(d) => serde_json::to_value(d),)*
                };
                value.unwrap_or(Value::Null)
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
                    $(Self::$variant(d) => d.save(conn, asset_id, problems).await,)*
                }
            }

            /// The detail table of a kind.
            pub fn table(kind: AssetKind) -> &'static str {
                match kind {
                    $(AssetKind::$variant => <$ty>::TABLE,)*
                }
            }

            /// The detail table of a kind whose details are one row, if that is all
            /// they are (duct banks also list pipes, cables their supports).
            pub fn single_row_table(kind: AssetKind) -> Option<&'static str> {
                match kind {
                    $(AssetKind::$variant => <$ty>::SINGLE_ROW.then_some(<$ty>::TABLE),)*
                }
            }

            /// The OpenAPI schema of a kind's attributes: its name, the schema,
            /// and the schemas it refers to.
            pub fn schema(kind: AssetKind) -> KindSchema {
                match kind {
                    $(AssetKind::$variant => schema_of::<$ty>(),)*
                }
            }

            /// What the kind's tile layer reads of its detail row.
            pub fn tile_columns(kind: AssetKind) -> TileColumns {
                match kind {
                    $(AssetKind::$variant => (<$ty>::TILE_COLUMNS, <$ty>::TILE_FIELDS),)*
                }
            }

            /// The other names an import column may have for a kind-specific
            /// attribute (the first kind that names it).
            pub fn synonyms(attribute: &str) -> Option<&'static [&'static str]> {
                None$(.or_else(|| find(<$ty>::SYNONYMS, attribute)))*
            }

            /// A kind-specific attribute's name in exports limited to 10 characters.
            pub fn short_name(attribute: &str) -> Option<&'static str> {
                None$(.or_else(|| find(<$ty>::SHORT_NAMES, attribute)))*
            }
        }
    };
}

crate::for_each_kind!(details);

fn find<T: Copy>(table: &'static [(&'static str, T)], key: &str) -> Option<T> {
    table
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, value)| *value)
}

/// A named schema of the OpenAPI document.
pub type NamedSchema = (String, RefOr<Schema>);

/// A kind's attribute schema: its name, the schema, and the schemas it refers to.
pub type KindSchema = (String, RefOr<Schema>, Vec<NamedSchema>);

fn schema_of<T: utoipa::ToSchema>() -> KindSchema {
    let mut refs = Vec::new();
    T::schemas(&mut refs);
    (T::name().into_owned(), T::schema(), refs)
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
