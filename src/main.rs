use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator, also for the bundled SQLite (the `override`
/// feature): GraphQL execution allocates many small, short-lived values, rows are
/// allocated on SQLite's worker threads and freed on tokio's, and glibc's malloc spent a
/// third of the server's time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = clientele::cli::Cli::parse();
    clientele::telemetry::init();
    match clientele::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
