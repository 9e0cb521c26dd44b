//! The `rfc-lsp` binary: the language server (default) and the command-line checker.

use std::process::ExitCode;

use clap::Parser;
use rfc_lsp::cli::{self, Cli, Command};

fn main() -> ExitCode {
    // stdout carries the protocol: logs go to stderr. RFC_LSP_LOG sets the filter
    // (default `rfc_lsp=warn`).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RFC_LSP_LOG")
                // Warnings and errors only: an editor such as Helix shows every line of
                // stderr as an error in its log.
                .unwrap_or_else(|_| "rfc_lsp=warn".into()),
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
            malloc_settings();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                // Analyses run on the blocking pool. A few threads are plenty for two
                // cores (without a cap, a 50,000-line outline peaked at 43 MB, not 35).
                .max_blocking_threads(4)
                .enable_all()
                .build()
                .expect("a tokio runtime can be built");
            let clean = runtime.block_on(rfc_lsp::server::run_stdio());
            // A read of stdin cannot be cancelled: never wait long for one at exit.
            runtime.shutdown_timeout(std::time::Duration::from_millis(200));
            // The LSP's rule: 0 after `shutdown`, 1 for an `exit` (or a closed stdin)
            // without it.
            if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        other => cli::run(other),
    }
}

/// The server allocates its answers on several threads, and glibc gives each thread that
/// meets contention a malloc arena of its own, which keeps the freed answers: serving a
/// 50,000-line outline peaked at 39-41 MB with the default arenas, 29-30 MB with two and
/// 26 MB with one, where the parses of an open (on both cores) wait on each other's
/// allocations (BENCHMARKS.md). Two it is, one per core.
///
/// Each arena also keeps what is freed at its top until more than the trim threshold is
/// free there, and glibc raises that threshold (and the size it maps large blocks apart
/// at) to the largest block freed so far: after a few 1 MB outlines each arena kept a few
/// MB it no longer used, and the peak crept up keystroke by keystroke to 30-32 MB. With
/// the thresholds fixed (a free top over 128 KiB goes back; blocks of 512 KiB and more,
/// such as a long outline's JSON, are mapped apart and unmapped when freed) it stays at
/// 25-26 MB.
///
/// These can only be set before the process starts (or with `mallopt`, which is unsafe
/// code), so the server runs itself again with them in its environment: `exec` keeps the
/// process, its id and its pipes. If the user set any of them, all are left alone, and if
/// the `exec` fails the server runs as it is.
fn malloc_settings() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        const SETTINGS: [(&str, &str); 3] = [
            ("MALLOC_ARENA_MAX", "2"),
            ("MALLOC_TRIM_THRESHOLD_", "131072"),
            ("MALLOC_MMAP_THRESHOLD_", "524288"),
        ];
        if SETTINGS
            .iter()
            .any(|(name, _)| std::env::var_os(name).is_some())
        {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let error = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .envs(SETTINGS)
            .exec();
        tracing::debug!("running with glibc's default malloc settings: {error}");
    }
}
