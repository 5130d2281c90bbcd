//! The `hatang` command: `serve` (the default), `migrate`, `load-demo`, `openapi`, ….

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use hatang::accounts::users::{NewUser, create_user};
use hatang::config::{Cli, Command};
use hatang::database::Database;
use hatang::policy::Role;
use hatang::{Application, accounts, audit, demo, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("hatang: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Openapi) = cli.command {
        let text = serde_json::to_string_pretty(&hatang::app::openapi())?;
        println!("{text}");
        return Ok(());
    }
    // Commands that work on a cluster themselves, not through an open database.
    match cli.command.as_ref() {
        Some(Command::Replica { from }) => return replica(&cli, from).await,
        Some(Command::Backup { keep }) => {
            let info = hatang::database::backup::backup(&cli.database, *keep).await?;
            println!(
                "Base backup {} finished at {}; the write-ahead log is archived from now on in {}.",
                info.name,
                info.finished_at
                    .with_timezone(&hatang::vn_time::VIETNAM)
                    .format("%d/%m/%Y %H:%M:%S"),
                cli.database
                    .data_dir
                    .join(hatang::database::backup::WAL_ARCHIVE)
                    .display()
            );
            return Ok(());
        }
        Some(Command::Restore { to }) => {
            let target = hatang::database::backup::parse_time(to)?;
            let (from, kept) = hatang::database::backup::restore(&cli.database, target).await?;
            println!(
                "Restored to {} from the base backup {} and the archived log. The cluster as it was before is kept in {}. Start the server again with `hatang serve`.",
                target
                    .with_timezone(&hatang::vn_time::VIETNAM)
                    .format("%d/%m/%Y %H:%M:%S %:z"),
                from.name,
                kept.display()
            );
            return Ok(());
        }
        _ => {}
    }
    // Opening the database may start the embedded cluster; that must happen on
    // this (the main) thread, which owns the postmaster for the process's life.
    let database = Database::open(&cli.database)
        .await
        .context("opening the database")?;
    let result = match cli.command.as_ref().unwrap_or(&Command::Serve) {
        Command::Serve => serve(&cli, &database).await,
        Command::Migrate => {
            println!("Database is up to date.");
            Ok(())
        }
        Command::LoadDemo { reset } => load_demo(&cli, &database, *reset).await,
        Command::VerifyHistory => verify_history(&database).await,
        Command::Openapi => Ok(()),
        Command::CreateUser {
            username,
            display_name,
            role,
            operator,
            scope,
        } => {
            let role = Role::parse(role).with_context(|| {
                format!("unknown role {role}; one of admin, reviewer, planner, operator_member")
            })?;
            let mut conn = database.pool.acquire().await?;
            let request = NewUser {
                username: username.clone(),
                display_name: display_name.clone(),
                role,
                operator: operator.clone(),
                scope: scope.clone(),
                password: None,
            };
            match create_user(&mut conn, request).await {
                Ok((_, password)) => {
                    println!(
                        "Created {username} ({}). Password (shown once): {password}",
                        role.as_str()
                    );
                    Ok(())
                }
                Err(error) => {
                    let message = error.to_string();
                    let problems: Vec<String> = problem_details(error)
                        .into_iter()
                        .map(|p| format!("{}: {}", p.field, p.problem))
                        .collect();
                    Err(anyhow::anyhow!("{message}: {}", problems.join("; ")))
                }
            }
        }
        Command::Replica { .. } | Command::Backup { .. } | Command::Restore { .. } => {
            unreachable!("handled above")
        }
        Command::Import(args) => {
            match hatang::import::cli::run(&database.pool, args, cli.server.import_limits()).await {
                Ok(true) => Ok(()),
                Ok(false) => {
                    database.close().await;
                    std::process::exit(1);
                }
                Err(error) => Err(error),
            }
        }
    };
    database.close().await;
    result
}

fn problem_details(error: hatang::http::error::ApiError) -> Vec<hatang::http::error::FieldProblem> {
    match error {
        hatang::http::error::ApiError::Invalid(details) => details,
        _ => Vec::new(),
    }
}

/// Loads the demo data and creates the demo accounts, keeping their logins.
async fn load_demo(cli: &Cli, database: &Database, reset: bool) -> anyhow::Result<()> {
    let summary = demo::load(&database.pool, reset).await?;
    println!("Loaded the demo data: {summary}.");
    let logins = accounts::demo::create(&database.pool)
        .await
        .map_err(|e| anyhow::anyhow!("creating the demo accounts: {e}"))?;
    accounts::demo::save(&cli.database.data_dir, &logins).with_context(|| {
        format!(
            "saving the demo logins in {}",
            cli.database.data_dir.display()
        )
    })?;
    // In the field: a few reports, an inspection round and a violation, filed
    // as the demo accounts (so the field screens are not empty).
    let field = demo::field::load(&database.pool)
        .await
        .map_err(|e| anyhow::anyhow!("loading the demo field work: {e}"))?;
    println!("Demo field work: {field}.");
    // A data call of the season with operators at every stage.
    let filings = demo::filings::load(&database.pool)
        .await
        .map_err(|e| anyhow::anyhow!("loading the demo data call: {e}"))?;
    println!("Demo data call: {filings}.");
    Ok(())
}

async fn verify_history(database: &Database) -> anyhow::Result<()> {
    let report = audit::verify(&database.pool).await?;
    println!("History entries: {}", report.entries);
    println!(
        "Head hash:       {}",
        report.head_hash.as_deref().unwrap_or("(empty history)")
    );
    println!("Change log entries: {}", report.change_log.entries);
    println!(
        "Change log head:    {}",
        report
            .change_log
            .head_hash
            .as_deref()
            .unwrap_or("(empty change log)")
    );
    if let Some(broken) = report.first_broken {
        anyhow::bail!(
            "the hash chain is BROKEN at entry {} (history id {}): {}",
            broken.chain_seq,
            broken.history_id,
            broken.problem
        )
    }
    if let Some(broken) = report.change_log.first_broken {
        anyhow::bail!(
            "the change log's hash chain is BROKEN at entry {} (change log id {}): {}",
            broken.chain_seq,
            broken.history_id,
            broken.problem
        )
    }
    println!(
        "Both hash chains are intact. Keep the head hashes outside the database to detect the loss of the newest entries."
    );
    Ok(())
}

async fn serve(cli: &Cli, database: &Database) -> anyhow::Result<()> {
    let interrupted = hatang::import::jobs::recover(&database.pool).await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "import jobs left running by the last server were marked failed"
        );
    }
    if !cli.no_demo && demo::registry_is_empty(&database.pool).await? {
        tracing::info!("the registry is empty: loading the demo ward");
        load_demo(cli, database, false).await?;
    }
    let mut server = cli.server.clone();
    // On a production database printed documents must link to the configured
    // public address; the embedded demo may use its own.
    server.public_url_required = database.cluster.is_none();
    let databases = database.with_replicas(&cli.database)?;
    let app = Application::build_with(&server, databases.clone())
        .await
        .with_context(|| format!("cannot listen on {}:{}", cli.server.bind, cli.server.port))?;
    // The ward's daily chores: lapse unused permits, warn of deadlines, remind
    // operators of data calls. With several servers on one database, one of
    // them does them at a time.
    let pool = database.pool.clone();
    let housekeeping = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if !databases.writable() {
                continue;
            }
            let Ok(mut chores) = pool.acquire().await else {
                continue;
            };
            let mine: bool =
                sqlx::query_scalar("select pg_try_advisory_lock(hashtext('hatang_housekeeping'))")
                    .fetch_one(&mut *chores)
                    .await
                    .unwrap_or(false);
            if !mine {
                continue;
            }
            if let Err(error) = hatang::permits::store::housekeeping(&pool).await {
                tracing::error!(%error, "permit housekeeping failed");
            }
            if let Err(error) = hatang::calendar::warn(&pool).await {
                tracing::error!(%error, "the calendar warning failed");
            }
            if let Err(error) = hatang::undergrounding::analysis::snapshot(&pool).await {
                tracing::error!(%error, "undergrounding snapshot failed");
            }
            // Today's registry figures of every planned unit, for the plans' trends.
            if let Err(error) = hatang::indicators::values::snapshot(&pool).await {
                tracing::error!(%error, "indicator snapshot failed");
            }
            if let Err(error) =
                hatang::filings::reminders::run(&pool, hatang::vn_time::today()).await
            {
                tracing::error!(%error, "filing reminders failed");
            }
            // In the field: reminders and escalation of reports and violations.
            if let Err(error) = hatang::incidents::store::housekeeping(&pool).await {
                tracing::error!(%error, "report reminders failed");
            }
            if let Err(error) = hatang::violations::store::housekeeping(&pool).await {
                tracing::error!(%error, "violation reminders failed");
            }
            if let Err(error) = hatang::http::idempotency::tidy(&pool).await {
                tracing::error!(%error, "forgetting old idempotency keys failed");
            }
            let _ = sqlx::query("select pg_advisory_unlock(hashtext('hatang_housekeeping'))")
                .execute(&mut *chores)
                .await;
        }
    });
    let address = app.local_addr();
    let host = if address.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    println!();
    println!("  Hạ tầng is running at http://{host}:{}/", address.port());
    println!(
        "  API description:      http://{host}:{}/api/openapi.json",
        address.port()
    );
    match &database.cluster {
        Some(cluster) => println!(
            "  Database:             embedded PostgreSQL {} in {}",
            cluster.version(),
            cluster.pgdata().display()
        ),
        None => println!(
            "  Database:             {}",
            cli.database
                .database_url
                .as_ref()
                .map(|u| u.redacted())
                .unwrap_or_default()
        ),
    }
    match accounts::demo::saved(&cli.database.data_dir) {
        Some(logins) => {
            let file = accounts::demo::logins_file(&cli.database.data_dir);
            println!(
                "  Demo logins (user, password, role; kept in {}):",
                file.display()
            );
            for line in logins.lines() {
                println!("    {line}");
            }
        }
        None => {
            println!("  Demo logins:          none (create accounts with `hatang create-user`)")
        }
    }
    println!("  Stop with Ctrl+C.");
    println!();
    app.run(shutdown_signal()).await.context("serving")?;
    housekeeping.abort();
    tracing::info!("stopped serving");
    Ok(())
}

/// `hatang replica`: copies the primary if needed and runs the standby until Ctrl+C.
async fn replica(cli: &Cli, from: &hatang::config::DatabaseUrl) -> anyhow::Result<()> {
    let config = cli.database.clone();
    let from_owned = from.clone();
    // The postmaster belongs to the thread that starts it (see Database::open).
    let cluster =
        hatang::database::replica::start(&config, &from_owned).context("starting the replica")?;
    println!();
    println!(
        "  Streaming replica of {} in {}",
        from.redacted(),
        cluster.pgdata().display()
    );
    println!(
        "  Hatang servers read from it with: --database-replica-url '{}'",
        hatang::database::replica::url_of(cluster.pgdata())
    );
    println!(
        "  Promote it to a primary with: pg_ctl promote -D {}",
        cluster.pgdata().display()
    );
    println!("  Stop with Ctrl+C.");
    println!();
    shutdown_signal().await;
    cluster.stop().context("stopping the replica")?;
    Ok(())
}

/// Completes on Ctrl+C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
