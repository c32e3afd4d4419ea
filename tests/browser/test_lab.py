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

import pytest

from browser_support import (
    Shots, drive_explorers_and_check, explorer_notebooks, notebooks_dir, notifications,
    processes_showing, start_run_all, wait_explorers, wait_kernel_idle, wait_run_all, write_log,
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
