//! A minimal LSP client over the real binary's stdio, for end-to-end tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    pub notifications: Vec<Value>,
    /// What the editor answers to `workspace/configuration` (sections looked up in it).
    settings: Value,
    /// Responses that arrived while waiting for something else, by id.
    responses: std::collections::HashMap<i64, Value>,
}

impl Client {
    /// Starts `rfc-lsp` and completes the initialize handshake offering `encodings`.
    pub fn start(encodings: &[&str]) -> (Client, Value) {
        Client::start_with(json!({ "general": { "positionEncodings": encodings } }))
    }

    /// Starts `rfc-lsp` with the given client capabilities.
    pub fn start_with(capabilities: Value) -> (Client, Value) {
        Client::start_with_root(capabilities, "")
    }

    /// Starts `rfc-lsp` with capabilities and a workspace root URI ("" for none).
    pub fn start_with_root(capabilities: Value, root: &str) -> (Client, Value) {
        Client::start_as_editor(&[], capabilities, root, Value::Null, Value::Null)
    }

    /// Starts `rfc-lsp args…` as an editor would: `init_options` as initializationOptions,
    /// and `settings` answering `workspace/configuration` by looking the section up in it.
    pub fn start_as_editor(
        args: &[&str],
        capabilities: Value,
        root: &str,
        init_options: Value,
        settings: Value,
    ) -> (Client, Value) {
        let root_uri = if root.is_empty() {
            Value::Null
        } else {
            json!(root)
        };
        Client::start_initialized(
            args,
            json!({
                "processId": null,
                "rootUri": root_uri,
                "capabilities": capabilities,
                "initializationOptions": init_options,
            }),
            settings,
        )
    }

    /// Starts `rfc-lsp` in a workspace of several folders (`workspaceFolders`, the first
    /// one also as `rootUri`), as VS Code does for a multi-root workspace.
    pub fn start_in_folders(capabilities: Value, folders: &[String]) -> (Client, Value) {
        let listed: Vec<Value> = folders
            .iter()
            .map(|f| json!({ "uri": f, "name": f.rsplit('/').next().unwrap_or(f) }))
            .collect();
        Client::start_initialized(
            &[],
            json!({
                "processId": null,
                "rootUri": folders.first(),
                "workspaceFolders": listed,
                "capabilities": capabilities,
            }),
            Value::Null,
        )
    }

    /// [`Client::start`] (UTF-16) with `env` added to the server's environment.
    pub fn start_with_env(env: &[(&str, &str)]) -> (Client, Value) {
        Client::start_initialized_env(
            &[],
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
            Value::Null,
            env,
        )
    }

    /// Starts `rfc-lsp` with these `initialize` params.
    #[allow(dead_code)]
    pub fn start_with_params(params: Value) -> (Client, Value) {
        Client::start_initialized(&[], params, Value::Null)
    }

    /// The server's exit status once it has exited, waiting at most `secs` seconds.
    #[allow(dead_code)]
    pub fn exit_status(&mut self, secs: u64) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait works") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Starts `rfc-lsp args…`, sends `initialize` with `params` and then `initialized`.
    fn start_initialized(args: &[&str], params: Value, settings: Value) -> (Client, Value) {
        Client::start_initialized_env(args, params, settings, &[])
    }

    fn start_initialized_env(
        args: &[&str],
        params: Value,
        settings: Value,
        env: &[(&str, &str)],
    ) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rfc-lsp"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the rfc-lsp binary starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
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
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            next_id: 1,
            notifications: Vec::new(),
            settings,
            responses: Default::default(),
        };
        let result = client.request("initialize", params);
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialisable");
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("server stdin open");
        self.stdin.write_all(&body).expect("server stdin open");
        self.stdin.flush().expect("server stdin open");
    }

    /// Sends a request and waits (up to 30 s) for its response; returns `result`, or
    /// panics with the error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Sends a request and returns the whole response message.
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its answer; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends `body` as one framed message, whatever it holds.
    pub fn send_bytes(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("server stdin open");
        self.stdin.write_all(body).expect("server stdin open");
        self.stdin.flush().expect("server stdin open");
    }

    /// Writes `bytes` to the server as they are: no framing added.
    #[allow(dead_code)]
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("server stdin open");
        self.stdin.flush().expect("server stdin open");
    }

    /// Waits (up to 30 s) for the response to request `id`: the whole message.
    pub fn response(&mut self, id: i64) -> Value {
        if let Some(message) = self.responses.remove(&id) {
            return message;
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message)
                    if message.get("id") == Some(&json!(id)) && message.get("method").is_none() =>
                {
                    return message;
                }
                Ok(message) => self.received(message),
                Err(RecvTimeoutError::Timeout) => panic!("no answer to request {id} within 30 s"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed stdout before answering request {id}")
                }
            }
        }
    }

    /// Waits (up to 10 s) for a notification `method` whose params satisfy `pred`; earlier
    /// notifications that do not are kept.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && pred(&n["params"]))
        {
            return self.notifications.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if m["method"] == method && pred(&m["params"]) => {
                    self.answer(&m);
                    return m["params"].clone();
                }
                Ok(m) => self.received(m),
                Err(_) => panic!("no {method} notification as expected within 10 s"),
            }
        }
    }

    /// Keeps a message from the server; a request from the server (applyEdit, ...) is
    /// answered as an editor would.
    fn received(&mut self, message: Value) {
        if message.get("method").is_none()
            && let Some(id) = message.get("id").and_then(Value::as_i64)
        {
            self.responses.insert(id, message);
            return;
        }
        self.answer(&message);
        self.notifications.push(message);
    }

    fn answer(&mut self, message: &Value) {
        if let (Some(id), Some(method)) = (
            message.get("id"),
            message.get("method").and_then(Value::as_str),
        ) {
            let result = match method {
                "workspace/applyEdit" => json!({ "applied": true }),
                "workspace/configuration" => {
                    let items = message["params"]["items"].as_array().cloned();
                    let look_up = |item: &Value| {
                        let section = item["section"].as_str().unwrap_or_default();
                        section
                            .split('.')
                            .filter(|s| !s.is_empty())
                            .fold(self.settings.clone(), |v, key| v[key].clone())
                    };
                    Value::Array(items.unwrap_or_default().iter().map(look_up).collect())
                }
                _ => Value::Null,
            };
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        }
    }

    /// shutdown + exit; returns the exit status, waiting at most 10 s.
    pub fn shutdown(mut self) -> std::process::ExitStatus {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait works") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit within 10 s of `exit`");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
