"""The nbval session `python3 course.py test` runs over notebooks/, for real, on small notebooks:
a notebook per worker, its stored outputs still compared, and notebook validation intact with
tests/nbval_fast_start.py loaded."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import portability

ROOT = Path(__file__).resolve().parents[1]


def notebook(path: Path, cells):
    """A notebook whose code cells are (source, stored stdout) pairs; the kernel state carries on."""
    nb = nbformat.v4.new_notebook()
    for count, (source, stdout) in enumerate(cells, start=1):
        cell = nbformat.v4.new_code_cell(source, execution_count=count)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stdout)] if stdout else []
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def run_session(paths, monkeypatch, workers=2):
    course = portability.course_module()
    monkeypatch.setattr(course, "notebook_workers", lambda n: min(workers, n))
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v",
            *course.notebook_session_options(len(paths)), "--nbval", "--nbval-current-env", *map(str, paths)]
    return subprocess.run(argv, cwd=str(ROOT), capture_output=True, text=True, timeout=300)


def test_each_notebook_runs_whole_on_one_worker_and_outputs_are_compared(tmp_path, monkeypatch):
    # each later cell needs the earlier ones: split across kernels, it would fail
    a = notebook(tmp_path / "a.ipynb", [("x = 6", ""), ("y = x * 7", ""), ("print(y)", "42\n")])
    b = notebook(tmp_path / "b.ipynb", [("s = 'ab'", ""), ("s = s * 2", ""), ("print(s)", "abab\n")])
    result = run_session([a, b], monkeypatch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout
    ran_on = {}   # notebook -> the workers that ran its cells
    passed = re.findall(r"^\[(gw\d+)\].*?PASSED \S*?(\w+)(?:\.|::)ipynb::Cell", result.stdout, re.MULTILINE)
    for worker, name in passed:
        ran_on.setdefault(name, set()).add(worker)
    assert sorted(ran_on) == ["a", "b"] and all(len(w) == 1 for w in ran_on.values()), result.stdout
    assert ran_on["a"] != ran_on["b"], "the two notebooks ran on the same worker"

    wrong = notebook(tmp_path / "c.ipynb", [("x = 6", ""), ("print(x * 7)", "43\n")])
    result = run_session([a, wrong], monkeypatch)
    assert result.returncode == 1 and "1 failed, 4 passed" in result.stdout, result.stdout
    assert "c.ipynb::Cell 1" in result.stdout


def test_the_fast_start_plugin_keeps_notebook_validation():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import tests.nbval_fast_start\n"
        "import nbformat, jsonschema\n"
        "nb = nbformat.read(sys.argv[2], as_version=4); nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'no such type'\n"
        "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('invalid caught')\n"
        "print('rfc3987_syntax', sys.modules['rfc3987_syntax'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ROOT), str(ROOT / "notebooks" / "01_overfitting.ipynb")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["invalid caught", "rfc3987_syntax None"]


@pytest.mark.parametrize("workers, parallel", [(1, False), (2, True)])
def test_one_cpu_means_no_workers(workers, parallel, monkeypatch):
    course = portability.course_module()
    monkeypatch.setattr(course, "notebook_workers", lambda n: workers)
    options = course.notebook_session_options(8)
    assert ("-n" in options) == parallel and ("--dist" in options) == parallel
