//! The `hatang` command: `serve` (the default), `migrate`, `load-demo`.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use hatang::config::{Cli, Command};
use hatang::database::Database;
use hatang::{Application, demo, telemetry};

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
        Command::LoadDemo { reset } => {
            let summary = demo::load(&database.pool, *reset).await?;
            println!("Demo loaded: {summary}.");
            Ok(())
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

async fn serve(cli: &Cli, database: &Database) -> anyhow::Result<()> {
    let interrupted = hatang::import::jobs::recover(&database.pool).await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "import jobs left running by the last server were marked failed"
        );
    }
    if demo::registry_is_empty(&database.pool).await? {
        tracing::info!("the registry is empty: loading the demo ward");
        let summary = demo::load(&database.pool, false).await?;
        println!("Loaded the demo data: {summary}.");
    }
    let app = Application::build(&cli.server, database.pool.clone())
        .await
        .with_context(|| format!("cannot listen on {}:{}", cli.server.bind, cli.server.port))?;
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
    println!(
        "  Demo logins:          none yet — user accounts arrive with the accounts issue; the API is open"
    );
    println!("  Stop with Ctrl+C.");
    println!();
    app.run(shutdown_signal()).await.context("serving")?;
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
