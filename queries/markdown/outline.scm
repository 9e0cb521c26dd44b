; The blocks the outline is made of, read from one chunk's block tree.
; Captures arrive in document order. Headings inside a @container (block quote or list
; item) are not sections; the code that runs this query drops them.

(minus_metadata) @frontmatter

(atx_heading) @heading.atx

(setext_heading) @heading.setext

(fenced_code_block) @code.fenced

(indented_code_block) @code.indented

(html_block) @html

(block_quote) @container

(list_item) @container
