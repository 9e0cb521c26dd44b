//! An RFC's number, read one way wherever it is written: a metadata value (`id: rfc-042`,
//! `**RFC Number**: 2026-042`), a file name (`rfc-042-cache.md`, `0042-cache.md`), a
//! title (`RFC-007: ...`) or a reference in prose (`RFC-042`, `RFC 2026-042`).
//!
//! A number is an identity as written: `2025-014` (year 2025, sequence 14) and `14` are
//! two numbers, and so are `2025-014` and `2026-014`. Where one side carries no year (a
//! file name `rfc-014-x.md` beside `**RFC Number**: 2025-014`), [`RfcNumber::agrees`]
//! compares the sequences alone.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The most digits a sequence number may have (more is a date, a port, an issue id).
const MAX_DIGITS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RfcNumber {
    /// The year of a year-numbered RFC (`2026-042`).
    pub year: Option<u16>,
    /// The sequence: 42 of `rfc-042` and of `2026-042`.
    pub seq: u32,
}

impl RfcNumber {
    pub const fn plain(seq: u32) -> Self {
        RfcNumber { year: None, seq }
    }

    /// The number a metadata value states: `rfc-042`, `RFC 0031`, `042`, `#42`,
    /// `2026-042`, `rfc-2026-042`; text after the number is allowed past a word break
    /// (`042 (draft)`). `None` for a placeholder (`YYYY-NNN`) or no number at all.
    pub fn parse(value: &str) -> Option<Self> {
        let v = value
            .trim()
            .trim_matches(['"', '\''])
            .trim_start_matches('#');
        let v = strip_rfc(v).unwrap_or(v);
        let (n, len) = leading(v)?;
        let rest = &v[len..];
        rest.chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
            .then_some(n)
    }

    /// The number a file name starts with: `rfc-042-cache.md`, `RFC_7.md`,
    /// `rfc-2026-042-x.md`, and without the prefix a zero-padded `0042-cache.md` or a
    /// year-numbered `2026-042-cache.md` (at least three digits, so a chapter `1-intro.md`
    /// is none). A date (`2026-01-05-notes.md`) is no number.
    pub fn in_file_name(name: &str) -> Option<Self> {
        let (v, prefixed) = match strip_rfc(name) {
            Some(v) => (v, true),
            None => (name, false),
        };
        let (n, len) = leading(v)?;
        let rest = &v[len..];
        if !prefixed && (n.year.is_none() && len < 3) {
            return None;
        }
        // `2026-01-05`: a third run of digits after a dash makes a date.
        let date = rest
            .strip_prefix('-')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        let ends = rest.is_empty() || rest.starts_with(['-', '_', '.', ' ']);
        (ends && !date).then_some(n)
    }

    /// The number a title starts with (`RFC-007: ...`, `RFC 7 - ...`, `RFC #7`,
    /// `RFC 2026-042: ...`) and its digits' byte range in `text`.
    pub fn in_title(text: &str) -> Option<(Range<usize>, Self)> {
        let t = text.trim_start();
        let lead = text.len() - t.len();
        let after = strip_rfc(t)?;
        let mut at = lead + (t.len() - after.len());
        if text[at..].starts_with('#') {
            at += 1;
        }
        let (n, len) = leading(&text[at..])?;
        if text[at + len..].starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        Some((at..at + len, n))
    }

    /// Whether two numbers can name the same RFC: equal, or the same sequence where one
    /// of them carries no year.
    pub fn agrees(self, other: RfcNumber) -> bool {
        self.seq == other.seq
            && (self.year == other.year || self.year.is_none() || other.year.is_none())
    }
}

impl fmt::Display for RfcNumber {
    /// `2026-042` with its year; without, the sequence as an integer is written (`{:03}`
    /// pads it: `042`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y}-{:03}", self.seq),
            None => fmt::Display::fmt(&self.seq, f),
        }
    }
}

/// `s` after a leading `rfc` (any case) and one separator (`-`, `_`, space), when the
/// next character is a digit or `#`.
fn strip_rfc(s: &str) -> Option<&str> {
    let head = s.get(..3).filter(|h| h.eq_ignore_ascii_case("rfc"))?;
    let rest = &s[head.len()..];
    let rest = rest.strip_prefix(['-', '_', ' ']).unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '#')
        .then_some(rest)
}

/// The number at the start of `s` and how many bytes it takes: digits, or a four-digit
/// year, a dash and digits.
fn leading(s: &str) -> Option<(RfcNumber, usize)> {
    let run = |from: usize| s[from..].bytes().take_while(u8::is_ascii_digit).count();
    let first = run(0);
    if first == 0 || first > MAX_DIGITS {
        return None;
    }
    if first == 4 && s[4..].starts_with('-') {
        let seq = run(5);
        if (1..=MAX_DIGITS).contains(&seq) {
            let year = s[..4].parse().ok()?;
            let n = s[5..5 + seq].parse().ok()?;
            return Some((
                RfcNumber {
                    year: Some(year),
                    seq: n,
                },
                5 + seq,
            ));
        }
    }
    Some((RfcNumber::plain(s[..first].parse().ok()?), first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(year: u16, seq: u32) -> RfcNumber {
        RfcNumber {
            year: Some(year),
            seq,
        }
    }

    #[test]
    fn values_are_read_as_written() {
        let p = RfcNumber::plain;
        assert_eq!(RfcNumber::parse("rfc-042"), Some(p(42)));
        assert_eq!(RfcNumber::parse("RFC 0031"), Some(p(31)));
        assert_eq!(RfcNumber::parse("042"), Some(p(42)));
        assert_eq!(RfcNumber::parse("\"14\""), Some(p(14)));
        assert_eq!(RfcNumber::parse("#7"), Some(p(7)));
        assert_eq!(RfcNumber::parse("2025-014"), Some(y(2025, 14)));
        assert_eq!(RfcNumber::parse("rfc-2025-014"), Some(y(2025, 14)));
        assert_eq!(RfcNumber::parse("042 (draft)"), Some(p(42)));
        // Three identities, not one.
        assert_ne!(RfcNumber::parse("2025-014"), RfcNumber::parse("14"));
        assert_ne!(RfcNumber::parse("2025-014"), RfcNumber::parse("2026-014"));
        for none in [
            "YYYY-NNN",
            "[YYYY-XXX]",
            "",
            "rfc",
            "42abc",
            "1234567",
            "TBD",
        ] {
            assert_eq!(RfcNumber::parse(none), None, "{none}");
        }
        assert_eq!(y(2026, 42).to_string(), "2026-042");
        assert_eq!(p(42).to_string(), "42");
        assert_eq!(format!("rfc-{:03}", p(7)), "rfc-007");
    }

    #[test]
    fn file_names_and_titles() {
        let p = RfcNumber::plain;
        let f = RfcNumber::in_file_name;
        assert_eq!(f("rfc-042-cache.md"), Some(p(42)));
        assert_eq!(f("RFC_7.md"), Some(p(7)));
        assert_eq!(f("0042-cache.md"), Some(p(42)));
        assert_eq!(f("rfc-2026-042-cache.md"), Some(y(2026, 42)));
        assert_eq!(f("2026-042-cache.md"), Some(y(2026, 42)));
        for none in [
            "notes.md",
            "1-intro.md",
            "2026-01-05-notes.md",
            "rfcs.md",
            "42x.md",
        ] {
            assert_eq!(f(none), None, "{none}");
        }
        assert_eq!(RfcNumber::in_title("RFC-007: Cache"), Some((4..7, p(7))));
        assert_eq!(RfcNumber::in_title("RFC #7 - Cache"), Some((5..6, p(7))));
        assert_eq!(
            RfcNumber::in_title("RFC 2026-042: Cache"),
            Some((4..12, y(2026, 42)))
        );
        assert_eq!(RfcNumber::in_title("RFC: Cache"), None);
        assert_eq!(RfcNumber::in_title("RFCs 7"), None);
    }

    #[test]
    fn a_year_agrees_with_no_year_but_not_with_another_year() {
        assert!(y(2026, 42).agrees(RfcNumber::plain(42)));
        assert!(RfcNumber::plain(42).agrees(y(2026, 42)));
        assert!(!y(2026, 42).agrees(y(2025, 42)));
        assert!(!RfcNumber::plain(41).agrees(RfcNumber::plain(42)));
    }
}
