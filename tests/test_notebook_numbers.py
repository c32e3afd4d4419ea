"""Numbers quoted in a notebook's markdown must be printed by its compared cells (or be given)."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from notebook_numbers import numbers, unjustified

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def load(path):
    return json.loads(Path(path).read_text())


def code(src, outputs=(), tags=()):
    return {"cell_type": "code", "source": src, "metadata": {"tags": list(tags)},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": t} for t in outputs]}


def markdown(src, given=None):
    meta = {"regcourse": {"given_numbers": given}} if given else {}
    return {"cell_type": "markdown", "source": src, "metadata": meta}


def test_numbers_are_read_as_written():
    text = "126,950 and 189\\,983, 77.5%, 1e-8, (0.1, 1), L1 W2 x_1 2m 10^{-8} -3.25 0.10"
    values = [v for v, _ in numbers(text)]
    assert values == [Decimal(v) for v in
                      ("126950", "189983", "77.5", "1e-8", "0.1", "1", "10", "8", "3.25", "0.1")]


def test_a_quoted_number_needs_a_compared_output_or_a_setting():
    nb = {"cells": [
        code("fit = train(num_iterations=2000)", ["dev accuracy 87.5%\n"]),
        code("# NBVAL_IGNORE_OUTPUT\nprint(chaotic)", ["dev accuracy 77.5%\n"]),
        code("print(x)", ["42.0\n"], tags=["nbval-ignore-output"]),
        markdown("After 2000 iterations the dev accuracy is 87.5%, not 77.5% or 42; "
                 "two layers, notebook 08, the seed's 0.999999.", given=["0.999999"]),
    ]}
    assert [(i, n) for i, n, _ in unjustified(nb)] == [(3, "77.5"), (3, "42")]


def test_links_and_inline_code_are_not_prose():
    nb = {"cells": [markdown("See [the docs](https://example.org/v123/page) and `seed=1234`.")]}
    assert unjustified(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_numbers_are_printed_by_compared_cells(path):
    problems = unjustified(load(path))
    assert not problems, "markdown quotes numbers no compared output contains:\n" + "\n".join(
        f"  cell {i}: {n!r} in …{context}…" for i, n, context in problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_planted_wrong_number_is_caught(path):
    """Change one quoted, measured number in the prose; the check must name it."""
    nb = load(path)
    assert not unjustified(nb)
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for value, written in numbers(text):
            if value > 10 and "." in written and "," not in written:
                planted = copy.deepcopy(nb)
                wrong = written[:-1] + str((int(written[-1]) + 3) % 10)
                planted["cells"][index]["source"] = text.replace(written, wrong, 1)
                if Decimal(wrong) in {v for v, _ in numbers(json.dumps(nb))}:
                    continue  # the wrong value happens to be printed somewhere else
                assert (index, wrong) in [(i, n) for i, n, _ in unjustified(planted)]
                return
    pytest.skip("this notebook quotes no decimal result in its prose")
