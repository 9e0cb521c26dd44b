//! A unified diff of two texts, line by line (Myers' O(ND) algorithm: the changes
//! `check --diff` shows are few, so D is small), with three lines of context, as `diff -u`
//! and `git diff` print it.

/// One line of the edit script: kept, removed (from the old text) or added (from the new).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Keep(usize, usize),
    Remove(usize),
    Add(usize),
}

const CONTEXT: usize = 3;

/// The unified diff from `old` to `new`, headed `--- a/NAME` / `+++ b/NAME`; empty when the
/// texts are equal.
pub fn unified(old: &str, new: &str, name: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = script(&a, &b);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    // Hunks: runs of changes with at most 2 * CONTEXT kept lines between them.
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Keep(..)))
        .collect();
    let mut i = 0;
    while i < changed.len() {
        let mut j = i;
        while j + 1 < changed.len() && changed[j + 1] - changed[j] <= 2 * CONTEXT + 1 {
            j += 1;
        }
        let from = changed[i].saturating_sub(CONTEXT);
        let to = (changed[j] + CONTEXT + 1).min(ops.len());
        hunk(&mut out, &ops[from..to], &a, &b, &ops[..from]);
        i = j + 1;
    }
    out
}

/// Writes one hunk: its `@@` header (1-based starts, counts) and its lines.
fn hunk(out: &mut String, ops: &[Op], a: &[&str], b: &[&str], before: &[Op]) {
    let a_start = before.iter().filter(|o| !matches!(o, Op::Add(_))).count();
    let b_start = before
        .iter()
        .filter(|o| !matches!(o, Op::Remove(_)))
        .count();
    let a_len = ops.iter().filter(|o| !matches!(o, Op::Add(_))).count();
    let b_len = ops.iter().filter(|o| !matches!(o, Op::Remove(_))).count();
    let start = |s: usize, len: usize| if len == 0 { s } else { s + 1 };
    out.push_str(&format!(
        "@@ -{},{a_len} +{},{b_len} @@\n",
        start(a_start, a_len),
        start(b_start, b_len)
    ));
    for op in ops {
        let (mark, line) = match *op {
            Op::Keep(i, _) => (' ', a[i]),
            Op::Remove(i) => ('-', a[i]),
            Op::Add(j) => ('+', b[j]),
        };
        out.push(mark);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// The shortest edit script from `a` to `b` (Myers 1986: the furthest reaching path on
/// each diagonal, kept for each number of changes `d`, then followed back).
fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let off = max as isize + 1;
    let at = |k: isize| (off + k) as usize;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d]: the paths before step d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'search: for d in 0..=max as isize {
        trace.push(v.clone());
        for k in (-d..=d).step_by(2) {
            let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
            let mut x = if down { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                break 'search;
            }
        }
    }
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let k = x - y;
        let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = v[at(prev_k)];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push(Op::Keep(x as usize, y as usize));
        }
        if d > 0 {
            if x == prev_x {
                ops.push(Op::Add(prev_y as usize));
            } else {
                ops.push(Op::Remove(prev_x as usize));
            }
        }
        (x, y) = (prev_x, prev_y);
    }
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::unified;

    /// Applies a unified diff made by [`unified`] to `old` (its hunks in order).
    fn patch(old: &str, diff: &str) -> String {
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut next = 0; // the next line of `a` not yet copied
        let mut lines = diff.lines().skip(2).peekable();
        while let Some(header) = lines.next() {
            let start: usize = header[4..].split(',').next().unwrap().parse().unwrap();
            let len: usize = header[4..]
                .split([',', ' '])
                .nth(1)
                .unwrap()
                .parse()
                .unwrap();
            let start = if len == 0 { start } else { start - 1 };
            out.extend(a[next..start].iter().copied());
            next = start;
            while let Some(l) = lines.peek().copied() {
                if l.starts_with("@@") {
                    break;
                }
                lines.next();
                let no_newline = lines.peek().is_some_and(|n| n.starts_with('\\'));
                if no_newline {
                    lines.next();
                }
                let text = if no_newline {
                    l[1..].to_string()
                } else {
                    format!("{}\n", &l[1..])
                };
                match &l[..1] {
                    " " => {
                        out.push_str(&text);
                        next += 1;
                    }
                    "-" => next += 1,
                    _ => out.push_str(&text),
                }
            }
        }
        out.extend(a[next..].iter().copied());
        out
    }

    #[test]
    fn a_diff_applies_back_to_the_new_text() {
        let cases = [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("", "x\n"),
            ("x\n", ""),
            (
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nTWELVE\n13\n",
            ),
            ("no newline", "no newline\nmore"),
            ("same\n", "same\n"),
        ];
        for (old, new) in cases {
            let diff = unified(old, new, "f.md");
            assert_eq!(patch(old, &diff), new, "{old:?} -> {new:?}:\n{diff}");
        }
        let diff = unified("a\nb\nc\n", "a\nB\nc\n", "f.md");
        assert_eq!(
            diff,
            "--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        // Changes far apart: two hunks.
        let old: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "two\n")
            .replace("line 27\n", "twenty-seven\n");
        assert_eq!(unified(&old, &new, "f.md").matches("@@ -").count(), 2);
    }
}
