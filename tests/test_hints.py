"""A NameError after a restart gets a course hint naming the section to run; the traceback stays."""

import json

import pytest
from IPython.core.interactiveshell import InteractiveShell

from regcourse import hints


@pytest.fixture
def notebook(tmp_path):
    cells = [
        {"cell_type": "markdown", "source": "# 01 · Title\n", "metadata": {}},
        {"cell_type": "code", "source": "import numpy as np\n%matplotlib inline\n", "metadata": {}},
        {"cell_type": "markdown", "source": "## Experiment\n\n### Training\n", "metadata": {}},
        {"cell_type": "code", "source": "for k in range(3):\n    pass\nfit, other = 1, 2\n",
         "metadata": {}},
        {"cell_type": "code", "source": "def accuracy(A, Y):\n    return 1\n", "metadata": {}},
    ]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    return path


def test_where_defined_names_section_and_cell(notebook):
    assert hints.where_defined("np", notebook) == ("the top of the notebook", 1)
    assert hints.where_defined("fit", notebook) == ('"Training"', 2)
    assert hints.where_defined("other", notebook) == ('"Training"', 2)
    assert hints.where_defined("accuracy", notebook) == ('"Training"', 3)
    assert hints.where_defined("nowhere", notebook) is None
    assert hints.where_defined("fit", notebook.parent / "missing.ipynb") is None


def test_hint_text(notebook):
    assert 'section "Training" (code cell 2)' in hints.hint("fit", notebook)
    generic = hints.hint("fit")
    assert "top to bottom" in generic and hints.RUN_ABOVE in generic


def test_install_keeps_traceback_and_adds_hint(notebook, monkeypatch, capsys):
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    shell = InteractiveShell.instance()
    try:
        hints.install(shell)
        hints.install(shell)  # twice is harmless
        shell.run_cell("fit + 1")
        out = capsys.readouterr()
        text = out.out + out.err
        assert "NameError" in text and "name 'fit' is not defined" in text
        assert text.count("Course hint") == 1 and 'section "Training"' in text
        shell.run_cell("1 / 0")  # other errors are left alone
        text = "".join(capsys.readouterr())
        assert "ZeroDivisionError" in text and "Course hint" not in text
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()


def test_install_outside_ipython_does_nothing():
    assert hints.install() is None
