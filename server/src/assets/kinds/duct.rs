//! Duct banks (cống bể cáp): runs of 1–5 layers of 2–20 pipes buried between two
//! manholes (TCVN 8700:2011; at least 500 mm of cover under pavement, 700 mm
//! under road). Each pipe is free, partly occupied, occupied or damaged, and an
//! occupied pipe names the operator whose cable is in it: free pipes are what
//! another operator needs to get a cable through without digging.

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;

use super::Kind;
use crate::assets::AssetKind;
use crate::validation::{Code, Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PipeState {
    Free,
    PartlyOccupied,
    Occupied,
    Damaged,
}

impl PipeState {
    fn has_occupant(self) -> bool {
        matches!(self, Self::Occupied | Self::PartlyOccupied)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    Pavement,
    Road,
    Verge,
    Other,
}

/// One pipe of a duct bank.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pipe {
    /// Pipe number, 1 to `pipe_count`.
    pub no: i16,
    #[serde(default)]
    pub layer: Option<i16>,
    pub state: PipeState,
    /// Code of the operator whose cable is in the pipe (occupied pipes only).
    #[serde(default)]
    pub occupant: Option<String>,
}

/// What is particular to a duct bank.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Duct {
    /// Layers of pipes (1–5).
    pub layers: i16,
    /// Pipes in the bank (1–24).
    pub pipe_count: i16,
    #[serde(default)]
    pub pipe_diameter_mm: Option<i16>,
    /// Soil cover above the top layer, millimetres.
    #[serde(default)]
    pub cover_depth_mm: Option<i32>,
    #[serde(default)]
    pub surface: Option<Surface>,
    #[serde(default)]
    pub from_manhole_id: Option<i64>,
    #[serde(default)]
    pub to_manhole_id: Option<i64>,
    /// The state of each pipe. Left out, every pipe is recorded as free (a new,
    /// empty duct bank).
    #[serde(default)]
    pub pipes: Option<Vec<Pipe>>,
}

impl Duct {
    /// Checks that the manholes at either end exist and are manholes.
    pub async fn check_manholes(
        &self,
        conn: &mut PgConnection,
        problems: &mut Problems,
    ) -> sqlx::Result<()> {
        for (field, id) in [
            ("from_manhole_id", self.from_manhole_id),
            ("to_manhole_id", self.to_manhole_id),
        ] {
            let Some(id) = id else { continue };
            let kind: Option<String> = sqlx::query_scalar("select kind from asset where id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            match kind.as_deref() {
                Some("manhole") => {}
                Some(other) => {
                    problems.add(field, format!("asset {id} is a {other}, not a manhole"))
                }
                None => problems.add(field, format!("asset {id} does not exist")),
            }
        }
        Ok(())
    }

    /// Writes the pipe rows (after the duct row), resolving occupant codes.
    pub async fn save_pipes(
        &self,
        conn: &mut PgConnection,
        asset_id: i64,
        problems: &mut Problems,
    ) -> sqlx::Result<()> {
        let pipes: Vec<Pipe> = match &self.pipes {
            Some(pipes) => pipes.clone(),
            None => (1..=self.pipe_count)
                .map(|no| Pipe {
                    no,
                    layer: None,
                    state: PipeState::Free,
                    occupant: None,
                })
                .collect(),
        };
        let unknown: Vec<String> = sqlx::query_scalar(
            "select distinct c from unnest($1::text[]) c where not exists (select 1 from operator o where o.code = c)",
        )
        .bind(pipes.iter().filter_map(|p| p.occupant.clone()).collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        for code in unknown {
            problems.add(
                "pipes",
                format!("occupant {code} is not a registered operator"),
            );
        }
        if !problems.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "insert into duct_pipe (duct_id, pipe_no, layer, state, occupant_id)
             select $1, p.no, p.layer, p.state, o.id
             from jsonb_to_recordset($2) as p(no smallint, layer smallint, state text, occupant text)
             left join operator o on o.code = p.occupant",
        )
        .bind(asset_id)
        .bind(sqlx::types::Json(&pipes))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

impl Kind for Duct {
    const KIND: AssetKind = AssetKind::Duct;
    const TABLE: &'static str = "duct";
    const SINGLE_ROW: bool = false;
    const TILE_COLUMNS: &'static str = "d.pipe_count::integer as pipe_count, \
         (select count(*) from duct_pipe p where p.duct_id = d.asset_id and p.state = 'free')::integer as free_pipes";
    const TILE_FIELDS: &'static [(&'static str, &'static str)] =
        &[("pipe_count", "Number"), ("free_pipes", "Number")];
    const SHORT_NAMES: &'static [(&'static str, &'static str)] = &[
        ("pipe_diameter_mm", "pipe_d_mm"),
        ("cover_depth_mm", "cover_mm"),
        ("from_manhole_id", "from_mh"),
        ("to_manhole_id", "to_mh"),
    ];

    fn check(&self, problems: &mut Problems) {
        if !(1..=5).contains(&self.layers) {
            problems.add(
                "layers",
                Problem::new(Code::OutOfRange, "must be between 1 and 5")
                    .with("min", 1)
                    .with("max", 5),
            );
        }
        if !(1..=24).contains(&self.pipe_count) {
            problems.add(
                "pipe_count",
                Problem::new(Code::OutOfRange, "must be between 1 and 24")
                    .with("min", 1)
                    .with("max", 24),
            );
        }
        if let Some(d) = self.pipe_diameter_mm
            && !(10..=250).contains(&d)
        {
            problems.add(
                "pipe_diameter_mm",
                Problem::new(Code::OutOfRange, "must be between 10 and 250 mm")
                    .with("min", 10)
                    .with("max", 250)
                    .with("unit", "mm"),
            );
        }
        if let Some(c) = self.cover_depth_mm
            && !(100..=10_000).contains(&c)
        {
            problems.add(
                "cover_depth_mm",
                Problem::new(Code::OutOfRange, "must be between 100 and 10000 mm")
                    .with("min", 100)
                    .with("max", 10000)
                    .with("unit", "mm"),
            );
        }
        if self.from_manhole_id.is_some() && self.from_manhole_id == self.to_manhole_id {
            problems.add("to_manhole_id", "a duct bank joins two different manholes");
        }
        let Some(pipes) = &self.pipes else { return };
        if pipes.len() != self.pipe_count.max(0) as usize {
            problems.add(
                "pipes",
                format!(
                    "lists {} pipes but pipe_count is {}",
                    pipes.len(),
                    self.pipe_count
                ),
            );
        }
        let mut seen = Vec::new();
        for (i, pipe) in pipes.iter().enumerate() {
            let at = |field: &str| format!("pipes[{i}].{field}");
            if pipe.no < 1 || pipe.no > self.pipe_count {
                problems.add(
                    at("no"),
                    format!("must be between 1 and {}", self.pipe_count),
                );
            } else if seen.contains(&pipe.no) {
                problems.add(at("no"), format!("pipe {} is listed twice", pipe.no));
            }
            seen.push(pipe.no);
            if let Some(layer) = pipe.layer
                && (layer < 1 || layer > self.layers)
            {
                problems.add(
                    at("layer"),
                    format!("must be between 1 and {}", self.layers),
                );
            }
            match (pipe.state.has_occupant(), &pipe.occupant) {
                (true, None) => problems.add(at("occupant"), "required for an occupied pipe"),
                (false, Some(_)) if pipe.state == PipeState::Free => {
                    problems.add(at("occupant"), "a free pipe has no occupant")
                }
                _ => {}
            }
        }
    }

    async fn save(
        &self,
        conn: &mut PgConnection,
        asset_id: i64,
        problems: &mut Problems,
    ) -> sqlx::Result<()> {
        sqlx::query("delete from duct_pipe where duct_id = $1")
            .bind(asset_id)
            .execute(&mut *conn)
            .await?;
        self.check_manholes(conn, problems).await?;
        super::save_row(conn, Self::TABLE, asset_id, self).await?;
        self.save_pipes(conn, asset_id, problems).await
    }
}
