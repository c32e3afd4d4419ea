"""Voila in headless Chromium: every explorer notebook renders as an app and its explorers respond.

Each notebook gets its own Voila server (`voila NB`, the notebook is served at
/?token=T). The test waits until Voila finished executing (no "Executing n of N"
spinner) and the explorers are drawn, checks there is no error output, then moves the
sliders, the L1/L2 toggle and the dataset like test_lab.py does. The first notebook
also gets a latency measurement.
"""

from __future__ import annotations

import pytest

from browser_support import (
    ERROR_OUTPUTS_JS, PAGE_READY_TIMEOUT, Shots, drive_explorers_and_check, processes_showing,
    write_log,
)

pytestmark = pytest.mark.browser

# Voila's spinner is #loading with "Executing i of n"; it is hidden (or removed) when done.
EXECUTED_JS = r"""
(want) => {
  const spin = document.getElementById('loading');
  const spinning = !!spin && spin.offsetParent !== null && getComputedStyle(spin).display !== 'none';
  return !spinning && document.readyState === 'complete' && window.__rc && window.__rc.count() >= want;
}
"""


def test_notebook_in_voila(notebook, notebook_copies, voila_server, open_page, record_latency):
    facts = notebook_copies.facts[notebook]
    stem = notebook.removesuffix(".ipynb")
    session = open_page(voila_server.base_url)
    page = session.page
    shots = Shots(page, stem, "voila")
    label = f"{notebook} (Voila)"
    want = facts["explorers"] or 1
    steps = []
    assert not processes_showing(voila_server.token), (
        f"{label}: the token is visible in process arguments: {processes_showing(voila_server.token)}")
    try:
        page.goto(f"{voila_server.base_url}/?token={voila_server.token}", wait_until="commit")
        try:
            page.wait_for_function(EXECUTED_JS, arg=want, timeout=PAGE_READY_TIMEOUT * 1000, polling=200)
        except Exception as exc:
            errors = page.evaluate(ERROR_OUTPUTS_JS)
            body = page.evaluate("() => document.body ? document.body.innerText.slice(0, 300) : ''")
            raise AssertionError(
                f"{label}: not rendered in {PAGE_READY_TIMEOUT:.0f} s (want {want} explorers, "
                f"have {page.evaluate('() => window.__rc ? window.__rc.count() : 0')}); "
                f"page starts {body!r}; errors: {errors}\nserver log:\n{voila_server.log_tail()}"
            ) from exc
        errors = page.evaluate(ERROR_OUTPUTS_JS)
        assert not errors, f"{label}: a cell shows an error:\n" + "\n---\n".join(errors)
        explorers = page.evaluate("() => window.__rc.count()")
        page.locator(".regcourse-explorer").first.scroll_into_view_if_needed()
        shots.take("rendered")

        drive_explorers_and_check(page, session, shots, label, steps, notebook, "Voila", explorers, record_latency)
    except BaseException:
        shots.take("failure")
        raise
    finally:
        write_log(f"{stem}-voila-console.txt", session.console.lines)
        write_log(f"{stem}-voila-steps.txt", steps)
