"""Exercises behave under Run All: reference solutions are shown, never run, and each passes
its checker in the notebook's own kernel, after the notebook has run top to bottom."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FENCED = re.compile(r"```python\n(.*?)```", re.DOTALL)
CHECK_CALL = re.compile(r"^(check_\w+)\((\w+)\)\s*$", re.MULTILINE)


def exercises(nb):
    """(checker name, function name, solution code) for each exercise of a notebook, checking
    that each solution is a markdown cell with one ```python block after its check cell."""
    found = []
    for index, cell in enumerate(nb.cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        where = f"solution cell {index}"
        assert cell.cell_type == "markdown", f"{where} must be shown, not run (Run All would rebind the name)"
        calls = [m for c in nb.cells[:index] if c.cell_type == "code" for m in CHECK_CALL.findall(c.source)]
        assert calls, f"{where} must follow the check cell of its exercise"
        blocks = FENCED.findall(cell.source)
        assert len(blocks) == 1, f"{where} must show exactly one ```python block"
        found.append((*calls[-1], blocks[0]))
    return found


def text_of(cell):
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_keeps_students_functions_and_every_shown_solution_passes(path):
    nb = nbformat.read(path, as_version=4)
    found = exercises(nb)
    assert found, "every notebook ends with checked exercises"
    n_cells = len(nb.cells)
    probe = [
        "import contextlib as _contextlib, io as _io\n"
        "_verdicts = []\n"
        f"for _check, _name, _code in {[(c, n, code) for c, n, code in found]!r}:\n"
        "    _space = dict(globals())\n"
        "    with _contextlib.redirect_stdout(_io.StringIO()):  # a solution may print a demo\n"
        "        exec(_code, _space)\n"
        "        _verdict = globals()[_check](_space[_name])\n"
        "    _verdicts.append(repr(_verdict))\n"
        "print('\\n'.join(_verdicts))",
        "_still = []\n"
        f"for _name in {[n for _, n, _ in found]!r}:\n"
        "    try:\n"
        "        globals()[_name](*[None] * globals()[_name].__code__.co_argcount)\n"
        "    except NotImplementedError:\n"
        "        _still.append(_name)\n"
        "print(_still)",
    ]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in probe]
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    verdicts = text_of(nb.cells[n_cells]).splitlines()
    assert len(verdicts) == len(found) and all(v.startswith("✔") for v in verdicts), verdicts
    assert text_of(nb.cells[n_cells + 1]).strip() == repr([n for _, n, _ in found]), \
        "after Run All every exercise function must still be the student's stub"
    stale = [i for i, c in enumerate(nb.cells[:n_cells]) if c.cell_type == "code" and "✔" in text_of(c)]
    assert not stale, f"cells {stale} show a ✔ although the student wrote nothing"
