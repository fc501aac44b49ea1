use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: GraphQL execution allocates many small,
/// short-lived values, and glibc's malloc spent a third of the server's time on them.
/// SQLite keeps the system allocator: routing it through mimalloc too (its `override`
/// feature) gained nothing measurable and kept a heap per SQLite worker thread, which
/// raised the peak resident memory by 10 MB or more.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = clientele::cli::Cli::parse();
    clientele::telemetry::init(cli.opts.log_format);
    match clientele::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
