use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: GraphQL execution allocates many small,
/// short-lived values, and glibc's malloc spent a third of the server's time on them.
/// Its `override` feature makes it the process's `malloc` too, which SQLite uses: sqlx
/// copies every value of every row on SQLite's worker thread and frees the copies on a
/// runtime thread, and glibc's `malloc` and `free` for them were 18% of a list page's
/// instructions (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Before the runtime's threads and first allocations touch the heap.
    clientele::memory::no_huge_pages();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> ExitCode {
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
