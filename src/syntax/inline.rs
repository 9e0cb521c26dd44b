//! Inline syntax the block grammar leaves opaque, read straight from the text where a rule
//! needs it: code spans.

use std::ops::Range;

/// The code spans of a text (a run of backticks up to the next run of the same length,
/// within a paragraph), as byte ranges including the backticks.
pub fn code_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let open = i;
        while i < bytes.len() && bytes[i] == b'`' {
            i += 1;
        }
        let n = i - open;
        // Find the closing run of exactly n backticks before a blank line.
        let mut j = i;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'\n'
                && text[j + 1..]
                    .trim_start_matches([' ', '\t'])
                    .starts_with('\n')
            {
                break;
            }
            if bytes[j] == b'`' {
                let s = j;
                while j < bytes.len() && bytes[j] == b'`' {
                    j += 1;
                }
                if j - s == n {
                    close = Some(j);
                    break;
                }
                continue;
            }
            j += 1;
        }
        if let Some(end) = close {
            spans.push(open..end);
            i = end;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn code_spans_pair_runs_of_one_length_within_a_paragraph() {
        let spans = |t: &str| -> Vec<String> {
            code_spans(t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect()
        };
        assert_eq!(spans("a `b` c ``d`e`` f"), ["`b`", "``d`e``"]);
        assert_eq!(spans("`unclosed and `x`"), ["`unclosed and `"]);
        assert_eq!(spans("``lone `x` run"), ["`x`"]);
        assert_eq!(spans("`a\nb`"), ["`a\nb`"]);
        assert!(spans("`a\n\nb`").is_empty());
    }
}
