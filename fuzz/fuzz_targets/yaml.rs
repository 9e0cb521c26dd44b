//! Any text into the YAML node parser (src/syntax/yaml.rs) and the metadata readers
//! (src/metadata/): as a YAML text of its own, as the body of a frontmatter, as bold lines
//! under a title and as the list of a `## Status` section. Every node, key, value, item,
//! problem and error offset must lie within the text it was read from, on char
//! boundaries; a collection's span holds its children's; a bold line's key comes before
//! its value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc_lsp::metadata::{self, Metadata, Style, Value, parse_bold_line};
use rfc_lsp::syntax::Document;
use rfc_lsp::syntax::yaml::{self, Node};
use rfc_lsp::workspace::index::scan_text;
use rfc_lsp_fuzz::{assert_range, assert_within};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();

    // The node parser, at offset 0 and shifted as the frontmatter reader shifts it.
    for base in [0, 4] {
        let padded = format!("{}{text}", &"---\n"[..base]);
        let (root, error) = yaml::parse(&text, base);
        if let Some(root) = &root {
            node_invariants(&padded, root, base);
        }
        if let Some(e) = &error {
            assert_range(&padded, &(e.offset..e.offset), "YAML error offset");
            assert!(e.offset >= base, "YAML error before the text");
        }
    }

    // The three metadata styles, read from whole documents as the analysis reads them.
    let documents = [
        format!("---\n{text}\n---\n# RFC-001: Title\n"),
        format!("---\r\n{text}\r\n---\r\n"),
        format!("# RFC-001: Title\n\n{text}\n\n## Summary\n"),
        format!("# T\n\n## Status\n\n{text}\n## Next\n"),
        text.clone(),
    ];
    for doc_text in &documents {
        let snapshot = Document::new(doc_text, 0).snapshot();
        for md in metadata::read(&snapshot) {
            metadata_invariants(doc_text, &md);
        }
        // The workspace index's line scan of the same text: every span in it.
        let facts = scan_text(None, doc_text);
        for v in [&facts.id, &facts.uuid, &facts.title, &facts.status, &facts.successor]
            .into_iter()
            .flatten()
        {
            assert_range(doc_text, &v.span.range, "index value");
        }
        for r in &facts.references {
            assert_range(doc_text, &r.span.range, "index reference");
        }
    }

    // Every line as a bold-key line.
    for line in text.split(['\n', '\r']) {
        if let Some((key, value)) = parse_bold_line(line) {
            assert_range(line, &key, "bold key");
            assert_range(line, &value, "bold value");
            assert!(!key.is_empty(), "a bold key is not empty");
            assert!(key.end <= value.start, "a bold key comes before its value");
            let v = &line[value];
            assert_eq!(v, v.trim(), "a bold value is trimmed");
        }
    }
});

fn node_invariants(text: &str, node: &Node, base: usize) {
    let range = node.range();
    assert_range(text, &range, &format!("YAML {}", node.kind()));
    assert!(range.start >= base, "YAML node {range:?} before the text");
    let children: Vec<&Node> = match node {
        Node::Seq { items, .. } => items.iter().collect(),
        Node::Map { entries, .. } => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
        Node::Scalar { .. } | Node::Alias { .. } => Vec::new(),
    };
    for child in children {
        node_invariants(text, child, base);
        // An empty value (`key:` at the end of a block) may sit just past the block.
        if !child.range().is_empty() {
            assert_within(
                &child.range(),
                &range,
                &format!("YAML {} child", node.kind()),
            );
        }
    }
}

fn metadata_invariants(text: &str, md: &Metadata) {
    let what = |s: &str| format!("{} {s}", md.style.describe());
    assert_range(text, &md.range, &what("block"));
    for f in &md.fields {
        assert_range(text, &f.key_range, &what(&format!("key {:?}", f.key)));
        assert_range(
            text,
            &f.value_range,
            &what(&format!("value of {:?}", f.key)),
        );
        assert!(
            f.key_range.end <= f.value_range.start || md.style == Style::Frontmatter,
            "{}: key {:?} after its value {:?}",
            what("field"),
            f.key_range,
            f.value_range
        );
        assert_within(&f.key_range, &md.range, &what("key"));
        assert_within(&f.value_range, &md.range, &what("value"));
        if md.style != Style::Frontmatter {
            assert_eq!(&text[f.key_range.clone()], f.key, "{}", what("key text"));
        }
        if let Value::List(items) = &f.value {
            for item in items {
                assert_range(text, &item.range, &what("list item"));
            }
        }
    }
    for p in &md.problems {
        assert_range(text, &p.range, &what("problem"));
    }
}
