"""JupyterLab in headless Chromium: every explorer notebook runs clean and its explorers respond.

For each notebook that uses regcourse.explore (a stripped copy, served by one shared
JupyterLab): open it, wait for the kernel, Run All from the Run menu, wait until every
code cell has an execution count, check that no cell shows an error, then for every
explorer press End / Home / ArrowRight on the λ slider (status text and figure pixels
must change each time, and the λ in the status must be the slider's), flip L1/L2 and the
dataset when there are such controls, and check the error box stays empty. The first
notebook also gets a latency measurement (see conftest's terminal summary).
"""

from __future__ import annotations

import json
import time

import pytest

from browser_support import (
    ExplorerDriver, Shots, check_one_frame, drive_explorers_and_check, explorer_notebooks, latency_record,
    notebooks_dir, notifications, processes_showing, start_run_all, wait_explorers, wait_kernel_idle, wait_run_all,
    write_log,
)

pytestmark = pytest.mark.browser


def test_explorer_notebooks_exist():
    """Guard: the browser tests cover something (notebooks that use regcourse.explore)."""
    found = explorer_notebooks()
    assert found, (f"no notebook in {notebooks_dir()} uses regcourse.explore: "
                   "the browser tests would check nothing")


def test_lab_server_keeps_its_token_out_of_argv(lab_server):
    """`ps` shows every user each process's arguments: the token must not be among them."""
    assert not processes_showing(lab_server.token), processes_showing(lab_server.token)
    assert lab_server.request("GET", "/api/status", auth=False)[0] == 403
    assert lab_server.request("GET", "/api/status")[0] == 200


def _close_kernels(server):
    status, body = server.request("GET", "/api/sessions")
    if status == 200:
        for session in json.loads(body):
            server.request("DELETE", f"/api/sessions/{session['id']}")


def test_notebook_in_jupyterlab(notebook, notebook_copies, lab_server, open_page, record_latency):
    facts = notebook_copies.facts[notebook]
    stem = notebook.removesuffix(".ipynb")
    session = open_page(lab_server.base_url)
    page = session.page
    shots = Shots(page, stem, "lab")
    label = f"{notebook} (JupyterLab)"
    steps = []
    try:
        page.goto(f"{lab_server.base_url}/lab/tree/{notebook}?reset&token={lab_server.token}")
        wait_kernel_idle(page, f"after opening {notebook}")
        start_run_all(page)
        wait_run_all(page, facts, label)
        explorers = wait_explorers(page, facts, label)
        page.locator(".regcourse-explorer").first.scroll_into_view_if_needed()
        shots.take("after-run-all")
        assert not notifications(page), f"{label}: JupyterLab shows notifications: {notifications(page)}"

        drive_explorers_and_check(page, session, shots, label, steps, notebook, "JupyterLab", explorers, record_latency)
    except BaseException:
        shots.take("failure")
        raise
    finally:
        write_log(f"{stem}-lab-console.txt", session.console.lines)
        write_log(f"{stem}-lab-steps.txt", steps)
        _close_kernels(lab_server)


BUSY_SECONDS = 15
BUSY_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "from regcourse import explore\n"
                   "explore.NetworkExplorer('moons', layer_dims=(2, 8, 1), m=120, num_iterations=200, seed=0)"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": f"import time\ntime.sleep({BUSY_SECONDS})"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

KERNEL_BUSY_JS = r"""
() => Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
        .some(e => /\|\s*Busy$/.test((e.innerText || '').trim()))
"""


def test_slider_flips_while_the_kernel_is_busy(notebook_copies, lab_server, open_page, record_latency):
    """Run All: an explorer, then a cell that sleeps 15 s. While it sleeps, every key press on the
    slider still gives a new picture and a new status line (the frames are flipped in the browser),
    within one frame (median)."""
    (notebook_copies.dir / "busy.ipynb").write_text(json.dumps(BUSY_NOTEBOOK), encoding="utf-8")
    session = open_page(lab_server.base_url)
    page = session.page
    shots = Shots(page, "busy", "lab")
    drv = ExplorerDriver(page, 0, shots, "busy.ipynb (JupyterLab, kernel sleeping)")
    try:
        page.goto(f"{lab_server.base_url}/lab/tree/busy.ipynb?reset&token={lab_server.token}")
        wait_kernel_idle(page, "after opening busy.ipynb")
        start_run_all(page)
        page.wait_for_function("() => window.__rc.count() >= 1", timeout=60_000)
        drv.wait_ready()
        page.wait_for_function(KERNEL_BUSY_JS, timeout=10_000, polling=100)
        started = time.monotonic()
        lats = []
        for key in ["End", "Home"] + ["ArrowRight"] * 8:
            _, lat = drv.press(key)
            lats.append(lat)
        busy_for = time.monotonic() - started
        assert page.evaluate(KERNEL_BUSY_JS), "the kernel finished sleeping before the presses were done"
        assert busy_for < BUSY_SECONDS, f"the presses took {busy_for:.1f} s"
        shots.take("busy-moved", drv.root)
        record = {"notebook": "busy.ipynb", **latency_record(lats)}
        record_latency("Lab, kernel busy", record)
        check_one_frame("busy.ipynb (JupyterLab, kernel sleeping)", record)
    except BaseException:
        shots.take("failure")
        raise
    finally:
        write_log("busy-lab-steps.txt", drv.log)
        _close_kernels(lab_server)
