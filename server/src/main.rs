//! The `hatang` command: `serve` (the default), `migrate`, `load-demo`, `openapi`, ….

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use hatang::accounts::policy::Role;
use hatang::accounts::users::{NewUser, create_user};
use hatang::config::{Cli, Command};
use hatang::database::Database;
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
    Ok(())
}

async fn verify_history(database: &Database) -> anyhow::Result<()> {
    let report = audit::verify(&database.pool).await?;
    println!("History entries: {}", report.entries);
    println!(
        "Head hash:       {}",
        report.head_hash.as_deref().unwrap_or("(empty history)")
    );
    match report.first_broken {
        None => {
            println!(
                "The hash chain is intact. Keep the head hash outside the database to detect the loss of the newest entries."
            );
            Ok(())
        }
        Some(broken) => {
            anyhow::bail!(
                "the hash chain is BROKEN at entry {} (history id {}): {}",
                broken.chain_seq,
                broken.history_id,
                broken.problem
            )
        }
    }
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
    let app = Application::build(&cli.server, database.pool.clone())
        .await
        .with_context(|| format!("cannot listen on {}:{}", cli.server.bind, cli.server.port))?;
    // The ward's daily chores: lapse unused permits, warn of deadlines.
    let pool = database.pool.clone();
    let housekeeping = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(error) = hatang::permits::store::housekeeping(&pool).await {
                tracing::error!(%error, "permit housekeeping failed");
            }
            if let Err(error) = hatang::undergrounding::analysis::snapshot(&pool).await {
                tracing::error!(%error, "undergrounding snapshot failed");
            }
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
