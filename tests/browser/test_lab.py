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
import re
import time

import pytest

from browser_support import (
    ERROR_OUTPUTS_JS, PAGE_READY_TIMEOUT, RUN_ALL_TIMEOUT, Shots, drive_explorers_and_check,
    explorer_notebooks, notebooks_dir, processes_showing, write_log,
)

pytestmark = pytest.mark.browser

STATUS_IDLE_JS = r"""
() => Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
        .some(e => /\|\s*Idle$/.test((e.innerText || '').trim()))
"""

# Execution state of the open notebook: prompts of the code cells, errors shown so far.
RUN_STATE_JS = r"""
() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  if (!nb) return null;
  const prompts = Array.from(nb.querySelectorAll('.jp-CodeCell')).map(c => {
    const p = c.querySelector('.jp-InputArea-prompt, .jp-InputPrompt');
    return p ? (p.innerText || '').trim() : '';
  });
  return {
    prompts,
    numbered: prompts.filter(p => /^\[\d+\]:?$/.test(p)).length,
    running: prompts.filter(p => p.includes('*')).length,
    idle: Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
            .some(e => /\|\s*Idle$/.test((e.innerText || '').trim())),
  };
}
"""


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


def _wait_idle(page, what):
    try:
        page.wait_for_function(STATUS_IDLE_JS, timeout=PAGE_READY_TIMEOUT * 1000, polling=200)
    except Exception as exc:
        status = page.locator("#jp-main-statusbar").inner_text(timeout=2000)
        raise AssertionError(f"kernel never showed '| Idle' in the status bar {what}: {status!r}") from exc


def _run_all(page, facts, label):
    """Run All through the Run menu; wait for every code cell's count and Idle; fail fast on errors."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    deadline = time.monotonic() + RUN_ALL_TIMEOUT
    state = None
    done_polls = 0
    while time.monotonic() < deadline:
        errors = page.evaluate(ERROR_OUTPUTS_JS)
        assert not errors, f"{label}: a cell shows an error:\n" + "\n---\n".join(errors)
        state = page.evaluate(RUN_STATE_JS)
        done = bool(state and state["numbered"] >= facts["code_cells"] and not state["running"]
                    and state["idle"])
        # The kernel is briefly idle between two cells (and collapsed cells show no count),
        # so "done" must hold for three polls in a row.
        done_polls = done_polls + 1 if done else 0
        if done_polls >= 3:
            return state
        page.wait_for_timeout(200)
    raise AssertionError(f"{label}: Run All did not finish in {RUN_ALL_TIMEOUT:.0f} s; "
                         f"{facts['code_cells']} code cells, prompts now: {state and state['prompts']}")


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
        _wait_idle(page, f"after opening {notebook}")
        _run_all(page, facts, label)
        explorers = page.evaluate("() => window.__rc.count()")
        want = facts["explorers"] or 1
        if explorers < want:  # widget views attach a moment after the cell finished
            page.wait_for_function(f"() => window.__rc.count() >= {want}", timeout=30_000)
            explorers = page.evaluate("() => window.__rc.count()")
        assert explorers >= want, f"{label}: {explorers} explorers on the page, expected {want}"
        page.locator(".regcourse-explorer").first.scroll_into_view_if_needed()
        shots.take("after-run-all")
        toasts = page.locator(".Toastify__toast").all_inner_texts()
        assert not toasts, f"{label}: JupyterLab shows notifications: {toasts}"

        drive_explorers_and_check(page, session, shots, label, steps, notebook, "JupyterLab", explorers, record_latency)
    except BaseException:
        shots.take("failure")
        raise
    finally:
        write_log(f"{stem}-lab-console.txt", session.console.lines)
        write_log(f"{stem}-lab-steps.txt", steps)
        _close_kernels(lab_server)
