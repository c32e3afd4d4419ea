"""The static course site (tools/build_site.py) works opened from disk with no network and no kernel.

The site is built once for the module (every notebook executed fresh). Each page is opened from
file:// in headless Chromium with every request that is not a file aborted (and recorded), then:
no page errors, no request left the disk, the math is rendered by the bundled MathJax, and every
explorer answers End, Home and the arrow keys with new pixels and a new status line (the frames
are flipped in the page, there is no kernel), and its Play button steps λ on its own. The site's size and build time go to
test-artifacts/browser/site.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from browser_support import ARTIFACTS, REPO, ExplorerDriver, Shots, notebooks_dir, status_lambda, summarize

pytestmark = pytest.mark.browser

# REGCOURSE_SITE_NOTEBOOKS="01_overfitting 04_frobenius": build and check only those (a quick local run)
ONLY = os.environ.get("REGCOURSE_SITE_NOTEBOOKS", "").split()
NOTEBOOKS = [p for p in sorted(notebooks_dir().glob("*.ipynb")) if not ONLY or p.stem in ONLY]
PAGES = [p.stem + ".html" for p in NOTEBOOKS] + ["index.html"]
BUILD_TIMEOUT = 1800      # seconds: 8 notebooks executed on a shared 2-core machine
MATH_JS = "() => document.querySelectorAll('.MathJax_CHTML, .MJXc-display, mjx-container').length"
RAW_MATH_JS = r"""
() => Array.from(document.querySelectorAll('.jp-RenderedMarkdown'))
        .filter(e => /\$[^$\s][^$]*\$/.test(e.innerText || '')).length
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site's folder (its build printed to test-artifacts/browser/logs/site-build.txt)."""
    out = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    run = subprocess.run([sys.executable, str(REPO / "tools" / "build_site.py"), "--out", str(out),
                          *([str(p) for p in NOTEBOOKS] if ONLY else [])],
                         cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    seconds = time.monotonic() - started
    (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "logs" / "site-build.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"build_site.py failed:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    files = [f for f in out.rglob("*") if f.is_file()]
    record = {"build_seconds": round(seconds, 1), "bytes": sum(f.stat().st_size for f in files),
              "files": len(files),
              "pages_bytes": {f.name: f.stat().st_size for f in sorted(out.glob("*.html"))},
              "assets_bytes": sum(f.stat().st_size for f in files if "assets" in f.relative_to(out).parts)}
    (ARTIFACTS / "site.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return out


@pytest.fixture
def offline_page(browser):
    """A page whose every non-file request is aborted; .blocked lists them, .errors the page errors."""
    from browser_support import PAGE_JS

    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    context.add_init_script(PAGE_JS)
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "blob:", "data:")):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.errors = []
    page.blocked = blocked
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


def play_steps(drv: ExplorerDriver, seconds: float = 8.0) -> list:
    """Click the explorer's Play (widgets.Play, linked to the slider in the page): the λ values the status
    line shows on their own within `seconds`; at least two new ones are required, the slider showing each."""
    drv.root.locator(".regcourse-play button").first.click()
    seen = [status_lambda(drv.snap()["status"])]
    deadline = time.monotonic() + seconds
    while len(seen) < 3 and time.monotonic() < deadline:
        snap = drv.snap()
        if status_lambda(snap["status"]) != seen[-1]:
            drv.check_lambda_matches(snap)
            seen.append(status_lambda(snap["status"]))
        drv.page.wait_for_timeout(50)
    drv.root.locator(".regcourse-play button").first.click()        # the same button pauses
    assert len(seen) >= 3, f"{drv.label}: Play did not step λ on its own in {seconds:.0f} s (saw λ = {seen})"
    return seen


@pytest.mark.parametrize("name", PAGES, ids=[p.removesuffix(".html") for p in PAGES])
def test_site_page_works_offline(site, offline_page, name):
    page, path = offline_page, site / name
    assert path.exists(), f"the site has no {name}: {sorted(p.name for p in site.glob('*.html'))}"
    page.goto(path.as_uri(), wait_until="load")
    label = f"site {name}"
    shots = Shots(page, name.removesuffix(".html"), "site")
    steps: list[str] = []
    try:
        if name == "index.html":
            links = page.eval_on_selector_all("a[href$='.html']", "els => els.map(e => e.getAttribute('href'))")
            assert sorted(links) == sorted(PAGES[:-1]), f"{label}: the course map links {links}"
        else:
            page.wait_for_function(MATH_JS, timeout=30_000, polling=200)
            page.wait_for_function("() => !document.querySelector('#MathJax_Message') || "
                                   "getComputedStyle(document.querySelector('#MathJax_Message')).display === 'none'",
                                   timeout=30_000, polling=200)
            assert page.evaluate(RAW_MATH_JS) == 0, f"{label}: markdown still shows raw $…$ (math not typeset)"
            count = page.evaluate("() => window.__rc.count()")
            assert count >= 1, f"{label}: no explorer on the page (the widget state is not embedded?)"
            pixels = []
            for i in range(count):
                drv = ExplorerDriver(page, i, shots, f"{label} explorer {i + 1}/{count}")
                try:
                    drv.wait_ready()
                    drv.sweep()                   # End, Home, ArrowRight ×3: new pixels and status each time
                    _, lat = drv.press("ArrowLeft")
                    pixels.append(lat["pixels_ms"])
                    steps.append(f"explorer {i + 1}: Play showed λ = {play_steps(drv)}")
                finally:
                    steps += [f"explorer {i + 1}: {line}" for line in drv.log]
            steps.append(f"ArrowLeft → new pixels: {summarize([p for p in pixels if p is not None])}")
        shots.take("page")
        assert not page.errors, f"{label}: page errors: {page.errors}"
        assert not page.blocked, f"{label}: requests that would need the network: {page.blocked}"
    finally:
        (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "logs" / f"site-{name}.txt").write_text("\n".join(steps) + "\n", encoding="utf-8")
