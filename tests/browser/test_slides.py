"""Slides: a notebook as a RISE slideshow (jupyterlab-rise) in headless Chromium.

As an instructor does it: open the notebook in JupyterLab, Run All, save; then open the slideshow
(/rise/<notebook>, the page jupyterlab-rise serves; it joins the notebook's kernel). The slides come
from the notebook's slide metadata (tools/tag_notebooks.py): the title slide first, hidden cells
(code listings, exercises, solutions) on no slide, and a slide with the explorer. Step through with
the keyboard until the explorer's slide is shown, then drag its λ slider: the status line must follow.

jupyterlab-rise 0.43 does not render ipywidgets 8 views (jupyterlab-contrib/rise#119, open): its
slide shows the explorer's stored picture instead of the live widget. The test then checks that
picture is on the slide and reports the slider step as an expected failure, naming that bug; with a
jupyterlab-rise that renders widgets, the slider step runs and must pass.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from browser_support import Shots, start_run_all, wait_kernel_idle, wait_run_all, write_log

pytestmark = pytest.mark.browser

NOTEBOOK = "02_l2_logistic.ipynb"
MAX_SLIDES = 40
PRESENT = ".reveal .slides section.present"

SLIDE_JS = f"""
() => {{
  const slide = document.querySelector('{PRESENT}:not(.stack)') ||
                Array.from(document.querySelectorAll('{PRESENT}')).pop();
  if (!slide) return null;
  const live = slide.querySelector('.regcourse-explorer');
  const img = Array.from(slide.querySelectorAll('.jp-OutputArea-output img')).find(i => i.naturalWidth > 300);
  return {{text: (slide.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 200),
          live: !!live && live.getBoundingClientRect().width > 0,
          picture: !!img && img.getBoundingClientRect().width > 0}};
}}
"""
STATUS_JS = f"() => {{ const s = document.querySelector('{PRESENT} .regcourse-explorer .regcourse-status'); " \
            "return s ? s.innerText : ''; }"


@pytest.fixture
def widget_state_saved(jupyter_env):
    """Lab's "Save Widget State Automatically" on for this test, so that the saved notebook carries its
    widgets for the slideshow page; removed afterwards."""
    path = (Path(jupyter_env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyter-widgets" / "jupyterlab-manager"
            / "plugin.jupyterlab-settings")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"saveState": True}))
    yield
    path.unlink()


def test_a_notebook_presents_as_slides_with_its_explorer(notebook_copies, lab_server, open_page,
                                                         widget_state_saved):
    session = open_page(lab_server.base_url)
    page = session.page
    shots = Shots(page, NOTEBOOK.removesuffix(".ipynb"), "rise")
    steps = []
    try:
        page.goto(f"{lab_server.base_url}/lab/tree/{NOTEBOOK}?reset&token={lab_server.token}")
        wait_kernel_idle(page, f"after opening {NOTEBOOK}")
        start_run_all(page)
        wait_run_all(page, notebook_copies.facts[NOTEBOOK], f"{NOTEBOOK} (JupyterLab, before the slideshow)")
        page.keyboard.press("Control+s")
        time.sleep(1)

        page.goto(f"{lab_server.base_url}/rise/{NOTEBOOK}?token={lab_server.token}")
        page.wait_for_selector(".reveal .slides section", timeout=90_000)
        page.wait_for_function(f"() => ({SLIDE_JS})() && ({SLIDE_JS})().text.length > 0", timeout=60_000)
        first = page.evaluate(SLIDE_JS)
        assert first["text"].startswith("02 · L2 regularization"), f"the first slide is {first['text']!r}"
        shots.take("first-slide")
        page.locator(".reveal").first.click(position={"x": 5, "y": 5})
        seen = [first["text"]]
        slide = first
        for _ in range(MAX_SLIDES):
            if slide["live"] or slide["picture"] and slide["text"].startswith("Explorer"):
                break
            page.keyboard.press("Space")
            time.sleep(0.3)
            slide = page.evaluate(SLIDE_JS)
            seen.append(slide["text"])
        steps += [f"slide: {t[:100]}" for t in seen]
        shown = " ".join(seen)
        for hidden in ("show_source", "Reference solution", "import numpy"):
            assert hidden not in shown, f"a slide shows {hidden!r}"
        assert slide["live"] or slide["picture"], f"no slide with the explorer in {len(seen)} steps: {seen}"
        shots.take("explorer-slide")
        if not slide["live"]:
            pytest.xfail("jupyterlab-rise 0.43 shows the explorer's stored picture, not the live widget "
                         "(ipywidgets 8 views are not rendered: jupyterlab-contrib/rise#119)")

        page.wait_for_function(f"() => /λ =/.test(({STATUS_JS})())", timeout=30_000)
        before = page.evaluate(STATUS_JS)
        handle = page.locator(f"{PRESENT} .regcourse-explorer .regcourse-lambda .noUi-handle").first
        track = page.locator(f"{PRESENT} .regcourse-explorer .regcourse-lambda .noUi-target").first
        hb, tb = handle.bounding_box(), track.bounding_box()
        page.mouse.move(hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
        page.mouse.down()
        page.mouse.move(tb["x"] + 0.8 * tb["width"], hb["y"] + hb["height"] / 2, steps=10)
        page.mouse.up()
        page.wait_for_function(f"() => ({STATUS_JS})() !== {json.dumps(before)}", timeout=15_000)
        after = page.evaluate(STATUS_JS)
        lam_before, lam_after = (re.search(r"λ = (\S+)", t).group(1) for t in (before, after))
        assert lam_before != lam_after, (before, after)
        steps.append(f"dragged λ: {lam_before} -> {lam_after}")
        shots.take("moved")
    except BaseException as exc:
        if not isinstance(exc, pytest.xfail.Exception):
            shots.take("failure")
        raise
    finally:
        write_log("rise-steps.txt", steps)
        write_log("rise-console.txt", session.console.lines)
