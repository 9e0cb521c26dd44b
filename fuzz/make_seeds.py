#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/seeds/<target>/: the example RFCs, the test
fixtures and hand-made nasty inputs. Run from anywhere: python3 fuzz/make_seeds.py.
Regression inputs (crashes once found) live in the same folders under names starting
with `crash-`; this script never deletes them."""

import glob
import os
import random

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
SEEDS = os.path.join(FUZZ, "seeds")


def sources():
    """(name, bytes) of every example RFC and Markdown fixture."""
    paths = sorted(glob.glob(os.path.join(ROOT, "examples", "*.md")))
    paths += sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "**", "*.md"), recursive=True))
    for p in paths:
        rel = os.path.relpath(p, ROOT).replace(os.sep, "_")
        with open(p, "rb") as f:
            yield rel, f.read()


NASTY = {
    "unclosed-frontmatter.md": b"---\nid: rfc-001\nslug: rfc-001-x\nstatus: Draft\n\n# RFC-001: Title\n\n## Summary\n\nText.\n",
    "bom.md": "\ufeff---\nid: rfc-001\nstatus: Draft\n---\n\n# RFC-001: Title\n\n## Summary\n".encode(),
    "bom-bold.md": "\ufeff# RFC: Title\n\n**Status**: Draft  \n**Author**: Zoë\n".encode(),
    "lone-cr.md": b"# RFC: X\r\r**Status**: Draft  \r**Author**: a\r\r## Summary\rtext\r\r```\r# code\r```\r## Status\r\r- **Status**: Proposed\r",
    "crlf-frontmatter.md": b"---\r\nid: rfc-002\r\ntags: [a, B c]\r\n---\r\n# RFC-002: T\r\n\r\n## Summary\r\n",
    "nested-quotes-3000.md": b"> " * 3000 + b"# deep\n",
    "nested-quotes-3000-tight.md": b">" * 3000 + b" text\n## After\n",
    "nested-list-3000.md": b"- " * 3000 + b"item\n## After\n",
    "nested-ordered-3000.md": b"1. " * 3000 + b"item\n",
    "nested-mixed-3000.md": b"> - " * 1500 + b"**Status**: Draft\n",
    "long-line-200k.md": b"# RFC-001: " + b"word " * 40000,
    "long-bold-line-200k.md": b"# RFC: T\n**Status**: " + b"x" * 200000 + b"\n",
    "binary.bin": bytes(range(256)) + bytes(random.Random(7).randrange(256) for _ in range(768)),
    "nul-bytes.md": b"# RFC-001\x00: T\n\x00\x00## Sum\x00mary\n---\n\x00: x\n",
    "empty.md": b"",
    "whitespace.md": b" \n\t\n   \r\n",
    "placeholders.md": b"---\nid: rfc-XXX\nslug: rfc-xxx-feature\ntitle: \"RFC-XXX: [Feature Name]\"\nstatus: Draft\ncreated: YYYY-MM-DD\nupdated: YYYY-MM-DD\nauthor: Your Name\ntags: []\nproject_id: \"\"\ndoc_uuid: 00000000-0000-0000-0000-000000000000\n---\n\n# RFC-XXX: [Feature Name]\n\n## Summary\n\n[Describe the change]\n\n## Motivation\n\nTBD\n",
    "setext-and-html.md": b"RFC 7: Setext\n=====\n\n**Status:** Draft\n\nSub\n---\n\n<div>\n## in html\n</div>\n\n<!--\n## hidden\n-->\n\n    # indented code\n\n## A ##\n~~~\n# fenced\n",
    "frontmatter-not-first.md": b"\n---\nid: rfc-001\n---\n# RFC-001: T\n",
    "yaml-error.md": b"---\nid: rfc-001\nauthor: \"Maren\ntags: [a, b\nstatus: Draft\n---\n# RFC-001: T\n",
    "duplicates.md": b"---\nstatus: Draft\nstatus: Accepted\ntags: [a, a, Caching Layer]\n---\n# RFC-001: A\n# RFC-001: B\n## Summary\n## Summary\n",
    "multibyte.md": "# RFC-001: 日本語 😀 é\n\n**Status**: Dräft  \n**Author(s)**: 😀\n\n## Σummary\n\n😀😀😀\n".encode(),
}

YAML = {
    "flow.yaml": b"tags: [a, 'b''c', \"d\\\"e\", {x: y}]\nmap: {a: 1, b: [2, 3]}\n",
    "anchors.yaml": b"base: &b {a: 1}\nother: *b\nlist: [*b, &c x, *c]\n<<: *b\n",
    "complex-keys.yaml": b"? a\n? [b, c]\n: d\n? |\n  block\n: e\n",
    "block-scalars.yaml": b"a: |\n  line\n   more\nb: >-\n  folded\n  text\nc: |+\n\n",
    "multi-doc.yaml": b"a: 1\n---\nb: 2\n...\n---\nc: 3\n",
    "unclosed-quote.yaml": b"id: rfc-001\ntitle: \"unclosed\nstatus: Draft\n",
    "unclosed-flow.yaml": b"tags: [a, b\nstatus: {x: 1\n",
    "tabs.yaml": b"a:\t1\n\tb: 2\n",
    "deep-flow-3000.yaml": b"a: " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "deep-map-120.yaml": b"".join(b"  " * i + b"k%d:\n" % i for i in range(120)),
    "scalar-doc.yaml": b"just text\n",
    "seq-doc.yaml": b"- a\n- b\n",
    "comments.yaml": b"# c\nid: \"rfc-042\"  # comment\nempty:   # nothing\nk: v #not\n",
    "bom.yaml": "\ufeffid: rfc-001\n".encode(),
    "cr.yaml": b"id: rfc-001\rstatus: Draft\r",
    "tags-directives.yaml": b"%YAML 1.2\n%TAG ! tag:x,2000:\n---\na: !local 1\nb: !!str 2\n",
    "bold-lines.md": "**RFC Number**: 042\n**Status**: Draft  \n**Status:** Draft\n**Last Updated**: 2026-01-02\\\n- **Author**: Zoë\n****: x\n**Bold** text\n    **Indented**: code\n* **Target Application(s):** api, shared\n".encode(),
    "status-list.md": b"- **Status**: Accepted\n- **Author**: A\n  - **Date**: 2026-01-01\n+ **Last Updated:** x\n",
    "multibyte.yaml": "é: Zoë Müller\n😀: [日本, 語]\n\"ü\": 'ö'\n".encode(),
}


def script(rng, n):
    """An edit script for the edits target (see fuzz_targets/edits.rs)."""
    return bytes(rng.randrange(256) for _ in range(n))


def write(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def frontmatter(data):
    text = data.decode("utf-8", "replace")
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    return text[4:end + 1].encode() if end > 0 else None


def main():
    rng = random.Random(42)
    for target in ("analysis", "edits", "yaml"):
        d = os.path.join(SEEDS, target)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if not f.startswith("crash-"):
                    os.remove(os.path.join(d, f))
    docs = list(sources()) + sorted(NASTY.items())
    for name, data in docs:
        write("analysis", name, data)
        # The edits target re-parses the whole text after each edit: keep its seeds small.
        base = data if len(data) <= 16384 else data[:16384]
        write("edits", name, base)
        for i in range(2):
            write("edits", f"{name}.script{i}", base + b"\xff" + script(rng, 64 + 64 * i))
    for name, data in list(sources()):
        fm = frontmatter(data)
        if fm:
            write("yaml", f"{name}.frontmatter.yaml", fm)
    for name in ("nested-quotes-3000-tight.md", "unclosed-frontmatter.md", "lone-cr.md", "bom.md", "binary.bin", "multibyte.md", "yaml-error.md", "long-bold-line-200k.md"):
        write("yaml", name, NASTY[name])
    for name, data in sorted(YAML.items()):
        write("yaml", name, data)
    with open(os.path.join(ROOT, "tests", "fixtures", "config", ".rfc-lsp.yaml"), "rb") as f:
        write("yaml", "fixture-config.rfc-lsp.yaml", f.read())


if __name__ == "__main__":
    main()
