"""The notebooks pass nbval under every BLAS configuration of the portability matrix.

Each configuration runs nbval (strict) over all notebooks in a fresh process whose environment
forces the OpenBLAS kernel family (see tests/portability.py). Configurations this CPU cannot run
are skipped with the reason; configurations that load the same kernel as an earlier one, or as
a passed nbval run over the notebooks that already happened, are skipped as covered: this
session's own, or `python3 course.py test`'s notebook session, whose BLAS settings arrive in
the environment variable REGCOURSE_NOTEBOOKS_CHECKED_UNDER.
"""

import json
import os
from pathlib import Path

import pytest

import portability

ARTIFACTS = Path(portability.ROOT) / "test-artifacts"
NOTEBOOKS = sorted(portability.NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def probes():
    return {c.name: portability.probe(c) for c in portability.CONFIGS}


COVERED_ENV = portability.course_module().COVERED_ENV   # set by `python3 course.py test`


def this_session_runs_notebooks(session):
    return any(str(item.fspath).endswith(".ipynb") for item in session.items)


def already_checked_under(session):
    """The BLAS configuration of an nbval run over the notebooks that covers this session, or None."""
    if this_session_runs_notebooks(session):
        return portability.Config("this session", {})
    given = os.environ.get(COVERED_ENV)
    if given:
        return portability.Config("course.py test's notebook session", json.loads(given))
    return None


@pytest.mark.portability
@pytest.mark.parametrize("config", portability.CONFIGS, ids=lambda c: c.name)
def test_notebooks_pass_under(config, probes, request):
    probed = probes[config.name]
    if not probed.ok:
        pytest.skip(probed.describe())
    earlier = [probes[c.name] for c in portability.CONFIGS[: portability.CONFIGS.index(config)]]
    twin = next((p for p in earlier if p.ok and p.key == probed.key), None)
    if twin is not None:
        pytest.skip(f"{config.name} loads the same kernel as {twin.config.name}: covered there")
    covered = already_checked_under(request.session)
    if covered is not None:
        here = portability.probe(covered)
        if here.ok and here.key == probed.key:
            pytest.skip(f"{config.name} is the kernel of {covered.name}: its nbval run covers it")
    outcome = portability.run_nbval(config, NOTEBOOKS, probed=probed)
    ARTIFACTS.mkdir(exist_ok=True)
    record = ARTIFACTS / "portability.jsonl"
    with record.open("a") as f:
        f.write(json.dumps({"config": config.name, "kernel": probed.describe(),
                            "passed": outcome.passed, "failed_cells": outcome.failed,
                            "seconds": round(outcome.seconds, 1), "pid": os.getpid()}) + "\n")
    assert outcome.passed, (
        f"under {probed.describe()} these notebook cells differ from their stored output: "
        f"{outcome.failed or '(see log)'}\n" + outcome.log[-4000:])


class _Session:
    items = ()


def test_a_passed_notebook_session_of_course_py_test_counts_as_covered(monkeypatch):
    monkeypatch.setenv(COVERED_ENV, json.dumps({"OPENBLAS_CORETYPE": None, "OPENBLAS_NUM_THREADS": "1"}))
    covered = already_checked_under(_Session())
    assert covered.env == {"OPENBLAS_CORETYPE": None, "OPENBLAS_NUM_THREADS": "1"}
    assert covered.environ({"OPENBLAS_CORETYPE": "Haswell", "PATH": "/bin"}) == {
        "OPENBLAS_NUM_THREADS": "1", "PATH": "/bin"}
    monkeypatch.delenv(COVERED_ENV)
    assert already_checked_under(_Session()) is None
