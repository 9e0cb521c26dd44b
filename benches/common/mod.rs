//! What the benchmarks share: a generated RFC and a deterministic trace of edits to it.

#![allow(dead_code)] // each bench uses its own part of this module

/// A realistic RFC of about `lines` lines: frontmatter, a title, then sections with prose,
/// lists, code blocks and tables, repeated with numbered headings.
pub fn generate_rfc(lines: usize) -> String {
    let mut out = String::from(
        "---\nid: \"rfc-042\"\nslug: rfc-042-response-cache\ntitle: \"RFC-042: Response Cache\"\nstatus: Draft\ncreated: 2026-01-05\nupdated: 2026-02-01\nauthor: Zoë Müller\ntags: [\"performance\", \"caching\"]\nproject_id: \"catalog\"\ndoc_uuid: \"3f7c2a91-5d4e-4b8a-9c61-0e2f7d8a4b35\"\n---\n\n# RFC-042: Response Cache\n\n",
    );
    let mut i = 0;
    while out.lines().count() < lines {
        i += 1;
        out.push_str(&format!(
            "## Section {i}\n\nThis section explains part {i} of the design — the cache keys, the TTLs and\nthe invalidation path. Latency must stay ≤ 100 ms at p99 for 日本 users too.\n\n### Details {i}\n\n- **Goal {i}**: keep the hit ratio above 90 %\n- Non-goal: replacing the CDN\n- Owner: team-{i}\n\n```sh\n# warm the cache for shard {i}\ncurl -X POST http://cache.internal/warm/{i}\n```\n\n| Metric | Target |\n|--------|--------|\n| p99    | 100 ms |\n\n"
        ));
    }
    out
}

/// A deterministic trace of edits, applied to its own copy of the text. Each edit is a
/// byte range of the text before it and the text replacing that range.
pub struct Trace {
    pub text: String,
    pub cursor: usize,
    pub step: usize,
    /// The edit that takes back the structural edit just made, made next, and where the
    /// cursor was before it (the text is as it was then, so the cursor goes back there).
    undo: Option<(usize, usize, String, &'static str, usize)>,
}

/// The kinds of edit [`Trace::next_kind`] makes, each timed apart.
pub const KINDS: [&str; 6] = ["typing", "frontmatter", "paste", "heading", "fence", "join"];

impl Trace {
    /// A trace on `text` whose cursor starts in a paragraph in the middle of the document.
    pub fn new(text: String) -> Trace {
        let mid = text.len() / 2;
        let cursor = mid + text[mid..].find("This section").expect("a paragraph") + 12;
        Trace {
            text,
            cursor,
            step: 0,
            undo: None,
        }
    }

    /// The next edit of a deterministic trace: bursts of typing in a paragraph in the
    /// middle of the document, backspaces, a newline now and then, and every 50th edit a
    /// change of a frontmatter value.
    pub fn next(&mut self) -> (usize, usize, String) {
        self.step += 1;
        let edit = self.typing();
        self.apply(edit)
    }

    /// The same trace with pastes as well: every 97th edit a whole new `## Section` with a
    /// paragraph, every 41st a few list items, pasted at the end of the cursor's line; the
    /// cursor moves to the end of the paste and typing goes on there.
    pub fn next_with_pastes(&mut self) -> (usize, usize, String) {
        self.step += 1;
        let paste = if self.step.is_multiple_of(97) {
            Some(format!(
                "\n\n## Pasted section {}\n\nA pasted paragraph — with é, ≤ and 日本 — about the cache warm-up.\nIts second line ends in ASCII",
                self.step
            ))
        } else if self.step.is_multiple_of(41) {
            Some("\n\n- a pasted item — é\n- another pasted item\n- the last one".to_string())
        } else {
            None
        };
        let Some(paste) = paste else {
            let edit = self.typing();
            return self.apply(edit);
        };
        let at = self.cursor + self.text[self.cursor..].find('\n').expect("a line end");
        let end = at + paste.len();
        let edit = self.apply((at, at, paste));
        self.cursor = end;
        edit
    }

    /// The trace of [`Trace::next_with_pastes`] with structural edits among it, and the
    /// kind of each edit ([`KINDS`]): every 53rd edit a heading typed at the end of the
    /// cursor's line (`## Typed heading`) and deleted by the next; every 59th a code fence
    /// opened there (it swallows the rest of the document) and closed again by the next;
    /// every 67th the cursor's line joined to the next one and split again by the next.
    pub fn next_kind(&mut self) -> (usize, usize, String, &'static str) {
        if let Some((start, end, text, kind, cursor)) = self.undo.take() {
            self.step += 1;
            let (s, e, t) = self.apply((start, end, text));
            self.cursor = cursor;
            return (s, e, t, kind);
        }
        let step = self.step + 1;
        let line_end = self.cursor + self.text[self.cursor..].find('\n').expect("a line end");
        let structural: Option<(&str, &'static str)> = if step.is_multiple_of(53) {
            Some(("\n\n## Typed heading", "heading"))
        } else if step.is_multiple_of(59) {
            Some(("\n```", "fence"))
        } else {
            None
        };
        if let Some((insert, kind)) = structural {
            self.step = step;
            let cursor = self.cursor;
            let (s, e, t) = self.apply((line_end, line_end, insert.to_string()));
            self.cursor = cursor.min(self.cursor);
            self.undo = Some((
                line_end,
                line_end + insert.len(),
                String::new(),
                kind,
                self.cursor,
            ));
            return (s, e, t, kind);
        }
        if step.is_multiple_of(67) {
            self.step = step;
            let cursor = self.cursor;
            let (s, e, t) = self.apply((line_end, line_end + 1, String::new()));
            self.undo = Some((line_end, line_end, "\n".to_string(), "join", cursor));
            return (s, e, t, "join");
        }
        let kind = if step.is_multiple_of(97) || step.is_multiple_of(41) {
            "paste"
        } else if step.is_multiple_of(50) {
            "frontmatter"
        } else {
            "typing"
        };
        let (s, e, t) = self.next_with_pastes();
        (s, e, t, kind)
    }

    fn typing(&self) -> (usize, usize, String) {
        if self.step.is_multiple_of(50) {
            let at = self
                .text
                .find("status: ")
                .expect("frontmatter has a status")
                + 8;
            let end = at + self.text[at..].find('\n').expect("a line end");
            let value = if self.step.is_multiple_of(100) {
                "Draft"
            } else {
                "In Review"
            };
            (at, end, value.to_string())
        } else if self.step.is_multiple_of(10) {
            // A backspace takes the whole character before the cursor.
            let prev = self.text[..self.cursor]
                .chars()
                .next_back()
                .map_or(1, char::len_utf8);
            (self.cursor - prev, self.cursor, String::new())
        } else if self.step.is_multiple_of(37) {
            (self.cursor, self.cursor, "\n".to_string())
        } else {
            let c = ["a", "b", " ", "é", "x"][self.step % 5];
            (self.cursor, self.cursor, c.to_string())
        }
    }

    fn apply(&mut self, edit: (usize, usize, String)) -> (usize, usize, String) {
        self.text.replace_range(edit.0..edit.1, &edit.2);
        if edit.1 <= self.cursor {
            // Before the cursor (or typed at it): the cursor moves with the text.
            self.cursor = (self.cursor as isize + edit.2.len() as isize
                - (edit.1 - edit.0) as isize) as usize;
        } else if edit.0 < self.cursor {
            self.cursor = edit.0 + edit.2.len(); // the cursor's text replaced: after it
        }
        edit
    }
}
