#!/usr/bin/env python3
"""Checks the rendered documentation of the `sfini` crate for links that
did not become links.

rustdoc warns about an intra-doc link it cannot resolve where the link is
written, but an item documented in one crate and shown in another (the
facade re-exports the runtime, the language crate and the macros) is
rendered again in the facade's context, and there a link whose target has
no page (an item of a crate whose documentation is not built, say) is
written out as its text, brackets and all, without a warning:
`[`StepFunctions`]` instead of a link. This script reads the HTML that
`cargo doc` wrote for the facade and reports:

- bracketed text outside code that reads as a link target: `[<code>X</code>]`,
  `[X]`, `[path::to::X]`, `[text][reference]`;
- links whose address is a Rust path (`href="crate::x::Y"`), which is what
  an unresolved `[text](path)` becomes;
- relative links to pages that do not exist.

Only the documentation written for sfini's own items is read: code blocks,
item declarations and the documentation of trait implementations shown
from other crates (blanket and auto-trait implementations) are left out,
so that brackets in code (`[T]`, `#[activity]`) are not mistaken for links.

Usage: check-doc-links.py [DOC_DIR]   (default: doc/sfini in the
workspace's target directory, as `cargo metadata` gives it)
Exit status 0 when nothing is found, 1 otherwise.
"""

import html
import json
import os
import re
import subprocess
import sys

# Sections of an item's page that hold documentation written elsewhere
# (implementations of traits for every type, auto traits): from the first
# of these headings to the end of the page.
FOREIGN_SECTIONS = re.compile(
    r'<h2 id="(?:synthetic-implementations|blanket-implementations)"'
)
PRE = re.compile(r"<pre\b.*?</pre>", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)
CODE_HEADER = re.compile(
    r'<(h[1-6]|div|span|section)\b[^>]*class="[^"]*\bcode-header\b[^"]*"[^>]*>.*?</\1>',
    re.S,
)
CODE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.S)
TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r'\bhref="([^"]*)"')
# Marks where inline code was, so that `[`X`]` is still seen, and where a
# link was (whatever its text holds, it is a link).
CODE_MARK = "\x00"
LINK_MARK = "\x01"
# Brackets inside inline code are code, not links.
HIDE_BRACKETS = str.maketrans("[]", "\x02\x03")
SHOW_BRACKETS = str.maketrans("\x02\x03", "[]")
# A bracketed text that reads as an intra-doc link target: a name or a
# path, maybe in code, maybe with `!` (macros) or `()` (functions).
TARGET = re.compile(
    r"^\x00[^\x00]*\x00$|^[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*(?:!|\(\))?$"
)
BRACKETS = re.compile(r"\[([^\[\]\n]{1,200})\](\[[^\[\]\n]{1,200}\])?(?!\()")


def inline_code(match):
    """Inline code as its text between marks, its own brackets hidden."""
    code = TAG.sub("", match.group(0)).translate(HIDE_BRACKETS)
    return CODE_MARK + code + CODE_MARK


def prose(page):
    """The text of the page's own documentation, inline code marked."""
    start = page.find("<main")
    end = page.rfind("</main>")
    if start < 0:
        return ""
    text = page[start : end if end > start else len(page)]
    foreign = FOREIGN_SECTIONS.search(text)
    if foreign:
        text = text[: foreign.start()]
    for pattern in (SCRIPT, PRE, CODE_HEADER):
        text = pattern.sub(" ", text)
    text = CODE.sub(inline_code, text)
    text = LINK.sub(LINK_MARK, text)
    text = TAG.sub("", text)
    return html.unescape(text)


def raw_links(text):
    """The bracketed texts of `text` that rustdoc left as they were."""
    found = []
    for match in BRACKETS.finditer(text):
        inner, reference = match.group(1), match.group(2)
        if reference is not None or TARGET.match(inner.strip()):
            found.append(match.group(0).replace(CODE_MARK, "`").translate(SHOW_BRACKETS))
    return found


def bad_hrefs(page, path, root):
    """Links of the page's own documentation that go nowhere."""
    start = page.find("<main")
    text = page[start:] if start >= 0 else page
    foreign = FOREIGN_SECTIONS.search(text)
    if foreign:
        text = text[: foreign.start()]
    found = []
    for href in HREF.findall(text):
        href = html.unescape(href)
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) and "::" not in href:
            continue  # an absolute URL (https:, mailto:)
        if "::" in href:
            found.append(f'href="{href}" (a Rust path, not a page)')
            continue
        target = href.split("#", 1)[0].split("?", 1)[0]
        if not target:
            continue  # an anchor on the same page
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
        if not os.path.exists(resolved):
            found.append(f'href="{href}" (no such page)')
    return found


def check(root):
    problems = []
    pages = 0
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(directory, name)
            with open(path, encoding="utf-8") as file:
                page = file.read()
            pages += 1
            shown = os.path.relpath(path, root)
            for raw in raw_links(prose(page)):
                problems.append(f"{shown}: unresolved link {raw}")
            for href in bad_hrefs(page, path, root):
                problems.append(f"{shown}: {href}")
    return pages, problems


def self_test():
    """The checker finds what it should and nothing else."""
    page = """<html><main>
      <div class="docblock"><p>The engine: [<code>StepFunctions</code>] through a client.</p>
      <p>See [Sfn] and [runtime::local::LocalEngine] and [<code>workflow!</code>]
      and [the guide][guide].</p>
      <p>Slices <code>[T]</code>, <code>#[activity]</code>, <code>[&quot;a&quot;, 1]</code>,
      a note [1], a list [a, b], a link <a href="struct.Sfn.html">[<code>Sfn</code>]</a>
      and [text](not a link) kept.</p></div>
      <pre class="rust"><code>#[activity]\nlet v = [x];</code></pre>
      <h3 class="code-header">impl AsRef&lt;[u8]&gt; for X</h3>
      <h2 id="blanket-implementations">Blanket</h2>
      <div class="docblock">Wraps in a [<code>Span</code>].</div>
    </main></html>"""
    found = raw_links(prose(page))
    expected = [
        "[`StepFunctions`]",
        "[Sfn]",
        "[runtime::local::LocalEngine]",
        "[`workflow!`]",
        "[the guide][guide]",
    ]
    assert found == expected, f"self-test: found {found}, expected {expected}"
    hrefs = bad_hrefs(
        '<main><a href="crate::x::Y">x</a><a href="https://docs.rs">d</a>'
        '<a href="#here">h</a></main>',
        "/nonexistent/page.html",
        "/nonexistent",
    )
    assert hrefs == ['href="crate::x::Y" (a Rust path, not a page)'], hrefs


def default_root():
    """doc/sfini in the workspace's target directory."""
    metadata = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        check=True,
        capture_output=True,
        text=True,
    )
    return os.path.join(json.loads(metadata.stdout)["target_directory"], "doc", "sfini")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else default_root()
    self_test()
    if not os.path.isfile(os.path.join(root, "index.html")):
        print(f"{root}/index.html does not exist: run `cargo doc` first", file=sys.stderr)
        return 1
    pages, problems = check(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} link(s) did not become links in {pages} pages of {root}",
            file=sys.stderr,
        )
        return 1
    print(f"links: {pages} pages of {root} checked, none left unresolved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
