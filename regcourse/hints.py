"""Course hints for a kernel that lost its state.

After a kernel restart, running a cell from the middle of a notebook fails with a bare
``NameError: name 'fit' is not defined``. `install` adds one line under that traceback, in
course words: which section of the notebook defines the name, and how to run up to it. The
real traceback is kept, unchanged.

The notebook's own setup cell calls ``hints.install()``; nothing happens at import.
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

RUN_ABOVE = "Run ▸ Run All Above Selected Cell"
_MISSING = re.compile(r"name '(\w+)' is not defined")


def _bound_names(code: str) -> set[str]:
    """Names a cell binds at its top level (assignments, defs, imports, for-loop targets)."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def where_defined(name: str, notebook: str | os.PathLike) -> tuple[str, int] | None:
    """(section heading, code-cell number counted from 1) of the first cell of `notebook`
    that defines `name`, or None if no cell does or the file cannot be read."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    heading, number = "the top of the notebook", 0
    for cell in cells:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            # sections are ## and deeper; the # title is the top of the notebook
            titles = [line.lstrip("#").strip() for line in source.splitlines() if line.startswith("##")]
            heading = f'"{titles[-1]}"' if titles else heading
        elif cell.get("cell_type") == "code":
            number += 1
            if name in _bound_names(source):
                return heading, number
    return None


def hint(name: str, notebook: str | os.PathLike | None = None) -> str:
    """The sentence shown under a NameError for `name`."""
    found = where_defined(name, notebook) if notebook else None
    if found:
        section, number = found
        return (f"Course hint: `{name}` is made in the section {section} (code cell {number}). "
                f"This kernel has not run it (after a restart, cells run out of order?). "
                f"Click that cell and run everything above and including it: {RUN_ABOVE}, then Shift+Enter.")
    return (f"Course hint: `{name}` is made by an earlier cell that this kernel has not run (after a "
            f"restart, or cells run out of order?). The notebooks run from top to bottom: "
            f"{RUN_ABOVE}, then run this cell again.")


def _notebook_path() -> str | None:
    """The notebook this kernel serves, where the server says so (Jupyter Server sets
    JPY_SESSION_NAME; VS Code sets __vsc_ipynb_file__)."""
    path = os.environ.get("JPY_SESSION_NAME")
    if path and path.endswith(".ipynb") and Path(path).exists():
        return path
    try:
        import __main__
        path = getattr(__main__, "__vsc_ipynb_file__", None)
    except ImportError:
        path = None
    return path if path and Path(path).exists() else None


def install(shell=None) -> None:
    """Add the course hint under every NameError in this IPython session (the traceback stays).

    Calling it again is harmless. Outside IPython it does nothing."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return

    def show_with_hint(self, etype, value, tb, tb_offset=None):
        self.showtraceback((etype, value, tb), tb_offset=tb_offset)
        match = _MISSING.search(str(value))
        if match:
            print(hint(match.group(1), _notebook_path()))

    shell.set_custom_exc((NameError,), show_with_hint)
