//! Folding ranges: sections, the frontmatter, code blocks and HTML blocks (comments).

use super::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

/// A foldable run of lines, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub start_line: usize,
    pub end_line: usize,
    pub kind: FoldKind,
}

pub fn folding_ranges(snapshot: &Snapshot) -> Vec<Fold> {
    let outline = &snapshot.outline;
    let rope = &snapshot.rope;
    let line = |offset: usize| rope.byte_to_line(offset.min(rope.len_bytes()));
    let mut folds = Vec::new();
    let mut push = |range: std::ops::Range<usize>, kind| {
        let (start_line, end_line) = (line(range.start), line(range.end));
        if end_line > start_line {
            folds.push(Fold {
                start_line,
                end_line,
                kind,
            });
        }
    };
    if let Some(frontmatter) = &outline.frontmatter {
        push(frontmatter.range.clone(), FoldKind::Region);
    }
    for section in outline.sections() {
        push(
            section.range.start..outline.trimmed_end(&section),
            FoldKind::Region,
        );
    }
    for code in &outline.code_blocks {
        push(code.range.clone(), FoldKind::Region);
    }
    for html in &outline.html_blocks {
        let kind = if snapshot
            .slice(html.clone())
            .trim_start()
            .starts_with("<!--")
        {
            FoldKind::Comment
        } else {
            FoldKind::Region
        };
        push(html.clone(), kind);
    }
    folds.sort_by_key(|f| (f.start_line, f.end_line));
    folds
}
