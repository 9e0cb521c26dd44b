//! End to end: a language server driven over stdio exactly as an editor drives it, timing
//! each keystroke from the `didChange` written to the answer read back.
//!
//! ```sh
//! cargo bench --bench lsp                               # the release rfc-lsp
//! cargo bench --bench lsp -- --server "rumdl server"    # any other server, same trace
//! cargo bench --bench lsp -- --sizes 5000 --keystrokes 200 --mode symbols --sync full
//! ```
//!
//! For each size (generated RFCs of 500, 5,000 and 50,000 lines by default) a fresh server
//! is started in a temporary workspace, initialized (offering UTF-16 positions only, and
//! not declaring pull diagnostics so that servers push), the document is opened, a few
//! warm-up edits are made, then a deterministic trace of typing, backspaces, newlines,
//! pastes (a few list items, a whole new `## Section`) and frontmatter edits is replayed in
//! a closed loop: after each `didChange`, the bench waits for the `documentSymbol` response
//! (mode `symbols`), for the server's `publishDiagnostics` of that version (mode
//! `diagnostics`; the next one for the URI if the server does not put versions in them, or
//! the response to a `textDocument/diagnostic` pull if it declares a diagnostic provider
//! and never pushes), or both. Printed as a markdown table: open time, p50 / p95 / p99 /
//! max per keystroke, and the server's peak RSS (VmHWM) before shutdown.
//!
//! Options: `--server CMD` (split on whitespace), `--sizes 500,5000,50000`,
//! `--keystrokes N` (default 1,000, or 300 above 10,000 lines), `--warmup N` (20),
//! `--sync full|incremental|auto` (auto: what the server's textDocumentSync asks for),
//! `--mode symbols|diagnostics|both` (both), `--timeout SECONDS` (10) after which a
//! server is reported as not answering; `--trace structural` mixes in edits that change
//! the document's structure (a heading typed and deleted, a code fence opened and closed,
//! a line joined to the next and split again) and reports each kind of edit apart
//! (`diagnostics: heading`, ...), beside the whole.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{KINDS, Trace, generate_rfc};
use serde_json::{Value, json};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sync {
    Full,
    Incremental,
    Auto,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Symbols,
    Diagnostics,
    Both,
}

impl Mode {
    fn symbols(self) -> bool {
        self != Mode::Diagnostics
    }
    fn diagnostics(self) -> bool {
        self != Mode::Symbols
    }
}

struct Options {
    server: Vec<String>,
    sizes: Vec<usize>,
    keystrokes: Option<usize>,
    warmup: usize,
    sync: Sync,
    mode: Mode,
    timeout: Duration,
    /// Structural edits among the trace, and the times reported per kind of edit.
    structural: bool,
}

const USAGE: &str = "usage: cargo bench --bench lsp -- [--server CMD] [--sizes 500,5000,50000] [--keystrokes N] [--warmup N] [--sync full|incremental|auto] [--mode symbols|diagnostics|both] [--timeout SECONDS] [--trace standard|structural]";

fn options() -> Options {
    let mut o = Options {
        server: vec![env!("CARGO_BIN_EXE_rfc-lsp").to_string()],
        sizes: vec![500, 5_000, 50_000],
        keystrokes: None,
        warmup: 20,
        sync: Sync::Auto,
        mode: Mode::Both,
        timeout: Duration::from_secs(10),
        structural: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        // `--name value` or `--name=value`.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if name == "--bench" {
            continue; // what `cargo bench` passes
        }
        let value = inline
            .or_else(|| args.next())
            .unwrap_or_else(|| panic!("{name} needs a value\n{USAGE}"));
        let number = |v: &str| -> usize {
            v.replace('_', "")
                .parse()
                .unwrap_or_else(|_| panic!("{name}: not a number: {v}\n{USAGE}"))
        };
        match name.as_str() {
            "--server" => o.server = value.split_whitespace().map(String::from).collect(),
            "--sizes" => o.sizes = value.split(',').map(|s| number(s.trim())).collect(),
            "--keystrokes" => o.keystrokes = Some(number(&value)),
            "--warmup" => o.warmup = number(&value),
            "--timeout" => o.timeout = Duration::from_secs(number(&value) as u64),
            "--sync" => {
                o.sync = match value.as_str() {
                    "full" => Sync::Full,
                    "incremental" => Sync::Incremental,
                    "auto" => Sync::Auto,
                    _ => panic!("--sync: full, incremental or auto\n{USAGE}"),
                }
            }
            "--mode" => {
                o.mode = match value.as_str() {
                    "symbols" => Mode::Symbols,
                    "diagnostics" => Mode::Diagnostics,
                    "both" => Mode::Both,
                    _ => panic!("--mode: symbols, diagnostics or both\n{USAGE}"),
                }
            }
            "--trace" => {
                o.structural = match value.as_str() {
                    "standard" => false,
                    "structural" => true,
                    _ => panic!("--trace: standard or structural\n{USAGE}"),
                }
            }
            _ => panic!("unknown option {arg}\n{USAGE}"),
        }
    }
    assert!(!o.server.is_empty(), "--server: an empty command\n{USAGE}");
    o
}

/// One framed JSON-RPC message, ready to write.
fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(message).expect("JSON serializes");
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    out
}

fn write_frame(stdin: &Mutex<ChildStdin>, bytes: &[u8]) -> std::io::Result<()> {
    let mut stdin = stdin.lock().expect("the stdin lock");
    stdin.write_all(bytes)?;
    stdin.flush()
}

/// Reads the server's messages, stamping each with the time its body was read, and hands
/// them to [`parse_messages`] on another thread: parsing a 1 MB outline here would stamp
/// the frame behind it (a push sent at once after it) some milliseconds late.
fn read_messages(stdout: ChildStdout, tx: Sender<(Instant, Vec<u8>)>) {
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else {
            return;
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if tx.send((Instant::now(), body)).is_err() {
            return;
        }
    }
}

/// Parses what [`read_messages`] read; answers the server's own requests at once (with
/// nulls) so that it never waits on the bench.
fn parse_messages(
    rx: std::sync::mpsc::Receiver<(Instant, Vec<u8>)>,
    stdin: Arc<Mutex<ChildStdin>>,
    tx: Sender<(Instant, Value)>,
) {
    for (at, body) in rx {
        let Ok(message) = serde_json::from_slice::<Value>(&body) else {
            continue;
        };
        if let (Some(method), Some(id)) = (message.get("method"), message.get("id")) {
            // window/workDoneProgress/create, client/registerCapability, …: null;
            // workspace/configuration: a null for each item asked.
            let result = if method == "workspace/configuration" {
                let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                Value::Array(vec![Value::Null; items])
            } else {
                Value::Null
            };
            let answer = json!({ "jsonrpc": "2.0", "id": id, "result": result });
            if write_frame(&stdin, &frame(&answer)).is_err() {
                return;
            }
        }
        if tx.send((at, message)).is_err() {
            return;
        }
    }
}

/// How the server's diagnostics are awaited.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Diagnostics {
    /// publishDiagnostics carrying the version of the change.
    Versioned,
    /// The next publishDiagnostics for the URI, whatever its version.
    Unversioned,
    /// A textDocument/diagnostic request after each change.
    Pull,
    /// Neither pushed nor offered.
    Absent,
}

/// What a keystroke waits for, and when it came.
enum Want {
    Response(i64),
    Push(Option<i64>),
}

struct Wait {
    want: Want,
    what: &'static str,
    got: Option<(Instant, Value)>,
}

impl Wait {
    fn new(want: Want, what: &'static str) -> Wait {
        Wait {
            want,
            what,
            got: None,
        }
    }
}

/// Oddities seen in what the server sent for the benchmarked document.
#[derive(Default)]
struct Oddities {
    /// Pushes with an older version than the last change (late, or out of order).
    stale: usize,
    /// Pushes without a version from a server that otherwise sends them.
    unversioned: usize,
    /// Pushes with a version newer than the last change sent.
    future: usize,
    /// Pushes that arrived while nothing was awaited (a second push for one change).
    extra: usize,
    /// Error responses to documentSymbol or to a diagnostic pull.
    errors: usize,
    /// Other requests the server made, by method.
    requests: Vec<String>,
}

impl Oddities {
    fn describe(&self) -> String {
        let mut out = Vec::new();
        for (n, what) in [
            (self.stale, "stale pushes"),
            (self.unversioned, "unversioned pushes"),
            (self.future, "pushes from the future"),
            (self.extra, "extra pushes"),
            (self.errors, "error responses"),
        ] {
            if n > 0 {
                out.push(format!("{n} {what}"));
            }
        }
        if !self.requests.is_empty() {
            out.push(format!("asked: {}", self.requests.join(" ")));
        }
        out.join(", ")
    }
}

struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    messages: Receiver<(Instant, Value)>,
    next_id: i64,
    uri: String,
    /// Whether pushes for the document are awaited (else they are not counted as extra).
    awaiting_pushes: bool,
    odd: Oddities,
}

impl Server {
    fn start(command: &[String]) -> Server {
        let mut child = Command::new(&command[0])
            .args(&command[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", command.join(" ")));
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("piped stdin")));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        let writer = Arc::clone(&stdin);
        let (raw_tx, raw_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || read_messages(stdout, raw_tx));
        std::thread::spawn(move || parse_messages(raw_rx, writer, tx));
        Server {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            uri: String::new(),
            awaiting_pushes: false,
            odd: Oddities::default(),
        }
    }

    fn write(&self, bytes: &[u8]) -> Result<(), String> {
        write_frame(&self.stdin, bytes).map_err(|e| format!("the server's stdin: {e}"))
    }

    fn notification(method: &str, params: Value) -> Vec<u8> {
        frame(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn request(&mut self, method: &str, params: Value) -> (i64, Vec<u8>) {
        self.next_id += 1;
        let id = self.next_id;
        let bytes =
            frame(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        (id, bytes)
    }

    /// Discards what arrived while nothing was awaited, noting pushes for the document.
    fn drain(&mut self) {
        loop {
            match self.messages.try_recv() {
                Ok((_, message)) => {
                    if self.awaiting_pushes && self.push_for_document(&message) {
                        self.odd.extra += 1;
                    }
                    self.note_request(&message);
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
            }
        }
    }

    fn push_for_document(&self, message: &Value) -> bool {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"].as_str() == Some(self.uri.as_str())
    }

    fn note_request(&mut self, message: &Value) {
        if let (Some(method), Some(_)) = (message["method"].as_str(), message.get("id"))
            && !self.odd.requests.iter().any(|m| m == method)
        {
            self.odd.requests.push(method.to_string());
        }
    }

    /// Receives until every wait is met (true) or the deadline passes (false).
    fn wait(&mut self, waits: &mut [Wait], deadline: Instant, versioned: bool) -> bool {
        while waits.iter().any(|w| w.got.is_none()) {
            let left = deadline.saturating_duration_since(Instant::now());
            let (at, message) = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            };
            self.note_request(&message);
            if self.push_for_document(&message) {
                let version = message["params"]["version"].as_i64();
                let Some(w) = waits
                    .iter_mut()
                    .find(|w| matches!(w.want, Want::Push(_)) && w.got.is_none())
                else {
                    self.odd.extra += usize::from(self.awaiting_pushes);
                    continue;
                };
                let Want::Push(expected) = w.want else {
                    unreachable!("a push wait")
                };
                match (expected, version) {
                    (Some(e), Some(v)) if v < e => self.odd.stale += 1,
                    (Some(e), Some(v)) if v > e => self.odd.future += 1,
                    (Some(_), None) if versioned => self.odd.unversioned += 1,
                    _ => w.got = Some((at, message)),
                }
            } else if message.get("method").is_none()
                && let Some(id) = message["id"].as_i64()
                && let Some(w) = waits
                    .iter_mut()
                    .find(|w| matches!(w.want, Want::Response(i) if i == id))
            {
                if message.get("error").is_some() {
                    self.odd.errors += 1;
                }
                w.got = Some((at, message));
            }
        }
        true
    }

    /// Peak resident set of the server and its descendants, in MB (VmHWM).
    fn peak_rss_mb(&self) -> Option<f64> {
        fn tree(pid: u32, out: &mut Vec<u32>) {
            out.push(pid);
            let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
                return;
            };
            for task in tasks.flatten() {
                let children = std::fs::read_to_string(task.path().join("children"));
                for child in children.unwrap_or_default().split_whitespace() {
                    if let Ok(child) = child.parse() {
                        tree(child, out);
                    }
                }
            }
        }
        let mut pids = Vec::new();
        tree(self.child.id(), &mut pids);
        let mut kb = 0;
        for pid in pids {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            kb += line.split_whitespace().nth(1)?.parse::<u64>().ok()?;
        }
        Some(kb as f64 / 1024.0)
    }

    /// shutdown, exit, and a kill if the server is still there after a second.
    fn stop(mut self, timeout: Duration) {
        let (id, bytes) = self.request("shutdown", Value::Null);
        if self.write(&bytes).is_ok() {
            let mut waits = [Wait::new(Want::Response(id), "shutdown")];
            if self.wait(&mut waits, Instant::now() + timeout, false) {
                let _ = self.write(&Server::notification("exit", Value::Null));
            }
        }
        let deadline = Instant::now() + Duration::from_secs(1);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `file://` URI of an absolute path, percent-encoding all but unreserved bytes and `/`.
fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().expect("a UTF-8 path").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// LSP position of a byte offset: line, and UTF-16 code units from the line's start.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[start..].encode_utf16().count();
    json!({ "line": line, "character": character })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".to_string())
}

/// What one size gives: rows of the table (one per measure) and notes.
struct Outcome {
    server: String,
    sync: &'static str,
    diagnostics: Diagnostics,
    open: Vec<(&'static str, Duration)>,
    keystrokes: Vec<(&'static str, Vec<Duration>)>,
    rss: Option<f64>,
    notes: Vec<String>,
    failed: Option<String>,
}

struct Run<'a> {
    options: &'a Options,
    keystrokes: usize,
    text: String,
    path: PathBuf,
    root: PathBuf,
}

impl Run<'_> {
    fn go(&self) -> Outcome {
        let mut outcome = Outcome {
            server: self.options.server.join(" "),
            sync: "",
            diagnostics: Diagnostics::Absent,
            open: Vec::new(),
            keystrokes: Vec::new(),
            rss: None,
            notes: Vec::new(),
            failed: None,
        };
        let mut server = Server::start(&self.options.server);
        if let Err(e) = self.drive(&mut server, &mut outcome) {
            outcome.failed = Some(e);
            outcome.rss = server.peak_rss_mb();
        }
        let odd = server.odd.describe();
        if !odd.is_empty() {
            outcome.notes.push(odd);
        }
        server.stop(self.options.timeout);
        outcome
    }

    fn drive(&self, server: &mut Server, outcome: &mut Outcome) -> Result<(), String> {
        let timeout = self.options.timeout;
        let root = file_uri(&self.root);
        let uri = file_uri(&self.path);
        server.uri = uri.clone();

        // initialize, as an editor that takes pushed diagnostics (no textDocument.diagnostic).
        let (id, bytes) = server.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "clientInfo": { "name": "rfc-lsp-bench" },
                "rootUri": root,
                "rootPath": self.root,
                "workspaceFolders": [{ "uri": root, "name": "rfc-lsp-bench" }],
                "capabilities": {
                    "general": { "positionEncodings": ["utf-16"] },
                    "textDocument": {
                        "synchronization": { "dynamicRegistration": false, "didSave": true },
                        "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                        "publishDiagnostics": { "versionSupport": true, "relatedInformation": true },
                    },
                    "window": { "workDoneProgress": true },
                    "workspace": { "configuration": true, "workspaceFolders": true },
                },
            }),
        );
        server.write(&bytes)?;
        let mut waits = [Wait::new(Want::Response(id), "initialize")];
        if !server.wait(&mut waits, Instant::now() + timeout, false) {
            return Err(format!("no answer to initialize in {timeout:?}"));
        }
        let (_, answer) = waits[0].got.take().expect("answered");
        let result = &answer["result"];
        let caps = &result["capabilities"];
        if let Some(name) = result["serverInfo"]["name"].as_str() {
            outcome.server = match result["serverInfo"]["version"].as_str() {
                Some(v) => format!("{name} {v}"),
                None => name.to_string(),
            };
        }
        if let Some(enc) = caps["positionEncoding"].as_str()
            && enc != "utf-16"
        {
            outcome.notes.push(format!(
                "chose positionEncoding {enc} (only utf-16 offered)"
            ));
        }
        let change_kind = match &caps["textDocumentSync"] {
            Value::Number(n) => n.as_i64().unwrap_or(0),
            options => options["change"].as_i64().unwrap_or(0),
        };
        let incremental = match self.options.sync {
            Sync::Full => false,
            Sync::Incremental => true,
            Sync::Auto => change_kind == 2,
        };
        outcome.sync = if incremental { "incremental" } else { "full" };
        let symbols_offered = matches!(&caps["documentSymbolProvider"], Value::Bool(true))
            || caps["documentSymbolProvider"].is_object();
        let pull_offered = !caps["diagnosticProvider"].is_null();
        let symbols = self.options.mode.symbols() && symbols_offered;
        if self.options.mode.symbols() && !symbols_offered {
            outcome.notes.push("no documentSymbol".to_string());
        }
        server.write(&Server::notification("initialized", json!({})))?;

        // didOpen: the open time is to the first push (or the symbols' response).
        std::fs::write(&self.path, &self.text).map_err(|e| e.to_string())?;
        let open_bytes = Server::notification(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "markdown", "version": 0, "text": self.text,
            } }),
        );
        let symbols_request = |server: &mut Server| {
            let (id, bytes) = server.request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            );
            (Wait::new(Want::Response(id), "documentSymbol"), bytes)
        };
        let pull_request = |server: &mut Server| {
            let (id, bytes) = server.request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            );
            (
                Wait::new(Want::Response(id), "textDocument/diagnostic"),
                bytes,
            )
        };
        let mut waits = Vec::new();
        let mut requests = Vec::new();
        if symbols {
            let (wait, bytes) = symbols_request(server);
            waits.push(wait);
            requests.push(bytes);
        }
        if self.options.mode.diagnostics() {
            waits.push(Wait::new(Want::Push(Some(0)), "publishDiagnostics"));
        }
        // A server that declares a diagnostic provider may push or wait to be pulled: it
        // has a few seconds to push before it is pulled.
        let window = if pull_offered {
            Duration::from_secs(3).min(timeout)
        } else {
            timeout
        };
        let started = Instant::now();
        server.write(&open_bytes)?;
        for bytes in &requests {
            server.write(bytes)?;
        }
        if !server.wait(&mut waits, started + window, false) && symbols && waits[0].got.is_none() {
            server.wait(&mut waits, started + timeout, false);
        }
        let mut diagnostics = Diagnostics::Absent;
        for wait in &waits {
            match (&wait.want, &wait.got) {
                (Want::Response(_), Some((at, _))) => outcome.open.push(("symbols", *at - started)),
                (Want::Response(_), None) => {
                    return Err(format!(
                        "no documentSymbol answer after didOpen in {timeout:?}"
                    ));
                }
                (Want::Push(_), Some((at, message))) => {
                    outcome.open.push(("diagnostics", *at - started));
                    diagnostics = if message["params"]["version"].is_i64() {
                        Diagnostics::Versioned
                    } else {
                        Diagnostics::Unversioned
                    };
                }
                (Want::Push(_), None) if pull_offered => diagnostics = Diagnostics::Pull,
                (Want::Push(_), None) => {
                    return Err(format!(
                        "no publishDiagnostics after didOpen in {timeout:?} (and no diagnostic provider)"
                    ));
                }
            }
        }
        if diagnostics == Diagnostics::Pull {
            // Open again, now timing the pull that follows.
            server.write(&Server::notification(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": uri } }),
            ))?;
            std::thread::sleep(Duration::from_millis(100));
            server.drain();
            let (wait, bytes) = pull_request(server);
            let mut waits = [wait];
            let started = Instant::now();
            server.write(&open_bytes)?;
            server.write(&bytes)?;
            if !server.wait(&mut waits, started + timeout, false) {
                return Err(format!(
                    "neither pushed nor answered a diagnostic pull in {timeout:?}"
                ));
            }
            let (at, _) = waits[0].got.take().expect("answered");
            outcome.open.push(("diagnostics", at - started));
        }
        outcome.diagnostics = diagnostics;
        let versioned = diagnostics == Diagnostics::Versioned;
        server.awaiting_pushes = versioned || diagnostics == Diagnostics::Unversioned;

        // The keystrokes: warm-up first, then the measured ones.
        let mut trace = Trace::new(self.text.clone());
        let mut text = self.text.clone();
        let mut symbol_times = Vec::with_capacity(self.keystrokes);
        let mut diagnostic_times = Vec::with_capacity(self.keystrokes);
        let mut last_symbols = 0;
        let mut last_diagnostics = 0;
        // Per kind of edit, with --trace structural: (symbols, diagnostics) times.
        let mut by_kind: Vec<(Vec<Duration>, Vec<Duration>)> =
            vec![Default::default(); KINDS.len()];
        let total = self.options.warmup + self.keystrokes;
        for version in 1..=total as i64 {
            let (start, end, insert, kind) = if self.options.structural {
                trace.next_kind()
            } else {
                let (s, e, t) = trace.next_with_pastes();
                (s, e, t, "typing")
            };
            let k = KINDS.iter().position(|x| *x == kind).expect("a known kind");
            let change = if incremental {
                let range = json!({ "start": position(&text, start), "end": position(&text, end) });
                text.replace_range(start..end, &insert);
                json!({ "range": range, "text": insert })
            } else {
                text.replace_range(start..end, &insert);
                json!({ "text": text })
            };
            let change_bytes = Server::notification(
                "textDocument/didChange",
                json!({
                    "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [change],
                }),
            );
            let mut waits = Vec::new();
            let mut requests = Vec::new();
            if symbols {
                let (wait, bytes) = symbols_request(server);
                waits.push(wait);
                requests.push(bytes);
            }
            match diagnostics {
                Diagnostics::Versioned => {
                    waits.push(Wait::new(Want::Push(Some(version)), "publishDiagnostics"));
                }
                Diagnostics::Unversioned => {
                    waits.push(Wait::new(Want::Push(None), "publishDiagnostics"));
                }
                Diagnostics::Pull => {
                    let (wait, bytes) = pull_request(server);
                    waits.push(wait);
                    requests.push(bytes);
                }
                Diagnostics::Absent => {}
            }
            server.drain();
            let started = Instant::now();
            server.write(&change_bytes)?;
            for bytes in &requests {
                server.write(bytes)?;
            }
            if !server.wait(&mut waits, started + timeout, versioned) {
                let missing: Vec<&str> = waits
                    .iter()
                    .filter(|w| w.got.is_none())
                    .map(|w| w.what)
                    .collect();
                return Err(format!(
                    "no {} for version {version} in {timeout:?}",
                    missing.join(" nor ")
                ));
            }
            let measured = version > self.options.warmup as i64;
            let mut rest = waits.iter();
            if symbols {
                let (at, message) = rest.next().and_then(|w| w.got.as_ref()).expect("met");
                last_symbols = message["result"].as_array().map_or(0, Vec::len);
                if measured {
                    symbol_times.push(*at - started);
                    by_kind[k].0.push(*at - started);
                }
            }
            if let Some((at, message)) = rest.next().and_then(|w| w.got.as_ref()) {
                let items = match diagnostics {
                    Diagnostics::Pull => &message["result"]["items"],
                    _ => &message["params"]["diagnostics"],
                };
                last_diagnostics = items.as_array().map_or(0, Vec::len);
                if measured {
                    diagnostic_times.push(*at - started);
                    by_kind[k].1.push(*at - started);
                }
            }
        }
        assert_eq!(text, trace.text, "the bench's copy follows the trace");
        outcome.rss = server.peak_rss_mb();
        if outcome.server.starts_with("rfc-lsp") {
            // rfc-lsp shows its copy of the document: the changes were applied as sent.
            let (id, bytes) =
                server.request("rfc-lsp/inspect", json!({ "textDocument": { "uri": uri } }));
            server.write(&bytes)?;
            let mut waits = [Wait::new(Want::Response(id), "rfc-lsp/inspect")];
            if !server.wait(&mut waits, Instant::now() + timeout, versioned) {
                return Err(format!("no answer to rfc-lsp/inspect in {timeout:?}"));
            }
            let (_, answer) = waits[0].got.take().expect("answered");
            let same = answer["result"]["text"].as_str() == Some(text.as_str())
                && answer["result"]["version"].as_i64() == Some(total as i64);
            outcome.notes.push(
                if same {
                    "server's text and version checked"
                } else {
                    "**the server's text or version differs from the client's**"
                }
                .to_string(),
            );
        }
        if symbols {
            outcome.keystrokes.push(("symbols", symbol_times));
            outcome
                .notes
                .push(format!("{last_symbols} top-level symbols at the end"));
        }
        if diagnostics != Diagnostics::Absent {
            outcome.keystrokes.push(("diagnostics", diagnostic_times));
            outcome
                .notes
                .push(format!("{last_diagnostics} diagnostics at the end"));
        }
        if self.options.structural {
            const SYMBOLS: [&str; 6] = [
                "symbols: typing",
                "symbols: frontmatter",
                "symbols: paste",
                "symbols: heading",
                "symbols: fence",
                "symbols: join",
            ];
            const DIAGNOSTICS: [&str; 6] = [
                "diagnostics: typing",
                "diagnostics: frontmatter",
                "diagnostics: paste",
                "diagnostics: heading",
                "diagnostics: fence",
                "diagnostics: join",
            ];
            for (k, (s, d)) in by_kind.into_iter().enumerate() {
                if !s.is_empty() {
                    outcome.keystrokes.push((SYMBOLS[k], s));
                }
                if !d.is_empty() {
                    outcome.keystrokes.push((DIAGNOSTICS[k], d));
                }
            }
        }
        Ok(())
    }
}

fn main() {
    let options = options();
    let root = std::env::temp_dir().join("rfc-lsp-bench");
    let dir = root.join("rfcs");
    std::fs::create_dir_all(&dir).expect("the bench's workspace is created");
    let path = dir.join("rfc-042-response-cache.md");
    println!(
        "server: `{}`; sync {:?}, mode {:?}, warm-up {} edits, timeout {:?}; workspace {}; {} cores",
        options.server.join(" "),
        options.sync,
        options.mode,
        options.warmup,
        options.timeout,
        root.display(),
        std::thread::available_parallelism().map_or(0, usize::from),
    );
    println!();
    println!(
        "| server | document | sync | diagnostics | measure | open | keystrokes | p50 | p95 | p99 | max | peak RSS | load | time | notes |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let began = Instant::now();
    for &lines in &options.sizes {
        let text = generate_rfc(lines);
        let keystrokes = options
            .keystrokes
            .unwrap_or(if lines > 10_000 { 300 } else { 1_000 });
        let load = load_average();
        let run = Run {
            options: &options,
            keystrokes,
            path: path.clone(),
            root: root.clone(),
            text,
        };
        let started = Instant::now();
        let outcome = run.go();
        let took = started.elapsed();
        let document = format!(
            "{} lines ({} KB)",
            run.text.lines().count(),
            run.text.len() / 1024
        );
        let diagnostics = match outcome.diagnostics {
            Diagnostics::Versioned => "push, versioned",
            Diagnostics::Unversioned => "push",
            Diagnostics::Pull => "pull",
            Diagnostics::Absent => "-",
        };
        let rss = outcome
            .rss
            .map_or("?".to_string(), |mb| format!("{mb:.1} MB"));
        let mut notes = outcome.notes.join("; ");
        if let Some(failed) = &outcome.failed {
            notes = format!("**not answering**: {failed}; {notes}");
        }
        let open = |measure: &str| {
            outcome
                .open
                .iter()
                .find(|(m, _)| *m == measure)
                .map_or("-".to_string(), |(_, d)| format!("{:.1} ms", ms(*d)))
        };
        if outcome.keystrokes.is_empty() {
            println!(
                "| {} | {document} | {} | {diagnostics} | - | {} | 0 | | | | | {rss} | {load} | {:.1} s | {notes} |",
                outcome.server,
                outcome.sync,
                open("symbols"),
                took.as_secs_f64(),
            );
        }
        for (measure, times) in &outcome.keystrokes {
            let mut times = times.clone();
            times.sort();
            if times.is_empty() {
                continue;
            }
            println!(
                "| {} | {document} | {} | {diagnostics} | {measure} | {} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {rss} | {load} | {:.1} s | {notes} |",
                outcome.server,
                outcome.sync,
                open(measure),
                times.len(),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                ms(percentile(&times, 0.99)),
                ms(*times.last().expect("measured keystrokes")),
                took.as_secs_f64(),
            );
        }
    }
    println!();
    println!("total {:.1} s", began.elapsed().as_secs_f64());
}
