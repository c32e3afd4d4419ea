#!/usr/bin/env python3
"""Give every course notebook its presentation tags and slide metadata, by rules on its content.

    python3 tools/tag_notebooks.py            tag notebooks/*.ipynb (rewrites only those that change)
    python3 tools/tag_notebooks.py --check    change nothing; exit 1 and list what is missing
    python3 tools/tag_notebooks.py NB ...     only these notebooks

Only cell metadata is touched (`metadata.tags` and `metadata.slideshow`): never a source, an output
or the notebook's own metadata, so it can run again after anyone edits a notebook, with the same
result (it is idempotent). Tags that are not the ones below are kept as they are.

The tags, each hidden by `python3 course.py present` (deploy/jupyter-data/voila/templates/regcourse):

    exercise         everything from the "## Exercises" heading on, and the "Predict, then move the
                     slider" question with its `prediction = ...` cell
    solution         a reference solution (markdown "<details><summary><b>Reference solution")
    checker          a code cell that calls a checker, check_...(...): its ✘/✔ lines
    source-listing   a code cell that shows regcourse code with show_source(...)
    static-fallback  the pictures for readers without a running kernel: the markdown that says so and
                     the code cell after it

Slides (RISE, `jupyterlab-rise`): a "# " or "## " heading starts a slide, a "### " heading a
subslide, and so does a cell that builds an explorer (unless a heading just did), so that it has a
slide of its own; a paragraph right after a figure or table comes as a fragment; hidden cells, the setup
cell (the first code cell) and optional sections (collapsed headings and the cells they hide) are
skipped; everything else continues the slide it is on ("-").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# The tags `present` hides. Keep in step with deploy/jupyter-data/voila/templates/regcourse/index.html.j2.
PRESENT_HIDDEN = ("exercise", "solution", "checker", "source-listing", "static-fallback")

EXERCISES_HEADING = re.compile(r"^## Exercises\b", re.MULTILINE)
SOLUTION = re.compile(r"^\s*<details>\s*<summary>\s*<b>Reference solution", re.IGNORECASE)
PREDICT = re.compile(r"\*\*Predict, then move the slider\.?\*\*")
PREDICTION_CELL = re.compile(r"^\s*prediction\s*=", re.MULTILINE)
CHECKER_CALL = re.compile(r"^\s*check_\w+\(", re.MULTILINE)
SHOW_SOURCE = re.compile(r"\bshow_source\(")
NO_KERNEL = re.compile(r"without a (running )?kernel", re.IGNORECASE)
HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)
EXPLORER = re.compile(r"\bexplore\.\w*Explorer\b")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def first_heading_level(text: str) -> int | None:
    """The level of the heading the cell starts with (1 for "# ..."), or None."""
    match = HEADING.match(text.lstrip("\n"))
    return len(match.group(1)) if match else None


def optional(cell: dict) -> bool:
    """A collapsed heading (an optional section) or a cell it hides."""
    meta = cell.get("metadata", {})
    return bool(meta.get("hidden") or meta.get("jp-MarkdownHeadingCollapsed") or meta.get("heading_collapsed"))


def presentation_tags(cells: list[dict]) -> list[set[str]]:
    """The PRESENT_HIDDEN tags each cell should carry, by the rules of the module docstring."""
    tags: list[set[str]] = [set() for _ in cells]
    in_exercises = False
    after_no_kernel = False
    for i, cell in enumerate(cells):
        text, kind = source(cell), cell.get("cell_type")
        if kind == "markdown" and EXERCISES_HEADING.search(text):
            in_exercises = True
        if kind == "markdown" and SOLUTION.match(text):
            tags[i].add("solution")
        elif kind == "code" and CHECKER_CALL.search(text):
            tags[i].add("checker")
        elif kind == "code" and SHOW_SOURCE.search(text):
            tags[i].add("source-listing")
        elif in_exercises or (kind == "markdown" and PREDICT.search(text)) or (
                kind == "code" and PREDICTION_CELL.search(text)):
            tags[i].add("exercise")
        elif kind == "markdown" and NO_KERNEL.search(text):
            tags[i].add("static-fallback")
            after_no_kernel = True
            continue
        elif kind == "code" and after_no_kernel:
            tags[i].add("static-fallback")
        after_no_kernel = False
    return tags


def slide_types(cells: list[dict], hidden: list[set[str]]) -> list[str]:
    """The RISE slide type of each cell: "slide", "subslide", "fragment", "skip" or "-"."""
    types = []
    first_code = next((i for i, c in enumerate(cells) if c.get("cell_type") == "code"), None)
    previous_shown = None          # the last cell not skipped: "heading", "markdown" or "code"
    for i, cell in enumerate(cells):
        text, kind = source(cell), cell.get("cell_type")
        level = first_heading_level(text) if kind == "markdown" else None
        if hidden[i] or i == first_code or optional(cell) or not text.strip():
            types.append("skip")
            continue
        if level in (1, 2):
            types.append("slide")
        elif level == 3:
            types.append("subslide")
        elif kind == "code" and EXPLORER.search(text) and previous_shown != "heading":
            types.append("subslide")
        elif kind == "markdown" and previous_shown == "code":
            types.append("fragment")
        else:
            types.append("-")
        previous_shown = "heading" if level else kind
    return types


def tag_notebook(nb: dict) -> dict:
    """The notebook with its presentation tags and slide types set (a new dict; nb is not changed)."""
    nb = json.loads(json.dumps(nb))
    cells = nb.get("cells", [])
    hidden = presentation_tags(cells)
    for cell, wanted, slide in zip(cells, hidden, slide_types(cells, hidden)):
        meta = cell.setdefault("metadata", {})
        kept = [t for t in meta.get("tags", []) if t not in PRESENT_HIDDEN]
        new_tags = kept + [t for t in PRESENT_HIDDEN if t in wanted]
        if new_tags:
            meta["tags"] = new_tags
        else:
            meta.pop("tags", None)
        meta["slideshow"] = {**meta.get("slideshow", {}), "slide_type": slide}
    return nb


def dumps(nb: dict) -> str:
    """The notebook as nbformat writes it (sorted keys, one-space indent, UTF-8 as is)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def differences(before: dict, after: dict) -> list[str]:
    """What tagging changes, one line per cell (empty when nothing would change)."""
    out = []
    for i, (a, b) in enumerate(zip(before.get("cells", []), after.get("cells", []))):
        ma, mb = a.get("metadata", {}), b.get("metadata", {})
        for key in ("tags", "slideshow"):
            if ma.get(key) != mb.get(key):
                first = source(a).strip().splitlines()[:1]
                out.append(f"cell {i} ({first[0][:50] if first else 'empty'!r}): {key} "
                           f"{ma.get(key)!r} -> {mb.get(key)!r}")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs tags")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        tagged = tag_notebook(nb)
        changes = differences(nb, tagged)
        if args.check:
            if changes:
                missing += 1
                print(f"{path.name}: needs tags (run python3 tools/tag_notebooks.py):\n  " + "\n  ".join(changes))
        elif dumps(tagged) != text:
            path.write_text(dumps(tagged), encoding="utf-8")
            print(f"{path.name}: {len(changes)} cell(s) tagged")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
