//! Any bytes a client might send, then one valid request, through the server's input
//! filter (src/server/transport.rs): it must never panic, forward whole frames only (each
//! a message tower-lsp-server can decode), and, where the bytes before it hold no
//! `Content-Length` header that could claim the request as its body, forward the request:
//! one malformed frame must not silence the server.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc_lsp::server::transport::filtered;

const VALID: &[u8] = br#"{"jsonrpc":"2.0","id":7,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///w/a.md"}}}"#;

fuzz_target!(|data: &[u8]| {
    let mut input = data.to_vec();
    input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", VALID.len()).as_bytes());
    input.extend_from_slice(VALID);
    let (bodies, _) = filtered(&input);
    for body in &bodies {
        assert!(
            serde_json::from_slice::<serde_json::Value>(body).is_ok(),
            "a forwarded body is JSON"
        );
    }
    let claims = data
        .windows(14)
        .any(|w| w.eq_ignore_ascii_case(b"content-length"));
    if !claims {
        assert_eq!(
            bodies.last().map(Vec::as_slice),
            Some(VALID),
            "the request after the junk is forwarded"
        );
    }
});
