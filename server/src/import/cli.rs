//! `hatang import FILE --kind poles --operator VNPT [--crs … | --tm3 …]
//! [--mapping …] [--layer …] [--dry-run]`: the same job as an upload, run at
//! once with the proposed (or given) mapping, reporting on the terminal.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use sqlx::PgPool;

use super::jobs::{self, NewJob, Status};
use super::mapping::Mapping;
use super::pipeline::{self, Mode, Plan};
use super::source::{EXTENSIONS, Format, SourceFile};
use super::{Limits, Request, prepare, requested_crs};
use crate::assets::AssetKind;
use crate::audit::Actor;
use crate::config::ImportArgs;

/// Runs the import; `Ok(false)` when rows were refused (nothing written).
pub async fn run(pool: &PgPool, args: &ImportArgs, limits: Limits) -> anyhow::Result<bool> {
    let started = Instant::now();
    let kind = AssetKind::from_collection(&args.kind)
        .or_else(|| AssetKind::parse(&args.kind))
        .with_context(|| format!("unknown kind {:?}; one of towers, poles, ducts, manholes, trenches, cables, cabinets", args.kind))?;
    let operator_id: i64 = sqlx::query_scalar("select id from operator where code = $1")
        .bind(&args.operator)
        .fetch_optional(pool)
        .await?
        .with_context(|| format!("{} is not a registered operator", args.operator))?;
    let name = args.file.display().to_string();
    let format = Format::from_file_name(&name)
        .with_context(|| format!("{name} is not a format Hatang imports; one of {EXTENSIONS}"))?;
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {name}"))?
        .len();
    let crs = requested_crs(args.crs.as_deref(), args.tm3.as_deref())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mapping = match &args.mapping {
        None => None,
        Some(text) => {
            let json = if text.trim_start().starts_with('{') {
                text.clone()
            } else {
                std::fs::read_to_string(text)
                    .with_context(|| format!("cannot read the mapping file {text}"))?
            };
            Some(
                serde_json::from_str::<Mapping>(&json)
                    .context("the mapping must be JSON: {\"column\": \"attribute\" or null}")?,
            )
        }
    };
    let file = Arc::new(
        SourceFile::on_disk(&args.file, format, &limits.archive)
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    let request = Request {
        crs,
        mapping,
        values: None,
        layer: args.layer.clone(),
    };
    let preview = prepare(
        pool,
        file.clone(),
        kind,
        operator_id,
        &args.operator,
        &request,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(n) = preview.overview.feature_count
        && n > limits.max_rows
    {
        bail!(
            "the file has {n} rows; one import takes at most {} (--import-max-rows)",
            limits.max_rows
        );
    }
    eprintln!(
        "{} ({}), layer {:?}",
        name, preview.overview.format, preview.overview.layer
    );
    eprintln!(
        "coordinates: {} ({})",
        preview.crs.label,
        preview.crs.chosen_by.as_str()
    );
    for (column, target) in &preview.mapping.0 {
        eprintln!(
            "  {column:>24} → {}",
            target.as_deref().unwrap_or("(not imported)")
        );
    }
    for note in &preview.notes {
        eprintln!("note: {}", note.problem);
    }
    if !preview.mapping_problems.is_empty() {
        for p in &preview.mapping_problems {
            eprintln!("mapping: {}: {}", p.field, p.problem);
        }
        bail!("fix the mapping with --mapping '{{\"column\": \"attribute\"}}'");
    }
    let id = jobs::create(
        pool,
        NewJob {
            kind,
            operator_id,
            file_name: &name,
            format: format.label(),
            size_bytes: size as i64,
            content: None,
            source: "cli",
            actor: &Actor::named("command line"),
        },
    )
    .await?;
    let crs = request
        .crs
        .clone()
        .unwrap_or_else(|| crate::coordinates::Crs::from_srid(preview.crs.srid));
    jobs::set_preview(pool, id, &crs, &preview).await?;
    let to = if args.dry_run {
        Status::Validating
    } else {
        Status::Committing
    };
    jobs::transition(pool, id, &[Status::Uploaded], to).await?;
    let plan = Plan {
        kind,
        operator: args.operator.clone(),
        crs,
        mapping: preview.mapping.clone(),
        values: preview.value_mapping.clone(),
        layer: Some(preview.overview.layer.clone()).filter(|_| format != Format::Kml),
        max_rows: limits.max_rows,
    };
    let mode = if args.dry_run {
        Mode::Validate
    } else {
        Mode::Commit(Actor::named(format!("import:{id} (command line)")))
    };
    let progress: pipeline::Progress = Arc::new(|phase, n| {
        eprint!("\r{phase}: {n} rows   ");
        let _ = std::io::stderr().flush();
    });
    let outcome = match pipeline::run(pool, file, &plan, mode, progress).await {
        Ok(outcome) => outcome,
        Err(error) => {
            jobs::fail(pool, id, &error.to_string()).await?;
            eprintln!();
            bail!("import job {id}: {error}; nothing was written");
        }
    };
    eprintln!();
    let ok = outcome.problem_count == 0;
    let status = match (ok, args.dry_run) {
        (false, _) => Status::Invalid,
        (true, true) => Status::Validated,
        (true, false) => Status::Committed,
    };
    jobs::finish(pool, id, status, &outcome, None).await?;
    for p in &outcome.problems {
        let row = p
            .row
            .map(|r| format!("row {r}"))
            .unwrap_or_else(|| "file".into());
        let column = p
            .column
            .as_ref()
            .map(|c| format!(" (column {c})"))
            .unwrap_or_default();
        println!("{row}: {}{column}: {}", p.field, p.problem);
    }
    let seconds = started.elapsed().as_secs_f64();
    if ok {
        println!(
            "import job {id}: {} rows {}: {} created, {} updated, {} unchanged ({seconds:.1} s)",
            outcome.rows,
            if args.dry_run {
                "valid (dry run, nothing written)"
            } else {
                "imported"
            },
            outcome.created,
            outcome.updated,
            outcome.unchanged
        );
    } else {
        println!(
            "import job {id}: {} problems in {} rows; nothing was written ({seconds:.1} s)",
            outcome.problem_count, outcome.rows
        );
    }
    Ok(ok)
}
