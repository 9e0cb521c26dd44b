//! The `rfc-lsp` binary: the language server (default) and the command-line checker.

use std::process::ExitCode;

use clap::Parser;
use rfc_lsp::cli::{self, Cli, Command};

fn main() -> ExitCode {
    // stdout carries the protocol: logs go to stderr. RFC_LSP_LOG sets the filter.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RFC_LSP_LOG")
                .unwrap_or_else(|_| "rfc_lsp=info".into()),
        )
        .init();
    let command = Cli::parse()
        .command
        .unwrap_or(Command::Serve { stdio: true });
    // RFC_LSP_SYSTEM_MALLOC keeps glibc's, for a platform where mimalloc misbehaves (and
    // for the test that both give the same findings).
    if matches!(command, Command::Check(_)) && std::env::var_os("RFC_LSP_SYSTEM_MALLOC").is_none() {
        // Before any tree-sitter object exists (see the function).
        rfc_lsp::syntax::alloc::install_mimalloc();
    }
    match command {
        Command::Serve { .. } => {
            two_malloc_arenas();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                // Analyses run on the blocking pool. A few threads are plenty for two
                // cores (without a cap, a 50,000-line outline peaked at 43 MB, not 35).
                .max_blocking_threads(4)
                .enable_all()
                .build()
                .expect("a tokio runtime can be built");
            runtime.block_on(rfc_lsp::server::run_stdio());
            // A read of stdin cannot be cancelled: never wait long for one at exit.
            runtime.shutdown_timeout(std::time::Duration::from_millis(200));
            ExitCode::SUCCESS
        }
        other => cli::run(other),
    }
}

/// The server allocates its answers on several threads, and glibc gives each thread that
/// meets contention a malloc arena of its own, which keeps the freed answers: serving a
/// 50,000-line outline peaked at 39-41 MB with the default arenas, 29-30 MB with two and
/// 26 MB with one, where the parses of an open (on both cores) wait on each other's
/// allocations (BENCHMARKS.md). Two it is, one per core. The limit can only be set before
/// the process starts (or with `mallopt`, which is unsafe code), so the server runs itself
/// again with `MALLOC_ARENA_MAX=2`: `exec` keeps the process, its id and its pipes. A
/// value the user set is left alone, and if the `exec` fails the server runs as it is.
fn two_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let error = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env("MALLOC_ARENA_MAX", "2")
            .exec();
        tracing::debug!("running with glibc's default malloc arenas: {error}");
    }
}
