"""The live TrainingExplorer in JupyterLab and Voilà, in headless Chromium.

A small notebook made here (nbformat) builds a TrainingExplorer. The test presses Play and
waits for 10 distinct figure frames (the Image's src, sampled every animation frame); moves λ
with the keyboard while it plays and waits for the penalty in the status line to change; presses
Pause, waits for the frames already in flight, and checks that nothing changes for a second; and
checks that no cell or the widget's error box shows an error. The frame rate is measured by
benchmarks/bench_training.py, not here: a loaded machine only makes the waits longer.
"""

from __future__ import annotations

import re
import secrets

import nbformat
import pytest

from browser_support import (
    ARTIFACTS, ERROR_OUTPUTS_JS, PAGE_READY_TIMEOUT, Server, Shots, find_executable, free_port,
    notebook_facts, start_run_all, wait_kernel_idle, wait_run_all, write_log,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "live_training.ipynb"
CELLS = ["from regcourse.explore import TrainingExplorer",
         'explorer = TrainingExplorer("two regions", layer_dims=(2, 20, 1), iterations_per_frame=5, resolution=30, dpi=50)\nexplorer',
         "print('after the explorer:', 1 + 1)"]

# Distinct src values of the figure's <img>, sampled every animation frame, until `enough` of them
# were seen or `ms` milliseconds passed: {count, ms}.
FRAMES_JS = r"""
([ms, enough]) => new Promise(resolve => {
  const seen = new Set(); const t0 = performance.now();
  const tick = () => {
    const img = document.querySelector('.regcourse-training img, .regcourse-figure img, img.regcourse-figure');
    if (img) seen.add(img.src);
    const now = performance.now();
    if (seen.size >= enough || now - t0 >= ms) resolve({count: seen.size, ms: Math.round(now - t0)});
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})
"""
PLAY_FRAMES, PLAY_WAIT_MS = 10, 30_000      # Play must show 10 new pictures (within 30 s, a loaded machine)
STATUS = "(document.querySelector('.regcourse-training-status') || {innerText: ''}).innerText"
STATUS_JS = f"() => {STATUS}"
PENALTY_RE = re.compile(r"penalty ([-+0-9.e]+)")
# Resolve once the status line has not changed for `quiet` ms (or after `ms`): how long that took.
SETTLE_JS = f"""
([quiet, ms]) => new Promise(resolve => {{
  const read = () => {STATUS};
  let last = read(), since = performance.now(); const t0 = since;
  const tick = () => {{
    const now = performance.now(), cur = read();
    if (cur !== last) {{ last = cur; since = now; }}
    if (now - since >= quiet || now - t0 >= ms) resolve(Math.round(now - t0)); else setTimeout(tick, 50);
  }};
  tick();
}})
"""


@pytest.fixture(scope="module")
def live_notebook(notebook_copies):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = notebook_copies.dir / NOTEBOOK
    nbformat.write(nb, path)
    return path


@pytest.fixture
def live_voila(jupyter_env, live_notebook):
    port, token = free_port(), secrets.token_hex(24)
    argv = [find_executable("voila"), str(live_notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            "--token", "--show_tracebacks=True", "--Voila.port_retries=0"]
    server = Server("Voila live training", argv, dict(jupyter_env, JUPYTER_TOKEN=token), live_notebook.parent,
                    ARTIFACTS / "logs" / "voila-live-training.log", f"http://127.0.0.1:{port}", token)
    try:
        server.start("/login", auth=False)
        yield server
    finally:
        server.stop()


def penalty_of(page) -> float:
    match = PENALTY_RE.search(page.evaluate(STATUS_JS))
    assert match, f"no penalty in the status line: {page.evaluate(STATUS_JS)!r}"
    return float(match.group(1))


def play_move_pause(page, shots, label):
    page.locator(".regcourse-training").first.scroll_into_view_if_needed()
    page.wait_for_function(f"() => {STATUS}.includes('iteration')", timeout=PAGE_READY_TIMEOUT * 1000)
    assert penalty_of(page) == 0.0
    page.locator(".regcourse-training-play").click()
    frames = page.evaluate(FRAMES_JS, [PLAY_WAIT_MS, PLAY_FRAMES])
    assert frames["count"] >= PLAY_FRAMES, f"{label}: only {frames['count']} distinct frames in {frames['ms']} ms of Play"
    iteration = page.evaluate(STATUS_JS)
    handle = page.locator(".regcourse-training-lambda .noUi-handle")
    handle.focus()
    for _ in range(16):                      # λ from 0 up the grid, while it plays
        handle.press("ArrowRight")
    page.wait_for_function(f"() => parseFloat(({STATUS}.match(/penalty ([0-9.e+-]+)/) || [0, 0])[1]) > 0",
                           timeout=10_000)
    assert penalty_of(page) > 0, f"{label}: the penalty did not react to λ"
    assert page.evaluate(STATUS_JS) != iteration
    shots.take("playing-after-lambda")
    page.locator(".regcourse-training-play").click()          # Pause
    page.wait_for_function("() => /Play/.test(document.querySelector('.regcourse-training-play').innerText)",
                           timeout=20_000)                      # the kernel has taken the Pause
    settled = page.evaluate(SETTLE_JS, [1000, 20_000])          # frames already in flight arrive
    assert settled < 20_000, f"{label}: the status line still changes 20 s after Pause"
    status = page.evaluate(STATUS_JS)
    still = page.evaluate(FRAMES_JS, [1000, 2])
    assert still["count"] <= 1, f"{label}: {still['count']} frames in the second after the picture settled"
    assert page.evaluate(STATUS_JS) == status, f"{label}: the status still changes after Pause"
    shots.take("paused")                                        # λ raised mid-run: the picture to look at
    errors = page.evaluate(ERROR_OUTPUTS_JS)
    assert not errors, f"{label}: a cell shows an error:\n" + "\n---\n".join(errors)
    assert page.locator(".regcourse-training-error").inner_text().strip() == "", f"{label}: the error box shows text"


def drive(session, mode, open_notebook):
    """open_notebook(page) until the explorer is shown, then play_move_pause; artifacts either way."""
    page, shots = session.page, Shots(session.page, "live_training", mode)
    try:
        open_notebook(page)
        play_move_pause(page, shots, mode)
    except BaseException:
        shots.take("failure")
        raise
    finally:
        write_log(f"live_training-{mode}-console.txt", session.console.lines)


def test_training_in_jupyterlab(live_notebook, lab_server, open_page):
    def open_notebook(page):
        page.goto(f"{lab_server.base_url}/lab/tree/{NOTEBOOK}?reset&token={lab_server.token}")
        wait_kernel_idle(page, f"after opening {NOTEBOOK}")
        start_run_all(page)
        wait_run_all(page, notebook_facts(live_notebook), NOTEBOOK)
    drive(open_page(lab_server.base_url), "lab", open_notebook)


def test_training_in_voila(live_voila, open_page):
    def open_notebook(page):
        page.goto(f"{live_voila.base_url}/?token={live_voila.token}", wait_until="commit")
        page.wait_for_selector(".regcourse-training-status", timeout=PAGE_READY_TIMEOUT * 1000)
    drive(open_page(live_voila.base_url), "voila", open_notebook)
