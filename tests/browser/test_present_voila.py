"""`python3 course.py present 06 [--dark]` in headless Chromium at 1280×720, a projector's resolution.

The server is started as an instructor starts it (course.py, in a subprocess; the token is the one
Voila makes and prints). Once its preheated kernel has run the notebook, the page is opened and
timed until the explorer is usable (its slider handle, its status line and its picture are there);
the time is written to test-artifacts/browser/present-timing.json. Then the page must show no code,
no exercise text and no checker lines; the whole explorer must fit the viewport's width; the slider
must be at least 600 px long with a handle of at least 28 px, and buttons and status text at least
18 px; no page errors. Screenshots: test-artifacts/browser/present-06-{light,dark}-*.png.

test_present_lecture_controls checks the explorer's lecture controls through the CSS classes agreed
with regcourse/explore (regcourse-scenes: a ToggleButtons of scenes; regcourse-play: an ipywidgets
Play that moves λ through the grid on its own).
"""

from __future__ import annotations

import json
import re
import sys
import time

import pytest

from browser_support import (
    ARTIFACTS, ERROR_OUTPUTS_JS, REPO, ConsoleWatch, Server, Shots, free_port, processes_showing, write_log,
)

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
NOTEBOOK = "06"
PREHEAT_TIMEOUT = 300.0          # s: the preheated kernel runs the whole notebook before anyone opens it
URL_RE = re.compile(r"(http://127\.0\.0\.1:\d+/\?token=([0-9a-f]+))")

# What the room must not see (code, exercises, solutions, checkers, listings, static fallbacks).
HIDDEN_TEXT = ["import numpy", "def ", "raise NotImplementedError", "show_source", "Exercise", "Reference solution",
               "✘", "✔", "check_", "not written yet", "Predict, then move the slider", "prediction =",
               "Without a running kernel"]

USABLE_JS = r"""
() => {
  const root = document.querySelector('.regcourse-explorer');
  if (!root) return false;
  const handle = root.querySelector('.regcourse-lambda .noUi-handle');
  const img = root.querySelector('.regcourse-figure img');
  const status = root.querySelector('.regcourse-status');
  return !!handle && handle.getBoundingClientRect().width > 0 && !!img && img.complete && img.naturalWidth > 0
         && !!status && /λ =/.test(status.innerText);
}
"""

SIZES_JS = r"""
() => {
  const root = document.querySelector('.regcourse-explorer');
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width,
                                                                      height: r.height}; };
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const status = root.querySelector('.regcourse-status .widget-html-content') || root.querySelector('.regcourse-status');
  // Number boxes (e.g. Play's "ms / step") whose value does not fit: text wider than the box's inside.
  const ctx = document.createElement('canvas').getContext('2d');
  const clipped = Array.from(root.querySelectorAll('input[type=number], input[type=text]')).filter(e => e.offsetParent)
    .map((e) => {
      const cs = getComputedStyle(e);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const inside = e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      return {value: e.value, text_px: ctx.measureText(e.value).width, inside_px: inside};
    }).filter(r => r.text_px > r.inside_px);
  return {
    clipped_inputs: clipped,
    explorer: box(root),
    figure: box(root.querySelector('.regcourse-figure img')),
    track: box(root.querySelector('.regcourse-lambda .noUi-target')),
    handle: box(root.querySelector('.regcourse-lambda .noUi-handle')),
    buttons: Array.from(root.querySelectorAll('.jupyter-button')).filter(b => b.offsetParent).map(px),
    status_px: px(status.querySelector('div') || status),
    page_width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    inputs_shown: Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .jp-CodeMirrorEditor'))
                       .filter(e => e.offsetParent).length,
  };
}
"""

LAMBDA_JS = "() => (document.querySelector('.regcourse-explorer .regcourse-lambda .widget-readout') || {}).innerText"


def kernel_is_done(server, quiet_for=3.0):
    """True once the server's kernel processes used no CPU for `quiet_for` seconds (the preheated kernel
    has run the notebook) after having run at all."""
    import psutil

    try:
        kids = [p for p in psutil.Process(server.proc.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    except psutil.Error:
        return False
    if not kids:
        return False
    before = sum(k.cpu_times().user + k.cpu_times().system for k in kids)
    time.sleep(quiet_for)
    after = sum(k.cpu_times().user + k.cpu_times().system for k in kids)
    return before > 2.0 and after - before < 0.05 * quiet_for


@pytest.fixture(scope="module", params=["light", "dark"])
def present(request, jupyter_env, tmp_path_factory):
    """`python3 course.py present 06 [--dark] --no-browser --port P`, as an instructor runs it."""
    theme = request.param
    port = free_port()
    env = {k: v for k, v in jupyter_env.items() if k not in ("JUPYTER_TOKEN", "REGCOURSE_STYLE")}
    argv = [sys.executable, str(REPO / "course.py"), "present", NOTEBOOK, "--no-browser", f"--port={port}",
            "--Voila.port_retries=0"] + (["--dark"] if theme == "dark" else [])
    server = Server(f"course.py present {NOTEBOOK} ({theme})", argv, env, tmp_path_factory.mktemp("present"),
                    ARTIFACTS / "logs" / f"present-{NOTEBOOK}-{theme}.log", f"http://127.0.0.1:{port}",
                    "(token not printed yet)")
    try:
        server.start("/login", auth=False)
        found = URL_RE.search(server.log_path.read_text())
        assert found, f"course.py present printed no URL with a token:\n{server.log_tail()}"
        server.url, server.token = found.group(1), found.group(2)
        deadline = time.monotonic() + PREHEAT_TIMEOUT
        while not kernel_is_done(server):
            assert time.monotonic() < deadline, f"the preheated kernel did not finish:\n{server.log_tail()}"
        server.theme = theme
        yield server
    finally:
        server.stop()


@pytest.fixture
def projector_page(browser):
    context = browser.new_context(viewport=PROJECTOR, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def open_presentation(present, page):
    """Open the URL; returns (seconds to a usable explorer, the console watch)."""
    console = ConsoleWatch(page, present.base_url)
    t0 = time.monotonic()
    page.goto(present.url, wait_until="commit")
    page.wait_for_function(USABLE_JS, timeout=120_000, polling=50)
    return time.monotonic() - t0, console


def record_timing(theme, seconds):
    path = ARTIFACTS / "present-timing.json"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        timing = json.loads(path.read_text())
    except (OSError, ValueError):
        timing = {}
    timing[theme] = {"notebook": NOTEBOOK, "url_to_usable_explorer_s": round(seconds, 2),
                     "what": "page.goto(URL) to the explorer's handle, status line and picture shown; "
                             "preheated kernel; headless Chromium 1280x720"}
    path.write_text(json.dumps(timing, indent=1, ensure_ascii=False) + "\n")


def test_present_shows_the_story_and_a_projector_sized_explorer(present, projector_page):
    page = projector_page
    shots = Shots(page, f"present-{NOTEBOOK}", present.theme)
    assert not processes_showing(present.token), processes_showing(present.token)
    assert present.request("GET", "/", auth=False)[0] in (302, 303), "the page must need the token"
    try:
        seconds, console = open_presentation(present, page)
        record_timing(present.theme, seconds)
        print(f"\n[present {NOTEBOOK} {present.theme}] URL to usable explorer: {seconds:.2f} s")
        shots.take("top")
        page.locator(".regcourse-explorer").first.scroll_into_view_if_needed()
        shots.take("explorer")

        text = page.evaluate("() => document.body.innerText")
        shown = [t for t in HIDDEN_TEXT if t in text]
        assert not shown, f"the room sees {shown}: " + "; ".join(
            repr(text[max(0, text.index(t) - 60):text.index(t) + 60]) for t in shown)
        assert "hidden units fade" in text and "Formula" in text, "the story is missing"
        if present.theme == "dark":
            assert page.evaluate("() => document.body.classList.contains('theme-dark')")

        s = page.evaluate(SIZES_JS)
        assert s["inputs_shown"] == 0, "code inputs are shown"
        assert s["page_width"] <= PROJECTOR["width"], f"the page scrolls sideways: {s['page_width']} px"
        for part in ("explorer", "figure", "track"):
            assert s[part]["left"] >= 0 and s[part]["right"] <= PROJECTOR["width"], (part, s[part])
        assert s["track"]["width"] >= 600, f"slider track {s['track']['width']:.0f} px"
        assert min(s["handle"]["width"], s["handle"]["height"]) >= 28, f"handle {s['handle']}"
        assert s["buttons"] and min(s["buttons"]) >= 18, f"button text {s['buttons']} px"
        assert s["status_px"] >= 18, f"status text {s['status_px']} px"
        assert not s["clipped_inputs"], f"number boxes too narrow for their value: {s['clipped_inputs']}"

        before = page.evaluate(LAMBDA_JS)
        page.locator(".regcourse-explorer .regcourse-lambda .noUi-handle").first.press("End")
        page.wait_for_function(f"() => ({LAMBDA_JS})() !== {json.dumps(before)}", timeout=10_000)
        shots.take("largest-lambda")
        errors = page.evaluate(ERROR_OUTPUTS_JS)
        assert not errors, "a cell shows an error:\n" + "\n---\n".join(errors)
        assert not page.evaluate("() => Array.from(document.querySelectorAll('.regcourse-error'))"
                                 ".map(e => e.innerText.trim()).filter(Boolean)")
        problems = console.problems()
        assert not problems, "\n".join(problems)
    except BaseException:
        shots.take("failure")
        raise
    finally:
        write_log(f"present-{NOTEBOOK}-{present.theme}-server.txt", present.log_tail(200).splitlines())


def test_present_lecture_controls(present, projector_page):
    """The lecture controls on the presented page: a scene button (ToggleButtons .regcourse-scenes) moves λ,
    so does a key 1-9 (the template's handler), and Play (.regcourse-play) advances λ on its own."""
    if present.theme != "dark":
        pytest.skip("checked once, on the dark page")
    page = projector_page
    shots = Shots(page, f"present-{NOTEBOOK}-controls", present.theme)
    try:
        open_presentation(present, page)
        root = page.locator(".regcourse-explorer").first
        root.scroll_into_view_if_needed()
        scenes = root.locator(".regcourse-scenes button")
        assert scenes.count() >= 3, "no scene buttons (.regcourse-scenes) on the explorer"
        for i in range(scenes.count()):
            before = page.evaluate(LAMBDA_JS)
            scenes.nth(i).click()
            try:
                page.wait_for_function(f"() => ({LAMBDA_JS})() !== {json.dumps(before)}", timeout=5_000)
                break
            except Exception:  # noqa: BLE001 - this scene may sit at the λ shown: try the next
                continue
        else:
            raise AssertionError("no scene button moved λ")
        shots.take("scene")
        # Keys 1-9 pick the scenes too (the template's key handler), with nothing focused.
        for key in "123456789"[:scenes.count()]:
            before = page.evaluate(LAMBDA_JS)
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            page.keyboard.press(key)
            try:
                page.wait_for_function(f"() => ({LAMBDA_JS})() !== {json.dumps(before)}", timeout=5_000)
                break
            except Exception:  # noqa: BLE001 - this scene may sit at the λ shown: try the next key
                continue
        else:
            raise AssertionError("no key 1-9 moved λ")
        # Back to the start of the grid, then Play: λ must move with no further input.
        page.locator(".regcourse-explorer .regcourse-lambda .noUi-handle").first.press("Home")
        start = page.evaluate(LAMBDA_JS)
        root.locator(".regcourse-play button").first.click()
        page.wait_for_function(f"() => ({LAMBDA_JS})() !== {json.dumps(start)}", timeout=15_000)
        first = page.evaluate(LAMBDA_JS)
        page.wait_for_function(f"() => ({LAMBDA_JS})() !== {json.dumps(first)}", timeout=15_000)
        shots.take("playing")
    except BaseException:
        shots.take("failure")
        raise
