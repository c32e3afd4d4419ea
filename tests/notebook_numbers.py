"""Hold the numbers quoted in a notebook's prose against what the notebook itself prints.

The rule (DESIGN.md, "Portability"): a result stated in markdown is either printed by a
*compared* cell of the same notebook, or stated in words that hold on every machine.
So every number written in a markdown cell must be one of:

- printed in the output of a code cell that nbval compares (not `# NBVAL_IGNORE_OUTPUT`,
  not tagged `nbval-ignore-output`/`nbval-skip`): a measured result that nbval guards;
- written in the source of a code cell: a setting the notebook chose (2000 iterations,
  λ = 0.1, a 60/20/20 split);
- a small whole number from 0 to 10 ("two layers", "notebook 08", "W[2]"), or part of a
  name such as L1, W2 or x₁;
- listed in the markdown cell's metadata under ``regcourse.given_numbers``: a fact that is
  not measured here (a year, the seed's own wrong value quoted to correct it).

A number that fits none of these is a measured claim that nbval does not guard, and which
another machine may contradict.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# A number: digits with optional thousands separators (, or a LaTeX/Unicode thin space),
# an optional fraction and an optional exponent. Not part of a name (L1, W2, x_1, 0x1f).
_SEP = r"(?:,|\\,|\u2009|\u202f)"
NUMBER = re.compile(
    r"(?<![\w.\\^_])"
    r"(\d{1,3}(?:" + _SEP + r"\d{3})+(?![\d])|\d+)"
    r"(\.\d+)?"
    r"(?:[eE]([-+−]?\d+))?"
    r"(?![\w])"
)
SMALL = 10
IGNORE_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
IGNORE_TAGS = ("nbval-ignore-output", "nbval-skip")
_LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
_CODE_SPAN = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)


def numbers(text: str) -> list[tuple[Decimal, str]]:
    """Every number written in `text`, as (value, as written)."""
    found = []
    for match in NUMBER.finditer(text):
        whole, fraction, exponent = match.groups()
        digits = re.sub(_SEP, "", whole) + (fraction or "")
        if exponent:
            digits += "e" + exponent.replace("−", "-")
        try:
            found.append((Decimal(digits).normalize(), match.group(0)))
        except InvalidOperation:
            continue
    return found


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def is_compared(cell) -> bool:
    """True if nbval compares this code cell's output in strict mode."""
    tags = cell.get("metadata", {}).get("tags", [])
    if any(tag in tags for tag in IGNORE_TAGS):
        return False
    head = source(cell).lstrip().splitlines()[:1]
    return not (head and any(marker in head[0] for marker in IGNORE_MARKERS))


def output_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(source({"source": out["text"]}))
        for mime in ("text/plain", "text/html", "text/latex", "text/markdown"):
            if mime in out.get("data", {}):
                parts.append(source({"source": out["data"][mime]}))
    return "\n".join(parts)


def justified_values(nb) -> set[Decimal]:
    """Values a markdown cell may quote: compared outputs and code-cell sources."""
    values = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        values.update(v for v, _ in numbers(source(cell)))
        if is_compared(cell):
            values.update(v for v, _ in numbers(output_text(cell)))
    return values


def prose(cell) -> str:
    """A markdown cell's text without link targets and code (inline or fenced)."""
    return _CODE_SPAN.sub(" ", _LINK.sub(" ", source(cell)))


def unjustified(nb) -> list[tuple[int, str, str]]:
    """(cell index, number as written, its context) for every number in markdown that the
    notebook's compared outputs and code do not contain."""
    allowed = justified_values(nb)
    problems = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        given = {v for g in cell.get("metadata", {}).get("regcourse", {}).get("given_numbers", [])
                 for v, _ in numbers(str(g))}
        text = prose(cell)
        for match in NUMBER.finditer(text):
            [(value, written)] = numbers(match.group(0)) or [(None, None)]
            if value is None or value in allowed or value in given:
                continue
            if value == value.to_integral_value() and abs(value) <= SMALL:
                continue
            start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
            problems.append((index, written, text[start:end].replace("\n", " ")))
    return problems
