//! The stdio transport around tower-lsp-server, with two additions. The client's input
//! goes through a filter ([`filter_input`]) that answers malformed frames itself and
//! resynchronises on the next `Content-Length`, refuses requests after `shutdown`, and
//! says whether `exit` came after it. Requests whose answer can be large (the outline of a
//! long document) are answered with their result serialised straight to bytes.
//!
//! tower-lsp-server turns every result into a `serde_json::Value` tree, serialises that on
//! the task that also reads stdin, then drops it. For a 50,000-line outline (1.1 MB of
//! JSON) that costs 85 % of the request's time and 50 MB of peak memory. Here the result is
//! written with serde's derived serialiser on the blocking pool and handed to the same
//! output as the server's own messages, whole frames at a time.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tower_lsp_server::ExitedError;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_service::Service;

/// Bytes kept by someone else as well (the server keeps its last outline answer for the
/// next request, and it is written from there, not copied).
pub type Shared = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Bytes to write: owned, shared, or fixed.
pub enum Part {
    Owned(Vec<u8>),
    Shared(Shared),
    Static(&'static [u8]),
}

impl Part {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Part::Owned(bytes) => bytes,
            Part::Shared(bytes) => (**bytes).as_ref(),
            Part::Static(bytes) => bytes,
        }
    }
}

/// A whole frame, in parts written one after the other.
pub type Frame = [Part; 3];

/// A frame whose bytes are all in one buffer.
fn whole(bytes: Vec<u8>) -> Frame {
    [Part::Owned(bytes), Part::Static(b""), Part::Static(b"")]
}

/// What the output thread is given: a frame and, for an answer the server wrote itself,
/// the request it answers, marked answered once the frame is written. The diagnostics
/// that wait for the requests before them ([`Pending::settled`]) then no longer share
/// the two cores with writing a large answer (the outline of a 50,000-line RFC is 1 MB).
pub struct Out {
    /// None: the end ([`END`]).
    frame: Option<Frame>,
    answers: Option<Answering>,
}

/// Not a frame: sent last, it makes the writer flush and stop (other senders, such as the
/// input filter blocked on a stdin the client keeps open, may outlive the session).
pub const END: Out = Out {
    frame: None,
    answers: None,
};

impl From<Frame> for Out {
    fn from(frame: Frame) -> Out {
        Out {
            frame: Some(frame),
            answers: None,
        }
    }
}

/// What the server writes: framed messages, forwarded a whole frame at a time so that
/// frames written directly ([`Output::send`]) never land inside one of the server's.
pub struct Output {
    tx: UnboundedSender<Out>,
    /// Bytes of a frame not yet complete.
    partial: Vec<u8>,
}

impl Output {
    /// An output and the thread that writes it to `sink` until [`END`] or every sender is
    /// gone. A thread of its own with blocking writes: tokio's stdout copies every write
    /// and hands it to the blocking pool, which for a 1 MB answer was a tenth of the time
    /// from the keystroke to the client having it.
    pub fn new<W>(sink: W) -> (Output, std::thread::JoinHandle<()>)
    where
        W: std::io::Write + Send + 'static,
    {
        let (tx, rx) = unbounded_channel();
        let writer = std::thread::Builder::new()
            .name("rfc-lsp-output".into())
            .spawn(move || write_frames(rx, sink))
            .expect("a thread for the output");
        (
            Output {
                tx,
                partial: Vec::new(),
            },
            writer,
        )
    }

    /// A handle that sends whole frames.
    pub fn sender(&self) -> UnboundedSender<Out> {
        self.tx.clone()
    }

    /// Forwards every complete frame in `partial`.
    fn forward(&mut self) {
        while let Some(len) = frame_len(&self.partial) {
            let rest = self.partial.split_off(len);
            let frame = std::mem::replace(&mut self.partial, rest);
            // The writer only stops once every sender is dropped, this one included.
            let _ = self.tx.send(whole(frame).into());
        }
    }
}

/// The length of the first frame in `bytes` (headers, blank line and body), once all of
/// it is there.
fn frame_len(bytes: &[u8]) -> Option<usize> {
    let header_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let headers = std::str::from_utf8(&bytes[..header_end]).ok()?;
    let length: usize = headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })?;
    let total = header_end + length;
    (bytes.len() >= total).then_some(total)
}

impl AsyncWrite for Output {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.partial.extend_from_slice(buf);
        self.forward();
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn write_frames<W: std::io::Write>(mut rx: UnboundedReceiver<Out>, mut sink: W) {
    while let Some(Out { frame, answers }) = rx.blocking_recv() {
        let Some(frame) = frame else {
            break; // END
        };
        for part in &frame {
            if sink.write_all(part.bytes()).is_err() {
                return; // the client is gone
            }
        }
        // Flush once the queue is empty, not after each of a burst of frames.
        if rx.is_empty() && sink.flush().is_err() {
            return;
        }
        drop(answers);
    }
    let _ = sink.flush();
}

/// One frame: a response with an already serialised result, as its header (with the
/// body's start), the result itself, which is written as it is, not copied, and the end.
fn response_frame(id: &Id, result: Part) -> Frame {
    let id = serde_json::to_vec(id).unwrap_or_else(|_| b"null".to_vec());
    let body_len = r#"{"jsonrpc":"2.0","id":,"result":}"#.len() + id.len() + result.bytes().len();
    let mut head = format!("Content-Length: {body_len}\r\n\r\n").into_bytes();
    head.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    head.extend_from_slice(&id);
    head.extend_from_slice(br#","result":"#);
    [Part::Owned(head), result, Part::Static(b"}")]
}

/// The client's requests that have arrived and are not answered yet: diagnostics, which
/// the server pushes on its own after each change, wait for them ([`Pending::settled`]),
/// so that the answer the client is waiting for gets the cores first.
///
/// On two cores the diagnostics of a keystroke and the outline asked right after it ran at
/// once and slowed each other: a 50,000-line outline took 3.0-3.4 ms at the median and
/// 5.4-5.9 at the 95th percentile, against 2.3-2.8 and 3.1-3.9 with the diagnostics
/// after it. A request counts from when it is read (before the change ahead of it is
/// even applied) until its answer is handed to the output or it is dropped.
#[derive(Debug, Default)]
pub struct Pending {
    count: std::sync::atomic::AtomicUsize,
    settled: tokio::sync::Notify,
}

impl Pending {
    fn arrived(&self) {
        self.count.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    fn answered(&self) {
        use std::sync::atomic::Ordering;
        let before = self
            .count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        if before == Ok(1) {
            self.settled.notify_waiters();
        }
    }

    /// Requests read and not yet answered.
    pub fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Waits until no request is waiting for its answer, or `cap` has passed (a client
    /// that never stops asking does not starve the diagnostics).
    pub async fn settled(&self, cap: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + cap;
        loop {
            let notified = self.settled.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.count() == 0 {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return;
            }
        }
    }
}

/// Marks a request answered when dropped: once its answer is out, or if its future is
/// dropped unanswered (cancelled, the session ending).
struct Answering(Option<Arc<Pending>>);

impl Drop for Answering {
    fn drop(&mut self) {
        if let Some(pending) = self.0.take() {
            pending.answered();
        }
    }
}

/// Computes a request's result, serialised.
pub type Handler =
    Box<dyn FnOnce(Request) -> Pin<Box<dyn Future<Output = Result<Part, Error>> + Send>> + Send>;

/// The service in front of tower-lsp-server's. It answers the requests `route` claims by
/// writing their results to the output itself (errors go back through the server), and it
/// keeps a panic in any handler from taking the server down: a request that panics is
/// answered with an internal error, a notification that panics is logged, and the next
/// message is served as usual.
pub struct Front<S, R> {
    inner: S,
    route: R,
    out: UnboundedSender<Out>,
    pending: Arc<Pending>,
}

impl<S, R> Front<S, R> {
    /// `pending` counts the requests [`filter_input`] read; each is marked answered here.
    pub fn new(
        inner: S,
        route: R,
        out: UnboundedSender<Out>,
        pending: Arc<Pending>,
    ) -> Front<S, R> {
        Front {
            inner,
            route,
            out,
            pending,
        }
    }
}

type Answer = Pin<Box<dyn Future<Output = Result<Option<Response>, ExitedError>> + Send>>;

impl<S, R> Service<Request> for Front<S, R>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
    R: Fn(&Request) -> Option<Handler>,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Answer {
        let id = request.id().cloned();
        let method = request.method().to_string();
        let mut answering = Some(Answering(id.is_some().then(|| self.pending.clone())));
        let answer: Answer = match ((self.route)(&request), id.clone()) {
            (Some(handler), Some(id)) => {
                // Like the server's own handlers, the work starts when the future is
                // first polled, in arrival order: after the edits before it are applied.
                let out = self.out.clone();
                // Answered once the output has written the frame.
                let answering = answering.take();
                Box::pin(async move {
                    match handler(request).await {
                        Ok(result) => {
                            let _ = out.send(Out {
                                frame: Some(response_frame(&id, result)),
                                answers: answering,
                            });
                            Ok(None)
                        }
                        Err(error) => Ok(Some(Response::from_error(id, error))),
                    }
                })
            }
            _ => Box::pin(self.inner.call(request)),
        };
        Box::pin(async move {
            let _answering = answering; // until the answer is returned (or dropped)
            match (CatchPanic { inner: answer }).await {
                Ok(answer) => answer,
                Err(panic) => {
                    tracing::error!(method, "handler panicked: {panic}");
                    Ok(id.map(|id| {
                        Response::from_error(
                            id,
                            Error {
                                code: ErrorCode::InternalError,
                                message: format!("rfc-lsp failed on {method}: {panic}").into(),
                                data: None,
                            },
                        )
                    }))
                }
            }
        })
    }
}

/// A future whose panic while being polled becomes `Err(the panic's message)`.
struct CatchPanic {
    inner: Answer,
}

impl Future for CatchPanic {
    type Output = Result<Result<Option<Response>, ExitedError>, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.inner;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(answer)) => Poll::Ready(Ok(answer)),
            Err(payload) => Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    }
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

/// Reads framed messages from `source` (the client) and passes each well-formed one on to
/// `sink` (tower-lsp-server's input). tower-lsp-server stops reading for good at the first
/// message it cannot decode, which ends the session; here such a message is answered with
/// a JSON-RPC error (parse error, or invalid request) and dropped, and reading goes on.
pub async fn filter_input<R, W>(
    mut source: R,
    mut sink: W,
    out: UnboundedSender<Out>,
    pending: Arc<Pending>,
) -> bool
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::new();
    let mut start = 0; // bytes of `buf` already handled
    // After `shutdown` only `exit` is served: a request is refused here, since some are
    // answered beside tower-lsp-server (the outline), which refuses the rest itself.
    let mut shut_down = false;
    let mut chunk = vec![0u8; 64 * 1024];
    'read: loop {
        while let Some(next) = next_frame(&buf[start..]) {
            match next {
                Incoming::Frame { body, len } => {
                    let body = &buf[start + body.start..start + body.end];
                    match check_message(body) {
                        Ok(Kind::Request) if shut_down => {
                            let id = serde_json::from_slice::<Request>(body)
                                .ok()
                                .and_then(|r| r.id().cloned())
                                .unwrap_or(Id::Null);
                            let refused = Error {
                                code: ErrorCode::InvalidRequest,
                                message: "the server is shut down: only `exit` is served".into(),
                                data: None,
                            };
                            let _ = out.send(error_frame(Response::from_error(id, refused)).into());
                        }
                        Ok(kind) => {
                            if matches!(kind, Kind::Request | Kind::Shutdown) {
                                pending.arrived();
                            }
                            shut_down |= kind == Kind::Shutdown;
                            let head = format!("Content-Length: {}\r\n\r\n", body.len());
                            if sink.write_all(head.as_bytes()).await.is_err()
                                || sink.write_all(body).await.is_err()
                            {
                                break 'read; // the server is gone
                            }
                            if kind == Kind::Exit {
                                // No read may be left waiting on stdin: it cannot be
                                // cancelled, and the runtime would wait for it.
                                break 'read;
                            }
                        }
                        Err(answer) => {
                            let _ = out.send(error_frame(answer).into());
                        }
                    }
                    start += len;
                }
                Incoming::Garbage(len) => {
                    warn_once("a message without a Content-Length header: skipped");
                    let _ = out.send(Out::from(error_frame(Response::from_error(
                        Id::Null,
                        Error::parse_error(),
                    ))));
                    start += len;
                }
            }
        }
        // Keep the unread part only.
        if start > 0 {
            buf.drain(..start);
            start = 0;
        }
        match source.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let _ = sink.shutdown().await;
    shut_down
}

/// Logs a problem with the client's framing at warning level the first time, at debug
/// level after that: a client that frames badly does it on every message.
fn warn_once(what: &str) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::debug!("{what}");
    } else {
        tracing::warn!("{what} (later framing problems are logged at debug level)");
    }
}

/// What the input filter hands to tower-lsp-server for `input`, as the bodies of the
/// frames it forwards, and how many error answers it wrote itself. For the frame-level
/// fuzz target and the tests: the real filter, on a single-threaded runtime.
pub fn filtered(input: &[u8]) -> (Vec<Vec<u8>>, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let (tx, mut rx) = unbounded_channel();
    let mut sink: Vec<u8> = Vec::new();
    runtime.block_on(filter_input(
        input,
        &mut sink,
        tx,
        Arc::new(Pending::default()),
    ));
    let mut answers = 0;
    while rx.try_recv().is_ok() {
        answers += 1;
    }
    let mut bodies = Vec::new();
    let mut rest = &sink[..];
    while let Some(Incoming::Frame { body, len }) = next_frame(rest) {
        bodies.push(rest[body].to_vec());
        rest = &rest[len..];
    }
    assert!(rest.is_empty(), "the filter forwards whole frames only");
    (bodies, answers)
}

enum Incoming {
    /// A whole frame: where its body is and its length in all.
    Frame {
        body: std::ops::Range<usize>,
        len: usize,
    },
    /// Headers without a usable Content-Length: this many bytes to skip.
    Garbage(usize),
}

/// The first message in `bytes`, once all of it is there.
fn next_frame(bytes: &[u8]) -> Option<Incoming> {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        // Headers are short: a long stretch with no blank line is garbage, skipped up to
        // the last place a message could start.
        if bytes.len() > 64 * 1024 {
            let keep = bytes
                .windows(14)
                .rposition(|w| w.eq_ignore_ascii_case(b"content-length"))
                .filter(|&at| at > 0)
                .unwrap_or(bytes.len());
            return Some(Incoming::Garbage(keep));
        }
        return None;
    };
    let header_end = end + 4;
    // The last `Content-Length:` of the headers, wherever it starts: stray bytes before it
    // (the rest of a frame whose length was counted short) are left behind.
    let headers = String::from_utf8_lossy(&bytes[..end]);
    let length = headers
        .to_ascii_lowercase()
        .rmatch_indices("content-length")
        .find_map(|(at, name)| {
            let value = headers[at + name.len()..].trim_start_matches([' ', '\t']);
            let value = value.strip_prefix(':')?;
            value.lines().next()?.trim().parse::<usize>().ok()
        });
    if length.is_some()
        && !headers
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("content-")
    {
        warn_once("stray bytes before a Content-Length header: skipped");
    }
    let Some(length) = length else {
        return Some(Incoming::Garbage(header_end));
    };
    let len = header_end.checked_add(length)?;
    (bytes.len() >= len).then_some(Incoming::Frame {
        body: header_end..len,
        len,
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Exit,
    /// A request, which the client waits to have answered.
    Request,
    /// The `shutdown` request: after it, only `exit` is served.
    Shutdown,
    Other,
}

/// `Ok` for a body tower-lsp-server can decode (a request, notification or response);
/// otherwise the error answer to send back.
fn check_message(body: &[u8]) -> Result<Kind, Response> {
    if let Ok(request) = serde_json::from_slice::<Request>(body) {
        return Ok(if request.method() == "exit" {
            Kind::Exit
        } else if request.method() == "shutdown" && request.id().is_some() {
            Kind::Shutdown
        } else if request.id().is_some() && serde_json::from_slice::<Response>(body).is_err() {
            // With an id, and not a response to one of ours (which parses as a request
            // without a method; tower-lsp-server reads a response first, as here).
            Kind::Request
        } else {
            Kind::Other
        });
    }
    if serde_json::from_slice::<Response>(body).is_ok() {
        return Ok(Kind::Other);
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Err(e) => {
            tracing::warn!("a message that is not JSON: {e}");
            Err(Response::from_error(Id::Null, Error::parse_error()))
        }
        Ok(value) => {
            tracing::warn!("a JSON message that is not JSON-RPC: skipped");
            let id = serde_json::from_value::<Id>(value["id"].clone()).unwrap_or(Id::Null);
            Err(Response::from_error(id, Error::invalid_request()))
        }
    }
}

fn error_frame(response: Response) -> Frame {
    let body = serde_json::to_vec(&response).unwrap_or_default();
    let mut head = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    head.extend_from_slice(&body);
    whole(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_found_whole() {
        let one = b"Content-Length: 2\r\n\r\n{}";
        assert_eq!(frame_len(one), Some(one.len()));
        assert_eq!(frame_len(&one[..one.len() - 1]), None, "body incomplete");
        assert_eq!(
            frame_len(b"Content-Length: 2\r\n"),
            None,
            "headers incomplete"
        );
        let typed = b"content-length:  3\r\nContent-Type: x\r\n\r\n[1]rest";
        assert_eq!(frame_len(typed), Some(typed.len() - 4));
    }

    #[tokio::test]
    async fn output_forwards_whole_frames_only() {
        let (tx, mut rx) = unbounded_channel();
        let mut out = Output {
            tx,
            partial: Vec::new(),
        };
        let two = b"Content-Length: 2\r\n\r\n{}Content-Length: 4\r\n\r\n[12]";
        // Written in awkward pieces: a frame is forwarded only once all of it is there.
        out.write_all(&two[..10]).await.unwrap();
        assert!(rx.try_recv().is_err());
        out.write_all(&two[10..30]).await.unwrap();
        assert_eq!(
            rx.try_recv().unwrap().frame.unwrap()[0].bytes(),
            b"Content-Length: 2\r\n\r\n{}"
        );
        assert!(rx.try_recv().is_err());
        out.write_all(&two[30..]).await.unwrap();
        assert_eq!(
            rx.try_recv().unwrap().frame.unwrap()[0].bytes(),
            b"Content-Length: 4\r\n\r\n[12]"
        );
    }

    #[test]
    fn a_direct_response_is_one_valid_frame() {
        let shared: Shared = Arc::new(br#"[{"name":"x"}]"#.to_vec());
        let frame: Vec<u8> = response_frame(&Id::Number(7), Part::Shared(shared))
            .iter()
            .flat_map(|part| part.bytes().to_vec())
            .collect();
        assert_eq!(frame_len(&frame), Some(frame.len()));
        let body_start = frame.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let value: serde_json::Value = serde_json::from_slice(&frame[body_start..]).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"jsonrpc": "2.0", "id": 7, "result": [{"name": "x"}]})
        );
    }

    #[test]
    fn incoming_frames_and_garbage() {
        let good = b"Content-Length: 2\r\n\r\n{}next";
        assert!(matches!(
            next_frame(good),
            Some(Incoming::Frame { body, len: 23 }) if body == (21..23)
        ));
        assert!(next_frame(&good[..22]).is_none(), "body incomplete");
        assert!(matches!(
            next_frame(b"X-Nothing: 1\r\n\r\nContent-Length: 2\r\n\r\n{}"),
            Some(Incoming::Garbage(16))
        ));
        let long = vec![b'x'; 70_000];
        assert!(matches!(next_frame(&long), Some(Incoming::Garbage(70_000))));
    }

    #[test]
    fn after_any_bytes_without_a_header_the_next_frame_is_forwarded() {
        let valid = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let frame =
            |b: &[u8]| [format!("Content-Length: {}\r\n\r\n", b.len()).as_bytes(), b].concat();
        for junk in [
            &b"junk"[..],
            b"\x00\xff\r\n\r\n",
            b"Content-Type: x\r\n\r\n",
            b"}",
            &[b'x'; 70_000],
        ] {
            let input = [junk, &frame(valid)].concat();
            let (bodies, _) = filtered(&input);
            assert_eq!(
                bodies.last().map(Vec::as_slice),
                Some(&valid[..]),
                "after {:?}",
                &junk[..junk.len().min(20)]
            );
        }
        // A frame one byte short: its tail is junk before the next header.
        let short = [
            b"Content-Length: 10\r\n\r\n{\"a\":1234}".as_slice(),
            &frame(valid),
        ]
        .concat();
        let (bodies, answers) = filtered(&short);
        assert_eq!(bodies, [valid.to_vec()]);
        assert_eq!(answers, 1, "the cut frame is answered with an error");
    }

    #[test]
    fn bodies_that_are_not_messages_get_the_right_error() {
        assert_eq!(
            check_message(br#"{"jsonrpc":"2.0","method":"exit"}"#),
            Ok(Kind::Exit)
        );
        // Only a request is awaited by the client: not a notification, nor its answer to
        // one of the server's requests.
        assert_eq!(
            check_message(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#),
            Ok(Kind::Request)
        );
        assert_eq!(
            check_message(br#"{"jsonrpc":"2.0","method":"x","params":{}}"#),
            Ok(Kind::Other)
        );
        assert_eq!(
            check_message(br#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            Ok(Kind::Other)
        );
        assert_eq!(
            check_message(br#"{"jsonrpc":"2.0","id":"a","error":{"code":-1,"message":"no"}}"#),
            Ok(Kind::Other)
        );
        let not_json = check_message(b"{ nope").unwrap_err();
        assert_eq!(not_json.error().unwrap().code, ErrorCode::ParseError);
        let not_rpc = check_message(br#"{"id":5,"x":1}"#).unwrap_err();
        assert_eq!(not_rpc.error().unwrap().code, ErrorCode::InvalidRequest);
        assert_eq!(not_rpc.id(), &Id::Number(5));
    }

    #[tokio::test(start_paused = true)]
    async fn diagnostics_wait_for_the_requests_read_before_them() {
        use std::time::Duration;
        let pending = Arc::new(Pending::default());
        // Nothing asked: no wait.
        let start = tokio::time::Instant::now();
        pending.settled(Duration::from_secs(1)).await;
        assert_eq!(start.elapsed(), Duration::ZERO);

        // Two requests read; the wait ends when the second is answered, not the first.
        pending.arrived();
        pending.arrived();
        let first = Answering(Some(pending.clone()));
        let second = Answering(Some(pending.clone()));
        let waiter = {
            let pending = pending.clone();
            tokio::spawn(async move {
                let start = tokio::time::Instant::now();
                pending.settled(Duration::from_secs(1)).await;
                start.elapsed()
            })
        };
        tokio::time::sleep(Duration::from_millis(3)).await;
        drop(first);
        tokio::time::sleep(Duration::from_millis(4)).await;
        assert!(!waiter.is_finished(), "one request is still unanswered");
        drop(second);
        let waited = waiter.await.expect("the waiter ends");
        assert_eq!(waited, Duration::from_millis(7));
        assert_eq!(pending.count(), 0);

        // A request never answered holds the diagnostics back no longer than the cap.
        pending.arrived();
        let start = tokio::time::Instant::now();
        pending.settled(Duration::from_millis(20)).await;
        assert_eq!(start.elapsed(), Duration::from_millis(20));

        // More answers than requests never wrap the count around.
        drop(Answering(Some(pending.clone())));
        drop(Answering(Some(pending.clone())));
        assert_eq!(pending.count(), 0);
    }
}
